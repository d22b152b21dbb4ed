#!/usr/bin/env bash
# Set up, then lint (ruff check, ruff format --check) and run the whole pytest suite.
# Extra arguments go to both pytest runs (e.g. scripts/test.sh -k parse -x).
# With TEST_REPORT_DIR set, each run also writes its JUnit report there (e2e.xml, rest.xml).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --with-ray  # the batch tests run the Ray runner too

printf '[test] ruff check\n' >&2
.venv/bin/ruff check .
printf '[test] ruff format --check\n' >&2
.venv/bin/ruff format --check .

e2e_report=() rest_report=()
if [[ -n "${TEST_REPORT_DIR:-}" ]]; then
    e2e_report=(--junitxml="$TEST_REPORT_DIR/e2e.xml")
    rest_report=(--junitxml="$TEST_REPORT_DIR/rest.xml")
fi

# pytest exits 5 when it collects no test: set -e turns that into a failure, as wanted.
# The browser tests run first, on their own: each worker starts its own dashboards and Chromium, which must not be
# starved by the other tests. Two workers at most: one browser test leaves much of a second core idle (it waits on
# the page), two fill both cores of a two-core machine, and more would only make each page wait longer.
# The rest run in parallel on every core (pytest-xdist); each worker builds its own session fixtures.
printf '[test] pytest: browser tests (tests/e2e), two at a time\n' >&2
.venv/bin/python -m pytest tests/e2e -n auto --maxprocesses 2 --dist load "${e2e_report[@]}" "$@"
printf '[test] pytest: every other test, one worker per core\n' >&2
.venv/bin/python -m pytest -n auto --dist worksteal --ignore=tests/e2e "${rest_report[@]}" "$@"
