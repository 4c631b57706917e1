#!/usr/bin/env bash
# Install everything, prepare the database (with demo data when it is empty), start the background worker
# and the web server, and print the address to open. Ctrl-C stops both.
# shellcheck source=scripts/setup.sh
. "$(dirname "$0")/setup.sh"
setup_python ""
setup_assets
export HAAT_BIND="${HAAT_BIND:-127.0.0.1:8000}"
log "Preparing the database"
haat collectstatic --noinput -v0
haat migrate --noinput -v0
haat createcachetable
haat demo --if-empty

haat worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  Haat is running:  http://${HAAT_BIND}/
  Demo log-ins (password: haat-demo-2026): buyer1@demo.haat.localhost, freelancer1@demo.haat.localhost,
  and staff admin@demo.haat.localhost. E-mails (e.g. sign-up verification) are printed below.
  Press Ctrl-C to stop.

MSG
haat serve
