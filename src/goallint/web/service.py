"""What the web page does with an upload, without any web framework: read, check, annotate, report.

Every upload is written under a private `tempfile.TemporaryDirectory` as `upload-<n><suffix>` (the
user's file name is only shown, never used as a path) and the folder is removed before the page is
sent. The annotated copy, the findings workbook and the JSON report are returned as bytes and
embedded in the page, so nothing is kept on the server.
"""

from __future__ import annotations

import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from goallint.formats import read_suffixes
from goallint.model import Document, Finding

PASTE_NAME = "粘贴的表格"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


@dataclass
class Upload:
    name: str  # as the browser sent it: shown (escaped), never used as a path
    data: bytes = b""
    text: str | None = None  # a pasted table


@dataclass
class FileOutcome:
    name: str  # safe display name
    format: str | None = None
    error: str | None = None
    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    annotated: bytes | None = None
    annotated_name: str | None = None


@dataclass
class Outcome:
    files: list[FileOutcome]
    profile: str
    fiscal_year: int | None
    json_report: bytes = b""
    workbook: bytes = b""


def display_name(name: str | None, fallback: str = "上传的文件") -> str:
    """The last path part, without control or reserved characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("", name).strip().lstrip(".")
    return name[:120] or fallback


def suffix_of(name: str) -> str | None:
    """The upload's suffix when some reader takes it (goallint/formats.py), else None."""
    suffix = Path(name).suffix.lower()
    return suffix if suffix in read_suffixes() else None


class Service:
    """The rules, loaded once; engines per profile, built on first use."""

    def __init__(self, rule_dirs: list[Path] | None = None):
        from goallint.engine.loader import load_rules

        self.ruleset = load_rules(list(rule_dirs or []))
        self._engines: dict[str, object] = {}
        self._lock = threading.Lock()

    def profiles(self) -> list[tuple[str, str]]:
        """(name, description) of the built-in profiles."""
        from ruamel.yaml import YAML

        from goallint.resources import rules_dir

        out = []
        for path in sorted((rules_dir() / "profiles").glob("*.yaml")):
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
            text = " ".join(str(data.get("description", "")).split())
            out.append((path.stem, _CJK_SPACE.sub("", text)))  # YAML folding puts spaces between Chinese lines
        return out

    def engine(self, profile: str):
        from goallint.config import Settings, load_profile
        from goallint.engine.runner import Engine

        with self._lock:
            if profile not in self._engines:
                self._engines[profile] = Engine(self.ruleset, Settings(), profile=load_profile(profile, []))
            return self._engines[profile]

    # ----------------------------------------------------------------------- reading

    def read(self, upload: Upload, folder: Path, index: int, fiscal_year: int | None) -> tuple[Document, str]:
        """(document, path of the saved upload) or an InputError naming the display name."""
        import goallint
        from goallint import pipeline
        from goallint.errors import InputError
        from goallint.fiscal_year import assign_fiscal_year
        from goallint.web import paste

        name = display_name(upload.name, PASTE_NAME if upload.text is not None else "上传的文件")
        if upload.text is not None:
            document = paste.read(upload.text, name, folder)
            pipeline.parse_targets(document)
            assign_fiscal_year(document, given=fiscal_year)
            return document, ""
        suffix = suffix_of(name)
        if suffix is None:
            raise InputError(
                name,
                f"不支持的文件类型“{Path(name).suffix or '(无扩展名)'}”；请上传 {'、'.join(read_suffixes())} 文件",
            )
        if not upload.data:
            raise InputError(name, "文件是空的（0 字节）")
        path = folder / f"upload-{index}{suffix}"
        path.write_bytes(upload.data)
        try:
            return goallint.read(path, fiscal_year=fiscal_year), str(path)
        except InputError as error:  # name the user's file, not the temporary one
            raise InputError(name, error.message, line=error.line, row=error.row) from None

    def inspect(self, upload: Upload) -> dict:
        """What the page prefills: the fiscal year found in a file, its tables, or the reader's error."""
        from goallint.errors import GoallintError

        with tempfile.TemporaryDirectory(prefix="goallint-web-") as tmp:
            try:
                document, _ = self.read(upload, Path(tmp), 1, None)
            except GoallintError as error:
                return {"name": display_name(upload.name), "error": str(error)}
        fy = document.fiscal_year or next((t.fiscal_year for t in document.tables if t.fiscal_year), None)
        return {
            "name": display_name(upload.name),
            "tables": len(document.tables),
            "fiscal_year": fy.year if fy else None,
            "fiscal_year_source": fy.source if fy else None,
        }

    # ----------------------------------------------------------------------- checking

    def check(
        self, uploads: list[Upload], *, profile: str = "default", fiscal_year: int | None = None, lang: str = "zh"
    ) -> Outcome:
        from goallint.annotate import annotate, annotated_name, supports
        from goallint.errors import GoallintError

        engine = self.engine(profile)
        outcome = Outcome(files=[], profile=profile, fiscal_year=fiscal_year)
        with tempfile.TemporaryDirectory(prefix="goallint-web-") as tmp:
            folder = Path(tmp)
            for index, upload in enumerate(uploads, 1):
                name = display_name(upload.name, PASTE_NAME if upload.text is not None else "上传的文件")
                result = FileOutcome(name=name)
                outcome.files.append(result)
                sub = folder / str(index)
                sub.mkdir()
                try:
                    document, saved = self.read(upload, sub, index, fiscal_year)
                except GoallintError as error:
                    result.error = str(error)
                    continue
                except Exception as error:  # noqa: BLE001 — one broken file must not end the request
                    result.error = f"{name}: 无法读取（{type(error).__name__}: {error}）"
                    continue
                result.format = document.format
                try:
                    findings = engine.check(document)
                except Exception as error:  # noqa: BLE001 — a bug in a rule must not lose the other files
                    result.error = f"{name}: 检查时出现内部错误（{type(error).__name__}: {error}）"
                    continue
                document.path = name
                result.document = document
                result.findings = [
                    f.model_copy(update={"location": f.location.model_copy(update={"file": name})}) for f in findings
                ]
                if saved and supports(saved):
                    out = sub / ("annotated" + Path(saved).suffix)
                    try:
                        annotate(saved, findings, out, lang=lang)
                        result.annotated = out.read_bytes()
                        result.annotated_name = annotated_name(name)
                    except Exception as error:  # noqa: BLE001 — the findings are still shown without the copy
                        result.error = f"{name}: 无法生成标注副本（{error}）"
            outcome.json_report, outcome.workbook = self.reports(outcome, folder, lang)
        return outcome

    def reports(self, outcome: Outcome, folder: Path, lang: str) -> tuple[bytes, bytes]:
        """The JSON report and the findings workbook of all files (goallint/report/)."""
        import io

        from goallint import report
        from goallint.report import json as json_report
        from goallint.run import FileResult, RuleInfo, RunResult

        run = RunResult(lang=lang)
        for f in outcome.files:
            result = FileResult(
                path=f.name,
                format=f.format,
                findings=list(f.findings),
                errors=[f.error] if f.error and f.document is None else [],
            )
            if f.document is not None:
                result.tables = len(f.document.tables)
                result.rows = sum(len(t.rows) for t in f.document.tables)
            for finding in f.findings:
                if finding.rule_id not in result.rules:
                    result.rules[finding.rule_id] = RuleInfo.for_id(self.ruleset, finding.rule_id)
            run.files.append(result)
        text = io.StringIO()
        json_report.write(run, text, lang=lang)
        path = folder / "findings.xlsx"
        report.write(run, "xlsx", path, lang=lang)
        return text.getvalue().encode("utf-8"), path.read_bytes()
