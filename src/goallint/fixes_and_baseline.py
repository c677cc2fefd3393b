"""What `check` does between checking and reporting: --fix / --diff, the baseline, --show-suppressed.

Order: the baseline is read first (so that --fix leaves baselined findings alone), then the safe
fixes are applied or shown, then baselined findings move from each file's findings to its
`suppressed` list (next to those the configuration silences), and the baseline is written when it
is new or --update-baseline asks for it.

Nothing here prints: `apply_fixes_and_baseline` returns what to show (`AfterCheck`) and the listing of
suppressed findings is returned as text; the CLI writes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

EXIT_FINDINGS, EXIT_ERROR = 1, 2


@dataclass
class AfterCheck:
    """What the fixes and the baseline did, for the CLI to show."""

    out: str = ""  # for standard output: the --diff
    notes: list[str] = field(default_factory=list)  # for standard error, in order: fixes applied, baseline written
    exit_code: int | None = None  # the command ends here with this code (--diff, an error)


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def apply_fixes_and_baseline(
    result, options, *, fix: bool, diff: bool, baseline: Path | None, update_baseline: bool, lang: str = "zh"
) -> AfterCheck:
    """Apply fixes and the baseline to `result` in place; what to show, and an exit code when the command ends."""
    from goallint.baseline import Baseline
    from goallint.errors import GoallintError

    done = AfterCheck()
    if update_baseline and baseline is None:
        done.notes.append("goallint: error: --update-baseline needs --baseline FILE")
        done.exit_code = EXIT_ERROR
        return done
    base: Baseline | None = None
    recording = False
    if baseline is not None:
        if baseline.exists():
            try:
                base = Baseline.load(baseline)
            except GoallintError as error:
                done.notes.append(str(error))
                done.exit_code = EXIT_ERROR
                return done
        else:
            base = Baseline(path=baseline, counts=Counter())
        recording = update_baseline or not baseline.exists()
    fix_baseline = None if recording else base  # a baseline about to be rewritten protects nothing
    fixed_line = None

    if diff or fix:
        from goallint.fix import unified_diff
        from goallint.fix.files import fix_results, summary

        fixes = fix_results(result, options, write=not diff, baseline=fix_baseline)
        lines = summary(fixes, lang)
        if diff:
            done.out = unified_diff(fixes)
            done.notes += lines[:-1]  # skipped and refused fixes; nothing was applied
            if result.failed:
                done.exit_code = EXIT_ERROR
            else:
                done.exit_code = EXIT_FINDINGS if any(f.cells() for f in fixes) else 0
            return done
        done.notes += lines[:-1]
        fixed_line = lines[-1]

    if base is not None:
        if recording:
            base.update({r.path: r.findings for r in result.files if not r.errors})
            try:
                base.save()
            except OSError as error:
                done.notes.append(f"goallint: error: {baseline}: {error.strerror or error}")
                done.exit_code = EXIT_ERROR
                return done
            count = sum(base.counts.values())
            done.notes.append(
                _t(
                    lang,
                    f"基线已写入 {baseline}（{count} 个问题）",
                    f"Baseline written to {baseline} ({count} findings)",
                )
            )
        result.baseline = str(baseline)
        result.fixed = [] if recording else base.unmatched({r.path: r.findings for r in result.files if not r.errors})
        reason = _t(lang, f"基线 {baseline}", f"baseline {baseline}")
        for r in result.files:
            new, known = base.split(r.path, r.findings)
            r.findings = new
            r.suppressed = list(getattr(r, "suppressed", [])) + [(f, reason) for f in known]
    if fixed_line is not None:
        remaining = sum(len(r.findings) for r in result.files)
        done.notes.append(fixed_line + _t(lang, f"，剩余 {remaining} 个问题", f", {remaining} findings remaining"))
    return done


def suppressed_listing(result, *, lang: str = "zh") -> str:
    """The findings the configuration or the baseline silenced, each with the reason (--show-suppressed)."""
    from goallint.model import Finding

    items = sorted(
        ((f, reason) for r in result.files for f, reason in getattr(r, "suppressed", [])),
        key=lambda item: Finding.sort_key(item[0]),
    )
    out = ["\n" + _t(lang, f"已屏蔽的问题（{len(items)} 个）：", f"Suppressed findings ({len(items)}):") + "\n"]
    for f, reason in items:
        loc = f.location
        where = [loc.file]
        if loc.table is not None:
            where.append(_t(lang, f"表 {f.table_number or loc.table}", f"table {f.table_number or loc.table}"))
        if loc.row is not None:
            where.append(_t(lang, f"第{loc.row}行", f"row {loc.row}"))
        what = f.level3 or f.description
        value = f"「{f.value}」" if f.value is not None else ""
        out.append(f"  {' '.join(where)}  {f.rule_id} {f.rule_name}  {what}{value}\n")
        out.append(f"      {f.message(lang)}\n")
        out.append(f"      {_t(lang, '屏蔽原因', 'suppressed by')}: {reason}\n")
    return "".join(out)
