"""Web forms for milestones. They parse; ``haat.contracts.services`` validates and writes, so the page and
the API refuse the same input with the same message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from haat.contracts import services
from haat.web.money import to_minor_units

# Enough digits for 2**63 - 1 minor units plus decimals; longer input is refused before any arithmetic.
_MAX_DIGITS = 24


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What should change?"),
        max_length=services.MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AcceptForm(forms.Form):
    percent = forms.IntegerField(
        label=gettext_lazy("Percent to accept"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=gettext_lazy(
            "Leave empty to accept all of it. Less than 100 needs the freelancer's agreement."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why cancel?"),
        required=False,
        max_length=services.MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    agree = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes"
    )


class DeliverForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Your work, as a zip file"))
    note = forms.CharField(
        label=gettext_lazy("Note to the buyer"),
        required=False,
        max_length=services.MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MilestoneRowForm(forms.Form):
    """One milestone of a split; an entirely empty row is skipped."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=services.MAX_TITLE_LENGTH)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        max_digits=_MAX_DIGITS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    due_at = forms.DateTimeField(
        label=gettext_lazy("Due"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self) -> int:
        return to_minor_units(self.cleaned_data["amount"], self.currency)


SPLIT_ROWS = 6


def split_rows(
    data: Any, *, currency: str, initial: list[dict[str, Any]] | None = None
) -> list[MilestoneRowForm]:
    """``SPLIT_ROWS`` row forms (prefixes ``m0``…), filled from ``initial`` on first display."""
    initial = initial or []
    return [
        MilestoneRowForm(
            data, prefix=f"m{i}", currency=currency, initial=initial[i] if i < len(initial) else None
        )
        for i in range(SPLIT_ROWS)
    ]
