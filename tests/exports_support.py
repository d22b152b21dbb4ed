"""The briefing the export tests open: made once per test session from the sample database (rendering its charts
takes seconds), for a selection of two real agencies over the years 2019–2021."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from analytics import queries
from analytics.db import connect
from analytics.state import Selection
from exports.briefing import Briefing, build, data_label
from exports.files import make_files
from tests import dbutil

AGENCIES = ("张店区人民政府", "平潭综合实验区管委会")
SELECTION = Selection(agencies=AGENCIES, year_from=2019, year_to=2021)


@dataclass
class Made:
    """A briefing and its three files, with the database they came from."""

    db: Path
    briefing: Briefing
    files: dict[str, bytes]

    def query(self, name: str, **params) -> pl.DataFrame:
        """A named query on the same database (what the numbers must equal)."""
        return dbutil.query(self.db, name, **params)


def briefing_for(db: Path, selection: Selection = SELECTION) -> Briefing:
    """The briefing of a selection, built from the database as the command line builds it."""
    con: duckdb.DuckDBPyConnection = connect(db)
    try:
        fetch = functools.partial(queries.run, con)
        return build(fetch, selection, data_label(db))
    finally:
        con.close()


@functools.cache
def made(db: Path) -> Made:
    """The test selection's briefing and files (cached: every export test reads the same files)."""
    brief = briefing_for(db)
    return Made(db, brief, make_files(brief))
