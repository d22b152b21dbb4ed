"""The data dictionary in code: every label the dashboard and the exports show is Chinese."""

from __future__ import annotations

import re

import pytest

from loaders.keys import CATEGORIES, CATEGORY_LABELS, METRICS


@pytest.mark.parametrize("key", sorted(METRICS))
def test_every_metric_label_is_chinese(key: str) -> None:
    label = METRICS[key].label
    assert re.search(r"[\u4e00-\u9fff]", label), f"{key}: {label!r}"
    assert not re.search(r"[A-Za-z]", label), f"{key}: {label!r} has Latin letters"


def test_unspecified_outcomes_are_named_after_their_category() -> None:
    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert METRICS["outcome.denied.unspecified"].label == "不予公开（未分项）"
    assert METRICS["outcome.not_processed.unspecified"].label == "不予处理（未分项）"
