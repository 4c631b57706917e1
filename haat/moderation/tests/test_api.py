"""The parties' side of moderation in the API: reports, one's record, appeals — and every error path."""

from __future__ import annotations

import pytest
from django.test import Client

from haat.accounts.models import User
from haat.conftest import make_user
from haat.jobs.models import Job
from haat.messaging.models import Message
from haat.moderation import services
from haat.moderation.models import Appeal, Report
from haat.moderation.tests.conftest import bearer, post_json, problem

pytestmark = pytest.mark.django_db


def test_report_then_read_the_outcome(moderator: User, worker: User, job: Job) -> None:
    client = Client()
    response = post_json(
        client,
        "/api/v1/reports",
        {"target_type": "job", "target_id": job.pk, "reason": "fraud", "note": "Fee."},
        worker,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["target_type"], created["target_id"], created["status"], created["note"]) == (
        "job",
        job.pk,
        "open",
        "Fee.",
    )
    services.hide(moderator=moderator, target_type="job", target_id=job.pk, reason="Scam.")
    (mine,) = client.get("/api/v1/reports", **bearer(worker)).json()
    assert (mine["id"], mine["status"], mine["outcome"]) == (
        created["id"],
        "actioned",
        "The content was hidden.",
    )
    assert client.get("/api/v1/reports", **bearer(make_user("x@example.com"))).json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"target_type": "contract", "target_id": 1, "reason": "spam"},
        {"target_type": "job", "target_id": "1", "reason": "spam"},
        {"target_type": "job", "target_id": 0, "reason": "spam"},
        {"target_type": "job", "target_id": 1, "reason": "boring"},
        {"target_type": "job", "target_id": 1, "reason": "spam", "note": "x" * 2001},
        {"target_type": "job", "reason": "spam"},
    ],
)
def test_bad_reports_are_422(worker: User, body: dict[str, object]) -> None:
    problem(post_json(Client(), "/api/v1/reports", body, worker), 422)
    assert not Report.objects.exists()


def test_reporting_ones_own_content_is_422(buyer: User, job: Job) -> None:
    body = problem(
        post_json(
            Client(), "/api/v1/reports", {"target_type": "job", "target_id": job.pk, "reason": "spam"}, buyer
        ),
        422,
    )
    assert body["errors"][0]["field"] == "target_id"


def test_what_the_reporter_cannot_see_is_404(worker: User, message: Message) -> None:
    stranger = make_user("stranger@example.com")
    for target_type, target_id in [
        ("message", message.pk),
        ("job", 10**9),
        ("review", 1),
        ("profile", 10**9),
    ]:
        problem(
            post_json(
                Client(),
                "/api/v1/reports",
                {"target_type": target_type, "target_id": target_id, "reason": "spam"},
                stranger,
            ),
            404,
        )
    assert not Report.objects.exists()


def test_anonymous_calls_are_401(worker: User) -> None:
    client = Client()
    assert problem(client.get("/api/v1/reports"), 401)
    assert problem(client.get("/api/v1/me/moderation"), 401)
    response = client.post(
        "/api/v1/suspensions/1/appeal", {"statement": "x"}, content_type="application/json"
    )
    problem(response, 401)
    response = client.post(
        "/api/v1/reports",
        {"target_type": "profile", "target_id": worker.pk, "reason": "spam"},
        content_type="application/json",
    )
    problem(response, 401)


def test_my_record_and_one_appeal(moderator: User, worker: User, job: Job, buyer: User) -> None:
    client = Client()
    record = client.get("/api/v1/me/moderation", **bearer(worker)).json()
    assert record == {"active_suspension": None, "suspensions": [], "warnings": [], "hidden": []}
    services.warn(moderator=moderator, user_id=worker.pk, rule="no-spam", reason="Copy-pasted proposals.")
    suspension = services.suspend(
        moderator=moderator, user_id=worker.pk, rule="no-fraud", reason="Stolen card.", is_fraud=True
    )
    services.hide(moderator=moderator, target_type="profile", target_id=worker.pk, reason="Fake portfolio.")
    record = client.get("/api/v1/me/moderation", **bearer(worker)).json()
    active = record["active_suspension"]
    assert (active["id"], active["rule"], active["rule_title"], active["reason"], active["is_fraud"]) == (
        suspension.pk,
        "no-fraud",
        "No fraud",
        "Stolen card.",
        True,
    )
    assert active["appeal"] is None and active["withdrawals_blocked"] is True
    assert [(w["rule_title"], w["reason"]) for w in record["warnings"]] == [
        ("No spam", "Copy-pasted proposals.")
    ]
    assert [(h["target_type"], h["target_id"], h["reason"]) for h in record["hidden"]] == [
        ("profile", worker.pk, "Fake portfolio.")
    ]

    path = f"/api/v1/suspensions/{suspension.pk}/appeal"
    problem(post_json(client, path, {"statement": ""}, worker), 422)
    problem(post_json(client, path, {}, worker), 422)
    problem(post_json(client, path, {"statement": "Not mine."}, buyer), 404)
    problem(post_json(client, "/api/v1/suspensions/999999/appeal", {"statement": "?"}, worker), 404)
    first = post_json(client, path, {"statement": "The card is mine; here is the bank letter."}, worker)
    assert first.status_code == 201, first.content
    assert (first.json()["status"], first.json()["suspension_id"]) == ("pending", suspension.pk)
    second = problem(post_json(client, path, {"statement": "Again."}, worker), 409)
    assert "already appealed" in second["detail"]
    assert Appeal.objects.count() == 1
    record = client.get("/api/v1/me/moderation", **bearer(worker)).json()
    assert record["active_suspension"]["appeal"]["statement"] == "The card is mine; here is the bank letter."


def test_an_appeal_on_a_lifted_suspension_is_409(moderator: User, worker: User) -> None:
    suspension = services.suspend(moderator=moderator, user_id=worker.pk, rule="respect", reason="Insults.")
    services.lift(moderator=moderator, suspension_id=suspension.pk, reason="Mistake.")
    problem(
        post_json(Client(), f"/api/v1/suspensions/{suspension.pk}/appeal", {"statement": "x"}, worker), 409
    )
