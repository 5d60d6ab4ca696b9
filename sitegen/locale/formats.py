"""Dates, numbers, plural categories and lists as each language writes them, from CLDR
through Babel: month names, date patterns, digits, plural rules and list patterns
("A, B and C", "A, B et C", "A، B و C") that nobody should type by hand."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime

from sitegen.locale import tags

# What `date` accepts besides a strftime pattern: Babel's named lengths and skeletons.
NAMED_LENGTHS = {"short", "medium", "long", "full"}


def localise_digits(text: str, tag: str) -> str:
    """`text` with ASCII digits written in the language's own (Persian ۲۰۲۴)."""
    native = tags.digits(tag)
    if native == "0123456789":
        return text
    return text.translate(str.maketrans("0123456789", native))


@functools.lru_cache(maxsize=1 << 16)  # the same dates come back in teasers and listings
def format_date(value: datetime, tag: str, fmt: str = "long") -> str:
    """A date for readers: `long` (December 25, 2024 / 25 décembre 2024 / ۲۵ دسامبر ۲۰۲۴),
    another named length, or a CLDR skeleton (`MMMd`: Dec 25, 25 déc.). A pattern with `%`
    is strftime's, as themes wrote it before dates were localised."""
    if "%" in fmt:
        return value.strftime(fmt)
    from babel import dates

    found = tags.locale(tag) or tags.locale("en")
    if fmt in NAMED_LENGTHS:
        text = dates.format_date(value.date(), fmt, locale=found)
    else:
        text = dates.format_skeleton(fmt, value, locale=found)
    return localise_digits(text, tag)


@functools.lru_cache(maxsize=4096)
def month_name(month: int, tag: str) -> str:
    """The month's name as a heading (stand-alone form: `décembre`, `Dezember`, `دسامبر`)."""
    from babel import dates

    found = tags.locale(tag) or tags.locale("en")
    name = str(dates.get_month_names("wide", "stand-alone", locale=found)[month])
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=4096)
def month_year(year: int, month: int, tag: str, heading: bool = False) -> str:
    """A month of a year as the language writes it (CLDR's `yMMMM`): March 2025, mars 2025,
    marzo de 2025, مارس ۲۰۲۵, 2025年3月. `heading=True` where it starts a heading: its
    first letter a capital (Mars 2025)."""
    text = format_date(datetime(year, month, 1), tag, "yMMMM")
    return text[:1].upper() + text[1:] if heading else text


@functools.lru_cache(maxsize=4096)
def number(value: int, tag: str, grouping: bool = True) -> str:
    """A whole number in the language's digits and grouping (1,234; 1 234; ۱٬۲۳۴).
    `grouping=False` for years and page numbers."""
    if not grouping or abs(value) < 1000:
        return localise_digits(str(value), tag)
    from babel import numbers

    found = tags.locale(tag) or tags.locale("en")
    text = numbers.format_decimal(value, locale=found, numbering_system="default")
    return localise_digits(text, tag)


@functools.lru_cache(maxsize=4096)
def plural(value: int, tag: str) -> str:
    """CLDR's plural category of `value` in the language: one, two, few, many or other."""
    found = tags.locale(tag) or tags.locale("en")
    assert found is not None
    return str(found.plural_form(value))


def join_list(items: Sequence[str], tag: str) -> str:
    """Items joined as the language lists them: `A, B and C`, `A、B、C`."""
    if len(items) <= 1:
        return "".join(items)
    return _list_pattern(len(items), tag).format(*items)


@functools.lru_cache(maxsize=1024)
def _list_pattern(count: int, tag: str) -> str:
    """The CLDR list pattern for `count` items with `{0}`... placeholders (names are
    substituted after, so that braces or markup in them are never read as a pattern)."""
    from babel import lists

    found = tags.locale(tag) or tags.locale("en")
    marks = [f"\x00{i}\x00" for i in range(count)]
    text = lists.format_list(marks, locale=found).replace("{", "{{").replace("}", "}}")
    for i, mark in enumerate(marks):
        text = text.replace(mark, "{" + str(i) + "}")
    return text
