"""Figures stated in the prose of a report: requests, outcomes, review, channels, proactive items, fees, NPC/CPPCC.

Every rule is a keyword next to a number with a unit ("予以公开61件", "主动公开政府信息8257条"): a number
without a unit is a table cell, a date, a phone or a document number, and never becomes a mention.
Sentences about unrelated counts (the 12345 hotline, 行政审批, deputies' proposals) are fenced off by
trap words before the request and outcome rules run.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from .model import Figure

# A number with its unit: "61件", "16 件", "9800余条", "3万余条", "近30场". Its start must not follow a digit.
_NUM = (
    r"(?P<pre>近|约|逾|超过)?\s*(?<![\d.])(?P<num>\d+(?:\.\d+)?)"
    r"\s*(?P<wan>万)?\s*(?P<approx>余|多)?\s*(?P<unit>{units})"
)
# Text between a keyword and its number: no digits, no clause break, and not running into another topic.
_GAP = r"(?:(?!复议|诉讼|审批)[^，,。；;：:\d]){{0,{n}}}?"
# A rate printed right after a figure: "，占58.10%", "，占总数的33.3％", "(51.85%)", "，办复率100%".
_PCT = re.compile(
    r"\s*[，,、]?\s*(?:[（(]\s*|占[^，,。；;\d%％]{0,10}?|(?:办复率|办结率|答复率|比例为?|比重为?)\s*)"
    r"(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
)
# Sentences with these words count other things (hotline cases, approvals, deputies' proposals).
_TRAP_WORDS = ("审批", "12345", "热线", "咨询投诉", "投诉件", "留言", "诉求", "人大代表", "政协", "提案")
# The units of a count (a digit, then at most 万, 余 or 多 and spaces, then the unit): sentences with neither a count
# nor a "none" phrase hold no figure (dates, years).
_UNITS = "件条份起元个宗次"
_STOPS = "。；;！!？?"  # what ends a sentence
_FULL_WIDTH_FORMS = "０１２３４５６７８９．％"
_FULL_WIDTH = str.maketrans(_FULL_WIDTH_FORMS, "0123456789.%")
_FULL_WIDTH_CHARS = re.compile("[０-９．％]")
# Words at least one rule needs: sentences without any (table cells, dates) are skipped unread.
_TRIGGER_WORDS = ("申请", "公开", "复议", "信息", "费", "建议", "提案", "文件", "办结", "答复", "处理", "提供")
_CLIP = 200
# Qualifiers of mentions about another scope than the report's own: never the report's figure, never held
# against its tables (R7 holds the government level against the office's report).
OTHER_SCOPES = frozenset({"government_level", "region"})
FROM_PROSE = "from_prose"  # a blank table cell whose value the prose states
_SHORTEST = 4  # a keyword, a digit and a unit: shorter lines (table cells) hold no prose figure
_MIN_WRAPPED = 20  # PDF text wraps lines this long or longer; shorter lines are headings or cells


@dataclass(frozen=True)
class _Rule:
    """A keyword pattern that states one metric; `trigger`, a word every match holds, must occur in the sentence
    for it to run (a memory scan, far cheaper than the pattern's own search)."""

    metric: str
    applicant: str | None
    regex: re.Pattern[str]
    trigger: str
    guarded: bool = False  # skip sentences with trap words
    tier: int = 0  # lower is a stronger statement (proactive items)
    qualifier: str | None = None


def _rule(metric: str, applicant: str | None, pattern: str, units: str, trigger: str, **kw) -> _Rule:
    """Compile a rule; `{N}` in the pattern is a number with one of `units`, `{G<n>}` a gap of n chars."""
    pattern = pattern.replace("{N}", _NUM.format(units=units))
    pattern = re.sub(r"\{G(\d+)\}", lambda m: _GAP.format(n=m.group(1)), pattern)
    return _Rule(metric, applicant, re.compile(pattern), trigger, **kw)


_REQ_UNITS = "件|条|份|个"
# (metric, keyword pattern, trigger: a word every match holds). "予以公开及部分公开42件" is a combined figure with no
# key: the look-behind keeps 部分公开 from taking it, and 予以公开 needs its number right after it. A look-behind
# at the character before a keyword is written after the keyword's first characters, so that the pattern starts
# with a plain word that the search can skip ahead to.
_OUTCOME_WORDS = (
    ("outcome.granted", r"(?:予以|同意)(?<![及和与不]..)公开", "公开"),
    ("outcome.partial", r"部分(?<![及和与]..)公开", "部分公开"),
    ("outcome.denied.unspecified", r"不予公开|否决公开|不同意公开", "公开"),
    ("outcome.unavailable.unspecified", r"无法提供", "无法提供"),
    ("outcome.not_processed.unspecified", r"不予处理", "不予处理"),
    ("outcome.other.unspecified", r"其他处理", "其他处理"),
)
# (metric, channel words, trigger: a word every match holds)
_CHANNEL_WORDS = (
    ("channel.online", r"互联网|网上|网络|在线", "申请"),
    ("channel.letter", r"信函|邮寄|来信", "申请"),
    ("channel.in_person", r"当面|现场", "申请"),
    ("channel.fax", r"传真", "传真"),
    ("channel.email", r"电子邮件|电子邮箱", "电子邮"),
    ("channel.other", r"其他形式|其它形式|其他方式|其它方式", "申请"),
)


def _request_rules() -> list[_Rule]:
    """Requests received ("申请总数为15件", "受理…申请21件", "收到70件申请") and the government's own share."""
    g = {"guarded": True}
    return [
        _rule(
            "requests.new",
            "total",
            r"政府层面(?:的)?(?:政府信息公开)?申请\s*{N}",
            _REQ_UNITS,
            "层面",
            qualifier="government_level",
            **g,
        ),
        _rule("requests.new", "total", r"申请(?:总数|总量|数量)\s*(?:为|是|共|达)?\s*{N}", _REQ_UNITS, "申请", **g),
        _rule(
            "requests.new",
            "total",
            r"(?:收到|受理|接收|接到|办理){G40}申请(?:共计|共|合计|总计|总数为?)?\s*{N}",
            _REQ_UNITS,
            "申请",
            **g,
        ),
        _rule(
            "requests.new",
            "total",
            r"(?:收到|受理|接收|接到)(?:了)?\s*{N}(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请",
            _REQ_UNITS,
            "申请",
            **g,
        ),
    ]


def _outcome_rules() -> list[_Rule]:
    """Requests answered ("办结69件", "作出…答复书105件") and the outcome categories with their rates."""
    g = {"guarded": True}
    rules = [
        _rule(
            "outcome.total",
            "total",
            r"办结(?:依申请公开|政府信息公开申请|申请)?(?:共计|共)?\s*{N}",
            _REQ_UNITS,
            "办结",
            **g,
        ),
        _rule("outcome.total", "total", r"作出{G20}答复(?:书|决定)?(?:共计|共)?\s*{N}", _REQ_UNITS, "答复", **g),
    ]
    for metric, word, trigger in _OUTCOME_WORDS:
        # "同意公开答复数11条": old statistics wording names the count (答复数) before the number
        pattern = rf"(?:{word})(?:的)?(?:申请)?(?:答复)?(?:数|数量)?(?:共)?\s*{{N}}"
        rules.append(_rule(metric, "total", pattern, _REQ_UNITS, trigger, **g))
    return rules


def _channel_rules() -> list[_Rule]:
    """How requests arrived: "通过互联网申请5件", "以信函形式申请10件"."""
    rules = []
    for metric, words, trigger in _CHANNEL_WORDS:
        pattern = rf"(?:{words})(?:形式|方式|途径|渠道)?(?:提出|提交)?(?:的)?申请(?:的)?(?:数|数量)?(?:共)?\s*{{N}}"
        rules.append(_rule(metric, None, pattern, _REQ_UNITS, trigger, guarded=True))
    return rules


def _review_rules() -> list[_Rule]:
    """Administrative review cases. Litigation counts in prose are not split into direct / after review,
    so they map to no canonical key and are deliberately not extracted."""
    units = "件|起|份|宗|次"
    return [
        _rule("review.total", None, r"行政复议(?:申请|案件)?(?:共计|共)?\s*{N}", units, "行政复议"),
        _rule("review.total", None, r"收到\s*{N}[^，,。；;\d]{0,16}?行政复议(?:申请)?", units, "行政复议"),
    ]


def _proactive_rules() -> list[_Rule]:
    """Items disclosed proactively; tier 0 says 主动公开 outright, tier 2 only 公开/发布 政府信息."""
    return [
        _rule(
            "proactive.items",
            None,
            r"主动公开(?<!应....)(?:了)?(?:各类)?(?:政府)?信息(?:总数为?|总量为?|数为|共计|共)?\s*{N}",
            "条",
            "主动公开",
        ),
        _rule(
            "proactive.items",
            None,
            r"主动公开(?<!应....)[^，,。；;：:、（）()\d的]{1,12}?政府信息(?:共计|共)?\s*{N}",
            "条",
            "主动公开",
            tier=1,
        ),
        _rule(
            "proactive.items",
            None,
            r"(?:公开|发布|公布)(?:了)?(?:各类|各种)?(?:政府|政务)信息[^，,。；;：:\d]{0,6}?{N}",
            "条",
            "信息",
            tier=2,
        ),
    ]


def _fee_rules() -> list[_Rule]:
    """The FOI processing fee actually charged, in yuan ("收取政府信息公开信息处理费 0 元")."""
    pattern = r"(?:信息处理费|政府信息公开(?:的)?(?:信息)?(?:处理)?(?:收费|费用|费))(?:共计|共|合计|为)?\s*{N}"
    return [_rule("fees.disclosure_charged_yuan", None, pattern, "元", "费")]


def _deputy_rules() -> list[_Rule]:
    """NPC deputies' suggestions and CPPCC proposals handled; `lvl` marks another level's (市/省) ones."""
    return [
        _rule(
            "npc.suggestions",
            None,
            r"(?<!提案[和及与、])(?P<lvl>市|省|全国)?人大代表(?:的)?建议(?:和批评意见)?(?:共计|共)?\s*{N}",
            "件|条",
            "建议",
        ),
        _rule(
            "cppcc.proposals",
            None,
            r"(?<!建议[和及与、])(?P<lvl>市|省|全国)?政协(?:委员)?(?:的)?提案(?:共计|共)?\s*{N}",
            "件|条",
            "提案",
        ),
    ]


def _docs_rules() -> list[_Rule]:
    """Normative documents issued this year and in force, which pin glued table cells and feed R5."""
    units = "件|份|个"
    issued = r"(?:本年度?|今年|年内)(?:新)?(?:制发|制定|新制作|制作|出台|印发|发布)(?:的)?(?:行政)?规范性文件\s*{N}"
    in_force = r"现行有效(?:的)?(?:行政)?(?:规范性)?文件(?:数|数量)?(?:为|共)?\s*{N}"
    return [
        _rule("normative_docs.issued", None, issued, units, "规范性文件"),
        _rule("normative_docs.in_force", None, in_force, units, "现行有效"),
    ]


_RULES: tuple[_Rule, ...] = tuple(
    _request_rules()
    + _outcome_rules()
    + _channel_rules()
    + _review_rules()
    + _proactive_rules()
    + _fee_rules()
    + _deputy_rules()
    + _docs_rules()
)

# Statements of "none" that are figures of 0 (raw text = the phrase). `context` must also be in the sentence.
_ZERO_RULES: tuple[tuple[str, str | None, re.Pattern[str], re.Pattern[str] | None], ...] = (
    (
        "requests.new",
        "total",
        re.compile(
            r"(?:未收到|没有收到|未接到|未受理|没有受理)(?:有关|任何)?(?:的)?(?:政府信息公开|信息公开|依申请公开)(?:的)?申请"
        ),
        None,
    ),
    (
        "review.total",
        None,
        # "未发生行政复议被纠错" says nothing about how many reviews there were.
        re.compile(
            r"(?:未收到|没有收到|没有|未发生|未出现|未有|无因)[^，,。；;\d]{0,20}?行政复议(?!被|纠错|败诉|结果)"
        ),
        None,
    ),
    (
        "fees.disclosure_charged_yuan",
        None,
        re.compile(
            r"(?:未|没有|无|不|均未)收取[^，,。；;\d]{0,12}?(?:信息处理费|费用)"
            r"|没有[^，,。；;\d]{0,12}?收费(?:及减免)?(?:的)?情况"
            r"|依申请提供(?:政府)?信息(?:暂|均)?不收(?:取)?费"
        ),
        re.compile(r"政府信息|信息处理费|依申请"),
    ),
)
_APPLICANT = re.compile(
    r"(?P<who>自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他组织)(?:提出申请|申请|提出)?(?:共)?\s*"
    + _NUM.format(units=_REQ_UNITS)
)
_APPLICANT_KEYS = {
    "自然人": "natural_person",
    "商业企业": "commercial",
    "科研机构": "research",
    "社会公益组织": "social_org",
    "法律服务机构": "legal_service",
    "其他组织": "other_org",
}
_RESOLVED = re.compile(r"(?:办结|办复|答复)(?:了)?(?:共)?\s*" + _NUM.format(units="件|条"))
_DEPUTY_TOPIC = re.compile(r"人大代表建议|代表建议|提案")
# Clauses about a department's or a town's own count, not the report's total.
_PART_OF_WHOLE = re.compile(r"局|栏目|乡镇|公开办|区直|县直|部门|采购")
_WHOLE = re.compile(r"全区|全县|全市|全省|全镇")
_YEAR = re.compile(r"(\d{4})\s*年")
# Whose count a sentence states (see _scope): the government level, the body itself, or a whole region.
_SCOPE = re.compile(
    r"(?P<level>政府层面|办(?:公室|公厅)?代表[^，,。；;\d]{0,10}?政府|以[^，,。；;\d]{0,10}?政府(?:的)?名义"
    r"|(?:政府|[市区县旗])本级|本级政府)"
    r"|(?P<own>本机关|本单位|本部门|本局|我局|本委|我委)"
    r"|(?P<region>全(?:区|县|市|省|镇|旗|州|盟)(?!统一|部署|要求))"
    r"|(?P<each>各(?:部门|单位|成员单位|乡镇|镇街|街道|镇|科室|直属单位)(?:共|合计|累计|总计)?)"
)
_SCOPED = ("requests.", "outcome.", "channel.", "review.")
_GOVERNMENT = re.compile(r"(?:人民政府|管理委员会|管委会|行政公署)$")
# A fee the agency spent rather than charged; what says it was charged to applicants.
_SPENDING = re.compile(r"支出|投入|经费|预算|花费|开支|用于|拨付")
_CHARGING = re.compile(r"收取|收费|缴纳|缴费|向申请人|减免")
_CLAUSE_BREAK = re.compile(r"[，,；;。]")
# Section headings: a Chinese numeral and 、 at the start of a line or after a sentence. The template's
# own row labels (一、本年新收 … 四、结转下年度) are not headings.
# Glued table text puts a heading right after a digit ("5949.088667三、收到…"); "—、" is a typo for 一、.
# One to three numerals are written as one, then up to two more: a pattern that opens with a character set is
# tried only where one of its characters stands, which the search finds quickly.
_HEADING = re.compile(
    r"(?P<n>[一二三四五六七八九十—][一二三四五六七八九十—]{0,2})\s*[、.．]\s*(?![一二三四五六七八九十])"
    r"(?!本年新收|上年结转|本年度办理|结转下年)"
)
_BEFORE_HEADING = frozenset(" \t\n\r\u3000。；>]0123456789")
_HEADING_FIRST = "一二三四五六七八九十—"  # the characters a heading starts with
_LINE_HEAD = re.compile(r"[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|-\s*\d+\s*-")
_NUMERALS = "一二三四五六七八九"


@dataclass
class _Hit:
    """A figure found in one sentence, before it is placed in the text."""

    metric: str
    applicant: str | None
    value: float
    raw: str
    pos: int  # offset of the number in the text
    span: tuple[int, int]  # the sentence
    percent: float | None = None
    qualifier: str | None = None
    tier: int = 0
    other_level: bool = False


def extract_prose(text: str, year: int | None, agency: str | None = None) -> list[Figure]:
    """Every figure stated in the prose of `text`, in text order, as Figure(kind="prose").

    `agency` (the report's) tells whether 本机关 means a government itself and whether 全区 is the report's own scope.
    """
    hits: list[_Hit] = []
    # The same length after translation, so offsets stay valid for `text`.
    plain = _plain(text)
    joined = _Unwrapped(text, _wrap_breaks(plain))
    plain_joined = joined.apply(plain)
    government = None if agency is None else bool(_GOVERNMENT.search(agency))
    for start, end, counted in _sentence_spans(plain_joined):
        sentence = plain_joined[start:end]
        zero = _says_none(sentence)
        if (zero or counted) and _holds_any(sentence, _TRIGGER_WORDS):
            hits += _sentence_hits(sentence, (start, end), joined.text, year, zero, government)
    return _figures(text, joined, _select(hits))


def _plain(text: str) -> str:
    """`text` with full-width digits, points and percent signs as ASCII, one character for one.

    The parser folds full-width digits before prose is read, so most texts have none of these: looking for each
    character alone (a memory scan) costs far less than the pattern's scan of the whole text.
    """
    if not any(char in text for char in _FULL_WIDTH_FORMS):
        return text
    return _FULL_WIDTH_CHARS.sub(lambda m: m.group().translate(_FULL_WIDTH), text)


def _sentence_spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, whether a number with a unit stands in it) of each sentence that may hold a figure: lines (wraps
    already joined) split on 。；!?. A line needs a number with a unit ("61件", "3万余条") or a word saying "none"."""
    pos = 0
    for line in text.split("\n"):
        p_start, p_end = pos, pos + len(line)
        pos = p_end + 1
        if p_end - p_start < _SHORTEST:
            continue
        counts = _count_units(line)
        if not counts and not _says_none(line):
            continue
        k = 0
        for start, end in _sentences(line):
            while k < len(counts) and counts[k] < start:
                k += 1
            yield p_start + start, p_start + end, k < len(counts) and counts[k] < end


def _count_units(line: str) -> list[int]:
    """Offsets of the units in a line that end a count ("61件", "3万余条"), in order.

    The units are looked for in the line once, by memory scans, rather than in each of its sentences by a pattern:
    a pattern's scan tests every character against a set, and the reading back from a unit never crosses a stop.
    """
    found = []
    for unit in _UNITS:
        if unit not in line:  # an operator: no argument parsing, unlike find()
            continue
        pos = line.find(unit)
        while pos != -1:
            if _count_ends_before(line, pos):
                found.append(pos)
            pos = line.find(unit, pos + 1)
    found.sort()
    return found


def _count_ends_before(line: str, pos: int) -> bool:
    """Whether a count's number ends before the unit at `pos`: a digit, then at most 万, then 余 or 多, with any
    spaces between."""
    i = pos - 1
    while i >= 0 and line[i].isspace():
        i -= 1
    if i >= 0 and line[i] in "余多":
        i -= 1
        while i >= 0 and line[i].isspace():
            i -= 1
    if i >= 0 and line[i] == "万":
        i -= 1
        while i >= 0 and line[i].isspace():
            i -= 1
    return i >= 0 and line[i].isdecimal()


def _sentences(line: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a line: a run of characters other than stops, with the stop that ends it
    (a stop right after another starts no sentence). Stops are found by memory scans, one per kind of stop: far
    cheaper than a pattern's scan, which tests every character against a set."""
    stops = []
    for stop in _STOPS:
        pos = line.find(stop)
        while pos != -1:
            stops.append(pos)
            pos = line.find(stop, pos + 1)
    stops.sort()
    spans = []
    start = 0
    for pos in stops:
        if pos > start:
            spans.append((start, pos + 1))
        start = pos + 1
    if start < len(line):
        spans.append((start, len(line)))
    return spans


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether any of the words stands in the text: one memory scan per word, far cheaper than an alternation
    pattern's scan, which tests every character against the set of the words' first characters."""
    for word in words:
        if word in text:
            return True
    return False


def _says_none(text: str) -> bool:
    """Whether a "none" word (未, 没有, 无收, 不收) occurs: zero phrases need one."""
    return "未" in text or "没有" in text or "无收" in text or "不收" in text


class _Unwrapped:
    """A text with some characters cut out (line breaks that only wrap a sentence), and the way back to offsets."""

    def __init__(self, text: str, cuts: list[tuple[int, int]]):
        self._cuts = cuts  # (start, end) of each cut, in order
        self._kept_at: list[int] = []  # offset in the joined text where each kept piece starts
        self._source_at: list[int] = []  # offset in `text` where that piece starts
        pos = joined = 0
        for start, end in [*cuts, (len(text), len(text))]:
            self._kept_at.append(joined)
            self._source_at.append(pos)
            joined += start - pos
            pos = end
        self.text = self.apply(text)

    def apply(self, text: str) -> str:
        """`text` (or one of the same length) with the cuts made."""
        if not self._cuts:
            return text
        pieces, pos = [], 0
        for start, end in self._cuts:
            pieces.append(text[pos:start])
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)

    def source(self, pos: int) -> int:
        """The offset in the original text of offset `pos` of the joined text."""
        k = bisect_right(self._kept_at, pos) - 1
        return self._source_at[k] + pos - self._kept_at[k]


def _wrap_breaks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line break that only wraps a long line mid-sentence, with the spaces around it."""
    cuts = []
    pos = 0
    lines = text.split("\n")
    for line, nxt in pairwise(lines):  # the last line ends the text, not with a break
        end = pos + len(line)
        if len(line) >= _MIN_WRAPPED and _is_wrap(line, nxt):
            before = len(line) - len(line.rstrip(" \u3000"))
            cuts.append((end - before, end + 1 + _spaces_at(text, end + 1)))
        pos = end + 1
    return cuts


def _spaces_at(text: str, pos: int) -> int:
    """How many spaces (ASCII or ideographic) start at `pos`."""
    n = pos
    while n < len(text) and text[n] in " \u3000":
        n += 1
    return n - pos


def _is_wrap(printed_line: str, next_line: str) -> bool:
    """Whether the break between two lines only wraps a long line mid-sentence (PDF text), not a paragraph end."""
    printed = printed_line.rstrip()
    line = printed.strip()
    nxt = next_line.strip()
    if len(printed) < _MIN_WRAPPED or not nxt or "\t" in line or "\t" in nxt:
        return False
    # a paragraph's first line is indented, so it is full with fewer characters; a short heading is not
    if len(line) < _MIN_WRAPPED and _LINE_HEAD.match(line):
        return False
    return line[-1] not in "。；;！!？?：:" and not _LINE_HEAD.match(nxt)


def _sentence_hits(
    sentence: str, span: tuple[int, int], text: str, year: int | None, zero: bool, government: bool | None
) -> list[_Hit]:
    """All rule, zero-phrase, applicant and resolved-count hits of one sentence."""
    trapped = _holds_any(sentence, _TRAP_WORDS)
    hits: list[_Hit] = []
    for rule in _RULES:
        if rule.trigger not in sentence or (rule.guarded and trapped):
            continue
        for m in rule.regex.finditer(sentence):
            if _stands(rule.metric, sentence, m, year):
                hits.append(_rule_hit(rule, m, sentence, text, span))
    if zero:
        hits += _zero_hits(sentence, span)
    for h in hits:
        h.qualifier = h.qualifier or _scope(h.metric, sentence, h.pos - span[0], government)
    if hits:
        hits += _applicant_hits(sentence, text, span, hits)
    if trapped and _DEPUTY_TOPIC.search(sentence):
        hits += _resolved_hits(sentence, text, span)
    return hits


def _stands(metric: str, sentence: str, m: re.Match[str], year: int | None) -> bool:
    """Whether a rule's match states its metric: a whole-year proactive count, a fee charged to applicants."""
    if metric == "proactive.items":
        return _about_whole(sentence, m.start(), year)
    if metric == "fees.disclosure_charged_yuan":
        return _charged(sentence[: m.start("num")], m.group())
    return True


def _charged(before: str, matched: str) -> bool:
    """Whether a fee is one charged to applicants, not what the agency itself spent on disclosure work.

    A processing fee (信息处理费) is charged by definition; 政府信息公开费用 is only when the sentence says so.
    """
    clause = _CLAUSE_BREAK.split(before)[-1]
    if _SPENDING.search(clause):
        return False
    return "处理费" in matched or bool(_CHARGING.search(before + matched))


def _scope(metric: str, sentence: str, pos: int, government: bool | None) -> str | None:
    """The scope a request count is stated for, when it is not the report's own: the last scope word before it.

    The government level (政府层面, an office 代表 the government, 本级, and 本机关 in a government's report) is
    "government_level"; a whole region (全区) in the report of a body other than a government is "region".
    """
    if not metric.startswith(_SCOPED):
        return None
    # A scope word inside a parenthesis closed before the number is an aside: "全区105件（政府层面16件），办结100件".
    found = [m for m in _SCOPE.finditer(sentence, 0, pos) if not _closed_after(sentence[m.end() : pos])]
    if not found:
        return None
    word = found[-1].lastgroup
    if word == "each":
        # "各部门共受理…188件": a sum over the units, when said in the clause of the count
        return "region" if government is False and not _CLAUSE_BREAK.search(sentence[found[-1].end() : pos]) else None
    if word == "level" or (word == "own" and government):
        return "government_level"
    if word == "region" and government is False:
        return "region"
    return None


def _rule_hit(rule: _Rule, m: re.Match[str], sentence: str, text: str, span: tuple[int, int]) -> _Hit:
    """A hit from a rule's match, with the rate printed right after it if any."""
    value, raw, qualifier = _number(m, text, span[0])
    pct = _PCT.match(sentence, m.end())
    lvl = "lvl" in m.re.groupindex and m.group("lvl") is not None
    return _Hit(
        rule.metric,
        rule.applicant,
        value,
        raw,
        span[0] + m.start("num"),
        span,
        float(pct.group("pct")) if pct else None,
        rule.qualifier or qualifier,
        rule.tier,
        lvl,
    )


def _number(m: re.Match[str], text: str, offset: int) -> tuple[float, str, str | None]:
    """(value, raw text as printed, "approx" or None) of a matched number with unit."""
    start = m.start("pre") if m.group("pre") else m.start("num")
    raw = text[offset + start : offset + m.end("unit")]
    value = float(m.group("num")) * (10000 if m.group("wan") else 1)
    approx = m.group("pre") or m.group("approx")
    return value, raw, "approx" if approx else None


def _about_whole(sentence: str, pos: int, year: int | None) -> bool:
    """Whether a proactive count at `pos` is the report's whole-year total, not a part or another year."""
    clause = _CLAUSE_BREAK.split(sentence[:pos])[-1]
    if _PART_OF_WHOLE.search(clause) and not _WHOLE.search(clause):
        return False
    years = _YEAR.findall(sentence[:pos])
    return year is None or not years or years[-1] == str(year)


def _closed_after(gap: str) -> bool:
    """Whether text following a word closes a parenthesis it did not open."""
    return gap.count("）") + gap.count(")") > gap.count("（") + gap.count("(")


def _zero_hits(sentence: str, span: tuple[int, int]) -> list[_Hit]:
    """Figures of 0 stated as "none" ("未收到…申请", "没有…行政复议", "未收取任何信息处理费")."""
    hits = []
    for metric, applicant, regex, context in _ZERO_RULES:
        m = regex.search(sentence)
        if m and (context is None or context.search(sentence)):
            hits.append(_Hit(metric, applicant, 0.0, m.group(), span[0] + m.start(), span))
    return hits


def _applicant_hits(sentence: str, text: str, span: tuple[int, int], found: list[_Hit]) -> list[_Hit]:
    """Applicant splits ("其中自然人申请85件，商业企业申请12件") of the total stated before them, in its scope.

    The split belongs to the last plain total before it, or to the last total of another scope when none is plain.
    """
    totals = [h for h in found if h.metric in ("requests.new", "outcome.total") and h.applicant == "total"]
    hits = []
    for m in _APPLICANT.finditer(sentence):
        before = [h for h in totals if h.pos < span[0] + m.start() and h.qualifier != "approx"]
        owner = [h for h in before if h.qualifier is None] or before
        if owner:
            value, raw, qualifier = _number(m, text, span[0])
            who = _APPLICANT_KEYS[m.group("who")]
            scope = qualifier or owner[-1].qualifier
            hits.append(_Hit(owner[-1].metric, who, value, raw, span[0] + m.start("num"), span, None, scope))
    return hits


def _resolved_hits(sentence: str, text: str, span: tuple[int, int]) -> list[_Hit]:
    """Suggestions or proposals resolved ("已办结75件"): the topic named last before the number decides which."""
    hits = []
    for m in _RESOLVED.finditer(sentence):
        topics = list(_DEPUTY_TOPIC.finditer(sentence, 0, m.start()))
        if topics:
            metric = "cppcc.resolved" if topics[-1].group() == "提案" else "npc.resolved"
            value, raw, qualifier = _number(m, text, span[0])
            hits.append(_Hit(metric, None, value, raw, span[0] + m.start("num"), span, None, qualifier))
    return hits


_SINGLE = ("proactive.items", "npc.suggestions", "npc.resolved", "cppcc.proposals", "cppcc.resolved")


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Drop duplicate readings of one number; keep one best statement of the single-valued metrics."""
    best: dict[tuple, _Hit] = {}
    for h in hits:
        key = (h.metric, h.applicant, h.pos, h.qualifier)
        if key not in best or h.tier < best[key].tier:
            best[key] = h
    kept = [h for h in best.values() if h.metric not in _SINGLE]
    for metric in _SINGLE:
        options = [h for h in best.values() if h.metric == metric]
        if options:
            # The strongest wording first, then the agency's own level, then the first statement.
            kept.append(min(options, key=lambda h: (h.tier, h.other_level, h.pos)))
    return sorted(kept, key=lambda h: h.pos)


def _figures(text: str, joined: _Unwrapped, hits: list[_Hit]) -> list[Figure]:
    """Turn hits into figures with their line (where the number stands), section and (clipped) sentence."""
    places = [joined.source(h.pos) for h in hits]
    heads = _section_starts(text, max(places, default=-1))
    offsets = [pos for pos, _ in heads]
    out = []
    for h, pos in zip(hits, places, strict=True):
        k = bisect_right(offsets, pos)
        section = heads[k - 1][1] if k else ""
        out.append(
            Figure(
                metric=h.metric,
                applicant=h.applicant,
                value=h.value,
                raw=h.raw,
                line=text.count("\n", 0, pos) + 1,
                section=section,
                kind="prose",
                qualifier=h.qualifier,
                sentence=_clip(joined.text, h.span, h.pos),
                percent=h.percent,
            )
        )
    return out


def _clip(text: str, span: tuple[int, int], pos: int) -> str:
    """The sentence around a number, at most about 200 characters, wrapped lines joined."""
    start, end = span
    if end - start > _CLIP:
        start = max(start, pos - _CLIP // 2)
        end = min(end, start + _CLIP)
    return text[start:end].replace("\n", "").strip()


def _section_starts(text: str, until: int) -> list[tuple[int, str]]:
    """(offset, numeral) of each top-level heading up to offset `until`, taken in order: each is the previous
    numeral +1 or +2. Headings further on place no figure, and looking for them costs a scan of the rest of the text."""
    heads: list[tuple[int, str]] = []
    current = 0
    for m in _heading_matches(text, until):
        n = _cn_int(m.group("n"))
        if n is not None and current < n <= current + 2:
            heads.append((m.start("n"), "一" if n == 1 else m.group("n")))
            current = n
    return heads


def _heading_matches(text: str, until: int) -> Iterator[re.Match[str]]:
    """The heading pattern's matches that start at or before `until` after a character a heading may follow (or at
    the start), in text order.

    A match starts at a numeral: each numeral's places are found by a memory scan, far cheaper than the pattern's
    scan, which tests every character against its set. Only a numeral after such a character is tried: within a
    match, no numeral follows one of them, so leaving the others untried skips no heading.
    """
    places = []
    for numeral in _HEADING_FIRST:
        pos = text.find(numeral, 0, until + 1)
        while pos != -1:
            if not pos or text[pos - 1] in _BEFORE_HEADING:
                places.append(pos)
            pos = text.find(numeral, pos + 1, until + 1)
    places.sort()
    end = 0
    for pos in places:
        if pos >= end:
            m = _HEADING.match(text, pos)
            if m:
                end = m.end()
                yield m


def _cn_int(numeral: str) -> int | None:
    """一…九十九 as an int (headings never go past 二十)."""
    if numeral in ("十", "—"):
        return 10 if numeral == "十" else 1
    if len(numeral) == 1:
        return _NUMERALS.index(numeral) + 1 if numeral in _NUMERALS else None
    tens, sep, units = numeral.partition("十")
    if not sep or (tens and tens not in _NUMERALS) or (units and units not in _NUMERALS):
        return None
    value = (_NUMERALS.index(tens) + 1 if tens else 1) * 10
    return value + (_NUMERALS.index(units) + 1 if units else 0)


def plain_statements(mentions: list[Figure]) -> dict[tuple[str, str | None], Figure]:
    """The first plain mention of each key whose plain mentions all state the same number (none when they differ)."""
    found: dict[tuple[str, str | None], Figure] = {}
    disputed: set[tuple[str, str | None]] = set()
    for m in mentions:
        if m.qualifier is not None or m.value is None:
            continue
        first = found.setdefault(m.key(), m)
        if first.value != m.value:
            disputed.add(m.key())
    return {key: m for key, m in found.items() if key not in disputed}


def fill_blank(cell: Figure, mention: Figure) -> Figure:
    """A blank table cell given the number the prose states: it keeps its raw text and place, marked FROM_PROSE."""
    return replace(
        cell,
        value=mention.value,
        kind="prose",
        qualifier=FROM_PROSE,
        sentence=mention.sentence,
        percent=mention.percent,
    )
