"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import BoundField
from django.utils.translation import gettext as _


def grouped_checkboxes(
    field: BoundField, group_of: Callable[[Any], str]
) -> list[tuple[str, list[Any], bool]]:
    """A multiple-choice field's checkboxes grouped for ``web/_checkbox_groups.html``: (group label,
    checkboxes, whether any is ticked — the page opens those groups). Keeps long skill lists short on a phone."""
    groups: dict[str, list[Any]] = {}
    for checkbox in field:
        groups.setdefault(group_of(checkbox) or _("Other"), []).append(checkbox)
    return [
        (label, boxes, any(box.data["selected"] for box in boxes)) for label, boxes in sorted(groups.items())
    ]


def skill_group(checkbox: Any) -> str:
    """The group of a checkbox of a ``ModelMultipleChoiceField`` over skills: the skill's sub-category."""
    skill = checkbox.data["value"].instance
    return skill.category.localized_name if skill.category else ""
