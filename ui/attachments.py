"""Scans and photos of a record: add by file dialog or by dropping files, see thumbnails, open full size."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QMimeDatabase, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QScrollArea, QStyle, QVBoxLayout, QWidget)

from canteen.services import attachments
from canteen.services.permissions import may_write

from .forms.dialogs import show_error

THUMB = 96
KINDS_WITH_ATTACHMENTS = ("certificates", "health-certificates", "deliveries")


class AttachmentsPanel(QWidget):
    """The files kept with one record; whoever may change the record may add to them."""

    added = Signal(int)  # attachment id

    def __init__(self, session, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.kind, self.record_id = session, kind, None
        self.setObjectName("attachments_panel")
        self.setAccessibleName(self.tr("Attachments"))
        self.setAcceptDrops(True)
        self.list = QListWidget(self)
        self.list.setObjectName("attachments_list")
        self.list.setAccessibleName(self.tr("Attached files"))
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self.open_item)
        self.add_button = QPushButton(self.tr("Add file…"), self)
        self.add_button.setObjectName("attach_add")
        self.add_button.setAccessibleName(self.tr("Add file"))
        self.add_button.clicked.connect(self.choose_files)
        hint = QLabel(self.tr("Drop scans or photos here; double-click to open."), self)
        hint.setStyleSheet("color: #666;")
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self.show_record(None)

    def show_record(self, record_id: int | None) -> None:
        self.record_id = record_id
        self.add_button.setEnabled(record_id is not None and may_write(self.session.role, self.kind))
        self.list.clear()
        if record_id is None:
            return
        for row in attachments.attachments_of(self.kind, record_id):
            self.list.addItem(self._item(row))

    def _item(self, row) -> QListWidgetItem:
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        if row.mime.startswith("image/"):
            pixmap = QPixmap()
            if pixmap.loadFromData(attachments.data_of(row.id)):
                icon = QIcon(pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
        item = QListWidgetItem(icon, row.filename)
        item.setData(Qt.ItemDataRole.UserRole, row.id)
        item.setData(Qt.ItemDataRole.UserRole + 1, row.mime)
        item.setToolTip(f"{row.filename}\n{row.size:,} B\nSHA-256 {row.sha256[:16]}…")
        return item

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach scans or photos"), "",
                                                self.tr("Images and PDF (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pdf)"))
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> int:
        """Attach each file; a refused one is explained and the others still go in."""
        if self.record_id is None:
            return 0
        mimes, added = QMimeDatabase(), 0
        for path in paths:
            try:
                data = Path(path).read_bytes()
                mime = mimes.mimeTypeForFile(str(path)).name()
                row = attachments.add_attachment(self.session, self.kind, self.record_id, Path(path).name, data, mime)
            except OSError as exc:
                show_error(self, exc)
            except Exception as exc:  # a core refusal, shown in words
                show_error(self, exc)
            else:
                added += 1
                self.list.addItem(self._item(row))
                self.added.emit(row.id)
        return added

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if self.add_button.isEnabled() and event.mimeData().hasUrls():
            event.acceptProposedAction()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    def open_item(self, item: QListWidgetItem) -> None:
        """Images open in a viewer at full size; anything else in the system's program."""
        attachment_id = item.data(Qt.ItemDataRole.UserRole)
        try:
            data = attachments.data_of(attachment_id)
        except Exception as exc:
            show_error(self, exc)
            return
        if str(item.data(Qt.ItemDataRole.UserRole + 1)).startswith("image/"):
            ImageViewer(item.text(), data, self).open()
            return
        target = Path(tempfile.mkdtemp(prefix="canteen-")) / item.text()
        target.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))


class ImageViewer(QDialog):
    """One attached image at full size, scrollable."""

    def __init__(self, title: str, data: bytes, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attachment_viewer")
        self.setAccessibleName(self.tr("Attachment viewer"))
        self.setWindowTitle(title)
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        self.image = QLabel(self)
        self.image.setObjectName("attachment_image")
        self.image.setPixmap(pixmap)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        self.resize(min(pixmap.width() + 40, 1200), min(pixmap.height() + 40, 860))
