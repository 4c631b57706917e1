#!/usr/bin/env bash
# `make bench`: install what the suite needs, then run it (bench/run.py; arguments are passed on).
# Needs a PostgreSQL server (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432) for the
# PostgreSQL half; data sets are generated once under BENCH_DATA_DIR (default var/bench) and reused.
# shellcheck source=scripts/setup.sh
. "$(dirname "$0")/../scripts/setup.sh"
setup_python "[dev]"
setup_assets
exec python bench/run.py "$@"
