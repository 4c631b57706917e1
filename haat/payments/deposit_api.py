"""API: deposits and the payment gateways' webhooks (see payments.api)."""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

import logging
from datetime import datetime
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StringConstraints

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem, problem
from haat.ledger.models import MAX_AMOUNT
from haat.ledger.services import LedgerError
from haat.payments import deposits, gateways, idempotency
from haat.payments.models import Deposit, DepositStatus

logger = logging.getLogger(__name__)

router = Router(tags=["deposits"])


class InstructionsOut(Schema):
    kind: str = Field(description="'none' (nothing to do) or 'bank_transfer'.")
    message: str = Field(description="What to do next, in the request's language.")
    reference: str | None = Field(description="The text to quote with the payment (e.g. on a bank transfer).")
    bank_details: str | None = Field(description="Where to send a bank transfer.")


class DepositOut(Schema):
    id: int
    amount: int = Field(description="Announced amount, in minor units (cents, paisa).")
    currency: str
    gateway: str
    gateway_name: str
    completes_instantly: bool
    status: DepositStatus
    reference: str = Field(description="Unique; quote it with the payment.")
    received_amount: int | None = Field(description="What arrived and was credited, in minor units.")
    failure_reason: str
    created_at: datetime
    expires_at: datetime
    completed_at: datetime | None
    instructions: InstructionsOut

    @staticmethod
    def resolve_gateway_name(obj: Deposit) -> str:
        return gateways.display_name(obj.gateway)

    @staticmethod
    def resolve_completes_instantly(obj: Deposit) -> bool:
        gateway = gateways.BUILT_IN.get(obj.gateway)
        return bool(gateway and gateway.completes_instantly)

    @staticmethod
    def resolve_instructions(obj: Deposit) -> dict[str, object]:
        return deposits.instructions_for(obj).as_dict()


class DepositIn(Schema):
    amount: Annotated[int, Field(strict=True, gt=0, le=MAX_AMOUNT)] = Field(
        description="A whole number of minor units (e.g. 2500 = 25.00 USD).", examples=[2500]
    )
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)] = Field(
        description="ISO 4217 code; one of the site's currencies.", examples=["USD"]
    )
    gateway: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        description="An enabled gateway: 'sandbox' (test money, where enabled) or 'manual' (bank transfer).",
        examples=["manual"],
    )


class WebhookAck(Schema):
    deposit: str = Field(description="The deposit's reference.")
    status: DepositStatus


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.post(
    "/deposits",
    response={201: DepositOut, 409: Problem, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Start a deposit (send an Idempotency-Key header)",
    description=(
        "Opens a deposit and returns it with instructions. A bank transfer (`manual`) stays `pending` until "
        "finance staff confirm the amount that arrived; the `sandbox` gateway (demo sites only) succeeds at "
        "once. Repeating the request with the same `Idempotency-Key` replays the first response."
    ),
)
def create_deposit(request: HttpRequest, payload: DepositIn) -> Status:
    idempotency.require_key(request)
    try:
        started = deposits.start_deposit(
            user=_user(request), amount=payload.amount, currency=payload.currency, gateway=payload.gateway
        )
    except LedgerError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(201, started.deposit)


@router.get(
    "/deposits", response={200: list[DepositOut], **AUTH_ERRORS}, summary="Your deposits, newest first"
)
@paginate(LimitOffsetPagination)
def list_deposits(request: HttpRequest) -> QuerySet[Deposit]:
    return deposits.deposits_of(_user(request))


@router.get(
    "/deposits/{deposit_id}",
    response={200: DepositOut, 404: Problem, **AUTH_ERRORS},
    summary="One of your deposits",
)
def get_deposit(request: HttpRequest, deposit_id: int) -> Deposit:
    return deposits.deposit_of(_user(request), deposit_id)


@router.post(
    "/gateways/{gateway}/webhook",
    auth=None,
    response={200: WebhookAck, 400: Problem, 401: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="A payment gateway reports a deposit's outcome (HMAC-signed)",
    description=(
        'Body: `{"deposit": "<reference>", "status": "succeeded" | "failed", "amount": <minor units '
        'received>, "currency": "USD", "gateway_reference": "…", "reason": "…"}`. Header '
        '`X-Haat-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the site\'s webhook '
        "secret>`; signatures older than 5 minutes are refused. Delivering the same event again is harmless: a "
        "deposit is credited once."
    ),
)
def gateway_webhook(request: HttpRequest, gateway: str) -> HttpResponse | dict[str, str]:
    try:
        deposit = deposits.receive_webhook(
            gateway=gateway, body=request.body, signature=request.headers.get(gateways.SIGNATURE_HEADER)
        )
    except gateways.UnknownGateway as exc:
        raise HttpError(404, _("No such payment gateway on this site.")) from exc
    except gateways.SignatureError as exc:
        # Worth an operator's attention: a misconfigured gateway, or someone probing.
        logger.warning("Refused %r webhook from %s: %s", gateway, request.META.get("REMOTE_ADDR"), exc)
        if exc.status != 401:
            raise HttpError(exc.status, str(exc)) from exc
        response = problem(request, 401, str(exc), kind="bad-signature")
        response["WWW-Authenticate"] = f'{gateways.SIGNATURE_HEADER} realm="haat-webhooks"'
        return response
    except deposits.MalformedEvent as exc:
        raise HttpError(400, str(exc)) from exc
    except deposits.IllegalTransition as exc:
        raise HttpError(409, str(exc)) from exc
    except LedgerError as exc:
        raise HttpError(422, str(exc)) from exc
    return {"deposit": deposit.reference, "status": deposit.status}
