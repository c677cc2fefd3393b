"""YAML with positions: load with ruamel (round trip), map pydantic errors back to file lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from goallint.errors import GoallintError


class RuleError(GoallintError):
    """A broken rule, lexicon, profile or config file: names the file and line."""


# pydantic puts union member names into error locations; they are not keys of the YAML
_TAGS = {"str", "list[str]", "Match", "CellExample", "TableExample", "Selector", "Condition", "int", "bool", "float"}


def load_yaml(path: Path | str, text: str | None = None) -> Any:
    from goallint import safety

    file = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise RuleError(file, f"cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise RuleError(file, "not UTF-8 text") from None
    # rule packs are data: standard tags only, no alias bombs
    return safety.load_yaml_worded(text, file, RuleError, "YAML syntax error: ")


def plain(node: Any) -> Any:
    """ruamel's round-trip objects as plain Python values."""
    if isinstance(node, dict):
        return {plain(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def line_of(tree: Any, loc: tuple | list) -> tuple[int | None, str]:
    """The 1-based line of the deepest part of `loc` present in `tree`, and a readable dotted path."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    line = tree.lc.line + 1 if isinstance(tree, (CommentedMap, CommentedSeq)) else None
    node = tree
    path = ""
    for part in loc:
        if _is_tag(part):
            continue
        if isinstance(node, CommentedMap) and not isinstance(part, int) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
            path += f".{part}" if path else str(part)
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
            path += f"[{part}]"
        else:
            node = None
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return line, path


def shown_input(error: dict[str, Any]) -> str:
    """The input of a pydantic error as JSON, cut to 60 characters."""
    shown = error.get("input")
    text = json.dumps(shown, ensure_ascii=False, default=str) if shown is not None else "null"
    return text[:57] + "…" if len(text) > 60 else text


def describe(error: dict[str, Any], path: str) -> str:
    kind = error["type"]
    last = error["loc"][-1] if error["loc"] else ""
    if kind == "extra_forbidden":
        return f"unknown key '{last}' (misspelt? see `goallint schema rule`)"
    if kind == "missing":
        return f"missing required key '{path or last}'"
    text = shown_input(error)
    msg = error["msg"].removeprefix("Value error, ")
    where = f"'{path}'" if path else "the file"
    return f"{where}: {msg} (got {text})"


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and (part in _TAGS or part.startswith(("function-", "literal[")))


def validation_errors(file: str, exc: ValidationError, tree: Any) -> list[RuleError]:
    """One RuleError per pydantic error, sorted by line.

    A value that fits no member of a union gives one error per member; of those only the deepest
    are kept (a mapping with a misspelt key is reported as that key, not as "not a string").
    """
    errors = exc.errors()
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        cut = next((i for i, part in enumerate(loc) if _is_tag(part)), len(loc))
        groups.setdefault(loc[:cut], []).append(error)
    kept = []
    for members in groups.values():
        longest = max(len(e["loc"]) for e in members)
        kept.extend(e for e in members if len(e["loc"]) == longest)
    seen: dict[tuple[int | None, str], RuleError] = {}
    for error in kept:
        line, path = line_of(tree, error["loc"])
        key = (line, describe(error, path))
        seen.setdefault(key, RuleError(file, key[1], line=line))
    # a misspelt key explains the "missing key" error it causes: unknown keys first
    return sorted(seen.values(), key=lambda e: (not e.message.startswith("unknown key"), e.line or 0))


# --------------------------------------------------------------------------- parse cache
# Rule and lexicon files change rarely, and parsing them with ruamel's round-trip loader is most of
# a short run's start-up (a pre-commit hook on one table). Their plain data is kept in a cache
# file keyed by each file's content hash; the ruamel tree (for line numbers) is parsed only when a
# line is needed: an error, an example's line. GOALLINT_NO_CACHE=1 turns the cache off;
# GOALLINT_CACHE_DIR moves it (default: $XDG_CACHE_HOME/goallint or ~/.cache/goallint).

_CACHE_FORMAT = 1
_cache: dict[str, Any] | None = None
_cache_dirty = False


def cache_path() -> Path | None:
    import os

    if os.environ.get("GOALLINT_NO_CACHE"):
        return None
    from goallint import __version__

    base = (
        os.environ.get("GOALLINT_CACHE_DIR")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "goallint"
    )
    return Path(base) / f"yaml-{__version__}-{_CACHE_FORMAT}.marshal"


def _cache_entries() -> dict[str, Any]:
    global _cache
    if _cache is None:
        _cache = {}
        path = cache_path()
        if path is not None:
            import marshal

            try:
                loaded = marshal.loads(path.read_bytes())  # noqa: S302 — our own cache (save_cache), user's folder
                if isinstance(loaded, dict):
                    _cache = loaded
            except (OSError, EOFError, ValueError, TypeError):
                pass  # no cache yet, or a damaged one: parse the files again
    return _cache


def save_cache() -> None:
    """Write new entries to the cache file (atomically; silently skipped where it cannot be written)."""
    global _cache_dirty
    path = cache_path()
    if not _cache_dirty or path is None or _cache is None:
        return
    import marshal
    import os

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(_cache))
        os.replace(tmp, path)
        _cache_dirty = False
    except OSError:
        pass


def load_plain(path: Path | str):
    """(plain data, tree()) of a YAML file: the data from the cache when the file's content is known,
    `tree()` the ruamel tree, parsed on demand. Syntax errors raise RuleError as load_yaml does."""
    global _cache_dirty
    import hashlib
    from functools import cache

    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RuleError(file, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleError(file, "not UTF-8 text") from None
    tree = cache(lambda: load_yaml(path, text))
    if cache_path() is None:
        return plain(tree()), tree
    entries = _cache_entries()
    key = hashlib.sha1(raw, usedforsecurity=False).hexdigest()  # a content key, not a signature
    if key in entries:
        return entries[key], tree
    data = plain(tree())
    try:
        import marshal

        marshal.dumps(data)  # only plain data goes into the cache
        entries[key] = data
        _cache_dirty = True
    except ValueError:
        pass
    return data, tree
