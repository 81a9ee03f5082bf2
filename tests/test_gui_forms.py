"""Entering records through the real form widgets: keyboard only, field errors, block refusals."""

from __future__ import annotations

import datetime as dt

from gui_support import certified_supplier, desk, type_text, window  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from canteen.models import Delivery, PesticideTest, RetainedSample
from canteen.timeutil import local_today


def open_form(qtbot, window, kind):
    page = window.show_page(f"records:{kind}")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.form is not None and page.form.isVisible())
    page.form.activateWindow()
    qtbot.waitUntil(page.form.isActiveWindow)
    return page, page.form


def focused():
    return QApplication.focusWidget()


def type_here(qtbot, text):
    if text:
        type_text(qtbot, focused(), text)


def tab(qtbot, times=1):
    for _ in range(times):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)


def test_delivery_entered_with_the_keyboard_only(qtbot, window, manager):
    certified_supplier(manager)
    page, form = open_form(qtbot, window, "deliveries")
    assert focused() is form.editors["item"].widget  # the arrival time is already "now": typing starts at the item
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused() is form.editors["occurred_at"].widget  # one Shift+Tab back for a late entry
    tab(qtbot)
    fields = [("item", "小白菜"), ("category", "V"), ("spec", "散装"), ("quantity", "25.5"), ("unit", None),
              ("supplier", None), ("production_date", None), ("batch_no", "B-1129")]
    for name, text in fields:
        assert focused() is form.editors[name].widget, name
        type_here(qtbot, text)
        tab(qtbot)
    # shelf life, expiry, unit price, amount, invoice, certs, quarantine, meat cert, sensory, note, storage,
    # label temp, arrival temp: defaults kept
    tab(qtbot, 13)
    assert focused() is form.editors["result"].widget
    type_here(qtbot, "A")
    tab(qtbot, 2)
    assert focused() is form.editors["receiver"].widget
    type_here(qtbot, "王芳")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    saved = Delivery.get()
    assert (saved.item, saved.category, saved.quantity, saved.unit, saved.result, saved.receiver) == (
        "小白菜", "vegetable", 25.5, "kg", "accepted", "王芳")
    assert page.table_model.rowCount() == 1
    assert "Saved" in window.statusBar().currentMessage()
    # a vegetable delivery offers its pesticide test next
    assert page.offer.isVisible()
    qtbot.mouseClick(page.offer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.form is not form and page.form.isVisible())
    assert page.form.kind == "pesticide-tests"
    assert page.form.editors["sample_name"].raw() == "小白菜"
    assert page.form.editors["delivery"].raw() == saved.id


def test_negative_quantity_is_refused_beside_the_field_and_nothing_is_written(qtbot, window, manager):
    certified_supplier(manager)
    page, form = open_form(qtbot, window, "deliveries")
    quantity = form.editors["quantity"]
    quantity.widget.setFocus()
    qtbot.keyClicks(quantity.widget, "-3")
    assert "more than 0" in quantity.message.text()
    qtbot.keyClick(quantity.widget, Qt.Key.Key_Return)
    assert form.isVisible()
    assert quantity.widget.text() == "-3"  # the input stays
    assert Delivery.select().count() == 0


def test_expired_goods_marked_accepted_are_refused_with_the_rule_and_its_source(qtbot, window, manager):
    certified_supplier(manager)
    page, form = open_form(qtbot, window, "deliveries")
    values = {"item": "酸奶", "quantity": "10", "batch_no": "Y7", "receiver": "王芳"}
    for name, text in values.items():
        form.editors[name].widget.setFocus()
        type_text(qtbot, form.editors[name].widget, text)
    expiry = form.editors["expiry_date"].widget
    expiry.setFocus()
    qtbot.keyClicks(expiry, (local_today() - dt.timedelta(days=3)).isoformat())
    form.editors["category"].widget.setFocus()
    qtbot.keyClicks(form.editors["category"].widget, "D")
    form.editors["result"].widget.setFocus()
    qtbot.keyClicks(form.editors["result"].widget, "A")
    qtbot.keyClick(form.editors["result"].widget, Qt.Key.Key_Return)
    assert form.banner.isVisible()
    text = form.banner.text()
    assert "PUR-EXPIRED" in text and "Food Safety Law" in text and "rejected" in text
    assert form.isVisible() and form.editors["item"].widget.text() == "酸奶"
    assert Delivery.select().count() == 0


def test_pesticide_reading_crossing_fifty_percent_says_positive(qtbot, window, manager):
    page, form = open_form(qtbot, window, "pesticide-tests")
    type_text(qtbot, form.editors["sample_name"].widget, "菠菜")
    method = form.editors["method"].widget
    method.setFocus()
    qtbot.keyClicks(method, "S")
    control, sample = form.editors["control_delta"].widget, form.editors["sample_delta"].widget
    control.setFocus()
    qtbot.keyClicks(control, "0.600")
    sample.setFocus()
    qtbot.keyClicks(sample, "0.31")
    assert "negative" in form.live.text() and "48.33" in form.live.text()
    qtbot.keyClick(sample, Qt.Key.Key_Backspace)  # 0.3: exactly 50 % is positive
    assert "POSITIVE" in form.live.text() and "50.00" in form.live.text()
    qtbot.keyClicks(sample, "1")  # 0.31 again, then lower: 0.28 → 53.33 %
    sample.clear()
    qtbot.keyClicks(sample, "0.28")
    assert "POSITIVE" in form.live.text() and "53.33" in form.live.text()
    type_text(qtbot, form.editors["tester"].widget, "王芳")
    qtbot.keyClick(form.editors["tester"].widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert PesticideTest.get().result == "positive"


def test_sample_form_shows_keep_until_and_warns_under_125_g(qtbot, window, manager):
    page, form = open_form(qtbot, window, "samples")
    sampled = form.editors["occurred_at"].raw()
    assert (sampled + dt.timedelta(hours=48)).strftime("%Y-%m-%d %H:%M") in form.live.text()
    type_text(qtbot, form.editors["dish"].widget, "红烧肉")
    weight = form.editors["weight_g"].widget
    weight.setFocus()
    qtbot.keyClicks(weight, "100")
    assert "125" in form.live.text()
    type_text(qtbot, form.editors["sampler"].widget, "王芳")
    qtbot.keyClick(form.editors["sampler"].widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert RetainedSample.get().weight_g == 100


def test_amend_asks_a_reason_and_void_keeps_the_record(qtbot, window, manager, monkeypatch):
    from ui.forms.dialogs import ReasonDialog
    supplier = certified_supplier(manager)
    page = window.show_page("records:suppliers")
    page.refresh()
    page.select_record(supplier)
    form = page.amend_record()
    form.editors["address"].widget.clear()
    type_text(qtbot, form.editors["address"].widget, "城关镇学府路2号")
    qtbot.keyClick(form.editors["address"].widget, Qt.Key.Key_Return)
    assert form.isVisible() and form.reason_message.text()  # no reason yet
    type_text(qtbot, form.reason, "地址变更")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert page.history.rowCount() == 2
    assert "地址变更" in page.history.item(1, 3).text()
    assert page.history.item(1, 4).text() == "Address: 城关镇 → 城关镇学府路2号"
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, parent, title, prompt: ("录入重复", True)))
    page.select_record(supplier)
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    assert page.history.rowCount() == 3
    assert not page.amend_button.isEnabled()


def test_light_sample_entered_in_the_form_shows_on_today_as_a_violation(qtbot, window, manager):
    page, form = open_form(qtbot, window, "samples")
    type_text(qtbot, form.editors["dish"].widget, "番茄炒蛋")
    form.editors["weight_g"].widget.setFocus()
    qtbot.keyClicks(form.editors["weight_g"].widget, "100")
    type_text(qtbot, form.editors["sampler"].widget, "王芳")
    qtbot.keyClick(form.editors["sampler"].widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    today = window.page("today")
    with qtbot.waitSignal(today.loaded, timeout=10000):
        window.show_page("today")
    card = today.cards["samples"]
    assert card.state == "violation" and "100" in card.detail.text()
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    assert page.current_id() == RetainedSample.get().id


def test_an_amendment_saved_meanwhile_by_a_colleague_is_not_overwritten(qtbot, window, manager, sessions):
    """The manager opens a supplier to amend it; the director amends it first; the manager's save
    is refused with a message, the director's change stands and the typed input stays on screen."""
    from canteen.models import Supplier
    from canteen.services import records
    supplier = certified_supplier(manager)
    page = window.show_page("records:suppliers")
    page.refresh()
    page.select_record(supplier)
    form = page.amend_record()
    records.amend(sessions["director"], "suppliers", supplier, {"phone": "07314220000"}, "电话更正")
    form.editors["address"].widget.clear()
    type_text(qtbot, form.editors["address"].widget, "城关镇学府路2号")
    type_text(qtbot, form.reason, "地址变更")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    assert form.isVisible() and "was changed by 张主任 (director) at " in form.banner.text()
    stored = Supplier.get_by_id(supplier)
    assert (stored.version, stored.phone, stored.address) == (2, "07314220000", "城关镇")
    assert form.editors["address"].widget.text() == "城关镇学府路2号"
