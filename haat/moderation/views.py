"""Pages of haat.moderation: the staff queue and its actions, the report form, and the user's own page
(warnings, suspension with the appeal form, hidden content, reports made).

Staff actions are POST forms; a refusal from the service is shown as a message on the page the moderator
came from, so nothing typed is lost in a 4xx page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haat.accounts.models import User
from haat.moderation import selectors, services
from haat.moderation.forms import AppealForm, ReportForm, SanctionForm
from haat.moderation.models import TargetType
from haat.staff.access import staff_required
from haat.staff.roles import Role


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number <= services.MAX_ID else None


def _back(request: HttpRequest, default: str = "moderation:queue") -> HttpResponse:
    """Back to the page the form was on (``next``), else the queue."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _run(request: HttpRequest, action: Callable[[], Any], done: str) -> HttpResponse:
    """Run a staff action and tell the moderator how it went."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such item.")) from exc
    else:
        messages.success(request, done)
    return _back(request)


# --- Staff ----------------------------------------------------------------------------------------------------


@staff_required(Role.MODERATOR)
def queue(request: HttpRequest) -> HttpResponse:
    """The moderation queue: open reports, flagged off-platform contact attempts, appeals waiting for a
    decision, and the accounts suspended now."""
    reports = list(selectors.open_reports())
    flagged = list(selectors.flagged_messages())
    found = selectors.previews([(r.target_type, r.target_id) for r in reports])
    return render(
        request,
        "moderation/queue.html",
        {
            "reports": [(r, found.get((r.target_type, r.target_id))) for r in reports],
            "flagged": flagged,
            "appeals": selectors.pending_appeals(),
            "suspensions": selectors.active_suspensions(),
        },
    )


@staff_required(Role.MODERATOR)
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """One user's moderation record, with the forms to warn, suspend or lift."""
    try:
        subject, record = selectors.user_record_for_staff(user_id)
    except User.DoesNotExist as exc:
        raise Http404(_("No such user.")) from exc
    return render(
        request,
        "moderation/user.html",
        {
            "subject": subject,
            "record": record,
            "warn_form": SanctionForm(prefix="warn"),
            "suspend_form": SanctionForm(prefix="suspend"),
            "report_id": _int(request.GET.get("report")),
        },
    )


@require_POST
@staff_required(Role.MODERATOR)
def warn(request: HttpRequest, user_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: services.warn(
            moderator=_user(request),
            user_id=user_id,
            rule=request.POST.get("warn-rule"),
            reason=request.POST.get("warn-reason"),
            report_id=_int(request.POST.get("report")),
        ),
        _("The user was warned and e-mailed."),
    )


@require_POST
@staff_required(Role.MODERATOR)
def suspend(request: HttpRequest, user_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: services.suspend(
            moderator=_user(request),
            user_id=user_id,
            rule=request.POST.get("suspend-rule"),
            reason=request.POST.get("suspend-reason"),
            is_fraud=request.POST.get("is_fraud") == "on",
            report_id=_int(request.POST.get("report")),
        ),
        _("The account was suspended and the user e-mailed."),
    )


@require_POST
@staff_required(Role.MODERATOR)
def lift(request: HttpRequest, suspension_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: services.lift(
            moderator=_user(request), suspension_id=suspension_id, reason=request.POST.get("reason")
        ),
        _("The suspension was lifted and the user e-mailed."),
    )


def _target(request: HttpRequest) -> tuple[str, int]:
    target_type = request.POST.get("target_type", "")
    target_id = _int(request.POST.get("target_id"))
    if target_type not in TargetType.values or target_id is None:
        raise Http404(_("No such item."))
    return target_type, target_id


@require_POST
@staff_required(Role.MODERATOR)
def hide(request: HttpRequest) -> HttpResponse:
    target_type, target_id = _target(request)
    return _run(
        request,
        lambda: services.hide(
            moderator=_user(request),
            target_type=target_type,
            target_id=target_id,
            reason=request.POST.get("reason"),
        ),
        _("Hidden; the author was told why."),
    )


@require_POST
@staff_required(Role.MODERATOR)
def unhide(request: HttpRequest) -> HttpResponse:
    target_type, target_id = _target(request)
    return _run(
        request,
        lambda: services.unhide(
            moderator=_user(request),
            target_type=target_type,
            target_id=target_id,
            reason=request.POST.get("reason"),
        ),
        _("Visible again; the author was told."),
    )


@require_POST
@staff_required(Role.MODERATOR)
def dismiss(request: HttpRequest, report_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: services.dismiss_report(
            moderator=_user(request), report_id=report_id, outcome=request.POST.get("outcome")
        ),
        _("The report was closed without action."),
    )


@require_POST
@staff_required(Role.MODERATOR)
def review_flag(request: HttpRequest, message_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: services.review_flag(
            moderator=_user(request), message_id=message_id, outcome=request.POST.get("outcome", "")
        ),
        _("The flagged message left the queue."),
    )


@require_POST
@staff_required(Role.MODERATOR)
def decide_appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: services.decide_appeal(
            staff=_user(request),
            appeal_id=appeal_id,
            grant=request.POST.get("decision_kind") == "grant",
            decision=request.POST.get("decision"),
        ),
        _("The appeal was decided and the user e-mailed."),
    )


@staff_required(Role.FINANCE)
def fraud_holds(request: HttpRequest) -> HttpResponse:
    """Finance: accounts suspended for fraud whose withdrawals wait for a review."""
    return render(request, "moderation/fraud_holds.html", {"suspensions": selectors.fraud_holds()})


@require_POST
@staff_required(Role.FINANCE)
def finance_review(request: HttpRequest, suspension_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: services.finance_review(
            staff=_user(request), suspension_id=suspension_id, note=request.POST.get("note")
        ),
        _("Withdrawals are allowed again for this account; the user was e-mailed."),
    )


# --- Users ----------------------------------------------------------------------------------------------------


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Report a job, message, profile or review (``?type=…&id=…``)."""
    source = request.POST if request.method == "POST" else request.GET
    target_type = source.get("type", "")
    target_id = _int(source.get("id"))
    if target_type not in TargetType.values or target_id is None:
        raise Http404(_("No such item."))
    try:
        services.visible_target(request.user, target_type, target_id)
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such item.")) from exc
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report(
                    reporter=_user(request), target_type=target_type, target_id=target_id, **form.cleaned_data
                )
            except ObjectDoesNotExist as exc:
                raise Http404(_("No such item.")) from exc
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request, _("Thank you. A moderator will look at it; you will see the outcome here.")
                )
                return redirect("moderation:mine")
        status = 400
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "target_type": target_type,
            "target_label": TargetType(target_type).label,
            "target_id": target_id,
        },
        status=status,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The user's own moderation page: suspension (with the appeal form), warnings, hidden content, reports."""
    user = _user(request)
    return render(
        request,
        "moderation/mine.html",
        {
            "record": selectors.record_of(user),
            "reports": selectors.reports_of(user)[:50],
            "appeal_form": AppealForm(),
        },
    )


@require_POST
@login_required
def appeal(request: HttpRequest, suspension_id: int) -> HttpResponse:
    """Appeal one's own suspension, once."""
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("moderation:mine")
    try:
        services.appeal(
            user=_user(request), suspension_id=suspension_id, statement=form.cleaned_data["statement"]
        )
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such suspension.")) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Your appeal was sent. A staff member who did not suspend you will decide.")
        )
    return redirect("moderation:mine")
