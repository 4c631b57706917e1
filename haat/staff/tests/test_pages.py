"""Staff pages: who may open what (anonymous, plain user, staff without 2FA, each role), the staff home's
queues, the audit log page, the read-only audit admin and the Django admin's two-factor rule."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haat.accounts.models import User
from haat.conftest import make_staff
from haat.staff import audit, queues
from haat.staff.models import AuditEntry
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db

PAGES = (
    "staff:home",
    "staff:dashboard",
    "staff:audit-log",
    "payments:payout-queue",
    "payments:deposit-queue",
)
# Who may open each page (the admin role holds every role).
ALLOWED = {
    "staff:home": set(Role),
    "staff:dashboard": {Role.ADMIN, Role.FINANCE},
    "staff:audit-log": {Role.ADMIN},
    "payments:payout-queue": {Role.ADMIN, Role.FINANCE},
    "payments:deposit-queue": {Role.ADMIN, Role.FINANCE},
}


def _english(client: Client) -> Client:
    client.cookies["haat_language"] = "en"
    return client


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
def test_plain_users_are_refused(client: Client, user: User, name: str) -> None:
    client.force_login(user)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_staff_without_two_factor_are_sent_to_set_it_up(client: Client, name: str) -> None:
    client.force_login(make_staff("admin@example.com", Role.ADMIN, two_factor=False))
    response = _english(client).get(reverse(name), follow=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse(name), follow=True)
    assert "two-factor authentication" in page.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_its_pages(client: Client, role: Role) -> None:
    client.force_login(make_staff(f"{role.value}@example.com", role))
    for name in PAGES:
        expected = 200 if role in ALLOWED[name] else 403
        assert client.get(reverse(name)).status_code == expected, (role, name)


def test_home_lists_the_queues_of_the_users_roles_with_counts(client: Client, user: User) -> None:
    from haat.payments.tests.test_withdrawals import _requested

    _requested(user)  # one withdrawal waits
    client.force_login(make_staff("finance@example.com", Role.FINANCE))
    html = _english(client).get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("payments:payout-queue")}"' in html
    assert "Payout queue" in html and 'aria-label="1 waiting"' in html
    assert "Bank transfers to confirm" in html and 'aria-label="0 waiting"' in html
    assert "Operator dashboard" in html  # finance sees the figures
    assert reverse("staff:audit-log") not in html  # but not the audit log
    assert "Moderation queue" not in html and "Dispute queue" not in html

    client.force_login(make_staff("moderator@example.com", Role.MODERATOR))
    html = client.get(reverse("staff:home")).content.decode()
    assert "Payout queue" not in html and "Operator dashboard" not in html


def test_admin_home_links_every_queue_and_page(client: Client) -> None:
    client.force_login(make_staff("admin@example.com", Role.ADMIN))
    html = _english(client).get(reverse("staff:home")).content.decode()
    for entry in (*queues.QUEUES, *queues.OPERATOR_PAGES):
        assert f'href="{reverse(entry.url_name)}"' in html, entry.url_name
    for label in (
        "Dispute queue",
        "Moderation queue",
        "Payout queue",
        "Bank transfers to confirm",
        "Audit log",
    ):
        assert label in html


def test_arbiter_and_moderator_see_their_queue_counts(client: Client, user: User) -> None:
    from haat.moderation.models import Report, ReportReason
    from haat.staff.tests.helpers import make_contract, open_dispute

    open_dispute(make_contract(user, "rahim@example.com"))
    Report.objects.create(
        reporter=user, target_type="profile", target_id=user.pk, target_user=user, reason=ReportReason.SPAM
    )
    client.force_login(make_staff("arbiter@example.com", Role.ARBITER))
    html = _english(client).get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("disputes:queue")}"' in html and 'aria-label="1 waiting"' in html
    assert "Moderation queue" not in html and "Payout queue" not in html
    client.force_login(make_staff("moderator@example.com", Role.MODERATOR))
    html = client.get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("moderation:queue")}"' in html and 'aria-label="1 waiting"' in html
    assert "Dispute queue" not in html


def test_staff_link_in_the_site_navigation(client: Client, user: User) -> None:
    client.force_login(user)
    html = _english(client).get(reverse("web:home")).content.decode()
    assert reverse("staff:home") not in html and reverse("admin:index") not in html
    client.force_login(make_staff("finance@example.com", Role.FINANCE))
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("staff:home")}"' in html
    assert reverse("admin:index") not in html  # the Django admin link is for admins
    assert reverse("payments:payout-queue") not in html  # the queues are on the staff home now
    client.force_login(make_staff("admin@example.com", Role.ADMIN))
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("staff:home")}"' in html and f'href="{reverse("admin:index")}"' in html


def test_staff_navigation_on_staff_pages(client: Client) -> None:
    client.force_login(make_staff("finance@example.com", Role.FINANCE))
    html = _english(client).get(reverse("payments:payout-queue")).content.decode()
    assert 'class="staff-nav tabs"' in html
    assert f'href="{reverse("payments:deposit-queue")}"' in html
    assert f'href="{reverse("staff:dashboard")}"' in html
    assert f'href="{reverse("staff:audit-log")}"' not in html


# --- Audit log ------------------------------------------------------------------------------------------------


def _entries(actor: User, other: User) -> None:
    audit.record(
        actor=actor, action="withdrawal.mark_paid", target_type="withdrawal", target_id=12, reason="PP-1"
    )
    audit.record(
        actor=other, action="withdrawal.reject", target_type="withdrawal", target_id=13, reason="Closed"
    )
    audit.record(actor=other, action="deposit.confirm", target_type="deposit", target_id=12, received=500)


def test_audit_log_lists_and_filters(client: Client) -> None:
    admin = make_staff("admin@example.com", Role.ADMIN)
    finance = make_staff("finance@example.com", Role.FINANCE)
    _entries(admin, finance)
    client.force_login(admin)
    _english(client)
    url = reverse("staff:audit-log")

    def rows(**query: str) -> list[str]:
        html = client.get(url, query).content.decode()
        return [a for a in ("withdrawal:12", "withdrawal:13", "deposit:12") if f"<code>{a}</code>" in html]

    assert rows() == ["withdrawal:12", "withdrawal:13", "deposit:12"]
    assert rows(actor="finance@") == ["withdrawal:13", "deposit:12"]
    assert rows(action="withdrawal.reject") == ["withdrawal:13"]
    assert rows(target="withdrawal") == ["withdrawal:12", "withdrawal:13"]
    assert rows(target="withdrawal:12") == ["withdrawal:12"]
    assert rows(target="deposit:12", actor="finance") == ["deposit:12"]
    assert rows(actor="nobody") == []
    html = client.get(url).content.decode()
    assert "3 entries" in html and "admin@example.com" in html and "Closed" in html
    assert "<code>received</code>: 500" in html


def test_audit_log_is_newest_first_and_paginated(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from haat.staff import views

    monkeypatch.setattr(views, "AUDIT_PAGE_SIZE", 2)
    admin = make_staff("admin@example.com", Role.ADMIN)
    for i in range(5):
        audit.record(actor=admin, action="test.step", target_type="thing", target_id=i)
    client.force_login(admin)
    _english(client)
    first = client.get(reverse("staff:audit-log"), {"action": "test.step"}).content.decode()
    assert "<code>thing:4</code>" in first and "<code>thing:3</code>" in first and "thing:2" not in first
    assert "Page 1 of 3" in first and "action=test.step&amp;page=2" in first
    last = client.get(reverse("staff:audit-log"), {"action": "test.step", "page": "3"}).content.decode()
    assert "<code>thing:0</code>" in last and "thing:1" not in last


def test_audit_admin_is_read_only_even_for_superusers(client: Client) -> None:
    boss = make_staff("boss@example.com")
    User.objects.filter(pk=boss.pk).update(is_superuser=True, is_staff=True)
    entry = audit.record(actor=boss, action="test", target_type="thing", target_id=1, reason="why")
    client.force_login(User.objects.get(pk=boss.pk))
    listing = client.get(reverse("admin:staff_auditentry_changelist"))
    assert listing.status_code == 200 and "thing" in listing.content.decode()
    detail = client.get(reverse("admin:staff_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200  # viewable
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:staff_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:staff_auditentry_delete", args=[entry.pk])).status_code == 403
    response = client.post(reverse("admin:staff_auditentry_change", args=[entry.pk]), {"reason": "rewritten"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:staff_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditEntry.objects.get(pk=entry.pk).reason == "why"


# --- The Django admin needs 2FA -------------------------------------------------------------------------------


def test_admin_refuses_staff_without_two_factor(client: Client) -> None:
    staff = make_staff("admin@example.com", Role.ADMIN, two_factor=False)
    client.force_login(staff)
    setup = reverse("mfa_activate_totp")
    for url in (reverse("admin:index"), reverse("admin:staff_auditentry_changelist")):
        response = client.get(url, follow=True)
        # Through the admin's log-in to setting up 2FA (allauth asks for the password again first).
        assert setup in [hop for hop, _status in response.redirect_chain], response.redirect_chain
        assert response.status_code == 200 and "site administration" not in response.content.decode().lower()


def test_admin_opens_for_staff_with_two_factor(client: Client) -> None:
    client.force_login(make_staff("admin@example.com", Role.ADMIN))
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_refuses_plain_users_and_sends_visitors_to_the_real_log_in(client: Client, user: User) -> None:
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    # The admin's own password-only log-in form is never offered.
    assert client.post(reverse("admin:login"), {"username": user.email, "password": "x"}).status_code == 302
    client.force_login(user)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403


def test_admin_login_page_sends_signed_in_staff_on(client: Client) -> None:
    client.force_login(make_staff("admin@example.com", Role.ADMIN))
    response = client.get(reverse("admin:login"), {"next": reverse("admin:index")})
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example/"):
        response = client.get(reverse("admin:login"), {"next": evil})
        assert response["Location"] == reverse("admin:index"), evil


def test_changes_made_in_the_admin_are_audited(client: Client) -> None:
    from django.contrib.auth.models import Group

    boss = make_staff("boss@example.com", Role.ADMIN)
    User.objects.filter(pk=boss.pk).update(is_superuser=True)
    client.force_login(boss)
    response = client.post(reverse("admin:auth_group_add"), {"name": "Testers"})
    assert response.status_code == 302, response.content
    group = Group.objects.get(name="Testers")
    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "QA"})
    assert response.status_code == 302
    response = client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Group.objects.filter(pk=group.pk).exists()
    entries = list(
        AuditEntry.objects.filter(action__startswith="admin.")
        .order_by("pk")
        .values_list("actor_id", "action", "target_type", "target_id")
    )
    assert entries == [
        (boss.pk, "admin.add", "auth.group", str(group.pk)),
        (boss.pk, "admin.change", "auth.group", str(group.pk)),
        (boss.pk, "admin.delete", "auth.group", str(group.pk)),
    ]
    assert AuditEntry.objects.get(action="admin.change").details["object"] == "QA"
