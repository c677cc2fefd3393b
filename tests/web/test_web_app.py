"""The web app (goallint serve) through Starlette's test client: every route, good and bad uploads."""

from __future__ import annotations

import base64
import html
import io
import json
import re
import tempfile
from pathlib import Path

import docx
import openpyxl
import pytest
from starlette.testclient import TestClient

from builders.docx_form import write_docx
from builders.xlsx_form import write_xlsx
from goallint.engine.loader import load_rules
from goallint.web import is_loopback
from goallint.web.app import create_app

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory, table_document) -> bytes:
    return write_docx(table_document, tmp_path_factory.mktemp("d") / "t.docx").read_bytes()


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory, table_document) -> bytes:
    return write_xlsx(table_document, tmp_path_factory.mktemp("x") / "t.xlsx").read_bytes()


def data_of(page: str, element_id: str | None = None, download: str | None = None) -> bytes:
    """The bytes behind a download link (a data: URI) found by id or by its download name."""
    if element_id:
        m = re.search(rf'id="{element_id}"[^>]*href="data:[^;]+;base64,([^"]+)"', page)
    else:
        m = re.search(rf'download="{re.escape(html.escape(download))}" href="data:[^;]+;base64,([^"]+)"', page)
    assert m, f"no download {element_id or download}"
    return base64.b64decode(m.group(1))


def marked_cells(page: str) -> dict[str, str]:
    """text of each marked <td> → its data-rules."""
    out = {}
    for m in re.finditer(r'<td class="mark-(\w+)" data-marks="[^"]*" data-rules="([^"]*)"[^>]*>([^<]*)', page):
        out[html.unescape(m.group(3))] = m.group(2)
    return out


# --------------------------------------------------------------------------- pages


def test_index_and_static(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'name="files"' in page.text and 'name="pasted"' in page.text
    for profile in ("default", "cost-level1", "department"):
        assert f'<option value="{profile}"' in page.text
    assert client.get("/check").status_code == 200  # a reload of the result page shows the form
    js, css = client.get("/static/app.js"), client.get("/static/app.css")
    assert js.status_code == css.status_code == 200 and "filter-rule" in js.text and ".mark-error" in css.text
    assert client.get("/static/../app.py").status_code == 404


def test_rule_pages(client):
    ruleset = load_rules()
    listing = client.get("/rules")
    assert listing.status_code == 200
    for lr in ruleset.rules:
        assert f'href="/rules/{lr.id}"' in listing.text
    page = client.get("/rules/GL201")
    rule = ruleset.by_id("GL201").rule
    assert page.status_code == 200
    assert html.escape(rule.summary.zh) in page.text
    assert html.escape(rule.explanation.zh.strip().splitlines()[0]) in page.text
    assert len(re.findall(r"<li>✗ ", page.text)) == len(rule.examples.fail)
    assert len(re.findall(r"<li>✓ ", page.text)) == len(rule.examples.pass_)
    missing = client.get("/rules/GL999")
    assert missing.status_code == 404 and "没有规则" in missing.text
    # a finding's link to a reader problem (GL0xx) shows its explanation and its bad and good example
    from goallint.reader_problems import problem_kind

    kind = problem_kind("ambiguous-task-budget")
    problem = client.get(f"/rules/{kind.id}")
    assert problem.status_code == 200 and html.escape(kind.summary.zh) in problem.text
    assert f"<li>✗ {html.escape(kind.bad)}" in problem.text and f"<li>✓ {html.escape(kind.good)}" in problem.text


# --------------------------------------------------------------------------- checking


def test_check_docx_shows_marked_cells_and_downloads(client, docx_bytes):
    r = client.post("/check", files=[("files", ("目标表.docx", docx_bytes, DOCX))], data={"profile": "default"})
    assert r.status_code == 200
    cells = marked_cells(r.text)
    assert "GL201" in cells["≤90%"].split()
    assert any("GL705" in rules for rules in cells.values())
    assert '<a class="rule" href="/rules/GL201"' in r.text
    assert "预算年度 2025 年（表中写明）" in r.text
    annotated = docx.Document(io.BytesIO(data_of(r.text, download="目标表.goallint.docx")))
    assert any("GL201" in c.text for c in annotated.comments)
    book = openpyxl.load_workbook(io.BytesIO(data_of(r.text, "download-workbook")))
    assert any("GL201" in str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row)
    report = json.loads(data_of(r.text, "download-json"))
    assert "GL201" in json.dumps(report) and "目标表.docx" in json.dumps(report, ensure_ascii=False)
    assert "/tmp" not in json.dumps(report) and "upload-" not in r.text  # the temporary path never shows


def test_check_several_files_and_fiscal_year(client, docx_bytes, xlsx_bytes):
    csv_text = "项目名称,一级指标,二级指标,三级指标,指标值\nP,产出指标,数量指标,台数,≧5台\n".encode()
    r = client.post(
        "/check",
        files=[("files", ("a.docx", docx_bytes)), ("files", ("b.xlsx", xlsx_bytes)), ("files", ("c.csv", csv_text))],
        data={"profile": "default", "fiscal_year": "2024"},
    )
    assert r.status_code == 200
    assert r.text.count('<section class="file"') == 3
    assert 'download="a.goallint.docx"' in r.text and 'download="b.goallint.xlsx"' in r.text
    assert "c.goallint" not in r.text  # a CSV has no annotated copy
    assert "2024 年（指定）" in r.text
    book = openpyxl.load_workbook(io.BytesIO(data_of(r.text, download="b.goallint.xlsx")))
    assert any(c.comment and "GL201" in c.comment.text for ws in book.worksheets for row in ws.iter_rows() for c in row)
    assert "GL102" in marked_cells(r.text)["≧5台"]


def test_check_pasted_tables(client, table_document):
    from goallint.convert import csv_long  # noqa: F401 — the long layout, as Excel would copy it

    long = "项目名称\t一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\n" + "\n".join(
        f"P\t{r.level1}\t{r.level2}\t{r.level3}\t{r.description}\t{r.value}" for r in table_document.tables[0].rows
    )
    r = client.post("/check", data={"pasted": long, "profile": "default"})
    assert r.status_code == 200 and "GL201" in marked_cells(r.text)["≤90%"]
    # the form layout copied from Word: merged 一级指标/二级指标 cells come once, rows are shorter
    t = table_document.tables[0]
    lines = [
        "项目名称\t" + (t.project or ""),
        "预算数\t100\t其中：财政资金\t100\t其他资金\t",
        "一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值",
    ]
    last = None
    for row in t.rows:
        cells = [row.level3, row.description, row.value]
        lines.append("\t".join(([row.level1, row.level2] if (row.level1, row.level2) != last else []) + cells))
        last = (row.level1, row.level2)
    r = client.post("/check", data={"pasted": "\n".join(lines), "profile": "default"})
    assert r.status_code == 200, r.text
    assert "GL201" in marked_cells(r.text)["≤90%"]
    assert "粘贴的表格" in r.text
    bad = client.post("/check", data={"pasted": "随便\t写点\n什么\t东西", "profile": "default"})
    assert bad.status_code == 200 and "不是绩效目标表" in bad.text


def test_inspect_prefills_fiscal_year(client, docx_bytes):
    r = client.post("/api/inspect", files=[("files", ("t.docx", docx_bytes))])
    assert r.status_code == 200
    assert r.json()["files"][0] == {"name": "t.docx", "tables": 1, "fiscal_year": 2025, "fiscal_year_source": "stated"}
    bad = client.post("/api/inspect", files=[("files", ("t.docx", b"not a zip"))]).json()["files"][0]
    assert "不是可识别的绩效目标表" in bad["error"] and bad["error"].startswith("t.docx")
    assert client.post("/api/inspect", data={}).status_code == 400


# --------------------------------------------------------------------------- bad input


def test_oversized_upload_is_refused_while_reading():
    small = TestClient(create_app(max_size=4096))
    r = small.post("/check", files=[("files", ("big.docx", b"x" * 10_000))], data={"profile": "default"})
    assert r.status_code == 413 and "上限" in r.text and "4 KB" in r.text

    def chunks():  # no Content-Length: the limit is enforced while the body streams in
        for _ in range(10):
            yield b"y" * 1000

    r = small.post("/check", content=chunks(), headers={"content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413 and "上限" in r.text
    assert small.post("/api/inspect", files=[("files", ("big.docx", b"x" * 10_000))]).status_code == 413


def test_empty_and_unreadable_uploads(client):
    r = client.post(
        "/check",
        files=[
            ("files", ("empty.xlsx", b"")),
            ("files", ("broken.docx", b"PK\x03\x04 broken")),
            ("files", ("doc.pdf", b"%PDF-1.4")),
        ],
        data={"profile": "default"},
    )
    assert r.status_code == 200
    errors = [html.unescape(e) for e in re.findall(r'<div class="error file-error" role="alert">([^<]*)</div>', r.text)]
    assert len(errors) == 3
    assert errors[0] == "empty.xlsx: 文件是空的（0 字节）"
    assert errors[1].startswith("broken.docx: ") and "docx" in errors[1]  # the reader's own message
    assert errors[2].startswith("doc.pdf: ") and "PDF" in errors[2]  # read now; a broken PDF is its reader's error
    nothing = client.post("/check", data={"profile": "default"})
    assert nothing.status_code == 400 and "请选择至少一个文件" in nothing.text


def test_bad_form_values(client, docx_bytes):
    r = client.post("/check", files=[("files", ("t.docx", docx_bytes))], data={"profile": "../../etc/passwd"})
    assert r.status_code == 400 and "检查方案" in r.text
    r = client.post(
        "/check", files=[("files", ("t.docx", docx_bytes))], data={"profile": "default", "fiscal_year": "20x5"}
    )
    assert r.status_code == 400 and "不是有效的年份" in r.text


def test_malicious_file_names_are_never_paths(client, docx_bytes, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    names = ["../../../../tmp/evil.docx", "..\\..\\win.docx", "<script>alert(1)</script>.docx", "/etc/passwd.docx"]
    r = client.post("/check", files=[("files", (n, docx_bytes)) for n in names], data={"profile": "default"})
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" not in r.text  # reserved characters removed
    downloads = re.findall(r'class="button annotated" download="([^"]*)"', r.text)
    assert downloads == ["evil.goallint.docx", "win.goallint.docx", "script.goallint.docx", "passwd.goallint.docx"]
    assert not Path("/tmp/evil.docx").exists()
    assert list(tmp_path.iterdir()) == []  # the private folder is gone after the response


def test_time_limit():
    slow = TestClient(create_app(timeout=1e-6))
    data = (Path(__file__).resolve().parents[2] / "examples" / "faulty.docx").read_bytes()
    r = slow.post("/check", files=[("files", ("t.docx", data))], data={"profile": "default"})
    assert r.status_code == 504 and "秒仍未完成" in r.text


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_department_table_shows_tasks_with_their_findings(client):
    """A department-wide table: the 主要工作任务 rows are shown, and a task's finding marks its row."""
    source = Path(__file__).resolve().parents[2] / "examples" / "department-faulty.txt"
    r = client.post("/check", files=[("files", ("部门.txt", source.read_bytes()))], data={"profile": "department"})
    assert r.status_code == 200
    tasks = re.search(r'<table class="tasks">(.*?)</table>', r.text, re.S)
    assert tasks, "the tasks table is shown"
    cells = marked_cells(tasks.group(1))
    assert any("GL404" in rules for rules in cells.values())  # the task sums, on the 合计 row
    assert any(text.startswith("保障机关正常运转") for text in cells)  # a task whose amounts are ambiguous


def test_serve_warns_when_not_on_loopback():
    """`--host 0.0.0.0` prints a warning before the server starts (here it cannot: the port is taken)."""
    import socket

    from typer.testing import CliRunner

    from goallint.cli import app

    with socket.socket() as blocker:
        blocker.bind(("0.0.0.0", 0))  # bound, never listening: nothing can connect, the port is taken
        port = blocker.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", str(port)])
    assert "warning: listening on 0.0.0.0" in result.output
    assert result.exit_code != 0


def test_extra_rules_folder(tmp_path):
    """`serve --rules DIR`: a broken rule file is reported (not served); the good rules are served."""
    (tmp_path / "TJ001-bad.yaml").write_text("id: TJ001\nname: [not, a, name]\n", encoding="utf-8")
    app = create_app(rule_dirs=[tmp_path])
    assert any("TJ001-bad.yaml" in e for e in app.state.rule_errors)
    with TestClient(app) as c:
        assert c.get("/rules/GL201").status_code == 200
        assert c.get("/rules/TJ001").status_code == 404
