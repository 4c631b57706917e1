"""The accounts API: /me, profiles, portfolio, tokens, and every error path as problem+json."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from haat.accounts import services
from haat.accounts.models import ApiToken, PortfolioItem, Profile, User
from haat.conftest import make_user
from haat.jobs.models import Skill

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {services.create_api_token(user=user, name='test').secret}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"].startswith("urn:haat:problem:")
    assert body["detail"]
    return body


def _snapshot(user: User) -> dict[str, Any]:
    profile = Profile.objects.get(user=user)
    return {
        "fields": {f.name: getattr(profile, f.name) for f in Profile._meta.concrete_fields},
        "skills": sorted(profile.skills.values_list("pk", flat=True)),
        "languages": sorted(profile.languages.values_list("language", "level")),
    }


def test_me_with_token(client: Client, user: User) -> None:
    response = client.get("/api/v1/me", **_bearer(user))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == user.email
    assert body["email_verified"] is True
    assert body["two_factor_enabled"] is False
    assert body["profile"]["profile_complete"] is False
    assert "headline" in body["profile"]["missing"]


def test_me_with_session(logged_in: Client, user: User) -> None:
    response = logged_in.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["id"] == user.pk


def test_me_without_auth_is_401_problem(client: Client) -> None:
    body = _problem(client.get("/api/v1/me"), 401)
    assert "Bearer" in body["detail"]


@pytest.mark.parametrize(
    "header", ["Bearer nope", "Bearer haat_notavalidtoken", "Basic dXNlcjpwYXNz", "Bearer "]
)
def test_bad_tokens_are_401(client: Client, user: User, header: str) -> None:
    _problem(client.get("/api/v1/me", HTTP_AUTHORIZATION=header), 401)


def test_revoked_token_stops_working(client: Client, user: User) -> None:
    issued = services.create_api_token(user=user, name="ci")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}
    assert client.get("/api/v1/me", **headers).status_code == 200
    services.revoke_api_token(user=user, token_id=issued.token.pk)
    _problem(client.get("/api/v1/me", **headers), 401)


def test_token_of_deactivated_user_stops_working(client: Client, user: User) -> None:
    headers = _bearer(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    _problem(client.get("/api/v1/me", **headers), 401)


def test_token_is_stored_hashed_and_records_use(client: Client, user: User) -> None:
    issued = services.create_api_token(user=user, name="script")
    token = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret not in token.token_hash
    assert issued.secret.startswith(token.prefix)
    assert token.last_used_at is None
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_update_profile_through_api(client: Client, user: User) -> None:
    skills = list(Skill.objects.filter(slug__in=["python", "django"]).values_list("pk", flat=True))
    payload = {
        "display_name": "Tanvir Ahmed",
        "headline": "Django developer",
        "bio": "I build **fast** sites.",
        "country": "BD",
        "time_zone": "Asia/Dhaka",
        "language": "bn",
        "hourly_rate": 2500,
        "hourly_rate_currency": "USD",
        "skill_ids": skills,
        "languages": [{"language": "bn", "level": "native"}, {"language": "en", "level": "fluent"}],
    }
    response = client.patch(
        "/api/v1/me/profile", json.dumps(payload), content_type="application/json", **_bearer(user)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "Tanvir Ahmed"
    assert body["profile_complete"] is True
    assert {s["slug"] for s in body["skills"]} == {"python", "django"}
    profile = Profile.objects.get(user=user)
    assert profile.time_zone == "Asia/Dhaka"
    assert profile.language == "bn"
    assert profile.hourly_rate == 2500
    assert sorted(profile.languages.values_list("language", "level")) == [("bn", "native"), ("en", "fluent")]

    assert client.get("/api/v1/me/profile", **_bearer(user)).json() == body

    # A partial update leaves everything else as it was.
    response = client.patch(
        "/api/v1/me/profile",
        json.dumps({"headline": "Senior Django developer"}),
        content_type="application/json",
        **_bearer(user),
    )
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.headline == "Senior Django developer"
    assert profile.display_name == "Tanvir Ahmed"
    assert profile.skills.count() == 2


def test_session_writes_need_csrf(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch(
        "/api/v1/me/profile", json.dumps({"headline": "x"}), content_type="application/json"
    )
    body = _problem(response, 403)
    assert "CSRF" in body["detail"]
    assert Profile.objects.get(user=user).headline == ""


BAD_PROFILE_UPDATES = [
    pytest.param("{not json", "not valid JSON", id="bad-json"),
    pytest.param(json.dumps({"display_name": "x" * 81}), "display_name", id="too-long-name"),
    pytest.param(json.dumps({"bio": "x" * 5001}), "bio", id="too-long-bio"),
    pytest.param(json.dumps({"hourly_rate": "lots"}), "hourly_rate", id="wrong-type"),
    pytest.param(json.dumps({"hourly_rate": -5}), "hourly_rate", id="negative-rate"),
    pytest.param(json.dumps({"hourly_rate": 10**15}), "hourly_rate", id="huge-rate"),
    pytest.param(json.dumps({"time_zone": "Mars/Olympus"}), "time_zone", id="unknown-zone"),
    pytest.param(json.dumps({"country": "XX"}), "country", id="unknown-country"),
    pytest.param(json.dumps({"language": "fr"}), "language", id="unsupported-site-language"),
    pytest.param(json.dumps({"hourly_rate_currency": "ZZZ"}), "hourly_rate_currency", id="unknown-currency"),
    pytest.param(json.dumps({"skill_ids": [999999]}), "skills", id="unknown-skill"),
    pytest.param(json.dumps({"skill_ids": "python"}), "skill_ids", id="skills-not-a-list"),
    pytest.param(json.dumps({"languages": [{"language": "en"}]}), "level", id="language-missing-level"),
    pytest.param(
        json.dumps({"languages": [{"language": "en", "level": "godlike"}]}), "level", id="bad-level"
    ),
    pytest.param(
        json.dumps(
            {"languages": [{"language": "en", "level": "basic"}, {"language": "en", "level": "fluent"}]}
        ),
        "languages",
        id="duplicate-language",
    ),
    pytest.param(
        json.dumps({"languages": [{"language": "xx", "level": "basic"}]}), "language", id="unknown-lang"
    ),
    pytest.param(json.dumps({"display_name": None}), "display_name", id="null-name"),
    pytest.param(json.dumps(["a", "list"]), "body", id="not-an-object"),
]


@pytest.mark.parametrize(("body", "mentions"), BAD_PROFILE_UPDATES)
def test_bad_profile_updates_are_problems_and_change_nothing(
    client: Client, user: User, body: str, mentions: str
) -> None:
    services.update_profile(
        user=user,
        fields={"display_name": "Before", "country": "BD"},
        skill_ids=list(Skill.objects.values_list("pk", flat=True)[:2]),
        languages=[("bn", "native")],
    )
    before = _snapshot(user)
    response = client.patch("/api/v1/me/profile", body, content_type="application/json", **_bearer(user))
    problem = _problem(response, 400 if mentions == "not valid JSON" else 422)
    assert mentions in problem["detail"]
    assert _snapshot(user) == before


def test_unknown_fields_are_ignored_not_applied(client: Client, user: User) -> None:
    response = client.patch(
        "/api/v1/me/profile",
        json.dumps({"user_id": 999, "is_staff": True}),
        content_type="application/json",
        **_bearer(user),
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_staff is False
    assert Profile.objects.get(user=user).user_id == user.pk


def test_public_profile(client: Client, user: User) -> None:
    services.update_profile(user=user, fields={"display_name": "তানভীর", "headline": "ডেভেলপার"})
    response = client.get(f"/api/v1/profiles/{user.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "তানভীর"
    assert "email" not in body


def test_public_profile_unknown_or_inactive_is_404(client: Client, user: User) -> None:
    _problem(client.get("/api/v1/profiles/987654"), 404)
    User.objects.filter(pk=user.pk).update(is_active=False)
    _problem(client.get(f"/api/v1/profiles/{user.pk}"), 404)
    _problem(client.get("/api/v1/profiles/not-a-number"), 422)


def _png(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 107, 79)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_portfolio_add_with_image_then_delete(client: Client, user: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers = _bearer(user)
    response = client.post(
        "/api/v1/me/portfolio",
        {
            "title": "Shop site",
            "link": "https://example.com/shop",
            "image": SimpleUploadedFile("shot.png", _png(), content_type="image/png"),
        },
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["image_url"].endswith(f"/portfolio/{body['id']}/image")
    image = client.get(f"/portfolio/{body['id']}/image")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"

    other = make_user("other@example.com")
    _problem(client.delete(f"/api/v1/me/portfolio/{body['id']}", **_bearer(other)), 404)
    assert PortfolioItem.objects.filter(pk=body["id"]).exists()

    assert client.delete(f"/api/v1/me/portfolio/{body['id']}", **headers).status_code == 204
    assert not PortfolioItem.objects.filter(pk=body["id"]).exists()
    _problem(client.delete(f"/api/v1/me/portfolio/{body['id']}", **headers), 404)


def test_portfolio_rejects_bad_input(client: Client, user: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers = _bearer(user)
    cases = [
        ({"title": "No image or link"}, "image or a link"),
        ({"title": "", "link": "https://example.com"}, "title"),
        ({"title": "Bad link", "link": "javascript:alert(1)"}, "link"),
        ({"title": "x" * 121, "link": "https://example.com"}, "title"),
        (
            {
                "title": "Fake",
                "image": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
            },
            "not a readable image",
        ),
        (
            {
                "title": "GIF",
                "image": SimpleUploadedFile(
                    "x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"
                ),
            },
            "image",
        ),
    ]
    for data, mentions in cases:
        body = _problem(client.post("/api/v1/me/portfolio", data, **headers), 422)
        assert mentions in body["detail"], (data, body)
    assert not PortfolioItem.objects.exists()


def test_token_endpoints(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(
        "/api/v1/me/tokens", json.dumps({"name": "laptop"}), content_type="application/json"
    )
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("haat_")
    listed = client.get("/api/v1/me/tokens").json()
    assert [t["name"] for t in listed] == ["laptop"]
    assert "secret" not in listed[0]
    assert client.delete(f"/api/v1/me/tokens/{created['id']}").status_code == 204
    assert client.get("/api/v1/me/tokens").json()[0]["revoked_at"] is not None
    _problem(client.post("/api/v1/me/tokens", json.dumps({"name": ""}), content_type="application/json"), 422)
    _problem(client.post("/api/v1/me/tokens", json.dumps({}), content_type="application/json"), 422)


def test_tokens_cannot_mint_tokens_or_touch_others(client: Client, user: User, other_user: User) -> None:
    headers = _bearer(user)
    _problem(
        client.post(
            "/api/v1/me/tokens", json.dumps({"name": "x"}), content_type="application/json", **headers
        ),
        401,
    )
    theirs = services.create_api_token(user=other_user, name="theirs").token
    _problem(client.delete(f"/api/v1/me/tokens/{theirs.pk}", **headers), 404)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_openapi_document_and_docs(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Haat API"
    for path in [
        "/api/v1/me",
        "/api/v1/me/profile",
        "/api/v1/profiles/{user_id}",
        "/api/v1/categories",
        "/api/v1/skills",
        "/api/v1/me/tokens",
    ]:
        assert path in spec["paths"], path
    assert client.get("/api/v1/docs").status_code == 200


def test_unknown_api_path_is_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
