"""Template helpers for moderation: "Report" links, and hidden content notices.

``{% report_link "job" job.pk job.buyer_id %}`` shows a link to the report form to signed-in users other than
the author. ``obj|hidden_from:user`` is true when a moderator hid ``obj`` and ``user`` is neither its author nor
a moderator; ``{% hidden_notice obj %}`` tells the author (and staff) that it is hidden, and why.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from haat.staff.roles import Role, has_role

register = template.Library()

_AUTHOR_FIELD = {"Job": "buyer_id", "Message": "sender_id", "Profile": "user_id", "Review": "author_id"}


def _author_id(obj: Any) -> Any:
    return getattr(obj, _AUTHOR_FIELD.get(type(obj).__name__, "author_id"), None)


@register.filter
def hidden_from(obj: Any, user: Any) -> bool:
    """Whether ``obj`` is hidden by a moderator for ``user``."""
    if getattr(obj, "hidden_at", None) is None:
        return False
    if getattr(user, "is_authenticated", False) and user.pk == _author_id(obj):
        return False
    return not has_role(user, Role.MODERATOR)


@register.inclusion_tag("moderation/_report_link.html", takes_context=True)
def report_link(context: dict[str, Any], target_type: str, target_id: int, author_id: int) -> dict[str, Any]:
    user = context.get("user")
    show = bool(getattr(user, "is_authenticated", False) and user is not None and user.pk != author_id)
    url = reverse("moderation:report") + "?" + urlencode({"type": str(target_type), "id": str(target_id)})
    return {"show": show, "url": url}


@register.inclusion_tag("moderation/_hidden_notice.html")
def hidden_notice(obj: Any) -> dict[str, Any]:
    return {"hidden_at": getattr(obj, "hidden_at", None), "reason": getattr(obj, "hidden_reason", "")}
