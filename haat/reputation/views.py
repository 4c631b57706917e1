"""Pages of the reputation app: the review form of a completed contract and the freelancer directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haat.accounts.models import User
from haat.contracts import selectors as contract_selectors
from haat.contracts.models import Contract
from haat.reputation import selectors, services
from haat.reputation.forms import DirectoryForm, ReviewForm

DIRECTORY_PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest, contract_id: int) -> HttpResponse:
    """The form for one's review of the other party of a completed contract (404 for non-parties)."""
    user = _user(request)
    try:
        contract = contract_selectors.contract_of(user, contract_id)
    except Contract.DoesNotExist as exc:
        raise Http404(_("No such contract.")) from exc
    back = reverse("contracts:contract-detail", args=[contract.pk]) + "#reviews"
    form = ReviewForm(request.POST if request.method == "POST" else None)
    refusal = services.review_refusal(user, contract)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            review = services.leave_review(user=user, contract_id=contract.pk, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            if review.published_at is not None:
                messages.success(request, _("Thank you. Both reviews are in, and both are now public."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your review stays hidden until the other side reviews you, or for 14 days."
                    ),
                )
            return redirect(back)
    return render(
        request,
        "reputation/review_form.html",
        {
            "contract": contract,
            "form": form,
            "refusal": refusal,
            "back": back,
            "is_buyer": contract.buyer_id == user.pk,
        },
        status=422 if request.method == "POST" else 200,
    )


def directory(request: HttpRequest) -> HttpResponse:
    """Freelancers, best ranking score first, filterable by skill and country, 20 a page."""
    form = DirectoryForm(request.GET or None)
    skill = country = ""
    if form.is_bound and form.is_valid():
        skill, country = form.cleaned_data["skill"], form.cleaned_data["country"]
    entries = selectors.directory(skill=skill, country=country)
    page = Paginator(entries, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reputation/directory.html", {"form": form, "page": page, "count": len(entries)})
