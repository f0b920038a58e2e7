#!/usr/bin/env bash
# The whole test suite: lint and types, every test on SQLite (browser tests included), then the
# database tests again on a throwaway PostgreSQL server. `--fast` stops after the SQLite run and
# leaves out the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

fast=0
[ "${1:-}" = "--fast" ] && fast=1

if [ $fast -eq 0 ]; then
  scripts/system-packages.sh
else
  scripts/system-packages.sh --reports
fi

echo "== ruff"
.venv/bin/ruff check src tests bench scripts
.venv/bin/ruff format --check src tests bench scripts
echo "== mypy"
.venv/bin/mypy
echo "== SBOM (CycloneDX, from the installed environment, offline): build/sbom.cdx.json"
mkdir -p build
.venv/bin/cyclonedx-py environment --pyproject pyproject.toml --output-reproducible -o build/sbom.cdx.json .venv

workers=${TEST_WORKERS:-2}
if [ $fast -eq 1 ]; then
  echo "== pytest (fast: SQLite, no browser)"
  exec .venv/bin/pytest -q -n "$workers" -m "not browser"
fi

echo "== pytest on SQLite (all tests)"
.venv/bin/pytest -q -n "$workers"

echo "== pytest on PostgreSQL (database tests)"
pgdir=$(mktemp -d /tmp/commonground-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
url=$(scripts/postgres.sh start "$pgdir")
DATABASE_URL=$url .venv/bin/pytest -q -n "$workers" -m "not browser" tests/web
