"""The browser fixtures live in haat/conftest.py; these tests also reload the catalogue."""

from haat.web.tests.e2e.conftest import _catalogue  # noqa: F401  (an autouse fixture, found by name)
