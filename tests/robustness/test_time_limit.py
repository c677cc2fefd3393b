"""The per-file time limit (`--timeout`): a file whose reading and checking take too much CPU time is stopped
with an error naming it, in one process and in worker processes; the other files are checked as usual, also
on a machine busy with other work (the limit counts CPU time, and a process's one-time setup is not charged
to its first file)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from goallint.run import CheckOptions, check_paths
from goallint.safety import FileTimeout, time_limit

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus" / "tianjin-commerce-2025-projects.txt"
CLEAN = ROOT / "examples" / "clean.csv"


@pytest.fixture(scope="module")
def slow_file(tmp_path_factory) -> Path:
    """A real Word dump forty times over: 2,480 tables, which takes seconds to read and check."""
    path = tmp_path_factory.mktemp("slow") / "big.txt"
    path.write_text(CORPUS.read_text(encoding="utf-8") * 40, encoding="utf-8")
    return path


def test_the_timer_stops_a_block_and_is_removed_after_it():
    with pytest.raises(FileTimeout), time_limit(0.05):
        while True:
            pass
    with time_limit(0.05):  # a block that ends in time leaves no timer behind
        pass
    total = sum(range(10_000_000))  # would be interrupted by a stray timer
    assert total > 0


def test_an_alarm_in_a_finalizer_waits_for_ordinary_code(monkeypatch):
    # raised inside __del__ the exception would be printed ("Exception ignored in …") and lost; the alarm
    # lets the finalizer finish and stops the loop around it instead
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)

    def spin(seconds: float) -> None:
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass

    class Slow:
        def __del__(self):
            spin(0.005)

    rounds = 0
    with pytest.raises(FileTimeout), time_limit(0.1):
        while rounds < 500:  # 5 s of CPU time: the limit stops it long before
            Slow()  # finalized at once: half of the time is spent in __del__
            spin(0.005)
            rounds += 1
    assert 0 < rounds < 500 and unraisable == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_slow_file_is_stopped_and_the_others_are_checked(slow_file, jobs, tmp_path):
    # eight files, so that jobs=2 really hands them to worker processes (small runs stay in one)
    cleans = []
    for i in range(7):
        cleans.append(tmp_path / f"clean-{i}.csv")
        cleans[-1].write_bytes(CLEAN.read_bytes())
    run = check_paths([slow_file, *cleans], CheckOptions(no_config=True, timeout=0.2), jobs=jobs)
    by_name = {Path(r.path).name: r for r in run.files}
    (error,) = by_name["big.txt"].errors
    assert error.startswith(str(slow_file)) and "超过 0.2 秒" in error and "--timeout" in error
    assert by_name["big.txt"].findings == []
    assert all(by_name[c.name].rows == 10 and not by_name[c.name].errors for c in cleans)


def test_no_limit_reads_the_slow_file_whole(slow_file):
    run = check_paths([slow_file], CheckOptions(no_config=True, timeout=0), jobs=1)
    (result,) = run.files
    assert not result.errors and result.tables == 40 * 62 and result.findings


def test_the_command_line_reports_it_and_exits_2(slow_file):
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "goallint"),
            "check",
            "--no-config",
            "--no-color",
            "--timeout",
            "0.2",
            "--jobs",
            "1",
            str(slow_file),
            str(CLEAN),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert f"{slow_file}: 读取和检查超过 0.2 秒" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "clean.csv" in done.stdout  # the per-file summary still lists the clean file
