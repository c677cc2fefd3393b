"""Helpers shared by the .docx and .xlsx reader tests: a small hand-built table, comparing documents,
LibreOffice conversion."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from goallint.model import Budget, Document, IndicatorRow, Location, Table
from goallint.units import quantity

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
CORPUS_FILES = sorted(CORPUS.glob("*-projects.txt"))
HEADER = ("number", "title", "department_code", "department_name", "unit", "project", "budget", "purpose", "goals")


def rows_of(table: Table) -> list[tuple[str, ...]]:
    return [(r.level1, r.level2, r.level3, r.description, r.value) for r in table.rows]


def assert_same_tables(expected: Document, actual: Document) -> None:
    assert len(actual.tables) == len(expected.tables)
    for a, b in zip(expected.tables, actual.tables, strict=False):
        for name in HEADER:
            assert getattr(b, name) == getattr(a, name), (a.location.table, name)
        assert rows_of(b) == rows_of(a), a.location.table


def small_document(unit: str = "万元", total: float = 12.0, **table) -> Document:
    u = "wan_yuan" if unit == "万元" else "yuan"
    rows = [
        ("产出指标", "数量指标", "硬件维护数量", "维护的硬件设备数量", "≥17台"),
        ("产出指标", "数量指标", "系统开发", "系统开发", "≥1个"),
        ("产出指标", "质量指标", "系统故障率", "系统故障率", "≤5%"),
        ("产出指标", "成本指标", "硬件设备维保费", "硬件设备维保费", "≤2.5万元"),
        ("效益指标", "社会效益指标", "门户网站访问量", "门户网站访问量", "≥39万次"),
        ("满意度指标", "服务对象满意度指标", "使用人员满意度", "使用人员满意度", "≥95%"),
    ]
    fields = dict(
        number=1,
        title="信息化运维项目绩效目标表",
        department_code="573301",
        department_name="中国国际贸易促进委员会天津市分会",
        unit=unit,
        project="信息化运维项目",
        budget=Budget(total=quantity(total, u), fiscal=quantity(total, u)),
        purpose="确保现有的机房网络、安全、服务器以及操作系统可无阻碍运行。",
        goals=["确保机房网络全年无阻碍运行。", "确保门户网站网络安全，不发生网络意识形态问题。"],
        rows=[
            IndicatorRow(level1=a, level2=b, level3=c, description=d, value=v, location=Location(file="x", row=i))
            for i, (a, b, c, d, v) in enumerate(rows, 1)
        ],
        location=Location(file="x", table=1),
    )
    fields.update(table)
    return Document(path="x", format="test", tables=[Table(**fields)])


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def require_tool(*names: str) -> str:
    """The path of the first of `names` installed; CI installs them (.ci/run), so there their absence
    fails the test, elsewhere it skips it."""
    for name in names:
        if path := shutil.which(name):
            return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{names[0]} is required in CI (.ci/run installs it)")
    pytest.skip(f"{names[0]} is not installed")


def require_soffice() -> str:
    """LibreOffice makes (and reads) the legacy files and the PDFs."""
    return require_tool("soffice", "libreoffice")


def convert(path: Path, to: str, outdir: Path) -> Path:
    outdir.mkdir(exist_ok=True)
    profile = outdir / "profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = outdir / (path.stem + "." + to.split(":")[0])
    assert out.is_file()
    return out
