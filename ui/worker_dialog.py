"""A dialog that runs one piece of work on a worker thread (an export, a push to the district).

It shows the work's progress and a one-line message, refuses a file it cannot write before
anything starts, and while the work runs its Close button, Esc and the window's close cancel the
work instead of closing (QDialog's own closeEvent goes through `reject`). A subclass makes
`self.message` (a QLabel), `self.progress` (a QProgressBar) and, when it writes a file,
`self.path` (a QLineEdit); it says what its controls do while busy (`_busy`) and what the end
means (`_done`, `_failed`, each calling `ended` first).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QWidget

from canteen.errors import CanteenError
from canteen.services.export_pipeline import writable_target

from .forms.dialogs import explain
from .workers import run_task


class WorkerDialog(QDialog):
    """The common life of the export and push dialogs: start, watch, cancel, end."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.task = None
        self.result = None

    @property
    def running(self) -> bool:
        return self.task is not None

    def chosen_file(self) -> Path | None:
        """The file the path box names; None, said in red, when it is empty, names a folder or
        lies in a folder that does not exist (the core's own check, answered before a worker)."""
        text = self.path.text().strip()
        if not text:
            self._say(self.tr("Choose the file to write."), error=True)
            return None
        try:
            return writable_target(text)
        except CanteenError as exc:
            self._say(explain(exc), error=True)
            return None

    def begin(self, work, *args, said: str) -> None:
        """Run `work(*args, progress=…)` on a worker; the controls rest until it ends."""
        self._busy(True)
        self.progress.setRange(0, 0)
        self._say(said)
        self.task = run_task(work, *args, on_done=self._done, on_error=self._failed, on_progress=self._progress)

    def ended(self, ok: bool) -> None:
        """The work has ended (done, failed or cancelled): the controls come back."""
        self.task = None
        self._busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if ok else 0)

    def _progress(self, done: int, total: int, _what: str) -> None:
        show_progress(self.progress, done, total)

    def _say(self, text: str, error: bool = False) -> None:
        say_in(self, self.message, text, error)

    def reject(self) -> None:
        """While the work runs, the button (and Esc, and closing the window) cancel it; otherwise
        they close the dialog."""
        if self.running:
            self.task.cancel()
            self._say(self.tr("Stopping…"))
            return
        super().reject()


def say_in(dialog: QDialog, label: QLabel, text: str, error: bool = False) -> None:
    """A worker dialog's message, red when it is a refusal; a longer message (a records' hash, a
    refusal's reason) grows the dialog instead of being cut or squeezing the fields."""
    label.setStyleSheet("color: #b00020;" if error else "color: #333;")
    label.setText(text)
    dialog.layout().activate()
    if dialog.height() < dialog.sizeHint().height():
        dialog.resize(dialog.width(), dialog.sizeHint().height())


def show_progress(bar: QProgressBar, done: int, total: int) -> None:
    """A worker's progress on the bar; an unknown total leaves the bar as it is (busy)."""
    if total:
        bar.setRange(0, total)
        bar.setValue(min(done, total))
