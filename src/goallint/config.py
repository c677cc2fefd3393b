"""Configuration: goallint.yaml (or .goallint.yaml, or [tool.goallint] in pyproject.toml).

Found upward from each linted file (the nearest wins; no implicit cascade — write `extend:` to build
on another file). Command-line flags override the file. See docs/configuration.md.
"""

from __future__ import annotations

import contextlib
import fnmatch
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from goallint.engine.yamlpos import RuleError, line_of, load_yaml, plain, validation_errors

CONFIG_NAMES = ("goallint.yaml", ".goallint.yaml", "goallint.yml")
Severity = Literal["error", "warning", "info"]


class IndicatorIgnore(BaseModel):
    """Silence rules for one indicator of one table: a reason is required."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    indicator: str = Field(description="三级指标 (or 绩效指标描述) of the row")
    project: str | None = Field(None, description="项目名称 (or table title); omitted: every table")
    table: int | None = Field(None, description="table number as printed; omitted: every table")
    rules: list[str] = Field(min_length=1, description="rule ids, families or prefixes")
    reason: str = Field(min_length=1, description="why this is not a problem (required)")

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an indicator ignore needs a reason")
        return value


class Settings(BaseModel):
    """goallint.yaml."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, title="goallint configuration")

    extend: str | None = Field(None, description="another configuration file this one builds on (relative path)")
    select: list[str] | None = Field(
        None, description="rules to run: ids, prefixes (GL2), names or families; default all enabled"
    )
    extend_select: list[str] = Field(default_factory=list, alias="extend-select", description="added to select")
    ignore: list[str] = Field(default_factory=list, description="rules not to run")
    severity: dict[str, Severity] = Field(default_factory=dict, description="rule id/prefix → severity override")
    profile: str | None = Field(None, description="rules/profiles/<name>.yaml: named parameter set")
    fiscal_year: int | None = Field(
        None, alias="fiscal-year", description="fiscal year of the tables (overrides inference)"
    )
    thresholds: dict[str, Any] = Field(
        default_factory=dict, description="parameters for every rule ($name in comparisons)"
    )
    rule_params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, alias="rule-params", description="rule id → params"
    )
    rule_dirs: list[str] = Field(
        default_factory=list, alias="rule-dirs", description="extra rule folders (relative to this file)"
    )
    fail_level: Severity = Field("warning", alias="fail-level", description="exit 1 when a finding is at or above this")
    lang: Literal["zh", "en"] = "zh"
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, alias="per-file-ignores", description="glob (relative to this file) → rules"
    )
    indicator_ignores: list[IndicatorIgnore] = Field(default_factory=list, alias="indicator-ignores")
    exclude: list[str] = Field(
        default_factory=list, description="files and folders not to check (gitignore patterns, relative to this file)"
    )

    # where the file was (not a key)
    source: str | None = Field(None, exclude=True)
    root: str | None = Field(None, exclude=True)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    description: str
    thresholds: dict[str, Any] = Field(default_factory=dict)
    rule_params: dict[str, dict[str, Any]] = Field(default_factory=dict, alias="rule-params")
    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- reading


def _pyproject_line(text: str, key: str) -> int | None:
    in_section = False
    for i, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.startswith("[tool.goallint")
            continue
        if in_section and re.match(rf"[\"']?{re.escape(str(key))}[\"']?\s*=", stripped):
            return i
    return None


def read_config(path: Path) -> Settings:
    """Read goallint.yaml or pyproject.toml; RuleError with file and line on a mistake."""
    file = str(path)
    if path.name == "pyproject.toml":
        import tomllib

        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text).get("tool", {}).get("goallint", {})
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(file, f"TOML syntax error: {exc}") from None
        try:
            settings = Settings.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            key = next((p for p in err["loc"] if isinstance(p, str)), "")
            msg = (
                f"unknown key '{key}' in [tool.goallint]"
                if err["type"] == "extra_forbidden"
                else f"[tool.goallint] {'.'.join(map(str, err['loc']))}: {err['msg']}"
            )
            raise RuleError(file, msg, line=_pyproject_line(text, key)) from None
    else:
        tree = load_yaml(path)
        data = plain(tree)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise RuleError(file, "a configuration file is a YAML mapping", line=1)
        try:
            settings = Settings.model_validate(data)
        except ValidationError as exc:
            raise validation_errors(file, exc, tree)[0] from None
        if settings.extend:
            base_path = (path.parent / settings.extend).resolve()
            if not base_path.is_file():
                raise RuleError(file, f"extend: {settings.extend} not found", line=line_of(tree, ("extend",))[0])
            base = read_config(base_path)
            merged = base.model_dump(by_alias=False, exclude_unset=False)
            mine = settings.model_dump(by_alias=False, exclude_unset=True)
            merged.update({k: v for k, v in mine.items() if k != "extend"})
            # rule dirs of the base stay relative to the base
            merged["rule_dirs"] = [str((base_path.parent / d).resolve()) for d in base.rule_dirs] + list(
                mine.get("rule_dirs", [])
            )
            settings = Settings.model_validate(merged)
    settings.source = file
    settings.root = str(path.parent.resolve())
    return settings


def _has_tool_section(path: Path) -> bool:
    try:
        return re.search(r"^\[tool\.goallint[\].]", path.read_text(encoding="utf-8"), re.M) is not None
    except OSError:
        return False


@cache
def find_config(start: Path) -> Path | None:
    """The nearest goallint.yaml / .goallint.yaml / pyproject.toml with [tool.goallint], upward from `start`."""
    folder = start if start.is_dir() else start.parent
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (d / name).is_file():
                return d / name
        if (d / "pyproject.toml").is_file() and _has_tool_section(d / "pyproject.toml"):
            return d / "pyproject.toml"
    return None


def load_profile(name: str, search: list[Path]) -> Profile:
    from goallint.resources import rules_dir

    for folder in [*search, rules_dir()]:
        path = folder / "profiles" / f"{name}.yaml"
        if path.is_file():
            tree = load_yaml(path)
            try:
                return Profile.model_validate(plain(tree))
            except ValidationError as exc:
                raise validation_errors(str(path), exc, tree)[0] from None
    known = sorted(p.stem for p in (rules_dir() / "profiles").glob("*.yaml"))
    raise RuleError(None, f"profile {name!r} not found (built-in: {', '.join(known)})")


# --------------------------------------------------------------------------- selecting


def matches_code(code: str, rule_id: str, name: str = "", family: str = "") -> bool:
    """`code` selects the rule: ALL, its id, an id prefix (GL2, GL, TJ), its name or its family."""
    c = code.strip()
    if c.upper() == "ALL":
        return True
    return rule_id.upper().startswith(c.upper()) or c in (name, family)


def selector_line(source: str, loc: tuple) -> int | None:
    """The line of `loc` (`("select", 0)`, `("per-file-ignores", "*.docx")` …) in a configuration file."""
    path = Path(source)
    try:
        if path.name == "pyproject.toml":
            return _pyproject_line(path.read_text(encoding="utf-8"), loc[0])
        return line_of(load_yaml(path), loc)[0]
    except (OSError, RuleError):
        return None


def glob_match(path: str, pattern: str, root: str | None) -> bool:
    p = Path(path).resolve()
    candidates = [str(p), p.name]
    if root:
        with contextlib.suppress(ValueError):  # a file outside the root: matched by its path and name only
            candidates.append(p.relative_to(root).as_posix())
    return any(fnmatch.fnmatch(c, pattern) for c in candidates)
