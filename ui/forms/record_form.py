"""The record form, built from a record type's field specs: add a record or amend one.

Keyboard first: fields in paper-form order, Tab moves on, Enter saves, Esc cancels. Each field
is judged by the core's own spec as it is typed; on save the service judges the whole record
again, and whatever it refuses is shown beside its field or, for a block rule, in words with
the rule and its source. Nothing the user typed is lost when a save is refused.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from canteen import fields as f
from canteen.errors import BlockedError, CanteenError, ValidationError
from canteen.read import forms
from canteen.read.kinds import RecordType, record_type
from canteen.read.rows import as_row
from canteen.services import previews, records

from .. import i18n
from .dialogs import explain
from .editors import Editor, RefEditor, TextEditor, editor_for

BATCH_KINDS = ("deliveries", "samples", "morning-checks", "pesticide-tests", "disinfections", "container-cleanings",
               "water-supplies", "shop-checks", "additive-uses")  # entered several at a sitting
TWO_COLUMNS_FROM = 9  # fields; longer forms are laid out in two columns to fit one screen
LIVE_STYLE = "font-weight: bold; font-size: 12pt; padding: 6px;"


def event_spec(kind: RecordType) -> f.Spec | None:
    """The record's own event time as a field (when the delivery arrived, when the test was done)."""
    if kind.event == "datetime":
        return f.datetime("occurred_at", kind.event_en, kind.event_zh, required=True, not_future=True)
    if kind.event == "date":
        return f.date("day", kind.event_en, kind.event_zh, required=True, not_future=True)
    return None


def short_message(exc: ValidationError) -> str:
    """The error without its field label (the label is already beside it)."""
    text = exc.text(i18n.language())
    for label in (exc.label_zh + "：", exc.label_en + ": "):
        if text.startswith(label):
            return text[len(label):]
    return text


class RecordForm(QDialog):
    """Add (record_id None) or amend a record of `kind`; emits `saved(row)` once written, the
    saved version as a plain `RecordRow`."""

    saved = Signal(object)

    def __init__(self, session, kind: str, record_id: int | None = None, initial: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.kind, self.record_id = session, kind, record_id
        self.record_type = record_type(kind)
        self.setObjectName("record_form")
        self.setAccessibleName(f"{self.record_type.en} form")
        name = self.record_type.label(i18n.language())
        self.setWindowTitle(self.tr("New record: {0}").format(name) if record_id is None
                            else self.tr("Amend record: {0} No. {1}").format(name, record_id))
        self.editors: dict[str, Editor] = {}
        self._build()
        self._touched: set[str] = set()
        self._filling = True
        self._fill(initial)
        self._filling = False
        self._connect_live_checks()
        self._connect_helpers()
        self._update_live()
        self.first_field().setFocus()

    def first_field(self) -> QWidget:
        """Where typing starts: the reason when amending; else the first field after the event time,
        which is already "now" (Shift+Tab goes back to it for a late entry)."""
        if self.record_id is not None:
            return self.reason
        editors = [e for name, e in self.editors.items() if name not in ("occurred_at", "day")]
        return (editors or list(self.editors.values()))[0].widget

    # ---- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        """The form top to bottom: banner, the field grid (amendment reason, fields, late reason,
        computed result) in a scroll area, the footer with its buttons; then the tab order."""
        outer = QVBoxLayout(self)
        outer.addWidget(self._build_banner())
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(8)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)
        row = self._build_reason_row(body, grid)
        ordered = self._build_editors(body)
        columns, row = self._place_fields(grid, ordered, row)
        row = self._place_late_row(grid, row)
        self._place_live(body, grid, row)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        self._build_footer(outer)
        self._set_tab_order(ordered)
        self.resize(1120 if columns == 2 else 760, min(860, body.sizeHint().height() + 150))

    def _build_banner(self) -> QLabel:
        """The red message above the fields: what the core refused, in words (hidden until then)."""
        self.banner = QLabel("", self)
        self.banner.setObjectName("form_banner")
        self.banner.setAccessibleName("Form message")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet("background:#fdecea; color:#7a0010; border:1px solid #e0a0a0; padding:6px;")
        self.banner.hide()
        return self.banner

    def _build_reason_row(self, body: QWidget, grid: QGridLayout) -> int:
        """The reason for an amendment, first of all (only when amending); returns the next grid row."""
        self.reason = QLineEdit(body)
        self.reason.setObjectName("field_reason")
        self.reason.setAccessibleName(self.tr("Reason for the amendment"))
        self.reason_message = self._message_label(body, "error_reason")
        if self.record_id is None:
            self.reason.hide()
            return 0
        grid.addWidget(QLabel(self.tr("Reason for the amendment *"), body), 0, 0)
        grid.addWidget(self.reason, 0, 1, 1, 4)
        grid.addWidget(self.reason_message, 0, 5)
        return 1

    def _build_editors(self, body: QWidget) -> list[Editor]:
        """One editor per field in paper-form order, the event time first; and the late-reason
        widgets, shown only when the entry is late."""
        event = event_spec(self.record_type)
        if event is not None:
            self.editors[event.name] = editor_for(event, body)
        for spec in self.record_type.fields:
            if not spec.hidden:
                self.editors[spec.name] = editor_for(spec, body)
        self.late_reason = QLineEdit(body)
        self.late_reason.setObjectName("field_late_reason")
        self.late_reason.setAccessibleName(self.tr("Reason for late entry"))
        self.late_label = QLabel(self.tr("Reason for late entry *"), body)
        self.late_message = self._message_label(body, "error_late_reason")
        return list(self.editors.values())

    @staticmethod
    def _place_fields(grid: QGridLayout, ordered: list[Editor], row: int) -> tuple[int, int]:
        """The fields down one column, or two for a long form; returns (columns, next row)."""
        columns = 2 if len(ordered) >= TWO_COLUMNS_FROM else 1
        if columns == 1:
            grid.setColumnStretch(4, 0)  # no second column: its room goes to the fields
        per_column = (len(ordered) + columns - 1) // columns
        for i, editor in enumerate(ordered):
            column, r = divmod(i, per_column)
            editor.place(grid, row + r, column)
        return columns, row + per_column

    def _place_late_row(self, grid: QGridLayout, row: int) -> int:
        grid.addWidget(self.late_label, row, 0)
        grid.addWidget(self.late_reason, row, 1, 1, 4)
        grid.addWidget(self.late_message, row, 5)
        return row + 1

    def _place_live(self, body: QWidget, grid: QGridLayout, row: int) -> None:
        """The computed result under the fields (inhibition %, keep-until), in bold."""
        self.live = QLabel("", body)
        self.live.setObjectName("form_live")
        self.live.setAccessibleName("Computed result")
        self.live.setWordWrap(True)
        self.live.setStyleSheet(LIVE_STYLE)
        grid.addWidget(self.live, row, 0, 1, 6)
        grid.setRowStretch(row + 1, 1)  # spare height goes below the fields, not between them

    def _build_footer(self, outer: QVBoxLayout) -> None:
        """The key hint, "open a new form after saving" (remembered per record type), Save and Cancel."""
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("form_save")
        self.save_button.setAccessibleName(self.tr("Save"))
        self.save_button.setDefault(True)
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("form_cancel")
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("Enter saves · Esc cancels · * required"), self)
        hint.setStyleSheet("color: #666;")
        self.add_another = QCheckBox(self.tr("Open a new form after saving"), self)
        self.add_another.setObjectName("form_add_another")
        self.add_another.setAccessibleName(self.tr("Open a new form after saving"))
        self.add_another.setVisible(self.record_id is None)
        remembered = QSettings().value(f"add_another/{self.kind}", None)
        self.add_another.setChecked(self.record_id is None and (
            remembered in (True, "true") if remembered is not None else self.kind in BATCH_KINDS))
        self.add_another.toggled.connect(lambda on: QSettings().setValue(f"add_another/{self.kind}", on))
        self.add_another.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        foot = QHBoxLayout()
        foot.addWidget(hint, 1)
        foot.addWidget(self.add_another)
        outer.addLayout(foot)
        outer.addWidget(buttons)

    def _set_tab_order(self, ordered: list[Editor]) -> None:
        """Tab goes through the fields in paper-form order, then the late reason, then Save."""
        widgets = ([self.reason] if self.record_id is not None else []) + [e.widget for e in ordered]
        widgets += [self.late_reason, self.save_button]
        for a, b in zip(widgets, widgets[1:]):
            QWidget.setTabOrder(a, b)

    @staticmethod
    def _message_label(parent, name: str) -> QLabel:
        label = QLabel("", parent)
        label.setObjectName(name)
        label.setAccessibleName(name)
        label.setStyleSheet("color: #b00020;")
        label.setWordWrap(True)
        return label

    def _fill(self, initial: dict | None) -> None:
        suggestable = forms.suggestable(self.kind)
        for editor in self.editors.values():
            if isinstance(editor, RefEditor):
                editor.fill(forms.ref_choices(self.session, editor.spec))
            elif isinstance(editor, TextEditor) and editor.spec.name in suggestable:
                editor.offer(forms.earlier_entries(self.session, self.kind, editor.spec.name))
        if self.record_id is not None:
            opened = forms.form_values(self.session, self.kind, self.record_id)
            self.opened_version = opened.version  # a colleague's amendment meanwhile is not overwritten
            values = dict(opened.values)
            self.late_reason.setText(opened.late_reason or "")
        else:
            values = forms.defaults(self.session, self.kind)
            if self.kind == "samples":
                self._sample_defaults(values)
            elif self.kind == "pesticide-tests" and not (initial or {}).get("delivery"):
                batch = forms.next_untested_produce(self.session, values["occurred_at"].date())
                if batch is not None:
                    values["delivery"], values["sample_name"] = batch  # the next batch waiting for its screen
            elif self.kind == "morning-checks" and values.get("day"):
                person = forms.next_unchecked_staff(self.session, values["day"])
                if person is not None:
                    values["staff"] = person  # the next person in line, so the checks go one after another
        values.update(initial or {})
        for name, value in values.items():
            if name in self.editors:
                self.editors[name].set_value(value)

    def _sample_defaults(self, values: dict) -> None:
        """The next dish of the current meal still to be sampled; the menu's dishes first in completion."""
        day, meal = values.get("served_on"), values.get("meal")
        if not day or not meal:
            return
        dish = forms.next_unsampled_dish(self.session, day, meal)
        if dish:
            values["dish"] = dish
        dishes = forms.menu_dishes(self.session, day, meal)
        editor = self.editors.get("dish")
        if dishes and isinstance(editor, TextEditor):
            earlier = forms.earlier_entries(self.session, self.kind, "dish")
            editor.offer(dishes + [d for d in earlier if d not in dishes])

    def _connect_helpers(self) -> None:
        """Remember what the user typed, so look-ups never overwrite it; a known item fills its delivery."""
        for name, editor in self.editors.items():
            editor.changed.connect(lambda n=name: None if self._filling else self._touched.add(n))
        item = self.editors.get("item")
        if self.kind == "deliveries" and self.record_id is None and item is not None:
            item.widget.editingFinished.connect(self.apply_item_profile)
            QApplication.instance().focusChanged.connect(self._focus_moved)
            self._watching_focus = True
            completer = item.widget.completer()
            if completer is not None:
                completer.activated.connect(lambda _text: self.apply_item_profile())
        if self.kind == "deliveries" and "meat_kind" in self.editors:
            for name in ("item", "category"):
                self.editors[name].changed.connect(self.propose_meat_kind)
            self._enable_meat_kind()

    def _enable_meat_kind(self) -> bool:
        """The kind of meat is asked only of meat and poultry (Tab passes over it for other goods)."""
        meat = previews.meat_kind_asked(self.editors["category"].raw())
        self.editors["meat_kind"].widget.setEnabled(meat)
        return meat

    def propose_meat_kind(self) -> None:
        """Show the kind of meat the item name tells, from the core's list of cuts, as it is typed
        (五花肉 → pork); a kind the user picked stays. Goods that are not meat have none."""
        if self._enable_meat_kind() and "meat_kind" in self._touched:
            return
        filling, self._filling = self._filling, True
        try:
            self.editors["meat_kind"].set_value(previews.proposed_meat_kind(self.editors["item"].raw(),
                                                                             self.editors["category"].raw()))
        finally:
            self._filling = filling

    def _focus_moved(self, old, _new) -> None:
        """Leaving the item field (Tab, a click, a completion) is when its usual details are filled."""
        try:
            item = self.editors["item"].widget
        except RuntimeError:  # the form is gone
            return
        if old is item:
            self.apply_item_profile()

    def done(self, result: int) -> None:
        if getattr(self, "_watching_focus", False):
            self._watching_focus = False
            QApplication.instance().focusChanged.disconnect(self._focus_moved)
        super().done(result)

    def apply_item_profile(self) -> list[str]:
        """Fill category, unit, supplier, shelf life... as the item came last time, unless typed already."""
        profile = forms.item_profile(self.session, self.editors["item"].raw())
        filled = [name for name in profile if name in self.editors and name not in self._touched]
        self._filling = True
        try:
            for name in filled:
                self.editors[name].set_value(profile[name])
        finally:
            self._filling = False
        return filled

    # ---- judging as the user types ----------------------------------------------------------

    def _connect_live_checks(self) -> None:
        for editor in self.editors.values():
            editor.changed.connect(lambda e=editor: self._check(e))
            editor.changed.connect(self._update_live)
        self.reason.textChanged.connect(lambda: self.reason_message.setText(""))
        self.late_reason.textChanged.connect(lambda: self.late_message.setText(""))

    def _check(self, editor: Editor) -> bool:
        """Judge one field with the core's spec; show the verdict beside it."""
        try:
            editor.clean(self.session.tz, self.session.now())
        except ValidationError as exc:
            editor.show_message(short_message(exc))
            return False
        editor.show_message("")
        return True

    def _is_late(self) -> bool:
        """Whether saving will ask for a reason for late entry: the service's own answer."""
        event = self.editors.get("occurred_at") or self.editors.get("day")
        if event is None:
            return False
        return previews.needs_late_reason(self.session, self.record_type.event, event.raw())

    def _update_live(self) -> None:
        # An amendment is not a late entry: its own reason covers it; a late reason it had stays shown.
        late = bool(self.late_reason.text()) or (self.record_id is None and self._is_late())
        self.late_label.setVisible(late)
        self.late_reason.setVisible(late)
        self.late_message.setVisible(late)
        text = ""
        if self.kind == "pesticide-tests":
            text = self._pesticide_verdict()
        elif self.kind == "samples":
            text = self._sample_note()
        self.live.setText(text)
        self.live.setVisible(bool(text))

    def _decimal(self, name: str) -> Decimal | None:
        """A number as the service will store it (rounded to its field's places, as the verdict is
        worked out from the stored readings); None while the field holds no acceptable number."""
        editor = self.editors.get(name)
        if editor is None:
            return None
        try:
            value = editor.clean(self.session.tz, self.session.now())
        except ValidationError:
            return None
        return Decimal(value) if isinstance(value, (Decimal, int)) and not isinstance(value, bool) else None

    def _pesticide_verdict(self) -> str:
        """GB/T 5009.199: the inhibition % from the two readings, and what it means."""
        if self.editors["method"].raw() == "card":
            card = self.editors["card_result"].raw()
            return {"positive": self.tr("Test card: POSITIVE — two retests are needed before the batch is used."),
                    "negative": self.tr("Test card: negative")}.get(card, "")
        control = self._decimal("control_delta")
        verdict = previews.pesticide_verdict(self.session, control, self._decimal("sample_delta"))
        if verdict is None:
            self.live.setStyleSheet(LIVE_STYLE)
            return self.tr("Inhibition %: enter ΔA0 and ΔAt")
        pct_text = i18n.locale().toString(float(verdict.inhibition_pct), "f", 2)
        text = (self.tr("Inhibition {0} % — POSITIVE: two retests are needed before the batch is used.")
                if verdict.positive else self.tr("Inhibition {0} % — negative")).format(pct_text)
        if not verdict.control_in_range:
            text += "\n" + self.tr("ΔA0 {0} is outside the expected {1}–{2}: check the enzyme and reagents.").format(
                control, verdict.control_min, verdict.control_max)
        colour = "#b00020" if verdict.positive else "#1b5e20"
        self.live.setStyleSheet(f"{LIVE_STYLE} color: {colour};")
        return text

    def _sample_note(self) -> str:
        """When the sample may be discarded, and whether its weight is enough."""
        note = previews.sample_note(self.session, self.editors["occurred_at"].raw(), self._decimal("weight_g"))
        text = self.tr("Keep until {0}").format(note.keep_until.strftime("%Y-%m-%d %H:%M"))
        if note.under_weight:
            text += "\n" + self.tr("Under {0} g: it will be saved and reported as a violation (SMP-WEIGHT).").format(
                note.min_g)
            self.live.setStyleSheet(f"{LIVE_STYLE} color: #b00020;")
        else:
            self.live.setStyleSheet(LIVE_STYLE)
        return text

    # ---- saving -----------------------------------------------------------------------------

    def values(self) -> dict:
        """What the user entered, as input for the record services."""
        data = {name: editor.raw() for name, editor in self.editors.items()}
        if self.late_reason.isVisible() and self.late_reason.text().strip():
            data["late_reason"] = self.late_reason.text().strip()
        return data

    def _check_all(self) -> bool:
        bad = [e for e in self.editors.values() if not self._check(e)]
        ok = not bad
        if self.record_id is not None and not self.reason.text().strip():
            self.reason_message.setText(self.tr("Say why the record is changed."))
            bad.insert(0, None)
            ok = False
        if not ok:
            first = bad[0]
            (self.reason if first is None else first.widget).setFocus()
        return ok

    def accept(self) -> None:
        """Save through the core; stay open with the input intact when it refuses."""
        self.banner.hide()
        if not self._check_all():
            return
        try:
            if self.record_id is None:
                record = records.create(self.session, self.kind, self.values())
            else:
                record = records.amend(self.session, self.kind, self.record_id, self.values(), self.reason.text(),
                                       expected_version=self.opened_version)
        except ValidationError as exc:
            self._show_field_error(exc)
            return
        except BlockedError as exc:
            self._show_banner(explain(exc))
            return
        except CanteenError as exc:
            self._show_banner(explain(exc))
            return
        except Exception as exc:  # an unexpected failure still leaves the input on screen
            self._show_banner(explain(exc))
            return
        self.saved.emit(as_row(record, i18n.language()))
        super().accept()

    def _show_field_error(self, exc: ValidationError) -> None:
        if exc.field in self.editors:
            editor = self.editors[exc.field]
            editor.show_message(short_message(exc))
            editor.widget.setFocus()
        elif exc.field == "late_reason":
            self.late_label.show()
            self.late_reason.show()
            self.late_message.show()
            self.late_message.setText(short_message(exc))
            self.late_reason.setFocus()
        elif exc.field == "reason":
            self.reason_message.setText(short_message(exc))
        else:
            self._show_banner(exc.text(i18n.language()))

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
