"""Pages of the contracts app: the user's contracts and one contract (parties, price, deadline, status)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.contracts import selectors
from haat.contracts.models import Contract

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """The user's contracts, as buyer or freelancer, newest first."""
    page = Paginator(selectors.contracts_of(_user(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contracts/contract_list.html", {"page": page})


@login_required
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    """One contract, for its two parties only (404 for everyone else)."""
    user = _user(request)
    try:
        contract = selectors.contract_of(user, contract_id)
    except Contract.DoesNotExist as exc:
        raise Http404(_("No such contract.")) from exc
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "is_buyer": contract.buyer_id == user.pk,
            "is_freelancer": contract.freelancer_id == user.pk,
            "fee": selectors.contract_fees(contract),
            "thread_id": selectors.contract_thread_id(contract),
        },
    )
