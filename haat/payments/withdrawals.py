"""Payout methods and withdrawals: every write, the rules behind them, and the reads their pages need.

A withdrawal moves through an explicit state machine (``TRANSITIONS``)::

    requested ──mark paid (reference)──▶ paid       ledger: the holds are posted
        └──────reject (reason)─────────▶ rejected   ledger: the holds are voided, the money is back

Requesting a withdrawal holds ``amount + fee`` of the user's wallet at once (pending transfers, see
``haat.ledger.operations.hold_withdrawal``); only finance staff (the ``payments.process_withdrawals``
permission, or superusers) decide. Fees and minimums come from ``settings.HAAT_PAYOUTS`` per method and
currency (``"*"`` is the fallback currency). Every public write is one transaction; e-mails leave only after
it commits, each in its recipient's language.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors
from haat.ledger import services as ledger_services
from haat.ledger.models import MAX_AMOUNT, AccountKind
from haat.moderation import services as moderation
from haat.notifications.email import send_to as _send
from haat.payments.fees import percent_of
from haat.payments.models import (
    IdempotencyKey,
    MobileProvider,
    PayoutKind,
    PayoutMethod,
    Withdrawal,
    WithdrawalStatus,
)
from haat.staff import audit
from haat.staff.roles import Role, has_role
from haat.web.money import format_money

logger = logging.getLogger(__name__)

PERMISSION = "payments.process_withdrawals"
MAX_ACTIVE_METHODS = 10
MAX_REFERENCE_LENGTH = 128
MAX_REASON_LENGTH = 2000
EMAIL_KINDS = frozenset({PayoutKind.PAYONEER, PayoutKind.PAYPAL})
_BD_MOBILE = re.compile(r"01[3-9][0-9]{8}", re.ASCII)


# --- Payout methods -------------------------------------------------------------------------------------------


def _text(errors: dict[str, str], field: str, value: object, max_length: int, missing: str) -> str:
    """A required one-line text value, stripped; puts a message for ``field`` in ``errors`` when it is not."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        errors[field] = missing
    elif len(text) > max_length:
        errors[field] = _("At most %(n)d characters, please.") % {"n": max_length}
    elif not text.isprintable():
        errors[field] = _("This contains characters that are not allowed (such as line breaks).")
    return text


def normalise_email(value: object) -> str:
    """A payout e-mail address, stripped and with its domain in lower case. Raises ``ValidationError``."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError(_("Enter the e-mail address of the account."))
    try:
        validate_email(text)
    except ValidationError as exc:
        raise ValidationError(_("Enter a valid e-mail address, e.g. name@example.com.")) from exc
    if len(text) > 254:
        raise ValidationError(_("The e-mail address is too long."))
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalise_account_number(value: object) -> str:
    """A bank account number without spaces or dashes: 6 to 20 digits. Raises ``ValidationError``."""
    text = value if isinstance(value, str) else ""
    digits = re.sub(r"[\s-]", "", text)
    if not digits:
        raise ValidationError(_("Enter the account number."))
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError(_("An account number may contain only digits (spaces and dashes are ignored)."))
    if not 6 <= len(digits) <= 20:
        raise ValidationError(_("An account number has 6 to 20 digits."))
    return digits


def normalise_mobile_number(value: object) -> str:
    """A Bangladeshi mobile number as ``01XXXXXXXXX``; accepts ``+8801…``, ``8801…`` and ``01…``.

    Spaces and dashes are ignored. Raises ``ValidationError`` for anything else.
    """
    text = value if isinstance(value, str) else ""
    number = re.sub(r"[\s-]", "", text)
    if number.startswith("+88"):
        number = number[3:]
    elif number.startswith("88") and len(number) == 13:
        number = number[2:]
    if not number:
        raise ValidationError(_("Enter the mobile number."))
    if not _BD_MOBILE.fullmatch(number):
        raise ValidationError(
            _(
                "Enter a Bangladeshi mobile number: 11 digits starting with 01, e.g. 01712345678 or +8801712345678."
            )
        )
    return number


def _method_fields(kind: str, data: dict[str, Any]) -> dict[str, str]:
    """The validated, normalised detail fields of a payout method of ``kind``; the other fields stay blank."""
    errors: dict[str, str] = {}
    fields: dict[str, str] = {}
    if kind in EMAIL_KINDS:
        try:
            fields["email"] = normalise_email(data.get("email"))
        except ValidationError as exc:
            errors["email"] = exc.messages[0]
    elif kind == PayoutKind.BANK:
        fields["account_name"] = _text(
            errors, "account_name", data.get("account_name"), 120, _("Enter the account holder's name.")
        )
        try:
            fields["account_number"] = normalise_account_number(data.get("account_number"))
        except ValidationError as exc:
            errors["account_number"] = exc.messages[0]
        fields["bank_name"] = _text(
            errors, "bank_name", data.get("bank_name"), 120, _("Enter the name of the bank.")
        )
        fields["branch"] = _text(
            errors, "branch", data.get("branch"), 60, _("Enter the branch name or routing code.")
        )
    elif kind == PayoutKind.MOBILE_MONEY:
        provider = data.get("mobile_provider")
        if provider not in MobileProvider.values:
            errors["mobile_provider"] = _("Choose bKash or Nagad.")
        else:
            fields["mobile_provider"] = provider
        try:
            fields["mobile_number"] = normalise_mobile_number(data.get("mobile_number"))
        except ValidationError as exc:
            errors["mobile_number"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return fields


def _check_kind(kind: object) -> str:
    if kind not in PayoutKind.values:
        raise ValidationError({"kind": _("Choose Payoneer, bank account, mobile money or PayPal.")})
    if kind not in settings.HAAT_PAYOUTS:
        raise ValidationError({"kind": _("This site does not pay out by this method.")})
    assert isinstance(kind, str)
    return kind


_IDENTITY = {
    PayoutKind.PAYONEER: ("email",),
    PayoutKind.PAYPAL: ("email",),
    PayoutKind.BANK: ("account_number", "bank_name"),
    PayoutKind.MOBILE_MONEY: ("mobile_provider", "mobile_number"),
}


@transaction.atomic
def add_payout_method(
    *,
    user: User,
    kind: str,
    email: str = "",
    account_name: str = "",
    account_number: str = "",
    bank_name: str = "",
    branch: str = "",
    mobile_provider: str = "",
    mobile_number: str = "",
) -> PayoutMethod:
    """Save a payout method for ``user`` after validating the details its kind needs.

    Fields that do not belong to the kind are ignored. Raises ``ValidationError`` keyed by field (and adds
    nothing) when a detail is missing or malformed, when the same method is already active, or when the user
    already has ``MAX_ACTIVE_METHODS`` active methods. The user is e-mailed, so a stranger who got into the
    account cannot quietly redirect their payouts.
    """
    kind = _check_kind(kind)
    fields = _method_fields(
        kind,
        {
            "email": email,
            "account_name": account_name,
            "account_number": account_number,
            "bank_name": bank_name,
            "branch": branch,
            "mobile_provider": mobile_provider,
            "mobile_number": mobile_number,
        },
    )
    active = PayoutMethod.objects.filter(user=user, is_active=True)
    identity = {name: fields[name] for name in _IDENTITY[PayoutKind(kind)]}
    lookup = {f"{name}__iexact" if name == "email" else name: value for name, value in identity.items()}
    if active.filter(kind=kind, **lookup).exists():
        raise ValidationError({next(iter(identity)): _("You already have this payout method.")})
    if active.count() >= MAX_ACTIVE_METHODS:
        raise ValidationError(
            {
                "kind": _("You can have at most %(n)d payout methods; remove one first.")
                % {"n": MAX_ACTIVE_METHODS}
            }
        )
    method = PayoutMethod(user=user, kind=kind, **fields)
    method.full_clean()
    method.save()
    transaction.on_commit(partial(_mail_method_added, method.pk), robust=True)
    return method


@transaction.atomic
def deactivate_payout_method(*, user: User, method_id: int) -> PayoutMethod:
    """Stop offering one of the user's payout methods (kept for the withdrawals that used it).

    Raises ``PayoutMethod.DoesNotExist`` for unknown ids and other users' methods alike. Deactivating an
    inactive method changes nothing. Withdrawals already requested to it are still paid there.
    """
    if not 0 < method_id <= MAX_AMOUNT:
        raise PayoutMethod.DoesNotExist
    method = PayoutMethod.objects.select_for_update().get(pk=method_id, user=user)
    if method.is_active:
        method.is_active = False
        method.save(update_fields=["is_active"])
    return method


def payout_methods_of(user: User) -> QuerySet[PayoutMethod]:
    """The user's active payout methods, newest first."""
    return PayoutMethod.objects.filter(user=user, is_active=True)


def method_details(method: PayoutMethod) -> dict[str, str]:
    """Every detail finance needs to send the money (shown to finance staff only)."""
    if method.kind in EMAIL_KINDS:
        return {"email": method.email}
    if method.kind == PayoutKind.BANK:
        return {
            "account_name": method.account_name,
            "account_number": method.account_number,
            "bank_name": method.bank_name,
            "branch": method.branch,
        }
    return {"mobile_provider": method.mobile_provider, "mobile_number": method.mobile_number}


# --- Fees and quotes ------------------------------------------------------------------------------------------


def _per_currency(table: object, currency: str, default: int) -> int:
    if not isinstance(table, dict):
        return default
    value = table.get(currency, table.get("*", default))
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"HAAT_PAYOUTS has a bad amount for {currency}: {value!r}")
    return value


def _config(kind: str) -> dict[str, Any]:
    config = settings.HAAT_PAYOUTS.get(kind)
    if config is None:
        raise ValidationError({"payout_method_id": _("This site no longer pays out by this method.")})
    return dict(config)


def withdrawal_fee(kind: str, amount: int, currency: str) -> int:
    """The fee for withdrawing ``amount`` by ``kind``: ``fee_bps`` of it (half-even) plus the fixed fee."""
    config = _config(kind)
    return percent_of(amount, int(config.get("fee_bps", 0))) + _per_currency(
        config.get("fixed_fee"), currency, 0
    )


def withdrawal_minimum(kind: str, currency: str) -> int:
    """The smallest amount that may be withdrawn by ``kind`` in ``currency`` (at least one minor unit)."""
    return max(1, _per_currency(_config(kind).get("minimum"), currency, 1))


@dataclass(frozen=True)
class WithdrawalQuote:
    """What a withdrawal would cost: ``amount`` arrives, ``total`` (amount + fee) leaves the wallet."""

    method: PayoutMethod
    amount: int
    fee: int
    currency: str
    minimum: int
    available: int

    @property
    def total(self) -> int:
        return self.amount + self.fee

    @property
    def available_after(self) -> int:
        return self.available - self.total


def available_balance(user: User, currency: str) -> int:
    """What the user's wallet in ``currency`` holds now, minus holds (0 if they have none; creates nothing)."""
    account = ledger_selectors.user_accounts(user.pk, AccountKind.WALLET).filter(currency=currency).first()
    return ledger_selectors.balance(account).available if account is not None else 0


def available_balances(user: User) -> dict[str, int]:
    """The user's available wallet balance per currency (only currencies they have a wallet in)."""
    return {
        account.currency: ledger_selectors.balance(account).available
        for account in ledger_selectors.user_accounts(user.pk, AccountKind.WALLET).order_by("currency")
    }


def _check_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError(
            {"amount": _("The amount must be a whole number of minor units (cents, paisa).")}
        )
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({"amount": _("The amount is too large.")})
    return amount


def _check_currency(currency: object) -> str:
    if not isinstance(currency, str) or currency not in settings.HAAT_CURRENCIES:
        raise ValidationError(
            {
                "currency": _("“%(value)s” is not a currency this site uses; choose one of %(choices)s.")
                % {"value": str(currency)[:10], "choices": ", ".join(settings.HAAT_CURRENCIES)}
            }
        )
    return currency


def _own_active_method(user: User, method_id: object, *, lock: bool) -> PayoutMethod:
    if isinstance(method_id, bool) or not isinstance(method_id, int) or not 0 < method_id <= MAX_AMOUNT:
        method = None
    else:
        methods = PayoutMethod.objects.select_for_update() if lock else PayoutMethod.objects.all()
        method = methods.filter(pk=method_id, user=user, is_active=True).first()
    if method is None:
        raise ValidationError({"payout_method_id": _("Choose one of your active payout methods.")})
    return method


def _quote(
    user: User, payout_method_id: object, amount: object, currency: object, *, lock: bool
) -> WithdrawalQuote:
    amount = _check_amount(amount)
    currency = _check_currency(currency)
    method = _own_active_method(user, payout_method_id, lock=lock)
    minimum = withdrawal_minimum(method.kind, currency)
    if amount < minimum:
        raise ValidationError(
            {
                "amount": _("The smallest withdrawal by %(method)s is %(minimum)s.")
                % {"method": method.get_kind_display(), "minimum": format_money(minimum, currency)}
            }
        )
    fee = withdrawal_fee(method.kind, amount, currency)
    if amount + fee > MAX_AMOUNT:
        raise ValidationError({"amount": _("The amount is too large.")})
    available = available_balance(user, currency)
    if amount + fee > available:
        raise ValidationError(
            {
                "amount": _(
                    "The amount plus the fee (%(total)s) is more than your available balance (%(available)s)."
                )
                % {
                    "total": format_money(amount + fee, currency),
                    "available": format_money(available, currency),
                }
            }
        )
    return WithdrawalQuote(
        method=method, amount=amount, fee=fee, currency=currency, minimum=minimum, available=available
    )


def quote_withdrawal(
    *, user: User, payout_method_id: object, amount: object, currency: object
) -> WithdrawalQuote:
    """Check a withdrawal as ``request_withdrawal`` would and return its fee, without holding anything.

    Raises ``ValidationError`` keyed by ``amount``, ``currency`` or ``payout_method_id``.
    """
    return _quote(user, payout_method_id, amount, currency, lock=False)


# --- Requesting -----------------------------------------------------------------------------------------------


def _request_hash(payout_method_id: object, amount: object, currency: object) -> str:
    return hashlib.sha256(f"{payout_method_id}\0{amount}\0{currency}".encode()).hexdigest()


def _earlier_request(user: User, once_key: str, request_hash: str) -> Withdrawal | None:
    earlier = IdempotencyKey.objects.filter(user=user, key=once_key).first()
    if earlier is None:
        return None
    if earlier.request_hash != request_hash or earlier.path != "withdrawal":
        raise ValidationError(_("This form was already submitted with different details; start again."))
    return Withdrawal.objects.get(pk=int(bytes(earlier.response_body)), user=user)


@ledger_services.retry_on_conflict()
def request_withdrawal(
    *, user: User, payout_method_id: object, amount: object, currency: object, once_key: str | None = None
) -> Withdrawal:
    """Ask for ``amount`` (minor units) of the wallet in ``currency`` to be paid out by one of the user's
    active payout methods, and hold ``amount + fee`` at once.

    The amount must be at least the method's minimum, and amount plus fee at most the available balance (the
    ledger's floor check under its row lock is the real guard against two requests racing). ``once_key``
    (from a web form) makes a second submission of the same form return the first withdrawal. Raises
    ``ValidationError`` keyed by ``amount``, ``currency`` or ``payout_method_id``; then nothing is held.
    The user and finance staff are e-mailed after the transaction commits.
    """
    moderation.ensure_may_withdraw(user)  # a fraud suspension waits for finance; others still withdraw
    request_hash = _request_hash(payout_method_id, amount, currency)
    try:
        with transaction.atomic():
            if once_key and (earlier := _earlier_request(user, once_key, request_hash)) is not None:
                return earlier
            quote = _quote(user, payout_method_id, amount, currency, lock=True)
            withdrawal = Withdrawal.objects.create(
                user=user,
                payout_method=quote.method,
                amount=quote.amount,
                fee=quote.fee,
                currency=quote.currency,
            )
            try:
                operations.hold_withdrawal(
                    withdrawal_id=withdrawal.pk,
                    user=user,
                    method=quote.method.kind,
                    amount=quote.amount,
                    fee=quote.fee,
                    currency=quote.currency,
                )
            except ledger_services.InsufficientFunds as exc:
                raise ValidationError(
                    {"amount": _("Your available balance is too low for this amount plus the fee.")}
                ) from exc
            if once_key:
                IdempotencyKey.objects.create(
                    user=user,
                    key=once_key,
                    method="FORM",
                    path="withdrawal",
                    request_hash=request_hash,
                    status_code=201,
                    response_body=str(withdrawal.pk).encode(),
                    content_type="text/plain",
                )
            transaction.on_commit(partial(_mail_requested, withdrawal.pk), robust=True)
            return withdrawal
    except IntegrityError:
        # The same form was submitted twice at once and the other submission won: show its withdrawal.
        if once_key and (earlier := _earlier_request(user, once_key, request_hash)) is not None:
            return earlier
        raise


def withdrawals_of(user: User) -> QuerySet[Withdrawal]:
    """The user's withdrawals, newest first."""
    return Withdrawal.objects.filter(user=user).select_related("payout_method")


def withdrawal_of(user: User, withdrawal_id: int) -> Withdrawal:
    """One of the user's withdrawals; ``Withdrawal.DoesNotExist`` for unknown ids and other users' alike."""
    if not 0 < withdrawal_id <= MAX_AMOUNT:
        raise Withdrawal.DoesNotExist
    return withdrawals_of(user).get(pk=withdrawal_id)


# --- Finance --------------------------------------------------------------------------------------------------


class WithdrawalStateError(ValidationError):
    """The withdrawal has already been decided differently (the API answers 409 Conflict)."""


class Action(enum.StrEnum):
    MARK_PAID = "mark_paid"
    REJECT = "reject"


# The whole state machine: (status now, action) → status after. Anything else is refused.
TRANSITIONS: dict[tuple[str, Action], str] = {
    (WithdrawalStatus.REQUESTED, Action.MARK_PAID): WithdrawalStatus.PAID,
    (WithdrawalStatus.REQUESTED, Action.REJECT): WithdrawalStatus.REJECTED,
}


def can_process_withdrawals(user: Any) -> bool:
    """Finance staff: the finance role (``payments.process_withdrawals``, by group or directly; superusers
    have every role)."""
    return has_role(user, Role.FINANCE)


def _require_finance(user: Any) -> None:
    if not can_process_withdrawals(user):
        raise PermissionDenied(_("Only finance staff may process withdrawals."))


def payout_queue(staff: User) -> QuerySet[Withdrawal]:
    """Withdrawals waiting for payment, oldest first (finance only: raises ``PermissionDenied``)."""
    _require_finance(staff)
    return (
        Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED)
        .select_related("user", "payout_method")
        .order_by("created_at", "pk")
    )


def _refusal(withdrawal: Withdrawal, action: Action) -> str:
    if withdrawal.status == WithdrawalStatus.PAID:
        if action == Action.MARK_PAID:
            return _("This withdrawal was already marked paid with reference “%(reference)s”.") % {
                "reference": withdrawal.payment_reference
            }
        return _("This withdrawal was already paid; it can no longer be rejected.")
    if withdrawal.status == WithdrawalStatus.REJECTED:
        if action == Action.REJECT:
            return _("This withdrawal was already rejected with another reason.")
        return _("This withdrawal was rejected and its money returned; it can no longer be paid.")
    return _("This withdrawal cannot be changed in its current state.")


@ledger_services.retry_on_conflict()
def _decide(*, staff: User, withdrawal_id: int, action: Action, note: str) -> Withdrawal:
    _require_finance(staff)
    if not 0 < withdrawal_id <= MAX_AMOUNT:
        raise Withdrawal.DoesNotExist
    with transaction.atomic():
        withdrawal = (
            Withdrawal.objects.select_for_update()
            .select_related("payout_method", "user")
            .get(pk=withdrawal_id)
        )
        if withdrawal.user_id == staff.pk:
            # Separation of duties: nobody pays out (or turns down) their own money.
            raise PermissionDenied(
                _("You cannot decide on your own withdrawal; ask another member of finance staff.")
            )
        target = TRANSITIONS.get((withdrawal.status, action))
        if target is None:
            recorded = (
                withdrawal.payment_reference if action == Action.MARK_PAID else withdrawal.rejection_reason
            )
            if withdrawal.status == TRANSITIONS[(WithdrawalStatus.REQUESTED, action)] and recorded == note:
                return withdrawal  # the same decision again (a retry, a double click): nothing more happens
            raise WithdrawalStateError({"status": _refusal(withdrawal, action)})
        if action == Action.MARK_PAID:
            operations.settle_withdrawal(withdrawal_id=withdrawal.pk)
            withdrawal.payment_reference = note
        else:
            operations.cancel_withdrawal(withdrawal_id=withdrawal.pk)
            withdrawal.rejection_reason = note
        withdrawal.status = target
        withdrawal.decided_by = staff
        withdrawal.decided_at = timezone.now()
        withdrawal.save(
            update_fields=["status", "payment_reference", "rejection_reason", "decided_by", "decided_at"]
        )
        audit.record(
            actor=staff,
            action=f"withdrawal.{action.value}",
            target_type="withdrawal",
            target_id=withdrawal.pk,
            reason=note,
            user=withdrawal.user_id,
            amount=withdrawal.amount,
            fee=withdrawal.fee,
            currency=withdrawal.currency,
            method=withdrawal.payout_method.kind,
        )
        transaction.on_commit(partial(_mail_decided, withdrawal.pk), robust=True)
        return withdrawal


def _note(value: object, field: str, max_length: int, missing: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({field: missing})
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters, please.") % {"n": max_length}})
    if "\0" in text:
        raise ValidationError({field: _("This text contains characters that are not allowed.")})
    return text


def mark_paid(*, staff: User, withdrawal_id: int, reference: object) -> Withdrawal:
    """Finance sent the money: record the payment reference and post the held transfers.

    Only from ``requested``; marking it paid again with the same reference changes nothing. Written to the
    audit log. Raises ``PermissionDenied`` (not finance, or the staff member's own withdrawal),
    ``Withdrawal.DoesNotExist`` or ``ValidationError``.
    """
    text = _note(reference, "reference", MAX_REFERENCE_LENGTH, _("Enter the payment reference."))
    if not text.isprintable():
        raise ValidationError({"reference": _("A payment reference is one line of text.")})
    return _decide(staff=staff, withdrawal_id=withdrawal_id, action=Action.MARK_PAID, note=text)


def reject(*, staff: User, withdrawal_id: int, reason: object) -> Withdrawal:
    """Finance will not pay: record the reason (the user reads it) and void the holds, so the money is back.

    Only from ``requested``; rejecting again with the same reason changes nothing. Written to the audit log.
    Raises ``PermissionDenied`` (not finance, or the staff member's own withdrawal),
    ``Withdrawal.DoesNotExist`` or ``ValidationError``.
    """
    text = _note(reason, "reason", MAX_REASON_LENGTH, _("Tell the user why the withdrawal is rejected."))
    return _decide(staff=staff, withdrawal_id=withdrawal_id, action=Action.REJECT, note=text)


# --- E-mail ---------------------------------------------------------------------------------------------------


def finance_staff() -> QuerySet[User]:
    """Active users who may process withdrawals: by their own permission, a group's, or as superusers."""
    app_label, codename = PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    rule = Q(is_superuser=True)
    if permission is not None:
        rule |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    return User.objects.filter(rule, is_active=True).distinct().order_by("pk")


def _link(name: str) -> str:
    return getattr(settings, "HAAT_BASE_URL", "").rstrip("/") + reverse(name)


def _signature() -> str:
    return _("— %(site)s") % {"site": settings.HAAT_SITE_NAME}


def _amounts(withdrawal: Withdrawal) -> dict[str, str]:
    return {
        "amount": format_money(withdrawal.amount, withdrawal.currency),
        "fee": format_money(withdrawal.fee, withdrawal.currency),
        "total": format_money(withdrawal.amount + withdrawal.fee, withdrawal.currency),
        "method": str(withdrawal.payout_method),
    }


def _mail_method_added(method_id: int) -> None:
    method = PayoutMethod.objects.select_related("user").get(pk=method_id)

    def compose() -> tuple[str, str]:
        values = {
            "method": str(method),
            "site": settings.HAAT_SITE_NAME,
            "link": _link("payments:payout-method-list"),
        }
        subject = _("A payout method was added to your account")
        body = (
            _(
                "Hello,\n\nThe payout method %(method)s was just added to your %(site)s account. If this was not "
                "you, remove it at %(link)s, change your password and contact us.\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(method.user, compose)


def _mail_requested(withdrawal_id: int) -> None:
    withdrawal = Withdrawal.objects.select_related("user", "payout_method").get(pk=withdrawal_id)

    def to_user() -> tuple[str, str]:
        values = _amounts(withdrawal)
        subject = _("Withdrawal request received: %(amount)s") % values
        body = (
            _(
                "Hello,\n\nWe received your request to withdraw %(amount)s to %(method)s. The fee is %(fee)s, so "
                "%(total)s is set aside from your wallet until our finance team sends the payment.\n\n"
                "We will e-mail you again when it is paid.\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    def to_finance() -> tuple[str, str]:
        values = {
            **_amounts(withdrawal),
            "user": withdrawal.user.email,
            "id": withdrawal.pk,
            "link": _link("payments:payout-queue"),
        }
        subject = _("New withdrawal #%(id)s to pay: %(amount)s") % values
        body = (
            _(
                "%(user)s asked to withdraw %(amount)s (fee %(fee)s) to %(method)s. The money is held in the "
                "ledger.\n\nPay or reject it in the payout queue: %(link)s\n"
            )
            % values
        )
        return subject, f"{body}\n{_signature()}\n"

    _send(withdrawal.user, to_user)
    for staff in finance_staff():
        try:
            _send(staff, to_finance)
        except Exception:  # one bad address must not stop the others
            logger.exception("Could not e-mail finance user %s about withdrawal %s", staff.pk, withdrawal.pk)


def _mail_decided(withdrawal_id: int) -> None:
    withdrawal = Withdrawal.objects.select_related("user", "payout_method").get(pk=withdrawal_id)

    def compose() -> tuple[str, str]:
        values = {
            **_amounts(withdrawal),
            "reference": withdrawal.payment_reference,
            "reason": withdrawal.rejection_reason,
        }
        if withdrawal.status == WithdrawalStatus.PAID:
            subject = _("Your withdrawal of %(amount)s was paid") % values
            body = (
                _(
                    "Hello,\n\nWe sent %(amount)s to %(method)s. Payment reference: %(reference)s\n\n"
                    "It may take a little while to show up with your provider.\n"
                )
                % values
            )
        else:
            subject = _("Your withdrawal of %(amount)s was rejected") % values
            body = (
                _(
                    "Hello,\n\nWe could not pay your withdrawal of %(amount)s to %(method)s.\n\nReason: %(reason)s"
                    "\n\nThe %(total)s we held is back in your wallet.\n"
                )
                % values
            )
        return subject, f"{body}\n{_signature()}\n"

    _send(withdrawal.user, compose)
