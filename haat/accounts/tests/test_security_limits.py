"""ASVS V6/V7 checks, measured: after how many failures log-in, sign-up, password reset and 2FA code entry
are refused; re-authentication before changing the e-mail address, the password or 2FA; argon2 at or above
OWASP's parameters; common passwords refused; staff pages need 2FA. The figures are asserted exactly, so a
change is a decision."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from haat import settings as production
from haat.accounts.models import User
from haat.accounts.tests.test_auth_flows import _enable_totp, _totp_code
from haat.conftest import PASSWORD, make_staff, make_user
from haat.staff.roles import Role

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed"


def _first_refusal(attempts: list[tuple[int, str]]) -> int | None:
    """The 1-based number of the first refused attempt (429, or allauth's "too many" message)."""
    for number, (status, page) in enumerate(attempts, start=1):
        if status == 429 or TOO_MANY in page:
            return number
    return None


def _post(client: Client, name: str, data: dict[str, Any]) -> tuple[int, str]:
    response = client.post(reverse(name), data)
    return response.status_code, response.content.decode()


def test_login_is_refused_from_the_sixth_failure_even_with_the_right_password(client: Client) -> None:
    make_user("a@example.com")
    attempts = [
        _post(client, "account_login", {"login": "a@example.com", "password": f"no-{i}"}) for i in range(8)
    ]
    assert _first_refusal(attempts) == 6
    _post(client, "account_login", {"login": "a@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_signup_is_refused_from_the_eleventh_per_ip_and_hour(client: Client) -> None:
    attempts = []
    for i in range(12):
        attempts.append(
            _post(
                client,
                "account_signup",
                {"email": f"s{i}@example.com", "password1": PASSWORD, "password2": PASSWORD},
            )
        )
        client.logout()
    assert _first_refusal(attempts) == 11


def test_password_reset_is_refused_from_the_sixth_per_address_and_minute(client: Client) -> None:
    make_user("a@example.com")
    attempts = [_post(client, "account_reset_password", {"email": "a@example.com"}) for _ in range(7)]
    assert _first_refusal(attempts) == 6


def test_two_factor_code_entry_is_refused_from_the_sixth_failure(client: Client) -> None:
    user = make_user("a@example.com")
    secret, _codes = _enable_totp(user)
    client.post(reverse("account_login"), {"login": "a@example.com", "password": PASSWORD})
    wrong = "000000" if _totp_code(secret) != "000000" else "111111"
    attempts = [_post(client, "mfa_authenticate", {"code": wrong}) for _ in range(5)]
    attempts.append(_post(client, "mfa_authenticate", {"code": _totp_code(secret)}))
    assert _first_refusal(attempts) == 6  # the right code, refused: the account is locked for a while
    assert "_auth_user_id" not in client.session


def test_adding_an_email_address_needs_the_password_again(client: Client) -> None:
    user = make_user("a@example.com")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="new@example.com").exists()

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    assert EmailAddress.objects.filter(user=user, email="new@example.com").exists()


def test_password_change_needs_the_current_password(client: Client) -> None:
    user = make_user("a@example.com")
    client.force_login(user)
    new = "another-long-passphrase-7"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-my-password", "password1": new, "password2": new},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_turning_two_factor_off_needs_the_password_again(client: Client) -> None:
    user = make_user("a@example.com")
    _enable_totp(user)
    client.force_login(user)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_argon2_parameters_meet_owasp_minimums() -> None:
    hasher = import_string(production.PASSWORD_HASHERS[0])()
    assert isinstance(hasher, Argon2PasswordHasher)
    # OWASP Password Storage Cheat Sheet: argon2id with at least 19 MiB, 2 iterations, 1 degree of parallelism.
    assert hasher.memory_cost >= 19 * 1024
    assert hasher.time_cost >= 2
    assert hasher.parallelism >= 1
    assert hasher.encode("x" * 12, hasher.salt()).startswith("argon2$argon2id$")


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "iloveyou12"])
def test_common_passwords_are_refused_at_sign_up(client: Client, password: str) -> None:
    client.cookies["haat_language"] = "en"
    response = client.post(
        reverse("account_signup"), {"email": "c@example.com", "password1": password, "password2": password}
    )
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="c@example.com").exists()


def test_staff_pages_need_two_factor(client: Client) -> None:
    without = make_staff("nofa@example.com", Role.ADMIN, two_factor=False)
    client.force_login(without)
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

    client.force_login(make_staff("withfa@example.com", Role.ADMIN))
    assert client.get(reverse("staff:home")).status_code == 200
