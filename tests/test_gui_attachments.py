"""Dropping a scan onto a certificate's attachments panel shows its thumbnail and opens it full size."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from canteen.services import records
from gui_support import desk, window  # noqa: F401  (fixtures)


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
    page.select(cert.id)
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
