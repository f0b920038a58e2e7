#!/usr/bin/env bash
# Debian packages the full test suite needs: Chromium for the browser tests, the PostgreSQL server
# for the second database run, and Pango with a font for WeasyPrint's board-summary PDFs (the app
# needs those two at run time too). Installs only what is missing; needs root (or sudo).
# `--reports` checks only what the PDF reports need (the fast loop runs their tests, not the
# browser or PostgreSQL ones): without Liberation Sans two one-page PDFs run to two pages.
set -euo pipefail
missing=()
if [ "${1:-}" != "--reports" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /usr/lib/postgresql ] || missing+=(postgresql)
fi
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
# The reports ask for Arial's metrics (report.css); Liberation Sans has them. With DejaVu Sans alone,
# which is wider, the one-page PDFs run to two. Chromium recommends it, which hid this until a
# machine without Chromium ran the suite.
fc-list 2>/dev/null | grep -qi "liberation sans" || missing+=(fonts-liberation)
# Read once into a variable: "ldconfig -p | grep -q" can fail under pipefail when grep stops early.
libraries=$(ldconfig -p 2>/dev/null || true)
grep -q 'libpango-1.0.so.0' <<<"$libraries" || missing+=(libpango-1.0-0)
grep -q 'libpangoft2-1.0.so.0' <<<"$libraries" || missing+=(libpangoft2-1.0-0)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Missing Debian packages: ${missing[*]} (run: apt-get install ${missing[*]})" >&2; exit 1
  fi
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
