"""Today's checks and reminders, from records made through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from canteen import today
from canteen.errors import PermissionDenied, ValidationError
from canteen.models import AuditEntry, Setting, Site
from canteen.services import records, site_admin
from canteen.timeutil import to_utc

DAY = dt.date(2026, 3, 4)  # a Wednesday
EVENING = to_utc(dt.datetime(2026, 3, 4, 20, 0))


@pytest.fixture
def book(sessions):
    """Every role's session on a clock standing at 20:00 local on DAY."""
    for session in sessions.values():
        session.clock = lambda: EVENING
    return sessions["manager"]


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def supplier(book):
    supplier = records.create(book, "suppliers", {"name": "城关超市", "kind": "distributor", "address": "城关镇"})
    records.create(book, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                          "number": "JY1", "issued_on": "2025-01-01", "expires_on": "2026-03-20"})
    return supplier


def deliver(book, supplier, item="青菜", category="vegetable", **extra):
    return records.create(book, "deliveries", {
        "occurred_at": at(7), "item": item, "category": category, "quantity": "20", "unit": "kg",
        "supplier": supplier.id, "batch_no": "B1", "result": "accepted", "receiver": "王芳", **extra})


def menu(book, dishes=("红烧肉", "炒青菜"), meal="lunch"):
    return records.create(book, "menus", {"day": DAY, "meal": meal, "dishes": list(dishes), "diners_planned": 250})


def sample(book, dish, weight="150", meal="lunch", hour=12, day=DAY):
    return records.create(book, "samples", {"occurred_at": at(hour, day=day), "dish": dish, "served_on": day,
                                            "meal": meal, "weight_g": weight, "sampler": "王芳",
                                            "late_reason": "from paper" if day < DAY - dt.timedelta(days=1) else ""})


def states(site_id, day=DAY):
    return {c.key: c for c in today.day_status(site_id, day, now=EVENING)}


def test_empty_weekday_lists_every_duty_with_the_menu_missing(book):
    checks = states(book.site.id)
    assert list(checks) == ["deliveries", "pesticide", "menu", "samples", "accompanied", "disinfection",
                            "morning", "water", "containers", "inspection"]
    assert checks["deliveries"].state == "not_applicable"
    assert checks["menu"].state == "missing"
    assert checks["samples"].state == "missing"
    assert checks["inspection"].state == "missing"
    assert all(c.detail_en and c.detail_zh for c in checks.values())


def test_weekend_without_menu_is_not_a_service_day(book):
    saturday = dt.date(2026, 2, 28)
    checks = states(book.site.id, saturday)
    assert checks["menu"].state == "not_applicable"
    assert checks["samples"].state == "not_applicable"
    assert checks["water"].state == "not_applicable"


def test_each_dish_must_be_sampled(book):
    the_menu = menu(book)
    first = sample(book, "红烧肉")
    check = states(book.site.id)["samples"]
    assert check.state == "missing"
    assert "炒青菜" in check.detail_zh and "红烧肉" not in check.detail_zh
    assert check.record_ids == [first.id]
    second = sample(book, "炒青菜")
    check = states(book.site.id)["samples"]
    assert check.state == "done", check.detail_en
    assert check.record_ids == sorted([first.id, second.id])
    assert states(book.site.id)["menu"].record_ids == [the_menu.id]


def test_sample_under_the_minimum_is_a_violation(book):
    menu(book, dishes=("红烧肉",))
    light = sample(book, "红烧肉", weight="100")
    check = states(book.site.id)["samples"]
    assert check.state == "violation"
    assert any(f.rule == "SMP-WEIGHT" and f.record_id == light.id for f in check.findings)
    assert light.id in check.record_ids


def test_meals_must_each_be_accompanied_and_disinfected(book, sessions):
    menu(book, meal="breakfast", dishes=("包子",))
    menu(book, meal="lunch", dishes=("米饭",))
    records.create(sessions["leader"], "accompanied-meals", {"day": DAY, "meal": "lunch", "leader": "陈校长"})
    records.create(book, "disinfections", {"day": DAY, "meal": "breakfast", "items": "餐盘", "method": "steam",
                                           "temperature_c": "100", "minutes": "15", "operator": "刘师傅"})
    checks = states(book.site.id)
    assert checks["accompanied"].state == "missing" and "早餐" in checks["accompanied"].detail_zh
    assert checks["disinfection"].state == "missing" and "lunch" in checks["disinfection"].detail_en


def test_vegetables_need_a_pesticide_test(book, supplier):
    greens = deliver(book, supplier)
    deliver(book, supplier, item="大米", category="grain")
    checks = states(book.site.id)
    assert checks["deliveries"].state == "done"
    assert "2 inspected" in checks["deliveries"].detail_en
    assert checks["pesticide"].state in ("missing", "violation")
    assert "青菜" in checks["pesticide"].detail_zh
    test = records.create(book, "pesticide-tests", {
        "occurred_at": at(8), "sample_name": "青菜", "delivery": greens.id, "method": "spectro",
        "control_delta": "0.5", "sample_delta": "0.4", "tester": "王芳"})
    check = states(book.site.id)["pesticide"]
    assert check.state == "done" and check.record_ids == [test.id]


def test_staff_morning_checks_and_water(book):
    cook = records.create(book, "staff", {"name": "刘师傅", "post": "cook", "hired_on": "2025-09-01"})
    chef = records.create(book, "staff", {"name": "张厨师", "post": "chef", "hired_on": "2025-09-01"})
    records.create(book, "morning-checks", {"day": DAY, "staff": cook.id, "checker": "王芳"})
    checks = states(book.site.id)
    assert checks["morning"].state == "violation"  # the cook worked without a health certificate
    assert any(f.rule == "STF-HEALTH" for f in checks["morning"].findings)
    for n, person in enumerate((cook, chef)):
        records.create(book, "health-certificates", {"staff": person.id, "number": f"HC{n}",
                                                     "issued_on": "2025-09-01", "expires_on": "2026-08-31"})
    checks = states(book.site.id)
    assert checks["morning"].state == "missing" and "张厨师" in checks["morning"].detail_zh
    records.create(book, "morning-checks", {"day": DAY, "staff": chef.id, "checker": "王芳"})
    assert states(book.site.id)["morning"].state == "done"
    records.create(book, "water-supplies", {"occurred_at": at(7), "operator": cook.id})
    water = states(book.site.id)["water"]
    assert water.state == "missing" and "1/2" in water.detail_zh
    records.create(book, "water-supplies", {"occurred_at": at(15), "operator": cook.id})
    assert states(book.site.id)["water"].state == "done"


def test_inspection_entered_but_unsigned_is_still_missing(book, sessions):
    records.create(sessions["doctor"], "inspections", {"day": DAY, "inspector": "李医生",
                                                       "checklist": {"environment": True}})
    check = states(book.site.id)["inspection"]
    assert check.state == "missing" and "not signed" in check.detail_en


def test_reminders_for_discard_certificates_and_retests(book, supplier):
    yesterday = DAY - dt.timedelta(days=3)
    old = sample(book, "红烧肉", day=yesterday)
    sample(book, "炒青菜")  # taken today: kept for 48 h more
    cook = records.create(book, "staff", {"name": "刘师傅", "post": "cook"})
    records.create(book, "health-certificates", {"staff": cook.id, "number": "HC1", "issued_on": "2025-03-10",
                                                 "expires_on": "2026-03-10"})
    greens = deliver(book, supplier, result="rejected", reject_reason="positive screen")
    positive = records.create(book, "pesticide-tests", {
        "occurred_at": at(8), "sample_name": "青菜", "delivery": greens.id, "method": "card",
        "card_result": "positive", "tester": "王芳"})
    found = today.reminders(book.site.id, DAY, now=EVENING)
    by_key = {(r.key, r.record_id): r for r in found}
    assert ("discard-sample", old.id) in by_key
    assert len([r for r in found if r.key == "discard-sample"]) == 1
    assert any(r.key == "certificate" and "JY1" in r.en for r in found)
    health = next(r for r in found if r.key == "health-certificate")
    assert "6" in health.en and "刘师傅" in health.zh
    assert ("retest", positive.id) in by_key
    for n in (1, 2):
        records.create(book, "pesticide-tests", {
            "occurred_at": at(9 + n), "sample_name": "青菜", "delivery": greens.id, "method": "card",
            "card_result": "negative", "tester": "王芳", "test_kind": "retest", "retest_of": positive.id})
    assert not [r for r in today.reminders(book.site.id, DAY, now=EVENING) if r.key == "retest"]


def test_site_admin_writes_are_admin_only_validated_and_audited(book, sessions):
    admin = sessions["admin"]
    with pytest.raises(PermissionDenied):
        site_admin.update_setting(book, "sample_min_g", "100")
    with pytest.raises(ValidationError) as bad:
        site_admin.update_setting(admin, "sample_min_g", "heavy")
    assert bad.value.field == "sample_min_g"
    with pytest.raises(ValidationError) as crossed:
        site_admin.update_setting(admin, "sample_temp_min_c", "9")
    assert "sample_temp_max_c" not in crossed.value.en and "8" in crossed.value.en
    assert Setting.select().count() == 0
    assert site_admin.update_setting(admin, "sample_min_g", "150") == 150
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert entry.action == "setting-update" and "150" in entry.after and "125" in entry.before
    site_admin.update_site(admin, name="城关中学第一食堂", address="城关镇学府路 1 号")
    assert Site.get_by_id(admin.site.id).address == "城关镇学府路 1 号"
    with pytest.raises(ValidationError):
        site_admin.update_site(admin, timezone="Mars/Olympus")
    with pytest.raises(ValidationError):
        site_admin.update_site(admin, name="  ")
