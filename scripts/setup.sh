# Shared set-up for scripts/run.sh and scripts/test.sh: sourced, not run.
# Installs what Haat needs on a fresh machine (Python 3.11+ and the OS package manager are assumed),
# and skips every step that is already done so repeated runs start fast.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Haat needs Python 3.11 or newer")'

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=""
apt_install() {
  # Install Debian/Ubuntu packages that are missing; no-op when all are present.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || { echo "Please install: ${missing[*]}" >&2; return 1; }
  log "Installing OS packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_python() {
  # $1: pip extras ("" or "[dev]")
  local extras="${1:-}"
  if [ ! -x .venv/bin/python ]; then
    log "Creating the virtual environment in .venv"
    "$PYTHON" -m venv .venv || { apt_install python3-venv && "$PYTHON" -m venv .venv; }
  fi
  # shellcheck disable=SC1091
  . .venv/bin/activate
  local stamp=".venv/.haat-installed${extras}"
  local want
  want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "Installing Python packages (pinned in pyproject.toml)"
    python -m pip install -q --disable-pip-version-check --upgrade pip
    python -m pip install -q --disable-pip-version-check -e ".${extras}"
    echo "$want" > "$stamp"
  fi
}

setup_assets() {
  # htmx and the Bengali font come from npm (package-lock.json); Haat serves them itself.
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  local want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f node_modules/.haat-installed ] || [ "$(cat node_modules/.haat-installed)" != "$want" ]; then
    log "Installing front-end assets (npm ci)"
    npm ci --no-audit --no-fund --silent
    echo "$want" > node_modules/.haat-installed
  fi
  haat compiletranslations
}
