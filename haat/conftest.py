"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from haat.accounts.models import User

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright, ViewportSize

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _isolated_storage(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a per-test folder; static files need no collectstatic."""
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Fast hashing in tests; production's argon2 is asserted in test_auth_flows.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    # A Bengali page leaves Bengali active in this thread; the next test must start in the default language.
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> Iterator[None]:
    # Rate-limit counters live in the cache; one test's failed log-ins must not lock out the next.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def make_user(email: str, *, verified: bool = True, password: str = PASSWORD, **extra: Any) -> User:
    user = User.objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_staff(email: str, *roles: Any, two_factor: bool = True) -> User:
    """A verified user holding the given ``haat.staff.roles.Role``s, with TOTP set up (staff pages need 2FA)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from haat.staff.roles import add_role

    staff = make_user(email)
    for role in roles:
        add_role(staff, role)
    if two_factor:
        TOTP.activate(staff, generate_totp_secret())
    return staff


@pytest.fixture
def user(db: None) -> User:
    return make_user("tanvir@example.com")


@pytest.fixture
def other_user(db: None) -> User:
    return make_user("nusrat@example.com")


@pytest.fixture
def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


# --- End-to-end tests (headless Chromium) --------------------------------------------------------------------
# One browser per session for every app's browser tests; Debian's Chromium, never a downloaded one.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}

# haat/conftest.py -> the repository root is one folder up.
REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT_DIR = REPO_ROOT / "test-output"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM calls there.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _page(browser: Browser, viewport: ViewportSize, *, is_mobile: bool) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, is_mobile=is_mobile, has_touch=is_mobile, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page (360x740) in a fresh context: no cookies, no session."""
    yield from _page(browser, PHONE, is_mobile=True)


@pytest.fixture
def desktop_page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page (1280x800) in a fresh context."""
    yield from _page(browser, DESKTOP, is_mobile=False)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR
