"""``{% staff_links as links %}``: the staff pages the signed-in user's roles allow, for the staff navigation."""

from __future__ import annotations

from typing import Any

from django import template

from haat.staff import queues

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_links(context: dict[str, Any]) -> list[queues.Link]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return [*queues.queues_for(user, with_counts=False), *queues.operator_pages_for(user)]
