"""Pages: the inbox, a thread (read, reply with files, edit one's own messages), starting an interview from the
job page, and permission-checked attachment downloads.

Only a thread's two participants reach its pages; anyone else gets a 404, as for an unknown id.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haat.accounts.models import User
from haat.jobs.models import Job
from haat.messaging import contact, selectors, services
from haat.messaging.forms import EditMessageForm, MessageForm
from haat.messaging.models import Message, MessageAttachment, Thread

INBOX_PAGE_SIZE = 30
MESSAGES_PAGE_SIZE = 50


@dataclass(frozen=True)
class MessageRow:
    """A message as the thread page shows it to one reader."""

    message: Message
    mine: bool
    is_new: bool
    # Only for the sender: the contact details this message was flagged for.
    warning: str


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _apply_errors(form: MessageForm | EditMessageForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form, by field where the form has that field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _thread_url(thread_id: int, message_id: int | None = None) -> str:
    url = reverse("messaging:thread", args=[thread_id])
    return f"{url}#message-{message_id}" if message_id is not None else url


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's conversations, latest first, with unread counts."""
    user = _user(request)
    page = Paginator(selectors.inbox(user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(thread, selectors.other_party(thread, user)) for thread in page.object_list]
    return render(
        request,
        "messaging/inbox.html",
        {"page": page, "rows": rows, "unread_total": sum(thread.unread_count for thread, _o in rows)},
    )


@login_required
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    """A conversation: its messages (newest page first), and a reply form with attachments."""
    user = _user(request)
    try:
        thread = selectors.thread_for(user, thread_id)
    except Thread.DoesNotExist as exc:
        raise Http404(_("No such conversation.")) from exc
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = services.post_message(
                    user=user,
                    thread_id=thread.pk,
                    body=form.cleaned_data["body"],
                    attachments=form.cleaned_data["attachments"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if message.contact_flags:
                    messages.warning(request, contact.warning_for(contact.parse_flags(message.contact_flags)))
                else:
                    messages.success(request, _("Your message was sent."))
                return redirect(_thread_url(thread.pk, message.pk))
        status = 400
    else:
        form = MessageForm()

    paginator = Paginator(selectors.messages_of(thread), MESSAGES_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    shown: list[Message] = list(page.object_list)
    read_until = getattr(thread, "read_until", None)
    rows = [
        MessageRow(
            message=m,
            mine=m.sender_id == user.pk,
            is_new=m.sender_id != user.pk and (read_until is None or m.created_at > read_until),
            warning=contact.note_for(contact.parse_flags(m.contact_flags))
            if m.sender_id == user.pk and m.contact_flags
            else "",
        )
        for m in shown
    ]
    if shown and request.method == "GET":
        services.mark_read(user=user, thread_id=thread.pk, up_to=max(m.created_at for m in shown))
    return render(
        request,
        "messaging/thread.html",
        {
            "thread": thread,
            "other": selectors.other_party(thread, user),
            "page": page,
            "rows": rows,
            "form": form,
            "pre_award": selectors.is_pre_award(thread),
        },
        status=status,
    )


def _back(request: HttpRequest) -> str:
    """Where the form was (the job page), if it is on this site; else the inbox."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("messaging:inbox")


@login_required
@require_POST
def thread_start(request: HttpRequest, job_id: int) -> HttpResponse:
    """Open (or reopen) the interview thread of a job: the buyer names a bidder, a bidder opens theirs."""
    raw = request.POST.get("freelancer_id", "").strip()
    freelancer_id = int(raw) if raw.isdigit() and raw.isascii() else None
    if raw and freelancer_id is None:
        messages.error(request, _("Choose the bidder you want to talk to."))
        return redirect(_back(request))
    try:
        thread, _created = services.start_interview(
            user=_user(request), job_id=job_id, freelancer_id=freelancer_id
        )
    except Job.DoesNotExist as exc:
        raise Http404(_("No such job.")) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_back(request))
    return redirect(_thread_url(thread.pk))


@login_required
def message_edit(request: HttpRequest, message_id: int) -> HttpResponse:
    """Edit one's own message; the earlier text stays visible as an earlier version."""
    user = _user(request)
    try:
        message = selectors.message_for(user, message_id)
    except Message.DoesNotExist as exc:
        raise Http404(_("No such message.")) from exc
    if message.sender_id != user.pk:
        raise PermissionDenied(_("Only the sender can edit a message."))
    status = 200
    if request.method == "POST":
        form = EditMessageForm(request.POST)
        if form.is_valid():
            try:
                edited = services.edit_message(
                    user=user, message_id=message.pk, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if edited.contact_flags and selectors.is_pre_award(message.thread):
                    messages.warning(request, contact.warning_for(contact.parse_flags(edited.contact_flags)))
                else:
                    messages.success(request, _("Your message was changed."))
                return redirect(_thread_url(message.thread_id, message.pk))
        status = 400
    else:
        form = EditMessageForm(initial={"body": message.body})
    return render(request, "messaging/message_edit.html", {"message": message, "form": form}, status=status)


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """A message's file, for the thread's two participants only, always as a download."""
    try:
        attachment = selectors.attachment_for(_user(request), attachment_id)
    except MessageAttachment.DoesNotExist as exc:
        raise Http404(_("No such file.")) from exc
    return file_response(attachment)


def file_response(attachment: MessageAttachment) -> FileResponse:
    """Serve an attachment as a download under its original name; the browser may not sniff or run it."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
