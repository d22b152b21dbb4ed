"""Read core: read-only database access, named queries over the sql/ files, charts, scoring and the views that
turn queries into titled tables and charts; no Streamlit and no file writing."""
