"""Showing untrusted report text safely: Markdown escaping, and the numbered source view with one line highlighted.

Everything a report or an uploaded file contributes (its text, agency, file name) is escaped here before it
reaches Markdown or HTML; the only script is the fixed one below, which scrolls the view to the highlighted line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&^%=\"'@])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Streamlit's Markdown (GFM) also turns bare URLs and e-mail addresses into links after escapes are read, so an
# escape cannot stop them: an invisible word joiner splits "www." , "://" and "@" instead.
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?=://)|(?<=@)")
_WORD_JOINER = "\u2060"

_STYLE = """<style>
#report-source{position:relative;max-height:72vh;overflow-y:auto;border:1px solid #d0d7de;border-radius:6px;
  font-family:"Noto Sans Mono CJK SC","Noto Sans CJK SC",ui-monospace,monospace;font-size:13px;line-height:1.55;
  background:#fbfbfc}
#report-source .rs-line{display:flex;min-height:1.55em;border-left:3px solid transparent}
#report-source .rs-no{flex:0 0 3.6em;padding-right:.6em;text-align:right;color:#8c959f;user-select:none}
#report-source .rs-tx{flex:1;white-space:pre-wrap;overflow-wrap:anywhere;tab-size:4;padding-right:.5em}
#report-source .rs-flag{border-left-color:#c62828}
#report-source .rs-hl{background:#fff3b0;border-left-color:#ed6c02}
#report-source .rs-hl .rs-no{color:#24292f;font-weight:600}
#report-source mark{background:#ffb74d;padding:0 1px;border-radius:2px}
</style>"""

# Fixed code, no report data in it: scroll the box (not the page) so that the highlighted line sits near the top.
_SCROLL = """<script>
(function () {
  const box = document.getElementById("report-source");
  const hit = box ? box.querySelector(".rs-hl") : null;
  if (hit) { box.scrollTop = Math.max(0, hit.offsetTop - box.clientHeight / 3); }
})();
</script>"""


def markdown_text(text: str) -> str:
    """Untrusted text made literal wherever Streamlit reads Markdown (bodies, captions, alerts, headings, labels, help).

    Every ASCII punctuation character Markdown or Streamlit's extensions start a construct with is backslash-escaped:
    emphasis, code, headings, lists, tables, links and images ([ ] ( ) !), raw HTML and autolinks (< > &), bare URLs
    (: .), :color[...] directives and :emoji: shortcodes (:), and $ math; bare URLs and e-mail addresses, which GFM
    links even when escaped, are split by an invisible word joiner. Line breaks stay line breaks (hard breaks),
    never the start of a new block.
    """
    unlinked = _AUTOLINK.sub(_WORD_JOINER, text)
    return _LINE_BREAK.sub("  \n", _MARKDOWN_SPECIAL.sub(r"\\\1", unlinked))


def source_html(text: str, line: int | None = None, raw: str | None = None, flagged: Iterable[int] = ()) -> str:
    """The report text with line numbers; `line` highlighted (and `raw` marked in it when it occurs just once),
    lines in `flagged` marked at the margin, plus the script that scrolls the highlighted line into view."""
    marked = set(flagged)
    rows = [
        _line_html(n, content, n == line, raw if n == line else None, n in marked)
        for n, content in enumerate(text.split("\n"), start=1)
    ]
    body = f'<div id="report-source">{"".join(rows)}</div>'
    return _STYLE + body + (_SCROLL if line else "")


def _line_html(number: int, content: str, highlighted: bool, raw: str | None, flagged: bool) -> str:
    """One numbered line; its id lets a reader (and a test) find a line by number."""
    classes = "rs-line" + (" rs-flag" if flagged else "") + (" rs-hl" if highlighted else "")
    return (
        f'<div class="{classes}" id="rs-L{number}"><span class="rs-no">{number}</span>'
        f'<span class="rs-tx">{_marked(content, raw)}</span></div>'
    )


def _marked(content: str, raw: str | None) -> str:
    """The escaped line, with `raw` wrapped in <mark> only when it occurs exactly once (else which one is unknown)."""
    if not raw or content.count(raw) != 1:
        return html.escape(content)
    before, after = content.split(raw)
    return f"{html.escape(before)}<mark>{html.escape(raw)}</mark>{html.escape(after)}"


def fields_html(fields: Mapping[str, str]) -> str:
    """Label and value pairs as a compact grid, every value escaped."""
    cells = "".join(
        f'<div class="rm-k">{html.escape(k)}</div><div class="rm-v">{html.escape(v)}</div>' for k, v in fields.items()
    )
    style = (
        "<style>.rm-grid{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:.25em 1em;"
        "font-size:14px}.rm-k{color:#57606a}.rm-v{overflow-wrap:anywhere}</style>"
    )
    return f'{style}<div class="rm-grid">{cells}</div>'


def chinese_part(message: str) -> str:
    """The Chinese half of a bilingual message ("中文 / English", as the loaders and exports write them for the
    command line and logs): the interface shows Chinese only. A message without an English half stays whole."""
    head, sep, tail = message.partition(" / ")
    return head if sep and not any("\u4e00" <= ch <= "\u9fff" for ch in tail) else message
