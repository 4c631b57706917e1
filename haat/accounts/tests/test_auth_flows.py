"""Sign-up, e-mail verification, log-in (with and without 2FA), password reset and rate limits."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client
from django.urls import reverse

from haat.accounts.models import Profile, User
from haat.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _link_from_mail(body: str) -> str:
    match = re.search(r"https?://[^\s]+", body)
    assert match, body
    return match.group(0)


def _signup(client: Client, email: str = "new@example.com", password: str = PASSWORD) -> None:
    response = client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_signup_sends_verification_and_creates_profile(client: Client) -> None:
    _signup(client)
    user = User.objects.get(email="new@example.com")
    assert Profile.objects.filter(user=user).exists()
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_password_is_hashed_with_argon2_in_production_settings() -> None:
    from haat import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_signup_rejects_common_and_mismatched_passwords(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.com", "password1": "password123", "password2": "password123"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.com", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.com").exists()


def test_unverified_user_cannot_log_in_until_verified(client: Client) -> None:
    _signup(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    # allauth sends the user to "verification sent" instead of logging in.
    assert response.status_code == 302
    assert reverse("account_email_verification_sent") in response["Location"]
    assert "_auth_user_id" not in client.session

    link = _link_from_mail(mail.outbox[0].body)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm_page = client.get("/" + path)
    assert confirm_page.status_code == 200
    client.post("/" + path)
    assert EmailAddress.objects.get(email="new@example.com").verified

    client.logout()
    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert client.session["_auth_user_id"] == str(User.objects.get(email="new@example.com").pk)


def test_login_rotates_session_id_and_logout_ends_session(client: Client) -> None:
    make_user("a@example.com")
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": "a@example.com", "password": PASSWORD})
    assert client.session.session_key != before
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused(client: Client) -> None:
    make_user("a@example.com")
    response = client.post(
        reverse("account_login"), {"login": "a@example.com", "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_failures_are_rate_limited(client: Client) -> None:
    make_user("a@example.com")
    pages = [
        client.post(
            reverse("account_login"), {"login": "a@example.com", "password": f"wrong-{i}"}
        ).content.decode()
        for i in range(6)
    ]
    assert all("not correct" in page for page in pages[:5])
    assert "Too many failed login attempts" in pages[5]
    # Even the right password is refused while the address is locked.
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_is_rate_limited_per_ip(client: Client) -> None:
    statuses = []
    for i in range(12):
        response = client.post(
            reverse("account_signup"),
            {"email": f"s{i}@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
        statuses.append(response.status_code)
        client.logout()
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429, 429]
    assert User.objects.count() == 10


def test_password_reset_by_mail(client: Client) -> None:
    make_user("a@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "a@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = _link_from_mail(mail.outbox[0].body)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    new_password = "a-brand-new-password-77"
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert User.objects.get(email="a@example.com").check_password(new_password)


def test_password_reset_is_rate_limited_per_address(client: Client) -> None:
    make_user("a@example.com")
    statuses = [
        client.post(reverse("account_reset_password"), {"email": "a@example.com"}).status_code
        for _ in range(7)
    ]
    assert statuses[:5] == [302] * 5
    assert 429 in statuses[5:]
    assert len(mail.outbox) == 5


def test_password_reset_for_unknown_address_does_not_reveal_it(client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    # An e-mail goes to the address saying there is no account, and the page looks the same.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nobody@example.com"]


def _totp_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return f"{hotp_value(secret, counter):06d}"


def _enable_totp(user: User) -> tuple[str, list[str]]:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes


def test_login_with_totp_two_factor(client: Client) -> None:
    user = make_user("a@example.com")
    secret, _codes = _enable_totp(user)
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if _totp_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_recovery_code_uses_it_up(client: Client) -> None:
    user = make_user("a@example.com")
    _secret, codes = _enable_totp(user)
    client.post(reverse("account_login"), {"login": "a@example.com", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    client.logout()
    client.post(reverse("account_login"), {"login": "a@example.com", "password": PASSWORD})
    reused = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_user_can_activate_totp_from_settings(client: Client) -> None:
    user = make_user("a@example.com")
    client.force_login(user)
    # Changing 2FA asks for the password again first.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
