"""Fiscal year: user-given, stated by the document, or inferred from its time targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from goallint.fiscal_year import assign_fiscal_year, row_years, stated_years
from goallint.model import Deadline, Document, IndicatorRow, Location, Mixed, Numeric, Qualitative, Schedule, Table
from goallint.readers import word_dump

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
EXPECTED = {
    "tianjin-ccpit-2023-projects.txt": 2023,
    "tianjin-commerce-2025-projects.txt": 2025,
    "tianjin-cooperation-2022-projects.txt": 2022,
}


def row(level2: str = "数量指标", value: str = "", target=None, level3: str = "") -> IndicatorRow:
    return IndicatorRow(
        level1="产出指标", level2=level2, level3=level3, value=value, target=target, location=Location(file="t.txt")
    )


def deadline(year: int | None, raw: str = "") -> Deadline:
    return Deadline(raw=raw or f"{year}年12月底前", year=year, month=12, period="month_end", bound="before")


def table(*rows: IndicatorRow, title: str | None = None, project: str | None = None, goals=()) -> Table:
    return Table(title=title, project=project, rows=list(rows), goals=list(goals), location=Location(file="t.txt"))


def doc(*tables: Table) -> Document:
    return Document(path="t.txt", format="test", tables=list(tables))


# --------------------------------------------------------------------------- stated


def test_stated_forms():
    assert [y for y, _ in stated_years("YW（市级）天津市商务局办公自动化系统运维项目（2025年）")] == [2025]
    assert [y for y, _ in stated_years("部门整体支出绩效目标表（2025年度）")] == [2025]
    assert [y for y, _ in stated_years("完成2025年度办公自动化系统运维整体工作")] == [2025]
    assert [y for y, _ in stated_years("2024年部门预算")] == [2024]
    # a bare year names the activity, not the budget year
    assert stated_years("2023年PECC国际贸易投资博览会绩效目标表") == []
    assert stated_years("WZ2024年天津市开发区综合评价项目尾款") == []
    assert stated_years("2023年12月底前完成") == []


def test_user_year_wins():
    d = doc(table(row("时效指标", target=deadline(2023)), title="（2025年度）"))
    assign_fiscal_year(d, given=2024)
    assert (d.fiscal_year.year, d.fiscal_year.source) == (2024, "user")
    assert (d.tables[0].fiscal_year.year, d.tables[0].fiscal_year.source) == (2024, "user")


def test_stated_beats_inferred():
    d = doc(
        table(
            row("时效指标", target=deadline(2024)), row("时效指标", target=deadline(2024)), project="某项目（2025年）"
        ),
        table(row("时效指标", target=deadline(2024))),
    )
    assign_fiscal_year(d)
    assert (d.fiscal_year.year, d.fiscal_year.source) == (2025, "stated")
    assert "2025" in d.fiscal_year.evidence
    # the second table states nothing: it takes the document's year
    assert d.tables[1].fiscal_year == d.fiscal_year


def test_table_statement_beats_document():
    d = doc(
        table(title="甲项目（2025年）绩效目标表"),
        table(title="乙项目（2025年）绩效目标表"),
        table(title="丙项目绩效目标表", project="丙项目（2024年度）"),
    )
    assign_fiscal_year(d)
    assert d.fiscal_year.year == 2025
    assert [t.fiscal_year.year for t in d.tables] == [2025, 2025, 2024]
    assert d.tables[2].fiscal_year.source == "stated"


def test_goals_state_the_document_year_but_not_a_table_year():
    d = doc(table(row("时效指标", value="2023年底前"), goals=["完成2025年度运维工作"]))
    assign_fiscal_year(d)
    assert (d.fiscal_year.year, d.fiscal_year.source) == (2025, "stated")
    assert d.tables[0].fiscal_year.year == 2025  # inherited from the document


# --------------------------------------------------------------------------- inferred


def test_inferred_from_deadline_schedule_and_mixed_targets():
    d = doc(
        table(
            row("时效指标", target=deadline(2023)),
            row("时效指标", target=Schedule(raw="2023年4月、7月", months=[4, 7], year=2023)),
            row("质量指标", target=Mixed(raw="2022年底前完成", measure=deadline(2022, "2022年底前"), after="完成")),
            row("数量指标", target=Numeric(raw="≥2025个", number=2025, number_text="2025")),
        )
    )
    assign_fiscal_year(d)
    assert (d.fiscal_year.year, d.fiscal_year.source) == (2023, "inferred")
    assert "2023" in d.fiscal_year.evidence
    assert d.tables[0].fiscal_year == d.fiscal_year


def test_inferred_from_time_row_text_without_target():
    # the value parser has not run (target None), or read the cell as qualitative text
    d = doc(
        table(
            row("时效指标", value="2022年下半年"),
            row("时效指标", value="按时", level3="2022年全年"),
            row("时效指标", value="全年", target=Qualitative(raw="全年", text="全年")),
            row("数量指标", value="2021年数据", target=Qualitative(raw="2021年数据", text="2021年数据")),
        )
    )
    assign_fiscal_year(d)
    assert (d.fiscal_year.year, d.fiscal_year.source) == (2022, "inferred")


def test_years_outside_time_rows_only_count_through_targets():
    assert row_years(row("数量指标", value="2021年数据")) == set()
    assert row_years(row("数量指标", value="x", target=deadline(2021))) == {2021}
    assert row_years(row("时效指标", value="2022年12月", target=deadline(2022))) == {2022}  # once per row


def test_most_common_year_and_ties_to_the_later():
    d = doc(table(row("时效指标", target=deadline(2024)), row("时效指标", target=deadline(2025))))
    assign_fiscal_year(d)
    assert d.fiscal_year.year == 2025
    d = doc(
        table(
            row("时效指标", target=deadline(2024)),
            row("时效指标", target=deadline(2024)),
            row("时效指标", target=deadline(2025)),
        )
    )
    assign_fiscal_year(d)
    assert d.fiscal_year.year == 2024


def test_no_evidence_leaves_none():
    d = doc(table(row("数量指标", value="≥1个")))
    assign_fiscal_year(d)
    assert d.fiscal_year is None
    assert d.tables[0].fiscal_year is None


# --------------------------------------------------------------------------- corpus


@pytest.mark.parametrize("name,year", list(EXPECTED.items()))
def test_corpus_years_from_the_reader(name, year):
    d = word_dump.read(CORPUS / name)
    assign_fiscal_year(d)
    assert d.fiscal_year.year == year
    assert {t.fiscal_year.year for t in d.tables} == {year}


def test_corpus_sources():
    sources = {}
    for name in EXPECTED:
        d = word_dump.read(CORPUS / name)
        assign_fiscal_year(d)
        sources[name] = d.fiscal_year.source
    # the commerce titles say `（2025年）`; the other two state no year and are inferred from 时效指标
    assert sources == {
        "tianjin-ccpit-2023-projects.txt": "inferred",
        "tianjin-commerce-2025-projects.txt": "stated",
        "tianjin-cooperation-2022-projects.txt": "inferred",
    }


def _parser_available() -> bool:
    try:
        from goallint.values import parse_value  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _parser_available(), reason="goallint.values.parse_value not written yet")
@pytest.mark.parametrize("name,year", list(EXPECTED.items()))
def test_corpus_years_through_the_pipeline(name, year):
    from goallint.pipeline import load

    d = load(CORPUS / name)
    assert d.fiscal_year.year == year
    assert all(t.fiscal_year.year == year for t in d.tables)
    assert load(CORPUS / name, fiscal_year=2030).fiscal_year.source == "user"


def test_a_canonical_files_stated_year_beats_the_years_of_its_deadlines(tmp_path):
    """`fiscal-year: 2024` at the top of a canonical file states the document's year: a table without its
    own takes it, not the year its deadlines imply (2022), so a deadline two years old is reported."""
    from goallint import api, readers
    from goallint.fiscal_year import assign_fiscal_year

    path = tmp_path / "t.yaml"
    path.write_text(
        "goallint: 1\nfiscal-year: 2024\ntables:\n  - project: 展馆改造项目\n    rows:\n"
        "      - {level1: 产出指标, level2: 时效指标, level3: 改造完成时间, value: 2022年12月底前完成}\n",
        encoding="utf-8",
    )
    document = readers.read(path)
    assign_fiscal_year(document)
    assert (document.fiscal_year.year, document.fiscal_year.source) == (2024, "stated")
    assert document.tables[0].fiscal_year.year == 2024
    codes = [f.rule_id for r in api.check([path], config=None).files for f in r.findings]
    assert "GL501" in codes
