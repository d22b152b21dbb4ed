#!/usr/bin/env bash
# Set up, then lint (ruff check, ruff format --check) and run the whole pytest suite.
# Extra arguments go to pytest (e.g. scripts/test.sh -k parse -x).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --with-ray  # the batch tests run the Ray runner too

printf '[test] ruff check\n' >&2
.venv/bin/ruff check .
printf '[test] ruff format --check\n' >&2
.venv/bin/ruff format --check .
# pytest exits 5 when it collects no test: set -e turns that into a failure, as wanted.
# The browser tests run first and alone: a page waits for its server and browser, which must not be starved.
# The rest run in parallel on every core (pytest-xdist); each worker builds its own session fixtures.
# --dist worksteal gives each worker one contiguous half of the tests (so a module's fixtures are mostly built on one
# worker only) and lets an idle worker take over the tail of the other's queue (no worker idles while one finishes).
printf '[test] pytest: browser tests (tests/e2e)\n' >&2
.venv/bin/python -m pytest tests/e2e "$@"
printf '[test] pytest: every other test, one worker per core\n' >&2
.venv/bin/python -m pytest -n auto --dist worksteal --ignore=tests/e2e "$@"
