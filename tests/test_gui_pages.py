"""GUI-B's pages driven through their widgets: Today, findings, ledger month, admin, audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from canteen import ledger
from canteen.models import AuditEntry, Setting
from canteen.services import records
from canteen.timeutil import to_utc
from ui.pages._common import fmt_money

DAY = dt.date(2026, 3, 4)  # a Wednesday
EVENING = to_utc(dt.datetime(2026, 3, 4, 20, 0))
WAIT = 10_000


@pytest.fixture
def book(sessions):
    """Every role's session on a clock standing at 20:00 local on DAY."""
    for session in sessions.values():
        session.clock = lambda: EVENING
    return sessions["manager"]


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute))


@pytest.fixture
def light_sample(book):
    """Lunch of two dishes; one sampled at 100 g, the other not at all."""
    records.create(book, "menus", {"day": DAY, "meal": "lunch", "dishes": ["红烧肉", "炒青菜"]})
    return records.create(book, "samples", {"occurred_at": at(12), "dish": "红烧肉", "served_on": DAY,
                                            "meal": "lunch", "weight_g": "100", "sampler": "王芳"})


@pytest.fixture
def supplier(book):
    supplier = records.create(book, "suppliers", {"name": "城关超市", "kind": "distributor", "address": "城关镇"})
    records.create(book, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                          "number": "JY1", "issued_on": "2025-01-01", "expires_on": "2026-03-20"})
    return supplier


def today_page(qtbot, session):
    from ui.pages.today import TodayPage
    page = TodayPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(page.checks), timeout=WAIT)
    return page


def test_today_shows_light_sample_as_violation_and_missing_inspection(qtbot, book, light_sample):
    page = today_page(qtbot, book)
    samples = page.cards["samples"]
    assert samples.state == "violation"
    assert samples.state_label.text() == "Violation"
    assert "100" in samples.detail.text()
    assert page.cards["inspection"].state == "missing"
    assert page.cards["inspection"].state_label.text() == "Missing"
    assert page.cards["deliveries"].state == "not_applicable"
    assert "Violation" in samples.accessibleName()
    assert "1" in page.summary.text()
    with qtbot.waitSignal(page.open_record, timeout=WAIT) as opened:
        qtbot.mouseClick(samples, Qt.MouseButton.LeftButton)
    assert opened.args == ["samples", light_sample.id]
    with qtbot.waitSignal(page.open_kind, timeout=WAIT) as wanted:
        page.cards["inspection"].setFocus()
        qtbot.keyClick(page.cards["inspection"], Qt.Key.Key_Return)
    assert wanted.args == ["inspections", DAY]


def test_today_refreshes_after_an_edit_and_shows_other_days(qtbot, book, light_sample):
    page = today_page(qtbot, book)
    records.create(book, "samples", {"occurred_at": at(12, 5), "dish": "炒青菜", "served_on": DAY,
                                     "meal": "lunch", "weight_g": "150", "sampler": "王芳"})
    records.amend(book, "samples", light_sample.id, {"weight_g": "130"}, reason="weighed again")
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.refresh_button.click()
    assert page.cards["samples"].state == "done"
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.previous.click()
    assert page.day == DAY - dt.timedelta(days=1)
    assert page.cards["samples"].state == "missing"  # a weekday without a menu: waiting for it


def test_today_lists_reminders(qtbot, book, supplier):
    page = today_page(qtbot, book)
    texts = [page.reminder_list.item(i).text() for i in range(page.reminder_list.count())]
    assert any("JY1" in t and "2026-03-20" in t for t in texts)
    with qtbot.waitSignal(page.open_record, timeout=WAIT) as opened:
        page._open_reminder(page.reminder_list.item(0))
    assert opened.args[0] == "certificates"


def findings_page(qtbot, session):
    from ui.pages.findings import FindingsPage
    page = FindingsPage(session)
    qtbot.addWidget(page)
    page.set_range(DAY, DAY)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.run_button.click()
    return page


def test_findings_filter_by_severity_and_rule(qtbot, book, light_sample, supplier):
    page = findings_page(qtbot, book)
    every = [page.model.data(page.model.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(page.model.rowCount())]
    severities = {f.severity for f in every}
    assert {"violation", "warning", "reminder"} <= severities
    box = page.severity_box
    box.setCurrentIndex(box.findData("warning"))
    shown = [page.model.rows[r] for r in range(page.model.rowCount())]
    assert shown and all(f.severity == "warning" for f in shown)
    assert len(shown) < len(every)
    assert f"{len(shown)} of {len(every)}" in page.count_label.text()
    box.setCurrentIndex(0)
    page.rule_box.setCurrentIndex(page.rule_box.findData("SMP-WEIGHT"))
    assert [f.record_id for f in page.model.rows] == [light_sample.id]
    with qtbot.waitSignal(page.open_record, timeout=WAIT) as opened:
        page.table.doubleClicked.emit(page.model.index(0, 4))
    assert opened.args == ["samples", light_sample.id]


def test_ledger_month_figures_match_month_summary(qtbot, book, supplier):
    from ui.pages.ledger import LedgerMonthPage
    records.create(book, "ledger", {"day": DAY, "diners_students": 240, "diners_teachers": 10,
                                    "income_student_fen": 240 * 1001, "income_teacher_fen": 12000,
                                    "income_subsidy_fen": 5001, "cost_fuel_fen": 3000})
    records.create(book, "deliveries", {"occurred_at": at(7), "item": "大米", "category": "grain", "quantity": "50",
                                        "unit": "kg", "supplier": supplier.id, "batch_no": "B1",
                                        "amount_fen": 123456, "result": "accepted", "receiver": "王芳"})
    page = LedgerMonthPage(book)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.summary is not None, timeout=WAIT)
    month = ledger.month_summary(book.site.id, 2026, 3)
    assert page.values["income"].text() == fmt_money(month.income_total)
    assert page.values["food_cost"].text() == fmt_money(month.food_cost)
    assert page.values["food_grain"].text() == fmt_money(123456)
    assert page.values["cost"].text() == fmt_money(month.cost_total)
    assert page.values["surplus"].text() == fmt_money(month.surplus)
    assert page.values["diner_days"].text() == "250"
    assert page.values["cost_per_diner_day"].text() == fmt_money(month.cost_per_diner_day)
    assert f"{float(month.surplus_rate):.2f}" in page.values["surplus_rate"].text()
    assert page.days_table.rowCount() == 1
    assert "Fuel" in page.note.text()  # recorded but not counted by default
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.previous.click()
    assert page.values["income"].text() == fmt_money(0)
    assert page.chart.summary.month == 2


def test_admin_page_does_not_offer_the_districts_own_settings(qtbot, sessions):
    """How late a canteen may push is the district's rule: the canteen's page has no field for it
    (the core refuses a canteen's own value anyway), and every other setting is there."""
    from canteen import settings
    from ui.pages.admin import AdminPage
    page = AdminPage(sessions["admin"])
    qtbot.addWidget(page)
    assert "push_stale_hours" not in page.setting_edits
    assert set(page.setting_edits) == {k for k, d in settings.DEFS.items() if not d.district_only}


def test_admin_refuses_a_bad_setting_and_saves_nothing(qtbot, sessions):
    from ui.pages.admin import AdminPage
    page = AdminPage(sessions["admin"])
    qtbot.addWidget(page)
    edit = page.setting_edits["sample_min_g"]
    edit.clear()
    qtbot.keyClicks(edit, "heavy")
    assert page.setting_errors["sample_min_g"].text()  # said as you type
    qtbot.mouseClick(page.save_settings_button, Qt.MouseButton.LeftButton)
    assert "Nothing was saved" in page.settings_message.text()
    assert page.setting_errors["sample_min_g"].text()
    assert Setting.select().count() == 0
    edit.setText("125")
    low = page.setting_edits["sample_temp_min_c"]
    low.setText("9")
    qtbot.mouseClick(page.save_settings_button, Qt.MouseButton.LeftButton)
    assert "Sample fridge maximum" in page.setting_errors["sample_temp_min_c"].text()
    assert Setting.select().count() == 0
    low.setText("2")
    qtbot.mouseClick(page.save_settings_button, Qt.MouseButton.LeftButton)
    assert "saved" in page.settings_message.text()
    assert [(s.key, s.value) for s in Setting.select()] == [("sample_temp_min_c", "2")]
    page.setting_edits["cert_alert_days"].setText("45")
    page.refresh()  # the main window refreshes a page it returns to: typed input stays
    assert page.setting_edits["cert_alert_days"].text() == "45"
    page.revert_button.click()
    assert page.setting_edits["cert_alert_days"].text() == "30"
    assert AuditEntry.select().order_by(AuditEntry.seq.desc()).first().action == "setting-update"


def test_admin_page_is_read_only_for_other_roles(qtbot, sessions):
    from ui.pages.admin import AdminPage
    page = AdminPage(sessions["manager"])
    qtbot.addWidget(page)
    assert page.banner.isVisibleTo(page)
    writers = [*page.setting_edits.values(), *page.site_edits.values(), page.save_settings_button,
               page.save_site_button, page.add_user_button, page.reset_button, page.active_button, page.role_button]
    assert not any(w.isEnabled() for w in writers)
    assert page.users_table.rowCount() == 0
    admin = AdminPage(sessions["admin"])
    qtbot.addWidget(admin)
    assert admin.save_settings_button.isEnabled() and not admin.banner.isVisibleTo(admin)
    assert admin.users_table.rowCount() == 6


def test_admin_adds_a_user(qtbot, sessions):
    from canteen.models import User
    from ui.pages.admin import AdminPage
    page = AdminPage(sessions["admin"])
    qtbot.addWidget(page)
    page.add_user()
    dialog = page._dialog
    dialog.username.setText("cook2")
    dialog.display_name.setText("刘师傅")
    dialog.role.setCurrentIndex(dialog.role.findData("manager"))
    dialog.password.setText("temp1234")
    dialog.repeat.setText("temp1234")
    with qtbot.waitSignal(dialog.finished, timeout=WAIT):
        dialog.buttons.accepted.emit()
    assert User.get(User.username == "cook2").must_change_password
    assert page.users_table.rowCount() == 7


def test_audit_page_filters_by_record_and_shows_before_after(qtbot, sessions, book, light_sample):
    from ui.pages.audit import AuditPage
    records.amend(book, "samples", light_sample.id, {"weight_g": "130"}, reason="weighed again")
    page = AuditPage(sessions["auditor"])
    qtbot.addWidget(page)
    everything = page.model.rowCount()
    page.kind_box.setCurrentIndex(page.kind_box.findData("samples"))
    page.id_edit.setText(str(light_sample.id))
    qtbot.keyClick(page.id_edit, Qt.Key.Key_Return)
    assert page.model.rowCount() == 2 < everything
    entries = [page.model.entry(r) for r in range(page.model.rowCount())]
    assert [e.action for e in entries] == ["amend", "create"]
    assert all(e.record_kind == "samples" and e.record_id == light_sample.id for e in entries)
    page.table.selectRow(0)
    rows = {page.changes.item(r, 0).text(): (page.changes.item(r, 1).text(), page.changes.item(r, 2).text())
            for r in range(page.changes.rowCount())}
    assert rows["Weight (g)"] == ("100", "130")
    assert "weighed again" in page.entry_title.text()
    page.user_box.setCurrentIndex(page.user_box.findText("doctor", Qt.MatchFlag.MatchStartsWith))
    assert page.model.rowCount() == 0
    with qtbot.waitSignal(page.verified, timeout=WAIT) as done:
        page.verify_button.click()
    assert done.args[0].ok
    assert "Intact" in page.verify_result.text()
