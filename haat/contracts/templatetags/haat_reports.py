"""Template helpers of the status reports: the data of the report section on the contract page."""

from __future__ import annotations

from typing import Any

from django import template

from haat.contracts import report_selectors
from haat.contracts.models import Contract
from haat.contracts.report_forms import StatusReportForm

register = template.Library()


@register.simple_tag
def report_section(contract: Contract, is_freelancer: bool) -> dict[str, Any]:
    """The reports overview of ``contract`` and, for its freelancer when a week can be filed, an empty form.
    The contract page has already checked that the viewer is a party."""
    overview = report_selectors.overview(contract)
    form = None
    if is_freelancer and overview.fileable_weeks:
        form = StatusReportForm(weeks=overview.fileable_weeks, current=overview.current_week_ending)
    return {"overview": overview, "form": form}
