"""Pages: bidding on a job (with the fee preview), editing and withdrawing a bid, the buyer's list of bids with
shortlist, rejection and award, and the freelancer's own bids with accept and decline.

The job page (jobs app) shows the same panels through ``{% include "bids/_job_bids.html" %}``, which calls
``panel_context`` below via the ``haat_bids`` template tags.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haat.accounts.models import User
from haat.bids import selectors, services
from haat.bids.forms import BidForm, RejectForm, ShortlistForm
from haat.bids.models import LIVE_STATUSES, Bid, BidStatus
from haat.jobs.models import Job
from haat.payments import fees
from haat.web.money import to_major, to_minor_units

PAGE_SIZE = 50
# The query parameter of the buyer's sort links (values: the keys of ``selectors.SORTS``).
SORT_PARAM = "bid_sort"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _apply_errors(form: BidForm | RejectForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form, by field where the form has that field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _visible_job(request: HttpRequest, job_id: int) -> Job:
    try:
        return selectors.visible_job(request.user, job_id)
    except Job.DoesNotExist as exc:
        raise Http404(_("No such job.")) from exc


def _back_to_job(job_id: int) -> HttpResponse:
    return redirect(selectors.job_path(job_id) + "#bids")


def _sort_links() -> list[tuple[str, str]]:
    return [
        ("newest", _("Newest")),
        ("amount", _("Lowest price")),
        ("delivery", _("Fastest delivery")),
        ("completed", _("Most completed contracts")),
    ]


def panel_context(request: HttpRequest, job: Job, *, form: BidForm | None = None) -> dict[str, Any]:
    """Everything the bids panel of a job needs, for the job's buyer, a freelancer, or a visitor."""
    user = request.user
    context: dict[str, Any] = {
        "job": job,
        "bid_count": selectors.bid_count(job),
        "role": "visitor",
        "request": request,
    }
    if not getattr(user, "is_authenticated", False):
        return context
    assert isinstance(user, User)
    if job.buyer_id == user.pk:
        sort = request.GET.get(SORT_PARAM, selectors.DEFAULT_SORT)
        sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
        shortlisted_only = request.GET.get("shortlisted") == "1"
        bids = list(selectors.bids_on_job(job, sort=sort, shortlisted_only=shortlisted_only))
        rows = selectors.with_stats(bids)
        context.update(
            role="buyer",
            active_rows=[row for row in rows if row[0].status in LIVE_STATUSES],
            earlier_rows=[row for row in rows if row[0].status not in LIVE_STATUSES],
            pending_award=next((bid for bid in bids if bid.status == BidStatus.AWARDED), None),
            sort=sort,
            sort_links=_sort_links(),
            shortlisted_only=shortlisted_only,
            sort_param=SORT_PARAM,
            can_award=job.status == "open",
        )
        return context
    own = selectors.own_bids_on(user, job)
    current = next((bid for bid in own if bid.status in LIVE_STATUSES), None)
    context.update(
        role="freelancer",
        current=current,
        earlier=[bid for bid in own if bid is not current],
    )
    if current is not None:
        context.update(
            fee=fees.breakdown(current.amount, job.currency),
            edit_refusal=services.edit_refusal(current),
            withdraw_refusal=services.withdraw_refusal(current),
        )
    else:
        refusal = services.bidding_refusal(user, job)
        context.update(
            refusal=refusal,
            profile_incomplete=refusal is not None and "profile" in refusal.message_dict,
            form=(form or BidForm(job=job)) if refusal is None else None,
            form_action=reverse("bids:bid-new", args=[job.pk]),
        )
    return context


# --- Freelancer -------------------------------------------------------------------------------------------------


@login_required
def bid_new(request: HttpRequest, job_id: int) -> HttpResponse:
    """Bid on a job: the form with the fee preview; on success back to the job page."""
    job = _visible_job(request, job_id)
    user = _user(request)
    if job.buyer_id == user.pk:
        return redirect("bids:job-bids", job_id=job.pk)
    form = BidForm(request.POST or None, job=job)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.place_bid(
                    freelancer=user,
                    job_id=job.pk,
                    amount=form.cleaned_data["amount_minor"],
                    delivery_days=form.cleaned_data["delivery_days"],
                    proposal=form.cleaned_data["proposal"],
                )
            except Job.DoesNotExist as exc:
                raise Http404(_("No such job.")) from exc
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Your bid was placed. The buyer can now see it."))
                return _back_to_job(job.pk)
        status = 400
    context = panel_context(request, job, form=form)
    if form.is_bound and "amount_minor" in form.cleaned_data:
        context["preview"] = _preview(job, form.cleaned_data["amount_minor"])
    return render(request, "bids/bid_new.html", context, status=status)


def _preview(job: Job, amount: int) -> dict[str, Any]:
    try:
        services.check_amount(job, amount)
    except ValidationError as exc:
        return {"error": exc.messages[0]}
    return {"fee": fees.breakdown(amount, job.currency)}


@login_required
@require_GET
def bid_quote(request: HttpRequest, job_id: int) -> HttpResponse:
    """The fee preview for an amount typed in the bid form (``?amount=12.50``); an htmx fragment."""
    job = _visible_job(request, job_id)
    raw = request.GET.get("amount", "").strip().replace(",", "")
    context: dict[str, Any] = {"job": job}
    if raw:
        try:
            if len(raw) > 30:
                raise InvalidOperation
            amount = to_minor_units(Decimal(raw), job.currency)
        except (InvalidOperation, ValidationError):
            context["preview"] = {"error": _("Enter a price such as %(example)s.") % {"example": "12.50"}}
        else:
            context["preview"] = _preview(job, amount)
    return render(request, "bids/_fee_preview.html", context)


@login_required
def bid_edit(request: HttpRequest, bid_id: int) -> HttpResponse:
    """Change one's live bid while the job is open for bidding."""
    user = _user(request)
    try:
        bid = selectors.bid_of_freelancer(user, bid_id)
    except Bid.DoesNotExist as exc:
        raise Http404(_("No such bid.")) from exc
    job = bid.job
    initial = {
        "amount": to_major(bid.amount, job.currency),
        "delivery_days": bid.delivery_days,
        "proposal": bid.proposal,
    }
    form = BidForm(request.POST or None, job=job, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.edit_bid(
                    freelancer=user,
                    bid_id=bid.pk,
                    amount=form.cleaned_data["amount_minor"],
                    delivery_days=form.cleaned_data["delivery_days"],
                    proposal=form.cleaned_data["proposal"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Your bid was updated."))
                return _back_to_job(job.pk)
        status = 400
    context: dict[str, Any] = {
        "job": job,
        "bid": bid,
        "form": form,
        "refusal": services.edit_refusal(bid),
        "form_action": reverse("bids:bid-edit", args=[bid.pk]),
        "preview": _preview(job, form.cleaned_data["amount_minor"])
        if form.is_bound and "amount_minor" in form.cleaned_data
        else _preview(job, bid.amount),
    }
    return render(request, "bids/bid_edit.html", context, status=status)


@login_required
@require_POST
def bid_withdraw(request: HttpRequest, bid_id: int) -> HttpResponse:
    """Withdraw one's live bid (until bidding closes)."""
    try:
        bid = services.withdraw_bid(freelancer=_user(request), bid_id=bid_id)
    except Bid.DoesNotExist as exc:
        raise Http404(_("No such bid.")) from exc
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("bids:my-bids")
    messages.success(request, _("Your bid was withdrawn."))
    return _back_to_job(bid.job_id)


@login_required
@require_POST
def bid_accept(request: HttpRequest, bid_id: int) -> HttpResponse:
    """Accept an award: the contract is created and its page opens."""
    try:
        contract = services.accept_award(freelancer=_user(request), bid_id=bid_id)
    except Bid.DoesNotExist as exc:
        raise Http404(_("No such bid.")) from exc
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("bids:my-bids")
    messages.success(request, _("You accepted the award. The buyer funds the escrow next."))
    return redirect("contracts:contract-detail", contract_id=contract.pk)


@login_required
@require_POST
def bid_decline(request: HttpRequest, bid_id: int) -> HttpResponse:
    """Decline an award; the buyer is told and may award another bid."""
    try:
        services.decline_award(freelancer=_user(request), bid_id=bid_id)
    except Bid.DoesNotExist as exc:
        raise Http404(_("No such bid.")) from exc
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("You declined the award. The buyer was told."))
    return redirect("bids:my-bids")


@login_required
def my_bids(request: HttpRequest) -> HttpResponse:
    """The freelancer's bids, newest first, with their status and the answer buttons for awards."""
    page = Paginator(selectors.bids_of_freelancer(_user(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    awarded = {
        bid.pk: fees.breakdown(bid.amount, bid.job.currency)
        for bid in page.object_list
        if bid.status == BidStatus.AWARDED
    }
    rows = [(bid, awarded.get(bid.pk)) for bid in page.object_list]
    return render(request, "bids/my_bids.html", {"page": page, "rows": rows})


# --- Buyer ------------------------------------------------------------------------------------------------------


def _buyers_job(request: HttpRequest, job_id: int) -> Job:
    try:
        return selectors.buyer_job(_user(request), job_id)
    except Job.DoesNotExist as exc:
        raise Http404(_("No such job.")) from exc


def _buyers_bid(request: HttpRequest, bid_id: int) -> Bid:
    try:
        return selectors.bid_for_buyer(_user(request), bid_id)
    except Bid.DoesNotExist as exc:
        raise Http404(_("No such bid.")) from exc


@login_required
def job_bids(request: HttpRequest, job_id: int) -> HttpResponse:
    """Every bid on one of the user's jobs, with the bidders' statistics, sorting and the buyer's actions."""
    job = _buyers_job(request, job_id)
    return render(request, "bids/job_bids.html", panel_context(request, job))


@login_required
@require_POST
def bid_shortlist(request: HttpRequest, bid_id: int) -> HttpResponse:
    """Put a bid on the shortlist (``shortlisted=1``) or take it off."""
    bid = _buyers_bid(request, bid_id)
    form = ShortlistForm(request.POST)
    shortlisted = bool(form.is_valid() and form.cleaned_data["shortlisted"])
    try:
        services.set_shortlisted(buyer=_user(request), bid_id=bid.pk, shortlisted=shortlisted)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        name = selectors.bidder_stats([bid.freelancer_id])[bid.freelancer_id].name
        text = _("%(name)s is on your shortlist.") if shortlisted else _("%(name)s is off your shortlist.")
        messages.success(request, text % {"name": name})
    return _back_to_job(bid.job_id)


@login_required
def bid_reject(request: HttpRequest, bid_id: int) -> HttpResponse:
    """Reject a bid, with an optional message to the freelancer (a confirmation page, then the POST)."""
    bid = _buyers_bid(request, bid_id)
    form = RejectForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reject_bid(buyer=_user(request), bid_id=bid.pk, message=form.cleaned_data["message"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The bid was rejected and the freelancer was told."))
                return _back_to_job(bid.job_id)
        status = 400
    stats = selectors.bidder_stats([bid.freelancer_id])[bid.freelancer_id]
    return render(request, "bids/bid_reject.html", {"bid": bid, "stats": stats, "form": form}, status=status)


@login_required
def bid_award(request: HttpRequest, bid_id: int) -> HttpResponse:
    """Award a bid (a confirmation page showing what the award means, then the POST)."""
    bid = _buyers_bid(request, bid_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.award_bid(buyer=_user(request), bid_id=bid.pk)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            name = selectors.bidder_stats([bid.freelancer_id])[bid.freelancer_id].name
            messages.success(
                request, _("You awarded the job to %(name)s. They have to accept it first.") % {"name": name}
            )
            return _back_to_job(bid.job_id)
    stats = selectors.bidder_stats([bid.freelancer_id])[bid.freelancer_id]
    return render(
        request,
        "bids/bid_award.html",
        {
            "bid": bid,
            "stats": stats,
            "errors": errors,
            "fee": fees.breakdown(bid.amount, bid.job.currency),
            "response_days": settings.HAAT_AWARD_RESPONSE_DAYS,
        },
        status=400 if errors else 200,
    )
