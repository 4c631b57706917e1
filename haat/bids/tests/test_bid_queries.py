"""What placing a bid through the API costs in queries, and that the answer built from the created row is the
bid as it is stored (the view no longer reads it back)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haat.bids.tests.test_bids import PROPOSAL, _bearer, freelancer, make_job
from haat.conftest import make_user

pytestmark = pytest.mark.django_db


def test_placing_a_bid_answers_the_stored_bid_in_few_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    job = make_job(make_user("buyer@example.com"))
    rahim = freelancer("rahim@example.com", "Rahim")
    auth = _bearer(rahim)
    payload = {"amount": 20_000, "delivery_days": 10, "proposal": f"  {PROPOSAL}  "}
    # Token, suspension, job lock, profile with its skills and languages, bids on the job, insert, fee
    # schedule, and the savepoint around the transaction (was 13 with a read-back of the bid).
    with django_assert_max_num_queries(10):
        response = client.post(
            f"/api/v1/jobs/{job.pk}/bids", payload, content_type="application/json", **auth
        )
    assert response.status_code == 201, response.content
    body = response.json()
    stored = client.get(f"/api/v1/bids/{body['id']}", **auth).json()
    assert body == stored
    assert (
        body["proposal"] == PROPOSAL
        and body["contract_id"] is None
        and body["fee"]["freelancer_fee"] == 2_000
    )
