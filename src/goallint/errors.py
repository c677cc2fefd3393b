"""Errors shown to users: each names the file and, where known, the line or row."""

from __future__ import annotations


class GoallintError(Exception):
    """An error about the user's input or configuration; printed without a traceback."""

    def __init__(self, file: str | None, message: str, *, line: int | None = None, row: int | None = None):
        self.file = file
        self.message = message
        self.line = line
        self.row = row
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.row is not None:
            where += f" (row {self.row})"
        return f"{where}: {self.message}" if where else self.message


class InputError(GoallintError):
    """A file that cannot be read or recognised."""


def unreadable(file: str, exc: OSError) -> InputError:
    """The InputError of a file the system cannot read (missing, a folder, no permission)."""
    return InputError(file, f"无法读取文件：{exc.strerror or exc}")


def read_bytes(path, file: str) -> bytes:
    """The bytes of the file at `path` (named `file` in errors)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise unreadable(file, exc) from None


def size_of(path, file: str) -> int:
    """The size in bytes of the file at `path` (named `file` in errors)."""
    try:
        return path.stat().st_size
    except OSError as exc:
        raise unreadable(file, exc) from None
