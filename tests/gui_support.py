"""Shared pieces of the GUI tests: an isolated QSettings, the English desk, and typing helpers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from records_support import licensed_supplier


@pytest.fixture
def desk(qapp, tmp_path, monkeypatch):
    """The application as `canteen` starts it, with settings and caches kept in the test's own folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from ui import i18n
    from ui.app import make_application
    app = make_application()
    QSettings().clear()
    i18n.install("en")
    yield app
    i18n.install("en")


@pytest.fixture
def window(desk, qtbot, sessions):
    """The main window signed in as the canteen administrator."""
    from ui.main_window import MainWindow
    win = MainWindow(sessions["manager"])
    qtbot.addWidget(win)
    win.show()
    return win


def certified_supplier(session, name: str = "城关蔬菜批发部") -> int:
    """A distributor with a valid operation licence (test set-up through the services)."""
    return licensed_supplier(session, name).id


def type_text(qtbot, widget, text: str) -> None:
    """Type as a user would: ASCII as key presses, Chinese as an input method commits it."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication
    run = ""
    for char in text + "\0":
        if char.isascii() and char != "\0":
            run += char
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        if char != "\0":
            target = widget.focusProxy() or widget
            if hasattr(target, "lineEdit") and target.lineEdit() is not None:
                target = target.lineEdit()
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(target, event)


def type_into(qtbot, widget, text: str) -> None:
    """Give a widget keyboard focus and type, as a user would."""
    widget.setFocus()
    type_text(qtbot, widget, text)


def press(qtbot, widget, key=Qt.Key.Key_Return) -> None:
    qtbot.keyClick(widget, key)
