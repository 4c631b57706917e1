"""Reads of the work catalogue."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from haat.jobs.models import Category, Skill


def category_tree() -> QuerySet[Category]:
    """Top-level categories with their sub-categories prefetched (two queries)."""
    return Category.objects.filter(parent__isnull=True).prefetch_related(
        Prefetch("children", queryset=Category.objects.order_by("position", "name"))
    )


def skills(*, category_slug: str | None = None, query: str | None = None) -> QuerySet[Skill]:
    """Skills, optionally within one category (a top category includes its sub-categories)."""
    result = Skill.objects.select_related("category")
    if category_slug:
        result = result.filter(category__slug=category_slug) | result.filter(
            category__parent__slug=category_slug
        )
    if query:
        result = result.filter(name__icontains=query) | result.filter(name_bn__icontains=query)
    return result.order_by("name").distinct()
