"""Weekly status reports, the missed-report penalty, the Thursday reminder and the ranking history.

Deadlines are checked with frozen clocks for freelancers in Dhaka (UTC+6, no daylight saving) and Los Angeles
(UTC−8 in winter, UTC−7 in summer), on both sides of the US daylight-saving changes of 2026 (8 March, 1
November). Every refusal is checked twice: a clear error, and nothing stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from haat.accounts import services as account_services
from haat.accounts.models import Profile, User
from haat.bids.models import Bid, BidStatus
from haat.bids.tests.test_bids import PROPOSAL, make_job
from haat.conftest import make_user
from haat.contracts import report_tasks, reports
from haat.contracts.models import Contract, ContractStatus, MissedReport, StatusReport
from haat.ledger.selectors import verify
from haat.reputation import selectors as ranking_selectors
from haat.reputation import services as ranking
from haat.reputation.models import RankingEvent

pytestmark = pytest.mark.django_db

UTC = dt.UTC
PROBLEM = "application/problem+json"
DHAKA = "Asia/Dhaka"
LOS_ANGELES = "America/Los_Angeles"


# --- Helpers ----------------------------------------------------------------------------------------------------


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def make_contract(
    *,
    zone: str = DHAKA,
    started: dt.datetime,
    price: int = 20_000,
    days: int = 60,
    status: str = ContractStatus.ACTIVE,
    name: str = "rahim",
) -> Contract:
    """An active contract whose freelancer lives in ``zone``; large by default (US$200, 60 days)."""
    buyer = make_user(f"buyer-{name}@example.com")
    freelancer = make_user(f"{name}@example.com")
    Profile.objects.filter(user=freelancer).update(time_zone=zone, display_name=name.title())
    with time_machine.travel(started, tick=False):
        job = make_job(buyer)
        bid = Bid.objects.create(
            job=job,
            freelancer=freelancer,
            amount=price,
            delivery_days=days,
            proposal=PROPOSAL,
            status=BidStatus.ACCEPTED,
        )
        return Contract.objects.create(
            job=job,
            bid=bid,
            buyer=buyer,
            freelancer=freelancer,
            price=price,
            currency="USD",
            deadline=started + dt.timedelta(days=days),
            status=status,
            started_at=started if status != ContractStatus.AWAITING_FUNDING else None,
        )


def file(contract: Contract, when: dt.datetime, **extra: Any) -> StatusReport:
    values: dict[str, Any] = {
        "done": "Built the product pages.",
        "next_steps": "Checkout with bKash.",
        "blockers": "",
        "percent_complete": 40,
    }
    values.update(extra)
    with time_machine.travel(when, tick=False):
        return reports.file_report(user=contract.freelancer, contract_id=contract.pk, **values)


def missed_weeks(contract: Contract) -> list[dt.date]:
    return sorted(MissedReport.objects.filter(contract=contract).values_list("week_ending", flat=True))


def run_missed(when: dt.datetime) -> int:
    with time_machine.travel(when, tick=False):
        return int(report_tasks.record_missed_reports.call())


def state() -> tuple[object, ...]:
    """Every report, missed week and ranking event: what "nothing changed" means here."""
    return (
        list(
            StatusReport.objects.order_by("pk").values_list("pk", "week_ending", "done", "percent_complete")
        ),
        list(MissedReport.objects.order_by("pk").values_list("pk", "week_ending")),
        list(RankingEvent.objects.order_by("pk").values_list("pk", "key", "points")),
    )


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.create_api_token(user=user, name='t').secret}"}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["detail"]
    return body


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Iterator[Callable[..., Any]]:
    """Run a call and its on-commit callbacks (e-mails), as a real request or task would."""

    def run(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    yield run


# --- Large contracts and deadlines ------------------------------------------------------------------------------


def test_a_contract_is_large_by_price_or_by_length(settings: Any) -> None:
    start = at(2026, 11, 30, 4)
    assert reports.is_large(make_contract(started=start, price=15_000, days=5, name="a"))  # at the threshold
    assert reports.is_large(make_contract(started=start, price=5_000, days=8, name="b"))  # longer than 7 days
    assert not reports.is_large(make_contract(started=start, price=14_999, days=7, name="c"))
    settings.HAAT_LARGE_CONTRACT_PRICE = {"USD": 30_000, "*": 30_000}
    assert not reports.is_large(make_contract(started=start, price=20_000, days=5, name="d"))


def test_the_friday_deadline_in_dhaka_and_in_los_angeles() -> None:
    start = at(2026, 11, 30, 4)
    dhaka = make_contract(zone=DHAKA, started=start, name="dhaka")
    la = make_contract(zone=LOS_ANGELES, started=start, name="la")
    friday = dt.date(2026, 12, 4)
    # Friday 23:59:59.999999 at UTC+6 is 17:59:59.999999 UTC the same day...
    assert reports.report_deadline(dhaka, friday) == at(2026, 12, 4, 17, 59, 59, 999_999)
    # ...and at UTC−8 (winter) it is 07:59:59.999999 UTC on Saturday.
    assert reports.report_deadline(la, friday) == at(2026, 12, 5, 7, 59, 59, 999_999)
    with pytest.raises(ValueError):
        reports.report_deadline(dhaka, dt.date(2026, 12, 3))


def test_a_missed_friday_in_dhaka_is_penalised_just_after_1800_utc(commit: Callable[..., Any]) -> None:
    contract = make_contract(zone=DHAKA, started=at(2026, 11, 30, 4))  # Monday: first report due 4 December
    assert run_missed(at(2026, 12, 4, 17, 59, 59)) == 0  # 23:59:59 in Dhaka: still in time
    assert missed_weeks(contract) == []
    with time_machine.travel(at(2026, 12, 4, 18, 0, 0), tick=False):
        assert commit(reports.record_missed_reports) == 1  # 00:00 on Saturday in Dhaka
    assert missed_weeks(contract) == [dt.date(2026, 12, 4)]
    missed = MissedReport.objects.get(contract=contract)
    assert missed.deadline == at(2026, 12, 4, 17, 59, 59, 999_999)
    event = RankingEvent.objects.get(user=contract.freelancer)
    assert event.points == -1000
    assert event.reason == "No status report for the week ending Dec. 4, 2026"
    assert event.contract == contract
    assert ranking.score(contract.freelancer) == -1000
    assert [message.to for message in mail.outbox] == [[contract.freelancer.email]]
    assert "1000 ranking points" in mail.outbox[0].body


def test_a_missed_friday_in_los_angeles_is_penalised_on_saturday_0800_utc() -> None:
    contract = make_contract(zone=LOS_ANGELES, started=at(2026, 11, 30, 20))
    assert run_missed(at(2026, 12, 5, 7, 59, 59)) == 0  # Friday 23:59:59 PST
    assert run_missed(at(2026, 12, 5, 8, 0, 0)) == 1
    assert missed_weeks(contract) == [dt.date(2026, 12, 4)]


def test_the_autumn_dst_change_moves_the_deadline_by_one_hour_in_utc() -> None:
    contract = make_contract(zone=LOS_ANGELES, started=at(2026, 10, 26, 17))  # Monday 26 October, PDT
    # Before the change (1 November) Friday 23:59 is UTC−7, after it UTC−8.
    assert reports.report_deadline(contract, dt.date(2026, 10, 30)) == at(2026, 10, 31, 6, 59, 59, 999_999)
    assert reports.report_deadline(contract, dt.date(2026, 11, 6)) == at(2026, 11, 7, 7, 59, 59, 999_999)
    file(contract, at(2026, 10, 30, 20))
    # Friday 6 November, 23:30 PST = 07:30 UTC on Saturday: still the week ending 6 November, in time.
    report = file(contract, at(2026, 11, 7, 7, 30))
    assert report.week_ending == dt.date(2026, 11, 6)
    assert reports.is_on_time(report)
    assert run_missed(at(2026, 11, 7, 9)) == 0
    assert missed_weeks(contract) == []


def test_a_week_spanning_the_autumn_dst_change_is_missed_at_the_right_instant() -> None:
    contract = make_contract(zone=LOS_ANGELES, started=at(2026, 10, 26, 17))
    file(contract, at(2026, 10, 30, 20))
    # With the summer offset the deadline would have passed at 06:59 UTC; in winter it is 07:59 UTC.
    assert run_missed(at(2026, 11, 7, 7, 30)) == 0
    assert run_missed(at(2026, 11, 7, 8, 0)) == 1
    assert missed_weeks(contract) == [dt.date(2026, 11, 6)]


def test_a_week_spanning_the_spring_dst_change() -> None:
    contract = make_contract(zone=LOS_ANGELES, started=at(2026, 3, 2, 18))  # Monday 2 March, PST
    assert reports.report_deadline(contract, dt.date(2026, 3, 6)) == at(2026, 3, 7, 7, 59, 59, 999_999)
    assert reports.report_deadline(contract, dt.date(2026, 3, 13)) == at(2026, 3, 14, 6, 59, 59, 999_999)
    file(contract, at(2026, 3, 6, 22))
    assert run_missed(at(2026, 3, 14, 6, 59, 59)) == 0  # Friday 23:59:59 PDT
    assert run_missed(at(2026, 3, 14, 7, 0, 0)) == 1  # Saturday 00:00 PDT (it would be Friday 23:00 in PST)
    assert missed_weeks(contract) == [dt.date(2026, 3, 13)]


# --- The penalty ------------------------------------------------------------------------------------------------


def test_the_penalty_is_applied_once_however_often_the_task_runs(commit: Callable[..., Any]) -> None:
    contract = make_contract(zone=DHAKA, started=at(2026, 11, 30, 4))
    when = at(2026, 12, 12, 0)  # both Fridays, 4 and 11 December, have passed
    with time_machine.travel(when, tick=False):
        assert commit(report_tasks.record_missed_reports.call) == 2
        for _run in range(3):
            assert commit(report_tasks.record_missed_reports.call) == 0
    assert missed_weeks(contract) == [dt.date(2026, 12, 4), dt.date(2026, 12, 11)]
    assert sorted(RankingEvent.objects.values_list("key", "points")) == [
        (f"missed-report:{contract.pk}:2026-12-04", -1000),
        (f"missed-report:{contract.pk}:2026-12-11", -1000),
    ]
    assert ranking.score(contract.freelancer) == -2000
    assert len(mail.outbox) == 2
    assert verify().ok


def test_no_penalty_when_the_report_came_in_time() -> None:
    contract = make_contract(zone=DHAKA, started=at(2026, 11, 30, 4))
    report = file(contract, at(2026, 12, 4, 17, 59, 59))  # Friday 23:59:59 in Dhaka
    assert report.week_ending == dt.date(2026, 12, 4)
    assert run_missed(at(2026, 12, 5, 12)) == 0
    assert missed_weeks(contract) == []
    assert ranking.score(contract.freelancer) == 0


def test_a_late_report_is_accepted_but_the_week_stays_missed() -> None:
    contract = make_contract(zone=DHAKA, started=at(2026, 11, 30, 4))
    # Saturday in Dhaka, before the hourly check ran: a report for last week is still taken...
    late = file(contract, at(2026, 12, 4, 18, 10), week_ending=dt.date(2026, 12, 4))
    assert late.week_ending == dt.date(2026, 12, 4)
    assert not reports.is_on_time(late)
    # ...but the week counts as missed, once.
    assert run_missed(at(2026, 12, 4, 19)) == 1
    assert run_missed(at(2026, 12, 4, 20)) == 0
    assert missed_weeks(contract) == [dt.date(2026, 12, 4)]
    assert ranking.score(contract.freelancer) == -1000
    # A report without a week, filed on Saturday, is for the week now running.
    assert file(contract, at(2026, 12, 5, 6)).week_ending == dt.date(2026, 12, 11)


def test_no_penalty_for_weeks_before_the_contract_started() -> None:
    # Started on Thursday 3 December in Dhaka: the first report is due the Friday after next.
    contract = make_contract(zone=DHAKA, started=at(2026, 12, 3, 6))
    assert reports.first_week_ending(contract) == dt.date(2026, 12, 11)
    assert run_missed(at(2026, 12, 10)) == 0
    assert run_missed(at(2026, 12, 12)) == 1
    assert missed_weeks(contract) == [dt.date(2026, 12, 11)]


def test_small_contracts_and_contracts_not_active_need_no_reports() -> None:
    start = at(2026, 11, 30, 4)
    small = make_contract(started=start, price=10_000, days=5, name="small")
    waiting = make_contract(started=start, status=ContractStatus.AWAITING_FUNDING, name="waiting")
    done = make_contract(started=start, status=ContractStatus.COMPLETED, name="done")
    assert run_missed(at(2027, 1, 30)) == 0
    assert MissedReport.objects.count() == 0
    before = state()
    with pytest.raises(reports.ReportStateError, match="small"):
        file(small, at(2026, 12, 2))
    for contract in (waiting, done):
        with pytest.raises(reports.ReportStateError, match="while the contract is active"):
            file(contract, at(2026, 12, 2))
    assert state() == before


# --- The reminder -----------------------------------------------------------------------------------------------


def test_the_reminder_goes_out_on_thursday_once(commit: Callable[..., Any]) -> None:
    dhaka = make_contract(zone=DHAKA, started=at(2026, 11, 30, 4), name="dhaka")
    la = make_contract(zone=LOS_ANGELES, started=at(2026, 11, 30, 20), name="la")
    # Wednesday 2 December in both zones: nothing.
    with time_machine.travel(at(2026, 12, 2, 12), tick=False):
        assert commit(report_tasks.send_report_reminders.call) == 0
    # Thursday 3 December 05:00 UTC: Thursday 11:00 in Dhaka, still Wednesday 21:00 in Los Angeles.
    with time_machine.travel(at(2026, 12, 3, 5), tick=False):
        assert commit(report_tasks.send_report_reminders.call) == 1
        assert commit(report_tasks.send_report_reminders.call) == 0
    assert [message.to for message in mail.outbox] == [[dhaka.freelancer.email]]
    assert "due by" in mail.outbox[0].body
    # Thursday in Los Angeles: its freelancer now gets one, Dhaka's no second.
    with time_machine.travel(at(2026, 12, 3, 20), tick=False):
        assert commit(report_tasks.send_report_reminders.call) == 1
        assert commit(report_tasks.send_report_reminders.call) == 0
    assert [message.to for message in mail.outbox] == [[dhaka.freelancer.email], [la.freelancer.email]]
    # The reminders add nothing to the score and never show in the history.
    assert ranking.score(dhaka.freelancer) == 0
    assert list(ranking_selectors.history(dhaka.freelancer)) == []


def test_no_reminder_once_the_report_is_in(commit: Callable[..., Any]) -> None:
    contract = make_contract(zone=DHAKA, started=at(2026, 11, 30, 4))
    file(contract, at(2026, 12, 2, 10))
    with time_machine.travel(at(2026, 12, 3, 5), tick=False):
        assert commit(reports.send_reminders) == 0
    assert mail.outbox == []


# --- Who may file -----------------------------------------------------------------------------------------------


def test_only_the_freelancer_files(user: User) -> None:
    contract = make_contract(started=at(2026, 11, 30, 4))
    before = state()
    with time_machine.travel(at(2026, 12, 2), tick=False):
        with pytest.raises(PermissionDenied):
            reports.file_report(
                user=contract.buyer, contract_id=contract.pk, done="x", next_steps="y", percent_complete=1
            )
        with pytest.raises(Contract.DoesNotExist):
            reports.file_report(
                user=user, contract_id=contract.pk, done="x", next_steps="y", percent_complete=1
            )
    assert state() == before


def test_bad_fields_and_a_second_report_are_refused_and_change_nothing() -> None:
    contract = make_contract(started=at(2026, 11, 30, 4))
    before = state()
    with pytest.raises(ValidationError) as caught:
        file(contract, at(2026, 12, 2), done="  ", next_steps="", percent_complete=101)
    assert set(caught.value.message_dict) == {"done", "next_steps", "percent_complete"}
    with pytest.raises(ValidationError) as caught:
        file(contract, at(2026, 12, 2), week_ending=dt.date(2026, 12, 18))  # a future week
    assert set(caught.value.message_dict) == {"week_ending"}
    assert state() == before
    file(contract, at(2026, 12, 2))
    after_first = state()
    with pytest.raises(reports.ReportStateError, match="already filed"):
        file(contract, at(2026, 12, 3))
    assert state() == after_first
    assert verify().ok


# --- The API ----------------------------------------------------------------------------------------------------


def test_the_freelancer_files_and_both_parties_read_through_the_api(
    client: Client, user: User, commit: Callable[..., Any]
) -> None:
    contract = make_contract(started=at(2026, 11, 30, 4))
    url = f"/api/v1/contracts/{contract.pk}/status-reports"
    payload = {"done": "Product pages", "next_steps": "Checkout", "blockers": "", "percent_complete": 35}
    with time_machine.travel(at(2026, 12, 2, 6), tick=False):
        response = commit(
            client.post, url, payload, content_type="application/json", **bearer(contract.freelancer)
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["week_ending"] == "2026-12-04"
    assert body["deadline"] == "2026-12-04T17:59:59.999Z"
    assert body["on_time"] is True
    assert body["percent_complete"] == 35
    assert [message.to for message in mail.outbox] == [[contract.buyer.email]]

    run_missed(at(2026, 12, 12))
    with time_machine.travel(at(2026, 12, 12), tick=False):
        listing = client.get(url, **bearer(contract.buyer))
    assert listing.status_code == 200
    data = listing.json()
    assert data["required"] is True
    assert data["freelancer_time_zone"] == DHAKA
    assert data["next_week_ending"] == "2026-12-18"
    assert [report["week_ending"] for report in data["reports"]] == ["2026-12-04"]
    assert [(week["week_ending"], week["points"]) for week in data["missed_weeks"]] == [("2026-12-11", -1000)]

    # Someone else's contract, and an unknown one, answer 404 alike.
    problem(client.get(url, **bearer(user)), 404)
    problem(client.get("/api/v1/contracts/999999/status-reports", **bearer(user)), 404)


def test_the_api_refuses_buyer_strangers_duplicates_and_bad_input(client: Client, user: User) -> None:
    contract = make_contract(started=at(2026, 11, 30, 4))
    url = f"/api/v1/contracts/{contract.pk}/status-reports"
    payload = {"done": "Product pages", "next_steps": "Checkout", "percent_complete": 35}
    with time_machine.travel(at(2026, 12, 2, 6), tick=False):
        before = state()
        problem(client.post(url, payload, content_type="application/json", **bearer(contract.buyer)), 403)
        problem(client.post(url, payload, content_type="application/json", **bearer(user)), 404)
        bad = {**payload, "percent_complete": 150}
        body = problem(
            client.post(url, bad, content_type="application/json", **bearer(contract.freelancer)), 422
        )
        assert [error["field"] for error in body["errors"]] == ["percent_complete"]
        text = {**payload, "percent_complete": "35"}
        problem(client.post(url, text, content_type="application/json", **bearer(contract.freelancer)), 422)
        assert state() == before
        ok = client.post(url, payload, content_type="application/json", **bearer(contract.freelancer))
        assert ok.status_code == 201
        after = state()
        again = client.post(url, payload, content_type="application/json", **bearer(contract.freelancer))
        assert "already filed" in problem(again, 409)["detail"]
        assert state() == after
    assert verify().ok


# --- Pages ------------------------------------------------------------------------------------------------------


def test_the_freelancer_files_on_the_contract_page_and_the_buyer_reads_it(client: Client, user: User) -> None:
    contract = make_contract(started=at(2026, 11, 30, 4))
    page = reverse("contracts:contract-detail", args=[contract.pk])
    form_url = reverse("contracts:report-file", args=[contract.pk])
    with time_machine.travel(at(2026, 12, 2, 6), tick=False):
        client.force_login(contract.freelancer)
        html = client.get(page).content.decode()
        assert "Weekly status reports" in html
        assert f'action="{form_url}"' in html
        form_page = client.get(form_url)
        assert form_page.status_code == 200
        assert "Dec. 4, 2026 (this week)" in form_page.content.decode()
        refused = client.post(form_url, {"week_ending": "2026-12-04", "done": "", "next_steps": "x"})
        assert refused.status_code == 400
        assert StatusReport.objects.count() == 0
        response = client.post(
            form_url,
            {
                "week_ending": "2026-12-04",
                "done": "The **product** pages",
                "next_steps": "Checkout",
                "blockers": "",
                "percent_complete": "40",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == page + "#reports"
        client.force_login(contract.buyer)
        html = client.get(page).content.decode()
        assert "<strong>product</strong>" in html
        assert "40% complete" in html
        assert f'action="{form_url}"' not in html
        assert client.get(form_url).status_code == 403
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.get(form_url).status_code == 404
        assert client.post(form_url, {"done": "x"}).status_code == 404
    assert StatusReport.objects.count() == 1


def test_the_ranking_history_is_public_with_points_reason_and_date(client: Client) -> None:
    contract = make_contract(started=at(2026, 11, 30, 4))
    run_missed(at(2026, 12, 5))
    with time_machine.travel(at(2026, 12, 3, 5), tick=False):
        reports.send_reminders()  # a marker row, never shown
    url = reverse("contracts:ranking-history", args=[contract.freelancer_id])
    assert url == f"/people/{contract.freelancer_id}/ranking/"
    html = client.get(url).content.decode()
    assert "Ranking history of Rahim" in html
    assert "-1000" in html
    assert "No status report for the week ending Dec. 4, 2026" in html
    assert "Reminder" not in html
    assert client.get(reverse("contracts:ranking-history", args=[999_999])).status_code == 404


# --- The ranking service ----------------------------------------------------------------------------------------


def test_record_event_is_idempotent_on_its_key(user: User) -> None:
    first = ranking.record_event(user=user, points=500, reason="A test", key="test:1")
    again = ranking.record_event(user=user, points=500, reason="A test", key="test:1")
    assert again.pk == first.pk
    ranking.record_event(user=user, points=-200, reason="Another", key="test:2")
    assert ranking.score(user) == 300
    with pytest.raises(ValidationError):
        ranking.record_event(user=user, points=-1, reason="Different", key="test:1")
    with pytest.raises(ValidationError):
        ranking.record_event(user=user, points=1, reason="  ", key="test:3")
    assert RankingEvent.objects.count() == 2
    assert [event.reason for event in ranking_selectors.history(user)] == ["Another", "A test"]
