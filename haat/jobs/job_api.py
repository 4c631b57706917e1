"""API: posting and managing jobs, attachments, NDAs and invitations (the list/search lives in search_api)."""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StrictBool, StrictInt, StringConstraints, model_validator

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem, session_auth, token_auth
from haat.jobs import job_selectors, services
from haat.jobs.job_views import attachment_response
from haat.jobs.models import Job, JobAttachment, JobInvitation, JobStatus, NdaAcceptance, Visibility

router = Router(tags=["jobs"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
CONFLICT: dict[int, type[Schema]] = {409: Problem}
Slug = Annotated[str, StringConstraints(max_length=100)]


def _anonymous(request: HttpRequest) -> AnonymousUser:
    """Let an operation run without credentials; a token or session, when sent, is still used first."""
    return AnonymousUser()


OPTIONAL_AUTH = [token_auth, session_auth, _anonymous]


# --- Schemas --------------------------------------------------------------------------------------------------


class JobFields(Schema):
    title: Annotated[str, StringConstraints(max_length=services.TITLE_MAX_LENGTH + 100)] = Field(
        description="5 to 200 characters."
    )
    description: Annotated[str, StringConstraints(max_length=services.DESCRIPTION_MAX_LENGTH + 100)] = Field(
        description="Markdown; rendered sanitized."
    )
    category: Slug = Field(description="Category or sub-category slug (see GET /categories).")
    skills: Annotated[list[Slug], Field(max_length=100)] = Field(
        default_factory=list, description=f"Skill slugs, at most {services.MAX_SKILLS}."
    )
    budget_min: StrictInt = Field(description="Minor units (cents, paisa); greater than zero.")
    budget_max: StrictInt = Field(description="Minor units; at least budget_min.")
    currency: Annotated[str, StringConstraints(max_length=8)] = Field(examples=["USD"])
    deadline: dt.datetime = Field(
        description="Delivery deadline, after bidding closes (ISO 8601; UTC if no offset)."
    )
    bidding_closes_at: dt.datetime = Field(description="In the future (ISO 8601; UTC if no offset).")
    visibility: Visibility = Visibility.PUBLIC
    is_confidential: StrictBool = Field(
        False, description="Description and attachments only for freelancers who accepted the NDA."
    )


class JobIn(JobFields):
    publish: StrictBool = Field(False, description="Open for bids at once; otherwise saved as a draft.")


class JobPatch(Schema):
    """Fields to change; fields left out stay as they are."""

    @model_validator(mode="before")
    @classmethod
    def _must_be_object(cls, data: Any) -> Any:
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("The body must be a JSON object.")
        return data

    title: Annotated[str, StringConstraints(max_length=services.TITLE_MAX_LENGTH + 100)] | None = None
    description: (
        Annotated[str, StringConstraints(max_length=services.DESCRIPTION_MAX_LENGTH + 100)] | None
    ) = None
    category: Slug | None = None
    skills: Annotated[list[Slug], Field(max_length=100)] | None = None
    budget_min: StrictInt | None = None
    budget_max: StrictInt | None = None
    currency: Annotated[str, StringConstraints(max_length=8)] | None = None
    deadline: dt.datetime | None = None
    bidding_closes_at: dt.datetime | None = None
    visibility: Visibility | None = None
    is_confidential: StrictBool | None = None


class JobAttachmentOut(Schema):
    id: int
    name: str = Field(description="The uploader's file name (display text only).")
    size: int
    uploaded_at: dt.datetime
    download_url: str


class JobOut(Schema):
    id: int
    status: JobStatus
    buyer_id: int
    title: str
    description: str | None = Field(description="Markdown; null while details_hidden.")
    details_hidden: bool = Field(description="True for a confidential job whose NDA you have not accepted.")
    category: str = Field(description="Category slug.")
    skills: list[str] = Field(description="Skill slugs.")
    budget_min: int
    budget_max: int
    currency: str
    deadline: dt.datetime
    bidding_closes_at: dt.datetime
    visibility: Visibility
    is_confidential: bool
    nda_accepted: bool
    bid_count: int = Field(description="Bids received, not counting withdrawn ones.")
    attachments: list[JobAttachmentOut] | None = Field(description="Null while details_hidden.")
    created_at: dt.datetime
    published_at: dt.datetime | None


class NdaOut(Schema):
    job_id: int
    accepted_at: dt.datetime


class InvitationIn(Schema):
    freelancer_id: StrictInt | None = Field(None, description="The freelancer's user id, or give email.")
    email: Annotated[str, StringConstraints(max_length=254)] | None = Field(
        None, description="The e-mail address of an existing user, instead of freelancer_id."
    )
    message: Annotated[str, StringConstraints(max_length=services.INVITATION_MESSAGE_MAX_LENGTH + 100)] = ""


class InvitationOut(Schema):
    id: int
    job_id: int
    freelancer_id: int
    freelancer_name: str
    message: str
    invited_at: dt.datetime

    @staticmethod
    def resolve_freelancer_name(obj: JobInvitation) -> str:
        return obj.freelancer.profile.public_name


# --- Helpers --------------------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _viewer(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@contextmanager
def _state_conflicts() -> Iterator[None]:
    """A job in the wrong state answers 409 Conflict, not 422."""
    try:
        yield
    except services.JobStateError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc


def _utc(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    for name in ("deadline", "bidding_closes_at"):
        if name in data:
            data[name] = _utc(data[name])
    if "visibility" in data and data["visibility"] is not None:
        data["visibility"] = str(Visibility(data["visibility"]).value)
    return data


def _attachment(request: HttpRequest, attachment: JobAttachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "size": attachment.size,
        "uploaded_at": attachment.uploaded_at,
        "download_url": request.build_absolute_uri(
            reverse("api:download_job_attachment", args=[attachment.job_id, attachment.pk])
        ),
    }


def _job(request: HttpRequest, view: job_selectors.JobView) -> dict[str, Any]:
    job = view.job
    shown = view.can_see_details
    return {
        "id": job.pk,
        "status": job.status,
        "buyer_id": job.buyer_id,
        "title": job.title,
        "description": job.description if shown else None,
        "details_hidden": not shown,
        "category": job.category.slug,
        "skills": [skill.slug for skill in job.skills.all()],
        "budget_min": job.budget_min,
        "budget_max": job.budget_max,
        "currency": job.currency,
        "deadline": job.deadline,
        "bidding_closes_at": job.bidding_closes_at,
        "visibility": job.visibility,
        "is_confidential": job.is_confidential,
        "nda_accepted": view.nda_accepted,
        "bid_count": getattr(job, "bid_count", 0),
        "attachments": [_attachment(request, a) for a in job.attachments.all()] if shown else None,
        "created_at": job.created_at,
        "published_at": job.published_at,
    }


def _job_for(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return _job(request, job_selectors.job_for_viewer(_viewer(request), job_id))


class _LazyJobs:
    """A page of the buyer's jobs as JSON dicts: the paginator slices, then only that page is built."""

    def __init__(self, request: HttpRequest, jobs: QuerySet[Job], user: User) -> None:
        self.request, self.jobs, self.user = request, jobs, user

    def __len__(self) -> int:
        return self.jobs.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [
            _job(
                self.request,
                job_selectors.JobView(
                    job=job, is_buyer=True, can_see_details=True, nda_accepted=False, is_staff=False
                ),
            )
            for job in self.jobs[item]
        ]


# --- Jobs -----------------------------------------------------------------------------------------------------


@router.post(
    "/jobs",
    response={201: JobOut, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Post a job (as a draft, or open for bids at once with publish=true)",
)
def create_job(request: HttpRequest, payload: JobIn) -> Status:
    data = _fields(payload.dict())
    publish = data.pop("publish")
    job = services.create_job(buyer=_user(request), fields=data, publish=publish)
    return Status(201, _job_for(request, job.pk))


@router.get(
    "/jobs/{job_id}",
    response={200: JobOut, **NOT_FOUND},
    auth=OPTIONAL_AUTH,
    summary="One job (details are null for a confidential job until you accept its NDA)",
)
def get_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return _job_for(request, job_id)


@router.patch(
    "/jobs/{job_id}",
    response={200: JobOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Change a draft or open job (the buyer)",
)
def update_job(request: HttpRequest, job_id: int, payload: JobPatch) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    if nulls := sorted(name for name, value in data.items() if value is None):
        raise ValidationError({name: "This field may not be null." for name in nulls})
    with _state_conflicts():
        services.update_job(user=_user(request), job_id=job_id, changes=_fields(data))
    return _job_for(request, job_id)


def _move(request: HttpRequest, job_id: int, action: Any) -> dict[str, Any]:
    with _state_conflicts():
        action(user=_user(request), job_id=job_id)
    return _job_for(request, job_id)


@router.post(
    "/jobs/{job_id}/publish",
    response={200: JobOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Open a draft for bids (the buyer)",
)
def publish_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return _move(request, job_id, services.publish_job)


@router.post(
    "/jobs/{job_id}/close",
    response={200: JobOut, **CONFLICT, **NOT_FOUND, **AUTH_ERRORS},
    summary="End bidding now without an award (the buyer)",
)
def close_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return _move(request, job_id, services.close_job)


@router.post(
    "/jobs/{job_id}/cancel",
    response={200: JobOut, **CONFLICT, **NOT_FOUND, **AUTH_ERRORS},
    summary="Cancel a draft or open job (the buyer)",
)
def cancel_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return _move(request, job_id, services.cancel_job)


@router.post(
    "/jobs/{job_id}/nda",
    response={200: NdaOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Accept a confidential job's NDA (recorded with time and address); then its details show",
)
def accept_nda(request: HttpRequest, job_id: int) -> NdaAcceptance:
    return services.accept_nda(user=_user(request), job_id=job_id, ip_address=request.META.get("REMOTE_ADDR"))


@router.get(
    "/me/jobs",
    response={200: list[JobOut], **AUTH_ERRORS},
    summary="The jobs you posted, every state, newest first",
)
@paginate(LimitOffsetPagination)
def my_jobs(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return _LazyJobs(request, job_selectors.jobs_of_buyer(user), user)  # type: ignore[return-value]


# --- Invitations ----------------------------------------------------------------------------------------------


@router.post(
    "/jobs/{job_id}/invitations",
    response={200: InvitationOut, 201: InvitationOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Invite a freelancer to bid (by user id or e-mail; 200 if already invited); they are e-mailed",
)
def invite(request: HttpRequest, job_id: int, payload: InvitationIn) -> Status:
    if payload.freelancer_id is None and not payload.email:
        raise ValidationError({"freelancer_id": "Give freelancer_id or email."})
    with _state_conflicts():
        invitation, created = services.invite_freelancer(
            user=_user(request),
            job_id=job_id,
            freelancer_id=payload.freelancer_id,
            email=payload.email if payload.freelancer_id is None else None,
            message=payload.message,
        )
    return Status(201 if created else 200, invitation)


@router.get(
    "/jobs/{job_id}/invitations",
    response={200: list[InvitationOut], **NOT_FOUND, **AUTH_ERRORS},
    summary="Who was invited to bid on your job",
)
@paginate(LimitOffsetPagination)
def list_invitations(request: HttpRequest, job_id: int) -> QuerySet[JobInvitation]:
    return job_selectors.invitations_of(_user(request), job_id)


# --- Attachments ----------------------------------------------------------------------------------------------


@router.post(
    "/jobs/{job_id}/attachments",
    response={201: JobAttachmentOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Attach a file to a draft or open job (multipart field 'file'; the buyer)",
)
def add_attachment(request: HttpRequest, job_id: int, file: UploadedFile = File(...)) -> Status:
    with _state_conflicts():
        attachment = services.add_attachment(user=_user(request), job_id=job_id, upload=file)
    return Status(201, _attachment(request, attachment))


@router.get(
    "/jobs/{job_id}/attachments/{attachment_id}",
    response={200: None, **NOT_FOUND, 403: Problem},
    auth=OPTIONAL_AUTH,
    url_name="download_job_attachment",
    summary="Download an attachment (403 for a confidential job until you accept its NDA)",
)
def download_attachment(request: HttpRequest, job_id: int, attachment_id: int) -> FileResponse:
    return attachment_response(job_selectors.attachment_for_download(_viewer(request), job_id, attachment_id))


@router.delete(
    "/jobs/{job_id}/attachments/{attachment_id}",
    response={204: None, **CONFLICT, **NOT_FOUND, **AUTH_ERRORS},
    summary="Remove an attachment from a draft or open job (the buyer)",
)
def remove_attachment(request: HttpRequest, job_id: int, attachment_id: int) -> Status:
    with _state_conflicts():
        services.remove_attachment(user=_user(request), job_id=job_id, attachment_id=attachment_id)
    return Status(204, None)
