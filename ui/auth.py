"""Sign-in and roles in the dashboard: the sign-in page (local accounts, and single sign-on when the site
configures OIDC), the pages each role may open, the unit a 单位填报人 is limited to, and the account every write
records.

The account lives in the server-side session only (a browser cannot set it) and is read again from the account
store on every run, so a disabled account or a changed role takes effect at the next click. Hiding a page or a
form is never the only guard: the writers in loaders/ check the role and the unit again.

Queries: unit_names.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import streamlit as st

from analytics.state import Selection
from config import db_path
from loaders import accounts
from loaders.accounts import ADMIN, EVALUATOR, FILER, REVIEWER, VIEWER, Account

# the named queries this module runs
QUERIES = ("unit_names",)

SESSION_KEY = "signed_in_account"  # the account name, set only by a successful sign-in on the server

# The pages each role may open, by file (the rest are registered hidden and say they are refused).
_STATISTICS = (
    "app_pages/overview.py", "app_pages/trends.py", "app_pages/outcomes.py", "app_pages/review.py",
    "app_pages/report.py", "app_pages/proactive.py", "app_pages/proposals.py", "app_pages/compare.py",
    "app_pages/coverage.py", "app_pages/workplan.py",
)  # fmt: skip
_EVALUATION = ("app_pages/findings.py", "app_pages/briefing.py", "app_pages/similarity.py", "app_pages/scoring.py")
ROLE_PAGES: dict[str, tuple[str, ...] | None] = {
    ADMIN: None,  # every page
    REVIEWER: _STATISTICS + _EVALUATION,
    EVALUATOR: _STATISTICS + _EVALUATION,
    VIEWER: _STATISTICS,
    FILER: ("app_pages/report.py", "app_pages/findings.py", "app_pages/upload.py"),
}
ADMIN_ONLY = ("app_pages/accounts.py",)

Entry = tuple[str, str, str, str, bool]  # a PAGES row of dashboard.py: file, title, url path, menu section, filters


# --- who is signed in ------------------------------------------------------------------------------


def current() -> Account | None:
    """The signed-in account of this session (read again from the store), or None."""
    db = db_path()
    if _oidc_signed_in():
        return accounts.account(db, _oidc_name())
    return accounts.account(db, st.session_state.get(SESSION_KEY) or "")


def require_sign_in(entries: Sequence[Entry]) -> Account:
    """The signed-in account; an anonymous visitor gets the sign-in page and nothing else, at whatever page address
    was opened (every address shows the sign-in form, so after signing in the same page and query open)."""
    found = current()
    if found is not None:
        return found
    # The site's root is a page of its own, so that signing in there opens the role's first page; any other address
    # shows the form under that page's address, which opens once signed in.
    root = st.Page(sign_in_page, title="登录", url_path="sign-in", default=True)
    st.navigation([root, *(st.Page(sign_in_page, title=e[1], url_path=e[2]) for e in entries)], position="hidden").run()
    st.stop()
    raise AssertionError("unreachable")  # st.stop ends the run


def sign_in_page() -> None:
    """The sign-in form, single sign-on when configured, and what to do without an account."""
    st.title("政务公开年报分析看板")
    st.subheader("登录")
    if _oidc_signed_in():  # signed in at the identity provider, but no account here
        st.error(f"单点登录账户“{_oidc_name()}”未在本系统登记或已停用，请联系管理员。")
        st.button("退出单点登录", on_click=st.logout, key="auth_oidc_logout")
        return
    message = st.session_state.pop("auth_error", None)
    if message:
        st.error(message)
    with st.form("auth_form"):
        st.text_input("账户名", key="auth_name", max_chars=accounts.MAX_NAME)
        st.text_input("密码", key="auth_password", type="password")
        st.form_submit_button("登录", type="primary", on_click=_submit, key="auth_submit")
    if oidc_configured():
        st.button("使用单点登录", on_click=st.login, key="auth_oidc", icon=":material/login:")
    if not accounts.count(db_path()):
        st.info(
            "尚无账户。请在服务器上运行 `python -m loaders user init` 创建首个管理员（密码只显示一次）。"
            " / No accounts yet: run `python -m loaders user init` on the server."
        )


def _submit() -> None:
    """Form callback: check the name and password; keep the account in the session, or the reason why not."""
    name = st.session_state.get("auth_name") or ""
    password = st.session_state.pop("auth_password", "") or ""
    try:
        found = accounts.sign_in(db_path(), name, password)
    except accounts.Refused as exc:
        st.session_state["auth_error"] = exc.zh
        return
    st.session_state[SESSION_KEY] = found.name


def sign_out() -> None:
    """Forget the signed-in account (and the single sign-on session)."""
    st.session_state.pop(SESSION_KEY, None)
    if _oidc_signed_in():
        st.logout()


def sidebar_account(found: Account) -> None:
    """Who is signed in, with the role, and the sign-out button, at the foot of the sidebar."""
    units = f"（{'、'.join(found.units)}）" if found.units else ""
    st.sidebar.caption(f"已登录：{found.name} · {found.role}{units}")
    st.sidebar.button("退出登录", key="auth_sign_out", on_click=sign_out, icon=":material/logout:")


def oidc_configured() -> bool:
    """Whether the site configured single sign-on ([auth] in .streamlit/secrets.toml)."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def _oidc_signed_in() -> bool:
    """Whether the visitor signed in through the identity provider."""
    return oidc_configured() and bool(getattr(st.user, "is_logged_in", False))


def _oidc_name() -> str:
    """The local account a single sign-on user maps to: the e-mail address the provider gives, else the name."""
    return str(st.user.get("email") or st.user.get("preferred_username") or st.user.get("name") or "")


# --- pages ---------------------------------------------------------------------------------------------


def may_open(found: Account, file: str) -> bool:
    """Whether the account's role may open a page file."""
    if file in ADMIN_ONLY:
        return found.role == ADMIN
    allowed = ROLE_PAGES.get(found.role, ())
    return allowed is None or file in allowed


def menu(found: Account, entries: Sequence[Entry]) -> dict[str, list[st.Page]]:
    """The menu for the account, by section in PAGES order: the pages its role may open (the first is the default)
    and, hidden, the others, which only say that the role may not open them."""
    sections: dict[str, list[st.Page]] = {}
    allowed = [e for e in entries if may_open(found, e[0])]
    for i, (file, title, url, section, _) in enumerate(allowed):
        sections.setdefault(section, []).append(st.Page(file, title=title, url_path=url, default=i == 0))
    for file, title, url, section, _ in entries:
        if not may_open(found, file):
            refused = st.Page(_refusal(title, found.role), title=title, url_path=url, visibility="hidden")
            sections.setdefault(section, []).append(refused)
    return sections


def page_filters(found: Account, entries: Sequence[Entry]) -> dict[str, bool]:
    """Whether the frame draws the shared filters, by page title: as PAGES says, never on a refused page."""
    return {title: filters and may_open(found, file) for file, title, _, _, filters in entries}


def _refusal(title: str, role: str):
    """A page body saying the role may not open the page `title`."""

    def refused() -> None:
        st.error(f"无权访问：角色“{role}”不能打开“{title}”页面。如需访问，请联系管理员。")

    refused.__name__ = f"refused_{abs(hash(title))}"  # Streamlit names a page by its function
    return refused


# --- what the account may do and see ----------------------------------------------------------------


def account() -> Account:
    """The signed-in account for a write; refused (in Chinese) when the session has none."""
    found = current()
    if found is None:
        raise accounts.Refused("未登录或登录已失效，请重新登录", "not signed in")
    return found


def may(action: str) -> bool:
    """Whether the signed-in account's role may do `action` (the writer checks it again)."""
    found = current()
    return found is not None and found.may(action)


def cannot(action: str) -> None:
    """Say, in place of a form, that the role may not do `action`."""
    found = current()
    what = accounts.ACTIONS[action][1]
    st.caption(f"当前角色“{found.role if found else '未登录'}”不能{what}。")


def limited_units() -> tuple[str, ...]:
    """The units whose reports the signed-in account may see: its unit for a 单位填报人, else () for all."""
    found = current()
    return found.units if found is not None and found.role == FILER else ()


def visible_names() -> set[str] | None:
    """Every agency name a limited account may see (its units and their earlier names); None: all."""
    from ui import data

    units = limited_units()
    if not units:
        return None
    return set(data.fetch("unit_names", units=list(units))["name"].to_list())


def limit_options(options: pl.DataFrame) -> pl.DataFrame:
    """The sidebar's agencies, only the account's own for a 单位填报人."""
    names = visible_names()
    return options if names is None else options.filter(pl.col("agency").is_in(sorted(names)))


def limit_selection(chosen: Selection) -> Selection:
    """The selection a page reads: for a 单位填报人, always within its own unit."""
    names = visible_names()
    if names is None:
        return chosen
    agencies = tuple(a for a in chosen.agencies if a in names) or tuple(sorted(names))
    return Selection(chosen.regions, chosen.levels, chosen.types, agencies, chosen.year_from, chosen.year_to)


def require_visible(agency: str | None) -> None:
    """Stop the page, saying why, when the account may not see this agency's report or finding."""
    names = visible_names()
    if names is not None and agency not in names:
        st.error("无权查看：该报告或问题不属于本单位。 / Not allowed: this belongs to another unit.")
        st.stop()
