"""Built-in table-level checks; rule files switch them on (`check: name`, `params: {...}`).

Structure checks (required-categories, duplicate-indicators …) are in structure.py; budget checks
(cost-sum, amount-over-budget, budget-split, department-task-sums) in budget.py.
"""
