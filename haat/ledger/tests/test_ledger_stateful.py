"""Random sequences of deposits, fundings, releases, refunds, clearances, withdrawals and rejections.

After every step, every ledger invariant holds (``selectors.verify``) and every balance equals a simple model
kept by the test. Replays of earlier steps (same ids) must change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from haat.accounts.models import User
from haat.conftest import make_user
from haat.ledger import operations, selectors, services
from haat.ledger.models import Account, HotDelta, Transfer
from haat.ledger.services import InsufficientFunds

amounts = st.integers(min_value=1, max_value=10**9)
CURRENCY = "USD"


class LedgerMachine(RuleBasedStateMachine):
    contracts = Bundle("contracts")
    withdrawals = Bundle("withdrawals")

    @initialize()
    def setup(self) -> None:
        HotDelta.objects.all().delete()
        Transfer.objects.filter(pending__isnull=False).delete()
        Transfer.objects.all().delete()
        Account.objects.all().delete()
        User.objects.filter(email__endswith="@machine.test").delete()
        self.users = [make_user(f"u{i}@machine.test") for i in range(3)]
        self.wallet: dict[int, int] = defaultdict(int)  # available
        self.held: dict[int, int] = defaultdict(int)
        self.clearing: dict[int, int] = defaultdict(int)
        self.escrow: dict[str, int] = defaultdict(int)
        self.revenue = 0
        self.deposited = 0
        self.paid_out = 0
        self.counter = 0
        self.last_op: tuple[str, dict[str, object]] | None = None

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    @rule(who=st.integers(0, 2), amount=amounts)
    def deposit(self, who: int, amount: int) -> None:
        user = self.users[who]
        deposit_id = self._next()
        kwargs = {
            "deposit_id": deposit_id,
            "user": user,
            "gateway": "sandbox",
            "amount": amount,
            "currency": CURRENCY,
        }
        operations.credit_deposit(**kwargs)
        self.wallet[user.pk] += amount
        self.deposited += amount
        self.last_op = ("credit_deposit", kwargs)

    @rule(target=contracts, who=st.integers(0, 2), price=amounts, fee=st.integers(0, 10**7))
    def fund(self, who: int, price: int, fee: int) -> str:
        buyer = self.users[who]
        reference = f"contract:{self._next()}"
        kwargs = {
            "key": reference,
            "buyer": buyer,
            "escrow_reference": reference,
            "price": price,
            "buyer_fee": fee,
            "currency": CURRENCY,
        }
        if self.wallet[buyer.pk] < price + fee:
            with pytest.raises(InsufficientFunds):
                operations.fund_escrow(**kwargs)
            return reference
        operations.fund_escrow(**kwargs)
        self.wallet[buyer.pk] -= price + fee
        self.escrow[reference] += price
        self.revenue += fee
        self.last_op = ("fund_escrow", kwargs)
        return reference

    @rule(contract=contracts, who=st.integers(0, 2), part=st.floats(0.01, 1.0), fee_part=st.floats(0, 0.5))
    def release(self, contract: str, who: int, part: float, fee_part: float) -> None:
        available = self.escrow[contract]
        amount = max(1, int(available * part))
        fee = int(amount * fee_part)
        freelancer = self.users[who]
        kwargs = {
            "key": f"{contract}:{self._next()}",
            "escrow_reference": contract,
            "freelancer": freelancer,
            "amount": amount,
            "freelancer_fee": fee,
            "currency": CURRENCY,
        }
        if available < amount:
            with pytest.raises(InsufficientFunds):
                operations.release_escrow(**kwargs)
            return
        operations.release_escrow(**kwargs)
        self.escrow[contract] -= amount
        self.clearing[freelancer.pk] += amount - fee
        self.revenue += fee
        self.last_op = ("release_escrow", kwargs)

    @rule(contract=contracts, who=st.integers(0, 2), amount=amounts)
    def refund(self, contract: str, who: int, amount: int) -> None:
        buyer = self.users[who]
        kwargs = {
            "key": f"{contract}:{self._next()}",
            "escrow_reference": contract,
            "buyer": buyer,
            "amount": amount,
            "currency": CURRENCY,
        }
        if self.escrow[contract] < amount:
            with pytest.raises(InsufficientFunds):
                operations.refund_escrow(**kwargs)
            return
        operations.refund_escrow(**kwargs)
        self.escrow[contract] -= amount
        self.wallet[buyer.pk] += amount
        self.last_op = ("refund_escrow", kwargs)

    @rule()
    def clear(self) -> None:
        operations.clear_earnings(older_than=dt.timedelta(0))
        for user in self.users:
            self.wallet[user.pk] += self.clearing[user.pk]
            self.clearing[user.pk] = 0
        assert operations.clear_earnings(older_than=dt.timedelta(0)) == 0  # nothing clears twice

    @rule(target=withdrawals, who=st.integers(0, 2), amount=amounts, fee=st.integers(0, 1000))
    def withdraw(self, who: int, amount: int, fee: int) -> tuple[int, int, int, int]:
        user = self.users[who]
        withdrawal_id = self._next()
        kwargs = {
            "withdrawal_id": withdrawal_id,
            "user": user,
            "method": "bank",
            "amount": amount,
            "fee": fee,
            "currency": CURRENCY,
        }
        if self.wallet[user.pk] < amount + fee:
            with pytest.raises(InsufficientFunds):
                operations.hold_withdrawal(**kwargs)
            return (0, user.pk, 0, 0)
        operations.hold_withdrawal(**kwargs)
        self.wallet[user.pk] -= amount + fee
        self.held[user.pk] += amount + fee
        self.last_op = ("hold_withdrawal", kwargs)
        return (withdrawal_id, user.pk, amount, fee)

    @rule(withdrawal=consumes(withdrawals), paid=st.booleans())
    def decide(self, withdrawal: tuple[int, int, int, int], paid: bool) -> None:
        withdrawal_id, user_pk, amount, fee = withdrawal
        if not withdrawal_id:
            return
        if paid:
            operations.settle_withdrawal(withdrawal_id=withdrawal_id)
            operations.settle_withdrawal(withdrawal_id=withdrawal_id)  # a repeated decision changes nothing
            self.paid_out += amount
            self.revenue += fee
        else:
            operations.cancel_withdrawal(withdrawal_id=withdrawal_id)
            self.wallet[user_pk] += amount + fee
        self.held[user_pk] -= amount + fee

    @rule()
    def replay_last(self) -> None:
        """The same operation with the same ids again (a retried request or webhook): no effect."""
        if self.last_op is None:
            return
        name, kwargs = self.last_op
        getattr(operations, name)(**kwargs)

    @rule()
    def roll_up(self) -> None:
        services.roll_up_hot_accounts()

    @invariant()
    def books_balance(self) -> None:
        if not hasattr(self, "users"):
            return
        report = selectors.verify()
        assert report.ok, report.problems
        for user in self.users:
            wallet = selectors.balance(services.wallet(user, CURRENCY))
            assert wallet.available == self.wallet[user.pk]
            assert wallet.held == self.held[user.pk]
            assert selectors.balance(services.clearing(user, CURRENCY)).posted == self.clearing[user.pk]
        for reference, expected in self.escrow.items():
            assert selectors.balance(services.escrow(reference, CURRENCY)).posted == expected
        assert selectors.balance(services.platform_revenue(CURRENCY)).posted == self.revenue
        # Money is neither made nor lost: what came in is everywhere it should be.
        inside = sum(self.wallet.values()) + sum(self.held.values()) + sum(self.clearing.values())
        inside += sum(self.escrow.values()) + self.revenue
        assert inside + self.paid_out == self.deposited


@pytest.mark.django_db
def test_ledger_invariants_hold_for_random_histories() -> None:
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
