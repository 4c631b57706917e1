"""Reads for the wallet: balances per currency and the statement with a running balance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from haat.accounts.models import User
from haat.ledger import selectors as ledger
from haat.ledger.models import Account, AccountKind, TransferCode


@dataclass(frozen=True)
class WalletBalance:
    currency: str
    available: int  # spendable or withdrawable now
    held: int  # held for withdrawals waiting for payment
    pending_clearance: int  # released earnings that have not cleared yet
    in_escrow: int  # paid into escrow by this user as buyer, not yet released or refunded


def _escrows_funded_by(wallet: Account) -> list[Account]:
    return list(
        Account.objects.filter(
            kind=AccountKind.ESCROW, credits__debit_account=wallet, credits__code=TransferCode.ESCROW_FUNDING
        )
        .distinct()
        .order_by("pk")
    )


def wallet_balances(user: User) -> list[WalletBalance]:
    """One line per currency the user has ever held (never creates accounts)."""
    currencies = sorted(set(ledger.user_accounts(user.pk).values_list("currency", flat=True)))
    result = []
    for currency in currencies:
        wallet = ledger.find_account(AccountKind.WALLET, f"user:{user.pk}", currency)
        clearing = ledger.find_account(AccountKind.CLEARING, f"user:{user.pk}", currency)
        wallet_balance = ledger.balance(wallet) if wallet else None
        in_escrow = sum(ledger.balance(e).posted for e in _escrows_funded_by(wallet)) if wallet else 0
        result.append(
            WalletBalance(
                currency=currency,
                available=wallet_balance.available if wallet_balance else 0,
                held=wallet_balance.held if wallet_balance else 0,
                pending_clearance=ledger.balance(clearing).posted if clearing else 0,
                in_escrow=in_escrow,
            )
        )
    return result


def statement(
    user: User, currency: str, *, since: dt.date | None = None, until: dt.date | None = None
) -> Iterator[ledger.StatementLine]:
    """The wallet's posted movements between two dates (inclusive, in the current time zone), oldest first."""
    wallet = ledger.find_account(AccountKind.WALLET, f"user:{user.pk}", currency)
    if wallet is None:
        return iter(())
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(since, dt.time.min, tzinfo=zone) if since else None
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone) if until else None
    return ledger.statement(wallet, since=start, until=end)


def currencies() -> list[str]:
    return list(settings.HAAT_CURRENCIES)
