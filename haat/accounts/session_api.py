"""API: the signed-in user's browser sessions — list, sign one out, sign out everywhere else."""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from haat.accounts import sessions
from haat.accounts.models import User
from haat.accounts.session_models import UserSession
from haat.api import AUTH_ERRORS, Problem

router = Router(tags=["accounts"])


class SessionOut(Schema):
    id: int
    ip_address: str | None
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


class RevokedOut(Schema):
    revoked: int


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _out(row: UserSession, current: int | None) -> dict[str, object]:
    return {
        "id": row.pk,
        "ip_address": row.ip_address,
        "user_agent": row.user_agent,
        "created_at": row.created_at,
        "last_seen_at": row.last_seen_at,
        "current": row.pk == current,
    }


@router.get(
    "/me/sessions",
    response={200: list[SessionOut], **AUTH_ERRORS},
    summary="Your signed-in browser sessions (`current` marks the one making this call)",
)
def list_sessions(request: HttpRequest) -> list[dict[str, object]]:
    current = sessions.current_row(request)
    return [_out(row, current) for row in sessions.sessions_of(_user(request))]


@router.delete(
    "/me/sessions/{int:session_id}",
    response={204: None, 404: Problem, **AUTH_ERRORS},
    summary="Sign one session out (its browser must sign in again)",
)
def revoke_session(request: HttpRequest, session_id: int) -> Status:
    sessions.revoke(user=_user(request), session_id=session_id)
    return Status(204, None)


@router.post(
    "/me/sessions/revoke-others",
    response={200: RevokedOut, **AUTH_ERRORS},
    summary="Sign out every session except the one making this call (all of them for a token)",
)
def revoke_other_sessions(request: HttpRequest) -> dict[str, int]:
    return {"revoked": sessions.revoke_others(user=_user(request), keep=sessions.current_row(request))}
