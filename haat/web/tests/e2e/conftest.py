"""Fixtures for the end-to-end tests: one headless Chromium per session, a fresh context per test.

The browser is Debian's Chromium (/usr/bin/chromium); Playwright never downloads one. The pages are served
by pytest-django's ``live_server``: a thread in this process, so ``django.core.mail.outbox`` sees its mail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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

# haat/web/tests/e2e/conftest.py -> the repository root is four folders up.
REPO_ROOT = Path(__file__).resolve().parents[4]
OUTPUT_DIR = REPO_ROOT / "test-output"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
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


@pytest.fixture(autouse=True)
def _catalogue(transactional_db: None) -> None:
    """The live server's tests flush the database afterwards, which empties the data migrations' catalogue;
    load it again (idempotent) so the profile editor always has its skills."""
    from haat.jobs import catalogue
    from haat.jobs.models import Category, Skill

    catalogue.load(Category, Skill)
