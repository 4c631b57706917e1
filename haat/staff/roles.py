"""Staff roles: arbiter, finance, moderator and admin, as Django groups with permissions.

Each role has one *key permission* that the services check (``has_role``); the groups are created and kept
in step by ``ensure_groups`` after every ``migrate``. Operators give a person a role by adding them to the
group (in the admin). Staff pages additionally require two-factor authentication (``haat.staff.access``).

Separation of duties is a rule of the services that use the roles, not of the groups: an arbiter cannot
decide a case they are a party to, an appeal is decided by someone other than the moderator who suspended,
finance cannot decide their own withdrawals.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy


class Role(enum.StrEnum):
    ARBITER = "arbiter"
    FINANCE = "finance"
    MODERATOR = "moderator"
    ADMIN = "admin"


# What staff pages call each role.
ROLE_LABELS = {
    Role.ARBITER: gettext_lazy("Arbiter"),
    Role.FINANCE: gettext_lazy("Finance"),
    Role.MODERATOR: gettext_lazy("Moderator"),
    Role.ADMIN: gettext_lazy("Admin"),
}

# (app label, model, codename, description) of every permission a role grants.
_ARBITRATE = ("disputes", "dispute", "arbitrate", "Can arbitrate disputes (arbiter)")
_PAY_OUT = (
    "payments",
    "withdrawal",
    "process_withdrawals",
    "Can mark withdrawals paid or reject them (finance)",
)
_CONFIRM_DEPOSITS = ("payments", "deposit", "change_deposit", "Can change deposit")
_MODERATE = ("moderation", "report", "moderate", "Can moderate content and accounts (moderator)")
_OPERATE = ("staff", "auditentry", "operate", "Can see the operator dashboard and the audit log (admin)")

GRANTS: dict[Role, tuple[tuple[str, str, str, str], ...]] = {
    Role.ARBITER: (_ARBITRATE,),
    Role.FINANCE: (_PAY_OUT, _CONFIRM_DEPOSITS),
    Role.MODERATOR: (_MODERATE,),
    Role.ADMIN: (_OPERATE, _ARBITRATE, _PAY_OUT, _CONFIRM_DEPOSITS, _MODERATE),
}

# The permission that *is* the role, as checked by ``has_role``.
KEY_PERMISSION: dict[Role, str] = {
    Role.ARBITER: "disputes.arbitrate",
    Role.FINANCE: "payments.process_withdrawals",
    Role.MODERATOR: "moderation.moderate",
    Role.ADMIN: "staff.operate",
}


def has_role(user: Any, role: Role) -> bool:
    """Whether ``user`` is an active, signed-in member of ``role`` (superusers have every role)."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.has_perm(KEY_PERMISSION[role])
    )


def roles_of(user: Any) -> list[Role]:
    """The roles ``user`` holds, in declaration order."""
    return [role for role in Role if has_role(user, role)]


def is_staff_member(user: Any) -> bool:
    """Holds at least one staff role."""
    return bool(roles_of(user))


@transaction.atomic
def ensure_groups() -> None:
    """Create the four role groups and give each exactly its permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    for role, grants in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        permissions = []
        for app_label, model, codename, name in grants:
            content_type, _ct = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _p = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            permissions.append(permission)
        group.permissions.set(permissions)


def ensure_groups_on_migrate(sender: Any, **kwargs: Any) -> None:
    # post_migrate fires once per app; run once, after the staff app (whose tables exist by then).
    if getattr(sender, "label", None) == "staff":
        ensure_groups()


def add_role(user: Any, role: Role) -> None:
    """Give ``user`` a role (used by the ``haat staff`` command, the demo and tests)."""
    from django.contrib.auth.models import Group

    ensure_groups()
    user.groups.add(Group.objects.get(name=role.value))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    # Django caches permissions on the user object.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def remove_role(user: Any, role: Role) -> None:
    """Take a role from ``user``; with no role left (and not a superuser) they are no longer admin staff."""
    from django.contrib.auth.models import Group

    user.groups.remove(*Group.objects.filter(name=role.value))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    if user.is_staff and not user.is_superuser and not user.groups.filter(name__in=list(Role)).exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
