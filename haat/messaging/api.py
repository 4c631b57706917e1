"""API of the messaging app: interview threads between a job's buyer and its bidders, their messages, edits
and files.

Only a thread's two participants see it; for anyone else every thread, message and file is a 404, as for an
unknown id. Sending a message takes JSON (``{"body": …}``) or a multipart form (``body`` plus up to five
``attachments`` files).
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

import json
from datetime import datetime
from typing import Annotated, Any, TypeVar

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem
from haat.messaging import contact, selectors, services, views
from haat.messaging.models import MESSAGE_MAX_LENGTH, Message, MessageRevision, Thread, ThreadKind
from haat.web.markdown import render_markdown

router = Router(tags=["messaging"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
SchemaT = TypeVar("SchemaT", bound=Schema)


class Party(Schema):
    id: int
    name: str


class ThreadOut(Schema):
    id: int
    kind: ThreadKind
    job_id: int
    job_title: str
    contract_id: int | None
    buyer: Party
    freelancer: Party
    created_at: datetime
    last_message_at: datetime | None
    unread_count: int = Field(description="Messages from the other participant you have not read yet.")


class ThreadStart(Schema):
    freelancer_id: int | None = Field(
        None,
        description="The buyer names the bidder; a freelancer leaves it out to open theirs with the buyer.",
    )


class AttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(description="Bytes.")
    url: str


class MessageOut(Schema):
    id: int
    thread_id: int
    sender: Party
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="The Markdown rendered and sanitized.")
    created_at: datetime
    edited_at: datetime | None
    revision_count: int
    attachments: list[AttachmentOut]
    contact_flags: list[str] = Field(
        description="Only on your own messages: the kinds of contact details found before the award "
        "('email', 'phone', 'messenger'). The recipient never sees them."
    )


class MessageSent(MessageOut):
    warning: str | None = Field(description="Shown when contact details were found before the award.")


class MessagePage(Schema):
    items: list[MessageOut]
    count: int


class ThreadPage(Schema):
    items: list[ThreadOut]
    count: int


class MessageIn(Schema):
    body: Annotated[str, Field(max_length=MESSAGE_MAX_LENGTH + 1000)] = Field(
        description="Markdown, 1–10,000 characters."
    )


class RevisionOut(Schema):
    body: str = Field(description="The text before the edit.")
    replaced_at: datetime


class UnreadOut(Schema):
    total: int


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _party(user: User) -> dict[str, object]:
    return {"id": user.pk, "name": user.profile.public_name}


def _thread(thread: Thread) -> dict[str, object]:
    return {
        "id": thread.pk,
        "kind": thread.kind,
        "job_id": thread.job_id,
        "job_title": thread.job.title,
        "contract_id": thread.contract_id,
        "buyer": _party(thread.buyer),
        "freelancer": _party(thread.freelancer),
        "created_at": thread.created_at,
        "last_message_at": thread.last_message_at,
        "unread_count": getattr(thread, "unread_count", 0),
    }


def _message(message: Message, user: User, request: HttpRequest) -> dict[str, Any]:
    mine = message.sender_id == user.pk
    if message.hidden_at is not None and not mine:  # hidden by a moderator: the other side sees no content
        return {
            **_message_fields(message, user, request, mine),
            "body": "",
            "body_html": "",
            "attachments": [],
        }
    return _message_fields(message, user, request, mine)


def _message_fields(message: Message, user: User, request: HttpRequest, mine: bool) -> dict[str, Any]:
    return {
        "id": message.pk,
        "thread_id": message.thread_id,
        "sender": _party(message.sender),
        "body": message.body,
        "body_html": str(render_markdown(message.body)),
        "created_at": message.created_at,
        "edited_at": message.edited_at,
        "revision_count": len(message.revisions.all()),
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "size": a.size,
                "url": request.build_absolute_uri(
                    reverse(
                        "api:message_attachment", kwargs={"message_id": message.pk, "attachment_id": a.pk}
                    )
                ),
            }
            for a in message.attachments.all()
        ],
        "contact_flags": [kind.value for kind in contact.parse_flags(message.contact_flags)] if mine else [],
    }


class Paging(Schema):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


@router.get("/threads", response={200: ThreadPage, **AUTH_ERRORS}, summary="Your conversations, latest first")
def list_threads(request: HttpRequest, paging: Query[Paging], job_id: int | None = None) -> dict[str, object]:
    threads = selectors.inbox(_user(request), job_id=job_id)
    items = list(threads[paging.offset : paging.offset + paging.limit])
    return {"items": [_thread(t) for t in items], "count": threads.count()}


@router.get(
    "/threads/unread", response={200: UnreadOut, **AUTH_ERRORS}, summary="How many messages wait for you"
)
def unread_total(request: HttpRequest) -> dict[str, int]:
    return {"total": selectors.unread_total(_user(request))}


@router.post(
    "/jobs/{job_id}/threads",
    response={200: ThreadOut, 201: ThreadOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": ThreadStart.model_json_schema()}},
        }
    },
    summary="Start the interview on a job (201), or get the existing one (200)",
)
def start_thread(request: HttpRequest, job_id: int) -> Status:
    user = _user(request)
    payload = _json_body(request, ThreadStart, empty={})
    thread, created = services.start_interview(user=user, job_id=job_id, freelancer_id=payload.freelancer_id)
    return Status(201 if created else 200, _thread(selectors.thread_for(user, thread.pk)))


@router.get(
    "/threads/{thread_id}",
    response={200: ThreadOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="A conversation, with its unread count",
)
def get_thread(request: HttpRequest, thread_id: int) -> dict[str, object]:
    return _thread(selectors.thread_for(_user(request), thread_id))


@router.get(
    "/threads/{thread_id}/messages",
    response={200: MessagePage, **NOT_FOUND, **AUTH_ERRORS},
    summary="Messages of a conversation, oldest first; marks those returned as read",
)
def list_messages(request: HttpRequest, thread_id: int, paging: Query[Paging]) -> dict[str, object]:
    user = _user(request)
    thread = selectors.thread_for(user, thread_id)
    messages = selectors.messages_of(thread)
    items = list(messages[paging.offset : paging.offset + paging.limit])
    if items:
        services.mark_read(user=user, thread_id=thread.pk, up_to=max(m.created_at for m in items))
    return {"items": [_message(m, user, request) for m in items], "count": messages.count()}


_MESSAGE_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": MessageIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["body"],
                    "properties": {
                        "body": {"type": "string", "description": "Markdown, 1–10,000 characters."},
                        "attachments": {
                            "type": "array",
                            "maxItems": services.MAX_ATTACHMENTS,
                            "items": {"type": "string", "format": "binary"},
                        },
                    },
                }
            },
        },
    }
}


def _json_body(request: HttpRequest, schema: type[SchemaT], *, empty: Any = None) -> SchemaT:
    """Validate the body (JSON, or form fields) against ``schema``; an empty body counts as ``empty``."""
    data: Any
    if (request.content_type or "").startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        data = request.POST.dict() or empty
    else:
        raw = request.body.strip()
        try:
            data = json.loads(raw) if raw else empty
        except (ValueError, UnicodeDecodeError) as exc:
            raise HttpError(400, "Cannot parse request body") from exc
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        raise NinjaValidationError(
            [{"loc": ("body", *e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        ) from exc


def _parse_message_body(request: HttpRequest) -> tuple[str, list[Any]]:
    """The text and files of a new message, from a multipart form or a JSON body."""
    if (request.content_type or "").startswith("multipart/form-data"):
        return request.POST.get("body", ""), request.FILES.getlist("attachments")
    return _json_body(request, MessageIn).body, []


@router.post(
    "/threads/{thread_id}/messages",
    response={201: MessageSent, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    openapi_extra=_MESSAGE_BODY_DOC,
    summary="Send a message: JSON {body}, or multipart with body and up to 5 attachments",
)
def post_message(request: HttpRequest, thread_id: int) -> Status:
    user = _user(request)
    body, files = _parse_message_body(request)
    message = services.post_message(user=user, thread_id=thread_id, body=body, attachments=files)
    kinds = contact.parse_flags(message.contact_flags)
    out = _message(selectors.message_for(user, message.pk), user, request)
    out["warning"] = contact.warning_for(kinds) if kinds else None
    return Status(201, out)


@router.patch(
    "/messages/{message_id}",
    response={200: MessageSent, 403: Problem, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Edit your own message; the earlier text is kept as a revision",
)
def edit_message(request: HttpRequest, message_id: int, payload: MessageIn) -> dict[str, Any]:
    user = _user(request)
    message = services.edit_message(user=user, message_id=message_id, body=payload.body)
    kinds = contact.parse_flags(message.contact_flags)
    out = _message(selectors.message_for(user, message.pk), user, request)
    out["warning"] = contact.warning_for(kinds) if kinds and selectors.is_pre_award(message.thread) else None
    return out


@router.get(
    "/messages/{message_id}/revisions",
    response={200: list[RevisionOut], **NOT_FOUND, **AUTH_ERRORS},
    summary="Earlier versions of a message, oldest first",
)
def message_revisions(request: HttpRequest, message_id: int) -> list[MessageRevision]:
    return list(selectors.revisions_of(_user(request), message_id))


@router.get(
    "/messages/{message_id}/attachments/{attachment_id}",
    response={**NOT_FOUND, **AUTH_ERRORS},
    url_name="message_attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as a download under its original name.",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Download a file attached to a message",
)
def download_attachment(request: HttpRequest, message_id: int, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_for(_user(request), attachment_id, message_id=message_id)
    return views.file_response(attachment)
