"""Script injection through every rendered text field, and SQL metacharacters in every search parameter.

Each field is filled with script tags, event-handler attributes, ``javascript:`` links and broken HTML, then the
page that shows it is parsed: no script element of ours, no ``on*`` attribute, no ``javascript:`` URL, and a
Content Security Policy without inline script on every page.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haat.accounts import services as account_services
from haat.bids import services as bid_services
from haat.bids.tests.test_bids import make_job
from haat.contracts import services as contract_services
from haat.contracts.models import StatusReport
from haat.disputes import services as dispute_services
from haat.disputes.models import DisputeReason
from haat.messaging import services as messaging_services
from haat.reputation.models import Review
from haat.web.tests.hostile.world import World, build, token

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert('xss-2')>",
    "[click](javascript:alert('xss-3'))",
    "<a href=\"javascript:alert('xss-4')\">link</a>",
    "\"><svg onload=alert('xss-5')>",
    "<iframe src=javascript:alert('xss-6')></iframe>",
    "<div><b>broken <i>html <table><tr><td",
]
HOSTILE = "\n\n".join(PAYLOADS)


class _Scan(HTMLParser):
    """Everything executable in a page: script bodies, event-handler attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        if tag in {"iframe", "svg", "object", "embed"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "xss" in data:
            self.found.append(f"<script>{data}")


def _assert_inert(response: Any) -> None:
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scan = _Scan()
    scan.feed(response.content.decode())
    assert scan.found == []
    assert "xss-" in response.content.decode()  # the text is there, shown as text


@pytest.fixture
def world() -> World:
    found = build()
    contract_services.fund_milestone(user=found.buyer, milestone_id=found.milestone.pk)
    return found


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    client.cookies["haat_language"] = "en"
    return client


def test_job_title_and_description(world: World, client: Client) -> None:
    job = make_job(world.buyer, title=PAYLOADS[0] + PAYLOADS[1], description=HOSTILE)
    _assert_inert(_as(client, world.worker).get(reverse("jobs:job-detail", args=[job.pk])))
    _assert_inert(client.get(reverse("jobs:job-list")))


def test_bid_proposal(world: World, client: Client) -> None:
    job = make_job(world.buyer, title="Another shop")
    bid_services.place_bid(
        freelancer=world.worker, job_id=job.pk, amount=20_000, delivery_days=5, proposal=HOSTILE
    )
    _assert_inert(_as(client, world.buyer).get(reverse("jobs:job-detail", args=[job.pk])))


def test_message_body(world: World, client: Client) -> None:
    messaging_services.post_message(user=world.worker, thread_id=world.thread.pk, body=HOSTILE)
    _assert_inert(_as(client, world.buyer).get(reverse("messaging:thread", args=[world.thread.pk])))


def test_profile_fields(world: World, client: Client) -> None:
    account_services.update_profile(
        user=world.worker, fields={"headline": PAYLOADS[1][:100], "bio": HOSTILE, "display_name": PAYLOADS[0]}
    )
    account_services.add_portfolio_item(
        user=world.worker, title=PAYLOADS[4], description=HOSTILE, link="https://example.com/work"
    )
    _assert_inert(_as(client, world.buyer).get(reverse("accounts:profile", args=[world.worker.pk])))
    _assert_inert(client.get(reverse("reputation:directory")))


def test_review_text(world: World, client: Client) -> None:
    Review.objects.create(
        contract=world.contract,
        author=world.buyer,
        subject=world.worker,
        quality=5,
        communication=5,
        deadlines=5,
        text=HOSTILE,
        published_at=timezone.now(),
    )
    _assert_inert(_as(client, world.buyer).get(reverse("accounts:profile", args=[world.worker.pk])))
    _assert_inert(client.get(reverse("contracts:contract-detail", args=[world.contract.pk])))


def test_status_report(world: World, client: Client) -> None:
    StatusReport.objects.create(
        contract=world.contract,
        week_ending=timezone.localdate() - dt.timedelta(days=(timezone.localdate().weekday() - 4) % 7),
        done=HOSTILE,
        next_steps=HOSTILE,
        blockers=HOSTILE,
        percent_complete=50,
    )
    _assert_inert(
        _as(client, world.buyer).get(reverse("contracts:contract-detail", args=[world.contract.pk]))
    )


def test_dispute_statement(world: World, client: Client) -> None:
    reason = DisputeReason.values[0]
    dispute = dispute_services.open_dispute(
        user=world.buyer, milestone_id=world.milestone.pk, reason=reason, statement=HOSTILE
    )
    _assert_inert(_as(client, world.worker).get(reverse("disputes:detail", args=[dispute.pk])))


def test_very_long_text_is_refused_clearly_through_the_api(world: World, client: Client) -> None:
    long = "A" * 200_000
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token(world.worker)}"}
    response = client.post(
        f"/api/v1/threads/{world.thread.pk}/messages",
        {"body": long},
        content_type="application/json",
        **bearer,
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "body"
    response = client.patch("/api/v1/me/profile", {"bio": long}, content_type="application/json", **bearer)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "bio"


SQL = [
    "'",
    '"',
    "' OR '1'='1",
    "1; DROP TABLE jobs_job; --",
    "%",
    "_",
    "\\",
    "') UNION SELECT password FROM accounts_user --",
    "\x00",
]


@pytest.mark.parametrize("text", SQL, ids=range(len(SQL)))
def test_sql_metacharacters_in_every_search_parameter(text: str, world: World, client: Client) -> None:
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token(world.worker)}"}
    searches = [
        ("/api/v1/jobs", ["q", "category", "skills", "currency", "sort", "posted_since"]),
        ("/api/v1/skills", ["q", "category"]),
        ("/api/v1/freelancers", ["skill", "country"]),
        (reverse("jobs:job-list"), ["q", "category", "skills", "currency", "sort"]),
        (reverse("reputation:directory"), ["skill", "country", "q"]),
    ]
    for path, names in searches:
        for name in names:
            response = client.get(path, {name: text}, **bearer)
            assert response.status_code in (200, 400, 422), (path, name, response.status_code)
            if response.status_code >= 400 and path.startswith("/api/"):
                assert response["Content-Type"] == "application/problem+json"
            if path == "/api/v1/jobs" and response.status_code == 200 and name == "q" and text.isascii():
                if not any(ch.isalnum() for ch in text):
                    continue  # punctuation alone is no search term: every open job, as for an empty q
                # The text is searched for, not executed: no "match everything".
                assert response.json()["count"] == 0, (text, response.json()["count"])
    assert make_job(world.buyer).pk  # the tables are still there
