"""File → Push to district (issue 12): where to (the district's database, or a .canteen file to
carry), the password that opens the canteen's site key, a progress bar, Cancel, and the result
in words. The push runs on a worker (ui/workers.py) through canteen/services/district_push.py;
Cancel stops it between steps, before anything reaches the district or the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from canteen.errors import Cancelled, CanteenError
from canteen.services import district_push, storage

from . import i18n
from .export_dialog import export_folder
from .forms.dialogs import explain
from .worker_dialog import WorkerDialog, show_progress


def describe_step(what: str, by_file: bool = False) -> str:
    """pushing.py's step that has just ended ("entries=120") as the desk says where the push is."""
    name, _, count = what.partition("=")
    translate = QCoreApplication.translate
    if name == "send":
        return (translate("PushDialog", "Writing the file…") if by_file
                else translate("PushDialog", "Sending to the district…"))
    texts = {"connect": translate("PushDialog", "Connected to the district; finding what it has not yet got…"),
             "compare": translate("PushDialog", "Reading the entries to send…"),
             "entries": translate("PushDialog", "{0} entries to send; gathering their attachments…"),
             "attachments": translate("PushDialog", "{0} attachments; signing with the canteen's site key…"),
             "sign": translate("PushDialog", "Signed with the canteen's site key")}
    return texts.get(name, name).format(count)


def _indented(widget: QWidget) -> QHBoxLayout:
    """A row under its radio button, set in as far as the button's text."""
    row = QHBoxLayout()
    row.addSpacing(24)
    row.addWidget(widget, 1)
    return row


class PushDialog(WorkerDialog):
    """Choose where, type the password, push; progress and Cancel while it runs."""

    pushed = Signal(object)   # the PushResult
    failed = Signal(object)   # the exception (Cancelled when cancelled)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.address = district_push.district_address(session)
        # On another user's desk (the signer who closed the day) the key's holder types their own
        # name and password, and the push goes online (see district_push.push_as_holder).
        self.by_holder = not district_push.may_push(session)
        self.setObjectName("push_dialog")
        self.setWindowTitle(self.tr("Push to district"))
        self.setAccessibleName(self.tr("Push to district"))
        intro = QLabel(self.tr("Sends the district every record, signature and attachment it has not yet got, "
                               "signed with the canteen's site key. The district takes all of it or nothing."), self)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._where())
        layout.addLayout(self._password_row())
        layout.addWidget(self._device_box())
        self.progress = QProgressBar(self)
        self.progress.setObjectName("push_progress")
        self.progress.setAccessibleName(self.tr("Push progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel("", self)
        self.message.setObjectName("push_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons())
        self.setMinimumWidth(600)
        self._mode_changed()
        self._show_device_state()

    def _where(self) -> QVBoxLayout:
        self.online = QRadioButton(self.tr("To the district's database"), self)
        self.online.setObjectName("push_online")
        self.to_file = QRadioButton(self.tr("Save a file to carry to the district (.canteen)"), self)
        self.to_file.setObjectName("push_to_file")
        group = QButtonGroup(self)
        group.addButton(self.online)
        group.addButton(self.to_file)
        shown = storage.display(self.address) if self.address else self.tr(
            "No district address is set (Settings and users → District database to push to).")
        self.address_label = QLabel(shown, self)
        self.address_label.setObjectName("push_address")
        self.address_label.setWordWrap(True)
        self.online.setEnabled(bool(self.address))
        (self.online if self.address else self.to_file).setChecked(True)
        name = f"{self.session.site.name}-{self.session.today():%Y%m%d}.canteen"
        self.path = QLineEdit(str(Path(export_folder()) / name), self)
        self.path.setObjectName("push_path")
        self.path.setAccessibleName(self.tr("File to write"))
        self.browse = QPushButton(self.tr("Choose…"), self)
        self.browse.setObjectName("push_browse")
        self.browse.clicked.connect(self.choose_path)
        where = QVBoxLayout()
        where.addWidget(self.online)
        where.addLayout(_indented(self.address_label))
        where.addWidget(self.to_file)
        file_row = _indented(self.path)
        file_row.addWidget(self.browse)
        where.addLayout(file_row)
        for w in (self.to_file, self.path, self.browse):
            w.setVisible(not self.by_holder)
        self.online.toggled.connect(self._mode_changed)
        return where

    def _password_row(self) -> QFormLayout:
        self.password = QLineEdit(self)
        self.password.setObjectName("push_password")
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.holder = QLineEdit(self)
        self.holder.setObjectName("push_holder")
        self.holder.setAccessibleName(self.tr("Site key holder"))
        form = QFormLayout()
        if self.by_holder:
            self.holder.setText(next(iter(district_push.key_holders(self.session)), ""))
            form.addRow(QLabel(self.tr("{0} does not hold the canteen's site key: its holder pushes here with their "
                                       "own user name and password.").format(self.session.user.display_name), self))
            form.addRow(self.tr("Site key holder"), self.holder)
            form.addRow(self.tr("Holder's password"), self.password)
        else:
            self.holder.hide()
            form.addRow(self.tr("Your password (opens the canteen's site key)"), self.password)
        return form

    def _device_box(self) -> QCheckBox:
        """"This computer pushes at each daily close": the administrator's password, typed above,
        lets it (see district_push.allow_device_push); unticking withdraws it."""
        self.device = QCheckBox(self.tr("Let this computer push at each daily close"), self)
        self.device.setObjectName("push_device")
        self.device.setAccessibleName(self.tr("Let this computer push at each daily close"))
        self.device.setToolTip(self.tr(
            "The evening's close then pushes by itself, whoever signs it, without your password: this computer "
            "keeps a copy of the canteen's site key for it, and the audit trail records that you allowed it. "
            "Untick to withdraw."))
        self.device.setVisible(not self.by_holder)
        self.device.clicked.connect(self._device_clicked)
        return self.device

    def _show_device_state(self) -> None:
        state = None if self.by_holder else district_push.device_push_state(self.session)
        self.device.setChecked(state is not None and state.key is not None)
        if state is not None and state.problem is not None:
            self._say(state.problem.text(i18n.language()), error=True)

    def _device_clicked(self, ticked: bool) -> None:
        """Allow with the password typed above, or withdraw; a refusal leaves the box as it was."""
        try:
            if ticked:
                if not self.password.text():
                    self.device.setChecked(False)
                    self._say(self.tr("Type your password above, then tick again: it lets this computer "
                                      "keep a copy of the canteen's site key."), error=True)
                    return
                district_push.allow_device_push(self.session, self.password.text())
                self.password.clear()
                self._say(self.tr("This computer now pushes to the district at each daily close "
                                  "(recorded in the audit trail)."))
            else:
                district_push.revoke_device_push(self.session)
                self._say(self.tr("This computer no longer pushes at the daily close; its copy of the site key "
                                  "is removed (recorded in the audit trail)."))
        except CanteenError as exc:  # a core refusal, said; the box goes back
            self.device.setChecked(not ticked)
            self._say(self.tr("Not changed: {0}").format(explain(exc)), error=True)

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(self)
        self.go = self.buttons.addButton(self.tr("Push"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("push_go")
        self.go.setDefault(True)
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("push_cancel")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    def _mode_changed(self) -> None:
        by_file = self.to_file.isChecked() and self.go.isEnabled()  # the Push button is off while pushing
        self.path.setEnabled(by_file)
        self.browse.setEnabled(by_file)

    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Push to district"), self.path.text(),
                                              self.tr("Push file (*.canteen)"))
        if path:
            self.path.setText(path if path.lower().endswith(".canteen") else path + ".canteen")

    def start(self) -> None:
        """Push on a worker thread; the dialog shows the steps and offers Cancel meanwhile."""
        if self.running:
            return
        if not self.password.text():
            self._say(self.tr("Type your password: it opens the canteen's site key."), error=True)
            return
        password = self.password.text()
        if self.by_holder:
            work, args = district_push.push_as_holder, (self.session, self.holder.text().strip(), password)
        elif self.to_file.isChecked():
            target = self.chosen_file()
            if target is None:
                return
            work, args = district_push.push_to_file, (self.session, password, target)
        else:
            work, args = district_push.push_to_district, (self.session, password)
        self.begin(work, *args, said=self.tr("Pushing…"))

    def _progress(self, done: int, total: int, what: str) -> None:
        show_progress(self.progress, done, total)
        self._say(describe_step(what, by_file=self.to_file.isChecked() and not self.by_holder))

    def _busy(self, on: bool) -> None:
        self.go.setEnabled(not on)
        self.online.setEnabled(not on and bool(self.address))
        self.to_file.setEnabled(not on)
        self.password.setEnabled(not on)
        self.holder.setEnabled(not on)
        self.device.setEnabled(not on)
        self.close_button.setText(self.tr("Cancel") if on else self.tr("Close"))
        self._mode_changed()

    def _done(self, result) -> None:
        self.ended(True)
        self.result = result
        self.password.clear()
        self._say(result.said().text(i18n.language()))
        self.pushed.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.ended(False)
        cancelled = isinstance(exc, Cancelled)
        if cancelled:
            text = self.tr("Cancelled: nothing was sent; the district is as it was.")
        elif district_push.a_later_push_carries_it(exc):
            text = self.tr("Not pushed: {0}\nNothing is lost: the next push sends it.").format(explain(exc))
        else:
            text = self.tr("Not pushed: {0}").format(explain(exc))
        self._say(text, error=not cancelled)
        self.failed.emit(exc)
