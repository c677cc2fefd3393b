"""End to end in a real browser: `goallint serve` on a free loopback port, Debian's chromium driven by
Playwright (never a downloaded browser). A corpus table as .docx is uploaded; the satisfaction row
`≤90%` must come back highlighted with GL201, the filters must work, the annotated copy must download.
A screenshot of the result page is saved as test-artifacts/web-result.png."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import docx
import pytest
from conftest import require

from builders.docx_form import write_docx

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    script = Path(sys.executable).parent / "goallint"
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from goallint.cli import main; main()"]
    process = subprocess.Popen([*command, "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"goallint serve exited: {process.stderr.read().decode()}")
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("goallint serve did not answer within 60 s")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    executable = require("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_upload_docx_see_gl201_and_download(server, browser, table_document, tmp_path):
    source = write_docx(table_document, tmp_path / "商务局目标表.docx")
    page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 900})
    page.goto(server + "/")
    page.set_input_files("#files", str(source))
    # the page asks the server for the file's fiscal year and fills it in
    page.wait_for_function("document.getElementById('fiscal-year').value === '2025'", timeout=30_000)
    page.click("#submit")
    page.wait_for_selector("#summary", timeout=60_000)

    cell = page.locator("td[data-rules]", has_text="≤90%")
    assert cell.count() == 1
    assert "GL201" in cell.get_attribute("data-rules").split()
    assert cell.get_attribute("class") == "mark-error"
    background = cell.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 199, 206)"  # the error colour, FFC7CE
    finding = page.locator("li.finding[data-rule=GL201]")
    assert finding.count() == 1 and finding.is_visible()
    assert "满意度" in finding.inner_text()
    assert finding.locator("a.rule").get_attribute("href") == "/rules/GL201"
    assert "预算年度 2025 年（表中写明）" in page.locator(".table-summary").inner_text()  # prefilled, not imposed

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-result.png"), full_page=True)

    # filters: hide errors → the cell loses its mark and the finding is hidden; a rule filter keeps only it
    page.uncheck(".filter-severity[value=error]")
    assert cell.get_attribute("class") in ("", None) and not finding.is_visible()
    page.check(".filter-severity[value=error]")
    page.select_option("#filter-rule", "GL201")
    assert cell.get_attribute("class") == "mark-error" and finding.is_visible()
    assert page.locator("li.finding:visible").count() == 1
    page.select_option("#filter-rule", "")

    with page.expect_download() as info:
        page.click("a.annotated")
    download = info.value
    assert download.suggested_filename == "商务局目标表.goallint.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    comments = [c.text for c in docx.Document(str(saved)).comments]
    assert any("GL201" in text for text in comments)

    with page.expect_download() as info:
        page.click("#download-workbook")
    assert info.value.suggested_filename.endswith(".xlsx")

    page.goto(server + "/rules/GL201")
    assert page.locator("#rule-title").inner_text().startswith("GL201")
    page.close()
