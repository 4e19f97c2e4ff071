#!/usr/bin/env bash
# SPA Desk set-up and everyday commands. Each one installs what is missing first:
#   ./dev.sh run     open the desk on the embedded SQLite database filled with demo data
#   ./dev.sh test    lint, type-check, layer contracts, and the tests on SQLite and PostgreSQL
#   ./dev.sh bench   the benchmarks under bench/
#   ./dev.sh setup   only install (system packages, virtual environment, the project)
#   ./dev.sh lock    re-pin requirements.lock from pyproject.toml (needs network to PyPI)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv
PY=${PYTHON:-python3}
SYSTEM_PACKAGES=(
  python3 python3-venv
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libpulse0 fonts-dejavu-core
  xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0
  postgresql poppler-utils
  espeak-ng sox baresip-core
)

say() { printf '==> %s\n' "$*" >&2; }

install_system_packages() {
  local missing=() pkg
  command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian system: install the Qt, Xvfb and PostgreSQL packages by hand"; return 0; }
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != "0" ]; then
    say "These system packages are missing. Run this as root, then run this command again:"
    echo "apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_environment() {
  local stamp="$VENV/.spa-desk-installed"
  if [ -f "$stamp" ] && [ "$stamp" -nt requirements.lock ] && [ "$stamp" -nt pyproject.toml ]; then
    return 0
  fi
  "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    say "SPA Desk needs Python 3.11 or newer; $PY is $("$PY" --version 2>&1)"; exit 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment in $VENV"
    "$PY" -m venv "$VENV"
  fi
  say "installing the pinned dependencies (requirements.lock)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
  say "installing SPA Desk itself (editable)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
  touch "$stamp"
}

setup() {
  install_system_packages
  install_python_environment
}

run_desk() {
  setup
  "$VENV/bin/spa-desk" db upgrade
  "$VENV/bin/spa-desk" demo-data --months 3 --if-empty
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    say "opening the desk (log in as 'handler', password 'demo')"
    exec "$VENV/bin/spa-desk" "$@"
  fi
  mkdir -p artifacts
  local shot="$PWD/artifacts/desk-main-window.png"
  say "There is no display (DISPLAY is not set), so the desk opens on a virtual screen (Xvfb),"
  say "logs in as the demo call handler and saves a screenshot of its main window."
  xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb \
    "$VENV/bin/spa-desk" --screenshot "$shot" "$@"
  say "Screenshot: $shot"
}

run_tests() {
  setup
  local bin="$VENV/bin"
  say "ruff (lint and format)"
  "$bin/ruff" check .
  "$bin/ruff" format --check .
  say "mypy --strict"
  "$bin/mypy"
  say "import-linter layer contracts"
  "$bin/lint-imports"
  say "pytest on SQLite and on a real PostgreSQL server"
  local status=0
  SPA_DESK_REQUIRE_POSTGRES=1 QT_QPA_PLATFORM=offscreen \
    scripts/with-postgres.sh "$bin/pytest" "$@" || status=$?
  if [ "$status" = "5" ]; then
    say "FAILED: pytest collected no tests"
  elif [ "$status" != "0" ]; then
    say "FAILED: pytest exited with status $status"
  fi
  return "$status"
}

case "${1:-}" in
  run) shift; run_desk "$@" ;;
  test) shift; run_tests "$@" ;;
  bench) shift; setup; exec scripts/with-postgres.sh "$VENV/bin/python" -m bench "$@" ;;
  setup) setup ;;
  lock)
    setup
    "$VENV/bin/python" -m pip install -q uv
    "$VENV/bin/uv" pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock
    ;;
  *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
