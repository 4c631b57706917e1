"""API of the bids app: bidding, the buyer's view of bids (shortlist, reject, award) and the freelancer's answer.

Bids are sealed: a freelancer only ever sees their own bids (the number of bids on a job is on the job). The
buyer sees every bid on their job with the bidder's statistics. Unknown ids and other people's bids answer 404
alike. Rule violations are 422 problems whose ``errors`` name the field (``amount``, ``job``, ``status`` …).
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool, StrictInt, StringConstraints

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem
from haat.bids import selectors, services
from haat.bids.models import LIVE_STATUSES, Bid, BidStatus
from haat.payments import fees

router = Router(tags=["bids"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
MAX_LIMIT = 200

# Generous bounds so absurd input is refused before any work; the services apply the real limits.
ProposalText = Annotated[str, StringConstraints(max_length=services.MAX_PROPOSAL_LENGTH + 1000)]
MessageText = Annotated[str, StringConstraints(max_length=services.MAX_REJECTION_MESSAGE_LENGTH + 100)]


class FeeOut(Schema):
    """What the site fee leaves the freelancer for an amount (``haat.payments.fees.breakdown``)."""

    amount: int = Field(description="Minor units: the bid's price.")
    currency: str
    freelancer_fee_bps: int = Field(description="The fee rate in basis points (1000 = 10 %).")
    freelancer_fee: int = Field(description="Minor units kept by the site at release.")
    freelancer_receives: int = Field(description="Minor units paid to the freelancer at release.")


class BidderOut(Schema):
    """The bidder as the buyer sees them."""

    id: int
    name: str
    profile_url: str
    country: str = Field(description="ISO 3166 code, empty if not given.")
    english_level: str | None = Field(
        description="basic, conversational, fluent or native; null if not given."
    )
    completed_contracts: int
    on_time_rate: float | None = Field(
        description="Share (0–1) of the bidder's milestones first delivered on time; null with no deliveries."
    )
    rating: float | None = Field(
        description="Average of published reviews received as freelancer (1–5); null with none."
    )
    ranking_score: int = Field(description="0 until the reputation system exists.")


class BidOut(Schema):
    id: int
    job_id: int
    job_title: str
    freelancer_id: int
    amount: int = Field(description="Minor units (cents, paisa).")
    currency: str
    delivery_days: int
    proposal: str
    status: BidStatus
    created_at: datetime
    updated_at: datetime
    awarded_at: datetime | None
    award_expires_at: datetime | None = Field(description="When an award must be answered by.")
    responded_at: datetime | None
    rejection_message: str
    contract_id: int | None = Field(description="The contract created when the award was accepted.")
    shortlisted: bool | None = Field(description="Only for the job's buyer; null for the freelancer.")
    bidder: BidderOut | None = Field(description="Only for the job's buyer.")
    fee: FeeOut | None = Field(description="Only for the bid's freelancer, in responses about single bids.")


class BidPage(Schema):
    items: list[BidOut]
    count: int


class BidIn(Schema):
    amount: StrictInt = Field(description="Minor units, within the job's budget range (inclusive).")
    delivery_days: StrictInt = Field(description="1 to 365.")
    proposal: ProposalText = Field(description="20 to 10 000 characters; Markdown.")


class BidPatch(Schema):
    """Fields to change; fields left out stay as they are."""

    amount: StrictInt | None = None
    delivery_days: StrictInt | None = None
    proposal: ProposalText | None = None


class ShortlistIn(Schema):
    shortlisted: StrictBool


class BidRejectIn(Schema):
    message: MessageText = Field(
        "", description="Optional; e-mailed to the freelancer (at most 2000 characters)."
    )


class BidFilter(Schema):
    sort: Literal["newest", "amount", "delivery", "completed"] = Field(
        "newest",
        description="Buyer only: newest, amount (lowest first), delivery (fastest), completed contracts.",
    )
    shortlisted: bool = Field(False, description="Buyer only: only shortlisted bids.")
    status: BidStatus | None = Field(None, description="Only bids in this status.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


class QuoteParams(Schema):
    amount: int = Field(description="Minor units.")


class ContractRef(Schema):
    contract_id: int
    bid: BidOut


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _fee(amount: int, currency: str) -> dict[str, Any]:
    breakdown = fees.breakdown(amount, currency)
    return {
        "amount": amount,
        "currency": currency,
        "freelancer_fee_bps": breakdown.freelancer_fee_bps,
        "freelancer_fee": breakdown.freelancer_fee,
        "freelancer_receives": breakdown.freelancer_receives,
    }


def _contract_id(bid: Bid) -> int | None:
    contract = getattr(bid, "contract", None)  # the reverse one-to-one raises AttributeError when missing
    return contract.pk if contract is not None else None


def _out(
    bid: Bid, *, stats: selectors.BidderStats | None = None, with_fee: bool = False, new: bool = False
) -> dict[str, Any]:
    """A bid as the API shows it: ``stats`` for the buyer's view, ``with_fee`` for the freelancer's own bid;
    ``new`` for a bid just placed (it has no contract: no look-up)."""
    job = bid.job
    data: dict[str, Any] = {
        "id": bid.pk,
        "job_id": bid.job_id,
        "job_title": job.title,
        "freelancer_id": bid.freelancer_id,
        "amount": bid.amount,
        "currency": job.currency,
        "delivery_days": bid.delivery_days,
        "proposal": bid.proposal,
        "status": bid.status,
        "created_at": bid.created_at,
        "updated_at": bid.updated_at,
        "awarded_at": bid.awarded_at,
        "award_expires_at": bid.award_expires_at,
        "responded_at": bid.responded_at,
        "rejection_message": bid.rejection_message,
        "contract_id": None if new else _contract_id(bid),
        "shortlisted": None,
        "bidder": None,
        "fee": _fee(bid.amount, job.currency) if with_fee else None,
    }
    if stats is not None:
        data["shortlisted"] = bid.shortlisted
        data["bidder"] = {
            "id": stats.user_id,
            "name": stats.name,
            "profile_url": reverse("accounts:profile", args=[stats.user_id]),
            "country": stats.country,
            "english_level": stats.english_level,
            "completed_contracts": stats.completed_contracts,
            "on_time_rate": stats.on_time_rate,
            "rating": stats.rating,
            "ranking_score": stats.ranking_score,
        }
    return data


def _for_viewer(user: User, bid: Bid) -> dict[str, Any]:
    """A single bid as ``user`` (its buyer or its freelancer) may see it."""
    if bid.job.buyer_id == user.pk:
        return _out(bid, stats=selectors.bidder_stats([bid.freelancer_id])[bid.freelancer_id])
    return _out(bid, with_fee=bid.status in LIVE_STATUSES)


def _fresh(user: User, bid_id: int) -> dict[str, Any]:
    return _for_viewer(user, selectors.bid_for_party(user, bid_id))


# --- Reading --------------------------------------------------------------------------------------------------


@router.get(
    "/jobs/{job_id}/bids",
    response={200: BidPage, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Bids on a job: all of them (with the bidders' statistics) for its buyer, your own for anyone else",
)
def list_job_bids(request: HttpRequest, job_id: int, filters: Query[BidFilter]) -> dict[str, Any]:
    user = _user(request)
    job = selectors.visible_job(user, job_id)
    statuses = [filters.status] if filters.status else None
    if job.buyer_id == user.pk:
        bids = selectors.bids_on_job(
            job, sort=filters.sort, shortlisted_only=filters.shortlisted, statuses=statuses
        )
        page = list(bids[filters.offset : filters.offset + filters.limit])
        return {
            "items": [_out(bid, stats=stats) for bid, stats in selectors.with_stats(page)],
            "count": bids.count(),
        }
    own = [bid for bid in selectors.own_bids_on(user, job) if statuses is None or bid.status in statuses]
    page = own[filters.offset : filters.offset + filters.limit]
    return {"items": [_out(bid, with_fee=bid.status in LIVE_STATUSES) for bid in page], "count": len(own)}


@router.get(
    "/jobs/{job_id}/bids/quote",
    response={200: FeeOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="What you would receive for bidding this amount (checked against the budget; nothing is stored)",
)
def quote_bid(request: HttpRequest, job_id: int, params: Query[QuoteParams]) -> dict[str, Any]:
    job = selectors.visible_job(_user(request), job_id)
    return _fee(services.check_amount(job, params.amount), job.currency)


@router.get(
    "/bids/{bid_id}",
    response={200: BidOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="One bid: your own, or one on your job",
)
def get_bid(request: HttpRequest, bid_id: int) -> dict[str, Any]:
    return _fresh(_user(request), bid_id)


@router.get(
    "/me/bids",
    response={200: BidPage, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Your bids on every job, newest first",
)
def my_bids(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    bids = selectors.bids_of_freelancer(_user(request))
    page = bids[params.offset : params.offset + params.limit]
    return {"items": [_out(bid) for bid in page], "count": bids.count()}


# --- Freelancer -----------------------------------------------------------------------------------------------


@router.post(
    "/jobs/{job_id}/bids",
    response={201: BidOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Bid on a job (complete profile; amount within the budget; one live bid per job)",
)
def place_bid(request: HttpRequest, job_id: int, payload: BidIn) -> Status:
    user = _user(request)
    bid = services.place_bid(
        freelancer=user,
        job_id=job_id,
        amount=payload.amount,
        delivery_days=payload.delivery_days,
        proposal=payload.proposal,
    )
    # The created row (with the job the service locked) is the stored bid: answer from it instead of reading
    # it back. A new bid is the freelancer's own, live, with the fee shown.
    return Status(201, _out(bid, with_fee=True, new=True))


@router.patch(
    "/bids/{bid_id}",
    response={200: BidOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Change your live bid while the job is open for bidding",
)
def edit_bid(request: HttpRequest, bid_id: int, payload: BidPatch) -> dict[str, Any]:
    user = _user(request)
    services.edit_bid(
        freelancer=user,
        bid_id=bid_id,
        amount=payload.amount,
        delivery_days=payload.delivery_days,
        proposal=payload.proposal,
    )
    return _fresh(user, bid_id)


@router.post(
    "/bids/{bid_id}/withdraw",
    response={200: BidOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Withdraw your live bid (until bidding closes)",
)
def withdraw_bid(request: HttpRequest, bid_id: int) -> dict[str, Any]:
    user = _user(request)
    services.withdraw_bid(freelancer=user, bid_id=bid_id)
    return _fresh(user, bid_id)


@router.post(
    "/bids/{bid_id}/accept",
    response={200: ContractRef, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Accept the award of your bid: a contract is created (awaiting funding)",
)
def accept_award(request: HttpRequest, bid_id: int) -> dict[str, Any]:
    user = _user(request)
    contract = services.accept_award(freelancer=user, bid_id=bid_id)
    return {"contract_id": contract.pk, "bid": _fresh(user, bid_id)}


@router.post(
    "/bids/{bid_id}/decline",
    response={200: BidOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Decline the award of your bid; the buyer may award another",
)
def decline_award(request: HttpRequest, bid_id: int) -> dict[str, Any]:
    user = _user(request)
    services.decline_award(freelancer=user, bid_id=bid_id)
    return _fresh(user, bid_id)


# --- Buyer ----------------------------------------------------------------------------------------------------


@router.post(
    "/bids/{bid_id}/shortlist",
    response={200: BidOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Put a bid on your job's shortlist, or take it off",
)
def shortlist_bid(request: HttpRequest, bid_id: int, payload: ShortlistIn) -> dict[str, Any]:
    user = _user(request)
    services.set_shortlisted(buyer=user, bid_id=bid_id, shortlisted=payload.shortlisted)
    return _fresh(user, bid_id)


@router.post(
    "/bids/{bid_id}/reject",
    response={200: BidOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Reject a bid on your job, with an optional message to the freelancer",
)
def reject_bid(request: HttpRequest, bid_id: int, payload: BidRejectIn) -> dict[str, Any]:
    user = _user(request)
    services.reject_bid(buyer=user, bid_id=bid_id, message=payload.message)
    return _fresh(user, bid_id)


@router.post(
    "/bids/{bid_id}/award",
    response={200: BidOut, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Award a bid on your open job; the freelancer has HAAT_AWARD_RESPONSE_DAYS days to answer",
)
def award_bid(request: HttpRequest, bid_id: int) -> dict[str, Any]:
    user = _user(request)
    services.award_bid(buyer=user, bid_id=bid_id)
    return _fresh(user, bid_id)
