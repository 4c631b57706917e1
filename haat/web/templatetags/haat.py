"""Template helpers shared by every app's pages."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision
from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from haat.accounts import choices
from haat.web.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def country_name(code: str) -> str:
    return choices.country_name(code)


@register.filter
def language_name(code: str) -> str:
    return choices.language_name(code)


@register.simple_tag
def money(amount_minor: int | None, currency: str) -> str:
    """Format an amount in minor units for the reader's locale (e.g. ৳১,২০০.০০ in Bengali)."""
    if amount_minor is None:
        return ""
    value = Decimal(amount_minor).scaleb(-get_currency_precision(currency))
    return format_currency(value, currency, locale=(get_language() or "en").replace("-", "_"))
