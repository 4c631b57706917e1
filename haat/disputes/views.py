"""Pages: the parties' dispute pages (open, read, statements, offers, escalate, withdraw) and the arbiters'
queue and case page (evidence in one place, take the case, decide with a reason).

Each action is a POST that calls one service and returns to the dispute page with a message; a refusal comes
back as an error message and changes nothing. Someone else's dispute answers 404; arbiter pages need the
arbiter role and two-factor authentication.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haat.accounts.models import User
from haat.contracts import selectors as contract_selectors
from haat.contracts.models import Contract, Milestone
from haat.contracts.services import DISPUTABLE_MILESTONE_STATUSES
from haat.disputes import selectors, services
from haat.disputes.forms import DecisionForm, OfferForm, OpenDisputeForm, StatementForm
from haat.disputes.models import Dispute, DisputeOffer, DisputeStatus
from haat.staff.access import staff_required
from haat.staff.roles import Role
from haat.web.money import format_money


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _errors(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _detail_url(dispute_id: int) -> str:
    return reverse("disputes:detail", args=[dispute_id])


def _act(request: HttpRequest, dispute_id: int, call: Callable[[], Any], done: str) -> HttpResponse:
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    except (Dispute.DoesNotExist, DisputeOffer.DoesNotExist) as exc:
        raise Http404(_("No such dispute.")) from exc
    else:
        messages.success(request, done)
    return redirect(_detail_url(dispute_id))


# --- The parties ---------------------------------------------------------------------------------------------


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    """The user's disputes, newest first."""
    return render(request, "disputes/dispute_list.html", {"disputes": selectors.disputes_of(_user(request))})


def _disputable(contract: Contract) -> list[Milestone]:
    return list(contract.milestones.filter(status__in=DISPUTABLE_MILESTONE_STATUSES).order_by("position"))


@login_required
def dispute_open(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Open a dispute on a funded milestone of one of the user's contracts."""
    user = _user(request)
    try:
        contract = contract_selectors.contract_of(user, contract_id)
    except Contract.DoesNotExist as exc:
        raise Http404(_("No such contract.")) from exc
    existing = selectors.open_dispute_of_contract(contract)
    if existing is not None:
        return redirect(_detail_url(existing.pk))
    choices = [
        (m.pk, f"{m.title} ({format_money(m.amount, contract.currency)})") for m in _disputable(contract)
    ]
    form = OpenDisputeForm(
        request.POST or None, milestones=choices, initial={"milestone": request.GET.get("milestone")}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dispute = services.open_dispute(
                    user=user,
                    milestone_id=form.cleaned_data["milestone"],
                    reason=form.cleaned_data["reason"],
                    statement=form.cleaned_data["statement"],
                )
            except Milestone.DoesNotExist as exc:
                raise Http404(_("No such milestone.")) from exc
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Your dispute is open. The escrow is frozen until it is settled or decided.")
                )
                return redirect(_detail_url(dispute.pk))
        status = 400
    return render(
        request,
        "disputes/dispute_open.html",
        {
            "contract": contract,
            "form": form,
            "has_milestones": bool(choices),
            "negotiation_days": settings.HAAT_DISPUTE_NEGOTIATION_DAYS,
        },
        status=status,
    )


def _split_preview(dispute: Dispute, contract: Contract, share: int, *, arbitrated: bool) -> services.Split:
    return services.split_figures(dispute, contract, share, arbitrated=arbitrated)


@login_required
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """The dispute as a party sees it: status, the amount, the timeline, the offers and what they can do."""
    user = _user(request)
    try:
        dispute = selectors.dispute_for_party(user, dispute_id)
    except Dispute.DoesNotExist as exc:
        raise Http404(_("No such dispute.")) from exc
    contract = dispute.contract
    offers = [
        (offer, _split_preview(dispute, contract, offer.freelancer_amount, arbitrated=False))
        for offer in selectors.offers_of(dispute)
    ]
    return render(
        request,
        "disputes/dispute_detail.html",
        {
            "dispute": dispute,
            "contract": contract,
            "is_buyer": user.pk == contract.buyer_id,
            "offers": offers,
            "events": selectors.events_of(dispute),
            "offer_form": OfferForm(currency=dispute.currency),
            "statement_form": StatementForm(),
            "can_escalate": dispute.status == DisputeStatus.NEGOTIATION,
            "can_withdraw": dispute.is_open and dispute.opened_by_id == user.pk,
        },
    )


@login_required
@require_POST
def dispute_statement(request: HttpRequest, dispute_id: int) -> HttpResponse:
    form = StatementForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_detail_url(dispute_id))
    return _act(
        request,
        dispute_id,
        lambda: services.add_statement(
            user=_user(request), dispute_id=dispute_id, text=form.cleaned_data["text"]
        ),
        _("Your statement was added. Both sides were e-mailed."),
    )


@login_required
@require_POST
def dispute_offer(request: HttpRequest, dispute_id: int) -> HttpResponse:
    try:
        dispute = selectors.dispute_for_party(_user(request), dispute_id)
    except Dispute.DoesNotExist as exc:
        raise Http404(_("No such dispute.")) from exc
    form = OfferForm(request.POST, currency=dispute.currency)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_detail_url(dispute_id))
    data = form.cleaned_data
    return _act(
        request,
        dispute_id,
        lambda: services.make_offer(
            user=_user(request),
            dispute_id=dispute_id,
            amount=data["amount_minor"],
            percent=data["percent"],
            note=data["note"],
        ),
        _("Your offer was sent. The other side can accept or reject it."),
    )


def _offer_dispute_id(user: User, offer_id: int) -> int:
    found = (
        DisputeOffer.objects.filter(pk=offer_id, dispute__in=selectors.disputes_of(user))
        .values_list("dispute_id", flat=True)
        .first()
    )
    if found is None:
        raise Http404(_("No such offer."))
    return found


@login_required
@require_POST
def offer_accept(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = _user(request)
    dispute_id = _offer_dispute_id(user, offer_id)
    return _act(
        request,
        dispute_id,
        lambda: services.accept_offer(user=user, offer_id=offer_id),
        _("You accepted the offer: the dispute is settled and the escrow was paid out."),
    )


@login_required
@require_POST
def offer_reject(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = _user(request)
    dispute_id = _offer_dispute_id(user, offer_id)
    note = request.POST.get("note", "")
    return _act(
        request,
        dispute_id,
        lambda: services.reject_offer(user=user, offer_id=offer_id, note=note),
        _("You rejected the offer."),
    )


@login_required
@require_POST
def dispute_escalate(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _act(
        request,
        dispute_id,
        lambda: services.escalate(user=_user(request), dispute_id=dispute_id),
        _("The dispute went to an arbiter. You can still settle it between you until the arbiter decides."),
    )


@login_required
@require_POST
def dispute_withdraw(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _act(
        request,
        dispute_id,
        lambda: services.withdraw(user=_user(request), dispute_id=dispute_id),
        _("You withdrew the dispute. The contract is active again."),
    )


# --- Arbiters ------------------------------------------------------------------------------------------------


@staff_required(Role.ARBITER)
def queue(request: HttpRequest) -> HttpResponse:
    """Disputes waiting for an arbiter (oldest first), and those still in negotiation."""
    return render(
        request,
        "disputes/queue.html",
        {
            "waiting": selectors.arbitration_queue(),
            "negotiating": selectors.arbitration_queue(status=DisputeStatus.NEGOTIATION),
        },
    )


def _case(request: HttpRequest, dispute_id: int) -> Dispute:
    try:
        dispute = selectors.case(dispute_id)
    except Dispute.DoesNotExist as exc:
        raise Http404(_("No such dispute.")) from exc
    if not services.can_arbitrate(_user(request), dispute):
        raise PermissionDenied(_("You are a party to this contract: another arbiter must handle the case."))
    return dispute


@staff_required(Role.ARBITER)
def case(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """The case page: the dispute, the offers, and all the evidence in one place, with the decision form."""
    dispute = _case(request, dispute_id)
    form = DecisionForm(request.POST or None, currency=dispute.currency)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.decide(
                    staff=_user(request),
                    dispute_id=dispute.pk,
                    amount=data["amount_minor"],
                    percent=data["percent"],
                    reason=data["reason"],
                )
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, getattr(exc, "messages", None) or [str(exc)])
            else:
                messages.success(
                    request, _("Decision recorded; the escrow was paid out and both sides were e-mailed.")
                )
                return redirect(reverse("disputes:case", args=[dispute.pk]))
        status = 400
    contract = dispute.contract
    offers = [
        (offer, _split_preview(dispute, contract, offer.freelancer_amount, arbitrated=False))
        for offer in selectors.offers_of(dispute)
    ]
    return render(
        request,
        "disputes/case.html",
        {
            "dispute": dispute,
            "contract": contract,
            "offers": offers,
            "events": selectors.events_of(dispute),
            "evidence": selectors.evidence(dispute),
            "form": form,
            "can_decide": dispute.status == DisputeStatus.ARBITRATION,
            "fee_bps": services.arbitration_fee_bps(),
        },
        status=status,
    )


@staff_required(Role.ARBITER)
@require_POST
def take(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute = _case(request, dispute_id)
    try:
        services.take_case(staff=_user(request), dispute_id=dispute.pk)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The case is yours. Both sides were told an arbiter is on it."))
    return redirect(reverse("disputes:case", args=[dispute.pk]))
