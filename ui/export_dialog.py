"""The desk's export dialog, for the inspection archive, the daily sheet, sample labels and the
monthly disclosure.

One dialog serves them all: where to write, (for the archive) which period, a progress bar and
Cancel while the file is made on a worker thread, and "open when done". Each export calls its
document's entry point in `reports`, which goes through the core's one export pipeline: the
permission check, the temporary file, the audit entry and the rename all happen there, and
every failure comes back as the same one line the command line prints. The report functions
are imported only when an export starts, so the desk opens without loading ReportLab.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canteen.errors import Cancelled
from canteen.services.permissions import may_export

from . import i18n
from .forms.dialogs import explain
from .forms.editors import to_qdate
from .worker_dialog import WorkerDialog


@dataclass
class Export:
    """What to write: a title for the user, a file name to suggest, and how to make it.

    `make(path, start, end, progress=None, cancel=None)` runs on a worker thread and returns the
    report's result; the worker hands it its progress callback and its cancel check.
    """

    key: str
    title: str
    filename: str
    make: Callable
    period: tuple[dt.date, dt.date] | None = None   # the archive asks for a period; the others have theirs
    details: str = ""
    extra: dict = field(default_factory=dict)


def _result_pages(result) -> int | None:
    return getattr(result, "pages", None)


# ---- the four exports -------------------------------------------------------------------------------

def archive_export(session, start: dt.date, end: dt.date) -> Export:
    def make(path, start, end, progress=None, cancel=None):
        from reports.archive import export_archive
        return export_archive(session, start, end, path, progress=progress, cancel=cancel)
    title = QCoreApplication.translate("ExportDialog", "Export the inspection archive")
    details = QCoreApplication.translate(
        "ExportDialog", "Every record of the period with its history, signatures, findings and the audit "
        "chain head, as one PDF/A file an inspector can check.")
    return Export("archive", title, f"archive-{start:%Y%m%d}-{end:%Y%m%d}.pdf", make, period=(start, end),
                  details=details)


def daily_sheet_export(session, day: dt.date) -> Export:
    def make(path, _start, _end, progress=None, cancel=None):
        from reports.daily_sheet import export_daily_sheet
        return export_daily_sheet(session, day, path, progress=progress, cancel=cancel)
    title = QCoreApplication.translate("ExportDialog", "Print the daily sheet")
    details = QCoreApplication.translate(
        "ExportDialog", "The records of {0} on one sheet, with the signatures and the audit chain head.")
    long_day = i18n.locale().toString(to_qdate(day), i18n.locale().FormatType.LongFormat)
    return Export("daily-sheet", title, f"daily-sheet-{day:%Y%m%d}.pdf", make, details=details.format(long_day))


def sample_labels_export(session, day: dt.date) -> Export:
    def make(path, _start, _end, progress=None, cancel=None):
        from reports.labels import export_sample_labels
        return export_sample_labels(session, day, path, progress=progress, cancel=cancel)
    title = QCoreApplication.translate("ExportDialog", "Print sample labels")
    details = QCoreApplication.translate(
        "ExportDialog", "Labels for the samples retained on {0}: dish, meal, time, weight, keep-until and "
        "who sampled.")
    return Export("sample-labels", title, f"sample-labels-{day:%Y%m%d}.pdf", make,
                  details=details.format(f"{day:%Y-%m-%d}"))


def disclosure_export(session, year: int, month: int) -> Export:
    def make(path, _start, _end, progress=None, cancel=None):
        from reports.disclosure import export_disclosure
        return export_disclosure(session, year, month, path, progress=progress, cancel=cancel)
    title = QCoreApplication.translate("ExportDialog", "Print the monthly disclosure")
    details = QCoreApplication.translate(
        "ExportDialog", "The month's income, costs by category, surplus and rate, for the notice board ({0}).")
    return Export("disclosure", title, f"disclosure-{year}{month:02d}.pdf", make,
                  details=details.format(f"{year}-{month:02d}"))


def district_summary_export(session, start: dt.date, end: dt.date) -> Export:
    def make(path, start, end, progress=None, cancel=None):
        from reports.district import export_district_summary
        return export_district_summary(session, start, end, path, progress=progress, cancel=cancel)
    title = QCoreApplication.translate("ExportDialog", "Export the district summary")
    details = QCoreApplication.translate(
        "ExportDialog", "A page of totals, then one line per canteen: records, findings by severity, open and "
        "overdue cases, and its audit chain head.")
    return Export("district-summary", title, f"district-{start:%Y%m%d}-{end:%Y%m%d}.pdf", make, period=(start, end),
                  details=details)


def export_folder() -> str:
    """Where the last export went, or the user's documents."""
    folder = QSettings().value("export_folder", "")
    if folder and Path(str(folder)).is_dir():
        return str(folder)
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


# ---- the dialog ----------------------------------------------------------------------------------

class ExportDialog(WorkerDialog):
    """Choose where, start, watch the progress, cancel if needed; the file opens when done if asked."""

    finished_export = Signal(object)   # the report's result (pages, path, ...)
    failed_export = Signal(object)     # the exception (Cancelled when cancelled)

    def __init__(self, session, export: Export, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.export = session, export
        self.setObjectName("export_dialog")
        self.setAccessibleName(export.title)
        self.setWindowTitle(export.title)
        details = QLabel(export.details, self)
        details.setWordWrap(True)
        self.path = QLineEdit(str(Path(export_folder()) / export.filename), self)
        self.path.setObjectName("export_path")
        self.path.setAccessibleName(self.tr("File to write"))
        browse = QPushButton(self.tr("Choose…"), self)
        browse.setObjectName("export_browse")
        browse.clicked.connect(self.choose_path)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("File"), where)
        self.start_edit = self.end_edit = None
        if export.period is not None:
            self.start_edit = self._date("export_start", export.period[0], self.tr("First day"))
            self.end_edit = self._date("export_end", export.period[1], self.tr("Last day"))
            form.addRow(self.tr("From"), self.start_edit)
            form.addRow(self.tr("To"), self.end_edit)
        self.open_when_done = QCheckBox(self.tr("Open the file when it is done"), self)
        self.open_when_done.setObjectName("export_open_when_done")
        self.open_when_done.setChecked(QSettings().value("export_open", "true") in (True, "true"))
        self.progress = QProgressBar(self)
        self.progress.setObjectName("export_progress")
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel("", self)
        self.message.setObjectName("export_message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.go = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("export_go")
        self.go.setDefault(True)
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("export_cancel")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(details)
        layout.addLayout(form)
        layout.addWidget(self.open_when_done)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _date(self, name: str, day: dt.date, accessible: str) -> QDateEdit:
        edit = QDateEdit(to_qdate(day), self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        return edit

    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.export.title, self.path.text(), self.tr("PDF (*.pdf)"))
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def start(self) -> None:
        """Make the file on a worker thread; the dialog shows progress and offers Cancel meanwhile."""
        if self.running:
            return
        target = self.chosen_file()
        if target is None:
            return
        start = end = None
        if self.start_edit is not None:
            start, end = self.start_edit.date().toPython(), self.end_edit.date().toPython()
            if start > end:
                self._say(self.tr("The first day is after the last day."), error=True)
                return
        self.begin(self.export.make, str(target), start, end, said=self.tr("Writing {0}…").format(target.name))

    def _busy(self, on: bool) -> None:
        self.go.setEnabled(not on)
        self.path.setEnabled(not on)
        for w in (self.start_edit, self.end_edit):
            if w is not None:
                w.setEnabled(not on)
        self.close_button.setText(self.tr("Cancel") if on else self.tr("Close"))

    def _done(self, result) -> None:
        self.ended(True)
        self.result = result
        path = Path(str(getattr(result, "path", self.path.text())))
        QSettings().setValue("export_folder", str(path.parent))
        QSettings().setValue("export_open", self.open_when_done.isChecked())
        pages = _result_pages(result)
        text = (self.tr("Written: {0} ({1} pages).").format(str(path), pages) if pages is not None
                else self.tr("Written: {0}.").format(str(path)))
        sha = getattr(result, "records_sha256", None)
        if sha:
            text += "\n" + self.tr("Records SHA-256: {0}").format(sha)
        self._say(text)
        self.close_button.setText(self.tr("Close"))
        if self.open_when_done.isChecked():
            open_file(path)
        self.finished_export.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.ended(False)
        cancelled = isinstance(exc, Cancelled)
        self._say(self.tr("Cancelled: nothing was written.") if cancelled else explain(exc), error=not cancelled)
        self.failed_export.emit(exc)


def _system_viewer(path: Path) -> object:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


OPENER: Callable[[Path], object] = _system_viewer


def open_file(path: Path) -> None:
    """The system's PDF viewer (tests replace OPENER)."""
    OPENER(path)


def may_export_here(session) -> bool:
    return may_export(session.role)


def start_export(parent: QWidget, session, export: Export, on_written: Callable | None = None) -> ExportDialog:
    """Open the export dialog (not modal to the rest of the desk's data: it only reads)."""
    dialog = ExportDialog(session, export, parent)
    if on_written is not None:
        dialog.finished_export.connect(on_written)
    dialog.open()
    return dialog
