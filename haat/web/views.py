"""Home page, dashboard and the language switcher."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from haat.accounts import selectors as account_selectors
from haat.accounts import services as account_services
from haat.accounts.models import User
from haat.bids import selectors as bid_selectors
from haat.jobs import job_selectors as job_selectors_for_buyer
from haat.jobs import selectors as job_selectors
from haat.web import dashboard as dashboard_selectors
from haat.web.charts import bar_chart


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"categories": job_selectors.category_tree()})


def _charts(
    title: str, months: list[dt.date], per_currency: dict[str, dict[dt.date, int]], currency: str
) -> list[SafeString]:
    """One chart per currency with money in it; the user's own currency (empty) when there is none."""
    currencies = sorted(per_currency, key=lambda c: (c != currency, c)) or [currency]
    return [
        bar_chart(
            f"{title} ({code})",
            dashboard_selectors.bars(months, per_currency.get(code, {}), code),
            value_heading=_("Amount"),
            label_heading=_("Month"),
        )
        for code in currencies
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The user's jobs, bids and contracts (each with what it waits for), and money per month as charts."""
    user = request.user
    assert isinstance(user, User)
    profile = account_selectors.profile_of(user)
    completeness = account_selectors.freelancer_profile_completeness(profile)
    zone = profile.zone
    currency = profile.hourly_rate_currency
    rows = dashboard_selectors.dashboard_contracts(user)
    earn_months, earnings = dashboard_selectors.earnings_per_month(user, zone)
    spend_months, spending = dashboard_selectors.spending_per_month(user, zone)
    return render(
        request,
        "web/dashboard.html",
        {
            "profile": profile,
            "completeness": completeness,
            "my_jobs": list(job_selectors_for_buyer.jobs_of_buyer(user)[:5]),
            "my_bids": list(bid_selectors.bids_of_freelancer(user)[:5]),
            "buying_contracts": [row for row in rows if row.is_buyer],
            "freelancing_contracts": [row for row in rows if not row.is_buyer],
            "earnings_charts": _charts(_("Earnings per month"), earn_months, earnings, currency),
            "spending_charts": _charts(_("Spending per month"), spend_months, spending, currency),
            "has_earnings": bool(earnings),
            "has_spending": bool(spending),
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
