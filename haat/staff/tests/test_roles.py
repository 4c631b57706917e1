"""Role groups and the audit log's append-only rule."""

from typing import Any

import pytest
from django.contrib.auth.models import Group

from haat.conftest import make_staff, make_user
from haat.staff import audit, roles
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_its_key_permission() -> None:
    for role in Role:
        group = Group.objects.get(name=role.value)
        app_label, codename = roles.KEY_PERMISSION[role].split(".")
        assert group.permissions.filter(content_type__app_label=app_label, codename=codename).exists()


def test_has_role_follows_group_membership() -> None:
    arbiter = make_staff("arbiter@example.com", Role.ARBITER)
    plain = make_user("plain@example.com")
    assert roles.roles_of(arbiter) == [Role.ARBITER]
    assert roles.roles_of(plain) == []
    assert not roles.has_role(arbiter, Role.FINANCE)


def test_admin_holds_every_role() -> None:
    admin = make_staff("admin@example.com", Role.ADMIN)
    assert roles.roles_of(admin) == list(Role)


def test_audit_entries_cannot_be_changed_or_deleted(user: Any) -> None:
    entry = audit.record(actor=user, action="test", target_type="thing", target_id=1, reason="because")
    entry.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
