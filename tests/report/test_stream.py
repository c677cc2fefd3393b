"""Streamed reports (`check` without --fix/--baseline/...): the same text as a report built in memory, and
nothing of a file's findings kept once it is written."""

from __future__ import annotations

import importlib
import io
import shutil
from pathlib import Path

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
def test_json_findings_come_back_rendered_and_counted(inputs, jobs):
    """A streamed JSON report has each file's findings rendered where the file is checked (in the workers
    with --jobs): the parent gets bytes and counts, and the summary still counts every finding."""
    from goallint.report.json import findings_json
    from goallint.run import Spooled

    built = check_paths(inputs, OPTIONS, jobs=1)
    run = StreamedRun(inputs, OPTIONS, jobs=jobs)
    run.render_findings(findings_json, None)
    rendered = []
    for r in run:  # a worker's spool file lasts as long as the iteration
        if r.rendered is not None:
            lang, data = r.rendered
            # with workers, the bytes stay in their spool files and only where they are comes back
            assert isinstance(data, Spooled if jobs > 1 else bytes)
            rendered.append((r, lang, data.read() if isinstance(data, Spooled) else data))
    assert len(rendered) >= 3 and all(not r.findings and lang == "zh" for r, lang, _ in rendered)
    by_path = {r.path: r for r in built.files}
    for r, _, data in rendered:
        assert data == findings_json(
            sorted(by_path[r.path].findings, key=type(by_path[r.path].findings[0]).sort_key), "zh"
        )
    assert sum(run.severities.values()) == len(built.findings)
    assert run.fixable == sum(1 for f in built.findings if f.fix is not None and f.fix.safe)
    if jobs > 1:  # the spool files are gone with the run
        spool_file = Path(rendered[0][0].rendered[1].path)
        assert spool_file.name.startswith("worker-") and not spool_file.exists()


def test_findings_rendered_in_another_language_are_made_again(inputs, monkeypatch):
    """Should the predicted language be wrong, the report is still that of a run built in memory."""
    from goallint.report import json as json_report

    built = io.StringIO()
    json_report.write(check_paths(inputs, OPTIONS, jobs=1), built, lang="zh")
    run = StreamedRun(inputs, OPTIONS, jobs=2)
    predict = run.render_findings
    monkeypatch.setattr(run, "render_findings", lambda render, lang: predict(render, "en"))
    again = []
    findings_of = run.findings_of
    monkeypatch.setattr(run, "findings_of", lambda result: again.append(result.path) or findings_of(result))
    streamed = io.StringIO()
    json_report.stream(run, streamed)
    assert streamed.getvalue() == built.getvalue()
    assert len(again) >= 3


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
