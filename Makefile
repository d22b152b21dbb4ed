# Front door. Every target calls a plain bash script in scripts/, so the same steps work without make.

.PHONY: setup run test lint format bench bench-queries db lock clean-db

DB ?= $(or $(GOVREPORT_DB),data/reports.duckdb)

setup:            ## create .venv and install pinned dependencies (quick when nothing changed)
	bash scripts/setup.sh

run:              ## set up, build the sample database if missing, serve the dashboard on 127.0.0.1
	bash scripts/run.sh

test:             ## set up, then ruff and the whole pytest suite
	bash scripts/test.sh

lint:             ## ruff only
	bash scripts/setup.sh
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:           ## rewrite files with ruff format and apply safe ruff fixes
	bash scripts/setup.sh
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

bench:            ## parse benchmark over sample_data/
	bash scripts/setup.sh
	.venv/bin/python bench/parse.py

bench-queries:    ## every page's queries timed on synthetic databases of 10k and 100k reports (builds them: minutes)
	bash scripts/setup.sh
	.venv/bin/python bench/queries.py --dir bench/out

db:               ## rebuild the database from sample_data/ (reports, then the roster and the work plan)
	bash scripts/setup.sh
	.venv/bin/python -m loaders ingest sample_data --db $(DB)
	.venv/bin/python -m loaders roster sample_data/roster.csv --db $(DB)
	.venv/bin/python -m loaders workplan sample_data/zhoucun-district-workplan-2021.txt --db $(DB)

lock:             ## rewrite requirements.lock from what .venv holds
	bash scripts/setup.sh
	.venv/bin/python -m pip freeze --exclude-editable >requirements.lock

clean-db:         ## delete the built database
	rm -f $(DB)
