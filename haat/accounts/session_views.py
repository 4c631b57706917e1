"""Pages: the user's signed-in sessions, with revoke and "sign out everywhere else"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haat.accounts import sessions
from haat.accounts.models import User
from haat.accounts.session_models import UserSession


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    idle, absolute = sessions.limits(request.user)
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions.sessions_of(_user(request)),
            "current": sessions.current_row(request),
            "idle_minutes": idle // 60,
            "absolute_hours": absolute // 3600,
        },
    )


@login_required
@require_POST
def session_revoke(request: HttpRequest, session_id: int) -> HttpResponse:
    if session_id == sessions.current_row(request):
        raise Http404  # this browser signs out with the log-out button, which also clears its cookies
    try:
        sessions.revoke(user=_user(request), session_id=session_id)
    except UserSession.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("That session was signed out."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def session_revoke_others(request: HttpRequest) -> HttpResponse:
    count = sessions.revoke_others(user=_user(request), keep=sessions.current_row(request))
    messages.success(request, _("Signed out everywhere else (%(count)d sessions).") % {"count": count})
    return redirect("accounts:sessions")
