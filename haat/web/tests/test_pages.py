"""Home, dashboard, language switching, Bengali rendering and security headers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haat.accounts.models import Profile, User

pytestmark = pytest.mark.django_db


def test_home_page_in_english(client: Client) -> None:
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "Get work done. Get paid safely." in page
    assert "Data entry" in page


def test_home_page_in_bengali_by_accept_language(client: Client) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="bn").content.decode()
    assert '<html lang="bn">' in page
    assert "ডেটা এন্ট্রি" in page  # the catalogue's Bengali category names
    assert "সাইন আপ" in page
    assert "Get work done" not in page


def test_language_switch_sets_cookie_and_remembers_for_user(logged_in: Client, user: User) -> None:
    response = logged_in.post(reverse("web:set-language"), {"language": "bn", "next": "/dashboard/"})
    assert response.status_code == 302
    assert response.cookies["haat_language"].value == "bn"
    assert Profile.objects.get(user=user).language == "bn"
    page = logged_in.get("/dashboard/").content.decode()
    assert '<html lang="bn">' in page
    assert "ড্যাশবোর্ড" in page


def test_stored_language_applies_on_a_new_browser(client: Client, user: User) -> None:
    Profile.objects.filter(user=user).update(language="bn")
    client.force_login(user)
    assert '<html lang="bn">' in client.get("/dashboard/").content.decode()


def test_unknown_language_is_ignored(logged_in: Client, user: User) -> None:
    logged_in.post(reverse("web:set-language"), {"language": "xx", "next": "/"})
    assert Profile.objects.get(user=user).language == "en"


def test_allauth_pages_are_translated(client: Client) -> None:
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="bn").content.decode()
    assert '<html lang="bn">' in page
    assert "পাসওয়ার্ড" in page


def test_every_page_sends_security_headers(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_load_nothing_from_elsewhere(client: Client, user: User) -> None:
    client.force_login(user)
    for url in ["/", "/dashboard/", "/profile/edit/", "/settings/", f"/people/{user.pk}/"]:
        page = client.get(url).content.decode()
        for marker in ['src="http', 'href="http', "//cdn", "fonts.googleapis"]:
            assert marker not in page, (url, marker)


def test_healthz(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_dashboard_shows_profile_progress(logged_in: Client) -> None:
    page = logged_in.get("/dashboard/").content.decode()
    assert '<progress class="progress" value="0"' in page
    assert "Still missing" in page
