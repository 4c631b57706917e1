"""Fields a person may not set: each is sent by someone who would like to set it, and the test checks that the
request is refused or the field ignored, and that nothing else moved (the row, the ledger).

The matrix (``test_matrix.py``) checks who may call an endpoint; these check what a permitted caller may put in
the body.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.models import Bid
from haat.bids.tests.test_bids import bid_on, make_job
from haat.contracts.models import Contract, Milestone
from haat.jobs.models import Job
from haat.payments import withdrawals
from haat.payments.fees import percent_of
from haat.payments.models import Deposit, DepositStatus, Withdrawal, WithdrawalStatus
from haat.web.tests.permissions import world as world_module
from haat.web.tests.permissions.runner import ledger_totals
from haat.web.tests.permissions.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_settings(settings: Any) -> None:
    settings.HAAT_PAYOUTS = world_module.PAYOUTS
    settings.HAAT_GATEWAYS = ["sandbox", "manual"]


@pytest.fixture
def world() -> World:
    return world_module.build()


def _as(client: Client, user: User | None) -> Client:
    assert user is not None
    client.force_login(user)
    return client


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(
        method,
        f"/api/v1{path}",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"fields-{method}-{path}",
    )


def _bid_row(bid_id: int) -> tuple[Any, ...]:
    return tuple(
        Bid.objects.filter(pk=bid_id).values_list(
            "amount", "status", "shortlisted", "job_id", "freelancer_id"
        )[0]
    )


def test_a_freelancer_edits_their_bid_but_not_its_status_or_job(client: Client, world: World) -> None:
    bid = world.objects["live_bid"]
    before = _bid_row(bid.pk)
    response = _send(
        _as(client, world.people["freelancer"]),
        "PATCH",
        f"/bids/{bid.pk}",
        {
            "amount": 14_000,
            "status": "awarded",
            "shortlisted": True,
            "job_id": world.objects["job1"].pk,
            "freelancer_id": world.people["bidder"].pk,  # type: ignore[union-attr]
        },
    )
    assert response.status_code == 200, response.content
    assert _bid_row(bid.pk) == (14_000, *before[1:])


def test_a_buyer_cannot_set_a_bids_amount(client: Client, world: World) -> None:
    bid = world.objects["live_bid"]
    before = _bid_row(bid.pk)
    buyer = _as(client, world.people["buyer"])
    assert _send(buyer, "PATCH", f"/bids/{bid.pk}", {"amount": 10_000}).status_code == 404
    assert buyer.post(f"/bids/{bid.pk}/edit/", {"amount": "100.00", "delivery_days": 3}).status_code == 404
    assert _bid_row(bid.pk) == before


def test_a_buyer_edits_the_job_but_not_its_status_or_owner(client: Client, world: World) -> None:
    job = world.objects["job2"]
    response = _send(
        _as(client, world.people["buyer"]),
        "PATCH",
        f"/jobs/{job.pk}",
        {
            "title": "Design a logo and a banner",
            "status": "awarded",
            "buyer_id": world.ids["user_id"],
        },
    )
    assert response.status_code == 200, response.content
    job.refresh_from_db()
    assert (job.title, job.status, job.buyer_id) == (
        "Design a logo and a banner",
        world.objects["job2"].status,
        world.people["buyer"].pk,  # type: ignore[union-attr]
    )


def _fresh_contract(world: World) -> Contract:
    """An accepted award waiting for funding: its milestones may still be split."""
    buyer, worker = world.people["buyer"], world.people["freelancer"]
    assert buyer is not None and worker is not None
    bid = bid_on(make_job(buyer, title="Write a brochure"), worker, amount=12_000)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    return bid_services.accept_award(freelancer=worker, bid_id=bid.pk)


def _plan(*amounts: int) -> dict[str, Any]:
    due = (timezone.now() + dt.timedelta(days=14)).isoformat()
    return {
        "milestones": [{"title": f"Part {i}", "amount": a, "due_at": due} for i, a in enumerate(amounts, 1)]
    }


def test_nobody_changes_the_price_and_the_freelancer_does_not_split(client: Client, world: World) -> None:
    contract = _fresh_contract(world)
    before = list(Milestone.objects.filter(contract=contract).values_list("pk", "amount"))
    worker = _as(client, world.people["freelancer"])
    assert (
        _send(worker, "PUT", f"/contracts/{contract.pk}/milestones", _plan(6_000, 6_000)).status_code == 403
    )
    buyer = _as(client, world.people["buyer"])
    # A split that adds up to less than the agreed price would lower it: refused, keyed by field.
    response = _send(buyer, "PUT", f"/contracts/{contract.pk}/milestones", _plan(5_000, 5_000))
    assert response.status_code == 422, response.content
    contract.refresh_from_db()
    assert contract.price == 12_000
    assert list(Milestone.objects.filter(contract=contract).values_list("pk", "amount")) == before


def test_the_buyer_fee_is_the_locked_rate_whatever_the_body_says(client: Client, world: World) -> None:
    contract = _fresh_contract(world)
    milestone = Milestone.objects.get(contract=contract)
    buyer = world.people["buyer"]
    assert buyer is not None
    wallet_before = withdrawals.available_balance(buyer, "USD")
    response = _send(
        _as(client, buyer),
        "POST",
        f"/milestones/{milestone.pk}/fund",
        {"buyer_fee_bps": 0, "fee": 0, "amount": 1, "price": 1},
    )
    assert response.status_code == 200, response.content
    fee = percent_of(milestone.amount, contract.buyer_fee_bps)
    assert fee > 0
    assert withdrawals.available_balance(buyer, "USD") == wallet_before - milestone.amount - fee
    assert tuple(Contract.objects.filter(pk=contract.pk).values_list("price", "buyer_fee_bps")[0]) == (
        12_000,
        contract.buyer_fee_bps,
    )


def test_a_freelancer_cannot_release_their_own_escrow(client: Client, world: World) -> None:
    milestone = Milestone.objects.get(pk=world.objects["first"].pk)
    totals = ledger_totals()
    response = _send(
        _as(client, world.people["freelancer"]),
        "POST",
        f"/milestones/{milestone.pk}/accept",
        {"percent": 100},
    )
    assert response.status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).status == milestone.status
    assert ledger_totals() == totals


def test_a_deposit_cannot_be_declared_paid_by_its_owner(client: Client, world: World) -> None:
    buyer = world.people["buyer"]
    assert buyer is not None
    wallet_before = withdrawals.available_balance(buyer, "USD")
    response = _send(
        _as(client, buyer),
        "POST",
        "/deposits",
        {
            "amount": 5_000,
            "currency": "USD",
            "gateway": "manual",
            "status": "succeeded",
            "received_amount": 5_000,
        },
    )
    assert response.status_code == 201, response.content
    assert Deposit.objects.get(pk=response.json()["id"]).status == DepositStatus.PENDING
    assert withdrawals.available_balance(buyer, "USD") == wallet_before
    # And confirming it is finance's: the owner gets 403 and the deposit stays pending.
    deposit_id = response.json()["id"]
    assert (
        client.post(f"/wallet/deposits/{deposit_id}/confirm/", {"received_amount": "50.00"}).status_code
        == 403
    )
    assert Deposit.objects.get(pk=deposit_id).status == DepositStatus.PENDING


def test_a_withdrawal_fee_and_status_are_not_the_requesters(client: Client, world: World) -> None:
    worker = world.people["freelancer"]
    assert worker is not None
    response = _send(
        _as(client, worker),
        "POST",
        "/withdrawals",
        {
            "payout_method_id": world.ids["method_id"],
            "amount": 2_000,
            "currency": "USD",
            "fee": 0,
            "status": "paid",
            "payment_reference": "MINE",
        },
    )
    assert response.status_code in (200, 201), response.content
    withdrawal = Withdrawal.objects.get(pk=response.json()["id"])
    assert withdrawal.status == WithdrawalStatus.REQUESTED
    assert withdrawal.fee == withdrawals.withdrawal_fee("paypal", 2_000, "USD") > 0
    assert not withdrawal.payment_reference


def test_a_profile_update_cannot_make_anyone_staff(client: Client, world: World) -> None:
    buyer = world.people["buyer"]
    assert buyer is not None
    response = _send(
        _as(client, buyer),
        "PATCH",
        "/me/profile",
        {"headline": "Shop owner", "is_staff": True, "is_superuser": True, "email": "boss@example.com"},
    )
    assert response.status_code == 200, response.content
    assert client.post("/profile/edit/", {"is_staff": "on", "is_superuser": "on"}).status_code in (200, 302)
    fresh = User.objects.get(pk=buyer.pk)
    assert (fresh.is_staff, fresh.is_superuser, fresh.email) == (False, False, buyer.email)
    assert not fresh.groups.exists()


def test_another_buyer_cannot_touch_a_job_by_guessing_its_id(client: Client, world: World) -> None:
    job = world.objects["job2"]
    before = tuple(Job.objects.filter(pk=job.pk).values_list("title", "status", "budget_max")[0])
    other = _as(client, world.people["other_buyer"])
    assert _send(other, "PATCH", f"/jobs/{job.pk}", {"title": "Mine now", "budget_max": 1}).status_code == 403
    assert other.post(f"/jobs/{job.pk}/close/").status_code == 403
    assert tuple(Job.objects.filter(pk=job.pk).values_list("title", "status", "budget_max")[0]) == before


def test_the_freelancer_fee_is_the_locked_rate_whatever_the_buyer_sends(client: Client, world: World) -> None:
    """A buyer accepting delivered work cannot lower (or raise) the freelancer's fee or the released amount."""
    from haat.ledger import selectors as ledger_selectors
    from haat.ledger.models import AccountKind

    milestone = Milestone.objects.get(pk=world.objects["first"].pk)
    contract = Contract.objects.get(pk=milestone.contract_id)
    worker = world.people["freelancer"]
    assert worker is not None

    def clearing() -> int:
        account = (
            ledger_selectors.user_accounts(worker.pk, AccountKind.CLEARING).filter(currency="USD").first()
        )
        return ledger_selectors.balance(account).credits_posted if account is not None else 0

    before = clearing()
    response = _send(
        _as(client, world.people["buyer"]),
        "POST",
        f"/milestones/{milestone.pk}/accept",
        {"percent": 100, "freelancer_fee_bps": 0, "fee": 0, "amount": milestone.amount * 2},
    )
    assert response.status_code == 200, response.content
    fee = percent_of(milestone.amount, contract.freelancer_fee_bps)
    assert fee > 0
    assert clearing() - before == milestone.amount - fee
