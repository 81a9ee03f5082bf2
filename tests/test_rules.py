"""Period rules (docs/domain.md §4): each fires on its violation and stays silent on a compliant day.

Every test starts from one fully compliant service day (2 March 2026, lunch of two dishes) built
through the services with a clock that stands just after each event, then breaks one thing.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from canteen import rules, settings
from canteen.db import write_transaction
from canteen.rules.catalogue import BLOCK
from canteen.services import records
from canteen.services.signing import sign_record
from canteen.timeutil import to_utc

DAY = dt.date(2026, 3, 2)
NEXT = DAY + dt.timedelta(days=1)
# Every rule a period reports: the non-block ones, and a block rule reporting a state it could not refuse.
PERIOD_RULE_IDS = sorted(r.id for r in rules.RULES.values() if r.severity != BLOCK or r.reported)
DISHES = ("番茄炒蛋", "米饭")


class Clock:
    """A settable clock shared by every session: it stands where the test puts it."""

    def __init__(self) -> None:
        self.utc = to_utc(dt.datetime.combine(DAY, dt.time(6, 0)))

    def __call__(self) -> dt.datetime:
        return self.utc

    def at(self, local: dt.datetime, minutes_after: int = 5) -> None:
        self.utc = to_utc(local) + dt.timedelta(minutes=minutes_after)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def store_setting(site_id: int, key: str, value: str) -> None:
    with write_transaction():
        settings.store(site_id, key, value)


def findings(c, start=DAY, end=DAY, today=None, rule=None) -> list:
    found = rules.evaluate(c.site.id, start, end, today=today)
    return [f for f in found if rule is None or f.rule == rule]


def fired(c, **kw) -> set[str]:
    return {f.rule for f in findings(c, **kw)}


# ---- the compliant day -----------------------------------------------------------------------

def make_master_data(c) -> None:
    c.clock.at(local(DAY, 6, 0))
    m = c.manager
    c.supplier = records.create(m, "suppliers", {"name": "城关超市", "kind": "distributor", "address": "城关镇"})
    c.licence = records.create(m, "certificates", {"supplier": c.supplier.id, "cert_type": "operation_licence",
                                                   "number": "JY13201", "issued_on": "2025-01-01",
                                                   "expires_on": "2030-01-01"})
    c.cook = records.create(m, "staff", {"name": "刘师傅", "post": "cook", "hired_on": "2020-09-01"})
    c.waterman = records.create(m, "staff", {"name": "赵师傅", "post": "water", "hired_on": "2020-09-01"})
    c.health = {p.id: records.create(m, "health-certificates", {"staff": p.id, "number": f"JK{p.id}",
                                                                "issued_on": "2025-09-01", "expires_on": "2026-08-31"})
                for p in (c.cook, c.waterman)}


def make_morning(c) -> None:
    c.clock.at(local(DAY, 6, 30))
    c.checks = {p.id: records.create(c.manager, "morning-checks", {"day": DAY, "staff": p.id, "temperature_c": "36.5",
                                                                   "checker": "王芳"})
                for p in (c.cook, c.waterman)}
    c.clock.at(local(DAY, 7, 0))
    c.delivery = deliver(c, "白菜", "vegetable")
    c.clock.at(local(DAY, 7, 20))
    c.test = records.create(c.manager, "pesticide-tests", {
        "occurred_at": local(DAY, 7, 20), "sample_name": "白菜", "delivery": c.delivery.id, "method": "spectro",
        "control_delta": "0.5", "sample_delta": "0.4", "tester": "王芳"})
    c.supplies = [supply(c, local(DAY, 7, 30))]


def make_lunch(c) -> None:
    c.clock.at(local(DAY, 10, 0))
    c.menu = records.create(c.manager, "menus", {"day": DAY, "meal": "lunch", "dishes": list(DISHES),
                                                 "diners_planned": 250})
    c.clock.at(local(DAY, 11, 30))
    c.samples = {dish: sample(c, dish) for dish in DISHES}
    c.supplies.append(supply(c, local(DAY, 13, 30)))
    c.disinfection = disinfect(c, method="steam", temperature_c="100", minutes="10")
    c.accompanied = records.create(c.sessions["leader"], "accompanied-meals", {
        "day": DAY, "meal": "lunch", "leader": "陈校长", "rating_taste": 5})
    c.cleanings = {b: records.create(c.manager, "container-cleanings", {"day": DAY, "container": b, "cleaner": "赵师傅"})
                   for b in ("B1", "B2")}


def make_inspection(c) -> None:
    c.clock.at(local(DAY, 18, 0))
    checklist = {"environment": True, "samples": True, "pesticide": True}
    c.inspection = records.create(c.sessions["doctor"], "inspections", {"day": DAY, "inspector": "李医生",
                                                                         "checklist": checklist})
    c.signature = sign_record(c.sessions["doctor"], "inspections", c.inspection.id, "inspected", "demo")


def deliver(c, item, category, **extra):
    data = {"occurred_at": local(DAY, 7, 0), "item": item, "category": category, "quantity": "20",
            "unit": "kg", "supplier": c.supplier.id, "batch_no": "20260302", "unit_price_fen": 300,
            "result": "accepted", "receiver": "王芳", **extra}
    return records.create(c.manager, "deliveries", data)


def supply(c, at: dt.datetime, operator=None):
    c.clock.at(at)
    return records.create(c.manager, "water-supplies", {"occurred_at": at, "operator": (operator or c.waterman).id,
                                                        "litres": "200"})


def sample(c, dish, weight="150", temp="4", **extra):
    return records.create(c.manager, "samples", {"occurred_at": local(DAY, 11, 30), "dish": dish, "served_on": DAY,
                                                 "meal": "lunch", "weight_g": weight, "fridge": "F1",
                                                 "storage_temp_c": temp, "sampler": "王芳", **extra})


def disinfect(c, **params):
    return records.create(c.manager, "disinfections", {"day": DAY, "meal": "lunch", "items": "餐盘", "item_count": 250,
                                                       "operator": "刘师傅", **params})


@pytest.fixture
def c(site, sessions):
    """A canteen that did everything right on DAY; the clock ends at 20:00 that evening."""
    clock = Clock()
    for session in sessions.values():
        session.clock = clock
    store_setting(site.id, "water_containers", "B1,B2")
    canteen = SimpleNamespace(site=site, sessions=sessions, manager=sessions["manager"], clock=clock)
    with write_transaction():  # one commit for the whole day keeps the suite fast
        make_master_data(canteen)
        make_morning(canteen)
        make_lunch(canteen)
        make_inspection(canteen)
    clock.at(local(DAY, 20, 0))
    return canteen


def late(c):
    """Input for changes made after the day was closed by its signed inspection."""
    return {"late_reason": "added after the daily close"}


# ---- the compliant day is silent ---------------------------------------------------------------

def test_the_compliant_day_has_no_findings(c):
    assert findings(c) == []


@pytest.mark.parametrize("rule", PERIOD_RULE_IDS)
def test_every_period_rule_is_silent_on_the_compliant_day(c, rule):
    month = findings(c, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), today=dt.date(2026, 3, 2))
    assert rule not in {f.rule for f in month}


def test_every_non_block_rule_of_the_catalogue_is_implemented():
    from canteen.rules.engine import PERIOD_RULES  # importing canteen.rules registered them
    assert len(PERIOD_RULES) == len(PERIOD_RULE_IDS) == 19


# ---- purchasing -------------------------------------------------------------------------------

@pytest.mark.parametrize("storage, label, arrived, fires", [
    ("chilled", "4", "7.1", True), ("chilled", "4", "7", False),
    ("frozen", "-18", "-8.9", True), ("frozen", "-18", "-9", False),
    ("frozen", None, "-11.9", True), ("frozen", None, "-12", False),
    ("ambient", None, "25", False),
])
def test_pur_cold_fires_only_when_goods_arrive_too_warm(c, storage, label, arrived, fires):
    d = deliver(c, "鸡腿", "poultry", storage=storage, label_temp_c=label, arrival_temp_c=arrived,
                quarantine_cert_no="DJ001", **late(c))
    found = findings(c, rule="PUR-COLD")
    assert bool(found) is fires
    if fires:
        assert (found[0].record_kind, found[0].record_id) == ("deliveries", d.id)
        assert "鸡腿" in found[0].message_zh and "鸡腿" in found[0].message_en


@pytest.mark.parametrize("arrived, fires", [("8", False), ("8.1", True), ("0", False), ("-0.1", True), ("4", False)])
def test_pur_cold_judges_unlabelled_chilled_goods_against_the_chilled_range(c, arrived, fires):
    d = deliver(c, "鲜猪肉", "meat", storage="chilled", arrival_temp_c=arrived, quarantine_cert_no="DJ1",
                meat_quality_cert_no="RJ1", **late(c))
    found = findings(c, rule="PUR-COLD")
    assert [f.record_id for f in found] == ([d.id] if fires else [])
    if fires:
        assert "outside the chilled range 0–8 °C" in found[0].message_en and "冷藏范围 0–8 °C" in found[0].message_zh


def test_pur_cold_chilled_range_is_a_setting(c):
    deliver(c, "鲜猪肉", "meat", storage="chilled", arrival_temp_c="9.5", quarantine_cert_no="DJ1",
            meat_quality_cert_no="RJ1", **late(c))
    assert "PUR-COLD" in fired(c)
    store_setting(c.site.id, "chilled_max_c", "10")
    assert "PUR-COLD" not in fired(c)


@pytest.mark.parametrize("storage, fires", [("chilled", True), ("frozen", True), ("ambient", False)])
def test_pur_cold_reports_cold_chain_goods_accepted_with_no_arrival_temperature(c, storage, fires):
    d = deliver(c, "鸡腿", "poultry", storage=storage, label_temp_c="4" if storage == "chilled" else None,
                quarantine_cert_no="DJ001", **late(c))
    found = findings(c, rule="PUR-COLD")
    assert [f.record_id for f in found] == ([d.id] if fires else [])
    if fires:
        assert "温度未测" in found[0].message_zh and "no arrival temperature" in found[0].message_en


def test_pur_cold_ignores_rejected_goods(c):
    deliver(c, "冻虾", "aquatic", storage="frozen", arrival_temp_c="-2", result="rejected",
            reject_reason="thawed", **late(c))
    assert "PUR-COLD" not in fired(c)


def test_pes_missing_fires_for_untested_vegetables(c):
    d = deliver(c, "菠菜", "vegetable", **late(c))
    found = findings(c, rule="PES-MISSING")
    assert [(f.record_kind, f.record_id) for f in found] == [("deliveries", d.id)]
    assert "菠菜" in found[0].message_en


def test_pes_missing_is_silent_for_a_same_day_test_by_name_and_for_grain(c):
    deliver(c, "菠菜", "vegetable", **late(c))
    deliver(c, "大米", "grain", **late(c))
    records.create(c.manager, "pesticide-tests", {"occurred_at": local(DAY, 19, 0), "sample_name": "菠菜",
                                                  "method": "card", "card_result": "negative", "tester": "王芳",
                                                  **late(c)})
    assert "PES-MISSING" not in fired(c)


def test_pes_missing_is_judged_per_day_a_test_the_next_day_does_not_hide_it(c):
    d = deliver(c, "菠菜", "vegetable", **late(c))
    c.clock.at(local(NEXT, 7, 20))
    records.create(c.manager, "pesticide-tests", {"occurred_at": local(NEXT, 7, 20), "sample_name": "菠菜",
                                                  "delivery": d.id, "method": "card", "card_result": "negative",
                                                  "tester": "王芳"})
    for end in (DAY, NEXT, dt.date(2026, 3, 31)):
        found = findings(c, end=end, today=end, rule="PES-MISSING")
        assert [(f.day, f.record_id) for f in found] == [(DAY, d.id)], end
        assert "that day" in found[0].message_en and "当日" in found[0].message_zh


def test_pes_missing_counts_the_batch_test_of_its_own_day(c):
    d = deliver(c, "菠菜", "vegetable", **late(c))
    records.create(c.manager, "pesticide-tests", {"occurred_at": local(DAY, 7, 20), "sample_name": "菠菜（一号地块）",
                                                  "delivery": d.id, "method": "card", "card_result": "negative",
                                                  "tester": "王芳", **late(c)})
    assert findings(c, end=NEXT, rule="PES-MISSING") == []


# ---- PES-POSITIVE as a violation: accepted first, screened positive after -----------------------

def screen(c, item, at, batch=None, **values):
    data = {"occurred_at": at, "sample_name": item, "delivery": batch.id if batch else None, "method": "spectro",
            "control_delta": "0.5", "sample_delta": "0.4", "tester": "王芳", **values}
    return records.create(c.manager, "pesticide-tests", {**data, **late(c)})


def positive_batch(c, item="菠菜"):
    """Accepted at 07:00, its screen at 07:20 positive (inhibition 62.5 %)."""
    batch = deliver(c, item, "vegetable", **late(c))
    first = screen(c, item, local(DAY, 7, 20), batch, sample_delta="0.1875")
    assert first.result == "positive"
    return batch, first


def test_a_batch_accepted_before_its_positive_screen_is_a_violation(c):
    batch, _ = positive_batch(c)
    found = findings(c, rule="PES-POSITIVE")
    assert [(f.record_kind, f.record_id, f.severity, f.day) for f in found] == [("deliveries", batch.id, "violation", DAY)]
    assert "07:00" in found[0].message_en and "2026-03-02 07:20" in found[0].message_en and "62.5 %" in found[0].message_en
    assert "阳性" in found[0].message_zh and "退货或销毁" in found[0].message_zh
    assert found[0].as_json()["severity"] == "violation"


@pytest.mark.parametrize("retests, fires", [
    ((), True), (("negative",), True), (("negative", "positive"), True),
    (("positive", "negative", "negative"), True), (("negative", "negative"), False),
])
def test_pes_positive_is_cleared_only_by_two_negative_retests(c, retests, fires):
    batch, first = positive_batch(c)
    for n, result in enumerate(retests):
        screen(c, "菠菜", local(DAY, 8, 10 * n), batch, test_kind="retest", retest_of=first.id,
               sample_delta="0.1" if result == "positive" else "0.4")
    assert bool(findings(c, rule="PES-POSITIVE")) is fires


def test_pes_positive_is_silent_once_the_batch_is_returned_or_destroyed(c):
    batch, first = positive_batch(c)
    records.amend(c.manager, "pesticide-tests", first.id, {"disposition": "destroyed"}, "整批销毁")
    assert findings(c, rule="PES-POSITIVE") == []


def test_pes_positive_follows_a_screen_by_item_name_on_the_batch_day_only(c):
    batch = deliver(c, "菠菜", "vegetable", **late(c))
    c.clock.at(local(NEXT, 7, 20))
    screen(c, "菠菜", local(NEXT, 7, 20), sample_delta="0.1")  # another day's spinach
    assert findings(c, end=NEXT, rule="PES-POSITIVE") == []
    screen(c, "菠菜", local(DAY, 7, 30), sample_delta="0.1")
    assert [f.record_id for f in findings(c, end=NEXT, rule="PES-POSITIVE")] == [batch.id]


def test_correcting_a_typo_in_such_a_delivery_is_not_refused(c):
    batch, _ = positive_batch(c)
    fixed = records.amend(c.manager, "deliveries", batch.id, {"quantity": "2.0"}, "数量录入错误")
    assert fixed.quantity == 2 and fixed.result == "accepted"
    rejected = records.amend(c.manager, "deliveries", batch.id, {"result": "rejected", "reject_reason": "初检阳性"},
                             "退货")
    from canteen.errors import BlockedError
    with pytest.raises(BlockedError) as caught:
        records.amend(c.manager, "deliveries", rejected.id, {"result": "accepted"}, "误操作")
    assert [f.rule for f in caught.value.findings] == ["PES-POSITIVE"]
    assert findings(c, rule="PES-POSITIVE") == []  # returned: nothing was used


# ---- samples ---------------------------------------------------------------------------------

def test_smp_missing_names_the_unsampled_dish(c):
    records.void(c.manager, "samples", c.samples["米饭"].id, "sample spilled")
    found = findings(c, rule="SMP-MISSING")
    assert [(f.record_kind, f.record_id) for f in found] == [("menus", c.menu.id)]
    assert "米饭" in found[0].message_zh and "Lunch" in found[0].message_en and "午餐" in found[0].message_zh


def test_smp_missing_ignores_future_menus(c):
    records.create(c.manager, "menus", {"day": NEXT, "meal": "lunch", "dishes": ["红烧肉"]})
    assert findings(c, end=NEXT, today=DAY, rule="SMP-MISSING") == []
    assert len(findings(c, end=NEXT, today=NEXT, rule="SMP-MISSING")) == 1


@pytest.mark.parametrize("weight, fires", [("124.9", True), ("125", False)])
def test_smp_weight_threshold(c, weight, fires):
    s = sample(c, "番茄炒蛋", weight=weight, **late(c))
    found = findings(c, rule="SMP-WEIGHT")
    assert [f.record_id for f in found] == ([s.id] if fires else [])


@pytest.mark.parametrize("hours_kept, fires", [(47.9, True), (48, False)])
def test_smp_early_discard(c, hours_kept, fires):
    s = c.samples["番茄炒蛋"]
    discarded = local(DAY, 11, 30) + dt.timedelta(hours=hours_kept)
    c.clock.at(discarded)
    records.amend(c.manager, "samples", s.id, {"discarded_at": discarded, "discarded_by": "王芳"}, "discarded")
    found = findings(c, today=NEXT, rule="SMP-EARLY")
    assert [f.record_id for f in found] == ([s.id] if fires else [])
    if fires:
        assert "番茄炒蛋" in found[0].message_zh


@pytest.mark.parametrize("temp, fires", [("8.1", True), ("-0.1", True), ("8", False), ("0", False)])
def test_smp_temp_range(c, temp, fires):
    s = sample(c, "米饭", temp=temp, **late(c))
    assert [f.record_id for f in findings(c, rule="SMP-TEMP")] == ([s.id] if fires else [])


# ---- staff -----------------------------------------------------------------------------------

def test_stf_health_fires_when_a_fit_person_has_an_expired_certificate(c):
    records.amend(c.manager, "health-certificates", c.health[c.cook.id].id, {"expires_on": "2026-03-01"}, "typo")
    found = findings(c, rule="STF-HEALTH")
    assert [(f.record_kind, f.record_id) for f in found] == [("morning-checks", c.checks[c.cook.id].id)]
    assert "刘师傅" in found[0].message_en and "2026-03-01" in found[0].message_en


def test_stf_health_is_silent_when_the_person_is_kept_off_work(c):
    records.amend(c.manager, "health-certificates", c.health[c.cook.id].id, {"expires_on": "2026-03-01"}, "typo")
    records.amend(c.manager, "morning-checks", c.checks[c.cook.id].id, {"fit": False, "action": "sent home"},
                  "certificate expired")
    assert "STF-HEALTH" not in fired(c)


def test_stf_morning_names_the_person_without_a_check(c):
    records.void(c.manager, "morning-checks", c.checks[c.cook.id].id, "entered for the wrong person")
    found = findings(c, rule="STF-MORNING")
    assert [(f.record_kind, f.record_id) for f in found] == [("staff", c.cook.id)]
    assert "刘师傅" in found[0].message_zh


def test_stf_morning_ignores_people_off_duty(c):
    records.create(c.manager, "staff", {"name": "退休老李", "post": "cook", "active": False})
    records.create(c.manager, "staff", {"name": "会计小孙", "post": "other"})
    c.clock.at(local(NEXT, 8, 0))
    records.create(c.manager, "staff", {"name": "新厨师", "post": "chef", "hired_on": NEXT})
    assert "STF-MORNING" not in fired(c)


# ---- daily inspection, meals, tableware ----------------------------------------------------

def test_chk_missing_when_the_inspection_is_not_signed(site, sessions):
    clock = Clock()
    for session in sessions.values():
        session.clock = clock
    c = SimpleNamespace(site=site, sessions=sessions, manager=sessions["manager"], clock=clock)
    make_master_data(c)
    c.supplies = []
    make_lunch(c)
    clock.at(local(DAY, 18, 0))
    assert [(f.record_kind, f.record_id) for f in findings(c, rule="CHK-MISSING")] == [("menus", c.menu.id)]
    inspection = records.create(sessions["doctor"], "inspections", {"day": DAY, "inspector": "李医生",
                                                                     "checklist": {"samples": True}})
    found = findings(c, rule="CHK-MISSING")
    assert [(f.record_kind, f.record_id) for f in found] == [("inspections", inspection.id)]
    assert "not signed" in found[0].message_en


def test_chk_missing_when_the_signed_inspection_was_changed(c):
    records.amend(c.sessions["doctor"], "inspections", c.inspection.id, {"findings": "floor wet"}, "added a finding")
    found = findings(c, rule="CHK-MISSING")
    assert [f.record_id for f in found] == [c.inspection.id]
    assert "needs signing again" in found[0].message_en


def test_chk_missing_is_silent_on_a_day_without_service(c):
    assert findings(c, start=NEXT, end=NEXT, rule="CHK-MISSING") == []


def test_acm_missing_names_the_meal(c):
    records.void(c.sessions["leader"], "accompanied-meals", c.accompanied.id, "wrong day")
    found = findings(c, rule="ACM-MISSING")
    assert [(f.record_kind, f.record_id) for f in found] == [("menus", c.menu.id)]
    assert "Lunch" in found[0].message_en and "午餐" in found[0].message_zh


def test_acm_and_dis_missing_count_each_meal_once(c):
    dinner = records.create(c.manager, "menus", {"day": DAY, "meal": "dinner", "dishes": ["面条"], **late(c)})
    records.create(c.manager, "menus", {"day": DAY, "meal": "dinner", "dishes": ["馒头"], **late(c)})
    assert [f.record_id for f in findings(c, rule="ACM-MISSING")] == [dinner.id]
    assert [f.record_id for f in findings(c, rule="DIS-MISSING")] == [dinner.id]


def test_dis_missing_names_the_meal(c):
    records.void(c.manager, "disinfections", c.disinfection.id, "wrong meal")
    found = findings(c, rule="DIS-MISSING")
    assert [(f.record_kind, f.record_id) for f in found] == [("menus", c.menu.id)]


@pytest.mark.parametrize("params, fires", [
    ({"method": "boiling", "temperature_c": "99.9", "minutes": "10"}, True),
    ({"method": "steam", "temperature_c": "100", "minutes": "9.9"}, True),
    ({"method": "infrared", "temperature_c": "119.9", "minutes": "10"}, True),
    ({"method": "chlorine", "chlorine_mg_l": "249", "minutes": "5", "rinsed": True}, True),
    ({"method": "chlorine", "chlorine_mg_l": "250", "minutes": "4.9", "rinsed": True}, True),
    ({"method": "chlorine", "chlorine_mg_l": "250", "minutes": "5", "rinsed": False}, True),
    ({"method": "boiling", "temperature_c": "100", "minutes": "10"}, False),
    ({"method": "infrared", "temperature_c": "120", "minutes": "10"}, False),
    ({"method": "chlorine", "chlorine_mg_l": "250", "minutes": "5", "rinsed": True}, False),
])
def test_dis_param_thresholds(c, params, fires):
    d = disinfect(c, **params, **late(c))
    found = findings(c, rule="DIS-PARAM")
    assert [f.record_id for f in found] == ([d.id] if fires else [])
    if fires:
        assert "餐盘" in found[0].message_zh and "Lunch" in found[0].message_en


# ---- drinking water ----------------------------------------------------------------------------

def test_wat_supply_fires_when_water_was_supplied_once(c):
    records.void(c.manager, "water-supplies", c.supplies[1].id, "not supplied after all")
    found = findings(c, rule="WAT-SUPPLY")
    assert [(f.day, f.record_id) for f in found] == [(DAY, None)]
    assert "1 time" in found[0].message_en


def test_wat_supply_fires_for_an_operator_without_a_valid_certificate(c):
    records.amend(c.manager, "health-certificates", c.health[c.waterman.id].id, {"expires_on": "2026-03-01"}, "typo")
    found = findings(c, rule="WAT-SUPPLY")
    assert {f.record_id for f in found} == {s.id for s in c.supplies}
    assert "赵师傅" in found[0].message_zh


def test_wat_supply_follows_the_setting(c):
    store_setting(c.site.id, "water_supplies_per_day", "3")
    assert "WAT-SUPPLY" in fired(c)
    store_setting(c.site.id, "water_supplies_per_day", "2")
    assert "WAT-SUPPLY" not in fired(c)


def test_wat_clean_fires_for_a_container_marked_not_cleaned(c):
    records.amend(c.manager, "container-cleanings", c.cleanings["B2"].id, {"cleaned": False}, "was not cleaned")
    found = findings(c, rule="WAT-CLEAN")
    assert [(f.record_kind, f.record_id) for f in found] == [("container-cleanings", c.cleanings["B2"].id)]
    assert "B2" in found[0].message_en


def test_wat_clean_fires_for_a_container_with_no_record(c):
    store_setting(c.site.id, "water_containers", "B1,B2,B3")
    found = findings(c, rule="WAT-CLEAN")
    assert [(f.record_id, "B3" in f.message_en) for f in found] == [(None, True)]


# ---- certificates, late entries, surplus ----------------------------------------------------

@pytest.mark.parametrize("expires, fires", [("2026-03-02", True), ("2026-04-01", True), ("2026-04-02", False),
                                            ("2026-03-01", False)])
def test_cert_expiring_for_a_supplier_certificate(c, expires, fires):
    cert = records.create(c.manager, "certificates", {"supplier": c.supplier.id, "cert_type": "other",
                                                      "number": "X1", "expires_on": expires})
    found = findings(c, rule="CERT-EXPIRING")
    assert [(f.day, f.record_kind, f.record_id) for f in found] == ([(DAY, "certificates", cert.id)] if fires else [])
    if fires:
        assert "城关超市" in found[0].message_zh and "X1" in found[0].message_en


def test_cert_expiring_is_reported_only_by_the_part_of_a_split_range_holding_today(c):
    """The findings page evaluates a long range month by month: the reminder must not repeat."""
    cert = records.create(c.manager, "certificates", {"supplier": c.supplier.id, "cert_type": "other",
                                                      "number": "X1", "expires_on": "2026-03-20"})
    earlier = findings(c, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28), today=DAY, rule="CERT-EXPIRING")
    later = findings(c, start=dt.date(2026, 3, 1), end=DAY, today=DAY, rule="CERT-EXPIRING")
    assert earlier == [] and [f.record_id for f in later] == [cert.id]


def test_cert_expiring_is_silent_once_renewed(c):
    records.create(c.manager, "certificates", {"supplier": c.supplier.id, "cert_type": "other", "number": "X1",
                                               "expires_on": "2026-03-20"})
    records.create(c.manager, "certificates", {"supplier": c.supplier.id, "cert_type": "other", "number": "X2",
                                               "expires_on": "2027-03-20"})
    assert "CERT-EXPIRING" not in fired(c)


def test_cert_expiring_for_a_health_certificate_reported_once_on_today(c):
    records.amend(c.manager, "health-certificates", c.health[c.cook.id].id, {"expires_on": "2026-03-20"}, "typo")
    found = findings(c, start=dt.date(2026, 2, 1), end=DAY, rule="CERT-EXPIRING")
    assert [(f.day, f.record_kind, f.record_id) for f in found] == [(DAY, "health-certificates",
                                                                      c.health[c.cook.id].id)]
    assert "刘师傅" in found[0].message_en


@pytest.mark.parametrize("hours_later, fires", [(25, True), (23, False)])
def test_late_entry(c, hours_later, fires):
    """On a day not yet closed by a signed inspection, only the 24-hour limit counts."""
    c.clock.at(local(NEXT, 11, 0), minutes_after=hours_later * 60)
    s = records.create(c.manager, "samples", {"occurred_at": local(NEXT, 11, 0), "dish": "番茄炒蛋",
                                              "served_on": NEXT, "meal": "lunch", "weight_g": "150",
                                              "sampler": "王芳", "late_reason": "paper log typed in"})
    found = findings(c, start=NEXT, end=NEXT, rule="LATE-ENTRY")
    assert [(f.record_kind, f.record_id) for f in found] == ([("samples", s.id)] if fires else [])
    if fires:
        assert "paper log typed in" in found[0].message_en and "番茄炒蛋" in found[0].message_zh


def test_late_entry_counts_a_date_record_from_the_end_of_its_day(c):
    c.clock.at(local(NEXT, 23, 59), minutes_after=23 * 60)
    records.create(c.manager, "meetings", {"day": NEXT, "attendees": ["王芳"], "topics": "卫生", **late(c)})
    assert "LATE-ENTRY" not in fired(c, start=NEXT, end=NEXT)
    c.clock.at(local(NEXT, 23, 59), minutes_after=25 * 60)
    m = records.create(c.manager, "meetings", {"day": NEXT, "attendees": ["王芳"], "topics": "培训", **late(c)})
    assert [f.record_id for f in findings(c, start=NEXT, end=NEXT, rule="LATE-ENTRY")] == [m.id]


def test_any_entry_after_the_day_was_closed_is_late(c):
    """The compliant day is closed by its signed inspection: an entry an hour later is late too.
    The event (a date record counts from 23:59:59) is still ahead: the message says what made it late,
    never "entered -3 h after the event"."""
    c.clock.at(local(DAY, 21, 0), minutes_after=60)
    m = records.create(c.manager, "meetings", {"day": DAY, "attendees": ["王芳"], "topics": "补充记录",
                                               "late_reason": "after the close"})
    found = findings(c, rule="LATE-ENTRY")
    assert [f.record_id for f in found] == [m.id]
    assert "was entered at 2026-03-02 22:00, after the day was closed by its signed inspection at 2026-03-02 18:05" \
        in found[0].message_en
    assert "于 2026-03-02 22:00 录入，当日已于 2026-03-02 18:05 由签名的每日检查日结" in found[0].message_zh
    assert not any(ch in found[0].message_en + found[0].message_zh for ch in ("-3 h", "-2 h", " h after"))


def test_late_entry_names_a_person_and_a_meal_as_the_reader_knows_them(c):
    c.clock.at(local(NEXT, 18, 0), minutes_after=40 * 60)  # 34 h after the end of the day
    check = records.create(c.manager, "morning-checks", {"day": NEXT, "staff": c.cook.id, "checker": "王芳", **late(c)})
    meal = records.create(c.manager, "disinfections", {"day": NEXT, "meal": "lunch", "items": "餐盘", "method": "steam",
                                                       "temperature_c": "100", "minutes": "10", "operator": "刘师傅",
                                                       **late(c)})
    found = {f.record_kind: f for f in findings(c, start=NEXT, end=NEXT, rule="LATE-ENTRY")}
    assert found["morning-checks"].record_id == check.id and found["disinfections"].record_id == meal.id
    assert "“刘师傅” (Morning checks" in found["morning-checks"].message_en
    assert "晨检“刘师傅”" in found["morning-checks"].message_zh
    assert "“Lunch” (Tableware disinfection" in found["disinfections"].message_en
    assert "餐用具消毒“午餐”" in found["disinfections"].message_zh
    assert "was entered 34 h after the event" in found["morning-checks"].message_en
    for f in found.values():
        assert f"“{c.cook.id}”" not in f.message_en + f.message_zh and "lunch" not in f.message_en + f.message_zh


@pytest.mark.parametrize("cost_fen, fires", [(97000, True), (98000, False), (102000, False), (102004, False),
                                             (102010, True)])
def test_cost_surplus_band(c, cost_fen, fires):
    c.clock.at(dt.datetime(2026, 3, 31, 20, 0))
    records.create(c.manager, "ledger", {"day": DAY, "diners_students": 250, "income_student_fen": 100000,
                                         "late_reason": "month end"})
    records.create(c.manager, "deliveries", {
        "occurred_at": local(DAY, 7, 0), "item": "大米", "category": "grain", "quantity": "1", "unit": "t",
        "supplier": c.supplier.id, "batch_no": "R1", "amount_fen": cost_fen - 6000, "result": "accepted",
        "receiver": "王芳", "late_reason": "month end"})
    month = findings(c, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), rule="COST-SURPLUS")
    assert [(f.day, f.record_kind) for f in month] == ([(dt.date(2026, 3, 31), "ledger")] if fires else [])
    if fires:
        assert "2026-03" in month[0].message_en and "1000.00" in month[0].message_zh
    assert findings(c, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 30), rule="COST-SURPLUS") == []


def book_a_surplus_month(c) -> None:
    """March: income 1000 yuan, cost 970 yuan (surplus rate 3.00 %, outside ±2 %)."""
    c.clock.at(dt.datetime(2026, 3, 31, 20, 0))
    records.create(c.manager, "ledger", {"day": DAY, "diners_students": 250, "income_student_fen": 100000,
                                         "late_reason": "month end"})
    records.create(c.manager, "deliveries", {
        "occurred_at": local(DAY, 7, 0), "item": "大米", "category": "grain", "quantity": "1", "unit": "t",
        "supplier": c.supplier.id, "batch_no": "R1", "amount_fen": 91000, "result": "accepted",
        "receiver": "王芳", "late_reason": "month end"})


@pytest.mark.parametrize("start, end, judged", [
    (DAY, dt.date(2026, 3, 31), True), (dt.date(2026, 3, 31), dt.date(2026, 3, 31), True),
    (DAY, dt.date(2026, 4, 10), True), (DAY, dt.date(2026, 3, 30), False), (dt.date(2026, 4, 1), dt.date(2026, 4, 30), False),
])
def test_cost_surplus_judges_a_month_once_it_has_ended_whatever_the_first_day(c, start, end, judged):
    book_a_surplus_month(c)
    found = findings(c, start=start, end=end, today=end, rule="COST-SURPLUS")
    assert [(f.day, f.severity) for f in found] == ([(dt.date(2026, 3, 31), "warning")] if judged else [])


def test_cost_surplus_waits_for_the_last_day_to_end(c, monkeypatch):
    """Checked on 31 March itself (not yet closed by a signed inspection), March is still running."""
    from canteen import timeutil
    book_a_surplus_month(c)
    monkeypatch.setattr(timeutil, "utcnow", lambda: to_utc(dt.datetime(2026, 3, 31, 21, 0)))
    assert findings(c, start=DAY, end=dt.date(2026, 3, 31), rule="COST-SURPLUS") == []
    monkeypatch.setattr(timeutil, "utcnow", lambda: to_utc(dt.datetime(2026, 4, 1, 0, 1)))
    assert len(findings(c, start=DAY, end=dt.date(2026, 3, 31), rule="COST-SURPLUS")) == 1


def test_canteen_check_with_no_dates_reports_the_first_month_on_record(c, db_path, capsys, monkeypatch):
    """The default range starts at the first record's day (2 March) and ends today (10 April):
    March is judged all the same."""
    import json

    from canteen import timeutil
    from canteen.cli import main
    book_a_surplus_month(c)
    monkeypatch.setattr(timeutil, "utcnow", lambda: to_utc(dt.datetime(2026, 4, 10, 9, 0)))
    code = main(["--db", str(db_path), "check", "--json"])
    found = [f for f in json.loads(capsys.readouterr().out) if f["rule"] == "COST-SURPLUS"]
    assert code == 1 and [(f["date"], f["severity"]) for f in found] == [("2026-03-31", "warning")]
    assert "2026-03: surplus rate 3.00 %" in found[0]["message"]


def test_cost_surplus_points_at_the_month_close_when_there_is_one(c):
    c.clock.at(dt.datetime(2026, 3, 31, 20, 0))
    records.create(c.manager, "ledger", {"day": DAY, "income_student_fen": 100000, "late_reason": "month end"})
    close = records.create(c.manager, "ledger-months", {"day": dt.date(2026, 3, 31), "month": "2026-03"})
    found = findings(c, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), rule="COST-SURPLUS")
    assert [(f.record_kind, f.record_id) for f in found] == [("ledger-months", close.id)]


def test_findings_serialise_for_the_command_line(c):
    records.void(c.manager, "samples", c.samples["米饭"].id, "sample spilled")
    data = findings(c)[0].as_json()
    assert {"rule", "severity", "date", "record_kind", "record_id", "message"} <= set(data)
    assert data["rule"] == "SMP-MISSING" and data["severity"] == "violation"
