"""Home page, dashboard and the language switcher."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from haat.accounts import selectors as account_selectors
from haat.accounts import services as account_services
from haat.bids import selectors as bid_selectors
from haat.contracts import selectors as contract_selectors
from haat.jobs import job_selectors as job_selectors_for_buyer
from haat.jobs import selectors as job_selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"categories": job_selectors.category_tree()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = account_selectors.profile_of(user)  # type: ignore[arg-type]
    completeness = account_selectors.freelancer_profile_completeness(profile)
    return render(
        request,
        "web/dashboard.html",
        {
            "profile": profile,
            "completeness": completeness,
            "my_jobs": list(job_selectors_for_buyer.jobs_of_buyer(user)[:5]),
            "my_bids": list(bid_selectors.bids_of_freelancer(user)[:5]),  # type: ignore[arg-type]
            "contracts": list(contract_selectors.contracts_of(user)[:5]),  # type: ignore[arg-type]
        },
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language; a signed-in user's choice is also remembered for e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and response.status_code == 302 and language in {"en", "bn"}:
        account_services.set_language(user=request.user, language=language)
    return response


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says; point them at the real icon."""
    return HttpResponseRedirect(static("haat/favicon.svg"))


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
