"""The value cache (goallint.values): one frozen target per distinct text."""

from __future__ import annotations

import pydantic
import pytest
from tests.values.test_scan import CORPUS  # the corpus values, tests/data/values.tsv

from goallint import values
from goallint.values import cached, clear_cache, parse_uncached, parse_value


@pytest.fixture
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def test_cached_targets_equal_fresh_parses(fresh_cache):
    texts = sorted(set(CORPUS))
    assert len(texts) > 300
    for text in texts:
        target = parse_value(text)
        assert target == parse_uncached(text), text
        assert target.model_dump() == parse_uncached(text).model_dump(), text
        assert target.model_fields_set == parse_uncached(text).model_fields_set, text
        assert cached(text) is target and parse_value(text) is target


def test_targets_are_read_only(fresh_cache):
    target = parse_value("≥95%")
    with pytest.raises(pydantic.ValidationError):
        target.number = 5
    assert parse_value("≥95%").number == 95


def test_the_cache_is_bounded_and_forgets_when_full(fresh_cache, monkeypatch):
    monkeypatch.setattr(values, "LIMIT", 4)
    first = parse_value("1次")
    for n in range(2, 5):
        parse_value(f"{n}次")
    assert cached("1次") is first
    parse_value("5次")  # the fifth: the cache is cleared first
    assert cached("1次") is None and cached("5次") is not None
    again = parse_value("1次")
    assert again is not first and again == first


def test_values_that_are_not_text(fresh_cache):
    assert parse_value(None) == parse_value("")
    assert parse_value(12).raw == "12"
    too_long = "很" * 1000
    assert parse_value(too_long).reason == "too_long" and cached(too_long) is None
