"""Which roster unit a name not on the roster most likely stands for: a pure function, no database.

A report often names its agency another way than the roster does: with the names of the places above it in
front (淄博市张店区人民政府 for 张店区人民政府), 政府 for 人民政府, 办 for 办公室, a name the unit had before, or a
character the text layer or OCR misread (己 for 已). `candidates` reduces each name to keys that drop those
differences, compares them with every roster unit's (and every earlier name's) and ranks the units it finds, best
first, each with the reasons in words. It suggests; a person confirms (loaders.roster.add_alias).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Characters a text layer or OCR puts for one another, each mapped to one of the group.
CONFUSABLES = {
    "巳": "已", "己": "已", "末": "未", "士": "土", "入": "人", "曰": "日", "戍": "戌", "戊": "戌",
    "夭": "天", "兔": "免", "侯": "候", "汩": "汨", "冶": "治", "肓": "盲", "微": "徽", "祟": "崇",
    "淮": "准", "洲": "州",
}  # fmt: skip
# Words for the same body, long form first: the key keeps the short one.
SAME_WORDS = (("人民政府", "政府"), ("办公室", "办"), ("管理委员会", "管委会"), ("委员会", "委"))
# A place name and its administrative suffix, as it leads a body's name (淄博市, 山东省, 张店区, 高青县 …).
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:特别行政区|自治区|自治州|自治县|省|市|州|盟|地区|区|县|旗)")


@dataclass(frozen=True)
class Candidate:
    """A roster unit a name may stand for: how sure (0–1) and why, in words."""

    unit: str
    score: float
    reasons: tuple[str, ...]


def clean(name: str) -> str:
    """The name as compared: full-width forms folded, spaces and brackets' content kept, look-alikes unified."""
    text = unicodedata.normalize("NFKC", name or "")
    text = re.sub(r"\s+", "", text)
    return "".join(CONFUSABLES.get(ch, ch) for ch in text)


def short_form(name: str) -> str:
    """The name with 人民政府 → 政府, 办公室 → 办 and the like."""
    for long, short in SAME_WORDS:
        name = name.replace(long, short)
    return name


def place_prefixes(name: str) -> list[str]:
    """The name and each tail of it left after dropping leading place names one at a time, longest first.

    A tail must still begin with a place name, so 淄博市人民政府 never becomes 人民政府.
    """
    tails = [name]
    rest = name
    while True:
        found = _PLACE.match(rest)
        if not found or found.end() >= len(rest):
            break
        tail = rest[found.end() :]
        if not _PLACE.match(tail):
            break  # what is left is the body alone (人民政府, 卫生健康局): it names no unit by itself
        tails.append(tail)
        rest = tail
    return tails


def keys(name: str) -> list[str]:
    """Every key a name may match under: cleaned, then without leading place names, in the short forms."""
    return [short_form(tail) for tail in place_prefixes(clean(name))]


def _printed(name: str, tail: str) -> str:
    """The tail of `name` as printed (look-alikes not unified) that `tail`, a cleaned tail of it, stands for."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))[-len(tail) :]


def _one_apart(a: str, b: str) -> bool:
    """Whether two keys of equal length (at least 5) differ in exactly one character."""
    return len(a) == len(b) >= 5 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _compare(name: str, other: str) -> tuple[float, tuple[str, ...]] | None:
    """How well `name` matches `other` (a roster unit's name or earlier name): a score and reasons, or None."""
    if name == other:
        return 1.0, ("名称相同",)
    mine, theirs = place_prefixes(clean(name)), place_prefixes(clean(other))
    pairs = [(i, j) for i, a in enumerate(mine) for j, b in enumerate(theirs) if short_form(a) == short_form(b)]
    if pairs:
        i, j = min(pairs, key=sum)
        reasons = []
        if i or j:
            reasons.append("地区前缀不同")
        if mine[i] != theirs[j]:
            reasons.append("人民政府/政府、办公室/办等写法不同")
        if short_form(_printed(name, mine[i])) != short_form(_printed(other, theirs[j])):
            reasons.append("形近字（识别误差）")
        return round(0.95 - 0.05 * (i + j) - 0.03 * (mine[i] != theirs[j]), 2), tuple(reasons) or ("写法不同",)
    near = [
        (i, j) for i, a in enumerate(mine) for j, b in enumerate(theirs) if _one_apart(short_form(a), short_form(b))
    ]
    if near:
        i, j = min(near, key=sum)
        return round(0.5 - 0.05 * (i + j), 2), ("相差一个字",)
    return None


def candidates(
    name: str, units: Iterable[str], earlier: Mapping[str, str] | None = None, limit: int = 5
) -> list[Candidate]:
    """The roster units `name` may stand for, best first (at most `limit`): by the unit's own name, or by an
    earlier name the roster ties to it (`earlier`: old name → unit), each with why."""
    best: dict[str, Candidate] = {}
    pairs = [(unit, unit, ()) for unit in units]
    pairs += [(old, unit, ("名册中的曾用名",)) for old, unit in (earlier or {}).items()]
    for other, unit, via in pairs:
        found = _compare(name, other)
        if found is None:
            continue
        score, reasons = found
        if via:
            score, reasons = score - 0.02, (*via, *(r for r in reasons if r != "名称相同"))
        if unit not in best or score > best[unit].score:
            best[unit] = Candidate(unit, round(score, 2), reasons)
    return sorted(best.values(), key=lambda c: (-c.score, len(c.unit), c.unit))[:limit]


def level_and_type(name: str) -> tuple[str, str]:
    """The level and type a name reads as (keys of loaders.keys.LEVELS and TYPES), as stg_agencies reads them."""
    if re.search(r"(人民政府|政府|管委会|管理委员会|行政公署)办公(室|厅)$", name):
        kind = "office"
    elif re.search(r"(人民政府|管委会|管理委员会|行政公署|街道办事处)$", name):
        kind = "government"
    else:
        kind = "department"
    for level, pattern in (
        ("township", "镇|乡|街道"),
        ("county", "区|县|旗"),
        ("city", "市|州|盟|地区"),
        ("province", "省|自治区"),
    ):
        if re.search(pattern, name):
            return level, kind
    return "national", kind
