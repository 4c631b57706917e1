"""Jobs: posting with validation, editing, the state machine, attachments, NDAs, invitations, who may see
what (page, API and download), the close-bidding task, and the pages.

Every refusal is checked twice: a clear error, and the job exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haat.accounts import services as account_services
from haat.accounts.models import Profile, User
from haat.bids.models import Bid, BidStatus
from haat.conftest import make_user
from haat.jobs import permissions, services, tasks
from haat.jobs.models import (
    Job,
    JobAttachment,
    JobInvitation,
    JobStatus,
    NdaAcceptance,
    Skill,
    Visibility,
)

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SECRET = "The launch codes are 0000"


# --- Helpers --------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _job_settings(settings: Any) -> None:
    settings.HAAT_CURRENCIES = ["USD", "BDT", "EUR", "GBP", "INR"]
    settings.HAAT_JOB_ATTACHMENT_MAX_BYTES = 1024
    settings.HAAT_BASE_URL = "https://haat.example"


@pytest.fixture
def buyer(user: User) -> User:
    return user


@pytest.fixture
def freelancer(other_user: User) -> User:
    return other_user


def _fields(**overrides: Any) -> dict[str, Any]:
    now = timezone.now()
    fields: dict[str, Any] = {
        "title": "Build a Django shop",
        "description": f"We need a **shop**. {SECRET}.",
        "category": "software-development",
        "skills": ["python", "django"],
        "budget_min": 50_000,
        "budget_max": 100_000,
        "currency": "USD",
        "bidding_closes_at": now + dt.timedelta(days=7),
        "deadline": now + dt.timedelta(days=30),
        "visibility": Visibility.PUBLIC,
        "is_confidential": False,
    }
    fields.update(overrides)
    return fields


def _job(buyer: User, *, publish: bool = True, **overrides: Any) -> Job:
    return services.create_job(buyer=buyer, fields=_fields(**overrides), publish=publish)


def _state(job: Job) -> tuple[Any, ...]:
    job.refresh_from_db()
    return (
        job.title,
        job.description,
        job.category_id,
        job.budget_min,
        job.budget_max,
        job.currency,
        job.deadline,
        job.bidding_closes_at,
        job.visibility,
        job.is_confidential,
        job.status,
        job.published_at,
        sorted(job.skills.values_list("slug", flat=True)),
        list(job.attachments.values_list("pk", flat=True)),
    )


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _bid(job: Job, freelancer: User, status: str = BidStatus.LIVE) -> Bid:
    return Bid.objects.create(
        job=job, freelancer=freelancer, amount=60_000, delivery_days=5, proposal="I can do it.", status=status
    )


def _file(name: str = "brief.pdf", content: bytes = b"%PDF-1.4 brief") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _token(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


def _api(client: Client, method: str, path: str, user: User | None = None, body: Any = None) -> Any:
    extra = _token(user) if user is not None else {}
    call = getattr(client, method)
    if body is None:
        return call(f"/api/v1{path}", **extra)
    return call(f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **extra)


def _json_fields(**overrides: Any) -> dict[str, Any]:
    fields = _fields(**overrides)
    for name in ("deadline", "bidding_closes_at"):
        if isinstance(fields[name], dt.datetime):
            fields[name] = fields[name].isoformat()
    return fields


def _staff() -> User:
    from haat.conftest import make_staff
    from haat.staff.roles import Role

    return make_staff("moderator@example.com", Role.MODERATOR)


# --- Posting and validation -----------------------------------------------------------------------------------


def test_a_draft_is_saved_with_every_field(buyer: User) -> None:
    job = _job(buyer, publish=False)
    job.refresh_from_db()
    assert job.status == JobStatus.DRAFT
    assert job.published_at is None
    assert job.buyer == buyer
    assert job.category.slug == "software-development"
    assert sorted(job.skills.values_list("slug", flat=True)) == ["django", "python"]
    assert (job.budget_min, job.budget_max, job.currency) == (50_000, 100_000, "USD")
    assert not DBTaskResult.objects.exists()  # nothing to close yet


def test_publishing_at_once_opens_the_job_and_schedules_the_close(buyer: User) -> None:
    job = _job(buyer, publish=True)
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN
    assert job.published_at is not None
    scheduled = DBTaskResult.objects.get()
    assert scheduled.task_path == "haat.jobs.tasks.close_bidding"
    assert scheduled.run_after == job.bidding_closes_at


def test_text_is_trimmed_and_repeated_skills_count_once(buyer: User) -> None:
    job = _job(buyer, title="  Logo design  ", skills=["python", "python", "django"])
    assert job.title == "Logo design"
    assert job.skills.count() == 2


BAD_FIELDS = [
    ({"budget_min": 0}, "budget_min", "greater than zero"),
    ({"budget_min": -500}, "budget_min", "greater than zero"),
    ({"budget_min": 100_001}, "budget_max", "at least the minimum"),
    ({"budget_max": 2**63}, "budget_max", "too large"),
    ({"budget_min": "100"}, "budget_min", "whole number"),
    ({"budget_min": True}, "budget_min", "whole number"),
    ({"currency": "XYZ"}, "currency", "USD, BDT"),
    ({"category": "no-such-category"}, "category", "Choose a category"),
    ({"skills": ["python", "no-such-skill"]}, "skills", "no-such-skill"),
    ({"title": "Logo"}, "title", "at least 5"),
    ({"title": "x" * 201}, "title", "at most 200"),
    ({"title": "Two\nlines"}, "title", "one line"),
    ({"description": "   "}, "description", "Describe the work"),
    ({"description": "x" * 20_001}, "description", "at most 20000"),
    ({"visibility": "secret"}, "visibility", "public or invited"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_FIELDS)
def test_invalid_input_is_refused_by_field_and_nothing_is_stored(
    buyer: User, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _job(buyer, **overrides)
    assert field in _errors(exc)
    assert message in " ".join(_errors(exc)[field])
    assert not Job.objects.exists()


def test_bidding_must_close_in_the_future_and_the_deadline_after_it(buyer: User) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        _job(buyer, bidding_closes_at=now - dt.timedelta(minutes=1))
    assert _errors(exc)["bidding_closes_at"] == ["Bidding must close in the future."]
    for deadline in (now + dt.timedelta(days=7), now + dt.timedelta(days=6)):
        with pytest.raises(ValidationError) as exc:
            _job(buyer, bidding_closes_at=now + dt.timedelta(days=7), deadline=deadline)
        assert _errors(exc)["deadline"] == ["The delivery deadline must be after bidding closes."]
    assert not Job.objects.exists()


def test_at_most_15_skills(buyer: User) -> None:
    slugs = list(Skill.objects.order_by("slug").values_list("slug", flat=True)[:16])
    assert len(slugs) == 16
    with pytest.raises(ValidationError) as exc:
        _job(buyer, skills=slugs)
    assert _errors(exc)["skills"] == ["Choose at most 15 skills."]
    assert _job(buyer, skills=slugs[:15]).skills.count() == 15


def test_every_bad_field_is_reported_at_once(buyer: User) -> None:
    with pytest.raises(ValidationError) as exc:
        _job(buyer, title="", budget_min=0, currency="ABC", category="")
    assert set(_errors(exc)) == {"title", "budget_min", "currency", "category"}


# --- Editing --------------------------------------------------------------------------------------------------


def test_the_buyer_edits_an_open_job(buyer: User) -> None:
    job = _job(buyer)
    services.update_job(
        user=buyer,
        job_id=job.pk,
        changes={"title": "Build a Django shop with bKash", "budget_max": 150_000, "skills": ["python"]},
    )
    job.refresh_from_db()
    assert job.title == "Build a Django shop with bKash"
    assert job.budget_max == 150_000
    assert list(job.skills.values_list("slug", flat=True)) == ["python"]


def test_an_edit_is_validated_again_and_bad_changes_change_nothing(buyer: User) -> None:
    job = _job(buyer)
    before = _state(job)
    with pytest.raises(ValidationError) as exc:
        services.update_job(user=buyer, job_id=job.pk, changes={"budget_min": 200_000, "title": "ok"})
    assert set(_errors(exc)) == {"budget_max", "title"}
    with pytest.raises(ValidationError) as exc:
        services.update_job(
            user=buyer, job_id=job.pk, changes={"bidding_closes_at": timezone.now() - dt.timedelta(hours=1)}
        )
    assert "bidding_closes_at" in _errors(exc)
    with pytest.raises(ValidationError):
        services.update_job(user=buyer, job_id=job.pk, changes={"status": "awarded"})
    assert _state(job) == before


def test_only_the_buyer_may_edit(buyer: User, freelancer: User) -> None:
    job = _job(buyer)
    before = _state(job)
    with pytest.raises(PermissionDenied):
        services.update_job(user=freelancer, job_id=job.pk, changes={"title": "Mine now, thanks"})
    hidden = _job(buyer, visibility=Visibility.INVITE_ONLY)
    with pytest.raises(Job.DoesNotExist):
        services.update_job(user=freelancer, job_id=hidden.pk, changes={"title": "Mine now, thanks"})
    assert _state(job) == before


@pytest.mark.parametrize("end", ["close", "cancel", "award"])
def test_edits_are_refused_once_the_job_is_no_longer_open(buyer: User, end: str) -> None:
    job = _job(buyer)
    if end == "close":
        services.close_job(user=buyer, job_id=job.pk)
    elif end == "cancel":
        services.cancel_job(user=buyer, job_id=job.pk)
    else:
        services.mark_awarded(job_id=job.pk)
    before = _state(job)
    with pytest.raises(services.JobStateError) as exc:
        services.update_job(user=buyer, job_id=job.pk, changes={"title": "A better title"})
    assert "only drafts and jobs open for bids can be changed" in " ".join(exc.value.messages)
    assert _state(job) == before


def test_the_currency_cannot_change_once_bids_were_made(buyer: User, freelancer: User) -> None:
    job = _job(buyer)
    _bid(job, freelancer)
    with pytest.raises(ValidationError) as exc:
        services.update_job(user=buyer, job_id=job.pk, changes={"currency": "BDT"})
    assert "Bids were already made in USD" in _errors(exc)["currency"][0]
    job.refresh_from_db()
    assert job.currency == "USD"


# --- State machine --------------------------------------------------------------------------------------------


def test_publish_close_and_cancel_follow_the_state_machine(buyer: User) -> None:
    draft = _job(buyer, publish=False)
    assert services.publish_job(user=buyer, job_id=draft.pk).status == JobStatus.OPEN
    published_at = Job.objects.get(pk=draft.pk).published_at
    assert services.publish_job(user=buyer, job_id=draft.pk).status == JobStatus.OPEN  # repeat: no-op
    assert Job.objects.get(pk=draft.pk).published_at == published_at

    assert services.close_job(user=buyer, job_id=draft.pk).status == JobStatus.CLOSED
    assert services.close_job(user=buyer, job_id=draft.pk).status == JobStatus.CLOSED  # repeat: no-op
    with pytest.raises(services.JobStateError) as exc:
        services.cancel_job(user=buyer, job_id=draft.pk)
    assert "Bidding on this job has ended" in exc.value.messages[0]
    with pytest.raises(services.JobStateError):
        services.publish_job(user=buyer, job_id=draft.pk)
    assert Job.objects.get(pk=draft.pk).status == JobStatus.CLOSED

    other = _job(buyer, publish=False)
    with pytest.raises(services.JobStateError) as exc:
        services.close_job(user=buyer, job_id=other.pk)
    assert "draft" in exc.value.messages[0]
    assert services.cancel_job(user=buyer, job_id=other.pk).status == JobStatus.CANCELLED
    assert services.cancel_job(user=buyer, job_id=other.pk).status == JobStatus.CANCELLED
    with pytest.raises(services.JobStateError) as exc:
        services.publish_job(user=buyer, job_id=other.pk)
    assert "cancelled" in exc.value.messages[0]

    third = _job(buyer)
    assert services.cancel_job(user=buyer, job_id=third.pk).status == JobStatus.CANCELLED


def test_an_awarded_job_cannot_be_closed_or_cancelled(buyer: User) -> None:
    job = _job(buyer)
    assert services.mark_awarded(job_id=job.pk).status == JobStatus.AWARDED
    assert services.mark_awarded(job_id=job.pk).status == JobStatus.AWARDED
    for action in (services.close_job, services.cancel_job):
        with pytest.raises(services.JobStateError) as exc:
            action(user=buyer, job_id=job.pk)
        assert "awarded" in exc.value.messages[0]
    cancelled = _job(buyer)
    services.cancel_job(user=buyer, job_id=cancelled.pk)
    with pytest.raises(services.JobStateError):
        services.mark_awarded(job_id=cancelled.pk)
    assert Job.objects.get(pk=job.pk).status == JobStatus.AWARDED


def test_closing_or_cancelling_waits_for_a_pending_award(buyer: User, freelancer: User) -> None:
    job = _job(buyer)
    _bid(job, freelancer, status=BidStatus.AWARDED)
    for action in (services.close_job, services.cancel_job):
        with pytest.raises(services.JobStateError) as exc:
            action(user=buyer, job_id=job.pk)
        assert "waiting for the freelancer" in exc.value.messages[0]
    assert Job.objects.get(pk=job.pk).status == JobStatus.OPEN


def test_only_the_buyer_changes_the_state(buyer: User, freelancer: User) -> None:
    job = _job(buyer)
    for action in (services.close_job, services.cancel_job, services.publish_job):
        with pytest.raises(PermissionDenied):
            action(user=freelancer, job_id=job.pk)
    draft = _job(buyer, publish=False)
    with pytest.raises(Job.DoesNotExist):
        services.publish_job(user=freelancer, job_id=draft.pk)
    with pytest.raises(Job.DoesNotExist):
        services.close_job(user=buyer, job_id=2**64)
    assert Job.objects.get(pk=job.pk).status == JobStatus.OPEN


def test_a_stale_draft_cannot_be_published_until_its_dates_are_fixed(buyer: User) -> None:
    start = timezone.now()
    draft = _job(buyer, publish=False)
    with time_machine.travel(start + dt.timedelta(days=8), tick=False):
        with pytest.raises(ValidationError) as exc:
            services.publish_job(user=buyer, job_id=draft.pk)
        assert _errors(exc)["bidding_closes_at"] == ["Bidding must close in the future."]
        assert Job.objects.get(pk=draft.pk).status == JobStatus.DRAFT
        services.update_job(
            user=buyer,
            job_id=draft.pk,
            changes={
                "bidding_closes_at": timezone.now() + dt.timedelta(days=3),
                "deadline": timezone.now() + dt.timedelta(days=20),
            },
        )
        assert services.publish_job(user=buyer, job_id=draft.pk).status == JobStatus.OPEN


# --- The close-bidding task -----------------------------------------------------------------------------------


def test_close_bidding_closes_expired_open_jobs_once_and_leaves_the_others(
    buyer: User, freelancer: User
) -> None:
    start = timezone.now()
    expired = _job(buyer, bidding_closes_at=start + dt.timedelta(days=1))
    later = _job(buyer, bidding_closes_at=start + dt.timedelta(days=5))
    awarded = _job(buyer, bidding_closes_at=start + dt.timedelta(days=1))
    _bid(awarded, freelancer, status=BidStatus.AWARDED)
    live_bid = _bid(expired, make_user("rahim@example.com"))
    draft = _job(buyer, publish=False, bidding_closes_at=start + dt.timedelta(days=1))
    cancelled = _job(buyer, bidding_closes_at=start + dt.timedelta(days=1))
    services.cancel_job(user=buyer, job_id=cancelled.pk)

    with time_machine.travel(start + dt.timedelta(hours=23), tick=False):
        assert tasks.close_bidding.call() == 0
    with time_machine.travel(start + dt.timedelta(days=1, minutes=1), tick=False):
        assert tasks.close_bidding.call() == 1
        assert tasks.close_bidding.call() == 0  # idempotent

    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {
        expired.pk: JobStatus.CLOSED,
        later.pk: JobStatus.OPEN,
        awarded.pk: JobStatus.OPEN,
        draft.pk: JobStatus.DRAFT,
        cancelled.pk: JobStatus.CANCELLED,
    }
    live_bid.refresh_from_db()
    assert live_bid.status == BidStatus.LIVE  # the task changes only jobs

    with time_machine.travel(start + dt.timedelta(days=6), tick=False):
        assert tasks.close_bidding.call() == 1
    assert Job.objects.get(pk=later.pk).status == JobStatus.CLOSED


def test_moving_the_close_of_an_open_job_schedules_the_task_again(buyer: User) -> None:
    job = _job(buyer)
    new_close = timezone.now() + dt.timedelta(days=10)
    services.update_job(user=buyer, job_id=job.pk, changes={"bidding_closes_at": new_close})
    assert sorted(DBTaskResult.objects.values_list("run_after", flat=True)) == [
        job.bidding_closes_at,
        new_close,
    ]


# --- Attachments ----------------------------------------------------------------------------------------------


def test_attachments_keep_a_clean_original_name_and_a_random_stored_name(buyer: User) -> None:
    job = _job(buyer)
    attachment = services.add_attachment(
        user=buyer, job_id=job.pk, upload=_file("..\\..\\secret/pl\x00an\x1b.txt", b"the plan")
    )
    assert attachment.original_name == "plan.txt"
    assert attachment.size == 8
    assert "plan" not in attachment.file.name
    assert attachment.file.name.startswith(f"jobs/{job.pk}/")
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"the plan"
    long = services.add_attachment(user=buyer, job_id=job.pk, upload=_file("a" * 300 + ".zip"))
    assert len(long.original_name) == 200
    assert long.original_name.endswith(".zip")


def test_an_attachment_over_the_limit_or_empty_is_refused(buyer: User) -> None:
    job = _job(buyer)
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(user=buyer, job_id=job.pk, upload=_file("big.bin", b"x" * 1025))
    assert "larger than the limit" in _errors(exc)["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(user=buyer, job_id=job.pk, upload=_file("empty.txt", b""))
    assert "empty" in _errors(exc)["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.create_job(buyer=buyer, fields=_fields(), attachments=[_file("big.bin", b"x" * 1025)])
    assert "attachments" in _errors(exc)
    assert not JobAttachment.objects.exists()
    assert Job.objects.count() == 1


def test_only_the_buyer_adds_and_removes_attachments_while_the_job_is_editable(
    buyer: User, freelancer: User
) -> None:
    job = services.create_job(buyer=buyer, fields=_fields(), publish=True, attachments=[_file()])
    attachment = job.attachments.get()
    with pytest.raises(PermissionDenied):
        services.add_attachment(user=freelancer, job_id=job.pk, upload=_file())
    with pytest.raises(PermissionDenied):
        services.remove_attachment(user=freelancer, job_id=job.pk, attachment_id=attachment.pk)
    other = _job(buyer)
    with pytest.raises(JobAttachment.DoesNotExist):
        services.remove_attachment(user=buyer, job_id=other.pk, attachment_id=attachment.pk)
    services.close_job(user=buyer, job_id=job.pk)
    with pytest.raises(services.JobStateError):
        services.add_attachment(user=buyer, job_id=job.pk, upload=_file())
    with pytest.raises(services.JobStateError):
        services.remove_attachment(user=buyer, job_id=job.pk, attachment_id=attachment.pk)
    assert list(job.attachments.values_list("pk", flat=True)) == [attachment.pk]


def test_removing_an_attachment_deletes_its_file(
    buyer: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(buyer)
    attachment = services.add_attachment(user=buyer, job_id=job.pk, upload=_file())
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(user=buyer, job_id=job.pk, attachment_id=attachment.pk)
    assert not JobAttachment.objects.exists()
    assert not storage.exists(name)


# --- Who sees what --------------------------------------------------------------------------------------------


def test_drafts_are_seen_only_by_their_buyer_and_staff(buyer: User, freelancer: User) -> None:
    draft = _job(buyer, publish=False)
    assert permissions.can_view(buyer, draft)
    assert permissions.can_view(_staff(), draft)
    assert not permissions.can_view(freelancer, draft)
    assert not permissions.can_view(None, draft)
    assert list(permissions.visible_jobs(freelancer)) == []
    assert list(permissions.visible_jobs(buyer)) == [draft]


def test_invite_only_jobs_are_seen_by_the_invited_and_bidders(buyer: User, freelancer: User) -> None:
    job = _job(buyer, visibility=Visibility.INVITE_ONLY)
    bidder = make_user("bidder@example.com")
    assert not permissions.can_view(freelancer, job)
    assert not permissions.can_view(bidder, job)
    assert not permissions.can_view(None, job)
    services.invite_freelancer(user=buyer, job_id=job.pk, freelancer_id=freelancer.pk)
    _bid(job, bidder)
    assert permissions.can_view(freelancer, job)
    assert permissions.can_view(bidder, job)
    assert set(permissions.visible_jobs(freelancer)) == {job}
    assert set(permissions.visible_jobs(make_user("stranger@example.com"))) == set()
    assert set(permissions.visible_jobs(None)) == set()


def test_confidential_details_need_the_nda(buyer: User, freelancer: User) -> None:
    job = _job(buyer, is_confidential=True)
    assert permissions.can_view(freelancer, job)
    assert not permissions.can_see_details(freelancer, job)
    assert not permissions.can_see_details(None, job)
    assert permissions.can_see_details(buyer, job)
    assert permissions.can_see_details(_staff(), job)
    services.accept_nda(user=freelancer, job_id=job.pk, ip_address="203.0.113.9")
    assert permissions.can_see_details(freelancer, job)


# --- NDA and invitations --------------------------------------------------------------------------------------


def test_accepting_the_nda_is_recorded_once_with_the_address(buyer: User, freelancer: User) -> None:
    job = _job(buyer, is_confidential=True)
    first = services.accept_nda(user=freelancer, job_id=job.pk, ip_address="2001:db8::1")
    again = services.accept_nda(user=freelancer, job_id=job.pk, ip_address="198.51.100.7")
    assert first.pk == again.pk
    acceptance = NdaAcceptance.objects.get()
    assert (acceptance.job, acceptance.user, acceptance.ip_address) == (job, freelancer, "2001:db8::1")
    other = make_user("karim@example.com")
    assert services.accept_nda(user=other, job_id=job.pk, ip_address="not an ip").ip_address is None


def test_the_nda_is_refused_to_the_buyer_on_open_jobs_and_on_hidden_ones(
    buyer: User, freelancer: User
) -> None:
    confidential = _job(buyer, is_confidential=True)
    with pytest.raises(ValidationError) as exc:
        services.accept_nda(user=buyer, job_id=confidential.pk)
    assert "You posted this job" in exc.value.messages[0]
    plain = _job(buyer)
    with pytest.raises(ValidationError) as exc:
        services.accept_nda(user=freelancer, job_id=plain.pk)
    assert "not confidential" in exc.value.messages[0]
    hidden = _job(buyer, is_confidential=True, visibility=Visibility.INVITE_ONLY)
    with pytest.raises(Job.DoesNotExist):
        services.accept_nda(user=freelancer, job_id=hidden.pk)
    assert not NdaAcceptance.objects.exists()


def test_inviting_e_mails_the_freelancer_once(
    buyer: User, freelancer: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(buyer, visibility=Visibility.INVITE_ONLY)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, created = services.invite_freelancer(
            user=buyer, job_id=job.pk, email="NUSRAT@example.com", message="Your portfolio fits."
        )
    assert created
    assert invitation.freelancer == freelancer
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [freelancer.email]
    assert "Build a Django shop" in sent.subject
    assert f"https://haat.example/jobs/{job.pk}/" in sent.body
    assert "Your portfolio fits." in sent.body
    assert "US$500.00" in sent.body
    with django_capture_on_commit_callbacks(execute=True):
        again, created = services.invite_freelancer(user=buyer, job_id=job.pk, freelancer_id=freelancer.pk)
    assert not created and again.pk == invitation.pk
    assert len(mail.outbox) == 1
    assert JobInvitation.objects.count() == 1


def test_invitations_are_refused_clearly(buyer: User, freelancer: User) -> None:
    job = _job(buyer)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"freelancer_id": buyer.pk}, "freelancer_id", "You cannot invite yourself."),
        ({"email": buyer.email}, "email", "You cannot invite yourself."),
        ({"freelancer_id": 999_999}, "freelancer_id", "There is no freelancer with this id."),
        ({"email": "nobody@example.com"}, "email", "Nobody with this e-mail address"),
        ({"email": "not-an-address"}, "email", "valid e-mail"),
        ({"freelancer_id": freelancer.pk, "message": "x" * 2001}, "message", "At most 2000"),
    ]
    for kwargs, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            services.invite_freelancer(user=buyer, job_id=job.pk, **kwargs)
        assert message in _errors(exc)[field][0]
    with pytest.raises(PermissionDenied):
        services.invite_freelancer(user=freelancer, job_id=job.pk, freelancer_id=buyer.pk)
    draft = _job(buyer, publish=False)
    with pytest.raises(services.JobStateError) as exc:
        services.invite_freelancer(user=buyer, job_id=draft.pk, freelancer_id=freelancer.pk)
    assert "publish it first" in exc.value.messages[0]
    assert not JobInvitation.objects.exists()


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_job_page_shows_the_facts_in_the_viewers_time_zone(buyer: User, freelancer: User) -> None:
    closes = dt.datetime(2031, 3, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2031, 1, 1, tzinfo=dt.UTC), tick=False):
        job = _job(buyer, bidding_closes_at=closes, deadline=closes + dt.timedelta(days=10))
        _bid(job, freelancer)
        Profile.objects.filter(user=freelancer).update(time_zone="Asia/Dhaka")
        client = Client()
        client.force_login(freelancer)
        page = client.get(reverse("jobs:job-detail", args=[job.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Build a Django shop" in html
    assert "Software development" in html
    assert "US$500.00" in html and "US$1,000.00" in html
    assert "6 p.m." in html  # 12:00 UTC is 18:00 in Dhaka
    assert "<strong>shop</strong>" in html  # the Markdown is rendered
    assert "Bids:</span> 1" in html
    assert "Python" in html and "Django" in html
    assert reverse("jobs:job-edit", args=[job.pk]) not in html


def test_the_job_page_in_bengali(buyer: User) -> None:
    job = _job(buyer, currency="BDT", budget_min=1_234_500, budget_max=2_000_000)
    client = Client()
    client.cookies["haat_language"] = "bn"
    html = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert "১২,৩৪৫.০০" in html
    assert "সফটওয়্যার ডেভেলপমেন্ট" in html


def test_a_confidential_job_page_hides_the_details_until_the_nda(buyer: User, freelancer: User) -> None:
    job = services.create_job(
        buyer=buyer, fields=_fields(is_confidential=True), publish=True, attachments=[_file("plan.pdf")]
    )
    url = reverse("jobs:job-detail", args=[job.pk])
    download = reverse("jobs:job-attachment", args=[job.pk, job.attachments.get().pk])

    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    assert SECRET not in anonymous.content.decode()
    assert "Log in to accept the NDA" in anonymous.content.decode()
    assert Client().get(download).status_code == 403

    client = Client()
    client.force_login(freelancer)
    html = client.get(url).content.decode()
    assert SECRET not in html
    assert "plan.pdf" not in html
    assert "Accept the NDA to see the details" in html
    assert client.get(download).status_code == 403

    response = client.post(reverse("jobs:job-nda", args=[job.pk]), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    assert NdaAcceptance.objects.get().ip_address == "203.0.113.5"
    html = client.get(url).content.decode()
    assert SECRET in html
    assert "plan.pdf" in html
    file = client.get(download)
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == b"%PDF-1.4 brief"  # type: ignore[attr-defined]
    assert file["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert file["X-Content-Type-Options"] == "nosniff"
    assert file["Content-Type"] == "application/octet-stream"


def test_hidden_jobs_answer_404_on_every_page(buyer: User, freelancer: User) -> None:
    invite_only = services.create_job(
        buyer=buyer, fields=_fields(visibility=Visibility.INVITE_ONLY), publish=True, attachments=[_file()]
    )
    draft = _job(buyer, publish=False)
    client = Client()
    client.force_login(freelancer)
    attachment = invite_only.attachments.get()
    for job in (invite_only, draft):
        assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
        assert Client().get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:job-edit", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job-attachment", args=[invite_only.pk, attachment.pk])).status_code == 404
    assert client.get(reverse("jobs:job-detail", args=[2**63 + 5])).status_code == 404

    services.invite_freelancer(user=buyer, job_id=invite_only.pk, freelancer_id=freelancer.pk)
    assert client.get(reverse("jobs:job-detail", args=[invite_only.pk])).status_code == 200
    assert client.get(reverse("jobs:job-attachment", args=[invite_only.pk, attachment.pk])).status_code == 200

    owner = Client()
    owner.force_login(buyer)
    assert owner.get(reverse("jobs:job-detail", args=[draft.pk])).status_code == 200


def test_posting_a_job_from_the_page(buyer: User) -> None:
    client = Client()
    client.force_login(buyer)
    assert client.get(reverse("jobs:job-new")).status_code == 200
    data = {
        "title": "Translate a website into Bengali",
        "description": "About 40 pages.",
        "category": "translation",
        "budget_min": "200",
        "budget_max": "350.50",
        "currency": "USD",
        "bidding_closes_at": (timezone.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "deadline": (timezone.now() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": "public",
        "publish": "1",
        "attachments": [_file("glossary.txt", b"terms")],
    }
    response = client.post(reverse("jobs:job-new"), data)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job-detail", args=[job.pk])
    assert (job.status, job.budget_min, job.budget_max) == (JobStatus.OPEN, 20_000, 35_050)
    assert job.attachments.get().original_name == "glossary.txt"


def test_the_post_page_shows_errors_and_stores_nothing(buyer: User) -> None:
    client = Client()
    client.force_login(buyer)
    data = {
        "title": "Translate a website",
        "description": "About 40 pages.",
        "category": "translation",
        "budget_min": "500",
        "budget_max": "100",
        "currency": "USD",
        "bidding_closes_at": (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "deadline": (timezone.now() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": "public",
        "draft": "1",
    }
    response = client.post(reverse("jobs:job-new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The maximum budget must be at least the minimum budget." in html
    assert "Bidding must close in the future." in html
    assert client.post(reverse("jobs:job-new"), {**data, "budget_min": "0.001"}).status_code == 400
    assert not Job.objects.exists()


def test_editing_from_the_page(buyer: User, freelancer: User) -> None:
    job = _job(buyer)
    url = reverse("jobs:job-edit", args=[job.pk])
    stranger = Client()
    stranger.force_login(freelancer)
    assert stranger.get(url).status_code == 403
    assert stranger.post(url, {"title": "Taken over"}).status_code == 403

    client = Client()
    client.force_login(buyer)
    form = client.get(url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    data = {
        **{k: v for k, v in initial.items() if k not in ("skills", "is_confidential")},
        "bidding_closes_at": initial["bidding_closes_at"].strftime("%Y-%m-%dT%H:%M"),
        "deadline": initial["deadline"].strftime("%Y-%m-%dT%H:%M"),
        "skills": initial["skills"],
        "title": "Build a Django shop, version two",
        "budget_max": "1200",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    before_close = job.bidding_closes_at
    job.refresh_from_db()
    assert job.title == "Build a Django shop, version two"
    assert job.budget_max == 120_000
    assert job.bidding_closes_at == before_close  # untouched times keep their exact value

    services.close_job(user=buyer, job_id=job.pk)
    refused = client.post(url, data, follow=True)
    assert "Only drafts and jobs open for bids can be edited." in refused.content.decode()


def test_buyer_actions_from_the_job_page(buyer: User, freelancer: User) -> None:
    client = Client()
    client.force_login(buyer)
    draft = _job(buyer, publish=False)
    page = client.get(reverse("jobs:job-detail", args=[draft.pk])).content.decode()
    assert reverse("jobs:job-publish", args=[draft.pk]) in page
    client.post(reverse("jobs:job-publish", args=[draft.pk]))
    assert Job.objects.get(pk=draft.pk).status == JobStatus.OPEN

    response = client.post(
        reverse("jobs:job-invite", args=[draft.pk]), {"freelancer": freelancer.email}, follow=True
    )
    assert "was invited and e-mailed" in response.content.decode()
    assert JobInvitation.objects.filter(job=draft, freelancer=freelancer).exists()

    client.post(reverse("jobs:job-attachment-add", args=[draft.pk]), {"file": _file("spec.txt", b"spec")})
    attachment = draft.attachments.get()
    too_big = client.post(
        reverse("jobs:job-attachment-add", args=[draft.pk]),
        {"file": _file("big.bin", b"x" * 2000)},
        follow=True,
    )
    assert "larger than the limit" in too_big.content.decode()
    client.post(reverse("jobs:job-attachment-delete", args=[draft.pk, attachment.pk]))
    assert not draft.attachments.exists()

    client.post(reverse("jobs:job-close", args=[draft.pk]))
    assert Job.objects.get(pk=draft.pk).status == JobStatus.CLOSED
    refused = client.post(reverse("jobs:job-cancel", args=[draft.pk]), follow=True)
    assert "Bidding on this job has ended" in refused.content.decode()
    assert Job.objects.get(pk=draft.pk).status == JobStatus.CLOSED

    stranger = Client()
    stranger.force_login(freelancer)
    other = _job(buyer)
    assert stranger.post(reverse("jobs:job-close", args=[other.pk])).status_code == 403
    assert stranger.post(reverse("jobs:job-cancel", args=[other.pk])).status_code == 403
    assert Job.objects.get(pk=other.pk).status == JobStatus.OPEN
    assert Client().post(reverse("jobs:job-close", args=[other.pk])).status_code == 302  # to log-in
    assert Job.objects.get(pk=other.pk).status == JobStatus.OPEN


def test_my_jobs_lists_every_state_with_bid_counts(buyer: User, freelancer: User) -> None:
    open_job = _job(buyer, title="Open job with bids")
    _bid(open_job, freelancer)
    _bid(open_job, make_user("rahim@example.com"))
    _bid(open_job, make_user("karim@example.com"), status=BidStatus.WITHDRAWN)
    _job(buyer, publish=False, title="Draft job here")
    _job(make_user("someone@example.com"), title="Somebody else's job")
    client = Client()
    client.force_login(buyer)
    response = client.get(reverse("jobs:my-jobs"))
    html = response.content.decode()
    assert "Open job with bids" in html and "Draft job here" in html
    assert "Somebody else" not in html
    assert "Open for bids" in html and "Draft" in html
    rows = {job.title: job.bid_count for job in response.context["page"]}
    assert rows == {"Open job with bids": 2, "Draft job here": 0}
    assert Client().get(reverse("jobs:my-jobs")).status_code == 302


# --- API ------------------------------------------------------------------------------------------------------


def test_api_posts_reads_and_lists_a_job(client: Client, buyer: User) -> None:
    response = _api(client, "post", "/jobs", buyer, {**_json_fields(), "publish": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open"
    assert body["buyer_id"] == buyer.pk
    assert body["details_hidden"] is False
    assert body["description"].startswith("We need")
    assert sorted(body["skills"]) == ["django", "python"]
    assert body["bid_count"] == 0
    assert body["published_at"] is not None

    anonymous = _api(client, "get", f"/jobs/{body['id']}")
    assert anonymous.status_code == 200
    assert anonymous.json()["title"] == "Build a Django shop"

    mine = _api(client, "get", "/me/jobs", buyer).json()
    assert mine["count"] == 1
    assert mine["items"][0]["id"] == body["id"]
    assert _api(client, "get", "/me/jobs").status_code == 401
    assert _api(client, "post", "/jobs", None, {**_json_fields()}).status_code == 401


def test_api_validation_errors_are_problems_by_field(client: Client, buyer: User) -> None:
    response = _api(client, "post", "/jobs", buyer, _json_fields(budget_min=100_001, currency="XYZ"))
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"budget_max", "currency"}
    naive = _json_fields(bidding_closes_at="2000-01-01T00:00:00")
    response = _api(client, "post", "/jobs", buyer, naive)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "bidding_closes_at"
    assert not Job.objects.exists()


def test_api_edits_and_state_changes(client: Client, buyer: User, freelancer: User) -> None:
    job = _job(buyer)
    response = _api(client, "patch", f"/jobs/{job.pk}", buyer, {"title": "A new and better title"})
    assert response.status_code == 200
    assert response.json()["title"] == "A new and better title"
    assert _api(client, "patch", f"/jobs/{job.pk}", buyer, {"title": None}).status_code == 422
    forbidden = _api(client, "patch", f"/jobs/{job.pk}", freelancer, {"title": "Taken over by me"})
    assert forbidden.status_code == 403
    assert forbidden["Content-Type"] == PROBLEM
    assert _api(client, "post", f"/jobs/{job.pk}/close", freelancer).status_code == 403

    closed = _api(client, "post", f"/jobs/{job.pk}/close", buyer)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    conflict = _api(client, "post", f"/jobs/{job.pk}/cancel", buyer)
    assert conflict.status_code == 409
    assert "Bidding on this job has ended" in conflict.json()["detail"]
    assert _api(client, "patch", f"/jobs/{job.pk}", buyer, {"title": "Too late now"}).status_code == 409
    job.refresh_from_db()
    assert (job.title, job.status) == ("A new and better title", JobStatus.CLOSED)

    draft = _job(buyer, publish=False)
    assert _api(client, "post", f"/jobs/{draft.pk}/publish", buyer).json()["status"] == "open"
    assert _api(client, "post", f"/jobs/{draft.pk}/cancel", buyer).json()["status"] == "cancelled"


def test_api_hides_drafts_and_invite_only_jobs_from_others(
    client: Client, buyer: User, freelancer: User
) -> None:
    draft = _job(buyer, publish=False)
    invite_only = _job(buyer, visibility=Visibility.INVITE_ONLY)
    for job in (draft, invite_only):
        for viewer in (freelancer, None):
            response = _api(client, "get", f"/jobs/{job.pk}", viewer)
            assert response.status_code == 404
            assert response["Content-Type"] == PROBLEM
        assert _api(client, "get", f"/jobs/{job.pk}", buyer).status_code == 200
        assert _api(client, "post", f"/jobs/{job.pk}/close", freelancer).status_code == 404
    assert _api(client, "get", f"/jobs/{invite_only.pk}", _staff()).status_code == 200
    invited = _api(
        client, "post", f"/jobs/{invite_only.pk}/invitations", buyer, {"freelancer_id": freelancer.pk}
    )
    assert invited.status_code == 201
    assert invited.json()["freelancer_id"] == freelancer.pk
    assert _api(client, "get", f"/jobs/{invite_only.pk}", freelancer).status_code == 200


def test_api_hides_confidential_details_until_the_nda(client: Client, buyer: User, freelancer: User) -> None:
    job = _job(buyer, is_confidential=True)
    posted = client.post(f"/api/v1/jobs/{job.pk}/attachments", {"file": _file("plan.pdf")}, **_token(buyer))
    assert posted.status_code == 201
    download = posted.json()["download_url"]
    assert download.endswith(f"/api/v1/jobs/{job.pk}/attachments/{posted.json()['id']}")

    hidden = _api(client, "get", f"/jobs/{job.pk}", freelancer).json()
    assert hidden["details_hidden"] is True
    assert hidden["description"] is None
    assert hidden["attachments"] is None
    assert hidden["nda_accepted"] is False
    assert hidden["title"] == "Build a Django shop"
    assert _api(client, "get", f"/jobs/{job.pk}").json()["description"] is None
    refused = client.get(download, **_token(freelancer))
    assert refused.status_code == 403
    assert "NDA" in refused.json()["detail"]
    assert client.get(download).status_code == 403

    accepted = _api(client, "post", f"/jobs/{job.pk}/nda", freelancer)
    assert accepted.status_code == 200
    assert accepted.json()["job_id"] == job.pk
    shown = _api(client, "get", f"/jobs/{job.pk}", freelancer).json()
    assert SECRET in shown["description"]
    assert shown["attachments"][0]["name"] == "plan.pdf"
    assert shown["nda_accepted"] is True
    file = client.get(download, **_token(freelancer))
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == b"%PDF-1.4 brief"  # type: ignore[attr-defined]
    assert file["X-Content-Type-Options"] == "nosniff"
    assert _api(client, "post", f"/jobs/{job.pk}/nda", buyer).status_code == 422


def test_api_attachments_and_invitations(client: Client, buyer: User, freelancer: User) -> None:
    job = _job(buyer)
    too_big = client.post(
        f"/api/v1/jobs/{job.pk}/attachments", {"file": _file("big.bin", b"x" * 2048)}, **_token(buyer)
    )
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "file"
    assert (
        client.post(f"/api/v1/jobs/{job.pk}/attachments", {"file": _file()}, **_token(freelancer)).status_code
        == 403
    )
    added = client.post(f"/api/v1/jobs/{job.pk}/attachments", {"file": _file()}, **_token(buyer)).json()
    assert _api(client, "delete", f"/jobs/{job.pk}/attachments/{added['id']}", freelancer).status_code == 403
    assert _api(client, "delete", f"/jobs/{job.pk}/attachments/{added['id']}", buyer).status_code == 204
    assert _api(client, "delete", f"/jobs/{job.pk}/attachments/{added['id']}", buyer).status_code == 404
    assert not JobAttachment.objects.exists()

    first = _api(client, "post", f"/jobs/{job.pk}/invitations", buyer, {"email": freelancer.email})
    again = _api(client, "post", f"/jobs/{job.pk}/invitations", buyer, {"freelancer_id": freelancer.pk})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert _api(client, "post", f"/jobs/{job.pk}/invitations", buyer, {}).status_code == 422
    assert (
        _api(client, "post", f"/jobs/{job.pk}/invitations", buyer, {"freelancer_id": buyer.pk}).status_code
        == 422
    )
    listed = _api(client, "get", f"/jobs/{job.pk}/invitations", buyer).json()
    assert [row["freelancer_id"] for row in listed["items"]] == [freelancer.pk]
    assert _api(client, "get", f"/jobs/{job.pk}/invitations", freelancer).status_code == 403


def test_the_description_is_rendered_as_sanitized_markdown(buyer: User) -> None:
    job = _job(
        buyer,
        description="# Scope\n\n<script>alert(1)</script> [click](javascript:alert(2)) *fast*",
    )
    html = Client().get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert "<em>fast</em>" in html
    assert "<script>alert(1)" not in html
    assert 'href="javascript' not in html
