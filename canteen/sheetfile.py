"""Reading the files people send as sheets: CSV or tab-separated text in UTF-8, GB18030 or UTF-16,
and workbooks from Excel, WPS and LibreOffice (.xlsx, .xls, .ods, read with python-calamine).

A text file gets one decoding decision, made from evidence and recorded: a byte-order mark
first, then strict UTF-8, then GB18030 (what Excel on Chinese Windows saves) — but only when the
file is not UTF-8 with a few broken bytes. A cut copy of a UTF-8 file decodes "successfully" as
GB18030 into nonsense (鲜猪肉 → 椴滅尓鑲), so such a file is refused naming the row and byte
where it breaks, never imported as mojibake.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import CanteenError

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
BOOK_SUFFIXES = (".xlsx", ".xls", ".ods")
SUFFIXES = TEXT_SUFFIXES + BOOK_SUFFIXES
WORKBOOK_MAGIC = {".xlsx": b"PK\x03\x04", ".ods": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}
MAX_CELL = 32767  # the most characters Excel, WPS and LibreOffice keep in one cell
# The byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32LE"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32BE"),
        (codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE"))
UTF8_EVIDENCE = 2  # intact multi-byte characters per broken sequence that make a file "UTF-8, damaged"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # an over-long cell is refused by place below, not by csv


class ExchangeError(CanteenError):
    """A file that cannot be read or written as a ledger sheet (suffix, headings, format)."""


@dataclass
class SheetFile:
    """One file opened as a sheet: how it was read (for the audit) and its rows."""

    path: Path
    format: str            # csv, tsv, xlsx, xls, ods
    encoding: str | None   # a text file's decoding ("UTF-8", "GB18030", "UTF-16LE with BOM"); None for a workbook
    sha256: str
    rows: Iterator[tuple[int, list[Any]]]  # (row number as the sheet shows it, cells)


def check_suffix(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        shown = ", ".join(SUFFIXES)
        raise ExchangeError(f"{path}: the file must end in {shown}, not {suffix or 'nothing'!r}.",
                            f"{path}：文件名必须以 {shown} 之一结尾。")
    return suffix


def open_sheet(path: Path) -> SheetFile:
    """The file's first sheet as numbered rows, with the facts an import records about it."""
    path = Path(path)
    suffix = check_suffix(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExchangeError(f"{path}: no such file.", f"{path}：文件不存在。") from None
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot be read ({exc.strerror}).", f"{path}：无法读取（{exc.strerror}）。") from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix in BOOK_SUFFIXES:
        return SheetFile(path, suffix[1:], None, digest, _checked(path, _book_rows(path, data)))
    text, encoding = decode(data, path)
    delimiter = _delimiter(text, suffix)
    kind = "tsv" if delimiter == "\t" else "csv"
    return SheetFile(path, kind, encoding, digest, _checked(path, _text_rows(path, text, delimiter)))


def check_workbook(path: Path) -> None:
    """A workbook's first bytes: .xlsx and .ods are zip archives, .xls an OLE2 compound file."""
    suffix = Path(path).suffix.lower()
    if suffix not in BOOK_SUFFIXES:
        return
    with open(path, "rb") as handle:
        start = handle.read(8)
    if not start.startswith(WORKBOOK_MAGIC[suffix]):
        raise ExchangeError(f"{path}: not a readable {suffix} workbook.", f"{path}：不是可读取的 {suffix} 工作簿。")


# ---- decoding ---------------------------------------------------------------------------------

def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The text of a file and the name of the decoding used, or a refusal naming where it breaks."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return _strictly(data, len(bom), codec, f"{name} with BOM", path), f"{name} with BOM"
    utf16 = _bomless_utf16(data)
    if utf16:
        name = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}[utf16]
        return _strictly(data, 0, utf16, name, path), name
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        if _damaged_utf8(data):
            raise _broken(path, data, 0, exc.start, "utf-8", "UTF-8") from None
    return _strictly(data, 0, "gb18030", "GB18030", path), "GB18030"


def _strictly(data: bytes, start: int, codec: str, name: str, path: Path) -> str:
    try:
        return data[start:].decode(codec)
    except UnicodeDecodeError as exc:
        raise _broken(path, data, start, start + exc.start, codec, name) from None


def _bomless_utf16(data: bytes) -> str | None:
    """Tab-separated UTF-16 saved without its mark: every other byte of the first lines is 0."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    odd_zero, even_zero = sample[1::2].count(0), sample[0::2].count(0)
    half = len(sample) // 4
    if odd_zero > half and even_zero == 0:
        return "utf-16-le"
    if even_zero > half and odd_zero == 0:
        return "utf-16-be"
    return None


def _damaged_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken sequences (a cut copy, a lost byte), rather than another encoding.

    GB18030 text read as UTF-8 has at most as many accidental three-byte characters as broken
    sequences (measured on 20,000 random canteen texts); UTF-8 has many more intact ones."""
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    intact = sum(1 for c in text if "\u0800" <= c <= "\uffff" and c != "\ufffd")
    return intact >= UTF8_EVIDENCE * broken


def _broken(path: Path, data: bytes, start: int, offset: int, codec: str, name: str) -> ExchangeError:
    row = _row_at(data[start:offset].decode(codec, "replace"))
    shown = data[offset:offset + 4].hex(" ")
    return ExchangeError(
        f"{path}: row {row}, byte {offset}: the file is {name} but the bytes there ({shown}) are broken "
        f"(a cut or damaged copy?); nothing was imported.",
        f"{path}：第 {row} 行，第 {offset} 字节：文件为 {name} 编码，但该处字节（{shown}）已损坏"
        f"（文件可能被截断或损坏），未导入任何记录。")


def _row_at(prefix: str) -> int:
    """The sheet row holding the character after `prefix` (a quoted cell may span lines)."""
    try:
        return sum(1 for _ in csv.reader(io.StringIO(prefix + "x", newline="")))
    except csv.Error:
        return prefix.count("\n") + 1


# ---- rows -------------------------------------------------------------------------------------

def _delimiter(text: str, suffix: str) -> str:
    """Tab for Excel's "Unicode text" and .tsv, comma otherwise: judged on the heading line."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    tabs, commas = first.count("\t"), first.count(",")
    if suffix in (".tsv", ".txt"):
        return "\t" if tabs or not commas else ","
    return "\t" if tabs > commas else ","


def _text_rows(path: Path, text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise ExchangeError(f"{path}: row {reader.line_num + 1} is not readable as CSV ({exc}).",
                            f"{path}：第 {reader.line_num + 1} 行不是可读取的 CSV（{exc}）。") from None


def _book_rows(path: Path, data: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows from the top-left cell A1 (calamine starts at the first filled cell).

    A workbook keeps every number as a float; a whole one is handed on as the int people typed."""
    from python_calamine import CalamineWorkbook
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        start = sheet.start or (0, 0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine's errors (zip, xml, a password) share no base class
        raise ExchangeError(f"{path}: not a readable {path.suffix.lower()} workbook ({type(exc).__name__}).",
                            f"{path}：不是可读取的 {path.suffix.lower()} 工作簿。") from None
    yield from ([] for _ in range(start[0]))
    pad = [""] * start[1]
    for row in rows:
        yield pad + [int(v) if type(v) is float and v.is_integer() else v for v in row]  # -3 as typed, not -3.0


def _checked(path: Path, rows: Iterator[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    """Number the rows as the sheet shows them, refusing an over-long cell by its row and column."""
    heads: list[Any] = []
    for number, cells in enumerate(rows, start=1):
        for column, value in enumerate(cells, start=1):
            if isinstance(value, str) and len(value) > MAX_CELL:
                raise _too_long(path, number, column, heads, len(value))
        if not heads and not all(_blank(v) for v in cells):
            heads = list(cells)
        yield number, cells


def _too_long(path: Path, row: int, column: int, heads: list[Any], length: int) -> ExchangeError:
    head = str(heads[column - 1]).strip() if column <= len(heads) and heads[column - 1] not in (None, "") else ""
    where_en = f"row {row}, column {column}" + (f" ({head})" if head else "")
    where_zh = f"第 {row} 行第 {column} 列" + (f"（{head}）" if head else "")
    return ExchangeError(f"{path}: {where_en}: the cell holds {length:,} characters; a cell holds at most {MAX_CELL:,}.",
                         f"{path}：{where_zh}：单元格有 {length:,} 个字符，最多 {MAX_CELL:,} 个。")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
