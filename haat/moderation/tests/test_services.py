"""Moderation services: every staff action states its reason (and rule), is audited in its transaction, and
e-mails the person affected; appeals are decided by a second staff member."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from haat.accounts.models import User
from haat.conftest import make_user
from haat.jobs.models import Job
from haat.messaging.models import Message
from haat.moderation import services
from haat.moderation.models import AccountWarning, Appeal, AppealStatus, Report, ReportStatus, Suspension
from haat.staff.models import AuditEntry

pytestmark = pytest.mark.django_db


def _audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def _suspend(moderator: User, user: User, **extra: Any) -> Suspension:
    return services.suspend(
        moderator=moderator, user_id=user.pk, rule="respect", reason="Insulted a buyer in messages.", **extra
    )


def test_suspension_states_reason_and_rule_is_audited_and_e_mailed(
    moderator: User, worker: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        suspension = _suspend(moderator, worker)
    (entry,) = _audit("moderation.suspend")
    assert (entry.actor, entry.target_type, entry.target_id) == (moderator, "user", str(worker.pk))
    assert entry.reason == "Insulted a buyer in messages."
    assert entry.details["rule"] == "respect" and entry.details["is_fraud"] is False
    (email,) = mail.outbox
    assert email.to == [worker.email] and email.subject == "Your account is suspended"
    assert "Rule: Be respectful" in email.body and "Insulted a buyer in messages." in email.body
    assert "You can still withdraw your cleared earnings." in email.body
    assert "/account/moderation/" in email.body

    with pytest.raises(PermissionDenied) as refused:
        services.ensure_not_suspended(worker)
    assert "Insulted a buyer in messages." in str(refused.value) and "Be respectful" in str(refused.value)
    # A second suspension while one is active is a state conflict, and changes nothing.
    with pytest.raises(services.ModerationStateError):
        _suspend(moderator, worker)
    assert Suspension.objects.filter(user=worker).count() == 1 and suspension.is_active


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"rule": "no-such-rule"}, "rule"), ({"reason": "  "}, "reason"), ({"reason": "x" * 2001}, "reason")],
)
def test_a_sanction_needs_a_known_rule_and_a_reason(
    moderator: User, worker: User, changes: dict[str, str], field: str
) -> None:
    values = {"rule": "respect", "reason": "Insults.", **changes}
    with pytest.raises(ValidationError) as refused:
        services.suspend(moderator=moderator, user_id=worker.pk, **values)
    assert field in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.warn(moderator=moderator, user_id=worker.pk, **values)
    assert not Suspension.objects.exists() and not AccountWarning.objects.exists()
    assert not AuditEntry.objects.exists()


def test_only_moderators_act_and_never_on_themselves(moderator: User, worker: User, buyer: User) -> None:
    with pytest.raises(PermissionDenied):
        _suspend(buyer, worker)
    with pytest.raises(PermissionDenied):
        services.warn(moderator=buyer, user_id=worker.pk, rule="respect", reason="x")
    with pytest.raises(PermissionDenied):
        _suspend(moderator, moderator)
    assert not Suspension.objects.exists() and not AuditEntry.objects.exists()


def test_an_appeal_is_decided_by_a_second_staff_member(
    moderator: User, second_moderator: User, worker: User, django_capture_on_commit_callbacks: Any
) -> None:
    suspension = _suspend(moderator, worker)
    appeal = services.appeal(user=worker, suspension_id=suspension.pk, statement="It was a misunderstanding.")
    # Once only.
    with pytest.raises(services.ModerationStateError):
        services.appeal(user=worker, suspension_id=suspension.pk, statement="Again.")
    # Not someone else's suspension.
    with pytest.raises(Suspension.DoesNotExist):
        services.appeal(user=make_user("other@example.com"), suspension_id=suspension.pk, statement="Me too.")
    # The moderator who suspended may not decide.
    with pytest.raises(PermissionDenied) as refused:
        services.decide_appeal(staff=moderator, appeal_id=appeal.pk, grant=True, decision="I was wrong.")
    assert "another staff member" in str(refused.value)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING and not _audit("moderation.decide_appeal")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_appeal(
            staff=second_moderator, appeal_id=appeal.pk, grant=True, decision="The messages were quoted."
        )
    appeal.refresh_from_db()
    suspension.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == (AppealStatus.GRANTED, second_moderator)
    assert suspension.lifted_at is not None and suspension.lifted_by == second_moderator
    services.ensure_not_suspended(worker)  # no longer suspended
    (entry,) = _audit("moderation.decide_appeal")
    assert (entry.actor, entry.details["granted"], entry.reason) == (
        second_moderator,
        True,
        "The messages were quoted.",
    )
    (email,) = mail.outbox
    assert email.subject == "Your appeal was granted" and "The messages were quoted." in email.body
    with pytest.raises(services.ModerationStateError):
        services.decide_appeal(staff=second_moderator, appeal_id=appeal.pk, grant=False, decision="No.")


def test_a_refused_appeal_keeps_the_suspension(moderator: User, second_moderator: User, worker: User) -> None:
    suspension = _suspend(moderator, worker)
    appeal = services.appeal(user=worker, suspension_id=suspension.pk, statement="Please.")
    services.decide_appeal(
        staff=second_moderator, appeal_id=appeal.pk, grant=False, decision="Clear insults."
    )
    suspension.refresh_from_db()
    assert suspension.is_active and Appeal.objects.get().status == AppealStatus.REFUSED
    with pytest.raises(PermissionDenied):
        services.ensure_not_suspended(worker)


def test_every_staff_action_is_audited(
    moderator: User, worker: User, buyer: User, job: Job, message: Message
) -> None:
    job_report = services.report(reporter=worker, target_type="job", target_id=job.pk, reason="spam")
    message_report = services.report(
        reporter=buyer, target_type="message", target_id=message.pk, reason="abuse", note="Rude."
    )
    services.hide(moderator=moderator, target_type="job", target_id=job.pk, reason="Advertising.")
    services.unhide(moderator=moderator, target_type="job", target_id=job.pk, reason="Edited since.")
    services.dismiss_report(moderator=moderator, report_id=message_report.pk, outcome="Not rude.")
    warning = services.warn(moderator=moderator, user_id=worker.pk, rule="no-spam", reason="Repeated bids.")
    suspension = _suspend(moderator, worker)
    services.lift(moderator=moderator, suspension_id=suspension.pk, reason="Served its time.")
    actions = list(
        AuditEntry.objects.order_by("pk").values_list("action", "target_type", "target_id", "reason")
    )
    assert actions == [
        ("moderation.hide", "job", str(job.pk), "Advertising."),
        ("moderation.unhide", "job", str(job.pk), "Edited since."),
        ("moderation.dismiss_report", "report", str(message_report.pk), "Not rude."),
        ("moderation.warn", "user", str(worker.pk), "Repeated bids."),
        ("moderation.suspend", "user", str(worker.pk), "Insulted a buyer in messages."),
        ("moderation.lift", "suspension", str(suspension.pk), "Served its time."),
    ]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {moderator.pk}
    job_report.refresh_from_db()
    message_report.refresh_from_db()
    assert (job_report.status, job_report.outcome) == (ReportStatus.ACTIONED, "The content was hidden.")
    assert (message_report.status, message_report.outcome) == (ReportStatus.DISMISSED, "Not rude.")
    assert warning.rule == "no-spam"
    # Handled reports cannot be handled again.
    with pytest.raises(services.ModerationStateError):
        services.dismiss_report(moderator=moderator, report_id=message_report.pk, outcome="Again.")
    with pytest.raises(services.ModerationStateError):
        services.lift(moderator=moderator, suspension_id=suspension.pk, reason="Again.")


def test_a_failed_action_leaves_no_audit_entry(moderator: User, job: Job) -> None:
    services.hide(moderator=moderator, target_type="job", target_id=job.pk, reason="Advertising.")
    with pytest.raises(services.ModerationStateError):
        services.hide(moderator=moderator, target_type="job", target_id=job.pk, reason="Twice.")
    assert AuditEntry.objects.count() == 1


def test_hiding_e_mails_the_author_with_the_reason(
    moderator: User, job: Job, buyer: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.hide(moderator=moderator, target_type="job", target_id=job.pk, reason="Asks for free work.")
    (email,) = mail.outbox
    assert email.to == [buyer.email] and email.subject == "Your job was hidden by a moderator"
    assert "Asks for free work." in email.body


def test_reports_only_on_what_the_reporter_can_see(
    worker: User, buyer: User, job: Job, message: Message
) -> None:
    stranger = make_user("stranger@example.com")
    # A message in someone else's conversation: the same answer as an unknown id.
    with pytest.raises(Report.DoesNotExist):
        services.report(reporter=stranger, target_type="message", target_id=message.pk, reason="spam")
    with pytest.raises(Report.DoesNotExist):
        services.report(reporter=stranger, target_type="job", target_id=10**9, reason="spam")
    with pytest.raises(ValidationError):
        services.report(reporter=worker, target_type="message", target_id=message.pk, reason="spam")
    with pytest.raises(ValidationError):
        services.report(reporter=stranger, target_type="job", target_id=job.pk, reason="nonsense")
    first = services.report(reporter=stranger, target_type="profile", target_id=worker.pk, reason="fake")
    again = services.report(reporter=stranger, target_type="profile", target_id=worker.pk, reason="fake")
    assert first.pk == again.pk and first.target_user == worker
    assert Report.objects.count() == 1


def test_a_sanction_closes_only_a_report_about_that_user(
    moderator: User, worker: User, buyer: User, job: Job
) -> None:
    about_buyer = services.report(reporter=worker, target_type="job", target_id=job.pk, reason="spam")
    services.warn(
        moderator=moderator, user_id=worker.pk, rule="no-spam", reason="x", report_id=about_buyer.pk
    )
    about_buyer.refresh_from_db()
    assert about_buyer.status == ReportStatus.OPEN
    services.warn(moderator=moderator, user_id=buyer.pk, rule="no-spam", reason="y", report_id=about_buyer.pk)
    about_buyer.refresh_from_db()
    assert (about_buyer.status, about_buyer.outcome) == (ReportStatus.ACTIONED, "The author was warned.")
