"""At start the desk verifies the records in the background: briefly when clean, loudly when not."""

from __future__ import annotations

from gui_support import desk, window  # noqa: F401  (fixtures)
from PySide6.QtWidgets import QLabel, QMessageBox

from canteen import db
from canteen.services import records


def checked(window, qtbot):
    window.check_integrity()
    qtbot.waitUntil(lambda: getattr(window, "integrity_report", None) is not None, timeout=10000)
    return window.integrity_report


def test_a_clean_database_is_reported_briefly_in_the_status_bar(window, qtbot):
    shown = []
    window.statusBar().messageChanged.connect(shown.append)
    assert checked(window, qtbot).ok
    assert any("No tampering found" in message for message in shown), shown
    assert window.findChild(QLabel, "integrity_warning") is None


def test_a_value_changed_outside_the_program_is_shown_and_named(window, qtbot, sessions):
    supplier = records.create(sessions["manager"], "suppliers", {"name": "惠民粮油", "kind": "distributor", "address": "城关镇"})
    db.current().execute_sql("UPDATE supplier SET address = '别处' WHERE id = ?", (supplier.id,))
    assert not checked(window, qtbot).ok
    assert window.findChild(QLabel, "integrity_warning").isVisible()
    dialog = window.findChild(QMessageBox, "integrity_dialog")
    assert dialog.isVisible() and f"record {supplier.id}" in dialog.text() and "address" in dialog.text()
