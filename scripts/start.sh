#!/usr/bin/env bash
# Quick start: set up, load the plan and the demo data into the embedded SQLite database, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export LANBAI_DATA_DIR=${LANBAI_DATA_DIR:-$PWD/var}
mkdir -p "$LANBAI_DATA_DIR"
.venv/bin/lanbai init
.venv/bin/lanbai demo
exec .venv/bin/lanbai serve --port "${PORT:-8000}"
