"""The dashboard: each contract says what it is waiting for, to the buyer and to the freelancer, and the
earnings and spending charts sum the right transfers per month in the user's time zone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from haat.accounts.models import Profile, User
from haat.contracts import services
from haat.contracts.models import Contract, Milestone
from haat.contracts.tests.test_timeline import default_fees, make_contract, zip_upload  # noqa: F401
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors

pytestmark = pytest.mark.django_db
_deposits = iter(range(50_000, 60_000))


def dashboard(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    html: str = response.content.decode()
    assert "style=" not in html
    return html


def waiting(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", text).replace("&#x27;", "'")
        for text in re.findall(r'<span class="waiting">(.*?)</span>', html)
    ]


def fund(contract: Contract) -> Milestone:
    operations.credit_deposit(
        deposit_id=next(_deposits), user=contract.buyer, gateway="sandbox", amount=50_000, currency="USD"
    )
    milestone = Milestone.objects.get(contract=contract)
    services.fund_milestone(user=contract.buyer, milestone_id=milestone.pk)
    return milestone


def test_each_side_sees_what_the_contract_waits_for(client: Client) -> None:
    contract = make_contract()
    buyer, worker = contract.buyer, contract.freelancer
    assert waiting(dashboard(client, buyer)) == ["Waiting for your funding"]
    assert waiting(dashboard(client, worker)) == ["Waiting for the buyer to fund the escrow"]

    milestone = fund(contract)
    assert waiting(dashboard(client, buyer)) == ["Waiting for the freelancer's delivery"]
    assert waiting(dashboard(client, worker)) == ["Waiting for your delivery"]

    services.deliver(user=worker, milestone_id=milestone.pk, upload=zip_upload(), note="v1")
    assert waiting(dashboard(client, buyer)) == ["Waiting for your review of version 1"]
    assert waiting(dashboard(client, worker)) == ["Waiting for the buyer's review of version 1"]

    services.request_changes(user=buyer, milestone_id=milestone.pk, comment="Bigger logo")
    assert waiting(dashboard(client, buyer)) == ["Waiting for the freelancer's changes to version 1"]
    assert waiting(dashboard(client, worker)) == ["Waiting for your changes to version 1"]

    services.deliver(user=worker, milestone_id=milestone.pk, upload=zip_upload(), note="v2")
    assert waiting(dashboard(client, buyer)) == ["Waiting for your review of version 2"]

    services.ask_cancellation(user=worker, milestone_id=milestone.pk, reason="Out of time")
    assert waiting(dashboard(client, buyer)) == ["Waiting for your answer to a cancellation request"]
    assert waiting(dashboard(client, worker)) == [
        "Waiting for the other side to answer your cancellation request"
    ]
    services.answer_cancellation(user=buyer, request_id=milestone.cancellation_requests.get().pk, agree=False)

    services.accept(user=buyer, milestone_id=milestone.pk)
    html = dashboard(client, buyer)
    assert waiting(html) == ["Completed"]
    assert reverse("contracts:contract-timeline", args=[contract.pk]) in html
    assert ledger_selectors.verify().ok


def test_the_buyer_and_freelancer_lists_are_separate(client: Client) -> None:
    contract = make_contract()
    html = dashboard(client, contract.buyer)
    buying = html.split('id="buying-contracts"')[1].split("</section>")[0]
    freelancing = html.split('id="freelancing-contracts"')[1].split("</section>")[0]
    assert contract.job.title in buying and "No contracts as a freelancer yet." in freelancing


def test_the_freelancer_of_a_large_contract_sees_the_report_due(client: Client, settings: Any) -> None:
    settings.HAAT_LARGE_CONTRACT_PRICE = {"*": 1}
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):  # a Monday
        contract = make_contract()
        fund(contract)
        html = dashboard(client, contract.freelancer)
        assert re.search(r'<span class="badge">Report due Friday \d+ March</span>', html)
        assert "Report due" not in dashboard(client, contract.buyer)


def _month_rows(html: str, section: str) -> dict[str, str]:
    part = html.split(f'id="{section}"')[1].split("</section>")[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="amount">(.*?)</td></tr>', part)
    return dict(rows)


def test_the_charts_sum_each_month_in_the_users_time_zone(client: Client) -> None:
    first, second = make_contract(), make_contract()
    Profile.objects.filter(user=first.freelancer).update(time_zone="Asia/Dhaka")  # UTC+6
    Profile.objects.filter(user=first.buyer).update(time_zone="America/Los_Angeles")  # UTC−8

    with time_machine.travel(dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        m1 = fund(first)
        services.deliver(user=first.freelancer, milestone_id=m1.pk, upload=zip_upload())
    with time_machine.travel(dt.datetime(2026, 1, 31, 20, 0, tzinfo=dt.UTC), tick=False):
        # 1 February 02:00 in Dhaka: the freelancer's February. Still 31 January 12:00 in Los Angeles.
        services.accept(user=first.buyer, milestone_id=m1.pk)
    with time_machine.travel(dt.datetime(2026, 2, 1, 6, 0, tzinfo=dt.UTC), tick=False):
        # 31 January 22:00 in Los Angeles: the buyer's January.
        fund(second)

    with time_machine.travel(dt.datetime(2026, 2, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        html = dashboard(client, first.freelancer)
        earnings = _month_rows(html, "earnings")
        assert list(earnings)[-2:] == ["January 2026", "February 2026"]
        assert len(earnings) == 12 and next(iter(earnings)) == "March 2025"
        assert earnings["January 2026"] == "US$0.00"
        assert earnings["February 2026"] == "US$180.00"  # 200.00 − 10 % fee
        assert 'role="img"' in html and "<title" in html and "Earnings per month (USD)" in html

        buyer_html = dashboard(client, first.buyer)
        spending = _month_rows(buyer_html, "spending")
        assert spending["January 2026"] == "US$206.00"  # price + 3 % buyer fee
        assert spending["February 2026"] == "US$0.00"
        assert "No earnings in the last 12 months yet." in buyer_html

        other_buyer = dashboard(client, second.buyer)
        assert _month_rows(other_buyer, "spending")["February 2026"] == "US$206.00"  # UTC: February

    with time_machine.travel(dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC), tick=False):
        # A deposit is neither earning nor spending; the earlier month keeps its sum.
        operations.credit_deposit(
            deposit_id=next(_deposits), user=first.buyer, gateway="sandbox", amount=1_000, currency="USD"
        )
        html = dashboard(client, first.freelancer)
        assert _month_rows(html, "earnings")["February 2026"] == "US$180.00"
        assert _month_rows(html, "earnings")["March 2026"] == "US$0.00"


def test_two_months_of_earnings_each_keep_their_own_sum(client: Client) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC), tick=False):
        contract = make_contract()
        due = contract.deadline
        first, second = services.split_milestones(
            user=contract.buyer,
            contract_id=contract.pk,
            plan=[
                services.MilestonePlan(title="Design", amount=5_000, due_at=due),
                services.MilestonePlan(title="Build", amount=15_000, due_at=due),
            ],
        )
        operations.credit_deposit(
            deposit_id=next(_deposits), user=contract.buyer, gateway="sandbox", amount=50_000, currency="USD"
        )
        services.fund_milestone(user=contract.buyer, milestone_id=first.pk)
        services.deliver(user=contract.freelancer, milestone_id=first.pk, upload=zip_upload())
        services.accept(user=contract.buyer, milestone_id=first.pk)
    with time_machine.travel(dt.datetime(2026, 2, 9, 12, 0, tzinfo=dt.UTC), tick=False):
        services.fund_milestone(user=contract.buyer, milestone_id=second.pk)
        services.deliver(user=contract.freelancer, milestone_id=second.pk, upload=zip_upload())
        services.accept(user=contract.buyer, milestone_id=second.pk)
        earnings = _month_rows(dashboard(client, contract.freelancer), "earnings")
        spending = _month_rows(dashboard(client, contract.buyer), "spending")
    assert earnings["January 2026"] == "US$45.00"  # 50.00 − 10 %
    assert earnings["February 2026"] == "US$135.00"  # 150.00 − 10 %
    assert earnings["December 2025"] == "US$0.00"
    assert spending["January 2026"] == "US$51.50"  # 50.00 + 3 %
    assert spending["February 2026"] == "US$154.50"  # 150.00 + 3 %
    assert ledger_selectors.verify().ok
