"""The desk's restore: offered when the database is found damaged at start, with the latest
backup's date, and confirmed in a dialog that shows what will be lost and asks who and why.

The rules are the core's (canteen/restore.py): the loss is listed before anything changes,
a reason and a user of the backup are required, the replaced file is kept beside it and the
restore is an entry in the restored audit trail.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from canteen.errors import CanteenError, DamagedDatabase
from canteen.restore import RestorePlan, carry_out, plan_restore
from canteen.services import storage

from . import i18n
from .forms.dialogs import explain
from .workers import run_task


class RestoreDialog(QDialog):
    """What restoring `plan` would lose, and the user name, password and reason it needs."""

    def __init__(self, plan: RestorePlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan, self.kept, self.task = plan, None, None
        self.setObjectName("restore_dialog")
        self.setAccessibleName(self.tr("Restore from a backup"))
        self.setWindowTitle(self.tr("Restore from a backup"))
        intro = QLabel(self.tr("Replace {0} with the backup {1}?").format(plan.target, plan.source), self)
        intro.setWordWrap(True)
        self.loss = QPlainTextEdit("\n".join(i18n.pick(en, zh) for en, zh in plan.lines()), self)
        self.loss.setObjectName("restore_loss")
        self.loss.setAccessibleName(self.tr("What will be lost"))
        self.loss.setReadOnly(True)
        self.username = self._line("restore_user", self.tr("User name (of the backup)"))
        self.password = self._line("restore_password", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = self._line("restore_reason", self.tr("Reason"))
        form = QFormLayout()
        form.addRow(self.tr("User name (of the backup)"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Reason"), self.reason)
        self.message = QLabel("", self)
        self.message.setObjectName("restore_message")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.go = buttons.addButton(self.tr("Restore, losing what is listed"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("restore_go")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.loss)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _line(self, name: str, accessible: str) -> QLineEdit:
        line = QLineEdit(self)
        line.setObjectName(name)
        line.setAccessibleName(accessible)
        return line

    def accept(self) -> None:
        """Restore on a worker (the password's hash and the copy of a large file take seconds); a
        refusal (wrong password, no reason, a full disk) stays in the dialog, and the database is
        then exactly as it was."""
        if self.task is not None:
            return
        self.go.setEnabled(False)
        self.message.setText(self.tr("Restoring…"))
        self.task = run_task(carry_out, self.plan, self.reason.text(), self.username.text().strip(),
                             self.password.text(), on_done=self._restored, on_error=self._refused)

    def _restored(self, kept) -> None:
        self.task, self.kept = None, kept
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        self.task = None
        self.go.setEnabled(True)
        self.message.setText(explain(exc))


def offer_restore(exc: DamagedDatabase, parent: QWidget | None = None) -> bool:
    """The damaged-database message, with "Restore from the latest backup (date)" when there is
    one; True when the backup was restored (the caller opens the database again)."""
    box = QMessageBox(QMessageBox.Icon.Critical, RestoreDialog.tr("Damaged database"), exc.text(i18n.language()),
                      QMessageBox.StandardButton.Close, parent)
    box.setObjectName("damaged_box")
    restore = None
    if exc.backup is not None:
        when = storage.backup_time(Path(exc.backup)).strftime("%Y-%m-%d %H:%M")
        restore = box.addButton(RestoreDialog.tr("Restore from the latest backup ({0})").format(when),
                                QMessageBox.ButtonRole.AcceptRole)
        restore.setObjectName("restore_latest")
    box.exec()
    if restore is None or box.clickedButton() is not restore:
        return False
    try:
        plan = plan_restore(Path(exc.backup), Path(exc.path))
    except CanteenError as error:
        QMessageBox.critical(parent, RestoreDialog.tr("Damaged database"), explain(error))
        return False
    return RestoreDialog(plan, parent).exec() == QDialog.DialogCode.Accepted
