"""The dispute pages: the contract page's dispute section, opening, offers and answers, the arbiter's queue
and case page (evidence, decision with a reason), access rules, and the Bengali page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haat.conftest import PASSWORD, make_staff, make_user
from haat.contracts import services as contract_services
from haat.contracts.models import ContractStatus
from haat.contracts.tests.test_milestones import clearing, default_fees, fake_store, ok, state, wallet  # noqa: F401
from haat.disputes import services
from haat.disputes.models import Dispute, DisputeOffer, DisputeStatus
from haat.disputes.tests.test_services import delivered_contract, open_on
from haat.messaging.services import post_message
from haat.staff.models import AuditEntry
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    client.cookies["haat_language"] = "en"
    return client


def test_contract_page_offers_a_dispute_and_the_form_opens_one(client: Client) -> None:
    contract, milestone = delivered_contract()
    login(client, contract.buyer)
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk]))
    assert b"Open a dispute" in page.content
    form = client.get(reverse("disputes:open", args=[contract.pk]))
    assert form.status_code == 200 and milestone.title.encode() in form.content
    bad = client.post(
        reverse("disputes:open", args=[contract.pk]), {"milestone": milestone.pk, "reason": "quality"}
    )
    assert bad.status_code == 400 and not Dispute.objects.exists()
    response = client.post(
        reverse("disputes:open", args=[contract.pk]),
        {"milestone": milestone.pk, "reason": "quality", "statement": "Half of the pages are missing."},
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "disputes:detail", args=[dispute.pk]
    )
    detail = client.get(response["Location"])
    assert b"Half of the pages are missing." in detail.content and b"Offer a split" in detail.content
    frozen = client.get(reverse("contracts:contract-detail", args=[contract.pk]))
    assert b"The escrow is frozen" in frozen.content


def test_offer_by_page_and_acceptance_by_the_other_side(client: Client) -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    login(client, contract.freelancer)
    sent = client.post(reverse("disputes:offer", args=[dispute.pk]), {"amount": "150.00", "note": "Fair."})
    assert sent.status_code == 302
    offer = DisputeOffer.objects.get()
    assert offer.freelancer_amount == 15_000
    both = client.post(reverse("disputes:offer", args=[dispute.pk]), {"amount": "1", "percent": "5"})
    page = client.get(both["Location"])
    assert b"either as a percentage or as an amount" in page.content
    assert DisputeOffer.objects.count() == 1
    buyer = Client()
    login(buyer, contract.buyer)
    page = buyer.get(reverse("disputes:detail", args=[dispute.pk]))
    assert b"Accept this offer" in page.content and b"US$135.00" in page.content  # 15 000 − 10 % fee
    buyer.post(reverse("disputes:offer-accept", args=[offer.pk]))
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.SETTLED
    assert clearing(contract.freelancer) == 13_500
    assert ok()


def test_strangers_get_404_on_party_pages(client: Client) -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    offer = services.make_offer(user=contract.buyer, dispute_id=dispute.pk, percent=10)
    login(client, make_user("stranger@example.com"))
    before = state()
    assert client.get(reverse("disputes:detail", args=[dispute.pk])).status_code == 404
    assert client.get(reverse("disputes:open", args=[contract.pk])).status_code == 404
    assert client.post(reverse("disputes:offer-accept", args=[offer.pk])).status_code == 404
    assert client.post(reverse("disputes:withdraw", args=[dispute.pk])).status_code == 404
    assert client.post(reverse("disputes:offer", args=[dispute.pk]), {"percent": "1"}).status_code == 404
    assert state() == before and DisputeOffer.objects.count() == 1


def test_arbiter_pages_need_the_role_and_two_factor(client: Client) -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    queue = reverse("disputes:queue")
    case = reverse("disputes:case", args=[dispute.pk])
    assert client.get(queue).status_code == 302  # to the log-in page
    login(client, make_user("plain@example.com"))
    assert client.get(queue).status_code == 403
    assert client.get(case).status_code == 403
    no_2fa = Client()
    login(no_2fa, make_staff("new-arbiter@example.com", Role.ARBITER, two_factor=False))
    assert no_2fa.get(queue)["Location"] == reverse("mfa_activate_totp")
    # An arbiter who is a party to the contract may not open the case.
    from haat.staff.roles import add_role

    add_role(contract.freelancer, Role.ARBITER)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(contract.freelancer, generate_totp_secret())
    party = Client()
    login(party, contract.freelancer)
    assert party.get(case).status_code == 403


def test_arbiter_sees_the_evidence_and_decides_with_a_reason(client: Client) -> None:
    contract, milestone = delivered_contract()
    from haat.messaging.models import Thread

    thread = Thread.objects.get(contract=contract)
    post_message(user=contract.buyer, thread_id=thread.pk, body="Please make it work on phones.")
    dispute = open_on(contract, milestone)
    services.make_offer(user=contract.freelancer, dispute_id=dispute.pk, percent=90)
    services.escalate(user=contract.buyer, dispute_id=dispute.pk)
    arbiter = make_staff("arbiter@example.com", Role.ARBITER)
    login(client, arbiter)
    queue = client.get(reverse("disputes:queue"))
    assert contract.job.title.encode() in queue.content
    case_url = reverse("disputes:case", args=[dispute.pk])
    page = client.get(case_url)
    assert page.status_code == 200
    for text in [
        b"Please make it work on phones.",
        b"work.zip",
        b"Evidence",
        b"Take this case",
        contract.job.title.encode(),
    ]:
        assert text in page.content, text
    short = client.post(case_url, {"percent": "60", "reason": "Fair."})
    assert short.status_code == 400 and Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.ARBITRATION
    buyer_before = wallet(contract.buyer)
    reason = "Six of ten pages work on phones; the buyer keeps the rest."
    done = client.post(case_url, {"percent": "60", "reason": reason})
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.DECIDED and dispute.decision_reason == reason
    assert clearing(contract.freelancer) == 10_800  # 12 000 − 10 % fee
    assert wallet(contract.buyer) == buyer_before + 8_000
    assert AuditEntry.objects.filter(action="dispute.decide", actor=arbiter).exists()
    assert ok()
    # Both sides see the reason on their page.
    for party in (contract.buyer, contract.freelancer):
        seen = login(Client(), party).get(reverse("disputes:detail", args=[dispute.pk]))
        shown = seen.content.decode()
        assert reason in shown and "The arbiter's decision" in shown
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED


def test_dispute_page_in_bengali(client: Client) -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    client.force_login(contract.buyer)
    client.cookies["haat_language"] = "bn"
    page = client.get(reverse("disputes:detail", args=[dispute.pk]))
    assert page.status_code == 200
    assert 'lang="bn"' in page.content.decode()
    assert "২০০.০০" in page.content.decode()  # the amount in Bengali digits


def test_withdraw_and_escalate_buttons(client: Client) -> None:
    contract, milestone = delivered_contract()
    dispute = open_on(contract, milestone)
    login(client, contract.buyer)
    client.post(reverse("disputes:escalate", args=[dispute.pk]))
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.ARBITRATION
    client.post(reverse("disputes:withdraw", args=[dispute.pk]))
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.WITHDRAWN
    contract_services.accept(user=contract.buyer, milestone_id=milestone.pk)
    assert ok()
    assert PASSWORD
