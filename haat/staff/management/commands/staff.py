"""``haat staff grant <email> <role>``, ``haat staff revoke <email> <role>`` and ``haat staff list``."""

from __future__ import annotations

import getpass
from typing import Any

from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haat.accounts.models import User
from haat.staff import services
from haat.staff.access import has_two_factor
from haat.staff.roles import Role


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "unknown"


class Command(BaseCommand):
    help = "Staff roles: grant or revoke a role (recorded in the audit log), or list who holds which role."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("grant", "give a user a role"), ("revoke", "take a role from a user")):
            change = sub.add_parser(name, help=text)
            change.add_argument("email", help="the user's e-mail address")
            change.add_argument("role", help=f"one of: {', '.join(role.value for role in Role)}")
            change.add_argument("--reason", default="", help="why (kept in the audit log)")
            change.add_argument("--by", default="", help="e-mail of the staff member who decided (optional)")
        sub.add_parser("list", help="list staff members and their roles")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self._list()
            return
        try:
            user = services.find_user(options["email"])
            role = services.parse_role(options["role"])
            actor = services.find_user(options["by"]) if options["by"] else None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        via = f"command line ({_os_user()})"
        change = services.grant_role if action == "grant" else services.revoke_role
        changed = change(actor=actor, user=user, role=role, reason=options["reason"], via=via)
        if action == "grant":
            text = (
                f"{user.email} is now {role.value}." if changed else f"{user.email} was already {role.value}."
            )
            self.stdout.write(self.style.SUCCESS(text) if changed else text)
            if not has_two_factor(user):
                self.stdout.write(
                    self.style.WARNING(
                        f"{user.email} has no authenticator app yet: staff pages ask them to set one up first."
                    )
                )
        else:
            text = (
                f"{user.email} is no longer {role.value}."
                if changed
                else f"{user.email} was not {role.value}."
            )
            self.stdout.write(self.style.SUCCESS(text) if changed else text)

    def _list(self) -> None:
        members = services.staff_members()
        if not members:
            self.stdout.write("No staff members.")
            return
        twofa = set(
            Authenticator.objects.filter(
                type=Authenticator.Type.TOTP, user_id__in=[u.pk for u, _roles in members]
            ).values_list("user_id", flat=True)
        )
        for member, roles in members:
            flags = [] if member.is_active else ["inactive"]
            if member.pk not in twofa:
                flags.append("no 2FA")
            suffix = f"  ({', '.join(flags)})" if flags else ""
            self.stdout.write(f"{member.email}: {', '.join(role.value for role in roles)}{suffix}")
        superusers = User.objects.filter(is_superuser=True, is_active=True).order_by("email")
        for user in superusers:
            self.stdout.write(f"{user.email}: superuser (every role)")
