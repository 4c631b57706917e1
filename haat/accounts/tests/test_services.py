"""Profile rules: markdown safety, completeness, token format, image checks."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from haat.accounts import selectors, services
from haat.accounts.models import User
from haat.jobs.models import Skill
from haat.web.markdown import render_markdown


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _assert_inert(html: str) -> None:
    """No active element, no event handler, no style, no link outside http(s)/mailto: text may stay."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in {"script", "iframe", "img", "object", "embed", "style", "svg", "form"}, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            assert name != "style", html
            if name == "href":
                assert (value or "").split(":", 1)[0] in {"http", "https", "mailto"} or ":" not in (
                    value or ""
                ), html


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=//evil></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_markdown_renders_attacks_inert(evil: str) -> None:
    _assert_inert(render_markdown(evil))


def test_markdown_keeps_formatting_and_marks_links() -> None:
    html = render_markdown("**bold** and [Haat](https://example.com)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    assert "<li>one</li>" in html


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_markdown_never_emits_active_content(text: str) -> None:
    _assert_inert(render_markdown(text + "<script>x</script><a href='javascript:y'>z</a>[l](javascript:z)"))


@pytest.mark.django_db
def test_completeness_lists_what_is_missing(user: User) -> None:
    profile = selectors.profile_of(user)
    result = selectors.freelancer_profile_completeness(profile)
    assert result.percent == 0
    assert not result.is_complete
    services.update_profile(
        user=user,
        fields={"display_name": "T", "headline": "H", "bio": "B", "country": "BD"},
        skill_ids=[Skill.objects.first().pk],  # type: ignore[union-attr]
        languages=[("en", "fluent")],
    )
    result = selectors.freelancer_profile_completeness(selectors.profile_of(user))
    assert result.is_complete
    assert result.percent == 100


@pytest.mark.django_db
def test_update_profile_refuses_fields_outside_the_profile(user: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.update_profile(user=user, fields={"user_id": 5})
    assert "user_id" in excinfo.value.message_dict


@pytest.mark.django_db
def test_failed_update_rolls_back_earlier_parts(user: User) -> None:
    with pytest.raises(ValidationError):
        services.update_profile(user=user, fields={"display_name": "New"}, skill_ids=[424242])
    assert selectors.profile_of(user).display_name == ""


@pytest.mark.django_db
def test_tokens_are_unique_and_unguessable(user: User) -> None:
    secrets = {services.create_api_token(user=user, name=f"t{i}").secret for i in range(20)}
    assert len(secrets) == 20
    assert all(len(secret) >= 40 for secret in secrets)


def _image_upload(fmt: str, size: tuple[int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size).save(buffer, format=fmt)
    return SimpleUploadedFile(f"x.{fmt.lower()}", buffer.getvalue())


def test_image_is_reencoded_without_trailing_payload() -> None:
    upload = _image_upload("PNG", (10, 10))
    payload = upload.read() + b"<?php system($_GET['c']); ?>"
    cleaned = services.clean_portfolio_image(SimpleUploadedFile("x.png", payload))
    assert b"<?php" not in cleaned.read()


def test_image_decompression_bomb_is_refused(settings: object) -> None:
    settings.PORTFOLIO_IMAGE_MAX_PIXELS = 10_000  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="too many pixels"):
        services.clean_portfolio_image(_image_upload("PNG", (200, 200)))


def test_oversized_image_is_refused(settings: object) -> None:
    settings.PORTFOLIO_IMAGE_MAX_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="larger than"):
        services.clean_portfolio_image(_image_upload("PNG", (100, 100)))
