"""The wheel carries grammar/ and rules/ and works from any folder (not only from a checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "data" / "corpus" / "tianjin-ccpit-2023-projects.txt"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # copy the tree so the build never writes into the checkout
    src = tmp_path_factory.mktemp("src") / "goallint"
    shutil.copytree(
        REPO, src, ignore=shutil.ignore_patterns(".venv*", ".git", "dist", "build", "*.egg-info", "__pycache__")
    )
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(src)], check=True, capture_output=True
    )
    (found,) = out.glob("goallint-*.whl")
    return found


def test_wheel_contains_grammar_and_rules(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "goallint/grammar/value.lark" in names
    assert "goallint/grammar/units.txt" in names
    assert any(name.startswith("goallint/rules/lexicon/") and name.endswith(".yaml") for name in names)


def test_installed_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    sample = workdir / SAMPLE.name
    shutil.copy(SAMPLE, sample)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    version = subprocess.run([bin_dir / "goallint", "--version"], cwd=workdir, env=env, capture_output=True, text=True)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("goallint ")

    parsed = subprocess.run(
        [bin_dir / "goallint", "parse", "--format", "json", sample.name],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    assert parsed.returncode == 0, parsed.stderr
    assert '"kind": "numeric"' in parsed.stdout  # values were parsed by the shipped grammar
    assert "信息化运维项目" in parsed.stdout
    # the code ran from the venv, not from the checkout
    where = subprocess.run(
        [bin_dir / "python", "-c", "import goallint.resources as r; print(r.data_dir('grammar'))"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    assert str(env_dir) in where.stdout
