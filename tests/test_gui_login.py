"""Signing in, the window showing who is signed in, roles deciding what is enabled, the idle lock."""

from __future__ import annotations

import pytest
from conditions import needs_postgres
from gui_support import desk, type_text, window  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt

from canteen.models import AuditEntry


def test_log_in_with_user_name_and_password(qtbot, desk, site):
    from ui.login import LoginDialog
    dialog = LoginDialog("城关中学食堂")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.username, "doctor")
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.message.text() == "Checking…" and not dialog.sign_in.isEnabled()
    qtbot.waitUntil(lambda: "Wrong user name or password" in dialog.message.text())
    assert dialog.session is None and dialog.sign_in.isEnabled()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "demo")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session.user.username == "doctor"
    assert AuditEntry.select().where(AuditEntry.action == "login").count() == 1


def test_window_shows_the_user_and_role_and_the_role_decides_buttons(qtbot, desk, sessions):
    from ui.main_window import MainWindow
    for role, can_add in (("manager", True), ("auditor", False), ("admin", False)):
        win = MainWindow(sessions[role])
        qtbot.addWidget(win)
        user = sessions[role].user
        assert user.display_name in win.user_label.text()
        assert user.role_label("en") in win.user_label.text()
        page = win.show_page("records:deliveries")
        assert page.add_button.isEnabled() is can_add
        inspections = win.show_page("records:inspections")
        assert inspections.add_button.isEnabled() is False  # the administrator does not inspect
        win.close()
    assert "admin" in MainWindow(sessions["admin"]).nav_items


def test_every_page_of_the_table_is_a_page_with_the_shell_signals():
    from ui.main_window import PAGES, page_type
    from ui.pages._common import Page
    for key in PAGES:
        assert issubclass(page_type(key), Page), key


def test_idle_lock_keeps_unsaved_input(qtbot, window, manager):
    page = window.show_page("records:suppliers")
    form = page.add_record()
    type_text(qtbot, form.editors["name"].widget, "新供货商")
    window.idle.minutes = 0
    window.idle.check()
    dialog = window.lock_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not form.isVisible() and not window.centralWidget().isVisible()  # nothing readable while locked
    qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # Esc does not unlock
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, "nope")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    # The password is checked on a worker thread: the dialog says so and stays responsive.
    assert dialog.message.text() == "Checking…" and not dialog.unlock.isEnabled()
    qtbot.waitUntil(lambda: "Wrong" in dialog.message.text())
    assert dialog.isVisible() and dialog.password.isEnabled() and dialog.password.text() == ""
    assert AuditEntry.select().where(AuditEntry.action == "unlock-failed").count() == 1
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not window.locked
    assert form.isVisible() and form.editors["name"].widget.text() == "新供货商"


def test_first_start_creates_a_canteen(qtbot, desk, tmp_path):
    from canteen.models import Site, User
    from ui.app import FirstStartDialog
    url = str(tmp_path / "new.db")
    dialog = FirstStartDialog(url)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.site_name, "城南小学食堂")
    dialog.admin_password.setFocus()
    qtbot.keyClicks(dialog.admin_password, "s3cret")
    qtbot.keyClicks(dialog.admin_again, "s3cret")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert Site.get().name == "城南小学食堂"
    assert User.get().username == "admin"


def test_first_start_builds_the_demo_with_progress_and_can_cancel(qtbot, desk, tmp_path):
    from pathlib import Path

    from ui.app import FirstStartDialog
    url = str(tmp_path / "demo.db")
    dialog = FirstStartDialog(url)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.demo_choice, Qt.MouseButton.LeftButton)
    dialog.demo_days.setValue(30)
    with qtbot.waitSignal(dialog.progress.valueChanged, timeout=30000):
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert not dialog.go.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
    assert dialog.message.text() == "The demo was not built."
    assert not Path(url).exists() and dialog.go.isEnabled()
    dialog.demo_days.setValue(2)
    with qtbot.waitSignal(dialog.accepted, timeout=60000):
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert dialog.username == "manager" and Path(url).exists()


def test_canteen_without_a_command_signs_in_and_opens_the_desk(qtbot, desk, site, db_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import run
    seen = {}

    def sign_in():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "login_dialog":
            QTimer.singleShot(20, sign_in)
            return
        dialog.username.setText("manager")
        dialog.password.setText("demo")
        dialog.sign_in.click()
        QTimer.singleShot(20, close_window)

    def close_window():
        window = next((w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible()),
                      None)
        if window is None:
            QTimer.singleShot(20, close_window)
            return
        seen["user"] = window.user_label.text()
        window.close()
        QApplication.instance().quit()

    QApplication.setQuitOnLastWindowClosed(False)  # one quit, consumed by run()'s event loop
    QTimer.singleShot(0, sign_in)
    try:
        assert run(str(db_path)) == 0
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    assert "王芳" in seen["user"]


def _when_modal(name: str, then) -> None:
    """Call `then(dialog)` once the modal dialog named `name` is up (polled from the event loop)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    dialog = QApplication.activeModalWidget()
    if dialog is None or dialog.objectName() != name:
        QTimer.singleShot(10, lambda: _when_modal(name, then))
        return
    then(dialog)


def _close_the_desk(seen: dict) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    window = next((w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible()), None)
    if window is None:
        QTimer.singleShot(10, lambda: _close_the_desk(seen))
        return
    seen["user"] = window.user_label.text()
    window.close()
    QApplication.instance().quit()


def test_a_password_entered_before_the_database_is_open_is_checked_once_it_is(qtbot, desk, site):
    from ui.login import LoginDialog
    dialog = LoginDialog("", None, "manager", ready=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # a second Enter while waiting changes nothing
    assert dialog.message.text() == "Checking…" and dialog.checking is None and not dialog.sign_in.isEnabled()
    assert AuditEntry.select().where(AuditEntry.action == "login").count() == 0
    with qtbot.waitSignal(dialog.accepted):
        dialog.prepared("城关中学食堂")
    assert dialog.heading.text() == "城关中学食堂" and dialog.session.user.username == "manager"
    assert AuditEntry.select().where(AuditEntry.action == "login").count() == 1


@pytest.mark.both_databases
def test_a_database_opened_before_shows_the_sign_in_while_it_opens(qtbot, desk, site, database):
    """The sign-in window comes before the database is open; a password typed at once waits for it."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.app import OPENED_KEY, run
    url = database.canteen_place
    QSettings().setValue(OPENED_KEY, url)
    seen = {}

    def sign_in(dialog):
        dialog.username.setText("manager")
        dialog.password.setText("demo")
        dialog.sign_in.click()
        qtbot.waitUntil(lambda: dialog.heading.text() == "城关中学食堂")
        _close_the_desk(seen)

    QApplication.setQuitOnLastWindowClosed(False)
    _when_modal("login_dialog", sign_in)
    try:
        assert run(url) == 0
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    assert "王芳" in seen["user"]
    assert AuditEntry.select().where(AuditEntry.action == "login").count() == 1
    assert QSettings().value(OPENED_KEY) == url and QSettings().value("last_user") == "manager"


@pytest.mark.both_databases
def test_a_database_named_for_the_first_time_shows_the_sign_in_while_it_opens(qtbot, desk, site, database,
                                                                               monkeypatch):
    """A server's database, or a file that begins as SQLite's do, is signed in to while it opens,
    even when the desk has not opened it before: nothing of the core is needed to decide."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import ui.app
    from ui.app import OPENED_KEY, run
    url = database.canteen_place
    assert QSettings().value(OPENED_KEY) is None
    ways = []
    for way in ("sign_in_while_opening", "open_then_sign_in"):
        original = getattr(ui.app, way)
        monkeypatch.setattr(ui.app, way, lambda db_url, way=way, original=original: (ways.append(way), original(db_url))[1])
    seen = {}

    def sign_in(dialog):
        dialog.username.setText("manager")
        dialog.password.setText("demo")
        dialog.sign_in.click()
        _close_the_desk(seen)

    QApplication.setQuitOnLastWindowClosed(False)
    _when_modal("login_dialog", sign_in)
    try:
        assert run(url) == 0
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    assert ways == ["sign_in_while_opening"] and "王芳" in seen["user"]
    assert QSettings().value(OPENED_KEY) == url


@needs_postgres
def test_an_empty_server_database_named_for_the_first_time_gets_the_first_start_dialog(qtbot, desk, server_database,
                                                                                        monkeypatch):
    """The sign-in window comes at once for a server's database; opened behind it, an empty one
    gives way to the first-start dialog."""
    from PySide6.QtWidgets import QApplication

    import ui.app
    from ui.app import run
    seen = []
    for way in ("sign_in_while_opening", "open_then_sign_in"):
        original = getattr(ui.app, way)
        monkeypatch.setattr(ui.app, way, lambda db_url, way=way, original=original: (seen.append(way), original(db_url))[1])
    _when_modal("first_start_dialog", lambda dialog: (seen.append(dialog.objectName()), dialog.reject()))
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        assert run(server_database) == 0
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    assert seen == ["sign_in_while_opening", "open_then_sign_in", "first_start_dialog"]


def test_whether_a_database_seems_a_canteen_is_told_without_opening_it(tmp_path):
    from ui.app import seems_a_canteen
    assert seems_a_canteen("postgresql://somewhere/canteen")
    assert not seems_a_canteen(str(tmp_path / "none.db")) and not seems_a_canteen(None)
    (tmp_path / "empty.db").write_bytes(b"")
    (tmp_path / "notes.db").write_text("not a database")
    (tmp_path / "some.db").write_bytes(b"SQLite format 3\x00" + bytes(100))
    assert not seems_a_canteen(str(tmp_path / "empty.db")) and not seems_a_canteen(str(tmp_path / "notes.db"))
    assert seems_a_canteen(str(tmp_path / "some.db")) and seems_a_canteen(f"sqlite:///{tmp_path / 'some.db'}")


def test_a_database_gone_since_last_time_gets_the_first_start_dialog(qtbot, desk, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.app import OPENED_KEY, run
    url = str(tmp_path / "gone.db")
    QSettings().setValue(OPENED_KEY, url)
    seen = []
    _when_modal("login_dialog", lambda dialog: seen.append(dialog.objectName()))
    _when_modal("first_start_dialog", lambda dialog: (seen.append(dialog.objectName()), dialog.reject()))
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        assert run(url) == 0
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
    assert seen[-1] == "first_start_dialog"

