"""The case form: what was done about a case (整改措施), by whom, when, with its photos.

The case is described at the top so the user sees what they answer; the actions are the rule's
usual ones first (`canteen.remedies.usual_actions`). Saving goes through
`services.cases.record_action` on a worker; a refusal names a field and is shown beside it.
Files (a photo of the renewed certificate, the returned goods note) are checked as they are
chosen and attached once the action is saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QMimeDatabase, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canteen.errors import CanteenError, ValidationError
from canteen.remedies import USUAL_ACTIONS, usual_actions
from canteen.services import attachments, cases
from canteen.services.previews import needs_late_reason
from canteen.timeutil import to_local

from .. import i18n
from ..workers import run_task
from .dialogs import explain, show_error

FILE_ROLE = Qt.ItemDataRole.UserRole


def save_action(session, case_id: str, values: dict, files: list[tuple[str, bytes, str]]):
    """Record the action, then keep its files with it (runs on a worker thread). A file refused
    after the action is saved is reported, not raised: the form must not offer to save twice."""
    record = cases.record_action(session, case_id, **values)
    problems = []
    for filename, data, mime in files:
        try:
            attachments.add_attachment(session, cases.CORRECTIVE_KIND, record.id, filename, data, mime)
        except CanteenError as exc:
            problems.append(exc)
    return record, problems


class CaseForm(QDialog):
    """Record a corrective action for one case."""

    saved = Signal(object)  # the saved CorrectiveAction

    def __init__(self, session, case, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.case = session, case
        self.task = None
        self.setObjectName("case_form")
        self.setWindowTitle(self.tr("Record a corrective action"))
        self.setAccessibleName(self.tr("Record a corrective action"))
        self._build()
        self.setMinimumWidth(560)

    # ---- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.about = self._label("caseFormAbout", self.tr("The case"))
        self.about.setText(self._describe())
        self.about.setStyleSheet("background:#f3f3f3; border:1px solid #d0d0d0; padding:6px;")
        form = QFormLayout()
        self.messages: dict[str, QLabel] = {}
        self._build_action(form)
        self._build_who_when(form)
        self._build_files(form)
        self.error = self._label("caseFormError", self.tr("Why it was not saved"))
        self.error.setStyleSheet("color:#b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("caseFormSave")
        self.save_button.setAccessibleName(self.tr("Save the action"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        return label

    def _field(self, form: QFormLayout, name: str, text: str, widget: QWidget) -> None:
        """A field with its message beneath it (empty until the core refuses the value)."""
        widget.setObjectName(f"caseForm_{name}")
        widget.setAccessibleName(text.rstrip(" *"))
        message = self._label(f"caseFormError_{name}", self.tr("Message about %1").replace("%1", text.rstrip(" *")))
        message.setStyleSheet("color:#b00020;")
        message.hide()
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(message)
        label = QLabel(text, self)
        label.setBuddy(widget)
        form.addRow(label, box)
        self.messages[name] = message

    def _build_action(self, form: QFormLayout) -> None:
        self.action = QComboBox(self)
        usual = len(USUAL_ACTIONS.get(self.case.rule, ()))
        for n, (value, en, zh) in enumerate(usual_actions(self.case.rule)):
            if n == usual and usual:
                self.action.insertSeparator(self.action.count())
            self.action.addItem(i18n.pick(en, zh), value)
        self._field(form, "action", self.tr("&Action *"), self.action)
        self.details = QPlainTextEdit(self)
        self.details.setTabChangesFocus(True)
        self.details.setFixedHeight(72)
        self.details.setPlaceholderText(self.tr("What was done, in a sentence (required for “Other”)"))
        self._field(form, "details", self.tr("&What was done"), self.details)

    def _build_who_when(self, form: QFormLayout) -> None:
        self.responsible = QLineEdit(self.session.user.display_name, self)
        self._field(form, "responsible", self.tr("&Responsible *"), self.responsible)
        now = to_local(self.session.now(), self.session.tz).replace(second=0, microsecond=0, tzinfo=None)
        self.acted_at = QDateTimeEdit(QDateTime(now), self)
        self.acted_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.acted_at.setCalendarPopup(True)
        self.acted_at.setMaximumDateTime(QDateTime(now))
        self.acted_at.dateTimeChanged.connect(lambda _v: self._show_late_reason())
        self._field(form, "occurred_at", self.tr("Acted &at *"), self.acted_at)
        self.late_reason = QLineEdit(self)
        self._field(form, "late_reason", self.tr("Reason for late entry *"), self.late_reason)
        self.late_row = form.rowCount() - 1
        form.setRowVisible(self.late_row, False)
        self.form_layout = form

    def _build_files(self, form: QFormLayout) -> None:
        self.files = QListWidget(self)
        self.files.setMaximumHeight(70)
        self.add_file_button = QPushButton(self.tr("Add file…"), self)
        self.add_file_button.setObjectName("caseFormAddFile")
        self.add_file_button.setAccessibleName(self.tr("Add a photo or scan"))
        self.add_file_button.clicked.connect(self.choose_files)
        self.remove_file_button = QPushButton(self.tr("Remove"), self)
        self.remove_file_button.setObjectName("caseFormRemoveFile")
        self.remove_file_button.setAccessibleName(self.tr("Remove the selected file"))
        self.remove_file_button.clicked.connect(lambda: self.files.takeItem(self.files.currentRow()))
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.files, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_file_button)
        buttons.addWidget(self.remove_file_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        self.files.setObjectName("caseFormFiles")
        self.files.setAccessibleName(self.tr("Files to attach"))
        self._field(form, "attachment", self.tr("Photos, scans"), holder)

    def _describe(self) -> str:
        from canteen.read.findings import RULES
        from ui.pages._common import fmt_date
        language = i18n.language()
        rule = RULES.get(self.case.rule)
        name = i18n.pick(rule.en, rule.zh) if rule else ""
        days = fmt_date(self.case.first_day) if self.case.first_day == self.case.last_day else \
            f"{fmt_date(self.case.first_day)} – {fmt_date(self.case.last_day)}"
        return (f"<b>{self.case.rule} — {name}</b><br>{self.case.subject_label(language)} · {days} · "
                + self.tr("{0} day(s)").format(self.case.days) + f"<br>{self.case.message(language)}")

    # ---- files -------------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach photos or scans"), "",
                                                self.tr("Images and PDF (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pdf)"))
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> int:
        """Each file checked now (empty, too large, not an image or PDF is said at once)."""
        mimes, added = QMimeDatabase(), 0
        self._say("attachment", "")
        for path in paths:
            try:
                data = Path(path).read_bytes()
                mime = mimes.mimeTypeForFile(str(path)).name()
                attachments.check_file(Path(path).name, data, mime)
            except (OSError, CanteenError) as exc:
                self._say("attachment", exc.text(i18n.language()) if isinstance(exc, CanteenError) else str(exc))
                continue
            item = QListWidgetItem(Path(path).name)
            item.setData(FILE_ROLE, (Path(path).name, data, mime))
            self.files.addItem(item)
            added += 1
        return added

    # ---- saving ------------------------------------------------------------------------------

    def values(self) -> dict:
        acted = self.acted_at.dateTime().toPython().replace(second=0, microsecond=0)
        values = {"action": self.action.currentData(), "responsible": self.responsible.text().strip(),
                  "details": self.details.toPlainText().strip(), "acted_at": acted}
        if self.late_row_visible():
            values["late_reason"] = self.late_reason.text().strip() or None
        return values

    def late_row_visible(self) -> bool:
        return self.form_layout.isRowVisible(self.late_row)

    def _show_late_reason(self) -> None:
        moment = self.acted_at.dateTime().toPython()
        late = needs_late_reason(self.session, "datetime", moment)
        self.form_layout.setRowVisible(self.late_row, late or bool(self.late_reason.text()))

    def accept(self) -> None:
        """Save on a worker; the dialog stays open (with what was typed) until the core agrees."""
        if self.task is not None:
            return
        for name in self.messages:
            self._say(name, "")
        self.error.setText("")
        files = [self.files.item(n).data(FILE_ROLE) for n in range(self.files.count())]
        self.save_button.setEnabled(False)
        self.error.setText(self.tr("Saving…"))
        self.task = run_task(save_action, self.session, self.case.id, self.values(), files,
                             on_done=self._saved, on_error=self._refused)

    def _saved(self, result) -> None:
        record, problems = result
        self.task = None
        self.save_button.setEnabled(True)
        self.error.setText("")
        self.saved.emit(record)
        super().accept()
        for problem in problems:  # the action stands; the file can be added on its records page
            show_error(self.parentWidget(), problem)

    def _refused(self, exc: BaseException) -> None:
        self.task = None
        self.save_button.setEnabled(True)
        self.error.setText("")
        field = {"case_start": "occurred_at"}.get(getattr(exc, "field", ""), getattr(exc, "field", ""))
        if isinstance(exc, ValidationError) and field == "late_reason":
            self.form_layout.setRowVisible(self.late_row, True)
        if isinstance(exc, ValidationError) and field in self.messages:
            self._say(field, exc.text(i18n.language()))
            return
        self.error.setText(explain(exc))

    def _say(self, field: str, text: str) -> None:
        label = self.messages[field]
        label.setText(text)
        label.setVisible(bool(text))
        if text:
            widget = self.findChild(QWidget, f"caseForm_{field}")
            if widget is not None:
                widget.setFocus()

    @classmethod
    def ask(cls, session, case, parent: QWidget | None = None) -> tuple[object, bool]:
        """Open the form modally; returns (the saved action or None, saved)."""
        dialog = cls(session, case, parent)
        saved: list = []
        dialog.saved.connect(saved.append)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return (saved[0] if saved else None), ok

    def reject(self) -> None:
        if self.task is None:  # while the save is under way, its answer decides
            super().reject()

