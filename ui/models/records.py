"""A table model over one record type that pages through the database as the view scrolls.

The row count comes from one COUNT; rows come in blocks of 500 fetched when a cell of the
block is first painted, and only a few blocks are kept. Sorting, the search text and the date
range become the query's ORDER BY and WHERE, so a million rows open and filter as fast as ten.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

import peewee
from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QDate, QDateTime, QModelIndex, Qt, QTime, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from canteen.fields import Spec
from canteen.models import MODELS, Record, Signature, Site
from canteen.timeutil import to_local

from .. import i18n

EXPIRY_COLUMNS = ("expires_on",)  # licences and health certificates (goods expire by design)
EXPIRY_ALERT_DAYS = 30

BLOCK = 500
KEEP_BLOCKS = 40
ASYNC_FROM = 200_000  # rows: above this, a search or a sort is worked out on a worker thread
SEARCHABLE = ("text", "longtext", "list")
NUMBER_LIKE = ("number", "batch_no", "invoice_no", "credit_code", "licence_no", "quarantine_cert_no")


@dataclass(frozen=True)
class Column:
    """One column: the database field behind it and how its value reads."""

    name: str
    kind: str
    en: str
    zh: str
    spec: Spec | None = None

    def header(self) -> str:
        return i18n.pick(self.en, self.zh)


def columns_for(model: type[Record]) -> list[Column]:
    cols = [Column("id", "int", "No.", "编号")]
    if model.EVENT == "datetime":
        cols.append(Column("occurred_at", "datetime", model.EVENT_EN, model.EVENT_ZH))
    elif model.EVENT == "date":
        cols.append(Column("day", "date", model.EVENT_EN, model.EVENT_ZH))
    for spec in model.FIELDS:
        if spec.kind == "dict":
            continue
        en, zh = spec.en, spec.zh
        if spec.kind == "money":
            en, zh = en.replace("(fen)", "(yuan)"), zh.replace("（分）", "（元）")
        cols.append(Column(spec.name, spec.kind, en, zh, spec))
    cols.append(Column("version", "int", "Version", "版本"))
    cols.append(Column("voided", "bool", "Voided", "已作废"))
    return cols


class RecordTableModel(QAbstractTableModel):
    """Rows of one record type for one canteen, newest entry first unless sorted otherwise.

    In entry order with no filter, a block is `LIMIT 500 OFFSET n` along the primary key. A search,
    a date range or another order on a large table is worked out once, on a worker thread, as the
    ordered list of matching ids; blocks are then fetched by id. Values stay as the database gave
    them until a cell is painted.
    """

    filtered = Signal(int)  # a new filter or order is in force; the number of matching rows
    busy = Signal(bool)     # a search or sort is being worked out off the GUI thread

    def __init__(self, model: type[Record], site_id: int, tz: str, parent=None):
        super().__init__(parent)
        self.model, self.site_id, self.tz = model, site_id, tz
        self.columns = columns_for(model)
        self._fields = [getattr(model, c.name) for c in self.columns]
        self._version_index = next(i for i, c in enumerate(self.columns) if c.name == "version")
        self._sort = (0, Qt.SortOrder.DescendingOrder)
        self._text, self._start, self._end = "", None, None
        self._blocks: OrderedDict[int, list[tuple]] = OrderedDict()
        self._titles: dict[tuple[str, int], str] = {}
        self._signed: dict[int, int] = {}  # record id -> highest version signed (for the rows fetched)
        self._ids: array | None = None
        self._generation = itertools.count()
        self._current = next(self._generation)
        self._task = None
        self._total = self._count = self._query_count(plain=True)

    # ---- the query ------------------------------------------------------------------------

    def where(self) -> peewee.Expression:
        m = self.model
        cond = m.site == self.site_id
        if self._start is not None:
            cond &= m.day >= self._start
        if self._end is not None:
            cond &= m.day <= self._end
        if self._text:
            cond &= self._search_condition(self._text)
        return cond

    def _search_condition(self, text: str) -> peewee.Expression:
        m = self.model
        like = f"%{text}%"
        first_text = next((s.name for s in m.FIELDS if s.kind == "text"), None)
        parts = [getattr(m, s.name) ** like for s in m.FIELDS
                 if s.kind in SEARCHABLE and (s.suggest or s.name == first_text or s.name in NUMBER_LIKE
                                              or s.kind in ("longtext", "list"))]
        for spec in m.FIELDS:
            if spec.kind == "choice":
                values = [v for v, en, zh in spec.choices if v and (text.lower() in en.lower() or text in zh)]
                if values:
                    parts.append(getattr(m, spec.name).in_(values))
            elif spec.kind == "ref":
                target = MODELS[spec.ref]
                first = next((s for s in getattr(target, "FIELDS", ()) if s.kind == "text"), None)
                if first is not None:
                    ids = target.select(target.id).where(getattr(target, first.name) ** like)
                    parts.append(getattr(m, spec.name).in_(ids))
        if text.isdigit():
            parts.append(m.id == int(text))
        if not parts:
            return m.id == -1
        cond = parts[0]
        for part in parts[1:]:
            cond |= part
        return cond

    def _order(self) -> list:
        column, order = self._sort
        field = self._fields[column]
        if order == Qt.SortOrder.DescendingOrder:
            return [field.desc(), self.model.id.desc()]
        return [field.asc(), self.model.id.asc()]

    def _plain(self) -> bool:
        """Entry order, no search, no dates: the cheap path along the primary key."""
        return self._sort[0] == 0 and not self._text and self._start is None and self._end is None

    def _query_count(self, plain: bool = False) -> int:
        if plain and Site.select().count() == 1:
            # one canteen in the database: every row is ours, and SQLite counts a table far faster
            # than it counts an index range
            return self.model.select(peewee.fn.COUNT(peewee.SQL("*"))).scalar() or 0
        cond = (self.model.site == self.site_id) if plain else self.where()
        return self.model.select(peewee.fn.COUNT(peewee.SQL("*"))).where(cond).scalar() or 0

    def matching_ids(self) -> array:
        """The ids of every matching row in display order (may run on a worker thread)."""
        query = self.model.select(self.model.id).where(self.where()).order_by(*self._order())
        cursor = self.model._meta.database.execute(query)
        return array("q", (row[0] for row in cursor))

    def _raw(self, query) -> list[tuple]:
        return list(self.model._meta.database.execute(query))

    def _fetch(self, block: int) -> list[tuple]:
        if self._ids is None:
            rows = self._raw(self.model.select(*self._fields).where(self.where()).order_by(*self._order())
                             .limit(BLOCK).offset(block * BLOCK))
        else:
            wanted = list(self._ids[block * BLOCK:(block + 1) * BLOCK])
            found = {r[0]: r for r in self._raw(self.model.select(*self._fields).where(self.model.id.in_(wanted)))}
            rows = [found[i] for i in wanted if i in found]
        self._load_titles(rows)
        self._load_signatures(rows)
        return rows

    def _load_signatures(self, rows: list[tuple]) -> None:
        """Which of a block's records are signed, and at which version: one grouped query."""
        ids = [r[0] for r in rows]
        if not ids:
            return
        query = (Signature.select(Signature.record_id, peewee.fn.MAX(Signature.record_version))
                 .where((Signature.record_kind == self.model.KIND) & Signature.record_id.in_(ids))
                 .group_by(Signature.record_id))
        for record_id, version in query.tuples():
            self._signed[record_id] = version

    def signature_word(self, row: tuple) -> tuple[str, str] | None:
        """("signed" | "changed", text) for a row that has a signature; None for an unsigned one."""
        signed = self._signed.get(row[0])
        if signed is None:
            return None
        if signed >= row[self._version_index]:
            return "signed", QCoreApplication.translate("RecordTableModel", "signed")
        return "changed", QCoreApplication.translate("RecordTableModel", "changed after signing")

    def _load_titles(self, rows: list[tuple]) -> None:
        """Names of referenced records (suppliers, staff, batches) for a block, one query per type."""
        for i, col in enumerate(self.columns):
            if col.kind != "ref":
                continue
            ids = {r[i] for r in rows if r[i] is not None and (col.spec.ref, r[i]) not in self._titles}
            if ids:
                target = MODELS[col.spec.ref]
                for rec in target.select().where(target.id.in_(list(ids))):
                    self._titles[(col.spec.ref, rec.id)] = rec.title()

    def row(self, row: int) -> tuple | None:
        if not 0 <= row < self._count:
            return None
        block = row // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            rows = self._blocks[block] = self._fetch(block)
            while len(self._blocks) > KEEP_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        offset = row - block * BLOCK
        return rows[offset] if offset < len(rows) else None

    # ---- what the view and the page ask -----------------------------------------------------

    def set_filter(self, text: str = "", start: dt.date | None = None, end: dt.date | None = None) -> None:
        """Search text (names, people, numbers, choice labels, referenced names, record number) and days."""
        self._text, self._start, self._end = text.strip(), start, end
        self.reload(recount=False)

    def reload(self, recount: bool = True) -> None:
        """Count and order again (after a write, a new filter or a new order); drop cached blocks."""
        self._current = generation = next(self._generation)
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if recount:
            self._total = self._query_count(plain=True)
        if self._plain():
            self._install(generation, None, self._total)
        elif self._total <= ASYNC_FROM:
            ids = self.matching_ids()
            self._install(generation, ids, len(ids))
        else:
            from ..workers import run_task
            self.busy.emit(True)
            self._task = run_task(self.matching_ids,
                                  on_done=lambda ids, g=generation: self._install(g, ids, len(ids)),
                                  on_error=lambda exc, g=generation: self._failed(g, exc))

    def _install(self, generation: int, ids: array | None, count: int) -> None:
        if generation != self._current:
            return  # an older search finished after a newer one began
        self._task = None
        self.beginResetModel()
        self._ids, self._count = ids, count
        self._blocks.clear()
        self._titles.clear()
        self._signed.clear()
        self.endResetModel()
        self.busy.emit(False)
        self.filtered.emit(count)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._current:
            self._task = None
            self.busy.emit(False)
            self.error = exc

    def record_id(self, row: int) -> int | None:
        data = self.row(row)
        return data[0] if data else None

    def row_of(self, record_id: int) -> int | None:
        """Where a record sits among the rows already fetched (None if not fetched or filtered out)."""
        for block, rows in self._blocks.items():
            for i, r in enumerate(rows):
                if r[0] == record_id:
                    return block * BLOCK + i
        return None

    def total(self) -> int:
        """Every record of this type for the canteen, whatever the filter."""
        return self._total

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header()
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].header()
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sort:
            return
        self._sort = (column, order)
        self.reload(recount=False)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        col = self.columns[index.column()]
        value = row[index.column()]
        if col.name == "version" and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole):
            signed = self.signature_word(row)
            if signed is not None:  # "2 · changed after signing": the state a reviewer looks for
                if role == Qt.ItemDataRole.ForegroundRole:
                    return QBrush(QColor("#1b5e20" if signed[0] == "signed" else "#b00020"))
                return f"{self.display(col, value)} · {signed[1]}"
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(col, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind in ("int", "decimal", "money"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        voided = row[-1]
        if role == Qt.ItemDataRole.ForegroundRole and voided:
            return QBrush(QColor("#8a8a8a"))
        if role == Qt.ItemDataRole.FontRole and voided:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col.name == "result" and value in ("positive", "rejected"):
            return QBrush(QColor("#b00020"))
        if col.name in EXPIRY_COLUMNS and value and not voided:
            try:
                expires = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                return None
            return self._expiry_look(role, expires)
        return None

    def _expiry_look(self, role, expires: dt.date):
        """Expired licences and goods stand out in red, those expiring within a month in amber."""
        from canteen.timeutil import utcnow
        today = to_local(utcnow(), self.tz).date()
        if expires >= today + dt.timedelta(days=EXPIRY_ALERT_DAYS):
            return None
        expired = expires < today
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#b00020" if expired else "#8a4b00"))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return (QCoreApplication.translate("RecordTableModel", "Expired") if expired
                    else QCoreApplication.translate("RecordTableModel", "Expires within a month"))
        return None

    def display(self, col: Column, value) -> str:
        """A stored value as the user reads it, in the current language and locale."""
        if value is None or value == "":
            return ""
        loc = i18n.locale()
        if col.kind == "datetime":
            if isinstance(value, str):
                value = dt.datetime.fromisoformat(value)
            local = to_local(value, self.tz) if isinstance(value, dt.datetime) else value
            return loc.toString(QDateTime(QDate(local.year, local.month, local.day),
                                          QTime(local.hour, local.minute)), "yyyy-MM-dd HH:mm")
        if col.kind == "date":
            return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
        if col.kind == "money":
            return loc.toString(int(value) / 100, "f", 2)
        if col.kind == "decimal":
            places = col.spec.places if col.spec else 2
            return loc.toString(float(Decimal(str(value))), "f", places)
        if col.kind == "int":
            return str(value) if col.name == "id" else loc.toString(int(value))
        if col.kind == "bool":
            return i18n.pick("Yes", "是") if value else ""
        if col.kind == "choice":
            return col.spec.choice_label(value, i18n.language())
        if col.kind == "ref":
            return self._titles.get((col.spec.ref, value), f"#{value}")
        if col.kind == "list":
            try:
                return "、".join(json.loads(value))
            except (ValueError, TypeError):
                return str(value)
        return str(value)
