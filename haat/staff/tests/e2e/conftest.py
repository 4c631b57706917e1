"""Browser fixtures come from haat/conftest.py; the catalogue is reloaded as in haat/web/tests/e2e."""

from haat.web.tests.e2e.conftest import _catalogue  # noqa: F401  (an autouse fixture, found by name)
