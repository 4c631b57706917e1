"""Template helpers shared by every app's pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from haat.accounts import choices
from haat.web.markdown import render_markdown
from haat.web.money import format_money

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
    """Format an amount in minor units for the reader's language (see ``haat.web.money``)."""
    if amount_minor is None:
        return ""
    return format_money(amount_minor, currency)
