"""Entry point of `python -m exports` (briefing)."""

from exports.cli import main

raise SystemExit(main())
