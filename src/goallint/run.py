"""A check run: find the files, read and check each (in parallel processes with jobs > 1), collect results.

The CLI's `check` command is a thin layer over `check_paths`; reporters turn a `RunResult` into output.
Results are ordered by file path and findings by `Finding.sort_key`, so the output is the same
whatever the number of jobs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from goallint.model import Finding


@dataclass
class CheckOptions:
    """What the command line asked for (everything a worker process needs to check a file)."""

    fiscal_year: int | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    rules: list[Path] = field(default_factory=list)
    config: Path | None = None
    no_config: bool = False
    force_exclude: bool = False


@dataclass(frozen=True)
class RuleInfo:
    """What reporters show about a rule that fired (SARIF rule descriptors, the xlsx summary)."""

    id: str
    name: str
    severity: str
    summary_zh: str = ""
    summary_en: str = ""
    explanation_zh: str = ""
    explanation_en: str = ""
    file: str | None = None

    @classmethod
    def of(cls, loaded) -> RuleInfo:
        r = loaded.rule
        return cls(
            id=r.id, name=r.name, severity=r.severity, summary_zh=r.summary.zh, summary_en=r.summary.en or "",
            explanation_zh=(r.explanation.zh or "").strip(), explanation_en=(r.explanation.en or "").strip(),
            file=str(loaded.file) if loaded.file else None,
        )


# Document problems (truncated tables, unreadable cells) are reported under this id.
PROBLEM_RULE = RuleInfo(
    id="GL000", name="document-problem", severity="warning",
    summary_zh="表格本身的问题：截断、无法读取的单元格、前后不一致的表头等",
    summary_en="A problem with the document itself: truncation, unreadable cells, inconsistent headers",
)


@dataclass
class FileResult:
    """One file: what was read and found, or the errors that stopped it being read."""

    path: str
    format: str | None = None
    tables: int = 0
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lang: str | None = None  # the configured language for this file
    fail_level: str | None = None  # the configured fail level for this file
    rules: dict[str, RuleInfo] = field(default_factory=dict)  # the rules that fired, by id
    # findings the configuration silences, with the reason (--show-suppressed); baselined ones are added by the CLI
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # configuration / rule-file errors, not tied to one file
    lang: str = "zh"
    fail_level: str = "warning"

    @property
    def findings(self) -> list[Finding]:
        return sorted((f for r in self.files for f in r.findings), key=Finding.sort_key)

    @property
    def rules(self) -> dict[str, RuleInfo]:
        out: dict[str, RuleInfo] = {}
        for r in self.files:
            out.update(r.rules)
        return dict(sorted(out.items()))

    @property
    def failed(self) -> bool:
        """An input or configuration error happened (exit 2)."""
        return bool(self.errors) or any(r.errors for r in self.files)


class Checker:
    """Engines per configuration file, built once per process and reused for every file."""

    def __init__(self, options: CheckOptions):
        from goallint.config import read_config

        self.options = options
        self.explicit = read_config(options.config) if options.config is not None else None
        self.engines: dict = {}
        self.rulesets: dict = {}
        self.rule_errors: list[str] = []

    def settings_for(self, path: Path):
        from goallint.config import Settings, find_config, read_config

        if self.explicit is not None:
            return self.explicit
        if self.options.no_config:
            return Settings()
        found = find_config(path.resolve())
        return read_config(found) if found else Settings()

    def engine_for(self, path: Path):
        from goallint.config import load_profile
        from goallint.engine.loader import load_rules
        from goallint.engine.runner import Engine

        settings = self.settings_for(path)
        key = settings.source
        if key in self.engines:
            return self.engines[key]
        root = Path(settings.root) if settings.root else Path.cwd()
        dirs = [root / d for d in settings.rule_dirs] + list(self.options.rules)
        rkey = tuple(str(Path(d).resolve()) for d in dirs)
        if rkey not in self.rulesets:
            self.rulesets[rkey] = load_rules(dirs)
            for error in self.rulesets[rkey].errors:
                if str(error) not in self.rule_errors:
                    self.rule_errors.append(str(error))
        ruleset = self.rulesets[rkey]
        profile = load_profile(settings.profile, [root]) if settings.profile else None
        o = self.options
        engine = Engine(ruleset, settings, profile=profile, select=o.select, ignore=o.ignore, extend_select=o.extend_select)
        self.engines[key] = engine
        return engine

    def check_file(self, path: Path) -> FileResult:
        from goallint import pipeline
        from goallint.errors import GoallintError

        result = FileResult(path=str(path))
        try:
            engine = self.engine_for(path)
            result.lang, result.fail_level = engine.settings.lang, engine.settings.fail_level
            fy = self.options.fiscal_year if self.options.fiscal_year is not None else engine.settings.fiscal_year
            document = pipeline.load(path, fiscal_year=fy)
        except GoallintError as error:
            result.errors.append(str(error))
            return result
        except Exception as error:  # noqa: BLE001 — one broken file must not end the run
            result.errors.append(f"{path}: {type(error).__name__}: {error}")
            return result
        result.format = document.format
        result.tables = len(document.tables)
        result.rows = sum(len(t.rows) for t in document.tables)
        try:
            result.findings = engine.check(document, suppressed=result.suppressed)
        except Exception as error:  # noqa: BLE001
            result.errors.append(f"{path}: internal error while checking: {type(error).__name__}: {error}")
        from goallint.engine.guard import errors as rule_failures

        for error in rule_failures(engine.ruleset.rules):  # rules that failed at run time (engine/guard.py)
            if str(error) not in self.rule_errors:
                self.rule_errors.append(str(error))
        for f in result.findings:
            if f.rule_id not in result.rules:
                loaded = engine.ruleset.by_id(f.rule_id)
                result.rules[f.rule_id] = RuleInfo.of(loaded) if loaded is not None else PROBLEM_RULE
        return result


# --------------------------------------------------------------------------- worker processes

_worker: Checker | None = None


def _init_worker(options: CheckOptions) -> None:
    global _worker
    _worker = Checker(options)


def _check_in_worker(path: str) -> tuple[FileResult, list[str]]:
    assert _worker is not None
    return _worker.check_file(Path(path)), list(_worker.rule_errors)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


Progress = Callable[[int, int], None]  # (done, total)
MIN_FILES_PER_WORKER = 4


def check_paths(
    paths: list[Path],
    options: CheckOptions,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> RunResult:
    """Find the files under `paths`, check each, and return the results in path order."""
    from goallint.errors import GoallintError
    from goallint.files import collect

    run = RunResult()
    try:
        checker = Checker(options)
    except GoallintError as error:
        run.errors.append(str(error))
        return run
    files = collect(paths, force_exclude=options.force_exclude, settings_for=checker.settings_for)
    total = len(files)
    results: dict[str, FileResult] = {}
    # A worker process pays the start-up (imports, rule loading) again: small runs stay in this process.
    workers = min(jobs, total // MIN_FILES_PER_WORKER)
    if workers < 2:
        for i, path in enumerate(files, 1):
            results[str(path)] = checker.check_file(path)
            if progress:
                progress(i, total)
        rule_errors = checker.rule_errors
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        rule_errors = []
        import multiprocessing

        # fork where there is one: workers start with the modules already imported (all are started
        # by the submits below, before any progress-bar thread exists)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(options,)) as pool:
            futures = {pool.submit(_check_in_worker, str(p)): str(p) for p in files}
            for i, future in enumerate(as_completed(futures), 1):
                try:
                    result, errors = future.result()
                except Exception as error:  # noqa: BLE001 — a worker that died takes only its file down
                    path = futures[future]
                    result, errors = FileResult(path=path, errors=[f"{path}: {type(error).__name__}: {error}"]), []
                results[result.path] = result
                rule_errors += [e for e in errors if e not in rule_errors]
                if progress:
                    progress(i, total)
    run.errors += sorted(rule_errors)
    run.files = [results[str(p)] for p in files]
    first = next((r for r in run.files if r.lang), None)
    if first is not None:
        run.lang, run.fail_level = first.lang, first.fail_level
    return run


class DelayedProgress:
    """A rich progress bar on stderr that appears only once a run has taken longer than `delay` seconds."""

    def __init__(self, delay: float = 2.0, label: str = "checking"):
        self.delay = delay
        self.label = label
        self.start = time.monotonic()
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.start < self.delay or done >= total:
                return
            import sys

            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(file=sys.stderr), transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
