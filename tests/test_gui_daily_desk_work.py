"""The desk as its users meet it: a Sunday's Today page, a doctor going from "missing" to the form,
deliveries entered one after another, what each role may press, and the PDF exports."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from conftest import local_now
from gui_support import certified_supplier, desk, type_text, window  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt

from canteen.models import REGISTRY, AuditEntry, Delivery
from canteen.services import records
from canteen.timeutil import to_utc

FRIDAY = dt.date(2026, 3, 6)
SUNDAY = dt.date(2026, 3, 8)
WAIT = 10_000


def clock_at(sessions, moment: dt.datetime) -> None:
    for session in sessions.values():
        session.clock = lambda m=to_utc(moment): m


def desk_for(qtbot, session):
    from ui.main_window import MainWindow
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    return win


def test_sunday_says_no_meals_and_offers_the_last_service_day(qtbot, desk, sessions):
    manager = sessions["manager"]
    clock_at(sessions, dt.datetime(2026, 3, 6, 12, 0))
    records.create(manager, "menus", {"day": FRIDAY, "meal": "lunch", "dishes": ["红烧肉", "炒青菜"]})
    clock_at(sessions, dt.datetime.combine(SUNDAY, dt.time(9, 0)))
    from ui.pages.today import TodayPage
    page = TodayPage(manager)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: bool(page.checks), timeout=WAIT)
    assert not page.is_service_day()
    assert page.no_service.isVisible()
    assert not page.scroll.isVisible()  # ten grey "not needed" cards would only hide the reminders
    assert "No meals are served" in page.no_service_label.text()
    assert page.jump_button.isVisible() and "last service day" in page.jump_button.text()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        qtbot.mouseClick(page.jump_button, Qt.MouseButton.LeftButton)
    assert page.day == FRIDAY
    assert not page.no_service.isVisible() and page.scroll.isVisible()
    assert page.cards["samples"].state == "missing"  # Friday's lunch was not sampled


def test_doctor_goes_from_a_missing_inspection_to_a_new_inspection_form(qtbot, desk, sessions):
    clock_at(sessions, dt.datetime.combine(FRIDAY, dt.time(19, 0)))
    records.create(sessions["manager"], "menus", {"day": FRIDAY, "meal": "lunch", "dishes": ["红烧肉"]})
    win = desk_for(qtbot, sessions["doctor"])
    today = win.page("today")
    qtbot.waitUntil(lambda: "inspection" in today.cards, timeout=WAIT)
    assert today.cards["inspection"].state == "missing"
    today.activate("inspection")
    page = win.pages["records:inspections"]
    qtbot.waitUntil(lambda: page.form is not None and page.form.isVisible(), timeout=WAIT)
    assert page.form.kind == "inspections" and page.form.record_id is None
    assert page.form.editors["day"].raw() == FRIDAY


def test_saving_a_delivery_opens_the_next_one_with_the_same_supplier(qtbot, window, manager):
    supplier = certified_supplier(manager)
    page = window.show_page("records:deliveries")
    form = page.add_record()
    assert form.add_another.isChecked()  # deliveries come several at a time
    form.editors["item"].set_value("大白菜")
    form.editors["category"].set_value("vegetable")
    form.editors["quantity"].set_value("30")
    form.editors["batch_no"].set_value("B-1")
    form.editors["supplier"].set_value(supplier)
    form.editors["result"].set_value("accepted")
    form.editors["receiver"].set_value("王芳")
    qtbot.keyClick(form.editors["receiver"].widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.form is not form and page.form is not None and page.form.isVisible(), timeout=WAIT)
    assert Delivery.select().count() == 1
    nxt = page.form
    assert nxt.record_id is None and nxt.kind == "deliveries"
    assert nxt.editors["supplier"].raw() == supplier and nxt.editors["receiver"].raw() == "王芳"
    assert nxt.editors["item"].raw() == ""
    assert nxt.focusWidget() is nxt.editors["item"].widget  # ready to type the next item
    assert page.offer.isVisible()  # the cabbage's pesticide test is still offered behind the new form
    nxt.add_another.setChecked(False)  # remembered for this record type
    nxt.reject()
    again = page.add_record()
    assert not again.add_another.isChecked()
    again.reject()


def test_auditor_can_read_and_export_but_nothing_editable_is_enabled(qtbot, desk, sessions):
    win = desk_for(qtbot, sessions["auditor"])
    for kind in REGISTRY:
        page = win.show_page(f"records:{kind}")
        assert page is not None, kind
        for button in (page.add_button, page.amend_button, page.void_button, page.sign_button):
            assert not button.isEnabled(), (kind, button.objectName())
        assert page.add_record() is None
        assert not page.sign_button.isVisibleTo(page)  # the auditor never signs: no button to puzzle over
    assert win.findChild(type(win.menuBar().actions()[0]), "action_export_archive").isEnabled()
    assert win.page("today").sheet_button.isVisibleTo(win.page("today"))


def test_leader_may_only_add_accompanied_meals_and_not_export(qtbot, desk, sessions):
    win = desk_for(qtbot, sessions["leader"])
    meals = win.show_page("records:accompanied-meals")
    assert meals.add_button.isEnabled() and meals.sign_button.isVisibleTo(meals)
    assert not win.show_page("records:deliveries").add_button.isEnabled()
    assert not win.findChild(type(win.menuBar().actions()[0]), "action_export_archive").isEnabled()
    assert win.export_archive() is None
    assert not win.page("today").sheet_button.isVisibleTo(win.page("today"))


@pytest.fixture
def opened(monkeypatch):
    """Files the desk would hand to the system's PDF viewer."""
    from ui import export_dialog
    seen: list = []
    monkeypatch.setattr(export_dialog, "OPENER", seen.append)
    return seen


def test_archive_export_shows_progress_and_can_be_cancelled(qtbot, window, tmp_path, opened):
    from canteen.errors import Cancelled
    gate = threading.Event()

    def slow(path, start, end, progress=None, cancel=None):
        done = 0
        while not cancel():
            done += 1
            progress(min(done, 99), 100)
            gate.wait(0.005)
        raise Cancelled()

    dialog = window.export_archive()
    assert dialog.start_edit is not None and dialog.end_edit.date().toPython() == window.session.today()
    dialog.export.make = slow
    dialog.path.setText(str(tmp_path / "archive.pdf"))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert dialog.running and not dialog.go.isEnabled() and dialog.close_button.text() == "Cancel"
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 100 and dialog.progress.value() > 0, timeout=WAIT)
    with qtbot.waitSignal(dialog.failed_export, timeout=WAIT):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Cancelled" in dialog.message.text()
    assert not (tmp_path / "archive.pdf").exists() and opened == []


def test_archive_export_writes_the_pdf_and_opens_it(qtbot, window, manager, tmp_path, opened):
    certified_supplier(manager)
    dialog = window.export_archive()
    target = tmp_path / "archive.pdf"
    dialog.path.setText(str(target))
    assert dialog.open_when_done.isChecked()
    with qtbot.waitSignal(dialog.finished_export, timeout=60_000):
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    assert target.exists() and target.read_bytes()[:5] == b"%PDF-"
    assert "Written" in dialog.message.text() and opened == [target]
    entry = AuditEntry.select().where(AuditEntry.action == "export").get()
    assert entry.record_kind == "archive" and entry.user_id == manager.user.id


def test_daily_sheet_labels_and_disclosure_are_where_they_belong(qtbot, window, manager, tmp_path, opened):
    today = window.show_page("today")
    qtbot.waitUntil(lambda: bool(today.checks), timeout=WAIT)
    samples = window.show_page("records:samples")
    ledger = window.show_page("ledger-month")
    for name, start in (("sheet.pdf", today.export_daily_sheet), ("labels.pdf", samples.export_labels),
                        ("disclosure.pdf", ledger.export_disclosure)):
        dialog = start()
        dialog.open_when_done.setChecked(False)
        dialog.path.setText(str(tmp_path / name))
        with qtbot.waitSignal(dialog.finished_export, timeout=60_000):
            qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
        assert (tmp_path / name).read_bytes()[:5] == b"%PDF-", name
        dialog.reject()
        assert not dialog.isVisible()
    assert opened == []
    exported = AuditEntry.select().where(AuditEntry.action == "export").order_by(AuditEntry.seq)
    assert [e.record_kind for e in exported] == ["daily-sheet", "sample-labels", "disclosure"]


def test_export_refuses_a_missing_folder_in_words(qtbot, window, tmp_path):
    dialog = window.export_archive()
    dialog.path.setText(str(tmp_path / "no-such-folder" / "a.pdf"))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert not dialog.running and "does not exist" in dialog.message.text()


def test_a_known_item_fills_its_delivery_from_last_time_without_overwriting_typing(qtbot, window, manager):
    supplier = certified_supplier(manager)
    other = certified_supplier(manager, "城南豆制品厂")
    records.create(manager, "deliveries", {
        "occurred_at": local_now().replace(second=0) - dt.timedelta(hours=2),
        "item": "豆腐", "category": "other", "quantity": "20", "unit": "板", "supplier": other,
        "batch_no": "D1", "shelf_life_days": 2, "result": "accepted", "receiver": "王芳"})
    page = window.show_page("records:deliveries")
    form = page.add_record()
    assert form.editors["supplier"].raw() == other  # the last supplier to start with
    form.editors["supplier"].set_value(supplier)     # ...but the user picked another one
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.editors["item"].widget.setFocus()
    type_text(qtbot, form.editors["item"].widget, "豆腐")
    qtbot.keyClick(form.editors["item"].widget, Qt.Key.Key_Tab)
    assert form.editors["category"].raw() == "other"
    assert form.editors["unit"].raw() == "板"
    assert form.editors["shelf_life_days"].raw() == "2"
    assert form.editors["supplier"].raw() == supplier  # typed by the user: kept
    form.reject()


def test_sample_form_starts_with_the_next_dish_not_yet_sampled(qtbot, window, manager):
    from canteen.read.forms import current_meal
    now = local_now().replace(second=0)
    meal = current_meal(now)
    records.create(manager, "menus", {"day": now.date(), "meal": meal, "dishes": ["红烧肉", "炒青菜", "米饭"]})
    records.create(manager, "samples", {"occurred_at": now, "dish": "红烧肉", "served_on": now.date(),
                                        "meal": meal, "weight_g": "150", "sampler": "王芳"})
    page = window.show_page("records:samples")
    form = page.add_record()
    assert form.editors["dish"].raw() == "炒青菜"
    completer = form.editors["dish"].widget.completer()
    assert completer.model().index(0, 0).data() == "红烧肉"  # the menu's dishes come first
    form.reject()


def test_morning_check_form_starts_with_the_next_person_not_yet_checked(qtbot, window, manager):
    today = local_now().date()
    first = records.create(manager, "staff", {"name": "王芳", "post": "cook", "hired_on": "2025-01-01"})
    second = records.create(manager, "staff", {"name": "李强", "post": "cook", "hired_on": "2025-01-01"})
    records.create(manager, "morning-checks", {"day": today, "staff": first.id, "temperature_c": "36.5",
                                               "fit": True, "checker": "陈晓东"})
    page = window.show_page("records:morning-checks")
    form = page.add_record()
    assert form.editors["staff"].raw() == second.id
    form.reject()


def test_expired_licence_stands_out_in_red(qtbot, window, manager):
    supplier = records.create(manager, "suppliers", {"name": "老王冻品", "kind": "distributor", "address": "城关镇"})
    records.create(manager, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                             "number": "JY9", "expires_on": local_now().date() - dt.timedelta(days=3)})
    page = window.show_page("records:certificates")
    page.refresh()
    model = page.table_model
    column = next(i for i, c in enumerate(model.columns) if c.name == "expires_on")
    index = model.index(0, column)
    assert model.data(index, Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == "Expired"


def test_doctor_signs_the_daily_inspection_straight_from_today(qtbot, desk, sessions, monkeypatch):
    from ui.forms import dialogs
    clock_at(sessions, dt.datetime.combine(FRIDAY, dt.time(19, 0)))
    doctor = sessions["doctor"]
    records.create(sessions["manager"], "menus", {"day": FRIDAY, "meal": "lunch", "dishes": ["红烧肉"]})
    inspection = records.create(doctor, "inspections", {"day": FRIDAY, "inspector": "李静",
                                                        "checklist": {"environment": True}})
    asked = []
    monkeypatch.setattr(dialogs.SignDialog, "ask", classmethod(
        lambda cls, parent, summary, meanings: asked.append(summary) or ("inspected", "demo", True)))
    # lunch was neither accompanied nor its tableware disinfected: the day close asks why it is closed anyway
    monkeypatch.setattr(dialogs.ReasonDialog, "ask", classmethod(
        lambda cls, parent, title, prompt: asked.append(prompt) or ("陪餐人临时外出，已安排补记", True)))
    win = desk_for(qtbot, doctor)
    today = win.page("today")
    qtbot.waitUntil(lambda: "inspection" in today.cards, timeout=WAIT)
    assert "not signed yet" in today.cards["inspection"].detail.text()
    today.activate("inspection")
    page = win.pages["records:inspections"]
    qtbot.waitUntil(lambda: page.signature_state.text() == "Signed — locked", timeout=WAIT)
    assert page.current_id() == inspection.id and f"No. {inspection.id}" in asked[0]
    assert "no accompanied-meal record" in asked[1]
    model = page.table_model
    version = next(i for i, c in enumerate(model.columns) if c.name == "version")
    row = model.row_of(inspection.id)
    assert model.data(model.index(row, version)) == "1 · signed"  # the table tells the signed days apart
    records.amend(doctor, "inspections", inspection.id, {"findings": "地面积水"}, reason="补充")
    page.refresh()
    assert model.data(model.index(model.row_of(inspection.id), version)) == "2 · changed after signing"


def test_saving_a_new_inspection_offers_to_sign_it(qtbot, desk, sessions, monkeypatch):
    from ui.forms import dialogs
    monkeypatch.setattr(dialogs.SignDialog, "ask", classmethod(lambda cls, p, s, m: ("inspected", "demo", True)))
    win = desk_for(qtbot, sessions["doctor"])
    page = win.show_page("records:inspections")
    form = page.add_record()
    form.editors["inspector"].set_value("李静")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.offer.isVisible(), timeout=WAIT)
    assert page.offer_button.objectName() == "offer_sign"
    qtbot.mouseClick(page.offer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.signature_state.text() == "Signed — locked", timeout=WAIT)


def test_each_user_comes_back_to_their_own_last_page(qtbot, desk, sessions):
    auditor = desk_for(qtbot, sessions["auditor"])
    auditor.show_page("audit-trail")
    auditor.close()
    doctor = desk_for(qtbot, sessions["doctor"])
    assert doctor.current_key() == "today"
    doctor.close()
    again = desk_for(qtbot, sessions["auditor"])
    assert again.current_key() == "audit-trail"


def test_amending_an_old_record_does_not_ask_for_a_late_entry_reason(qtbot, window, manager):
    from canteen.timeutil import utcnow
    three_days_ago = local_now().replace(second=0) - dt.timedelta(days=3)
    real_clock = manager.clock
    manager.clock = lambda: utcnow() - dt.timedelta(days=3)  # entered on time, three days ago
    sample = records.create(manager, "samples", {"occurred_at": three_days_ago, "dish": "红烧肉",
                                                 "served_on": three_days_ago.date(), "meal": "lunch",
                                                 "weight_g": "150", "sampler": "王芳"})
    manager.clock = real_clock
    page = window.show_page("records:samples")
    page.refresh()
    assert page.select_record(sample.id)
    form = page.amend_record()
    assert not form.late_reason.isVisibleTo(form)  # an amendment is not a late entry
    form.editors["weight_g"].set_value("160")
    form.reason.setText("复称")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=WAIT)
    assert records.get(manager, "samples", sample.id).version == 2


def test_a_short_form_gives_its_fields_the_width(qtbot, window):
    page = window.show_page("records:meetings")
    form = page.add_record()
    qtbot.waitExposed(form)
    editor = next(e for e in form.editors.values() if e.spec.kind == "longtext")
    assert editor.widget.width() > form.width() // 2  # no empty second column eating half the dialog
    form.reject()


def test_the_leader_records_an_accompanied_meal_under_their_own_name(qtbot, desk, sessions):
    leader = sessions["leader"]
    win = desk_for(qtbot, leader)
    page = win.show_page("records:accompanied-meals")
    form = page.add_record()
    assert form.editors["leader"].raw() == leader.user.display_name
    form.editors["rating_taste"].set_value("5")
    with qtbot.waitSignal(form.saved, timeout=WAIT) as saved:
        qtbot.keyClick(form.editors["rating_taste"].widget, Qt.Key.Key_Return)
    assert saved.args[0].get("leader") == leader.user.display_name


def test_pesticide_form_starts_with_the_next_batch_waiting_for_its_screen(qtbot, window, manager):
    supplier = certified_supplier(manager)
    now = local_now().replace(second=0)
    batches = [records.create(manager, "deliveries", {
        "occurred_at": now, "item": item, "category": "vegetable", "quantity": "20", "supplier": supplier,
        "batch_no": f"B{n}", "result": "accepted", "receiver": "王芳"}) for n, item in enumerate(("菠菜", "大白菜"))]
    records.create(manager, "pesticide-tests", {"occurred_at": now,
                                                "sample_name": "菠菜", "delivery": batches[0].id, "method": "card",
                                                "card_result": "negative", "tester": "王芳"})
    page = window.show_page("records:pesticide-tests")
    form = page.add_record()
    assert form.editors["delivery"].raw() == batches[1].id
    assert form.editors["sample_name"].raw() == "大白菜"
    form.reject()
