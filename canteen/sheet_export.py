"""Records out to a spreadsheet, and the blank template handed out to fill in.

Canteen administrators keep their ledgers in Excel today: a kind of record can be exported to
CSV or XLSX through the one export pipeline (permission, a temporary file, the audit entry with
its hash, then the rename), and a blank XLSX template with headings, a hint row and drop-down
lists handed out, whose filled-in copy `sheet_import` brings back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .fields import Spec
from .models import User
from .services.export_pipeline import export_file, write_beside
from .services.records import model_for
from .sheet_columns import Column, Progress, RecordNames, as_text, cell_value, check_suffix, columns, hint, reporting
from .sheetfile import ExchangeError
from .timeutil import utcnow


@dataclass
class ExportResult:
    path: Path
    rows: int
    sha256: str


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
        names, users = RecordNames(session.site.id), {u.id: u.username for u in User.select(User.id, User.username)}
        rows = reporting(([cell_value(r, c, session.tz, names, users) for c in cols] for r in records),
                          len(records), progress)
        (_write_xlsx if suffix == ".xlsx" else _write_csv)(part, model, cols, rows)
        return {"rows": len(records)}
    exported = export_file(session, kind, path, render, start=start, end=end)
    return ExportResult(exported.path, exported.facts["rows"], exported.sha256)


def _write_csv(path: Path, model, cols: list[Column], rows: Iterable[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:  # the BOM tells Excel it is UTF-8
        writer = csv.writer(out)
        writer.writerow([c.heading for c in cols])
        writer.writerows([as_text(v) for v in row] for row in rows)


def dated(book):
    """A workbook whose own created/modified dates come from the program's clock (openpyxl would
    take the computer's), like every other time the program writes."""
    book.properties.created = book.properties.modified = utcnow().replace(microsecond=0)
    return book


def _write_xlsx(path: Path, model, cols: list[Column], rows: Iterable[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    book = dated(Workbook(write_only=True))
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
    book = dated(Workbook())
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
