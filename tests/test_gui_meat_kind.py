"""The delivery form shows the kind of meat the item name tells as it is typed, and lets the user change it."""

from __future__ import annotations

from gui_support import certified_supplier, desk, type_text, window  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt
from test_gui_forms import open_form

from canteen.models import Delivery


def choose(qtbot, combo, letters: str) -> None:
    combo.setFocus()
    qtbot.keyClicks(combo, letters)


def test_the_form_proposes_pork_for_a_cut_and_keeps_what_the_user_chose(qtbot, window, manager):
    certified_supplier(manager)
    page, form = open_form(qtbot, window, "deliveries")
    item, category, kind = (form.editors[n] for n in ("item", "category", "meat_kind"))
    type_text(qtbot, item.widget, "五花肉")
    assert not kind.widget.isEnabled() and kind.raw() is None  # no category yet: not meat
    choose(qtbot, category.widget, "M")
    assert category.raw() == "meat" and kind.widget.isEnabled()
    assert kind.raw() == "pork" and kind.widget.currentText() == "Pork"
    item.widget.clear()
    type_text(qtbot, item.widget, "牛腩")
    assert kind.raw() == "beef"
    choose(qtbot, kind.widget, "O")  # the user says: other meat
    assert kind.raw() == "other"
    item.widget.clear()
    type_text(qtbot, item.widget, "排骨")
    assert kind.raw() == "other"  # what the user chose stays
    category.widget.setCurrentIndex(category.widget.findData("vegetable"))  # picked from the list
    assert category.raw() == "vegetable" and kind.raw() is None and not kind.widget.isEnabled()


def test_a_pork_cut_saved_from_the_form_is_pork_and_needs_its_quality_certificate(qtbot, window, manager):
    certified_supplier(manager)
    page, form = open_form(qtbot, window, "deliveries")
    for name, text in {"item": "排骨", "quantity": "12", "batch_no": "P1", "receiver": "王芳",
                       "quarantine_cert_no": "DJ7"}.items():
        form.editors[name].widget.setFocus()
        type_text(qtbot, form.editors[name].widget, text)
    choose(qtbot, form.editors["category"].widget, "M")
    choose(qtbot, form.editors["result"].widget, "A")
    qtbot.keyClick(form.editors["result"].widget, Qt.Key.Key_Return)
    assert form.banner.isVisible() and "PUR-QUARANTINE" in form.banner.text() and "is pork (meat kind)" in form.banner.text()
    assert Delivery.select().count() == 0
    form.editors["meat_quality_cert_no"].widget.setFocus()
    type_text(qtbot, form.editors["meat_quality_cert_no"].widget, "RJ7")
    qtbot.keyClick(form.editors["meat_quality_cert_no"].widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert Delivery.get().meat_kind == "pork"
