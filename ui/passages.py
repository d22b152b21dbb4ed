"""Repeated passages (雷同) side by side: each passage as one report prints it beside the other's, the shared
wording highlighted and what differs (usually the figures) marked, every piece of report text escaped."""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable, Mapping

_STYLE = """<style>
.sim-pairs{display:grid;grid-template-columns:1fr 1fr;gap:.4em .8em;font-size:13px;line-height:1.6;
  font-family:"Noto Sans CJK SC",ui-sans-serif,sans-serif}
.sim-head{font-weight:600;color:#24292f;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
.sim-cell{border:1px solid #d0d7de;border-radius:6px;padding:.35em .6em;background:#fbfbfc;
  white-space:pre-wrap;overflow-wrap:anywhere}
.sim-no{color:#8c959f;font-size:12px;margin-right:.5em;user-select:none}
.sim-same{background:#fff3b0}
.sim-diff{background:#ffb74d;border-radius:2px;padding:0 1px}
</style>"""


def marked_pair(text: str, other: str) -> tuple[str, str]:
    """Both texts escaped, the characters they share highlighted and the ones that differ marked."""
    ours: list[str] = []
    theirs: list[str] = []
    matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "sim-same" if op == "equal" else "sim-diff"
        ours.append(_span(kind, text[i1:i2]))
        theirs.append(_span(kind, other[j1:j2]))
    return "".join(ours), "".join(theirs)


def _span(kind: str, piece: str) -> str:
    """An escaped piece of text in a highlighting span (nothing for an empty piece)."""
    return f'<span class="{kind}">{html.escape(piece)}</span>' if piece else ""


def side_by_side_html(passages: Iterable[Mapping], left_title: str, right_title: str) -> str:
    """A two-column view: under each report's title, its passages with their line numbers, row by row."""
    cells = [
        f'<div class="sim-head">{html.escape(left_title)}</div>',
        f'<div class="sim-head">{html.escape(right_title)}</div>',
    ]
    for passage in passages:
        ours, theirs = marked_pair(passage["text"], passage["other_text"])
        cells.append(_cell(passage["line"], ours))
        cells.append(_cell(passage["other_line"], theirs))
    return f'{_STYLE}<div class="sim-pairs">{"".join(cells)}</div>'


def _cell(line: int | None, body: str) -> str:
    """One passage of one report, with the line where it starts."""
    number = f'<span class="sim-no">第{line}行</span>' if line else ""
    return f'<div class="sim-cell">{number}{body}</div>'
