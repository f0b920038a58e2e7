#!/usr/bin/env bash
# The main job on the embedded defaults (SQLite, local model): assess the example partnerships,
# then serve the web workspace with demo data at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/commonground demo
exec .venv/bin/commonground serve --demo --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
