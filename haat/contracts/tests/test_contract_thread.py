"""Every contract gets its own message thread, reachable from the contract page by its two parties only."""

from __future__ import annotations

import pytest
from django.test import Client

from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import make_user
from haat.messaging.models import Message, Thread, ThreadKind

pytestmark = pytest.mark.django_db


def test_contract_page_links_to_the_contracts_own_thread() -> None:
    buyer = make_user("buyer@example.com")
    seller = freelancer("rahim@example.com", "Rahim")
    stranger = make_user("stranger@example.com")
    bid = bid_on(make_job(buyer), seller)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    contract = bid_services.accept_award(freelancer=seller, bid_id=bid.pk)

    thread = Thread.objects.get(kind=ThreadKind.CONTRACT, contract=contract)
    assert (thread.buyer_id, thread.freelancer_id) == (buyer.pk, seller.pk)
    for person in (buyer, seller):
        client = Client()
        client.force_login(person)
        client.cookies["haat_language"] = "en"
        page = client.get(f"/contracts/{contract.pk}/").content.decode()
        assert f"/messages/{thread.pk}/" in page
        assert client.get(f"/messages/{thread.pk}/").status_code == 200
    client = Client()
    client.force_login(seller)
    client.post(f"/messages/{thread.pk}/", {"body": "Started today: the product catalogue is done."})
    assert Message.objects.filter(thread=thread, sender=seller).count() == 1

    outsider = Client()
    outsider.force_login(stranger)
    assert outsider.get(f"/messages/{thread.pk}/").status_code == 404
    assert outsider.post(f"/messages/{thread.pk}/", {"body": "hello"}).status_code == 404
    assert Message.objects.filter(thread=thread).count() == 1
