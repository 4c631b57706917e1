"""The staff work queues: which role works which queue, where it is and how many items wait.

The staff home page and the staff navigation are built from ``QUEUES`` and ``OPERATOR_PAGES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haat.staff import selectors
from haat.staff.roles import Role, has_role


@dataclass(frozen=True)
class Queue:
    roles: tuple[Role, ...]
    url_name: str
    label: str | Promise
    # How many items wait in the queue, or None when the queue has no cheap count.
    count: Callable[[], int] | None = None


QUEUES: tuple[Queue, ...] = (
    Queue((Role.ARBITER,), "disputes:queue", _("Dispute queue"), selectors.disputes_awaiting_arbiter),
    Queue((Role.FINANCE,), "payments:payout-queue", _("Payout queue"), selectors.withdrawals_waiting),
    Queue(
        (Role.FINANCE,),
        "payments:deposit-queue",
        _("Bank transfers to confirm"),
        selectors.bank_transfers_waiting,
    ),
    Queue((Role.MODERATOR,), "moderation:queue", _("Moderation queue"), selectors.moderation_waiting),
)

# The operator's pages, after the queues: finance sees the figures too, only admins read the audit log.
DASHBOARD_ROLES = (Role.ADMIN, Role.FINANCE)
OPERATOR_PAGES: tuple[Queue, ...] = (
    Queue(DASHBOARD_ROLES, "staff:dashboard", _("Operator dashboard")),
    Queue((Role.ADMIN,), "staff:audit-log", _("Audit log")),
)


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    url_name: str
    count: int | None


def _links(entries: tuple[Queue, ...], user: Any, *, with_counts: bool) -> list[Link]:
    links = []
    for entry in entries:
        if not any(has_role(user, role) for role in entry.roles):
            continue
        url = reverse(entry.url_name)
        count = entry.count() if with_counts and entry.count is not None else None
        links.append(Link(url=url, label=str(entry.label), url_name=entry.url_name, count=count))
    return links


def queues_for(user: Any, *, with_counts: bool = True) -> list[Link]:
    """The queues ``user``'s roles give, in ``QUEUES`` order, with their counts."""
    return _links(QUEUES, user, with_counts=with_counts)


def operator_pages_for(user: Any) -> list[Link]:
    """The dashboard (admin and finance) and the audit log (admin)."""
    return _links(OPERATOR_PAGES, user, with_counts=False)


def dispute_case_url(dispute_id: int) -> str:
    """The arbiter's page of one dispute."""
    return reverse("disputes:case", args=[dispute_id])
