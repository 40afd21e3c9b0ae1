#!/usr/bin/env bash
# Set up everything lanbai needs on a fresh Debian machine: system packages, a virtualenv, the package.
# Idempotent: a second run only checks.  Usage: bash scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."
WANT_TEST=0
[ "${1:-}" = "--test" ] && WANT_TEST=1

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "lanbai needs Python >= 3.11 (found $("$PY" --version 2>&1))" >&2; exit 1
fi

# System packages: fonts and libraries for PDF (WeasyPrint), poppler for checking PDFs,
# Chromium for the browser tests, Java for the Spark test.  Only installed where missing and where we may (root + apt).
need_pkgs=()
wanted=(poppler-utils gettext fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
[ "$WANT_TEST" = 1 ] && wanted+=(chromium)
# Java for the Spark parity test (PySpark local mode); any java already on PATH will do.
[ "$WANT_TEST" = 1 ] && ! command -v java >/dev/null 2>&1 && wanted+=(openjdk-17-jre-headless)
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$p")
  done
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "setup: warning: missing system packages (${need_pkgs[*]}); install them for PDF and browser features" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
extras=""
[ "$WANT_TEST" = 1 ] && extras="[test]"
stamp=".venv/.lanbai-installed"
[ "$WANT_TEST" = 1 ] && stamp="$stamp-test"
hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "setup: installing lanbai${extras} into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${extras}"
  echo "$hash" > "$stamp"
fi
echo "setup: ok ($(.venv/bin/python --version))"
