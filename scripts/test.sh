#!/usr/bin/env bash
# Set up (with test tools and Chromium) and run the whole test suite.
# The database is the embedded SQLite unless DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export LANBAI_DATA_DIR=${LANBAI_DATA_DIR:-$(mktemp -d)}
echo "test: database ${DATABASE_URL:-sqlite (embedded)}"
.venv/bin/ruff check .
.venv/bin/lint-imports
# the django-stubs plugin imports the settings (hence LANBAI_DATA_DIR above)
.venv/bin/mypy
exec .venv/bin/pytest "$@"
