"""API: the wallet — balances per currency and the statement."""

import datetime as dt
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StringConstraints

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS
from haat.payments import selectors

router = Router(tags=["wallet"])


class WalletBalanceOut(Schema):
    currency: str
    available: int = Field(description="Minor units you can spend or withdraw now.")
    held: int = Field(description="Held for withdrawals waiting for payment.")
    pending_clearance: int = Field(description="Released earnings that have not cleared yet.")
    in_escrow: int = Field(description="Paid into escrow by you as buyer, not yet released or refunded.")


class WalletOut(Schema):
    balances: list[WalletBalanceOut]


class StatementLineOut(Schema):
    transfer_id: str
    created_at: dt.datetime
    type: str
    reference: str
    amount: int = Field(description="Signed minor units: positive is money in.")
    balance_after: int


class StatementQuery(Schema):
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)]
    since: dt.date | None = None
    until: dt.date | None = None


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.get("/wallet", response={200: WalletOut, **AUTH_ERRORS}, summary="Your balances")
def wallet(request: HttpRequest) -> dict[str, object]:
    return {"balances": selectors.wallet_balances(_user(request))}


@router.get(
    "/wallet/statement",
    response={200: list[StatementLineOut], **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Your wallet statement with a running balance (oldest first)",
)
@paginate(LimitOffsetPagination)
def statement(request: HttpRequest, filters: Query[StatementQuery]) -> list[dict[str, object]]:
    if filters.currency not in settings.HAAT_CURRENCIES:
        raise ValidationError({"currency": f"“{filters.currency}” is not a currency this site uses."})
    if filters.since and filters.until and filters.since > filters.until:
        raise ValidationError({"since": "The start date must not be after the end date."})
    return [
        {
            "transfer_id": str(line.transfer.pk),
            "created_at": line.transfer.created_at,
            "type": line.transfer.code,
            "reference": line.transfer.reference,
            "amount": line.amount,
            "balance_after": line.balance_after,
        }
        for line in selectors.statement(
            _user(request), filters.currency, since=filters.since, until=filters.until
        )
    ]
