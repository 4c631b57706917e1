"""Pages: the milestone actions of a contract — split, fund (quote first, then confirm), request funding,
deliver, request changes, accept (or propose a partial acceptance), agree, cancel and mutual cancellation.

Each action is a POST that calls one service and returns to the contract page with a message; a refusal
(an illegal transition, bad input, the wrong party) comes back as an error message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haat.accounts.models import User
from haat.contracts import selectors, services
from haat.contracts.milestone_forms import (
    AcceptForm,
    AnswerForm,
    CommentForm,
    DeliverForm,
    ReasonForm,
    split_rows,
)
from haat.contracts.models import CancellationRequest, Contract, Milestone
from haat.web.money import format_money, to_major


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _milestone(user: User, milestone_id: int) -> Milestone:
    """One of the user's milestones with its contract; 404 for anyone else's."""
    try:
        contract_id = services._party_contract_id(user, milestone_id=milestone_id)
        contract = selectors.contract_of(user, contract_id)
    except (Milestone.DoesNotExist, Contract.DoesNotExist) as exc:
        raise Http404(_("No such milestone.")) from exc
    milestone = Milestone.objects.get(pk=milestone_id)
    milestone.contract = contract
    return milestone


def _back(contract_id: int) -> HttpResponse:
    return redirect(reverse("contracts:contract-detail", args=[contract_id]) + "#milestones")


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _act(
    request: HttpRequest, milestone_id: int, call: Callable[[Milestone], Any], done: str
) -> HttpResponse:
    """Run ``call`` on the user's milestone; success or the refusal becomes a message on the contract page."""
    milestone = _milestone(_user(request), milestone_id)
    try:
        call(milestone)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return _back(milestone.contract_id)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- Split ----------------------------------------------------------------------------------------------------


@login_required
def milestone_split(request: HttpRequest, contract_id: int) -> HttpResponse:
    """The buyer splits the price into milestones (while none is funded): up to six rows."""
    user = _user(request)
    try:
        contract = selectors.contract_of(user, contract_id)
    except Contract.DoesNotExist as exc:
        raise Http404(_("No such contract.")) from exc
    if contract.buyer_id != user.pk:
        raise Http404(_("No such contract."))
    status = 200
    error: list[str] = []
    if request.method == "POST":
        rows = split_rows(request.POST, currency=contract.currency)
        if all(row.is_valid() for row in rows):
            plan = [
                services.MilestonePlan(
                    r.cleaned_data["title"], r.cleaned_data["amount"], r.cleaned_data["due_at"]
                )
                for r in rows
                if r.has_changed() and r.cleaned_data
            ]
            try:
                services.split_milestones(user=user, contract_id=contract.pk, plan=plan)
            except ValidationError as exc:
                error = exc.messages
            else:
                messages.success(request, _("The milestones were saved."))
                return _back(contract.pk)
        status = 400
    else:
        local = timezone.localtime
        initial = [
            {
                "title": m.title,
                "amount": to_major(m.amount, contract.currency),
                "due_at": local(m.due_at).strftime("%Y-%m-%dT%H:%M"),
            }
            for m in contract.milestones.order_by("position")
        ]
        rows = split_rows(None, currency=contract.currency, initial=initial)
    return render(
        request,
        "contracts/milestone_split.html",
        {"contract": contract, "rows": rows, "errors": error},
        status=status,
    )


# --- Funding --------------------------------------------------------------------------------------------------


@login_required
def milestone_fund(request: HttpRequest, milestone_id: int) -> HttpResponse:
    """GET: what funding costs (amount + buyer fee = total) and the balance; POST: fund it."""
    user = _user(request)
    milestone = _milestone(user, milestone_id)
    contract = milestone.contract
    error: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            services.fund_milestone(user=user, milestone_id=milestone.pk)
        except ValidationError as exc:
            error, status = exc.messages, 400
        else:
            messages.success(
                request,
                _("“%(title)s” is funded: %(amount)s is held in escrow until you accept the work.")
                % {"title": milestone.title, "amount": format_money(milestone.amount, contract.currency)},
            )
            return _back(contract.pk)
    quote = services.funding_quote(milestone, contract)
    return render(
        request,
        "contracts/milestone_fund.html",
        {
            "milestone": milestone,
            "contract": contract,
            "quote": quote,
            "errors": error,
            "refusal": services.refusal(user, milestone, services.Action.FUND),
        },
        status=status,
    )


@login_required
@require_POST
def milestone_request_funding(request: HttpRequest, milestone_id: int) -> HttpResponse:
    user = _user(request)
    return _act(
        request,
        milestone_id,
        lambda m: services.request_funding(user=user, milestone_id=m.pk),
        _("The buyer was asked to fund this milestone."),
    )


# --- Delivery and review --------------------------------------------------------------------------------------


@login_required
@require_POST
def milestone_deliver(request: HttpRequest, milestone_id: int) -> HttpResponse:
    user = _user(request)
    form = DeliverForm(request.POST, request.FILES)
    if not form.is_valid():
        milestone = _milestone(user, milestone_id)
        _form_errors(request, form)
        return _back(milestone.contract_id)
    return _act(
        request,
        milestone_id,
        lambda m: services.deliver(
            user=user, milestone_id=m.pk, upload=form.cleaned_data["file"], note=form.cleaned_data["note"]
        ),
        _("Your work was delivered. The buyer was told."),
    )


@login_required
@require_POST
def milestone_request_changes(request: HttpRequest, milestone_id: int) -> HttpResponse:
    user = _user(request)
    form = CommentForm(request.POST)
    if not form.is_valid():
        milestone = _milestone(user, milestone_id)
        _form_errors(request, form)
        return _back(milestone.contract_id)
    return _act(
        request,
        milestone_id,
        lambda m: services.request_changes(
            user=user, milestone_id=m.pk, comment=form.cleaned_data["comment"]
        ),
        _("Your change request was sent to the freelancer."),
    )


@login_required
@require_POST
def milestone_accept(request: HttpRequest, milestone_id: int) -> HttpResponse:
    user = _user(request)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        milestone = _milestone(user, milestone_id)
        _form_errors(request, form)
        return _back(milestone.contract_id)
    percent = form.cleaned_data["percent"]
    done = (
        _("You accepted the work; the freelancer is paid.")
        if percent in (None, 100)
        else _("You proposed to accept %(percent)s%%; the freelancer was asked to agree.")
        % {"percent": percent}
    )
    return _act(
        request, milestone_id, lambda m: services.accept(user=user, milestone_id=m.pk, percent=percent), done
    )


@login_required
@require_POST
def milestone_agree_partial(request: HttpRequest, milestone_id: int) -> HttpResponse:
    user = _user(request)
    return _act(
        request,
        milestone_id,
        lambda m: services.agree_partial(user=user, milestone_id=m.pk),
        _("You agreed: the accepted share is paid and the rest went back to the buyer."),
    )


# --- Cancel ---------------------------------------------------------------------------------------------------


@login_required
@require_POST
def milestone_cancel(request: HttpRequest, milestone_id: int) -> HttpResponse:
    user = _user(request)
    return _act(
        request,
        milestone_id,
        lambda m: services.cancel_milestone(user=user, milestone_id=m.pk),
        _("The milestone was cancelled."),
    )


@login_required
@require_POST
def milestone_ask_cancellation(request: HttpRequest, milestone_id: int) -> HttpResponse:
    user = _user(request)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        milestone_id,
        lambda m: services.ask_cancellation(user=user, milestone_id=m.pk, reason=reason),
        _("Your cancellation request was sent. If the other side agrees, the escrow goes back to the buyer."),
    )


@login_required
@require_POST
def cancellation_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _user(request)
    form = AnswerForm(request.POST)
    asked = CancellationRequest.objects.filter(pk=request_id).values_list("milestone_id", flat=True).first()
    if asked is None or not form.is_valid():
        raise Http404(_("No such cancellation request."))
    agree: bool = form.cleaned_data["agree"]
    done = _("The milestone was cancelled and refunded.") if agree else _("You declined the cancellation.")

    def answer(milestone: Milestone) -> None:
        try:
            services.answer_cancellation(user=user, request_id=request_id, agree=agree)
        except CancellationRequest.DoesNotExist as exc:
            raise Http404(_("No such cancellation request.")) from exc

    return _act(request, asked, answer, done)
