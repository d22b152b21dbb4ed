"""Page choices kept in the URL: each picker of a page names its URL key (e.g. `year=2021`, `metrics=a&metrics=b`).

A picker starts, when its page is opened, from the URL if the URL names a valid option, else from what the page
showed last in this session, else from its default; an invalid or stale value falls back, never raises. Every run
writes the shown value back to the URL, and only when it differs from the default, so a plain link stays short.
The URL is user input: a value is taken only when it is one of the options (or, for free text, cleaned and cut).
Opening a page from the menu starts its URL afresh, and what each page showed last is kept per page, so one page's
choices never reach another page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import streamlit as st

from ui.textview import markdown_text

_PAGE = "_url_page"  # (title, arrived): the page now running, and whether this run opened it
_MEMORY = "_url_choices"  # title -> {url key: value}: what each page showed last in this session
_MISSING = object()
NONE_CHOSEN = ""  # the URL value of a multiselect left empty on purpose when its default is not (`metrics=`)
MAX_TEXT = 200  # free text taken from a URL is cut to this many characters

Token = Callable[[Any], str]


def open_page(title: str, arrived: bool) -> None:
    """Note the page the frame is about to run, and whether this run opened it (a link, the menu, a reload)."""
    st.session_state[_PAGE] = (title, arrived)


def _page() -> tuple[str, bool]:
    return st.session_state.get(_PAGE, ("", True))


def _memory() -> dict[str, Any]:
    """What the page now running showed last in this session, by URL key."""
    pages = st.session_state.setdefault(_MEMORY, {})
    return pages.setdefault(_page()[0], {})


def _by_token(options: Sequence[Hashable], token: Token) -> dict[str, Any]:
    """Each option by its URL form (the first option of a form wins)."""
    found: dict[str, Any] = {}
    for option in options:
        found.setdefault(token(option), option)
    return found


def _from_url(url: str, tokens: dict[str, Any], many: bool) -> Any:
    """The URL's value for `url` when it names options only; _MISSING when absent or not valid."""
    given = st.query_params.get_all(url)
    if not given:
        return _MISSING
    if many:
        if given == [NONE_CHOSEN]:
            return []
        chosen = list(dict.fromkeys(tokens[v] for v in given if v in tokens))
        return chosen or _MISSING
    return tokens.get(given[0], _MISSING)


def _valid(value: Any, tokens: dict[str, Any], token: Token, many: bool) -> Any:
    """The value when every part of it is still an option, else _MISSING; a multiselect keeps its valid part."""
    if value is _MISSING:
        return _MISSING
    try:
        if many:
            return [v for v in value if token(v) in tokens]
        return value if token(value) in tokens else _MISSING
    except (TypeError, ValueError):
        return _MISSING


def seed(key: str, url: str, options: Sequence[Hashable], default: Any, many: bool = False, token: Token = str) -> None:
    """Before a picker is drawn: on opening its page (or when it was not drawn last run) set it from the URL, else the
    session's last value, else `default`; on other runs keep the user's value while it is still an option."""
    tokens = _by_token(options, token)
    title, arrived = _page()
    if arrived or key not in st.session_state:
        value = _from_url(url, tokens, many)
        if value is _MISSING:
            value = _valid(_memory().get(url, _MISSING), tokens, token, many)
        st.session_state[key] = default if value is _MISSING else value
        return
    current = _valid(st.session_state[key], tokens, token, many)
    if current is _MISSING:
        st.session_state[key] = default


def keep(url: str, value: Any, default: Any, many: bool = False, token: Token = str) -> None:
    """After a picker is drawn: remember its value for the page and write it to the URL (removed when default)."""
    _memory()[url] = value
    if value == default:
        wanted: list[str] = []
    elif many:
        wanted = [token(v) for v in value] or [NONE_CHOSEN]
    else:
        wanted = [token(value)]
    if not wanted:
        if url in st.query_params:
            del st.query_params[url]
    elif st.query_params.get_all(url) != wanted:
        st.query_params[url] = wanted if many else wanted[0]


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """Free text from a URL: control characters dropped, spaces trimmed, cut to `limit` characters."""
    kept = "".join(c for c in value if unicodedata.category(c)[0] != "C")
    return kept.strip()[:limit]


# --- the pickers ---------------------------------------------------------------------------------------


def selectbox(
    holder: Any, label: str, options: Sequence[Hashable], default: Any, *, key: str, url: str,
    token: Token = str, **kwargs: Any,
) -> Any:  # fmt: skip
    """A selectbox kept in the URL under `url` (see the module's docstring); `holder` is st or a column."""
    seed(key, url, options, default, token=token)
    value = holder.selectbox(label, options, key=key, **kwargs)
    keep(url, value, default, token=token)
    return value


def searched_selectbox(
    holder: Any, label: str, options: Sequence[str], default: str, *, key: str, url: str, limit: int, order: str,
) -> str:  # fmt: skip
    """A selectbox of names (units) kept in the URL, that sends the browser at most `limit` of them: all when there
    are no more, else a search box above it, which then offers the first `limit` names holding every word typed (in
    the order of `options`, which `order` names for the note, e.g. "按申请量排序"), and the one shown, wherever it
    stands. A link may name any of the options."""
    seed(key, url, options, default)
    if len(options) <= limit:
        value = holder.selectbox(label, options, key=key)
    else:
        search = search_box(holder, label, key)
        found = names_matching(options, search)
        offered = list(dict.fromkeys([st.session_state[key], *found[:limit]]))
        value = holder.selectbox(label, offered, key=key)
        holder.caption(search_note(label, search, len(found), limit, order))
    keep(url, value, default)
    return value


def search_box(holder: Any, label: str, key: str) -> str:
    """The 查找 box above a picker (key `key`_search) that cannot list every name: the words typed, apart by single
    spaces (so one search is one cached query)."""
    hint = "输入名称中的字词，按回车"
    typed = holder.text_input(f"查找{label}", key=f"{key}_search", placeholder=hint, max_chars=100)
    return " ".join(typed.split())


def names_matching(names: Sequence[str], search: str) -> list[str]:
    """The names holding every word of `search`, ignoring case, in their order (all of them for no word)."""
    words = search.lower().split()
    return [name for name in names if all(word in name.lower() for word in words)]


def search_note(label: str, search: str, matching: int, limit: int, order: str = "按名称排序") -> str:
    """The note under a picker that cannot list every name: how many match and how many are listed."""
    if not search:
        return f"共 {matching:,} 个{label}，列表只列出{order}的前 {limit} 个；在上面输入名称中的字词查找其他{label}。"
    words = f"名称含“{markdown_text(search)}”的{label}"  # typed by the user: shown as the characters typed
    if not matching:
        return f"没有{words}。"
    if matching > limit:
        return f"{words}共 {matching:,} 个，列表列出前 {limit} 个；请输入更多字词缩小范围。"
    return f"{words}共 {matching:,} 个，均已列入列表。"


def multiselect(
    holder: Any, label: str, options: Sequence[Hashable], default: Sequence[Hashable], *, key: str, url: str,
    token: Token = str, **kwargs: Any,
) -> list:  # fmt: skip
    """A multiselect kept in the URL, one `url=value` per chosen option, in the order chosen."""
    seed(key, url, options, list(default), many=True, token=token)
    value = holder.multiselect(label, options, key=key, **kwargs)
    keep(url, list(value), list(default), many=True, token=token)
    return value


def toggle(holder: Any, label: str, default: bool, *, key: str, url: str, **kwargs: Any) -> bool:
    """A toggle kept in the URL as `url=1` or `url=0` (only when not the default)."""
    seed(key, url, (True, False), default, token=_flag)
    value = holder.toggle(label, key=key, **kwargs)
    keep(url, value, default, token=_flag)
    return value


def _flag(value: bool) -> str:
    return "1" if value else "0"


def slider(holder: Any, label: str, options: Sequence[int], default: int, *, key: str, url: str, **kwargs: Any) -> int:
    """A slider over evenly spaced whole numbers (`options`, e.g. range(10, 101, 5)) kept in the URL."""
    seed(key, url, options, default)
    step = options[1] - options[0] if len(options) > 1 else 1
    value = holder.slider(label, options[0], options[-1], step=step, key=key, **kwargs)
    keep(url, value, default)
    return value


def text_input(
    holder: Any, label: str, default: str, *, key: str, url: str, max_chars: int = MAX_TEXT, **kwargs
) -> str:
    """A text box kept in the URL; text from the URL is cleaned and cut to `max_chars` before it is shown."""
    title, arrived = _page()
    if arrived or key not in st.session_state:
        given = st.query_params.get_all(url)
        remembered = _memory().get(url)
        if given:
            st.session_state[key] = clean_text(given[0], max_chars)
        else:
            st.session_state[key] = remembered if isinstance(remembered, str) else default
    value = holder.text_input(label, key=key, max_chars=max_chars, **kwargs)
    keep(url, value, default)
    return value


def tabs(holder: Any, labels: Sequence[str], *, key: str, url: str, token: Token = str) -> list:
    """Tabs whose open tab is kept in the URL (the first tab is the default); a switch reruns the page."""
    seed(key, url, labels, labels[0], token=token)
    shown = holder.tabs(list(labels), key=key, on_change="rerun")
    keep(url, st.session_state.get(key, labels[0]), labels[0], token=token)
    return list(shown)
