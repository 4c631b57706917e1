"""Active sessions: recorded at log-in, listed and revoked by their owner, and ended by the idle and absolute
timeouts (OWASP ASVS 5.0 V7: session lifetime and termination).

- Log-in (Django's ``user_logged_in``, sent by allauth too) records a ``UserSession`` with the IP address and
  browser; Django has already given the browser a new session id (``login`` cycles the key).
- ``SessionTimeoutMiddleware`` signs a browser out after ``HAAT_SESSION_IDLE_MINUTES`` without a request or
  ``HAAT_SESSION_ABSOLUTE_HOURS`` after log-in, whatever the activity (shorter limits for staff). Activity is
  written at most once a minute, to the session and to the row, so a busy page does not write on every request.
- Revoking deletes the session from the session store, so that browser's next request is anonymous.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from haat.accounts.models import User
from haat.accounts.session_models import UserSession

# Session entries (Unix times and the row id); underscored like Django's own so they never clash with app data.
AUTH_AT = "_haat_auth_at"
SEEN_AT = "_haat_seen_at"
ROW = "_haat_session_row"
KEY = "_haat_session_key"
SEEN_EVERY = 60  # seconds: activity is recorded at most once a minute
USER_AGENT_LENGTH = 300


def limits(user: Any) -> tuple[int, int]:
    """(idle, absolute) timeouts in seconds for ``user``: staff get the shorter pair."""
    if _is_staff(user):
        return (
            settings.HAAT_STAFF_SESSION_IDLE_MINUTES * 60,
            settings.HAAT_STAFF_SESSION_ABSOLUTE_HOURS * 3600,
        )
    return settings.HAAT_SESSION_IDLE_MINUTES * 60, settings.HAAT_SESSION_ABSOLUTE_HOURS * 3600


def _is_staff(user: Any) -> bool:
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    from haat.staff.roles import is_staff_member

    return is_staff_member(user)


def _client(request: HttpRequest) -> dict[str, Any]:
    ip = request.META.get("REMOTE_ADDR") or None
    agent = request.META.get("HTTP_USER_AGENT", "")
    return {"ip_address": ip, "user_agent": "".join(c for c in agent if c.isprintable())[:USER_AGENT_LENGTH]}


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _remember(request: HttpRequest, user: User) -> UserSession:
    """Record the request's (new) session for ``user`` and start its clocks."""
    session = request.session
    if session.session_key is None:
        session.save()
    key = session.session_key
    assert key is not None
    now = time.time()
    row, _ = UserSession.objects.update_or_create(
        session_key=key, defaults={"user": user, "last_seen_at": timezone.now(), **_client(request)}
    )
    session[AUTH_AT] = session.get(AUTH_AT) or now
    session[SEEN_AT] = now
    session[ROW] = row.pk
    session[KEY] = key
    return row


@receiver(user_logged_in, dispatch_uid="haat_accounts_session_logged_in")
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(AUTH_AT, None)  # a fresh log-in starts a fresh absolute lifetime
    _remember(request, user)


@receiver(user_logged_out, dispatch_uid="haat_accounts_session_logged_out")
def on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if (key := request.session.session_key) is not None:
        UserSession.objects.filter(session_key=key).delete()


# --- Selectors and services -----------------------------------------------------------------------------------


def sessions_of(user: User) -> QuerySet[UserSession]:
    """The user's signed-in sessions, most recently active first."""
    return UserSession.objects.filter(user=user).order_by("-last_seen_at", "-pk")


def current_row(request: HttpRequest) -> int | None:
    """The ``UserSession`` id of this browser, if it is signed in with a session."""
    session = getattr(request, "session", None)
    return session.get(ROW) if session is not None else None


@transaction.atomic
def revoke(*, user: User, session_id: int) -> None:
    """Sign one of ``user``'s sessions out: delete it from the session store and the list.

    Raises ``UserSession.DoesNotExist`` for an unknown id or someone else's session.
    """
    row = UserSession.objects.select_for_update().get(pk=session_id, user=user)
    _store()().delete(row.session_key)
    row.delete()


@transaction.atomic
def revoke_others(*, user: User, keep: int | None) -> int:
    """Sign out every session of ``user`` except ``keep`` (this browser's row id); returns how many."""
    rows = UserSession.objects.select_for_update().filter(user=user)
    if keep is not None:
        rows = rows.exclude(pk=keep)
    found = list(rows)
    store = _store()()
    for row in found:
        store.delete(row.session_key)
    UserSession.objects.filter(pk__in=[r.pk for r in found]).delete()
    return len(found)


# --- Middleware -----------------------------------------------------------------------------------------------


class SessionTimeoutMiddleware:
    """Ends sessions past their idle or absolute limit and keeps the session list up to date.

    Sits after ``AuthenticationMiddleware``. Requests authenticated by an API token carry no session and are
    left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id") is not None:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        user = request.user
        if not user.is_authenticated:
            return
        assert isinstance(user, User)
        now = time.time()
        auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
        if auth_at is None or seen_at is None:
            _remember(request, user)  # a session from before the list existed: adopt it, clocks start now
            return
        idle, absolute = limits(user)
        if now - seen_at > idle or now - auth_at > absolute:
            logout(request)
            return
        row: int = session.get(ROW, 0)
        if session.get(KEY) != session.session_key:
            # The id changed under the same session (a password change cycles it): follow it.
            updated = UserSession.objects.filter(pk=row, user=user).update(session_key=session.session_key)
            if not updated:
                _remember(request, user)
                return
            session[KEY] = session.session_key
        if now - seen_at >= SEEN_EVERY:
            session[SEEN_AT] = now
            updated = UserSession.objects.filter(pk=row, user=user).update(
                last_seen_at=timezone.now(), **_client(request)
            )
            if not updated:
                _remember(request, user)
