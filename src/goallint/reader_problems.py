"""The registry of reader problems: each kind of problem a reader reports has its own code (GL001 …).

A reader names a problem by its kebab-case name (`Problem(code="truncated-table", …)`); the name, id,
severity, summary and explanation live in `rules/reader/problems.yaml`, one entry per problem. The
engine reports a problem under its id, `goallint rules` lists them, `goallint explain` explains them,
and `--select`/`--ignore` take their ids, names and the family name `reader` like any rule's.

A name that is not registered is a programming error: `Problem` refuses it (model.py), so a reader
that emits a new name without its entry fails the first test that reaches it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FAMILY = "reader"


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class ProblemKind(BaseModel):
    """One kind of reader problem, as `rules/reader/problems.yaml` states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^GL0(0[1-9]|[1-9][0-9])$", description="GL001 … GL099")
    name: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", description="what readers write in Problem.code")
    severity: str = Field(pattern=r"^(error|warning|info)$")
    summary: _Text
    explanation: _Text
    bad: str = Field(min_length=1, description="what a drafter wrote that causes the problem")
    good: str = Field(min_length=1, description="the same, written so that it reads cleanly")

    @property
    def family(self) -> str:
        return FAMILY

    def explanation_text(self, lang: str) -> str:
        """The explanation with its bad and good example, as a rule's explanation reads (错误：… 正确：…)."""
        if lang == "en":
            return f"{self.explanation.en.strip()}\n\nBad: {self.bad}\nGood: {self.good}"
        return f"{self.explanation.zh.strip()}\n\n错误：{self.bad}\n正确：{self.good}"


class UnknownProblemCode(ValueError):
    """A reader emitted a problem name that `rules/reader/problems.yaml` does not list."""


def registry_file() -> Path:
    from goallint.resources import rules_dir

    return rules_dir() / "reader" / "problems.yaml"


@cache
def problem_kinds() -> dict[str, ProblemKind]:
    """Every registered kind of reader problem, by name, in the file's order.

    A broken registry (a syntax error, a missing key, an id or name used twice) raises RuleError with
    the file and line: it ships with goallint, so this is an error of the installation, not of the input.
    """
    from goallint.engine.yamlpos import RuleError, describe, line_of, load_plain

    path = registry_file()
    data, tree = load_plain(path)
    if not isinstance(data, list):
        raise RuleError(str(path), "expected a list of reader problems")
    kinds: dict[str, ProblemKind] = {}
    ids: set[str] = set()
    for index, entry in enumerate(data):
        try:
            kind = ProblemKind.model_validate(entry)
        except ValidationError as exc:
            error = exc.errors()[0]
            line, where = line_of(tree(), (index, *error["loc"]))
            raise RuleError(str(path), describe(error, where), line=line) from None
        if kind.name in kinds or kind.id in ids:
            raise RuleError(
                str(path),
                f"reader problem {kind.id} {kind.name}: id or name used twice",
                line=line_of(tree(), (index,))[0],
            )
        kinds[kind.name] = kind
        ids.add(kind.id)
    return kinds


def problem_kind(name: str) -> ProblemKind:
    """The registered kind of the problem named `name`; UnknownProblemCode if there is none."""
    kind = problem_kinds().get(name)
    if kind is None:
        raise UnknownProblemCode(
            f"reader problem {name!r} is not registered: add an entry for it to {registry_file()} (the next free id)"
        )
    return kind


def by_id(code: str) -> ProblemKind | None:
    """The kind whose id (GL003) or name (missing-grid) is `code`, as `goallint explain` looks rules up."""
    for kind in problem_kinds().values():
        if kind.id == code.upper() or kind.name == code:
            return kind
    return None
