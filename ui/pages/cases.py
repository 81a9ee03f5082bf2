"""Cases (整改闭环) on the findings page: the table of cases, one case in detail, the time to close.

A case is a rule's consecutive findings about one subject, with what was done about it
(`canteen.read.cases`). Its state is shown by colour, symbol and word together, never by colour
alone; "overdue" (open past its deadline) wins over "open", as the core's label does.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from canteen.read.cases import STATUS_LABELS, findings_and_cases, time_to_close
from canteen.read.findings import RULES
from ui import i18n

from ._common import SEVERITY_LOOK, fmt_date, fmt_datetime, kind_label, name_widget, severity_word

__all__ = ["CASE_LOOK", "CaseDetail", "CasesModel", "TimingTable", "findings_and_cases", "time_to_close"]

# colour, symbol; the word is the core's status label
CASE_LOOK = {
    "overdue": ("#c62828", "●"),
    "open": ("#a15c00", "○"),
    "acted": ("#1565c0", "◑"),
    "verified": ("#2e7d32", "✔"),
}
STATUS_FILTERS = ("", "open", "acted", "verified", "overdue")


def shown_status(case) -> str:
    """The state a reader sees: overdue wins over open."""
    return "overdue" if case.overdue else case.status


def status_text(status: str) -> str:
    """A case state as symbol and word, in the language in force."""
    en, zh = STATUS_LABELS[status]
    return f"{CASE_LOOK[status][1]} {i18n.pick(en, zh)}"


def matches_status(case, wanted: str) -> bool:
    """"open" takes in the overdue ones (they are open too); "overdue" only those past due."""
    if not wanted:
        return True
    if wanted == "overdue":
        return case.overdue
    return case.status == wanted


def latest_verification(case):
    """The verified action that closed the case (the latest), or None."""
    done = [a for a in case.actions if a.verified_at is not None]
    return max(done, key=lambda a: a.verified_at) if done else None


def days_text(case) -> str:
    if case.first_day == case.last_day:
        return QCoreApplication.translate("CasesModel", "{0} (1 day)").format(fmt_date(case.first_day))
    return QCoreApplication.translate("CasesModel", "{0} – {1} ({2} days)").format(
        fmt_date(case.first_day), fmt_date(case.last_day), case.days)


def rule_name(rule: str) -> str:
    definition = RULES.get(rule)
    return i18n.pick(definition.en, definition.zh) if definition else rule


class CasesModel(QAbstractTableModel):
    """The cases shown, after the status, severity and rule filters."""

    COLUMNS = ("status", "severity", "rule", "subject", "days", "due", "age", "action", "verified")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.all: list = []
        self.rows: list = []
        self.status = self.severity = self.rule = ""
        self.tz = "Asia/Shanghai"
        self.today = dt.date.today()  # replaced by the canteen's day before any case is shown

    def set_cases(self, cases: list, tz: str, today: dt.date) -> None:
        self.beginResetModel()
        self.all, self.tz, self.today = list(cases), tz, today
        self._apply()
        self.endResetModel()

    def set_filter(self, status: str = "", severity: str = "", rule: str = "") -> None:
        self.beginResetModel()
        self.status, self.severity, self.rule = status, severity, rule
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        self.rows = [c for c in self.all if matches_status(c, self.status)
                     and (not self.severity or c.severity == self.severity) and (not self.rule or c.rule == self.rule)]

    def row_of(self, case_id: str) -> int | None:
        return next((n for n, c in enumerate(self.rows) if c.id == case_id), None)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("Status"), self.tr("Severity"), self.tr("Rule"), self.tr("About"), self.tr("Found on"),
                self.tr("Due"), self.tr("Age"), self.tr("Action"), self.tr("Verified"))[section]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        case = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(case, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return QBrush(QColor(CASE_LOOK[shown_status(case)][0]))
        if role == Qt.ItemDataRole.ForegroundRole and column == "severity":
            return QBrush(QColor(SEVERITY_LOOK[case.severity][0]))
        if role == Qt.ItemDataRole.ToolTipRole and column in ("rule", "subject", "days"):
            return f"{case.rule}: {rule_name(case.rule)}\n{case.message(i18n.language())}"
        if role == Qt.ItemDataRole.UserRole:
            return case
        return None

    def _text(self, case, column: str) -> str:
        if column == "status":
            return status_text(shown_status(case))
        if column == "severity":
            return f"{SEVERITY_LOOK[case.severity][1]} {severity_word(case.severity)}"
        if column in ("rule", "subject", "days"):
            return {"rule": case.rule, "subject": case.subject_label(i18n.language()), "days": days_text(case)}[column]
        if column == "due":
            return "" if case.rejected_delivery is not None else fmt_date(case.last_day_to_act(self.tz))
        if column == "age":
            return "" if case.closed else self.tr("{0} d").format(case.age_days(self.today))
        if column == "action":
            return self._action_text(case)
        return self._verified_text(case)

    def _action_text(self, case) -> str:
        if case.rejected_delivery is not None:
            return self.tr("Goods rejected (delivery No. {0})").format(case.rejected_delivery)
        if not case.actions:
            return "—"
        action = case.actions[-1]
        return f"{action.label(i18n.language())} · {action.responsible}"

    def _verified_text(self, case) -> str:
        if case.rejected_delivery is not None:
            return self.tr("Closed by the rejection")
        check = latest_verification(case)
        if check is None:
            return ""
        if case.reopened_after is not None:  # the check was undone by a later occurrence
            return self.tr("Reopened after {0}'s check").format(check.verified_by)
        return f"{check.verified_by} {fmt_datetime(check.verified_at, self.tz)}"


def detail_table(name: str, headers: list[str], parent: QWidget) -> QTableWidget:
    table = name_widget(QTableWidget(0, len(headers), parent), name, name)
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(0)
    for cells in rows:
        row = table.rowCount()
        table.insertRow(row)
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(row, col, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)


class CaseDetail(QWidget):
    """One case: what it is about, each day it was found, each action and its follow-up check."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caseDetail")
        self.summary = name_widget(QLabel(), "caseSummary", "case")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.occurrences_label = QLabel()
        self.occurrences = detail_table("caseOccurrences", ["", "", ""], self)
        self.actions_label = QLabel()
        self.actions = detail_table("caseActions", [""] * 7, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.occurrences_label)
        layout.addWidget(self.occurrences, 1)
        layout.addWidget(self.actions_label)
        layout.addWidget(self.actions, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.summary.setAccessibleName(self.tr("The selected case"))
        self.occurrences_label.setText(self.tr("Found on"))
        self.occurrences.setAccessibleName(self.tr("Days the case was found"))
        self.occurrences.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Record"), self.tr("What was found")])
        self.actions_label.setText(self.tr("Corrective actions and their follow-up check"))
        self.actions.setAccessibleName(self.tr("Corrective actions"))
        self.actions.setHorizontalHeaderLabels([
            self.tr("Acted at"), self.tr("Action"), self.tr("Responsible"), self.tr("Entered by"), self.tr("Files"),
            self.tr("Verified by"), self.tr("What was done")])

    def show_case(self, case, tz: str) -> None:
        if case is None:
            self.summary.setText(self.tr("Select a case to see its days, its actions and the follow-up check."))
            fill_table(self.occurrences, [])
            fill_table(self.actions, [])
            return
        language = i18n.language()
        self.summary.setText(self._summary(case, tz, language))
        fill_table(self.occurrences, [
            [fmt_date(f.day), kind_label(f.record_kind) + (f" #{f.record_id}" if f.record_id else ""),
             f.message(language)] for f in reversed(case.findings)])
        fill_table(self.actions, [
            [fmt_datetime(a.acted_at, tz), a.label(language), a.responsible, a.entered_by, str(a.attachments or ""),
             f"{a.verified_by} {fmt_datetime(a.verified_at, tz)}" if a.verified_at else self.tr("not yet verified"),
             a.details] for a in case.actions])

    def _summary(self, case, tz: str, language: str) -> str:
        status = shown_status(case)
        tint = CASE_LOOK[status][0]
        lines = [f"<b>{case.rule} — {rule_name(case.rule)}</b> · {case.subject_label(language)}",
                 f"<span style='color:{tint}'><b>{status_text(status)}</b></span> · {days_text(case)}"
                 + ("" if case.rejected_delivery is not None
                    else " · " + self.tr("due by the end of {0}").format(fmt_date(case.last_day_to_act(tz)))),
                 case.message(language)]
        if case.reopened_after is not None:
            lines.append(self.tr("Reopened: found again after the check of {0}.").format(
                fmt_datetime(case.reopened_after, tz)))
        if case.rejected_delivery is not None:
            lines.append(self.tr("Closed automatically: the goods were rejected at delivery No. {0}.")
                         .format(case.rejected_delivery))
        return "<br>".join(lines)


class TimingTable(QTableWidget):
    """Per rule: how many cases, how many acted on, verified, late, open, and the median hours
    from the first day to the action and to the follow-up check — what a bureau asks for."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 8, parent)
        name_widget(self, "caseTiming", "time to close")
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(22)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Time to close per rule"))
        self.setHorizontalHeaderLabels([self.tr("Rule"), self.tr("Cases"), self.tr("Acted"), self.tr("Verified"),
                                        self.tr("Late"), self.tr("Open"), self.tr("Hours to act"),
                                        self.tr("Hours to verify")])

    def show_timings(self, timings: list) -> None:
        rows = []
        for t in timings:
            verified = str(t.verified) if not t.auto_closed else self.tr("{0} ({1} by rejection)").format(
                t.verified, t.auto_closed)
            rows.append([t.rule, str(t.cases), str(t.acted), verified, str(t.late), str(t.open),
                         hours_text(t.hours_to_action), hours_text(t.hours_to_verified)])
        self.setRowCount(0)
        for cells in rows:
            row = self.rowCount()
            self.insertRow(row)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setToolTip(rule_name(text))
                self.setItem(row, col, item)


def hours_text(value: float | None) -> str:
    return "—" if value is None else i18n.locale().toString(float(value), "f", 1)
