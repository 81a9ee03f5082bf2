"""How a record of any type reads in a PDF table: its columns (from the record type's fields), its
cells (local times, Chinese choice labels, yuan), and the marks an inspector must see at once:
voided, entered late, amended, signed or changed after signing.

The archive and the daily sheet share this, so one record looks the same in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from canteen.fields import Spec
from canteen.integrity.signatures import meaning_label
from canteen.read import kinds
from canteen.read.kinds import RecordType
from canteen.read.rows import RecordRow, SignatureSummary, titles
from canteen.timeutil import to_local

from .base import CHANGED_BG, LATE_BG, VOID_BG

WEIGHTS = {"text": 1.0, "longtext": 1.9, "ref": 1.0, "list": 1.7, "dict": 2.4}


@dataclass
class Column:
    title: str
    weight: float  # share of the width left after the fixed-format columns
    cell: Callable[[RecordRow], str]
    fixed: str = ""  # for a fixed-format column, a widest value: the column is as wide as it


@dataclass
class Layout:
    """The columns of one record type for a given page width."""

    columns: list[Column]
    widths: list[float]
    marks: bool = True

    @property
    def header(self) -> list[str]:
        return [c.title for c in self.columns]


@dataclass
class RowMarks:
    text: list[str] = field(default_factory=list)
    background: Any = None


class RecordFormatter:
    """Cell text for records of the session's canteen, with look-ups of referenced records done once."""

    def __init__(self, session, tz: str, font: str = ""):
        self.session, self.tz, self.font = session, tz, font
        self._titles: dict[str, dict[int, str]] = {}

    def remember(self, records: list[RecordRow]) -> None:
        """Titles of records already read, so references to them cost no query (only types that
        other records refer to)."""
        if not records:
            return
        model_name = kinds.record_type(records[0].kind).model_name
        if model_name in kinds.referenced_model_names():
            known = self._titles.setdefault(model_name, {})
            for record in records:
                known[record.id] = record.title

    def title_of(self, model_name: str, record_id: int | None) -> str:
        if record_id is None:
            return ""
        known = self._titles.setdefault(model_name, {})
        title = known.get(record_id)
        if title is None:
            found = titles(self.session, model_name, [record_id]).get(record_id)
            title = known[record_id] = found if found is not None else f"#{record_id}"
        return title

    def value(self, record: RecordRow, spec: Spec) -> str:
        """One field of a record as a reader expects it on paper (in Chinese, as the core shows it)."""
        return spec.type.show(spec, record.get(spec.name), self.tz, "zh", self.title_of)

    def event(self, record: RecordRow) -> str:
        event = kinds.record_type(record.kind).event
        if event == "datetime":
            return to_local(record.occurred_at, self.tz).strftime("%Y-%m-%d %H:%M")
        return record.day.isoformat() if event == "date" else ""


def header_label(spec: Spec) -> str:
    return spec.zh.replace("（分）", "（元）")


SAMPLE_TEXT = {"date": "2026-10-19", "datetime": "2026-10-19 06:22", "bool": "是是", "int": "99999",
               "decimal": "-99.99", "money": "99,999.99", "id": "99999", "time": "06:22"}
FLEX_MIN = 56.0  # points: a free-text column narrower than this breaks every few characters


def layout_for(rtype: RecordType, formatter: RecordFormatter, width: float, size: float,
               marks_weight: float = 1.7, one_day: bool = False, records: list[RecordRow] | None = None) -> Layout:
    """Columns for a record type: id, event, as many fields as fit, the rest in one "other" column.

    Dates, numbers and choices get the width their text needs; free text shares the rest.
    On a one-day sheet the date is in the title, so the event column keeps only the time.
    Given the records, a field none of them fills gets no column (it would only take room)."""
    lead = [Column("编号", 0, lambda r: str(r.id), SAMPLE_TEXT["id"])]
    if one_day and rtype.event == "datetime":
        lead.append(Column("时间", 0, lambda r: to_local(r.occurred_at, formatter.tz).strftime("%H:%M"),
                           SAMPLE_TEXT["time"]))
    elif rtype.event != "none" and not one_day:
        lead.append(Column(rtype.event_zh, 0, formatter.event, SAMPLE_TEXT[rtype.event]))
    specs = [spec for spec in rtype.fields if records is None or _filled(spec, records)]
    fields = [_field_column(spec, formatter) for spec in specs]
    marks = Column("标记 / 签名", marks_weight, lambda r: "")
    for keep in range(len(fields), min(3, len(fields)) - 1, -1):
        chosen = fields[:keep]
        if keep < len(fields):
            rest = specs[keep:]
            chosen = chosen + [Column("其他信息", 6.0, lambda r, rest=rest: _others(r, rest, formatter))]
        columns = lead + chosen + [marks]
        fixed = sum(_natural(c, formatter, size) for c in columns if c.fixed)
        flex = [c for c in columns if not c.fixed]
        if fixed + FLEX_MIN * len(flex) <= width:
            break
    spare = width - fixed
    total = sum(c.weight for c in flex)
    widths = [_natural(c, formatter, size) if c.fixed else spare * c.weight / total for c in columns]
    return Layout(columns, widths)


def _filled(spec: Spec, records: list[RecordRow]) -> bool:
    return any(r.get(spec.name) not in (None, "") for r in records)


def _natural(column: Column, formatter: RecordFormatter, size: float) -> float:
    """The width a fixed-format column needs for its values (headers may wrap)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    value = stringWidth(column.fixed, formatter.font, size)
    header = stringWidth(column.title[:4], formatter.font, size)  # headers wrap after four characters
    return max(value, header) + 6


def _field_column(spec: Spec, formatter: RecordFormatter) -> Column:
    fixed = SAMPLE_TEXT.get(spec.kind, "")
    if spec.type.labelled:
        fixed = max((zh for _v, _en, zh in spec.choices), key=len, default="")[:6] or "—"
    return Column(header_label(spec), WEIGHTS.get(spec.kind, 1.0), lambda r, s=spec: formatter.value(r, s), fixed)


def _others(record: RecordRow, specs: list[Spec], formatter: RecordFormatter) -> str:
    parts = []
    for spec in specs:
        text = formatter.value(record, spec)
        if text:
            parts.append(f"{header_label(spec)}：{text}")
    return "；".join(parts)


def row_marks(record: RecordRow, state: SignatureSummary | None, tz: str) -> RowMarks:
    """What the reader must notice about a row, in words and by colour."""
    marks = RowMarks()
    if record.voided:
        marks.text.append(f"【作废】{record.void_reason or ''}")
        marks.background = VOID_BG
    if state is not None and state.state == "changed_after_signing":
        marks.text.append("【签名后已修改，需重新签名】")
        marks.background = marks.background or CHANGED_BG
    if record.late_reason:
        marks.text.append(f"【补录】{record.late_reason}")
        marks.background = marks.background or LATE_BG
    if record.version > 1 and not record.voided:
        marks.text.append(f"第 {record.version} 版")
    for sig in (state.signatures if state is not None else []):
        current = "" if sig.record_version == record.version else f"（第 {sig.record_version} 版）"
        marks.text.append(f"{sig.signer_name} {meaning_label(sig.meaning, 'zh')} "
                          f"{to_local(sig.signed_at, tz):%Y-%m-%d %H:%M}{current}")
    return marks
