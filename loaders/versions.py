"""A report against the stored version it would replace: whether it is the same report, and which figures a new
version adds, changes and removes (by canonical key, labelled from the data dictionary)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from loaders.keys import APPLICANTS, METRICS
from loaders.model import Report
from loaders.review import figure_name
from loaders.store import content_key

CHANGES = {"added": "新增", "changed": "改变", "removed": "删除"}
StoredFigure = tuple[str, str | None, float | None, str | None]  # metric, applicant, value, raw as stored

_METRIC_ORDER = {key: i for i, key in enumerate(METRICS)}
_APPLICANT_ORDER = {key: i for i, (key, _) in enumerate(APPLICANTS)}


@dataclass(frozen=True)
class FigureChange:
    """One figure that differs between the stored version and the new one (None: absent or not stated)."""

    metric: str
    applicant: str | None
    change: str  # a key of CHANGES
    old: float | None
    new: float | None
    old_raw: str | None
    new_raw: str | None

    @property
    def key(self) -> str:
        """The figure's canonical key, metric|applicant."""
        return f"{self.metric}|{self.applicant}" if self.applicant else self.metric

    @property
    def label(self) -> str:
        """The figure as the data dictionary names it, with its applicant column."""
        return figure_name(self.metric, self.applicant)


def same_report(report: Report, stored_text: str, stored: Iterable[StoredFigure]) -> bool:
    """Whether the report is the stored one again (same text and figures, whatever the file's bytes): storing it
    would change nothing, as the loader also decides."""
    figures = [(f.metric, f.applicant, f.value) for f in report.figures]
    return content_key(report.text, figures) == content_key(stored_text, [row[:3] for row in stored])


def figure_changes(report: Report, stored: Iterable[StoredFigure]) -> list[FigureChange]:
    """The figures the report adds, changes or removes against the stored version, in the data dictionary's order."""
    old = {(m, a): (v, raw) for m, a, v, raw in stored}
    new: dict[tuple[str, str | None], tuple[float | None, str | None]] = {}
    for fig in report.figures:
        new.setdefault((fig.metric, fig.applicant), (fig.value, fig.raw))
    changes = []
    for key in sorted(old.keys() | new.keys(), key=_order):
        if key not in old:
            changes.append(FigureChange(*key, "added", None, new[key][0], None, new[key][1]))
        elif key not in new:
            changes.append(FigureChange(*key, "removed", old[key][0], None, old[key][1], None))
        elif not _same(old[key][0], new[key][0]):
            changes.append(FigureChange(*key, "changed", old[key][0], new[key][0], old[key][1], new[key][1]))
    return changes


def _same(a: float | None, b: float | None) -> bool:
    """Two values are the same figure: both not stated, or equal."""
    return a is b is None or (a is not None and b is not None and math.isclose(a, b))


def _order(key: tuple[str, str | None]) -> tuple:
    """Where a figure stands in the data dictionary: its metric, then its applicant column."""
    metric, applicant = key
    return (_METRIC_ORDER.get(metric, len(_METRIC_ORDER)), metric, _APPLICANT_ORDER.get(applicant, -1))
