"""Numbers as written: 1,000  23.38  .5  and Chinese numerals 三 十二 两 二十五 一百."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}


def chinese_number(text: str) -> int:
    """Value of a Chinese numeral below 1000; ValueError if it is not one."""
    if not text:
        raise ValueError("empty numeral")
    if all(c in _DIGITS for c in text):  # digit by digit: 二〇二五
        if len(text) > 1 and text[0] in "零〇":
            raise ValueError(text)
        value = 0
        for c in text:
            value = value * 10 + _DIGITS[c]
        return value
    total, digit = 0, None
    last_unit = 1000
    for c in text:
        if c in _DIGITS:
            if digit is not None and _DIGITS[c] != 0:
                raise ValueError(f"not a numeral: {text!r}")
            digit = _DIGITS[c]
        elif c in _UNITS:
            unit = _UNITS[c]
            if unit >= last_unit:
                raise ValueError(f"not a numeral: {text!r}")
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            raise ValueError(f"not a numeral: {text!r}")
    return total + (digit or 0)


def parse_number(text: str) -> float:
    if text and (text[0].isdigit() or text[0] == "."):
        return float(text.replace(",", ""))
    return float(chinese_number(text))


def format_number(value: float) -> str:
    """Shortest text for a number: 90, 23.38, 0.1."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))
