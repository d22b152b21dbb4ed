"""The header rows of a roster of units: how its columns may be spelled, and which row of a file is a header.

Kept apart from the roster import so that the folder walk of an ingest can tell a roster file from a report
without reading it as a roster.
"""

from __future__ import annotations

import re

# Header spellings, normalised (lower case, no spaces, underscores or punctuation) -> field.
UNIT_HEADERS = {
    "unit": ("单位", "单位名称", "机构", "机构名称", "名称", "unit", "name", "agency"),
    "parent": ("上级", "上级单位", "主管单位", "上级机关", "parent"),
    "level": ("层级", "级别", "行政层级", "level"),
    "type": ("类型", "单位类型", "机构类型", "type"),
    "peer_group": ("同类组", "同类", "同类单位组", "分组", "peergroup", "peer"),
}
CHANGE_HEADERS = {
    "old_name": ("旧名称", "原名称", "原单位", "oldname", "old"),
    "new_name": ("新名称", "现名称", "新单位", "newname", "new"),
    "kind": ("类型", "变更类型", "变更", "kind", "type", "change"),
    "year": ("年度", "年份", "年", "year"),
}


def header_of(cells: list[str]) -> tuple[str, dict[str, int]] | None:
    """(kind, field -> column) when the cells are a header row; changes first, since both have a 类型 column."""
    names = [norm(c) for c in cells]
    for kind, spellings, anchors in (
        ("changes", CHANGE_HEADERS, ("old_name", "new_name")),
        ("units", UNIT_HEADERS, ("unit",)),
    ):
        columns = columns_of(names, spellings)
        if all(a in columns for a in anchors):
            return kind, columns
    return None


def columns_of(names: list[str], spellings: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Which column holds each field, by its header spelling (the first column wins when two match)."""
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        for key, words in spellings.items():
            if name in words and key not in columns:
                columns[key] = index
    return columns


def norm(text: str) -> str:
    """A header cell as compared: lower case, without spaces, underscores, hyphens, colons or an asterisk."""
    return re.sub(r"[\s_\-:：*（）()]", "", text).lower()
