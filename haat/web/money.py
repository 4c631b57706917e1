"""Amounts for people: minor units → a localized string, e.g. ``US$1,234.50`` or ``US$১,২৩৪.৫০``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from haat.ledger.models import MAX_AMOUNT

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


def to_minor_units(amount: Decimal, currency: str) -> int:
    """An amount typed by a person (``12.50`` USD) as minor units (1250), for forms.

    Raises ``ValidationError`` with a message for the page when the amount is not positive, needs rounding,
    or exceeds what the ledger can hold.
    """
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(_("Enter an amount greater than zero."))
    try:
        minor = to_minor(amount, currency)
    except ValueError as exc:
        raise ValidationError(
            _("%(currency)s amounts have at most %(places)d decimal places.")
            % {"currency": currency, "places": get_currency_precision(currency)}
        ) from exc
    if minor > MAX_AMOUNT:
        raise ValidationError(_("This amount is too large."))
    return minor


def format_money(amount_minor: int, currency: str, language: str | None = None) -> str:
    """Format for the reader's language. Bengali gets Bengali digits and South Asian (lakh) grouping."""
    value = to_major(amount_minor, currency)
    if (language or get_language() or "en").startswith("bn"):
        text = format_currency(value, currency, format="¤#,##,##0.00", locale="bn")
        return text.translate(BENGALI_DIGITS)
    # International English writes US$ where a bare $ would be ambiguous.
    return format_currency(value, currency, locale="en_001")
