"""A filled-in spreadsheet brought back in as records, all or nothing.

Reading accepts what people type back: a choice as its code, English or Chinese label; a
reference by id or by a unique name; dates as 2026-03-01 or 2026/3/1. An import is all or
nothing: every row goes through the same validation, lateness and block rules as a typed record
(canteen.bulk), and one bad row refuses the whole file with a line per bad row, so a ledger is
never half brought in.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import bulk, import_checks, sheetfile
from .db import write_transaction
from .errors import BlockedError, CanteenError, Said, ValidationError
from .fields import Spec
from .integrity import chain
from .models import MODELS, Record
from .services import permissions
from .services.records import model_for
from .sheet_columns import FORMULA_START, Column, Progress, columns, heading_names, hint, normal_heading, reporting
from .sheetfile import ExchangeError

MAX_SHOWN_ERRORS = 20
IMPORT_RUN = 2000  # rows validated together: one look-up of the records they name
REF_WITH_ID = re.compile(r"^(?P<name>.*?)\s*[(（]\s*#\s*(?P<id>\d+)\s*[)）]$")


class ImportRefused(CanteenError):
    """Some rows are wrong, so nothing was imported; `lines` names each bad row and field."""

    def __init__(self, lines: list[str], bad: int, total: int):
        self.lines, self.bad, self.total = lines, bad, total
        super().__init__(f"{bad} of {total} rows are wrong; nothing was imported.",
                         f"{total} 行中有 {bad} 行有误，未导入任何记录。")


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
        col = known.get(normal_heading(head))
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
    return _reader(col)(_typed(value), resolver)


def _typed(value: Any) -> Any:
    """A cell as typed: text without its surrounding spaces, or the quote that kept Excel from
    running it as a formula."""
    if isinstance(value, str):
        value = value.strip()
        if value[:1] == "'" and value[1:2] in FORMULA_START:
            value = value[1:]
    return value


def _reader(col: Column) -> Callable[[Any, _Resolver], Any]:
    """How this column's cells are read (its field type's sheet_in, bound to its spec)."""
    spec, sheet_in = col.spec, col.spec.type.sheet_in
    return lambda value, resolver: sheet_in(spec, value, resolver)


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
        numbered = reporting(rows, len(rows), progress)
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
    readers: list[tuple[int, str, Callable]] = field(init=False)  # (cell index, field, how it is read)

    def __post_init__(self):
        """Each column's reading worked out once per import, not once per cell."""
        self.readers = [(at, col.key, _reader(col)) for at, col in enumerate(self.cols) if col is not None and col.read_back]


Written = list[tuple[int, dict]]  # (sheet row number, the stored values with their new id)
Finish = Callable[[Written], list[str]]  # run inside the import's transaction; returns the warnings


def _refers_to_itself(model: type[Record]) -> bool:
    return any(s.type.reference and s.ref == model.__name__ for s in model.FIELDS)


def _import_at_once(session, sheet: _Sheet, rows: Iterable, finish: Finish) -> tuple[Written, list[str]]:
    """Validate every row, then write them all with one executemany (the fast path). Rows are
    read in runs of IMPORT_RUN, so the records a run names are looked up with one query each."""
    model = model_for(sheet.kind)
    prepared, errors = [], []
    for run in _runs(rows, IMPORT_RUN):
        inputs = []
        for number, cells in run:
            try:
                inputs.append((number, _row_input(sheet, cells)))
            except ValidationError as exc:
                errors.append((number, exc))
        bulk.start_batch(session, sheet.kind, [data for _n, data in inputs])
        for number, data in inputs:
            try:
                prepared.append((number, _prepare_row(session, model, sheet, data)))
            except (ValidationError, BlockedError) as exc:
                errors.append((number, exc))
    _refuse_if_wrong([row_error(n, exc, columns(model)) for n, exc in sorted(errors, key=lambda e: e[0])],
                     len(prepared) + len(errors))
    with write_transaction(site_id=session.site.id):
        bulk.insert_rows(session, sheet.kind, [values for _n, values in prepared])  # gives each its id
        return prepared, finish(prepared)


def _runs(items: Iterable, size: int) -> Iterator[list]:
    run = []
    for item in items:
        run.append(item)
        if len(run) == size:
            yield run
            run = []
    if run:
        yield run


def _import_in_order(session, sheet: _Sheet, rows: Iterable, finish: Finish) -> tuple[Written, list[str]]:
    """Write row by row inside one transaction, so a retest finds the initial test above it
    (and the block rules see it); any bad row rolls the whole file back."""
    model = model_for(sheet.kind)
    id_at = next((n for n, c in enumerate(sheet.cols) if c is not None and c.key == "id"), None)
    written, errors = [], []
    with write_transaction(site_id=session.site.id):
        for number, cells in rows:
            try:
                values = _prepare_row(session, model, sheet, _row_input(sheet, cells))
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


def _row_input(sheet: _Sheet, cells: list) -> dict[str, Any]:
    """A row's cells as the service's input, keyed by field; blank cells left out."""
    data: dict[str, Any] = {}
    resolver, width = sheet.resolver, len(cells)
    for at, key, read in sheet.readers:
        if at < width and not _blank(value := cells[at]):
            data[key] = read(_typed(value), resolver)
    return data


def _prepare_row(session, model: type[Record], sheet: _Sheet, data: dict[str, Any]) -> dict:
    try:
        return bulk.prepare_one(session, model, data, sheet.entered_at)
    except ValidationError as exc:
        if exc.field != "late_reason" or not sheet.late_reason or data.get("late_reason"):
            raise
        return bulk.prepare_one(session, model, {**data, "late_reason": sheet.late_reason}, sheet.entered_at)


def row_error(number: int, exc: CanteenError, cols: list) -> Said:
    """"row 7, 数量 Quantity: must be more than 0, not -3" — the row as Excel numbers it; the
    Chinese line ("第 7 行，数量 Quantity：…") for the desk in Chinese."""
    if isinstance(exc, ValidationError):
        col = next((c for c in cols if c.key == exc.field), None)
        heading = col.heading if col else f"{exc.label_zh} {exc.label_en}"
        en = _without_label(exc.en, exc.label_en + ": ")
        zh = _without_label(exc.zh, exc.label_zh + "：")
        return Said(f"row {number}, {heading}: {en}", f"第 {number} 行，{heading}：{zh}")
    return Said(f"row {number}: {exc.en}", f"第 {number} 行：{exc.zh}")


def _without_label(message: str, label: str) -> str:
    return message[len(label):] if message.startswith(label) else message


def _shown_errors(errors: list[Said]) -> list[Said]:
    shown = errors[:MAX_SHOWN_ERRORS]
    more = len(errors) - MAX_SHOWN_ERRORS
    if more > 0:
        shown.append(Said(f"… and {more} more", f"……另有 {more} 行"))
    return shown
