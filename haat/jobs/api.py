"""API for the work catalogue: categories and skills."""

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StringConstraints

from haat.jobs import selectors
from haat.jobs.models import Category, Skill

router = Router(tags=["catalogue"])


def _mount_job_routers() -> None:
    from haat.jobs import job_api, search_api

    router.add_router("/", job_api.router)
    router.add_router("/", search_api.router)


class SubCategoryOut(Schema):
    id: int
    slug: str
    name: str
    name_bn: str


class CategoryOut(SubCategoryOut):
    children: list[SubCategoryOut]


class SkillOut(Schema):
    id: int
    slug: str
    name: str
    name_bn: str
    category: str | None = Field(description="Slug of the skill's sub-category.")

    @staticmethod
    def resolve_category(obj: Skill) -> str | None:
        return obj.category.slug if obj.category else None


class SkillFilter(Schema):
    category: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        None, description="Category or sub-category slug."
    )
    q: Annotated[str, StringConstraints(max_length=100)] | None = Field(None, description="Part of a name.")


def _category(category: Category) -> dict[str, object]:
    return {"id": category.pk, "slug": category.slug, "name": category.name, "name_bn": category.name_bn}


@router.get("/categories", response=list[CategoryOut], auth=None, summary="Categories and sub-categories")
def list_categories(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {**_category(top), "children": [_category(child) for child in top.children.all()]}
        for top in selectors.category_tree()
    ]


@router.get("/skills", response=list[SkillOut], auth=None, summary="Skills in the catalogue")
@paginate(LimitOffsetPagination)
def list_skills(request: HttpRequest, filters: Query[SkillFilter]) -> QuerySet[Skill]:
    return selectors.skills(category_slug=filters.category, query=filters.q)


_mount_job_routers()
