"""Template tags for the bids panel the job page includes (``bids/_job_bids.html``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

from haat.bids import selectors
from haat.jobs.models import Job
from haat.web.money import BENGALI_DIGITS

register = template.Library()


@register.inclusion_tag("bids/_panel.html", takes_context=True)
def job_bids_panel(context: template.Context, job: Job) -> dict[str, Any]:
    """The bids panel of ``job`` for whoever looks: the buyer's bids table, a freelancer's bid or bid form."""
    from haat.bids.views import panel_context  # views import the app's forms and services

    request = context["request"]
    return {**panel_context(request, job), "csrf_token": context.get("csrf_token")}


@register.simple_tag
def job_url(job_id: int) -> str:
    """The address of a job's page."""
    return selectors.job_path(job_id)


@register.filter
def percent(basis_points: int) -> str:
    """Basis points as a percentage for people: 1000 → "10", 1250 → "12.5" (Bengali digits in Bengali)."""
    text = format((Decimal(basis_points) / 100).normalize(), "f")
    if (get_language() or "en").startswith("bn"):
        return text.translate(BENGALI_DIGITS)
    return text
