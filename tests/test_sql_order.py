"""The loader creates the views of sql/staging and sql/checks in an order computed from their text: each after the
views it names."""

from __future__ import annotations

import pytest

from loaders import store


def test_a_view_comes_after_the_views_it_reads():
    bodies = {
        "a_top": "select * from b_middle join c_base using (id)",
        "b_middle": "select * from c_base -- not a_top, only mentioned in a comment",
        "c_base": "select 1 as id",
    }
    assert store.view_order(bodies) == ["c_base", "b_middle", "a_top"]


def test_a_longer_name_is_not_mistaken_for_a_shorter_one():
    bodies = {"findings": "select * from fct_findings", "fct": "select 1"}
    assert store.view_dependencies(bodies) == {"findings": set(), "fct": set()}


def test_views_that_read_each_other_are_refused_by_name():
    with pytest.raises(ValueError, match="a_view、b_view"):
        store.view_order({"a_view": "select * from b_view", "b_view": "select * from a_view", "c": "select 1"})


def test_every_view_of_the_sql_folder_is_created_after_those_it_reads():
    bodies = {p.stem: p.read_text(encoding="utf-8") for f in ("staging", "checks") for p in store.sql_files(f)}
    order = store.view_order(bodies)
    assert sorted(order) == sorted(bodies)
    needs = store.view_dependencies(bodies)
    assert needs["findings"] >= {"chk_requests_balance", "chk_counts_well_formed"}
    assert "stg_figures" in needs["chk_requests_balance"]
    for position, name in enumerate(order):
        assert needs[name] <= set(order[:position]), name
