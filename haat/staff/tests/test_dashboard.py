"""The operator dashboard's figures against known data: escrow held, revenue per month (in the reader's time
zone), payouts waiting, open disputes and their age, new jobs and contracts per day; a fixed query count."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids.tests.test_bids import make_job
from haat.conftest import make_staff, make_user
from haat.disputes.models import DisputeStatus
from haat.ledger import operations
from haat.payments import withdrawals
from haat.staff import selectors
from haat.staff.roles import Role
from haat.staff.tests.helpers import PAYOUTS, fund, make_contract, open_dispute, request_withdrawal

pytestmark = pytest.mark.django_db

UTC = dt.UTC
DHAKA = zoneinfo.ZoneInfo("Asia/Dhaka")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> Any:
    """Freeze the clock at this UTC time."""
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=UTC), tick=False)


@pytest.fixture(autouse=True)
def _payouts(settings: Any) -> None:
    settings.HAAT_PAYOUTS = PAYOUTS


def _fund_escrow(buyer: User, key: str, price: int, fee: int, currency: str = "USD") -> None:
    operations.fund_escrow(
        key=key,
        buyer=buyer,
        escrow_reference=f"contract:{key}",
        price=price,
        buyer_fee=fee,
        currency=currency,
    )


@pytest.fixture
def books() -> dict[str, User]:
    """Known money movements over 14 months (amounts in minor units)."""
    buyer = make_user("buyer@example.com")
    worker = make_user("worker@example.com")
    finance = make_staff("finance@example.com", Role.FINANCE)
    fund(buyer, 100_000)
    fund(buyer, 200_000, "BDT")
    with at(2025, 10, 15, 12):  # 13 months ago: outside the 12-month window
        _fund_escrow(buyer, "old", 10_000, 300)
    with at(2026, 9, 10, 10):
        _fund_escrow(buyer, "a", 20_000, 600)
    with at(2026, 10, 5, 12):
        operations.release_escrow(
            key="a1",
            escrow_reference="contract:a",
            freelancer=worker,
            amount=5_000,
            freelancer_fee=500,
            currency="USD",
        )
    with at(2026, 10, 31, 20):  # October in UTC, already 1 November in Dhaka (UTC+6)
        _fund_escrow(buyer, "b", 30_000, 900)
    with at(2026, 11, 2, 9):
        _fund_escrow(buyer, "c", 100_000, 3_000, "BDT")
    with at(2026, 11, 15, 9):
        paid = request_withdrawal(worker, 4_000)  # fee 80, revenue once paid
        withdrawals.mark_paid(staff=finance, withdrawal_id=paid.pk, reference="PP-1")
        request_withdrawal(worker, 1_000)  # fee 20, still held: not revenue
        request_withdrawal(buyer, 2_500)  # fee 50, still held
    return {"buyer": buyer, "worker": worker, "finance": finance}


def test_escrow_totals_per_currency(books: dict[str, User]) -> None:
    # USD: 10,000 + 20,000 − 5,000 released + 30,000; BDT: 100,000.
    assert selectors.escrow_totals() == {"BDT": 100_000, "USD": 55_000}


def test_revenue_per_month_in_utc(books: dict[str, User]) -> None:
    months, revenue = selectors.revenue_per_month(zoneinfo.ZoneInfo("UTC"), now=NOW)
    assert months[0] == dt.date(2025, 12, 1) and months[-1] == dt.date(2026, 11, 1) and len(months) == 12
    usd = {month: total for month, total in revenue["USD"].items() if total}
    assert usd == {dt.date(2026, 9, 1): 600, dt.date(2026, 10, 1): 500 + 900, dt.date(2026, 11, 1): 80}
    assert {month: total for month, total in revenue["BDT"].items() if total} == {dt.date(2026, 11, 1): 3_000}


def test_revenue_months_follow_the_readers_time_zone(books: dict[str, User]) -> None:
    _months, revenue = selectors.revenue_per_month(DHAKA, now=NOW)
    usd = {month: total for month, total in revenue["USD"].items() if total}
    assert usd == {dt.date(2026, 9, 1): 600, dt.date(2026, 10, 1): 500, dt.date(2026, 11, 1): 900 + 80}


def test_payouts_waiting(books: dict[str, User]) -> None:
    assert [(w.currency, w.count, w.total) for w in selectors.payouts_waiting()] == [("USD", 2, 3_500)]


def test_open_disputes_with_their_age(user: User) -> None:
    with at(2026, 11, 10, 12):
        first = make_contract(user, "rahim@example.com")
        oldest = open_dispute(first)
    with at(2026, 11, 1, 12):
        closed = open_dispute(make_contract(user, "karim@example.com"), status=DisputeStatus.DECIDED)
    with at(2026, 11, 18, 6):
        newer = open_dispute(make_contract(user, "salma@example.com"), status=DisputeStatus.NEGOTIATION)
    summary = selectors.open_disputes(now=NOW)
    assert (summary.count, summary.in_arbitration) == (2, 1)
    assert summary.oldest == dt.timedelta(days=10)
    assert [(row.dispute, row.age_days) for row in summary.rows] == [(oldest, 10), (newer, 2)]
    assert closed not in [row.dispute for row in summary.rows]


def test_new_jobs_and_contracts_per_day(user: User) -> None:
    with at(2026, 10, 1, 12):  # more than 30 days ago
        make_job(user)
    with at(2026, 11, 19, 23, 30):  # 19 November in UTC, 20 November in Dhaka
        make_contract(user, "rahim@example.com")
    with at(2026, 11, 20, 8):
        make_job(user)
        make_job(user)
    days, jobs, contracts = selectors.new_per_day(zoneinfo.ZoneInfo("UTC"), now=NOW)
    assert (days[0], days[-1], len(days)) == (dt.date(2026, 10, 22), dt.date(2026, 11, 20), 30)
    assert {day: n for day, n in jobs.items() if n} == {dt.date(2026, 11, 19): 1, dt.date(2026, 11, 20): 2}
    assert {day: n for day, n in contracts.items() if n} == {dt.date(2026, 11, 19): 1}
    _days, jobs, contracts = selectors.new_per_day(DHAKA, now=NOW)
    assert {day: n for day, n in jobs.items() if n} == {dt.date(2026, 11, 20): 3}
    assert {day: n for day, n in contracts.items() if n} == {dt.date(2026, 11, 20): 1}


def _dashboard(client: Client) -> str:
    with at(2026, 11, 20, 12):
        response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_figures(client: Client, books: dict[str, User]) -> None:
    admin = make_staff("admin@example.com", Role.ADMIN)
    account_services.update_profile(user=admin, fields={"time_zone": "Asia/Dhaka"})
    with at(2026, 11, 19, 12):
        open_dispute(make_contract(books["buyer"], "rahim@example.com"))
    client.force_login(admin)
    client.cookies["haat_language"] = "en"
    html = _dashboard(client)
    assert "US$550.00" in html  # in escrow
    assert "US$35.00" in html and "2 withdrawals" in html  # waiting
    assert "November 2026: US$9.80" in html  # Dhaka months: 9.00 + 0.80
    assert "September 2026: US$6.00" in html
    assert "Asia/Dhaka" in html
    assert "Waiting for an arbiter" in html and "1 day" in html and "Build an online shop" in html
    assert "1 job in the last 30 days." in html and "1 contract in the last 30 days." in html
    assert html.count('<svg class="chart"') == 4  # revenue in USD and BDT, jobs, contracts


def test_the_page_costs_the_same_queries_with_more_data(client: Client, books: dict[str, User]) -> None:
    admin = make_staff("admin@example.com", Role.ADMIN)
    client.force_login(admin)
    with at(2026, 11, 19, 12):
        open_dispute(make_contract(books["buyer"], "rahim@example.com"))
    _dashboard(client)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        _dashboard(client)
    with at(2026, 11, 19, 13):
        for i in range(4):
            open_dispute(make_contract(books["buyer"], f"worker{i}@example.com"))
            _fund_escrow(books["buyer"], f"more{i}", 1_000, 30)
            request_withdrawal(books["worker"], 1_000 + i)
    with CaptureQueriesContext(connection) as many:
        _dashboard(client)
    assert len(many.captured_queries) == len(few.captured_queries)
