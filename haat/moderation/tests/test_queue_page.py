"""The staff pages (queue, user record, actions) and the users' pages (report, account status, appeal)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from haat.accounts.models import User
from haat.bids.tests.test_bids import bid_on
from haat.conftest import make_staff, make_user
from haat.jobs.models import Job
from haat.messaging import services as messaging_services
from haat.messaging.models import Message
from haat.moderation import services
from haat.moderation.models import AccountWarning, Appeal, AppealStatus, Report, ReportStatus, Suspension
from haat.moderation.tests.conftest import english
from haat.staff.models import AuditEntry
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db


def test_queue_page_is_for_moderators_with_two_factor(client: Client, user: User) -> None:
    url = reverse("moderation:queue")
    assert client.get(url).status_code == 302  # log in first
    client.force_login(user)
    assert client.get(url).status_code == 403
    client.force_login(make_staff("nofa@example.com", Role.MODERATOR, two_factor=False))
    assert client.get(url)["Location"] == reverse("mfa_activate_totp")
    client.force_login(make_staff("fin@example.com", Role.FINANCE))
    assert client.get(url).status_code == 403
    response = english(client, make_staff("mod@example.com", Role.MODERATOR))
    page = response.get(url)
    assert page.status_code == 200 and "Moderation queue" in page.content.decode()


def test_the_queue_lists_reports_flagged_contact_and_appeals(
    moderator: User, buyer: User, worker: User, job: Job
) -> None:
    bid_on(job, worker)
    thread, _c = messaging_services.start_interview(user=worker, job_id=job.pk)
    flagged = messaging_services.post_message(
        user=worker, thread_id=thread.pk, body="Call me on 01712-345678"
    )
    assert flagged.contact_flags
    services.report(reporter=worker, target_type="job", target_id=job.pk, reason="fraud", note="Joining fee.")
    other = make_staff("mod2@example.com", Role.MODERATOR)
    suspension = services.suspend(moderator=other, user_id=buyer.pk, rule="no-fraud", reason="Fee scam.")
    services.appeal(user=buyer, suspension_id=suspension.pk, statement="It is a deposit, refundable.")
    html = english(Client(), moderator).get(reverse("moderation:queue")).content.decode()
    assert "Joining fee." in html and job.title in html
    assert "Call me on 01712-345678" in html
    assert "It is a deposit, refundable." in html and "Grant and lift the suspension" in html
    # The moderator who suspended sees the appeal but no decision form.
    html = english(Client(), other).get(reverse("moderation:queue")).content.decode()
    assert "another staff member decides this appeal" in html


def test_staff_actions_from_the_pages(
    moderator: User, buyer: User, worker: User, job: Job, django_capture_on_commit_callbacks: Any
) -> None:
    report = services.report(reporter=worker, target_type="job", target_id=job.pk, reason="spam")
    client = english(Client(), moderator)
    # A refusal is shown as a message; nothing changes.
    response = client.post(
        reverse("moderation:hide"), {"target_type": "job", "target_id": job.pk, "reason": ""}, follow=True
    )
    assert "Say why: the person affected will read it." in response.content.decode()
    assert not AuditEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:hide"), {"target_type": "job", "target_id": job.pk, "reason": "Spam."}
        )
    assert response.status_code == 302
    job.refresh_from_db()
    report.refresh_from_db()
    assert job.hidden_reason == "Spam." and report.status == ReportStatus.ACTIONED
    assert mail.outbox[-1].to == [buyer.email]

    user_page = reverse("moderation:user", args=[buyer.pk])
    assert "Spam." in client.get(user_page).content.decode()
    client.post(reverse("moderation:warn", args=[buyer.pk]), {"warn-rule": "no-spam", "warn-reason": "Stop."})
    client.post(
        reverse("moderation:suspend", args=[buyer.pk]),
        {"suspend-rule": "no-fraud", "suspend-reason": "Scam.", "is_fraud": "on"},
    )
    suspension = Suspension.objects.get(user=buyer)
    assert suspension.is_fraud and AccountWarning.objects.get(user=buyer).reason == "Stop."
    assert "Lift the suspension" in client.get(user_page).content.decode()
    client.post(reverse("moderation:lift", args=[suspension.pk]), {"reason": "Reviewed."})
    client.post(reverse("moderation:unhide"), {"target_type": "job", "target_id": job.pk, "reason": "Fixed."})
    second = services.report(reporter=worker, target_type="profile", target_id=buyer.pk, reason="fake")
    client.post(reverse("moderation:dismiss", args=[second.pk]), {"outcome": "Looks genuine."})
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "moderation.hide",
        "moderation.warn",
        "moderation.suspend",
        "moderation.lift",
        "moderation.unhide",
        "moderation.dismiss_report",
    ]
    # Ordinary users cannot post to staff actions.
    english(client, worker)
    assert client.post(reverse("moderation:suspend", args=[buyer.pk]), {}).status_code == 403


def test_deciding_an_appeal_from_the_page_needs_a_second_moderator(moderator: User, worker: User) -> None:
    suspension = services.suspend(moderator=moderator, user_id=worker.pk, rule="respect", reason="Insults.")
    appeal = services.appeal(user=worker, suspension_id=suspension.pk, statement="Sorry.")
    url = reverse("moderation:decide-appeal", args=[appeal.pk])
    same = english(Client(), moderator).post(url, {"decision_kind": "grant", "decision": "Ok."}, follow=True)
    assert "another staff member must decide the appeal" in same.content.decode()
    assert Appeal.objects.get().status == AppealStatus.PENDING
    second = english(Client(), make_staff("mod2@example.com", Role.MODERATOR))
    second.post(url, {"decision_kind": "grant", "decision": "Apology accepted."})
    assert Appeal.objects.get().status == AppealStatus.GRANTED
    assert not Suspension.objects.get().is_active


def test_a_user_reports_from_the_page_and_sees_the_outcome(
    worker: User, message: Message, buyer: User
) -> None:
    client = english(Client(), buyer)
    thread_page = client.get(reverse("messaging:thread", args=[message.thread_id])).content.decode()
    report_url = reverse("moderation:report") + f"?type=message&amp;id={message.pk}"
    assert report_url in thread_page
    form = client.get(reverse("moderation:report"), {"type": "message", "id": message.pk})
    assert form.status_code == 200 and "Report this message" in form.content.decode()
    bad = client.post(reverse("moderation:report"), {"type": "message", "id": message.pk, "reason": "x"})
    assert bad.status_code == 400
    done = client.post(
        reverse("moderation:report"),
        {"type": "message", "id": message.pk, "reason": "abuse", "note": "Rude."},
    )
    assert done["Location"] == reverse("moderation:mine")
    assert Report.objects.get().note == "Rude."
    assert "Waiting for a moderator" in client.get(reverse("moderation:mine")).content.decode()
    stranger = english(Client(), make_user("s@example.com"))
    assert stranger.get(reverse("moderation:report"), {"type": "nothing", "id": 1}).status_code == 404
    assert (
        stranger.get(reverse("moderation:report"), {"type": "message", "id": message.pk}).status_code == 404
    )
    refused = stranger.post(
        reverse("moderation:report"), {"type": "message", "id": message.pk, "reason": "spam"}
    )
    assert refused.status_code == 404


def test_a_suspended_user_appeals_from_their_status_page(moderator: User, worker: User) -> None:
    suspension = services.suspend(moderator=moderator, user_id=worker.pk, rule="respect", reason="Insults.")
    client = english(Client(), worker)
    page = client.get(reverse("moderation:mine")).content.decode()
    assert "Insults." in page and "Be respectful" in page and "Send my appeal" in page
    url = reverse("moderation:appeal", args=[suspension.pk])
    client.post(url, {"statement": "I apologise."})
    again = client.post(url, {"statement": "Again."}, follow=True).content.decode()
    assert "You have already appealed this suspension." in again
    assert Appeal.objects.get().statement == "I apologise."
    other = english(Client(), make_user("o@example.com"))
    assert other.post(url, {"statement": "Me."}).status_code == 404


def test_pages_in_bengali(moderator: User, worker: User) -> None:
    services.suspend(moderator=moderator, user_id=worker.pk, rule="respect", reason="Insults.")
    for user, name in [(worker, "moderation:mine"), (moderator, "moderation:queue")]:
        client = Client()
        client.force_login(user)
        client.cookies["haat_language"] = "bn"
        response = client.get(reverse(name))
        assert response.status_code == 200 and 'lang="bn"' in response.content.decode()


def test_flagged_contact_attempts_leave_the_queue_once_reviewed(
    moderator: User, buyer: User, worker: User
) -> None:
    from haat.bids.tests.test_bids import make_job

    first_job, second_job = make_job(buyer), make_job(buyer)
    sent = []
    for job, text in [
        (first_job, "Mail me at rahim@example.com"),
        (second_job, "WhatsApp wa.me/8801712345678"),
    ]:
        bid_on(job, worker)
        thread, _c = messaging_services.start_interview(user=worker, job_id=job.pk)
        sent.append(messaging_services.post_message(user=worker, thread_id=thread.pk, body=text))
    client = english(Client(), moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "rahim@example.com" in html and "wa.me/8801712345678" in html
    client.post(
        reverse("moderation:review-flag", args=[sent[0].pk]), {"outcome": "Shared after the award talk."}
    )
    client.post(
        reverse("moderation:hide"),
        {"target_type": "message", "target_id": sent[1].pk, "reason": "Contact details."},
    )
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "rahim@example.com" not in html and "wa.me/8801712345678" not in html
    assert "No flagged messages." in html
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "target_id")) == [
        ("moderation.review_flag", str(sent[0].pk)),
        ("moderation.hide", str(sent[1].pk)),
    ]
    again = client.post(reverse("moderation:review-flag", args=[sent[0].pk]), {}, follow=True)
    assert "This flag was already reviewed." in again.content.decode()
    unflagged = messaging_services.post_message(user=worker, thread_id=sent[0].thread_id, body="Thanks")
    assert client.post(reverse("moderation:review-flag", args=[unflagged.pk]), {}).status_code == 404


def test_the_suspension_banner_costs_one_query_per_page(user: User, settings: Any) -> None:
    import copy

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = english(Client(), user)
    url = reverse("web:dashboard")
    client.get(url)  # warm up (session, token bookkeeping)
    with CaptureQueriesContext(connection) as with_banner:
        assert client.get(url).status_code == 200
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].remove("haat.moderation.context_processors.suspension")
    settings.TEMPLATES = templates
    with CaptureQueriesContext(connection) as without:
        assert client.get(url).status_code == 200
    assert len(with_banner) - len(without) == 1
    assert any("moderation_suspension" in q["sql"] for q in with_banner.captured_queries)
