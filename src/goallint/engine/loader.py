"""Load rules once per run: lexicons, plugins, rule files; validate and compile each rule.

A broken file yields a RuleError (file and line) in `RuleSet.errors` and does not stop the others.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from goallint.engine.checks import CheckSpec, registry
from goallint.engine.compile import CompileError, Pred, compile_condition, compile_fix, compile_selector
from goallint.engine.lexicon import Lexicons, load_lexicon_file
from goallint.engine.schema import PLACEHOLDERS, Rule
from goallint.engine.yamlpos import RuleError, line_of, load_plain, save_cache, validation_errors
from goallint.resources import rules_dir

# folders inside a rules folder that hold other data than rules (reader/: the reader problems, reader_problems.py)
DATA_FOLDERS = {"lexicon", "profiles", "reader"}
TEMPLATE_FIELDS = {"comparator", "comparator_text", "number", "magnitude", "unit"}


@dataclass
class LoadedRule:
    rule: Rule
    file: str
    origin: str  # "builtin", "plugin:<name>", "local"
    tree: Any = field(repr=False, default=None)  # ruamel tree, for example lines
    tree_source: Any = field(repr=False, default=None)  # parses the tree on demand (yamlpos.load_plain)
    selector: Pred | None = field(repr=False, default=None)
    condition: Pred | None = field(repr=False, default=None)
    fix: Any = field(repr=False, default=None)
    check: CheckSpec | None = field(repr=False, default=None)

    @property
    def id(self) -> str:
        return self.rule.id

    def line(self, *loc: Any) -> int | None:
        if self.tree is None and self.tree_source is not None:
            self.tree = self.tree_source()
        return line_of(self.tree, loc)[0] if self.tree is not None else None

    def params(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        if self.check is not None:
            merged.update(self.check.params)
        merged.update(self.rule.params)
        if overrides:
            merged.update(overrides)
        return merged


@dataclass
class RuleSet:
    rules: list[LoadedRule] = field(default_factory=list)
    errors: list[RuleError] = field(default_factory=list)
    lexicons: Lexicons = field(default_factory=Lexicons)
    folders: list[tuple[Path, str]] = field(default_factory=list)

    def by_id(self, rule_id: str) -> LoadedRule | None:
        for r in self.rules:
            if r.id.upper() == rule_id.upper() or r.rule.name == rule_id:
                return r
        return None


def _rule_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not DATA_FOLDERS.intersection(p.relative_to(folder).parts[:-1])
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def load_rules(
    extra_dirs: list[Path | str] = (),  # type: ignore[assignment]
    *,
    builtin: bool = True,
    plugins: bool = True,
) -> RuleSet:
    """Every rule: built-in (rules/), from plugins (entry points `goallint.rules`), from `extra_dirs`."""
    rs = RuleSet()
    if builtin:
        rs.folders.append((rules_dir(), "builtin"))
    if plugins:
        from goallint.engine.plugins import discover

        for name, folder, error in discover():
            if error is not None:
                rs.errors.append(error)
            elif folder is not None:
                rs.folders.append((Path(folder), f"plugin:{name}"))
    for d in extra_dirs:
        d = Path(d)
        if not d.exists():
            rs.errors.append(RuleError(str(d), "rules folder not found"))
            continue
        rs.folders.append((d, "local"))

    # lexicons first: rules refer to them
    for folder, _origin in rs.folders:
        lexdir = folder / "lexicon" if folder.is_dir() else None
        if lexdir is not None and lexdir.is_dir():
            for path in sorted(lexdir.glob("*.yaml")):
                try:
                    lexicon = load_lexicon_file(path)
                except RuleError as exc:
                    rs.errors.append(exc)
                    continue
                if lexicon is not None:
                    rs.lexicons.add(lexicon)

    seen: dict[str, str] = {}
    for folder, origin in rs.folders:
        for path in _rule_files(folder):
            try:
                loaded = load_rule_file(path, rs.lexicons, origin=origin)
            except RuleError as exc:
                rs.errors.append(exc)
                continue
            if loaded.id in seen:
                rs.errors.append(
                    RuleError(
                        str(path), f"rule id {loaded.id} is already used by {seen[loaded.id]}", line=loaded.line("id")
                    )
                )
                continue
            seen[loaded.id] = str(path)
            rs.rules.append(loaded)
    rs.rules.sort(key=lambda r: r.id)
    save_cache()
    return rs


def _placeholders(text: str) -> list[str]:
    names = []
    for _literal, name, _spec, _conv in string.Formatter().parse(text):
        if name is not None:
            names.append(name)
    return names


def load_rule_file(path: Path, lexicons: Lexicons, *, origin: str = "local") -> LoadedRule:
    """Validate and compile one rule file; raises RuleError with the line of the problem."""
    file = str(path)
    data, tree_of = load_plain(path)  # the tree (line numbers) is parsed only when a line is needed
    if not isinstance(data, dict):
        raise RuleError(file, "a rule file is a YAML mapping (id, name, family, severity, …)", line=1)
    try:
        rule = Rule.model_validate(data)
    except ValidationError as exc:
        errors = validation_errors(file, exc, tree_of())
        first = errors[0]
        if len(errors) > 1:
            lines = ", ".join(str(e.line) for e in errors[1:] if e.line)
            first.message += f" (and {len(errors) - 1} more error(s){', lines ' + lines if lines else ''})"
        raise first from None

    def fail(message: str, *loc: Any) -> RuleError:
        return RuleError(file, message, line=line_of(tree_of(), loc)[0])

    loaded = LoadedRule(rule=rule, file=file, origin=origin, tree_source=tree_of)
    allowed = set(PLACEHOLDERS) | set(rule.params)
    if rule.check is not None:
        checks = registry()
        if rule.check not in checks:
            known = ", ".join(sorted(checks)) or "none"
            raise fail(f"unknown check {rule.check!r} (registered: {known})", "check")
        loaded.check = checks[rule.check]
        allowed |= set(loaded.check.placeholders) | set(loaded.check.params)
        if rule.scope == "row":
            raise fail(
                f"check {rule.check!r} runs on a {loaded.check.scope}; add `scope: {loaded.check.scope}`", "check"
            )
        if rule.scope != loaded.check.scope:
            raise fail(f"check {rule.check!r} runs on a {loaded.check.scope}, not a {rule.scope}", "scope")
        unknown_params = set(rule.params) - set(loaded.check.params)
        if unknown_params:
            raise fail(
                f"check {rule.check!r} takes no parameter {sorted(unknown_params)[0]!r} "
                f"(it takes: {', '.join(loaded.check.params) or 'none'})",
                "params",
                sorted(unknown_params)[0],
            )
        bad = loaded.check.validate(rule.params) if loaded.check.validate is not None else None
        if bad is not None:
            raise fail(f"check {rule.check!r}: parameter {bad[0]!r}: {bad[1]}", "params", bad[0])
    for lang in ("zh", "en"):
        text = getattr(rule.message, lang)
        try:
            names = _placeholders(text)
        except ValueError as exc:
            raise fail(f"message.{lang}: {exc} (write {{{{ and }}}} for literal braces)", "message", lang) from None
        for name in names:
            if name not in allowed:
                raise fail(
                    f"message.{lang}: unknown placeholder {{{name}}} (known: {', '.join(sorted(allowed))})",
                    "message",
                    lang,
                )
    if rule.fix is not None and rule.fix.template is not None:
        try:
            names = _placeholders(rule.fix.template)
        except ValueError as exc:
            raise fail(f"fix.template: {exc}", "fix", "template") from None
        for name in names:
            if name not in TEMPLATE_FIELDS:
                raise fail(
                    f"fix.template: unknown field {{{name}}} (known: {', '.join(sorted(TEMPLATE_FIELDS))})",
                    "fix",
                    "template",
                )
    try:
        if rule.selectors is not None:
            loaded.selector = compile_selector(rule.selectors, lexicons)
        if rule.conditions is not None:
            loaded.condition = compile_condition(rule.conditions, lexicons)
    except CompileError as exc:
        raise fail(exc.message, *exc.loc) from None
    if rule.fix is not None:
        loaded.fix = compile_fix(rule.fix)
    from goallint.engine import guard

    guard.install(loaded)  # a failure at run time becomes a rule error, not a crash
    return loaded
