"""The main window: a grouped navigation list, one page at a time, menus, status bar, idle lock.

Pages are made the first time they are shown, so the window is usable at once however large
the database. The signed-in user's role decides what the pages enable; the core refuses the
rest anyway.
"""

from __future__ import annotations

import importlib
import time

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from canteen.read import kinds

from . import i18n
from .forms.dialogs import show_error
from .login import LockDialog
from .pages._common import Page

PAGE_ROLE = Qt.ItemDataRole.UserRole
IDLE_CHECK_MS = 15_000
INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
# Every page by navigation key ("records:<kind>" is the record type's page): module and class,
# imported when the page is first opened, so the desk paints Today without loading the others.
PAGES: dict[str, tuple[str, str]] = {
    "today": ("ui.pages.today", "TodayPage"),
    "findings": ("ui.pages.findings", "FindingsPage"),
    "ledger-month": ("ui.pages.ledger", "LedgerMonthPage"),
    "audit-trail": ("ui.pages.audit", "AuditPage"),
    "admin": ("ui.pages.admin", "AdminPage"),
    "district": ("ui.pages.district", "DistrictPage"),
    "records": ("ui.pages.records", "RecordsPage"),
}


def page_type(key: str) -> type[Page]:
    """The page class of a navigation key; every module in PAGES is part of the program."""
    module, name = PAGES[key.split(":", 1)[0]]
    return getattr(importlib.import_module(module), name)


class IdleWatcher(QObject):
    """Notices keyboard and mouse use anywhere in the application; says when it has been idle too long."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self.minutes = minutes
        self.last_input = time.monotonic()
        self.paused = False
        self.timer = QTimer(self, interval=IDLE_CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if event.type() in INPUT_EVENTS:
            self.last_input = time.monotonic()
        return False

    def check(self) -> None:
        if not self.paused and time.monotonic() - self.last_input >= self.minutes * 60:
            self.idle.emit()

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)


class MainWindow(QMainWindow):
    """The desk for one signed-in user."""

    def __init__(self, session, url: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.url = session, url
        self.setObjectName("main_window")
        self.setAccessibleName(self.tr("Canteen food-safety log"))
        self.pages: dict[str, Page] = {}
        self.locked = False
        self.user_label: QLabel | None = None
        self._hidden_while_locked: list[QWidget] = []
        self.idle = IdleWatcher(int(session.setting("idle_lock_minutes")), self)
        self.idle.idle.connect(self.lock)
        self._build()
        self._restore()

    # ---- building (again after a change of language) ----------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(f"{self.place_name()} — {self.tr('Canteen food-safety log')}")
        self.nav = QTreeWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.nav.setHeaderHidden(True)
        self.nav.setMinimumWidth(190)
        self.nav.setIndentation(14)
        self.nav.setStyleSheet("QTreeWidget::item { padding: 3px 2px; }")
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 1200])
        self.setCentralWidget(self.splitter)
        self._fill_navigation()
        self.nav.currentItemChanged.connect(self._navigate)
        self._build_menus()
        self._build_status()

    def _nav_item(self, parent, key: str, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, PAGE_ROLE, key)
        item.setToolTip(0, text)
        return item

    def place_name(self) -> str:
        """The canteen the window shows; a district user's window shows the district, and a
        canteen opened from it says it is read-only."""
        if self.session.site is None:
            return self.tr("District")
        if self.session.user.site_id is None:
            return self.tr("%1 (read-only)").replace("%1", self.session.site.name)
        return self.session.site.name

    def _fill_navigation(self) -> None:
        self.nav.clear()
        self.nav_items: dict[str, QTreeWidgetItem] = {}
        lang = i18n.language()
        if self.session.site is None:  # the district inspector: every canteen, one page
            self.nav_items["district"] = self._nav_item(self.nav, "district", self.tr("District overview"))
            return
        self.nav_items["today"] = self._nav_item(self.nav, "today", self.tr("Today"))
        self.nav_items["findings"] = self._nav_item(self.nav, "findings", self.tr("Findings"))
        for group, en, zh in kinds.groups():
            head = QTreeWidgetItem(self.nav, [zh if lang.startswith("zh") else en])
            head.setFlags(head.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            head.setData(0, PAGE_ROLE, None)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            for rt in kinds.record_types():
                if rt.group == group:
                    self.nav_items[f"records:{rt.kind}"] = self._nav_item(head, f"records:{rt.kind}", rt.label(lang))
            if group == "finance":
                self.nav_items["ledger-month"] = self._nav_item(head, "ledger-month", self.tr("Month view and chart"))
            if group == "audit":
                self.nav_items["audit-trail"] = self._nav_item(head, "audit-trail", self.tr("Audit trail"))
        if self.session.role == "admin":
            self.nav_items["admin"] = self._nav_item(self.nav, "admin", self.tr("Settings and users"))
        self.nav.expandAll()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        file_menu = bar.addMenu(self.tr("&File"))
        self._action(file_menu, "action_refresh", self.tr("&Refresh"), QKeySequence.StandardKey.Refresh, self.refresh_page)
        archive = self._action(file_menu, "action_export_archive", self.tr("&Export archive…"), QKeySequence("Ctrl+E"),
                               self.export_archive)
        from .export_dialog import may_export_here
        archive.setEnabled(may_export_here(self.session) and self.session.site is not None)
        if self.session.site is None:
            self._action(file_menu, "action_export_district", self.tr("Export &district summary…"), None,
                         self.export_district)
        else:
            push = self._action(file_menu, "action_push_district", self.tr("&Push to district…"), None,
                                self.push_to_district)
            push.setEnabled(self._may_push())
            if not push.isEnabled():
                push.setToolTip(self.tr("Only the canteen's administrator pushes to the district."))
                file_menu.setToolTipsVisible(True)
        file_menu.addSeparator()
        self._action(file_menu, "action_lock", self.tr("&Lock screen"), QKeySequence("Ctrl+L"), self.lock)
        self._action(file_menu, "action_sign_out", self.tr("Sign &out"), QKeySequence("Ctrl+Shift+Q"), self.sign_out)
        file_menu.addSeparator()
        self._action(file_menu, "action_quit", self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        go_menu = bar.addMenu(self.tr("&Go"))
        for n, key in enumerate(k for k in ("today", "findings") if k in self.nav_items):
            self._action(go_menu, f"action_go_{key}", self.nav_items[key].text(0), QKeySequence(f"Ctrl+{n + 1}"),
                         lambda checked=False, k=key: self.show_page(k))
        self._action(go_menu, "action_focus_nav", self.tr("&Navigation list"), QKeySequence("F6"), self.nav.setFocus)
        settings_menu = bar.addMenu(self.tr("&Settings"))
        language = settings_menu.addMenu(self.tr("&Language"))
        language.setObjectName("menu_language")
        group = QActionGroup(self)
        current = i18n.chosen()
        names = {"auto": self.tr("Automatic (system language)"), "en": "English", "zh_CN": "简体中文"}
        for value, _en, _zh in i18n.CHOICES:
            act = self._action(language, f"language_{value}", names[value], None,
                               lambda checked=False, v=value: self.set_language(v))
            act.setCheckable(True)
            act.setChecked(value == current)
            group.addAction(act)
        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, "action_about", self.tr("&About"), None, self.about)

    def _action(self, menu, name: str, text: str, shortcut, slot) -> QAction:
        act = QAction(text, self)
        act.setObjectName(name)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _build_status(self) -> None:
        status = self.statusBar()
        status.setObjectName("status_bar")
        if self.user_label is not None:
            status.removeWidget(self.user_label)
        user = self.session.user
        self.user_label = QLabel(f"{user.display_name} · {user.role_label(i18n.language())} · {self.place_name()}")
        self.user_label.setObjectName("signed_in_user")
        self.user_label.setAccessibleName(self.tr("Signed-in user"))
        status.addPermanentWidget(self.user_label)

    # ---- pages --------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page for a navigation key, made on first use."""
        if key not in self.pages:
            self.pages[key] = self._make_page(key)
            self.stack.addWidget(self.pages[key])
        return self.pages[key]

    def _make_page(self, key: str) -> Page:
        """A page from the table (or a record type's page), with the shell's signals connected."""
        if key.startswith("records:"):
            page = page_type(key)(self.session, key.split(":", 1)[1], self)
        else:
            page = page_type(key)(self.session, self)
        page.status_message.connect(self.say)
        page.open_record.connect(self.open_record)
        page.open_kind.connect(self.open_kind)
        page.add_kind.connect(self.add_kind)
        page.sign_record.connect(self.sign_record)
        page.day_closed.connect(self.push_at_close)
        page.open_case.connect(self.open_case)
        if key == "district":
            page.open_canteen.connect(self.open_canteen)
            page.export_summary.connect(self.export_district)
        return page

    def show_page(self, key: str) -> QWidget | None:
        item = self.nav_items.get(key)
        if item is None:
            return None
        self.nav.setCurrentItem(item)
        return self.pages.get(key)

    def _navigate(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        key = item.data(0, PAGE_ROLE) if item else None
        if not key:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            fresh = key not in self.pages
            page = self.page(key)
            self.stack.setCurrentWidget(page)
            if not fresh:
                page.refresh()
        except Exception as exc:  # a page that cannot open says why; the window stays usable
            show_error(self, exc)
        finally:
            QApplication.restoreOverrideCursor()
        QSettings().setValue(self._last_page_key(), key)

    def current_key(self) -> str | None:
        item = self.nav.currentItem()
        return item.data(0, PAGE_ROLE) if item else None

    def open_record(self, kind: str, record_id: int) -> None:
        page = self.show_page(f"records:{kind}")
        if page is not None:
            page.show_record(record_id)

    def open_kind(self, kind: str, day=None) -> None:
        page = self.show_page(f"records:{kind}")
        if page is not None and day is not None:
            from .forms.editors import to_qdate
            page.date_from.setDate(to_qdate(day))
            page.date_to.setDate(to_qdate(day))
            page.use_dates.setChecked(True)
            page.apply_filter()

    def open_case(self, case_id: str) -> None:
        """From Today's list of open cases to the case on the findings page."""
        page = self.show_page("findings")
        if page is not None:
            page.show_case(case_id)

    def sign_record(self, kind: str, record_id: int) -> None:
        """From Today's "not signed yet" straight to the signature, with the record selected beneath."""
        self.open_record(kind, record_id)
        page = self.pages.get(f"records:{kind}")
        if page is not None and page.current_id() == record_id:
            QTimer.singleShot(0, page.sign_selected)

    def add_kind(self, kind: str, day=None):
        """Straight from a "missing" card to a new record of that kind, dated on the day shown."""
        self.open_kind(kind, day)
        page = self.pages.get(f"records:{kind}")
        if page is None:
            return None
        initial = {}
        if day is not None and day != self.session.today():
            import datetime as dt
            event = kinds.record_type(kind).event
            if event == "date":
                initial["day"] = day
            elif event == "datetime":
                initial["occurred_at"] = dt.datetime.combine(day, dt.time(12, 0))
        return page.add_record(initial or None)

    def refresh_page(self) -> None:
        page = self.stack.currentWidget()
        if page is not None:
            page.refresh()
            self.say(self.tr("Refreshed"))

    def say(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # ---- integrity at start -------------------------------------------------------------------

    def check_integrity_when_shown(self) -> None:
        """The start's integrity check, begun once Today has its data: both read the database on
        worker threads, and the page the user waits for goes first."""
        today = self.pages.get("today")
        if today is None or self.stack.currentWidget() is not today:
            self.check_integrity()
            return

        def after_today() -> None:
            today.loaded.disconnect(after_today)
            self.check_integrity()
        today.loaded.connect(after_today)

    def check_integrity(self) -> None:
        """Verify the audit chain, the records and the signatures in the background at start.
        A clean result shows briefly in the status bar; tampering stays visible and is explained."""
        from canteen.integrity.verify import verify_database

        from .workers import run_task
        self.say(self.tr("Checking the integrity of the records…"))
        self.integrity_task = run_task(verify_database, on_done=self._integrity_checked,
                                       on_error=lambda error: self.say(self.tr("The integrity check could not run: %1")
                                                                       .replace("%1", str(error))))

    def _integrity_checked(self, report) -> None:
        self.integrity_report = report
        if report.ok:
            self.statusBar().showMessage(report.summary(i18n.language()), 15000)
            return
        warning = QLabel(self.tr("⚠ Records changed outside the program"))
        warning.setObjectName("integrity_warning")
        warning.setAccessibleName(self.tr("Integrity warning"))
        warning.setStyleSheet("color: #b00020; font-weight: bold;")
        self.statusBar().addPermanentWidget(warning)
        lines = "\n".join(f"• {p.zh if i18n.language().startswith('zh') else p.en}" for p in report.problems[:8])
        more = len(report.problems) - 8
        if more > 0:
            lines += "\n" + self.tr("… and %1 more").replace("%1", str(more))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Integrity check"),
                          report.summary(i18n.language()) + "\n\n" + lines + "\n\n"
                          + self.tr("The audit trail page shows every entry; tell the school's management."), parent=self)
        box.setObjectName("integrity_dialog")
        box.open()

    # ---- language, lock, settings -------------------------------------------------------------

    def set_language(self, choice: str) -> None:
        """Switch language now: translations reloaded, pages made again in the new language."""
        key = self.current_key()
        i18n.store(choice)
        i18n.install(choice)
        for page in self.pages.values():
            page.deleteLater()
        self.pages.clear()
        self.nav.currentItemChanged.disconnect(self._navigate)
        old = self.centralWidget()
        self._build()
        old.deleteLater()
        self.show_page(key or self._first_page())
        self.say(self.tr("Language changed"))

    def lock(self) -> None:
        """Cover the desk until the signed-in user's password is given; open forms keep their input."""
        if self.locked:
            return
        self.locked = True
        self.idle.paused = True
        # Nothing of the desk stays readable while locked: the pages and any open form are hidden
        # (not closed, so what was typed in them is there again after unlocking).
        self._hidden_while_locked = [w for w in QApplication.topLevelWidgets()
                                     if isinstance(w, QDialog) and w.isVisible() and self._owns(w)]
        for w in self._hidden_while_locked:
            w.hide()
        self.centralWidget().hide()
        dialog = LockDialog(self.session, self)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(self._unlocked)
        self.lock_dialog = dialog
        dialog.open()

    def _owns(self, widget: QWidget) -> bool:
        """Whether a dialog belongs to this window (opened from it, at any depth)."""
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        return False

    def _unlocked(self, _result: int) -> None:
        self.centralWidget().show()
        for w in self._hidden_while_locked:
            if shiboken6.isValid(w):  # a dialog may have been closed by its own work meanwhile
                w.show()
        self._hidden_while_locked = []
        self.locked = False
        self.idle.paused = False
        self.idle.last_input = time.monotonic()
        self.say(self.tr("Unlocked"))

    def export_archive(self):
        """The inspection archive of a period (the last 30 days to start with), written off the GUI thread."""
        import datetime as dt

        from .export_dialog import archive_export, may_export_here, start_export
        if not may_export_here(self.session):
            return None
        end = self.session.today()
        self.export_dialog = start_export(self, self.session, archive_export(self.session, end - dt.timedelta(days=30), end),
                                          lambda result: self.say(self.tr("Archive written: {0}").format(result.path)))
        return self.export_dialog

    def open_canteen(self, name: str):
        """From the district page to one canteen's own pages, in a window of their own: the same
        inspector, entered in that canteen (the core refuses a school user and every write)."""
        import dataclasses

        from canteen.services import site_admin
        session = dataclasses.replace(self.session, site=None, _memo=None)
        try:
            site_admin.enter_site(session, name)
        except Exception as exc:
            show_error(self, exc)
            return None
        window = MainWindow(session, self.url)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.canteen_windows = [w for w in getattr(self, "canteen_windows", []) if shiboken6.isValid(w)] + [window]
        window.show()
        return window

    def export_district(self):
        """The district summary of a period (this month to start with), written off the GUI thread."""
        from .export_dialog import district_summary_export, start_export
        end = self.session.today()
        self.export_dialog = start_export(self, self.session, district_summary_export(self.session, end.replace(day=1), end),
                                          lambda result: self.say(self.tr("District summary written: {0}").format(result.path)))
        return self.export_dialog

    # ---- push to the district (issue 12) -------------------------------------------------------

    def _may_push(self) -> bool:
        from canteen.services import district_push
        return district_push.may_push(self.session)

    def push_to_district(self):
        """File → Push to district: the dialog does the rest (the canteen's administrator only)."""
        if not self._may_push():
            return None
        return self.push_now()

    def push_now(self):
        """The push dialog; on a desk whose user does not hold the site key (the warning after a
        close that could not push), the key's holder types their name and password in it."""
        from .push_dialog import PushDialog
        self.push_dialog = PushDialog(self.session, self)
        self.push_dialog.pushed.connect(lambda result: self.say(result.said().text(i18n.language())))
        self.push_dialog.pushed.connect(self._pushed)
        self.push_dialog.open()
        return self.push_dialog

    def push_at_close(self, day, password: str):
        """The daily close pushes in the background where a district address is set; the status
        bar says how it went (see canteen/services/district_push.py for whose password it uses)."""
        from canteen.services import district_push

        from .workers import run_task
        if not district_push.district_address(self.session):
            return None
        self.say(self.tr("Day {0} closed: pushing to the district…").format(f"{day:%Y-%m-%d}"))
        self.close_push = run_task(district_push.push_at_close, self.session, password,
                                   on_done=self._pushed_at_close, on_error=self._close_push_failed)
        return self.close_push

    def _pushed_at_close(self, result) -> None:
        self.close_push = None
        self._pushed(result)
        said = result.said().text(i18n.language())
        if result.by_device:
            said = self.tr("Pushed to the district at the daily close by this computer: {0}").format(said)
        else:
            said = self.tr("Pushed to the district at the daily close: {0}").format(said)
        self.statusBar().showMessage(said, 30000)

    def _pushed(self, _result=None) -> None:
        """A push went through: the warning of one that did not goes."""
        warning = getattr(self, "push_warning", None)
        if warning is not None and shiboken6.isValid(warning):
            self.statusBar().removeWidget(warning)
            warning.deleteLater()
        self.push_warning = None

    def _close_push_failed(self, exc: BaseException) -> None:
        """Said in the status bar (first the facts, then why), and a warning stays there, with the
        whole reason as its tooltip, until a push goes through."""
        self.close_push = None
        from canteen.services import district_push

        from .forms.dialogs import explain
        if not district_push.a_later_push_carries_it(exc):  # the district refused the canteen: no warning to push again
            self.statusBar().showMessage(self.tr("Not pushed to the district at the daily close: {0}")
                                         .format(explain(exc)), 60000)
            return
        self.statusBar().showMessage(self.tr("Not pushed to the district at the daily close (nothing is lost: the next "
                                             "push sends it): {0}").format(explain(exc)), 60000)
        self._pushed()
        self.push_warning = QPushButton(self.tr("⚠ Not pushed to the district — push now…"))
        self.push_warning.setObjectName("push_warning")
        self.push_warning.setAccessibleName(self.tr("Push warning"))
        self.push_warning.setFlat(True)
        self.push_warning.setStyleSheet("color: #b00020;")
        self.push_warning.clicked.connect(self.push_now)
        self.push_warning.setToolTip(self.tr("{0}\nNothing is lost: the next close or File → Push to district sends it.")
                                     .format(explain(exc)))
        self.statusBar().insertPermanentWidget(0, self.push_warning)

    def sign_out(self) -> None:
        self.signed_out = True
        self.close()

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About"), self.tr(
            "Canteen food-safety log\nRecords of a school canteen's deliveries, tests, samples, staff, hygiene, "
            "meals and costs, with a hash-chained audit trail and electronic signatures."))

    def _last_page_key(self) -> str:
        """Each user comes back to their own last page (the doctor is not sent to the auditor's)."""
        return f"last_page/{self.session.user.username}"

    def _first_page(self) -> str:
        return "today" if "today" in self.nav_items else next(iter(self.nav_items))

    def _restore(self) -> None:
        settings = QSettings()
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        splitter = settings.value("splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        last = settings.value(self._last_page_key())
        self.show_page(last if last in self.nav_items else self._first_page())

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        settings = QSettings()
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("splitter", self.splitter.saveState())
        self.idle.stop()
        for task in (getattr(self, "close_push", None), getattr(getattr(self, "push_dialog", None), "task", None)):
            if task is not None:
                task.cancel()  # stops between steps; a push already sending finishes in its transaction
        super().closeEvent(event)
