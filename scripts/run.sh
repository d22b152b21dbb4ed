#!/usr/bin/env bash
# Set up, build the sample database (reports, roster, work plan) if it is missing, then serve the dashboard on
# 127.0.0.1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

DB="${GOVREPORT_DB:-data/reports.duckdb}"
PORT="${PORT:-8501}"

if [ ! -f "$DB" ]; then
    printf '[run] 从 sample_data/ 构建数据库 / building %s from sample_data/\n' "$DB" >&2
    mkdir -p "$(dirname "$DB")"
    .venv/bin/python -m loaders ingest sample_data --db "$DB"
    .venv/bin/python -m loaders roster sample_data/roster.csv --db "$DB"
    .venv/bin/python -m loaders workplan sample_data/zhoucun-district-workplan-2021.txt --db "$DB"
fi

# No account yet (a fresh machine): create the administrator "admin" with a random password, printed once.
.venv/bin/python -m loaders user init --db "$DB"

export GOVREPORT_DB="$DB"
printf '[run] 看板地址 / dashboard at http://127.0.0.1:%s\n' "$PORT" >&2
# Headless: no browser is opened and no first-run prompt waits on stdin. The address, upload limit, error details
# and toolbar come from .streamlit/config.toml.
exec .venv/bin/streamlit run dashboard.py --server.port "$PORT" --server.headless true
