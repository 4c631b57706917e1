"""Shared people and things for the moderation tests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import make_staff, make_user
from haat.contracts.models import Contract
from haat.jobs.models import Job
from haat.messaging import services as messaging_services
from haat.messaging.models import Message
from haat.staff.roles import Role

PROBLEM = "application/problem+json"


@pytest.fixture
def moderator(db: None) -> User:
    return make_staff("mod@example.com", Role.MODERATOR)


@pytest.fixture
def second_moderator(db: None) -> User:
    return make_staff("mod2@example.com", Role.MODERATOR)


@pytest.fixture
def buyer(db: None) -> User:
    return make_user("buyer@example.com")


@pytest.fixture
def worker(db: None) -> User:
    return freelancer("worker@example.com", "Rahim")


@pytest.fixture
def job(buyer: User) -> Job:
    return make_job(buyer)


@pytest.fixture
def message(job: Job, buyer: User, worker: User) -> Message:
    """A message from the worker to the buyer, in an interview about ``job``."""
    bid_on(job, worker)
    thread, _created = messaging_services.start_interview(user=worker, job_id=job.pk)
    return messaging_services.post_message(user=worker, thread_id=thread.pk, body="Hello, I can start today.")


def contract_between(buyer: User, worker: User) -> Contract:
    bid = bid_on(make_job(buyer), worker)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    return bid_services.accept_award(freelancer=worker, bid_id=bid.pk)


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


def post_json(client: Client, path: str, body: object, user: User, **extra: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **bearer(user), **extra)


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


def english(client: Client, user: User) -> Client:
    client.force_login(user)
    client.cookies["haat_language"] = "en"
    return client
