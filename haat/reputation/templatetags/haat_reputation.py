"""Template helpers of the reputation app: the review panel of a contract and a profile's reviews."""

from __future__ import annotations

from typing import Any

from django import template

from haat.accounts.models import User
from haat.contracts.models import Contract
from haat.reputation import ranking, selectors
from haat.reputation.forms import ReviewForm

register = template.Library()

PROFILE_REVIEWS = 20


@register.simple_tag
def review_section(contract: Contract, user: User) -> dict[str, Any]:
    """The review panel of ``contract`` for ``user``; the contract page has already checked they are a party."""
    section = selectors.review_section(user, contract)
    return {"section": section, "form": ReviewForm() if section.refusal is None else None}


@register.simple_tag
def profile_reviews(user_id: int) -> dict[str, Any]:
    """The newest published reviews of a user and their ranking figures, for the public profile."""
    reviews = selectors.published_reviews_of(user_id)
    return {
        "reviews": list(reviews[:PROFILE_REVIEWS]),
        "count": reviews.count(),
        "stats": ranking.stats_for([user_id])[user_id],
    }


@register.filter
def percent(value: float | None) -> str:
    """A share 0–1 as a whole percent ("—" with no data)."""
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def stars(value: float | None) -> str:
    """An average rating with one decimal ("—" with no data)."""
    return "—" if value is None else f"{value:.1f}"
