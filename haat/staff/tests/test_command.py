"""``haat staff grant | revoke | list``: role changes with clear errors, each change in the audit log."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haat.accounts.models import User
from haat.conftest import make_staff, make_user
from haat.staff.models import AuditEntry
from haat.staff.roles import Role, has_role, roles_of

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("staff", *args, stdout=out)
    return out.getvalue()


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_grant_gives_the_role_and_is_audited(user: User) -> None:
    output = _run("grant", user.email.upper(), "Finance", "--reason", "New hire")
    assert f"{user.email} is now finance." in output
    assert "no authenticator app yet" in output
    assert has_role(_fresh(user), Role.FINANCE) and _fresh(user).is_staff
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id, entry.reason) == (
        None,
        "staff.grant",
        "user",
        str(user.pk),
        "New hire",
    )
    assert entry.details["role"] == "finance" and entry.details["via"].startswith("command line")


def test_granting_twice_changes_nothing(user: User) -> None:
    _run("grant", user.email, "arbiter")
    assert "was already arbiter" in _run("grant", user.email, "arbiter")
    assert AuditEntry.objects.count() == 1


def test_grant_names_the_deciding_staff_member(user: User) -> None:
    boss = make_staff("boss@example.com", Role.ADMIN)
    _run("grant", user.email, "moderator", "--by", boss.email)
    assert AuditEntry.objects.get().actor == boss


def test_revoke_takes_the_role_and_is_audited(user: User) -> None:
    _run("grant", user.email, "arbiter")
    _run("grant", user.email, "finance")
    assert f"{user.email} is no longer arbiter." in _run("revoke", user.email, "arbiter", "--reason", "Moved")
    assert roles_of(_fresh(user)) == [Role.FINANCE] and _fresh(user).is_staff
    _run("revoke", user.email, "finance")
    assert roles_of(_fresh(user)) == [] and not _fresh(user).is_staff
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "details__role")) == [
        ("staff.grant", "arbiter"),
        ("staff.grant", "finance"),
        ("staff.revoke", "arbiter"),
        ("staff.revoke", "finance"),
    ]
    assert "was not finance" in _run("revoke", user.email, "finance")
    assert AuditEntry.objects.count() == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("grant", "nobody@example.com", "finance"),
            "No account has the e-mail address “nobody@example.com”",
        ),
        (
            ("grant", "tanvir@example.com", "cashier"),
            "Unknown role “cashier”; choose one of: arbiter, finance",
        ),
        (("revoke", "tanvir@example.com", "boss"), "Unknown role “boss”"),
        (("grant", "tanvir@example.com", "finance", "--by", "ghost@example.com"), "ghost@example.com"),
    ],
)
def test_clear_errors_change_nothing(user: User, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert roles_of(_fresh(user)) == [] and AuditEntry.objects.count() == 0


def test_list_shows_roles_and_missing_two_factor() -> None:
    assert "No staff members." in _run("list")
    make_staff("arbiter@example.com", Role.ARBITER, Role.MODERATOR)
    make_staff("finance@example.com", Role.FINANCE, two_factor=False)
    make_user("plain@example.com")
    output = _run("list")
    assert "arbiter@example.com: arbiter, moderator\n" in output
    assert "finance@example.com: finance  (no 2FA)" in output
    assert "plain@example.com" not in output


def test_demo_has_a_staff_account_per_role_with_a_stable_authenticator_secret() -> None:
    from haat import demo
    from haat.staff.access import has_two_factor

    out = StringIO()
    call_command("demo", verbosity=0, stdout=out)
    secrets = demo.staff_secrets()
    for key, role in demo.STAFF_ROLES.items():
        member = User.objects.get(email=f"{key}@{demo.DEMO_DOMAIN}")
        assert roles_of(member) == ([role] if role != Role.ADMIN else list(Role))
        assert has_two_factor(member) and member.check_password(demo.DEMO_PASSWORD)
        assert f"{member.email}  {secrets[member.email]}" in out.getvalue()
    again = StringIO()
    call_command("demo", verbosity=0, stdout=again)  # idempotent: same accounts, same secrets
    assert demo.staff_secrets() == secrets
    assert (
        User.objects.filter(email__endswith=f"@{demo.DEMO_DOMAIN}", groups__isnull=False).distinct().count()
        == 4
    )
