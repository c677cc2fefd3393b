"""The table checks remember answers per text (canonical names, lexicon look-ups, template text, goal
promises); what they remember must be what they would compute afresh, and must follow edits.

Real corpus tables and the real rule files; each answer is compared with the computation that is
remembered (Lexicon._search, Lexicons._canonical, one pattern after another).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from goallint import pipeline
from goallint.config import Settings
from goallint.engine.checks.consistency import _goal_promises, promises, stopwords
from goallint.engine.checks.structure import _template_finder
from goallint.engine.lexicon import Lexicon, Lexicons, Memo
from goallint.engine.runner import Engine

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
COMMERCE = CORPUS / "tianjin-commerce-2025-projects.txt"


@pytest.fixture(scope="module")
def commerce():
    return pipeline.load(COMMERCE)


def corpus_names(document) -> list[str]:
    return [t for table in document.tables for r in table.rows for t in (r.level1, r.level2, r.level3, r.description)]


def test_remembered_canonical_names_and_lexicon_lookups_equal_fresh_ones(ruleset, commerce):
    lex = ruleset.lexicons
    names = corpus_names(commerce) + list(lex.canonical) + ["", "  社会效益 ", "社会效益"]
    for text in names * 2:  # the second time from memory
        assert lex.canonical_name(text) == lex._canonical(text)
        assert lex.canonical_names[text] == lex._canonical(text)
    assert lex.canonical_name("  社会效益 ") == "社会效益指标"
    for lexicon in lex.lists.values():
        for text in names * 2:
            assert lexicon.found_in(text) == lexicon._search(text)
    assert lex["per-unit-cost"].found_in("人均培训费用") is not None


def test_memo_is_bounded_and_forgets_everything_when_full():
    calls = []
    memo = Memo(lambda text: calls.append(text) or text.upper())
    memo.LIMIT = 3
    assert [memo[t] for t in ("a", "b", "c", "a")] == ["A", "B", "C", "A"]
    assert calls == ["a", "b", "c"]  # `a` the second time from memory
    assert memo["d"] == "D" and len(memo) == 1  # full: forgot a, b, c
    assert memo["a"] == "A" and calls == ["a", "b", "c", "d", "a"]


def test_added_aliases_are_not_hidden_by_remembered_names():
    lex = Lexicons()
    assert lex.canonical_name("新兴指标类") == "新兴指标类"
    assert lex.derived("x", lambda: ["built"]) == ["built"]
    lex.add(
        Lexicon(name="extra", description="", words=("新兴指标类",), file="-", aliases={"新兴指标": ("新兴指标类",)})
    )
    assert lex.canonical_name("新兴指标类") == "新兴指标"
    assert lex.derived("x", lambda: ["again"]) == ["again"]  # derived answers are rebuilt too


@pytest.mark.parametrize(
    "patterns, text, expected",
    [
        (["bb", "a+"], "aabb", "bb"),  # the first pattern wins, not the leftmost match
        (["目标内容\\s*[0-9]*", "[XxＸｘ]{2,}"], "XX项目目标内容1", "目标内容1"),
        (["(a)(b)\\2", "c"], "xabbc", "abb"),  # groups and a backreference: searched one by one
        (["x", "(?i)ABC"], "abc", "abc"),  # an inline flag, which cannot be joined into one pattern
        (["^指标\\s*[0-9]+\\s*$"], "三级指标 1", None),
        (["^指标\\s*[0-9]+\\s*$"], "指标 1", "指标 1"),
        (["z*"], "abc", None),  # an empty match is no template text
        ([], "XX", None),
    ],
)
def test_template_finder_answers_like_one_pattern_after_another(patterns, text, expected):
    def one_by_one(text):
        for p in patterns:
            m = re.search(p, text or "")
            if m:
                return m.group(0)
        return None

    found = _template_finder(tuple(patterns))
    for _ in range(2):
        assert (found[text] or None) == expected == (one_by_one(text) or None)
    assert not found[None] and not found[""]


def test_goal_promises_remembered_per_text_keep_the_goal_number(commerce):
    stop = stopwords("goal-words")
    goals = [g for t in commerce.tables for g in t.goals]
    assert goals
    first = [(p.goal, p.clause, p.text, sorted(p.words)) for p in promises(goals, stop)]
    again = [(p.goal, p.clause, p.text, sorted(p.words)) for p in promises(goals, stop)]
    assert first and first == again
    assert goals[0] in _goal_promises(stop)
    # the same goal text as the third goal: its promises carry number 3
    twice = [(p.goal, p.clause) for p in promises(["无数字", goals[0], goals[0]], stop)]
    assert {g for g, _ in twice} <= {2, 3} and len(twice) == 2 * len(list(promises([goals[0]], stop)))


def test_checks_follow_cells_edited_in_place(ruleset):
    """Answers are remembered per text, never per row or table: a row edited in place is judged anew."""
    document = pipeline.load(COMMERCE)
    engine = Engine(ruleset, Settings(select=["GL703", "GL704", "GL705", "GL707", "GL708"]))
    before = {(f.rule_id, f.location.table, f.location.row) for f in engine.check(document)}
    table = document.tables[0]
    assert not {k for k in before if k[1] == 1}
    table.rows[1].level1 = "效益指标"  # 质量指标 under 效益指标
    table.rows[4].level2 = "社会效益类"  # unknown
    table.rows[5].value = "XX万元"  # template text
    table.rows[3].description = table.rows[2].description
    table.rows[3].level3 = table.rows[2].level3
    table.rows[3].value = table.rows[2].value
    table.rows[3].level2 = table.rows[2].level2
    after = {(f.rule_id, f.location.table, f.location.row) for f in engine.check(document)}
    assert {k for k in after if k[1] == 1} == {("GL703", 1, 2), ("GL704", 1, 5), ("GL707", 1, 6), ("GL708", 1, 4)}
    table.rows[1].level1 = table.rows[0].level1
    assert ("GL703", 1, 2) not in {(f.rule_id, f.location.table, f.location.row) for f in engine.check(document)}
