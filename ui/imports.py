"""The import form of the pages that take one file for the loader to store (报送情况: a roster; 工作要点: a work
plan): a file uploader, an import button, and the outcome of the last import shown after the page reruns.

The loader is the only writer: the page passes a function that imports the file's bytes through it and returns
the loader's summary, or raises ReportError naming the problems (then nothing is written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from ui import auth, textview
from ui.upload import UPLOAD_HELP

Importer = Callable[[str, bytes], str]  # (file name, content) -> summary of what was stored


def import_form(name: str, label: str, types: Sequence[str], button: str, importer: Importer, action: str) -> None:
    """The uploader (widget keys start with `name`), the import button and the last import's outcome.

    After a good import the uploader starts empty and every page reads the new database. Drawn only for a role that
    may do `action` (the loader checks it again).
    """
    if not auth.may(action):
        auth.cannot(action)
        return
    key = f"{name}_file_{st.session_state.get(f'{name}_round', 0)}"
    uploaded = st.file_uploader(label, type=list(types), key=key, help=UPLOAD_HELP)
    if st.button(button, key=f"{name}_import", type="primary", disabled=uploaded is None):
        _run_import(name, importer, uploaded.name, uploaded.getvalue())
    outcome = st.session_state.get(f"{name}_outcome")
    if outcome:
        kind, message = outcome
        # one problem per line: the escaped text keeps its line breaks
        (st.success if kind == "ok" else st.error)(textview.markdown_text(message))


def _run_import(name: str, importer: Importer, file_name: str, content: bytes) -> None:
    """Import one file and keep its outcome for the next run of the page; after a good import, rerun on fresh data."""
    from loaders.accounts import Refused
    from loaders.model import ReportError

    try:
        summary = importer(file_name, content)
    except (ReportError, Refused) as exc:
        st.session_state[f"{name}_outcome"] = ("error", str(exc))
        return
    st.session_state[f"{name}_outcome"] = ("ok", summary)
    st.session_state[f"{name}_round"] = st.session_state.get(f"{name}_round", 0) + 1  # a fresh, empty uploader
    st.cache_data.clear()
    st.rerun()
