"""Dropping a scan onto a certificate's attachments panel shows its thumbnail and opens it full size."""

from __future__ import annotations

from gui_support import desk, window  # noqa: F401  (fixtures)
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from canteen.services import records


def test_drop_a_scan_and_open_it(qtbot, window, manager, tmp_path):
    supplier = records.create(manager, "suppliers", {"name": "城关粮油店", "kind": "distributor", "address": "城关镇"})
    cert = records.create(manager, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                                    "number": "JY3"})
    scan = tmp_path / "licence.png"
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    image.save(str(scan))
    page = window.show_page("records:certificates")
    page.refresh()
    page.select_record(cert.id)
    panel = page.attachments
    page.details.setCurrentWidget(panel)
    assert panel.add_button.isEnabled()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan))])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, drop)
    assert panel.list.count() == 1
    item = panel.list.item(0)
    assert item.text() == "licence.png" and not item.icon().isNull()
    assert page.history.rowCount() == 2  # created, file attached
    panel.list.itemActivated.emit(item)
    viewer = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "attachment_viewer")
    assert viewer.image.pixmap().width() == 300


def _certificate_with_scan(manager, tmp_path):
    from canteen.services import attachments
    supplier = records.create(manager, "suppliers", {"name": "城关粮油店", "kind": "distributor", "address": "城关镇"})
    cert = records.create(manager, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                                    "number": "JY4"})
    image = QImage(60, 40, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkRed)
    path = tmp_path / "wrong-licence.png"
    image.save(str(path))
    row = attachments.add_attachment(manager, "certificates", cert.id, path.name, path.read_bytes(), "image/png")
    return cert, row


def test_void_attachment_is_audited_keeps_the_bytes_and_follows_write_permission(sessions, manager, tmp_path):
    import pytest

    from canteen.errors import PermissionDenied, ValidationError
    from canteen.models import Attachment, AuditEntry
    from canteen.services import attachments
    cert, row = _certificate_with_scan(manager, tmp_path)
    with pytest.raises(PermissionDenied):
        attachments.void_attachment(sessions["auditor"], row.id, "wrong file")
    with pytest.raises(ValidationError):
        attachments.void_attachment(manager, row.id, "  ")
    attachments.void_attachment(manager, row.id, "scan of another supplier's licence")
    assert attachments.attachments_of("certificates", cert.id) == []
    kept = attachments.attachments_of("certificates", cert.id, include_voided=True)
    assert [a.id for a in kept] == [row.id] and kept[0].voided
    assert attachments.data_of(row.id)  # nothing deleted
    entry = AuditEntry.select().where(AuditEntry.action == "attach-void").get()
    assert entry.reason == "scan of another supplier's licence" and entry.record_id == cert.id
    with pytest.raises(ValidationError):
        attachments.void_attachment(manager, row.id, "again")
    assert Attachment.select().count() == 1


def test_void_a_file_from_the_panel_and_show_it_among_the_voided(qtbot, window, manager, tmp_path, monkeypatch):
    from ui.forms.dialogs import ReasonDialog
    cert, row = _certificate_with_scan(manager, tmp_path)
    page = window.show_page("records:certificates")
    page.refresh()
    page.select_record(cert.id)
    panel = page.attachments
    page.details.setCurrentWidget(panel)
    assert panel.list.count() == 1 and not panel.void_button.isEnabled()  # nothing selected yet
    panel.list.setCurrentRow(0)
    assert panel.void_button.isEnabled()
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, parent, title, prompt: ("wrong supplier", True)))
    with qtbot.waitSignal(panel.voided):
        qtbot.mouseClick(panel.void_button, Qt.MouseButton.LeftButton)
    assert panel.list.count() == 0
    assert page.history.item(page.history.rowCount() - 1, 2).text() == "Attachment voided (v1)"
    panel.show_voided.setChecked(True)
    assert panel.list.count() == 1
    assert panel.list.item(0).text() == "wrong-licence.png (voided)"
    panel.list.setCurrentRow(0)
    assert not panel.void_button.isEnabled()  # already voided


def test_auditor_cannot_add_or_void_files(qtbot, desk, sessions, manager, tmp_path):
    from ui.main_window import MainWindow
    cert, _row = _certificate_with_scan(manager, tmp_path)
    win = MainWindow(sessions["auditor"])
    qtbot.addWidget(win)
    page = win.show_page("records:certificates")
    page.select_record(cert.id)
    page.attachments.list.setCurrentRow(0)
    assert page.attachments.list.count() == 1
    assert not page.attachments.add_button.isEnabled() and not page.attachments.void_button.isEnabled()


def test_a_voided_record_shows_its_files_but_takes_no_new_ones(qtbot, window, manager, tmp_path):
    cert, _row = _certificate_with_scan(manager, tmp_path)
    records.void(manager, "certificates", cert.id, "wrong supplier")
    page = window.show_page("records:certificates")
    page.refresh()
    page.select_record(cert.id)
    panel = page.attachments
    panel.list.setCurrentRow(0)
    assert panel.list.count() == 1
    assert not panel.add_button.isEnabled() and not panel.void_button.isEnabled()
