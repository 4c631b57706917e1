"""Amounts for people: minor units → a localized string, e.g. ``US$1,234.50`` or ``US$১,২৩৪.৫০``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import get_language

BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def to_major(amount_minor: int, currency: str) -> Decimal:
    return Decimal(amount_minor).scaleb(-get_currency_precision(currency))


def to_minor(amount: Decimal | str, currency: str) -> int:
    """A decimal in the currency's major unit → minor units. Refuses more decimals than the currency has."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError("Not a number.") from exc
    if not value.is_finite():
        raise ValueError("Not a number.")
    minor = value.scaleb(get_currency_precision(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{currency} has at most {get_currency_precision(currency)} decimal places.")
    return int(minor)


def format_money(amount_minor: int, currency: str, language: str | None = None) -> str:
    """Format for the reader's language. Bengali gets Bengali digits and South Asian (lakh) grouping."""
    value = to_major(amount_minor, currency)
    if (language or get_language() or "en").startswith("bn"):
        text = format_currency(value, currency, format="¤#,##,##0.00", locale="bn")
        return text.translate(BENGALI_DIGITS)
    # International English writes US$ where a bare $ would be ambiguous.
    return format_currency(value, currency, locale="en_001")
