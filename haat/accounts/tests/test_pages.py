"""Profile pages, the profile editor, portfolio and API-token pages, through the browser's forms."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from haat.accounts import services
from haat.accounts.models import ApiToken, PortfolioItem, Profile, User
from haat.jobs.models import Skill

pytestmark = pytest.mark.django_db


def _profile_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "display_name": "Tanvir Ahmed",
        "company_name": "",
        "headline": "Django developer",
        "bio": "I build **fast** sites.\n\n<script>alert('x')</script>",
        "country": "BD",
        "time_zone": "Asia/Dhaka",
        "hourly_rate_amount": "25.50",
        "hourly_rate_currency": "USD",
        "skills": [Skill.objects.get(slug="django").pk, Skill.objects.get(slug="python").pk],
        "languages-TOTAL_FORMS": "2",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "15",
        "languages-0-language": "en",
        "languages-0-level": "fluent",
        "languages-1-language": "",
        "languages-1-level": "",
    }
    data.update(overrides)
    return data


def test_pages_need_login(client: Client) -> None:
    for name in ["web:dashboard", "accounts:profile-edit", "accounts:settings"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_edit_profile_through_the_page(logged_in: Client, user: User) -> None:
    assert logged_in.get(reverse("accounts:profile-edit")).status_code == 200
    response = logged_in.post(reverse("accounts:profile-edit"), _profile_post(), follow=True)
    assert response.status_code == 200
    assert "Your profile was saved." in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Tanvir Ahmed"
    assert profile.hourly_rate == 2550
    assert profile.time_zone == "Asia/Dhaka"
    assert set(profile.skills.values_list("slug", flat=True)) == {"django", "python"}
    assert list(profile.languages.values_list("language", "level")) == [("en", "fluent")]

    page = logged_in.get(reverse("accounts:profile", args=[user.pk])).content.decode()
    assert "<strong>fast</strong>" in page
    assert "<script>alert" not in page
    assert "Django developer" in page
    assert "Bangladesh" in page
    assert "$25.50" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"display_name": "x" * 81}, "at most 80 characters"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"hourly_rate_amount": "-3"}, "greater than or equal to 0.01"),
        ({"hourly_rate_amount": "abc"}, "Enter a number"),
        ({"skills": [999999]}, "Select a valid choice"),
        ({"languages-0-level": ""}, "Choose both a language and a level"),
        ({"languages-1-language": "en", "languages-1-level": "basic"}, "Each language may be listed once"),
    ],
)
def test_bad_profile_form_shows_error_and_changes_nothing(
    logged_in: Client, user: User, overrides: dict[str, object], message: str
) -> None:
    services.update_profile(user=user, fields={"display_name": "Before"})
    response = logged_in.post(reverse("accounts:profile-edit"), _profile_post(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Before"
    assert profile.skills.count() == 0


def _png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 100, 50)).save(buffer, format="PNG")
    return SimpleUploadedFile("my work.png", buffer.getvalue(), content_type="image/png")


def test_portfolio_item_with_image_is_shown_and_deletable(logged_in: Client, user: User) -> None:
    response = logged_in.post(
        reverse("accounts:portfolio-add"),
        {"title": "Logo for a bakery", "description": "A *warm* logo", "link": "", "image": _png_upload()},
        follow=True,
    )
    assert "The portfolio item was added." in response.content.decode()
    item = PortfolioItem.objects.get(profile__user=user)
    assert "my work" not in item.image.name  # the uploader's name is not trusted as a path
    page = logged_in.get(reverse("accounts:profile", args=[user.pk])).content.decode()
    assert "Logo for a bakery" in page
    assert reverse("accounts:portfolio-image", args=[item.pk]) in page

    logged_in.post(reverse("accounts:portfolio-delete", args=[item.pk]))
    assert not PortfolioItem.objects.exists()


def test_portfolio_rejects_fake_image(logged_in: Client) -> None:
    fake = SimpleUploadedFile("evil.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = logged_in.post(reverse("accounts:portfolio-add"), {"title": "x", "image": fake}, follow=True)
    assert "This file is not a readable image." in response.content.decode()
    assert not PortfolioItem.objects.exists()


def test_cannot_delete_someone_elses_portfolio_item(logged_in: Client, other_user: User) -> None:
    item = services.add_portfolio_item(user=other_user, title="Theirs", link="https://example.com")
    response = logged_in.post(reverse("accounts:portfolio-delete", args=[item.pk]))
    assert response.status_code == 404
    assert PortfolioItem.objects.filter(pk=item.pk).exists()


def test_profile_of_unknown_user_is_404(client: Client) -> None:
    assert client.get(reverse("accounts:profile", args=[99999])).status_code == 404


def test_token_created_on_settings_page_is_shown_once(logged_in: Client, user: User) -> None:
    response = logged_in.post(reverse("accounts:token-create"), {"name": "my script"}, follow=True)
    page = response.content.decode()
    token = ApiToken.objects.get(user=user)
    secret_start = page.index('id="new-token">') + len('id="new-token">')
    secret = page[secret_start : page.index("</code>", secret_start)]
    assert secret.startswith(token.prefix)
    assert services.authenticate_api_token(secret) == user
    again = logged_in.get(reverse("accounts:settings")).content.decode()
    assert secret not in again
    assert "my script" in again

    logged_in.post(reverse("accounts:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.authenticate_api_token(secret) is None


def test_token_form_errors(logged_in: Client, user: User, other_user: User) -> None:
    response = logged_in.post(reverse("accounts:token-create"), {"name": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    theirs = services.create_api_token(user=other_user, name="theirs").token
    assert logged_in.post(reverse("accounts:token-revoke", args=[theirs.pk])).status_code == 404
    assert not ApiToken.objects.filter(user=user).exists()


def test_profile_page_is_in_the_users_time_zone(logged_in: Client, user: User) -> None:
    services.update_profile(user=user, fields={"time_zone": "Asia/Dhaka"})
    page = logged_in.get(reverse("web:dashboard")).content.decode()
    assert "Times are shown in Asia/Dhaka." in page
