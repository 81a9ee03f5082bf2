"""The columns of a record type's spreadsheet, and how a stored value reads in a cell.

A file is for people first: headings in both languages ("品名 Item"), choices as their Chinese
label, references as a name with the id ("城关超市 (#3)"), times in local time, money in yuan
with two decimals, yes/no as 是/否. What each type of field looks like in a cell is its
`fieldtypes.FieldType`; here are the columns of a record type (with the event time, the late
reason and the bookkeeping), the template's hint row, and the cell values of a kept record.
Shared by `sheet_export` and `sheet_import`, so a sheet read back in makes the same records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .fields import Spec
from .fieldtypes import local_seconds
from .models import MODELS, Record
from .sheetfile import ExchangeError
from .timeutil import to_local

SUFFIXES = (".csv", ".xlsx")
FORMULA_START = ("=", "+", "-", "@")  # text Excel would run as a formula when it opens a CSV
PROGRESS_EVERY = 500  # rows between two progress reports
Progress = Callable[[int, int], None]  # (rows done, rows in all); raising from it cancels, nothing is kept


@dataclass(frozen=True)
class Column:
    """One column of a sheet: what it holds, its bilingual heading, and whether it is read back."""

    key: str  # a field name, or occurred_at / day / late_reason / id / entered_at / entered_by
    zh: str
    en: str
    spec: Spec | None = None
    read_back: bool = True  # False: shown for the reader (id, computed values, who entered it)

    @property
    def heading(self) -> str:
        return f"{self.zh} {self.en}"

    @property
    def needed(self) -> bool:
        """A column a file must have: required, and with no default to fall back on."""
        return self.read_back and self.spec is not None and self.spec.required and self.spec.default is None


# ---- columns ---------------------------------------------------------------------------------

def columns(model: type[Record], template: bool = False) -> list[Column]:
    """The sheet's columns for a record kind; a template holds only what a person types."""
    cols: list[Column] = [] if template else [Column("id", "编号", "ID", read_back=False)]
    if model.EVENT == "datetime":
        cols.append(Column("occurred_at", model.EVENT_ZH, model.EVENT_EN, _event_spec(model)))
    elif model.EVENT == "date":
        cols.append(Column("day", model.EVENT_ZH, model.EVENT_EN, _event_spec(model)))
    for spec in model.FIELDS:
        if spec.hidden and template:
            continue
        zh, en = spec.type.heading(spec.zh), spec.type.heading(spec.en)  # money: stored in fen, typed in yuan
        cols.append(Column(spec.name, zh, en, spec, read_back=not spec.hidden))
    if model.EVENT != "none":
        cols.append(Column("late_reason", "补录原因", "Late reason", _late_spec()))
    if not template:
        cols += [Column("entered_at", "录入时间", "Entered at", read_back=False),
                 Column("entered_by", "录入人", "Entered by", read_back=False)]
    return cols


def _event_spec(model: type[Record]) -> Spec:
    if model.EVENT == "datetime":
        return Spec("occurred_at", "datetime", model.EVENT_EN, model.EVENT_ZH, required=True)
    return Spec("day", "date", model.EVENT_EN, model.EVENT_ZH, required=True)


def _late_spec() -> Spec:
    from .services.records import LATE_REASON
    return LATE_REASON


def hint(column: Column) -> str:
    """The template's second row: what a cell of this column must hold."""
    spec = column.spec
    if column.key == "late_reason":
        return "事件超过24小时后补录时必填 required when entered more than 24 h after the event"
    parts = ["必填 required"] if column.needed else []
    kind = spec.type
    parts.append(kind.sheet_hint(spec))
    if spec.unit.strip() and kind.shows_unit:
        parts.append(f"单位 unit: {spec.unit.strip()}")
    if spec.default not in (None, "", False) and kind.shows_default:
        shown = spec.choice_label(spec.default, "zh") if kind.labelled else spec.default
        parts.append(f"默认 default: {shown}")
    return "; ".join(p for p in parts if p)


def normal_heading(text: str) -> str:
    """A heading as compared: case, spaces and full-width brackets do not matter."""
    text = str(text).replace("（", "(").replace("）", ")").replace("\u3000", " ")
    return " ".join(text.split()).casefold()


def heading_names(cols: list[Column]) -> dict[str, Column]:
    """Every spelling of a heading a file may use: both languages, either one, or the field name."""
    names: dict[str, Column] = {}
    for col in cols:
        for spelling in (col.heading, col.zh, col.en, col.key):
            names.setdefault(normal_heading(spelling), col)
    return names


def check_suffix(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExchangeError(f"{path}: the file must end in .csv or .xlsx, not {suffix or 'nothing'!r}.",
                            f"{path}：文件名必须以 .csv 或 .xlsx 结尾。")
    return suffix


# ---- values out ------------------------------------------------------------------------------

class RecordNames:
    """Readable names of referenced records (a supplier's name, a person's name), by id, per site."""

    def __init__(self, site_id: int):
        self.site_id = site_id
        self._titles: dict[str, dict[int, str]] = {}

    def titles(self, model_name: str) -> dict[int, str]:
        if model_name not in self._titles:
            model = MODELS[model_name]
            self._titles[model_name] = {r.id: r.title() for r in model.select().where(model.site == self.site_id)}
        return self._titles[model_name]

    def shown(self, spec: Spec, ref_id: int | None) -> str:
        if ref_id is None:
            return ""
        title = self.titles(spec.ref).get(ref_id, "")
        return f"{title} (#{ref_id})" if title else f"#{ref_id}"


def cell_value(record: Record, col: Column, tz: str, names: RecordNames, users: dict[int, str]) -> Any:
    """A stored value as a person reads it in a sheet (typed: dates, Decimals, text)."""
    if col.key == "id":
        return record.id
    if col.key == "entered_by":
        return users.get(record.entered_by, "")
    if col.key in ("occurred_at", "entered_at"):
        return local_seconds(getattr(record, col.key), tz)
    if col.key == "day":  # the event's date, so a sheet read back in makes the same record
        return record.day if record.DAY_IS_EVENT else to_local(record.occurred_at, tz).date()
    if col.key == "late_reason":
        return record.late_reason or ""
    spec = col.spec
    raw = record.__data__.get(spec.name)
    if raw is None:
        return ""
    return spec.type.sheet_out(spec, raw, tz, names)


def as_text(value: Any) -> str:
    """A cell as CSV text: the same spellings the importer reads back."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")  # 100, never 1E+2
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # Excel shows it as text instead of running it as a formula
    return str(value)


# ---- progress ------------------------------------------------------------------------------

def reporting(items: Iterable, total: int, progress: Progress | None) -> Iterator:
    """Pass items through, telling `progress` how far along they are."""
    done = 0
    for done, item in enumerate(items, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
        yield item
    if progress:
        progress(done, total)
