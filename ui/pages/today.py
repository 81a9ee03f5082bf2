"""Today: the first page. What the day still needs, at a glance, and the way to each record.

One card per daily duty (docs/domain.md §2): its state in colour, symbol and word, what is done or
missing in a sentence, and a click that opens the records behind it (or the place to add the
missing one). Reminders (samples to discard, certificates to renew, screens to retest) follow.
The day's status is read through `canteen.read.day` off the GUI thread.
"""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from canteen.read import day as read_day
from canteen.read.cases import cases as read_cases
from canteen.services.permissions import may_export, may_sign, may_write
from ui import i18n
from ui.workers import run_task

from ._common import (
    STATE_LOOK,
    Page,
    error_text,
    fmt_date,
    from_qdate,
    heading,
    kind_label,
    name_widget,
    state_word,
    to_qdate,
)
from .cases import CASE_LOOK, shown_status, status_text

CARD_WIDTH = 360
CASE_DAYS = 90  # how far back Today looks for cases still open
CASE_ORDER = {"overdue": 0, "open": 1, "acted": 2}


def cases_to_deal_with(session, day: dt.date) -> list:
    """The cases of the CASE_DAYS up to `day` not yet verified: overdue first, then open, then
    acted (waiting for the follow-up check), the oldest first within each (runs on a worker)."""
    found = [c for c in read_cases(session, day - dt.timedelta(days=CASE_DAYS), day) if not c.closed]
    return sorted(found, key=lambda c: (CASE_ORDER[shown_status(c)], c.first_day, c.rule))
REMINDER_ICONS = {  # standard icons every Qt style has, so nothing depends on an emoji font
    "discard-sample": QStyle.StandardPixmap.SP_TrashIcon,
    "certificate": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "health-certificate": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "retest": QStyle.StandardPixmap.SP_MessageBoxCritical,
}


class CheckCard(QFrame):
    """One duty of the day: a focusable, clickable card (Enter or Space opens it)."""

    clicked = Signal()

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.state = ""
        name_widget(self, f"todayCard_{key}", key)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.badge = name_widget(QLabel(), f"todayBadge_{key}", key)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setFixedSize(40, 40)
        self.title = name_widget(QLabel(), f"todayTitle_{key}", key)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.state_label = name_widget(QLabel(), f"todayState_{key}", key)
        self.detail = name_widget(QLabel(), f"todayDetail_{key}", key)
        self.detail.setWordWrap(True)
        self.detail.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        for label in (self.badge, self.title, self.state_label, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        text = QVBoxLayout()
        text.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        text.addLayout(top)
        text.addWidget(self.detail)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 10, 8)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)

    def show_check(self, check, language: str) -> None:
        self.state = check.state
        tint, symbol = STATE_LOOK.get(check.state, ("#444444", "?"))
        word = state_word(check.state)
        self.badge.setText(symbol)
        self.badge.setStyleSheet(f"background:{tint}; color:white; border-radius:20px; font-size:18px; font-weight:bold;")
        self.title.setText(check.label(language))
        self.state_label.setText(word)
        self.state_label.setStyleSheet(f"color:{tint}; font-weight:bold;")
        self.detail.setText(check.detail(language))
        self.setStyleSheet(f"CheckCard {{ border:1px solid #c8c8c8; border-left:6px solid {tint}; border-radius:4px;"
                           f" background:palette(base); }} CheckCard:focus {{ border:2px solid #1565c0;"
                           f" border-left:6px solid {tint}; }}")
        self.setAccessibleName(f"{check.label(language)}: {word}")
        self.setAccessibleDescription(check.detail(language))
        self.setToolTip(check.detail(language))

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class TodayPage(Page):
    """The first page: today's duties and reminders, for the day picked."""

    open_kind = Signal(str, object)       # kind, day: show that record type on that day
    add_kind = Signal(str, object)        # kind, day: show that record type on that day and open a new record
    sign_record = Signal(str, int)        # kind, record id: open the record and ask for the signature
    cases_loaded = Signal()               # the list of cases to deal with is shown

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.checks: list = []
        self.found_reminders: list = []
        self.open_cases: list = []
        self.previous_service_day: dt.date | None = None
        self.cards: dict[str, CheckCard] = {}
        self._generation = 0
        self._columns = 0
        self._last_today = session.today()
        self.setObjectName("todayPage")
        self._build()
        self.retranslate()
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(60_000)
        self._day_timer.timeout.connect(self._follow_midnight)
        self._day_timer.start()
        self.refresh()

    # ---- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        bar = self._build_day_bar()
        self._build_cases()
        self._build_summary()
        self._build_cards()
        self._build_reminders()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.cases_title)
        layout.addWidget(self.case_list)
        layout.addWidget(self.summary)
        layout.addWidget(self.no_service)
        layout.addWidget(self.scroll)
        layout.addSpacing(6)
        layout.addWidget(self.reminder_title)
        layout.addWidget(self.reminder_list, 1)

    def _build_day_bar(self) -> QHBoxLayout:
        """The title, the day shown and the ways to move between days, and the daily sheet."""
        self.title = heading("", "todayTitle")
        self.day_label = name_widget(QLabel(), "todayDayLabel", "day")
        self.previous = name_widget(QPushButton(), "todayPrevious", "previous day")
        self.date_edit = name_widget(QDateEdit(), "todayDate", "day")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDate(to_qdate(self.session.today()))
        self.date_edit.setMaximumDate(to_qdate(self.session.today()))
        self.next = name_widget(QPushButton(), "todayNext", "next day")
        self.back_to_today = name_widget(QPushButton(), "todayToday", "today")
        self.refresh_button = name_widget(QPushButton(), "todayRefresh", "refresh")
        self.sheet_button = name_widget(QPushButton(), "todayDailySheet", "daily sheet")
        self.sheet_button.clicked.connect(self.export_daily_sheet)
        self.sheet_button.setVisible(may_export(self.session.role))
        self.previous.clicked.connect(lambda: self._shift(-1))
        self.next.clicked.connect(lambda: self._shift(1))
        self.back_to_today.clicked.connect(lambda: self.set_day(self.session.today()))
        self.refresh_button.clicked.connect(self.refresh)
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addWidget(self.day_label, 1)
        for w in (self.previous, self.date_edit, self.next, self.back_to_today, self.refresh_button,
                  self.sheet_button):
            bar.addWidget(w)
        return bar

    def _build_summary(self) -> None:
        """The counts of the day's states, and the note for a day without meals."""
        self.summary = name_widget(QLabel(), "todaySummary", "summary")
        self.summary.setWordWrap(True)
        # A day without meals (weekend, holiday) says so and offers the last day that had them.
        self.no_service = QFrame()
        self.no_service.setObjectName("todayNoService")
        self.no_service.setStyleSheet("#todayNoService { background:#eef3fb; border:1px solid #9bb7de; border-radius:4px; }")
        self.no_service_label = name_widget(QLabel(), "todayNoServiceText", "no meals served")
        self.no_service_label.setWordWrap(True)
        self.jump_button = name_widget(QPushButton(), "todayJumpToService", "last service day")
        self.jump_button.clicked.connect(self.go_to_last_service_day)
        row = QHBoxLayout(self.no_service)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.no_service_label, 1)
        row.addWidget(self.jump_button)
        self.no_service.hide()

    def _build_cards(self) -> None:
        """The grid the duty cards go in (filled once the day is read)."""
        self.grid_host = QWidget()
        self.grid_host.setObjectName("todayGrid")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(10)
        self.grid.setContentsMargins(0, 0, 0, 0)
        # The cards sit in a scroll area sized to them: it keeps their word-wrapped height from
        # dictating the window's minimum size, and scrolls when the window is short.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("todayScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.grid_host)

    def _build_cases(self) -> None:
        """The cases still to deal with, overdue first; a row opens the case on the findings page."""
        self.cases_title = heading("", "todayCasesTitle")
        self.case_list = name_widget(QListWidget(), "todayCases", "open cases")
        self.case_list.setAlternatingRowColors(True)
        self.case_list.itemActivated.connect(self._open_case)
        self.case_list.itemDoubleClicked.connect(self._open_case)
        self.case_list.setMaximumHeight(132)

    def _build_reminders(self) -> None:
        self.reminder_title = heading("", "todayRemindersTitle")
        self.reminder_list = name_widget(QListWidget(), "todayReminders", "reminders")
        self.reminder_list.setWordWrap(True)
        self.reminder_list.setAlternatingRowColors(True)
        self.reminder_list.itemActivated.connect(self._open_reminder)
        self.reminder_list.itemDoubleClicked.connect(self._open_reminder)
        self.reminder_list.setMinimumHeight(90)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Today"))
        self.previous.setText(self.tr("◀ Previous day"))
        self.previous.setAccessibleName(self.tr("Previous day"))
        self.next.setText(self.tr("Next day ▶"))
        self.next.setAccessibleName(self.tr("Next day"))
        self.back_to_today.setText(self.tr("Today"))
        self.back_to_today.setAccessibleName(self.tr("Back to today"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh"))
        self.sheet_button.setText(self.tr("Daily sheet (PDF)…"))
        self.sheet_button.setAccessibleName(self.tr("Print the daily sheet"))
        self.sheet_button.setToolTip(self.tr("The day's records on one sheet, with signatures and the audit chain head"))
        self.date_edit.setAccessibleName(self.tr("Day shown"))
        self.date_edit.setDisplayFormat(i18n.locale().dateFormat(i18n.locale().FormatType.ShortFormat))
        self.cases_title.setText(self.tr("Cases to deal with"))
        self.case_list.setAccessibleName(self.tr("Open cases, overdue first"))
        self.reminder_title.setText(self.tr("Reminders"))
        self.reminder_list.setAccessibleName(self.tr("Reminders"))
        self.summary.setAccessibleName(self.tr("Summary of the day"))
        self._show()
        self._show_cases()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange_cards()

    # ---- data ------------------------------------------------------------------------------------

    @property
    def day(self) -> dt.date:
        return from_qdate(self.date_edit.date())

    def set_day(self, day: dt.date) -> None:
        self.date_edit.setDate(to_qdate(day))

    def _shift(self, days: int) -> None:
        self.set_day(self.day + dt.timedelta(days=days))

    def _follow_midnight(self) -> None:
        """Past midnight, a page left on "today" moves on to the new day."""
        now = self.session.today()
        if now != self._last_today:
            was_today = self.day == self._last_today
            self._last_today = now
            self.date_edit.setMaximumDate(to_qdate(now))
            if was_today:
                self.set_day(now)

    def refresh(self) -> None:
        """Work the day out again (after an edit, on showing the page, on another day)."""
        self._generation += 1
        generation, day = self._generation, self.day
        self.next.setEnabled(day < self.session.today())
        self.summary.setText(self.tr("Checking %1…").replace("%1", fmt_date(day, long=True)))
        run_task(read_day.day_view, self.session, day,
                 on_done=lambda result: self._loaded(generation, result),
                 on_error=lambda exc: self._failed(generation, exc))

    def _look_for_cases(self, generation: int) -> None:
        """The cases still open, worked out once the day's checks are shown: the day comes first
        (both would otherwise share the one interpreter, and the day would wait for the cases)."""
        run_task(cases_to_deal_with, self.session, self.day,
                 on_done=lambda found: self._cases_loaded(generation, found),
                 on_error=lambda exc: self._cases_loaded(generation, exc))

    def _cases_loaded(self, generation: int, found) -> None:
        if not self._current(generation):
            return
        self.open_cases = found
        self._show_cases()
        self.cases_loaded.emit()

    def _current(self, generation: int) -> bool:
        """Whether a worker's answer is still wanted: no other day was asked meanwhile, and the
        window was not closed before the rules finished (its widgets would be gone)."""
        return generation == self._generation and shiboken6.isValid(self)

    def _loaded(self, generation: int, result) -> None:
        if not self._current(generation):
            return
        self.checks, self.found_reminders = result.checks, result.reminders
        self.previous_service_day = result.last_service_day
        self._show()
        counts = {s: sum(c.state == s for c in self.checks) for s in STATE_LOOK}
        self.status_message.emit(self.tr("%1: %2 missing, %3 violations").replace("%1", fmt_date(self.day))
                                 .replace("%2", str(counts["missing"])).replace("%3", str(counts["violation"])))
        self.loaded.emit()
        self._look_for_cases(generation)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not self._current(generation):
            return
        self.summary.setText(error_text(exc))
        self.status_message.emit(error_text(exc))
        self.loaded.emit()
        self._look_for_cases(generation)

    # ---- showing -----------------------------------------------------------------------------------

    def _show(self) -> None:
        language = i18n.language()
        self.day_label.setText(fmt_date(self.day, long=True))
        for check in self.checks:
            card = self.cards.get(check.key)
            if card is None:
                card = CheckCard(check.key, self.grid_host)
                card.clicked.connect(lambda key=check.key: self.activate(key))
                self.cards[check.key] = card
                self._columns = 0
            card.show_check(check, language)
        self._arrange_cards()
        self._show_summary()
        self._show_service_note()
        self._show_reminders(language)

    def is_service_day(self) -> bool:
        """Meals are served (a menu, or a weekday); the core marks the menu "not needed" otherwise."""
        menu = self.check("menu")
        return menu is None or menu.state != "not_applicable"

    def _show_service_note(self) -> None:
        # Ten grey "not needed" cards say nothing: on a day with nothing at all, only the note shows.
        idle = bool(self.checks) and all(c.state == "not_applicable" for c in self.checks)
        self.scroll.setVisible(not idle)
        self.summary.setVisible(not idle)
        if not self.checks or self.is_service_day():
            self.no_service.hide()
            return
        text = self.tr("No meals are served on %1 (weekend or holiday), so nothing is due. "
                       "Reminders below still apply.").replace("%1", fmt_date(self.day, long=True))
        self.no_service_label.setText(text)
        last = self.previous_service_day
        self.jump_button.setVisible(last is not None)
        if last is not None:
            self.jump_button.setText(self.tr("Go to the last service day, %1").replace("%1", fmt_date(last)))
            self.jump_button.setAccessibleName(self.tr("Go to the last service day"))
        self.no_service.show()

    def go_to_last_service_day(self) -> None:
        if self.previous_service_day is not None:
            self.set_day(self.previous_service_day)

    def export_daily_sheet(self):
        """The day's sheet as PDF, written off the GUI thread."""
        from ui.export_dialog import daily_sheet_export, start_export
        if not may_export(self.session.role):
            return None
        day = self.day
        self.export_dialog = start_export(self, self.session, daily_sheet_export(self.session, day),
                                          lambda result: self.status_message.emit(
                                              self.tr("Daily sheet written: %1").replace("%1", str(result.path))))
        return self.export_dialog

    def _arrange_cards(self) -> None:
        if not self.cards:
            return
        width = self.scroll.width() or self.width()
        columns = max(1, min(3, width // CARD_WIDTH))
        if columns != self._columns:
            self._columns = columns
            for card in self.cards.values():
                self.grid.removeWidget(card)
            for n, check in enumerate(self.checks):
                self.grid.addWidget(self.cards[check.key], n // columns, n % columns)
            for c in range(3):
                self.grid.setColumnStretch(c, 1 if c < columns else 0)
            self.grid.setRowStretch(len(self.checks) // columns + 1, 1)
        wanted, room = self._cards_height(width, columns), max(160, self.height() - 230)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff if wanted <= room
                                               else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll.setFixedHeight(min(wanted, room))

    def _cards_height(self, width: int, columns: int) -> int:
        """The height the cards need at this width: the tallest card of each row, plus spacing."""
        spacing = self.grid.spacing()
        column_width = (width - spacing * (columns - 1)) // columns
        heights = [card.layout().totalHeightForWidth(column_width) + 2 * card.frameWidth() for card in
                   (self.cards[c.key] for c in self.checks)]
        rows = [max(heights[i:i + columns]) for i in range(0, len(heights), columns)]
        return sum(rows) + spacing * (len(rows) - 1) + 6

    def _show_summary(self) -> None:
        if not self.checks:
            return
        parts = []
        for state in ("violation", "missing", "done", "not_applicable"):
            count = sum(c.state == state for c in self.checks)
            if count:
                tint, symbol = STATE_LOOK[state]
                parts.append(f"<span style='color:{tint}'><b>{symbol} {count}</b> {state_word(state)}</span>")
        self.summary.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))

    def _show_cases(self) -> None:
        """Each case: state (colour, symbol, word), age, rule, what it is about, the latest finding."""
        self.case_list.clear()
        if isinstance(self.open_cases, BaseException):
            self.case_list.addItem(error_text(self.open_cases))
            return
        if not self.open_cases:
            item = QListWidgetItem(self.tr("No open cases."))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.case_list.addItem(item)
            return
        language, today = i18n.language(), self.session.today()
        for case in self.open_cases:
            status = shown_status(case)
            age = self.tr("%1 d old").replace("%1", str(case.age_days(today)))
            item = QListWidgetItem(f"{status_text(status)} · {age} · {case.rule} · {case.subject_label(language)}"
                                   f" — {case.message(language)}")
            item.setForeground(QColor(CASE_LOOK[status][0]))
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            item.setToolTip(self.tr("Open the case on the findings page"))
            self.case_list.addItem(item)

    def _open_case(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id:
            self.open_case.emit(case_id)

    def _show_reminders(self, language: str) -> None:
        self.reminder_list.clear()
        if not self.found_reminders:
            item = QListWidgetItem(self.tr("Nothing to remind you of."))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.reminder_list.addItem(item)
            return
        for reminder in self.found_reminders:
            icon = self.style().standardIcon(REMINDER_ICONS.get(reminder.key, QStyle.StandardPixmap.SP_MessageBoxInformation))
            item = QListWidgetItem(icon, reminder.text(language))
            item.setData(Qt.ItemDataRole.UserRole, (reminder.kind, reminder.record_id))
            item.setToolTip(self.tr("Open the record (%1)").replace("%1", kind_label(reminder.kind)))
            self.reminder_list.addItem(item)

    # ---- opening records -------------------------------------------------------------------------

    def check(self, key: str):
        return next((c for c in self.checks if c.key == key), None)

    def activate(self, key: str) -> None:
        """Open what is behind a card: its one record, a choice of its records, or its record type."""
        check = self.check(key)
        if check is None:
            return
        if len(check.record_ids) == 1:
            if check.key == "inspection" and check.state == "missing" and may_sign(self.session.role, check.kind):
                self.sign_record.emit(check.kind, check.record_ids[0])  # inspected, not yet signed
            else:
                self.open_record.emit(check.kind, check.record_ids[0])
        elif not check.record_ids:
            if check.state == "missing" and may_write(self.session.role, check.kind):
                self.add_kind.emit(check.kind, self.day)   # what is missing is what the user came to enter
            else:
                self.open_kind.emit(check.kind, self.day)
        else:
            self._choose_record(check)

    def _choose_record(self, check) -> None:
        menu = QMenu(self)
        menu.setObjectName("todayRecordMenu")
        shown = check.record_ids[:30]
        titles = read_day.record_titles(self.session, check.kind, shown, i18n.language())
        for record_id in shown:
            title = titles.get(record_id, "")
            action = menu.addAction(f"{kind_label(check.kind)} #{record_id}  {title}")
            action.triggered.connect(lambda _=False, rid=record_id: self.open_record.emit(check.kind, rid))
        menu.addSeparator()
        every = menu.addAction(self.tr("Show all of this day…"))
        every.triggered.connect(lambda: self.open_kind.emit(check.kind, self.day))
        card = self.cards[check.key]
        menu.popup(card.mapToGlobal(card.rect().bottomLeft()))

    def _open_reminder(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.open_record.emit(target[0], int(target[1]))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._arrange_cards()
