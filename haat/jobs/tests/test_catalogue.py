"""The catalogue loaded by the data migration, and its API."""

from __future__ import annotations

import pytest
from django.test import Client

from haat.jobs import catalogue
from haat.jobs.models import Category, Skill

pytestmark = pytest.mark.django_db


def test_migration_loaded_the_seed_categories() -> None:
    top = set(Category.objects.filter(parent__isnull=True).values_list("slug", flat=True))
    assert top == {"it", "bpo", "software-rnd", "creative", "writing", "professional"}
    web_design = Category.objects.get(slug="web-design")
    assert web_design.parent is not None and web_design.parent.slug == "it"
    assert web_design.name_bn == "ওয়েব ডিজাইন"
    assert Skill.objects.filter(slug="data-entry", category__slug="data-entry").exists()
    assert Category.objects.exclude(name_bn="").count() == Category.objects.count()


def test_loading_again_changes_nothing() -> None:
    before = (Category.objects.count(), Skill.objects.count())
    catalogue.load(Category, Skill)
    assert (Category.objects.count(), Skill.objects.count()) == before


def test_categories_api(client: Client) -> None:
    body = client.get("/api/v1/categories").json()
    it = next(c for c in body if c["slug"] == "it")
    assert {c["slug"] for c in it["children"]} == {"software-development", "web-design", "seo"}


def test_skills_api_filters_and_paginates(client: Client) -> None:
    body = client.get("/api/v1/skills", {"category": "it", "limit": 3}).json()
    assert body["count"] == Skill.objects.filter(category__parent__slug="it").count()
    assert len(body["items"]) == 3
    found = client.get("/api/v1/skills", {"q": "ফটোশপ"}).json()
    assert [s["slug"] for s in found["items"]] == ["photoshop"]
    assert found["items"][0]["category"] == "graphic-design"


def test_skills_api_rejects_bad_paging(client: Client) -> None:
    response = client.get("/api/v1/skills", {"limit": "many"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    response = client.get("/api/v1/skills", {"q": "x" * 101})
    assert response.status_code == 422


def test_localized_name_follows_language() -> None:
    from django.utils import translation

    category = Category.objects.get(slug="writing")
    with translation.override("bn"):
        assert category.localized_name == "লেখালেখি"
    with translation.override("en"):
        assert category.localized_name == "Writing"
