"""Staff in the browser: an account with a known authenticator secret, and signing in with a fresh code."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from playwright.sync_api import Page, expect

from haat.conftest import PASSWORD, make_staff


def staff_with_secret(email: str, *roles: Any) -> str:
    """A staff member holding ``roles`` with TOTP set up; returns the secret their authenticator app holds."""
    user = make_staff(email, *roles, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str) -> str:
    """What the authenticator app shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in_staff(page: Page, base: str, email: str, secret: str) -> None:
    """Password, then the authenticator code (allauth asks for it because TOTP is set up)."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.locator('input[name="code"]').fill(current_code(secret))
    page.locator("main").get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
