"""Reads of jobs for their pages and the API: one job as a viewer may see it, and a buyer's own jobs.

The list and search of jobs lives in ``haat.jobs.selectors`` (the search engineer's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from haat.bids.models import BidStatus
from haat.jobs import permissions
from haat.jobs.models import Job, JobAttachment, JobInvitation

MAX_ID = 2**63 - 1


def with_bid_count(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """``jobs`` annotated with ``bid_count``: the bids received, not counting withdrawn ones."""
    return jobs.annotate(bid_count=Count("bids", filter=~Q(bids__status=BidStatus.WITHDRAWN), distinct=True))


def _jobs_for_display() -> QuerySet[Job]:
    return with_bid_count(
        Job.objects.select_related(
            "category", "category__parent", "buyer", "buyer__profile"
        ).prefetch_related("skills", "attachments")
    )


@dataclass(frozen=True)
class JobView:
    """A job and what the viewer may do with it."""

    job: Job
    is_buyer: bool
    can_see_details: bool
    nda_accepted: bool
    is_staff: bool

    @property
    def details_hidden(self) -> bool:
        return not self.can_see_details

    @property
    def may_accept_nda(self) -> bool:
        """A signed-in viewer other than the buyer who has not accepted the NDA of this confidential job."""
        return self.job.is_confidential and not self.is_buyer and not self.nda_accepted


def _id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise Job.DoesNotExist
    return value


def job_for_viewer(user: Any, job_id: int) -> JobView:
    """The job with everything its page shows, and the viewer's rights on it.

    Raises ``Job.DoesNotExist`` for unknown jobs and for jobs the viewer may not see (the same answer, so ids
    cannot be probed).
    """
    job = _jobs_for_display().get(pk=_id(job_id))
    if not permissions.can_view(user, job):
        raise Job.DoesNotExist
    return JobView(
        job=job,
        is_buyer=permissions.is_buyer(user, job),
        can_see_details=permissions.can_see_details(user, job),
        nda_accepted=permissions.has_accepted_nda(user, job),
        is_staff=permissions.is_staff(user),
    )


def jobs_of_buyer(user: Any) -> QuerySet[Job]:
    """The buyer's own jobs, every state, newest first, with their bid counts."""
    return with_bid_count(
        Job.objects.filter(buyer_id=user.pk)
        .select_related("category")
        .prefetch_related("skills", "attachments")
    ).order_by("-created_at", "-pk")


def attachment_for_download(user: Any, job_id: int, attachment_id: int) -> JobAttachment:
    """One attachment of a job, for a viewer allowed to download it.

    Raises ``JobAttachment.DoesNotExist`` when the job or the attachment is unknown or invisible to the
    viewer, and ``PermissionDenied`` when the job is confidential and the viewer has not accepted its NDA.
    """
    if not (0 < job_id <= MAX_ID and 0 < attachment_id <= MAX_ID):
        raise JobAttachment.DoesNotExist
    attachment = JobAttachment.objects.select_related("job").filter(pk=attachment_id, job_id=job_id).first()
    if attachment is None or not permissions.can_view(user, attachment.job):
        raise JobAttachment.DoesNotExist
    if not permissions.can_see_details(user, attachment.job):
        raise PermissionDenied(_("Accept this job's NDA to download its files."))
    return attachment


def invitations_of(user: Any, job_id: int) -> QuerySet[JobInvitation]:
    """The invitations of one of the buyer's jobs, newest first.

    Raises ``Job.DoesNotExist`` when the viewer cannot see the job and ``PermissionDenied`` when they can but
    are not its buyer.
    """
    job = Job.objects.get(pk=_id(job_id))
    if not permissions.can_view(user, job):
        raise Job.DoesNotExist
    if not permissions.is_buyer(user, job):
        raise PermissionDenied(_("Only the buyer sees who was invited."))
    return (
        JobInvitation.objects.filter(job=job)
        .select_related("freelancer", "freelancer__profile")
        .order_by("-invited_at", "-pk")
    )
