"""Spreadsheets in and out: canteen administrators keep their ledgers in Excel today, so a kind
of record can be exported to CSV or XLSX, a blank XLSX template handed out, and a filled-in
sheet brought back in.

A file is for people first: headings in both languages ("品名 Item"), choices as their Chinese
label, references as a name with the id ("城关超市 (#3)"), times in local time, money in yuan
with two decimals, yes/no as 是/否. Reading accepts what people type back: a choice as its code,
English or Chinese label; a reference by id or by a unique name; dates as 2026-03-01 or 2026/3/1.

An import is all or nothing: every row goes through the same validation, lateness and block
rules as a typed record (canteen.bulk), and one bad row refuses the whole file with a line per
bad row, so a ledger is never half brought in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import bulk, import_checks, sheetfile
from .db import write_transaction
from .errors import BlockedError, CanteenError, ValidationError
from .fields import Spec
from .fieldtypes import local_seconds
from .integrity import chain
from .models import MODELS, Record, User
from .services import permissions
from .services.export_pipeline import export_file, write_beside
from .services.records import model_for
from .sheetfile import ExchangeError
from .timeutil import to_local

SUFFIXES = (".csv", ".xlsx")
MAX_SHOWN_ERRORS = 20
REF_WITH_ID = re.compile(r"^(?P<name>.*?)\s*[(（]\s*#\s*(?P<id>\d+)\s*[)）]$")
FORMULA_START = ("=", "+", "-", "@")  # text Excel would run as a formula when it opens a CSV
PROGRESS_EVERY = 500  # rows between two progress reports
Progress = Callable[[int, int], None]  # (rows done, rows in all); raising from it cancels, nothing is kept


class ImportRefused(CanteenError):
    """Some rows are wrong, so nothing was imported; `lines` names each bad row and field."""

    def __init__(self, lines: list[str], bad: int, total: int):
        self.lines, self.bad, self.total = lines, bad, total
        super().__init__(f"{bad} of {total} rows are wrong; nothing was imported.",
                         f"{total} 行中有 {bad} 行有误，未导入任何记录。")


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


@dataclass
class ExportResult:
    path: Path
    rows: int
    sha256: str


@dataclass
class ImportResult:
    kind: str
    ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    encoding: str | None = None  # a text file's decoding; None for a workbook
    sha256: str = ""
    format: str = ""
    warnings: list[str] = field(default_factory=list)  # rows that repeat a kept record: imported, listed

    @property
    def rows(self) -> int:
        return len(self.ids)


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


def _normal(text: str) -> str:
    """A heading as compared: case, spaces and full-width brackets do not matter."""
    text = str(text).replace("（", "(").replace("）", ")").replace("\u3000", " ")
    return " ".join(text.split()).casefold()


def heading_names(cols: list[Column]) -> dict[str, Column]:
    """Every spelling of a heading a file may use: both languages, either one, or the field name."""
    names: dict[str, Column] = {}
    for col in cols:
        for spelling in (col.heading, col.zh, col.en, col.key):
            names.setdefault(_normal(spelling), col)
    return names


def check_suffix(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExchangeError(f"{path}: the file must end in .csv or .xlsx, not {suffix or 'nothing'!r}.",
                            f"{path}：文件名必须以 .csv 或 .xlsx 结尾。")
    return suffix


# ---- values out ------------------------------------------------------------------------------

class _Names:
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


def cell_value(record: Record, col: Column, tz: str, names: _Names, users: dict[int, str]) -> Any:
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


# ---- export ----------------------------------------------------------------------------------

def export_records(session, kind: str, start: dt.date, end: dt.date, path: Path,
                   progress: Progress | None = None) -> ExportResult:
    """Write the standing records of a kind whose day is in start..end, through the one export
    pipeline: permission, a temporary file, the audit entry with its hash, then the rename, so
    an interrupted (or cancelled) export leaves neither a half file nor an unaudited one."""
    model = model_for(kind)
    path = Path(path)
    suffix = check_suffix(path)
    if start > end:
        raise ExchangeError("--from is after --to.", "--from 晚于 --to。")

    def render(part: Path) -> dict:
        records = list(model.live().where((model.site == session.site.id) & (model.day >= start)
                                          & (model.day <= end)).order_by(model.day, model.occurred_at, model.id))
        cols = columns(model)
        names, users = _Names(session.site.id), {u.id: u.username for u in User.select(User.id, User.username)}
        rows = _reporting(([cell_value(r, c, session.tz, names, users) for c in cols] for r in records),
                          len(records), progress)
        (_write_xlsx if suffix == ".xlsx" else _write_csv)(part, model, cols, rows)
        return {"rows": len(records)}
    exported = export_file(session, kind, path, render, start=start, end=end)
    return ExportResult(exported.path, exported.facts["rows"], exported.sha256)


def _reporting(items: Iterable, total: int, progress: Progress | None) -> Iterator:
    """Pass items through, telling `progress` how far along they are."""
    done = 0
    for done, item in enumerate(items, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
        yield item
    if progress:
        progress(done, total)


def _write_csv(path: Path, model, cols: list[Column], rows: Iterable[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:  # the BOM tells Excel it is UTF-8
        writer = csv.writer(out)
        writer.writerow([c.heading for c in cols])
        writer.writerows([as_text(v) for v in row] for row in rows)


def _write_xlsx(path: Path, model, cols: list[Column], rows: Iterable[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(model))
    sheet.freeze_panes = "A2"
    _set_widths(sheet, cols)
    heads = []
    for col in cols:
        cell = WriteOnlyCell(sheet, value=col.heading)
        cell.font = Font(bold=True)
        heads.append(cell)
    sheet.append(heads)
    formats = [_number_format(c) for c in cols]
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, fmt, WriteOnlyCell) for value, fmt in zip(row, formats)])
    _save_workbook(book, path)


def _save_workbook(book, path: Path) -> None:
    """Zip the workbook in memory, then write it in one go: openpyxl's own ZipFile on a full disk
    fails twice (the second time in its __del__, printing "Exception ignored in ZipFile"), and a
    file we write ourselves fails once, as an OSError the export pipeline names."""
    buffer = io.BytesIO()
    book.save(buffer)
    with open(path, "wb") as out:
        out.write(buffer.getbuffer())


def _xlsx_cell(sheet, value: Any, fmt: str | None, cell_type):
    """A plain value where it can be (openpyxl writes those fastest and formats dates itself)."""
    if value == "":
        return None
    if isinstance(value, str) and value.startswith("="):
        cell = cell_type(sheet, value=value)
        cell.data_type = "s"  # text, never a formula
        return cell
    if fmt:
        cell = cell_type(sheet, value=value)
        cell.number_format = fmt
        return cell
    return value


def _number_format(col: Column) -> str | None:
    """Money shows its two decimals; dates and times take openpyxl's ISO-like default."""
    return None if col.spec is None else col.spec.type.number_format


def _sheet_title(model) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", model.ZH)[:31] or model.KIND[:31]


def _set_widths(sheet, cols: list[Column]) -> None:
    from openpyxl.utils import get_column_letter
    for n, col in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = min(40, max(10, len(col.heading) + 4))


# ---- template --------------------------------------------------------------------------------

def export_template(kind: str, path: Path) -> Path:
    """A blank XLSX for a kind: headings, a row of hints, drop-down lists for choices, frozen top.

    It holds no records, so it is not an export in the audit trail's sense (no permission, no
    entry); it is written the export pipeline's careful way all the same."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    model = model_for(kind)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ExchangeError(f"{path}: a template is an .xlsx file.", f"{path}：模板必须是 .xlsx 文件。")
    cols = columns(model, template=True)
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(model)
    sheet.append([c.heading for c in cols])
    sheet.append([hint(c) for c in cols])
    for n, col in enumerate(cols, start=1):
        letter = get_column_letter(n)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet[f"{letter}2"].font = Font(italic=True, color="808080")
        listed = _drop_down(col.spec)
        if listed:
            rule = DataValidation(type="list", formula1=listed, allow_blank=True, showErrorMessage=True,
                                  errorTitle=col.heading, error=hint(col))
            rule.add(f"{letter}3:{letter}1048576")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A3"
    _set_widths(sheet, cols)
    return write_beside(path, lambda part: _save_workbook(book, part))


def _drop_down(spec: Spec | None) -> str | None:
    """An Excel list formula for a choice or yes/no column; None where Excel's 255 characters do not fit."""
    if spec is None or spec.type.sheet_labels is None:
        return None
    labels = spec.type.sheet_labels(spec)
    formula = '"' + ",".join(labels) + '"'
    return formula if len(formula) <= 255 and not any("," in label or '"' in label for label in labels) else None


# ---- reading a file --------------------------------------------------------------------------

def check_readable(path: Path) -> None:
    """The cheap checks before anyone is asked for a password: the suffix and the file itself."""
    path = Path(path)
    sheetfile.check_suffix(path)
    if not path.is_file():
        raise ExchangeError(f"{path}: no such file.", f"{path}：文件不存在。")
    sheetfile.check_workbook(path)


def read_sheet(path: Path) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The heading row and (sheet row number, cells) of the rows under it."""
    sheet = sheetfile.open_sheet(path)
    return _headings(sheet), sheet.rows


def _headings(sheet: sheetfile.SheetFile) -> list[Any]:
    """The first row that is not blank; the sheet's rows then continue under it."""
    for _number, cells in sheet.rows:
        if any(not _blank(v) for v in cells):
            return cells
    raise ExchangeError(f"{sheet.path}: the file is empty.", f"{sheet.path}：文件为空。")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def match_headings(model: type[Record], heads: list[Any], path: Path) -> list[Column | None]:
    """Each file column's meaning (None: a blank heading); refuses unknown, repeated or missing ones."""
    known = heading_names(columns(model))
    found: list[Column | None] = []
    for n, head in enumerate(heads, start=1):
        if _blank(head):
            found.append(None)
            continue
        col = known.get(_normal(head))
        if col is None:
            raise ExchangeError(f"{path}: column {n} {str(head).strip()!r} is not a column of {model.KIND}.",
                                f"{path}：第 {n} 列“{str(head).strip()}”不是{model.ZH}的栏目。")
        if col in found:
            raise ExchangeError(f"{path}: the column {col.heading} appears twice.",
                                f"{path}：栏目“{col.heading}”重复。")
        found.append(col)
    missing = [c.heading for c in columns(model) if c.needed and c not in found]
    if missing:
        raise ExchangeError(f"{path}: the file has no column {', '.join(missing)} (required).",
                            f"{path}：文件缺少必填栏目 {'、'.join(missing)}。")
    return found


# ---- values in -------------------------------------------------------------------------------

class _Resolver:
    """Turns a reference typed in a sheet ("城关超市", "12", "城关超市 (#12)") into an id.

    A reference to a row of the same file (a retest naming its initial test by the file's
    "编号 ID") goes to the record that row became."""

    def __init__(self, site_id: int):
        self.site_id = site_id
        self._by_name: dict[str, dict[str, list[int]]] = {}
        self._by_id: dict[str, dict[int, str]] = {}
        self._in_file: dict[tuple[str, int], int] = {}

    def _load(self, model_name: str) -> None:
        if model_name in self._by_id:
            return
        model = MODELS[model_name]
        self._by_id[model_name], self._by_name[model_name] = {}, {}
        for record in model.live().where(model.site == self.site_id):
            self._know(model_name, record.id, record.title())

    def _know(self, model_name: str, ref_id: int, title: str) -> None:
        self._by_id[model_name][ref_id] = title.strip()
        self._by_name[model_name].setdefault(title.strip(), []).append(ref_id)

    def learn(self, record: Record, file_id: Any) -> None:
        """A record this import has just written, and the id its row had in the file."""
        name = type(record).__name__
        self._load(name)
        self._know(name, record.id, record.title())
        if isinstance(file_id, float) and file_id.is_integer():
            file_id = int(file_id)  # a workbook keeps every number as a float
        if isinstance(file_id, (int, str)) and str(file_id).strip().isdigit():
            self._in_file[(name, int(file_id))] = record.id

    def resolve(self, spec: Spec, value: Any) -> Any:
        if isinstance(value, float) and not value.is_integer():
            return value  # the field refuses it as "must name a record"
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        text = str(int(value)) if number else str(value).strip()
        named = REF_WITH_ID.match(text)
        if text.lstrip("#").isdigit():
            name, ref_id = "", int(text.lstrip("#"))
        else:
            name, ref_id = (named["name"].strip(), int(named["id"])) if named else (text, None)
        if ref_id is not None and (spec.ref, ref_id) in self._in_file:
            return self._in_file[(spec.ref, ref_id)]
        if ref_id is not None and not name:
            return ref_id  # the field checks that it exists
        self._load(spec.ref)
        if ref_id is not None and self._by_id[spec.ref].get(ref_id) == name:
            return ref_id
        ids = self._by_name[spec.ref].get(name, [])
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise spec.fail(f"{name!r} names {len(ids)} records; give the id (e.g. {name} (#{ids[0]}))",
                            f"“{name}”对应 {len(ids)} 条记录，请写明编号")
        raise spec.fail(f"no record named {name!r}", f"没有名为“{name}”的记录")


def input_value(col: Column, value: Any, resolver: _Resolver) -> Any:
    """A cell as the service's input: labels to codes, yuan to fen, loose dates to ISO."""
    spec = col.spec
    if isinstance(value, str):
        value = value.strip()
        if value[:1] == "'" and value[1:2] in FORMULA_START:
            value = value[1:]
    return spec.type.sheet_in(spec, value, resolver)


# ---- import ----------------------------------------------------------------------------------

def import_file(session, kind: str, path: Path, late_reason: str = "",
                progress: Progress | None = None, again: str = "") -> ImportResult:
    """Bring a sheet in as records of `kind`, all or none; refuses with a line per bad row.

    Every row is entered now. A row whose event is old needs a late reason: its own
    "补录原因 Late reason" cell, or else `late_reason`, used for the rows that need one.
    A file imported before (same SHA-256, kind and canteen) is refused unless `again` gives the
    reason to bring it in once more. `progress` hears how many rows are checked; raising from it
    cancels with nothing kept. The import is one audit entry naming the file, its SHA-256 and
    the decoding used, written in the transaction that writes the rows."""
    started = time.perf_counter()
    model = model_for(kind)
    permissions.require_write(session, kind)
    sheet_file = sheetfile.open_sheet(path)
    _refuse_a_second_import(session, kind, sheet_file, again)
    heads = _headings(sheet_file)
    cols = match_headings(model, heads, Path(path))
    sheet = _Sheet(kind, cols, _Resolver(session.site.id), session.now(), late_reason)
    rows = [(n, cells) for n, cells in sheet_file.rows if not _is_blank_row(cells)]
    if rows and _is_hint_row(rows[0][1], [hint(c) if c and c.read_back else None for c in cols]):
        del rows[0]
    if not rows:
        raise ExchangeError(f"{path}: there are no rows under the headings; nothing was imported.",
                            f"{path}：标题下没有数据行，未导入任何记录。")
    with session.batch():
        numbered = _reporting(rows, len(rows), progress)
        write = _import_in_order if _refers_to_itself(model) else _import_at_once
        written, warnings = write(session, sheet, numbered,
                                  lambda done: _record_import(session, kind, sheet_file, done, again))
    return ImportResult(kind, [values["id"] for _n, values in written], time.perf_counter() - started,
                        sheet_file.encoding, sheet_file.sha256, sheet_file.format, warnings)


def _refuse_a_second_import(session, kind: str, sheet_file: sheetfile.SheetFile, again: str) -> None:
    if again.strip():
        return
    earlier = import_checks.earlier_import(session.site.id, kind, sheet_file.sha256, session.tz)
    if earlier is not None:
        raise earlier


def _record_import(session, kind: str, sheet_file: sheetfile.SheetFile, written: list[tuple[int, dict]],
                   again: str) -> list[str]:
    """Inside the import's transaction: the warnings for repeated rows, and the import's audit entry."""
    model = model_for(kind)
    repeats = import_checks.repeated_rows(model, session.site.id, written)
    ids = [values["id"] for _n, values in written]
    chain.append("import", user=session.user, site_id=session.site.id, kind=model.KIND, reason=again.strip(),
                 after={"file": sheet_file.path.name, "sha256": sheet_file.sha256, "format": sheet_file.format,
                        "encoding": sheet_file.encoding, "rows": len(ids), "first_id": min(ids), "last_id": max(ids),
                        "repeated_rows": [r.row for r in repeats]},
                 at=session.now())
    return [import_checks.describe(model, r) for r in repeats]


@dataclass
class _Sheet:
    """What every row of one import shares."""

    kind: str
    cols: list[Column | None]
    resolver: _Resolver
    entered_at: dt.datetime
    late_reason: str


Written = list[tuple[int, dict]]  # (sheet row number, the stored values with their new id)
Finish = Callable[[Written], list[str]]  # run inside the import's transaction; returns the warnings


def _refers_to_itself(model: type[Record]) -> bool:
    return any(s.type.reference and s.ref == model.__name__ for s in model.FIELDS)


def _import_at_once(session, sheet: _Sheet, rows: Iterable, finish: Finish) -> tuple[Written, list[str]]:
    """Validate every row, then write them all with one executemany (the fast path)."""
    prepared, errors = [], []
    for number, cells in rows:
        try:
            prepared.append((number, _prepare_row(session, sheet, cells)))
        except (ValidationError, BlockedError) as exc:
            errors.append(row_error(number, exc, columns(model_for(sheet.kind))))
    _refuse_if_wrong(errors, len(prepared) + len(errors))
    with write_transaction():
        bulk.insert_rows(session, sheet.kind, [values for _n, values in prepared])  # gives each its id
        return prepared, finish(prepared)


def _import_in_order(session, sheet: _Sheet, rows: Iterable, finish: Finish) -> tuple[Written, list[str]]:
    """Write row by row inside one transaction, so a retest finds the initial test above it
    (and the block rules see it); any bad row rolls the whole file back."""
    model = model_for(sheet.kind)
    id_at = next((n for n, c in enumerate(sheet.cols) if c is not None and c.key == "id"), None)
    written, errors = [], []
    with write_transaction():
        for number, cells in rows:
            try:
                values = _prepare_row(session, sheet, cells)
            except (ValidationError, BlockedError) as exc:
                errors.append(row_error(number, exc, columns(model)))
                continue
            bulk.insert_rows(session, sheet.kind, [values])
            written.append((number, values))
            file_id = cells[id_at] if id_at is not None and id_at < len(cells) else None
            sheet.resolver.learn(model.get_by_id(values["id"]), file_id)
        _refuse_if_wrong(errors, len(written) + len(errors))  # raised inside the transaction: nothing stays
        return written, finish(written)


def _refuse_if_wrong(errors: list[str], total: int) -> None:
    if errors:
        raise ImportRefused(_shown_errors(errors), len(errors), total)


def _is_blank_row(cells: list) -> bool:
    return all(v is None or v == "" or _blank(v) for v in cells)


def _is_hint_row(cells: list, hints: list) -> bool:
    """The template's row of hints under the headings, left in place by whoever filled the sheet in."""
    filled = [(v, h) for v, h in zip(cells, hints) if not _blank(v)]
    return bool(filled) and all(h is not None and str(v).strip() == h for v, h in filled)


def _prepare_row(session, sheet: _Sheet, cells: list) -> dict:
    data: dict[str, Any] = {}
    for col, value in zip(sheet.cols, cells):
        if col is None or not col.read_back or _blank(value):
            continue
        data[col.key] = input_value(col, value, sheet.resolver)
    try:
        return bulk.prepare_rows(session, sheet.kind, [(data, sheet.entered_at)])[0]
    except ValidationError as exc:
        if exc.field != "late_reason" or not sheet.late_reason or data.get("late_reason"):
            raise
        with_reason = {**data, "late_reason": sheet.late_reason}
        return bulk.prepare_rows(session, sheet.kind, [(with_reason, sheet.entered_at)])[0]


def row_error(number: int, exc: CanteenError, cols: list) -> str:
    """"row 7, 数量 Quantity: must be more than 0, not -3" — the row as Excel numbers it."""
    if isinstance(exc, ValidationError):
        col = next((c for c in cols if c.key == exc.field), None)
        heading = col.heading if col else f"{exc.label_zh} {exc.label_en}"
        message = exc.en[len(exc.label_en) + 2:] if exc.en.startswith(exc.label_en + ": ") else exc.en
        return f"row {number}, {heading}: {message}"
    return f"row {number}: {exc.en}"


def _shown_errors(errors: list[str]) -> list[str]:
    shown = errors[:MAX_SHOWN_ERRORS]
    if len(errors) > MAX_SHOWN_ERRORS:
        shown.append(f"… and {len(errors) - MAX_SHOWN_ERRORS} more")
    return shown
