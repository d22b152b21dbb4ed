"""End-to-end tests: the real dashboard under `streamlit run`, driven by the system Chromium through Playwright."""
