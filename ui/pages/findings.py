"""Findings: what the rule engine reports over a range of days, filtered, each row a way to its record.

The engine runs off the GUI thread, a month at a time so a long range shows progress and can
be cancelled; filtering by severity and rule then happens on the rows already found.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from canteen.read.findings import RULES, SEVERITIES, findings
from ui import i18n
from ui.workers import Cancelled, run_task

from ._common import (
    SEVERITY_LOOK,
    Page,
    error_text,
    fmt_date,
    from_qdate,
    heading,
    kind_label,
    name_widget,
    severity_word,
    to_qdate,
)

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
    """The rule engine's findings over a chosen range, filterable, each linking to its record."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.task = None
        self._generation = 0
        self.setObjectName("findingsPage")
        self._build()
        self.retranslate()

    def _build(self) -> None:
        """The range bar, the filter bar, the table of findings and a hint beneath."""
        top, filters = self._build_range_bar(), self._build_filter_bar()
        self._build_table()
        self.hint = QLabel()
        self.hint.setObjectName("findingsHint")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)

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
        """Severity and rule filters over the findings already found, and their count."""
        self.severity_label, self.rule_label = QLabel(), QLabel()
        self.severity_box = name_widget(QComboBox(), "findingsSeverity", "severity")
        self.rule_box = name_widget(QComboBox(), "findingsRule", "rule")
        self.rule_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.severity_label.setBuddy(self.severity_box)
        self.rule_label.setBuddy(self.rule_box)
        self.severity_box.currentIndexChanged.connect(self._filter)
        self.rule_box.currentIndexChanged.connect(self._filter)
        self.count_label = name_widget(QLabel(), "findingsCount", "count")
        filters = QHBoxLayout()
        for w in (self.severity_label, self.severity_box, self.rule_label, self.rule_box):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        return filters

    def _build_table(self) -> None:
        """The findings, one row each; a row opens its record."""
        self.model = FindingsModel(self)
        self.table = name_widget(QTableView(), "findingsTable", "findings")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)

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
        self.severity_label.setText(self.tr("&Severity"))
        self.rule_label.setText(self.tr("&Rule"))
        self.severity_box.setAccessibleName(self.tr("Severity"))
        self.rule_box.setAccessibleName(self.tr("Rule"))
        self.table.setAccessibleName(self.tr("Findings"))
        self.progress.setAccessibleName(self.tr("Progress"))
        self.hint.setText(self.tr("Double-click a finding or press Enter to open its record."))
        self._fill_filters()
        self._show_count()

    def _fill_filters(self) -> None:
        severity, rule = self.severity_box.currentData(), self.rule_box.currentData()
        for box in (self.severity_box, self.rule_box):
            box.blockSignals(True)
            box.clear()
        self.severity_box.addItem(self.tr("All severities"), "")
        for value in SEVERITIES:
            self.severity_box.addItem(f"{SEVERITY_LOOK[value][1]} {severity_word(value)}", value)
        self.rule_box.addItem(self.tr("All rules"), "")
        for rule_id, rule_def in RULES.items():
            if rule_def.severity != "block":  # blocks refuse the write; they never become findings
                self.rule_box.addItem(f"{rule_id} — {i18n.pick(rule_def.en, rule_def.zh)}", rule_id)
        for box, value in ((self.severity_box, severity), (self.rule_box, rule)):
            found = box.findData(value or "")
            box.setCurrentIndex(max(0, found))
            box.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.layoutChanged.emit()
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
        """Run the rules over the range again."""
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
        self.task = run_task(findings, self.session, start, end, self.session.today(),
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

    def _done(self, generation: int, found: list) -> None:
        if generation != self._generation:
            return
        self._finish()
        self.model.set_findings(found)
        self._show_count()
        self.status_message.emit(self.tr("%1 findings from %2 to %3").replace("%1", str(len(found)))
                                 .replace("%2", fmt_date(self.start)).replace("%3", fmt_date(self.end)))
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
        self.model.set_filter(self.severity_box.currentData() or "", self.rule_box.currentData() or "")
        self._show_count()

    def set_filter(self, severity: str = "", rule: str = "") -> None:
        self.severity_box.setCurrentIndex(max(0, self.severity_box.findData(severity)))
        self.rule_box.setCurrentIndex(max(0, self.rule_box.findData(rule)))

    def _show_count(self) -> None:
        if self.task is not None:
            return
        shown, total = len(self.model.rows), len(self.model.all)
        counts = {s: sum(f.severity == s for f in self.model.all) for s in SEVERITIES}
        parts = ", ".join(f"{severity_word(s)} {counts[s]}" for s in SEVERITIES if counts[s])
        text = self.tr("%1 of %2 findings shown").replace("%1", str(shown)).replace("%2", str(total))
        self.count_label.setText(f"{text}{' (' + parts + ')' if parts else ''}")

    def _open(self, index) -> None:
        finding = self.model.data(index, Qt.ItemDataRole.UserRole)
        if finding is not None and finding.record_id:
            self.open_record.emit(finding.record_kind, int(finding.record_id))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.model.all and self.task is None:
            self.refresh()
