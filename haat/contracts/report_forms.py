"""The web form of a weekly status report. It parses; ``haat.contracts.reports`` validates and writes, so the
page and the API refuse the same input with the same message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext, gettext_lazy

from haat.contracts import reports


class StatusReportForm(forms.Form):
    week_ending = forms.TypedChoiceField(
        label=gettext_lazy("Week ending"),
        coerce=dt.date.fromisoformat,
        help_text=gettext_lazy("A report for an earlier week is kept, but that week still counts as missed."),
    )
    done = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=reports.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Markdown allowed."),
    )
    next_steps = forms.CharField(
        label=gettext_lazy("What is next"),
        max_length=reports.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    blockers = forms.CharField(
        label=gettext_lazy("Blockers"),
        max_length=reports.MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Anything you need from the buyer, or that holds the work up."),
    )
    percent_complete = forms.IntegerField(
        label=gettext_lazy("Percent complete"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(
        self, *args: Any, weeks: list[dt.date], current: dt.date | None = None, **kwargs: Any
    ) -> None:
        """``weeks``: the weeks a report may be filed for (newest first); ``current``: this week's Friday."""
        super().__init__(*args, **kwargs)
        field = self.fields["week_ending"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (
                week.isoformat(),
                formats.date_format(week, "DATE_FORMAT")
                + (f" ({gettext('this week')})" if week == current else f" ({gettext('late')})"),
            )
            for week in weeks
        ]
        if weeks:
            field.initial = weeks[0].isoformat()
