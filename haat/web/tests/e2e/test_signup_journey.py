"""End-to-end: a newcomer signs up on a phone, verifies the e-mail, fills the profile and reads it in Bengali.

Everything happens through the browser, as a user would do it, except reading the verification e-mail,
which the test takes from ``django.core.mail.outbox`` (the live server runs in this process).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from haat.conftest import PASSWORD, make_user

# The live server needs a transactional database; the conftest reloads the catalogue before each test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "rahima@example.com"


def _confirmation_link(email: str) -> str:
    messages = [message for message in mail.outbox if email in message.to]
    assert len(messages) == 1, [message.subject for message in mail.outbox]
    body = str(messages[0].body)
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+", body)
    assert match, body
    return match.group(0)


def _nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def test_signup_verify_login_edit_profile_and_switch_to_bengali(
    live_server, page: Page, output_dir: Path
) -> None:
    # --- Sign up -------------------------------------------------------------------------------------------
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _nav(page).get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name=re.compile("Verify your email address", re.I))).to_be_visible()
    # Not signed in until the address is verified.
    expect(_nav(page).get_by_role("link", name="Log in")).to_be_visible()

    # --- Verify the e-mail address -------------------------------------------------------------------------
    page.goto(_confirmation_link(EMAIL))
    expect(page.get_by_role("heading", name=re.compile("Confirm email address", re.I))).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: confirming signs the user in and lands on the dashboard.
    expect(_nav(page).get_by_role("button", name="Log out")).to_be_visible()
    expect(_nav(page).get_by_role("link", name="Dashboard")).to_be_visible()

    # --- Log out, log in again -----------------------------------------------------------------------------
    _nav(page).get_by_role("button", name="Log out").click()
    expect(_nav(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(_nav(page).get_by_role("button", name="Log out")).to_have_count(0)
    _nav(page).get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(_nav(page).get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    # --- Edit the profile ----------------------------------------------------------------------------------
    _nav(page).get_by_role("link", name="My profile").click()
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", name="Edit profile", level=1)).to_be_visible()
    page.get_by_role("textbox", name="Display name").fill("Rahima Akter")
    page.get_by_role("textbox", name="Headline").fill("Django developer, 6 years")
    page.get_by_role("textbox", name="About you").fill(
        "I build **reliable web apps** for small shops.\n\n- Django\n- PostgreSQL"
    )
    page.get_by_role("combobox", name="Country").select_option(label="Bangladesh")
    page.get_by_role("combobox", name="Time zone").select_option("Asia/Dhaka")
    page.get_by_role("combobox", name="Language", exact=True).first.select_option(label="Bangla")
    page.get_by_role("combobox", name="Level").first.select_option(label="Native or bilingual")
    page.get_by_text("Software development", exact=True).click()  # open the skill group
    page.get_by_role("checkbox", name="Django", exact=True).check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile was saved.")
    # The saved values are shown again in the editor.
    expect(page.get_by_role("textbox", name="Display name")).to_have_value("Rahima Akter")
    expect(page.get_by_role("checkbox", name="Django", exact=True)).to_be_checked()

    # --- The public profile --------------------------------------------------------------------------------
    page.get_by_role("link", name="View public profile").click()
    expect(page.get_by_role("heading", name="Rahima Akter", level=1)).to_be_visible()
    expect(page.get_by_text("Django developer, 6 years")).to_be_visible()
    about = page.get_by_role("region", name="About")
    expect(about.locator("strong")).to_have_text("reliable web apps")
    expect(about.get_by_text("**")).to_have_count(0)
    expect(page.get_by_role("region", name="Skills").get_by_role("listitem")).to_have_text(["Django"])
    expect(page.get_by_text("Bangladesh")).to_be_visible()
    expect(page.get_by_text("Asia/Dhaka").first).to_be_visible()
    page.evaluate("document.fonts.ready")
    page.screenshot(path=output_dir / "e2e-profile-en.png", full_page=True)

    # --- Switch to Bengali ---------------------------------------------------------------------------------
    page.get_by_role("button", name="বাংলা").click()
    expect(page.locator("html")).to_have_attribute("lang", "bn")
    # Still on the same profile page.
    expect(page.get_by_role("heading", name="Rahima Akter", level=1)).to_be_visible()
    page.evaluate("document.fonts.ready")
    page.screenshot(path=output_dir / "e2e-profile-bn.png", full_page=True)
    # Needs the compiled Bengali catalogue (haat/locale/bn/LC_MESSAGES/django.mo).
    expect(page.get_by_role("link", name="ড্যাশবোর্ড")).to_be_visible()


def test_login_with_wrong_password_shows_error_and_stays_logged_out(live_server, desktop_page: Page) -> None:
    make_user("tanvir@example.com")
    page = desktop_page
    page.goto(live_server.url + "/")
    _nav(page).get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("tanvir@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD + "-wrong")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text(re.compile("password you specified are not correct", re.I))).to_be_visible()
    expect(_nav(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(_nav(page).get_by_role("button", name="Log out")).to_have_count(0)
    # The dashboard still asks for a log-in.
    page.goto(live_server.url + "/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/"))
    expect(page.get_by_role("button", name="Sign In")).to_be_visible()
