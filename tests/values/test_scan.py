"""The scanner before lark (goallint.values.scan) answers exactly what lark answers, and it answers.

"Exactly": when the scanner answers for a text, lark parses that same text to the same
(kind, fields, spans) — compared by repr, so key order, float digits and enum members count too —
and parse_value gives the same Target with the scanner on and off (model_dump_json equal).
Texts: every distinct corpus value and each sub-span the sentence search tries, values made as
bench/generate.py makes them, and hypothesis strings built from the grammar's own words and units.
"""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark.exceptions import LarkError

from builders.bench import bench_generate
from goallint.values import clear_cache, parse_value
from goallint.values import scan as scan_module
from goallint.values.build import Invalid, build
from goallint.values.grammar import parser, terminal_words
from goallint.values.lexicon import unit_table
from goallint.values.normalize import by_character, normalize
from goallint.values.parse import MAX_MEASURE
from goallint.values.scan import scan

ROOT = Path(__file__).resolve().parents[2]
TSV = ROOT / "tests" / "data" / "values.tsv"


def _corpus() -> list[str]:
    with TSV.open(encoding="utf-8", newline="") as f:
        return [r["value"].replace("\\n", "\n") for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _generated(rounds: int = 12) -> list[str]:
    """Corpus values with their digits redrawn, as bench/generate.py writes them into a synthetic province."""
    generate = bench_generate()
    rng = random.Random(11)
    values = {generate._redraw_digits(v, rng) for _ in range(rounds) for v in _corpus()}
    return sorted(values)


CORPUS = _corpus()
GENERATED = _generated()


def outcome(parse, text: str):
    """What a parse gives: (kind, fields, spans), or the Invalid (reason, detail) or the LarkError it raises."""
    try:
        return parse(text)
    except Invalid as e:
        return ("Invalid", e.reason, e.detail)
    except LarkError:
        return "LarkError"


def lark(text: str):
    return outcome(lambda t: build(parser().parse(t)), text)


def agrees(text: str) -> bool:
    """True when the scanner answers for `text` (and then it must equal lark); False when it leaves it to lark."""
    got = outcome(scan, text)
    if got is None:
        return False
    assert repr(got) == repr(lark(text)), text
    return True


def test_corpus_values_and_their_sub_spans():
    answered = 0
    for value in CORPUS:
        norm, _ = normalize(value)
        answered += agrees(norm)
        for i in range(len(norm)):  # what parse._find_measures tries inside a sentence
            for j in range(i + 1, min(len(norm), i + MAX_MEASURE) + 1):
                agrees(norm[i:j])
    assert answered >= len(CORPUS) // 2


def test_generated_values():
    answered = sum(agrees(normalize(v)[0]) for v in GENERATED)
    assert answered >= len(GENERATED) // 2


@pytest.mark.parametrize("values", [CORPUS, GENERATED], ids=["corpus", "generated"])
def test_same_targets_with_the_scanner_off(values, monkeypatch):
    with_scanner = [parse_value(v).model_dump_json() for v in values]
    monkeypatch.setattr(scan_module, "ENABLED", False)
    clear_cache()
    try:
        assert [parse_value(v).model_dump_json() for v in values] == with_scanner
    finally:
        clear_cache()


# ------------------------------------------------------------------ it does answer

COMMON = [
    "≥90%",
    "≤23.38万元",
    "=100%",
    "≧2次",
    "不少于50家",
    "约6952平方米",
    "100%",
    "≥39万次",
    "5个以上",
    "≤24小时",
    "≤30分钟",
    "≥3次/年",
    "≤1次/季",
    "1,000万元左右",
    "不超过218万元",
    "≤15万",
    "≥1年",
    "100百分比",
    "≥482TEU",
    "不少于9344.8亿元人民币",
    "约5个以上左右",
    "30万元以内",
]


@pytest.mark.parametrize("text", COMMON)
def test_scanner_answers_the_common_shapes(text):
    assert agrees(text), f"{text}: left to lark"
    assert parse_value(text).kind == "numeric"


def test_scanner_answers_every_whole_amount_of_the_corpus():
    """Each corpus value lark reads whole as an Arabic-number amount is one the scanner reads itself."""
    missed = []
    for value in CORPUS:
        norm, _ = normalize(value)
        got = lark(norm)
        whole = isinstance(got, tuple) and got[0] == "numeric" and got[1]["number_text"][0].isdigit()
        if whole and got[2].get("unit", (99,))[0] > got[2]["number"][0] and not agrees(norm):  # not 百分之90
            missed.append(value)
    assert not missed


@pytest.mark.parametrize(
    "text, expected",
    [
        ("≥5官方报道信息数量", ("Invalid", "unknown_unit", "官方报道信息数量")),
        ("5次每年", ("Invalid", "tangled", "次每年")),
        ("≥5个以上", ("Invalid", "other", "two comparators")),
        ("万元", ("Invalid", "unit_without_number", "万元")),
        ("及时足额", ("Invalid", "no_measure", "及时足额")),  # a qualitative value: no lark call at all
        ("好。", "LarkError"),
    ],
)
def test_scanner_decides_what_lark_refuses(text, expected):
    assert agrees(text)
    assert outcome(scan, text) == expected


@pytest.mark.parametrize(
    "text",
    ["2025年", "2025年12月底前", "12个月内", "3-5个", "4月、7月", "三个", "百分之90", "全年", "及时，足额", "近<万"],
)
def test_scanner_leaves_other_shapes_to_lark(text):
    assert scan(text) is None


# ------------------------------------------------------------------ strings from the grammar's pieces

_REGEX_TERMINALS = {"NUMBER", "CNUM", "YEAR", "UCHAR"}
WORDS = sorted({w for t in parser().terminals if t.name not in _REGEX_TERMINALS for w in terminal_words(t.name)})
UNITS = sorted(unit_table())
NUMBERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(lambda p: f"{p[0]}.{p[1]}"),
    st.integers(1000, 10**7).map(lambda n: f"{n:,}"),
    st.sampled_from(["2025", "2022", "1999", ".5", "12", "3", "三", "十二", "两", "一百"]),
)
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(UNITS),
    NUMBERS,
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(list("年月日号份度个次%/每 ,.")),
)


def test_every_short_sequence_of_grammar_words():
    """All sequences of one or two words (every terminal's every word, a few numbers and letters)
    and of three (one word per terminal): small, but every pair of neighbours is tried."""
    extra = ["5", "12", "2025", "1,000", "三", "个", "万元", "次", "好", "。", "/"]
    one_each = sorted(
        {terminal_words(t.name)[0] for t in parser().terminals if t.name not in _REGEX_TERMINALS} | set(extra)
    )
    every = sorted(set(WORDS) | set(extra))
    answered = 0
    for n, alphabet in ((1, every), (2, every), (3, one_each)):
        for words in itertools.product(alphabet, repeat=n):
            answered += agrees("".join(words))
    assert answered > 10_000


def _maybe(strategy):
    return st.one_of(st.just(""), strategy)


@st.composite
def amounts(draw):
    """[约][≥] number [万] [unit] [以上][左右], now and then with a piece slipped in somewhere."""
    parts = [
        draw(_maybe(st.sampled_from(terminal_words("APPROX")))),
        draw(_maybe(st.sampled_from([w for n in ("GE", "LE", "GT", "LT", "EQ") for w in terminal_words(n)]))),
        draw(NUMBERS),
        draw(_maybe(st.sampled_from(terminal_words("MAG")))),
        draw(
            _maybe(
                st.one_of(
                    st.sampled_from(UNITS), st.tuples(st.sampled_from(UNITS), st.sampled_from(UNITS)).map("/".join)
                )
            )
        ),
        draw(_maybe(st.sampled_from([w for n in ("SUFFIX_GE", "SUFFIX_LE", "SUFFIX_LT") for w in terminal_words(n)]))),
        draw(_maybe(st.sampled_from(terminal_words("APPROX_SUFFIX")))),
    ]
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(PIECES))
    return "".join(parts)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # the machine may be busy
@given(amounts())
def test_amounts_from_the_grammar_words(text):
    agrees(normalize(text)[0])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # the machine may be busy
@given(st.lists(PIECES, min_size=1, max_size=7).map("".join))
def test_any_string_of_grammar_pieces(text):
    agrees(normalize(text)[0])


# ------------------------------------------------------------------ normalize's shortcut


def test_normalize_shortcut_equals_the_character_loop():
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        for text in (c, f"≥5{c}", f"{c}万元 "):
            assert normalize(text) == by_character(text), hex(cp)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_normalize_shortcut_on_any_text(text):
    assert normalize(text) == by_character(text)
