"""The wallet page and its CSV statement."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haat.accounts.models import User
from haat.payments import selectors
from haat.web.money import to_major


class StatementFilter(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["currency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c, c) for c in selectors.currencies()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _filtered(
    request: HttpRequest, balances: list[selectors.WalletBalance]
) -> tuple[StatementFilter, dict[str, Any]]:
    default_currency = balances[0].currency if balances else selectors.currencies()[0]
    form = StatementFilter(request.GET or {"currency": default_currency})
    if form.is_valid():
        params = {
            "currency": form.cleaned_data["currency"] or default_currency,
            "since": form.cleaned_data["since"],
            "until": form.cleaned_data["until"],
        }
    else:
        params = {"currency": default_currency, "since": None, "until": None}
    return form, params


@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    balances = selectors.wallet_balances(user)
    form, params = _filtered(request, balances)
    lines = list(selectors.statement(user, **params))
    lines.reverse()  # newest first on the page
    return render(
        request,
        "payments/wallet.html",
        {"balances": balances, "form": form, "lines": lines, "currency": params["currency"]},
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _csv_safe(text: str) -> str:
    # Spreadsheet apps run cells starting with these as formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def statement_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form, params = _filtered(request, selectors.wallet_balances(user))
    if request.GET and not form.is_valid():
        return HttpResponse(str(form.errors.as_text()), status=400, content_type="text/plain; charset=utf-8")
    currency = params["currency"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="haat-statement-{currency}.csv"'
    writer = csv.writer(response)
    writer.writerow(["date", "type", "reference", "amount", "currency", "balance"])
    for line in selectors.statement(user, **params):
        writer.writerow(
            [
                timezone.localtime(line.transfer.created_at).isoformat(timespec="seconds"),
                line.transfer.code,
                _csv_safe(line.transfer.reference),
                str(to_major(line.amount, currency)),
                currency,
                str(to_major(line.balance_after, currency)),
            ]
        )
    return response
