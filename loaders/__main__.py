"""Entry point of `python -m loaders` (ingest, parse --json, check)."""

from loaders.cli import main

raise SystemExit(main())
