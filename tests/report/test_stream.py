"""Streamed reports (`check` without --fix/--baseline/...): the same text as a report built in memory, and
nothing of a file's findings kept once it is written."""

from __future__ import annotations

import importlib
import io
import shutil

import pytest

from goallint.run import CheckOptions, StreamedRun, check_paths

from .helpers import CORPUS, EXAMPLES

OPTIONS = CheckOptions(no_config=True)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The corpus and examples, with an unreadable file first and a broken one last (their errors are reported)."""
    root = tmp_path_factory.mktemp("stream")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "corpus" / "aa-broken.xlsx").write_bytes(b"not a workbook")
    (root / "corpus" / "zz-bad.yaml").write_text("tables: [\n", encoding="utf-8")
    return [root / "corpus", EXAMPLES]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_streamed_report_is_the_in_memory_report(inputs, fmt, lang, jobs):
    module = importlib.import_module(f"goallint.report.{fmt}")
    built = io.StringIO()
    module.write(check_paths(inputs, OPTIONS, jobs=1), built, lang=lang, color=False)
    streamed = io.StringIO()
    module.stream(StreamedRun(inputs, OPTIONS, jobs=jobs), streamed, lang=lang, color=False)
    assert streamed.getvalue() == built.getvalue()
    assert "aa-broken.xlsx" in streamed.getvalue() and "zz-bad.yaml" in streamed.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_streamed_json_into_a_byte_stream_is_the_in_memory_report(inputs, encoding):
    """The JSON findings are copied as UTF-8 bytes into a UTF-8 stream's buffer; any other encoding
    (a Chinese Windows console) gets text."""
    from goallint.report import json as json_report

    built = io.StringIO()
    json_report.write(check_paths(inputs, OPTIONS, jobs=1), built, lang="zh")
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, newline="\n")
    json_report.stream(StreamedRun(inputs, OPTIONS), out, lang="zh")
    out.flush()
    assert raw.getvalue().decode(encoding) == built.getvalue()
    assert "满意度" in built.getvalue()


def test_a_streamed_run_keeps_counts_not_findings(inputs):
    run = StreamedRun(inputs, OPTIONS)
    seen = 0
    for result in run:
        assert (
            result.findings == sorted(result.findings, key=type(result.findings[0]).sort_key)
            if result.findings
            else True
        )
        seen += len(result.findings)
    assert seen > 100
    assert sum(run.severities.values()) == sum(run.rule_counts.values()) == seen
    assert all(not r.findings for r in run.files)
    assert [r.path for r in run.files] == [r.path for r in check_paths(inputs, OPTIONS).files]
    assert run.failed  # the two broken files


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_file_is_checked_once_in_the_configured_language(tmp_path, monkeypatch, jobs):
    """The run's language is known before any file is checked (that of the first file whose settings read),
    so each file's findings are rendered once, in the report's language: no file is checked twice."""
    from goallint import run as run_module
    from goallint.report import json as json_report

    (tmp_path / "goallint.yaml").write_text("lang: en\n", encoding="utf-8")
    for example in sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.yaml")):
        shutil.copy(example, tmp_path / example.name)
    options = CheckOptions()
    built = io.StringIO()
    in_memory = check_paths([tmp_path], options, jobs=1)
    json_report.write(in_memory, built, lang=in_memory.lang)
    checked = []
    check_file = run_module.Checker.check_file
    monkeypatch.setattr(
        run_module.Checker, "check_file", lambda self, path: checked.append(path) or check_file(self, path)
    )
    run = StreamedRun([tmp_path], options, jobs=jobs)
    assert run.lang == in_memory.lang == "en"
    streamed = io.StringIO()
    json_report.stream(run, streamed)
    assert streamed.getvalue() == built.getvalue()
    assert '"lang": "en"' in streamed.getvalue() and '"message": "' in streamed.getvalue()
    if jobs == 1:  # with workers the calls are in other processes
        assert sorted(checked) == sorted(set(checked)) and len(checked) == len(in_memory.files)


def test_streamed_entries_have_the_fields_of_the_report_schema(inputs):
    """findings_json dumps dicts: they must name the FindingEntry fields, in the same order."""
    from goallint.report.json import FindingEntry, entry_fields, finding_entry

    findings = check_paths(inputs, OPTIONS, jobs=1).findings
    fixed = next(f for f in findings if f.fix is not None)
    for f in (findings[0], fixed):
        fields = entry_fields(f, "en")
        # block and table_form are written only where a table has them (two-target, self-evaluation tables)
        assert list(fields) == [n for n in FindingEntry.model_fields if n not in ("block", "table_form")]
        assert FindingEntry.model_validate(fields) == finding_entry(f, "en")
        assert finding_entry(f, "en").model_dump_json() == FindingEntry.model_validate(fields).model_dump_json()
        assert '"block"' not in finding_entry(f, "en").model_dump_json()


def test_workers_send_each_rule_once_and_the_run_still_knows_every_rule(inputs):
    from goallint.run import StreamedRun

    alone, workers = check_paths(inputs, OPTIONS, jobs=1), check_paths(inputs, OPTIONS, jobs=2)
    assert workers.rules == alone.rules and len(alone.rules) > 10
    per_file = sum(len(r.rules) for r in workers.files)
    assert per_file < sum(len(r.rules) for r in alone.files)  # not with every file
    streamed = StreamedRun(inputs, OPTIONS, jobs=2)
    list(streamed)
    assert streamed.rules == alone.rules
