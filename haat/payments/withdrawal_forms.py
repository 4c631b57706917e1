"""Web forms for payout methods, withdrawal requests and finance decisions. They parse; services validate and
write (so the page and the API refuse the same input with the same message)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from haat.accounts.models import User
from haat.payments import withdrawals
from haat.payments.models import MobileProvider, PayoutKind, PayoutMethod
from haat.web.money import to_minor_units

# Enough digits for 2**63 - 1 minor units plus decimals; longer input is refused before any arithmetic.
_MAX_DIGITS = 24

# The detail fields each kind of payout method asks for, in page order.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    PayoutKind.PAYONEER: ("email",),
    PayoutKind.PAYPAL: ("email",),
    PayoutKind.BANK: ("account_name", "account_number", "bank_name", "branch"),
    PayoutKind.MOBILE_MONEY: ("mobile_provider", "mobile_number"),
}


class PayoutMethodForm(forms.Form):
    """The details of one kind of payout method (only that kind's fields are on the form)."""

    email = forms.CharField(
        label=gettext_lazy("E-mail address of the account"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    account_name = forms.CharField(label=gettext_lazy("Account holder's name"), max_length=120)
    account_number = forms.CharField(
        label=gettext_lazy("Account number"),
        max_length=40,
        help_text=gettext_lazy("6 to 20 digits; spaces and dashes are ignored."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_name = forms.CharField(label=gettext_lazy("Bank"), max_length=120)
    branch = forms.CharField(label=gettext_lazy("Branch or routing code"), max_length=60)
    mobile_provider = forms.ChoiceField(
        label=gettext_lazy("Provider"), choices=MobileProvider.choices, widget=forms.RadioSelect
    )
    mobile_number = forms.CharField(
        label=gettext_lazy("Mobile number"),
        max_length=20,
        help_text=gettext_lazy("A Bangladeshi number, e.g. 01712345678 or +8801712345678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = KIND_FIELDS[kind]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]


class WithdrawalForm(forms.Form):
    """How much, in which currency, to which of the user's payout methods."""

    payout_method = forms.ModelChoiceField(
        label=gettext_lazy("Send to"), queryset=PayoutMethod.objects.none(), empty_label=None
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"))
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to receive"),
        max_digits=_MAX_DIGITS,
        help_text=gettext_lazy("The method's fee is added on top and shown before you confirm."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    # A one-time token: confirming the same form twice requests one withdrawal, not two.
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        method = self.fields["payout_method"]
        currency = self.fields["currency"]
        assert isinstance(method, forms.ModelChoiceField) and isinstance(currency, forms.ChoiceField)
        method.queryset = withdrawals.payout_methods_of(user)
        currency.choices = [(code, code) for code in settings.HAAT_CURRENCIES]
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, currency = data.get("amount"), data.get("currency")
        if amount is not None and currency:
            try:
                data["amount_minor"] = to_minor_units(amount, currency)
            except forms.ValidationError as exc:
                self.add_error("amount", exc)
        return data


class MarkPaidForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Payment reference"), max_length=withdrawals.MAX_REFERENCE_LENGTH
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the user)"),
        max_length=withdrawals.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
