"""Every write to threads and messages.

Threads: one interview thread per (job, freelancer). The buyer may start one with any freelancer who has a bid
on the job (in any status); the freelancer may start theirs with the buyer once they have a bid. Starting an
existing thread returns it. A contract thread (``ThreadKind.CONTRACT``) is made by ``ensure_contract_thread``.

Messages are written once and never deleted; an edit keeps the earlier text as a ``MessageRevision``::

    (none) ──post_message──▶ sent ──edit_message (sender only, new text)──▶ sent + one more revision

Contact details: while a thread is an interview on a job without an award (``selectors.is_pre_award``), a
message with an e-mail address, a phone number or a messenger link (``haat.messaging.contact``) is still
delivered, but the kinds found are recorded in ``Message.contact_flags``; the sender sees a warning, the
recipient does not. An edit adds the kinds found in the new text (a flag is never removed: it is evidence).

E-mail to the other participant on a new message, at most one per thread per 10 minutes for that recipient:
a message is e-mailed unless another message to the same recipient was posted in the same thread in the
10 minutes before it. A burst of messages therefore sends one e-mail (the first), and two e-mails about one
thread are always at least 10 minutes apart. The decision is made under the thread's row lock, so two
messages posted at the same moment cannot both send one. Edits send no e-mail.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haat.accounts.models import Profile, User
from haat.bids.models import Bid
from haat.contracts.models import Contract
from haat.jobs.models import Job
from haat.messaging import contact, selectors
from haat.messaging.models import (
    MESSAGE_MAX_LENGTH,
    Message,
    MessageAttachment,
    MessageRevision,
    ReadState,
    Thread,
    ThreadKind,
)
from haat.moderation import services as moderation

MAX_ATTACHMENTS = 5
MAX_FILE_NAME_LENGTH = 200
EMAIL_INTERVAL = timedelta(minutes=10)
EMAIL_EXCERPT_LENGTH = 1000
# Zero-width (non-)joiners shape Bengali text; every other control or format character is dropped from names.
_KEEP_FORMAT_CHARACTERS = {"\u200c", "\u200d"}


# --- Threads --------------------------------------------------------------------------------------------------


def _create_thread(**fields: object) -> tuple[Thread, bool]:
    """Create a thread, or return the one a concurrent request created first (the unique constraint decides)."""
    lookup = {key: fields[key] for key in ("kind", "job", "freelancer_id")}
    existing = Thread.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Thread.objects.create(**fields), True
    except IntegrityError:
        return Thread.objects.get(**lookup), False


@transaction.atomic
def start_interview(*, user: User, job_id: int, freelancer_id: int | None = None) -> tuple[Thread, bool]:
    """Open the interview thread of a job between its buyer and one bidder; return it and whether it is new.

    The buyer names the bidder (``freelancer_id``); a bidder opens their own thread with the buyer
    (``freelancer_id`` is then omitted or their own id). Raises ``Job.DoesNotExist`` when the job is unknown or
    the user is neither its buyer nor a bidder, and ``ValidationError`` when the buyer names someone without a
    bid. Calling it again returns the existing thread.
    """
    job = Job.objects.get(pk=job_id)
    if job.buyer_id == user.pk:
        if freelancer_id is None:
            raise ValidationError({"freelancer_id": _("Choose the bidder you want to talk to.")})
        if not Bid.objects.filter(job=job, freelancer_id=freelancer_id).exists():
            raise ValidationError(
                {"freelancer_id": _("You can talk only with freelancers who have bid on this job.")}
            )
        partner_id = freelancer_id
    else:
        if freelancer_id not in (None, user.pk) or not Bid.objects.filter(job=job, freelancer=user).exists():
            raise Job.DoesNotExist
        partner_id = user.pk
    return _create_thread(kind=ThreadKind.INTERVIEW, job=job, buyer_id=job.buyer_id, freelancer_id=partner_id)


@transaction.atomic
def ensure_contract_thread(*, contract_id: int) -> Thread:
    """The message thread of a contract between its buyer and freelancer, created the first time."""
    contract = Contract.objects.select_related("job").get(pk=contract_id)
    thread, _created = _create_thread(
        kind=ThreadKind.CONTRACT,
        job=contract.job,
        contract=contract,
        buyer_id=contract.buyer_id,
        freelancer_id=contract.freelancer_id,
    )
    return thread


# --- Messages -------------------------------------------------------------------------------------------------


def clean_body(body: object, field: str = "body") -> str:
    """A message text: 1 to ``MESSAGE_MAX_LENGTH`` characters after trimming. Raises ``ValidationError``."""
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        raise ValidationError({field: _("Write a message.")})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                field: _("A message can have at most %(max)s characters (this one has %(n)s).")
                % {"max": f"{MESSAGE_MAX_LENGTH:,}", "n": f"{len(text):,}"}
            }
        )
    if "\0" in text:
        raise ValidationError({field: _("The message contains characters that are not allowed.")})
    return text


def clean_file_name(name: str | None) -> str:
    """An uploaded file's name as display text: no folders, no control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(
        ch for ch in base if unicodedata.category(ch)[0] != "C" or ch in _KEEP_FORMAT_CHARACTERS
    ).strip()
    if base.strip(".") == "":
        return "attachment"
    if len(base) > MAX_FILE_NAME_LENGTH:
        stem, extension = os.path.splitext(base)
        extension = extension[:20]
        base = stem[: MAX_FILE_NAME_LENGTH - len(extension)] + extension
    return base


def _check_attachments(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Each upload with its display name, or ``ValidationError`` on ``attachments`` (count, size, empty)."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Attach at most %(n)d files to one message.") % {"n": MAX_ATTACHMENTS}}
        )
    limit = settings.HAAT_MESSAGE_ATTACHMENT_MAX_BYTES
    checked = []
    for upload in files:
        name = clean_file_name(upload.name)
        if upload.size is None or upload.size > limit:
            raise ValidationError(
                {
                    "attachments": _("“%(name)s” is larger than the limit of %(limit)s.")
                    % {"name": name, "limit": filesizeformat(limit)}
                }
            )
        if upload.size == 0:
            raise ValidationError({"attachments": _("“%(name)s” is empty.") % {"name": name}})
        checked.append((upload, name))
    return checked


def _locked_thread(user: User, thread_id: int) -> Thread:
    """One of the user's threads, row-locked; ``Thread.DoesNotExist`` for anyone else."""
    thread_pk = selectors.threads_of(user).values_list("pk", flat=True).get(pk=thread_id)
    return Thread.objects.select_for_update().get(pk=thread_pk)


@transaction.atomic
def post_message(
    *, user: User, thread_id: int, body: object, attachments: Sequence[UploadedFile] = ()
) -> Message:
    """Send a message (Markdown text and up to five files) in one of the user's threads.

    Raises ``Thread.DoesNotExist`` for someone else's thread and ``ValidationError`` (keyed ``body`` or
    ``attachments``, nothing saved) for bad input. Before an award, contact details are recorded in
    ``contact_flags`` (see the module docstring). The other participant is e-mailed after the commit, unless
    another message to them was posted in this thread in the 10 minutes before.
    """
    thread = _locked_thread(user, thread_id)
    moderation.ensure_not_suspended(user)  # a suspended account reads but does not write
    text = clean_body(body)
    files = _check_attachments(attachments)
    flags = contact.format_flags(contact.find_contact_details(text)) if selectors.is_pre_award(thread) else ""
    message = Message.objects.create(thread=thread, sender=user, body=text, contact_flags=flags)
    for upload, name in files:
        attachment = MessageAttachment(message=message, original_name=name, size=upload.size or 0)
        attachment.file.save(name, upload, save=False)
        attachment.save()
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at"])

    recipient_id = thread.freelancer_id if user.pk == thread.buyer_id else thread.buyer_id
    recently_told = (
        Message.objects.filter(thread=thread, created_at__gte=message.created_at - EMAIL_INTERVAL)
        .exclude(pk=message.pk)
        .exclude(sender_id=recipient_id)
        .exists()
    )
    if not recently_told:
        transaction.on_commit(partial(_mail_new_message, message.pk, recipient_id), robust=True)
    return message


@transaction.atomic
def edit_message(*, user: User, message_id: int, body: object) -> Message:
    """Change the text of one's own message; the earlier text is kept as a revision.

    Raises ``Message.DoesNotExist`` (not in one of the user's threads), ``PermissionDenied`` (the other
    participant's message) or ``ValidationError``. The same text again changes nothing.
    """
    text = clean_body(body)
    message = (
        Message.objects.select_for_update()
        .filter(thread__in=selectors.threads_of(user).values("pk"))
        .get(pk=message_id)
    )
    if message.sender_id != user.pk:
        raise PermissionDenied(_("Only the sender can edit a message."))
    moderation.ensure_not_suspended(user)
    if text == message.body:
        return message
    MessageRevision.objects.create(message=message, body=message.body)
    message.body = text
    message.edited_at = timezone.now()
    if selectors.is_pre_award(message.thread):
        found = set(contact.parse_flags(message.contact_flags)) | set(contact.find_contact_details(text))
        message.contact_flags = contact.format_flags(found)
    message.save(update_fields=["body", "edited_at", "contact_flags"])
    return message


@transaction.atomic
def mark_read(*, user: User, thread_id: int, up_to: datetime | None = None) -> None:
    """Record that ``user`` has read the thread up to its newest message (or up to ``up_to``).

    The read mark only moves forward; a conditional UPDATE does it, so no row lock is needed. Raises
    ``Thread.DoesNotExist`` for someone else's thread.
    """
    thread = selectors.threads_of(user).get(pk=thread_id)
    if up_to is None:
        up_to = (
            Message.objects.filter(thread=thread)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
    if up_to is None:
        return
    rows = ReadState.objects.filter(thread=thread, user=user)
    if rows.filter(last_read_at__lt=up_to).update(last_read_at=up_to) or rows.exists():
        return
    try:
        with transaction.atomic():
            ReadState.objects.create(thread=thread, user=user, last_read_at=up_to)
    except IntegrityError:
        rows.filter(last_read_at__lt=up_to).update(last_read_at=up_to)


# --- E-mail ---------------------------------------------------------------------------------------------------


def _language_of(user: User) -> str:
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def _name_of(user: User) -> str:
    profile = Profile.objects.filter(user=user).first()
    return profile.public_name if profile is not None else user.email.split("@")[0]


def thread_link(thread_id: int) -> str:
    return settings.HAAT_BASE_URL.rstrip("/") + reverse("messaging:thread", args=[thread_id])


def _mail_new_message(message_id: int, recipient_id: int) -> None:
    message = Message.objects.select_related("thread__job", "sender").get(pk=message_id)
    recipient = User.objects.get(pk=recipient_id)
    if not recipient.is_active:
        return
    excerpt = message.body
    if len(excerpt) > EMAIL_EXCERPT_LENGTH:
        excerpt = excerpt[:EMAIL_EXCERPT_LENGTH].rstrip() + "…"
    with translation.override(_language_of(recipient)):
        values = {
            "name": _name_of(message.sender),
            "job": message.thread.job.title,
            "link": thread_link(message.thread_id),
            "site": settings.HAAT_SITE_NAME,
            "excerpt": excerpt,
        }
        subject = _("New message from %(name)s about “%(job)s”") % values
        body = (
            _(
                "Hello,\n\n%(name)s wrote to you about the job “%(job)s”:\n\n%(excerpt)s\n\n"
                "Read and answer it at %(link)s\n\n"
                "Keep the conversation on %(site)s: it is your record if there is ever a dispute. We send at most "
                "one e-mail about a conversation every 10 minutes.\n"
            )
            % values
        )
        signature = _("— %(site)s") % values
        send_mail(subject, f"{body}\n{signature}\n", None, [recipient.email])
