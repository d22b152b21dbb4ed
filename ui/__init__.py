"""Streamlit helpers the pages share (widgets, tables, downloads, forms); with the pages, the only callers of the
writers (the loader's write functions and exports)."""
