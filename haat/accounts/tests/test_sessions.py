"""Active sessions: recorded at log-in with a new session id, listed with "this device", revoked one by one or
everywhere else (the other browser is signed out), and ended by the idle and absolute timeouts (shorter for
staff)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from haat.accounts import services
from haat.accounts.models import User
from haat.accounts.session_models import UserSession
from haat.conftest import PASSWORD, make_staff, make_user
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/126.0 Mobile Safari/537.36"


def _browser(agent: str = FIREFOX) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR="203.0.113.7")
    client.cookies["haat_language"] = "en"
    return client


def _log_in(client: Client, email: str = "tanvir@example.com") -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def _signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:sessions")).status_code == 200


def _store_has(key: str) -> bool:
    return bool(import_module(settings.SESSION_ENGINE).SessionStore().exists(key))


def test_login_gives_a_new_session_id_and_records_the_browser(user: User) -> None:
    client = _browser()
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    assert before is not None

    _log_in(client)

    after = client.session.session_key
    assert after != before
    assert not _store_has(before)  # the pre-log-in id is gone, not merely unused
    row = UserSession.objects.get(user=user)
    assert row.session_key == after
    assert row.ip_address == "203.0.113.7"
    assert row.user_agent == FIREFOX


def test_session_page_lists_every_browser_and_marks_this_one(user: User) -> None:
    laptop, phone = _browser(FIREFOX), _browser(PHONE)
    _log_in(laptop)
    _log_in(phone)

    page = laptop.get(reverse("accounts:sessions")).content.decode()

    assert "Firefox/128.0" in page
    assert "Pixel 8" in page
    assert page.count("This device") == 1
    assert "203.0.113.7" in page
    assert "30 minutes without activity" in page


def test_revoking_a_session_signs_that_browser_out(user: User) -> None:
    laptop, phone = _browser(FIREFOX), _browser(PHONE)
    _log_in(laptop)
    _log_in(phone)
    phone_row = UserSession.objects.get(user_agent=PHONE)

    response = laptop.post(reverse("accounts:session-revoke", args=[phone_row.pk]))

    assert response.status_code == 302
    assert not _signed_in(phone)
    assert _signed_in(laptop)
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == [FIREFOX]


def test_sign_out_everywhere_else_keeps_only_this_browser(user: User) -> None:
    browsers = [_browser(f"{FIREFOX} #{i}") for i in range(3)]
    for browser in browsers:
        _log_in(browser)

    browsers[0].post(reverse("accounts:session-revoke-others"))

    assert [_signed_in(b) for b in browsers] == [True, False, False]
    assert UserSession.objects.filter(user=user).count() == 1


def test_someone_elses_session_cannot_be_revoked(user: User, other_user: User) -> None:
    mine, theirs = _browser(), _browser(PHONE)
    _log_in(mine)
    _log_in(theirs, "nusrat@example.com")
    their_row = UserSession.objects.get(user=other_user)

    assert mine.post(reverse("accounts:session-revoke", args=[their_row.pk])).status_code == 404
    token = services.create_api_token(user=user, name="cli").secret
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.delete(f"/api/v1/me/sessions/{their_row.pk}").status_code == 404
    assert _signed_in(theirs)


def test_api_lists_and_revokes_sessions(user: User) -> None:
    laptop, phone = _browser(FIREFOX), _browser(PHONE)
    _log_in(laptop)
    _log_in(phone)

    listed = laptop.get("/api/v1/me/sessions").json()
    assert sorted((s["user_agent"], s["current"]) for s in listed) == [(PHONE, False), (FIREFOX, True)]

    token = services.create_api_token(user=user, name="cli").secret
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert not any(s["current"] for s in api.get("/api/v1/me/sessions").json())
    phone_id = next(s["id"] for s in listed if s["user_agent"] == PHONE)
    assert api.delete(f"/api/v1/me/sessions/{phone_id}").status_code == 204
    assert not _signed_in(phone)

    # A token is no browser: "everywhere else" is every session.
    assert api.post("/api/v1/me/sessions/revoke-others").json() == {"revoked": 1}
    assert not _signed_in(laptop)


def test_logout_removes_the_session_from_the_list(user: User) -> None:
    client = _browser()
    _log_in(client)
    client.post(reverse("account_logout"))
    assert not UserSession.objects.exists()


def test_idle_session_ends_after_thirty_minutes_without_activity(user: User) -> None:
    client = _browser()
    with time_machine.travel(START, tick=False) as clock:
        _log_in(client)
        clock.shift(dt.timedelta(minutes=29))
        assert _signed_in(client)
        assert UserSession.objects.get().last_seen_at == START + dt.timedelta(minutes=29)
        clock.shift(dt.timedelta(minutes=29))  # 58 minutes after log-in, but active 29 minutes ago
        assert _signed_in(client)
        clock.shift(dt.timedelta(minutes=31))
        assert not _signed_in(client)
    assert not UserSession.objects.exists()


def test_active_session_still_ends_twelve_hours_after_log_in(user: User) -> None:
    client = _browser()
    with time_machine.travel(START, tick=False) as clock:
        _log_in(client)
        minutes = 0
        while _signed_in(client):
            clock.shift(dt.timedelta(minutes=25))
            minutes += 25
    assert minutes == 725  # the first request past 12 hours (720 minutes)


def test_staff_sessions_are_shorter() -> None:
    staff = make_staff("arbiter@example.com", Role.ARBITER)
    make_user("tanvir@example.com")
    staff_client, user_client = _browser(), _browser(PHONE)
    with time_machine.travel(START, tick=False) as clock:
        staff_client.force_login(staff)
        _log_in(user_client)
        clock.shift(dt.timedelta(minutes=16))
        assert not _signed_in(staff_client)
        assert _signed_in(user_client)


def test_password_change_keeps_this_session_listed(user: User) -> None:
    client = _browser()
    _log_in(client)
    before = client.session.session_key

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase-9",
            "password2": "a-new-long-passphrase-9",
        },
    )

    assert response.status_code == 302
    assert client.session.session_key != before
    page = client.get(reverse("accounts:sessions")).content.decode()
    assert "This device" in page
    assert UserSession.objects.get().session_key == client.session.session_key


def test_last_activity_is_written_at_most_once_a_minute(user: User) -> None:
    client = _browser()
    with time_machine.travel(START, tick=False) as clock:
        _log_in(client)
        clock.shift(dt.timedelta(seconds=50))
        assert _signed_in(client)
        assert UserSession.objects.get().last_seen_at == START
        clock.shift(dt.timedelta(seconds=20))
        assert _signed_in(client)
        assert UserSession.objects.get().last_seen_at == START + dt.timedelta(seconds=70)
