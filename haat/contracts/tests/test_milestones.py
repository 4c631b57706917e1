"""Milestones: split, funding with the fee shown first, delivery state, review (changes, acceptance, partial
acceptance), auto-acceptance, cancellation and refunds — the exact amounts at every step.

Every refusal is checked twice: a clear error, and the milestones and the ledger exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import make_user
from haat.contracts import services, tasks
from haat.contracts.models import (
    CancellationRequest,
    ChangeRequest,
    Contract,
    ContractStatus,
    Delivery,
    Milestone,
    MilestoneStatus,
)
from haat.ledger import operations
from haat.ledger import selectors as ledger_selectors
from haat.ledger import services as ledger_services
from haat.payments.models import FeeSchedule

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
PRICE = 20_000  # US$200.00; default fees: buyer 3 % = 600, freelancer 10 % = 2 000
_deposits = itertools.count(1)


# --- Helpers ----------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fake_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """The zip checks belong to the delivery part; here a delivery is a row with fake data."""

    def store(*, milestone: Milestone, upload: Any, note: str) -> Delivery:
        version = Delivery.objects.filter(milestone=milestone).count() + 1
        return Delivery.objects.create(
            milestone=milestone,
            version=version,
            file=f"deliveries/{milestone.contract_id}/fake{version}.zip",
            original_name=getattr(upload, "name", "work.zip"),
            size=10,
            sha256="0" * 64,
            entry_count=1,
            uncompressed_size=10,
            note=note,
        )

    monkeypatch.setattr("haat.contracts.deliveries.store_delivery", store)


class _SendAtOnce:
    """``django.db.transaction`` for the services module, with ``on_commit`` running the e-mail at once: the
    test's own transaction never commits, and the e-mails are what a user checks."""

    def __getattr__(self, name: str) -> Any:
        return getattr(transaction, name)

    @staticmethod
    def on_commit(func: Any, using: Any = None, robust: bool = False) -> None:
        func()


@pytest.fixture(autouse=True)
def send_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "transaction", _SendAtOnce())


@pytest.fixture(autouse=True)
def default_fees() -> None:
    """Buyer 3 %, freelancer 10 %, no small-contract rate, whatever the migrations seeded."""
    FeeSchedule.objects.filter(currency="USD").delete()
    set_fees(currency="*")


def set_fees(currency: str = "USD", **values: int) -> None:
    defaults = {
        "buyer_fee_bps": 300,
        "freelancer_fee_bps": 1000,
        "small_contract_fee_bps": 1500,
        "small_contract_threshold": 0,
    }
    FeeSchedule.objects.update_or_create(currency=currency, defaults={**defaults, **values})


def make_contract(price: int = PRICE) -> Contract:
    buyer = make_user(f"buyer{next(_deposits)}@example.com")
    worker = freelancer(f"worker{next(_deposits)}@example.com", "Rahim")
    job = make_job(buyer)
    bid = bid_on(job, worker, amount=price)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    return bid_services.accept_award(freelancer=worker, bid_id=bid.pk)


def deposit(user: User, amount: int) -> None:
    operations.credit_deposit(
        deposit_id=next(_deposits) + 10_000, user=user, gateway="sandbox", amount=amount, currency="USD"
    )


def wallet(user: User) -> int:
    return ledger_selectors.balance(ledger_services.wallet(user, "USD")).available


def clearing(user: User) -> int:
    return ledger_selectors.balance(ledger_services.clearing(user, "USD")).posted


def revenue() -> int:
    return ledger_selectors.balance(ledger_services.platform_revenue("USD")).posted


def escrow(contract: Contract) -> int:
    return ledger_selectors.balance(ledger_services.escrow(contract.escrow_reference, "USD")).posted


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


_keys = itertools.count(1)


def post(
    client: Client, user: User, path: str, body: dict[str, Any] | None = None, key: str | None = None
) -> Any:
    headers = bearer(user)
    headers["HTTP_IDEMPOTENCY_KEY"] = key or f"key-{next(_keys)}"
    return client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers)


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["detail"]
    return body


def state() -> tuple[object, ...]:
    """Every milestone, contract, request and ledger transfer: what "nothing changed" means here."""
    from haat.ledger.models import Transfer

    return (
        list(Milestone.objects.order_by("pk").values_list()),
        list(Contract.objects.order_by("pk").values_list("pk", "status", "started_at", "ended_at")),
        list(ChangeRequest.objects.order_by("pk").values_list()),
        list(CancellationRequest.objects.order_by("pk").values_list()),
        list(Delivery.objects.order_by("pk").values_list("pk", "version")),
        Transfer.objects.count(),
    )


def ok() -> bool:
    return ledger_selectors.verify().ok


def only_milestone(contract: Contract) -> Milestone:
    return Milestone.objects.get(contract=contract)


def deliver_api(client: Client, user: User, milestone: Milestone) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("work.zip", b"PK\x05\x06" + b"\0" * 18, content_type="application/zip")
    return client.post(
        f"/api/v1/milestones/{milestone.pk}/deliveries",
        {"file": upload, "note": "Here it is"},
        **bearer(user),
    )


def funded(contract: Contract) -> Milestone:
    deposit(contract.buyer, 100_000)
    milestone = only_milestone(contract)
    services.fund_milestone(user=contract.buyer, milestone_id=milestone.pk)
    milestone.refresh_from_db()
    return milestone


def delivered(contract: Contract) -> Milestone:
    milestone = funded(contract)
    services.deliver(user=contract.freelancer, milestone_id=milestone.pk, upload=None, note="v1")
    milestone.refresh_from_db()
    return milestone


# --- Creating the contract ------------------------------------------------------------------------------------


def test_award_creates_one_milestone_for_the_whole_price_and_locks_the_fees() -> None:
    set_fees(buyer_fee_bps=250, freelancer_fee_bps=800)
    contract = make_contract()
    milestone = only_milestone(contract)
    assert (milestone.amount, milestone.due_at, milestone.status) == (
        PRICE,
        contract.deadline,
        MilestoneStatus.AWAITING_FUNDING,
    )
    assert (contract.buyer_fee_bps, contract.freelancer_fee_bps) == (250, 800)


def test_small_contracts_lock_the_small_contract_rate() -> None:
    set_fees(small_contract_threshold=50_000, small_contract_fee_bps=1500)
    contract = make_contract()
    assert (contract.buyer_fee_bps, contract.freelancer_fee_bps) == (300, 1500)


# --- The whole money path -------------------------------------------------------------------------------------


def test_fund_deliver_change_deliver_accept_with_exact_amounts(client: Client) -> None:
    contract = make_contract()
    buyer, worker = contract.buyer, contract.freelancer
    milestone = only_milestone(contract)
    deposit(buyer, 25_000)

    quote = client.get(f"/api/v1/milestones/{milestone.pk}/fund-quote", **bearer(buyer)).json()
    assert quote == {
        "milestone_id": milestone.pk,
        "amount": 20_000,
        "buyer_fee": 600,
        "total": 20_600,
        "currency": "USD",
        "available": 25_000,
        "enough": True,
        "deposit_url": reverse("payments:deposit-new"),
    }

    response = post(client, buyer, f"/milestones/{milestone.pk}/fund")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "funded"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE and contract.started_at is not None
    assert (wallet(buyer), escrow(contract), revenue()) == (4_400, 20_000, 600)
    assert ok()
    assert any("is funded" in m.subject and m.to == [worker.email] for m in mail.outbox)

    response = deliver_api(client, worker, milestone)
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DELIVERED and milestone.delivered_at is not None
    assert any("delivered" in m.subject and m.to == [buyer.email] for m in mail.outbox)

    problem(post(client, buyer, f"/milestones/{milestone.pk}/request-changes", {"comment": "  "}), 422)
    response = post(client, buyer, f"/milestones/{milestone.pk}/request-changes", {"comment": "Bigger logo"})
    assert response.json()["status"] == "changes_requested"
    assert ChangeRequest.objects.get().comment == "Bigger logo"
    assert any("Bigger logo" in m.body and m.to == [worker.email] for m in mail.outbox)

    assert deliver_api(client, worker, milestone).json()["version"] == 2
    mail.outbox.clear()
    response = post(client, buyer, f"/milestones/{milestone.pk}/accept")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["accepted_percent"], body["released_amount"]) == ("accepted", 100, 20_000)
    # Freelancer credited price − 10 % into clearing; the platform holds both fees; escrow is empty.
    assert (clearing(worker), revenue(), escrow(contract), wallet(buyer)) == (18_000, 2_600, 0, 4_400)
    assert ok()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED and contract.ended_at is not None
    to_worker = next(m for m in mail.outbox if m.to == [worker.email])
    assert "US$180.00" in to_worker.body and "US$20.00" in to_worker.body
    assert any(m.to == [buyer.email] and "US$200.00" in m.body for m in mail.outbox)


def test_a_later_fee_change_does_not_touch_a_running_contract(client: Client) -> None:
    contract = make_contract()
    set_fees(buyer_fee_bps=1000, freelancer_fee_bps=2000)
    milestone = delivered(contract)
    assert (wallet(contract.buyer), revenue()) == (100_000 - 20_600, 600)
    post(client, contract.buyer, f"/milestones/{milestone.pk}/accept")
    assert (clearing(contract.freelancer), revenue()) == (18_000, 2_600)
    assert ok()


def test_not_enough_money_changes_nothing_and_links_to_deposit(client: Client) -> None:
    contract = make_contract()
    milestone = only_milestone(contract)
    deposit(contract.buyer, 20_599)
    before = state()
    body = problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/fund"), 422)
    assert reverse("payments:deposit-new") in body["detail"] and "US$206.00" in body["detail"]
    assert state() == before and wallet(contract.buyer) == 20_599 and ok()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_FUNDING and contract.started_at is None


def test_the_same_idempotency_key_funds_once(client: Client) -> None:
    contract = make_contract()
    milestone = only_milestone(contract)
    deposit(contract.buyer, 50_000)
    first = post(client, contract.buyer, f"/milestones/{milestone.pk}/fund", key="fund-once")
    second = post(client, contract.buyer, f"/milestones/{milestone.pk}/fund", key="fund-once")
    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true" and first.json() == second.json()
    assert wallet(contract.buyer) == 50_000 - 20_600 and escrow(contract) == 20_000 and ok()
    # A different key is a second attempt, refused by the state machine.
    problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/fund"), 409)
    assert wallet(contract.buyer) == 50_000 - 20_600 and ok()


def test_money_moving_calls_need_an_idempotency_key(client: Client) -> None:
    contract = make_contract()
    milestone = only_milestone(contract)
    deposit(contract.buyer, 50_000)
    response = client.post(f"/api/v1/milestones/{milestone.pk}/fund", **bearer(contract.buyer))
    problem(response, 400)
    assert escrow(contract) == 0


# --- Who may do what ------------------------------------------------------------------------------------------


def test_strangers_get_404_and_the_wrong_party_403(client: Client) -> None:
    contract = make_contract()
    stranger = make_user("stranger@example.com")
    milestone = funded(contract)
    asked = services.ask_cancellation(user=contract.buyer, milestone_id=milestone.pk)
    before = state()
    paths = [
        "/fund",
        "/request-funding",
        "/request-changes",
        "/accept",
        "/agree-partial",
        "/cancel",
        "/cancellation-requests",
    ]
    for path in paths:
        problem(post(client, stranger, f"/milestones/{milestone.pk}{path}", {"comment": "x"}), 404)
    problem(post(client, stranger, f"/cancellation-requests/{asked.pk}/answer", {"agree": True}), 404)
    problem(client.get(f"/api/v1/contracts/{contract.pk}/milestones", **bearer(stranger)), 404)
    problem(client.get(f"/api/v1/milestones/{milestone.pk}/fund-quote", **bearer(stranger)), 404)
    problem(deliver_api(client, stranger, milestone), 404)
    problem(
        client.put(
            f"/api/v1/contracts/{contract.pk}/milestones",
            json.dumps({"milestones": []}),
            content_type="application/json",
            **bearer(stranger),
        ),
        404,
    )
    # The wrong party: the buyer cannot deliver or agree for the freelancer, and vice versa.
    problem(deliver_api(client, contract.buyer, milestone), 403)
    problem(post(client, contract.freelancer, f"/milestones/{milestone.pk}/fund"), 403)
    problem(post(client, contract.buyer, f"/cancellation-requests/{asked.pk}/answer", {"agree": True}), 403)
    assert state() == before and ok()


def test_illegal_transitions_are_409(client: Client) -> None:
    contract = make_contract()
    milestone = only_milestone(contract)
    deposit(contract.buyer, 100_000)
    before = state()
    body = problem(deliver_api(client, contract.freelancer, milestone), 409)
    assert "not funded" in body["detail"]
    problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/accept"), 409)
    assert state() == before
    post(client, contract.buyer, f"/milestones/{milestone.pk}/fund")
    before = state()
    problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/fund"), 409)
    body = problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/accept"), 409)
    assert "Nothing has been delivered" in body["detail"]
    problem(
        post(client, contract.buyer, f"/milestones/{milestone.pk}/request-changes", {"comment": "x"}), 409
    )
    body = problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/cancel"), 409)
    assert "dispute" in body["detail"]
    assert state() == before and ok()


def test_nothing_moves_on_a_disputed_contract(client: Client) -> None:
    contract = make_contract()
    milestone = delivered(contract)
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.DISPUTED)
    before = state()
    body = problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/accept"), 409)
    assert "dispute" in body["detail"]
    assert state() == before


# --- Split ----------------------------------------------------------------------------------------------------


def _split(client: Client, user: User, contract: Contract, parts: list[tuple[str, int, dt.datetime]]) -> Any:
    body = {"milestones": [{"title": t, "amount": a, "due_at": d.isoformat()} for t, a, d in parts]}
    return client.put(
        f"/api/v1/contracts/{contract.pk}/milestones",
        json.dumps(body),
        content_type="application/json",
        **bearer(user),
    )


def test_the_buyer_splits_the_price_into_milestones(client: Client) -> None:
    contract = make_contract()
    soon = timezone.now() + dt.timedelta(days=5)
    later = soon + dt.timedelta(days=5)
    before = state()
    body = problem(
        _split(client, contract.buyer, contract, [("Design", 5_000, soon), ("Build", 14_999, later)]), 422
    )
    assert "US$200.00" in body["detail"]
    problem(
        _split(
            client, contract.buyer, contract, [("Design", 20_000, timezone.now() - dt.timedelta(hours=1))]
        ),
        422,
    )
    problem(_split(client, contract.buyer, contract, [("Design", 0, soon), ("Build", 20_000, later)]), 422)
    problem(_split(client, contract.freelancer, contract, [("All", 20_000, soon)]), 403)
    assert state() == before

    response = _split(client, contract.buyer, contract, [("Design", 5_000, soon), ("Build", 15_000, later)])
    assert response.status_code == 200, response.content
    assert [(m["position"], m["title"], m["amount"]) for m in response.json()] == [
        (1, "Design", 5_000),
        (2, "Build", 15_000),
    ]
    listed = client.get(f"/api/v1/contracts/{contract.pk}/milestones", **bearer(contract.freelancer)).json()
    assert [m["amount"] for m in listed] == [5_000, 15_000]
    assert any(m.to == [contract.freelancer.email] and "Design" in m.body for m in mail.outbox)

    first = Milestone.objects.get(contract=contract, position=1)
    deposit(contract.buyer, 10_000)
    assert post(client, contract.buyer, f"/milestones/{first.pk}/fund").status_code == 200
    assert (wallet(contract.buyer), escrow(contract), revenue()) == (10_000 - 5_150, 5_000, 150)
    before = state()
    problem(_split(client, contract.buyer, contract, [("All", 20_000, soon)]), 409)
    assert state() == before and ok()


# --- Partial acceptance and cancellation ----------------------------------------------------------------------


def test_partial_acceptance_needs_the_freelancers_agreement(client: Client) -> None:
    contract = make_contract()
    milestone = delivered(contract)
    buyer, worker = contract.buyer, contract.freelancer
    wallet_before = wallet(buyer)
    problem(post(client, buyer, f"/milestones/{milestone.pk}/accept", {"percent": 0}), 422)
    problem(post(client, buyer, f"/milestones/{milestone.pk}/accept", {"percent": 101}), 422)
    problem(post(client, worker, f"/milestones/{milestone.pk}/agree-partial"), 409)  # nothing proposed

    response = post(client, buyer, f"/milestones/{milestone.pk}/accept", {"percent": 60})
    body = response.json()
    assert (body["status"], body["partial_proposal"], body["accepted_percent"]) == ("delivered", 60, None)
    assert escrow(contract) == 20_000 and clearing(worker) == 0  # nothing moved yet
    assert any(m.to == [worker.email] and "60%" in m.subject for m in mail.outbox)
    problem(post(client, buyer, f"/milestones/{milestone.pk}/agree-partial"), 403)

    mail.outbox.clear()
    response = post(client, worker, f"/milestones/{milestone.pk}/agree-partial")
    body = response.json()
    assert (body["status"], body["accepted_percent"], body["released_amount"]) == ("accepted", 60, 12_000)
    # 12 000 released: 1 200 fee, 10 800 to the freelancer; 8 000 back to the buyer; buyer fee stays.
    assert (clearing(worker), wallet(buyer), revenue(), escrow(contract)) == (
        10_800,
        wallet_before + 8_000,
        600 + 1_200,
        0,
    )
    assert ok()
    assert any(m.to == [worker.email] and "US$108.00" in m.body for m in mail.outbox)
    assert any(m.to == [buyer.email] and "US$80.00" in m.body for m in mail.outbox)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED


def test_mutual_cancellation_refunds_the_escrow(client: Client) -> None:
    contract = make_contract()
    milestone = funded(contract)
    buyer, worker = contract.buyer, contract.freelancer
    wallet_before = wallet(buyer)
    response = post(client, worker, f"/milestones/{milestone.pk}/cancellation-requests", {"reason": "Sick"})
    assert response.status_code == 201, response.content
    asked = response.json()["id"]
    problem(post(client, buyer, f"/milestones/{milestone.pk}/cancellation-requests"), 409)  # one at a time
    problem(post(client, worker, f"/cancellation-requests/{asked}/answer", {"agree": True}), 403)
    assert any(m.to == [buyer.email] and "Sick" in m.body for m in mail.outbox)

    response = post(client, buyer, f"/cancellation-requests/{asked}/answer", {"agree": True})
    assert response.json()["agreed"] is True
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.REFUNDED
    assert (wallet(buyer), escrow(contract), revenue(), clearing(worker)) == (
        wallet_before + 20_000,
        0,
        600,
        0,
    )
    assert ok()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED and contract.ended_at is not None
    problem(post(client, buyer, f"/cancellation-requests/{asked}/answer", {"agree": True}), 409)
    assert wallet(buyer) == wallet_before + 20_000 and ok()


def test_a_declined_cancellation_leaves_the_milestone_funded(client: Client) -> None:
    contract = make_contract()
    milestone = funded(contract)
    asked = services.ask_cancellation(user=contract.buyer, milestone_id=milestone.pk)
    response = post(
        client, contract.freelancer, f"/cancellation-requests/{asked.pk}/answer", {"agree": False}
    )
    assert response.json()["agreed"] is False
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED and escrow(contract) == 20_000


def test_the_buyer_cancels_an_unfunded_milestone(client: Client) -> None:
    contract = make_contract()
    milestone = only_milestone(contract)
    problem(post(client, contract.freelancer, f"/milestones/{milestone.pk}/cancel"), 403)
    response = post(client, contract.buyer, f"/milestones/{milestone.pk}/cancel")
    assert response.json()["status"] == "cancelled"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED
    problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/fund"), 409)


def test_the_freelancer_requests_funding(client: Client) -> None:
    contract = make_contract()
    milestone = only_milestone(contract)
    mail.outbox.clear()
    response = post(client, contract.freelancer, f"/milestones/{milestone.pk}/request-funding")
    assert response.json()["funding_requested_at"] is not None
    assert [m.to for m in mail.outbox] == [[contract.buyer.email]]
    problem(post(client, contract.buyer, f"/milestones/{milestone.pk}/request-funding"), 403)


# --- Background -----------------------------------------------------------------------------------------------


def test_auto_accept_once_with_a_warning_two_days_before(settings: Any) -> None:
    settings.HAAT_AUTO_ACCEPT_DAYS = 14
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        contract = make_contract()
        milestone = delivered(contract)
    mail.outbox.clear()
    with time_machine.travel(start + dt.timedelta(days=11, hours=23), tick=False):
        tasks.auto_accept_deliveries.call()
        assert mail.outbox == []
    with time_machine.travel(start + dt.timedelta(days=12, minutes=1), tick=False):
        assert tasks.auto_accept_deliveries.call() == 0
        tasks.auto_accept_deliveries.call()
    warnings = [m for m in mail.outbox if "automatically" in m.subject]
    assert len(warnings) == 1 and warnings[0].to == [contract.buyer.email]
    with time_machine.travel(start + dt.timedelta(days=14, minutes=1), tick=False):
        assert tasks.auto_accept_deliveries.call() == 1
        assert tasks.auto_accept_deliveries.call() == 0
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.ACCEPTED and milestone.released_amount == 20_000
    assert (clearing(contract.freelancer), revenue(), escrow(contract)) == (18_000, 2_600, 0)
    assert ok()
    assert any("accepted automatically" in m.body for m in mail.outbox if m.to == [contract.freelancer.email])


def test_a_pending_partial_proposal_is_not_auto_accepted(settings: Any) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        contract = make_contract()
        milestone = delivered(contract)
        services.accept(user=contract.buyer, milestone_id=milestone.pk, percent=50)
    with time_machine.travel(start + dt.timedelta(days=30), tick=False):
        assert tasks.auto_accept_deliveries.call() == 0
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DELIVERED and escrow(contract) == 20_000


def test_unfunded_milestones_remind_the_buyer_after_one_and_three_days() -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        contract = make_contract()
    mail.outbox.clear()
    with time_machine.travel(start + dt.timedelta(hours=23), tick=False):
        assert tasks.remind_unfunded.call() == 0
    with time_machine.travel(start + dt.timedelta(days=1, minutes=1), tick=False):
        assert tasks.remind_unfunded.call() == 1
        assert tasks.remind_unfunded.call() == 0
    with time_machine.travel(start + dt.timedelta(days=3, minutes=1), tick=False):
        assert tasks.remind_unfunded.call() == 1
    with time_machine.travel(start + dt.timedelta(days=10), tick=False):
        assert tasks.remind_unfunded.call() == 0
    reminders = [m for m in mail.outbox if "Reminder" in m.subject]
    assert len(reminders) == 2 and all(m.to == [contract.buyer.email] for m in reminders)


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_buyer_funds_from_the_page_after_seeing_the_total(client: Client) -> None:
    contract = make_contract()
    milestone = only_milestone(contract)
    client.force_login(contract.buyer)
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk])).content.decode()
    assert reverse("contracts:milestone-fund", args=[milestone.pk]) in page and "US$200.00" in page

    deposit(contract.buyer, 10_000)
    quote = client.get(reverse("contracts:milestone-fund", args=[milestone.pk])).content.decode()
    assert "US$206.00" in quote and "US$6.00" in quote and reverse("payments:deposit-new") in quote
    before = state()
    response = client.post(reverse("contracts:milestone-fund", args=[milestone.pk]))
    assert response.status_code == 400 and reverse("payments:deposit-new") in response.content.decode()
    assert state() == before and ok()

    deposit(contract.buyer, 10_600)
    response = client.post(reverse("contracts:milestone-fund", args=[milestone.pk]), follow=True)
    assert "is funded" in response.content.decode()
    assert (wallet(contract.buyer), escrow(contract), revenue()) == (0, 20_000, 600) and ok()


def test_the_review_happens_on_the_page(client: Client) -> None:
    contract = make_contract()
    milestone = funded(contract)
    client.force_login(contract.freelancer)
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk])).content.decode()
    assert reverse("contracts:milestone-deliver", args=[milestone.pk]) in page
    response = client.post(reverse("contracts:milestone-accept", args=[milestone.pk]), follow=True)
    assert response.status_code == 403
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("contracts:milestone-deliver", args=[milestone.pk]),
        {"file": SimpleUploadedFile("work.zip", b"PK"), "note": "v1"},
    )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DELIVERED

    client.force_login(contract.buyer)
    response = client.post(
        reverse("contracts:milestone-accept", args=[milestone.pk]), {"percent": "80"}, follow=True
    )
    assert "80%" in response.content.decode()
    client.force_login(contract.freelancer)
    client.post(reverse("contracts:milestone-agree-partial", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert (milestone.status, milestone.released_amount) == (MilestoneStatus.ACCEPTED, 16_000)
    assert (clearing(contract.freelancer), escrow(contract)) == (14_400, 0) and ok()


def test_the_page_says_a_funded_milestone_needs_agreement_or_a_dispute(client: Client) -> None:
    contract = make_contract()
    milestone = funded(contract)
    client.force_login(contract.buyer)
    before = state()
    response = client.post(reverse("contracts:milestone-cancel", args=[milestone.pk]), follow=True)
    assert "dispute" in response.content.decode()
    assert state() == before


def test_the_buyer_splits_on_the_page_and_strangers_see_nothing(client: Client) -> None:
    contract = make_contract()
    client.force_login(make_user("stranger@example.com"))
    assert client.get(reverse("contracts:milestone-split", args=[contract.pk])).status_code == 404
    milestone = only_milestone(contract)
    assert client.get(reverse("contracts:milestone-fund", args=[milestone.pk])).status_code == 404
    assert client.post(reverse("contracts:milestone-cancel", args=[milestone.pk])).status_code == 404

    client.force_login(contract.buyer)
    assert client.get(reverse("contracts:milestone-split", args=[contract.pk])).status_code == 200
    due = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {"m0-title": "Design", "m0-amount": "50", "m0-due_at": due}
    before = state()
    response = client.post(reverse("contracts:milestone-split", args=[contract.pk]), data)
    assert response.status_code == 400 and "US$200.00" in response.content.decode()
    assert state() == before
    data.update({"m1-title": "Build", "m1-amount": "150.00", "m1-due_at": due})
    response = client.post(reverse("contracts:milestone-split", args=[contract.pk]), data)
    assert response.status_code == 302
    assert list(Milestone.objects.filter(contract=contract).values_list("title", "amount")) == [
        ("Design", 5_000),
        ("Build", 15_000),
    ]


def test_milestone_emails_are_in_each_recipients_language() -> None:
    from haat.accounts.models import Profile

    contract = make_contract()
    Profile.objects.filter(user=contract.freelancer).update(language="bn")
    mail.outbox.clear()
    milestone = funded(contract)
    to_worker = next(m for m in mail.outbox if m.to == [contract.freelancer.email])
    assert "এসক্রোতে জমা হয়েছে" in to_worker.subject and milestone.title in to_worker.subject
    assert "US$২০০.০০" in to_worker.body  # the amount in the reader's digits
    services.deliver(user=contract.freelancer, milestone_id=milestone.pk, upload=None, note="")
    to_buyer = next(m for m in mail.outbox if m.to == [contract.buyer.email])
    assert "delivered" in to_buyer.subject and "14 days" in to_buyer.body  # the buyer reads English
