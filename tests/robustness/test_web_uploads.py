"""Every crafted hostile file uploaded to the web page (goallint serve): each gets the same clear
error as on the command line (or its findings), the page never fails, and nothing of the upload is
left on disk."""

from __future__ import annotations

import html
import re
import tempfile

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from goallint.web.app import MAX_FILES, create_app  # noqa: E402

from .test_hostile import EXPECTED, HOSTILE  # noqa: E402

# read and checked on the command line; too large for a page of results to be useful here
SLOW = {"huge-table.docx", "huge-table.xlsx"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _batches() -> list[list[str]]:
    names = sorted(n for n in EXPECTED if n not in SLOW)
    return [names[i : i + MAX_FILES] for i in range(0, len(names), MAX_FILES)]


@pytest.mark.parametrize("batch", _batches(), ids=lambda b: f"{b[0]}..{b[-1]}")
def test_hostile_uploads(client, batch, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    files = [("files", (name, (HOSTILE / name).read_bytes())) for name in batch]
    r = client.post("/check", files=files, data={"profile": "default"})
    assert r.status_code == 200, r.text[-2000:]
    errors = [html.unescape(e) for e in re.findall(r'<div class="error file-error" role="alert">([^<]*)</div>', r.text)]
    expected_errors = [name for name in batch if EXPECTED[name] is not None]
    assert len(errors) == len(expected_errors), errors
    for name in expected_errors:
        (error,) = [e for e in errors if e.startswith(f"{name}: ") or e.startswith(f"{name}:")]
        for word in EXPECTED[name]:
            assert word in error, (word, error)
        assert "Traceback" not in error and "internal error" not in error
    assert list(tmp_path.iterdir()) == []  # the private upload folder is removed
