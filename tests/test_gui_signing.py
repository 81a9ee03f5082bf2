"""A doctor signs a record from its page; it locks; an amendment shows it needs signing again."""

from __future__ import annotations

from conftest import local_now
from gui_support import desk, type_text  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from canteen.services import records


def fill_sign_dialog(qtbot, password: str):
    """Answer the modal signature dialog the way a doctor would: meaning, password, Enter."""
    def answer():
        dialog = QApplication.activeModalWidget()
        assert dialog.objectName() == "sign_dialog"
        dialog.meaning.setCurrentIndex(dialog.meaning.findData("reviewed"))
        dialog.password.setFocus()
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    QTimer.singleShot(0, answer)


def test_doctor_signs_then_an_amendment_needs_signing_again(qtbot, desk, sessions):
    from ui.main_window import MainWindow
    doctor = sessions["doctor"]
    inspection = records.create(doctor, "inspections", {"day": local_now().date(), "inspector": "李医生",
                                                    "checklist": {"environment": True}})
    win = MainWindow(doctor)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("records:inspections")
    assert page.select_record(inspection.id)
    assert page.signature_state.text() == "Not signed"
    assert page.sign_button.isVisible() and page.sign_button.isEnabled()
    fill_sign_dialog(qtbot, "demo")
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.signature_state.text() == "Signed — locked")
    assert page.signature_list.rowCount() == 1
    assert page.signature_list.item(0, 0).text() == "李医生"
    assert page.signature_list.item(0, 2).text() == "Reviewed"
    form = page.amend_record()
    assert "needs signing again" in form.banner.text()
    type_text(qtbot, form.editors["findings"].widget, "地面有积水")
    type_text(qtbot, form.reason, "补充发现问题")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert page.signature_state.text() == "Changed after signing — needs signing again"


def test_a_wrong_password_does_not_sign(qtbot, desk, sessions, monkeypatch):
    from ui.forms import dialogs
    from ui.main_window import MainWindow
    doctor = sessions["doctor"]
    inspection = records.create(doctor, "inspections", {"day": local_now().date(), "inspector": "李医生",
                                                    "checklist": {"water": True}})
    win = MainWindow(doctor)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("records:inspections")
    page.select_record(inspection.id)
    shown = []
    monkeypatch.setattr(dialogs.SignDialog, "ask", classmethod(lambda cls, p, s, m: ("inspected", "nope", True)))
    monkeypatch.setattr("ui.pages.records.show_error", lambda parent, exc: shown.append(exc))
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))
    assert "password" in shown[0].text("en").lower()
    assert page.signature_state.text() == "Not signed"
