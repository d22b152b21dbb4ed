"""Cross-filtering: a click on a bar narrows the page to a unit and/or a category, kept in the URL (focus=…,
focus_cat=…), shown in a note at the top of the page with a way back."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

import streamlit as st

from analytics.state import Selection
from ui import textview

UNIT_KEY = "focus"  # URL parameter: the unit the page is narrowed to
CATEGORY_KEY = "focus_cat"  # URL parameter: the category (a bar segment's legend entry) it is narrowed to
_CLICKS = "_focus_clicks"  # clicks handled in this session: a new chart key after each, so a click is read once
ALL = "显示全部"


@dataclass(frozen=True)
class Focus:
    """What a page is narrowed to: a unit, a category, both or neither."""

    unit: str | None = None
    category: str | None = None

    def __bool__(self) -> bool:
        return bool(self.unit or self.category)


def read(units: Collection[str], categories: Collection[str] = ()) -> Focus:
    """The page's focus from the URL; a value the page does not show is ignored and dropped from the URL."""
    unit = _valid(UNIT_KEY, units)
    category = _valid(CATEGORY_KEY, categories)
    return Focus(unit, category)


def _valid(key: str, allowed: Collection[str]) -> str | None:
    """The URL's value of `key` when it is one of `allowed`, else None (an unknown value is removed)."""
    value = st.query_params.get(key)
    if value is None:
        return None
    if value in allowed:
        return value
    del st.query_params[key]
    return None


def write(focus: Focus) -> None:
    """Keep the focus in the URL, so a reload or a shared link keeps the page narrowed."""
    for key, value in ((UNIT_KEY, focus.unit), (CATEGORY_KEY, focus.category)):
        if value:
            st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]


def narrowed(selection: Selection, focus: Focus) -> Selection:
    """The sidebar's selection narrowed to the focused unit (the same queries then run for that unit only)."""
    return replace(selection, agencies=(focus.unit,)) if focus.unit else selection


def chart_key(base: str) -> str:
    """The key of a clickable chart: a new one after every handled click, so that its old selection is gone."""
    clicks = st.session_state.get(_CLICKS, 0)
    return base if not clicks else f"{base}_{clicks}"


def follow(
    points: list[dict],
    current: Focus,
    unit_of: Callable[[dict], str | None],
    category_of: Callable[[dict], str | None] = lambda point: None,
) -> None:
    """Narrow the page to the clicked bar (its unit, and its segment's category when `category_of` names one) and
    rerun; a click on what the page is already narrowed to shows everything again, so a second click on the same
    bar never traps the user."""
    if not points:
        return
    unit, category = unit_of(points[0]), category_of(points[0])
    if not unit and not category:
        return
    wanted = Focus(unit or current.unit, category or current.category)  # a chart without the other keeps it
    st.session_state[_CLICKS] = st.session_state.get(_CLICKS, 0) + 1
    write(Focus() if wanted == current else wanted)
    st.rerun()


def point_unit(point: dict) -> str | None:
    """The unit a clicked bar stands for: the first item of its custom data."""
    custom = point.get("customdata")
    if isinstance(custom, list) and custom and isinstance(custom[0], str) and custom[0]:
        return custom[0]
    return None


def point_category(point: dict) -> str | None:
    """The category of a clicked bar segment: its trace's legend entry."""
    group = point.get("legendgroup")
    return group if isinstance(group, str) and group else None


def note(focus: Focus, unit_words: str, category_words: str, detail: str = "") -> None:
    """The note at the top of a narrowed page: what it is narrowed to, and buttons that undo it."""
    if not focus:
        return
    parts = []
    if focus.unit:
        parts.append(f"{unit_words}“{textview.markdown_text(focus.unit)}”")
    if focus.category:
        parts.append(f"{category_words}“{textview.markdown_text(focus.category)}”")
    st.info(
        f"本页已缩小到：{'，'.join(parts)}。{detail}点“{ALL}”恢复，或再点一次图中同一柱形。",
        icon=":material/filter_alt:",
    )
    _buttons(focus, unit_words, category_words)


def _buttons(focus: Focus, unit_words: str, category_words: str) -> None:
    """显示全部, and when the page is narrowed both ways, a button to drop either."""
    choices = [(ALL, Focus())]
    if focus.unit and focus.category:
        choices += [(f"不限{unit_words}", Focus(None, focus.category)), (f"不限{category_words}", Focus(focus.unit))]
    for column, (label, target) in zip(st.columns(len(choices) + 2), choices, strict=False):
        column.button(label, key=f"focus_{label}", on_click=write, args=(target,), width="stretch")
