"""File types against the fastest reader of each: .xlsx, .xls and .docx (issue 18's performance targets).

    python bench/file_types.py                  # .xlsx 20k rows, .xls 20k rows, .docx 6k rows
    python bench/file_types.py --markdown       # and a table for docs/performance.md
    python bench/file_types.py --floor xlsx F   # (used by the above) the floor of one file

Not a test: it prints figures. One file per case, generated once into --data (bench/generate.py's
seeded tables): the .xlsx in the long layout (one indicator per row, generate.write_xlsx), the .xls
made from it by LibreOffice, the .docx as form tables (tests/builders/docx_form.write_docx, as Word
budget systems export them). For each: the median wall time of `goallint check --no-config --format
json` on the file, and of its floor in a fresh process:

* .xlsx/.xls: python-calamine reads every sheet, one precompiled regex per text cell;
* .docx: lxml parses word/document.xml, each w:tc's text (its w:t joined), one regex per cell.

The ratio goallint / floor is the figure (absolute times drift on a shared machine). The CPU time
(user + system) of each process is given too: on a machine shared with other work, the wall time of
the short floor process swings with the load, its CPU time much less. `--best` takes the least of
`--repeat` runs instead of the median.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from floor import VALUE  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --------------------------------------------------------------------------- floors


def floor_spreadsheet(path: Path) -> tuple[int, int]:
    import python_calamine

    cells = hits = 0
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        for row in workbook.get_sheet_by_name(name).to_python():
            for value in row:
                if value.__class__ is str and value:
                    cells += 1
                    hits += VALUE.match(value) is not None
    return cells, hits


def floor_docx(path: Path) -> tuple[int, int]:
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    cells = hits = 0
    t = f"{W}t"
    for tc in root.iter(f"{W}tc"):
        text = "".join(node.text or "" for node in tc.iter(t))
        cells += 1
        hits += VALUE.match(text) is not None
    return cells, hits


FLOORS = {"xlsx": floor_spreadsheet, "xls": floor_spreadsheet, "docx": floor_docx}


# --------------------------------------------------------------------------- files


def tables(rows: int, seed: int) -> tuple[int, list[dict]]:
    import generate

    pool = generate.load_pool()
    out: list[dict] = []
    year = 2025
    for _, department_year, found in generate.departments(pool, rows, seed):
        out.extend(found)
        year = department_year  # the file's year: the last department's
    for number, table in enumerate(out, 1):
        table["number"] = number
    return year, out


def make_xlsx(path: Path, rows: int, seed: int) -> Path:
    import generate

    if not path.exists():
        year, found = tables(rows, seed)
        generate.write_xlsx(path, year, found)
    return path


def make_xls(path: Path, xlsx: Path) -> Path:
    if not path.exists():
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            raise SystemExit("the .xls case needs LibreOffice (soffice) to make the file")
        profile = path.parent / "lo-profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xls"]
            + ["--outdir", str(path.parent), str(xlsx)],
            check=True,
            capture_output=True,
            timeout=600,
        )
        (path.parent / (xlsx.stem + ".xls")).rename(path)
    return path


def make_docx(path: Path, rows: int, seed: int) -> Path:
    if not path.exists():
        import generate

        sys.path.insert(0, str(ROOT / "tests"))
        from builders.docx_form import write_docx
        from goallint import readers

        year, found = tables(rows, seed)
        source = path.with_suffix(".json")
        source.write_text(json.dumps(generate.canonical(source.name, year, found), ensure_ascii=False), "utf-8")
        write_docx(readers.read(source), path)
    return path


# --------------------------------------------------------------------------- timing


def timed(argv: list[str], repeat: int, best: bool = False) -> tuple[float, float]:
    """The median (or, with `best`, the least) wall time and CPU time (user + system) of `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    pick = min if best else statistics.median
    return pick(walls), pick(cpus)


def goallint_exe() -> str:
    near = Path(sys.executable).with_name("goallint")
    return str(near) if near.exists() else (shutil.which("goallint") or "goallint")


def rows_of(path: Path) -> int:
    from goallint import readers

    return sum(len(t.rows) for t in readers.read(path).tables)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/goallint-bench/file-types"))
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    parser.add_argument("--docx-rows", type=int, default=6_000)
    parser.add_argument("--cases", default="xlsx,xls,docx")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--best", action="store_true", help="the best (least) time of --repeat runs, not the median")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--floor", nargs=2, metavar=("KIND", "FILE"))
    args = parser.parse_args(argv)
    if args.floor:
        cells, hits = FLOORS[args.floor[0]](Path(args.floor[1]))
        print(f"{cells} cells, {hits} matched")
        return
    args.data.mkdir(parents=True, exist_ok=True)
    cases = [c for c in args.cases.split(",") if c]
    files: dict[str, Path] = {}
    xlsx = args.data / f"long-{args.xlsx_rows}.xlsx"
    if "xlsx" in cases or "xls" in cases:
        make_xlsx(xlsx, args.xlsx_rows, args.seed)
    if "xlsx" in cases:
        files["xlsx"] = xlsx
    if "xls" in cases:
        files["xls"] = make_xls(args.data / f"long-{args.xlsx_rows}.xls", xlsx)
    if "docx" in cases:
        files["docx"] = make_docx(args.data / f"form-{args.docx_rows}.docx", args.docx_rows, args.seed)
    out = args.data / "report.json"
    lines = [
        "| file | rows | goallint s | rows/s | floor s | × floor | goallint CPU s | floor CPU s | × floor (CPU) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    print(f"{'case':<6} {'rows':>7} {'goallint s':>10} {'rows/s':>8} {'floor s':>8} {'× floor':>8} {'× floor CPU':>12}")
    for kind, path in files.items():
        rows = rows_of(path)
        check, check_cpu = timed(
            [goallint_exe(), "check", "--no-config", "--format", "json", "-o", str(out), str(path)],
            args.repeat,
            args.best,
        )
        floor, floor_cpu = timed(
            [sys.executable, str(Path(__file__).resolve()), "--floor", kind, str(path)], args.repeat, args.best
        )
        print(
            f"{kind:<6} {rows:>7,} {check:>10.2f} {rows / check:>8,.0f} {floor:>8.2f} {check / floor:>8.1f}"
            f" {check_cpu / floor_cpu:>12.1f}"
        )
        lines.append(
            f"| .{kind} ({path.name}) | {rows:,} | {check:.2f} | {rows / check:,.0f} | {floor:.2f} | {check / floor:.1f}"
            f" | {check_cpu:.2f} | {floor_cpu:.2f} | {check_cpu / floor_cpu:.1f} |"
        )
    if args.markdown:
        print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
