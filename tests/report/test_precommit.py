"""The real pre-commit runs the hook from .pre-commit-hooks.yaml (`pre-commit try-repo`) in a temporary git repo.

The hook repository is a git copy of this working tree (tracked and untracked, not ignored, files), so the
test sees the current hook definition and code whether or not they are committed; pre-commit installs it
into its own virtualenv with pip, as it would for a user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "goallint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "goallint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("hook-repo")
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        .stdout.decode("utf-8")
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "hook repository for the test")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")  # shared: the hook's environment is installed once


def try_repo(hook_repo: Path, home: Path, project: Path, *files: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            "goallint",
            "--color",
            "never",
            "--files",
            *files,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture
def project(tmp_path) -> Path:
    git(tmp_path, "init", "-q")
    shutil.copy(EXAMPLES / "clean.xlsx", tmp_path / "clean.xlsx")
    shutil.copy(EXAMPLES / "faulty.xlsx", tmp_path / "faulty.xlsx")
    (tmp_path / "notes.txt").write_text("会议纪要，不是绩效目标表。\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    return tmp_path


def test_hook_passes_on_a_clean_table(hook_repo, pre_commit_home, project):
    result = try_repo(hook_repo, pre_commit_home, project, "clean.xlsx", "notes.txt")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "goallint" in result.stdout and "Passed" in result.stdout


def test_hook_fails_on_a_faulty_table_and_shows_the_finding(hook_repo, pre_commit_home, project):
    result = try_repo(hook_repo, pre_commit_home, project, "clean.xlsx", "faulty.xlsx")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "Failed" in out and "exit code: 1" in out
    assert "faulty.xlsx" in out and "GL102 nonstandard-comparator" in out and "「≧2次」" in out


def test_hook_manifest_is_valid_and_the_readme_config_uses_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    import re

    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["entry"].startswith("goallint check") and hook["language"] == "python"
    files = re.compile(hook["files"])
    assert all(files.search(f"a/表{s}") for s in (".docx", ".xlsx", ".csv"))
    assert not any(files.search(f"a/b{s}") for s in (".txt", ".yaml", ".json", ".md"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.S).group(1)
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(block, encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ids = [h["id"] for repo in YAML(typ="safe").load(block)["repos"] for h in repo["hooks"]]
    assert ids == [hook["id"]]
    # the optional wider `files:` shown in the README is a valid regex that takes text dumps and YAML tables
    wider = re.search(r"# files: (\S+)", block).group(1)
    assert (
        re.search(wider, "tables/2025.txt") and re.search(wider, "tables/a.yml") and not re.search(wider, "README.md")
    )
