"""`--fix` and `--annotate` never damage the user's original, even when the process dies mid-write.

Two ways: the real command killed (SIGKILL) exactly between writing its temporary file and
replacing the original (os.fsync / os.replace made to kill the process), and the real command
killed at random moments of a run. Afterwards the original is byte for byte either as it was or
the complete fixed file — nothing in between.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "GOALLINT_NO_CACHE": "1", "PYTHONWARNINGS": "ignore"}

# Run the real CLI with one os function replaced by "kill this process now".
DIE_AT = """
import os, signal, sys
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
setattr(os, sys.argv[1], die)
from goallint.cli import main
sys.argv = ["goallint", *sys.argv[2:]]
main()
"""


def _die_at(function: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", DIE_AT, function, *args], cwd=cwd, env=ENV, capture_output=True, timeout=300
    )


@pytest.mark.parametrize("name", ["faulty.xlsx", "faulty.docx"])
@pytest.mark.parametrize("function", ["fsync", "replace"])
def test_fix_killed_before_the_replace_leaves_the_original(tmp_path, name, function):
    path = tmp_path / name
    shutil.copy(ROOT / "examples" / name, path)
    before = path.read_bytes()
    done = _die_at(function, "check", "--no-config", "--fix", str(path), cwd=tmp_path)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert path.read_bytes() == before
    # it did die mid-write: the temporary copy is there (hidden, so a later run over the folder skips it)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != name]
    assert leftovers and all(p.startswith(".") for p in leftovers), leftovers
    # and the original still checks as before
    again = subprocess.run(
        [str(Path(sys.executable).with_name("goallint")), "check", "--no-config", "--diff", str(path)],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "≧2次" in again.stdout and "≥2次" in again.stdout


def test_fix_killed_at_random_moments(tmp_path):
    """The original is always either untouched or completely fixed."""
    name = "faulty.docx"
    original = (ROOT / "examples" / name).read_bytes()
    reference = tmp_path / "reference" / name
    reference.parent.mkdir()
    reference.write_bytes(original)
    goallint = str(Path(sys.executable).with_name("goallint"))
    started = time.monotonic()
    subprocess.run(
        [goallint, "check", "--no-config", "--fix", str(reference)], env=ENV, capture_output=True, timeout=300
    )
    duration = time.monotonic() - started
    fixed = reference.read_bytes()
    assert fixed != original
    rng = random.Random(8)
    seen = set()
    for attempt in range(8):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        path = folder / name
        path.write_bytes(original)
        process = subprocess.Popen(
            [goallint, "check", "--no-config", "--fix", str(path)],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.1) * duration)
        process.kill()
        process.wait(timeout=60)
        data = path.read_bytes()
        assert data in (original, fixed), f"attempt {attempt}: the file is neither the original nor the fixed one"
        seen.add("fixed" if data == fixed else "original")
    assert seen  # (which of the two depends on the machine's speed; both are safe)


def test_annotate_killed_before_the_replace(tmp_path):
    source = tmp_path / "faulty.xlsx"
    shutil.copy(ROOT / "examples" / "faulty.xlsx", source)
    before = source.read_bytes()
    out = tmp_path / "marked"
    done = _die_at("replace", "check", "--no-config", "--annotate", str(out), str(source), cwd=tmp_path)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert source.read_bytes() == before
    # no half-written copy under the final name; at most a hidden temporary file
    assert all(p.name.startswith(".") for p in out.iterdir())
