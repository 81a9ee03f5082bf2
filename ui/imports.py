"""Bringing a filled-in sheet into the desk: the same import as `canteen … import KIND FILE`.

The file is read and checked on a worker thread (all rows or none). What the core says comes
back in words inside the dialog: every bad row by its row and column; rows that repeat a kept
record as warnings after a successful import; and for a file imported before, when and by
whom — with a field for the reason to import it once more, as `--again REASON` does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canteen.errors import Said
from canteen.import_checks import AlreadyImported
from canteen.sheet_import import ImportRefused, import_file

from . import i18n
from .forms.dialogs import explain
from .workers import run_task

FILE_FILTER = "*.xlsx *.xls *.ods *.csv *.tsv *.txt"


def said_in_language(line: str) -> str:
    """A line the import said, in the desk's language (bilingual lines carry their Chinese)."""
    return line.text(i18n.language()) if isinstance(line, Said) else line


class ImportDialog(QDialog):
    """Import a sheet of one record kind; emits `imported(result)` once the rows are written."""

    imported = Signal(object)

    def __init__(self, session, kind: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.kind, self.task = session, kind, None
        self.setObjectName("import_dialog")
        self.setWindowTitle(self.tr("Import {0}").format(title))
        self.path = self._line("import_path", self.tr("File"))
        choose = QPushButton(self.tr("&Choose…"), self)
        choose.setObjectName("import_choose")
        choose.clicked.connect(self.choose_file)
        self.late_reason = self._line("import_late_reason", self.tr("Reason for late entry"))
        self.late_reason.setPlaceholderText(self.tr("for rows more than a day old that give none"))
        self.again_label = QLabel(self.tr("Reason to import it again"), self)
        self.again = self._line("import_again", self.tr("Reason to import it again"))
        self.outcome = QPlainTextEdit(self)
        self.outcome.setObjectName("import_outcome")
        self.outcome.setAccessibleName(self.tr("Import result"))
        self.outcome.setReadOnly(True)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton(self.tr("&Import"), QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.setObjectName("import_start")
        self.import_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self._lay_out(choose)

    def _line(self, name: str, accessible: str) -> QLineEdit:
        line = QLineEdit(self)
        line.setObjectName(name)
        line.setAccessibleName(accessible)
        return line

    def _lay_out(self, choose: QPushButton) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        form = QFormLayout()
        form.addRow(self.tr("File"), file_row)
        form.addRow(self.tr("Reason for late entry"), self.late_reason)
        form.addRow(self.again_label, self.again)
        self.again_label.hide()
        self.again.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.outcome, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.resize(640, 360)

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("Choose a sheet to import"), self.path.text(),
                                                    self.tr("Sheets ({0})").format(FILE_FILTER))
        if name:
            self.path.setText(name)
            self._ask_again(False)

    def start(self) -> None:
        """Import on a worker; the dialog stays usable for reading what happened."""
        path = self.path.text().strip()
        if not path or self.task is not None:
            return
        self.import_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.outcome.setPlainText(self.tr("Reading {0}…").format(Path(path).name))
        self.task = run_task(import_file, self.session, self.kind, Path(path), late_reason=self.late_reason.text().strip(),
                             again=self.again.text().strip() if not self.again.isHidden() else "",
                             on_done=self._done, on_error=self._failed, on_progress=self._progressed)

    def _progressed(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self) -> None:
        self.task = None
        self.progress.hide()
        self.import_button.setEnabled(True)

    def _done(self, result) -> None:
        self._finished()
        self._ask_again(False)
        read_as = f"{result.format}, {result.encoding}" if result.encoding else result.format
        lines = [self.tr("Imported {0} records from {1} ({2}).").format(result.rows, self.path.text(), read_as)]
        if result.warnings:
            lines.append(self.tr("{0} rows repeat records already kept (imported anyway):").format(len(result.warnings)))
            lines += [said_in_language(line) for line in result.warnings]
        self.outcome.setPlainText("\n".join(lines))
        self.imported.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        if isinstance(exc, AlreadyImported):
            self._ask_again(True)
            self.outcome.setPlainText(explain(exc) + "\n" + self.tr(
                "To import it once more, say why in “Reason to import it again” and press Import."))
            self.again.setFocus()
            return
        lines = [said_in_language(line) for line in exc.lines] + [""] if isinstance(exc, ImportRefused) else []
        self.outcome.setPlainText("\n".join(lines + [explain(exc)]))

    def _ask_again(self, shown: bool) -> None:
        self.again_label.setVisible(shown)
        self.again.setVisible(shown)
        if not shown:
            self.again.clear()
