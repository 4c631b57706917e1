from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from haat.accounts.models import User


def site(request: HttpRequest) -> dict[str, Any]:
    from haat.payments.deposits import can_confirm
    from haat.payments.withdrawals import can_process_withdrawals

    user = getattr(request, "user", None)
    signed_in = isinstance(user, User) and user.is_authenticated
    return {
        "site_name": settings.HAAT_SITE_NAME,
        # Lazy: evaluated only by templates that show staff links.
        "can_confirm_deposits": (lambda: can_confirm(user))
        if isinstance(user, User) and signed_in
        else False,
        "can_process_withdrawals": (lambda: can_process_withdrawals(user)) if signed_in else False,
    }
