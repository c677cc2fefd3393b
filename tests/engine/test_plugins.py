"""Plugin discovery through a real dist-info directory on sys.path (entry point group goallint.rules)."""

from __future__ import annotations

import sys
import textwrap

from goallint.engine.loader import load_rules

RULE = textwrap.dedent(
    """\
    id: PX001
    name: plugin-rule
    family: plugin-checks
    severity: info
    summary: {zh: 插件规则, en: plugin rule}
    message: {zh: "「{indicator}」{marker}", en: "'{indicator}' {marker}"}
    explanation: {zh: 插件提供的表级检查。}
    scope: table
    check: plugin-marker
    examples:
      fail:
        - table: {rows: [[产出指标, 数量指标, 标记, "", ≥1个]]}
      pass:
        - table: {rows: [[产出指标, 数量指标, 其他, "", ≥1个]]}
    """
)

MODULE = textwrap.dedent(
    """\
    from pathlib import Path
    from goallint.engine.checks import Hit, register_check

    @register_check("plugin-marker", placeholders={"marker": "a word"})
    def marker(ctx):
        for row in ctx.rows:
            if row.level3 == "标记":
                yield Hit(row=row, values={"marker": "被插件标记"})

    def rules():
        return Path(__file__).parent / "rules"
    """
)


def test_entry_point_adds_rules_and_checks(tmp_path, monkeypatch):
    pkg = tmp_path / "goallint_demo_plugin"
    (pkg / "rules" / "demo").mkdir(parents=True)
    (pkg / "__init__.py").write_text(MODULE, encoding="utf-8")
    (pkg / "rules" / "demo" / "PX001-plugin-rule.yaml").write_text(RULE, encoding="utf-8")
    dist = tmp_path / "goallint_demo_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: goallint-demo-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text("[goallint.rules]\ndemo = goallint_demo_plugin:rules\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    rs = load_rules()
    assert rs.errors == []
    lr = rs.by_id("PX001")
    assert lr is not None and lr.origin == "plugin:demo" and lr.check.name == "plugin-marker"
    assert rs.by_id("GL101") is not None  # built-ins still there

    from goallint.engine.examples import run_rule_examples

    count, mismatches = run_rule_examples(lr, rs)
    assert count == 2 and mismatches == []
    sys.modules.pop("goallint_demo_plugin", None)


def test_broken_plugin_is_reported_not_fatal(tmp_path, monkeypatch):
    dist = tmp_path / "goallint_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: goallint-broken\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[goallint.rules]\nbroken = no_such_module_xyz:rules\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    rs = load_rules()
    assert any("plugin broken" in str(e) and "cannot load" in str(e) for e in rs.errors)
    assert rs.by_id("GL101") is not None
