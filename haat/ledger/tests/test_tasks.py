"""The periodic ledger tasks and the scheduler that enqueues them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from haat.accounts.models import User
from haat.ledger import operations, selectors, services, tasks
from haat.web import periodic

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings: object) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]


def _release(buyer: User, freelancer: User, key: str) -> None:
    operations.credit_deposit(
        deposit_id=ord(key[0]), user=buyer, gateway="sandbox", amount=10_000, currency="USD"
    )
    operations.fund_escrow(
        key=key, buyer=buyer, escrow_reference=f"contract:{key}", price=10_000, buyer_fee=0, currency="USD"
    )
    operations.release_escrow(
        key=key,
        escrow_reference=f"contract:{key}",
        freelancer=freelancer,
        amount=10_000,
        freelancer_fee=1_000,
        currency="USD",
    )


def test_earnings_clear_after_the_clearance_period(user: User, other_user: User, settings: object) -> None:
    settings.HAAT_CLEARANCE_DAYS = 5  # type: ignore[attr-defined]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _release(user, other_user, "a")
    wallet, clearing = services.wallet(other_user, "USD"), services.clearing(other_user, "USD")
    with time_machine.travel(start + dt.timedelta(days=4, hours=23), tick=False):
        assert tasks.clear_earnings.call() == 0
        assert selectors.balance(clearing).posted == 9_000
    with time_machine.travel(start + dt.timedelta(days=5, minutes=1), tick=False):
        assert tasks.clear_earnings.call() == 1
        assert tasks.clear_earnings.call() == 0  # idempotent
    assert selectors.balance(wallet).available == 9_000
    assert selectors.balance(clearing).posted == 0
    assert selectors.verify().ok


def test_scheduler_enqueues_due_tasks_once_per_interval(
    immediate_tasks: None, user: User, other_user: User
) -> None:
    _release(user, other_user, "b")
    last_run: dict[str, float] = {}
    assert periodic.enqueue_due(last_run, now=1_000_000.0) == [path for path, _ in periodic.PERIODIC_TASKS]
    assert periodic.enqueue_due(last_run, now=1_000_030.0) == []
    assert periodic.enqueue_due(last_run, now=1_000_060.0) == ["haat.ledger.tasks.roll_up_hot_accounts"]
    # The roll-up ran (through the task backend): the revenue account's row now holds the fee.
    revenue = services.platform_revenue("USD")
    revenue.refresh_from_db()
    assert revenue.credits_posted == 1_000
    assert selectors.verify().ok
