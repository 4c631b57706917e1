"""Template helpers of the messaging app: the job page's interview panel and unread counts."""

from __future__ import annotations

from django import template

from haat.accounts.models import User
from haat.jobs.models import Job
from haat.messaging import selectors

register = template.Library()


def _viewer(context: template.Context) -> User | None:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user if isinstance(user, User) and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def job_interviews(context: template.Context, job: Job) -> selectors.JobInterviews:
    """``{% job_interviews job as interviews %}``: the interview threads the viewer may see on a job."""
    user = _viewer(context)
    if user is None:
        return selectors.JobInterviews(is_buyer=False)
    return selectors.job_interviews(user, job)


@register.simple_tag(takes_context=True)
def unread_messages(context: template.Context) -> int:
    """``{% unread_messages as n %}``: how many messages wait for the viewer (0 when signed out)."""
    user = _viewer(context)
    return selectors.unread_total(user) if user is not None else 0
