"""Reviews (one per side, double-blind), the ranking formula and the freelancer directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import services as bid_services
from haat.bids.selectors import bidder_stats
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import make_user
from haat.contracts.models import Contract, ContractStatus, Delivery, Milestone
from haat.jobs.models import Skill
from haat.ledger.selectors import verify
from haat.reputation import ranking, selectors, views
from haat.reputation.models import Review
from haat.reputation.services import ReviewStateError, leave_review, publish_blind_reviews, record_event

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
FIVE = {"quality": 5, "communication": 5, "deadlines": 5}


def _bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


def make_contract(
    buyer: User,
    worker: User,
    *,
    price: int = 20_000,
    status: str = ContractStatus.COMPLETED,
    late: tuple[bool, ...] = (False,),
) -> Contract:
    """A contract through bid, award and acceptance, then set to ``status`` with deliveries (late or not)."""
    bid = bid_on(make_job(buyer), worker, amount=price)
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    contract = bid_services.accept_award(freelancer=worker, bid_id=bid.pk)
    milestone = Milestone.objects.get(contract=contract)
    for version, is_late in enumerate(late, start=1):
        Delivery.objects.create(
            milestone=milestone,
            version=version,
            file=f"deliveries/{contract.pk}/{version}.zip",
            original_name="work.zip",
            size=10,
            sha256="0" * 64,
            entry_count=1,
            uncompressed_size=10,
            is_late=is_late,
        )
    ended = timezone.now() if status in (ContractStatus.COMPLETED, ContractStatus.CANCELLED) else None
    Contract.objects.filter(pk=contract.pk).update(status=status, ended_at=ended)
    contract.refresh_from_db()
    return contract


def _rows() -> list[tuple[Any, ...]]:
    return list(
        Review.objects.order_by("pk").values_list(
            "pk", "author_id", "quality", "communication", "deadlines", "text", "published_at"
        )
    )


@pytest.fixture
def buyer(db: None) -> User:
    return make_user("buyer@example.com")


@pytest.fixture
def rahim(db: None) -> User:
    return freelancer("rahim@example.com", "Rahim")


@pytest.fixture
def contract(buyer: User, rahim: User) -> Contract:
    return make_contract(buyer, rahim)


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Iterator[Callable[..., Any]]:
    def run(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    yield run


# --- One review per side, double-blind -------------------------------------------------------------------------


def test_each_side_reviews_once_and_both_are_published_when_the_second_arrives(
    client: Client, buyer: User, rahim: User, contract: Contract, commit: Callable[..., Any]
) -> None:
    first = commit(leave_review, user=buyer, contract_id=contract.pk, text="Great work, on time.", **FIVE)
    assert first.published_at is None and first.subject_id == rahim.pk
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [rahim.email]
    assert "Great work" not in mail.outbox[0].body  # the content stays blind

    # Blind: the freelancer sees nothing yet, the buyer sees their own; the public profile shows nothing.
    seen = client.get(f"/api/v1/contracts/{contract.pk}/reviews", **_bearer(rahim)).json()
    assert seen == []
    own = client.get(f"/api/v1/contracts/{contract.pk}/reviews", **_bearer(buyer)).json()
    assert [r["text"] for r in own] == ["Great work, on time."] and own[0]["published_at"] is None
    assert client.get(f"/api/v1/profiles/{rahim.pk}/reviews").json()["items"] == []
    assert ranking.rating(rahim) is None

    # A second review by the same side is refused; nothing changes.
    before = _rows()
    with pytest.raises(ReviewStateError):
        leave_review(user=buyer, contract_id=contract.pk, **FIVE)
    assert _rows() == before

    second = commit(
        leave_review,
        user=rahim,
        contract_id=contract.pk,
        quality=4,
        communication=5,
        deadlines=3,
        text="Clear.",
    )
    assert second.published_at is not None
    first.refresh_from_db()
    assert first.published_at == second.published_at
    seen = client.get(f"/api/v1/contracts/{contract.pk}/reviews", **_bearer(rahim)).json()
    assert {r["author_id"] for r in seen} == {buyer.pk, rahim.pk}
    public = client.get(f"/api/v1/profiles/{rahim.pk}/reviews").json()
    assert [r["text"] for r in public["items"]] == ["Great work, on time."]
    assert ranking.rating(rahim) == 5.0
    assert ranking.rating(buyer) is None  # the buyer's review was received as buyer, not as freelancer
    assert Review.objects.count() == 2


def test_a_lone_review_is_published_after_14_days_once(buyer: User, rahim: User, contract: Contract) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        review = leave_review(user=buyer, contract_id=contract.pk, **FIVE)
    with time_machine.travel(start + dt.timedelta(days=13, hours=23), tick=False):
        assert publish_blind_reviews() == 0
        assert list(selectors.visible_reviews_of_contract(rahim, contract)) == []
    later = start + dt.timedelta(days=14, minutes=1)
    with time_machine.travel(later, tick=False):
        assert publish_blind_reviews() == 1
        assert publish_blind_reviews() == 0  # idempotent
    review.refresh_from_db()
    assert review.published_at == later
    assert list(selectors.visible_reviews_of_contract(rahim, contract)) == [review]
    # The other side may still review within 60 days; it is published at once (nothing left to hide).
    with time_machine.travel(start + dt.timedelta(days=20), tick=False):
        answer = leave_review(user=rahim, contract_id=contract.pk, **FIVE)
    assert answer.published_at is not None


def test_the_periodic_task_publishes(buyer: User, contract: Contract) -> None:
    from haat.reputation import tasks

    leave_review(user=buyer, contract_id=contract.pk, **FIVE)
    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=False):
        assert tasks.publish_blind_reviews.call() == 1
    assert Review.objects.filter(published_at__isnull=False).count() == 1


# --- Who and when ---------------------------------------------------------------------------------------------


def test_only_the_parties_review(client: Client, buyer: User, rahim: User, contract: Contract) -> None:
    stranger = make_user("stranger@example.com")
    with pytest.raises(Contract.DoesNotExist):
        leave_review(user=stranger, contract_id=contract.pk, **FIVE)
    _problem(
        client.post(
            f"/api/v1/contracts/{contract.pk}/reviews", FIVE, "application/json", **_bearer(stranger)
        ),
        404,
    )
    _problem(client.get(f"/api/v1/contracts/{contract.pk}/reviews", **_bearer(stranger)), 404)
    _problem(client.post("/api/v1/contracts/999999/reviews", FIVE, "application/json", **_bearer(buyer)), 404)
    client.force_login(stranger)
    assert client.get(reverse("reputation:review-create", args=[contract.pk])).status_code == 404
    assert Review.objects.count() == 0


@pytest.mark.parametrize("status", [ContractStatus.ACTIVE, ContractStatus.CANCELLED, ContractStatus.DISPUTED])
def test_reviews_open_only_after_completion(client: Client, buyer: User, rahim: User, status: str) -> None:
    contract = make_contract(buyer, rahim, status=status)
    body = _problem(
        client.post(f"/api/v1/contracts/{contract.pk}/reviews", FIVE, "application/json", **_bearer(buyer)),
        409,
    )
    assert "completed" in body["detail"]
    assert Review.objects.count() == 0
    assert verify().ok


def test_reviews_close_60_days_after_the_end(client: Client, buyer: User, contract: Contract) -> None:
    assert contract.ended_at is not None
    with time_machine.travel(contract.ended_at + dt.timedelta(days=60, minutes=1), tick=False):
        body = _problem(
            client.post(
                f"/api/v1/contracts/{contract.pk}/reviews", FIVE, "application/json", **_bearer(buyer)
            ),
            409,
        )
    assert "60 days" in body["detail"]
    assert Review.objects.count() == 0


# --- Bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({**FIVE, "quality": 0}, "quality"),
        ({**FIVE, "communication": 6}, "communication"),
        ({**FIVE, "deadlines": -1}, "deadlines"),
        ({**FIVE, "quality": True}, "quality"),
        ({**FIVE, "text": "x" * 5001}, "text"),
    ],
)
def test_bad_input_changes_nothing(
    client: Client, buyer: User, contract: Contract, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        leave_review(user=buyer, contract_id=contract.pk, **values)
    assert field in raised.value.message_dict
    body = _problem(
        client.post(f"/api/v1/contracts/{contract.pk}/reviews", values, "application/json", **_bearer(buyer)),
        422,
    )
    assert field in {e["field"] for e in body["errors"]}
    client.force_login(buyer)
    page = client.post(reverse("reputation:review-create", args=[contract.pk]), values)
    assert page.status_code == 422
    assert Review.objects.count() == 0
    assert verify().ok


def test_api_errors(client: Client, buyer: User, contract: Contract) -> None:
    _problem(client.post(f"/api/v1/contracts/{contract.pk}/reviews", FIVE, "application/json"), 401)
    body = _problem(
        client.post(
            f"/api/v1/contracts/{contract.pk}/reviews",
            {"quality": "lots"},
            "application/json",
            **_bearer(buyer),
        ),
        422,
    )
    assert {"quality", "communication", "deadlines"} <= {e["field"] for e in body["errors"]}
    _problem(client.get("/api/v1/profiles/999999/reviews"), 404)
    assert Review.objects.count() == 0


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_review_page_and_panels(client: Client, buyer: User, rahim: User, contract: Contract) -> None:
    client.force_login(buyer)
    url = reverse("reputation:review-create", args=[contract.pk])
    assert "Publish my review" in client.get(url).content.decode()
    response = client.post(url, {**FIVE, "text": "Lovely **work**."}, follow=True)
    assert response.redirect_chain[-1][0].endswith(
        reverse("contracts:contract-detail", args=[contract.pk]) + "#reviews"
    )
    assert "stays hidden" in response.content.decode()
    assert Review.objects.get().text == "Lovely **work**."

    # The contract panel: the buyer sees their own review, the freelancer only that one exists and the form.
    request = RequestFactory().get("/")
    panel = Template('{% include "contracts/_review.html" %}')
    for_buyer = panel.render(Context({"contract": contract, "user": buyer, "request": request}))
    assert "Lovely" in for_buyer and "hidden until" in for_buyer
    for_rahim = panel.render(Context({"contract": contract, "user": rahim, "request": request}))
    assert "Lovely" not in for_rahim and "The other side has reviewed you" in for_rahim
    assert "Publish my review" in for_rahim

    leave_review(user=rahim, contract_id=contract.pk, quality=3, communication=3, deadlines=3)
    profile = Template('{% include "reputation/_profile_reviews.html" %}').render(
        Context({"profile": rahim.profile, "request": request})
    )
    assert "Lovely" in profile and "5.0" in profile and "100%" in profile


# --- The ranking formula --------------------------------------------------------------------------------------


def test_the_formula_on_a_hand_computed_example(
    buyer: User, rahim: User, django_assert_num_queries: Any
) -> None:
    # A: US$200.00, 5/5/5, on time:   200 × (15 − 9)/6 = +200, bonus 10 % of 200 = +20  → 220
    a = make_contract(buyer, rahim, price=20_000)
    # B: US$300.00, 2/3/1, late:      300 × (6 − 9)/6 = −150, no bonus                   → −150
    b = make_contract(buyer, rahim, price=30_000, late=(True, False))
    # C: US$100.00, no review, on time:  0 + bonus 10                                     → 10
    make_contract(buyer, rahim, price=10_000)
    # E: US$100.00, no review, no delivery on the site: no bonus either                → 0
    make_contract(buyer, rahim, price=10_000, late=())
    # D: still active — does not count in the score, but its first delivery counts in the on-time rate.
    make_contract(buyer, rahim, price=40_000, status=ContractStatus.ACTIVE, late=(False,))
    leave_review(user=buyer, contract_id=a.pk, **FIVE)
    leave_review(user=rahim, contract_id=a.pk, **FIVE)
    leave_review(user=buyer, contract_id=b.pk, quality=2, communication=3, deadlines=1)
    assert ranking.ranking_score(rahim) == 220 + 10  # B's review is still blind: it counts 0
    Review.objects.filter(contract=b).update(published_at=timezone.now())

    stats = ranking.stats_for([rahim])[rahim.pk]
    assert stats.ranking_score == 220 - 150 + 10 == 80
    assert stats.completed_contracts == 4
    assert stats.rating == (5 + 2) / 2
    assert stats.on_time_rate == 3 / 4  # first deliveries: A on time, B late, C on time, D on time
    assert ranking.on_time_rate(rahim) == 0.75 and ranking.rating(rahim) == 3.5

    # The missed-report penalty is part of the score, once per key.
    for _ in range(2):
        record_event(user=rahim, points=-1000, reason="Missed report", key=f"missed-report:{b.pk}:2025-01-03")
    assert ranking.ranking_score(rahim) == 80 - 1000
    assert ranking.stats_for([rahim])[rahim.pk].event_points == -1000

    # A fixed number of queries, whatever the number of users.
    others = [freelancer(f"f{n}@example.com", f"F{n}") for n in range(3)]
    with django_assert_num_queries(5):
        many = ranking.stats_for([rahim, *others, buyer])
    assert many[rahim.pk].ranking_score == -920 and many[buyer.pk].ranking_score == 0
    assert many[buyer.pk].rating is None and many[buyer.pk].on_time_rate is None

    # The buyer sees the same figures next to a bid.
    bid_stats = bidder_stats([rahim])[rahim.pk]
    assert (bid_stats.ranking_score, bid_stats.rating, bid_stats.on_time_rate) == (-920, 3.5, 0.75)
    assert bid_stats.completed_contracts == 4


# --- The directory --------------------------------------------------------------------------------------------


def test_the_directory_is_sorted_by_ranking_and_filtered(
    client: Client, buyer: User, rahim: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    karim = freelancer("karim@example.com", "Karim", country="IN")
    salma = freelancer("salma@example.com", "Salma")
    python = Skill.objects.create(slug="python-test", name="Python")
    salma.profile.skills.add(python)
    good = make_contract(buyer, karim, price=50_000)
    leave_review(user=buyer, contract_id=good.pk, **FIVE)
    leave_review(user=karim, contract_id=good.pk, **FIVE)  # karim: 500 + 50 = 550
    make_contract(buyer, salma, price=10_000)  # salma: 10
    record_event(user=rahim, points=-1000, reason="Missed report", key="missed-report:test:1")  # rahim: −1000

    api = client.get("/api/v1/freelancers").json()["items"]
    assert [f["name"] for f in api] == ["Karim", "Salma", "Rahim"]
    assert api[0]["ranking_score"] == 550 and api[0]["rating"] == 5.0 and api[0]["completed_contracts"] == 1
    assert api[0]["on_time_rate"] == 1.0 and api[2]["on_time_rate"] is None
    assert buyer.pk not in {f["id"] for f in api}  # a buyer with no skills is not a freelancer
    assert [f["name"] for f in client.get("/api/v1/freelancers?country=BD").json()["items"]] == [
        "Salma",
        "Rahim",
    ]
    assert [f["name"] for f in client.get("/api/v1/freelancers?skill=python-test").json()["items"]] == [
        "Salma"
    ]
    assert client.get("/api/v1/freelancers?skill=nothing").json()["items"] == []
    _problem(client.get("/api/v1/freelancers?country=BDX"), 422)

    page = client.get(reverse("reputation:directory")).content.decode()
    assert page.index("Karim") < page.index("Salma") < page.index("Rahim")
    assert "550" in page and "100%" in page
    filtered = client.get(reverse("reputation:directory"), {"country": "IN"}).content.decode()
    assert "Karim" in filtered and "Salma" not in filtered and "Rahim" not in filtered
    by_skill = client.get(reverse("reputation:directory"), {"skill": "python-test"}).content.decode()
    assert "Salma" in by_skill and "Karim" not in by_skill

    monkeypatch.setattr(views, "DIRECTORY_PAGE_SIZE", 2)
    second = client.get(reverse("reputation:directory"), {"page": 2}).content.decode()
    assert "Rahim" in second and "Karim" not in second and "Page 2 of 2" in second
