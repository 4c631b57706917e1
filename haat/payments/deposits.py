"""Deposits: money paid in through a gateway, credited to the payer's wallet exactly once.

States (an explicit table, ``TRANSITIONS``)::

    pending ──► succeeded   the gateway (or finance staff, for bank transfers) reports the received amount
        ├─────► failed      the gateway (or finance staff) reports a failure
        └─────► expired     nobody reported anything before ``expires_at`` (``expire_pending_deposits``)

Every other change is an ``IllegalTransition``, except that an event repeating the deposit's current outcome
(the same ``succeeded`` amount, or ``failed`` again) is a no-op that returns the deposit: gateways re-deliver
webhooks until they get a 2xx. The credit itself goes through ``ledger.operations.credit_deposit``, whose
transfer id derives from the deposit id: even a bug here could not credit one deposit twice.

Each public function is one transaction. Outcomes lock the deposit row (``select_for_update``), so two
deliveries of the same webhook, or a webhook racing the expiry task, are applied one after the other.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.ledger import operations
from haat.ledger.models import MAX_AMOUNT
from haat.ledger.services import retry_on_conflict
from haat.payments import gateways
from haat.payments.gateways import Instructions
from haat.payments.models import Deposit, DepositStatus, IdempotencyKey
from haat.staff import audit
from haat.staff.roles import Role, has_role

logger = logging.getLogger(__name__)

TRANSITIONS: dict[str, frozenset[str]] = {
    DepositStatus.PENDING: frozenset({DepositStatus.SUCCEEDED, DepositStatus.FAILED, DepositStatus.EXPIRED}),
    DepositStatus.SUCCEEDED: frozenset(),
    DepositStatus.FAILED: frozenset(),
    DepositStatus.EXPIRED: frozenset(),
}

# Outcomes a gateway may report (expiry is our own clock's business).
EVENT_STATUSES = frozenset({DepositStatus.SUCCEEDED, DepositStatus.FAILED})
MANUAL_GATEWAY = "manual"

# References look like HAAT-7K3Q-9ZP2: no 0/O, 1/I/L or U, so they survive being read out or typed.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_REFERENCE_ATTEMPTS = 5
_FAILURE_REASON_MAX = Deposit._meta.get_field("failure_reason").max_length or 200
_GATEWAY_REFERENCE_MAX = Deposit._meta.get_field("gateway_reference").max_length or 128


class IllegalTransition(Exception):
    """The deposit cannot go from its current state to the requested one. Nothing changed."""


class MalformedEvent(ValueError):
    """A (correctly signed) webhook body that is not a gateway event we understand. Nothing changed."""


@dataclass(frozen=True)
class StartedDeposit:
    deposit: Deposit
    instructions: Instructions


@dataclass(frozen=True)
class GatewayEvent:
    """One outcome reported by a gateway for the deposit whose reference is ``deposit_reference``."""

    deposit_reference: str
    status: str
    amount: int | None = None
    currency: str | None = None
    gateway_reference: str = ""
    reason: str = ""


# --- Validation ----------------------------------------------------------------------------------------------


def _is_amount(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_AMOUNT


def _amount_error() -> str:
    return _("Enter a whole number of minor units (e.g. cents) greater than zero and at most %(max)d.") % {
        "max": MAX_AMOUNT
    }


def _validate_start(amount: object, currency: object, gateway: object) -> gateways.Gateway:
    errors: dict[str, str] = {}
    if not _is_amount(amount):
        errors["amount"] = _amount_error()
    if not isinstance(currency, str) or currency not in settings.HAAT_CURRENCIES:
        errors["currency"] = _("Choose one of the currencies this site accepts: %(list)s.") % {
            "list": ", ".join(settings.HAAT_CURRENCIES)
        }
    found = gateways.enabled().get(gateway) if isinstance(gateway, str) else None
    if found is None:
        errors["gateway"] = _("Choose one of the payment methods this site offers: %(list)s.") % {
            "list": ", ".join(gateways.enabled()) or "—"
        }
    if errors:
        raise ValidationError(errors)
    assert found is not None
    return found


def new_reference() -> str:
    """A random reference like ``HAAT-7K3Q-9ZP2`` (30⁸ ≈ 6.6 × 10¹¹ possibilities; uniqueness is enforced by
    the database)."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(8))
    return f"HAAT-{chars[:4]}-{chars[4:]}"


# --- Starting ------------------------------------------------------------------------------------------------


def _create(user: User, amount: int, currency: str, gateway: str) -> Deposit:
    expires_at = timezone.now() + dt.timedelta(hours=settings.HAAT_DEPOSIT_EXPIRY_HOURS)
    for attempt in range(1, _REFERENCE_ATTEMPTS + 1):
        reference = new_reference()
        try:
            with transaction.atomic():  # a savepoint, so a reference collision can be retried
                return Deposit.objects.create(
                    user=user,
                    gateway=gateway,
                    amount=amount,
                    currency=currency,
                    reference=reference,
                    expires_at=expires_at,
                )
        except IntegrityError:
            if attempt == _REFERENCE_ATTEMPTS or not Deposit.objects.filter(reference=reference).exists():
                raise
    raise AssertionError("unreachable")


def _schedule_expiry(when: dt.datetime) -> None:
    from haat.payments.tasks import expire_deposits  # tasks imports this module

    expire_deposits.using(run_after=when).enqueue()


_FORM_PATH = "web:deposit-form"


def _form_key(form_token: str) -> str:
    return f"form:deposit:{form_token}"


def _replay_form(user: User, form_token: str) -> StartedDeposit:
    earlier = IdempotencyKey.objects.filter(user=user, key=_form_key(form_token), path=_FORM_PATH).first()
    body = bytes(earlier.response_body) if earlier is not None else b""
    if not body.isdigit():
        raise ValidationError({"form_token": _("The form expired; please submit it again.")})
    deposit = Deposit.objects.get(pk=int(body), user=user)
    return StartedDeposit(deposit, instructions_for(deposit))


@retry_on_conflict()
@transaction.atomic
def start_deposit(
    *, user: User, amount: int, currency: str, gateway: str, form_token: str | None = None
) -> StartedDeposit:
    """Open a deposit of ``amount`` minor units of ``currency`` through ``gateway`` and say what comes next.

    Validates everything first (``ValidationError`` keyed by field; nothing is written on error). An instant
    gateway (the sandbox) completes the deposit before this returns. ``form_token`` (a web form's one-time
    token) makes a double-submitted form return the first deposit instead of opening a second one.
    """
    found = _validate_start(amount, currency, gateway)
    claim: IdempotencyKey | None = None
    if form_token is not None:
        if not form_token or len(form_token) > 100:
            raise ValidationError({"form_token": _("The form expired; please submit it again.")})
        try:
            with transaction.atomic():
                # Claimed before the work: a concurrent duplicate blocks on the unique index, then fails.
                claim = IdempotencyKey.objects.create(
                    user=user,
                    key=_form_key(form_token),
                    method="POST",
                    path=_FORM_PATH,
                    request_hash="",
                    status_code=303,
                    response_body=b"",
                    content_type="text/plain",
                )
        except IntegrityError:
            return _replay_form(user, form_token)

    deposit = _create(user, amount, currency, gateway)
    instructions = found.start(deposit)
    deposit.refresh_from_db()
    if claim is not None:
        claim.response_body = str(deposit.pk).encode()
        claim.save(update_fields=["response_body"])
    if deposit.status == DepositStatus.PENDING:
        # Each waiting deposit schedules the sweep that may expire it (idempotent, so duplicates are harmless).
        transaction.on_commit(lambda: _schedule_expiry(deposit.expires_at), robust=True)
    return StartedDeposit(deposit, instructions)


# --- Outcomes ------------------------------------------------------------------------------------------------


def _transition(deposit: Deposit, to: str) -> None:
    if to not in TRANSITIONS[deposit.status]:
        raise IllegalTransition(
            _("Deposit %(reference)s is %(status)s; it cannot become %(to)s.")
            % {
                "reference": deposit.reference,
                "status": DepositStatus(deposit.status).label,
                "to": DepositStatus(to).label,
            }
        )
    deposit.status = to


def _apply(deposit: Deposit, event: GatewayEvent, *, confirmed_by: User | None = None) -> Deposit:
    """Apply ``event`` to a deposit whose row the caller has locked."""
    if event.status == DepositStatus.SUCCEEDED:
        if not _is_amount(event.amount):
            raise ValidationError({"amount": _amount_error()})
        assert isinstance(event.amount, int)
        if event.currency is not None and event.currency != deposit.currency:
            raise ValidationError(
                {
                    "currency": _("This deposit is in %(currency)s; the event reports %(other)s.")
                    % {"currency": deposit.currency, "other": event.currency}
                }
            )
        if deposit.status == DepositStatus.SUCCEEDED and deposit.received_amount == event.amount:
            return deposit  # a re-delivered event: already applied
        _transition(deposit, DepositStatus.SUCCEEDED)
        deposit.received_amount = event.amount
        deposit.gateway_reference = event.gateway_reference[:_GATEWAY_REFERENCE_MAX]
        deposit.completed_at = timezone.now()
        deposit.confirmed_by = confirmed_by
        deposit.save(
            update_fields=["status", "received_amount", "gateway_reference", "completed_at", "confirmed_by"]
        )
        # What arrived is what is credited (a bank transfer may bring more or less than was announced).
        operations.credit_deposit(
            deposit_id=deposit.pk,
            user=deposit.user,
            gateway=deposit.gateway,
            amount=event.amount,
            currency=deposit.currency,
        )
        return deposit
    if event.status == DepositStatus.FAILED:
        if deposit.status == DepositStatus.FAILED:
            return deposit  # a re-delivered failure
        _transition(deposit, DepositStatus.FAILED)
        deposit.failure_reason = (event.reason or _("The payment failed."))[:_FAILURE_REASON_MAX]
        deposit.gateway_reference = (
            event.gateway_reference[:_GATEWAY_REFERENCE_MAX] or deposit.gateway_reference
        )
        deposit.completed_at = timezone.now()
        deposit.confirmed_by = confirmed_by
        deposit.save(
            update_fields=["status", "failure_reason", "gateway_reference", "completed_at", "confirmed_by"]
        )
        return deposit
    raise ValidationError({"status": _("A gateway can report only “succeeded” or “failed”.")})


@retry_on_conflict()
@transaction.atomic
def apply_event(*, gateway: str, event: GatewayEvent) -> Deposit:
    """Apply a gateway's outcome to its deposit (locked for the duration) and credit the wallet on success.

    Raises ``Deposit.DoesNotExist`` (no deposit with that reference through that gateway),
    ``ValidationError`` (a bad amount or currency) or ``IllegalTransition``; on any error nothing changes.
    """
    deposit = (
        Deposit.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(reference=event.deposit_reference, gateway=gateway)
    )
    return _apply(deposit, event)


def parse_event(body: bytes) -> GatewayEvent:
    """Read a webhook body: ``{"deposit": "<reference>", "status": "succeeded" | "failed", "amount": <int>,
    "currency": "USD", "gateway_reference": "...", "reason": "..."}``. Raises ``MalformedEvent``."""
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedEvent(_("The webhook body is not valid JSON.")) from exc
    if not isinstance(data, dict):
        raise MalformedEvent(_("The webhook body must be a JSON object."))
    reference = data.get("deposit")
    status = data.get("status")
    amount = data.get("amount")
    currency = data.get("currency")
    gateway_reference = data.get("gateway_reference", "")
    reason = data.get("reason", "")
    if not isinstance(reference, str) or not reference or len(reference) > 32:
        raise MalformedEvent(_("“deposit” must be the deposit's reference."))
    if status not in EVENT_STATUSES:
        raise MalformedEvent(_("“status” must be “succeeded” or “failed”."))
    if status == DepositStatus.SUCCEEDED or amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise MalformedEvent(_("“amount” must be the received whole number of minor units."))
        if not isinstance(currency, str):
            raise MalformedEvent(_("“currency” must be the received amount's ISO 4217 code."))
    if currency is not None and not isinstance(currency, str):
        raise MalformedEvent(_("“currency” must be an ISO 4217 code."))
    if not isinstance(gateway_reference, str) or not isinstance(reason, str):
        raise MalformedEvent(_("“gateway_reference” and “reason” must be strings."))
    return GatewayEvent(
        deposit_reference=reference,
        status=status,
        amount=amount,
        currency=currency,
        gateway_reference=gateway_reference,
        reason=reason,
    )


@retry_on_conflict()
@transaction.atomic
def receive_webhook(*, gateway: str, body: bytes, signature: str | None) -> Deposit:
    """Handle a gateway's webhook: check the signature over the raw body, then apply the event.

    Raises ``gateways.UnknownGateway``, ``gateways.SignatureError``, ``MalformedEvent``,
    ``Deposit.DoesNotExist``, ``ValidationError`` or ``IllegalTransition``; on any error nothing changes.
    The sandbox gateway completes its deposits through this same function.
    """
    gateways.get(gateway)
    gateways.verify_signature(body, signature)
    return apply_event(gateway=gateway, event=parse_event(body))


# --- Finance staff -------------------------------------------------------------------------------------------


def can_confirm(user: User) -> bool:
    """Whether ``user`` may confirm or fail manual (bank transfer) deposits: the finance role."""
    return has_role(user, Role.FINANCE)


def _locked_manual_deposit(staff: User, deposit_id: int) -> Deposit:
    if not can_confirm(staff):
        raise PermissionDenied(_("Only finance staff may confirm or fail bank transfers."))
    deposit = (
        Deposit.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=deposit_id, gateway=MANUAL_GATEWAY)
    )
    if deposit.user_id == staff.pk:
        raise PermissionDenied(
            _("You cannot decide on your own deposit; ask another member of finance staff.")
        )
    return deposit


@retry_on_conflict()
@transaction.atomic
def confirm_manual_deposit(*, staff: User, deposit_id: int, received_amount: int) -> Deposit:
    """Finance staff saw ``received_amount`` arrive for a bank transfer: mark it succeeded and credit exactly
    that amount. Requires the finance role and someone else's deposit; written to the audit log."""
    deposit = _locked_manual_deposit(staff, deposit_id)
    if not _is_amount(received_amount):
        raise ValidationError({"received_amount": _amount_error()})
    event = GatewayEvent(
        deposit_reference=deposit.reference,
        status=DepositStatus.SUCCEEDED,
        amount=received_amount,
        currency=deposit.currency,
    )
    was = deposit.status
    deposit = _apply(deposit, event, confirmed_by=staff)
    if deposit.status != was:  # a repeated confirmation changes nothing and is not a new action
        audit.record(
            actor=staff,
            action="deposit.confirm",
            target_type="deposit",
            target_id=deposit.pk,
            reference=deposit.reference,
            user=deposit.user_id,
            announced=deposit.amount,
            received=received_amount,
            currency=deposit.currency,
        )
    return deposit


@retry_on_conflict()
@transaction.atomic
def fail_manual_deposit(*, staff: User, deposit_id: int, reason: str) -> Deposit:
    """Finance staff mark a bank transfer failed (e.g. nothing arrived, or it was sent back); written to the
    audit log. Requires the finance role and someone else's deposit."""
    deposit = _locked_manual_deposit(staff, deposit_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the deposit failed; the payer will see it.")})
    event = GatewayEvent(deposit_reference=deposit.reference, status=DepositStatus.FAILED, reason=reason)
    was = deposit.status
    deposit = _apply(deposit, event, confirmed_by=staff)
    if deposit.status != was:
        audit.record(
            actor=staff,
            action="deposit.fail",
            target_type="deposit",
            target_id=deposit.pk,
            reason=reason,
            reference=deposit.reference,
            user=deposit.user_id,
            amount=deposit.amount,
            currency=deposit.currency,
        )
    return deposit


# --- Expiry --------------------------------------------------------------------------------------------------


@retry_on_conflict()
@transaction.atomic
def expire_pending_deposits(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Expire up to ``batch_size`` pending deposits whose ``expires_at`` has passed; returns how many.

    Idempotent: an expired deposit is no longer pending, so a second run finds nothing. Rows another
    transaction holds (a webhook being applied) are skipped, to be looked at again on the next run.
    """
    cutoff = now or timezone.now()
    due = list(
        Deposit.objects.select_for_update(skip_locked=True)
        .filter(status=DepositStatus.PENDING, expires_at__lte=cutoff)
        .order_by("pk")[:batch_size]
    )
    for deposit in due:
        _transition(deposit, DepositStatus.EXPIRED)
        deposit.completed_at = cutoff
        deposit.save(update_fields=["status", "completed_at"])
    return len(due)


# --- Reads ---------------------------------------------------------------------------------------------------


def deposits_of(user: User) -> QuerySet[Deposit]:
    """The user's own deposits, newest first."""
    return Deposit.objects.filter(user=user).order_by("-created_at", "-pk")


def deposit_of(user: User, deposit_id: int) -> Deposit:
    """One of the user's own deposits; ``Deposit.DoesNotExist`` for anyone else's (ids cannot be probed)."""
    return Deposit.objects.get(pk=deposit_id, user=user)


def pending_manual_deposits() -> QuerySet[Deposit]:
    """Bank transfers waiting for finance staff, oldest first."""
    return (
        Deposit.objects.filter(gateway=MANUAL_GATEWAY, status=DepositStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def instructions_for(deposit: Deposit) -> Instructions:
    """What the payer should do for ``deposit`` (also for gateways disabled since it was started)."""
    try:
        return gateways.get(deposit.gateway, enabled_only=False).instructions(deposit)
    except gateways.UnknownGateway:
        return Instructions(kind="none", message="", reference=deposit.reference)
