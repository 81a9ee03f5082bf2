"""The audit trail: every create, amend, void, sign, login and setting change, and a check that
nobody has changed any of it since.

The table pages through the trail as it scrolls (one COUNT, then blocks of rows on demand), so a
trail of millions of entries opens at once. Filters become the query's WHERE. The selected
entry's before and after are laid side by side, field by field, changed fields marked.
"Verify integrity" recomputes the hash chain and every signature off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from canteen import vocabulary
from canteen.errors import NotFound
from canteen.fields import Spec
from canteen.read import audit as read_audit
from canteen.read import kinds
from canteen.read.audit import AuditQuery, AuditRow
from canteen.vocabulary import ALERT_ACTIONS, UTC_FIELDS
from canteen.vocabulary import BOOKKEEPING_NAMES as BOOKKEEPING
from ui import i18n
from ui.workers import Cancelled, run_task

from ._common import (
    Page,
    error_text,
    fmt_datetime,
    fmt_int,
    fmt_money,
    from_qdate,
    heading,
    kind_label,
    name_widget,
    to_qdate,
)

BLOCK = 200
KEEP_BLOCKS = 20


def action_label(action: str) -> str:
    return vocabulary.action_label(action, i18n.language())


def bookkeeping_label(name: str) -> str:
    return vocabulary.bookkeeping_label(name, i18n.language())


def record_fields(kind: str) -> tuple[Spec, ...]:
    """The fields of a record type; none for the trail's other kinds (users, settings, the canteen)."""
    try:
        return kinds.record_type(kind).fields
    except NotFound:
        return ()


def is_record_kind(kind: str) -> bool:
    try:
        kinds.record_type(kind)
    except NotFound:
        return False
    return True


def field_label(kind: str, name: str) -> str:
    """The form's label of a field, in the language in force; the column name otherwise."""
    for spec in record_fields(kind):
        if spec.name == name:
            return i18n.pick(spec.en, spec.zh)
    return bookkeeping_label(name)


def field_order(kind: str, names: list[str]) -> list[str]:
    """The record's own fields in form order, then the bookkeeping columns."""
    own = [spec.name for spec in record_fields(kind)]
    first = [n for n in own if n in names]
    rest = [n for n in names if n not in own and n not in BOOKKEEPING]
    return first + rest + [n for n in BOOKKEEPING if n in names]


def readable(kind: str, name: str, value, tz: str) -> str:
    """A stored value as a person reads it: local times, choice labels, yes/no."""
    if value is None or value == "":
        return "—"
    spec = next((f for f in record_fields(kind) if f.name == name), None)
    if isinstance(value, str) and (name in UTC_FIELDS or (spec is not None and spec.type.stored_in_utc)):
        try:
            return fmt_datetime(dt.datetime.fromisoformat(value), tz)
        except ValueError:
            return value
    if spec is not None and spec.type.labelled:
        return spec.type.show(spec, value, tz, i18n.language()) or str(value)
    if spec is not None and spec.type.in_yuan and isinstance(value, int):
        return fmt_money(value)
    return _show(value)


class AuditFilter:
    """What the table shows: the reader's trail, narrowed by an `AuditQuery` (a record type and
    number, one user, a range of days)."""

    def __init__(self, session):
        self.session, self.tz = session, session.tz
        self.query = AuditQuery()

    def count(self) -> int:
        return read_audit.audit_count(self.session, self.query)

    def block(self, offset: int, limit: int) -> list[AuditRow]:
        return read_audit.audit_block(self.session, self.query, offset, limit)


class AuditModel(QAbstractTableModel):
    """Audit entries, newest first, fetched a block at a time as the view asks for them."""

    COLUMNS = ("seq", "at", "user", "action", "record", "reason")

    def __init__(self, audit_filter: AuditFilter, parent=None):
        super().__init__(parent)
        self.filter = audit_filter
        self.count = 0
        self.blocks: OrderedDict[int, list] = OrderedDict()

    def reload(self) -> None:
        self.beginResetModel()
        self.blocks.clear()
        self.count = self.filter.count()
        self.endResetModel()

    def entry(self, row: int) -> AuditRow | None:
        if not 0 <= row < self.count:
            return None
        block = row // BLOCK
        if block not in self.blocks:
            rows = self.filter.block(block * BLOCK, BLOCK)
            self.blocks[block] = rows
            while len(self.blocks) > KEEP_BLOCKS:
                self.blocks.popitem(last=False)
        else:
            self.blocks.move_to_end(block)
        rows = self.blocks[block]
        offset = row - block * BLOCK
        return rows[offset] if offset < len(rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.count

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("No."), self.tr("Time"), self.tr("User"), self.tr("Action"), self.tr("Record"),
                self.tr("Reason"))[section]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self.entry(index.row())
        if entry is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ForegroundRole and entry.action in ALERT_ACTIONS:
            return QBrush(QColor("#c62828"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "seq":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, entry: AuditRow, column: str) -> str:
        if column == "seq":
            return str(entry.seq)
        if column == "at":
            return fmt_datetime(entry.at, self.filter.tz, seconds=True)
        if column == "user":
            return entry.username
        if column == "action":
            return action_label(entry.action)
        if column == "record":
            if not entry.record_kind:
                return ""
            text = kind_label(entry.record_kind)
            if entry.record_id is not None:
                text += f" #{entry.record_id}"
            if entry.record_version:
                text += " " + self.tr("v%1").replace("%1", str(entry.record_version))
            return text
        return reason_text(entry)


def reason_text(entry: AuditRow) -> str:
    """The reason as written; a signature's meaning (inspected/reviewed/approved) in words."""
    if entry.action == "sign" and entry.reason:
        from canteen.integrity.signatures import MEANINGS
        for value, en, zh in MEANINGS:
            if value == entry.reason:
                return i18n.pick(en, zh)
    return entry.reason or ""


def run_verify(progress=None):
    """Recompute the chain and every signature (runs on a worker thread)."""
    from canteen.integrity.verify import verify_database
    return verify_database(progress=progress)


class AuditPage(Page):
    """The audit trail, filterable, with before/after of the selected entry and an integrity check."""

    verified = Signal(object)   # the VerifyReport

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.filter = AuditFilter(session)
        self.verify_task = None
        self.setObjectName("auditPage")
        self._build()
        self.retranslate()
        self.apply_filter()

    # ---- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = heading("", "auditTitle")
        self._build_filter_bar()
        self._build_verify_box()
        self._build_table()
        self._build_detail_pane()
        self._lay_out()

    def _build_filter_bar(self) -> None:
        """Record type, number, user and days, each applied as soon as it changes."""
        today = self.session.today()
        self.kind_label, self.id_label, self.user_label = QLabel(), QLabel(), QLabel()
        self.from_label, self.to_label = QLabel(), QLabel()
        self.kind_box = name_widget(QComboBox(), "auditKind", "record type")
        self.id_edit = name_widget(QLineEdit(), "auditRecordId", "record id")
        self.id_edit.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.id_edit.setMaximumWidth(90)
        self.user_box = name_widget(QComboBox(), "auditUser", "user")
        self.start_edit = name_widget(QDateEdit(), "auditFrom", "from")
        self.end_edit = name_widget(QDateEdit(), "auditTo", "to")
        for edit, day in ((self.start_edit, self._first_day()), (self.end_edit, today)):
            edit.setCalendarPopup(True)
            edit.setDate(to_qdate(day))
        for label, widget in ((self.kind_label, self.kind_box), (self.id_label, self.id_edit),
                              (self.user_label, self.user_box), (self.from_label, self.start_edit),
                              (self.to_label, self.end_edit)):
            label.setBuddy(widget)
        self.apply_button = name_widget(QPushButton(), "auditApply", "apply")
        self.clear_button = name_widget(QPushButton(), "auditClear", "clear")
        self.apply_button.clicked.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filter)
        self.id_edit.returnPressed.connect(self.apply_filter)
        self.kind_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.user_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.start_edit.dateChanged.connect(lambda _d: self.apply_filter())
        self.end_edit.dateChanged.connect(lambda _d: self.apply_filter())

    def _build_verify_box(self) -> None:
        """The integrity check: its button, progress, verdict and the problems it found."""
        self.verify_button = name_widget(QPushButton(), "auditVerify", "verify")
        self.verify_button.clicked.connect(self.verify)
        self.verify_progress = name_widget(QProgressBar(), "auditVerifyProgress", "progress")
        self.verify_progress.setMaximumWidth(180)
        self.verify_progress.hide()
        self.verify_result = name_widget(QLabel(), "auditVerifyResult", "result")
        self.verify_result.setWordWrap(True)
        self.verify_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_result.hide()
        self.problems = name_widget(QListWidget(), "auditProblems", "problems")
        self.problems.setWordWrap(True)
        self.problems.setMaximumHeight(140)
        self.problems.hide()

    def _build_table(self) -> None:
        """The trail itself, newest first, paged by the model as it scrolls."""
        self.model = AuditModel(self.filter, self)
        self.table = name_widget(QTableView(), "auditTable", "audit trail")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((64, 150, 80, 120, 190)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_entry(cur.row()))
        self.table.doubleClicked.connect(self._open)
        self.count_label = name_widget(QLabel(), "auditCount", "count")

    def _build_detail_pane(self) -> None:
        """The selected entry: what it was, its before and after side by side, its hashes."""
        self.entry_title = name_widget(QLabel(), "auditEntryTitle", "entry")
        self.entry_title.setWordWrap(True)
        self.entry_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes = name_widget(QTableWidget(0, 3), "auditChanges", "before and after")
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.verticalHeader().hide()
        self.changes.setWordWrap(True)
        self.changes.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.changes.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.changes.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.hash_label = name_widget(QLabel(), "auditHash", "hash")
        self.hash_label.setWordWrap(True)
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hash_label.setStyleSheet("color:palette(placeholder-text); font-family:monospace;")

    def _lay_out(self) -> None:
        """Title and verify button, the verdict, the filters, then the table beside the detail pane."""
        filters = QHBoxLayout()
        for w in (self.kind_label, self.kind_box, self.id_label, self.id_edit, self.user_label, self.user_box,
                  self.from_label, self.start_edit, self.to_label, self.end_edit, self.apply_button, self.clear_button):
            filters.addWidget(w)
        filters.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.verify_progress)
        top.addWidget(self.verify_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.entry_title)
        right_layout.addWidget(self.changes, 1)
        right_layout.addWidget(self.hash_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("auditSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.verify_result)
        layout.addWidget(self.problems)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Audit trail"))
        self.kind_label.setText(self.tr("Record &type"))
        self.id_label.setText(self.tr("&No."))
        self.user_label.setText(self.tr("&User"))
        self.from_label.setText(self.tr("&From"))
        self.to_label.setText(self.tr("&To"))
        self.kind_box.setAccessibleName(self.tr("Record type"))
        self.id_edit.setAccessibleName(self.tr("Record number"))
        self.id_edit.setPlaceholderText(self.tr("any"))
        self.user_box.setAccessibleName(self.tr("User"))
        self.start_edit.setAccessibleName(self.tr("First day"))
        self.end_edit.setAccessibleName(self.tr("Last day"))
        fmt = i18n.locale().dateFormat(i18n.locale().FormatType.ShortFormat)
        self.start_edit.setDisplayFormat(fmt)
        self.end_edit.setDisplayFormat(fmt)
        self.apply_button.setText(self.tr("Apply"))
        self.apply_button.setAccessibleName(self.tr("Apply the filter"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setAccessibleName(self.tr("Clear the filter"))
        self.verify_button.setText(self.tr("Verify integrity"))
        self.verify_button.setAccessibleName(self.tr("Verify integrity"))
        self.verify_progress.setAccessibleName(self.tr("Verification progress"))
        self.verify_result.setAccessibleName(self.tr("Verification result"))
        self.problems.setAccessibleName(self.tr("Problems found"))
        self.table.setAccessibleName(self.tr("Audit trail"))
        self.changes.setAccessibleName(self.tr("Before and after"))
        self.changes.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Before"), self.tr("After")])
        self._fill_choices()
        self._show_count()
        self._show_entry(self.table.currentIndex().row())

    def _fill_choices(self) -> None:
        kind, user = self.kind_box.currentData(), self.user_box.currentData()
        for box in (self.kind_box, self.user_box):
            box.blockSignals(True)
            box.clear()
        self.kind_box.addItem(self.tr("All"), "")
        for k in kinds.audit_kinds(i18n.language()):
            self.kind_box.addItem(kind_label(k), k)
        self.user_box.addItem(self.tr("Everyone"), None)
        for u in read_audit.audit_users(self.session):
            self.user_box.addItem(f"{u.username} ({u.display_name})", u.id)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind or "")))
        self.user_box.setCurrentIndex(max(0, self.user_box.findData(user)) if user is not None else 0)
        for box in (self.kind_box, self.user_box):
            box.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(AuditModel.COLUMNS) - 1)
        super().changeEvent(event)

    # ---- filtering -------------------------------------------------------------------------------

    def apply_filter(self) -> None:
        self.filter.query = AuditQuery(
            kind=self.kind_box.currentData() or "",
            record_id=int(self.id_edit.text()) if self.id_edit.text().strip() else None,
            user_id=self.user_box.currentData(),
            start=from_qdate(self.start_edit.date()), end=from_qdate(self.end_edit.date()))
        self.refresh()

    def clear_filter(self) -> None:
        for w in (self.kind_box, self.user_box, self.start_edit, self.end_edit, self.id_edit):
            w.blockSignals(True)
        self.kind_box.setCurrentIndex(0)
        self.user_box.setCurrentIndex(0)
        self.id_edit.clear()
        self.start_edit.setDate(to_qdate(self._first_day()))
        self.end_edit.setDate(to_qdate(self.session.today()))
        for w in (self.kind_box, self.user_box, self.start_edit, self.end_edit, self.id_edit):
            w.blockSignals(False)
        self.apply_filter()

    def _first_day(self) -> dt.date:
        """The local day of the earliest entry of this canteen: where an open filter starts."""
        return read_audit.first_audit_day(self.session)

    def show_record(self, kind: str, record_id: int | None) -> None:
        """Filter to one record's history (the shell calls this from a record page)."""
        self.kind_box.blockSignals(True)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))
        self.kind_box.blockSignals(False)
        self.id_edit.setText("" if record_id is None else str(record_id))
        self.apply_filter()

    def refresh(self) -> None:
        self.end_edit.setMaximumDate(to_qdate(self.session.today()))
        self.model.reload()
        self._show_count()
        if self.model.count:
            self.table.selectRow(0)
        else:
            self._show_entry(-1)
        self.loaded.emit()

    def _show_count(self) -> None:
        self.count_label.setText(self.tr("%1 entries").replace("%1", fmt_int(self.model.count)))

    # ---- the selected entry --------------------------------------------------------------------

    def _show_entry(self, row: int) -> None:
        entry = self.model.entry(row) if row >= 0 else None
        self.changes.setRowCount(0)
        if entry is None:
            self.entry_title.setText(self.tr("No entry selected."))
            self.hash_label.clear()
            return
        record = kind_label(entry.record_kind) if entry.record_kind else ""
        if entry.record_id is not None:
            record += f" #{entry.record_id}"
        if entry.record_version:
            record += " " + self.tr("version %1").replace("%1", str(entry.record_version))
        text = self.tr("<b>No. %1</b> · %2 · %3 · by %4 at %5").replace("%1", str(entry.seq)) \
            .replace("%2", action_label(entry.action)).replace("%3", record or "—") \
            .replace("%4", entry.username or "—").replace("%5", fmt_datetime(entry.at, self.session.tz, seconds=True))
        if entry.reason:
            text += "<br>" + self.tr("Reason: %1").replace("%1", _escape(reason_text(entry)))
        self.entry_title.setText(text)
        self.hash_label.setText(self.tr("hash %1 ← previous %2").replace("%1", entry.hash[:16] + "…")
                                .replace("%2", entry.prev_hash[:16] + "…"))
        self.hash_label.setToolTip(f"{entry.hash}\n{entry.prev_hash}")
        self._show_changes(entry)

    def _show_changes(self, entry: AuditRow) -> None:
        before, after = entry.before or {}, entry.after or {}
        names = field_order(entry.record_kind, list(dict.fromkeys([*after.keys(), *before.keys()])))
        tz = self.session.tz
        self.changes.setRowCount(len(names))
        bold = QFont(self.changes.font())
        bold.setBold(True)
        for row, name in enumerate(names):
            old, new = before.get(name, ""), after.get(name, "")
            changed = entry.before is not None and old != new
            cells = (field_label(entry.record_kind, name),
                     readable(entry.record_kind, name, old, tz) if entry.before is not None else "",
                     readable(entry.record_kind, name, new, tz) if entry.after is not None else "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if changed:
                    item.setFont(bold)
                    item.setBackground(QColor("#fff3cd"))
                self.changes.setItem(row, column, item)
        self.changes.resizeRowsToContents()

    def selected_entry(self) -> AuditRow | None:
        return self.model.entry(self.table.currentIndex().row())

    def _open(self, index) -> None:
        entry = self.model.entry(index.row())
        if entry is not None and is_record_kind(entry.record_kind) and entry.record_id:
            self.open_record.emit(entry.record_kind, int(entry.record_id))

    # ---- verification ------------------------------------------------------------------------

    def verify(self) -> None:
        if self.verify_task is not None:
            self.verify_task.cancel()
            return
        self.verify_button.setText(self.tr("Cancel verification"))
        self.verify_progress.setRange(0, 0)
        self.verify_progress.show()
        self.problems.hide()
        self.verify_result.setStyleSheet("")
        self.verify_result.setText(self.tr("Verifying the audit trail and every signature…"))
        self.verify_result.show()
        self.verify_task = run_task(run_verify, on_done=self._verified, on_error=self._verify_failed,
                                    on_progress=self._verify_progress)

    def _verify_progress(self, done: int, total: int, _text: str) -> None:
        if total:
            self.verify_progress.setRange(0, total)
            self.verify_progress.setValue(done)

    def _verify_finished(self) -> None:
        self.verify_task = None
        self.verify_progress.hide()
        self.verify_button.setText(self.tr("Verify integrity"))

    def _verified(self, report) -> None:
        self._verify_finished()
        language = i18n.language()
        figures = self.tr("%1 entries, %2 records and %3 signatures checked in %4 s; chain head %5.") \
            .replace("%1", fmt_int(report.entries_checked)).replace("%2", fmt_int(report.records_checked)) \
            .replace("%3", fmt_int(report.signatures_checked)) \
            .replace("%4", i18n.locale().toString(float(report.seconds), "f", 1)) \
            .replace("%5", str(report.head))
        if report.ok:
            self.verify_result.setStyleSheet("color:#2e7d32; font-weight:bold;")
            text = "✔ " + self.tr("Intact: nothing has been changed outside the program.") + " " + figures
        else:
            self.verify_result.setStyleSheet("color:#c62828; font-weight:bold;")
            text = "✖ " + self.tr("%1 problem(s) found: the records were changed outside the program.") \
                .replace("%1", str(len(report.problems))) + " " + figures
            self.problems.clear()
            for problem in report.problems:
                where = f" [{problem.where}]" if getattr(problem, "where", "") else ""
                self.problems.addItem(f"✖ {problem.text(language)}{where}")
            self.problems.show()
        self.verify_result.setText(text)
        self.status_message.emit(text)
        self.verified.emit(report)

    def _verify_failed(self, exc: BaseException) -> None:
        self._verify_finished()
        text = self.tr("Verification cancelled.") if isinstance(exc, Cancelled) else error_text(exc)
        self.verify_result.setStyleSheet("color:#c62828;")
        self.verify_result.setText(text)
        self.status_message.emit(text)
        self.verified.emit(None)


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return QCoreApplication.translate("PageCommon", "yes") if value else QCoreApplication.translate("PageCommon", "no")
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
