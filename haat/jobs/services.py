"""Every write to jobs: posting, editing, publishing, closing, cancelling, attachments, NDAs and invitations.

A job moves through one explicit state machine (``TRANSITIONS``)::

    draft ──publish──▶ open ──close (buyer) / expire (bidding_closes_at passed)──▶ closed
      │                 │ └──award (a bid's award was accepted: a contract exists)──▶ awarded
      │                 └──cancel──▶ cancelled                   closed ──award──▶ awarded
      └──cancel──▶ cancelled

Repeating a move that already happened (publishing an open job, closing a closed one) changes nothing; any
other move is refused with ``JobStateError`` (the API answers 409). Only the buyer may edit a job, and only
while it is a draft or open. Every public function is one transaction (``close_expired_jobs`` is one per
job), locks the job row it changes, validates like the others (errors keyed by field, nothing changed) and
brings the search index up to date with ``haat.jobs.search.index_job``. E-mails leave only after the
transaction commits, each in its recipient's language.
"""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
import logging
import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.bids.models import Bid, BidStatus
from haat.jobs import permissions, search
from haat.jobs.models import (
    Category,
    Job,
    JobAttachment,
    JobInvitation,
    JobStatus,
    NdaAcceptance,
    Skill,
    Visibility,
)
from haat.moderation import services as moderation
from haat.notifications.email import send_to as _send
from haat.web.money import format_money

logger = logging.getLogger(__name__)

MAX_AMOUNT = 2**63 - 1
TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20_000
MAX_SKILLS = 15
MAX_ATTACHMENTS = 20
ORIGINAL_NAME_MAX_LENGTH = 200
INVITATION_MESSAGE_MAX_LENGTH = 2000
JOB_FIELDS = frozenset(
    {
        "title",
        "description",
        "category",
        "skills",
        "budget_min",
        "budget_max",
        "currency",
        "deadline",
        "bidding_closes_at",
        "visibility",
        "is_confidential",
    }
)
# Bids that are a pending or accepted award: the job is no longer just "open for bids".
AWARD_STATUSES = (BidStatus.AWARDED, BidStatus.ACCEPTED)


class JobStateError(ValidationError):
    """The job is in a state that does not allow this (the API answers 409 Conflict)."""


class Action(enum.StrEnum):
    PUBLISH = "publish"
    CLOSE = "close"
    CANCEL = "cancel"
    EXPIRE = "expire"
    AWARD = "award"


# The whole state machine: (status now, action) → status after. Anything else is refused.
TRANSITIONS: dict[tuple[str, Action], str] = {
    (JobStatus.DRAFT, Action.PUBLISH): JobStatus.OPEN,
    (JobStatus.DRAFT, Action.CANCEL): JobStatus.CANCELLED,
    (JobStatus.OPEN, Action.CLOSE): JobStatus.CLOSED,
    (JobStatus.OPEN, Action.EXPIRE): JobStatus.CLOSED,
    (JobStatus.OPEN, Action.CANCEL): JobStatus.CANCELLED,
    (JobStatus.OPEN, Action.AWARD): JobStatus.AWARDED,
    (JobStatus.CLOSED, Action.AWARD): JobStatus.AWARDED,
}
# Where each action leads, whatever the state: repeating a move that already happened is a no-op.
TARGETS: dict[Action, str] = {action: target for (_status, action), target in TRANSITIONS.items()}
# The buyer may edit the job, add and remove attachments only in these states.
EDITABLE_STATUSES = frozenset({JobStatus.DRAFT, JobStatus.OPEN})


# --- Reading the input ----------------------------------------------------------------------------------------


def _amount(errors: dict[str, str], field: str, value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = _("Enter a whole number of minor units (cents, paisa).")
        return None
    if value <= 0:
        errors[field] = _("The amount must be greater than zero.")
        return None
    if value > MAX_AMOUNT:
        errors[field] = _("The amount is too large.")
        return None
    return value


def _moment(errors: dict[str, str], field: str, value: object) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        errors[field] = _("Enter a date and time.")
        return None
    if timezone.is_naive(value):
        # A time without a zone is read in the current time zone (the user's, on pages).
        value = timezone.make_aware(value)
    return value


def _category(errors: dict[str, str], value: object) -> Category | None:
    if isinstance(value, Category):
        value = value.slug
    category = Category.objects.filter(slug=value).first() if isinstance(value, str) and value else None
    if category is None:
        errors["category"] = _("Choose a category from the list.")
    return category


def _skills(errors: dict[str, str], value: object) -> list[Skill]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        errors["skills"] = _("Give the skills as a list.")
        return []
    slugs: list[str] = []
    for item in value:
        slug = item.slug if isinstance(item, Skill) else item
        if not isinstance(slug, str):
            errors["skills"] = _("Give the skills by their slugs.")
            return []
        if slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_SKILLS:
        errors["skills"] = _("Choose at most %(n)d skills.") % {"n": MAX_SKILLS}
        return []
    found = {skill.slug: skill for skill in Skill.objects.filter(slug__in=slugs)}
    if missing := [slug for slug in slugs if slug not in found]:
        errors["skills"] = _("Unknown skills: %(slugs)s.") % {"slugs": ", ".join(s[:50] for s in missing[:5])}
        return []
    return [found[slug] for slug in slugs]


def _clean(values: Mapping[str, Any], *, check_future: bool, now: dt.datetime) -> dict[str, Any]:
    """Every job field checked and normalised; raises one ``ValidationError`` naming each bad field."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}

    title = values.get("title")
    title = title.strip() if isinstance(title, str) else ""
    if len(title) < TITLE_MIN_LENGTH:
        errors["title"] = _("Give the job a title of at least %(n)d characters.") % {"n": TITLE_MIN_LENGTH}
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("The title may have at most %(n)d characters.") % {"n": TITLE_MAX_LENGTH}
    elif not title.isprintable():
        errors["title"] = _("The title is one line of text.")
    clean["title"] = title

    description = values.get("description")
    description = description.strip() if isinstance(description, str) else ""
    if not description:
        errors["description"] = _("Describe the work.")
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("The description may have at most %(n)d characters.") % {
            "n": DESCRIPTION_MAX_LENGTH
        }
    elif "\0" in description:
        errors["description"] = _("The description contains characters that are not allowed.")
    clean["description"] = description

    clean["category"] = _category(errors, values.get("category"))
    clean["skills"] = _skills(errors, values.get("skills", ()))

    currency = values.get("currency")
    if not isinstance(currency, str) or currency not in settings.HAAT_CURRENCIES:
        errors["currency"] = _("Choose one of the currencies %(choices)s.") % {
            "choices": ", ".join(settings.HAAT_CURRENCIES)
        }
    clean["currency"] = currency

    budget_min = _amount(errors, "budget_min", values.get("budget_min"))
    budget_max = _amount(errors, "budget_max", values.get("budget_max"))
    if budget_min is not None and budget_max is not None and budget_min > budget_max:
        errors["budget_max"] = _("The maximum budget must be at least the minimum budget.")
    clean["budget_min"], clean["budget_max"] = budget_min, budget_max

    closes = _moment(errors, "bidding_closes_at", values.get("bidding_closes_at"))
    deadline = _moment(errors, "deadline", values.get("deadline"))
    if closes is not None and check_future and closes <= now:
        errors["bidding_closes_at"] = _("Bidding must close in the future.")
    if closes is not None and deadline is not None and deadline <= closes:
        errors["deadline"] = _("The delivery deadline must be after bidding closes.")
    clean["bidding_closes_at"], clean["deadline"] = closes, deadline

    visibility = values.get("visibility", Visibility.PUBLIC)
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose public or invited freelancers only.")
    clean["visibility"] = str(visibility)

    confidential = values.get("is_confidential", False)
    if not isinstance(confidential, bool):
        errors["is_confidential"] = _("Say yes or no.")
    clean["is_confidential"] = confidential

    if errors:
        raise ValidationError(errors)
    return clean


def clean_file_name(name: object) -> str:
    """An uploaded file's name as display text: no folders, no control characters, at most 200 characters."""
    text = name if isinstance(name, str) else ""
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    if len(text) > ORIGINAL_NAME_MAX_LENGTH:
        stem, ext = os.path.splitext(text)
        ext = ext if len(ext) <= 20 else ""
        text = stem[: ORIGINAL_NAME_MAX_LENGTH - len(ext)] + ext
    return text.strip(" .") or "attachment"


def _check_upload(upload: object, field: str = "file") -> UploadedFile:
    if not isinstance(upload, UploadedFile):
        raise ValidationError({field: _("Choose a file to upload.")})
    limit = settings.HAAT_JOB_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                field: _("“%(name)s” is larger than the limit of %(mb)s MB.")
                % {"name": clean_file_name(upload.name), "mb": f"{limit / 2**20:g}"}
            }
        )
    if upload.size == 0:
        raise ValidationError({field: _("“%(name)s” is empty.") % {"name": clean_file_name(upload.name)}})
    return upload


def _store_attachment(job: Job, upload: UploadedFile) -> JobAttachment:
    """Store the file under a random name (see ``attachment_upload_to``) and record it."""
    name = clean_file_name(upload.name)
    attachment = JobAttachment(job=job, original_name=name, size=upload.size or 0)
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def _delete_files(attachments: Iterable[JobAttachment]) -> None:
    for attachment in attachments:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)


# --- Access ---------------------------------------------------------------------------------------------------


def _valid_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_AMOUNT:
        raise Job.DoesNotExist
    return value


def _locked_job(user: Any, job_id: int) -> Job:
    """The job, row-locked; ``Job.DoesNotExist`` when ``user`` may not see it at all."""
    job = Job.objects.select_for_update().get(pk=_valid_id(job_id))
    if not permissions.can_view(user, job):
        raise Job.DoesNotExist
    return job


def _buyers_job(user: Any, job_id: int) -> Job:
    """The buyer's job, row-locked; ``PermissionDenied`` for anyone else who can see it."""
    job = _locked_job(user, job_id)
    if not permissions.is_buyer(user, job):
        raise PermissionDenied(_("Only the buyer who posted this job may do this."))
    return job


def _require_editable(job: Job) -> None:
    if job.status not in EDITABLE_STATUSES:
        raise JobStateError(
            {
                "status": _("This job is %(status)s: only drafts and jobs open for bids can be changed.")
                % {"status": job.get_status_display().lower()}
            }
        )


def _award_pending(job: Job) -> bool:
    return Bid.objects.filter(job=job, status__in=AWARD_STATUSES).exists()


def _live_bids(job: Job) -> bool:
    return Bid.objects.filter(job=job).exclude(status=BidStatus.WITHDRAWN).exists()


def _schedule_close(job: Job) -> None:
    """Ask the worker to close bidding when its time comes (the periodic run is the safety net)."""
    from haat.jobs.tasks import close_bidding  # tasks imports this module

    close_bidding.using(run_after=job.bidding_closes_at).enqueue()


# --- Posting and editing --------------------------------------------------------------------------------------


@transaction.atomic
def create_job(
    *,
    buyer: User,
    fields: Mapping[str, Any],
    publish: bool = False,
    attachments: Sequence[UploadedFile] = (),
) -> Job:
    """Post a job as a draft, or open it for bids at once with ``publish=True``.

    ``fields`` holds ``title``, ``description`` (Markdown), ``category`` (slug), ``skills`` (slugs),
    ``budget_min`` and ``budget_max`` (minor units), ``currency``, ``deadline``, ``bidding_closes_at``,
    ``visibility`` and ``is_confidential``. Raises ``ValidationError`` keyed by field, and stores nothing,
    when any value is invalid or an attachment is too large.
    """
    if unknown := set(fields) - JOB_FIELDS:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    if not permissions.signed_in(buyer):
        raise PermissionDenied(_("Log in to post a job."))
    moderation.ensure_not_suspended(buyer)  # a suspended account reads but does not post
    now = timezone.now()
    clean = _clean(fields, check_future=True, now=now)
    uploads = list(attachments)
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS}})
    for upload in uploads:
        _check_upload(upload, "attachments")
    skills = clean.pop("skills")
    job = Job.objects.create(
        buyer=buyer,
        status=JobStatus.OPEN if publish else JobStatus.DRAFT,
        published_at=now if publish else None,
        **clean,
    )
    job.skills.set(skills)
    stored: list[JobAttachment] = []
    try:
        for upload in uploads:
            stored.append(_store_attachment(job, upload))
        search.index_job(job)
        if publish:
            _schedule_close(job)
    except Exception:
        _delete_files(stored)  # the rows roll back; their files must not stay behind
        raise
    return job


@transaction.atomic
def update_job(*, user: User, job_id: int, changes: Mapping[str, Any]) -> Job:
    """Change a job's fields (only those in ``changes``); by its buyer, while it is a draft or open.

    The whole job is validated again. Once bids were made the currency cannot change. Raises
    ``Job.DoesNotExist`` (cannot see it), ``PermissionDenied`` (not the buyer), ``JobStateError`` (no
    longer editable) or ``ValidationError`` keyed by field; then nothing changes.
    """
    if unknown := set(changes) - JOB_FIELDS:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    job = _buyers_job(user, job_id)
    moderation.ensure_not_suspended(user)
    _require_editable(job)
    current: dict[str, Any] = {
        "title": job.title,
        "description": job.description,
        "category": job.category.slug,
        "skills": list(job.skills.values_list("slug", flat=True)),
        "budget_min": job.budget_min,
        "budget_max": job.budget_max,
        "currency": job.currency,
        "deadline": job.deadline,
        "bidding_closes_at": job.bidding_closes_at,
        "visibility": job.visibility,
        "is_confidential": job.is_confidential,
    }
    now = timezone.now()
    moved_close = "bidding_closes_at" in changes and changes["bidding_closes_at"] != job.bidding_closes_at
    clean = _clean({**current, **changes}, check_future=moved_close, now=now)
    if clean["currency"] != job.currency and _live_bids(job):
        raise ValidationError(
            {
                "currency": _("Bids were already made in %(currency)s, so the currency can no longer change.")
                % {"currency": job.currency}
            }
        )
    skills = clean.pop("skills")
    for name, value in clean.items():
        setattr(job, name, value)
    job.save()
    if "skills" in changes:
        job.skills.set(skills)
    search.index_job(job)
    if moved_close and job.status == JobStatus.OPEN:
        _schedule_close(job)
    return job


# --- State changes --------------------------------------------------------------------------------------------


def _refusal(job: Job, action: Action) -> str:
    if job.status == JobStatus.AWARDED:
        return _("This job was awarded and a contract exists; it can no longer be changed.")
    if job.status == JobStatus.CANCELLED:
        return _("This job was cancelled; it can no longer be changed.")
    if job.status == JobStatus.CLOSED:
        return _("Bidding on this job has ended; it can no longer be published or cancelled.")
    if job.status == JobStatus.DRAFT:
        return _("This job is a draft: publish it or cancel it.")
    return _("This job cannot be changed this way in its current state.")


def _transition(job: Job, action: Action) -> bool:
    """Apply ``action`` to the locked ``job``; False when it already happened. Raises ``JobStateError``."""
    target = TRANSITIONS.get((job.status, action))
    if target is None:
        if job.status == TARGETS[action]:
            return False
        raise JobStateError({"status": _refusal(job, action)})
    job.status = target
    job.save(update_fields=["status", "published_at", "updated_at"])
    search.index_job(job)
    return True


@transaction.atomic
def publish_job(*, user: User, job_id: int) -> Job:
    """Open a draft for bids (draft → open). Its fields are checked again: bidding must close in the future.

    Publishing an open job again changes nothing. Raises ``Job.DoesNotExist``, ``PermissionDenied``,
    ``JobStateError`` or ``ValidationError`` keyed by field.
    """
    job = _buyers_job(user, job_id)
    moderation.ensure_not_suspended(user)
    if job.status == JobStatus.DRAFT:
        values = {name: getattr(job, name) for name in JOB_FIELDS - {"category", "skills"}}
        _clean(
            {
                **values,
                "category": job.category.slug,
                "skills": list(job.skills.values_list("slug", flat=True)),
            },
            check_future=True,
            now=timezone.now(),
        )
        job.published_at = timezone.now()
    if _transition(job, Action.PUBLISH):
        _schedule_close(job)
    return job


def _end(user: User, job_id: int, action: Action) -> Job:
    job = _buyers_job(user, job_id)
    if job.status == JobStatus.OPEN and _award_pending(job):
        raise JobStateError(
            {
                "status": _(
                    "A bid on this job is awarded and waiting for the freelancer's answer; "
                    "wait for it or withdraw the award first."
                )
            }
        )
    _transition(job, action)
    return job


@transaction.atomic
def close_job(*, user: User, job_id: int) -> Job:
    """End bidding now without an award (open → closed), by the buyer.

    Closing a closed job changes nothing. Refused (``JobStateError``) while an award waits for an answer.
    """
    return _end(user, job_id, Action.CLOSE)


@transaction.atomic
def cancel_job(*, user: User, job_id: int) -> Job:
    """Withdraw the job (draft or open → cancelled), by the buyer. Cancelling twice changes nothing.

    Refused (``JobStateError``) once awarded or closed, and while an award waits for the freelancer's answer.
    """
    return _end(user, job_id, Action.CANCEL)


@transaction.atomic
def mark_awarded(*, job_id: int) -> Job:
    """Record that a bid's award was accepted and a contract exists (open or closed → awarded).

    For ``haat.bids.services``, inside its own transaction, after it created the contract. Marking an
    awarded job again changes nothing; any other state raises ``JobStateError``.
    """
    job = Job.objects.select_for_update().get(pk=_valid_id(job_id))
    _transition(job, Action.AWARD)
    return job


def close_expired_jobs(*, now: dt.datetime | None = None, batch_size: int = 200) -> int:
    """Close every open job whose bidding time has passed and that has no pending or accepted award.

    One short transaction per job, each re-checking the job under its row lock, so a job awarded or
    cancelled meanwhile is left alone. Returns how many jobs were closed; a second run finds nothing to do.
    Bids are not touched: the bids rules refuse bids on jobs that are not open.
    """
    now = now or timezone.now()
    awarded = Bid.objects.filter(job=OuterRef("pk"), status__in=AWARD_STATUSES)
    due = Job.objects.filter(status=JobStatus.OPEN, bidding_closes_at__lte=now).exclude(Exists(awarded))
    closed = 0
    last_pk = 0
    while True:
        ids = list(due.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return closed
        for job_id in ids:
            with transaction.atomic():
                job = Job.objects.select_for_update().filter(pk=job_id).first()
                if (
                    job is not None
                    and job.status == JobStatus.OPEN
                    and job.bidding_closes_at <= now
                    and not _award_pending(job)
                ):
                    _transition(job, Action.EXPIRE)
                    closed += 1
        last_pk = ids[-1]


# --- Attachments ----------------------------------------------------------------------------------------------


@transaction.atomic
def add_attachment(*, user: User, job_id: int, upload: UploadedFile) -> JobAttachment:
    """Attach a file (any type, up to ``HAAT_JOB_ATTACHMENT_MAX_BYTES``) to a draft or open job, by its buyer.

    The file is stored under a random name; its original name is kept only as display text. Raises
    ``Job.DoesNotExist``, ``PermissionDenied``, ``JobStateError`` or ``ValidationError`` (``file``).
    """
    job = _buyers_job(user, job_id)
    moderation.ensure_not_suspended(user)
    _require_editable(job)
    _check_upload(upload)
    if job.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "file": _("A job can have at most %(n)d attachments; remove one first.")
                % {"n": MAX_ATTACHMENTS}
            }
        )
    return _store_attachment(job, upload)


@transaction.atomic
def remove_attachment(*, user: User, job_id: int, attachment_id: int) -> None:
    """Remove one of a draft or open job's attachments, by its buyer; the file is deleted after commit.

    Raises ``JobAttachment.DoesNotExist`` for an id that is not this job's.
    """
    job = _buyers_job(user, job_id)
    _require_editable(job)
    attachment = JobAttachment.objects.filter(pk=_attachment_id(attachment_id), job=job).first()
    if attachment is None:
        raise JobAttachment.DoesNotExist
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(partial(storage.delete, name), robust=True)


def _attachment_id(value: object) -> int:
    try:
        return _valid_id(value)
    except Job.DoesNotExist as exc:
        raise JobAttachment.DoesNotExist from exc


# --- NDA and invitations --------------------------------------------------------------------------------------


def _ip(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@transaction.atomic
def accept_nda(*, user: User, job_id: int, ip_address: str | None = None) -> NdaAcceptance:
    """Record that ``user`` accepted a confidential job's NDA (with the time and address); then they see its
    details. Accepting again returns the first acceptance.

    Raises ``Job.DoesNotExist`` (cannot see the job) or ``ValidationError`` (the buyer, or no NDA).
    """
    if not permissions.signed_in(user):
        raise PermissionDenied(_("Log in to accept the NDA."))
    job = _locked_job(user, job_id)
    if permissions.is_buyer(user, job):
        raise ValidationError({"job": _("You posted this job; its NDA is for the freelancers who read it.")})
    if not job.is_confidential:
        raise ValidationError({"job": _("This job is not confidential: there is no NDA to accept.")})
    earlier = NdaAcceptance.objects.filter(job=job, user=user).first()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            return NdaAcceptance.objects.create(job=job, user=user, ip_address=_ip(ip_address))
    except IntegrityError:
        return NdaAcceptance.objects.get(job=job, user=user)


def _invitee(freelancer_id: object, email: object) -> User:
    if freelancer_id is not None:
        if (
            isinstance(freelancer_id, bool)
            or not isinstance(freelancer_id, int)
            or not 0 < freelancer_id <= MAX_AMOUNT
        ):
            invitee = None
        else:
            invitee = User.objects.filter(pk=freelancer_id, is_active=True).first()
        if invitee is None:
            raise ValidationError({"freelancer_id": _("There is no freelancer with this id.")})
        return invitee
    text = email.strip() if isinstance(email, str) else ""
    if not text:
        raise ValidationError({"email": _("Enter the freelancer's e-mail address or user id.")})
    try:
        validate_email(text)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid e-mail address, e.g. name@example.com.")}) from exc
    invitee = User.objects.filter(email__iexact=text, is_active=True).first()
    if invitee is None:
        raise ValidationError({"email": _("Nobody with this e-mail address has an account here.")})
    return invitee


@transaction.atomic
def invite_freelancer(
    *,
    user: User,
    job_id: int,
    freelancer_id: int | None = None,
    email: str | None = None,
    message: str = "",
) -> tuple[JobInvitation, bool]:
    """Invite an existing user (by id or e-mail address) to bid on an open job; they are e-mailed.

    Returns the invitation and whether it is new: inviting the same freelancer again sends nothing more.
    By the buyer only, never themselves. Raises ``Job.DoesNotExist``, ``PermissionDenied``,
    ``JobStateError`` (not open) or ``ValidationError`` keyed by ``freelancer_id``, ``email`` or ``message``.
    """
    job = _buyers_job(user, job_id)
    if job.status != JobStatus.OPEN:
        raise JobStateError(
            {"status": _("Freelancers can be invited only while the job is open for bids; publish it first.")}
            if job.status == JobStatus.DRAFT
            else {"status": _("This job no longer takes bids, so nobody can be invited.")}
        )
    invitee = _invitee(freelancer_id, email)
    if invitee.pk == user.pk:
        raise ValidationError(
            {"freelancer_id" if freelancer_id is not None else "email": _("You cannot invite yourself.")}
        )
    text = message.strip() if isinstance(message, str) else ""
    if len(text) > INVITATION_MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": _("At most %(n)d characters, please.") % {"n": INVITATION_MESSAGE_MAX_LENGTH}}
        )
    earlier = JobInvitation.objects.filter(job=job, freelancer=invitee).first()
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            invitation = JobInvitation.objects.create(job=job, freelancer=invitee, message=text)
    except IntegrityError:
        return JobInvitation.objects.get(job=job, freelancer=invitee), False
    transaction.on_commit(partial(_mail_invitation, invitation.pk), robust=True)
    return invitation, True


# --- E-mail ---------------------------------------------------------------------------------------------------


def job_link(job: Job) -> str:
    """The job page's address for e-mails."""
    return settings.HAAT_BASE_URL.rstrip("/") + reverse("jobs:job-detail", args=[job.pk])


def _mail_invitation(invitation_id: int) -> None:
    invitation = JobInvitation.objects.select_related("job", "job__buyer__profile", "freelancer").get(
        pk=invitation_id
    )
    job = invitation.job

    def compose() -> tuple[str, str]:
        values = {
            "buyer": job.buyer.profile.public_name,
            "title": job.title,
            "budget_min": format_money(job.budget_min, job.currency),
            "budget_max": format_money(job.budget_max, job.currency),
            "link": job_link(job),
        }
        subject = _("You are invited to bid on “%(title)s”") % values
        body = (
            _(
                "Hello,\n\n%(buyer)s invites you to bid on the job “%(title)s” (budget %(budget_min)s to "
                "%(budget_max)s).\n\nRead it and bid here: %(link)s\n"
            )
            % values
        )
        if invitation.message:
            body += "\n" + _("Their message:") + f"\n{invitation.message}\n"
        return subject, body + "\n" + _("— %(site)s") % {"site": settings.HAAT_SITE_NAME} + "\n"

    _send(invitation.freelancer, compose)
