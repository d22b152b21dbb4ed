"""账户与审计 (管理员 only): the accounts (add, new password, role, disable), the audit log of every write, and
the history of the roster, the work plans and the rubrics with a way to restore an earlier state.

Queries: audit_entries.
"""

from __future__ import annotations

import json

import polars as pl
import streamlit as st

from config import db_path
from loaders import accounts, history, rubrics
from ui import auth, url_state
from ui import widgets as ui

# the named queries this page runs
QUERIES = ("audit_entries",)

STATE = {0: "正常", 1: "已停用"}
_FLASH = "accounts_flash"  # session key of the outcome of the last change, shown once after the rerun
ACTION_LABELS = {
    "finding.note": "情况说明", "finding.status": "问题状态", "figure.correct": "更正数值", "figure.undo": "撤销更正",
    "report.ingest": "导入年报", "report.identify": "识别报告", "report.rename": "更正报告单位",
    "finding.move": "问题记录随报告转入",
    "roster.import": "导入名册", "roster.restore": "恢复名册",
    "workplan.import": "导入工作要点", "workplan.restore": "恢复工作要点",
    "rubric.import": "导入评分细则", "rubric.restore": "恢复评分细则", "account.add": "新建账户",
    "account.passwd": "重设密码", "account.disable": "停用账户", "account.enable": "启用账户",
    "account.role": "更改角色", "account.locked": "密码错误锁定",
}  # fmt: skip


def flash(kind: str, text: str, where: str) -> None:
    """Remember the outcome of a change, to show at `where` after the rerun."""
    st.session_state[_FLASH] = (where, kind, text)


def show_flash(where: str) -> None:
    """Show (once) the outcome of the last change made from `where`."""
    held = st.session_state.get(_FLASH)
    if held and held[0] == where:
        del st.session_state[_FLASH]
        (st.success if held[1] == "success" else st.error)(held[2])


def _units(text: str) -> tuple[str, ...]:
    """Units typed in one field, separated by 、 , ， ; or new lines."""
    return tuple(
        u.strip() for u in text.replace("，", ",").replace("、", ",").replace(";", ",").split(",") if u.strip()
    )


def account_list() -> None:
    """Every account with its role, units and state."""
    rows = accounts.users(db_path())
    frame = pl.DataFrame(
        {
            "账户": [r["name"] for r in rows],
            "角色": [r["role"] for r in rows],
            "单位": ["、".join(r["units"]) for r in rows],
            "状态": [
                ("已锁定至" + r["locked_until"][11:16]) if r["locked_until"] else STATE[r["disabled"]] for r in rows
            ],
            "创建时间": [r["created_at"] for r in rows],
        },
        schema={"账户": pl.String, "角色": pl.String, "单位": pl.String, "状态": pl.String, "创建时间": pl.String},
    )
    ui.table(frame, key="accounts_table")


def add_form() -> None:
    """A new account; the password is generated and shown once."""
    with st.form("account_add"):
        st.text_input("账户名", key="account_add_name", max_chars=accounts.MAX_NAME)
        st.selectbox("角色", accounts.ROLES, key="account_add_role", format_func=_role_label)
        st.text_input("单位（单位填报人填一个；核查人可填多个，留空为全部单位）", key="account_add_units")
        st.form_submit_button("新建账户", type="primary", key="account_add_save", on_click=_add)


def _role_label(role: str) -> str:
    return f"{role}：{accounts.ROLE_NOTES[role]}"


def _add() -> None:
    """Form callback: create the account with a random password, shown once."""
    name = (st.session_state.get("account_add_name") or "").strip()
    password = accounts.new_password()
    units = _units(st.session_state.get("account_add_units") or "")
    try:
        accounts.add_user(db_path(), name, st.session_state["account_add_role"], units, password, by=auth.account())
    except accounts.Refused as exc:
        flash("error", exc.zh, "accounts")
        return
    flash("success", f"已创建账户 {name}。初始密码（只显示这一次）：{password}", "accounts")


def change_form(names: list[str]) -> None:
    """New password, role and units, disable or enable, for one account."""
    if not names:
        return
    url_state.selectbox(st, "账户", names, names[0], key="account_pick", url="account")
    left, middle, right = st.columns(3)
    left.button("生成新密码（解除锁定）", key="account_passwd", on_click=_passwd)
    middle.button("停用", key="account_disable", on_click=_disable, args=(True,))
    middle.button("启用", key="account_enable", on_click=_disable, args=(False,))
    with right.form("account_role"):
        st.selectbox("新角色", accounts.ROLES, key="account_role_pick")
        st.text_input("单位", key="account_role_units")
        st.form_submit_button("更改角色", key="account_role_save", on_click=_role)


def _guarded(write, done: str) -> None:
    """Run one change to an account; the outcome is shown after the rerun."""
    try:
        write()
    except accounts.Refused as exc:
        flash("error", exc.zh, "accounts")
        return
    flash("success", done, "accounts")


def _passwd() -> None:
    name, password = st.session_state["account_pick"], accounts.new_password()
    _guarded(
        lambda: accounts.set_password(db_path(), name, password, by=auth.account()),
        f"账户 {name} 的新密码（只显示这一次）：{password}",
    )


def _disable(disabled: bool) -> None:
    name = st.session_state["account_pick"]
    _guarded(
        lambda: accounts.set_disabled(db_path(), name, disabled, by=auth.account()),
        f"已{'停用' if disabled else '启用'}账户 {name}。",
    )


def _role() -> None:
    name, role = st.session_state["account_pick"], st.session_state["account_role_pick"]
    units = _units(st.session_state.get("account_role_units") or "")
    _guarded(lambda: accounts.set_role(db_path(), name, role, units, by=auth.account()), f"已将 {name} 改为{role}。")


def audit_log() -> None:
    """Every write to the database and to the accounts, newest first, with who, when, what, before and after."""
    from ui import data

    writes = data.fetch("audit_entries", actions=None).select(
        pl.col("written_at").dt.strftime("%Y-%m-%d %H:%M:%S").alias("at"),
        "account",
        "role",
        "action",
        "target",
        "before",
        "after",
    )
    changes = pl.DataFrame(accounts.events(db_path()), schema=_EVENT_SCHEMA, orient="row").select(
        pl.col("at"), "account", pl.lit("").alias("role"), "action", "target", "before", "after"
    )
    shown = pl.concat([writes, changes]).sort("at", descending=True)
    actions = url_state.multiselect(
        st, "操作", sorted(ACTION_LABELS), [], key="audit_actions", url="action", format_func=ACTION_LABELS.get
    )
    if actions:
        shown = shown.filter(pl.col("action").is_in(actions))
    shown = shown.with_columns(pl.col("action").replace(ACTION_LABELS)).rename(
        {
            "at": "时间",
            "account": "账户",
            "role": "角色",
            "action": "操作",
            "target": "对象",
            "before": "之前",
            "after": "之后",
        }
    )
    st.caption(f"共 {shown.height} 条。审计日志只增不改；数据写入与其记录在同一事务中完成。")
    ui.table(shown, key="audit_table")


_EVENT_SCHEMA = {
    "event_id": pl.Int64, "at": pl.String, "account": pl.String, "action": pl.String, "target": pl.String,
    "before": pl.String, "after": pl.String,
}  # fmt: skip


def restore_section() -> None:
    """The imports and restores of the roster, the work plans and the rubrics; any of their states can be put back."""
    from ui import data

    rows = data.fetch("audit_entries", actions=[*history.ROSTER_ACTIONS, *history.WORKPLAN_ACTIONS, *rubrics.ACTIONS])
    if rows.is_empty():
        st.caption("尚无名册、工作要点或评分细则的导入记录。")
        return
    labels = {r["audit_id"]: _version_label(r) for r in rows.iter_rows(named=True)}
    ids = list(labels)
    url_state.selectbox(st, "版本", ids, ids[0], key="restore_pick", url="version", format_func=labels.get)
    left, right = st.columns(2)
    left.button("恢复为该次写入之后的状态", key="restore_after", on_click=_restore, args=("after",))
    right.button("恢复为该次写入之前的状态", key="restore_before", on_click=_restore, args=("before",))


def _version_label(row: dict) -> str:
    """#id time account action target (units or tasks after)."""
    after = json.loads(row["after"]) if row["after"] else {}
    if row["action"] in rubrics.ACTIONS:
        size = f"文件 {after['file_name']}" if after else "已移除"
    elif "roster_units" in after:
        size = f"{len(after.get('roster_units', []))}个单位"
    else:
        size = f"{len(after.get('tasks', []))}项任务"
    what = f"{ACTION_LABELS[row['action']]} {row['target']}"
    return f"#{row['audit_id']} {row['written_at']:%Y-%m-%d %H:%M} {row['account']} {what}（{size}）"


def _restore(side: str) -> None:
    """Button callback: restore the roster or the plan as it stood before or after the chosen write."""
    from ui import data

    audit_id = int(st.session_state["restore_pick"])
    rows = data.fetch("audit_entries", actions=None).filter(pl.col("audit_id") == audit_id)
    action = rows["action"][0] if not rows.is_empty() else ""
    if action in rubrics.ACTIONS:
        restore = rubrics.restore_rubric
    else:
        restore = history.restore_roster if action in history.ROSTER_ACTIONS else history.restore_plan
    try:
        restore(db_path(), audit_id, auth.account(), side)
    except accounts.Refused as exc:
        flash("error", exc.zh, "restore")
        return
    st.cache_data.clear()
    flash("success", f"已恢复（依据审计记录 #{audit_id}，{'之前' if side == 'before' else '之后'}的状态）。", "restore")


# --- the page -------------------------------------------------------------------------------------

TABS = {"账户": "accounts", "审计日志": "audit", "名册、工作要点与评分细则历史": "history"}  # label -> URL form
if not auth.may("accounts.manage"):  # registered for 管理员 only; said again here
    st.error("无权访问：只有管理员可以管理账户和查看审计日志。")
    st.stop()
accounts_tab, audit_tab, history_tab = url_state.tabs(
    st, list(TABS), key="accounts_tab", url="tab", token=TABS.__getitem__
)
with accounts_tab:
    show_flash("accounts")
    account_list()
    st.markdown("#### 新建账户")
    add_form()
    st.markdown("#### 修改账户")
    change_form([r["name"] for r in accounts.users(db_path())])
with audit_tab:
    audit_log()
with history_tab:
    show_flash("restore")
    restore_section()
