"""Legacy Word documents (.doc, Word 97–2003) and WPS Writer documents (.wps): converted to .docx by
LibreOffice in headless mode, then read by readers/docx.py. Findings and errors name the original file.

The conversion runs `soffice --headless --convert-to docx` on a copy of the file in a private
temporary folder, with a private LibreOffice profile (`-env:UserInstallation=`), so that parallel
runs (`--jobs`, the web page) never share a profile or an output name; the folder is removed
afterwards. It has a time limit (safety.CONVERT_SECONDS); LibreOffice is stopped with its whole
process group when the limit or the per-file limit is reached. Without LibreOffice a .doc is an
error that says what to install. A .wps that is already a zip (newer WPS saves OOXML) is read as .docx
directly. Locations are those of the converted .docx (`表3 行5 列5`: Word table, row, grid column),
which LibreOffice keeps from the original tables.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess  # noqa: S404 — LibreOffice, called with a fixed argument list
import tempfile
from pathlib import Path

from goallint.errors import InputError, size_of, unreadable
from goallint.model import Document

NAME = "doc"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
INSTALL_HINT = (
    "读取 .doc/.wps 文件需要 LibreOffice（soffice 命令）：请安装 LibreOffice"
    "（如 apt-get install libreoffice-writer，或从 libreoffice.org 下载），"
    "或在 Word/WPS 中将文件“另存为”.docx 后再检查"
)


def sniff(path: Path, head: bytes) -> bool:
    """An OLE2 compound file (Word 97–2003, WPS), or a zip (a .wps saved as OOXML)."""
    return head.startswith(_OLE2) or head.startswith(b"PK\x03\x04")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _stop(process: subprocess.Popen) -> None:
    """Stop LibreOffice and what it started (soffice.bin): the process group this call made."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def convert_to_docx(path: Path, path_text: str, folder: Path) -> Path:
    """The .docx LibreOffice makes of `path`, in `folder`; InputError naming the file otherwise."""
    from goallint.safety import CONVERT_SECONDS, MAX_LEGACY_BYTES

    program = soffice()
    if program is None:
        raise InputError(path_text, INSTALL_HINT)
    size = size_of(path, path_text)
    if size > MAX_LEGACY_BYTES:
        raise InputError(path_text, f"文件大小 {size:,} 字节，超过上限 {MAX_LEGACY_BYTES:,}，已拒绝转换")
    source = folder / f"source{path.suffix.lower()}"
    shutil.copyfile(path, source)
    profile = folder / "profile"
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(folder / "out"),
        str(source),
    ]
    process = subprocess.Popen(  # noqa: S603 — a fixed command, the file passed as one argument
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=folder
    )
    try:
        _, stderr = process.communicate(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        raise InputError(
            path_text, f"LibreOffice 在 {CONVERT_SECONDS:.0f} 秒内未能将文件转换为 .docx，已停止转换"
        ) from None
    finally:
        _stop(process)  # also when the per-file time limit interrupts the wait
    out = folder / "out" / "source.docx"
    if process.returncode != 0 or not out.is_file():
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        why = f"：{detail[-1]}" if detail else ""
        raise InputError(path_text, f"LibreOffice 无法将文件转换为 .docx（不是有效的 Word/WPS 文档？）{why}")
    return out


def read(path: str | Path) -> Document:
    from goallint.readers import docx

    path_text = str(path)
    path = Path(path)
    try:
        with path.open("rb") as handle:
            zipped = handle.read(4) == b"PK\x03\x04"
    except OSError as exc:
        raise unreadable(path_text, exc) from None
    if zipped:  # WPS saves .wps as OOXML too
        return docx.read_as(path, path_text, NAME)
    with tempfile.TemporaryDirectory(prefix="goallint-doc-") as folder:
        converted = convert_to_docx(path, path_text, Path(folder))
        return docx.read_as(converted, path_text, NAME)
