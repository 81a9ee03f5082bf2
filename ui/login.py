"""Signing in, unlocking an idle screen, and the password change an administrator may demand.

The sign-in window is the first thing the desk shows, so this module imports only Qt: the
services, the worker threads and the error texts are imported when a password is checked (by
then the start has loaded them on its preparation thread, see `ui/app.py`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


def _password_box(parent: QWidget, name: str, accessible: str) -> QLineEdit:
    box = QLineEdit(parent)
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setEchoMode(QLineEdit.EchoMode.Password)
    return box


def _message_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel("", parent)
    label.setObjectName(name)
    label.setAccessibleName(name.replace("_", " "))
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


def _run_task(fn, *args, **kwargs):
    from .workers import run_task
    return run_task(fn, *args, **kwargs)


def _explain(exc: BaseException) -> str:
    from .forms.dialogs import explain
    return explain(exc)


class LoginDialog(QDialog):
    """User name and password; on success `session` holds who is signed in.

    Made with `ready=False` it can be shown while the database is still being opened: the user
    types, and a password entered before `prepared()` is checked as soon as it is called.
    `painted` says when the window is first on the screen, for the start to go on behind it.
    """

    painted = Signal()

    def __init__(self, site_name: str = "", parent: QWidget | None = None, username: str = "", *, ready: bool = True):
        super().__init__(parent)
        self.session = None
        self.checking = None
        self.ready, self.waiting, self.was_painted = ready, False, False
        self.setObjectName("login_dialog")
        self.setAccessibleName(self.tr("Sign in"))
        self.setWindowTitle(self.tr("Sign in — Canteen food-safety log"))
        self.heading = heading = QLabel(site_name or self.tr("Canteen food-safety log"), self)
        heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = QLineEdit(username, self)
        self.username.setObjectName("login_user")
        self.username.setAccessibleName(self.tr("User name"))
        self.password = _password_box(self, "login_password", self.tr("Password"))
        self.message = _message_label(self, "login_message")
        buttons = QDialogButtonBox(self)
        self.sign_in = buttons.addButton(self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in.setObjectName("login_button")
        self.sign_in.setDefault(True)
        buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole).setObjectName("login_quit")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        (self.password if username else self.username).setFocus()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        if not self.was_painted:
            self.was_painted = True
            self.painted.emit()

    def prepared(self, site_name: str = "") -> None:
        """The database is open: show its canteen's name, and check a password already entered."""
        if site_name:
            self.heading.setText(site_name)
        self.ready = True
        if self.waiting:
            self.waiting = False
            self._check()

    def accept(self) -> None:
        """Check the password on a worker thread (Argon2 takes a noticeable moment by design)."""
        if self.checking is not None or self.waiting:
            return
        self.sign_in.setEnabled(False)
        self.message.setStyleSheet("color: #555;")
        self.message.setText(self.tr("Checking…"))
        if self.ready:
            self._check()
        else:
            self.waiting = True

    def _check(self) -> None:
        from canteen.services import users
        self.checking = _run_task(users.login_at_desk, self.username.text().strip(), self.password.text(),
                                  on_done=self._signed_in, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.checking = None
        self.sign_in.setEnabled(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(_explain(exc))
        self.password.selectAll()
        self.password.setFocus()

    def _signed_in(self, session) -> None:
        self.checking = None
        self.sign_in.setEnabled(True)
        self.message.setText("")
        if session.must_change_password:
            changed = ChangePasswordDialog(session, self.password.text(), self)
            if changed.exec() != QDialog.DialogCode.Accepted:
                self.message.setText(self.tr("The administrator asks you to choose a new password first."))
                return
        self.session = session
        super().accept()


class ChangePasswordDialog(QDialog):
    """A new password, typed twice, for a user whose password was reset by the administrator."""

    def __init__(self, session, old_password: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.old = session, old_password
        self.setObjectName("change_password_dialog")
        self.setWindowTitle(self.tr("Choose a new password"))
        self.new = _password_box(self, "new_password", self.tr("New password"))
        self.again = _password_box(self, "new_password_again", self.tr("New password again"))
        self.message = _message_label(self, "change_password_message")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.again)
        form.addRow(self.message)
        form.addRow(buttons)

    def accept(self) -> None:
        from canteen.errors import CanteenError
        from canteen.services import users
        if self.new.text() != self.again.text():
            self.message.setText(self.tr("The two passwords differ."))
            return
        try:
            users.change_password(self.session, self.old, self.new.text())
        except CanteenError as exc:
            self.message.setText(_explain(exc))
            return
        super().accept()


class LockDialog(QDialog):
    """The screen locked after idle time: only the signed-in user's password opens it again.

    Whatever was being typed underneath stays as it was.
    """

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.checking = None
        self.setObjectName("lock_dialog")
        self.setAccessibleName(self.tr("Screen locked"))
        self.setWindowTitle(self.tr("Locked"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        note = QLabel(self.tr("Locked after a time without use. {0}, enter your password to go on.").format(
            session.user.display_name), self)
        note.setWordWrap(True)
        kept = QLabel(self.tr("Anything you were typing is kept as it was."), self)
        kept.setStyleSheet("color: #555;")
        self.password = _password_box(self, "unlock_password", self.tr("Password"))
        self.message = _message_label(self, "unlock_message")
        buttons = QDialogButtonBox(self)
        self.unlock = buttons.addButton(self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock.setObjectName("unlock_button")
        self.unlock.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(kept)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def reject(self) -> None:
        """Esc does not unlock."""

    def accept(self) -> None:
        """Check the password on a worker thread: Argon2 is slow by design and the window must not freeze."""
        if self.checking is not None:
            return
        self.unlock.setEnabled(False)
        self.password.setEnabled(False)
        self.message.setStyleSheet("color: #555;")
        self.message.setText(self.tr("Checking…"))
        from canteen.services import users
        self.checking = _run_task(users.verify_password, self.session.user, self.password.text(),
                                  action="unlock-failed", on_done=self._unlocked, on_error=self._refused)

    def _unlocked(self, _result) -> None:
        self.checking = None
        self.message.setText("")
        self.password.clear()
        self.password.setEnabled(True)
        self.unlock.setEnabled(True)
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        self.checking = None
        self.unlock.setEnabled(True)
        self.password.setEnabled(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(_explain(exc))
        self.password.clear()
        self.password.setFocus()
