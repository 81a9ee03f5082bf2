"""A table model over one record type that pages through the database as the view scrolls.

The row count comes from one COUNT, worked out behind the first rows on a large table (they are
painted at once; the scroll bar grows when the count arrives); rows come in blocks of 500
fetched when a cell of the block is first painted, and only a few blocks are kept. Sorting, the search text and the date
range become the query's ORDER BY and WHERE, so a million rows open and filter as fast as ten.
A search on a large table paints its first block at once and adds its count when a worker has
it; a column without an index is not sorted on a large table, and its header says why.
"""

from __future__ import annotations

import datetime as dt
import itertools
from array import array
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from canteen.read import lists
from canteen.read.lists import BLOCK, ListQuery
from canteen.timeutil import to_local

from .. import i18n

EXPIRY_COLUMNS = ("expires_on",)  # licences and health certificates (goods expire by design)
EXPIRY_ALERT_DAYS = 30

KEEP_BLOCKS = 40
# The roles a cell answers (as plain numbers: the view asks several for each cell it paints, and
# the others are answered None at once).
DISPLAY, ALIGNMENT, FOREGROUND, FONT, TOOLTIP = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole))
CELL_ROLES = frozenset({DISPLAY, ALIGNMENT, FOREGROUND, FONT, TOOLTIP})
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ASYNC_FROM = 200_000  # rows: above this, a search or a sort is worked out on a worker thread
COUNT_BEHIND_FROM = 200_000  # rows at most (the span of record numbers): above this, the table's count follows its first rows
SORT_SCAN_LIMIT = 200_000  # rows: above this, a column without an index is not sorted (it would take seconds)


def in_index_order(query: ListQuery) -> bool:
    """Entry order, or an indexed order with no search: blocks come straight along an index."""
    return query.is_plain() or (lists.first_rows_fast(query) and not query.text)


class Column(lists.ListColumn):
    """One column of the table: a list column with a header in the language in force."""

    def header(self) -> str:
        return i18n.pick(self.en, self.zh)


def columns_for(kind: str) -> list[Column]:
    return [Column(c.name, c.kind, c.en, c.zh, c.spec) for c in lists.list_columns(kind)]


class RecordTableModel(QAbstractTableModel):
    """Rows of one record type for one canteen, newest entry first unless sorted otherwise.

    In entry order with no filter, a block is `LIMIT 500 OFFSET n` along the primary key. A search,
    a date range or another order on a large table is worked out once, on a worker thread, as the
    ordered list of matching ids; blocks are then fetched by id. The reading is the core's
    (`canteen.read.lists`); values stay as it gave them until a cell is painted.
    """

    filtered = Signal(int)  # a new filter or order is in force; the number of matching rows
    busy = Signal(bool)     # a search or sort is being worked out off the GUI thread
    first_rows = Signal(int)   # the first rows of a search are shown; their count follows (`filtered`)
    totalled = Signal(int)     # the whole table's count arrived from its worker (a large table)
    sort_refused = Signal(str)  # a column that cannot be sorted fast was clicked: why, in the language in force

    def __init__(self, session, kind: str, parent=None):
        super().__init__(parent)
        self.session, self.kind, self.tz = session, kind, session.tz
        self.columns = columns_for(kind)
        self._version_index = next(i for i, c in enumerate(self.columns) if c.name == "version")
        self._sort = (0, Qt.SortOrder.DescendingOrder)
        self._text, self._start, self._end = "", None, None
        self._blocks: OrderedDict[int, list[tuple]] = OrderedDict()
        self._titles: dict[tuple[str, int], str] = {}
        self._signed: dict[int, int] = {}  # record id -> highest version signed (for the rows fetched)
        self._ids: array | None = None
        self.counting = False  # the rows shown are the first of a search whose count is being worked out
        self._generation = itertools.count()
        self._current = next(self._generation)
        self._task = None
        self.error: BaseException | None = None  # a failed count or search, until the page shows it
        self._total: int | None = None  # the whole table's count; None while a worker counts a large table
        self._count = 0
        self._total_rounds = itertools.count()
        self._total_round = next(self._total_rounds)
        self._total_task = None
        self.reload()

    # ---- the query ------------------------------------------------------------------------

    def query(self) -> ListQuery:
        """The search, day range and order in force, as the core reads them."""
        column, order = self._sort
        return ListQuery(self.kind, self._text, self._start, self._end, column,
                         order == Qt.SortOrder.DescendingOrder)

    def matching_ids(self) -> array:
        """The ids of every matching row in display order (may run on a worker thread)."""
        return lists.matching_ids(self.session, self.query())

    def _fetch(self, block: int) -> list[tuple]:
        count = None if self.counting or self._ids is not None else self._count
        fetched = lists.fetch_block(self.session, self.query(), block, self._ids, known_titles=self._titles.keys(),
                                    count=count)
        self._titles.update(fetched.titles)
        self._signed.update(fetched.signed)
        return fetched.rows

    def signature_word(self, row: tuple) -> tuple[str, str] | None:
        """("signed" | "changed", text) for a row that has a signature; None for an unsigned one."""
        signed = self._signed.get(row[0])
        if signed is None:
            return None
        if signed >= row[self._version_index]:
            return "signed", QCoreApplication.translate("RecordTableModel", "signed")
        return "changed", QCoreApplication.translate("RecordTableModel", "changed after signing")

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
        """Count and order again (after a write, a new filter or a new order); drop cached blocks.

        Entry order, or an indexed order with no search: blocks straight from the index, the
        count is the table's; while a large table is counted (`count_table`), its first block at
        once (`first_rows`), the rest when the count comes (`filtered`). A search on a large
        table: its first block at once from the search index (`first_rows`), then the ordered
        ids and the count from a worker (`filtered`)."""
        self._current = generation = next(self._generation)
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if recount:
            self.count_table()
        query = self.query()
        indexed = in_index_order(query)
        if indexed and self._total is None:
            first = lists.fetch_block(self.session, query, 0)
            self.busy.emit(True)
            self._install(generation, None, len(first.rows), counting=True, first=first)
        elif indexed:
            self._install(generation, None, self._total)
        elif self._total is not None and self._total <= ASYNC_FROM:
            ids = self.matching_ids()
            self._install(generation, ids, len(ids))
        else:
            self._search_in_background(generation, query)

    def count_table(self) -> None:
        """The whole table's count: at once for a small table; for a large one (the span of record
        numbers says so: two index look-ups) from a worker (a COUNT over a million rows takes longer
        than a paint should), begun when the event loop next turns, once the first rows are painted
        (the two would share the cores). `total()` is None until it comes."""
        self._total_round = round_ = next(self._total_rounds)
        if self._total_task is not None:
            self._total_task.cancel()
            self._total_task = None
        if lists.at_most(self.kind) <= COUNT_BEHIND_FROM:
            self._total = lists.total(self.session, self.kind)
            return
        self._total = None
        QTimer.singleShot(0, self, lambda: self._start_count(round_))

    def _start_count(self, round_: int) -> None:
        from ..workers import run_task
        if round_ != self._total_round:
            return
        self._total_task = run_task(lists.total, self.session, self.kind,
                                    on_done=lambda total, r=round_: self._totalled(r, total),
                                    on_error=lambda exc, r=round_: self._count_failed(r, exc))

    def _totalled(self, round_: int, total: int) -> None:
        """The table's count arrived: in an index order the rows below the first block join the
        list; under a search, the page says of how many the matches are."""
        if round_ != self._total_round:
            return
        self._total_task, self._total = None, total
        query = self.query()
        if self.counting and self._ids is None and in_index_order(query):
            self._grow_to(self._current, total, None)
        self.totalled.emit(total)

    def _count_failed(self, round_: int, exc: BaseException) -> None:
        if round_ == self._total_round:
            self._total_task = None
            self._failed(self._current, exc)

    def _search_in_background(self, generation: int, query: ListQuery) -> None:
        from ..workers import run_task
        self.busy.emit(True)
        if lists.first_rows_fast(query):
            first = lists.fetch_block(self.session, query, 0)
            self._install(generation, None, len(first.rows), counting=True, first=first)
        self._task = run_task(self.matching_ids,
                              on_done=lambda ids, g=generation: self._counted(g, ids),
                              on_error=lambda exc, g=generation: self._failed(g, exc))

    def _install(self, generation: int, ids: array | None, count: int, counting: bool = False,
                 first: lists.Block | None = None) -> None:
        if generation != self._current:
            return  # an older search finished after a newer one began
        self._task = None
        self.beginResetModel()
        self._ids, self._count, self.counting = ids, count, counting
        self._blocks.clear()
        self._titles.clear()
        self._signed.clear()
        if first is not None:
            self._blocks[0] = first.rows
            self._titles.update(first.titles)
            self._signed.update(first.signed)
        self.endResetModel()
        if counting:
            self.first_rows.emit(count)
            return
        self.busy.emit(False)
        self.filtered.emit(count)

    def _counted(self, generation: int, ids: array) -> None:
        """The search's ordered ids arrived. Where its first block is already shown, the rest is
        added below it (the view keeps its place); otherwise the list is shown afresh."""
        if generation != self._current:
            return
        if not self.counting:
            self._install(generation, ids, len(ids))
            return
        self._grow_to(generation, len(ids), ids)

    def _grow_to(self, generation: int, count: int, ids: array | None) -> None:
        """The count of the rows whose first block is shown: the rest are added below it."""
        self._task, shown = None, self._count
        self._ids, self.counting = ids, False
        if count > shown:
            self.beginInsertRows(QModelIndex(), shown, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < shown:  # a write between the first block and the count: show afresh
            self._install(generation, ids, count)
            return
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

    def total(self) -> int | None:
        """Every record of this type for the canteen, whatever the filter (None while a large
        table is being counted)."""
        return self._total

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header()
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if not self.sortable(section):
                return f"{self.columns[section].header()}\n{self.slow_sort_message()}"
            return self.columns[section].header()
        return None

    def sortable(self, column: int) -> bool:
        """Whether the list can be put in this column's order now: always along an index (entry
        order, the event, the name column), otherwise only while the rows in play are few."""
        query = ListQuery(self.kind, self._text, self._start, self._end, column)
        # while the rows are being counted, only their first block is known: not yet "few"
        return lists.sorts_fast(query) or (not self.counting and self._count <= SORT_SCAN_LIMIT)

    def slow_sort_message(self) -> str:
        limit = i18n.locale().toString(SORT_SCAN_LIMIT)
        return i18n.pick(f"Too many rows to sort by this column quickly; search or choose dates to narrow the "
                         f"list to {limit} rows or fewer, or sort by No., the date or the name.",
                         f"记录太多，无法按此列快速排序；请先搜索或选择日期，把列表缩小到 {limit} 条以内，"
                         f"或按编号、日期、名称排序。")

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sort:
            return
        if not self.sortable(column):
            self.sort_refused.emit(self.slow_sort_message())
            return
        self._sort = (column, order)
        self.reload(recount=False)

    def data(self, index: QModelIndex, role=DISPLAY):
        if role not in CELL_ROLES or not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == DISPLAY:
            return self.text(row, column)
        if role == ALIGNMENT:
            return RIGHT_ALIGNED if self.columns[column].type.numeric else None
        return self._look(role, column, row)

    def text(self, row: tuple, column: int) -> str:
        """A cell's text: the value as the user reads it; a signed record's version with its state
        ("2 · changed after signing", the state a reviewer looks for)."""
        shown = self.display(self.columns[column], row[column])
        if column == self._version_index:
            signed = self.signature_word(row)
            if signed is not None:
                return f"{shown} · {signed[1]}"
        return shown

    def _look(self, role: int, column: int, row: tuple):
        """A cell's colour, font and tip: a signed version green (red once changed after signing),
        a voided row grey and struck out, a refused result red, an expiry near or past."""
        col, value = self.columns[column], row[column]
        if column == self._version_index and role == FOREGROUND:
            signed = self.signature_word(row)
            if signed is not None:
                return QBrush(QColor("#1b5e20" if signed[0] == "signed" else "#b00020"))
        voided = row[-1]
        if role == FOREGROUND and voided:
            return QBrush(QColor("#8a8a8a"))
        if role == FONT and voided:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == FOREGROUND and col.name == "result" and value in ("positive", "rejected"):
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
        if role == FOREGROUND:
            return QBrush(QColor("#b00020" if expired else "#8a4b00"))
        if role == FONT:
            font = QFont()
            font.setBold(True)
            return font
        if role == TOOLTIP:
            return (QCoreApplication.translate("RecordTableModel", "Expired") if expired
                    else QCoreApplication.translate("RecordTableModel", "Expires within a month"))
        return None

    def first_texts(self, column: int, rows: int) -> set[str]:
        """The distinct texts of a column in its first rows (for its width)."""
        return {self.text(row, column) for row in map(self.row, range(min(rows, self._count))) if row is not None}

    def display(self, col: Column, value) -> str:
        """A stored value as the user reads it, in the current language: the core's reading for a
        table cell (numbers grouped as the en_GB and zh_CN locales group them); the record number
        as it is."""
        if col.name == "id" and value is not None:
            return str(value)
        return col.type.show(col.spec, value, self.tz, i18n.language(), self._title, in_table=True)

    def _title(self, model_name: str, record_id: int) -> str:
        return self._titles.get((model_name, record_id), f"#{record_id}")
