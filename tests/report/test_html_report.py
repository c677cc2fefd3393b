"""`--format html`: the reviewer's batch report, opened in real Chromium (Debian's, driven by Playwright).

The corpus and the examples: the overview's counts and the per-rule chart agree with the JSON report of
the same run, filtering by a rule hides the other rules' tables and findings, a table unfolds with its
marked cells, a cell holding `<script>` shows as text. A 100,000-row generated province opens and counts
right. With --baseline, the findings fixed since show. A screenshot of the overview is saved as
test-artifacts/report-overview.png.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import subprocess
import sys
from collections import Counter

import pytest

from .helpers import CORPUS, EXAMPLES, ROOT, run

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
HOSTILE = """goallint: 1
fiscal-year: 2025
tables:
  - number: 1
    project: 注入测试项目</script><script>window.pwned = 1</script>
    unit: 万元
    budget: {total: 10, fiscal: 10, other: 0}
    rows:
      - [产出指标, 数量指标, 培训人数, 培训人数, "<script>window.pwned = 2</script>"]
      - [满意度指标, 服务对象满意度指标, 学员满意度, 学员满意度, ≤90%]
"""


def _require_chromium() -> str:
    sys.path.insert(0, str(ROOT / "tests" / "web"))
    from conftest import require

    return require("chromium")


@pytest.fixture(scope="module")
def browser():
    executable = _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory):
    """The HTML and the JSON report of one run over the corpus, the examples and a hostile table."""
    folder = tmp_path_factory.mktemp("report")
    hostile = folder / "hostile.yaml"
    hostile.write_text(HOSTILE, encoding="utf-8")
    sources = [CORPUS, EXAMPLES, hostile]
    html = folder / "报告.html"
    result = run("check", *sources, "--format", "html", "-o", html, "--jobs", "1")
    assert result.exit_code == 1, result.output
    report = json.loads(run("check", *sources, "--format", "json", "--jobs", "1").stdout)
    return html, report


def _unpacked(text: str) -> dict[str, str]:
    tables: dict[str, str] = {}
    for blob in re.findall(r'<script type="application/octet-stream" class="table-data"[^>]*>([^<]*)</script>', text):
        tables.update(json.loads(gzip.decompress(base64.b64decode(blob))))
    return tables


def test_report_is_one_self_contained_file(corpus_report):
    html, report = corpus_report
    text = html.read_text(encoding="utf-8")
    # nothing to fetch: no src/href to another file or host, no external stylesheet or script
    assert not re.search(r'(?:src|href)="(?!#)[^"]+"', text)
    assert "<link" not in text and "@import" not in text
    # the run is named: version, configuration, time
    assert re.search(r"goallint \d+\.\d+\.\d+ · 生成时间 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text)
    # every table of every file is in the drill-down data, with its cells escaped
    tables = _unpacked(text)
    assert len(tables) == sum(f["tables"] for f in report["files"])
    hostile = next(html for html in tables.values() if "注入测试项目" in html)
    assert "<script>" not in hostile and "&lt;script&gt;window.pwned = 2&lt;/script&gt;" in hostile
    assert "<script>window.pwned = 1" not in text


def test_overview_and_drill_down_in_chromium(corpus_report, browser):
    html, report = corpus_report
    counts = Counter(f["severity"] for f in report["findings"])
    per_rule = Counter(f["rule"] for f in report["findings"])
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(html.as_uri())

    for sev in ("error", "warning", "info"):
        assert page.locator(f"#count-{sev}").get_attribute("data-count") == str(counts[sev])
    bars = page.locator("svg[data-chart=rules] g.bar")
    drawn = {
        bars.nth(i).get_attribute("data-key"): int(bars.nth(i).get_attribute("data-value")) for i in range(bars.count())
    }
    assert drawn == dict(per_rule)
    first = bars.nth(0)
    assert first.locator("text.value").text_content() == str(max(per_rule.values()))  # the number beside the bar
    assert "：" in first.locator("title").text_content()  # and on hover
    tables = sum(f["tables"] for f in report["files"])
    share = page.locator("svg[data-chart=clean-share]")
    assert share.get_attribute("data-total") == str(tables)
    assert page.locator("#top-projects tbody tr").count() == 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-overview.png"))

    # filter by one rule: only tables with it stay, and inside them only its findings
    rule = "GL201"
    page.select_option("#filter-rule", rule)
    entries = page.locator("details.table-entry")
    shown = [entries.nth(i) for i in range(entries.count()) if entries.nth(i).get_attribute("hidden") is None]
    assert shown and all(rule in e.get_attribute("data-rules").split() for e in shown)
    assert len(shown) == len({(f["file"], f["table"]) for f in report["findings"] if f["rule"] == rule})
    target = shown[0]
    target.locator("summary").click()
    page.wait_for_function("el => el.classList.contains('drawn')", arg=target.element_handle())
    visible = target.locator("li.finding:visible")
    assert visible.count() >= 1 and {visible.nth(i).get_attribute("data-rule") for i in range(visible.count())} == {
        rule
    }
    marked = target.locator("td.mark-error[data-rules]")
    assert marked.count() >= 1 and all(
        rule in marked.nth(i).get_attribute("data-rules").split() for i in range(marked.count())
    )
    # a finding links to its rule's explanation in the same file
    assert target.locator(f"li.finding[data-rule={rule}] a.rule").first.get_attribute("href") == f"#rule-{rule}"
    assert page.locator(f"#rule-{rule} .explanation").count() == 1
    page.select_option("#filter-rule", "")

    # the hostile table: its `<script>` cell is shown as text and never run
    hostile = page.locator("details.table-entry", has_text="注入测试项目")
    hostile.locator("summary").click()
    page.wait_for_function("el => el.classList.contains('drawn')", arg=hostile.element_handle())
    cell = hostile.locator("td", has_text="window.pwned = 2")
    assert cell.first.inner_text().startswith("<script>window.pwned = 2</script>")
    assert page.evaluate("window.pwned === undefined")
    assert not dialogs
    assert all(url.startswith(("file:", "data:", "blob:")) for url in requests), requests
    page.close()


def test_department_filter_hides_other_departments(corpus_report, browser):
    html, _ = corpus_report
    page = browser.new_page()
    page.goto(html.as_uri())
    department = "天津市人民政府合作交流办公室"
    page.select_option("#filter-department", department)
    entries = page.locator("details.table-entry")
    states = [
        (entries.nth(i).get_attribute("data-department"), entries.nth(i).get_attribute("hidden"))
        for i in range(entries.count())
    ]
    assert any(d == department and h is None for d, h in states)
    assert all(h is not None for d, h in states if d != department)
    page.close()


def test_baseline_shows_new_and_fixed(tmp_path, browser):
    table = tmp_path / "表.yaml"
    table.write_text((EXAMPLES / "faulty.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert run("check", table, "--baseline", baseline).exit_code == 0  # recorded
    before = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    table.write_text(table.read_text(encoding="utf-8").replace("≤120万元", "≤80万元"), encoding="utf-8")
    html = tmp_path / "r.html"
    run("check", table, "--baseline", baseline, "--format", "html", "-o", html)
    page = browser.new_page()
    page.goto(html.as_uri())
    fixed_rules = [e["rule"] for e in before if e["value"] == "≤120万元"]
    assert fixed_rules
    assert int(page.locator("#baseline-fixed").inner_text()) == len(fixed_rules)
    assert page.locator("#fixed tbody tr").count() == len(fixed_rules)
    assert int(page.locator("#baseline-new").inner_text()) == 0  # the other findings are known to the baseline
    page.close()


def test_a_province_of_100k_rows(tmp_path, browser):
    """A generated province: the report is written and opens with the right counts (its speed and size
    are figures of bench/html_report.py, not asserted here)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from builders.bench import bench_generate

    bench_generate().generate(tmp_path / "province", 100_000, ["json"])
    folder = tmp_path / "province" / "json"
    html = tmp_path / "province.html"
    command = [sys.executable, "-m", "goallint.cli", "check", str(folder), "--jobs", "2"]
    done = subprocess.run([*command, "--format", "html", "-o", str(html)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 1, done.stderr[-2000:]
    report = json.loads(subprocess.run([*command, "--format", "json"], capture_output=True, timeout=900).stdout)
    assert sum(f["rows"] for f in report["files"]) >= 100_000
    page = browser.new_page()
    page.goto(html.as_uri(), timeout=120_000)
    assert page.locator("#count-rows").inner_text() == str(sum(f["rows"] for f in report["files"]))
    assert page.locator("#count-error").get_attribute("data-count") == str(
        sum(1 for f in report["findings"] if f["severity"] == "error")
    )
    first = page.locator("details.table-entry").first
    first.locator("summary").click()
    page.wait_for_function("el => el.classList.contains('drawn')", arg=first.element_handle(), timeout=60_000)
    assert first.locator("table.rows tbody tr").count() >= 1
    page.close()
