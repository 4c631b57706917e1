#!/usr/bin/env bash
# Install everything (Python packages, Chromium for the browser tests) and run the whole test suite:
# lint and types, then the fast tests, then the end-to-end tests in headless Chromium.
# DATABASE_URL selects the database (default SQLite; e.g. postgres://postgres@127.0.0.1:5432/test).
# shellcheck source=scripts/setup.sh
. "$(dirname "$0")/setup.sh"
setup_python "[dev]"
apt_install chromium fonts-noto-core
setup_assets
export HAAT_DATA_DIR="${HAAT_TEST_DATA_DIR:-$ROOT/var/test}"
mkdir -p "$HAAT_DATA_DIR" test-output
log "Database: ${DATABASE_URL:-SQLite}"

if [ -z "${HAAT_SKIP_LINT:-}" ]; then
  log "ruff and mypy"
  ruff check haat
  ruff format --check haat
  mypy haat
  log "bandit and pip-audit (findings reviewed in docs/security-review.md)"
  bandit -q -c pyproject.toml -r haat
  pip-audit --progress-spinner off --skip-editable
fi

log "Fast tests"
pytest -m "not e2e and not faults" -q "$@"
log "End-to-end tests (headless Chromium)"
pytest -m e2e -q -p no:randomly "$@"
log "Fault tests (real server processes killed at random points)"
pytest -m faults -q -p no:randomly "$@"
