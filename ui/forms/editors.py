"""One editor per field spec: the widget, the raw value it holds, and its message label.

Each editor hands back the *raw* input (text as typed, a date, a choice value) so that the
core's own `Spec.clean` judges it; the form shows that judgement beside the field as the user
types, and the service judges it again on save.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QObject, QRegularExpression, Qt, QTime, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from canteen.errors import ValidationError
from canteen.fields import Spec
from canteen.timeutil import local_today, to_local, utcnow

from .. import i18n

# What a number box lets through: digits, signs, commas and points, ASCII or full-width (an input
# method's ０-９，．); whether it is one number is the core parser's judgement, shown beside the field.
NUMBER_PATTERN = QRegularExpression(r"^[\s\x{3000}]*[-+\x{FF0D}\x{FF0B}]?[0-9\x{FF10}-\x{FF19},.\x{FF0C}\x{FF0E}eE]*[\s\x{3000}]*$")
DATE_FORMAT, DATETIME_FORMAT = "yyyy-MM-dd", "yyyy-MM-dd HH:mm"


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def to_qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def from_qdatetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def yuan_text(fen: int | None) -> str:
    return "" if fen is None else f"{Decimal(int(fen)) / 100:.2f}"


def label_for(spec: Spec) -> str:
    """The field's label in the current language; money is typed in yuan, not fen."""
    text = spec.type.heading(spec.label(i18n.language()))
    return text + (" *" if spec.required else "")


class Editor(QObject):
    """A field's widget plus its label and message; `raw()` is what the core cleans."""

    changed = Signal()

    def __init__(self, spec: Spec, parent: QWidget):
        super().__init__(parent)
        self.spec = spec
        self.label = QLabel(label_for(spec), parent)
        self.message = QLabel("", parent)
        self.message.setObjectName(f"error_{spec.name}")
        self.message.setAccessibleName(f"{spec.en} message")
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(180)
        self.message.setStyleSheet("color: #b00020;")
        self.widget = self.build(parent)
        self.widget.setObjectName(f"field_{spec.name}")
        self.widget.setAccessibleName(spec.label(i18n.language()))
        self.label.setBuddy(self.widget)

    def build(self, parent: QWidget) -> QWidget:
        """A one-line text box; other kinds of field override this with their own widget."""
        w = QLineEdit(parent)
        w.setMaxLength(self.spec.max_len)
        w.textChanged.connect(self.changed)
        return w

    def raw(self) -> Any:
        return self.widget.text()

    def clean(self, tz: str, now: dt.datetime) -> Any:
        """The field judged by the core, as the form shows it beside the field while typing."""
        return self.spec.clean(self.raw(), tz, now)

    def set_value(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.widget.setProperty("invalid", bool(text))
        self.widget.setStyleSheet("border: 1px solid #b00020;" if text else "")

    def place(self, grid: QGridLayout, row: int, col: int) -> None:
        grid.addWidget(self.label, row, col * 3)
        grid.addWidget(self.widget, row, col * 3 + 1)
        grid.addWidget(self.message, row, col * 3 + 2)


class TextEditor(Editor):
    def offer(self, words: list[str]) -> None:
        """Completion from earlier entries (item names, suppliers, dishes, people)."""
        completer = QCompleter(words, self.widget)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.widget.setCompleter(completer)


class ListEditor(TextEditor):
    def build(self, parent):
        w = super().build(parent)
        w.setMaxLength(2000)
        w.setPlaceholderText(self.tr("separate with commas"))
        return w

    def set_value(self, value):
        self.widget.setText("、".join(value) if isinstance(value, list) else (value or ""))


class LongTextEditor(Editor):
    def build(self, parent):
        w = QPlainTextEdit(parent)
        w.setTabChangesFocus(True)
        w.setFixedHeight(60)
        w.textChanged.connect(self.changed)
        return w

    def raw(self):
        return self.widget.toPlainText()

    def set_value(self, value):
        self.widget.setPlainText(value or "")


class NumberEditor(Editor):
    """Numbers as typed, so "-3" reaches the core and is refused with its reason."""

    def build(self, parent):
        w = QLineEdit(parent)
        w.setValidator(QRegularExpressionValidator(NUMBER_PATTERN, w))
        w.setAlignment(Qt.AlignmentFlag.AlignRight)
        if self.spec.unit and self.spec.type.shows_unit:
            w.setPlaceholderText(self.spec.unit.strip())
        w.textChanged.connect(self.changed)
        return w

    def raw(self):
        return self.widget.text()  # as typed: the core reads "12,5" here exactly as in an import

    def set_value(self, value):
        self.widget.setText("" if value is None else str(value))


class MoneyEditor(NumberEditor):
    """Typed in yuan with two decimals, stored as integer fen."""

    def build(self, parent):
        w = super().build(parent)
        w.setValidator(None)  # "¥12.50" is typed too; the core's reading of yuan judges it
        return w

    def raw(self):
        text = self.widget.text().strip()
        if not text:
            return ""
        try:
            return self.spec.yuan_as_fen(text)
        except ValidationError:
            return text  # the form's check shows why, through `clean`

    def clean(self, tz: str, now: dt.datetime):
        text = self.widget.text().strip()
        return self.spec.clean(self.spec.yuan_as_fen(text) if text else "", tz, now)

    def set_value(self, value):
        self.widget.setText(yuan_text(value))


class LeavingDateTimeEdit(QDateTimeEdit):
    """Tab leaves the field (arrow keys still move between its sections): forms are filled with Tab."""

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt name)
        return QWidget.focusNextPrevChild(self, forward)


class LeavingDateEdit(QDateEdit):
    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt name)
        return QWidget.focusNextPrevChild(self, forward)


class DateEditor(Editor):
    """A required date: a date spin box that cannot hold a day that does not exist."""

    def build(self, parent):
        w = LeavingDateEdit(parent)
        w.setDisplayFormat(DATE_FORMAT)
        w.setCalendarPopup(True)
        w.setDate(to_qdate(local_today()))
        w.dateChanged.connect(self.changed)
        return w

    def raw(self):
        return from_qdate(self.widget.date())

    def set_value(self, value):
        if isinstance(value, dt.date):
            self.widget.setDate(to_qdate(value))


class OptionalDateEditor(Editor):
    """An optional date typed as YYYY-MM-DD; blank means not known."""

    def build(self, parent):
        w = QLineEdit(parent)
        w.setPlaceholderText("YYYY-MM-DD")
        w.setMaxLength(10)
        w.textChanged.connect(self.changed)
        return w

    def raw(self):
        return self.widget.text()

    def set_value(self, value):
        self.widget.setText(value.isoformat() if isinstance(value, dt.date) else (value or ""))


class OptionalDateTimeEditor(OptionalDateEditor):
    def build(self, parent):
        w = super().build(parent)
        w.setPlaceholderText("YYYY-MM-DD HH:MM")
        w.setMaxLength(16)
        return w

    def raw(self):
        return self.widget.text().strip().replace("T", " ")

    def set_value(self, value):
        self.widget.setText(value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else (value or ""))


class DateTimeEditor(Editor):
    def build(self, parent):
        w = LeavingDateTimeEdit(parent)
        w.setDisplayFormat(DATETIME_FORMAT)
        w.setCalendarPopup(True)
        w.setDateTime(to_qdatetime(to_local(utcnow()).replace(microsecond=0)))
        w.dateTimeChanged.connect(self.changed)
        return w

    def raw(self):
        return from_qdatetime(self.widget.dateTime())

    def set_value(self, value):
        if isinstance(value, dt.datetime):
            self.widget.setDateTime(to_qdatetime(value))


class ChoiceEditor(Editor):
    def build(self, parent):
        w = QComboBox(parent)
        lang = i18n.language()
        values = [c[0] for c in self.spec.choices]
        if (not self.spec.required or self.spec.default is None) and "" not in values:
            # a required choice starts blank, so nothing is recorded that nobody chose
            w.addItem("", "")
        for value, en, zh in self.spec.choices:
            w.addItem(zh if lang.startswith("zh") else en, value)
        if self.spec.default is not None:
            w.setCurrentIndex(max(0, w.findData(self.spec.default)))
        w.currentIndexChanged.connect(self.changed)
        return w

    def raw(self):
        return self.widget.currentData() or None

    def set_value(self, value):
        index = self.widget.findData(value if value is not None else "")
        if index >= 0:
            self.widget.setCurrentIndex(index)


class RefEditor(Editor):
    """A choice among records of another type (supplier, person, batch), searchable by typing."""

    def build(self, parent):
        w = QComboBox(parent)
        w.setEditable(True)
        w.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        w.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        w.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        w.currentTextChanged.connect(self.changed)
        return w

    def fill(self, options: list[tuple[int, str]]) -> None:
        w = self.widget
        w.blockSignals(True)
        w.clear()
        if not self.spec.required:
            w.addItem("", None)
        for record_id, title in options:
            w.addItem(title, record_id)
        w.blockSignals(False)

    def raw(self):
        w = self.widget
        text = w.currentText().strip()
        if not text:
            return None
        index = w.findText(text, Qt.MatchFlag.MatchExactly)
        if index < 0:
            return text  # not one of the records: the core says so beside the field
        return w.itemData(index)

    def set_value(self, value):
        index = self.widget.findData(value)
        if index < 0 and value is not None:
            self.widget.addItem(f"#{value}", value)
            index = self.widget.count() - 1
        self.widget.setCurrentIndex(max(index, 0))


class BoolEditor(Editor):
    def build(self, parent):
        w = QCheckBox(parent)
        w.setChecked(bool(self.spec.default))
        w.toggled.connect(self.changed)
        return w

    def place(self, grid, row, col):
        self.widget.setText(self.label.text())
        self.label.setText("")
        super().place(grid, row, col)

    def raw(self):
        return self.widget.isChecked()

    def set_value(self, value):
        self.widget.setChecked(bool(value))


class ChecklistEditor(Editor):
    """The daily inspection's checklist: one tick per item, all ticked to start."""

    ITEMS: tuple = ()

    def build(self, parent):
        from canteen.read.kinds import INSPECTION_ITEMS
        self.ITEMS = INSPECTION_ITEMS
        w = QWidget(parent)
        grid = QGridLayout(w)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (key, en, zh) in enumerate(INSPECTION_ITEMS):
            box = QCheckBox(i18n.pick(en, zh), w)
            box.setObjectName(f"check_{key}")
            box.setAccessibleName(en)
            box.setChecked(True)
            box.toggled.connect(self.changed)
            grid.addWidget(box, i // 3, i % 3)
            self.boxes[key] = box
        return w

    def raw(self):
        return json.dumps({k: b.isChecked() for k, b in self.boxes.items()})

    def set_value(self, value):
        items = json.loads(value) if isinstance(value, str) else (value or {})
        for key, box in self.boxes.items():
            box.setChecked(bool(items.get(key, False)))


# The desk's editor for each field type (`FieldType.editor`); an optional date or time is typed as
# text, so that it can be left empty.
EDITORS: dict[str, type[Editor]] = {
    "text": TextEditor, "list": ListEditor, "longtext": LongTextEditor, "number": NumberEditor,
    "money": MoneyEditor, "date": DateEditor, "datetime": DateTimeEditor, "choice": ChoiceEditor,
    "ref": RefEditor, "bool": BoolEditor, "checklist": ChecklistEditor}
OPTIONAL_EDITORS: dict[str, type[Editor]] = {"date": OptionalDateEditor, "datetime": OptionalDateTimeEditor}


def editor_for(spec: Spec, parent: QWidget) -> Editor:
    """The editor its field type asks for (ValueError for a kind no type has)."""
    name = spec.type.editor
    editor = EDITORS[name] if spec.required else OPTIONAL_EDITORS.get(name, EDITORS[name])
    return editor(spec, parent)
