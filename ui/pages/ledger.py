"""The cost ledger's month (伙食账月报): what parents are shown, and a picture of the month.

Daily entries are made on the generic record page for "ledger"; this page reads the month
through `canteen.read.ledger.month_view`: income by source, food cost by category (from accepted
deliveries), the other costs the site counts, surplus and its rate against the allowed band,
and cost per diner-day. The chart is painted with QPainter (no plotting stack needed).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from canteen.read.kinds import CATEGORIES
from canteen.read.ledger import INCOME_SOURCES, OTHER_COSTS, month_view
from canteen.services import permissions
from ui import i18n
from ui.workers import run_task

from ._common import Page, error_text, fmt_date, fmt_int, fmt_money, heading, name_widget, to_qdate

INCOME_COLOUR, COST_COLOUR, SURPLUS_COLOUR = QColor("#1565c0"), QColor("#ef6c00"), QColor("#2e7d32")
CATEGORY_NAMES = {value: (en, zh) for value, en, zh in CATEGORIES}
SOURCE_NAMES = {key: (en, zh) for key, _col, en, zh in INCOME_SOURCES}
OTHER_NAMES = {key: (en, zh) for key, _col, en, zh in OTHER_COSTS}


def nice_step(span_fen: int, lines: int = 5) -> int:
    """A round grid step (1, 2 or 5 times a power of ten yuan) giving about `lines` lines."""
    raw = max(1, span_fen // lines)
    power = 100
    while power * 10 <= raw:
        power *= 10
    for factor in (1, 2, 5, 10):
        if power * factor >= raw:
            return power * factor
    return power * 10


class MonthChart(QWidget):
    """Income and cost of each day of the month as paired bars, the running surplus as a line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = None
        self.labels = ("Income", "Cost", "Running surplus")
        self.setMinimumSize(480, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(720, 320)

    def set_summary(self, summary, labels: tuple[str, str, str]) -> None:
        self.summary, self.labels = summary, labels
        self.update()

    def _series(self):
        """(day number, income, cost) for every day of the month, and the running surplus."""
        by_day = {d.day: d for d in self.summary.days}
        last = self.summary.last_day.day
        rows, running, surplus = [], 0, []
        for n in range(1, last + 1):
            d = by_day.get(dt.date(self.summary.year, self.summary.month, n))
            income, cost = (d.income, d.cost) if d else (0, 0)
            running += income - cost
            rows.append((n, income, cost))
            surplus.append(running)
        return rows, surplus

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        if self.summary is None or not self.summary.days:
            painter.setPen(self.palette().text().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.accessibleDescription())
            return
        rows, surplus = self._series()
        top_value = max([max(i, c) for _n, i, c in rows] + [max(surplus + [0])] + [1])
        low_value = min(surplus + [0])
        left = metrics.horizontalAdvance(fmt_money(-abs(top_value), symbol=False)) + 14
        legend_h = metrics.height() + 10
        plot = QRectF(left, legend_h + 6, self.width() - left - 12, self.height() - legend_h - metrics.height() - 20)
        span = top_value - low_value or 1

        def y_of(value: int) -> float:
            return plot.bottom() - (value - low_value) / span * plot.height()

        self._axes(painter, plot, metrics, low_value, top_value, y_of)
        slot = plot.width() / len(rows)
        bar = max(1.0, slot * 0.36)
        for index, (n, income, cost) in enumerate(rows):
            x = plot.left() + index * slot + slot * 0.14
            for offset, value, colour in ((0, income, INCOME_COLOUR), (bar, cost, COST_COLOUR)):
                if value:
                    painter.fillRect(QRectF(x + offset, y_of(value), bar, y_of(0) - y_of(value)), colour)
            if n == 1 or n % 5 == 0:
                painter.setPen(self.palette().text().color())
                painter.drawText(QRectF(x - slot, plot.bottom() + 4, slot * 3, metrics.height()),
                                 Qt.AlignmentFlag.AlignHCenter, str(n))
        pen = QPen(SURPLUS_COLOUR, 2)
        painter.setPen(pen)
        points = [QPointF(plot.left() + (i + 0.5) * slot, y_of(v)) for i, v in enumerate(surplus)]
        for a, b in zip(points, points[1:]):
            painter.drawLine(a, b)
        self._legend(painter, metrics)

    def _axes(self, painter: QPainter, plot: QRectF, metrics: QFontMetrics, low: int, top: int, y_of) -> None:
        grid = QPen(QColor("#d0d0d0"))
        text = self.palette().text().color()
        step = nice_step(top - low)
        value = (low // step) * step
        while value <= top:
            if value >= low:
                y = y_of(value)
                painter.setPen(grid)
                painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
                painter.setPen(text)
                painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 fmt_money(value, symbol=False))
            value += step
        painter.setPen(QPen(text, 1))
        painter.drawLine(QPointF(plot.left(), y_of(0)), QPointF(plot.right(), y_of(0)))

    def _legend(self, painter: QPainter, metrics: QFontMetrics) -> None:
        x = self.width() - 12
        entries = list(zip(self.labels, (INCOME_COLOUR, COST_COLOUR, SURPLUS_COLOUR)))
        for label, colour in reversed(entries):
            width = metrics.horizontalAdvance(label)
            x -= width
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x, 4 + metrics.ascent()), label)
            x -= 18
            painter.fillRect(QRectF(x, 4 + metrics.ascent() - 10, 12, 10), colour)
            x -= 16


class LedgerMonthPage(Page):
    """The month view of the cost ledger."""

    open_kind = Signal(str, object)   # ("ledger", day): the daily entries of a day

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.summary = None
        self.band = None
        self._generation = 0
        self.values: dict[str, QLabel] = {}
        self.setObjectName("ledgerPage")
        self._build()
        self.retranslate()
        self.refresh()

    # ---- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        """The month bar, then the figures beside the chart over the days, then a note."""
        bar = self._build_month_bar()
        body = QSplitter(Qt.Orientation.Horizontal)
        body.setObjectName("ledgerBody")
        body.addWidget(self._build_figures())
        body.addWidget(self._build_chart_and_days())
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 5)
        body.setChildrenCollapsible(False)
        self.note = name_widget(QLabel(), "ledgerNote", "note")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(body, 1)
        layout.addWidget(self.note)

    def _build_month_bar(self) -> QHBoxLayout:
        """The title, the month shown with previous and next, refresh and the disclosure PDF."""
        today = self.session.today()
        self.title = heading("", "ledgerTitle")
        self.month_label = name_widget(QLabel(), "ledgerMonthLabel", "month")
        self.previous = name_widget(QPushButton(), "ledgerPrevious", "previous month")
        self.month_edit = name_widget(QDateEdit(), "ledgerMonth", "month")
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.month_edit.setDate(to_qdate(today.replace(day=1)))
        self.month_edit.setMaximumDate(to_qdate(today))
        self.next = name_widget(QPushButton(), "ledgerNext", "next month")
        self.refresh_button = name_widget(QPushButton(), "ledgerRefresh", "refresh")
        self.previous.clicked.connect(lambda: self._shift(-1))
        self.next.clicked.connect(lambda: self._shift(1))
        self.refresh_button.clicked.connect(self.refresh)
        self.disclosure_button = name_widget(QPushButton(), "ledgerDisclosure", "monthly disclosure")
        self.disclosure_button.clicked.connect(self.export_disclosure)
        self.disclosure_button.setVisible(permissions.may_export(self.session.role))
        self.month_edit.dateChanged.connect(lambda _d: self.refresh())
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addWidget(self.month_label, 1)
        for w in (self.previous, self.month_edit, self.next, self.refresh_button, self.disclosure_button):
            bar.addWidget(w)
        return bar

    def _build_figures(self) -> QScrollArea:
        """The month's figures in a grid (filled by `_show`), scrolling when the window is short."""
        self.figures = QWidget()
        self.figures.setObjectName("ledgerFigures")
        self.figure_grid = QGridLayout(self.figures)
        self.figure_grid.setColumnStretch(0, 1)
        self.figure_grid.setHorizontalSpacing(16)
        figures_scroll = QScrollArea()
        figures_scroll.setObjectName("ledgerFiguresScroll")
        figures_scroll.setWidgetResizable(True)
        figures_scroll.setFrameShape(QFrame.Shape.NoFrame)
        figures_scroll.setWidget(self.figures)
        figures_scroll.setMinimumWidth(340)
        return figures_scroll

    def _build_chart_and_days(self) -> QSplitter:
        """The chart above the table of days; a day opens its daily ledger entries."""
        self.chart = name_widget(MonthChart(), "ledgerChart", "chart")
        self.days_table = name_widget(QTableWidget(0, 6), "ledgerDays", "days")
        self.days_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.days_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.days_table.setAlternatingRowColors(True)
        self.days_table.verticalHeader().hide()
        self.days_table.verticalHeader().setDefaultSectionSize(self.days_table.fontMetrics().height() + 8)
        self.days_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.days_table.cellActivated.connect(self._open_day)
        self.days_table.cellDoubleClicked.connect(self._open_day)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("ledgerRight")
        right.addWidget(self.chart)
        right.addWidget(self.days_table)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)
        return right

    def retranslate(self) -> None:
        self.title.setText(self.tr("Cost ledger: month"))
        self.previous.setText(self.tr("◀ Previous month"))
        self.previous.setAccessibleName(self.tr("Previous month"))
        self.next.setText(self.tr("Next month ▶"))
        self.next.setAccessibleName(self.tr("Next month"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh"))
        self.disclosure_button.setText(self.tr("Disclosure (PDF)…"))
        self.disclosure_button.setAccessibleName(self.tr("Print the monthly disclosure"))
        self.disclosure_button.setToolTip(self.tr("The month's accounts, to post on the notice board"))
        self.month_edit.setAccessibleName(self.tr("Month shown"))
        self.chart.setAccessibleName(self.tr("Chart of the month"))
        self.days_table.setAccessibleName(self.tr("Days of the month"))
        self.days_table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Diners"), self.tr("Income"), self.tr("Food cost"), self.tr("Other cost"),
            self.tr("Surplus")])
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- data ------------------------------------------------------------------------------------

    @property
    def month(self) -> tuple[int, int]:
        d = self.month_edit.date()
        return d.year(), d.month()

    def set_month(self, year: int, month: int) -> None:
        self.month_edit.setDate(to_qdate(dt.date(year, month, 1)))

    def _shift(self, months: int) -> None:
        year, month = self.month
        index = year * 12 + month - 1 + months
        self.set_month(index // 12, index % 12 + 1)

    def export_disclosure(self):
        """The month's disclosure page as PDF, written off the GUI thread."""
        from ui.export_dialog import disclosure_export, start_export
        if not permissions.may_export(self.session.role):
            return None
        year, month = self.month
        self.export_dialog = start_export(self, self.session, disclosure_export(self.session, year, month),
                                          lambda result: self.status_message.emit(
                                              self.tr("Disclosure written: %1").replace("%1", str(result.path))))
        return self.export_dialog

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        year, month = self.month
        today = self.session.today()
        self.next.setEnabled((year, month) < (today.year, today.month))
        self.note.setText(self.tr("Adding up the month…"))
        run_task(month_view, self.session, year, month,
                 on_done=lambda result: self._loaded(generation, result),
                 on_error=lambda exc: self._failed(generation, exc))

    def _loaded(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        self.summary, self.band = result.summary, result.surplus_band
        self._show()
        self.status_message.emit(self.tr("Ledger of %1 added up").replace("%1", self.summary.label))
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.note.setText(error_text(exc))
        self.loaded.emit()

    # ---- showing -----------------------------------------------------------------------------------

    def _show(self) -> None:
        year, month = self.month
        pattern = "yyyy年M月" if i18n.is_chinese() else "MMMM yyyy"
        self.month_label.setText(i18n.locale().toString(to_qdate(dt.date(year, month, 1)), pattern))
        self.chart.setAccessibleDescription(self.tr("No ledger entries or accepted deliveries this month."))
        if self.summary is None:
            return
        self._show_figures()
        self._show_days()
        self.chart.set_summary(self.summary, (self.tr("Income"), self.tr("Cost"), self.tr("Running surplus")))
        s = self.summary
        self.chart.setAccessibleDescription(
            self.tr("Income %1, cost %2, surplus %3 over %4 days with entries.")
            .replace("%1", fmt_money(s.income_total)).replace("%2", fmt_money(s.cost_total))
            .replace("%3", fmt_money(s.surplus)).replace("%4", str(len(s.days))) if s.days else
            self.tr("No ledger entries or accepted deliveries this month."))
        counted = [i18n.pick(*OTHER_NAMES[k]) for k in s.costs_counted]
        not_counted = [i18n.pick(*OTHER_NAMES[k]) for k, v in s.other_cost_not_counted.items() if v]
        note = self.tr("Other costs counted as cost: %1.").replace("%1", i18n.pick(", ", "、").join(counted) if counted else self.tr("none"))
        if not_counted:
            note += " " + self.tr("Recorded but not counted (site setting): %1.").replace("%1", i18n.pick(", ", "、").join(not_counted))
        note += " " + self.tr("Food cost comes from accepted deliveries.")
        self.note.setText(note)

    def _clear_figures(self) -> None:
        while self.figure_grid.count():
            item = self.figure_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.values = {}

    def _row(self, label: str, value: str, key: str = "", bold: bool = False, indent: bool = False,
             colour: str = "") -> None:
        row = self.figure_grid.rowCount()
        name = QLabel(("    " if indent else "") + label)
        number = QLabel(value)
        number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if bold:
            for w in (name, number):
                font = w.font()
                font.setBold(True)
                w.setFont(font)
        if colour:
            number.setStyleSheet(f"color:{colour}")
        if key:
            name_widget(number, f"ledger_{key}", label)
            self.values[key] = number
        self.figure_grid.addWidget(name, row, 0)
        self.figure_grid.addWidget(number, row, 1)

    def _section(self, text: str) -> None:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
        label.setContentsMargins(0, 8, 0, 0)
        self.figure_grid.addWidget(label, self.figure_grid.rowCount(), 0, 1, 2)

    def _show_figures(self) -> None:
        s = self.summary
        self._clear_figures()
        self._section(self.tr("Income"))
        for key, (en, zh) in SOURCE_NAMES.items():
            self._row(i18n.pick(en, zh), fmt_money(s.income_by_source.get(key, 0)), f"income_{key}", indent=True)
        self._row(self.tr("Income, total"), fmt_money(s.income_total), "income", bold=True)
        self._section(self.tr("Food cost by category"))
        for key, amount in sorted(s.food_cost_by_category.items(), key=lambda kv: -kv[1]):
            self._row(i18n.pick(*CATEGORY_NAMES.get(key, (key, key))), fmt_money(amount), f"food_{key}", indent=True)
        if not s.food_cost_by_category:
            self._row(self.tr("No accepted deliveries"), fmt_money(0), indent=True)
        self._row(self.tr("Food cost, total"), fmt_money(s.food_cost), "food_cost", bold=True)
        for key, amount in s.other_cost_by_kind.items():
            self._row(i18n.pick(*OTHER_NAMES[key]), fmt_money(amount), f"other_{key}", indent=True)
        self._row(self.tr("Cost, total"), fmt_money(s.cost_total), "cost", bold=True)
        self._section(self.tr("Result"))
        self._row(self.tr("Surplus"), fmt_money(s.surplus), "surplus", bold=True,
                  colour="#c62828" if s.surplus < 0 else "")
        self._row(self.tr("Surplus rate"), self._rate_text(), "surplus_rate", bold=True, colour=self._rate_colour())
        low, high = self.band
        self._row(self.tr("Allowed band"), f"{i18n.locale().toString(float(low), 'f', 1)} % … "
                  f"{i18n.locale().toString(float(high), 'f', 1)} %", "band", indent=True)
        self._row(self.tr("Diner-days"), fmt_int(s.diner_days), "diner_days")
        self._row(self.tr("Cost per diner-day"), fmt_money(s.cost_per_diner_day), "cost_per_diner_day")
        self.figure_grid.setRowStretch(self.figure_grid.rowCount(), 1)

    def _rate_text(self) -> str:
        rate = self.summary.surplus_rate
        if rate is None:
            return self.tr("— (no income)")
        text = f"{i18n.locale().toString(float(rate), 'f', 2)} %"
        if self._rate_outside():
            text = "⚠ " + text + " " + self.tr("(outside the band)")
        return text

    def _rate_outside(self) -> bool:
        rate = self.summary.surplus_rate
        return rate is not None and not (self.band[0] <= rate <= self.band[1])

    def _rate_colour(self) -> str:
        return "#a15c00" if self._rate_outside() else ""

    def _show_days(self) -> None:
        days = self.summary.days
        self.days_table.setRowCount(len(days))
        for row, d in enumerate(days):
            cells = (fmt_date(d.day), fmt_int(d.diners), fmt_money(d.income), fmt_money(d.food_cost),
                     fmt_money(d.other_cost), fmt_money(d.surplus))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setData(Qt.ItemDataRole.UserRole, d.day)
                self.days_table.setItem(row, column, item)

    def _open_day(self, row: int, _column: int) -> None:
        item = self.days_table.item(row, 0)
        if item is not None:
            self.open_kind.emit("ledger", item.data(Qt.ItemDataRole.UserRole))


LedgerPage = LedgerMonthPage  # the name the main window's page table uses
