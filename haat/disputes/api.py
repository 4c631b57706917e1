"""API: the parties' side of disputes — open one on a funded milestone, read it with its timeline and offers,
add statements, make, accept and reject offers, send it to an arbiter, withdraw it.

Accepting an offer moves money and needs an ``Idempotency-Key`` header. Amounts are minor units of the
contract's currency. A dispute, milestone or offer of a contract you are not a party to answers 404 (the same
as an unknown id); a move the dispute's state does not allow answers 409; the wrong side 403. Arbiters decide
on their staff pages (two-factor authentication required), not through the API.
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StrictInt, StringConstraints

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem
from haat.disputes import selectors, services
from haat.disputes.models import (
    Dispute,
    DisputeEvent,
    DisputeOffer,
    DisputeReason,
    DisputeStatus,
    EventKind,
    OfferStatus,
)
from haat.payments import idempotency

router = Router(tags=["disputes"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
CONFLICT: dict[int, type[Schema]] = {409: Problem}
Text = Annotated[str, StringConstraints(max_length=services.MAX_TEXT_LENGTH + 100)]
T = TypeVar("T")


class OfferOut(Schema):
    id: int
    made_by_id: int
    freelancer_amount: int = Field(description="Minor units to the freelancer, before the freelancer fee.")
    buyer_amount: int = Field(description="Minor units back to the buyer.")
    note: str
    status: OfferStatus
    created_at: datetime
    answered_at: datetime | None

    @staticmethod
    def resolve_buyer_amount(obj: DisputeOffer) -> int:
        return obj.dispute.amount - obj.freelancer_amount


class EventOut(Schema):
    id: int
    kind: EventKind
    actor_id: int | None
    text: str
    offer_id: int | None
    created_at: datetime


class DisputeOut(Schema):
    id: int
    contract_id: int
    milestone_id: int
    opened_by_id: int
    reason: DisputeReason
    statement: str
    amount: int = Field(description="Minor units in escrow, in dispute.")
    currency: str
    status: DisputeStatus
    negotiation_ends_at: datetime = Field(description="When an unsettled dispute goes to an arbiter.")
    escalated_at: datetime | None
    has_arbiter: bool
    freelancer_amount: int | None = Field(description="Once resolved: minor units given to the freelancer.")
    freelancer_fee: int | None
    arbitration_fee: int | None
    freelancer_receives: int | None
    buyer_refund: int | None
    decision_reason: str = Field(description="The arbiter's written reason, once decided.")
    resolved_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_has_arbiter(obj: Dispute) -> bool:
        return obj.arbiter_id is not None


class DisputeDetailOut(DisputeOut):
    offers: list[OfferOut]
    events: list[EventOut]

    @staticmethod
    def resolve_offers(obj: Dispute) -> list[DisputeOffer]:
        return list(selectors.offers_of(obj))

    @staticmethod
    def resolve_events(obj: Dispute) -> list[DisputeEvent]:
        return list(selectors.events_of(obj))


class OpenIn(Schema):
    milestone_id: StrictInt
    reason: DisputeReason
    statement: Text


class StatementIn(Schema):
    text: Text


class OfferIn(Schema):
    freelancer_amount: StrictInt | None = Field(
        None, description="Minor units to the freelancer (0 … the amount in dispute); or give a percentage."
    )
    freelancer_percent: StrictInt | None = Field(None, description="0–100 of the amount in dispute.")
    note: Text = ""


class RejectIn(Schema):
    note: Text = ""


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _run(call: Callable[..., T], **kwargs: Any) -> T:
    """Call a service; a move the dispute's state forbids becomes a 409 problem."""
    try:
        return call(**kwargs)
    except services.DisputeStateError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc


def _detail(user: User, dispute_id: int) -> Dispute:
    return selectors.dispute_for_party(user, dispute_id)


@router.post(
    "/contracts/{contract_id}/disputes",
    response={201: DisputeDetailOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Open a dispute on a funded milestone of the contract (either side): its escrow freezes",
)
def open_dispute(request: HttpRequest, contract_id: int, payload: OpenIn) -> Status:
    user = _user(request)
    # The milestone must belong to this contract: anything else is "not found", like a stranger's id.
    if not selectors.milestone_in_contract(user, contract_id, payload.milestone_id):
        raise Dispute.DoesNotExist
    dispute: Dispute = _run(
        services.open_dispute,
        user=user,
        milestone_id=payload.milestone_id,
        reason=payload.reason,
        statement=payload.statement,
    )
    return Status(201, _detail(user, dispute.pk))


@router.get(
    "/disputes",
    response={200: list[DisputeOut], **AUTH_ERRORS},
    summary="Disputes on your contracts, newest first",
)
@paginate(LimitOffsetPagination)
def list_disputes(request: HttpRequest) -> QuerySet[Dispute]:
    return selectors.disputes_of(_user(request))


@router.get(
    "/disputes/{dispute_id}",
    response={200: DisputeDetailOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="One dispute with its offers and timeline",
)
def get_dispute(request: HttpRequest, dispute_id: int) -> Dispute:
    return _detail(_user(request), dispute_id)


@router.post(
    "/disputes/{dispute_id}/statements",
    response={201: EventOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Add a statement (evidence, an answer) to an open dispute",
)
def add_statement(request: HttpRequest, dispute_id: int, payload: StatementIn) -> Status:
    event = _run(services.add_statement, user=_user(request), dispute_id=dispute_id, text=payload.text)
    return Status(201, event)


@router.post(
    "/disputes/{dispute_id}/offers",
    response={201: OfferOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Offer a split of the escrow (the freelancer's share as an amount or a percentage)",
)
def make_offer(request: HttpRequest, dispute_id: int, payload: OfferIn) -> Status:
    offer: DisputeOffer = _run(
        services.make_offer,
        user=_user(request),
        dispute_id=dispute_id,
        amount=payload.freelancer_amount,
        percent=payload.freelancer_percent,
        note=payload.note,
    )
    return Status(201, DisputeOffer.objects.select_related("dispute").get(pk=offer.pk))


@router.post(
    "/dispute-offers/{offer_id}/accept",
    response={200: DisputeDetailOut, **CONFLICT, **NOT_FOUND, **AUTH_ERRORS},
    summary="Accept the other side's offer: the dispute is settled and the escrow split at once "
    "(needs an Idempotency-Key)",
)
def accept_offer(request: HttpRequest, offer_id: int) -> Dispute:
    idempotency.require_key(request)
    user = _user(request)
    dispute: Dispute = _run(services.accept_offer, user=user, offer_id=offer_id)
    return _detail(user, dispute.pk)


@router.post(
    "/dispute-offers/{offer_id}/reject",
    response={200: OfferOut, **CONFLICT, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Reject the other side's offer (optionally saying why)",
)
def reject_offer(request: HttpRequest, offer_id: int, payload: RejectIn) -> DisputeOffer:
    offer: DisputeOffer = _run(
        services.reject_offer, user=_user(request), offer_id=offer_id, note=payload.note
    )
    return DisputeOffer.objects.select_related("dispute").get(pk=offer.pk)


@router.post(
    "/disputes/{dispute_id}/escalate",
    response={200: DisputeDetailOut, **CONFLICT, **NOT_FOUND, **AUTH_ERRORS},
    summary="Ask for an arbiter now (either side), before the negotiation time is up",
)
def escalate(request: HttpRequest, dispute_id: int) -> Dispute:
    user = _user(request)
    _run(services.escalate, user=user, dispute_id=dispute_id)
    return _detail(user, dispute_id)


@router.post(
    "/disputes/{dispute_id}/withdraw",
    response={200: DisputeDetailOut, **CONFLICT, **NOT_FOUND, **AUTH_ERRORS},
    summary="Withdraw your dispute before a decision: the contract is active again",
)
def withdraw(request: HttpRequest, dispute_id: int) -> Dispute:
    user = _user(request)
    _run(services.withdraw, user=user, dispute_id=dispute_id)
    return _detail(user, dispute_id)
