"""A batch run over a hostile folder: symlink loops, files that vanish mid-run, files that cannot be
read, things that are not files. Each ends in a clear error for that file; the others are checked."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from goallint.run import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "examples" / "clean.csv"
OPTIONS = CheckOptions(no_config=True)


def test_symlink_loops_are_not_followed(tmp_path):
    folder = tmp_path / "tables"
    (folder / "a" / "b").mkdir(parents=True)
    shutil.copy(CLEAN, folder / "a" / "b" / "one.csv")
    os.symlink("../..", folder / "a" / "b" / "up")  # a folder loop
    os.symlink(folder, folder / "a" / "again")  # another
    os.symlink("self.csv", folder / "self.csv")  # a file link pointing at itself
    os.symlink(folder / "a" / "b" / "one.csv", folder / "link.csv")  # the same file again: checked once
    run = check_paths([folder], OPTIONS)
    names = sorted(Path(r.path).name for r in run.files)
    assert names == ["one.csv", "self.csv"]
    by_name = {Path(r.path).name: r for r in run.files}
    assert by_name["one.csv"].rows == 10 and not by_name["one.csv"].errors
    (error,) = by_name["self.csv"].errors
    assert error.startswith(str(folder / "self.csv")) and "不存在" in error


def test_a_loop_named_on_the_command_line(tmp_path):
    os.symlink("loop.csv", tmp_path / "loop.csv")
    run = check_paths([tmp_path / "loop.csv", CLEAN], OPTIONS)
    assert len(run.files) == 2 and run.files[0].errors and run.files[1].rows == 10


def test_a_file_that_vanishes_mid_run(tmp_path):
    """The second file is deleted after the first has been checked (the run has already listed it)."""
    for name in ("1.csv", "2.csv", "3.csv"):
        shutil.copy(CLEAN, tmp_path / name)

    def progress(done: int, total: int) -> None:
        if done == 1:
            (tmp_path / "2.csv").unlink()

    run = check_paths([tmp_path], OPTIONS, jobs=1, progress=progress)
    by_name = {Path(r.path).name: r for r in run.files}
    assert by_name["1.csv"].rows == 10 and by_name["3.csv"].rows == 10
    (error,) = by_name["2.csv"].errors
    assert error.startswith(str(tmp_path / "2.csv")) and "不存在" in error


def test_a_file_replaced_by_a_folder_mid_run(tmp_path):
    for name in ("1.docx", "2.xlsx"):
        shutil.copy(ROOT / "examples" / f"clean{Path(name).suffix}", tmp_path / name)

    def progress(done: int, total: int) -> None:
        if done == 1:
            (tmp_path / "2.xlsx").unlink()
            (tmp_path / "2.xlsx").mkdir()

    run = check_paths([tmp_path], OPTIONS, jobs=1, progress=progress)
    (error,) = run.files[1].errors
    assert "不是文件" in error and run.files[0].rows == 10


def test_a_fifo_and_a_device_are_not_read(tmp_path):
    """A named pipe with a table's name would block a reader forever: it is refused unopened."""
    os.mkfifo(tmp_path / "pipe.txt")
    shutil.copy(CLEAN, tmp_path / "ok.csv")
    run = check_paths([tmp_path / "pipe.txt", Path("/dev/zero.csv"), tmp_path / "ok.csv"], OPTIONS)
    errors = {Path(r.path).name: r.errors for r in run.files}
    assert "不是文件" in errors["pipe.txt"][0]
    assert errors["zero.csv"] and errors["ok.csv"] == []


def _check_as_nobody(paths: list[Path]) -> list[dict]:
    """Run check_paths in a forked child that has dropped root (root reads any file regardless of mode).

    Everything the check needs is imported and warmed up in this process first: the child may not
    be able to read the interpreter's own files once it is `nobody`.
    """
    check_paths([CLEAN], OPTIONS)  # warm-up: imports, rules, lexicons
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            run = check_paths(paths, OPTIONS)
            out = [{"path": r.path, "rows": r.rows, "errors": r.errors} for r in run.files]
            os.write(write, json.dumps(out).encode())
        except BaseException as exc:  # noqa: BLE001 — tell the parent what went wrong
            os.write(write, json.dumps({"child failed": f"{type(exc).__name__}: {exc}"}).encode())
        finally:
            os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.waitpid(pid, 0)
    result = json.loads(data)
    assert isinstance(result, list), result
    return result


@pytest.fixture
def shared_tmp():
    """A folder others can search (pytest's tmp folders are 0700, so `nobody` could not reach them)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="goallint-perm-", dir="/tmp"))
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_file_without_read_permission(shared_tmp):
    folder = shared_tmp
    for name in ("locked.csv", "open.csv", "locked.docx"):
        shutil.copy(CLEAN if name.endswith(".csv") else ROOT / "examples" / "clean.docx", folder / name)
        os.chmod(folder / name, 0o644)
    os.chmod(folder / "locked.csv", 0)
    os.chmod(folder / "locked.docx", 0)
    if os.geteuid() == 0:  # root reads anything: check in a child that has dropped to `nobody`
        files = _check_as_nobody([folder])
    else:
        run = check_paths([folder], OPTIONS)
        files = [{"path": r.path, "rows": r.rows, "errors": r.errors} for r in run.files]
    by_name = {Path(f["path"]).name: f for f in files}
    assert by_name["open.csv"]["rows"] == 10 and not by_name["open.csv"]["errors"]
    for name in ("locked.csv", "locked.docx"):
        (error,) = by_name[name]["errors"]
        assert error.startswith(str(folder / name)) and "无法读取文件" in error and "Permission denied" in error
