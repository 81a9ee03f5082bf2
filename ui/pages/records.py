"""A page per record type: search, date range, a paged sortable table, and the selected record's
history, signatures and attachments, with Add / Amend / Void / Sign as the role allows."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from canteen.errors import CanteenError, ValidationError
from canteen.integrity.signatures import MEANINGS, meanings_for
from canteen.read import kinds
from canteen.read import records as read_records
from canteen.read.rows import RecordRow
from canteen.services import records, signing
from canteen.services.permissions import may_export, may_sign, may_write
from canteen.timeutil import to_local
from canteen.vocabulary import action_label

from .. import i18n
from ..attachments import KINDS_WITH_ATTACHMENTS, AttachmentsPanel
from ..forms import RecordForm
from ..forms.dialogs import ReasonDialog, SignDialog, show_error
from ..models import RecordTableModel
from ..workers import run_task
from ._common import Page

SEARCH_DELAY_MS = 250
SIZED_ROWS = 40  # the first rows a column's width is taken from


def local_text(utc: dt.datetime | None, tz: str) -> str:
    return "" if utc is None else f"{to_local(utc, tz):%Y-%m-%d %H:%M}"


class RecordsPage(Page):
    """All records of one type; the page a user lives in while logging the day."""

    def __init__(self, session, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.kind = session, kind
        self.record_type = kinds.record_type(kind)
        self.setObjectName(f"page_{kind}")
        self.setAccessibleName(self.record_type.en)
        self.form: RecordForm | None = None
        self.table_model = RecordTableModel(session, kind, self)
        self.table_model.filtered.connect(self._filtered)
        self.table_model.busy.connect(self._busy)
        self.table_model.first_rows.connect(self._first_rows)
        self.table_model.sort_refused.connect(self._sort_refused)
        self.table_model.totalled.connect(lambda _total: self._update_count())
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._build()
        self._update_count()
        self._update_buttons()

    # ---- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        """The page from top to bottom: the filter bar, the buttons, the offer bar, then the
        table above the selected record's details (made in that order, which is the tab order)."""
        bar, buttons, offer = self._build_filter_bar(), self._build_buttons(), self._build_offer_bar()
        table, details = self._build_table(), self._build_details()
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(table)
        split.addWidget(details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(buttons)
        layout.addWidget(offer)
        layout.addWidget(split, 1)

    def _build_filter_bar(self) -> QHBoxLayout:
        """The title, the search box, the day range and the number of records."""
        title = QLabel(self.record_type.label(i18n.language()), self)
        title.setObjectName("page_title")
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F): name, supplier, person, number…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.use_dates = QCheckBox(self.tr("From"), self)
        self.use_dates.setObjectName("use_dates")
        self.use_dates.setAccessibleName(self.tr("Limit to dates"))
        day = self.session.today()  # the canteen's day, not the computer's (their zones may differ)
        today = QDate(day.year, day.month, day.day)
        self.date_from = self._date_edit("date_from", today.addDays(-30))
        self.date_to = self._date_edit("date_to", today)
        self.use_dates.toggled.connect(self.apply_filter)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("record_count")
        self.count_label.setAccessibleName(self.tr("Number of records"))
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addSpacing(12)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.use_dates)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(self.tr("to"), self))
        bar.addWidget(self.date_to)
        bar.addWidget(self.count_label)
        return bar

    def _build_buttons(self) -> QHBoxLayout:
        """Add, Amend, Void and Sign on the left; Import (and the sample labels) on the right."""
        self.add_button = self._button("add", self.tr("&Add"), self.add_record, self.tr("Add a record (Ctrl+N)"))
        self.amend_button = self._button("amend", self.tr("A&mend…"), self.amend_record, self.tr("Amend the selected record"))
        self.void_button = self._button("void", self.tr("&Void…"), self.void_record, self.tr("Void the selected record"))
        self.sign_button = self._button("sign", self.tr("&Sign…"), self.sign_selected, self.tr("Sign the selected record"))
        # Only for those who may sign this kind; the others never could, so the button would only puzzle.
        self.sign_button.setVisible(may_sign(self.session.role, self.kind))
        self.import_button = self._button("import", self.tr("&Import…"), self.import_sheet,
                                          self.tr("Bring in a filled-in sheet (.xlsx, .xls, .ods, .csv, .txt): all rows or none"))
        self.import_button.setVisible(may_write(self.session.role, self.kind))
        self.labels_button = None
        if self.kind == "samples":
            self.labels_button = self._button("labels", self.tr("Sample &labels (PDF)…"), self.export_labels,
                                              self.tr("Labels for the samples of the selected sample's day "
                                                      "(or of the last day in the date range)"))
            self.labels_button.setVisible(may_export(self.session.role))
        QShortcut(QKeySequence.StandardKey.New, self, self.add_record)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.amend_button, self.void_button, self.sign_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        if self.labels_button is not None:
            buttons.addWidget(self.labels_button)
        return buttons

    def _build_offer_bar(self) -> QWidget:
        """The one-line suggestion of the next step, hidden until a save has one to offer."""
        self.offer = QWidget(self)
        self.offer.setObjectName("offer_bar")
        offer_layout = QHBoxLayout(self.offer)
        offer_layout.setContentsMargins(6, 2, 6, 2)
        self.offer_label = QLabel(self.offer)
        self.offer_button = QPushButton(self.tr("Record its pesticide test"), self.offer)
        self.offer_button.setObjectName("offer_pesticide")
        self.offer_button.setAccessibleName(self.tr("Record its pesticide test"))
        self.offer_button.clicked.connect(self._take_offer)
        dismiss = QPushButton(self.tr("Not now"), self.offer)
        dismiss.clicked.connect(self.offer.hide)
        offer_layout.addWidget(self.offer_label, 1)
        offer_layout.addWidget(self.offer_button)
        offer_layout.addWidget(dismiss)
        self.offer.setStyleSheet("#offer_bar { background: #e8f4fd; border: 1px solid #90c2e7; }")
        self.offer.hide()
        self._offered: dict | None = None
        self._offer_action = None
        return self.offer

    def _build_table(self) -> QTableView:
        """The paged, sortable table: fixed row height, so a million rows scroll without measuring."""
        self.table = QTableView(self)
        self.table.setObjectName("records_table")
        self.table.setAccessibleName(self.tr("Records"))
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(24)
        vh.hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._size_columns()
        column, order = self.table_model._sort
        hh.setSortIndicator(column, order)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda _: self.amend_record())
        return self.table

    def _build_details(self) -> QTabWidget:
        """The selected record's tabs: history, signatures and (for some kinds) attachments."""
        self.details = QTabWidget(self)
        self.details.setObjectName("record_details")
        self.history = self._detail_table("audit_history", self.tr("History of the record"), [
            self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Reason"), self.tr("Changes")])
        self.details.addTab(self.history, self.tr("History"))
        self.details.addTab(self._build_signatures(), self.tr("Signatures"))
        self.attachments = None
        if self.kind in KINDS_WITH_ATTACHMENTS:
            self.attachments = AttachmentsPanel(self.session, self.kind, self)
            self.attachments.added.connect(lambda _id: self._show_history(self.current_record()))
            self.attachments.voided.connect(self._attachment_voided)
            self.details.addTab(self.attachments, self.tr("Attachments"))
        return self.details

    def _build_signatures(self) -> QWidget:
        """The signature state in words and colour above the list of signatures."""
        sig_box = QWidget(self)
        sig_layout = QVBoxLayout(sig_box)
        self.signature_state = QLabel(self.tr("No record selected"), sig_box)
        self.signature_state.setObjectName("signature_state")
        self.signature_state.setAccessibleName(self.tr("Signature state"))
        self.signature_state.setStyleSheet("font-weight: bold;")
        self.signature_list = self._detail_table("signature_list", self.tr("Signatures"), [
            self.tr("Signed by"), self.tr("Date and time"), self.tr("Meaning"), self.tr("Version")], sig_box)
        sig_layout.addWidget(self.signature_state)
        sig_layout.addWidget(self.signature_list, 1)
        return sig_box

    def _detail_table(self, name: str, accessible: str, headers: list[str], parent: QWidget | None = None) -> QTableWidget:
        table = QTableWidget(0, len(headers), parent or self)
        table.setObjectName(name)
        table.setAccessibleName(accessible)
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return table

    def _date_edit(self, name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value, self)
        edit.setObjectName(name)
        edit.setAccessibleName(name.replace("_", " "))
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.dateChanged.connect(lambda _: self.use_dates.isChecked() and self.apply_filter())
        return edit

    def _button(self, name: str, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(f"{name}_button")
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _size_columns(self) -> None:
        """Width from the header and the first rows only (already fetched to paint): never a scan,
        each distinct text measured once."""
        metrics = self.table.fontMetrics()
        model = self.table_model
        for i, col in enumerate(model.columns):
            header = metrics.horizontalAdvance(col.header()) + 28
            widest = max((metrics.horizontalAdvance(text) + 16 for text in model.first_texts(i, SIZED_ROWS)),
                         default=0)
            wide = col.type.wide
            floor = 200 if wide else 56
            self.table.setColumnWidth(i, min(max(header, widest, floor), 320 if wide else 230))

    # ---- filtering ------------------------------------------------------------------------

    def apply_filter(self) -> None:
        self._search_timer.stop()
        start = end = None
        if self.use_dates.isChecked():
            start = self.date_from.date().toPython()
            end = self.date_to.date().toPython()
        self.table_model.set_filter(self.search.text(), start, end)

    def _filtered(self, _count: int) -> None:
        self._update_count()
        self._selected()

    def _first_rows(self, shown: int) -> None:
        """The first matching rows (or the first rows of a large table) are painted; the count follows."""
        self._say_counting(shown)
        self._selected()

    def _say_counting(self, shown: int) -> None:
        number = i18n.locale().toString(shown)
        query = self.table_model.query()
        if not query.text and query.start is None and query.end is None:
            self.count_label.setText(i18n.pick(f"First {number} records shown; counting…",
                                               f"已显示前 {number} 条记录，正在计数…"))
        else:
            self.count_label.setText(i18n.pick(f"First {number} matches shown; counting…",
                                               f"已显示前 {number} 条匹配记录，正在计数…"))

    def _sort_refused(self, why: str) -> None:
        """The header goes back to the order in force, and the status line says why."""
        column, order = self.table_model._sort
        self.table.horizontalHeader().setSortIndicator(column, order)
        self.status_message.emit(why)

    def _busy(self, busy: bool) -> None:
        if busy and self.table_model.counting:
            return  # the first rows are shown and say that the count follows
        if busy:
            self.count_label.setText(self.tr("Searching…"))
        elif self.table_model.error is not None:
            error, self.table_model.error = self.table_model.error, None
            show_error(self, error)

    def _update_count(self) -> None:
        shown = self.table_model.rowCount()
        if self.table_model.counting:
            self._say_counting(shown)
            return
        loc = i18n.locale()
        total = self.table_model.total()
        if (self.search.text().strip() or self.use_dates.isChecked()) and total is None:
            text = i18n.pick(f"{loc.toString(shown)} found; counting all records…",
                             f"找到 {loc.toString(shown)} 条，正在统计全部记录…")
        elif self.search.text().strip() or self.use_dates.isChecked():
            text = self.tr("{0} of {1} records").format(loc.toString(shown), loc.toString(total))
        else:
            text = self.tr("{0} records").format(loc.toString(shown))
        self.count_label.setText(text)

    def refresh(self) -> None:
        """Count and fetch again (after a write elsewhere, or on returning to the page)."""
        keep = self.current_id()
        self.table_model.reload()
        if keep is not None:
            self.select_record(keep)
        self._selected()

    def show_record(self, record_id: int) -> None:
        """Bring one record into view (from Today or Findings)."""
        with QSignalBlocker(self.search):
            self.search.setText(str(record_id))
        self.use_dates.setChecked(False)
        self.apply_filter()
        self.select_record(record_id)

    def select_record(self, record_id: int) -> bool:
        row = self.table_model.row_of(record_id)
        if row is None:
            for r in range(min(self.table_model.rowCount(), 2000)):
                if self.table_model.record_id(r) == record_id:
                    row = r
                    break
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.table_model.index(row, 0))
        return True

    # ---- selection and details ------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.table_model.record_id(index.row())

    def current_record(self) -> RecordRow | None:
        """The selected record as the core reads it now (None when nothing, or nothing of ours, is selected)."""
        record_id = self.current_id()
        if record_id is None:
            return None
        try:
            return read_records.record(self.session, self.kind, record_id, i18n.language())
        except CanteenError:
            return None

    def _selected(self, *_args) -> None:
        record = self.current_record()
        self._update_buttons(record)
        self._show_history(record)
        self._show_signatures(record)
        if self.attachments is not None:
            self.attachments.show_record(record.id if record else None, standing=not (record and record.voided))

    def _update_buttons(self, record: RecordRow | None = None) -> None:
        role = self.session.role
        writable = may_write(role, self.kind)
        self.add_button.setEnabled(writable)
        live = record is not None and not record.voided
        self.amend_button.setEnabled(writable and live)
        self.void_button.setEnabled(writable and live)
        self.sign_button.setEnabled(may_sign(role, self.kind) and live)

    def _show_history(self, record: RecordRow | None) -> None:
        self.history.setRowCount(0)
        if record is None:
            return
        try:
            entries = read_records.history(self.session, self.kind, record.id)
        except CanteenError:
            return
        for entry in entries:
            row = self.history.rowCount()
            self.history.insertRow(row)
            cells = [local_text(entry.at, self.session.tz), entry.person,
                     action_label(entry.action, i18n.language())
                     + (f" (v{entry.record_version})" if entry.record_version else ""),
                     entry.reason, self._changes(entry)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.history.setItem(row, col, item)
        self.history.resizeColumnsToContents()
        self.history.horizontalHeader().setStretchLastSection(True)

    def _changes(self, entry) -> str:
        """What an amendment changed, field by field, in the user's language."""
        language = i18n.language()
        parts = [f"{c.label(language)}: {c.before if c.before is not None else '—'} → "
                 f"{c.after if c.after is not None else '—'}" for c in entry.changes]
        if entry.voided_changed:
            parts.append(self.tr("voided"))
        return "; ".join(parts)

    def _show_signatures(self, record: RecordRow | None) -> None:
        self.signature_list.setRowCount(0)
        if record is None:
            self.signature_state.setText(self.tr("No record selected"))
            return
        try:
            state = read_records.signatures(self.session, self.kind, record.id)
        except CanteenError:
            self.signature_state.setText("")
            return
        meanings = {v: i18n.pick(en, zh) for v, en, zh in MEANINGS}
        for s in state.signatures:
            row = self.signature_list.rowCount()
            self.signature_list.insertRow(row)
            cells = [s.signer_name, local_text(s.signed_at, self.session.tz), meanings.get(s.meaning, s.meaning),
                     str(s.record_version)]
            for col, text in enumerate(cells):
                self.signature_list.setItem(row, col, QTableWidgetItem(text))
        self.signature_list.resizeColumnsToContents()
        self.signature_list.horizontalHeader().setStretchLastSection(True)
        texts = {"unsigned": (self.tr("Not signed"), "#555"),
                 "signed": (self.tr("Signed — locked"), "#1b5e20"),
                 "changed_after_signing": (self.tr("Changed after signing — needs signing again"), "#b00020")}
        text, colour = texts.get(state.state, (state.state, "#555"))
        self.signature_state.setText(text)
        self.signature_state.setStyleSheet(f"font-weight: bold; color: {colour};")

    # ---- actions --------------------------------------------------------------------------

    def add_record(self, initial: dict | None = None) -> RecordForm | None:
        if not self.add_button.isEnabled():
            return None
        return self._open_form(None, initial if isinstance(initial, dict) else None)

    def amend_record(self) -> RecordForm | None:
        record = self.current_record()
        if record is None or not self.amend_button.isEnabled():
            return None
        form = self._open_form(record.id)
        if form is not None and read_records.signatures(self.session, self.kind, record.id).state != "unsigned":
            form._show_banner(self.tr("This record is signed. Amending it makes a new version that needs signing again."))
        return form

    def _open_form(self, record_id: int | None, initial: dict | None = None) -> RecordForm | None:
        try:
            form = RecordForm(self.session, self.kind, record_id, initial, self)
        except CanteenError as exc:
            show_error(self, exc)
            return None
        form.saved.connect(self._saved)
        self.form = form
        form.open()
        return form

    def _saved(self, record: RecordRow) -> None:
        verb = self.tr("Saved") if record.version == 1 else self.tr("Amended")
        self.status_message.emit(self.tr("{0}: {1} No. {2}").format(verb, self.record_type.label(i18n.language()), record.id))
        form = self.sender()
        self.refresh()
        self.select_record(record.id)
        self._offer_pesticide_test(record)
        if isinstance(form, RecordForm) and form.record_id is None and form.add_another.isChecked():
            # The next delivery is already at the door: a fresh form with the same defaults (last
            # supplier, receiver, meal...). Opened once this one has closed.
            QTimer.singleShot(0, self._add_next)

    def _add_next(self) -> None:
        if self.form is not None and self.form.isVisible():
            return
        self.add_record()

    def _offer_pesticide_test(self, record: RecordRow) -> None:
        """Vegetables and fruit are screened the day they arrive: offer the test form next."""
        if self.kind == "inspections" and record.version == 1 and may_sign(self.session.role, self.kind):
            self._offer(self.tr("The daily inspection of {0} is saved: sign it now to close the day?")
                        .format(f"{record.day:%Y-%m-%d}"), self.tr("Sign it now…"), "offer_sign", self.sign_selected)
            return
        if (self.kind != "deliveries" or record.get("category") not in ("vegetable", "fruit")
                or record.get("result") != "accepted"):
            self.offer.hide()
            return
        item = record.get("item")
        self._offered = {"sample_name": item, "delivery": record.id}
        self._offer(self.tr("{0} was accepted: screen it for pesticide residues now?").format(item),
                    self.tr("Record its pesticide test"), "offer_pesticide", self._record_offered_test)

    def _offer(self, text: str, button: str, name: str, action) -> None:
        """A one-line suggestion of the natural next step, above the table; Enter takes it."""
        self.offer_label.setText(text)
        self.offer_button.setText(button)
        self.offer_button.setAccessibleName(button)
        self.offer_button.setObjectName(name)
        self._offer_action = action
        self.offer.show()
        self.offer_button.setFocus()

    def _take_offer(self) -> None:
        action, self._offer_action = self._offer_action, None
        self.offer.hide()
        if action is not None:
            action()

    def _record_offered_test(self) -> None:
        if self._offered is None:
            return
        form = RecordForm(self.session, "pesticide-tests", None, self._offered, self)
        form.saved.connect(lambda r: self.status_message.emit(
            self.tr("Saved: pesticide test No. {0} — {1}").format(r.id, r.get("result"))))
        self.form = form
        form.open()

    def labels_day(self) -> dt.date:
        """The day whose samples get labels: the selected sample's, else the end of the date range, else today."""
        record = self.current_record()
        if record is not None and record.day:
            return record.day
        if self.use_dates.isChecked():
            return self.date_to.date().toPython()
        return self.session.today()

    def import_sheet(self):
        """The import dialog for this kind; the table refreshes once rows are written."""
        from ..imports import ImportDialog
        self.import_dialog = ImportDialog(self.session, self.kind, self.record_type.label(i18n.language()), self)
        self.import_dialog.imported.connect(lambda result: (self.refresh(), self.status_message.emit(
            self.tr("Imported {0} records").format(result.rows))))
        self.import_dialog.open()
        return self.import_dialog

    def export_labels(self):
        from ..export_dialog import sample_labels_export, start_export
        if not may_export(self.session.role):
            return None
        self.export_dialog = start_export(self, self.session, sample_labels_export(self.session, self.labels_day()),
                                          lambda result: self.status_message.emit(
                                              self.tr("Sample labels written: {0}").format(result.path)))
        return self.export_dialog

    def _attachment_voided(self, attachment_id: int) -> None:
        self._show_history(self.current_record())
        self.status_message.emit(self.tr("Voided file No. {0}; it stays readable among the voided files.")
                                 .format(attachment_id))

    def void_record(self) -> None:
        record = self.current_record()
        if record is None or not self.void_button.isEnabled():
            return
        reason, ok = ReasonDialog.ask(self, self.tr("Void record"),
                                      self.tr("Why is record No. {0} void? It stays readable.").format(record.id))
        if not ok:
            return
        try:
            records.void(self.session, self.kind, record.id, reason)
        except Exception as exc:
            show_error(self, exc)
            return
        self.status_message.emit(self.tr("Voided record No. {0}").format(record.id))
        self.refresh()

    def sign_selected(self) -> None:
        """Sign the selected record after asking for the meaning and the password (checked off the GUI thread)."""
        record = self.current_record()
        if record is None:
            return
        summary = self.tr("Sign {0} No. {1}, version {2}, as {3}.").format(
            self.record_type.label(i18n.language()), record.id, record.version, self.session.user.display_name)
        meaning, password, ok = SignDialog.ask(self, summary, meanings_for(self.kind))
        if not ok:
            return
        self._sign(record.id, meaning, password)

    def _sign(self, record_id: int, meaning: str, password: str, open_cases_reason: str = "") -> None:
        self.sign_button.setEnabled(False)
        self.status_message.emit(self.tr("Signing…"))
        run_task(signing.sign_record, self.session, self.kind, record_id, meaning, password,
                 open_cases_reason=open_cases_reason, on_done=lambda s, r=record_id: self._signed(r, s, password),
                 on_error=lambda exc: self._sign_failed(exc, record_id, meaning, password))

    def _signed(self, record_id: int, signature=None, password: str = "") -> None:
        """The password check and key unlocking ran off the GUI thread; show the new state."""
        self.status_message.emit(self.tr("Signed record No. {0}").format(record_id))
        self.refresh()  # the table's version column shows the new signature too
        from canteen.services import district_push  # loaded at the first signature, not when the desk starts
        closed = district_push.day_closed_by(self.session, signature) if signature is not None else None
        if closed is not None:
            self.day_closed.emit(closed, password)

    def _sign_failed(self, exc: BaseException, record_id: int | None = None, meaning: str = "",
                     password: str = "") -> None:
        self._selected()
        if isinstance(exc, ValidationError) and exc.field == "open_cases_reason" and record_id is not None:
            self._ask_open_cases_reason(exc, record_id, meaning, password)
            return
        show_error(self, exc)

    def _ask_open_cases_reason(self, exc: ValidationError, record_id: int, meaning: str, password: str) -> None:
        """The daily close with a violation still open: the core lists them; the signer says why
        the day is closed anyway (kept in the audit trail), and the signature is made with it."""
        reason, ok = ReasonDialog.ask(self, self.tr("Close the day with open cases"),
                                      self.tr("{0}\n\nWhy is the day closed with these cases still open?")
                                      .format(exc.text(i18n.language())))
        if not ok:
            self.status_message.emit(self.tr("Not signed: the day stays open"))
            return
        self._sign(record_id, meaning, password, open_cases_reason=reason)
