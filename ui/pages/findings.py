"""Findings: what the rule engine reports over a range of days, as cases and as raw findings.

The first tab lists the cases (a rule's consecutive findings about one subject, 整改闭环) with
what was done about them, filterable by status; a case is acted on (Record action…) and
checked (Verify…) from here, and a small table gives each rule's time to close. The second tab
keeps the raw findings, each row a way to its record. The engine runs off the GUI thread, a
month at a time so a long range shows progress and can be cancelled; filtering then happens on
the rows already found.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from canteen.integrity.signatures import CORRECTIVE_KIND, meanings_for
from canteen.read.findings import RULES, SEVERITIES
from canteen.services import cases as case_service
from canteen.services.permissions import may_sign, may_write
from ui import i18n
from ui.forms.case_form import CaseForm
from ui.forms.dialogs import SignDialog, show_error
from ui.workers import Cancelled, run_task

from ._common import (
    SEVERITY_LOOK,
    Page,
    error_text,
    fmt_date,
    fmt_datetime,
    from_qdate,
    heading,
    kind_label,
    name_widget,
    severity_word,
    to_qdate,
)
from .cases import STATUS_FILTERS, CaseDetail, CasesModel, TimingTable, findings_and_cases, status_text, time_to_close

DEFAULT_DAYS = 30


class FindingsModel(QAbstractTableModel):
    """The findings shown, after the severity and rule filters."""

    COLUMNS = ("day", "severity", "rule", "record", "message", "source")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.all: list = []
        self.rows: list = []
        self.severity = ""
        self.rule = ""

    def set_findings(self, findings: list) -> None:
        self.beginResetModel()
        self.all = list(findings)
        self._apply()
        self.endResetModel()

    def set_filter(self, severity: str = "", rule: str = "") -> None:
        self.beginResetModel()
        self.severity, self.rule = severity, rule
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        self.rows = [f for f in self.all
                     if (not self.severity or f.severity == self.severity) and (not self.rule or f.rule == self.rule)]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("Date"), self.tr("Severity"), self.tr("Rule"), self.tr("Record"), self.tr("What was found"),
                self.tr("Source"))[section]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        finding = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(finding, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("message", "rule", "source"):
            rule = RULES[finding.rule]
            return f"{finding.rule}: {i18n.pick(rule.en, rule.zh)}\n{finding.message(i18n.language())}\n" \
                   f"{i18n.pick(finding.source_en, finding.source_zh)}"
        if role == Qt.ItemDataRole.ForegroundRole and column == "severity":
            return QBrush(QColor(SEVERITY_LOOK[finding.severity][0]))
        if role == Qt.ItemDataRole.UserRole:
            return finding
        return None

    def _text(self, finding, column: str) -> str:
        if column == "day":
            return fmt_date(finding.day)
        if column == "severity":
            return f"{SEVERITY_LOOK[finding.severity][1]} {severity_word(finding.severity)}"
        if column == "rule":
            return finding.rule
        if column == "record":
            if not finding.record_id:
                return kind_label(finding.record_kind)
            return f"{kind_label(finding.record_kind)} #{finding.record_id}"
        if column == "message":
            return finding.message(i18n.language())
        return i18n.pick(finding.source_en, finding.source_zh)


class FindingsPage(Page):
    """The rule engine's findings over a chosen range, as cases and as raw findings, filterable."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.task = None
        self.case_form: CaseForm | None = None
        self._generation = 0
        self._pending_case: str | None = None
        self.setObjectName("findingsPage")
        self._build()
        self.retranslate()

    def _build(self) -> None:
        """The range bar, the filter bar, then the cases and the raw findings as two tabs."""
        top, filters = self._build_range_bar(), self._build_filter_bar()
        self._build_table()
        self.hint = QLabel()
        self.hint.setObjectName("findingsHint")
        raw = QWidget()
        raw_layout = QVBoxLayout(raw)
        raw_layout.addWidget(self.table, 1)
        raw_layout.addWidget(self.hint)
        self.tabs = name_widget(QTabWidget(), "findingsTabs", "cases and findings")
        self.tabs.addTab(self._build_cases_tab(), "")
        self.tabs.addTab(raw, "")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)

    def _build_range_bar(self) -> QHBoxLayout:
        """The title, the first and last day, Check and Cancel, and the progress of a long check."""
        today = self.session.today()
        self.title = heading("", "findingsTitle")
        self.from_label, self.to_label = QLabel(), QLabel()
        self.start_edit = name_widget(QDateEdit(), "findingsFrom", "from")
        self.end_edit = name_widget(QDateEdit(), "findingsTo", "to")
        for edit, day in ((self.start_edit, today - dt.timedelta(days=DEFAULT_DAYS - 1)), (self.end_edit, today)):
            edit.setCalendarPopup(True)
            edit.setDate(to_qdate(day))
        self.from_label.setBuddy(self.start_edit)
        self.to_label.setBuddy(self.end_edit)
        self.run_button = name_widget(QPushButton(), "findingsRun", "check")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.refresh)
        self.cancel_button = name_widget(QPushButton(), "findingsCancel", "cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = name_widget(QProgressBar(), "findingsProgress", "progress")
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        for w in (self.from_label, self.start_edit, self.to_label, self.end_edit, self.run_button,
                  self.cancel_button, self.progress):
            top.addWidget(w)
        return top

    def _build_filter_bar(self) -> QHBoxLayout:
        """Status, severity and rule filters over what was already found, and the counts."""
        self.status_label, self.severity_label, self.rule_label = QLabel(), QLabel(), QLabel()
        self.status_box = name_widget(QComboBox(), "findingsStatus", "status")
        self.severity_box = name_widget(QComboBox(), "findingsSeverity", "severity")
        self.rule_box = name_widget(QComboBox(), "findingsRule", "rule")
        self.rule_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        filters = QHBoxLayout()
        for label, box in ((self.status_label, self.status_box), (self.severity_label, self.severity_box),
                           (self.rule_label, self.rule_box)):
            label.setBuddy(box)
            box.currentIndexChanged.connect(self._filter)
            filters.addWidget(label)
            filters.addWidget(box)
        self.count_label = name_widget(QLabel(), "findingsCount", "count")
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        return filters

    def _build_table(self) -> None:
        """The raw findings, one row each; a row opens its record."""
        self.model = FindingsModel(self)
        self.table = name_widget(QTableView(), "findingsTable", "findings")
        self.table.setModel(self.model)
        style_table(self.table)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)

    def _build_cases_tab(self) -> QWidget:
        """The cases above; the selected case with its buttons, and the time to close, beneath."""
        self.case_model = CasesModel(self)
        self.case_table = name_widget(QTableView(), "casesTable", "cases")
        self.case_table.setModel(self.case_model)
        style_table(self.case_table)
        header = self.case_table.horizontalHeader()
        for column in range(self.case_model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.case_table.selectionModel().selectionChanged.connect(lambda *_: self._case_selected())
        self.case_table.activated.connect(lambda _i: self.record_action())
        self.detail = CaseDetail()
        self.timing = TimingTable()
        self.timing_box = name_widget(QGroupBox(), "caseTimingBox", "time to close")
        QVBoxLayout(self.timing_box).addWidget(self.timing)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self._build_case_panel())
        lower.addWidget(self.timing_box)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        lower.setSizes([560, 640])  # the timing table's eight columns fit without scrolling
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("casesSplitter")
        split.addWidget(self.case_table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    def _build_case_panel(self) -> QWidget:
        """Record action… and Verify… above the selected case, and what the core last said."""
        self.action_button = name_widget(QPushButton(), "caseRecordAction", "record action")
        self.action_button.clicked.connect(self.record_action)
        self.action_button.setVisible(may_write(self.session.role, CORRECTIVE_KIND))
        self.verify_button = name_widget(QPushButton(), "caseVerify", "verify")
        self.verify_button.clicked.connect(self.verify_action)
        self.verify_button.setVisible(may_sign(self.session.role, CORRECTIVE_KIND))
        self.case_message = name_widget(QLabel(), "caseMessage", "message")
        self.case_message.setWordWrap(True)
        self.case_message.setStyleSheet("color:#b00020;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.action_button)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.case_message, 1)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.detail, 1)
        return panel

    def retranslate(self) -> None:
        self.title.setText(self.tr("Findings"))
        self.from_label.setText(self.tr("&From"))
        self.to_label.setText(self.tr("&To"))
        self.start_edit.setAccessibleName(self.tr("First day"))
        self.end_edit.setAccessibleName(self.tr("Last day"))
        fmt = i18n.locale().dateFormat(i18n.locale().FormatType.ShortFormat)
        self.start_edit.setDisplayFormat(fmt)
        self.end_edit.setDisplayFormat(fmt)
        self.run_button.setText(self.tr("Check"))
        self.run_button.setAccessibleName(self.tr("Check the range"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the check"))
        self.status_label.setText(self.tr("S&tatus"))
        self.severity_label.setText(self.tr("&Severity"))
        self.rule_label.setText(self.tr("&Rule"))
        self.status_box.setAccessibleName(self.tr("Status of the case"))
        self.severity_box.setAccessibleName(self.tr("Severity"))
        self.rule_box.setAccessibleName(self.tr("Rule"))
        self.table.setAccessibleName(self.tr("Findings"))
        self.case_table.setAccessibleName(self.tr("Cases"))
        self.tabs.setTabText(0, self.tr("Cases"))
        self.tabs.setTabText(1, self.tr("All findings"))
        self.tabs.setAccessibleName(self.tr("Cases and findings"))
        self.progress.setAccessibleName(self.tr("Progress"))
        self.hint.setText(self.tr("Double-click a finding or press Enter to open its record."))
        self.action_button.setText(self.tr("Record &action…"))
        self.action_button.setAccessibleName(self.tr("Record a corrective action for the selected case"))
        self.verify_button.setText(self.tr("&Verify…"))
        self.verify_button.setAccessibleName(self.tr("Verify the selected case's action (follow-up check)"))
        self.case_message.setAccessibleName(self.tr("Message about the case"))
        self.timing_box.setTitle(self.tr("Time to close, per rule (median hours from the first day)"))
        self.timing_box.setAccessibleName(self.tr("Time to close per rule"))
        self.detail.retranslate()
        self._fill_filters()
        self._show_count()
        self._case_selected()

    def _fill_filters(self) -> None:
        kept = [box.currentData() for box in (self.status_box, self.severity_box, self.rule_box)]
        for box in (self.status_box, self.severity_box, self.rule_box):
            box.blockSignals(True)
            box.clear()
        self.status_box.addItem(self.tr("All cases"), "")
        for value in STATUS_FILTERS[1:]:
            self.status_box.addItem(status_text(value), value)
        self.severity_box.addItem(self.tr("All severities"), "")
        for value in SEVERITIES:
            self.severity_box.addItem(f"{SEVERITY_LOOK[value][1]} {severity_word(value)}", value)
        self.rule_box.addItem(self.tr("All rules"), "")
        for rule_id, rule_def in RULES.items():
            if rule_def.severity != "block":  # blocks refuse the write; they never become findings
                self.rule_box.addItem(f"{rule_id} — {i18n.pick(rule_def.en, rule_def.zh)}", rule_id)
        for box, value in zip((self.status_box, self.severity_box, self.rule_box), kept):
            box.setCurrentIndex(max(0, box.findData(value or "")))
            box.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.layoutChanged.emit()
            self.case_model.layoutChanged.emit()
        super().changeEvent(event)

    # ---- running -------------------------------------------------------------------------------

    @property
    def start(self) -> dt.date:
        return from_qdate(self.start_edit.date())

    @property
    def end(self) -> dt.date:
        return from_qdate(self.end_edit.date())

    def set_range(self, start: dt.date, end: dt.date) -> None:
        self.start_edit.setDate(to_qdate(start))
        self.end_edit.setDate(to_qdate(end))

    def refresh(self) -> None:
        """Run the rules over the range again: the findings and their cases."""
        start, end = self.start, self.end
        if end < start:
            self.count_label.setText(self.tr("The first day is after the last day."))
            return
        if self.task is not None:
            self.task.cancel()
        self._generation += 1
        generation = self._generation
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.count_label.setText(self.tr("Checking…"))
        self.task = run_task(findings_and_cases, self.session, start, end, self.session.today(),
                             on_done=lambda found: self._done(generation, found),
                             on_error=lambda exc: self._failed(generation, exc),
                             on_progress=lambda done, total, _text: self._progress(generation, done, total))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation and total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _finish(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()

    def _done(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        found, built = result
        self._finish()
        keep = self._pending_case or self.current_case_id()
        self._pending_case = None
        self.model.set_findings(found)
        self.case_model.set_cases(built, self.session.tz, self.session.today())
        self.timing.show_timings(time_to_close(built, self.session.tz, self.session.now()))
        self._show_count()
        if keep:
            self.select_case(keep)
        self._case_selected()
        self.status_message.emit(self.tr("%1 findings in %4 cases from %2 to %3").replace("%1", str(len(found)))
                                 .replace("%2", fmt_date(self.start)).replace("%3", fmt_date(self.end))
                                 .replace("%4", str(len(built))))
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._finish()
        text = self.tr("Check cancelled.") if isinstance(exc, Cancelled) else error_text(exc)
        self.count_label.setText(text)
        self.status_message.emit(text)
        self.loaded.emit()

    # ---- filtering and opening ---------------------------------------------------------------

    def _filter(self) -> None:
        keep = self.current_case_id()
        severity, rule = self.severity_box.currentData() or "", self.rule_box.currentData() or ""
        self.model.set_filter(severity, rule)
        self.case_model.set_filter(self.status_box.currentData() or "", severity, rule)
        if keep:
            self.select_case(keep)
        self._show_count()
        self._case_selected()

    def set_filter(self, severity: str = "", rule: str = "", status: str = "") -> None:
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(status)))
        self.severity_box.setCurrentIndex(max(0, self.severity_box.findData(severity)))
        self.rule_box.setCurrentIndex(max(0, self.rule_box.findData(rule)))

    def _show_count(self) -> None:
        if self.task is not None:
            return
        shown, total = len(self.model.rows), len(self.model.all)
        counts = {s: sum(f.severity == s for f in self.model.all) for s in SEVERITIES}
        parts = ", ".join(f"{severity_word(s)} {counts[s]}" for s in SEVERITIES if counts[s])
        text = self.tr("%1 of %2 findings shown").replace("%1", str(shown)).replace("%2", str(total))
        cases = self.tr("%1 of %2 cases").replace("%1", str(len(self.case_model.rows))) \
            .replace("%2", str(len(self.case_model.all)))
        self.count_label.setText(f"{cases} · {text}")
        self.count_label.setToolTip(parts)

    def _open(self, index) -> None:
        finding = self.model.data(index, Qt.ItemDataRole.UserRole)
        if finding is not None and finding.record_id:
            self.open_record.emit(finding.record_kind, int(finding.record_id))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.model.all and not self.case_model.all and self.task is None:
            self.refresh()

    # ---- cases ---------------------------------------------------------------------------------

    def current_case(self):
        index = self.case_table.currentIndex()
        if not index.isValid() or not self.case_table.selectionModel().isRowSelected(index.row()):
            return None
        return self.case_model.rows[index.row()]

    def current_case_id(self) -> str | None:
        case = self.current_case()
        return case.id if case is not None else None

    def select_case(self, case_id: str) -> bool:
        """Bring a case into view, clearing the filters when they hide it."""
        row = self.case_model.row_of(case_id)
        if row is None and any(c.id == case_id for c in self.case_model.all):
            self.set_filter()
            row = self.case_model.row_of(case_id)
        if row is None:
            return False
        self.tabs.setCurrentIndex(0)
        self.case_table.selectRow(row)
        self.case_table.scrollTo(self.case_model.index(row, 0))
        return True

    def show_case(self, case_id: str) -> None:
        """From Today: the case selected, the range widened to its first day when needed."""
        self.tabs.setCurrentIndex(0)
        if self.task is None and self.select_case(case_id):
            return
        first = dt.date.fromisoformat(case_id.rsplit("|", 1)[-1])
        self._pending_case = case_id
        self.set_range(min(first, self.start), max(self.end, self.session.today()))
        self.refresh()

    def _case_selected(self) -> None:
        case = self.current_case()
        self.detail.show_case(case, self.session.tz)
        self.case_message.setText("")
        self.action_button.setEnabled(case is not None and case.rejected_delivery is None and not case.closed
                                      and may_write(self.session.role, CORRECTIVE_KIND))
        self.verify_button.setEnabled(self._to_verify(case) is not None and may_sign(self.session.role, CORRECTIVE_KIND))

    @staticmethod
    def _to_verify(case):
        """The latest action of the case still waiting for its follow-up check."""
        if case is None:
            return None
        return next((a for a in reversed(case.actions) if a.verified_at is None), None)

    def record_action(self) -> CaseForm | None:
        """The case form for the selected case; the page reads the cases again once it is saved."""
        case = self.current_case()
        if case is None or not self.action_button.isEnabled():
            return None
        self.case_form = CaseForm(self.session, case, self)
        self.case_form.saved.connect(lambda record, c=case.id: self._acted(c, record))
        self.case_form.open()
        return self.case_form

    def _acted(self, case_id: str, record) -> None:
        self.status_message.emit(self.tr("Corrective action No. %1 recorded").replace("%1", str(record.id)))
        self._pending_case = case_id
        self.refresh()

    def verify_action(self) -> None:
        """The follow-up check: the password asked as for a signature, checked off the GUI thread."""
        case = self.current_case()
        action = self._to_verify(case)
        if action is None:
            return
        summary = self.tr("Verify “%1” (%2, by %3) for %4, as %5.").replace("%1", action.label(i18n.language())) \
            .replace("%2", fmt_datetime(action.acted_at, self.session.tz)).replace("%3", action.entered_by) \
            .replace("%4", case.subject_label(i18n.language())).replace("%5", self.session.user.display_name)
        meaning, password, ok = SignDialog.ask(self, summary, meanings_for(CORRECTIVE_KIND))
        if not ok:
            return
        self.verify_button.setEnabled(False)
        self.case_message.setText(self.tr("Verifying…"))
        run_task(case_service.verify_action, self.session, action.id, password,
                 on_done=lambda _s, c=case.id: self._verified(c),
                 on_error=self._verify_refused)

    def _verified(self, case_id: str) -> None:
        self.status_message.emit(self.tr("Verified: the case is closed"))
        self._pending_case = case_id
        self.refresh()

    def _verify_refused(self, exc: BaseException) -> None:
        self._case_selected()
        self.case_message.setText(error_text(exc))
        self.status_message.emit(error_text(exc))
        show_error(self, exc)


def style_table(table: QTableView) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
