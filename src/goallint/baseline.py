"""Baselines: record today's findings, report only new ones later (`check --baseline FILE`).

A finding is keyed by what a reader of the table would name it by, never by its row number, so
inserting or moving a row does not bring the old findings back:

    file       the checked file, relative to the baseline file's folder (POSIX separators)
    project    项目名称 (or the table's title)
    indicator  三级指标 (or 绩效指标描述) of the row; "" for a finding about a whole table
    rule       the rule id
    value      the 指标值 as written; for a finding about a whole table, its Chinese message

Equal keys are counted: with two identical findings recorded, a third one is new. A changed value
is a new key, so the finding comes back. The file is JSON (`.json`) or YAML (`.yaml`/`.yml`), sorted,
one entry per key with its count; see docs/fixes-and-baselines.md.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from goallint.errors import InputError
from goallint.model import Finding

VERSION = 1
Key = tuple[str, str, str, str, str]
FIELDS = ("file", "project", "indicator", "rule", "value")


def file_key(path: str | Path, folder: Path) -> str:
    """The path of a checked file as the baseline names it: relative to the baseline's folder."""
    absolute = Path(os.path.abspath(path))
    try:
        return Path(os.path.relpath(absolute, os.path.abspath(folder))).as_posix()
    except ValueError:  # another drive
        return absolute.as_posix()


def key_of(finding: Finding, file: str) -> Key:
    if finding.value is not None:
        indicator, value = finding.level3 or finding.description, finding.value
    else:
        indicator, value = "", finding.message_zh
    return (file, finding.project or "", indicator, finding.rule_id, value)


@dataclass
class Baseline:
    path: Path
    counts: Counter

    @property
    def folder(self) -> Path:
        return self.path.parent

    # ----------------------------------------------------------------------- reading and writing

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(str(path), f"无法读取基线文件：{exc.strerror or exc}") from None
        try:
            if path.suffix.lower() in (".yaml", ".yml"):
                from ruamel.yaml import YAML

                data = YAML(typ="safe").load(text)
            else:
                data = json.loads(text)
        except Exception as exc:  # noqa: BLE001 - JSON or YAML syntax error
            raise InputError(str(path), f"基线文件格式错误：{exc}") from None
        if (
            not isinstance(data, dict)
            or data.get("goallint-baseline") != VERSION
            or not isinstance(data.get("findings"), list)
        ):
            raise InputError(
                str(path), f"不是 goallint 基线文件（应有 `goallint-baseline: {VERSION}` 和 `findings:` 列表）"
            )
        counts: Counter = Counter()
        for index, entry in enumerate(data["findings"], 1):
            if (
                not isinstance(entry, dict)
                or not all(isinstance(entry.get(k, ""), str) for k in FIELDS)
                or "rule" not in entry
            ):
                raise InputError(
                    str(path),
                    f"基线第 {index} 条格式错误：需要 file、project、indicator、rule、value 文本和 count 整数",
                )
            count = entry.get("count", 1)
            if not isinstance(count, int) or count < 1:
                raise InputError(str(path), f"基线第 {index} 条的 count 应为正整数")
            counts[tuple(entry.get(k, "") for k in FIELDS)] += count
        return cls(path=path, counts=counts)

    def entries(self) -> list[dict]:
        return [dict(zip(FIELDS, key, strict=False), count=n) for key, n in sorted(self.counts.items()) if n > 0]

    def dump(self) -> str:
        data = {"goallint-baseline": VERSION, "findings": self.entries()}
        if self.path.suffix.lower() in (".yaml", ".yml"):
            import io

            from ruamel.yaml import YAML

            yaml = YAML()
            yaml.allow_unicode = True
            yaml.default_flow_style = False
            out = io.StringIO()
            yaml.dump(data, out)
            return out.getvalue()
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def save(self) -> None:
        from goallint.fix import atomic_write

        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(b"")
        atomic_write(self.path, self.dump().encode("utf-8"))

    # ----------------------------------------------------------------------- using

    def update(self, checked: dict[str, list[Finding]]) -> None:
        """Replace the entries of the checked files by their findings (other files' entries are kept)."""
        files = {file_key(path, self.folder) for path in checked}
        self.counts = Counter({k: n for k, n in self.counts.items() if k[0] not in files})
        for path, findings in checked.items():
            name = file_key(path, self.folder)
            self.counts.update(key_of(f, name) for f in findings)

    def unmatched(self, checked: dict[str, list[Finding]]) -> list[dict]:
        """The entries of the checked files that none of their findings match: fixed since the baseline."""
        names = {file_key(path, self.folder): findings for path, findings in checked.items()}
        left = Counter({k: n for k, n in self.counts.items() if k[0] in names})
        for name, findings in names.items():
            left.subtract(key_of(f, name) for f in findings)
        return [dict(zip(FIELDS, key, strict=True), count=n) for key, n in sorted(left.items()) if n > 0]

    def split(self, path: str, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new findings, findings the baseline covers) of one file, in finding order."""
        name = file_key(path, self.folder)
        budget = Counter({k: n for k, n in self.counts.items() if k[0] == name})
        new, known = [], []
        for f in findings:
            key = key_of(f, name)
            if budget[key] > 0:
                budget[key] -= 1
                known.append(f)
            else:
                new.append(f)
        return new, known
