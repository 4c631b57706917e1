"""End-to-end: a moderator (desktop, with two-factor) works the queue and suspends a freelancer who shared a
phone number; the freelancer (phone) sees the banner with the reason and the rule on every page, still reads the
contract, is refused when replying, and appeals once; a second moderator grants the appeal and the banner goes.
Every step is saved as a screenshot."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from playwright.sync_api import Page, expect

from haat.bids import services as bid_services
from haat.bids.tests.test_bids import bid_on, freelancer, make_job
from haat.conftest import PASSWORD, make_staff, make_user
from haat.messaging import services as messaging_services
from haat.moderation import services
from haat.moderation.models import Appeal
from haat.staff.roles import Role
from haat.web.tests.e2e.conftest import _catalogue  # noqa: F401  (autouse fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "Shared a phone number to take the work off Haat."


def _log_in(page: Page, base: str, email: str, secret: str | None = None) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    if secret is not None:
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        page.locator('input[name="code"]').fill(code)
        page.locator("main").get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_suspension_banner_refusal_and_appeal(
    live_server: object, page: Page, desktop_page: Page, output_dir: Path
) -> None:
    base = str(live_server)
    buyer = make_user("buyer@example.com")
    worker = freelancer("rahim@example.com", "Rahim")
    job = make_job(buyer)
    bid = bid_on(job, worker)
    thread, _c = messaging_services.start_interview(user=worker, job_id=job.pk)
    messaging_services.post_message(user=worker, thread_id=thread.pk, body="Call me on 01712-345678 instead")
    bid_services.award_bid(buyer=buyer, bid_id=bid.pk)
    contract = bid_services.accept_award(freelancer=worker, bid_id=bid.pk)
    moderator = make_staff("mod@example.com", Role.MODERATOR, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(moderator, secret)

    # The moderator finds the flagged message in the queue and suspends its sender.
    staff = desktop_page
    _log_in(staff, base, moderator.email, secret)
    staff.goto(base + "/staff/moderation/")
    expect(staff.get_by_text("Call me on 01712-345678 instead")).to_be_visible()
    staff.screenshot(path=str(output_dir / "moderation-1-queue.png"), full_page=True)
    staff.locator("#flagged").locator("..").get_by_role("link", name="rahim@example.com").click()
    staff.get_by_label("Rule broken").nth(1).select_option("on-platform")
    staff.locator("#id_suspend-reason").fill(REASON)
    staff.get_by_role("button", name="Suspend and e-mail the user").click()
    expect(staff.get_by_text("The account was suspended and the user e-mailed.")).to_be_visible()
    expect(staff.get_by_role("heading", name="Lift the suspension")).to_be_visible()
    staff.screenshot(path=str(output_dir / "moderation-2-suspended.png"), full_page=True)

    # The freelancer sees why on every page, still reads the contract, and cannot reply.
    _log_in(page, base, worker.email)
    banner = page.locator("#suspension-banner")
    expect(banner).to_contain_text(REASON)
    expect(banner).to_contain_text("Keep talk and payment on Haat")
    page.goto(f"{base}/contracts/{contract.pk}/")
    expect(page.locator("#suspension-banner")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.screenshot(path=str(output_dir / "moderation-3-banner-phone.png"), full_page=True)
    contract_thread = contract.threads.get()
    page.goto(f"{base}/messages/{contract_thread.pk}/")
    page.get_by_role("textbox", name="Message").fill("Can I still send this?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_contain_text(REASON)
    page.screenshot(path=str(output_dir / "moderation-4-refused-phone.png"), full_page=True)

    # One appeal, from the status page linked in the banner.
    page.locator("#suspension-banner").get_by_role("link", name="See details and appeal").click()
    page.get_by_label("Your statement").fill("The number was my office line; I will keep talk on Haat.")
    page.get_by_role("button", name="Send my appeal").click()
    expect(page.get_by_text("Your appeal was sent.")).to_be_visible()
    expect(page.get_by_role("button", name="Send my appeal")).to_have_count(0)
    page.screenshot(path=str(output_dir / "moderation-5-appealed-phone.png"), full_page=True)

    # The moderator who suspended cannot decide; a second one grants it.
    staff.goto(base + "/staff/moderation/")
    expect(staff.get_by_text("another staff member decides this appeal")).to_be_visible()
    second = make_staff("mod2@example.com", Role.MODERATOR)
    services.decide_appeal(
        staff=second, appeal_id=Appeal.objects.get().pk, grant=True, decision="Accepted: first time."
    )
    page.goto(base + "/account/moderation/")
    expect(page.locator("#suspension-banner")).to_have_count(0)
    expect(
        page.get_by_text("Appeal: Granted: the suspension was lifted — Accepted: first time.")
    ).to_be_visible()
    page.screenshot(path=str(output_dir / "moderation-6-granted-phone.png"), full_page=True)
