"""Scans and photos of a record: add by file dialog or by dropping files, see thumbnails, open full size."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QMimeDatabase, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from canteen.errors import CanteenError
from canteen.read import records as read_records
from canteen.services import attachments
from canteen.services.permissions import may_write

from .forms.dialogs import ReasonDialog, show_error

THUMB = 96
ID_ROLE, MIME_ROLE, VOIDED_ROLE = (Qt.ItemDataRole.UserRole + n for n in range(3))
KINDS_WITH_ATTACHMENTS = ("certificates", "health-certificates", "deliveries", "corrective-actions")


class AttachmentsPanel(QWidget):
    """The files kept with one record; whoever may change the record may add to them."""

    added = Signal(int)  # attachment id
    voided = Signal(int)  # attachment id

    def __init__(self, session, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.kind, self.record_id = session, kind, None
        self.record_standing = True
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
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.void_button = QPushButton(self.tr("Void file…"), self)
        self.void_button.setObjectName("attach_void")
        self.void_button.setAccessibleName(self.tr("Void the selected file"))
        self.void_button.setToolTip(self.tr("Withdraw a file attached by mistake; it stays readable among the voided."))
        self.void_button.clicked.connect(self.void_selected)
        self.show_voided = QCheckBox(self.tr("Show voided files"), self)
        self.show_voided.setObjectName("attach_show_voided")
        self.show_voided.setAccessibleName(self.tr("Show voided files"))
        self.show_voided.toggled.connect(lambda _on: self.show_record(self.record_id, self.record_standing))
        self.add_button = QPushButton(self.tr("Add file…"), self)
        self.add_button.setObjectName("attach_add")
        self.add_button.setAccessibleName(self.tr("Add file"))
        self.add_button.clicked.connect(self.choose_files)
        hint = QLabel(self.tr("Drop scans or photos here; double-click to open."), self)
        hint.setStyleSheet("color: #666;")
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.void_button)
        top.addWidget(hint, 1)
        top.addWidget(self.show_voided)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self.show_record(None)

    def may_change(self) -> bool:
        return self.record_id is not None and self.record_standing and may_write(self.session.role, self.kind)

    def show_record(self, record_id: int | None, standing: bool = True) -> None:
        """The files of one record; a voided record (`standing` False) shows them but takes no changes."""
        self.record_id = record_id
        self.record_standing = standing
        self.add_button.setEnabled(self.may_change())
        self.list.clear()
        if record_id is not None:
            try:
                rows = read_records.attachments(self.session, self.kind, record_id,
                                                include_voided=self.show_voided.isChecked())
            except CanteenError:  # not a record of this canteen: nothing of it to show
                rows = []
            for row in rows:
                self.list.addItem(self._item(row))
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        self.void_button.setEnabled(self.may_change() and item is not None and not item.data(VOIDED_ROLE))

    def _item(self, row) -> QListWidgetItem:
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        if row.mime.startswith("image/"):
            pixmap = QPixmap()
            if pixmap.loadFromData(read_records.attachment_bytes(self.session, row.id)):
                icon = QIcon(pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
        item = QListWidgetItem(icon, row.filename)
        item.setData(ID_ROLE, row.id)
        item.setData(MIME_ROLE, row.mime)
        item.setData(VOIDED_ROLE, bool(row.voided))
        tip = f"{row.filename}\n{row.size:,} B\nSHA-256 {row.sha256[:16]}…"
        if row.voided:
            item.setText(self.tr("{0} (voided)").format(row.filename))
            item.setForeground(QColor("#6b6b6b"))
            tip += "\n" + self.tr("Voided: kept for the record, no longer counts as the record's file.")
        item.setToolTip(tip)
        return item

    def void_selected(self) -> bool:
        """Withdraw the selected file after asking why; the bytes and the trail stay."""
        item = self.list.currentItem()
        if item is None or not self.void_button.isEnabled():
            return False
        name = item.text()
        reason, ok = ReasonDialog.ask(self, self.tr("Void file"),
                                      self.tr("Why is {0} void? It stays readable among the voided files.").format(name))
        if not ok:
            return False
        attachment_id = int(item.data(ID_ROLE))
        try:
            attachments.void_attachment(self.session, attachment_id, reason)
        except Exception as exc:  # a core refusal, shown in words
            show_error(self, exc)
            return False
        self.show_record(self.record_id, self.record_standing)
        self.voided.emit(attachment_id)
        return True

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
                added_id = attachments.add_attachment(self.session, self.kind, self.record_id, Path(path).name,
                                                      data, mime).id
                row = read_records.attachment_info(self.session, added_id)
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
        attachment_id = item.data(ID_ROLE)
        try:
            data = read_records.attachment_bytes(self.session, attachment_id)
            filename = read_records.attachment_name(self.session, attachment_id)
        except Exception as exc:
            show_error(self, exc)
            return
        if str(item.data(MIME_ROLE)).startswith("image/"):
            ImageViewer(item.text(), data, self).open()
            return
        target = Path(tempfile.mkdtemp(prefix="canteen-")) / filename
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
