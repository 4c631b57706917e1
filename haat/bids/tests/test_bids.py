"""Bids, the buyer's view of them, the award and its answer, and the contract it creates.

Every refusal is checked twice: a clear error, and the bids (and contracts) exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import selectors, services, tasks
from haat.bids.models import Bid, BidStatus
from haat.conftest import make_user
from haat.contracts.models import Contract, ContractStatus
from haat.jobs.models import Category, Job, JobInvitation, JobStatus, NdaAcceptance, Skill, Visibility

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
PROPOSAL = "I have built three shops like this one in Django; I can start on Monday."


# --- Helpers ----------------------------------------------------------------------------------------------------


def _bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def _fields(body: dict[str, Any]) -> dict[str, str]:
    return {error["field"]: error["message"] for error in body.get("errors") or []}


def _category() -> Category:
    # Transactional tests flush the catalogue the migrations loaded.
    found = Category.objects.filter(parent__isnull=False).order_by("pk").first()
    if found is not None:
        return found
    top = Category.objects.create(slug="it-test", name="IT")
    return Category.objects.create(slug="web-test", name="Web", parent=top)


def _skill() -> Skill:
    return Skill.objects.order_by("pk").first() or Skill.objects.create(slug="django-test", name="Django")


def freelancer(email: str, name: str, *, country: str = "BD", english: str | None = "fluent") -> User:
    """A user whose freelancer profile is complete."""
    user = make_user(email)
    languages = [("bn", "native")] + ([("en", english)] if english else [])
    account_services.update_profile(
        user=user,
        fields={
            "display_name": name,
            "headline": "Web developer",
            "bio": "Six years of Django.",
            "country": country,
        },
        skill_ids=[_skill().pk],
        languages=languages,
    )
    return user


def make_job(buyer: User, **extra: Any) -> Job:
    """An open, published job with a US$100–US$500 budget whose bidding closes in a week."""
    now = timezone.now()
    values: dict[str, Any] = {
        "buyer": buyer,
        "title": "Build an online shop",
        "description": "A shop for handmade saris, with bKash payments.",
        "category": _category(),
        "budget_min": 10_000,
        "budget_max": 50_000,
        "currency": "USD",
        "bidding_closes_at": now + dt.timedelta(days=7),
        "deadline": now + dt.timedelta(days=30),
        "status": JobStatus.OPEN,
        "published_at": now,
    }
    values.update(extra)
    return Job.objects.create(**values)


def bid_on(job: Job, user: User, amount: int = 20_000, days: int = 10) -> Bid:
    return services.place_bid(
        freelancer=user, job_id=job.pk, amount=amount, delivery_days=days, proposal=PROPOSAL
    )


def snapshot() -> tuple[object, ...]:
    """Every bid's state, every contract and every job's status: what "nothing changed" means here."""
    bids = list(
        Bid.objects.order_by("pk").values_list(
            "pk",
            "status",
            "amount",
            "delivery_days",
            "proposal",
            "shortlisted",
            "rejection_message",
            "award_expires_at",
        )
    )
    contracts = list(Contract.objects.order_by("pk").values_list("pk", "bid_id", "status"))
    jobs = list(Job.objects.order_by("pk").values_list("pk", "status"))
    return bids, contracts, jobs


@pytest.fixture
def buyer(db: None) -> User:
    return make_user("buyer@example.com")


@pytest.fixture
def rahim(db: None) -> User:
    return freelancer("rahim@example.com", "Rahim")


@pytest.fixture
def karim(db: None) -> User:
    return freelancer("karim@example.com", "Karim", country="IN", english="basic")


@pytest.fixture
def job(buyer: User) -> Job:
    return make_job(buyer)


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Iterator[Callable[..., Any]]:
    """Run a call and its on-commit callbacks (e-mails), as a real request would."""

    def run(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    yield run


# --- Placing a bid ---------------------------------------------------------------------------------------------


def test_a_freelancer_bids_through_the_api_and_sees_the_fee(client: Client, job: Job, rahim: User) -> None:
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids",
        {"amount": 20_000, "delivery_days": 10, "proposal": PROPOSAL},
        content_type="application/json",
        **_bearer(rahim),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["currency"], body["delivery_days"], body["status"]) == (
        20_000,
        "USD",
        10,
        "live",
    )
    # US$200 pays the normal 10 % (the 15 % small-contract rate applies under US$150).
    assert body["fee"] == {
        "amount": 20_000,
        "currency": "USD",
        "freelancer_fee_bps": 1000,
        "freelancer_fee": 2_000,
        "freelancer_receives": 18_000,
    }
    assert body["bidder"] is None and body["shortlisted"] is None
    bid = Bid.objects.get()
    assert (bid.freelancer, bid.job, bid.proposal) == (rahim, job, PROPOSAL)


@pytest.mark.parametrize("amount", [10_000, 50_000])
def test_the_budget_limits_themselves_are_allowed(job: Job, rahim: User, amount: int) -> None:
    assert bid_on(job, rahim, amount=amount).amount == amount


@pytest.mark.parametrize("amount", [9_999, 50_001, 1])
def test_a_bid_outside_the_budget_is_refused_with_the_range(
    client: Client, job: Job, rahim: User, amount: int
) -> None:
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids",
        {"amount": amount, "delivery_days": 10, "proposal": PROPOSAL},
        content_type="application/json",
        **_bearer(rahim),
    )
    body = _problem(response, 422)
    assert (
        _fields(body)["amount"] == "The amount must be between US$100.00 and US$500.00, the buyer's budget."
    )
    assert not Bid.objects.exists()


def test_every_bad_field_is_reported_at_once(job: Job, rahim: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.place_bid(freelancer=rahim, job_id=job.pk, amount=99, delivery_days=0, proposal="  short  ")
    assert set(caught.value.message_dict) == {"amount", "delivery_days", "proposal"}
    assert "at least 20 characters" in caught.value.message_dict["proposal"][0]
    assert "between 1 and 365 days" in caught.value.message_dict["delivery_days"][0]
    with pytest.raises(ValidationError) as caught:
        services.place_bid(
            freelancer=rahim, job_id=job.pk, amount=20_000, delivery_days=366, proposal=PROPOSAL
        )
    assert set(caught.value.message_dict) == {"delivery_days"}
    with pytest.raises(ValidationError) as caught:
        services.place_bid(
            freelancer=rahim, job_id=job.pk, amount=20_000, delivery_days=5, proposal="x" * 10_001
        )
    assert "at most 10000 characters" in caught.value.message_dict["proposal"][0]
    with pytest.raises(ValidationError):
        services.place_bid(freelancer=rahim, job_id=job.pk, amount=True, delivery_days=5, proposal=PROPOSAL)
    assert not Bid.objects.exists()


def test_the_api_refuses_amounts_that_are_not_whole_minor_units(
    client: Client, job: Job, rahim: User
) -> None:
    for amount in ["20000", 200.5]:
        response = client.post(
            f"/api/v1/jobs/{job.pk}/bids",
            {"amount": amount, "delivery_days": 10, "proposal": PROPOSAL},
            content_type="application/json",
            **_bearer(rahim),
        )
        assert "amount" in _fields(_problem(response, 422))
    assert not Bid.objects.exists()


def test_a_second_live_bid_is_refused(client: Client, job: Job, rahim: User) -> None:
    first = bid_on(job, rahim)
    before = snapshot()
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids",
        {"amount": 30_000, "delivery_days": 5, "proposal": PROPOSAL},
        content_type="application/json",
        **_bearer(rahim),
    )
    assert "already have a bid on this job" in _fields(_problem(response, 422))["job"]
    assert snapshot() == before
    # After withdrawing, bidding again is fine: one *live* bid per freelancer and job.
    services.withdraw_bid(freelancer=rahim, bid_id=first.pk)
    second = bid_on(job, rahim, amount=30_000)
    assert list(Bid.objects.order_by("pk").values_list("status", flat=True)) == ["withdrawn", "live"]
    assert second.amount == 30_000


def test_the_database_constraint_answers_a_racing_second_bid_clearly(
    job: Job, rahim: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    bid_on(job, rahim)
    before = snapshot()
    # As if the other request's bid was committed after this one's check: only the constraint is left.
    monkeypatch.setattr(services, "bidding_refusal", lambda user, job, now=None: None)
    with pytest.raises(ValidationError) as caught:
        bid_on(job, rahim, amount=30_000)
    assert "already have a bid on this job" in caught.value.message_dict["job"][0]
    assert snapshot() == before


def test_bidding_on_ones_own_job_is_refused(client: Client, buyer: User) -> None:
    # Even with a complete freelancer profile.
    own = freelancer("both@example.com", "Both")
    job = make_job(own)
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids",
        {"amount": 20_000, "delivery_days": 10, "proposal": PROPOSAL},
        content_type="application/json",
        **_bearer(own),
    )
    assert _fields(_problem(response, 422))["job"] == "You cannot bid on your own job."
    assert not Bid.objects.exists()


def test_a_bid_after_bidding_closed_is_refused(client: Client, buyer: User, rahim: User) -> None:
    now = timezone.now()
    past_close = make_job(buyer, bidding_closes_at=now - dt.timedelta(minutes=1))  # the task has not run yet
    closed = make_job(buyer, status=JobStatus.CLOSED)
    cancelled = make_job(buyer, status=JobStatus.CANCELLED)
    awarded = make_job(buyer, status=JobStatus.AWARDED)
    expected = {
        past_close: "Bidding on this job has closed.",
        closed: "This job takes no bids: it is “Closed (no award)”.",
        cancelled: "This job takes no bids: it is “Cancelled”.",
        awarded: "This job takes no bids: it is “Awarded”.",
    }
    for job, message in expected.items():
        response = client.post(
            f"/api/v1/jobs/{job.pk}/bids",
            {"amount": 20_000, "delivery_days": 10, "proposal": PROPOSAL},
            content_type="application/json",
            **_bearer(rahim),
        )
        assert _fields(_problem(response, 422))["job"] == message
    assert not Bid.objects.exists()


def test_an_incomplete_profile_is_told_what_is_missing(client: Client, job: Job) -> None:
    newcomer = make_user("new@example.com")
    account_services.update_profile(user=newcomer, fields={"display_name": "New", "country": "BD"})
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids",
        {"amount": 20_000, "delivery_days": 10, "proposal": PROPOSAL},
        content_type="application/json",
        **_bearer(newcomer),
    )
    message = _fields(_problem(response, 422))["profile"]
    assert message.startswith("Complete your freelancer profile before you bid.")
    for missing in ("headline", "about you", "skills", "languages"):
        assert missing in message
    assert "display name" not in message
    assert not Bid.objects.exists()


def test_drafts_and_unknown_jobs_answer_404(client: Client, buyer: User, rahim: User) -> None:
    draft = make_job(buyer, status=JobStatus.DRAFT, published_at=None)
    for job_id in (draft.pk, 999_999, 2**63):
        response = client.post(
            f"/api/v1/jobs/{job_id}/bids",
            {"amount": 20_000, "delivery_days": 10, "proposal": PROPOSAL},
            content_type="application/json",
            **_bearer(rahim),
        )
        _problem(response, 404)
        _problem(client.get(f"/api/v1/jobs/{job_id}/bids", **_bearer(rahim)), 404)
    assert not Bid.objects.exists()


def test_invite_only_jobs_take_bids_from_invited_freelancers_only(
    client: Client, buyer: User, rahim: User, karim: User
) -> None:
    job = make_job(buyer, visibility=Visibility.INVITE_ONLY)
    JobInvitation.objects.create(job=job, freelancer=rahim)
    payload = {"amount": 20_000, "delivery_days": 10, "proposal": PROPOSAL}
    # The uninvited cannot even tell the job exists.
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids", payload, content_type="application/json", **_bearer(karim)
    )
    _problem(response, 404)
    _problem(client.get(f"/api/v1/jobs/{job.pk}/bids", **_bearer(karim)), 404)
    _problem(client.get(f"/api/v1/jobs/{job.pk}/bids/quote?amount=20000", **_bearer(karim)), 404)
    client.force_login(karim)
    assert client.get(reverse("bids:bid-new", args=[job.pk])).status_code == 404
    assert not Bid.objects.exists()
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids", payload, content_type="application/json", **_bearer(rahim)
    )
    assert response.status_code == 201
    assert Bid.objects.get().freelancer == rahim


def test_a_confidential_job_needs_the_nda_before_a_bid(client: Client, buyer: User, rahim: User) -> None:
    job = make_job(buyer, is_confidential=True)
    payload = {"amount": 20_000, "delivery_days": 10, "proposal": PROPOSAL}
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids", payload, content_type="application/json", **_bearer(rahim)
    )
    assert "accept its NDA" in _fields(_problem(response, 422))["job"]
    assert not Bid.objects.exists()
    # The page says so instead of showing the form.
    client.force_login(rahim)
    page = client.get(reverse("bids:bid-new", args=[job.pk])).content.decode()
    assert "accept its NDA before you bid" in page
    assert 'name="proposal"' not in page
    NdaAcceptance.objects.create(job=job, user=rahim, ip_address="203.0.113.9")
    response = client.post(
        f"/api/v1/jobs/{job.pk}/bids", payload, content_type="application/json", **_bearer(rahim)
    )
    assert response.status_code == 201


# --- Sealed bids ------------------------------------------------------------------------------------------------


def test_bids_are_sealed_from_other_freelancers(client: Client, job: Job, rahim: User, karim: User) -> None:
    bid_on(job, rahim, amount=23_456)
    mine = bid_on(job, karim, amount=31_000)
    # API: only one's own bid, with its fee.
    body = client.get(f"/api/v1/jobs/{job.pk}/bids", **_bearer(karim)).json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [mine.pk]
    assert "23456" not in str(body)
    # Page: the range and the number of bids, never the other amount.
    client.force_login(karim)
    page = client.get(reverse("bids:bid-new", args=[job.pk])).content.decode()
    assert "US$100.00 – US$500.00" in page
    assert "2 bids so far" in page
    assert "US$310.00" in page  # their own
    assert "US$234.56" not in page
    # A visitor who has not bid sees the same count and no amounts at all.
    visitor = freelancer("visitor@example.com", "Visitor")
    client.force_login(visitor)
    page = client.get(reverse("bids:bid-new", args=[job.pk])).content.decode()
    assert "2 bids so far" in page
    assert "US$234.56" not in page and "US$310.00" not in page
    assert client.get(f"/api/v1/jobs/{job.pk}/bids", **_bearer(visitor)).json() == {"items": [], "count": 0}


def test_the_job_page_panel_shows_each_viewer_their_part(
    job: Job, buyer: User, rahim: User, karim: User
) -> None:
    bid_on(job, rahim, amount=23_456)

    def render(user: Any) -> str:
        request = RequestFactory().get("/jobs/1/")
        request.user = user
        template = Template('{% include "bids/_job_bids.html" %}')
        return template.render(
            RequestContext(request, {"job": job, "is_buyer": False, "can_see_details": True})
        )

    buyer_view = render(buyer)
    assert "US$234.56" in buyer_view and "Rahim" in buyer_view and "Award" in buyer_view
    rahim_view = render(rahim)
    assert "Your bid" in rahim_view and "US$234.56" in rahim_view
    assert "You would receive" in rahim_view
    karim_view = render(karim)
    assert "US$234.56" not in karim_view
    assert 'name="amount"' in karim_view and f'hx-get="/jobs/{job.pk}/bids/quote/"' in karim_view
    from django.contrib.auth.models import AnonymousUser

    anonymous = render(AnonymousUser())
    assert "Log in to bid" in anonymous and "US$234.56" not in anonymous


def test_the_job_page_includes_the_bids_panel(
    client: Client, job: Job, buyer: User, rahim: User, karim: User
) -> None:
    bid_on(job, rahim, amount=23_456)
    url = selectors.job_path(job.pk)
    client.force_login(buyer)
    page = client.get(url).content.decode()
    assert (
        'id="bids"' in page
        and "US$234.56" in page
        and reverse("bids:bid-award", args=[Bid.objects.get().pk]) in page
    )
    client.force_login(karim)
    page = client.get(url).content.decode()
    assert 'id="bids"' in page and "US$234.56" not in page
    assert f'action="{reverse("bids:bid-new", args=[job.pk])}"' in page


# --- The fee preview --------------------------------------------------------------------------------------------


def test_the_quote_shows_what_the_fee_leaves(client: Client, job: Job, rahim: User) -> None:
    body = client.get(f"/api/v1/jobs/{job.pk}/bids/quote?amount=12000", **_bearer(rahim)).json()
    # Under US$150 the small-contract rate of 15 % applies.
    assert (body["freelancer_fee_bps"], body["freelancer_fee"], body["freelancer_receives"]) == (
        1500,
        1_800,
        10_200,
    )
    body = _problem(client.get(f"/api/v1/jobs/{job.pk}/bids/quote?amount=60000", **_bearer(rahim)), 422)
    assert "US$500.00" in _fields(body)["amount"]
    assert not Bid.objects.exists()


def test_the_page_preview_follows_the_typed_price(client: Client, job: Job, rahim: User) -> None:
    client.force_login(rahim)
    url = reverse("bids:bid-quote", args=[job.pk])
    assert (
        "You would receive <strong>US$180.00</strong> after the site fee of US$20.00 (10%)"
        in client.get(url, {"amount": "200"}).content.decode()
    )
    assert "between US$100.00 and US$500.00" in client.get(url, {"amount": "99.99"}).content.decode()
    assert "Enter a price such as" in client.get(url, {"amount": "abc"}).content.decode()
    assert "Enter a price such as" in client.get(url, {"amount": "1.001"}).content.decode()
    assert "Type your price" in client.get(url).content.decode()


# --- Pages: placing, editing, withdrawing ------------------------------------------------------------------------


def test_placing_a_bid_on_the_page(client: Client, job: Job, rahim: User) -> None:
    client.force_login(rahim)
    url = reverse("bids:bid-new", args=[job.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Place bid" in page.content.decode()
    response = client.post(url, {"amount": "600", "delivery_days": "10", "proposal": PROPOSAL})
    assert response.status_code == 400
    assert "The amount must be between US$100.00 and US$500.00" in response.content.decode()
    assert PROPOSAL in response.content.decode()  # what was typed is kept
    assert not Bid.objects.exists()
    response = client.post(url, {"amount": "250.50", "delivery_days": "10", "proposal": PROPOSAL})
    assert response.status_code == 302
    assert response["Location"] == selectors.job_path(job.pk) + "#bids"
    bid = Bid.objects.get()
    assert (bid.amount, bid.delivery_days) == (25_050, 10)


def test_the_bid_form_refuses_bad_numbers(client: Client, job: Job, rahim: User) -> None:
    client.force_login(rahim)
    url = reverse("bids:bid-new", args=[job.pk])
    for data in (
        {"amount": "250.505", "delivery_days": "10", "proposal": PROPOSAL},
        {"amount": "-5", "delivery_days": "10", "proposal": PROPOSAL},
        {"amount": "250", "delivery_days": "0", "proposal": PROPOSAL},
        {"amount": "250", "delivery_days": "10", "proposal": "too short"},
    ):
        assert client.post(url, data).status_code == 400
    assert not Bid.objects.exists()


def test_editing_a_bid_keeps_to_the_same_rules(client: Client, job: Job, rahim: User, karim: User) -> None:
    bid = bid_on(job, rahim)
    client.force_login(rahim)
    url = reverse("bids:bid-edit", args=[bid.pk])
    page = client.get(url).content.decode()
    assert 'value="200.00"' in page
    before = snapshot()
    response = client.post(url, {"amount": "501", "delivery_days": "7", "proposal": PROPOSAL})
    assert response.status_code == 400 and "US$500.00" in response.content.decode()
    assert snapshot() == before
    response = client.post(url, {"amount": "450", "delivery_days": "7", "proposal": PROPOSAL + " Fast."})
    assert response.status_code == 302
    bid.refresh_from_db()
    assert (bid.amount, bid.delivery_days, bid.proposal) == (45_000, 7, PROPOSAL + " Fast.")
    # API: partial changes; someone else's bid is unknown to them.
    response = client.patch(
        f"/api/v1/bids/{bid.pk}", {"delivery_days": 3}, content_type="application/json", **_bearer(rahim)
    )
    assert response.status_code == 200 and response.json()["delivery_days"] == 3
    before = snapshot()
    _problem(
        client.patch(
            f"/api/v1/bids/{bid.pk}", {"amount": 10_000}, content_type="application/json", **_bearer(karim)
        ),
        404,
    )
    client.force_login(karim)
    assert client.get(url).status_code == 404
    assert snapshot() == before


def test_bids_cannot_be_changed_or_withdrawn_after_bidding_closes(
    client: Client, job: Job, rahim: User
) -> None:
    bid = bid_on(job, rahim)
    before = snapshot()
    with time_machine.travel(job.bidding_closes_at + dt.timedelta(seconds=1), tick=False):
        response = client.patch(
            f"/api/v1/bids/{bid.pk}", {"amount": 30_000}, content_type="application/json", **_bearer(rahim)
        )
        assert _fields(_problem(response, 422))["job"] == "Bidding on this job has closed."
        response = client.post(f"/api/v1/bids/{bid.pk}/withdraw", **_bearer(rahim))
        assert "can no longer be withdrawn" in _fields(_problem(response, 422))["job"]
        client.force_login(rahim)
        page = client.get(reverse("bids:bid-edit", args=[bid.pk])).content.decode()
        assert "Bidding on this job has closed." in page and 'name="amount"' not in page
    assert snapshot() == before


def test_withdrawing_a_bid(client: Client, job: Job, rahim: User, karim: User) -> None:
    bid = bid_on(job, rahim)
    before = snapshot()
    _problem(client.post(f"/api/v1/bids/{bid.pk}/withdraw", **_bearer(karim)), 404)
    assert snapshot() == before
    client.force_login(rahim)
    response = client.post(reverse("bids:bid-withdraw", args=[bid.pk]))
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.status == BidStatus.WITHDRAWN
    # Withdrawing again, or editing a withdrawn bid, is refused.
    response = client.post(f"/api/v1/bids/{bid.pk}/withdraw", **_bearer(rahim))
    assert "it is “Withdrawn”" in _fields(_problem(response, 422))["status"]
    response = client.patch(
        f"/api/v1/bids/{bid.pk}", {"amount": 30_000}, content_type="application/json", **_bearer(rahim)
    )
    _problem(response, 422)
    bid.refresh_from_db()
    assert (bid.status, bid.amount) == (BidStatus.WITHDRAWN, 20_000)


# --- The buyer's view ---------------------------------------------------------------------------------------------


def test_the_buyer_sees_every_bid_with_the_bidders_record(
    client: Client, job: Job, buyer: User, rahim: User, karim: User
) -> None:
    slow = bid_on(job, rahim, amount=40_000, days=20)
    cheap = bid_on(job, karim, amount=15_000, days=30)
    # Rahim completed a contract before (on another job).
    other = make_job(buyer)
    earlier = Bid.objects.create(
        job=other,
        freelancer=rahim,
        amount=20_000,
        delivery_days=3,
        proposal=PROPOSAL,
        status=BidStatus.ACCEPTED,
    )
    Contract.objects.create(
        job=other,
        bid=earlier,
        buyer=buyer,
        freelancer=rahim,
        price=20_000,
        currency="USD",
        deadline=timezone.now(),
        status=ContractStatus.COMPLETED,
    )
    body = client.get(f"/api/v1/jobs/{job.pk}/bids?sort=amount", **_bearer(buyer)).json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [cheap.pk, slow.pk]
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[slow.pk]["bidder"] == {
        "id": rahim.pk,
        "name": "Rahim",
        "profile_url": f"/people/{rahim.pk}/",
        "country": "BD",
        "english_level": "fluent",
        "completed_contracts": 1,
        "on_time_rate": None,
        "rating": None,
        "ranking_score": 0,
    }
    assert by_id[cheap.pk]["bidder"]["english_level"] == "basic"
    assert by_id[cheap.pk]["bidder"]["completed_contracts"] == 0
    assert by_id[cheap.pk]["shortlisted"] is False
    assert by_id[cheap.pk]["fee"] is None
    orders = {
        "delivery": [slow.pk, cheap.pk],
        "completed": [slow.pk, cheap.pk],
        "newest": [cheap.pk, slow.pk],
    }
    for sort, expected in orders.items():
        body = client.get(f"/api/v1/jobs/{job.pk}/bids?sort={sort}", **_bearer(buyer)).json()
        assert [item["id"] for item in body["items"]] == expected, sort
    body = client.get(f"/api/v1/jobs/{job.pk}/bids?sort=amount&limit=1&offset=1", **_bearer(buyer)).json()
    assert (body["count"], [item["id"] for item in body["items"]]) == (2, [slow.pk])
    _problem(client.get(f"/api/v1/jobs/{job.pk}/bids?sort=cheapest", **_bearer(buyer)), 422)
    # The page: a table with both bidders, their countries and English levels, and the sort links.
    client.force_login(buyer)
    page = client.get(reverse("bids:job-bids", args=[job.pk]), {"bid_sort": "amount"}).content.decode()
    assert page.index("US$150.00") < page.index("US$400.00")
    for text in (
        "Rahim",
        "Karim",
        "Bangladesh",
        "India",
        "Fluent",
        "Basic",
        "1 completed contract",
        "Lowest price",
    ):
        assert text in page, text


def test_the_buyers_list_takes_a_fixed_number_of_queries(
    client: Client, job: Job, buyer: User, django_assert_max_num_queries: Any
) -> None:
    headers = _bearer(buyer)
    for n in range(2):
        bid_on(job, freelancer(f"f{n}@example.com", f"F{n}"))
    client.get(f"/api/v1/jobs/{job.pk}/bids", **headers)  # warm up (token use is recorded once a minute)
    with django_assert_max_num_queries(12) as few:
        assert client.get(f"/api/v1/jobs/{job.pk}/bids", **headers).json()["count"] == 2
    for n in range(2, 8):
        bid_on(job, freelancer(f"f{n}@example.com", f"F{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/api/v1/jobs/{job.pk}/bids", **headers).json()["count"] == 8
    assert len(selectors.bidder_stats(User.objects.all())) == User.objects.count()


def test_shortlisting_is_the_buyers_private_note(
    client: Client, job: Job, buyer: User, rahim: User, karim: User
) -> None:
    bid = bid_on(job, rahim)
    bid_on(job, karim)
    response = client.post(
        f"/api/v1/bids/{bid.pk}/shortlist",
        {"shortlisted": True},
        content_type="application/json",
        **_bearer(buyer),
    )
    assert response.status_code == 200 and response.json()["shortlisted"] is True
    body = client.get(f"/api/v1/jobs/{job.pk}/bids?shortlisted=true", **_bearer(buyer)).json()
    assert [item["id"] for item in body["items"]] == [bid.pk]
    # The freelancer does not see it.
    assert client.get(f"/api/v1/bids/{bid.pk}", **_bearer(rahim)).json()["shortlisted"] is None
    client.force_login(buyer)
    response = client.post(reverse("bids:bid-shortlist", args=[bid.pk]), {})
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.shortlisted is False
    response = client.post(reverse("bids:bid-shortlist", args=[bid.pk]), {"shortlisted": "1"})
    bid.refresh_from_db()
    assert bid.shortlisted is True
    page = client.get(reverse("bids:job-bids", args=[job.pk]), {"shortlisted": "1"}).content.decode()
    assert "Rahim" in page and "Karim" not in page


def test_rejecting_a_bid_tells_the_freelancer(
    client: Client, job: Job, buyer: User, rahim: User, django_capture_on_commit_callbacks: Any
) -> None:
    bid = bid_on(job, rahim)
    client.force_login(buyer)
    url = reverse("bids:bid-reject", args=[bid.pk])
    assert "Reject the bid" in client.get(url).content.decode()
    before = snapshot()
    response = client.post(url, {"message": "x" * 2001})
    assert response.status_code == 400
    assert snapshot() == before
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "  We chose a local team, sorry.  "})
    assert response.status_code == 302
    bid.refresh_from_db()
    assert (bid.status, bid.rejection_message) == (BidStatus.REJECTED, "We chose a local team, sorry.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [rahim.email]
    assert "Build an online shop" in mail.outbox[0].subject
    assert "We chose a local team, sorry." in mail.outbox[0].body
    # The freelancer reads the message on their bids page; a second rejection is refused.
    client.force_login(rahim)
    assert "We chose a local team, sorry." in client.get(reverse("bids:my-bids")).content.decode()
    response = client.post(
        f"/api/v1/bids/{bid.pk}/reject", {}, content_type="application/json", **_bearer(buyer)
    )
    _problem(response, 422)
    assert len(mail.outbox) == 1


# --- Award, accept, decline, expire --------------------------------------------------------------------------------


def test_award_then_accept_creates_one_contract_and_tells_everyone(
    client: Client, job: Job, buyer: User, rahim: User, karim: User, commit: Callable[..., Any]
) -> None:
    winner = bid_on(job, rahim, amount=30_000, days=12)
    loser = bid_on(job, karim, amount=25_000)
    third = bid_on(job, freelancer("third@example.com", "Third"))
    services.withdraw_bid(freelancer=third.freelancer, bid_id=third.pk)

    response = commit(client.post, f"/api/v1/bids/{winner.pk}/award", **_bearer(buyer))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "awarded"
    awarded_at = dt.datetime.fromisoformat(body["awarded_at"])
    assert dt.datetime.fromisoformat(body["award_expires_at"]) == awarded_at + dt.timedelta(days=3)
    assert [m.to for m in mail.outbox] == [[rahim.email]]
    assert "You were awarded" in mail.outbox[0].subject
    assert reverse("bids:my-bids") in mail.outbox[0].body
    loser.refresh_from_db()
    assert loser.status == BidStatus.LIVE  # the other bids stay live until the answer
    # While the award is pending the job takes no new bids.
    late = freelancer("late@example.com", "Late")
    with pytest.raises(ValidationError, match="waits for an answer"):
        bid_on(job, late)

    mail.outbox.clear()
    client.force_login(rahim)
    page = client.get(reverse("bids:my-bids")).content.decode()
    assert "Accept the award" in page and "You would receive <strong>US$270.00</strong>" in page
    response = commit(client.post, reverse("bids:bid-accept", args=[winner.pk]))
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:contract-detail", args=[contract.pk])
    winner.refresh_from_db()
    loser.refresh_from_db()
    job.refresh_from_db()
    assert (winner.status, loser.status, job.status) == (
        BidStatus.ACCEPTED,
        BidStatus.LOST,
        JobStatus.AWARDED,
    )
    assert Bid.objects.get(pk=third.pk).status == BidStatus.WITHDRAWN
    assert (contract.job, contract.bid, contract.buyer, contract.freelancer) == (job, winner, buyer, rahim)
    assert (contract.price, contract.currency, contract.status) == (
        30_000,
        "USD",
        ContractStatus.AWAITING_FUNDING,
    )
    assert winner.responded_at is not None
    assert contract.deadline == winner.responded_at + dt.timedelta(days=12)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([buyer.email, karim.email])
    to_buyer = next(m for m in mail.outbox if m.to == [buyer.email])
    assert "Rahim accepted" in to_buyer.subject
    assert reverse("contracts:contract-detail", args=[contract.pk]) in to_buyer.body
    to_loser = next(m for m in mail.outbox if m.to == [karim.email])
    assert "awarded to another freelancer" in to_loser.subject

    # Accepting again changes nothing; the contract page shows the deal to both parties only.
    before = snapshot()
    response = client.post(f"/api/v1/bids/{winner.pk}/accept", **_bearer(rahim))
    assert _fields(_problem(response, 422))["status"] == "You already accepted this award."
    assert snapshot() == before
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk])).content.decode()
    for text in ("Awaiting funding", "US$300.00", "Rahim", "buyer", "US$270.00"):
        assert text in page, text
    client.force_login(buyer)
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk])).content.decode()
    assert "Awaiting funding" in page and "US$309.00" in page  # price plus the 3 % buyer fee
    client.force_login(karim)
    assert client.get(reverse("contracts:contract-detail", args=[contract.pk])).status_code == 404
    assert "Build an online shop" not in client.get(reverse("contracts:contract-list")).content.decode()
    # The API agrees.
    body = client.get(f"/api/v1/contracts/{contract.pk}", **_bearer(buyer)).json()
    assert (body["price"], body["status"], body["freelancer"]["name"], body["bid_id"]) == (
        30_000,
        "awaiting_funding",
        "Rahim",
        winner.pk,
    )
    assert client.get("/api/v1/contracts", **_bearer(rahim)).json()["count"] == 1
    _problem(client.get(f"/api/v1/contracts/{contract.pk}", **_bearer(karim)), 404)
    assert client.get("/api/v1/contracts", **_bearer(karim)).json()["count"] == 0
    # And the job takes no more bids.
    with pytest.raises(ValidationError, match="Awarded"):
        bid_on(job, late)


def test_accepting_through_the_api_returns_the_contract(
    client: Client, job: Job, buyer: User, rahim: User
) -> None:
    bid = bid_on(job, rahim)
    services.award_bid(buyer=buyer, bid_id=bid.pk)
    body = client.post(f"/api/v1/bids/{bid.pk}/accept", **_bearer(rahim)).json()
    assert body["contract_id"] == Contract.objects.get().pk
    assert body["bid"]["status"] == "accepted" and body["bid"]["contract_id"] == body["contract_id"]
    mine = client.get("/api/v1/me/bids", **_bearer(rahim)).json()
    assert [(item["id"], item["status"]) for item in mine["items"]] == [(bid.pk, "accepted")]


def test_a_declined_award_lets_the_buyer_award_another_bid(
    client: Client, job: Job, buyer: User, rahim: User, karim: User, commit: Callable[..., Any]
) -> None:
    first = bid_on(job, rahim)
    second = bid_on(job, karim)
    commit(services.award_bid, buyer=buyer, bid_id=first.pk)
    # Only one award at a time.
    before = snapshot()
    response = client.post(f"/api/v1/bids/{second.pk}/award", **_bearer(buyer))
    assert "already awarded to another bid" in _fields(_problem(response, 422))["job"]
    assert snapshot() == before

    mail.outbox.clear()
    client.force_login(rahim)
    response = commit(client.post, reverse("bids:bid-decline", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == BidStatus.DECLINED and first.responded_at is not None
    assert [m.to for m in mail.outbox] == [[buyer.email]]
    assert "Rahim declined" in mail.outbox[0].subject

    client.force_login(buyer)
    assert "Award the job" in client.get(reverse("bids:bid-award", args=[second.pk])).content.decode()
    response = commit(client.post, reverse("bids:bid-award", args=[second.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == BidStatus.AWARDED
    # The declined award cannot be taken back.
    response = client.post(f"/api/v1/bids/{first.pk}/accept", **_bearer(rahim))
    assert "no award waiting" in _fields(_problem(response, 422))["status"]
    assert not Contract.objects.exists()


def test_an_unanswered_award_expires(
    client: Client, job: Job, buyer: User, rahim: User, karim: User, commit: Callable[..., Any], settings: Any
) -> None:
    settings.HAAT_AWARD_RESPONSE_DAYS = 2
    bid = bid_on(job, rahim)
    other = bid_on(job, karim)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        commit(services.award_bid, buyer=buyer, bid_id=bid.pk)
    bid.refresh_from_db()
    assert bid.award_expires_at == start + dt.timedelta(days=2)
    mail.outbox.clear()
    with time_machine.travel(start + dt.timedelta(days=1, hours=23), tick=False):
        assert tasks.expire_awards.call() == 0
    with time_machine.travel(start + dt.timedelta(days=2, seconds=1), tick=False):
        # Too late to accept, even before the task has run; nothing changes.
        before = snapshot()
        response = client.post(f"/api/v1/bids/{bid.pk}/accept", **_bearer(rahim))
        assert "expired" in _fields(_problem(response, 422))["status"]
        assert snapshot() == before
        assert commit(tasks.expire_awards.call) == 1
        assert commit(tasks.expire_awards.call) == 0  # idempotent
    bid.refresh_from_db()
    other.refresh_from_db()
    assert (bid.status, other.status) == (BidStatus.EXPIRED, BidStatus.LIVE)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([buyer.email, rahim.email])
    # The buyer may award again, and the job takes bids again.
    services.award_bid(buyer=buyer, bid_id=other.pk)
    assert Bid.objects.get(pk=other.pk).status == BidStatus.AWARDED


def test_awarding_schedules_the_expiry_check(
    job: Job, buyer: User, rahim: User, commit: Callable[..., Any]
) -> None:
    from django_tasks_db.models import DBTaskResult

    bid = bid_on(job, rahim)
    commit(services.award_bid, buyer=buyer, bid_id=bid.pk)
    bid.refresh_from_db()
    scheduled = DBTaskResult.objects.get(task_path="haat.bids.tasks.expire_awards")
    assert scheduled.run_after == bid.award_expires_at


def test_an_award_needs_an_open_job(client: Client, buyer: User, rahim: User) -> None:
    job = make_job(buyer)
    bid = bid_on(job, rahim)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.CANCELLED)
    before = snapshot()
    response = client.post(f"/api/v1/bids/{bid.pk}/award", **_bearer(buyer))
    assert "Only an open job can be awarded" in _fields(_problem(response, 422))["job"]
    assert snapshot() == before


def test_the_close_task_closes_live_bids_of_finished_jobs(buyer: User, rahim: User, karim: User) -> None:
    closed = make_job(buyer)
    still_open = make_job(buyer)
    gone = bid_on(closed, rahim)
    withdrawn = bid_on(closed, karim)
    services.withdraw_bid(freelancer=karim, bid_id=withdrawn.pk)
    kept = bid_on(still_open, rahim)
    Job.objects.filter(pk=closed.pk).update(status=JobStatus.CLOSED)
    assert tasks.close_bids.call() == 1
    assert tasks.close_bids.call() == 0
    statuses = dict(Bid.objects.values_list("pk", "status"))
    assert statuses == {gone.pk: "closed", withdrawn.pk: "withdrawn", kept.pk: "live"}


def test_emails_are_written_in_the_recipients_language(
    job: Job, buyer: User, rahim: User, commit: Callable[..., Any]
) -> None:
    account_services.set_language(user=rahim, language="bn")
    bid = bid_on(job, rahim, amount=12_345)
    commit(services.award_bid, buyer=buyer, bid_id=bid.pk)
    assert "US$১২৩.৪৫" in mail.outbox[0].body


# --- Who may do what ------------------------------------------------------------------------------------------


def test_nobody_acts_on_someone_elses_bid(
    client: Client, job: Job, buyer: User, rahim: User, karim: User
) -> None:
    bid = bid_on(job, rahim)
    stranger_job = make_job(karim)
    stranger_bid = bid_on(stranger_job, rahim)
    before = snapshot()
    buyer_only = ["shortlist", "reject", "award"]
    freelancer_only = ["withdraw", "accept", "decline"]
    payloads = {"shortlist": {"shortlisted": True}, "reject": {"message": "no"}}
    # The freelancer cannot use the buyer's actions, and another buyer cannot either.
    for actor, target in ((rahim, bid), (buyer, stranger_bid), (karim, bid)):
        for action in buyer_only:
            response = client.post(
                f"/api/v1/bids/{target.pk}/{action}",
                payloads.get(action, {}),
                content_type="application/json",
                **_bearer(actor),
            )
            _problem(response, 404)
    # The buyer and strangers cannot use the freelancer's actions.
    for actor in (buyer, karim):
        for action in freelancer_only:
            _problem(client.post(f"/api/v1/bids/{bid.pk}/{action}", **_bearer(actor)), 404)
        response = client.patch(
            f"/api/v1/bids/{bid.pk}", {"amount": 30_000}, content_type="application/json", **_bearer(actor)
        )
        _problem(response, 404)
    _problem(client.get(f"/api/v1/bids/{bid.pk}", **_bearer(karim)), 404)
    # The same through the pages.
    client.force_login(karim)
    for name in ("bid-shortlist", "bid-reject", "bid-award", "bid-withdraw", "bid-accept", "bid-decline"):
        assert client.post(reverse(f"bids:{name}", args=[bid.pk])).status_code == 404, name
    assert client.get(reverse("bids:bid-edit", args=[bid.pk])).status_code == 404
    assert client.get(reverse("bids:job-bids", args=[job.pk])).status_code == 404
    client.force_login(buyer)
    for name in ("bid-withdraw", "bid-accept", "bid-decline"):
        assert client.post(reverse(f"bids:{name}", args=[bid.pk])).status_code == 404, name
    assert client.get(reverse("bids:bid-reject", args=[stranger_bid.pk])).status_code == 404
    # And without logging in at all.
    client.logout()
    _problem(client.post(f"/api/v1/bids/{bid.pk}/award"), 401)
    assert client.post(reverse("bids:bid-award", args=[bid.pk])).status_code == 302  # to the log-in page
    assert snapshot() == before


def test_racing_awards_on_one_job_award_only_one(transactional_db: None) -> None:
    buyer = make_user("racer-buyer@example.com")
    job = make_job(buyer)
    bids = [bid_on(job, freelancer(f"racer{n}@example.com", f"Racer {n}")) for n in range(4)]
    results: list[Bid] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(bids))

    def award(bid: Bid) -> None:
        try:
            barrier.wait()
            results.append(services.award_bid(buyer=buyer, bid_id=bid.pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award, args=(bid,)) for bid in bids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1
    assert len(errors) == len(bids) - 1
    assert all(isinstance(e, ValidationError) and "already awarded" in str(e) for e in errors), errors
    assert Bid.objects.filter(status=BidStatus.AWARDED).count() == 1
    assert Bid.objects.filter(status=BidStatus.LIVE).count() == len(bids) - 1


def test_racing_accept_and_expiry_leave_one_outcome(transactional_db: None) -> None:
    buyer = make_user("race2-buyer@example.com")
    job = make_job(buyer)
    rahim = freelancer("race2@example.com", "Race")
    bid = bid_on(job, rahim)
    services.award_bid(buyer=buyer, bid_id=bid.pk)
    Bid.objects.filter(pk=bid.pk).update(award_expires_at=timezone.now() + dt.timedelta(milliseconds=300))
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def run(work: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes.append(work())
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(lambda: services.accept_award(freelancer=rahim, bid_id=bid.pk),)),
        threading.Thread(
            target=run,
            args=(lambda: services.expire_due_awards(now=timezone.now() + dt.timedelta(seconds=1)),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bid.refresh_from_db()
    assert bid.status in (BidStatus.ACCEPTED, BidStatus.EXPIRED)
    assert Contract.objects.count() == (1 if bid.status == BidStatus.ACCEPTED else 0)


# --- Pages for the freelancer ------------------------------------------------------------------------------------


def test_my_bids_page_lists_bids_with_their_status(
    client: Client, job: Job, buyer: User, rahim: User
) -> None:
    bid = bid_on(job, rahim)
    other = bid_on(make_job(buyer, title="Translate a manual"), rahim, amount=11_000)
    services.reject_bid(buyer=buyer, bid_id=other.pk)
    client.force_login(rahim)
    page = client.get(reverse("bids:my-bids")).content.decode()
    assert "Build an online shop" in page and "Translate a manual" in page
    assert "Live" in page and "Rejected" in page
    assert "Accept the award" not in page
    services.award_bid(buyer=buyer, bid_id=bid.pk)
    page = client.get(reverse("bids:my-bids")).content.decode()
    assert "Accept the award" in page and "Decline" in page


def test_pages_work_in_bengali(client: Client, job: Job, rahim: User) -> None:
    bid_on(job, rahim, amount=12_345)
    client.force_login(rahim)
    client.cookies["haat_language"] = "bn"
    page = client.get(reverse("bids:my-bids")).content.decode()
    assert 'lang="bn"' in page
    assert "US$১২৩.৪৫" in page


def test_the_bid_page_sends_the_buyer_to_the_bids_table(client: Client, job: Job, buyer: User) -> None:
    client.force_login(buyer)
    response = client.get(reverse("bids:bid-new", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("bids:job-bids", args=[job.pk])
    assert "No bids yet." in client.get(reverse("bids:job-bids", args=[job.pk])).content.decode()
