"""Language tags (BCP 47): checked against CLDR's locales, with what a page needs of one:
its writing direction, its name in its own language, its Open Graph locale.

Babel is imported on first use, so a site that never formats a date in another language
(and `sitegen --help`) does not pay for it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Digits of the CLDR numbering systems a default locale may use (Babel formats every
# number with ASCII digits and only the separators of the system): Persian uses arabext.
NATIVE_DIGITS = {
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
    "beng": "০১২৩৪৫৬৭৮৯",
    "deva": "०१२३४५६७८९",
    "mymr": "၀၁၂၃၄၅၆၇၈၉",
}


def normalise(tag: str) -> str:
    """`pt_br`, `PT-br` -> `pt-BR`; `zh-hans` -> `zh-Hans` (BCP 47's usual casing)."""
    parts = tag.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) in (2, 3) and (part.isalpha() or part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


@functools.lru_cache(maxsize=256)
def locale(tag: str) -> Locale | None:
    """The CLDR locale of a BCP 47 tag, or None when CLDR knows no such language."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(normalise(tag), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def is_known(tag: str) -> bool:
    return bool(tag.strip()) and locale(tag) is not None


def direction(tag: str) -> str:
    """`rtl` for Arabic, Persian, Hebrew, Urdu...; `ltr` otherwise."""
    found = locale(tag)
    return "rtl" if found is not None and found.text_direction == "rtl" else "ltr"


def own_name(tag: str) -> str:
    """The language's name in itself, capitalised as a label: `Français`, `فارسی`."""
    found = locale(tag)
    if found is None:
        return tag
    name = found.get_display_name(found) or tag
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=256)
def og_locale(tag: str) -> str:
    """Open Graph's `language_TERRITORY` (`fa_IR`, `zh_TW` for zh-Hant), by CLDR's likely
    subtags when the tag names no territory."""
    from babel.core import get_global

    found = locale(tag)
    if found is None:
        return tag.replace("-", "_")
    territory = found.territory
    if not territory:
        likely = get_global("likely_subtags")
        key = f"{found.language}_{found.script}" if found.script else found.language
        full = str(likely.get(key) or likely.get(found.language) or "")
        territory = full.split("_")[-1] if "_" in full else ""
    return f"{found.language}_{territory}" if territory else found.language


@functools.lru_cache(maxsize=256)
def digits(tag: str) -> str:
    """The ten digits the language writes by default (CLDR), `0123456789` for most."""
    found = locale(tag)
    system = getattr(found, "default_numbering_system", "latn") if found else "latn"
    return NATIVE_DIGITS.get(system, "0123456789")
