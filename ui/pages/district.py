"""The district page (区县总览): every canteen of the database at once, for the district inspector.

Three views over one month's run of the rules per canteen and the chosen day's duties: the day
table (each canteen's duties, by colour, symbol and word, with its open and overdue cases), the
month heat map (canteen × day, the worst finding's severity) and the findings across canteens with
filters. The day table starts with each canteen's last push (stale after the district's allowed time
without one) and whether a push of a history that differs was refused (flagged); "only stale or
flagged" narrows it to those. A double-click (or Open canteen) opens that canteen's own pages in a window of its own,
read-only: the inspector may read, and the core refuses every write anyway. Both reads run off the
GUI thread; the filters work on the findings already found.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from canteen.read import district as district_read
from canteen.read import pushes
from canteen.read.findings import RULES, SEVERITIES
from ui import i18n
from ui.workers import run_task

from ._common import (
    SEVERITY_LOOK,
    STATE_LOOK,
    Page,
    error_text,
    fmt_date,
    fmt_datetime,
    from_qdate,
    heading,
    name_widget,
    severity_word,
    state_word,
    to_qdate,
)

STALE_LOOK = ("#a15c00", "⚠")
FLAG_LOOK = ("#c62828", "✖")
TINT = 0.16  # how strongly a cell's background takes its state's colour (the text keeps it whole)


def tint(colour: str) -> QColor:
    """A pale background of a state's colour, so the symbol and word stay readable on it."""
    c = QColor(colour)
    return QColor(int(255 - (255 - c.red()) * TINT), int(255 - (255 - c.green()) * TINT),
                  int(255 - (255 - c.blue()) * TINT))


def fit_columns_to_cells(table: QTableWidget, narrowest: int = 64) -> None:
    """Columns as wide as their cells, headers wrapped onto lines: a long duty name ("Every meal's
    tableware disinfected") would otherwise set its column's width and push the table sideways."""
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    metrics, tallest = header.fontMetrics(), 0
    for column in range(table.columnCount()):
        label = table.horizontalHeaderItem(column).text() if table.horizontalHeaderItem(column) else ""
        longest_word = max((metrics.horizontalAdvance(word) for word in label.split()), default=0)
        width = max(narrowest, table.sizeHintForColumn(column), longest_word + 12)
        table.setColumnWidth(column, width)
        box = metrics.boundingRect(QRect(0, 0, width - 8, 400), int(Qt.TextFlag.TextWordWrap), label)
        tallest = max(tallest, box.height())
    header.setMinimumHeight(tallest + 8)  # the view takes the larger of this and the one-line hint


def coloured(text: str, colour: str, tip: str = "", strong: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setForeground(QBrush(QColor(colour)))
    item.setBackground(QBrush(tint(colour) if not strong else QColor(colour)))
    if strong:
        item.setForeground(QBrush(QColor("white")))
    item.setToolTip(tip)
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


class DistrictFindingsModel(QAbstractTableModel):
    """Findings across canteens: (canteen, finding) rows after the filters."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("Canteen"), self.tr("Date"), self.tr("Severity"), self.tr("Rule"),
                self.tr("What was found"))[section]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        canteen, finding = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            look = SEVERITY_LOOK[finding.severity]
            return (canteen.name, fmt_date(finding.day), f"{look[1]} {severity_word(finding.severity)}", finding.rule,
                    finding.message(i18n.language()))[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QBrush(QColor(SEVERITY_LOOK[finding.severity][0]))
        if role == Qt.ItemDataRole.ToolTipRole and column in (3, 4):
            rule = RULES[finding.rule]
            return f"{finding.rule}: {i18n.pick(rule.en, rule.zh)}\n{i18n.pick(finding.source_en, finding.source_zh)}"
        return None


class DistrictPage(Page):
    """Every canteen's day, month and findings; a way into one canteen's pages."""

    open_canteen = Signal(str)  # the canteen's name
    export_summary = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.days: list = []
        self.periods: list = []
        self.day_task = self.month_task = None
        self.generation = 0
        self.month_after_day = self.month_loading = False
        self._build()
        self.refresh()

    # ---- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("District: every canteen"), "district_heading"))
        layout.addLayout(self._controls())
        self.tabs = name_widget(QTabWidget(), "district_tabs", self.tr("District views"))
        self.tabs.addTab(self._day_tab(), self.tr("Duties of the day"))
        self.tabs.addTab(self._heat_tab(), self.tr("Month heat map"))
        self.tabs.addTab(self._findings_tab(), self.tr("Findings across canteens"))
        layout.addWidget(self.tabs, 1)

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        today = self.session.today()
        self.day_edit = name_widget(QDateEdit(to_qdate(today)), "district_day", self.tr("Day"))
        self.day_edit.setCalendarPopup(True)
        self.month_edit = name_widget(QDateEdit(to_qdate(today)), "district_month", self.tr("Month"))
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.open_button = name_widget(QPushButton(self.tr("Open canteen")), "open_canteen",
                                       self.tr("Open the chosen canteen's pages"))
        self.export_button = name_widget(QPushButton(self.tr("District summary PDF…")), "export_district",
                                         self.tr("Export the district summary"))
        self.progress = name_widget(QProgressBar(), "district_progress", self.tr("Progress"))
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        for label, edit in ((self.tr("Day"), self.day_edit), (self.tr("Month"), self.month_edit)):
            row.addWidget(QLabel(label))
            row.addWidget(edit)
        row.addStretch(1)
        for widget in (self.progress, self.open_button, self.export_button):
            row.addWidget(widget)
        self.day_edit.dateChanged.connect(lambda _d: self.load_day())
        self.month_edit.dateChanged.connect(lambda _d: self.load_month())
        self.open_button.clicked.connect(self.open_current)
        self.export_button.clicked.connect(self.export_summary.emit)
        return row

    def _table(self, name: str, accessible: str) -> QTableWidget:
        table = name_widget(QTableWidget(), name, accessible)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.cellDoubleClicked.connect(lambda r, _c, t=table: self._open_row(t, r))
        return table

    def _day_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.attention_only = name_widget(QCheckBox(self.tr("Only canteens stale or flagged")), "district_attention_only",
                                          self.tr("Show only the canteens whose pushes are stale or flagged"))
        self.attention_only.toggled.connect(lambda _on: self.fill_day_table())
        self.push_summary = name_widget(QLabel(), "district_push_summary", self.tr("Pushes"))
        row.addWidget(self.attention_only)
        row.addWidget(self.push_summary, 1)
        self.day_table = self._table("district_day_table", self.tr("Every canteen's duties of the day"))
        layout.addLayout(row)
        layout.addWidget(self.day_table, 1)
        return box

    def _heat_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.heat_table = self._table("district_heat_map", self.tr("Month heat map: the worst finding per canteen and day"))
        self.heat_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        legend = "　".join(f"<span style='color:{SEVERITY_LOOK[s][0]}'>{SEVERITY_LOOK[s][1]} {severity_word(s)}</span>"
                          for s in SEVERITIES)
        self.legend = name_widget(QLabel(legend + "　" + self.tr("blank: no finding")), "heat_legend",
                                  self.tr("Legend"))
        layout.addWidget(self.heat_table, 1)
        layout.addWidget(self.legend)
        return box

    def _findings_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        filters = QHBoxLayout()
        self.canteen_filter = name_widget(QComboBox(), "filter_canteen", self.tr("Canteen"))
        self.severity_filter = name_widget(QComboBox(), "filter_severity", self.tr("Severity"))
        self.severity_filter.addItem(self.tr("All severities"), "")
        for s in SEVERITIES:
            self.severity_filter.addItem(f"{SEVERITY_LOOK[s][1]} {severity_word(s)}", s)
        self.rule_filter = name_widget(QComboBox(), "filter_rule", self.tr("Rule"))
        self.rule_filter.addItem(self.tr("All rules"), "")
        for rule_id, rule in sorted(RULES.items()):
            self.rule_filter.addItem(f"{rule_id} {i18n.pick(rule.en, rule.zh)}", rule_id)
        self.from_filter = name_widget(QDateEdit(), "filter_from", self.tr("From"))
        self.to_filter = name_widget(QDateEdit(), "filter_to", self.tr("To"))
        for label, widget in ((self.tr("Canteen"), self.canteen_filter), (self.tr("Severity"), self.severity_filter),
                              (self.tr("Rule"), self.rule_filter), (self.tr("From"), self.from_filter),
                              (self.tr("To"), self.to_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        for combo in (self.canteen_filter, self.severity_filter, self.rule_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        for edit in (self.from_filter, self.to_filter):
            edit.dateChanged.connect(lambda _d: self.apply_filters())
        self.findings_model = DistrictFindingsModel(self)
        self.findings_view = name_widget(QTableView(), "district_findings", self.tr("Findings across canteens"))
        self.findings_view.setModel(self.findings_model)
        self.findings_view.horizontalHeader().setStretchLastSection(True)
        self.findings_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings_view.doubleClicked.connect(
            lambda index: self.open_canteen.emit(self.findings_model.rows[index.row()][0].name))
        self.findings_count = name_widget(QLabel(), "district_findings_count", self.tr("Findings shown"))
        layout.addLayout(filters)
        layout.addWidget(self.findings_view, 1)
        layout.addWidget(self.findings_count)
        return box

    # ---- loading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The day's table first, then the month: both read every canteen, and on two cores the
        table the inspector looks at first would otherwise wait for the month behind it."""
        self.month_after_day = True
        self.load_day()

    def busy(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.show()

    def load_day(self) -> None:
        day = from_qdate(self.day_edit.date())
        self.busy()
        self.day_task = run_task(district_read.district_day, self.session, day,
                                 on_done=lambda days: self._day_loaded(day, days),
                                 on_error=lambda exc: (self._failed(exc), self._month_after_day()))

    def _month_after_day(self) -> None:
        if self.month_after_day:
            self.month_after_day = False
            self.load_month()

    def month(self) -> tuple[dt.date, dt.date]:
        days = district_read.month_days(self.month_edit.date().year(), self.month_edit.date().month())
        return days[0], days[-1]

    def load_month(self) -> None:
        self.generation += 1
        generation, (first, last) = self.generation, self.month()
        self.month_after_day, self.month_loading = False, True
        self.busy()
        self.month_task = run_task(district_read.district_period, self.session, first, last,
                                   on_done=lambda periods: self._month_loaded(generation, periods),
                                   on_error=self._failed,
                                   on_progress=lambda done, total, _t: self._progress(generation, done, total))

    def _progress(self, generation: int, done: int, total: int) -> None:
        if generation == self.generation and total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.month_loading = False
        self.status_message.emit(error_text(exc))

    def _day_loaded(self, day: dt.date, days: list) -> None:
        if day != from_qdate(self.day_edit.date()):
            return  # an older answer, the user has chosen another day since
        self.days = days
        self.fill_day_table()
        if not self.month_loading:
            self.progress.hide()
        self._month_after_day()
        self._maybe_loaded()

    def _month_loaded(self, generation: int, periods: list) -> None:
        if generation != self.generation:
            return
        self.progress.hide()
        self.month_loading = False
        self.periods = periods
        self.fill_heat_map()
        self.fill_canteen_filter()
        first, last = self.month()
        for edit in (self.from_filter, self.to_filter):
            edit.blockSignals(True)
            edit.setDateRange(to_qdate(first), to_qdate(last))
        self.from_filter.setDate(to_qdate(first))
        self.to_filter.setDate(to_qdate(last))
        for edit in (self.from_filter, self.to_filter):
            edit.blockSignals(False)
        self.apply_filters()
        self.fill_day_table()
        self._maybe_loaded()

    def _maybe_loaded(self) -> None:
        if self.days and self.periods:
            self.loaded.emit()

    # ---- filling ---------------------------------------------------------------------------------

    def shown_days(self) -> list:
        """The canteens of the day table: all, or only those stale or flagged."""
        if not self.attention_only.isChecked():
            return self.days
        return [d for d in self.days if d.push is not None and d.push.needs_attention]

    def fill_day_table(self) -> None:
        """A row per canteen: its last push and history check, a column per duty, then its open and
        overdue cases this month."""
        language = i18n.language()
        checks = self.days[0].checks if self.days else []
        cases = {p.canteen.id: p for p in self.periods}
        shown, first = self.shown_days(), 2
        table = self.day_table
        table.clear()
        table.setRowCount(len(shown))
        table.setColumnCount(first + len(checks) + 2)
        table.setHorizontalHeaderLabels([self.tr("Last push"), self.tr("History check")]
                                        + [c.label(language) for c in checks]
                                        + [self.tr("Open cases"), self.tr("Overdue cases")])
        table.setVerticalHeaderLabels([d.canteen.name for d in shown])
        for row, canteen_day in enumerate(shown):
            table.setItem(row, 0, self.last_push_item(canteen_day.push, canteen_day.canteen.tz))
            table.setItem(row, 1, self.history_item(canteen_day.push, canteen_day.canteen.tz))
            for column, check in enumerate(canteen_day.checks, start=first):
                colour, symbol = STATE_LOOK[check.state]
                table.setItem(row, column, coloured(f"{symbol} {state_word(check.state)}", colour,
                                                    check.detail(language)))
            period = cases.get(canteen_day.canteen.id)
            if period is not None:
                table.setItem(row, first + len(checks), self._count(period.open_cases, "#a15c00"))
                table.setItem(row, first + len(checks) + 1, self._count(period.overdue_cases, "#c62828"))
            elif self.month_loading or self.month_after_day:  # the cases come with the month, read after the day
                for column in (first + len(checks), first + len(checks) + 1):
                    table.setItem(row, column, coloured("…", "#757575", self.tr("Being read with the month")))
        fit_columns_to_cells(table)
        self.fill_push_summary()
        self.show_pushes(any(d.push is not None and d.push.enrolled for d in self.days))

    def show_pushes(self, any_pushing: bool) -> None:
        """A district whose canteens are all written here has no pushes to watch: no push columns,
        no filter, no summary line."""
        for column in (0, 1):
            self.day_table.setColumnHidden(column, not any_pushing)
        self.attention_only.setVisible(any_pushing)
        self.push_summary.setVisible(any_pushing)

    def fill_push_summary(self) -> None:
        found = [d.push for d in self.days if d.push is not None]
        stale, flagged = sum(p.stale for p in found), sum(p.flagged for p in found)
        pushing = sum(p.enrolled for p in found)
        self.push_summary.setText(
            self.tr("%1 canteens push to the district: %2 stale, %3 flagged.").replace("%1", str(pushing))
            .replace("%2", str(stale)).replace("%3", str(flagged)))
        colour = FLAG_LOOK[0] if flagged else STALE_LOOK[0] if stale else "palette(text)"
        self.push_summary.setStyleSheet(f"color:{colour};")

    def last_push_item(self, push: pushes.Freshness | None, tz: str) -> QTableWidgetItem:
        """The last push, on green when recent, marked stale (symbol and word) when not; a canteen
        written in this database is not expected to push."""
        if push is None or not push.enrolled:
            return coloured(f"{STATE_LOOK['not_applicable'][1]} {self.tr('Written here')}", STATE_LOOK["not_applicable"][0],
                            self.tr("This canteen's records are entered in the district database: it does not push."))
        hours = str(int(push.stale_after.total_seconds() // 3600))
        when = fmt_datetime(push.last_at, tz) if push.last_at else self.tr("never pushed")
        tip = (self.tr("Last push %1, up to seq %2.").replace("%1", when).replace("%2", str(push.last_seq))
               if push.last_at else self.tr("Enrolled, nothing received yet."))
        tip += " " + self.tr("Stale after %1 hours without a push.").replace("%1", hours)
        if push.stale:
            return coloured(f"{STALE_LOOK[1]} {self.tr('Stale')} · {when}", STALE_LOOK[0], tip)
        if push.last_at is None:
            return coloured(f"{STATE_LOOK['missing'][1]} {when}", STATE_LOOK["missing"][0], tip)
        return coloured(f"{STATE_LOOK['done'][1]} {when}", STATE_LOOK["done"][0], tip)

    def history_item(self, push: pushes.Freshness | None, tz: str) -> QTableWidgetItem:
        """Flagged: filled red, symbol, word, the seq and the day the push was refused."""
        if push is None or not push.enrolled:
            return coloured(f"{STATE_LOOK['not_applicable'][1]} {state_word('not_applicable')}",
                            STATE_LOOK["not_applicable"][0])
        if not push.flagged:
            return coloured(f"{STATE_LOOK['done'][1]} {self.tr('Consistent')}", STATE_LOOK["done"][0],
                            self.tr("Every push received continued the history the district holds."))
        when = fmt_datetime(push.flagged_at, tz)
        tip = (self.tr("A push was refused on %1: its history differs from what the district received at seq %2. "
                       "Nothing received was changed.").replace("%1", when).replace("%2", str(push.flag_seq)))
        text = self.tr("History differs · seq %1 · %2").replace("%1", str(push.flag_seq)).replace("%2", when)
        return coloured(f"{FLAG_LOOK[1]} {text}", FLAG_LOOK[0], tip, strong=True)

    def _count(self, n: int, colour: str) -> QTableWidgetItem:
        item = coloured(str(n), colour if n else "#2e7d32")
        return item

    def fill_heat_map(self) -> None:
        """A row per canteen, a column per day of the month: the worst severity's symbol on its colour."""
        first, last = self.month()
        days = district_read.month_days(first.year, first.month)
        cells = district_read.heat_map(self.periods)
        table = self.heat_table
        table.clear()
        table.setRowCount(len(self.periods))
        table.setColumnCount(len(days))
        table.setHorizontalHeaderLabels([str(d.day) for d in days])
        table.setVerticalHeaderLabels([p.canteen.name for p in self.periods])
        for row, period in enumerate(self.periods):
            for column, day in enumerate(days):
                severity = cells.get((period.canteen.id, day))
                if severity is None:
                    continue
                colour, symbol = SEVERITY_LOOK[severity]
                tip = f"{period.canteen.name} · {fmt_date(day)}: {severity_word(severity)}"
                table.setItem(row, column, coloured(symbol, colour, tip, strong=True))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def fill_canteen_filter(self) -> None:
        chosen = self.canteen_filter.currentData()
        self.canteen_filter.blockSignals(True)
        self.canteen_filter.clear()
        self.canteen_filter.addItem(self.tr("All canteens"), None)
        for period in self.periods:
            self.canteen_filter.addItem(period.canteen.name, period.canteen.id)
        index = self.canteen_filter.findData(chosen)
        self.canteen_filter.setCurrentIndex(max(index, 0))
        self.canteen_filter.blockSignals(False)

    def apply_filters(self) -> None:
        rows = district_read.filter_findings(
            self.periods, site_id=self.canteen_filter.currentData(), severity=self.severity_filter.currentData() or "",
            rule=self.rule_filter.currentData() or "", start=from_qdate(self.from_filter.date()),
            end=from_qdate(self.to_filter.date()))
        self.findings_model.set_rows(rows)
        self.findings_count.setText(self.tr("%1 findings in %2 canteens").replace("%1", str(len(rows)))
                                    .replace("%2", str(len({c.id for c, _f in rows}))))

    # ---- the way into one canteen ----------------------------------------------------------------

    def _open_row(self, table: QTableWidget, row: int) -> None:
        header = table.verticalHeaderItem(row)
        if header is not None:
            self.open_canteen.emit(header.text())

    def open_current(self) -> None:
        table = self.heat_table if self.tabs.currentIndex() == 1 else self.day_table
        row = table.currentRow()
        if row >= 0:
            self._open_row(table, row)
        else:
            self.status_message.emit(self.tr("Choose a canteen in the table first."))
