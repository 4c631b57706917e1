"""The browser fixtures live in haat/conftest.py; this folder's tests also reload the catalogue."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _catalogue(transactional_db: None) -> None:
    """The live server's tests flush the database afterwards, which empties the data migrations' catalogue;
    load it again (idempotent) so the profile editor always has its skills."""
    from haat.jobs import catalogue
    from haat.jobs.models import Category, Skill

    catalogue.load(Category, Skill)
