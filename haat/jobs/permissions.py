"""Who may see a job, and who may see a confidential job's details.

A job is **visible** to:

- moderators and arbiters signed in with two-factor authentication (they see everything; ``is_staff``);
- its buyer (drafts included);
- anyone, signed in or not, once it is published (not a draft) and public;
- for an invite-only job: freelancers the buyer invited, and freelancers who bid on it.

A job's **details** (description and attachments) are shown to everyone who can see the job, unless the job
is confidential: then only to staff, the buyer, and freelancers who accepted its NDA.

Invisible jobs answer 404 rather than 403, so their ids cannot be probed. ``visible_jobs`` is the same rule
as a query, for lists and search.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from haat.bids.models import Bid
from haat.jobs.models import Job, JobInvitation, JobStatus, NdaAcceptance, Visibility


def signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_staff(user: Any) -> bool:
    """Moderators and arbiters (and admins), signed in with two-factor authentication: they may see every job
    and every detail (reported content; the scope of a disputed job). Django's ``is_staff`` flag alone is not
    enough: finance does not need drafts or confidential briefs, and a staff password without the second
    factor must open no more than a user's."""
    from haat.staff.access import has_two_factor
    from haat.staff.roles import Role, has_role

    return (
        signed_in(user)
        and bool(user.is_staff or user.is_superuser)  # cheap: most users stop here, with no query
        and (has_role(user, Role.MODERATOR) or has_role(user, Role.ARBITER))
        and has_two_factor(user)
    )


def is_buyer(user: Any, job: Job) -> bool:
    return signed_in(user) and job.buyer_id == user.pk


def is_invited(user: Any, job: Job) -> bool:
    return signed_in(user) and JobInvitation.objects.filter(job=job, freelancer_id=user.pk).exists()


def has_bid(user: Any, job: Job) -> bool:
    return signed_in(user) and Bid.objects.filter(job=job, freelancer_id=user.pk).exists()


def has_accepted_nda(user: Any, job: Job) -> bool:
    return signed_in(user) and NdaAcceptance.objects.filter(job=job, user_id=user.pk).exists()


def can_view(user: Any, job: Job) -> bool:
    """Whether ``user`` (possibly anonymous) may know that ``job`` exists."""
    if is_staff(user) or is_buyer(user, job):
        return True
    if job.status == JobStatus.DRAFT or job.hidden_at is not None:  # hidden by a moderator
        return False
    if job.visibility == Visibility.PUBLIC:
        return True
    return is_invited(user, job) or has_bid(user, job)


def can_see_details(user: Any, job: Job) -> bool:
    """Whether ``user`` may read the job's description and download its attachments."""
    if not can_view(user, job):
        return False
    if not job.is_confidential or is_staff(user) or is_buyer(user, job):
        return True
    return has_accepted_nda(user, job)


def visible_jobs(user: Any, jobs: QuerySet[Job] | None = None) -> QuerySet[Job]:
    """``jobs`` (default: all) narrowed to those ``user`` may see: the rule of ``can_view`` as one query."""
    queryset = Job.objects.all() if jobs is None else jobs
    if is_staff(user):
        return queryset
    published = ~Q(status=JobStatus.DRAFT) & Q(hidden_at__isnull=True)  # hidden by a moderator: not shown
    published_public = published & Q(visibility=Visibility.PUBLIC)
    if not signed_in(user):
        return queryset.filter(published_public)
    invited = Exists(JobInvitation.objects.filter(job=OuterRef("pk"), freelancer_id=user.pk))
    bid = Exists(Bid.objects.filter(job=OuterRef("pk"), freelancer_id=user.pk))
    return queryset.filter(Q(buyer_id=user.pk) | published_public | (published & (invited | bid)))
