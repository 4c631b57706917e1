"""Country, language and time-zone lists, named in the reader's language (via Babel's CLDR data)."""

from __future__ import annotations

import functools
import zoneinfo

from babel import Locale
from django.utils.translation import get_language

# Languages freelancers commonly offer; a short list keeps the select usable on a phone.
WORK_LANGUAGES = (
    "en",
    "bn",
    "hi",
    "ur",
    "ar",
    "zh",
    "es",
    "fr",
    "de",
    "pt",
    "ru",
    "ja",
    "ko",
    "id",
    "ms",
    "tr",
    "it",
    "nl",
    "fa",
    "ta",
    "te",
    "mr",
    "ne",
    "si",
    "th",
    "vi",
    "pl",
    "uk",
    "sv",
)


@functools.cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def sorted_time_zones() -> tuple[str, ...]:
    return tuple(sorted(name for name in time_zone_names() if "/" in name or name == "UTC"))


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


def _active_locale() -> Locale:
    return _locale((get_language() or "en").split("-")[0])


@functools.cache
def country_codes() -> frozenset[str]:
    return frozenset(
        code
        for code in _locale("en").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha()
    )


def language_codes() -> frozenset[str]:
    return frozenset(WORK_LANGUAGES)


def country_name(code: str) -> str:
    """The country's name in the active language, or the code itself if unknown."""
    return str(_active_locale().territories.get(code, code)) if code else ""


def language_name(code: str) -> str:
    return str(_active_locale().languages.get(code, code))


def country_choices() -> list[tuple[str, str]]:
    names = _active_locale().territories
    return sorted(((code, str(names.get(code, code))) for code in country_codes()), key=lambda c: c[1])


def language_choices() -> list[tuple[str, str]]:
    names = _active_locale().languages
    return [(code, str(names.get(code, code))) for code in WORK_LANGUAGES]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted_time_zones()]
