"""Report shapes: one made-up report per layout class that real reports reach reviewers in (after PDF, OCR,
Markdown and web-page conversion). Each must give exactly the figures it states, an agency and a year, and no
rule finding, since none of them breaks a rule: a finding there would blame the report for a misreading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders import checks
from loaders.parse import parse_file

SHAPES = Path(__file__).parent / "fixtures" / "shapes"
CASES = json.loads((SHAPES / "cases.json").read_text(encoding="utf-8"))
_CACHE: dict[str, object] = {}


def _report(name: str):
    if name not in _CACHE:
        _CACHE[name] = parse_file(SHAPES / name)
    return _CACHE[name]


def _same(got: float | None, want: float | None) -> bool:
    return got is None and want is None or got is not None and want is not None and abs(got - want) < 1e-6


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_gives_its_figures(name: str) -> None:
    report = _report(name)
    got = {f"{f.metric}|{f.applicant or ''}": f.value for f in report.figures}
    wrong = {k: (v, got.get(k)) for k, v in CASES[name]["expected"].items() if not _same(got.get(k), v)}
    assert not wrong, f"{name}: {len(wrong)} figures wrong (want, got): {wrong}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_has_agency_and_year(name: str) -> None:
    report = _report(name)
    assert report.agency and report.year, (report.agency, report.year)


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_raises_no_rule_finding(name: str) -> None:
    report = _report(name)
    found = checks.findings_for([report])[report.source]
    rules = [f"{f['rule']}: {f['message']}" for f in found if f["rule"] in ("R1", "R2", "R3", "R4", "R5")]
    assert not rules
