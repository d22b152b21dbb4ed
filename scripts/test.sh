#!/usr/bin/env bash
# Set up, then lint (ruff check, ruff format --check) and run the whole pytest suite.
# Extra arguments go to pytest (e.g. scripts/test.sh -k parse -x).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

printf '[test] ruff check\n' >&2
.venv/bin/ruff check .
printf '[test] ruff format --check\n' >&2
.venv/bin/ruff format --check .
printf '[test] pytest\n' >&2
# pytest exits 5 when it collects no test: set -e turns that into a failure, as wanted.
.venv/bin/python -m pytest "$@"
