"""The fast path gives exactly the findings of a plain, uncached run.

Fast path: JSON row lines from json_lines.scan, row rules decided once per distinct row content
(engine/fastpath.py), memoised text matchers, the value scanner before lark (values/scan.py), parsed
values cached by text, rule files read from the parse cache. Plain: every one of these off. Both run every rule (disabled ones too) over the
real corpus, the examples, canonical JSON made from the corpus, and a synthetic corpus from
bench/generate.py in which the same rows recur in tables with other budgets and fiscal years.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from builders.bench import bench_generate
from goallint import canonical, pipeline, yamlpos
from goallint.engine import compile as compile_module
from goallint.engine import fastpath
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.readers import json_lines
from goallint.readers.canonical import _positions, _resolve
from goallint.units import registry
from goallint.values import clear_cache, parse_uncached, scan
from goallint.values.lexicon import base_of, unit_table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt"))
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".txt", ".yaml", ".csv", ".xlsx", ".docx"))


def _generate(tmp: Path, rows: int) -> list[Path]:
    generate = bench_generate()
    generate.generate(tmp, rows, ["json", "txt"], seed=3)
    return sorted((tmp / "json").glob("*.json")) + sorted((tmp / "txt").glob("*.txt"))[:3]


def _corpus_as_json(tmp: Path) -> list[Path]:
    """Canonical JSON of the corpus tables (as `json.dumps` of the canonical YAML), laid out three ways."""
    from ruamel.yaml import YAML

    tmp.mkdir(parents=True, exist_ok=True)
    out = []
    for i, path in enumerate(CORPUS):
        data = YAML(typ="safe", pure=True).load(canonical.dump_yaml(pipeline.load(path)))
        target = tmp / f"{path.stem}.json"
        target.write_text(json.dumps(data, ensure_ascii=False, indent=(None, 1, 4)[i % 3]), encoding="utf-8")
        out.append(target)
    return out


def _findings(paths: list[Path], *, fast: bool, monkeypatch) -> list[dict]:
    fastpath.ENABLED = compile_module.MEMOIZE = scan.ENABLED = fast
    if fast:
        monkeypatch.delenv("GOALLINT_NO_CACHE", raising=False)
        monkeypatch.setattr(pipeline, "parse_value", pipeline.parse_value)
        monkeypatch.setattr(json_lines, "scan", json_lines.scan)
    else:
        monkeypatch.setenv("GOALLINT_NO_CACHE", "1")
        uncached = parse_uncached
        monkeypatch.setattr(pipeline, "parse_value", lambda text: uncached(text if isinstance(text, str) else ""))
        monkeypatch.setattr(json_lines, "scan", lambda text: None)  # lines from the ruamel tree
    clear_cache()
    ruleset = load_rules()
    assert not ruleset.errors
    engine = Engine(ruleset, extend_select=[lr.id for lr in ruleset.rules])  # disabled rules too
    out = []
    for path in paths:
        out.extend(f.model_dump(mode="json") for f in engine.check(pipeline.load(path)))
    return out


@pytest.fixture
def restore_switches():
    yield
    fastpath.ENABLED = compile_module.MEMOIZE = scan.ENABLED = True
    clear_cache()


def test_fast_and_plain_runs_give_the_same_findings(tmp_path, monkeypatch, restore_switches):
    paths = CORPUS + EXAMPLES + _corpus_as_json(tmp_path / "canonical") + _generate(tmp_path / "synthetic", 1500)
    plain = _findings(paths, fast=False, monkeypatch=monkeypatch)
    fast = _findings(paths, fast=True, monkeypatch=monkeypatch)
    assert len(plain) > 500  # the comparison is about something
    assert {f["rule"] if "rule" in f else f["rule_id"] for f in plain} >= {"GL102", "GL401", "GL701"}
    assert fast == plain


def test_fast_path_decides_repeated_rows_once(tmp_path, restore_switches):
    fastpath.ENABLED = True
    ruleset = load_rules()
    engine = Engine(ruleset)
    paths = _generate(tmp_path, 2000)[:-3]
    rows = 0
    for path in paths:
        document = pipeline.load(path)
        rows += sum(len(t.rows) for t in document.tables)
        engine.check(document)
    # the synthetic corpus repeats rows, as real ones do: far fewer decisions than rows
    assert 0 < len(engine.decisions.memory) < rows * 0.8
    # and far fewer distinct names than rows: the selectors that read only names are asked once per names
    assert any(engine.decisions.by_names) and not all(engine.decisions.by_names)
    assert 0 < len(engine.decisions.picked_memory) < len(engine.decisions.memory)


def test_selectors_reading_the_value_are_known():
    from goallint.engine.compile import selector_reads_value
    from goallint.engine.schema import Selector

    assert not selector_reads_value(
        Selector.model_validate({"level2": "满意度指标", "indicator": {"contains": "满意"}})
    )
    assert selector_reads_value(Selector.model_validate({"level2": "成本指标", "value": {"contains": "万元"}}))
    assert selector_reads_value(Selector.model_validate({"any": [{"level1": "产出指标"}, {"value": {"empty": True}}]}))
    assert selector_reads_value(Selector.model_validate({"not": {"value": {"regex": "^≥"}}}))


@pytest.mark.parametrize("indent", [None, 0, 2, "\t"])
def test_json_line_scan_matches_ruamel(tmp_path, indent):
    rng = random.Random(5)
    tables = []
    for t in range(4):
        rows = [
            [f"产出指标{rng.randint(0, 9)}", "数量指标", "名称\\“引号”", "", f"≥{rng.randint(1, 99)}%"]
            for _ in range(rng.randint(0, 6))
        ]
        if rows:
            rows[0] = {"level1": "满意度指标", "value": "≥95%"}
        tables.append(
            {
                "number": t + 1,
                "unit": "万元",
                "budget": {"total": 12.5, "fiscal": None},
                "goals": ["a", "b"],
                "rows": rows,
            }
        )
    text = json.dumps({"goallint": 1, "fiscal-year": 2025, "tables": tables}, ensure_ascii=False, indent=indent)
    lines = json_lines.scan(text)
    tree = _positions(text)
    assert lines and ("tables", 0) in lines
    for path, line in lines.items():
        assert _resolve(tree, path)[0] == line, path


def test_json_line_scan_leaves_other_line_breaks_to_ruamel():
    assert json_lines.scan('{"goallint": 1,\r\n "tables": []}') is None


def test_unit_factors_equal_pint_conversions():
    rng = random.Random(11)
    units = sorted(set(unit_table().values()))
    checked = 0
    for unit in units:
        for value in [0, 1, 90, 95, 2.5, 0.1, 39e4, *(rng.uniform(0, 1e7) for _ in range(20))]:
            try:
                q = registry().Quantity(value, unit).to_base_units()
            except Exception:  # noqa: BLE001, S112 - units that have no base conversion are not used so
                continue
            expected = (
                float(f"{float(q.magnitude):.12g}"),
                "fraction" if q.dimensionless else f"{q.units}".replace(" ", ""),
            )
            assert base_of(value, unit) == expected, (value, unit)
            checked += 1
    assert checked > 500


def test_rule_parse_cache_is_keyed_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("GOALLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(yamlpos, "_cache", None)
    rule = tmp_path / "r.yaml"
    rule.write_text("a: 1\n", encoding="utf-8")
    assert yamlpos.load_plain(rule)[0] == {"a": 1}
    yamlpos.save_cache()
    assert yamlpos.cache_path().exists()
    monkeypatch.setattr(yamlpos, "_cache", None)  # a new process: read from the cache file
    rule.write_text("a: 2\n", encoding="utf-8")  # same size, same second: still read anew
    data, tree = yamlpos.load_plain(rule)
    assert data == {"a": 2} and tree()["a"] == 2


def test_a_rule_failing_at_run_time_is_skipped_from_then_on_in_both_paths(tmp_path, monkeypatch, restore_switches):
    rules = tmp_path / "rules"
    rules.mkdir()
    bad = ROOT / "tests" / "data" / "hostile" / "rules" / "runtime" / "XX003-bad-format.yaml"
    (rules / bad.name).write_text(bad.read_text(encoding="utf-8"), encoding="utf-8")
    paths = CORPUS[:1] * 2 + CORPUS[1:]  # the satisfaction rows recur after the rule has failed
    runs = []
    for fast in (False, True):
        fastpath.ENABLED = compile_module.MEMOIZE = fast
        clear_cache()
        ruleset = load_rules([rules])
        engine = Engine(ruleset)
        found = [f.model_dump(mode="json") for p in paths for f in engine.check(pipeline.load(p))]
        failures = [str(lr.failure) for lr in ruleset.rules if getattr(lr, "failure", None) is not None]
        runs.append((found, failures))
    assert runs[0][1] and "XX003" in runs[0][1][0]
    assert sum(1 for f in runs[0][0] if f["rule_id"] == "XX003") == 1  # the finding on which it failed
    assert runs[1] == runs[0]


def test_rows_with_the_same_text_but_another_target_are_decided_apart(restore_switches):
    """A caller may set targets itself (the web page, plugins): the decision follows the target."""
    from goallint.model import Document, IndicatorRow, Location, Table
    from goallint.values import parse_value

    def rows():
        out = []
        for i, shown in enumerate(("≥90%", "≥90%", "≥90%")):
            row = IndicatorRow(
                level1="产出指标",
                level2="质量指标",
                level3="验收合格率",
                value=shown,
                location=Location(file="t", table=1, row=i + 1),
            )
            row.target = parse_value("≥190%" if i == 1 else shown)  # the second row's target says otherwise
            out.append(row)
        return out

    results = []
    for fast in (False, True):
        fastpath.ENABLED = compile_module.MEMOIZE = fast
        engine = Engine(load_rules(), select=["GL301"])
        document = Document(path="t", format="yaml", tables=[Table(rows=rows(), location=Location(file="t", table=1))])
        results.append([(f.rule_id, f.location.row) for f in engine.check(document)])
    assert results[0] == [("GL301", 2)]
    assert results[1] == results[0]


def test_a_check_run_collects_less_and_gives_the_process_back():
    import gc

    from goallint import run

    before = gc.get_threshold()
    checker = run.Checker(run.CheckOptions(no_config=True))
    seen = []
    for result, _errors in run._checked(CORPUS[:2], checker, checker.options, 1, None):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0, len(result.findings)))
    assert [s[:2] for s in seen] == [(run.GC_THRESHOLD, True)] * 2
    assert all(s[2] > 0 for s in seen)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_rows_whose_target_the_value_cache_forgot_are_decided_afresh(restore_switches):
    """The row-decision memory is keyed by text and used only for the parser's current answer."""
    fastpath.ENABLED = compile_module.MEMOIZE = True
    clear_cache()
    engine = Engine(load_rules())
    document = pipeline.load(CORPUS[0])
    first = [f.model_dump(mode="json") for f in engine.check(document)]
    remembered = len(engine.decisions.memory)
    assert remembered > 0
    clear_cache()  # the document's targets are no longer the cache's: nothing is looked up or added
    engine.decisions.memory.clear()
    assert [f.model_dump(mode="json") for f in engine.check(document)] == first
    assert len(engine.decisions.memory) == 0
    again = pipeline.load(CORPUS[0])  # parsed anew: the memory is used again
    assert [f.model_dump(mode="json") for f in engine.check(again)] == first
    assert len(engine.decisions.memory) == remembered


def test_messages_quoting_the_table_are_made_for_each_table(tmp_path, restore_switches):
    """A row rule's messages are remembered per row content only when they quote nothing of the table."""
    from goallint.model import Document, IndicatorRow, Location, Table

    rules = tmp_path / "rules"
    rules.mkdir()
    for rule_id, message in (
        ("XX901", "「{project}」的「{indicator}」：{value}"),
        ("XX902", "「{indicator}」：{value}"),
    ):
        (rules / f"{rule_id}.yaml").write_text(
            f"id: {rule_id}\nname: capped-{rule_id.lower()}\nfamily: test\nseverity: warning\n"
            f"summary: {{zh: 上限, en: capped}}\nmessage: {{zh: '{message}', en: '{message}'}}\n"
            "explanation: {zh: 说明, en: explained}\n"
            "selectors: {level3: {contains: 满意度}}\nconditions: {comparator: ['≤']}\n"
            "examples: {fail: [{level3: 满意度, value: ≤90%}], pass: [{level3: 满意度, value: ≥90%}]}\n",
            encoding="utf-8",
        )
    ruleset = load_rules([rules])
    assert not ruleset.errors

    def table(number: int, project: str) -> Table:
        row = IndicatorRow(
            level1="满意度指标",
            level2="服务对象满意度指标",
            level3="群众满意度",
            value="≤90%",
            location=Location(file="t", table=number, row=1),
        )
        return Table(number=number, project=project, rows=[row], location=Location(file="t", table=number))

    document = pipeline.parse_targets(
        Document(path="t", format="yaml", tables=[table(1, "甲项目"), table(2, "乙项目")])
    )
    fastpath.ENABLED = compile_module.MEMOIZE = True
    engine = Engine(ruleset, select=["XX901", "XX902"])
    messages = [(f.rule_id, f.location.table, f.message_zh) for f in engine.check(document)]
    assert messages == [
        ("XX901", 1, "「甲项目」的「群众满意度」：≤90%"),
        ("XX902", 1, "「群众满意度」：≤90%"),
        ("XX901", 2, "「乙项目」的「群众满意度」：≤90%"),
        ("XX902", 2, "「群众满意度」：≤90%"),
    ]
    entry = next(iter(engine.decisions.memory.values()))
    assert list(entry.messages.values()) == [("「群众满意度」：≤90%", "「群众满意度」：≤90%")]  # XX902's only


def test_a_location_with_another_column_is_a_copy_with_that_column():
    from goallint.engine.runner import _with_column
    from goallint.model import Location

    where = Location(file="a.xlsx", table=2, row=3, column="三级指标", line=None, sheet="表1", cell="G9")
    moved = _with_column(where, "指标值")
    assert moved == where.model_copy(update={"column": "指标值"}) and moved is not where
    assert where.column == "三级指标"


def test_a_checked_document_is_freed_without_the_cycle_collector(tmp_path):
    """Nothing of a checked table is left in a reference cycle: freed as soon as its file is done, not by the
    collector (an error kept with its traceback once held every frame above it, and so the whole document)."""
    import gc
    import io

    from goallint.report import json as json_report
    from goallint.run import CheckOptions, StreamedRun

    paths = CORPUS + _corpus_as_json(tmp_path / "canonical") + _generate(tmp_path / "synthetic", 300)
    run = StreamedRun(paths, CheckOptions(no_config=True))
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        json_report.stream(run, io.StringIO())
        gc.collect()
        kept = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert sum(r.rows for r in run.files) > 1000
    assert not kept & {"Document", "Table", "IndicatorRow", "Location", "Finding", "frame", "traceback"}, kept
