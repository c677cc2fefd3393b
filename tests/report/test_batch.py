"""Batch runs: folders walked with excludes, parallel jobs giving identical output, one bad file not ending the run."""

from __future__ import annotations

import io
import json
import shutil
import sys

import pytest

from goallint.run import DelayedProgress

from .helpers import CORPUS, EXAMPLES, run


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_jobs_1_and_2_give_identical_output(fmt):
    one = run("check", "--no-config", "--format", fmt, "--jobs", "1", CORPUS, EXAMPLES)
    two = run("check", "--no-config", "--format", fmt, "--jobs", "2", CORPUS, EXAMPLES)
    assert one.exit_code == two.exit_code == 1
    assert one.stdout_bytes == two.stdout_bytes
    assert one.stderr_bytes == two.stderr_bytes
    assert len(one.stdout) > 1000


def test_batch_text_ends_with_per_file_and_per_rule_summary():
    result = run("check", "--no-config", "--jobs", "2", CORPUS)
    out = result.stdout
    assert "按文件：" in out and "按规则：" in out
    per_file = out[out.index("按文件：") : out.index("按规则：")]
    for path in sorted(CORPUS.iterdir()):
        assert str(path) in per_file
    data = json.loads(run("check", "--no-config", "--format", "json", CORPUS).stdout)
    per_rule = out[out.index("按规则：") :].splitlines()[1:]
    for rule_id, n in data["summary"]["rules"].items():
        assert any(line.split()[:2] == [str(n), rule_id] for line in per_rule), (rule_id, n)
    s = data["summary"]
    assert f"（{s['files']} 个文件，{s['tables']} 张表，{s['rows']} 行指标）" in out.strip().splitlines()[-1]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unreadable_file_is_an_error_line_not_the_end(tmp_path, jobs):
    # enough files for two worker processes (small runs stay in one process)
    for name in ("faulty.xlsx", "clean.csv", "faulty.yaml", "clean.docx", "faulty.docx", "clean.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / "b-broken.xlsx").write_bytes(b"PK\x03\x04 truncated zip")
    (tmp_path / "c-empty.docx").write_bytes(b"")
    result = run("check", "--no-config", "--jobs", jobs, tmp_path)
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert len([e for e in errors if "b-broken.xlsx" in e]) == 1
    assert len([e for e in errors if "c-empty.docx" in e]) == 1
    assert "Traceback" not in result.output
    assert "GL102" in result.stdout  # faulty.xlsx is still checked
    assert "b-broken.xlsx" in result.stdout and "无法读取" in result.stdout  # named in the per-file summary
    assert "2 个文件无法读取" in result.stdout.strip().splitlines()[-1]
    data = json.loads(run("check", "--no-config", "--jobs", jobs, "--format", "json", tmp_path).stdout)
    broken = next(f for f in data["files"] if f["path"].endswith("b-broken.xlsx"))
    assert broken["errors"] and broken["format"] is None
    assert data["summary"]["unreadable"] == 2


def _tree(root):
    """A folder of tables with things a walk must skip."""
    (root / "tables").mkdir()
    (root / "tables" / "drafts").mkdir()
    (root / ".git").mkdir()
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / "node_modules").mkdir()
    shutil.copy(EXAMPLES / "faulty.xlsx", root / "tables" / "faulty.xlsx")
    shutil.copy(EXAMPLES / "clean.csv", root / "tables" / "clean.csv")
    shutil.copy(EXAMPLES / "faulty.csv", root / "tables" / "faulty-old.csv")
    shutil.copy(EXAMPLES / "faulty.yaml", root / "tables" / "drafts" / "draft.yaml")
    for hidden in (root / ".git" / "x.csv", root / ".venv" / "lib" / "x.csv", root / "node_modules" / "x.csv"):
        shutil.copy(EXAMPLES / "faulty.csv", hidden)
    (root / "tables" / "notes.md").write_text("not a table", encoding="utf-8")


def _checked(result) -> list[str]:
    return [f["path"] for f in json.loads(result.stdout)["files"]]


def test_walk_skips_vcs_and_venv(tmp_path):
    _tree(tmp_path)
    result = run("check", "--no-config", "--format", "json", tmp_path)
    names = [p.removeprefix(str(tmp_path) + "/") for p in _checked(result)]
    assert names == ["tables/clean.csv", "tables/drafts/draft.yaml", "tables/faulty-old.csv", "tables/faulty.xlsx"]


def test_config_excludes_gitignore_style(tmp_path):
    _tree(tmp_path)
    (tmp_path / "goallint.yaml").write_text("exclude:\n  - drafts/\n  - '*-old.csv'\n", encoding="utf-8")
    result = run("check", "--format", "json", tmp_path)
    names = [p.removeprefix(str(tmp_path) + "/") for p in _checked(result)]
    assert names == ["tables/clean.csv", "tables/faulty.xlsx"]
    # a file named on the command line is checked unless --force-exclude (as the pre-commit hook passes)
    old = tmp_path / "tables" / "faulty-old.csv"
    assert _checked(run("check", "--format", "json", old)) == [str(old)]
    forced = run("check", "--format", "json", "--force-exclude", old)
    assert _checked(forced) == [] and forced.exit_code == 0
    # a negated pattern brings a file back, as in .gitignore
    (tmp_path / "goallint.yaml").write_text("exclude: ['*.csv', '!clean.csv']\n", encoding="utf-8")
    names = [p.removeprefix(str(tmp_path) + "/") for p in _checked(run("check", "--format", "json", tmp_path))]
    assert names == ["tables/clean.csv", "tables/drafts/draft.yaml", "tables/faulty.xlsx"]


def test_a_file_given_twice_is_checked_once(tmp_path):
    shutil.copy(EXAMPLES / "faulty.xlsx", tmp_path / "faulty.xlsx")
    result = run("check", "--no-config", "--format", "json", tmp_path, tmp_path / "faulty.xlsx")
    assert len(_checked(result)) == 1


def test_progress_bar_appears_only_after_the_delay(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    quick = DelayedProgress(delay=60)
    for i in range(1, 4):
        quick(i, 5)
    quick.close()
    assert quick.bar is None and err.getvalue() == ""
    slow = DelayedProgress(delay=0)
    slow(1, 5)
    slow(2, 5)
    assert slow.bar is not None and slow.bar.tasks[0].completed == 2 and slow.bar.tasks[0].total == 5
    slow.close()


_PID_LOG: list = []  # [path of the log file], set by the test below; forked workers inherit it


def _logged_check(path: str):
    import os

    from goallint import run as run_module

    with open(_PID_LOG[0], "a") as out:
        out.write(f"{os.getpid()}\n")
    return run_module._check_in_worker_original(path)


def test_jobs_2_really_checks_in_worker_processes(tmp_path, monkeypatch):
    """The determinism test above means something only if --jobs 2 does use other processes."""
    import os

    from goallint import run as run_module

    log = tmp_path / "pids"
    _PID_LOG[:] = [str(log)]
    monkeypatch.setattr(run_module, "_check_in_worker_original", run_module._check_in_worker, raising=False)
    monkeypatch.setattr(run_module, "_check_in_worker", _logged_check)  # inherited by the forked workers
    files = sorted(CORPUS.iterdir()) + sorted(EXAMPLES.iterdir())
    parallel = run_module.check_paths(files, run_module.CheckOptions(no_config=True), jobs=2)
    pids = log.read_text().split()
    assert len(pids) == len(files) and str(os.getpid()) not in pids
    serial = run_module.check_paths(files, run_module.CheckOptions(no_config=True), jobs=1)
    assert [f.model_dump() for f in parallel.findings] == [f.model_dump() for f in serial.findings]
    assert [(r.path, r.tables, r.rows) for r in parallel.files] == [(r.path, r.tables, r.rows) for r in serial.files]
