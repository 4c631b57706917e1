"""Pages: add money (deposits), a deposit's status and instructions, and the finance queue of bank transfers."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel.numbers import get_currency_precision
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haat.accounts.models import User
from haat.ledger.services import LedgerError
from haat.payments import deposits, gateways
from haat.payments.models import Deposit, DepositStatus
from haat.staff.access import staff_required
from haat.staff.roles import Role
from haat.web.money import to_minor_units

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Enough digits for 2**63 - 1 minor units plus a few decimals; longer input is refused before any arithmetic.
_MAX_DIGITS = 24


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _amount_field(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=_MAX_DIGITS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class AddMoneyForm(forms.Form):
    amount = _amount_field(gettext_lazy("Amount"))
    currency = forms.ChoiceField(label=gettext_lazy("Currency"))
    gateway = forms.ChoiceField(label=gettext_lazy("Pay by"), widget=forms.RadioSelect)
    # A one-time token: submitting the same form twice opens one deposit, not two.
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        currency = self.fields["currency"]
        gateway = self.fields["gateway"]
        assert isinstance(currency, forms.ChoiceField) and isinstance(gateway, forms.ChoiceField)
        currency.choices = [(code, code) for code in settings.HAAT_CURRENCIES]
        gateway.choices = [(code, g.display_name) for code, g in gateways.enabled().items()]
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))
            if len(gateway.choices) == 1:
                self.initial.setdefault("gateway", gateway.choices[0][0])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, currency = data.get("amount"), data.get("currency")
        if amount is not None and currency:
            try:
                data["amount_minor"] = to_minor_units(amount, currency)
            except forms.ValidationError as exc:
                self.add_error("amount", exc)
        return data


class ConfirmForm(forms.Form):
    received = _amount_field(gettext_lazy("Amount received"))
    accept_difference = forms.BooleanField(
        label=gettext_lazy("I checked: the amount received differs from the amount announced."),
        required=False,
    )

    def __init__(self, *args: Any, deposit: Deposit, **kwargs: Any) -> None:
        kwargs["prefix"] = f"confirm-{deposit.pk}"
        super().__init__(*args, **kwargs)
        self.deposit = deposit
        if not self.is_bound:
            precision = get_currency_precision(deposit.currency)
            self.initial["received"] = Decimal(deposit.amount).scaleb(-precision)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received = data.get("received")
        if received is None:
            return data
        try:
            data["received_minor"] = to_minor_units(received, self.deposit.currency)
        except forms.ValidationError as exc:
            self.add_error("received", exc)
            return data
        if data["received_minor"] != self.deposit.amount and not data.get("accept_difference"):
            self.add_error(
                "accept_difference",
                _("The amount differs from the one announced: tick this box to credit what was received."),
            )
        return data


class FailForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (shown to the payer)"), max_length=200)

    def __init__(self, *args: Any, deposit: Deposit, **kwargs: Any) -> None:
        kwargs["prefix"] = f"fail-{deposit.pk}"
        super().__init__(*args, **kwargs)


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- The payer -------------------------------------------------------------------------------------------------


@login_required
def deposit_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "payments/deposit_list.html",
        {
            "deposits": deposits.deposits_of(_user(request))[:100],
            "can_confirm": deposits.can_confirm(_user(request)),
        },
    )


@login_required
def deposit_new(request: HttpRequest) -> HttpResponse:
    """The "Add money" form."""
    if request.method == "POST":
        form = AddMoneyForm(request.POST)
        if form.is_valid():
            try:
                started = deposits.start_deposit(
                    user=_user(request),
                    amount=form.cleaned_data["amount_minor"],
                    currency=form.cleaned_data["currency"],
                    gateway=form.cleaned_data["gateway"],
                    form_token=form.cleaned_data["form_token"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except LedgerError as exc:
                form.add_error(None, str(exc))
            else:
                if started.deposit.status == DepositStatus.SUCCEEDED:
                    messages.success(request, _("The money was added to your wallet."))
                else:
                    messages.success(request, _("Deposit started. Follow the instructions below."))
                return redirect("payments:deposit-detail", deposit_id=started.deposit.pk)
        status = 400
    else:
        form = AddMoneyForm()
        status = 200
    return render(
        request,
        "payments/deposit_add.html",
        {"form": form, "has_gateways": bool(gateways.enabled())},
        status=status,
    )


@login_required
def deposit_detail(request: HttpRequest, deposit_id: int) -> HttpResponse:
    try:
        deposit = deposits.deposit_of(_user(request), deposit_id)
    except Deposit.DoesNotExist as exc:
        raise Http404(_("No such deposit.")) from exc
    return render(
        request,
        "payments/deposit_detail.html",
        {
            "deposit": deposit,
            "gateway_name": gateways.display_name(deposit.gateway),
            "instructions": deposits.instructions_for(deposit),
            "is_pending": deposit.status == DepositStatus.PENDING,
        },
    )


# --- Finance staff ---------------------------------------------------------------------------------------------


def _render_queue(
    request: HttpRequest, *, bound: dict[int, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    rows = []
    for deposit in deposits.pending_manual_deposits()[:200]:
        form = bound.get(deposit.pk)
        rows.append(
            {
                "deposit": deposit,
                "own": deposit.user_id == request.user.pk,
                "confirm_form": form if isinstance(form, ConfirmForm) else ConfirmForm(deposit=deposit),
                "fail_form": form if isinstance(form, FailForm) else FailForm(deposit=deposit),
            }
        )
    return render(request, "payments/deposit_queue.html", {"rows": rows}, status=status)


@staff_required(Role.FINANCE)
def deposit_queue(request: HttpRequest) -> HttpResponse:
    """Bank transfers waiting for finance staff to confirm what arrived (or mark them failed)."""
    return _render_queue(request)


def _pending_manual(deposit_id: int) -> Deposit:
    try:
        return deposits.pending_manual_deposits().get(pk=deposit_id)
    except Deposit.DoesNotExist as exc:
        raise Http404(_("No such bank transfer is waiting.")) from exc


@staff_required(Role.FINANCE)
@require_POST
def deposit_confirm(request: HttpRequest, deposit_id: int) -> HttpResponse:
    staff = _user(request)
    deposit = _pending_manual(deposit_id)
    form = ConfirmForm(request.POST, deposit=deposit)
    if form.is_valid():
        try:
            deposits.confirm_manual_deposit(
                staff=staff, deposit_id=deposit.pk, received_amount=form.cleaned_data["received_minor"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except (deposits.IllegalTransition, LedgerError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Deposit %(reference)s confirmed and credited.") % {"reference": deposit.reference}
            )
            return redirect("payments:deposit-queue")
    return _render_queue(request, bound={deposit.pk: form}, status=400)


@staff_required(Role.FINANCE)
@require_POST
def deposit_fail(request: HttpRequest, deposit_id: int) -> HttpResponse:
    staff = _user(request)
    deposit = _pending_manual(deposit_id)
    form = FailForm(request.POST, deposit=deposit)
    if form.is_valid():
        try:
            deposits.fail_manual_deposit(
                staff=staff, deposit_id=deposit.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except deposits.IllegalTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Deposit %(reference)s marked failed.") % {"reference": deposit.reference}
            )
            return redirect("payments:deposit-queue")
    return _render_queue(request, bound={deposit.pk: form}, status=400)
