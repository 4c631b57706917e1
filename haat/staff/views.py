"""Staff pages: the staff home (the queues one's roles give), the operator dashboard and the audit log."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from haat.accounts import selectors as account_selectors
from haat.accounts.models import User
from haat.staff import queues, selectors
from haat.staff.access import staff_required
from haat.staff.roles import ROLE_LABELS, Role, roles_of
from haat.web.charts import Bar, bar_chart
from haat.web.money import format_money

AUDIT_PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@staff_required(*Role)
def home(request: HttpRequest) -> HttpResponse:
    """The staff start page: each queue the user's roles give, with how many items wait."""
    user = _user(request)
    return render(
        request,
        "staff/home.html",
        {
            "roles": [ROLE_LABELS[role] for role in roles_of(user)],
            "queues": queues.queues_for(user),
            "operator_pages": queues.operator_pages_for(user),
        },
    )


def _locale() -> str:
    return (get_language() or "en").replace("-", "_")


def _revenue_charts(months: list[dt.date], per_currency: dict[str, dict[dt.date, int]]) -> list[SafeString]:
    locale = _locale()
    return [
        bar_chart(
            _("Platform revenue per month (%(currency)s)") % {"currency": currency},
            [
                Bar(
                    label=format_date(month, "MMM", locale=locale),
                    full_label=format_date(month, "MMMM y", locale=locale),
                    # A month whose fees were all given back could be negative; the chart shows no bar then.
                    value=max(sums[month], 0),
                    value_text=format_money(sums[month], currency),
                )
                for month in months
            ],
            value_heading=_("Revenue"),
            label_heading=_("Month"),
        )
        for currency, sums in per_currency.items()
    ]


def _daily_chart(title: str, days: list[dt.date], counts: dict[dt.date, int]) -> SafeString:
    locale = _locale()
    return bar_chart(
        title,
        [
            Bar(
                # Every fifth day is labelled, so 30 labels do not overlap on a phone.
                label=format_date(day, "d", locale=locale) if (len(days) - 1 - i) % 5 == 0 else "",
                full_label=format_date(day, "EEE d MMM", locale=locale),
                value=counts[day],
                value_text=number_format(counts[day]),
            )
            for i, day in enumerate(days)
        ],
        value_heading=_("Number"),
        label_heading=_("Day"),
    )


@staff_required(*queues.DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The operator's figures: escrow held, revenue per month, open disputes and their age, payouts waiting,
    new jobs and contracts per day. A fixed number of queries whatever the amount of data."""
    zone = account_selectors.profile_of(_user(request)).zone
    months, revenue = selectors.revenue_per_month(zone)
    days, jobs, contracts = selectors.new_per_day(zone)
    disputes = selectors.open_disputes()
    return render(
        request,
        "staff/dashboard.html",
        {
            "zone": zone,
            "escrow": selectors.escrow_totals(),
            "revenue_charts": _revenue_charts(months, revenue),
            "revenue_totals": {currency: sum(sums.values()) for currency, sums in revenue.items()},
            "disputes": disputes,
            "payouts": selectors.payouts_waiting(),
            "bank_transfers": selectors.bank_transfers_waiting(),
            "jobs_chart": _daily_chart(_("New jobs per day"), days, jobs),
            "contracts_chart": _daily_chart(_("New contracts per day"), days, contracts),
            "jobs_total": sum(jobs.values()),
            "contracts_total": sum(contracts.values()),
            "dispute_rows": [(row, queues.dispute_case_url(row.dispute.pk)) for row in disputes.rows],
        },
    )


@staff_required(Role.ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The append-only log of staff actions, newest first, filtered by actor, action and target."""
    filters = {
        "actor": request.GET.get("actor", "").strip()[:254],
        "action": request.GET.get("action", "").strip()[:60],
        "target": request.GET.get("target", "").strip()[:82],
    }
    page = Paginator(selectors.audit_entries(**filters), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({name: value for name, value in filters.items() if value})
    return render(
        request,
        "staff/audit_log.html",
        {"page": page, "filters": filters, "actions": selectors.audit_actions(), "query": query},
    )
