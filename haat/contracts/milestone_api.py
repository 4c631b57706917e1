"""API: milestones of a contract — split, fund (with the fee quote first), request funding, deliver, request
changes, accept (in full or, when both agree, in part), cancel and mutual cancellation (mounted by
contracts.api).

Calls that move money (fund, accept, agree-partial, answering a cancellation request) need an
``Idempotency-Key`` header. An illegal transition answers 409; someone else's contract or milestone 404; the
wrong party 403. Amounts are minor units; fees are the contract's rates locked at the award.
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field, StrictBool, StrictInt, StringConstraints

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem
from haat.contracts import selectors, services
from haat.contracts.models import CancellationRequest, Delivery, Milestone, MilestoneStatus
from haat.payments import idempotency

router = Router(tags=["contracts"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
CONFLICT: dict[int, type[Schema]] = {409: Problem}
LongText = Annotated[str, StringConstraints(max_length=services.MAX_COMMENT_LENGTH + 100)]
T = TypeVar("T")


class MilestoneOut(Schema):
    id: int
    contract_id: int
    position: int
    title: str
    amount: int = Field(description="Minor units.")
    currency: str
    due_at: datetime
    status: MilestoneStatus
    funding_requested_at: datetime | None
    funded_at: datetime | None
    delivered_at: datetime | None
    accepted_at: datetime | None
    partial_proposal: int | None = Field(
        description="While delivered: the percent the buyer proposes to accept, waiting for the freelancer."
    )
    accepted_percent: int | None = Field(description="Once accepted: the percent released (100 = all).")
    released_amount: int | None = Field(description="Once accepted: minor units released from escrow.")

    @staticmethod
    def resolve_currency(obj: Milestone) -> str:
        return obj.contract.currency

    @staticmethod
    def resolve_partial_proposal(obj: Milestone) -> int | None:
        return obj.accepted_percent if obj.status == MilestoneStatus.DELIVERED else None

    @staticmethod
    def resolve_accepted_percent(obj: Milestone) -> int | None:
        return obj.accepted_percent if obj.status == MilestoneStatus.ACCEPTED else None


class MilestoneIn(Schema):
    title: Annotated[str, StringConstraints(max_length=services.MAX_TITLE_LENGTH + 100)]
    amount: StrictInt = Field(description="Minor units, greater than zero.")
    due_at: datetime = Field(description="With a time zone; in the future.")


class SplitIn(Schema):
    milestones: list[MilestoneIn] = Field(
        description="Replaces every milestone; the amounts add up exactly to the contract's price.",
        max_length=services.MAX_MILESTONES + 1,
    )


class FundQuoteOut(Schema):
    milestone_id: int
    amount: int = Field(description="Minor units paid into escrow.")
    buyer_fee: int = Field(description="Minor units; the site fee at the contract's locked rate.")
    total: int = Field(description="Minor units taken from your wallet: amount + buyer fee.")
    currency: str
    available: int = Field(description="Your wallet's available balance now.")
    enough: bool
    deposit_url: str = Field(description="Where to add money when the balance is short.")


class MilestoneDeliveryOut(Schema):
    id: int
    milestone_id: int
    version: int
    original_name: str
    size: int
    sha256: str
    note: str
    is_late: bool
    created_at: datetime


class CommentIn(Schema):
    comment: LongText


class AcceptIn(Schema):
    percent: StrictInt | None = Field(
        None,
        description="Omit (or 100) to accept all of it; 1–99 proposes a partial acceptance the freelancer "
        "must agree to (POST /milestones/{id}/agree-partial); the rest is then refunded to you.",
    )


class CancellationIn(Schema):
    reason: LongText = ""


class AnswerIn(Schema):
    agree: StrictBool


class CancellationOut(Schema):
    id: int
    milestone_id: int
    requested_by_id: int
    reason: str
    created_at: datetime
    answered_at: datetime | None
    agreed: bool | None


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _run(call: Callable[..., T], **kwargs: Any) -> T:
    """Call a service; an illegal transition becomes a 409 problem."""
    try:
        return call(**kwargs)
    except services.MilestoneStateError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc


def _milestone_of(user: User, milestone_id: int) -> Milestone:
    if not services._valid_id(milestone_id):
        raise Milestone.DoesNotExist
    contract_id = services._party_contract_id(user, milestone_id=milestone_id)
    contract = selectors.contract_of(user, contract_id)
    milestone = Milestone.objects.get(pk=milestone_id)
    milestone.contract = contract
    return milestone


def _fresh(milestone_id: int) -> Milestone:
    return Milestone.objects.select_related("contract").get(pk=milestone_id)


@router.get(
    "/contracts/{contract_id}/milestones",
    response={200: list[MilestoneOut], **NOT_FOUND, **AUTH_ERRORS},
    summary="The milestones of one of your contracts, in order",
)
def list_milestones(request: HttpRequest, contract_id: int) -> QuerySet[Milestone]:
    contract = selectors.contract_of(_user(request), contract_id)
    return contract.milestones.select_related("contract").order_by("position", "pk")


@router.put(
    "/contracts/{contract_id}/milestones",
    response={200: list[MilestoneOut], **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Split the contract into milestones (buyer, while none is funded)",
)
def split_milestones(request: HttpRequest, contract_id: int, payload: SplitIn) -> list[Milestone]:
    plan = [services.MilestonePlan(m.title, m.amount, m.due_at) for m in payload.milestones]
    created = _run(services.split_milestones, user=_user(request), contract_id=contract_id, plan=plan)
    return [_fresh(m.pk) for m in created]


@router.get(
    "/milestones/{milestone_id}/fund-quote",
    response={200: FundQuoteOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="What funding the milestone costs: amount + buyer fee = total, and your balance",
)
def fund_quote(request: HttpRequest, milestone_id: int) -> dict[str, Any]:
    milestone = _milestone_of(_user(request), milestone_id)
    quote = services.funding_quote(milestone, milestone.contract)
    return {
        "milestone_id": milestone.pk,
        "amount": quote.amount,
        "buyer_fee": quote.buyer_fee,
        "total": quote.total,
        "currency": quote.currency,
        "available": quote.available,
        "enough": quote.enough,
        "deposit_url": reverse("payments:deposit-new"),
    }


@router.post(
    "/milestones/{milestone_id}/fund",
    response={200: MilestoneOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Fund the milestone from your wallet (buyer; needs an Idempotency-Key)",
)
def fund(request: HttpRequest, milestone_id: int) -> Milestone:
    idempotency.require_key(request)
    _run(services.fund_milestone, user=_user(request), milestone_id=milestone_id)
    return _fresh(milestone_id)


@router.post(
    "/milestones/{milestone_id}/request-funding",
    response={200: MilestoneOut, **CONFLICT, **NOT_FOUND, **AUTH_ERRORS},
    summary="Ask the buyer to fund the milestone (freelancer)",
)
def request_funding(request: HttpRequest, milestone_id: int) -> Milestone:
    _run(services.request_funding, user=_user(request), milestone_id=milestone_id)
    return _fresh(milestone_id)


@router.post(
    "/milestones/{milestone_id}/deliveries",
    response={201: MilestoneDeliveryOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Deliver the work as a zip, with a note (freelancer; multipart form: file, note)",
)
def deliver(
    request: HttpRequest,
    milestone_id: int,
    file: File[UploadedFile],
    note: Form[str] = "",
) -> Status:
    delivery: Delivery = _run(
        services.deliver, user=_user(request), milestone_id=milestone_id, upload=file, note=note
    )
    return Status(201, delivery)


@router.post(
    "/milestones/{milestone_id}/request-changes",
    response={200: MilestoneOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Ask for changes to the latest delivery (buyer; a comment is required)",
)
def request_changes(request: HttpRequest, milestone_id: int, payload: CommentIn) -> Milestone:
    _run(services.request_changes, user=_user(request), milestone_id=milestone_id, comment=payload.comment)
    return _fresh(milestone_id)


@router.post(
    "/milestones/{milestone_id}/accept",
    response={200: MilestoneOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Accept the delivery and release the escrow, or propose a partial acceptance (buyer; "
    "needs an Idempotency-Key)",
)
def accept(request: HttpRequest, milestone_id: int, payload: AcceptIn) -> Milestone:
    idempotency.require_key(request)
    _run(services.accept, user=_user(request), milestone_id=milestone_id, percent=payload.percent)
    return _fresh(milestone_id)


@router.post(
    "/milestones/{milestone_id}/agree-partial",
    response={200: MilestoneOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Agree to the buyer's partial acceptance: that share is paid, the rest refunded (freelancer; "
    "needs an Idempotency-Key)",
)
def agree_partial(request: HttpRequest, milestone_id: int) -> Milestone:
    idempotency.require_key(request)
    _run(services.agree_partial, user=_user(request), milestone_id=milestone_id)
    return _fresh(milestone_id)


@router.post(
    "/milestones/{milestone_id}/cancel",
    response={200: MilestoneOut, **CONFLICT, **NOT_FOUND, **AUTH_ERRORS},
    summary="Cancel a milestone that is not funded yet (buyer); a funded one needs a cancellation request",
)
def cancel(request: HttpRequest, milestone_id: int) -> Milestone:
    _run(services.cancel_milestone, user=_user(request), milestone_id=milestone_id)
    return _fresh(milestone_id)


@router.post(
    "/milestones/{milestone_id}/cancellation-requests",
    response={201: CancellationOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Ask the other side to cancel a funded milestone and refund the escrow to the buyer",
)
def ask_cancellation(request: HttpRequest, milestone_id: int, payload: CancellationIn) -> Status:
    asked: CancellationRequest = _run(
        services.ask_cancellation, user=_user(request), milestone_id=milestone_id, reason=payload.reason
    )
    return Status(201, asked)


@router.post(
    "/cancellation-requests/{request_id}/answer",
    response={200: CancellationOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Agree (refund the escrow to the buyer) or decline the other side's cancellation request "
    "(needs an Idempotency-Key)",
)
def answer_cancellation(request: HttpRequest, request_id: int, payload: AnswerIn) -> CancellationRequest:
    idempotency.require_key(request)
    answered: CancellationRequest = _run(
        services.answer_cancellation, user=_user(request), request_id=request_id, agree=payload.agree
    )
    return answered
