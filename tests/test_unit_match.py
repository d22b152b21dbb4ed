"""The matcher of names not on the roster: region prefixes, 人民政府/政府 and 办公室/办 forms, earlier names, OCR
look-alikes, one character apart, and names that must not match."""

from __future__ import annotations

import pytest

from loaders.unit_match import candidates, keys, place_prefixes

ROSTER = (
    "张店区人民政府",
    "张店区人民政府办公室",
    "张店区卫生健康局",
    "淄博市人民政府",
    "淄博市人民政府办公室",
    "市中区卫生健康局",
    "洪泽区人民政府",
    "高青县教育和体育局",
    "平潭综合实验区管理委员会",
    "安徽省人民政府",
)
EARLIER = {"市中区卫生和计划生育局": "市中区卫生健康局", "高青县教育局": "高青县教育和体育局"}


def best(name: str) -> tuple[str, tuple[str, ...]] | None:
    found = candidates(name, ROSTER, EARLIER)
    return (found[0].unit, found[0].reasons) if found else None


@pytest.mark.parametrize(
    ("name", "unit", "reason"),
    [
        ("淄博市张店区人民政府", "张店区人民政府", "地区前缀不同"),
        ("山东省淄博市张店区人民政府", "张店区人民政府", "地区前缀不同"),
        ("山东省淄博市张店区人民政府办公室", "张店区人民政府办公室", "地区前缀不同"),
        ("淄博市张店区政府办公室", "张店区人民政府办公室", "人民政府/政府、办公室/办等写法不同"),
        ("张店区政府办", "张店区人民政府办公室", "人民政府/政府、办公室/办等写法不同"),
        ("张店区政府", "张店区人民政府", "人民政府/政府、办公室/办等写法不同"),
        ("淄博市政府", "淄博市人民政府", "人民政府/政府、办公室/办等写法不同"),
        ("山东省淄博市人民政府办公室", "淄博市人民政府办公室", "地区前缀不同"),
        ("淄博市张店区卫生健康局", "张店区卫生健康局", "地区前缀不同"),
        ("济南市市中区卫生健康局", "市中区卫生健康局", "地区前缀不同"),
        ("淮安市洪泽区人民政府", "洪泽区人民政府", "地区前缀不同"),
        ("江苏省淮安市洪泽区政府", "洪泽区人民政府", "人民政府/政府、办公室/办等写法不同"),
        ("市中区卫生和计划生育局", "市中区卫生健康局", "名册中的曾用名"),
        ("济南市市中区卫生和计划生育局", "市中区卫生健康局", "名册中的曾用名"),
        ("淄博市高青县教育局", "高青县教育和体育局", "名册中的曾用名"),
        ("平潭综合实验区管委会", "平潭综合实验区管理委员会", "人民政府/政府、办公室/办等写法不同"),
        ("安微省人民政府", "安徽省人民政府", "形近字（识别误差）"),
        ("张店区 人民政府", "张店区人民政府", "写法不同"),
        ("张店区人民政府办公室", "张店区人民政府办公室", "名称相同"),
        ("张店区卫生建康局", "张店区卫生健康局", "相差一个字"),
    ],
)
def test_a_variant_is_matched_to_its_roster_unit_with_the_reason(name: str, unit: str, reason: str) -> None:
    found = best(name)
    assert found is not None, name
    assert found[0] == unit
    assert reason in found[1], found


@pytest.mark.parametrize(
    "name",
    ["北京市海淀区人民政府", "淄博市张店区教育局", "周村区人民政府", "人民政府", "山东省人民政府", "张店区财政局"],
)
def test_other_units_are_not_matched(name: str) -> None:
    assert best(name) is None


def test_a_government_and_its_office_are_never_taken_for_each_other() -> None:
    assert [c.unit for c in candidates("淄博市张店区政府办", ROSTER)] == ["张店区人民政府办公室"]
    assert [c.unit for c in candidates("淄博市张店区人民政府", ROSTER)] == ["张店区人民政府"]


def test_candidates_are_ranked_exact_then_fewer_differences() -> None:
    roster = ("淄博市张店区人民政府", "张店区人民政府", "张店区人民政府办公室")
    ranked = candidates("淄博市张店区人民政府", roster)
    assert [c.unit for c in ranked] == ["淄博市张店区人民政府", "张店区人民政府"]
    assert ranked[0].score == 1.0 > ranked[1].score
    prefixed = candidates("山东省淄博市张店区政府", ("张店区人民政府", "淄博市张店区人民政府"))
    assert [c.unit for c in prefixed] == ["淄博市张店区人民政府", "张店区人民政府"]
    assert prefixed[0].score > prefixed[1].score


def test_a_place_name_alone_is_never_a_key() -> None:
    assert place_prefixes("淄博市人民政府") == ["淄博市人民政府"]
    assert place_prefixes("山东省淄博市张店区人民政府") == [
        "山东省淄博市张店区人民政府",
        "淄博市张店区人民政府",
        "张店区人民政府",
    ]
    assert keys("张店区人民政府办公室") == ["张店区政府办"]
    assert "政府" not in keys("淄博市人民政府")


def test_the_limit_and_an_empty_roster() -> None:
    assert candidates("张店区人民政府", []) == []
    many = [f"张店区人民政府{i}" for i in range(3)]
    assert len(candidates("张店区人民政府", ["张店区人民政府", *many], limit=1)) == 1
