"""The contract timeline: every step of a funded → delivered → changed → accepted milestone in order with the
exact amounts, parties only, and a fixed number of queries however long the contract runs."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import PASSWORD, make_user
from haat.contracts import services
from haat.contracts.models import Contract, Milestone, MissedReport, StatusReport, VaultAccess, VaultEntry
from haat.contracts.timeline import Event, timeline
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors
from haat.messaging.models import Message, Thread, ThreadKind
from haat.payments.models import FeeSchedule
from haat.reputation.models import Review

pytestmark = pytest.mark.django_db

PRICE = 20_000  # US$200.00 at buyer 3 % (600) and freelancer 10 % (2 000)
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def default_fees() -> None:
    FeeSchedule.objects.filter(currency="USD").delete()
    FeeSchedule.objects.update_or_create(
        currency="*",
        defaults={
            "buyer_fee_bps": 300,
            "freelancer_fee_bps": 1000,
            "small_contract_fee_bps": 1500,
            "small_contract_threshold": 0,
        },
    )


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def later(clock: Any, minutes: int = 10) -> None:
    clock.shift(dt.timedelta(minutes=minutes))


def make_contract() -> Contract:
    n = next(_ids)
    buyer = make_user(f"buyer{n}@example.com")
    worker = freelancer(f"worker{n}@example.com", "Karim")
    job = make_job(buyer)
    bid = bid_on(job, worker, amount=PRICE)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    contract = bid_services.accept_award(freelancer=worker, bid_id=bid.pk)
    return Contract.objects.select_related("buyer__profile", "freelancer__profile", "job").get(pk=contract.pk)


def zip_upload() -> SimpleUploadedFile:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("site/index.html", "<h1>Hello</h1>")
    return SimpleUploadedFile("work.zip", data.getvalue(), content_type="application/zip")


def say(contract: Contract, user: User, body: str) -> Message:
    thread = Thread.objects.get(contract=contract, kind=ThreadKind.CONTRACT)
    return Message.objects.create(thread=thread, sender=user, body=body)


def full_project(clock: Any) -> tuple[Contract, Milestone]:
    """Award → fund → message → deliver → changes → deliver → accept, ten minutes apart."""
    contract = make_contract()
    buyer, worker = contract.buyer, contract.freelancer
    milestone = Milestone.objects.get(contract=contract)
    operations.credit_deposit(
        deposit_id=9000 + contract.pk, user=buyer, gateway="sandbox", amount=50_000, currency="USD"
    )
    later(clock)
    services.fund_milestone(user=buyer, milestone_id=milestone.pk)
    later(clock)
    say(contract, worker, "Starting now. " + "x" * 300)
    later(clock)
    services.deliver(user=worker, milestone_id=milestone.pk, upload=zip_upload(), note="First cut")
    later(clock)
    services.request_changes(user=buyer, milestone_id=milestone.pk, comment="Make the logo bigger")
    later(clock)
    services.deliver(user=worker, milestone_id=milestone.pk, upload=zip_upload(), note="Bigger logo")
    later(clock)
    services.accept(user=buyer, milestone_id=milestone.pk)
    later(clock)
    return contract, milestone


def summary(events: list[Event]) -> list[tuple[str, str, int | None]]:
    return [(e.kind, e.title, e.amount) for e in events]


def test_a_whole_milestone_reads_in_order_with_the_exact_amounts(clock: Any) -> None:
    contract, milestone = full_project(clock)
    events = timeline(contract)

    assert [e.kind for e in events] == [
        "created",
        "payment",
        "payment",
        "funded",
        "message",
        "delivery",
        "change_request",
        "delivery",
        "payment",
        "payment",
        "accepted",
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    payments = [(e.title, e.amount, e.amount_text) for e in events if e.kind == "payment"]
    assert payments == [
        ("Escrow funded by the buyer", 20_000, "US$200.00"),
        ("Buyer fee to the site", 600, "US$6.00"),
        ("Paid to the freelancer", 18_000, "US$180.00"),
        ("Freelancer fee to the site", 2_000, "US$20.00"),
    ]
    created, funded, accepted = events[0], events[3], events[-1]
    assert created.amount == PRICE and created.actor == contract.buyer.profile.public_name
    assert funded.amount == PRICE
    assert accepted.amount == 18_000 + 2_000  # released from escrow: the freelancer's pay and the fee
    message = events[4]
    assert (
        message.actor == "Karim" and len(message.detail) <= 120 and message.detail.startswith("Starting now.")
    )
    deliveries = [e for e in events if e.kind == "delivery"]
    assert [d.title for d in deliveries] == [
        f"Version 1 delivered for “{milestone.title}”",
        f"Version 2 delivered for “{milestone.title}”",
    ]
    assert not any(d.late for d in deliveries)
    assert events[6].detail == "Make the logo bigger"
    assert ledger_selectors.verify().ok


def test_reports_vault_reviews_and_refusals_show_but_never_a_secret(clock: Any) -> None:
    contract, _m = full_project(clock)
    entry = VaultEntry.objects.create(
        contract=contract, label="Production DB", ciphertext="gAAAA-secret-cipher", created_by=contract.buyer
    )
    VaultAccess.objects.create(entry=entry, user=contract.freelancer, action=VaultAccess.Action.READ)
    StatusReport.objects.create(
        contract=contract,
        week_ending=dt.date(2026, 3, 6),
        done="Wireframes",
        next_steps="Build",
        percent_complete=30,
    )
    MissedReport.objects.create(
        contract=contract, week_ending=dt.date(2026, 2, 27), deadline=START - dt.timedelta(days=3)
    )
    hidden = Review.objects.create(
        contract=contract,
        author=contract.buyer,
        subject=contract.freelancer,
        quality=5,
        communication=4,
        deadlines=5,
        text="Hidden until both are in",
    )
    later(clock)
    Review.objects.create(
        contract=contract,
        author=contract.freelancer,
        subject=contract.buyer,
        quality=4,
        communication=5,
        deadlines=4,
        text="Clear brief",
        published_at=START + dt.timedelta(hours=3),
    )
    clock.shift(dt.timedelta(hours=4))

    events = timeline(contract)
    kinds = [e.kind for e in events]
    vault = next(e for e in events if e.kind == "vault")
    assert vault.title == "Vault entry “Production DB” read" and vault.actor == "Karim"
    assert not any("secret-cipher" in f"{e.title} {e.detail}" for e in events)
    report = next(e for e in events if e.kind == "report")
    assert "30% complete" in report.title and report.detail == "Wireframes"
    missed = next(e for e in events if e.kind == "missed_report")
    assert missed.late and "1000 ranking points" in missed.detail
    reviews = [e for e in events if e.kind == "review"]
    assert len(reviews) == 1 and "Clear brief" in reviews[0].detail  # the blind review stays hidden
    assert "Hidden until both are in" not in str(events) and hidden.published_at is None
    assert kinds.index("review") == len(kinds) - 1


def test_the_page_and_the_api_are_for_the_two_parties_only(clock: Any, client: Client) -> None:
    contract, _m = full_project(clock)
    url = reverse("contracts:contract-timeline", args=[contract.pk])
    assert url == f"/contracts/{contract.pk}/timeline/"

    assert client.get(url).status_code == 302  # to the login page
    for party in (contract.buyer, contract.freelancer):
        client.force_login(party)
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert (
            "Paid to the freelancer" in html
            and "US$180.00" in html
            and "Changes requested on version 1" in html
        )
        assert "style=" not in html
    stranger = make_user("nosy@example.com")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(reverse("contracts:contract-timeline", args=[contract.pk + 999])).status_code == 404

    token = account_services.create_api_token(user=contract.buyer, name="t").secret
    body = client.get(
        f"/api/v1/contracts/{contract.pk}/timeline", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert body["contract_id"] == contract.pk
    assert [e["kind"] for e in body["events"]][:4] == ["created", "payment", "payment", "funded"]
    assert body["events"][1]["amount"] == 20_000 and body["events"][1]["currency"] == "USD"
    other = account_services.create_api_token(user=stranger, name="t").secret
    answer = client.get(f"/api/v1/contracts/{contract.pk}/timeline", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/problem+json"
    assert client.login(email=stranger.email, password=PASSWORD)


def _count_queries(contract: Contract) -> int:
    fresh = Contract.objects.select_related("buyer__profile", "freelancer__profile").get(pk=contract.pk)
    with CaptureQueriesContext(connection) as captured:
        timeline(fresh)
    return len(captured)


def test_a_longer_timeline_takes_the_same_number_of_queries(clock: Any) -> None:
    contract, _m = full_project(clock)
    StatusReport.objects.create(
        contract=contract, week_ending=dt.date(2026, 3, 6), done="a", next_steps="b", percent_complete=10
    )
    entry = VaultEntry.objects.create(
        contract=contract, label="SSH", ciphertext="x", created_by=contract.buyer
    )
    VaultAccess.objects.create(entry=entry, user=contract.buyer, action=VaultAccess.Action.CREATE)
    short = _count_queries(contract)
    before = len(timeline(contract))

    for week in range(2, 8):
        later(clock)
        say(contract, contract.buyer, f"Question {week}")
        say(contract, contract.freelancer, f"Answer {week}")
        StatusReport.objects.create(
            contract=contract,
            week_ending=dt.date(2026, 3, 6) + dt.timedelta(weeks=week),
            done="more",
            next_steps="more",
            percent_complete=10 * week,
        )
        MissedReport.objects.create(
            contract=contract,
            week_ending=dt.date(2026, 3, 6) + dt.timedelta(weeks=week + 10),
            deadline=START,
        )
        VaultAccess.objects.create(entry=entry, user=contract.freelancer, action=VaultAccess.Action.READ)

    assert len(timeline(contract)) == before + 6 * 5
    assert _count_queries(contract) == short
