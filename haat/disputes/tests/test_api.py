"""The disputes API, every endpoint and its errors: 201/200 for the parties, 404 for strangers and unknown ids,
409 for moves the state forbids, 422 for bad input, 401 without credentials, 400 without an Idempotency-Key
where money moves — and nothing changed on every refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haat.conftest import make_user
from haat.contracts.models import Contract, ContractStatus
from haat.contracts.tests.test_milestones import (  # noqa: F401 (fixtures)
    bearer,
    clearing,
    default_fees,
    fake_store,
    ok,
    post,
    problem,
    state,
    wallet,
)
from haat.disputes.models import Dispute, DisputeOffer, DisputeStatus
from haat.disputes.tests.test_services import PRICE, delivered_contract

pytestmark = pytest.mark.django_db


def open_api(client: Client, contract: Contract, milestone_id: int, user: Any = None) -> Any:
    return post(
        client,
        user or contract.buyer,
        f"/contracts/{contract.pk}/disputes",
        {"milestone_id": milestone_id, "reason": "quality", "statement": "It does not work on phones."},
    )


def get(client: Client, user: Any, path: str) -> Any:
    return client.get(f"/api/v1{path}", **bearer(user))


def test_open_read_offer_accept_through_the_api(client: Client) -> None:
    contract, milestone = delivered_contract()
    opened = open_api(client, contract, milestone.pk)
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert (body["status"], body["amount"], body["currency"]) == ("negotiation", PRICE, "USD")
    assert [e["kind"] for e in body["events"]] == ["opened"]
    dispute_id = body["id"]
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.DISPUTED

    listed = get(client, contract.freelancer, "/disputes")
    assert listed.status_code == 200 and [d["id"] for d in listed.json()["items"]] == [dispute_id]

    offer = post(client, contract.freelancer, f"/disputes/{dispute_id}/offers", {"freelancer_percent": 80})
    assert offer.status_code == 201, offer.content
    assert (offer.json()["freelancer_amount"], offer.json()["buyer_amount"]) == (16_000, 4_000)
    statement = post(
        client, contract.buyer, f"/disputes/{dispute_id}/statements", {"text": "Screenshots attached."}
    )
    assert statement.status_code == 201 and statement.json()["kind"] == "statement"

    offer_id = offer.json()["id"]
    accepted = post(client, contract.buyer, f"/dispute-offers/{offer_id}/accept", key="settle-1")
    assert accepted.status_code == 200, accepted.content
    result = accepted.json()
    assert (result["status"], result["freelancer_receives"], result["buyer_refund"]) == (
        "settled",
        14_400,
        4_000,
    )
    # The same key again replays the answer and moves nothing more.
    again = post(client, contract.buyer, f"/dispute-offers/{offer_id}/accept", key="settle-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert clearing(contract.freelancer) == 14_400
    assert ok()


def test_reject_escalate_withdraw(client: Client) -> None:
    contract, milestone = delivered_contract()
    dispute_id = open_api(client, contract, milestone.pk, user=contract.freelancer).json()["id"]
    offer_id = post(
        client, contract.buyer, f"/disputes/{dispute_id}/offers", {"freelancer_amount": 0}
    ).json()["id"]
    rejected = post(client, contract.freelancer, f"/dispute-offers/{offer_id}/reject", {"note": "No."})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    escalated = post(client, contract.buyer, f"/disputes/{dispute_id}/escalate")
    assert escalated.status_code == 200 and escalated.json()["status"] == "arbitration"
    problem(post(client, contract.buyer, f"/disputes/{dispute_id}/escalate"), 409)
    problem(post(client, contract.buyer, f"/disputes/{dispute_id}/withdraw"), 403)  # the freelancer opened it
    withdrawn = post(client, contract.freelancer, f"/disputes/{dispute_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.ACTIVE


def test_strangers_and_unknown_ids_get_404_and_nothing_changes(client: Client) -> None:
    contract, milestone = delivered_contract()
    dispute_id = open_api(client, contract, milestone.pk).json()["id"]
    offer_id = post(
        client, contract.buyer, f"/disputes/{dispute_id}/offers", {"freelancer_percent": 10}
    ).json()["id"]
    stranger = make_user("stranger@example.com")
    before = (state(), list(Dispute.objects.values_list()), list(DisputeOffer.objects.values_list()))
    problem(get(client, stranger, f"/disputes/{dispute_id}"), 404)
    assert get(client, stranger, "/disputes").json()["items"] == []
    for path, body in [
        (
            f"/contracts/{contract.pk}/disputes",
            {"milestone_id": milestone.pk, "reason": "late", "statement": "x"},
        ),
        (f"/disputes/{dispute_id}/statements", {"text": "Hello"}),
        (f"/disputes/{dispute_id}/offers", {"freelancer_percent": 99}),
        (f"/dispute-offers/{offer_id}/accept", {}),
        (f"/dispute-offers/{offer_id}/reject", {}),
        (f"/disputes/{dispute_id}/escalate", {}),
        (f"/disputes/{dispute_id}/withdraw", {}),
        ("/disputes/999999/escalate", {}),
        ("/dispute-offers/999999/accept", {}),
    ]:
        problem(post(client, stranger, path, body), 404)
    # The milestone of another contract through this contract's URL: not found either.
    _other, other_milestone = delivered_contract()
    problem(open_api(client, contract, other_milestone.pk), 404)
    milestones_before: list[Any] = before[0][0]  # type: ignore[assignment]
    milestones_after: list[Any] = state()[0]  # type: ignore[assignment]
    assert (
        milestones_after[: len(milestones_before)] == milestones_before
    )  # the first contract's are untouched
    assert (list(Dispute.objects.values_list()), list(DisputeOffer.objects.values_list())) == before[1:]


def test_bad_input_is_422_and_changes_nothing(client: Client) -> None:
    contract, milestone = delivered_contract()
    before = state()
    for body in [
        {"milestone_id": milestone.pk, "reason": "revenge", "statement": "x"},
        {"milestone_id": milestone.pk, "reason": "quality", "statement": "   "},
        {"milestone_id": "1", "reason": "quality", "statement": "x"},
        {"reason": "quality", "statement": "x"},
    ]:
        problem(post(client, contract.buyer, f"/contracts/{contract.pk}/disputes", body), 422)
    assert state() == before and not Dispute.objects.exists()
    dispute_id = open_api(client, contract, milestone.pk).json()["id"]
    for body in [
        {},
        {"freelancer_amount": -1},
        {"freelancer_amount": PRICE + 1},
        {"freelancer_amount": 2**63},
        {"freelancer_percent": 101},
        {"freelancer_percent": 50, "freelancer_amount": 100},
        {"freelancer_amount": 10.5},
        {"freelancer_amount": "100"},
    ]:
        problem(post(client, contract.buyer, f"/disputes/{dispute_id}/offers", body), 422)
    assert not DisputeOffer.objects.exists()
    problem(post(client, contract.buyer, f"/disputes/{dispute_id}/statements", {"text": ""}), 422)
    response = client.post(
        f"/api/v1/disputes/{dispute_id}/offers",
        "{not json",
        content_type="application/json",
        **bearer(contract.buyer),
    )
    problem(response, 400)


def test_second_dispute_and_unfunded_milestone_are_409(client: Client) -> None:
    contract, milestone = delivered_contract()
    open_api(client, contract, milestone.pk)
    problem(open_api(client, contract, milestone.pk, user=contract.freelancer), 409)
    from haat.contracts.tests.test_milestones import make_contract, only_milestone

    fresh = make_contract(PRICE)
    problem(open_api(client, fresh, only_milestone(fresh).pk), 409)
    assert Dispute.objects.count() == 1


def test_accepting_needs_an_idempotency_key_and_the_other_side(client: Client) -> None:
    contract, milestone = delivered_contract()
    dispute_id = open_api(client, contract, milestone.pk).json()["id"]
    offer_id = post(
        client, contract.buyer, f"/disputes/{dispute_id}/offers", {"freelancer_percent": 50}
    ).json()["id"]
    no_key = client.post(
        f"/api/v1/dispute-offers/{offer_id}/accept",
        "{}",
        content_type="application/json",
        **bearer(contract.freelancer),
    )
    problem(no_key, 400)
    problem(post(client, contract.buyer, f"/dispute-offers/{offer_id}/accept"), 403)
    assert Dispute.objects.get(pk=dispute_id).status == DisputeStatus.NEGOTIATION
    buyer_wallet = wallet(contract.buyer)
    assert post(client, contract.freelancer, f"/dispute-offers/{offer_id}/accept").status_code == 200
    problem(
        post(client, contract.freelancer, f"/dispute-offers/{offer_id}/accept"), 409
    )  # a new key: refused
    assert wallet(contract.buyer) == buyer_wallet + 10_000
    assert ok()


def test_anonymous_is_401(client: Client) -> None:
    for method, path in [
        ("get", "/api/v1/disputes"),
        ("get", "/api/v1/disputes/1"),
        ("post", "/api/v1/disputes/1/escalate"),
    ]:
        response = getattr(client, method)(path, content_type="application/json")
        problem(response, 401)
    assert json.loads(client.get("/api/v1/openapi.json").content)["paths"]["/api/v1/disputes/{dispute_id}"]
