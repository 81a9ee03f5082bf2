"""Start of the desk: the application object, the language, the first start, sign-in, the window.

`canteen` with no sub-command calls `run()`. A first start with no database offers a new
canteen (name and first administrator) or the demo, which is built on a worker thread with
progress and cancel; then the user signs in and the main window opens.

The sign-in window comes first and fast: this module and `ui/login.py` import only Qt at the
top. When the desk opened the same database last time, or the database named is a server's or a
file that begins as SQLite's do (told from its URL and first bytes, without the core), the
sign-in window is shown at once and the rest of the start — importing the core and the pages
(peewee and the server's driver among them), connecting, the damage check and schema upgrade
before anything is written, reading the canteen's name — runs on a thread of its own while the
user types (`Preparation`); should the preparation find no canteen there, the first-start dialog
follows. Otherwise (a first start, a file not there yet) the database is looked at first, as the
choice between the first-start dialog and the sign-in depends on it.
"""

from __future__ import annotations

import importlib
import sys
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from canteen import places
from canteen.errors import Cancelled, CanteenError, DamagedDatabase, StorageError

from . import i18n

ORGANISATION, APPLICATION = "canteen-log", "Canteen food-safety log"
DEMO_DAYS = 100
OPENED_KEY = "opened_database"  # the --db argument ("" for the default) of the last database signed in to
# What the desk needs once signed in, imported while the user types.
DESK_MODULES = ("canteen.services.users", "canteen.integrity.daily_close", "ui.forms.dialogs", "ui.workers",
                "ui.main_window", "ui.pages.today", "ui.export_dialog")
PREPARATION_FAILED = 2  # the sign-in dialog's result when the database could not be opened


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings has a home, with the chosen language installed."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    i18n.install()
    return app


def database_exists(url: str) -> bool:
    """Whether there is something to open (an empty server database gets the first-start dialog)."""
    from canteen.services import storage
    try:
        return storage.exists(url)
    except CanteenError:
        return True  # an unreachable server: opening it explains the problem in one line


class FirstStartDialog(QDialog):
    """No database yet: make a new canteen, or open the demo to look around."""

    def __init__(self, url: str, parent: QWidget | None = None):
        super().__init__(parent)
        from canteen.services import storage
        self.url, self.task, self.username = url, None, ""
        self.setObjectName("first_start_dialog")
        self.setAccessibleName(self.tr("First start"))
        self.setWindowTitle(self.tr("Welcome — Canteen food-safety log"))
        intro = QLabel(self.tr("There is no canteen database yet at:\n{0}").format(storage.display(url)), self)
        intro.setWordWrap(True)
        self.new_choice = QRadioButton(self.tr("Create a new canteen"), self)
        self.new_choice.setObjectName("choice_new")
        self.new_choice.setAccessibleName(self.tr("Create a new canteen"))
        self.demo_choice = QRadioButton(self.tr("Open the demo (a school term of sample records)"), self)
        self.demo_choice.setObjectName("choice_demo")
        self.demo_choice.setAccessibleName(self.tr("Open the demo"))
        self.new_choice.setChecked(True)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._new_page())
        self.pages.addWidget(self._demo_page())
        self.new_choice.toggled.connect(lambda on: self.pages.setCurrentIndex(0 if on else 1))
        self.message = QLabel("", self)
        self.message.setObjectName("first_start_message")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.go = self.buttons.addButton(self.tr("Start"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("first_start_go")
        self.go.setDefault(True)
        self.quit = self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, self.new_choice, self.demo_choice, self.pages, self.message, self.buttons):
            layout.addWidget(w)
        self.setMinimumWidth(520)

    def _new_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.site_name = self._line(page, "new_site_name", self.tr("Canteen name"))
        self.admin_name = self._line(page, "new_admin_user", self.tr("Administrator's user name"))
        self.admin_name.setText("admin")
        self.admin_password = self._line(page, "new_admin_password", self.tr("Administrator's password"))
        self.admin_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_again = self._line(page, "new_admin_password_again", self.tr("Password again"))
        self.admin_again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Canteen name"), self.site_name)
        form.addRow(self.tr("Administrator's user name"), self.admin_name)
        form.addRow(self.tr("Administrator's password"), self.admin_password)
        form.addRow(self.tr("Password again"), self.admin_again)
        note = QLabel(self.tr("The administrator adds the other users (manager, doctor, director…) after signing in."), page)
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _demo_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.demo_days = QSpinBox(page)
        self.demo_days.setObjectName("demo_days")
        self.demo_days.setAccessibleName(self.tr("School days of demo data"))
        self.demo_days.setRange(1, 400)
        self.demo_days.setValue(DEMO_DAYS)
        self.progress = QProgressBar(page)
        self.progress.setObjectName("demo_progress")
        self.progress.setAccessibleName(self.tr("Demo progress"))
        self.progress.setValue(0)
        self.cancel_button = QPushButton(self.tr("Cancel building"), page)
        self.cancel_button.setObjectName("demo_cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_demo)
        form.addRow(self.tr("School days"), self.demo_days)
        form.addRow(self.progress)
        form.addRow(self.cancel_button)
        form.addRow(QLabel(self.tr("Demo users: admin, manager, doctor, director, leader, auditor — password “demo”."), page))
        return page

    @staticmethod
    def _line(parent: QWidget, name: str, accessible: str) -> QLineEdit:
        line = QLineEdit(parent)
        line.setObjectName(name)
        line.setAccessibleName(accessible)
        return line

    def accept(self) -> None:
        self.message.setText("")
        if self.new_choice.isChecked():
            self._create_site()
        else:
            self._build_demo()

    def reject(self) -> None:
        if self.task is not None:
            self.cancel_demo()
            return
        super().reject()

    def _create_site(self) -> None:
        from canteen.services import storage, users

        from .forms.dialogs import explain
        if self.admin_password.text() != self.admin_again.text():
            self.message.setText(self.tr("The two passwords differ."))
            return
        try:
            storage.open_canteen(self.url, create=True)
            users.create_site(self.site_name.text(), self.admin_name.text().strip(), self.admin_password.text())
        except CanteenError as exc:
            self.message.setText(explain(exc))
            if not storage.has_site():
                storage.remove_partial(self.url)
            return
        self.username = self.admin_name.text().strip()
        super().accept()

    def _build_demo(self) -> None:
        from canteen.demo import build_demo

        from .workers import run_task
        for w in (self.go, self.new_choice, self.demo_choice, self.demo_days):
            w.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, self.demo_days.value())
        self.task = run_task(build_demo, self.url, days=self.demo_days.value(),
                             on_done=self._demo_done, on_error=self._demo_failed, on_progress=self._demo_progress)

    def _demo_progress(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, total or 0)
        self.progress.setValue(done)

    def cancel_demo(self) -> None:
        if self.task is not None:
            self.cancel_button.setEnabled(False)
            self.message.setText(self.tr("Stopping…"))
            self.task.cancel()

    def _demo_done(self, _info) -> None:
        self.task = None
        self.username = "manager"
        super().accept()

    def _demo_failed(self, exc: BaseException) -> None:
        from canteen.services import storage

        from .forms.dialogs import explain
        self.task = None
        storage.remove_partial(self.url)
        for w in (self.go, self.new_choice, self.demo_choice, self.demo_days):
            w.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setValue(0)
        self.message.setText(self.tr("The demo was not built.") if isinstance(exc, Cancelled) else explain(exc))


def open_or_explain(url: str) -> bool:
    """Open the database; a damaged one is refused before anything is written to it, with the
    offer to restore the latest backup (after which it is opened again)."""
    from canteen.services import storage
    try:
        storage.open_canteen(url)
    except DamagedDatabase as exc:
        from .restore import offer_restore
        return offer_restore(exc) and open_or_explain(url)
    except StorageError as exc:
        QMessageBox.critical(None, APPLICATION, exc.text(i18n.language()))
        return False
    return True


class NoDatabaseYet(Exception):
    """The database the desk opened last time is gone: the start goes the first-start way."""


@dataclass
class Start:
    """Where the start got to: the signed-in session and its database, or the exit code."""

    session: object = None
    url: str = ""
    code: int = 0


class Preparation(QObject):
    """The rest of the start, on a thread of its own while the sign-in window waits for the user.

    Imports the core and the desk's first page (nothing there makes a widget at import), opens
    the database — its damage check runs before anything is written — and reads the canteen's
    name; `done` carries (url, canteen name), `failed` the exception. The thread is not a daemon:
    quitting at once still lets a schema upgrade in progress finish.
    """

    done = Signal(str, str)
    failed = Signal(object)

    def __init__(self, db_url: str | None):
        super().__init__()
        self.db_url = db_url
        self.thread = threading.Thread(target=self._run, name="canteen-start", daemon=False)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            url, name = prepare(self.db_url)
        except BaseException as exc:  # handed to the GUI thread, which explains it
            self.failed.emit(exc)
        else:
            self.done.emit(url, name)


def prepare(db_url: str | None) -> tuple[str, str]:
    """Load the desk and open its database on the calling (preparation) thread; (url, canteen name)."""
    from canteen.services import storage
    url = db_url or storage.default_url()
    try:
        try:
            storage.open_canteen(url)
        except DamagedDatabase:
            raise
        except StorageError:  # asked only now: on a server, whether it is empty is a connection of its own
            if not storage.exists(url):
                raise NoDatabaseYet(url) from None
            raise
        name = storage.first_site_name()
    finally:
        storage.close_thread_connection()
    for module in DESK_MODULES:
        importlib.import_module(module)
    return url, name


def seems_a_canteen(db_url: str | None) -> bool:
    """Whether the database named on the command line may be signed in to while it opens, told
    without loading the core: a server's (made by its administrator), or a file that begins as
    SQLite's do. Opening it behind the sign-in window says the rest (not a canteen's, damaged, or
    an empty server database, which gets the first-start dialog then)."""
    if not db_url:
        return False
    return places.is_postgres(db_url) or places.begins_as_sqlite(db_url)


def last_user(username: str = "") -> str:
    return username or QSettings().value("last_user", "") or ""


def sign_in(site_name: str = "", username: str = ""):
    """The login dialog; the session, or None when the user quits."""
    from .login import LoginDialog
    dialog = LoginDialog(site_name, None, last_user(username))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.session


def sign_in_while_opening(db_url: str | None) -> Start:
    """The sign-in window at once; the database is opened behind it while the user types."""
    from .login import LoginDialog
    dialog = LoginDialog("", None, last_user(), ready=False)
    opened, failure = Start(), []
    preparation = Preparation(db_url)

    def prepared(url: str, site_name: str) -> None:
        opened.url = url
        dialog.prepared(site_name)

    def failed(exc: BaseException) -> None:
        failure.append(exc)
        dialog.done(PREPARATION_FAILED)
    preparation.done.connect(prepared)
    preparation.failed.connect(failed)
    dialog.painted.connect(preparation.start)  # not sooner: its imports would hold up the first paint
    result = dialog.exec()
    if result == QDialog.DialogCode.Accepted:
        return Start(dialog.session, opened.url)
    if failure:
        return after_failed_open(failure[0], db_url)
    return Start()


def after_failed_open(exc: BaseException, db_url: str | None) -> Start:
    """The database behind the sign-in window could not be opened: say why, or take the first-start
    way (it is gone), or offer the latest backup (it is damaged) and sign in after the restore."""
    from canteen.services import storage
    url = db_url or storage.default_url()
    if isinstance(exc, NoDatabaseYet):
        return open_then_sign_in(db_url)
    if isinstance(exc, DamagedDatabase):
        from .restore import offer_restore
        if not (offer_restore(exc) and open_or_explain(url)):
            return Start(code=2)
        session = sign_in(storage.first_site_name())
        return Start(session, url) if session is not None else Start()
    if isinstance(exc, StorageError):
        QMessageBox.critical(None, APPLICATION, exc.text(i18n.language()))
    else:
        show_unexpected(type(exc), exc, exc.__traceback__)
    return Start(code=2)


def open_then_sign_in(db_url: str | None) -> Start:
    """A database the desk has not opened before: look first (first start or sign-in), then sign in."""
    from canteen.services import storage
    url = db_url or storage.default_url()
    default_user = ""
    if not database_exists(url):
        storage.prepare_folder(url)
        first = FirstStartDialog(url)
        if first.exec() != QDialog.DialogCode.Accepted:
            return Start()
        default_user = first.username
    if not open_or_explain(url):
        return Start(code=2)
    session = sign_in(storage.first_site_name(), default_user)
    return Start(session, url) if session is not None else Start()


def show_unexpected(kind, exc, tb) -> None:
    """Last resort for an error no page caught: a readable dialog; the details go to stderr only."""
    import traceback
    traceback.print_exception(kind, exc, tb, file=sys.stderr)
    if isinstance(exc, KeyboardInterrupt):
        QApplication.instance().quit()
        return
    from .forms.dialogs import explain
    QMessageBox.warning(QApplication.activeWindow(), APPLICATION, explain(exc))


def run(db_url: str | None) -> int:
    """The desk from start to exit; returns the process exit code."""
    app = make_application()
    sys.excepthook = show_unexpected
    if QSettings().value(OPENED_KEY) == (db_url or "") or seems_a_canteen(db_url):
        start = sign_in_while_opening(db_url)
    else:
        start = open_then_sign_in(db_url)
    if start.session is None:
        return start.code
    settings = QSettings()
    settings.setValue("last_user", start.session.user.username)
    settings.setValue(OPENED_KEY, db_url or "")
    from canteen.services import storage

    from .main_window import MainWindow
    window = MainWindow(start.session, start.url)
    window.show()
    window.check_integrity_when_shown()
    code = app.exec()
    storage.close()
    return code
