"""The HTML report at scale: its size, the time to write it, and the time Chromium takes to open it.

    python bench/html_report.py [--rows 100000] [--jobs 2] [--chromium /usr/bin/chromium]

Generates a province with bench/generate.py (canonical JSON), times `goallint check --format json`
and `--format html` over it (the difference is what the report costs), and opens the report in
headless Chromium through Playwright: the time to DOMContentLoaded and to the load event, then the time
to unfold the first table. Prints one line per figure; docs/performance.md keeps them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def open_in_chromium(html: Path, chromium: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(html.as_uri(), timeout=300_000)
        nav = json.loads(page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())"))
        first = page.locator("details.table-entry").first
        start = time.perf_counter()
        first.locator("summary").click()
        page.wait_for_function("el => el.classList.contains('drawn')", arg=first.element_handle(), timeout=300_000)
        unfold = time.perf_counter() - start
        browser.close()
    return {
        "dom_content_loaded_s": nav["domContentLoadedEventEnd"] / 1000,
        "load_s": nav["loadEventEnd"] / 1000,
        "unfold_first_table_s": unfold,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.rows, ["json"])
        source = folder / "json"
        html = folder / "report.html"
        command = [sys.executable, "-m", "goallint.cli", "check", str(source), "--jobs", str(args.jobs)]
        json_seconds = timed([*command, "--format", "json", "-o", str(folder / "report.json")])
        html_seconds = timed([*command, "--format", "html", "-o", str(html)])
        figures = {
            "rows": args.rows,
            "check_json_s": round(json_seconds, 2),
            "check_html_s": round(html_seconds, 2),
            "html_report_extra_s": round(html_seconds - json_seconds, 2),
            "html_size_mb": round(html.stat().st_size / 1e6, 1),
        }
        figures.update({k: round(v, 2) for k, v in open_in_chromium(html, args.chromium).items()})
    for key, value in figures.items():
        print(f"{key}\t{value}")


if __name__ == "__main__":
    main()
