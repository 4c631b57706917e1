"""API: payout methods, withdrawals and the finance payout queue (see payments.api).

Money-moving calls (requesting a withdrawal, marking one paid, rejecting one) need an ``Idempotency-Key``
header. Adding a payout method needs the browser session and a recent re-authentication: a leaked personal
access token must not be enough to send someone's money elsewhere.
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime
from typing import Annotated

from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StrictInt, StringConstraints

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem, session_auth
from haat.payments import idempotency, withdrawals
from haat.payments.models import PayoutKind, PayoutMethod, Withdrawal, WithdrawalStatus
from haat.staff.access import has_two_factor

router = Router(tags=["withdrawals"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
Text200 = Annotated[str, StringConstraints(max_length=200)]


class PayoutMethodIn(Schema):
    """The details a payout method needs depend on its kind; the others are ignored."""

    kind: PayoutKind
    email: Text200 = Field("", description="Payoneer and PayPal: the account's e-mail address.")
    account_name: Text200 = Field("", description="Bank: the account holder's name.")
    account_number: Text200 = Field("", description="Bank: 6 to 20 digits (spaces and dashes ignored).")
    bank_name: Text200 = Field("", description="Bank: the bank's name.")
    branch: Text200 = Field("", description="Bank: branch name or routing code.")
    mobile_provider: Text200 = Field("", description="Mobile money: 'bkash' or 'nagad'.")
    mobile_number: Text200 = Field(
        "", description="Mobile money: a Bangladeshi number, 01XXXXXXXXX (+880 accepted)."
    )


class PayoutMethodOut(Schema):
    id: int
    kind: str
    label: str = Field(description="Masked: the whole address or number is never shown again.")
    is_active: bool
    created_at: datetime

    @staticmethod
    def resolve_label(obj: PayoutMethod) -> str:
        return obj.masked


class PayoutMethodDetails(Schema):
    """Everything finance needs to send the money."""

    id: int
    kind: str
    email: str
    account_name: str
    account_number: str
    bank_name: str
    branch: str
    mobile_provider: str
    mobile_number: str


class WithdrawalIn(Schema):
    payout_method_id: StrictInt
    amount: StrictInt = Field(
        description="Minor units (cents, paisa): what arrives; the fee is added on top."
    )
    currency: Annotated[str, StringConstraints(max_length=8)] = Field(examples=["USD"])


class WithdrawalOut(Schema):
    id: int
    status: WithdrawalStatus
    amount: int = Field(description="Minor units; what is sent to the payout method.")
    fee: int = Field(description="Minor units; kept by the site.")
    total: int = Field(description="Minor units; amount + fee, taken from the wallet.")
    currency: str
    payout_method: PayoutMethodOut
    payment_reference: str
    rejection_reason: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_total(obj: Withdrawal) -> int:
        return obj.amount + obj.fee


class UserRef(Schema):
    id: int
    email: str


class QueuedWithdrawal(WithdrawalOut):
    """A withdrawal as finance sees it: who asked, and the full payout details."""

    user: UserRef
    payout_details: PayoutMethodDetails

    @staticmethod
    def resolve_payout_details(obj: Withdrawal) -> PayoutMethod:
        return obj.payout_method


class QuoteOut(Schema):
    payout_method_id: int
    amount: int
    fee: int
    total: int
    currency: str
    minimum: int
    available: int


class MarkPaidIn(Schema):
    reference: Annotated[str, StringConstraints(max_length=withdrawals.MAX_REFERENCE_LENGTH + 100)] = Field(
        description="The payment's reference at the bank or provider."
    )


class WithdrawalRejectIn(Schema):
    reason: Annotated[str, StringConstraints(max_length=withdrawals.MAX_REASON_LENGTH + 100)] = Field(
        description="Shown to the user."
    )


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@reauthentication_required
def _reauthentication_check(request: HttpRequest) -> None:
    """Raises ``ReauthenticationRequired`` unless this session re-authenticated recently (allauth's rule)."""


def _require_recent_reauthentication(request: HttpRequest) -> None:
    try:
        _reauthentication_check(request)
    except ReauthenticationRequired as exc:
        raise HttpError(
            403,
            "Adding a payout method needs a recent re-authentication: confirm your password at "
            f"{reverse('account_reauthenticate')} and try again within a few minutes.",
        ) from exc


def _require_finance(request: HttpRequest) -> User:
    user = _user(request)
    if not withdrawals.can_process_withdrawals(user):
        raise HttpError(403, "Only finance staff may do this.")
    if not has_two_factor(user):
        raise HttpError(
            403, "Finance staff need two-factor authentication: set up an authenticator app first."
        )
    return user


# --- Payout methods -------------------------------------------------------------------------------------------


@router.get(
    "/payout-methods",
    response={200: list[PayoutMethodOut], **AUTH_ERRORS},
    summary="Your active payout methods (masked)",
)
@paginate(LimitOffsetPagination)
def list_payout_methods(request: HttpRequest) -> QuerySet[PayoutMethod]:
    return withdrawals.payout_methods_of(_user(request))


@router.post(
    "/payout-methods",
    response={201: PayoutMethodOut, **INPUT_ERRORS, **AUTH_ERRORS},
    auth=session_auth,
    summary="Add a payout method (browser session with a recent re-authentication only)",
)
def add_payout_method(request: HttpRequest, payload: PayoutMethodIn) -> Status:
    _require_recent_reauthentication(request)
    data = payload.dict()
    data["kind"] = str(PayoutKind(data["kind"]).value)
    method = withdrawals.add_payout_method(user=_user(request), **data)
    return Status(201, method)


@router.delete(
    "/payout-methods/{method_id}",
    response={204: None, **NOT_FOUND, **AUTH_ERRORS},
    summary="Remove a payout method (withdrawals already requested to it are still paid there)",
)
def deactivate_payout_method(request: HttpRequest, method_id: int) -> Status:
    withdrawals.deactivate_payout_method(user=_user(request), method_id=method_id)
    return Status(204, None)


# --- Withdrawals ----------------------------------------------------------------------------------------------


@router.get(
    "/withdrawals",
    response={200: list[WithdrawalOut], **AUTH_ERRORS},
    summary="Your withdrawals, newest first",
)
@paginate(LimitOffsetPagination)
def list_withdrawals(request: HttpRequest) -> QuerySet[Withdrawal]:
    return withdrawals.withdrawals_of(_user(request))


@router.get(
    "/withdrawals/quote",
    response={200: QuoteOut, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="What a withdrawal would cost, checked like a real request (nothing is held)",
)
def quote_withdrawal(
    request: HttpRequest, payout_method_id: int, amount: int, currency: str
) -> dict[str, int | str]:
    quote = withdrawals.quote_withdrawal(
        user=_user(request), payout_method_id=payout_method_id, amount=amount, currency=currency
    )
    return {
        "payout_method_id": quote.method.pk,
        "amount": quote.amount,
        "fee": quote.fee,
        "total": quote.total,
        "currency": quote.currency,
        "minimum": quote.minimum,
        "available": quote.available,
    }


@router.post(
    "/withdrawals",
    response={201: WithdrawalOut, 409: Problem, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Request a withdrawal (needs an Idempotency-Key; holds amount + fee at once)",
)
def request_withdrawal(request: HttpRequest, payload: WithdrawalIn) -> Status:
    idempotency.require_key(request)
    withdrawal = withdrawals.request_withdrawal(
        user=_user(request),
        payout_method_id=payload.payout_method_id,
        amount=payload.amount,
        currency=payload.currency,
    )
    return Status(201, withdrawal)


@router.get(
    "/withdrawals/{withdrawal_id}",
    response={200: WithdrawalOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="One of your withdrawals",
)
def get_withdrawal(request: HttpRequest, withdrawal_id: int) -> Withdrawal:
    return withdrawals.withdrawal_of(_user(request), withdrawal_id)


# --- Finance --------------------------------------------------------------------------------------------------


@router.get(
    "/payout-queue",
    response={200: list[QueuedWithdrawal], **AUTH_ERRORS},
    summary="Withdrawals waiting for payment, oldest first (finance staff)",
)
@paginate(LimitOffsetPagination)
def payout_queue(request: HttpRequest) -> QuerySet[Withdrawal]:
    return withdrawals.payout_queue(_require_finance(request))


@router.post(
    "/withdrawals/{withdrawal_id}/mark-paid",
    response={200: QueuedWithdrawal, 409: Problem, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Record that the money was sent (finance staff; needs an Idempotency-Key)",
)
def mark_paid(request: HttpRequest, withdrawal_id: int, payload: MarkPaidIn) -> Withdrawal:
    staff = _require_finance(request)
    idempotency.require_key(request)
    try:
        return withdrawals.mark_paid(staff=staff, withdrawal_id=withdrawal_id, reference=payload.reference)
    except withdrawals.WithdrawalStateError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc


@router.post(
    "/withdrawals/{withdrawal_id}/reject",
    response={200: QueuedWithdrawal, 409: Problem, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Reject a withdrawal with a reason; the held money returns to the wallet (finance staff)",
)
def reject(request: HttpRequest, withdrawal_id: int, payload: WithdrawalRejectIn) -> Withdrawal:
    staff = _require_finance(request)
    idempotency.require_key(request)
    try:
        return withdrawals.reject(staff=staff, withdrawal_id=withdrawal_id, reason=payload.reason)
    except withdrawals.WithdrawalStateError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
