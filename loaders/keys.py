"""The data dictionary in code: canonical metric and applicant keys, labels and table layouts."""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATES = ("2021", "2019", "prose", "workplan")

# Section 三 columns, in printed order.
APPLICANTS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_org", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
APPLICANT_KEYS = tuple(k for k, _ in APPLICANTS)

CATEGORIES = ("granted", "partial", "denied", "unavailable", "not_processed", "other")
# Agency levels and types (keys stored in the database, labels shown).
LEVELS = {"province": "省级", "city": "市级", "county": "区县级", "township": "乡镇级", "national": "国家级"}
TYPES = {"government": "政府", "office": "政府办公室", "department": "部门"}

# The outcome categories as section 三 of the 2021 template names them.
CATEGORY_LABELS = {
    "granted": "予以公开",
    "partial": "部分公开",
    "denied": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}

# What findings are about: the reconciliation rules R1–R9 of the national templates and the problems the parser
# itself met, each in words; and how severe a finding is (keys stored in the database, labels shown). A new rule is
# one entry here and one check file sql/checks/chk_<what it checks>.sql: the findings view reads every check file.
RULES = {
    "R1": "新收＋上年结转＝办理总计＋结转下年（逐列）",
    "R2": "各办理结果之和＝办理总计（逐列）",
    "R3": "六类申请人之和＝总计（逐行）",
    "R4": "维持＋纠正＋其他＋尚未审结＝总计（复议、诉讼）",
    "R5": "正文中的数字与表格一致",
    "R6": "本年上年结转＝上一年度结转下年",
    "R7": "政府层面的数字与办公室年报一致",
    "R8": "模板与年度相符，六个部分齐全",
    "R9": "计数为非负整数，照印原样",
    "PARSE": "解析时发现的问题",
}
SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}
# The templates a document is read as (loaders/sections.py detects them from structure), in words.
TEMPLATES = {"2021": "2021版模板", "2019": "2019版模板", "prose": "文字报告", "workplan": "工作要点"}
REPORT_TEMPLATES = ("2021", "2019", "prose")  # the templates of an annual report (a work plan is not one)
CHECK_RULES = tuple(r for r in RULES if r != "PARSE")  # the template's own rules, R1 … R9

# The review statuses of a finding, in the order a finding usually moves through them. The first is the status of
# a finding nobody has reviewed yet (sql/macros/with_review_state.sql spells it as the default).
STATUSES = ("待核实", "已说明", "已更正", "不采纳")
UNREVIEWED = STATUSES[0]
CORRECTED = STATUSES[2]  # set by a correction made from the finding; its undo puts back the status it replaced
# What each status means, in the words the pages use to explain them.
STATUS_MEANINGS = {
    "待核实": "尚无人核查",
    "已说明": "报告单位或审核人已作出情况说明",
    "已更正": "审核人已从该问题更正数值，更正生效中；撤销该更正即恢复更正前的状态",
    "不采纳": "审核人认为该问题不成立",
}


@dataclass(frozen=True)
class RowDef:
    """One printed row of a template table: its metric key, label and the keywords that find it."""

    metric: str
    label: str
    keywords: tuple[str, ...]


def _row(metric: str, label: str, *keywords: str) -> RowDef:
    return RowDef(metric, label, keywords or (label,))


_S3_HEAD = (
    _row("requests.new", "一、本年新收政府信息公开申请数量", "本年新收"),
    _row("requests.carried_over", "二、上年结转政府信息公开申请数量", "上年结转"),
    _row("outcome.granted", "（一）予以公开", "予以公开"),
    _row("outcome.partial", "（二）部分公开", "部分公开"),
    _row("outcome.denied.state_secret", "1.属于国家秘密", "国家秘密"),
    _row("outcome.denied.prohibited_by_law", "2.其他法律行政法规禁止公开", "禁止公开", "其他法律", "行政止公开"),
    _row("outcome.denied.security_stability", "3.危及“三安全一稳定”", "三安全", "一稳定"),
    _row("outcome.denied.third_party", "4.保护第三方合法权益", "第三方"),
    _row("outcome.denied.internal_affairs", "5.属于三类内部事务信息", "内部事务"),
    _row("outcome.denied.process_info", "6.属于四类过程性信息", "过程性"),
    _row("outcome.denied.enforcement_file", "7.属于行政执法案卷", "执法案卷"),
    _row("outcome.denied.query_matter", "8.属于行政查询事项", "查询事项"),
    _row("outcome.unavailable.not_held", "1.本机关不掌握相关政府信息", "不掌握"),
    _row("outcome.unavailable.needs_creation", "2.没有现成信息需要另行制作", "另行制作", "没有现成"),
    _row("outcome.unavailable.unclear", "3.补正后申请内容仍不明确", "仍不明确", "补正后"),
    _row("outcome.not_processed.petition", "1.信访举报投诉类申请", "信访", "举报投诉"),
    _row("outcome.not_processed.duplicate", "2.重复申请", "重复申请"),
    _row("outcome.not_processed.publication", "3.要求提供公开出版物", "出版物"),
    _row("outcome.not_processed.excessive", "4.无正当理由大量反复申请", "大量反复"),
    _row("outcome.not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", "重新出具", "已获取信息"),
)
_S3_TAIL = (
    _row("outcome.total", "（七）总计", "总计"),
    _row("requests.carried_forward", "四、结转下年度继续办理", "结转下年"),
)
SECTION3_ROWS: dict[str, tuple[RowDef, ...]] = {
    "2021": _S3_HEAD
    + (
        _row(
            "outcome.other.no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "逾期不补正",
            "不补正",
        ),
        _row(
            "outcome.other.unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "缴纳费用",
            "收费通知",
        ),
        _row("outcome.other.other", "3.其他", "其他"),
    )
    + _S3_TAIL,
    "2019": _S3_HEAD + (_row("outcome.other.unspecified", "（六）其他处理", "其他处理"),) + _S3_TAIL,
}

# Section 四: three blocks of five, in printed order.
REVIEW_BLOCKS = ("review", "litigation.direct", "litigation.after_review")
REVIEW_PARTS = (
    ("maintained", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
SECTION4_KEYS = tuple(f"{b}.{p}" for b in REVIEW_BLOCKS for p, _ in REVIEW_PARTS)
REVIEW_BLOCK_LABELS = {
    "review": "行政复议",
    "litigation.direct": "未经复议直接起诉",
    "litigation.after_review": "复议后起诉",
}


@dataclass(frozen=True)
class Section2Row:
    """A row of section 二: the keywords of its label and one metric per printed column."""

    label: str
    keywords: tuple[str, ...]
    metrics: tuple[str, ...]
    columns: tuple[str, ...]


_COLS21_DOCS = ("本年制发件数", "本年废止件数", "现行有效件数")
_COLS19_DOCS = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
_COLS19_ITEMS = ("上一年项目数量", "本年增/减", "处理决定数量")

SECTION2_ROWS: dict[str, tuple[Section2Row, ...]] = {
    "2021": (
        Section2Row("规章", ("规章",), ("rules.issued", "rules.repealed", "rules.in_force"), _COLS21_DOCS),
        Section2Row(
            "行政规范性文件",
            ("规范性文件",),
            ("normative_docs.issued", "normative_docs.repealed", "normative_docs.in_force"),
            _COLS21_DOCS,
        ),
        Section2Row("行政许可", ("行政许可",), ("licensing.decisions",), ("本年处理决定数量",)),
        Section2Row("行政处罚", ("行政处罚",), ("penalty.decisions",), ("本年处理决定数量",)),
        Section2Row("行政强制", ("行政强制",), ("coercion.decisions",), ("本年处理决定数量",)),
        Section2Row("行政事业性收费", ("行政事业性收费",), ("fees.amount_wan_yuan",), ("本年收费金额（单位：万元）",)),
    ),
    "2019": (
        Section2Row("规章", ("规章",), ("rules.made", "rules.published", "rules.public_total"), _COLS19_DOCS),
        Section2Row(
            "规范性文件",
            ("规范性文件",),
            ("normative_docs.made", "normative_docs.published", "normative_docs.public_total"),
            _COLS19_DOCS,
        ),
        Section2Row(
            "行政许可",
            ("行政许可",),
            ("licensing.items_prev", "licensing.items_change", "licensing.decisions"),
            _COLS19_ITEMS,
        ),
        Section2Row(
            "其他对外管理服务事项",
            ("其他对外管理服务",),
            ("other_services.items_prev", "other_services.items_change", "other_services.decisions"),
            _COLS19_ITEMS,
        ),
        Section2Row(
            "行政处罚",
            ("行政处罚",),
            ("penalty.items_prev", "penalty.items_change", "penalty.decisions"),
            _COLS19_ITEMS,
        ),
        Section2Row(
            "行政强制",
            ("行政强制",),
            ("coercion.items_prev", "coercion.items_change", "coercion.decisions"),
            _COLS19_ITEMS,
        ),
        Section2Row("行政事业性收费", ("行政事业性收费",), ("fees.items_prev", "fees.items_change"), _COLS19_ITEMS[:2]),
        Section2Row(
            "政府集中采购",
            ("政府集中采购",),
            ("procurement.items", "procurement.amount_wan_yuan"),
            ("采购项目数量", "采购总金额"),
        ),
    ),
}


@dataclass(frozen=True)
class MetricDef:
    """A canonical metric: key, Chinese label, section, kind of value and the templates that print it."""

    key: str
    label: str
    section: str
    kind: str  # count | change | amount
    templates: tuple[str, ...]
    category: str | None = None


def _s3_metric_defs() -> list[MetricDef]:
    out: dict[str, MetricDef] = {}
    for template, rows in SECTION3_ROWS.items():
        for row in rows:
            prev = out.get(row.metric)
            templates = (prev.templates if prev else ()) + (template,)
            parts = row.metric.split(".")
            category = parts[1] if parts[0] == "outcome" and parts[1] in CATEGORIES else None
            out[row.metric] = MetricDef(row.metric, row.label, "三", "count", templates, category)
    return list(out.values())


def _s2_metric_defs() -> list[MetricDef]:
    out: dict[str, MetricDef] = {}
    for template, rows in SECTION2_ROWS.items():
        for row in rows:
            for metric, column in zip(row.metrics, row.columns, strict=True):
                kind = "amount" if "amount" in metric else "change" if metric.endswith("items_change") else "count"
                prev = out.get(metric)
                templates = (prev.templates if prev else ()) + (template,)
                out[metric] = MetricDef(metric, f"{row.label}·{column}", "二", kind, templates)
    return list(out.values())


def _s4_metric_defs() -> list[MetricDef]:
    return [
        MetricDef(f"{b}.{p}", f"{REVIEW_BLOCK_LABELS[b]}·{label}", "四", "count", ("2021", "2019", "prose"))
        for b in REVIEW_BLOCKS
        for p, label in REVIEW_PARTS
    ]


_ALL = ("2021", "2019", "prose")
_PROSE_DEFS = [
    MetricDef("channel.online", "申请渠道·网络", "prose", "count", ("prose",)),
    MetricDef("channel.letter", "申请渠道·信函", "prose", "count", ("prose",)),
    MetricDef("channel.in_person", "申请渠道·当面", "prose", "count", ("prose",)),
    MetricDef("channel.fax", "申请渠道·传真", "prose", "count", ("prose",)),
    MetricDef("channel.email", "申请渠道·电子邮件", "prose", "count", ("prose",)),
    MetricDef("channel.other", "申请渠道·其他", "prose", "count", ("prose",)),
    MetricDef("proactive.items", "主动公开政府信息条数", "prose", "count", _ALL),
    MetricDef("fees.disclosure_charged_yuan", "信息处理费（元）", "prose", "amount", _ALL),
    MetricDef("npc.suggestions", "人大代表建议件数", "prose", "count", _ALL),
    MetricDef("npc.resolved", "人大代表建议办结件数", "prose", "count", _ALL),
    MetricDef("cppcc.proposals", "政协委员提案件数", "prose", "count", _ALL),
    MetricDef("cppcc.resolved", "政协委员提案办结件数", "prose", "count", _ALL),
]
_UNSPECIFIED = [
    MetricDef(f"outcome.{c}.unspecified", f"{CATEGORY_LABELS[c]}（未分项）", "三", "count", ("prose",), c)
    for c in CATEGORIES
    if c not in ("granted", "partial", "other")
]

METRICS: dict[str, MetricDef] = {
    m.key: m for m in _s2_metric_defs() + _s3_metric_defs() + _UNSPECIFIED + _s4_metric_defs() + _PROSE_DEFS
}


def category_of(metric: str) -> str | None:
    """The outcome category (granted, partial, denied, ...) of an outcome metric, or None."""
    parts = metric.split(".")
    if parts[0] == "outcome" and len(parts) > 1 and parts[1] in CATEGORIES:
        return parts[1]
    return None


def is_section3(metric: str) -> bool:
    """True for metrics that carry an applicant column (section 三)."""
    return metric.startswith(("requests.", "outcome."))
