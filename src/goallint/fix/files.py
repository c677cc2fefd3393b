"""--fix / --diff over the files of a check run (goallint.run.RunResult), in the main process.

Only files that have a safe fix among the findings the run reports (config-suppressed and baselined
findings are not fixed) are touched. Each is fixed by `fix_file` with the same rules, configuration
and fiscal year as the check; after writing, the file is checked again so that the report shows
what remains.
"""

from __future__ import annotations

from pathlib import Path

from goallint.fix import FileFix, fix_file


def _has_safe_fix(findings) -> bool:
    return any(f.fix is not None and f.fix.safe for f in findings)


def fix_results(result, options, *, write: bool, baseline=None) -> list[FileFix]:
    """Fix (write=True) or plan (write=False) the safe fixes of every file of `result`; updates `result`."""
    from goallint import pipeline
    from goallint.errors import GoallintError
    from goallint.run import Checker

    try:
        checker = Checker(options)
    except GoallintError:  # a broken configuration: already reported by the check run
        return []

    def check_file(source: Path, original: Path):
        engine = checker.engine_for(original)
        fy = options.fiscal_year if options.fiscal_year is not None else engine.settings.fiscal_year
        document = pipeline.load(source, fiscal_year=fy, columns=engine.settings.columns)
        document.path = str(original)  # per-file ignores and the baseline match the original's name
        findings = engine.check(document)
        if baseline is not None:
            findings = baseline.split(str(original), findings)[0]
        return document, findings

    fixes: list[FileFix] = []
    for index, file_result in enumerate(result.files):
        if file_result.errors:
            continue
        findings = file_result.findings
        if baseline is not None:
            findings = baseline.split(file_result.path, findings)[0]
        if not _has_safe_fix(findings):
            continue
        path = Path(file_result.path)
        try:
            fix = fix_file(path, check_file, write=write)
        except Exception as error:  # noqa: BLE001 - one file that cannot be fixed must not end the run
            fix = FileFix(path=str(path), refused=f"{type(error).__name__}: {error}")
        fixes.append(fix)
        if fix.written:
            result.files[index] = checker.check_file(path)
    return fixes


def summary(fixes: list[FileFix], lang: str = "zh") -> list[str]:
    """Lines for stderr: what was fixed, skipped or refused."""
    lines = []
    for fix in fixes:
        if fix.refused:
            lines.append(f"{fix.path}: " + ("not fixed: " if lang == "en" else "未修复：") + fix.refused)
        for edit, reason in fix.skipped:
            what = f"{edit.rule_id}「{edit.old}」→「{edit.new}」"
            lines.append(f"{fix.path}: {edit.where()} {what} " + ("skipped: " if lang == "en" else "未修复：") + reason)
    applied = sum(len(f.edits) for f in fixes if f.written)
    cells = sum(len(f.cells()) for f in fixes if f.written)
    files = sum(1 for f in fixes if f.written)
    if lang == "en":
        lines.append(f"Applied {applied} fixes ({cells} cells in {files} files)")
    else:
        lines.append(f"已应用 {applied} 个修复（{files} 个文件中的 {cells} 个单元格）")
    return lines
