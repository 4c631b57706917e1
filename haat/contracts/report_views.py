"""Pages of the status reports: filing one (the freelancer) and a user's public ranking history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haat.accounts.models import Profile, User
from haat.contracts import report_selectors, reports, selectors
from haat.contracts.models import Contract
from haat.contracts.report_forms import StatusReportForm
from haat.reputation import selectors as ranking_selectors
from haat.reputation import services as ranking

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _apply_errors(form: StatusReportForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form, by field where the form has that field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def report_file(request: HttpRequest, contract_id: int) -> HttpResponse:
    """File a weekly status report (the contract's freelancer; 404 for non-parties, 403 for the buyer)."""
    user = _user(request)
    try:
        contract = selectors.contract_of(user, contract_id)
    except Contract.DoesNotExist as exc:
        raise Http404(_("No such contract.")) from exc
    if contract.freelancer_id != user.pk:
        raise PermissionDenied(_("Only the freelancer files status reports."))
    overview = report_selectors.overview(contract)
    form = StatusReportForm(
        request.POST or None, weeks=overview.fileable_weeks, current=overview.current_week_ending
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = reports.file_report(
                    user=user,
                    contract_id=contract.pk,
                    done=form.cleaned_data["done"],
                    next_steps=form.cleaned_data["next_steps"],
                    blockers=form.cleaned_data["blockers"],
                    percent_complete=form.cleaned_data["percent_complete"],
                    week_ending=form.cleaned_data["week_ending"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your status report for the week ending %(date)s was filed; the buyer was told.")
                    % {"date": formats.date_format(report.week_ending, "DATE_FORMAT")},
                )
                return redirect(reverse("contracts:contract-detail", args=[contract.pk]) + "#reports")
        status = 400
    return render(
        request,
        "contracts/report_form.html",
        {"contract": contract, "overview": overview, "form": form},
        status=status,
    )


def ranking_history(request: HttpRequest, user_id: int) -> HttpResponse:
    """A user's ranking score and every change of it, newest first, with its reason (public)."""
    profile = (
        Profile.objects.select_related("user").filter(user_id=user_id, user__is_active=True).first()
        if 0 < user_id <= 2**63 - 1
        else None
    )
    if profile is None:
        raise Http404(_("No such person."))
    page = Paginator(ranking_selectors.history(profile.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, reports.event_reason(event.key, event.reason)) for event in page]
    return render(
        request,
        "contracts/report_ranking.html",
        {"profile": profile, "score": ranking.score(profile.user), "page": page, "rows": rows},
    )
