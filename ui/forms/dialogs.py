"""Small dialogs: a reason for a change, a signature, and errors explained in words.

Each dialog has an `ask` classmethod returning `(values..., accepted)` so callers read one line
and tests can drive the real dialog or stand in for it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from canteen.errors import BlockedError, CanteenError
from canteen.rules import RULES

from .. import i18n


def explain(exc: BaseException) -> str:
    """A core error as sentences a canteen user can act on (never a traceback)."""
    if isinstance(exc, BlockedError):
        return explain_block(exc)
    if isinstance(exc, CanteenError):
        return exc.text(i18n.language())
    return QCoreApplication.translate("Errors", "Something went wrong and nothing was saved: {0}").format(str(exc) or type(exc).__name__)


def explain_block(exc: BlockedError) -> str:
    """Each refusing rule: its id, what is wrong, and the regulation it comes from."""
    lines = [QCoreApplication.translate("Errors", "This record cannot be saved in this state:")]
    for finding in exc.findings:
        rule = RULES.get(finding.rule)
        source = rule.source_text(i18n.language()) if rule else ""
        rule_name = i18n.pick(rule.en, rule.zh) if rule else ""
        lines.append(f"• [{finding.rule}] {finding.message(i18n.language())}")
        if rule is not None:
            lines.append("   " + QCoreApplication.translate("Errors", "Rule: {0} — source: {1}").format(rule_name, source))
    return "\n".join(lines)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    """A readable message box for an error that has no field to sit beside."""
    box = QMessageBox(QMessageBox.Icon.Warning, title or QCoreApplication.translate("Errors", "Not done"), explain(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("error_dialog")
    box.setAccessibleName("Error")
    box.open()


class ReasonDialog(QDialog):
    """Why a record is amended or voided: the audit trail keeps the answer."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reason_dialog")
        self.setWindowTitle(title)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason_text")
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setMinimumWidth(360)
        self.message = QLabel("", self)
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.prompt = QLabel(prompt, self)
        self.prompt.setObjectName("reason_prompt")
        self.prompt.setWordWrap(True)
        self.prompt.setMaximumWidth(640)
        layout.addWidget(self.prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if not self.reason.text().strip():
            self.message.setText(self.tr("Please give a reason."))
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, prompt: str) -> tuple[str, bool]:
        dialog = cls(title, prompt, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.reason.text().strip(), ok


class SignDialog(QDialog):
    """The signer re-enters the password and says what the signature means."""

    def __init__(self, summary: str, meanings: tuple, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sign_dialog")
        self.setWindowTitle(self.tr("Sign record"))
        self.meaning = QComboBox(self)
        self.meaning.setObjectName("sign_meaning")
        self.meaning.setAccessibleName(self.tr("Meaning of the signature"))
        for value, en, zh in meanings:
            self.meaning.addItem(i18n.pick(en, zh), value)
        self.password = QLineEdit(self)
        self.password.setObjectName("sign_password")
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        note = QLabel(summary, self)
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(self.tr("Meaning"), self.meaning)
        form.addRow(self.tr("Your password"), self.password)
        form.addRow(QLabel(self.tr("A signed record is locked: a later change needs signing again."), self))
        form.addRow(buttons)
        self.setMinimumWidth(420)
        self.password.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, summary: str, meanings: tuple) -> tuple[str, str, bool]:
        dialog = cls(summary, meanings, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.meaning.currentData(), dialog.password.text(), ok
