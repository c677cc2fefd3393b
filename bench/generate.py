"""Synthetic corpus of project tables (项目支出绩效目标表) drawn from the real corpus, for benchmarks.

    python bench/generate.py OUT_DIR --rows 100000 [--formats json,yaml,txt,xlsx] [--seed 7]

Writes OUT_DIR/<format>/dept-NNNNN.<ext>: one file per department, each holding many tables of a
few dozen rows at most, as a province's budget would be published. Everything is sampled from the
real tables in tests/data/corpus/ (the three Word-dump project files):

* a table copies the shape of a real table (its 一级/二级指标 sequence, so category mixes stay real)
  and fills each slot with a real row of the same 一级/二级指标, so values, names and categories
  follow the corpus distribution, repeated values (≥90%, 100%, …) and defects (≥90百分比, units
  that are no units, 3个工作日 under 满意度, …) included;
* a third of the values that are no rates get their digits redrawn (same number of digits, years
  kept), so the number of distinct values grows with the corpus as in real data (amounts and
  counts differ by project);
* headers (department, project, unit, budget, goals) come from real tables; 5 % of budgets do not
  add up (预算数 ≠ 财政资金 + 其他资金) and 3 % of tables lose their 满意度指标 block, as real ones do.

Formats: canonical JSON and YAML (`goallint:` files), the Word dump layout (.txt), and Excel in the
long layout (.xlsx, one sheet per department file). The same seed gives the same tables in every
format, so the formats can be compared row for row.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
CORPUS_FILES = (
    "tianjin-ccpit-2023-projects.txt",
    "tianjin-commerce-2025-projects.txt",
    "tianjin-cooperation-2022-projects.txt",
)
FORMATS = ("json", "yaml", "txt", "xlsx")
LONG_HEADER = [
    "项目名称",
    "单位",
    "预算数",
    "财政资金",
    "其他资金",
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
]
_DIGITS = re.compile(r"\d+")


@dataclass
class Pool:
    shapes: list[list[tuple[str, str]]]  # the (一级, 二级) sequence of each real table
    rows: dict[tuple[str, str], list[tuple[str, str, str]]]  # (一级, 二级) → (三级, 描述, 指标值)
    headers: list[dict]  # department, project, unit, budget, purpose, goals of real tables
    years: list[int]


def load_pool() -> Pool:
    sys.path.insert(0, str(ROOT / "src"))
    from goallint import pipeline

    shapes, rows, headers, years = [], defaultdict(list), [], []
    for name in CORPUS_FILES:
        document = pipeline.load(CORPUS / name)
        for table in document.tables:
            if not table.rows:
                continue
            shapes.append([(r.level1, r.level2) for r in table.rows])
            for r in table.rows:
                rows[(r.level1, r.level2)].append((r.level3, r.description, r.value))
            b = table.budget
            headers.append(
                dict(
                    code=table.department_code or "",
                    department=table.department_name or "",
                    unit=table.unit or "万元",
                    project=table.project or "",
                    total=None if b.total is None else float(b.total.magnitude),
                    fiscal=None if b.fiscal is None else float(b.fiscal.magnitude),
                    other=None if b.other is None else float(b.other.magnitude),
                    purpose=table.purpose,
                    goals=list(table.goals),
                )
            )
            years.append(table.fiscal_year.year if table.fiscal_year else 2025)
    return Pool(shapes, dict(rows), headers, years)


def _redraw_digits(value: str, rng: random.Random) -> str:
    if "%" in value or "百分" in value:  # rates keep their real values (≥90%, 100%)
        return value

    def one(m: re.Match) -> str:
        text = m.group(0)
        if len(text) == 4 and text.startswith("20"):  # a year stays the table's
            return text
        if len(text) == 1:
            return str(rng.randint(1, 9))
        return str(rng.randint(10 ** (len(text) - 1), 10 ** len(text) - 1))

    return _DIGITS.sub(one, value)


def make_table(pool: Pool, rng: random.Random, number: int, department: tuple[str, str, str], serial: int) -> dict:
    shape = rng.choice(pool.shapes)
    if rng.random() < 0.03:  # a real defect: the 满意度 block left out
        shape = [s for s in shape if not s[0].startswith("满意度")] or shape
    rows = []
    for key in shape:
        level3, description, value = rng.choice(pool.rows[key])
        if rng.random() < 0.33:
            value = _redraw_digits(value, rng)
        rows.append([key[0], key[1], level3, description, value])
    header = rng.choice(pool.headers)
    scale = rng.choice((1, 1, 1, 1.5, 2, 3.7))
    total = None if header["total"] is None else round(header["total"] * scale, 2)
    other = None if header["other"] is None else round(header["other"] * scale, 2)
    fiscal = None if header["fiscal"] is None else round(header["fiscal"] * scale, 2)
    if total is not None and rng.random() < 0.05:  # a real defect: the budget does not add up
        fiscal = round(total * rng.choice((0.9, 1.1)), 2)
    code, name, unit = department
    project = header["project"] or "项目"
    return dict(
        number=number,
        title=f"{project}（{serial}）绩效目标表",
        department={"code": code, "name": name},
        unit=unit,
        project=f"{project}（{serial}）",
        budget={"total": total, "fiscal": fiscal, "other": other},
        purpose=header["purpose"],
        goals=header["goals"],
        rows=rows,
    )


def departments(pool: Pool, total_rows: int, seed: int):
    """Yield (file number, fiscal year, tables) until `total_rows` indicator rows are made."""
    rng = random.Random(seed)
    made, serial, file_number = 0, 0, 0
    names = sorted({(h["code"], h["department"]) for h in pool.headers if h["department"]})
    while made < total_rows:
        file_number += 1
        code, name = rng.choice(names)
        department = (
            f"{int(code or 500000) + file_number:06d}",
            f"{name}（第{file_number}单位）",
            rng.choice(("万元", "万元", "万元", "元")),
        )
        year = rng.choice(pool.years)
        tables = []
        for number in range(1, rng.randint(5, 60) + 1):
            serial += 1
            table = make_table(pool, rng, number, department, serial)
            if department[2] == "元":
                for k, v in table["budget"].items():
                    table["budget"][k] = None if v is None else round(v * 10000, 2)
            room = total_rows - made
            table["rows"] = table["rows"][:room]
            made += len(table["rows"])
            tables.append(table)
            if made >= total_rows:
                break
        yield file_number, year, tables


# --------------------------------------------------------------------------- writers


def canonical(name: str, year: int, tables: list[dict]) -> dict:
    return {"goallint": 1, "source": name, "fiscal-year": year, "tables": tables}


def write_json(path: Path, year: int, tables: list[dict]) -> None:
    # one row per line, as `goallint parse` lays YAML out: files stay diffable and line numbers useful
    head = json.dumps({"goallint": 1, "source": path.name, "fiscal-year": year}, ensure_ascii=False)[:-1]
    out = [head + ', "tables": [\n']
    for i, table in enumerate(tables):
        rows = table["rows"]
        meta = json.dumps({k: v for k, v in table.items() if k != "rows"}, ensure_ascii=False)[:-1]
        out.append(f'  {meta}, "rows": [\n')
        out.append(",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in rows))
        out.append("\n  ]}" + ("," if i < len(tables) - 1 else "") + "\n")
    out.append("]}\n")
    path.write_text("".join(out), encoding="utf-8")


def _yq(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def write_yaml(path: Path, year: int, tables: list[dict]) -> None:
    out = [f"goallint: 1\nsource: {_yq(path.name)}\nfiscal-year: {year}\ntables:\n"]
    for t in tables:
        b = t["budget"]
        nums = ", ".join(f"{k}: {'null' if v is None else v}" for k, v in b.items())
        out.append(
            f"  - number: {t['number']}\n    title: {_yq(t['title'])}\n"
            f"    department: {{code: {_yq(t['department']['code'])}, name: {_yq(t['department']['name'])}}}\n"
            f"    unit: {t['unit']}\n    project: {_yq(t['project'])}\n    budget: {{{nums}}}\n"
            f"    purpose: {_yq(t['purpose'])}\n    goals:\n"
        )
        out.extend(f"      - {_yq(g)}\n" for g in t["goals"])
        out.append("    rows:\n")
        out.extend(f"      - [{', '.join(_yq(c) for c in r)}]\n" for r in t["rows"])
    path.write_text("".join(out), encoding="utf-8")


def _cell(text: str) -> str:
    return "\t" + text.replace("\n", "\n")


def write_txt(path: Path, year: int, tables: list[dict]) -> None:
    """The Word dump layout of tests/data/corpus/*-projects.txt (merged 一级/二级 cells left empty)."""
    out = []
    for t in tables:
        b = t["budget"]
        amount = lambda v: " " if v is None else f"{v:.2f}"  # noqa: E731
        dept = t["department"]
        out.append(f"[bookmark: _Toc_{t['number']}]{t['number']}.{t['title']}")
        out += [_cell(dept["code"] + dept["name"]), _cell(f"单位：{t['unit']}"), ""]
        out += [_cell("项目名称"), _cell(t["project"]), ""]
        out += [
            _cell("预算规模及资金用途"),
            _cell("预算数"),
            _cell(amount(b["total"])),
            _cell("其中：财政    资金"),
            _cell(amount(b["fiscal"])),
            _cell("其他资金"),
            _cell(amount(b["other"])),
            "",
            _cell(""),
            _cell(t["purpose"] or " "),
            "",
        ]
        goals = "\n".join(f"{i}.{g}" for i, g in enumerate(t["goals"], 1)) or " "
        out += [_cell("绩效目标"), _cell(goals), "", "", " "]
        out += [_cell(c) for c in ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值")]
        prev = ("", "")
        for level1, level2, level3, description, value in t["rows"]:
            out.append("")
            out.append(_cell(level1 if level1 != prev[0] else ""))
            out.append(_cell(level2))
            out += [_cell(level3), _cell(description), _cell(value)]
            prev = (level1, level2)
        out += ["", "", "", " "]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_xlsx(path: Path, year: int, tables: list[dict]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("绩效目标表")
    sheet.append(LONG_HEADER)
    for t in tables:
        b = t["budget"]
        goals = "\n".join(f"{i}.{g}" for i, g in enumerate(t["goals"], 1))
        first = True
        for row in t["rows"]:
            head = (
                [t["project"], t["unit"], b["total"], b["fiscal"], b["other"], goals]
                if first
                else [t["project"], None, None, None, None, None]
            )
            sheet.append(head + list(row))
            first = False
    workbook.save(str(path))


WRITERS = {
    "json": (write_json, ".json"),
    "yaml": (write_yaml, ".yaml"),
    "txt": (write_txt, ".txt"),
    "xlsx": (write_xlsx, ".xlsx"),
}


def generate(out: Path, rows: int, formats: list[str], seed: int = 7) -> dict[str, int]:
    """Write the corpus; return the number of files per format."""
    pool = load_pool()
    counts = dict.fromkeys(formats, 0)
    for fmt in formats:
        (out / fmt).mkdir(parents=True, exist_ok=True)
    for number, year, tables in departments(pool, rows, seed):
        for fmt in formats:
            writer, ext = WRITERS[fmt]
            writer(out / fmt / f"dept-{number:05d}{ext}", year, tables)
            counts[fmt] += 1
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--formats", default="json,yaml,txt,xlsx")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats {sorted(unknown)}; choose from {', '.join(FORMATS)}")
    counts = generate(args.out, args.rows, formats, args.seed)
    print(f"{args.rows} rows → {args.out}: " + ", ".join(f"{n} {fmt} files" for fmt, n in counts.items()))


if __name__ == "__main__":
    main()
