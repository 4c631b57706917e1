"""E-mails about a dispute: every step reaches both sides, each in their own language and time zone."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from haat.accounts.models import Profile, User
from haat.disputes.models import Dispute
from haat.notifications.email import send_to
from haat.web.money import format_money

logger = logging.getLogger(__name__)


def _name(user: User) -> str:
    profile = Profile.objects.filter(user=user).first()
    return profile.public_name if profile else user.email


def _subjects() -> dict[str, str]:
    # Built per call: the texts must be translated in the recipient's language.
    return {
        "opened": _("A dispute was opened on “%(job)s”"),
        "statement": _("New statement in the dispute on “%(job)s”"),
        "offer": _("New offer to settle the dispute on “%(job)s”"),
        "rejected": _("An offer in the dispute on “%(job)s” was rejected"),
        "settled": _("The dispute on “%(job)s” is settled"),
        "escalated": _("The dispute on “%(job)s” went to an arbiter"),
        "assigned": _("An arbiter took the dispute on “%(job)s”"),
        "decided": _("The arbiter decided the dispute on “%(job)s”"),
        "withdrawn": _("The dispute on “%(job)s” was withdrawn"),
    }


def _body(dispute: Dispute, what: str, recipient: User) -> str:
    contract = dispute.contract
    values = {
        "job": contract.job.title,
        "milestone": dispute.milestone.title,
        "amount": format_money(dispute.amount, dispute.currency),
        "link": str(settings.HAAT_BASE_URL).rstrip("/") + reverse("disputes:detail", args=[dispute.pk]),
    }
    lines = [
        _("Hello %(name)s,") % {"name": _name(recipient)},
        "",
        _("Dispute about the milestone “%(milestone)s” of “%(job)s” (%(amount)s in escrow).") % values,
        _subjects()[what] % values + ".",
    ]
    if dispute.freelancer_receives is not None and what in ("settled", "decided"):
        lines += [
            _(
                "The freelancer receives %(receives)s (after %(fee)s site fee); the buyer gets back %(refund)s."
            )
            % {
                "receives": format_money(dispute.freelancer_receives, dispute.currency),
                "fee": format_money(dispute.freelancer_fee or 0, dispute.currency),
                "refund": format_money(dispute.buyer_refund or 0, dispute.currency),
            }
        ]
        if dispute.arbitration_fee:
            lines.append(
                _("Arbitration fee: %(fee)s.")
                % {"fee": format_money(dispute.arbitration_fee, dispute.currency)}
            )
    if what == "decided":
        lines += ["", _("The arbiter's reason:"), dispute.decision_reason]
    lines += ["", values["link"], "", _("— %(site)s") % {"site": settings.HAAT_SITE_NAME}]
    return "\n".join(lines) + "\n"


def _compose(dispute: Dispute, what: str, recipient: User) -> tuple[str, str]:
    return _subjects()[what] % {"job": dispute.contract.job.title}, _body(dispute, what, recipient)


def mail_both(dispute_id: int, what: str) -> None:
    """E-mail the buyer and the freelancer that ``what`` happened in the dispute (one failure does not stop the
    other)."""
    dispute = Dispute.objects.select_related(
        "contract__job", "contract__buyer", "contract__freelancer", "milestone"
    ).get(pk=dispute_id)
    for recipient in (dispute.contract.buyer, dispute.contract.freelancer):
        try:
            send_to(recipient, partial(_compose, dispute, what, recipient))
        except Exception:
            logger.exception("Could not e-mail user %s about dispute %s", recipient.pk, dispute_id)
