"""Forms of the moderation pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from haat.moderation import rules
from haat.moderation.models import REASON_MAX_LENGTH, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why are you reporting this?"), choices=ReportReason.choices
    )
    note = forms.CharField(
        label=gettext_lazy("Anything the moderators should know"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    statement = forms.CharField(
        label=gettext_lazy("Your statement"),
        max_length=REASON_MAX_LENGTH,
        help_text=gettext_lazy(
            "You can appeal once. A staff member other than the one who suspended you decides."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class SanctionForm(forms.Form):
    """A warning or a suspension: the rule and the reason the user will read."""

    rule = forms.ChoiceField(label=gettext_lazy("Rule broken"), choices=rules.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the user)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
