"""Web forms for bids, rejections and the shortlist. They parse; services validate and write, so the page and
the API refuse the same input with the same message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy

from haat.bids import services
from haat.jobs.models import Job
from haat.web.money import to_major, to_minor_units

# Enough digits for 2**63 - 1 minor units plus decimals; longer input is refused before any arithmetic.
_MAX_DIGITS = 24


class BidForm(forms.Form):
    """Amount (in the job's currency, as typed: 12.50), delivery days and the proposal."""

    amount = forms.DecimalField(
        label=gettext_lazy("Your price"),
        max_digits=_MAX_DIGITS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    delivery_days = forms.IntegerField(
        label=gettext_lazy("Delivery in days"),
        min_value=services.MIN_DELIVERY_DAYS,
        max_value=services.MAX_DELIVERY_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    proposal = forms.CharField(
        label=gettext_lazy("Proposal"),
        max_length=services.MAX_PROPOSAL_LENGTH,
        help_text=gettext_lazy(
            "How you would do the work, and why you. At least 20 characters; Markdown allowed."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, job: Job, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        self.fields["amount"].help_text = gettext_lazy(
            "In %(currency)s, between %(min)s and %(max)s. Other bidders never see it."
        ) % {
            "currency": job.currency,
            "min": to_major(job.budget_min, job.currency),
            "max": to_major(job.budget_max, job.currency),
        }
        # The fee preview below the field follows what is typed (htmx; without it the preview shows on submit).
        self.fields["amount"].widget.attrs.update(
            {
                "hx-get": reverse("bids:bid-quote", args=[job.pk]),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#fee-preview",
                "hx-sync": "this:replace",
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount = data.get("amount")
        if amount is not None:
            try:
                data["amount_minor"] = to_minor_units(amount, self.job.currency)
            except forms.ValidationError as exc:
                self.add_error("amount", exc)
        return data


class RejectForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the freelancer (optional)"),
        max_length=services.MAX_REJECTION_MESSAGE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ShortlistForm(forms.Form):
    shortlisted = forms.BooleanField(required=False)
