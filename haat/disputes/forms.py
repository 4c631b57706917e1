"""Forms of the dispute pages. The freelancer's share is typed either as a percentage or as an amount in the
contract's currency (``60`` or ``120.50``); services get minor units."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from haat.disputes.models import DisputeReason
from haat.disputes.services import MAX_TEXT_LENGTH
from haat.web.money import to_minor


class OpenDisputeForm(forms.Form):
    milestone = forms.TypedChoiceField(label=_("Milestone"), coerce=int)
    reason = forms.ChoiceField(label=_("Reason"), choices=DisputeReason.choices)
    statement = forms.CharField(
        label=_("Your statement"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What went wrong, what you expected, and what you ask for. The other side and the arbiter read it."
        ),
    )

    def __init__(self, *args: Any, milestones: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = milestones  # type: ignore[attr-defined]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Add a statement"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class ShareForm(forms.Form):
    """The freelancer's share of the escrow: exactly one of a percentage or an amount."""

    percent = forms.IntegerField(
        label=_("Freelancer's share in percent"),
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = forms.DecimalField(
        label=_("or as an amount"), required=False, min_value=Decimal(0), max_digits=20, decimal_places=4
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        percent, amount = data.get("percent"), data.get("amount")
        if self.errors:
            return data
        if (percent is None) == (amount is None):
            raise forms.ValidationError(
                _("Give the freelancer's share either as a percentage or as an amount.")
            )
        if amount is not None:
            try:
                data["amount_minor"] = to_minor(amount, self.currency)
            except ValueError as exc:
                raise forms.ValidationError(
                    {"amount": _("Use at most the currency's decimal places.")}
                ) from exc
        else:
            data["amount_minor"] = None
        return data


class OfferForm(ShareForm):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(ShareForm):
    reason = forms.CharField(
        label=_("Reason for the decision (both sides see it)"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
