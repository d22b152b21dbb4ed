"""Matching an agency name the roster does not list to a roster unit, on 导入 after an upload and on 报送情况.

For each such name the likely units come first (loaders.unit_match ranks them, with the reasons); the reviewer
confirms one (the name is kept on the roster as another name of that unit, loaders.roster.add_alias), picks another
unit of the roster (a misnamed report), or adds the name as a unit of its own (loaders.roster.add_unit). A
单位填报人 sees only its own units and may only confirm; the writer checks the role and the unit again.

Queries: roster_names, unmatched_agencies.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from config import db_path
from loaders import roster
from loaders.unit_match import Candidate, candidates
from ui import auth, data, textview, url_state
from ui.review import REFUSED, flash, name_field, show_flash

# the named queries this module runs
QUERIES = ("roster_names", "unmatched_agencies")
REFUSALS = (*REFUSED, roster.UnitError)
FORMS = 10  # names given a form at once; each one confirmed or added brings the next
CHOICES = 100  # roster units a form's picker lists at most besides the likely ones; a search box finds the others


def unmatched_names(only: list[str] | None = None) -> list[str]:
    """The agency names of current reports the roster does not list (of `only`, when given)."""
    names = data.fetch("unmatched_agencies")["agency"].to_list()
    return names if only is None else [n for n in names if n in set(only)]


def match_forms(names: list[str], where: str) -> None:
    """A form per name not on the roster: confirm a likely unit, pick another, or add the name as a unit; the
    outcome of the last write above them (the name it matched is no longer listed)."""
    show_flash(f"{where}_match")
    if not names:
        return
    if not auth.may("roster.alias"):
        auth.cannot("roster.alias")
        return
    known = data.fetch("roster_names")
    if known.is_empty():
        return
    units = sorted(known.filter(pl.col("via") == "self")["unit"].unique().to_list())
    earlier = {r["name"]: r["unit"] for r in known.filter(pl.col("via") != "self").iter_rows(named=True)}
    found = auth.current()
    allowed = [u for u in units if u in found.units] if found is not None and found.scoped else units
    if len(names) > FORMS:
        st.caption(f"共 {len(names):,} 个名称不在名册中，下面先列出前 {FORMS} 个；每确认或加入一个，下一个随之列出。")
    for i, name in enumerate(names[:FORMS]):
        match_form(name, candidates(name, units, earlier), allowed, f"{where}_match_{i}", f"{where}_match")


def _label(candidate: Candidate) -> str:
    """A likely unit in the picker: its name, why, and how sure."""
    return f"{candidate.unit}（{'、'.join(candidate.reasons)}；匹配度{candidate.score:.0%}）"


def match_form(name: str, found: list[Candidate], allowed: list[str], form: str, said: str) -> None:
    """One name: the likely units first, then the other units the account may choose (past CHOICES of them, those
    a search box above the form finds, the first CHOICES in name order, and the one picked)."""
    likely = [c for c in found if c.unit in allowed]
    with st.container(border=True, key=form):
        guess = f"最可能是“{textview.markdown_text(likely[0].unit)}”" if likely else "未找到相近的名册单位"
        st.markdown(f"**{textview.markdown_text(name)}** 不在名册中：{guess}。")
        others = searched_units(allowed, form)
        labels = {c.unit: _label(c) for c in likely} | {u: u for u in others if u not in {c.unit for c in likely}}
        if labels:
            with st.form(f"{form}_form"):
                st.selectbox(
                    "对应名册中的单位", list(labels), format_func=labels.get, key=f"{form}_unit",
                    help="确认后，该名称作为所选单位的另一名称记入名册，其报告计入该单位（报送情况、趋势、R6、汇总核对）。"
                    "报告署名写错的，选择名册中正确的单位即可。",
                )  # fmt: skip
                name_field()
                st.form_submit_button("确认为该单位", key=f"{form}_confirm", on_click=_confirm, args=(name, form, said))
        account = auth.current()
        if auth.may("roster.add_unit") and account is not None and not account.scoped:
            st.button("作为新单位加入名册", key=f"{form}_add", on_click=_add, args=(name, said))


def searched_units(allowed: list[str], form: str) -> list[str]:
    """The roster units a form's picker (key `form`_unit) offers besides the likely ones: all of them up to CHOICES,
    else those holding every word typed in a search box drawn here, above the form (the first CHOICES by name), and
    the one picked, with a note on how many match."""
    if len(allowed) <= CHOICES:
        return allowed
    search = url_state.search_box(st, "名册单位", form)
    matched = url_state.names_matching(allowed, search)
    st.caption(url_state.search_note("名册单位", search, len(matched), CHOICES))
    picked = st.session_state.get(f"{form}_unit")
    return list(dict.fromkeys([*([picked] if picked in allowed else []), *matched[:CHOICES]]))


def _confirm(name: str, form: str, said: str) -> None:
    """Form callback: keep `name` as another name of the chosen unit, or say why not (at `said`)."""
    unit = st.session_state.get(f"{form}_unit")
    try:
        roster.add_alias(db_path(), name, unit, auth.account())
    except REFUSALS as exc:
        flash("error", str(exc), said)
        return
    flash("success", f"已确认：“{name}”记为“{unit}”的另一名称，其报告计入该单位。", said)


def _add(name: str, said: str) -> None:
    """Button callback: add `name` to the roster as a unit of its own, or say why not (at `said`)."""
    try:
        roster.add_unit(db_path(), name, auth.account())
    except REFUSALS as exc:
        flash("error", str(exc), said)
        return
    flash("success", f"已将“{name}”作为新单位加入名册（层级、类型按名称判断，可重新导入名册修改）。", said)
