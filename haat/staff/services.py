"""Giving and taking staff roles: each change is one transaction with its audit-log entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.staff import audit, roles
from haat.staff.roles import Role


def parse_role(value: object) -> Role:
    """A role from its name (``arbiter``, ``finance``, ``moderator``, ``admin``). Raises ``ValidationError``."""
    try:
        return Role(str(value).strip().lower())
    except ValueError as exc:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”; choose one of: %(roles)s.")
                % {"role": value, "roles": ", ".join(role.value for role in Role)}
            }
        ) from exc


def find_user(email: object) -> User:
    """The account with this e-mail address (any case). Raises ``ValidationError`` when there is none."""
    user = User.objects.filter(email__iexact=str(email).strip()).first()
    if user is None:
        raise ValidationError(
            {"email": _("No account has the e-mail address “%(email)s”.") % {"email": email}}
        )
    return user


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: Role, reason: str = "", via: str = "") -> bool:
    """Give ``user`` the ``role``; returns False (and records nothing) when they already hold it.

    ``actor`` is the staff member who decided (``None`` for an operator at the command line, named by
    ``via``)."""
    if role.value in set(user.groups.values_list("name", flat=True)):
        return False
    roles.add_role(user, role)
    audit.record(
        actor=actor,
        action="staff.grant",
        target_type="user",
        target_id=user.pk,
        reason=reason,
        role=role.value,
        email=user.email,
        via=via,
    )
    return True


@transaction.atomic
def revoke_role(*, actor: User | None, user: User, role: Role, reason: str = "", via: str = "") -> bool:
    """Take ``role`` from ``user``; returns False (and records nothing) when they did not hold it."""
    if role.value not in set(user.groups.values_list("name", flat=True)):
        return False
    roles.remove_role(user, role)
    audit.record(
        actor=actor,
        action="staff.revoke",
        target_type="user",
        target_id=user.pk,
        reason=reason,
        role=role.value,
        email=user.email,
        via=via,
    )
    return True


def staff_members() -> list[tuple[User, list[Role]]]:
    """Every account in a role group, with its roles (by group), ordered by e-mail. Two queries."""
    members = (
        User.objects.filter(groups__name__in=[role.value for role in Role])
        .distinct()
        .order_by("email")
        .prefetch_related("groups")
    )
    return [
        (member, [role for role in Role if role.value in {g.name for g in member.groups.all()}])
        for member in members
    ]
