"""Configuration: discovery upward, pyproject, unknown keys with lines, ignores."""

from __future__ import annotations

from pathlib import Path

import pytest

from goallint import pipeline
from goallint.config import IndicatorIgnore, Settings, find_config, load_profile, read_config
from goallint.engine.loader import load_rules
from goallint.engine.runner import Engine
from goallint.yamlpos import RuleError

CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.fixture(scope="module")
def ruleset():
    return load_rules(plugins=False)


def test_found_upward(tmp_path):
    (tmp_path / "goallint.yaml").write_text("select: [GL1]\n", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    table = deep / "t.txt"
    table.write_text("x", encoding="utf-8")
    assert find_config(table) == tmp_path / "goallint.yaml"
    assert read_config(find_config(table)).select == ["GL1"]


def test_pyproject_tool_section(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.goallint]\nignore = ["GL105"]\nfiscal-year = 2025\n', encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    found = find_config(tmp_path / "sub" / "t.txt")
    assert found == tmp_path / "pyproject.toml"
    s = read_config(found)
    assert s.ignore == ["GL105"] and s.fiscal_year == 2025


def test_pyproject_without_section_is_skipped(tmp_path):
    (tmp_path / "goallint.yaml").write_text("ignore: [GL1]\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path / "sub" / "t.txt") == tmp_path / "goallint.yaml"


def test_unknown_key_names_file_and_line(tmp_path):
    path = tmp_path / "goallint.yaml"
    path.write_text("select: [GL1]\nfiscal-year: 2025\nignroe: [GL105]\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        read_config(path)
    assert info.value.file == str(path) and info.value.line == 3 and "ignroe" in info.value.message


def test_unknown_key_in_pyproject_has_line(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n[tool.goallint]\nselect = ["GL1"]\nselekt = ["GL2"]\n', encoding="utf-8")
    with pytest.raises(RuleError) as info:
        read_config(path)
    assert info.value.line == 5 and "selekt" in info.value.message


def test_bad_severity_override_has_line(tmp_path):
    path = tmp_path / "goallint.yaml"
    path.write_text("severity:\n  GL105: fatal\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        read_config(path)
    assert info.value.line == 2


def test_select_and_ignore_by_prefix(ruleset):
    doc = pipeline.load(CORPUS / "tianjin-commerce-2025-projects.txt")
    rest = {f.rule_id for f in Engine(ruleset, Settings(ignore=["GL1"])).check(doc)}
    assert rest and not any(i.startswith("GL1") for i in rest)  # other families still report
    ids = {f.rule_id for f in Engine(ruleset, Settings(select=["GL10"], ignore=["GL102", "reader"])).check(doc)}
    assert ids and "GL102" not in ids and all(i.startswith("GL10") for i in ids)
    cli = Engine(ruleset, Settings(select=["GL1"]), select=["GL102"]).check(doc)  # CLI select overrides
    assert {f.rule_id for f in cli} == {"GL102"}


def test_per_file_ignores(tmp_path, ruleset):
    cfg = tmp_path / "goallint.yaml"
    cfg.write_text("per-file-ignores:\n  'tianjin-commerce-*.txt': [GL103, GL102]\n", encoding="utf-8")
    s = read_config(cfg)
    engine = Engine(ruleset, s)
    commerce = {f.rule_id for f in engine.check(pipeline.load(CORPUS / "tianjin-commerce-2025-projects.txt"))}
    assert "GL103" not in commerce and "GL102" not in commerce and "GL104" in commerce
    coop_doc = pipeline.load(CORPUS / "tianjin-cooperation-2022-projects.txt")
    # the pattern does not match this file: nothing ignored there
    assert {f.rule_id for f in engine.check(coop_doc)} == {f.rule_id for f in Engine(ruleset).check(coop_doc)}


def test_per_file_ignores_take_every_selector(tmp_path, ruleset):
    """A family name, a rule name, an id prefix and ALL silence in per-file-ignores as in --ignore."""
    doc = pipeline.load(CORPUS / "tianjin-commerce-2025-projects.txt")
    every = Engine(ruleset).check(doc)
    families = {lr.rule.id: lr.rule.family for lr in ruleset.rules} | {"reader": "reader"}
    notation = {f.rule_id for f in every if families.get(f.rule_id) == "notation"}
    assert notation and {f.rule_id for f in every} - notation  # the file has notation findings and others
    for selector, silenced in (
        ("notation", notation),
        ("GL10", {i for i in notation if i.startswith("GL10")}),
        (
            next(f.rule_name for f in every if f.rule_id in notation),
            {next(f for f in every if f.rule_id in notation).rule_id},
        ),
        ("ALL", {f.rule_id for f in every}),
    ):
        suppressed: list = []
        left = Engine(ruleset, Settings(per_file_ignores={"tianjin-commerce-*.txt": [selector]})).check(
            doc, suppressed=suppressed
        )
        assert {f.rule_id for f in left} == {f.rule_id for f in every} - silenced, selector
        assert {f.rule_id for f, _ in suppressed} == silenced, selector
        assert all(reason.endswith("per-file-ignores tianjin-commerce-*.txt") for _, reason in suppressed)
    # indicator-ignores take the same selectors
    target = next(f for f in every if f.rule_id in notation and f.level3)
    ignore = IndicatorIgnore(indicator=target.level3, rules=["notation"], reason="已与财政局确认")
    left = Engine(ruleset, Settings(indicator_ignores=[ignore])).check(doc)
    assert target in every and target not in left and len(left) < len(every)


def test_indicator_ignore_needs_reason(tmp_path, ruleset):
    cfg = tmp_path / "goallint.yaml"
    cfg.write_text("indicator-ignores:\n  - {indicator: 学员培训率, rules: [GL105]}\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        read_config(cfg)
    assert info.value.line == 2 and "reason" in info.value.message
    cfg.write_text("indicator-ignores:\n  - {indicator: 学员培训率, rules: [GL105], reason: '  '}\n", encoding="utf-8")
    with pytest.raises(RuleError):
        read_config(cfg)


def test_indicator_ignore_silences_one_indicator(tmp_path, ruleset):
    doc = pipeline.load(CORPUS / "tianjin-cooperation-2022-projects.txt")
    before = [f for f in Engine(ruleset).check(doc) if f.rule_id == "GL105"]
    assert any(f.level3 == "学员培训率" for f in before)
    project = next(f.project for f in before if f.level3 == "学员培训率")
    cfg = tmp_path / "goallint.yaml"
    cfg.write_text(
        f"indicator-ignores:\n  - indicator: 学员培训率\n    project: {project}\n    rules: [GL105]\n"
        "    reason: 1 表示 100%，已与财政局确认\n",
        encoding="utf-8",
    )
    after = [f for f in Engine(ruleset, read_config(cfg)).check(doc) if f.rule_id == "GL105"]
    assert not any(f.level3 == "学员培训率" for f in after)
    assert len(after) == len(before) - 1
    cfg.write_text(
        "indicator-ignores:\n  - {indicator: 学员培训率, project: 别的项目, rules: [GL105], reason: x}\n",
        encoding="utf-8",
    )
    assert len([f for f in Engine(ruleset, read_config(cfg)).check(doc) if f.rule_id == "GL105"]) == len(before)


def test_extend_builds_on_another_file(tmp_path):
    (tmp_path / "base.yaml").write_text("ignore: [GL105]\nfiscal-year: 2024\n", encoding="utf-8")
    (tmp_path / "goallint.yaml").write_text("extend: base.yaml\nfiscal-year: 2025\n", encoding="utf-8")
    s = read_config(tmp_path / "goallint.yaml")
    assert s.ignore == ["GL105"] and s.fiscal_year == 2025


def test_builtin_profiles_load():
    p = load_profile("default", [])
    assert p.thresholds["satisfaction-floor"] == 80 and "满意度指标" in p.thresholds["required-level1"]
    assert load_profile("cost-level1", []).thresholds["cost-as-level1"] is True
    with pytest.raises(RuleError):
        load_profile("nope", [])


def test_codes_that_name_no_rule_are_errors_with_their_line(tmp_path, ruleset):
    """A typo in a rule code (GL6O3, GL77) would select or silence nothing, silently: each is an error at its line."""
    cfg = tmp_path / "goallint.yaml"
    cfg.write_text(
        "select: [GL1, GL602, time, missing-level1]\nignore:\n  - reader\n  - GL6O3\n"
        "per-file-ignores:\n  '*.txt': [GL77]\nseverity: {GL2: info}\n",
        encoding="utf-8",
    )
    errors = Engine(ruleset, read_config(cfg), select=["GL999", "ALL"], ignore=["GL105"]).unknown_selectors()
    assert errors == [
        "--select GL999：没有这样的规则（写规则编号 GL102、编号前缀 GL1、规则名称或类别；goallint rules 列出全部规则）",
        f"{cfg}:4: ignore 中的「GL6O3」：没有这样的规则（写规则编号 GL102、编号前缀 GL1、规则名称或类别；goallint rules 列出全部规则）",
        f"{cfg}:6: per-file-ignores 中的「GL77」：没有这样的规则（写规则编号 GL102、编号前缀 GL1、规则名称或类别；goallint rules 列出全部规则）",
    ]
    # ids, prefixes, names, families, ALL and the reader problems' ids, names and family all name rules
    assert (
        Engine(
            ruleset,
            Settings(select=["GL1", "missing-level1", "time", "ALL"], ignore=["GL013", "truncated-table", "reader"]),
        ).unknown_selectors()
        == []
    )
    # the one code all reader problems shared before says what to write instead
    assert Engine(ruleset, Settings(), ignore=["GL000"]).unknown_selectors() == [
        "--ignore GL000：GL000 已拆分为各自的编号 GL001…（goallint rules 列出）；全部读取问题写 reader"
    ]
