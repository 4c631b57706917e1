"""The only code that moves money.

Rules (DESIGN.md §2 "Money"):
- amounts are positive integers in minor units, at most 2**63 - 1, and one transfer never mixes currencies;
- a batch of transfers is posted atomically (all or nothing);
- a transfer id applies once: posting the same id again returns the first transfer and moves nothing;
- floored accounts are locked in ascending id order (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
  IMMEDIATE transactions serialize writers) and checked after the whole batch is applied;
- hot accounts (no floor) are never locked: postings append ``HotDelta`` rows, rolled up later;
- a deadlock or serialization failure is retried a bounded number of times.
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from django.db import IntegrityError, OperationalError, transaction

from haat.accounts.models import User
from haat.ledger.models import (
    FLOORED_KINDS,
    HOT_KINDS,
    MAX_AMOUNT,
    Account,
    AccountKind,
    HotDelta,
    Phase,
    Transfer,
    TransferCode,
)

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class LedgerError(Exception):
    """A transfer was refused; nothing moved. ``str(error)`` is safe to show to the user."""


class InsufficientFunds(LedgerError):
    pass


class InvalidTransfer(LedgerError):
    pass


class DuplicateTransferMismatch(LedgerError):
    """A transfer id was reused for a different movement."""


@dataclass(frozen=True)
class TransferSpec:
    """One movement to post: ``amount`` leaves ``debit`` and arrives in ``credit``."""

    id: uuid.UUID
    debit: Account
    credit: Account
    amount: int
    code: str
    reference: str = ""
    pending: bool = False


def transfer_id(*parts: object) -> uuid.UUID:
    """A stable transfer id for a business event, e.g. ``transfer_id("deposit", 12)``.

    Deriving ids from what caused the movement makes retries and replayed webhooks idempotent.
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, "haat:" + ":".join(str(p) for p in parts))


def retry_on_conflict(attempts: int = 5) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Retry a whole transaction on deadlock / serialization failure (PostgreSQL) or lock timeout (SQLite)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except OperationalError as exc:
                    retryable = getattr(getattr(exc, "__cause__", None), "sqlstate", None) in {
                        "40001",
                        "40P01",
                    }
                    retryable = retryable or "database is locked" in str(exc)
                    if not retryable or attempt == attempts or transaction.get_connection().in_atomic_block:
                        raise
                    logger.warning("Retrying %s after %s (attempt %d)", func.__name__, exc, attempt)
                    time.sleep(0.01 * 2**attempt)  # back off before the retry; not a test timing device
            raise AssertionError("unreachable")

        return wrapper

    return decorate


# --- Accounts -----------------------------------------------------------------------------------------------


def _account(kind: AccountKind, reference: str, currency: str, owner: User | None = None) -> Account:
    currency = _check_currency(currency)
    defaults = {"owner": owner, "no_negative": kind in FLOORED_KINDS, "is_hot": kind in HOT_KINDS}
    try:
        with transaction.atomic():
            account, _ = Account.objects.get_or_create(
                kind=kind, reference=reference, currency=currency, defaults=defaults
            )
    except IntegrityError:  # created concurrently by another request
        account = Account.objects.get(kind=kind, reference=reference, currency=currency)
    return account


def wallet(user: User, currency: str) -> Account:
    """The user's spendable balance: deposits, refunds and cleared earnings."""
    return _account(AccountKind.WALLET, f"user:{user.pk}", currency, owner=user)


def clearing(user: User, currency: str) -> Account:
    """The user's released earnings that have not cleared yet."""
    return _account(AccountKind.CLEARING, f"user:{user.pk}", currency, owner=user)


def escrow(reference: str, currency: str) -> Account:
    """The escrow account of one contract (``reference`` like ``"contract:12"``)."""
    return _account(AccountKind.ESCROW, reference, currency)


def platform_revenue(currency: str) -> Account:
    return _account(AccountKind.PLATFORM_REVENUE, "platform", currency)


def gateway_clearing(gateway: str, currency: str) -> Account:
    """Money that came in through a payment gateway (its balance is what the gateway owes us: negative)."""
    return _account(AccountKind.GATEWAY_CLEARING, f"gateway:{gateway}", currency)


def payout_clearing(method: str, currency: str) -> Account:
    """Money on its way out through a payout method."""
    return _account(AccountKind.PAYOUT_CLEARING, f"payout:{method}", currency)


def _check_currency(currency: str) -> str:
    if (
        not isinstance(currency, str)
        or len(currency) != 3
        or not currency.isalpha()
        or not currency.isupper()
    ):
        raise InvalidTransfer(f"“{currency}” is not an ISO 4217 currency code.")
    return currency


# --- Posting -------------------------------------------------------------------------------------------------


def _validate(spec: TransferSpec) -> None:
    if isinstance(spec.amount, bool) or not isinstance(spec.amount, int):
        raise InvalidTransfer("An amount must be a whole number of minor units.")
    if spec.amount <= 0:
        raise InvalidTransfer("An amount must be greater than zero.")
    if spec.amount > MAX_AMOUNT:
        raise InvalidTransfer("The amount is too large.")
    if spec.debit.pk == spec.credit.pk:
        raise InvalidTransfer("A transfer needs two different accounts.")
    if spec.debit.currency != spec.credit.currency:
        raise InvalidTransfer(
            f"Currencies do not match: {spec.debit.currency} and {spec.credit.currency} cannot be mixed."
        )
    if spec.code not in TransferCode.values:
        raise InvalidTransfer(f"Unknown transfer code “{spec.code}”.")


def _same(existing: Transfer, spec: TransferSpec) -> bool:
    return (
        existing.debit_account_id == spec.debit.pk
        and existing.credit_account_id == spec.credit.pk
        and existing.amount == spec.amount
        and existing.code == spec.code
        and existing.phase == (Phase.PENDING if spec.pending else Phase.POSTED)
    )


def _already_posted(specs: Sequence[TransferSpec]) -> list[Transfer] | None:
    """The transfers of an earlier identical batch, ``None`` if none of the ids exist yet."""
    found = Transfer.objects.in_bulk([s.id for s in specs])
    if not found:
        return None
    if len(found) != len(specs) or not all(_same(found[s.id], s) for s in specs):
        raise DuplicateTransferMismatch("These transfer ids were already used for different transfers.")
    return [found[s.id] for s in specs]


# Column deltas, per account: (debits_pending, debits_posted, credits_pending, credits_posted).
_Delta = list[int]


def _apply(movements: Iterable[tuple[Account, Account, int, Phase]], transfers: Sequence[Transfer]) -> None:
    """Lock floored accounts in id order, apply the totals, check floors, and record hot deltas."""
    deltas: dict[int, _Delta] = defaultdict(lambda: [0, 0, 0, 0])
    accounts: dict[int, Account] = {}
    for debit, credit, amount, phase in movements:
        accounts[debit.pk], accounts[credit.pk] = debit, credit
        d, c = deltas[debit.pk], deltas[credit.pk]
        if phase == Phase.PENDING:
            d[0] += amount
            c[2] += amount
        elif phase == Phase.POSTED:
            d[1] += amount
            c[3] += amount
        elif phase == Phase.POST_PENDING:
            d[0] -= amount
            d[1] += amount
            c[2] -= amount
            c[3] += amount
        else:  # VOID_PENDING
            d[0] -= amount
            c[2] -= amount

    cold_ids = sorted(pk for pk, account in accounts.items() if not account.is_hot)
    # A fixed lock order (ascending id) means two batches can never wait on each other in a cycle.
    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=cold_ids).order_by("pk")}
    for pk in cold_ids:
        account = locked[pk]
        dp, dpo, cp, cpo = deltas[pk]
        account.debits_pending += dp
        account.debits_posted += dpo
        account.credits_pending += cp
        account.credits_posted += cpo
        if account.no_negative and account.debits_posted + account.debits_pending > account.credits_posted:
            raise InsufficientFunds("Not enough money in the account for this.")
        if (
            min(
                account.debits_pending, account.debits_posted, account.credits_pending, account.credits_posted
            )
            < 0
        ):
            raise InvalidTransfer("The transfer would corrupt the account totals.")
        if (
            max(
                account.debits_posted + account.debits_pending,
                account.credits_posted + account.credits_pending,
            )
            > MAX_AMOUNT
        ):
            raise InvalidTransfer("The account would exceed the largest amount the ledger can hold.")
        account.save(update_fields=["debits_pending", "debits_posted", "credits_pending", "credits_posted"])

    hot_rows = []
    by_transfer_account: dict[tuple[uuid.UUID, int], _Delta] = {}
    for transfer in transfers:
        for account_id, is_debit in ((transfer.debit_account_id, True), (transfer.credit_account_id, False)):
            if not accounts[account_id].is_hot:
                continue
            row = by_transfer_account.setdefault((transfer.pk, account_id), [0, 0, 0, 0])
            offset = 0 if is_debit else 2
            if transfer.phase == Phase.PENDING:
                row[offset] += transfer.amount
            elif transfer.phase == Phase.POSTED:
                row[offset + 1] += transfer.amount
            elif transfer.phase == Phase.POST_PENDING:
                row[offset] -= transfer.amount
                row[offset + 1] += transfer.amount
            else:
                row[offset] -= transfer.amount
    for (transfer_pk, account_id), (dp, dpo, cp, cpo) in by_transfer_account.items():
        hot_rows.append(
            HotDelta(
                account_id=account_id,
                transfer_id=transfer_pk,
                debits_pending=dp,
                debits_posted=dpo,
                credits_pending=cp,
                credits_posted=cpo,
            )
        )
    HotDelta.objects.bulk_create(hot_rows)


@retry_on_conflict()
def post_transfers(specs: Sequence[TransferSpec]) -> list[Transfer]:
    """Post a batch of transfers atomically and return them.

    Idempotent: if the batch's ids were posted before (with the same accounts, amounts and codes), the earlier
    transfers are returned and nothing moves. Raises ``InsufficientFunds``, ``InvalidTransfer`` or
    ``DuplicateTransferMismatch``; on any error nothing is posted.
    """
    if not specs:
        raise InvalidTransfer("Nothing to post.")
    if len({s.id for s in specs}) != len(specs):
        raise InvalidTransfer("A batch may not repeat a transfer id.")
    for spec in specs:
        _validate(spec)
    try:
        with transaction.atomic():
            if (earlier := _already_posted(specs)) is not None:
                return earlier
            transfers = [
                Transfer(
                    id=s.id,
                    debit_account=s.debit,
                    credit_account=s.credit,
                    amount=s.amount,
                    currency=s.debit.currency,
                    code=s.code,
                    phase=Phase.PENDING if s.pending else Phase.POSTED,
                    reference=s.reference,
                )
                for s in specs
            ]
            Transfer.objects.bulk_create(transfers)
            _apply(
                ((s.debit, s.credit, s.amount, Phase.PENDING if s.pending else Phase.POSTED) for s in specs),
                transfers,
            )
            return transfers
    except IntegrityError:
        # The same ids were committed by a concurrent call between our check and our insert.
        if (earlier := _already_posted(specs)) is not None:
            return earlier
        raise


def post_transfer(spec: TransferSpec) -> Transfer:
    """Post a single transfer (see ``post_transfers``)."""
    return post_transfers([spec])[0]


@retry_on_conflict()
def resolve_pending(pending_id: uuid.UUID, *, post: bool, resolution_id: uuid.UUID | None = None) -> Transfer:
    """Post (``post=True``) or void a pending transfer; returns the resolving transfer.

    Idempotent: resolving an already resolved transfer the same way returns the earlier resolution; resolving
    it the other way raises ``InvalidTransfer``.
    """
    phase = Phase.POST_PENDING if post else Phase.VOID_PENDING
    try:
        with transaction.atomic():
            pending = (
                Transfer.objects.select_related("debit_account", "credit_account")
                .filter(pk=pending_id)
                .first()
            )
            if pending is None or pending.phase != Phase.PENDING:
                raise InvalidTransfer("No such pending transfer.")
            existing = Transfer.objects.filter(pending=pending).first()
            if existing is not None:
                if existing.phase != phase:
                    raise InvalidTransfer("This pending transfer was already resolved the other way.")
                return existing
            resolution = Transfer(
                id=resolution_id or transfer_id(phase, pending.pk),
                debit_account=pending.debit_account,
                credit_account=pending.credit_account,
                amount=pending.amount,
                currency=pending.currency,
                code=pending.code,
                phase=phase,
                pending=pending,
                reference=pending.reference,
            )
            resolution.save(force_insert=True)
            _apply([(pending.debit_account, pending.credit_account, pending.amount, phase)], [resolution])
            return resolution
    except IntegrityError:
        existing = Transfer.objects.filter(pending_id=pending_id).first()
        if existing is not None and existing.phase == phase:
            return existing
        raise


@retry_on_conflict()
def roll_up_hot_accounts() -> int:
    """Fold hot accounts' pending deltas into their totals. Safe to run at any time, by any number of workers.

    Returns how many deltas were folded. Deltas of transactions not yet committed are invisible here and are
    picked up by a later run, so nothing is counted twice or lost.
    """
    folded = 0
    for account_id in HotDelta.objects.values_list("account_id", flat=True).distinct().order_by("account_id"):
        with transaction.atomic():
            account = Account.objects.select_for_update().get(pk=account_id)
            rows = list(HotDelta.objects.select_for_update().filter(account_id=account_id).order_by("pk"))
            if not rows:
                continue
            account.debits_pending += sum(r.debits_pending for r in rows)
            account.debits_posted += sum(r.debits_posted for r in rows)
            account.credits_pending += sum(r.credits_pending for r in rows)
            account.credits_posted += sum(r.credits_posted for r in rows)
            account.save(
                update_fields=["debits_pending", "debits_posted", "credits_pending", "credits_posted"]
            )
            HotDelta.objects.filter(pk__in=[r.pk for r in rows]).delete()
            folded += len(rows)
    return folded
