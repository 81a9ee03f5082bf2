"""The record form, built from a record type's field specs: add a record or amend one.

Keyboard first: fields in paper-form order, Tab moves on, Enter saves, Esc cancels. Each field
is judged by the core's own spec as it is typed; on save the service judges the whole record
again, and whatever it refuses is shown beside its field or, for a block rule, in words with
the rule and its source. Nothing the user typed is lost when a save is refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QDialogButtonBox, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QScrollArea, QVBoxLayout, QWidget)

from canteen import fields as f
from canteen.errors import BlockedError, CanteenError, ValidationError
from canteen.meat import MEAT_CATEGORIES, default_meat_kind
from canteen.numbers import number_or_none
from canteen.services import records
from canteen.services.prepare import inhibition
from canteen.timeutil import to_local

from .. import i18n
from . import lookups
from .dialogs import explain
from .editors import Editor, RefEditor, TextEditor, editor_for

BATCH_KINDS = ("deliveries", "samples", "morning-checks", "pesticide-tests", "disinfections", "container-cleanings",
               "water-supplies", "shop-checks", "additive-uses")  # entered several at a sitting
TWO_COLUMNS_FROM = 9  # fields; longer forms are laid out in two columns to fit one screen
LIVE_STYLE = "font-weight: bold; font-size: 12pt; padding: 6px;"


def event_spec(model) -> f.Spec | None:
    """The record's own event time as a field (when the delivery arrived, when the test was done)."""
    if model.EVENT == "datetime":
        return f.datetime("occurred_at", model.EVENT_EN, model.EVENT_ZH, required=True, not_future=True)
    if model.EVENT == "date":
        return f.date("day", model.EVENT_EN, model.EVENT_ZH, required=True, not_future=True)
    return None


def short_message(exc: ValidationError) -> str:
    """The error without its field label (the label is already beside it)."""
    text = exc.text(i18n.language())
    for label in (exc.label_zh + "：", exc.label_en + ": "):
        if text.startswith(label):
            return text[len(label):]
    return text


class RecordForm(QDialog):
    """Add (record_id None) or amend a record of `kind`; emits `saved(record)` once written."""

    saved = Signal(object)

    def __init__(self, session, kind: str, record_id: int | None = None, initial: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.kind, self.record_id = session, kind, record_id
        self.model = records.model_for(kind)
        self.setObjectName("record_form")
        self.setAccessibleName(f"{self.model.EN} form")
        name = self.model.label(i18n.language())
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
        outer = QVBoxLayout(self)
        self.banner = QLabel("", self)
        self.banner.setObjectName("form_banner")
        self.banner.setAccessibleName("Form message")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet("background:#fdecea; color:#7a0010; border:1px solid #e0a0a0; padding:6px;")
        self.banner.hide()
        outer.addWidget(self.banner)

        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(8)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)
        self.reason = QLineEdit(body)
        self.reason.setObjectName("field_reason")
        self.reason.setAccessibleName(self.tr("Reason for the amendment"))
        self.reason_message = self._message_label(body, "error_reason")
        row = 0
        if self.record_id is not None:
            grid.addWidget(QLabel(self.tr("Reason for the amendment *"), body), row, 0)
            grid.addWidget(self.reason, row, 1, 1, 4)
            grid.addWidget(self.reason_message, row, 5)
            row += 1
        else:
            self.reason.hide()

        specs = [s for s in self.model.FIELDS if not s.hidden]
        event = event_spec(self.model)
        if event is not None:
            self.editors[event.name] = editor_for(event, body)
        for spec in specs:
            self.editors[spec.name] = editor_for(spec, body)
        self.late_reason = QLineEdit(body)
        self.late_reason.setObjectName("field_late_reason")
        self.late_reason.setAccessibleName(self.tr("Reason for late entry"))
        self.late_label = QLabel(self.tr("Reason for late entry *"), body)
        self.late_message = self._message_label(body, "error_late_reason")

        ordered = list(self.editors.values())
        columns = 2 if len(ordered) >= TWO_COLUMNS_FROM else 1
        if columns == 1:
            grid.setColumnStretch(4, 0)  # no second column: its room goes to the fields
        per_column = (len(ordered) + columns - 1) // columns
        start = row
        for i, editor in enumerate(ordered):
            column, r = divmod(i, per_column)
            editor.place(grid, start + r, column)
        row = start + per_column
        grid.addWidget(self.late_label, row, 0)
        grid.addWidget(self.late_reason, row, 1, 1, 4)
        grid.addWidget(self.late_message, row, 5)
        row += 1
        self.live = QLabel("", body)
        self.live.setObjectName("form_live")
        self.live.setAccessibleName("Computed result")
        self.live.setWordWrap(True)
        self.live.setStyleSheet(LIVE_STYLE)
        grid.addWidget(self.live, row, 0, 1, 6)
        grid.setRowStretch(row + 1, 1)  # spare height goes below the fields, not between them

        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)

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

        widgets = ([self.reason] if self.record_id is not None else []) + [e.widget for e in ordered]
        widgets += [self.late_reason, self.save_button]
        for a, b in zip(widgets, widgets[1:]):
            QWidget.setTabOrder(a, b)
        self.resize(1120 if columns == 2 else 760, min(860, body.sizeHint().height() + 150))

    @staticmethod
    def _message_label(parent, name: str) -> QLabel:
        label = QLabel("", parent)
        label.setObjectName(name)
        label.setAccessibleName(name)
        label.setStyleSheet("color: #b00020;")
        label.setWordWrap(True)
        return label

    def _fill(self, initial: dict | None) -> None:
        site_id = self.session.site.id
        for editor in self.editors.values():
            if isinstance(editor, RefEditor):
                editor.fill(lookups.ref_choices(editor.spec, site_id, self.session.tz))
            elif isinstance(editor, TextEditor) and editor.spec.suggest and editor.spec.name in self.model._meta.fields:
                editor.offer(lookups.earlier_entries(self.model, site_id, editor.spec.name))
        if self.record_id is not None:
            record = records.get(self.session, self.kind, self.record_id)
            self.opened_version = record.version  # a colleague's amendment meanwhile is not overwritten
            values = records.to_input(record, self.session)
            self.late_reason.setText(record.late_reason or "")
        else:
            values = lookups.defaults(self.model, self.session)
            if self.kind == "samples":
                self._sample_defaults(values)
            elif self.kind == "pesticide-tests" and not (initial or {}).get("delivery"):
                batch = lookups.next_untested_produce(self.session.site.id, values["occurred_at"].date())
                if batch is not None:
                    values["delivery"], values["sample_name"] = batch  # the next batch waiting for its screen
            elif self.kind == "morning-checks" and values.get("day"):
                person = lookups.next_unchecked_staff(self.session.site.id, values["day"])
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
        dish = lookups.next_unsampled_dish(self.session.site.id, day, meal)
        if dish:
            values["dish"] = dish
        dishes = lookups.menu_dishes(self.session.site.id, day, meal)
        editor = self.editors.get("dish")
        if dishes and isinstance(editor, TextEditor):
            earlier = lookups.earlier_entries(self.model, self.session.site.id, "dish")
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
        meat = self.editors["category"].raw() in MEAT_CATEGORIES
        self.editors["meat_kind"].widget.setEnabled(meat)
        return meat

    def propose_meat_kind(self) -> None:
        """Show the kind of meat the item name tells, from the core's list of cuts, as it is typed
        (五花肉 → pork); a kind the user picked stays. Goods that are not meat have none."""
        if self._enable_meat_kind() and "meat_kind" in self._touched:
            return
        filling, self._filling = self._filling, True
        try:
            self.editors["meat_kind"].set_value(default_meat_kind(self.editors["item"].raw(), self.editors["category"].raw()))
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
        profile = lookups.item_profile(self.session, self.editors["item"].raw())
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
        event = self.editors.get("occurred_at") or self.editors.get("day")
        if event is None:
            return False
        when = event.raw()
        if not isinstance(when, dt.datetime):
            when = dt.datetime.combine(when, dt.time(23, 59, 59))
        now = to_local(self.session.now(), self.session.tz)
        return now - when > dt.timedelta(hours=self.session.setting("late_entry_hours"))

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
        editor = self.editors.get(name)
        return None if editor is None else number_or_none(editor.raw())

    def _pesticide_verdict(self) -> str:
        """GB/T 5009.199: the inhibition % from the two readings, and what it means."""
        if self.editors["method"].raw() == "card":
            card = self.editors["card_result"].raw()
            return {"positive": self.tr("Test card: POSITIVE — two retests are needed before the batch is used."),
                    "negative": self.tr("Test card: negative")}.get(card, "")
        control, sample = self._decimal("control_delta"), self._decimal("sample_delta")
        if control is None or sample is None or control <= 0:
            self.live.setStyleSheet(LIVE_STYLE)
            return self.tr("Inhibition %: enter ΔA0 and ΔAt")
        pct = inhibition(control, sample)
        positive = pct >= self.session.setting("pesticide_positive_pct")
        pct_text = i18n.locale().toString(float(pct), "f", 2)
        text = (self.tr("Inhibition {0} % — POSITIVE: two retests are needed before the batch is used.")
                if positive else self.tr("Inhibition {0} % — negative")).format(pct_text)
        low, high = self.session.setting("control_delta_min"), self.session.setting("control_delta_max")
        if not low <= control <= high:
            text += "\n" + self.tr("ΔA0 {0} is outside the expected {1}–{2}: check the enzyme and reagents.").format(
                control, low, high)
        colour = "#b00020" if positive else "#1b5e20"
        self.live.setStyleSheet(f"{LIVE_STYLE} color: {colour};")
        return text

    def _sample_note(self) -> str:
        """When the sample may be discarded, and whether its weight is enough."""
        sampled = self.editors["occurred_at"].raw()
        keep = sampled + dt.timedelta(hours=self.session.setting("sample_hours"))
        text = self.tr("Keep until {0}").format(keep.strftime("%Y-%m-%d %H:%M"))
        weight, minimum = self._decimal("weight_g"), self.session.setting("sample_min_g")
        if weight is not None and 0 < weight < minimum:
            text += "\n" + self.tr("Under {0} g: it will be saved and reported as a violation (SMP-WEIGHT).").format(minimum)
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
        self.saved.emit(record)
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
