#!/usr/bin/env bash
# make screenshots: the home, conditions index, a condition page (FBSS) and contact
# pages, and the Spanish home, FBSS and contact pages, at 390x844 and 1280x900, light and dark, into screenshots/ (git-ignored).
# Serves the site like the bench scripts, on its own scratch database.
export SCRATCH_DB=${SCRATCH_DB:-spinesite_screenshots}
export BENCH_PORT=${BENCH_PORT:-8010}
source "$(dirname "$0")/../bench/site.sh"
DEBUG=true .venv/bin/python scripts/screenshots.py "$BASE_URL" screenshots
