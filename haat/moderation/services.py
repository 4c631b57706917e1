"""Moderation: reports, hiding content, warnings, suspensions and appeals.

Every staff action here states a reason and (for warnings and suspensions) the rule, writes an entry in the
audit log in the same transaction, and e-mails the person affected after the commit: people are never left
guessing why their account or their content changed.

Suspension: while one is active the user cannot post or edit jobs, bid, send messages or review
(``ensure_not_suspended``, called by those services), but keeps reading everything they could read, and keeps
withdrawing cleared earnings unless the suspension is for fraud (``ensure_may_withdraw``: finance reviews the
account first). The user may appeal a suspension once; a staff member other than the one who suspended decides.

Target ids: a job, message or review by its id; a profile by its user's id (the id in its page address).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haat.accounts.models import Profile, User
from haat.jobs import permissions as job_permissions
from haat.jobs.models import Job
from haat.messaging import selectors as messaging_selectors
from haat.messaging.models import Message
from haat.moderation import rules
from haat.moderation.models import (
    REASON_MAX_LENGTH,
    AccountWarning,
    Appeal,
    AppealStatus,
    ContactFlagReview,
    Report,
    ReportReason,
    ReportStatus,
    Suspension,
    TargetType,
)
from haat.notifications.email import send_to
from haat.reputation.models import Review
from haat.staff import audit
from haat.staff.roles import Role, has_role

MAX_ID = 2**63 - 1


class ModerationStateError(ValidationError):
    """A move the current state does not allow (the API answers 409)."""


# --- Suspension guard (called by other apps' services) --------------------------------------------------------


def active_suspension(user: Any) -> Suspension | None:
    """The user's active suspension, if any (anonymous users have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Suspension.objects.filter(user_id=user.pk, lifted_at__isnull=True).first()


def suspension_message(suspension: Suspension) -> str:
    """What a suspended user reads when an action is refused: the reason, the rule and where to appeal."""
    return _(
        "Your account is suspended, so you cannot do this. Reason: %(reason)s Rule: %(rule)s. "
        "You can still read your contracts and messages; see your account status to appeal."
    ) % {"reason": suspension.reason.rstrip(".") + ".", "rule": rules.rule_title(suspension.rule)}


def ensure_not_suspended(user: Any) -> None:
    """Raise ``PermissionDenied`` (stating the reason and the rule) when ``user`` is suspended."""
    suspension = active_suspension(user)
    if suspension is not None:
        raise PermissionDenied(suspension_message(suspension))


def ensure_may_withdraw(user: Any) -> None:
    """Raise ``PermissionDenied`` when ``user`` is suspended for fraud and finance has not reviewed the account
    yet (``finance_review``). Other suspensions do not stop withdrawals of cleared earnings."""
    suspension = active_suspension(user)
    if suspension is not None and suspension.blocks_withdrawals:
        raise PermissionDenied(
            _(
                "Your account is suspended for suspected fraud, so withdrawals wait until our finance team has "
                "reviewed it. Reason: %(reason)s"
            )
            % {"reason": suspension.reason}
        )


# --- Targets --------------------------------------------------------------------------------------------------


class ObjectNotFound(Report.DoesNotExist):
    """An unknown target, or one the user may not see (the same answer: a 404)."""


def _check_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise ObjectNotFound
    return value


def _model_of(target_type: str) -> type[models.Model]:
    return {
        TargetType.JOB: Job,
        TargetType.MESSAGE: Message,
        TargetType.PROFILE: Profile,
        TargetType.REVIEW: Review,
    }[TargetType(target_type)]


def _target(target_type: str, target_id: int, *, lock: bool = False) -> Any:
    """The job, message, profile or review (a profile by its user's id); ``ObjectNotFound`` if none."""
    model = _model_of(target_type)
    manager = model._default_manager.select_for_update() if lock else model._default_manager.all()
    key = "user_id" if target_type == TargetType.PROFILE else "pk"
    try:
        return manager.get(**{key: target_id})
    except ObjectDoesNotExist as exc:
        raise ObjectNotFound from exc


def author_id(target_type: str, target: Any) -> int:
    """The user responsible for the content."""
    if target_type == TargetType.JOB:
        return int(target.buyer_id)
    if target_type == TargetType.MESSAGE:
        return int(target.sender_id)
    if target_type == TargetType.PROFILE:
        return int(target.user_id)
    return int(target.author_id)


def can_see(user: Any, target_type: str, target: Any) -> bool:
    """Whether ``user`` may see this content (and so report it). Authors always see their own."""
    if author_id(target_type, target) == user.pk or has_role(user, Role.MODERATOR):
        return True
    if target.hidden_at is not None:
        return False
    if target_type == TargetType.JOB:
        return job_permissions.can_view(user, target)
    if target_type == TargetType.MESSAGE:
        return messaging_selectors.threads_of(user).filter(pk=target.thread_id).exists()
    if target_type == TargetType.PROFILE:
        return bool(target.user.is_active)
    return target.published_at is not None or target.subject_id == user.pk


def visible_target(user: Any, target_type: str, target_id: int) -> Any:
    """The content if ``user`` may see it (and so report it); ``ObjectNotFound`` otherwise."""
    target = _target(target_type, _check_id(target_id))
    if not can_see(user, target_type, target):
        raise ObjectNotFound
    return target


def _text(value: object, field: str, *, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({field: _("Say why: the person affected will read it.")})
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError({field: _("Keep it under %(n)d characters.") % {"n": REASON_MAX_LENGTH}})
    return text


def _rule(value: object) -> str:
    if not isinstance(value, str) or value not in rules.BY_CODE:
        raise ValidationError({"rule": _("Choose the rule that was broken.")})
    return value


def _require_moderator(user: Any) -> None:
    if not has_role(user, Role.MODERATOR):
        raise PermissionDenied(_("Only moderators may do this."))


# --- Reports --------------------------------------------------------------------------------------------------


@transaction.atomic
def report(
    *, reporter: User, target_type: object, target_id: object, reason: object, note: object = ""
) -> Report:
    """Report a job, message, profile or review the reporter can see, with a reason and an optional note.

    ``ObjectNotFound`` (a 404) for unknown targets and those the reporter cannot see; ``ValidationError``
    keyed by field for a bad type, reason or note, or for one's own content. Reporting the same thing again
    while the first report is open returns the first report.
    """
    if not isinstance(target_type, str) or target_type not in TargetType.values:
        raise ValidationError({"target_type": _("Report a job, a message, a profile or a review.")})
    if not isinstance(reason, str) or reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    clean_note = _text(note, "note", required=False)
    clean_id = _check_id(target_id)
    target = visible_target(reporter, target_type, clean_id)
    owner = author_id(target_type, target)
    if owner == reporter.pk:
        raise ValidationError({"target_id": _("You cannot report your own content.")})
    earlier = Report.objects.filter(
        reporter=reporter, target_type=target_type, target_id=clean_id, status=ReportStatus.OPEN
    ).first()
    if earlier is not None:
        return earlier
    return Report.objects.create(
        reporter=reporter,
        target_type=target_type,
        target_id=clean_id,
        target_user_id=owner,
        reason=reason,
        note=clean_note,
    )


def _close_reports(moderator: User, target_type: str, target_id: int, outcome: str) -> None:
    """Mark the open reports on a target as acted upon, with what the reporters will read."""
    Report.objects.filter(target_type=target_type, target_id=target_id, status=ReportStatus.OPEN).update(
        status=ReportStatus.ACTIONED, outcome=outcome, resolved_by=moderator, resolved_at=timezone.now()
    )


def _close_report(moderator: User, report_id: int | None, user: User, outcome: str) -> None:
    """Close the report that led to a warning or suspension (only a report about that user's content)."""
    if report_id is not None:
        Report.objects.filter(pk=report_id, target_user=user, status=ReportStatus.OPEN).update(
            status=ReportStatus.ACTIONED, outcome=outcome, resolved_by=moderator, resolved_at=timezone.now()
        )


@transaction.atomic
def dismiss_report(*, moderator: User, report_id: int, outcome: object) -> Report:
    """Close an open report without action; ``outcome`` is what the reporter reads. Audited."""
    _require_moderator(moderator)
    item = Report.objects.select_for_update().get(pk=_check_id(report_id))
    if item.status != ReportStatus.OPEN:
        raise ModerationStateError({"report": _("This report was already handled.")})
    item.outcome = _text(outcome, "outcome")
    item.status = ReportStatus.DISMISSED
    item.resolved_by = moderator
    item.resolved_at = timezone.now()
    item.save(update_fields=["outcome", "status", "resolved_by", "resolved_at"])
    audit.record(
        actor=moderator,
        action="moderation.dismiss_report",
        target_type="report",
        target_id=item.pk,
        reason=item.outcome,
    )
    return item


@transaction.atomic
def review_flag(*, moderator: User, message_id: int, outcome: object = "") -> ContactFlagReview:
    """Take a message flagged for off-platform contact details off the queue without hiding it (e.g. a false
    flag, or a warning given separately). ``ModerationStateError`` when already reviewed. Audited."""
    _require_moderator(moderator)
    clean = _text(outcome, "outcome", required=False)
    message = Message.objects.select_for_update().exclude(contact_flags="").get(pk=_check_id(message_id))
    if ContactFlagReview.objects.filter(message=message).exists():
        raise ModerationStateError({"message": _("This flag was already reviewed.")})
    review = ContactFlagReview.objects.create(message=message, by=moderator, outcome=clean)
    audit.record(
        actor=moderator,
        action="moderation.review_flag",
        target_type="message",
        target_id=message.pk,
        reason=clean,
        flags=message.contact_flags,
        user_id=message.sender_id,
    )
    return review


# --- Hiding content -------------------------------------------------------------------------------------------


@transaction.atomic
def hide(
    *, moderator: User, target_type: str, target_id: int, reason: object, report_id: int | None = None
) -> Any:
    """Hide a job, message, profile or review from everyone but its author (who sees ``reason``) and staff.
    Closes the open reports on it. Audited; the author is e-mailed after commit."""
    _require_moderator(moderator)
    clean = _text(reason, "reason")
    target = _target(target_type, _check_id(target_id), lock=True)
    if target.hidden_at is not None:
        raise ModerationStateError({"target": _("This is already hidden.")})
    target.hidden_at = timezone.now()
    target.hidden_reason = clean
    target.save(update_fields=["hidden_at", "hidden_reason"])
    _close_reports(moderator, target_type, target_id, _("The content was hidden."))
    if target_type == TargetType.MESSAGE and target.contact_flags:
        ContactFlagReview.objects.get_or_create(message=target, defaults={"by": moderator, "outcome": clean})
    owner = author_id(target_type, target)
    audit.record(
        actor=moderator,
        action="moderation.hide",
        target_type=target_type,
        target_id=target_id,
        reason=clean,
        user_id=owner,
    )
    transaction.on_commit(partial(_mail_hidden, owner, target_type, clean), robust=True)
    return target


@transaction.atomic
def unhide(*, moderator: User, target_type: str, target_id: int, reason: object) -> Any:
    """Show hidden content again (a mistake, or the author fixed it). Audited; the author is e-mailed."""
    _require_moderator(moderator)
    clean = _text(reason, "reason")
    target = _target(target_type, _check_id(target_id), lock=True)
    if target.hidden_at is None:
        raise ModerationStateError({"target": _("This is not hidden.")})
    target.hidden_at = None
    target.hidden_reason = ""
    target.save(update_fields=["hidden_at", "hidden_reason"])
    owner = author_id(target_type, target)
    audit.record(
        actor=moderator,
        action="moderation.unhide",
        target_type=target_type,
        target_id=target_id,
        reason=clean,
        user_id=owner,
    )
    transaction.on_commit(partial(_mail_unhidden, owner, target_type, clean), robust=True)
    return target


# --- Warnings and suspensions ---------------------------------------------------------------------------------


def _subject_user(moderator: User, user_id: object) -> User:
    user = User.objects.get(pk=_check_id(user_id))
    if user.pk == moderator.pk:
        raise PermissionDenied(_("You cannot act on your own account."))
    return user


@transaction.atomic
def warn(
    *, moderator: User, user_id: int, rule: object, reason: object, report_id: int | None = None
) -> AccountWarning:
    """Warn a user, citing a rule and a reason they will read. Audited; the user is e-mailed."""
    _require_moderator(moderator)
    clean_rule, clean = _rule(rule), _text(reason, "reason")
    user = _subject_user(moderator, user_id)
    warning = AccountWarning.objects.create(
        user=user, rule=clean_rule, reason=clean, by=moderator, report_id=report_id
    )
    _close_report(moderator, report_id, user, _("The author was warned."))
    audit.record(
        actor=moderator,
        action="moderation.warn",
        target_type="user",
        target_id=user.pk,
        reason=clean,
        rule=clean_rule,
        warning_id=warning.pk,
    )
    transaction.on_commit(partial(_mail_warned, warning.pk), robust=True)
    return warning


@transaction.atomic
def suspend(
    *,
    moderator: User,
    user_id: int,
    rule: object,
    reason: object,
    is_fraud: bool = False,
    report_id: int | None = None,
) -> Suspension:
    """Suspend a user's account, citing a rule and a reason they will read; ``is_fraud`` also stops
    withdrawals until finance has reviewed. ``ModerationStateError`` when already suspended. Audited; the
    user is e-mailed with how to appeal."""
    _require_moderator(moderator)
    clean_rule, clean = _rule(rule), _text(reason, "reason")
    user = User.objects.select_for_update().get(pk=_subject_user(moderator, user_id).pk)
    if Suspension.objects.filter(user=user, lifted_at__isnull=True).exists():
        raise ModerationStateError({"user": _("This account is already suspended.")})
    try:
        with transaction.atomic():
            suspension = Suspension.objects.create(
                user=user,
                rule=clean_rule,
                reason=clean,
                is_fraud=bool(is_fraud),
                by=moderator,
                report_id=report_id,
            )
    except IntegrityError as exc:  # another moderator suspended at the same moment
        raise ModerationStateError({"user": _("This account is already suspended.")}) from exc
    _close_report(moderator, report_id, user, _("The author's account was suspended."))
    audit.record(
        actor=moderator,
        action="moderation.suspend",
        target_type="user",
        target_id=user.pk,
        reason=clean,
        rule=clean_rule,
        is_fraud=suspension.is_fraud,
        suspension_id=suspension.pk,
    )
    transaction.on_commit(partial(_mail_suspended, suspension.pk), robust=True)
    return suspension


def _lift(suspension: Suspension, staff: User, reason: str) -> None:
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = staff
    suspension.lift_reason = reason
    suspension.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])


@transaction.atomic
def lift(*, moderator: User, suspension_id: int, reason: object) -> Suspension:
    """End an active suspension, saying why. Audited; the user is e-mailed."""
    _require_moderator(moderator)
    clean = _text(reason, "reason")
    suspension = Suspension.objects.select_for_update().get(pk=_check_id(suspension_id))
    if suspension.lifted_at is not None:
        raise ModerationStateError({"suspension": _("This suspension was already lifted.")})
    _lift(suspension, moderator, clean)
    audit.record(
        actor=moderator,
        action="moderation.lift",
        target_type="suspension",
        target_id=suspension.pk,
        reason=clean,
        user_id=suspension.user_id,
    )
    transaction.on_commit(partial(_mail_lifted, suspension.pk), robust=True)
    return suspension


@transaction.atomic
def finance_review(*, staff: User, suspension_id: int, note: object) -> Suspension:
    """Finance has reviewed the account of a user suspended for fraud: withdrawals of their cleared earnings
    are allowed again (the suspension itself stays until lifted or appealed). Finance staff only, never on
    their own account. ``ModerationStateError`` when there is nothing to review. Audited; the user is e-mailed.
    """
    if not has_role(staff, Role.FINANCE):
        raise PermissionDenied(_("Only finance staff may review an account for withdrawals."))
    clean = _text(note, "note")
    suspension = Suspension.objects.select_for_update().get(pk=_check_id(suspension_id))
    if suspension.user_id == staff.pk:
        raise PermissionDenied(_("You cannot review your own account."))
    if not suspension.blocks_withdrawals:
        raise ModerationStateError(
            {"suspension": _("Withdrawals of this account are not waiting for review.")}
        )
    suspension.finance_reviewed_at = timezone.now()
    suspension.finance_reviewed_by = staff
    suspension.finance_note = clean
    suspension.save(update_fields=["finance_reviewed_at", "finance_reviewed_by", "finance_note"])
    audit.record(
        actor=staff,
        action="moderation.finance_review",
        target_type="suspension",
        target_id=suspension.pk,
        reason=clean,
        user_id=suspension.user_id,
    )
    transaction.on_commit(partial(_mail_finance_reviewed, suspension.pk), robust=True)
    return suspension


# --- Appeals --------------------------------------------------------------------------------------------------


@transaction.atomic
def appeal(*, user: User, suspension_id: int, statement: object) -> Appeal:
    """Appeal one's own active suspension with a statement, once. ``Suspension.DoesNotExist`` for anyone
    else's; ``ModerationStateError`` for a second appeal or a lifted suspension; ``ValidationError``
    (``statement``) for an empty or too long statement."""
    clean = _text(statement, "statement")
    suspension = Suspension.objects.select_for_update().get(pk=_check_id(suspension_id), user_id=user.pk)
    if Appeal.objects.filter(suspension=suspension).exists():
        raise ModerationStateError({"suspension": _("You have already appealed this suspension.")})
    if suspension.lifted_at is not None:
        raise ModerationStateError({"suspension": _("This suspension was already lifted.")})
    try:
        with transaction.atomic():
            item = Appeal.objects.create(suspension=suspension, statement=clean)
    except IntegrityError as exc:
        raise ModerationStateError({"suspension": _("You have already appealed this suspension.")}) from exc
    return item


@transaction.atomic
def decide_appeal(*, staff: User, appeal_id: int, grant: bool, decision: object) -> Appeal:
    """Grant (the suspension is lifted) or refuse an appeal, saying why. By a moderator who is not the one who
    suspended (``PermissionDenied`` otherwise). ``ModerationStateError`` when already decided. Audited; the
    user is e-mailed."""
    _require_moderator(staff)
    clean = _text(decision, "decision")
    item = Appeal.objects.select_for_update().select_related("suspension").get(pk=_check_id(appeal_id))
    suspension = Suspension.objects.select_for_update().get(pk=item.suspension_id)
    if suspension.by_id == staff.pk:
        raise PermissionDenied(
            _("You suspended this account, so another staff member must decide the appeal.")
        )
    if suspension.user_id == staff.pk:
        raise PermissionDenied(_("You cannot decide your own appeal."))
    if item.status != AppealStatus.PENDING:
        raise ModerationStateError({"appeal": _("This appeal was already decided.")})
    item.status = AppealStatus.GRANTED if grant else AppealStatus.REFUSED
    item.decided_by = staff
    item.decided_at = timezone.now()
    item.decision = clean
    item.save(update_fields=["status", "decided_by", "decided_at", "decision"])
    if grant and suspension.lifted_at is None:
        _lift(suspension, staff, clean)
    audit.record(
        actor=staff,
        action="moderation.decide_appeal",
        target_type="appeal",
        target_id=item.pk,
        reason=clean,
        granted=bool(grant),
        suspension_id=suspension.pk,
        user_id=suspension.user_id,
    )
    transaction.on_commit(partial(_mail_appeal_decided, item.pk), robust=True)
    return item


# --- E-mail ---------------------------------------------------------------------------------------------------


def _link(name: str) -> str:
    return getattr(settings, "HAAT_BASE_URL", "").rstrip("/") + reverse(name)


def _signature() -> str:
    return _("— %(site)s") % {"site": settings.HAAT_SITE_NAME}


def _target_label(target_type: str) -> str:
    return str(TargetType(target_type).label).lower()


def _mail_hidden(user_id: int, target_type: str, reason: str) -> None:
    def compose() -> tuple[str, str]:
        values = {"what": _target_label(target_type), "reason": reason, "link": _link("moderation:mine")}
        body = (
            _(
                "Hello,\n\nA moderator hid your %(what)s from other users.\n\nReason: %(reason)s\n\n"
                "You still see it, with this reason. Your account status: %(link)s\n"
            )
            % values
        )
        return _("Your %(what)s was hidden by a moderator") % values, f"{body}\n{_signature()}\n"

    send_to(User.objects.get(pk=user_id), compose)


def _mail_unhidden(user_id: int, target_type: str, reason: str) -> None:
    def compose() -> tuple[str, str]:
        values = {"what": _target_label(target_type), "reason": reason}
        body = _("Hello,\n\nYour %(what)s is visible again.\n\nReason: %(reason)s\n") % values
        return _("Your %(what)s is visible again") % values, f"{body}\n{_signature()}\n"

    send_to(User.objects.get(pk=user_id), compose)


def _mail_warned(warning_id: int) -> None:
    warning = AccountWarning.objects.select_related("user").get(pk=warning_id)

    def compose() -> tuple[str, str]:
        values = {
            "rule": rules.rule_title(warning.rule),
            "reason": warning.reason,
            "link": _link("moderation:mine"),
        }
        body = (
            _(
                'Hello,\n\nA moderator warned you about our rule "%(rule)s".\n\nReason: %(reason)s\n\n'
                "Repeated breaches can lead to a suspension. Your account status: %(link)s\n"
            )
            % values
        )
        return _("A warning about your account"), f"{body}\n{_signature()}\n"

    send_to(warning.user, compose)


def _mail_suspended(suspension_id: int) -> None:
    suspension = Suspension.objects.select_related("user").get(pk=suspension_id)

    def compose() -> tuple[str, str]:
        values = {
            "rule": rules.rule_title(suspension.rule),
            "reason": suspension.reason,
            "link": _link("moderation:mine"),
        }
        body = (
            _(
                "Hello,\n\nYour account is suspended.\n\nRule: %(rule)s\nReason: %(reason)s\n\n"
                "While suspended you cannot post jobs, bid, send messages or write reviews. You can still read "
                "your contracts and messages.\n"
            )
            % values
        )
        money = (
            _(
                "Because the suspension is for suspected fraud, withdrawals wait until our finance team has "
                "reviewed your account.\n"
            )
            if suspension.is_fraud
            else _("You can still withdraw your cleared earnings.\n")
        )
        appeal_text = (
            _("You can appeal once, with a statement; another staff member decides: %(link)s\n") % values
        )
        return _("Your account is suspended"), f"{body}{money}\n{appeal_text}\n{_signature()}\n"

    send_to(suspension.user, compose)


def _mail_lifted(suspension_id: int) -> None:
    suspension = Suspension.objects.select_related("user").get(pk=suspension_id)

    def compose() -> tuple[str, str]:
        body = _("Hello,\n\nYour account's suspension was lifted.\n\nReason: %(reason)s\n") % {
            "reason": suspension.lift_reason
        }
        return _("Your account is no longer suspended"), f"{body}\n{_signature()}\n"

    send_to(suspension.user, compose)


def _mail_finance_reviewed(suspension_id: int) -> None:
    suspension = Suspension.objects.select_related("user").get(pk=suspension_id)

    def compose() -> tuple[str, str]:
        body = _(
            "Hello,\n\nOur finance team has reviewed your account: you can withdraw your cleared earnings "
            "again. Your account stays suspended otherwise.\n\nNote: %(note)s\n"
        ) % {"note": suspension.finance_note}
        return _("Withdrawals are open again"), f"{body}\n{_signature()}\n"

    send_to(suspension.user, compose)


def _mail_appeal_decided(appeal_id: int) -> None:
    item = Appeal.objects.select_related("suspension__user").get(pk=appeal_id)

    def compose() -> tuple[str, str]:
        values = {"decision": item.decision}
        if item.status == AppealStatus.GRANTED:
            subject = _("Your appeal was granted")
            body = (
                _(
                    "Hello,\n\nYour appeal was granted and your account is no longer suspended.\n\n"
                    "Decision: %(decision)s\n"
                )
                % values
            )
        else:
            subject = _("Your appeal was refused")
            body = (
                _("Hello,\n\nYour appeal was refused; the suspension stays.\n\nDecision: %(decision)s\n")
                % values
            )
        return subject, f"{body}\n{_signature()}\n"

    send_to(item.suspension.user, compose)
