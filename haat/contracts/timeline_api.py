"""API: the contract timeline (mounted by contracts.api). Parties only; everyone else gets 404."""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, Problem
from haat.contracts import selectors
from haat.contracts.timeline import Event, timeline

router = Router(tags=["contracts"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}


class TimelineEventOut(Schema):
    at: datetime
    kind: str = Field(
        description="created, funding_requested, funded, payment, message, report, missed_report, delivery, "
        "change_request, cancellation_request, cancellation_answer, accepted, vault or review."
    )
    title: str
    detail: str = Field(description="An excerpt (messages and notes: at most 120 characters).")
    actor: str = Field(description="Public name of who did it; empty for ledger payments.")
    amount: int | None = Field(None, description="Minor units, when money is involved.")
    currency: str
    amount_text: str = Field(description="The amount formatted for the reader's language.")
    late: bool


class TimelineOut(Schema):
    contract_id: int
    events: list[TimelineEventOut]


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.get(
    "/contracts/{contract_id}/timeline",
    response={200: TimelineOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="Everything that happened on one of your contracts, oldest first",
)
def get_timeline(request: HttpRequest, contract_id: int) -> dict[str, object]:
    contract = selectors.contract_of(_user(request), contract_id)
    events: list[Event] = timeline(contract)
    return {"contract_id": contract.pk, "events": events}
