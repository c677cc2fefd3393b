"""Limits on untrusted input, checked before a parser sees it (docs/robustness.md).

goallint reads files from strangers and rule packs written by others. Parsers (zipfile, lxml,
ruamel, the value grammar) are given only input that is bounded:

* a .docx/.xlsx zip: at most MAX_ZIP_ENTRIES parts and MAX_UNCOMPRESSED bytes in total as the zip's
  directory declares them (Python's zipfile never inflates a part beyond its declared size, so the
  declared sizes bound what any library will decompress), and no part inflating more than
  MAX_RATIO times its compressed size — a zip bomb is refused before anything is decompressed;
* XML parts: no document type declaration at all (`<!DOCTYPE`, `<!ENTITY`): Office never writes
  one, and it is how entity expansion ("billion laughs") and external entities (reading local files
  or URLs) get in;
* YAML: only the standard tags (an `!!python/object` tag is an error, never an object), aliases
  that expand to at most MAX_YAML_NODES nodes, nesting at most MAX_DEPTH deep;
* cells: a 指标值 over MAX_VALUE_CHARS characters is not given to the value grammar (its time
  grows faster than the length) — it is Unreadable, reason `too_long`.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goallint.errors import GoallintError, InputError

if TYPE_CHECKING:
    import zipfile

MAX_ZIP_ENTRIES = 1000  # a .docx has ~20 parts, an .xlsx ~10 plus 2–3 per sheet
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # bytes, all parts together (images included)
MAX_RATIO = 200  # deflate can reach ~1000:1 on filler; Office XML is 5–30:1
RATIO_FLOOR = 1024 * 1024  # parts smaller than this may have any ratio
MAX_VALUE_CHARS = 300  # the longest 指标值 in the published corpus has 96
QUOTE_CHARS = 60  # of a text longer than MAX_VALUE_CHARS, quoted in a message or report
MAX_YAML_NODES = 1_000_000  # after alias expansion
MAX_DEPTH = 200  # nesting of YAML/JSON collections

# C0 control characters but tab, newlines, \v and \f (Word's line and page breaks): no text, and they
# break reports (Excel cells and XML cannot hold them). Text readers drop them with a Problem.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1024 * 1024


def shorten(text: str) -> str:
    """An enormous cell quoted by its start and its length, not whole (docs/robustness.md)."""
    if len(text) <= MAX_VALUE_CHARS:
        return text
    return f"{text[:QUOTE_CHARS]}…（共 {len(text)} 字）"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def check_zip(archive: zipfile.ZipFile, file: str, what: str) -> None:
    """Refuse a zip bomb or a DTD in an XML part; `what` names the format ("Word .docx")."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputError(
            file, f"{what} 文件中有 {len(infos)} 个部件，超过上限 {MAX_ZIP_ENTRIES}，疑似恶意构造的压缩包，已拒绝读取"
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            file,
            f"{what} 文件解压后共 {_size(total)}，超过上限 {_size(MAX_UNCOMPRESSED)}，疑似压缩炸弹（zip bomb），已拒绝读取",
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise InputError(
                file,
                f"{what} 文件中的部件 {info.filename} 压缩比 {ratio:.0f}:1（{_size(info.compress_size)} → {_size(info.file_size)}），"
                f"超过上限 {MAX_RATIO}:1，疑似压缩炸弹（zip bomb），已拒绝读取",
            )
    for info in infos:
        if info.filename.lower().endswith(_XML_SUFFIXES) or info.filename == "[Content_Types].xml":
            _check_xml_part(archive, info, file, what)


def _check_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, what: str) -> None:
    """Scan one XML part (streamed) for a document type declaration."""
    import zipfile

    try:
        with archive.open(info) as stream:
            first = stream.read(_CHUNK)
            utf16 = first[:2] in (b"\xff\xfe", b"\xfe\xff") or first[:2] in (b"<\x00", b"\x00<")
            tail = b""
            chunk = first
            while chunk:
                data = tail + chunk
                if utf16:  # every other byte is zero: look at the ASCII bytes only
                    data = data.replace(b"\x00", b"")
                if any(mark in data for mark in _DTD_MARKS):
                    raise InputError(
                        file,
                        f"{what} 文件的部件 {info.filename} 含有 XML 文档类型声明（<!DOCTYPE/<!ENTITY>，可用于实体膨胀或读取外部文件），"
                        "Office 不会写入这种内容，已拒绝读取",
                    )
                tail = data[-16:]
                chunk = stream.read(_CHUNK)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        # zlib.error is a subclass of Exception only; caught below
        raise InputError(file, f"不是有效的 {what} 文件（压缩包中的 {info.filename} 已损坏：{exc}）") from None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 — zlib.error and the like: a corrupt part
        raise InputError(
            file, f"不是有效的 {what} 文件（压缩包中的 {info.filename} 已损坏：{type(exc).__name__}: {exc}）"
        ) from None


def open_zip(path: Path, file: str, what: str) -> zipfile.ZipFile:
    """The checked zip archive (the caller closes it)."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(file, f"不是有效的 {what} 文件（zip 压缩包已损坏：{exc}）") from None
    try:
        check_zip(archive, file, what)
    except BaseException:
        archive.close()
        raise
    return archive


# --------------------------------------------------------------------------- Excel sheets

MAX_MERGE_CELLS = 100_000  # cells covered by one merged range (a form merges a few cells, a title a row)
MAX_MERGED_TOTAL = 2_000_000  # cells covered by all merged ranges of one sheet
MAX_SPARSE_EXTENT = 1_000_000  # a sheet's used range (rows × columns) above which it must be dense
MIN_DENSITY = 1 / 50  # non-empty cells per cell of the used range, for a range above MAX_SPARSE_EXTENT
_MERGE_REF = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_merges(archive: zipfile.ZipFile, file: str) -> None:
    """Refuse a merged range that covers more than MAX_MERGE_CELLS cells: openpyxl makes an object
    for every cell of a merge when it loads the workbook, before goallint sees the sheet."""
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        total = 0
        for m in _MERGE_REF.finditer(archive.read(info)):
            rows = abs(int(m.group(4)) - int(m.group(2))) + 1
            cols = abs(_column_number(m.group(3)) - _column_number(m.group(1))) + 1
            if rows * cols > MAX_MERGE_CELLS:
                ref = b"%s%s:%s%s" % m.groups()
                raise InputError(
                    file,
                    f"Excel .xlsx 文件的部件 {info.filename} 中的合并单元格 {ref.decode()} 覆盖 {rows * cols:,} 个单元格，"
                    f"超过上限 {MAX_MERGE_CELLS:,}，疑似恶意构造，已拒绝读取",
                )
            total += rows * cols
            if total > MAX_MERGED_TOTAL:
                raise InputError(
                    file,
                    f"Excel .xlsx 文件的部件 {info.filename} 中的合并单元格共覆盖超过 {MAX_MERGED_TOTAL:,} 个单元格，疑似恶意构造，已拒绝读取",
                )


def check_sheet_extent(file: str, sheet: str, rows: int, cols: int, filled: int) -> None:
    """Refuse a sheet whose few cells are spread over a huge range (one cell at XFD1048576): the
    readers lay a sheet out as a dense grid of rows × columns."""
    extent = rows * cols
    if extent > MAX_SPARSE_EXTENT and filled < extent * MIN_DENSITY:
        raise InputError(
            file,
            f"工作表“{sheet}”的 {filled:,} 个非空单元格分散在 {rows:,} 行 × {cols:,} 列的范围内，"
            "疑似恶意构造（或有远离表格的零散单元格），已拒绝读取；请删除表格之外的内容后再检查",
        )


MAX_WORD_COLUMNS = 1000  # grid columns of one Word table row (Word itself allows 63)

# .doc/.wps: converted by LibreOffice (readers/legacy_word.py); a conversion takes 2–5 s
CONVERT_SECONDS = 60.0
MAX_LEGACY_BYTES = 64 * 1024 * 1024


# --------------------------------------------------------------------------- YAML

_STANDARD_TAG = "tag:yaml.org,2002:"
_STANDARD_TAGS = {
    f"{_STANDARD_TAG}{t}"
    for t in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "map",
        "seq",
        "timestamp",
        "binary",
        "merge",
        "omap",
        "set",
        "value",
    )
}


def load_yaml(text: str, file: str, error: type[GoallintError] = InputError) -> Any:
    """The ruamel round-trip tree of `text`, after refusing non-standard tags, alias bombs and too
    deep nesting (raised as `error` with the line). Syntax errors (ruamel's YAMLError) are left to
    the caller, which words them."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    try:
        root = yaml.compose(text)
    except RecursionError:
        raise error(file, _too_deep_message(error)) from None
    if root is None:
        return None
    check_nodes(root, file, error)
    try:
        return yaml.constructor.construct_document(root)
    except RecursionError:
        raise error(file, _too_deep_message(error)) from None


def load_yaml_worded(text: str, file: str, error: type[GoallintError], syntax: str) -> Any:
    """`load_yaml`, with ruamel's syntax errors raised as `error` too: `syntax` (the caller's wording of
    "YAML syntax error: ") and the problem, at its line where ruamel marks one."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return load_yaml(text, file, error)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise error(file, f"{syntax}{problem}", line=mark.line + 1 if mark else None) from None
    except YAMLError as exc:
        raise error(file, f"{syntax}{exc}") from None


def check_nodes(root: Any, file: str, error: type[GoallintError] = InputError) -> None:
    """Walk a composed YAML node graph once (iteratively, each shared alias node once)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    def children(node) -> list:
        if isinstance(node, MappingNode):
            return [part for pair in node.value for part in pair]
        if isinstance(node, SequenceNode):
            return list(node.value)
        return []

    sizes: dict[int, int] = {}  # id(node) → number of nodes once aliases are expanded
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        line = node.start_mark.line + 1 if node.start_mark is not None else None
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children(node))
            if sizes[id(node)] > MAX_YAML_NODES:
                raise error(file, _bomb_message(error), line=line)
            continue
        if id(node) in sizes:
            continue
        if depth > MAX_DEPTH:
            raise error(file, _too_deep_message(error), line=line)
        tag = node.tag if isinstance(node.tag, str) else getattr(node.tag, "value", None)
        if tag is not None and tag not in _STANDARD_TAGS:
            raise error(file, _tag_message(error, tag), line=line)
        kids = children(node)
        if not kids:
            sizes[id(node)] = 1
            continue
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in kids if id(child) not in sizes)


def _english(error: type[GoallintError]) -> bool:
    return error is not InputError  # rule/config errors are in English, input errors in Chinese


def _tag_message(error, tag: str) -> str:
    tag = "!!" + tag.removeprefix(_STANDARD_TAG) if tag.startswith(_STANDARD_TAG) else tag
    if _english(error):
        return (
            f"YAML tag {tag} is not allowed: rule packs and configuration are data, only standard YAML types are read"
        )
    return f"不允许的 YAML 标签 {tag}：只读取标准的 YAML 数据类型（文件是数据，不会构造任何对象）"


def _bomb_message(error) -> str:
    if _english(error):
        return f"YAML aliases expand to more than {MAX_YAML_NODES:,} nodes (an alias bomb)"
    return f"YAML 别名（*alias）展开后超过 {MAX_YAML_NODES:,} 个节点，疑似恶意构造（别名炸弹），已拒绝读取"


def _too_deep_message(error) -> str:
    if _english(error):
        return f"nested more than {MAX_DEPTH} levels deep"
    return f"嵌套超过 {MAX_DEPTH} 层，已拒绝读取"


def too_deep_json(file: str) -> InputError:
    return InputError(file, _too_deep_message(InputError))


# --------------------------------------------------------------------------- time


DEFAULT_FILE_SECONDS = 120.0  # per file, reading and checking; the largest corpus file takes about 1 s
REPEAT_SECONDS = 0.05  # after the limit, the alarm again until the work has stopped (CPU seconds too)
MAX_DEFERRED = 40  # alarms let pass in an import or a finalizer (time_limit) before one raises there anyway


class FileTimeout(BaseException):
    """Raised by the timer inside a file's work. A BaseException, so that no reader's `except Exception`
    (a fallback, a nicety) swallows it and carries on."""


@contextmanager
def time_limit(seconds: float | None):
    """Stop the work in this block with FileTimeout after `seconds` of CPU time (None or 0: no limit).

    A profiling timer (ITIMER_PROF, SIGPROF): it counts the CPU time the process spends, not the time
    on the clock, so that a machine busy with other work does not stop a file that is not slow itself
    (a conversion by LibreOffice, which runs in its own process, has its own limit). It works in a
    process's main thread (the CLI and its worker processes); elsewhere (the web app's worker threads,
    which have their own limit) the block runs unlimited.

    The alarm raises only where the exception can stop the work: not while a module is being imported
    (a half-imported module would be imported again by the next file, and charged to it) and not inside a
    finalizer (`__del__`, a weakref or gc callback: Python prints such an exception and carries on). There
    it waits for the next alarm, REPEAT_SECONDS later (MAX_DEFERRED times at most); a FileTimeout a
    finalizer still swallows is not printed either."""
    usable = bool(seconds) and hasattr(signal, "SIGPROF") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    deferred = 0

    def expire(signum, frame):  # noqa: ARG001
        nonlocal deferred
        if deferred < MAX_DEFERRED and not _interruptible(frame):
            deferred += 1
            return
        raise FileTimeout

    def unraisable(info) -> None:
        if not isinstance(info.exc_value, FileTimeout):
            previous_hook(info)

    previous = signal.signal(signal.SIGPROF, expire)
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    # the timer repeats after it expires, so that an alarm let pass (above) or swallowed comes again
    signal.setitimer(signal.ITIMER_PROF, seconds, REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        sys.unraisablehook = previous_hook


def _interruptible(frame) -> bool:
    """Whether raising in `frame` (the code the alarm interrupted) stops the work: no import and no `__del__`
    is running in it or below it."""
    while frame is not None:
        code = frame.f_code
        if code.co_name == "__del__" or code.co_filename.startswith("<frozen importlib"):
            return False
        frame = frame.f_back
    return True
