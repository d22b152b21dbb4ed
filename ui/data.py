"""The pages' cached named queries: each query run once per database file version and parameter set."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import streamlit as st

from analytics import live


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, db_version: tuple[str, int, int], params_json: str) -> pl.DataFrame:
    """Run a named query once per database version and parameter set."""
    del db_version  # part of the cache key: a swapped-in database gives fresh results
    return live.run(name, **json.loads(params_json))


def fetch(name: str, **params: Any) -> pl.DataFrame:
    """The result of sql/**/<name>.sql with its parameters bound, cached until the database changes."""
    return _cached(name, live.version(), json.dumps(params, ensure_ascii=False, sort_keys=True, default=str))
