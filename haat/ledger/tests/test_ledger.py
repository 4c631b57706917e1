"""Rules of the ledger, and attempts to break them."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from haat.accounts.models import User
from haat.ledger import selectors, services
from haat.ledger.models import Account, HotDelta, Transfer, TransferCode
from haat.ledger.services import InsufficientFunds, InvalidTransfer, TransferSpec

pytestmark = pytest.mark.django_db


def _deposit(user: User, amount: int, currency: str = "USD", key: object = None) -> Transfer:
    return services.post_transfer(
        TransferSpec(
            id=services.transfer_id("test-deposit", key if key is not None else uuid.uuid4()),
            debit=services.gateway_clearing("sandbox", currency),
            credit=services.wallet(user, currency),
            amount=amount,
            code=TransferCode.DEPOSIT,
        )
    )


def _snapshot() -> tuple[list[tuple[int, int, int, int, int]], int, int]:
    """Every non-empty account's totals and the number of transfers (an empty new account moves nothing)."""
    accounts = [
        row
        for row in Account.objects.order_by("pk").values_list(
            "pk", "debits_pending", "debits_posted", "credits_pending", "credits_posted"
        )
        if any(row[1:])
    ]
    return accounts, Transfer.objects.count(), HotDelta.objects.count()


def _available(account: Account) -> int:
    return selectors.balance(account).available


def test_deposit_credits_wallet_and_verifies(user: User) -> None:
    _deposit(user, 12_345)
    assert _available(services.wallet(user, "USD")) == 12_345
    assert selectors.balance(services.gateway_clearing("sandbox", "USD")).posted == -12_345
    assert selectors.verify().ok


def test_same_transfer_id_applies_once(user: User) -> None:
    first = _deposit(user, 500, key="once")
    again = _deposit(user, 500, key="once")
    assert again.pk == first.pk
    assert _available(services.wallet(user, "USD")) == 500
    assert Transfer.objects.count() == 1


def test_reusing_an_id_for_a_different_movement_is_refused(user: User) -> None:
    _deposit(user, 500, key="k")
    before = _snapshot()
    with pytest.raises(services.DuplicateTransferMismatch):
        _deposit(user, 501, key="k")
    assert _snapshot() == before


def test_batch_is_all_or_nothing(user: User, other_user: User) -> None:
    _deposit(user, 1_000)
    wallet, escrow = services.wallet(user, "USD"), services.escrow("contract:1", "USD")
    before = _snapshot()
    with pytest.raises(InsufficientFunds):
        services.post_transfers(
            [
                TransferSpec(uuid.uuid4(), wallet, escrow, 900, TransferCode.ESCROW_FUNDING),
                TransferSpec(
                    uuid.uuid4(), wallet, services.platform_revenue("USD"), 200, TransferCode.BUYER_FEE
                ),
            ]
        )
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "greater than zero"),
        (-1, "greater than zero"),
        (1.5, "whole number"),
        (True, "whole number"),
        ("100", "whole number"),
        (2**63, "too large"),
        (10**30, "too large"),
    ],
)
def test_bad_amounts_are_refused(user: User, amount: object, message: str) -> None:
    before = _snapshot()
    with pytest.raises(InvalidTransfer, match=message):
        _deposit(user, amount)
    assert _snapshot() == before


def test_currencies_never_mix(user: User) -> None:
    usd = services.wallet(user, "USD")
    bdt = services.escrow("contract:9", "BDT")
    before = _snapshot()
    with pytest.raises(InvalidTransfer, match="Currencies do not match"):
        services.post_transfer(TransferSpec(uuid.uuid4(), usd, bdt, 1, TransferCode.ESCROW_FUNDING))
    assert _snapshot() == before


@pytest.mark.parametrize("currency", ["usd", "US", "DOLLARS", "12A", ""])
def test_bad_currency_codes_are_refused(user: User, currency: str) -> None:
    with pytest.raises(InvalidTransfer, match="ISO 4217"):
        services.wallet(user, currency)
    assert not Account.objects.exists()


def test_wallet_cannot_go_below_zero(user: User) -> None:
    _deposit(user, 100)
    wallet = services.wallet(user, "USD")
    before = _snapshot()
    with pytest.raises(InsufficientFunds):
        services.post_transfer(
            TransferSpec(
                uuid.uuid4(), wallet, services.escrow("contract:2", "USD"), 101, TransferCode.ESCROW_FUNDING
            )
        )
    assert _snapshot() == before


def test_database_refuses_a_negative_floored_account_even_without_the_service(user: User) -> None:
    wallet = services.wallet(user, "USD")
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=wallet.pk).update(debits_posted=5)


def test_same_account_on_both_sides_is_refused(user: User) -> None:
    wallet = services.wallet(user, "USD")
    with pytest.raises(InvalidTransfer, match="two different accounts"):
        services.post_transfer(TransferSpec(uuid.uuid4(), wallet, wallet, 1, TransferCode.DEPOSIT))


def test_pending_hold_then_post(user: User) -> None:
    _deposit(user, 1_000)
    wallet = services.wallet(user, "USD")
    payout = services.payout_clearing("bkash", "USD")
    hold = services.post_transfer(
        TransferSpec(uuid.uuid4(), wallet, payout, 600, TransferCode.WITHDRAWAL, pending=True)
    )
    assert _available(wallet) == 400
    assert selectors.balance(wallet).held == 600
    with pytest.raises(InsufficientFunds):  # the held money cannot be spent twice
        services.post_transfer(TransferSpec(uuid.uuid4(), wallet, payout, 401, TransferCode.WITHDRAWAL))
    posted = services.resolve_pending(hold.pk, post=True)
    assert services.resolve_pending(hold.pk, post=True).pk == posted.pk  # idempotent
    assert _available(wallet) == 400
    assert selectors.balance(wallet).held == 0
    with pytest.raises(InvalidTransfer, match="other way"):
        services.resolve_pending(hold.pk, post=False)
    assert selectors.verify().ok


def test_pending_hold_then_void_returns_the_money(user: User) -> None:
    _deposit(user, 1_000)
    wallet = services.wallet(user, "USD")
    hold = services.post_transfer(
        TransferSpec(
            uuid.uuid4(),
            wallet,
            services.payout_clearing("bank", "USD"),
            1_000,
            TransferCode.WITHDRAWAL,
            pending=True,
        )
    )
    assert _available(wallet) == 0
    services.resolve_pending(hold.pk, post=False)
    assert _available(wallet) == 1_000
    with pytest.raises(InvalidTransfer):
        services.resolve_pending(uuid.uuid4(), post=True)
    assert selectors.verify().ok


def test_hot_account_is_not_updated_in_place_until_rollup(user: User) -> None:
    _deposit(user, 1_000)
    revenue = services.platform_revenue("USD")
    services.post_transfer(
        TransferSpec(uuid.uuid4(), services.wallet(user, "USD"), revenue, 30, TransferCode.BUYER_FEE)
    )
    revenue.refresh_from_db()
    assert revenue.credits_posted == 0  # not touched: no lock taken on the hot row
    assert selectors.balance(revenue).posted == 30
    assert selectors.verify().ok
    assert services.roll_up_hot_accounts() == 2  # revenue's delta and the gateway's
    revenue.refresh_from_db()
    assert revenue.credits_posted == 30
    assert not HotDelta.objects.exists()
    assert selectors.balance(revenue).posted == 30
    assert selectors.verify().ok


def test_statement_has_running_balance(user: User) -> None:
    _deposit(user, 1_000)
    wallet = services.wallet(user, "USD")
    services.post_transfer(
        TransferSpec(
            uuid.uuid4(), wallet, services.escrow("contract:3", "USD"), 250, TransferCode.ESCROW_FUNDING
        )
    )
    _deposit(user, 100)
    lines = list(selectors.statement(wallet))
    assert [(line.amount, line.balance_after) for line in lines] == [(1_000, 1_000), (-250, 750), (100, 850)]


def test_verify_command_reports_tampering(user: User, capsys: pytest.CaptureFixture[str]) -> None:
    _deposit(user, 1_000)
    call_command("ledger", "verify")
    assert "no violations" in capsys.readouterr().out
    Account.objects.filter(kind="wallet").update(credits_posted=2_000)  # money made out of thin air
    with pytest.raises(CommandError, match="violation"):
        call_command("ledger", "verify")
    out = capsys.readouterr().out
    assert "differ from the sum of its transfers" in out
    assert "posted debits" in out
