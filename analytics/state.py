"""The shared selection (region, level, type, agencies, years) and its round trip through the page URL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from loaders.keys import LEVELS, TYPES

__all__ = ["LEVELS", "TYPES", "Selection", "from_query"]

_LIST_KEYS = ("region", "level", "type", "agency")


@dataclass(frozen=True)
class Selection:
    """What the user chose in the sidebar; empty means everything."""

    regions: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def params(self) -> dict[str, object]:
        """The selection as named SQL parameters ($regions, $levels, $types, $agencies, $year_from, $year_to)."""
        return {
            "regions": list(self.regions),
            "levels": list(self.levels),
            "types": list(self.types),
            "agencies": list(self.agencies),
            "year_from": self.year_from,
            "year_to": self.year_to,
        }

    def to_query(self) -> dict[str, list[str] | str]:
        """URL query parameters that reproduce this selection."""
        out: dict[str, list[str] | str] = {}
        for key, values in zip(_LIST_KEYS, (self.regions, self.levels, self.types, self.agencies), strict=True):
            if values:
                out[key] = list(values)
        if self.year_from is not None:
            out["from"] = str(self.year_from)
        if self.year_to is not None:
            out["to"] = str(self.year_to)
        return out


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def from_query(get_all: Mapping[str, list[str]]) -> Selection:
    """The selection a URL describes; unknown or malformed values are ignored, never fatal."""
    lists = {key: tuple(v for v in get_all.get(key, []) if v) for key in _LIST_KEYS}
    return Selection(
        regions=lists["region"],
        levels=tuple(v for v in lists["level"] if v in LEVELS),
        types=tuple(v for v in lists["type"] if v in TYPES),
        agencies=lists["agency"],
        year_from=_year((get_all.get("from") or [None])[0]),
        year_to=_year((get_all.get("to") or [None])[0]),
    )
