"""Department-wide tables (部门整体支出绩效目标表): one module per responsibility.

* `common`: what both readers share — title, year and unit marks, category levels (from
  rules/lexicon/), amounts, the join of wrapped lines;
* `dump`: the reader of a PDF's text dump (the page layout as text lines: sections, tasks, goals);
* `dump_rows`: the dump's indicator grid (labels, and 三级指标 and 指标值 told apart by line width);
* `columns`: the column-assignment solver for the dump's task amounts;
* `form`: the form layout in a Grid (Word, Excel, PDF tables: readers/docx.py, xlsx.py, pdf.py).
"""
