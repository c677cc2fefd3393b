"""A check run: find the files, read and check each (in parallel processes with jobs > 1), collect results.

The CLI's `check` command is a thin layer over `check_paths`; reporters turn a `RunResult` into output.
Results are ordered by file path and findings by `Finding.sort_key`, so the output is the same
whatever the number of jobs.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from goallint.model import Finding

if TYPE_CHECKING:
    from goallint.config import Settings


@dataclass
class CheckOptions:
    """What the command line asked for (everything a worker process needs to check a file)."""

    fiscal_year: int | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    rules: list[Path] = field(default_factory=list)
    config: Path | Settings | None = None  # a configuration file, or settings given as such (goallint.check)
    no_config: bool = False
    force_exclude: bool = False
    timeout: float | None = None  # seconds per file (reading and checking); None: safety.DEFAULT_FILE_SECONDS, 0: none
    # the HTML report draws every table: each file's tables come back as unmarked views (web/views.skeleton)
    keep_views: bool = False


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
            id=r.id,
            name=r.name,
            severity=r.severity,
            summary_zh=r.summary.zh,
            summary_en=r.summary.en or "",
            explanation_zh=(r.explanation.zh or "").strip(),
            explanation_en=(r.explanation.en or "").strip(),
            file=str(loaded.file) if loaded.file else None,
        )

    @classmethod
    def for_id(cls, ruleset, rule_id: str) -> RuleInfo:
        """The rule `rule_id` of `ruleset`, or the reader problem of that id (reader_problems.py)."""
        loaded = ruleset.by_id(rule_id)
        if loaded is not None:
            return cls.of(loaded)
        from goallint.reader_problems import by_id

        kind = by_id(rule_id)
        if kind is None:
            raise KeyError(f"{rule_id} is neither a rule nor a reader problem")
        return cls(
            id=kind.id,
            name=kind.name,
            severity=kind.severity,
            summary_zh=kind.summary.zh,
            summary_en=kind.summary.en,
            explanation_zh=kind.explanation_text("zh"),
            explanation_en=kind.explanation_text("en"),
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
    # the rules that fired, by id (from a worker process: those it had not sent back before; see _check_in_worker)
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    # findings the configuration silences, with the reason (--show-suppressed); baselined ones are added by the CLI
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)
    # with CheckOptions.keep_views: each table's cells as shown, marked by the report after the baseline
    views: list | None = None


@dataclass
class FindingCounts:
    """What a report's summary and the exit code need of a file's findings."""

    severities: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    fixable: int = 0

    @classmethod
    def of(cls, findings: list[Finding]) -> FindingCounts:
        return cls(
            Counter(f.severity for f in findings),
            Counter(f.rule_id for f in findings),
            sum(1 for f in findings if f.fix is not None and f.fix.safe),
        )


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # configuration / rule-file errors, not tied to one file
    lang: str = "zh"
    fail_level: str = "warning"
    # with --baseline: the baseline's file and the entries no finding of this run matched (fixed since)
    baseline: str | None = None
    fixed: list[dict] = field(default_factory=list)
    config: str = ""  # the configuration as the command line named it, for reports that show it

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
        from goallint.config import Settings, read_config

        self.options = options
        config = options.config
        self.explicit = config if isinstance(config, Settings) or config is None else read_config(config)
        self.engines: dict = {}
        self.rulesets: dict = {}
        self.rule_errors: list[str] = []
        # (id of a ruleset, which self.rulesets keeps alive; rule id) → what a report says of the rule
        self.rule_infos: dict[tuple[int, str], RuleInfo] = {}

    def settings_for(self, path: Path):
        from goallint.config import Settings, find_config, read_config

        if self.explicit is not None:
            return self.explicit
        if self.options.no_config:
            return Settings()
        found = find_config(path.resolve())
        return read_config(found) if found else Settings()

    def engine_for(self, path: Path, settings=None):
        """The engine for `path` (`settings`: those of `path`, when the caller has read them already)."""
        from goallint.config import load_profile
        from goallint.engine.loader import load_rules
        from goallint.engine.runner import Engine

        if settings is None:
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
        engine = Engine(
            ruleset, settings, profile=profile, select=o.select, ignore=o.ignore, extend_select=o.extend_select
        )
        for error in engine.unknown_selectors():  # a configuration error of the run, not of each file
            if error not in self.rule_errors:
                self.rule_errors.append(error)
        self.engines[key] = engine
        return engine

    def check_file(self, path: Path) -> FileResult:
        """Read and check one file within the time limit; every failure is an error of this file."""
        from goallint import pipeline
        from goallint.safety import DEFAULT_FILE_SECONDS, FileTimeout, time_limit

        seconds = self.options.timeout if self.options.timeout is not None else DEFAULT_FILE_SECONDS
        # the rules load once per configuration, the readers and the value parser once per process, not on
        # the first file's time (their errors are the file's: _check_file)
        with contextlib.suppress(Exception):
            self.engine_for(path)
        with contextlib.suppress(Exception):
            pipeline.prepare(path)
        try:
            with time_limit(seconds):
                return self._check_file(path)
        except FileTimeout:
            return FileResult(
                path=str(path),
                errors=[
                    f"{path}: 读取和检查超过 {seconds:g} 秒，已停止（其他文件照常检查；可用 --timeout 调整，0 为不限）"
                ],
            )

    def _check_file(self, path: Path) -> FileResult:
        from goallint import pipeline
        from goallint.errors import GoallintError

        result = FileResult(path=str(path))
        try:
            settings = self.settings_for(path)
            result.lang, result.fail_level = settings.lang, settings.fail_level  # set even if the rules fail
            engine = self.engine_for(path, settings)
            fy = self.options.fiscal_year if self.options.fiscal_year is not None else engine.settings.fiscal_year
            document = pipeline.load(path, fiscal_year=fy, columns=engine.settings.columns)
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
        if self.options.keep_views:
            from goallint.web.views import skeleton

            result.views = [skeleton(table) for table in document.tables]
        for rule_id in dict.fromkeys(f.rule_id for f in result.findings):
            result.rules[rule_id] = self._rule_info(engine.ruleset, rule_id)
        return result

    def _rule_info(self, ruleset, rule_id: str) -> RuleInfo:
        info = self.rule_infos.get((id(ruleset), rule_id))
        if info is None:
            info = self.rule_infos[id(ruleset), rule_id] = RuleInfo.for_id(ruleset, rule_id)
        return info


# --------------------------------------------------------------------------- worker processes

_worker: Checker | None = None


def _init_worker(options: CheckOptions) -> None:
    global _worker
    _worker = Checker(options)
    _collect_less()


GC_THRESHOLD = 30_000  # allocations between young-generation collections (Python's default: 700)


def _collect_less() -> tuple[int, ...]:
    """A check run allocates many objects, most short-lived, and keeps what start-up made (modules, rules) to
    the end: let the cycle collector run less often and never rescan what is frozen. What it saves is start-up
    time, where the rules are built (docs/performance.md). Returns the thresholds before."""
    import gc

    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *before[1:])
    return before


def _collect_as_before(before: tuple[int, ...]) -> None:
    import gc

    gc.set_threshold(*before)
    gc.unfreeze()


_rules_sent: set[int] = set()  # the RuleInfo objects (Checker.rule_infos keeps them) this worker sent back


def _check_in_worker(path: str) -> tuple[FileResult, list[str]]:
    if _worker is None:
        raise RuntimeError("_check_in_worker runs in a process started by _init_worker")
    result = _worker.check_file(Path(path))
    # each rule's description goes back once per worker, not with every file (kilobytes a file): a run's reports
    # use the union of the files' rules (RunResult.rules, StreamedRun.rules), which stays whole
    result.rules = {rule_id: info for rule_id, info in result.rules.items() if id(info) not in _rules_sent}
    _rules_sent.update(map(id, result.rules.values()))
    return result, list(_worker.rule_errors)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


Progress = Callable[[int, int], None]  # (done, total)
MIN_FILES_PER_WORKER = 4
AHEAD_PER_WORKER = 8  # files submitted ahead of the one the report waits for


def _checked(files: list[Path], checker: Checker, options: CheckOptions, jobs: int, progress: Progress | None):
    """Check `files` and yield (FileResult, rule errors so far) in the order of `files`, each as soon as it and
    all files before it are done (in worker processes when there are enough files)."""
    before = _collect_less()
    try:
        yield from _checked_in(files, checker, options, jobs, progress)
    finally:  # a library caller (the web page) gets its process back as it was
        _collect_as_before(before)


def _checked_in(files: list[Path], checker: Checker, options: CheckOptions, jobs: int, progress: Progress | None):
    total = len(files)
    # A worker process pays the start-up (imports, rule loading) again: small runs stay in this process.
    workers = min(jobs, total // MIN_FILES_PER_WORKER)
    if workers < 2:
        for i, path in enumerate(files, 1):
            result = checker.check_file(path)
            if progress:
                progress(i, total)
            yield result, checker.rule_errors
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where there is one: workers start with the modules already imported (all are started
    # by the submits below, before any progress-bar thread exists)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(options,)
    ) as pool:
        # a window of files in flight: results wait for the caller only that far ahead (bounded memory)
        window = workers * AHEAD_PER_WORKER
        futures = deque(pool.submit(_check_in_worker, str(p)) for p in files[:window])
        for i, path in enumerate(files, 1):
            future = futures.popleft()
            if i - 1 + window < total:
                futures.append(pool.submit(_check_in_worker, str(files[i - 1 + window])))
            try:
                result, errors = future.result()
            except Exception as error:  # noqa: BLE001 — a worker that died takes only its file down
                result, errors = FileResult(path=str(path), errors=[f"{path}: {type(error).__name__}: {error}"]), []
            del future
            if progress:
                progress(i, total)
            yield result, errors


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
    rule_errors: list[str] = []
    for result, errors in _checked(files, checker, options, jobs, progress):
        run.files.append(result)
        rule_errors += [e for e in errors if e not in rule_errors]
    run.errors += sorted(rule_errors)
    first = next((r for r in run.files if r.lang), None)
    if first is not None:
        run.lang, run.fail_level = first.lang, first.fail_level
    return run


class StreamedRun:
    """A check run handed out one file at a time, for reports that write as files finish (bounded memory).

    Iterating yields each file's `FileResult` in report order (by path, the order of the findings of
    `RunResult.findings`), as soon as it and every file before it are checked. Once the caller moves on,
    only what a report's header and summary need is kept: `files` (without findings), the rules that
    fired and counts. `errors` is complete after the iteration; `lang` and `fail_level`, the configured ones of
    the first file (in report order) whose settings read, are known before it, so that each file is rendered
    once, in the report's language.
    """

    def __init__(self, paths: list[Path], options: CheckOptions, *, jobs: int = 1, progress: Progress | None = None):
        from goallint.errors import GoallintError
        from goallint.files import collect

        self.paths, self.options, self.jobs, self.progress = paths, options, jobs, progress
        self.errors: list[str] = []
        self.lang, self.fail_level = "zh", "warning"
        self.files: list[FileResult] = []  # in the order found (the report's `files`), findings dropped
        self.rules: dict[str, RuleInfo] = {}
        self.severities: Counter = Counter()
        self.rule_counts: Counter = Counter()
        self.fixable = 0
        self._files: list[Path] = []
        self.checker: Checker | None = None
        try:
            self.checker = Checker(options)
        except GoallintError as error:
            self.errors.append(str(error))
            return
        self._files = collect(paths, force_exclude=options.force_exclude, settings_for=self.checker.settings_for)
        self.lang, self.fail_level = self._configured(self.checker)

    def _configured(self, checker: Checker) -> tuple[str, str]:
        """(language, fail level) of the first file whose settings read: those `check_paths` takes from its results."""
        for path in sorted(self._files, key=str):
            try:
                settings = checker.settings_for(path)
            except Exception:  # noqa: BLE001, S112 — that file's error is reported when it is checked
                continue
            return settings.lang, settings.fail_level
        return self.lang, self.fail_level

    def __iter__(self):
        if self.checker is None:
            return
        order = sorted(self._files, key=str)  # findings are sorted by file first (Finding.sort_key)
        lean: dict[str, FileResult] = {}
        rule_errors: list[str] = []
        yield from self._iterate(order, self.options, lean, rule_errors)
        self.errors += sorted(rule_errors)
        self.files = [lean[str(p)] for p in self._files]
        self.rules = dict(sorted(self.rules.items()))

    def _iterate(self, order: list[Path], options: CheckOptions, lean: dict, rule_errors: list[str]):
        for result, errors in _checked(order, self.checker, options, self.jobs, self.progress):
            rule_errors += [e for e in errors if e not in rule_errors]
            yield result  # its findings in report order: Engine.check sorts them
            counts = FindingCounts.of(result.findings)
            self.severities.update(counts.severities)
            self.rule_counts.update(counts.rules)
            self.fixable += counts.fixable
            self.rules.update(result.rules)
            lean[result.path] = FileResult(
                path=result.path,
                format=result.format,
                tables=result.tables,
                rows=result.rows,
                errors=result.errors,
                lang=result.lang,
                fail_level=result.fail_level,
            )

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(r.errors for r in self.files)


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
                TextColumn(self.label),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
