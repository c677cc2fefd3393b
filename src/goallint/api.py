"""The library API behind `goallint.check` and `goallint.read` (docs/api.md).

`goallint/__init__.py` re-exports these two functions and imports this module only when one is called,
so that `import goallint` stays cheap (a pre-commit hook starts a new process per run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from goallint.config import Settings
    from goallint.model import Document
    from goallint.run import RunResult

StrPath = str | PathLike[str]


def read(path: StrPath, *, fiscal_year: int | None = None) -> Document:
    """Read one table file into the model: tables, indicator rows with their parsed targets, fiscal years,
    and the reader problems (`Document.problems`, each with its code).

    `fiscal_year` overrides the year stated in or inferred from the file. A file that cannot be read
    raises `goallint.errors.GoallintError` (its message names the file, and the line or cell where known).
    """
    from goallint import pipeline

    return pipeline.load(path, fiscal_year=fiscal_year)


def check(
    paths: StrPath | Iterable[StrPath],
    *,
    config: StrPath | Settings | Literal[False] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    extend_select: list[str] | None = None,
    rules: Iterable[StrPath] = (),
    fiscal_year: int | None = None,
    force_exclude: bool = False,
    timeout: float | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    views: bool = False,
) -> RunResult:
    """Check files and folders against the rules, as `goallint check` does, and return the results.

    - `paths`: files or folders (folders are searched for the files some reader handles).
    - `config`: None finds `goallint.yaml` (or `[tool.goallint]` in pyproject.toml) upward from each file;
      a path uses that file for every file; a `goallint.config.Settings` is used as given; False uses none.
    - `select`, `ignore`, `extend_select`: rule codes as on the command line (ids, prefixes, names,
      families, `reader` for the reader problems); they override the configuration's.
    - `rules`: extra rules folders. `fiscal_year`: overrides every file's. `force_exclude`: apply the
      configuration's `exclude:` to files named in `paths` too. `timeout`: seconds per file (None: 120,
      0: no limit). `jobs`: worker processes (1: in this process). `progress(done, total)`: called as
      files finish. `views`: also send back each table's cells as shown (`FileResult.views`), for a
      report that draws the tables (the HTML report).

    The result has `files` (one `FileResult` per file, in path order: `findings`, `suppressed`, `errors`,
    `format`, `tables`, `rows`), `findings` (all files' findings, ordered), `errors` (configuration and
    rule-file errors), `rules` (what each reported rule is) and `failed` (an input or configuration
    error happened). A file that cannot be read is an error of that file; it does not stop the others.
    """
    from goallint.config import Settings
    from goallint.run import CheckOptions, check_paths

    if isinstance(paths, (str, PathLike)):
        paths = [paths]
    options = CheckOptions(
        fiscal_year=fiscal_year,
        select=list(select) if select is not None else None,
        ignore=list(ignore) if ignore is not None else None,
        extend_select=list(extend_select) if extend_select is not None else None,
        rules=[Path(r) for r in rules],
        config=config if isinstance(config, Settings) else (Path(config) if config else None),
        no_config=config is False,
        force_exclude=force_exclude,
        timeout=timeout,
        keep_views=views,
    )
    return check_paths([Path(p) for p in paths], options, jobs=jobs, progress=progress)
