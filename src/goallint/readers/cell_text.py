"""Spreadsheet cell values as the spreadsheet shows them: numbers and dates through their number format.

Readers get typed values (python-calamine: float, int, bool, date, datetime, time, timedelta, str)
and, where the file has one, the cell's number format; the text a drafter sees is what rules check:
91.84 → "91.84", 12 with format `0.00` → "12.00", 0.9 with format `0%` → "90%", `#,##0.00` →
"12,345.60", quoted literal text in the format kept (`0.00"万元"`); dates as the format says
(`yyyy"年"m"月"d"日"`) or ISO.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# the number formats Excel does not store in the file (ECMA-376 Part 1, 18.8.30); others are General
BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
PLAIN_FORMATS = ("General", "@")  # a number in these shows as itself


def column_letter(col: int) -> str:  # 1-based
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _format_section(number_format: str, value: float) -> str:
    """The section of a format that applies to `value` (positive;negative;zero;text)."""
    sections, current, quoted = [], "", False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += ch
    sections.append(current)
    if value < 0 and len(sections) > 1:
        return sections[1]
    if value == 0 and len(sections) > 2:
        return sections[2]
    return sections[0]


_BRACKETS = re.compile(r"\[[^\]]*\]")
_LITERAL = re.compile(r'"([^"]*)"|\\(.)')


def _round(value: float, places: int) -> str:
    try:
        return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return f"{value:.{places}f}"


def _general(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(value, ".15g")
    return text if "e" not in text else repr(value)


def number_text(value: float | int, number_format: str | None) -> str:
    """A number as Excel shows it with `number_format` (the common formats; else as General)."""
    fmt = number_format or "General"
    if fmt in ("General", "@"):
        return _general(value)
    section = _format_section(fmt, value)
    negative = value < 0 and section is not _format_section(fmt, 1)
    section = _BRACKETS.sub("", section)
    # split the section into literal text and the number pattern
    literals: list[tuple[int, str]] = []

    def keep(m: re.Match) -> str:
        literals.append((m.start(), m.group(1) if m.group(1) is not None else m.group(2)))
        return "\x00"

    pattern = _LITERAL.sub(keep, section).replace("_)", "").replace("*", "")
    digits = re.search(r"[0#?][0#?,]*(?:\.[0#?]*)?%?|\.[0#?]+%?", pattern)
    if digits is None:
        return _general(value)
    spec = digits.group(0)
    percent = spec.endswith("%") or "%" in pattern
    places = len(spec.split(".", 1)[1].rstrip("%")) if "." in spec else 0
    shown = abs(value) if negative else value
    if percent:
        shown *= 100
    text = _round(shown, places)
    if "," in spec.split(".")[0]:
        whole, _, frac = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        whole = f"{int(whole.lstrip('-')):,}"
        text = sign + whole + ("." + frac if frac else "")
    before, after = pattern[: digits.start()], pattern[digits.end() :]
    parts = iter(text for _, text in literals)
    before = re.sub("\x00", lambda _: next(parts, ""), before)
    after = re.sub("\x00", lambda _: next(parts, ""), after)
    if percent and not spec.endswith("%"):
        after = after.replace("%", "", 1) + "%" if "%" in after else after
    if negative:
        before = before.replace("(", "").replace("-", "") if "(" in before else before
        text = ("(" if "(" in section else "-" if "-" not in before else "") + text
        after = after.replace(")", "") + (")" if "(" in section else "")
    return (before + text + after + ("%" if spec.endswith("%") else "")).strip()


_DATE_TOKENS = re.compile(r'"[^"]*"|\\.|yyyy|yy|mm|m|dd|d|hh|h|ss|s|[^ymdhs"\\]+', re.I)


def date_text(value: _dt.datetime | _dt.date | _dt.time, number_format: str | None) -> str:
    """A date as its number format shows it (years, months, days, literal text); else ISO."""
    fmt = _BRACKETS.sub("", number_format or "")
    if isinstance(value, _dt.time):
        return value.isoformat()
    low = fmt.lower()
    has_time = isinstance(value, _dt.datetime) and value.time() != _dt.time()
    if not any(t in low for t in ("y", "d")) or "mmm" in low or "ddd" in low or ("h" in low or has_time):
        if isinstance(value, _dt.datetime):
            return value.date().isoformat() if not has_time else value.isoformat(sep=" ")
        return value.isoformat()
    out = []
    for token in _DATE_TOKENS.findall(fmt):
        t = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif t == "yyyy":
            out.append(f"{value.year:04d}")
        elif t == "yy":
            out.append(f"{value.year % 100:02d}")
        elif t == "mm":
            out.append(f"{value.month:02d}")
        elif t == "m":
            out.append(str(value.month))
        elif t == "dd":
            out.append(f"{value.day:02d}")
        elif t == "d":
            out.append(str(value.day))
        else:
            out.append(token)
    return "".join(out)


def cell_text(value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # Excel stores a line break in a cell as _x000D_ (\r) + \n
        return value.replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "").strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return date_text(value, number_format)
    if isinstance(value, _dt.timedelta):
        return str(value)
    return str(value).strip()
