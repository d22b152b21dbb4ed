"""Plain data passed between the loader's steps: cells, figures, findings and parsed reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Cell:
    """A raw table cell as extracted: text and where it stood, not yet named or converted."""

    text: str
    section: str  # "二", "三", "四"
    row_label: str
    col_label: str
    line: int  # 1-based line in the source text (first line of the cell)


@dataclass
class Figure:
    """One canonical figure with its raw text and provenance.

    value is None when the report prints the cell but states no number ("/", "—", blank).
    """

    metric: str
    applicant: str | None
    value: float | None
    raw: str
    line: int | None
    section: str
    row_label: str = ""
    col_label: str = ""
    kind: str = "table"  # table | prose
    # "approx" ("9800余条"); "ambiguous" (glued digits, no value); "uncertain" (a cell placed by inference);
    # "from_prose" (a blank cell given the prose's number); "government_level" / "region" (another scope's count)
    qualifier: str | None = None
    sentence: str | None = None  # the sentence a prose figure came from
    percent: float | None = None  # a rate stated beside a prose figure (e.g. 占58.10%)
    location: str | None = None  # where the line sits in the original file: page, table and row, sheet and cell

    def key(self) -> tuple[str, str | None]:
        """The metric+applicant pair that identifies the figure within a report."""
        return (self.metric, self.applicant)


@dataclass
class Finding:
    """A problem the parser itself saw (ambiguous split, unreadable table, ...)."""

    rule: str
    severity: str  # error | warning | info
    message: str
    cells: list[dict] = field(default_factory=list)


@dataclass
class Report:
    """Everything parsed from one source file."""

    source: str  # file name as given
    text: str  # the normalised text the line numbers refer to
    content_hash: str
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    region: str | None = None
    parent: str | None = None
    published_on: str | None = None  # ISO date
    sections: list[str] = field(default_factory=list)  # section numerals found: 一 … 六
    figures: list[Figure] = field(default_factory=list)
    mentions: list[Figure] = field(default_factory=list)  # every prose mention, for R5
    findings: list[Finding] = field(default_factory=list)
    source_format: str = "text"
    encoding: str | None = None
    # Where agency and year were read (loaders.meta.SOURCES): title, text, period, signature, filename, workbook,
    # or given by the user; None while unknown.
    agency_source: str | None = None
    year_source: str | None = None

    def to_json(self) -> dict:
        """The stable `parse --json` shape of this report (findings added by the caller)."""
        return {
            "source": self.source,
            "agency": self.agency,
            "year": self.year,
            "agency_source": self.agency_source,
            "year_source": self.year_source,
            "template": self.template,
            "figures": [
                {
                    "metric": f.metric,
                    "applicant": f.applicant,
                    "value": json_number(f.value),
                    "raw": f.raw,
                    "line": f.line,
                }
                for f in self.figures
            ],
        }

    def as_dict(self) -> dict:
        """Every field, for storage and debugging."""
        return asdict(self)


def json_number(value: float | None) -> int | float | None:
    """A value as JSON wants it: whole numbers as int, others as float, absent as None."""
    if value is None or not float(value).is_integer():
        return value
    return int(value)


@dataclass
class Document:
    """A file of any format read as report text: tables one row per line with tab-separated cells.

    `locations[i]` says where line i+1 of `text` came from in the original file ("第3页", "表2 第5行",
    "Sheet1 第7行"), so that every figure can point back to its place in a PDF, Word or Excel file.
    """

    text: str
    locations: list[str] = field(default_factory=list)
    source_format: str = "text"
    encoding: str | None = None


class ReportError(Exception):
    """A file that cannot be read as a report; the message names the file and the problem in Chinese and English."""

    def __init__(self, source: str, zh: str, en: str):
        super().__init__(f"{source}: {zh} / {en}")
        self.source, self.zh, self.en = source, zh, en


@dataclass(frozen=True)
class Given:
    """An agency and a year the user supplies for a report (None: not supplied)."""

    agency: str | None = None
    year: int | None = None
