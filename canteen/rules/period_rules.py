"""Period rules: what a range of days is missing or did wrong (violations, warnings, reminders).

Each rule reads the records of the whole period with one query per record type (cached on
the Period, so rules that share a type share the query) and then works in memory: a year of
data costs a few dozen queries, not thousands. Rules about something *missing* look only at
service days (a day with at least one standing menu) up to Period.today, because a meal not
yet served cannot have been sampled.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from typing import Callable, Iterator

from .. import ledger
from ..fields import MEALS
from ..integrity.signatures import signature_states
from ..models import (
    REGISTRY,
    AccompaniedMeal,
    Certificate,
    ContainerCleaning,
    DailyInspection,
    Delivery,
    Disinfection,
    HealthCertificate,
    InspectionNotice,
    LedgerMonth,
    Menu,
    MorningCheck,
    PesticideTest,
    RetainedSample,
    Staff,
    Supplier,
    WaterSupply,
)
from ..models.records import CERT_TYPES
from ..timeutil import to_local
from .catalogue import RULES
from .engine import Period, period_rule
from .finding import Finding
from .records import plain_rows

MEAL_NAMES = {value: (en, zh) for value, en, zh in MEALS}
CERT_NAMES = {value: (en, zh) for value, en, zh in CERT_TYPES}
ON_DUTY_POSTS = ("chef", "cook", "administrator", "water", "shop")
PRODUCE = ("vegetable", "fruit")
HEAT = {"boiling": (Decimal(100), Decimal(10)), "steam": (Decimal(100), Decimal(10)),
        "infrared": (Decimal(120), Decimal(10))}
CHLORINE_MG_L, CHLORINE_MINUTES = Decimal(250), Decimal(5)
METHOD_NAMES = {"boiling": ("boiling", "煮沸"), "steam": ("steam", "蒸汽"), "infrared": ("infrared", "红外"),
                "chlorine": ("chlorine", "含氯消毒液")}


# ---- shared, cached reads ------------------------------------------------------------------

def cached(period: Period, name: str, load: Callable):
    """Load once per evaluation: several rules read the same records."""
    store = period.__dict__.setdefault("_rule_cache", {})
    if name not in store:
        store[name] = load()
    return store[name]


def meal_name(meal: str) -> tuple[str, str]:
    return MEAL_NAMES.get(meal, (meal, meal))


def site_tz(period: Period) -> str:
    return period.source.timezone(period.site_id)


def last_judged_day(period: Period) -> dt.date:
    """The last day whose duties can be missing: not the day still in progress on the wall clock,
    unless the doctor has already closed it (日结) — lunch is not "missing" at 9 am."""
    def load():
        from ..timeutil import local_today
        last = min(period.end, period.today)
        in_progress = local_today(site_tz(period))
        if last >= in_progress and in_progress not in period.source.seals(period.site_id, in_progress, in_progress):
            return in_progress - dt.timedelta(days=1)
        return last
    return cached(period, "last judged day", load)


def service_days(period: Period) -> dict[dt.date, list]:
    """Days up to the last judged day with at least one standing menu, and those menus."""
    def load():
        days: dict[dt.date, list] = defaultdict(list)
        last = last_judged_day(period)
        for menu in period.rows(Menu, "id day meal dishes", order="day id"):
            if menu.day <= last:
                days[menu.day].append(menu)
        return dict(days)
    return cached(period, "service_days", load)


def meals_of(menus: list) -> dict[str, object]:
    """Each meal of a day, named by its first menu."""
    meals: dict[str, object] = {}
    for menu in menus:
        meals.setdefault(menu.meal, menu)
    return meals


def by_day_and(period: Period, model, column: str) -> set[tuple[dt.date, str]]:
    """(day, value) pairs of the period's standing records of a type."""
    def load():
        return set(period.rows(model, f"day {column}"))
    return cached(period, f"{model.KIND}:{column}", load)


def staff_by_id(period: Period) -> dict[int, Staff]:
    return cached(period, "staff", lambda: {s.id: s for s in Staff.live().where(Staff.site == period.site_id)})


def health_certificates(period: Period) -> dict[int, list[HealthCertificate]]:
    def load():
        found: dict[int, list[HealthCertificate]] = defaultdict(list)
        for cert in HealthCertificate.live().where(HealthCertificate.site == period.site_id):
            found[cert.staff_id].append(cert)
        return found
    return cached(period, "health", load)


def valid_health_certificate(period: Period, staff_id: int, day: dt.date) -> HealthCertificate | None:
    for cert in health_certificates(period).get(staff_id, ()):
        if cert.issued_on <= day <= cert.expires_on:
            return cert
    return None


def latest_expiry(period: Period, staff_id: int) -> dt.date | None:
    dates = [c.expires_on for c in health_certificates(period).get(staff_id, ())]
    return max(dates) if dates else None


def on_duty(period: Period, day: dt.date) -> list[Staff]:
    """Active kitchen, water and shop staff already hired on that day."""
    return [s for s in staff_by_id(period).values()
            if s.active and s.post in ON_DUTY_POSTS and (s.hired_on is None or s.hired_on <= day)]


def finding(rule: str, day: dt.date, kind: str, record_id: int | None, en: str, zh: str, subject: str = "") -> Finding:
    """A finding; `subject` names what it is about when that is not its record (a person whose
    morning checks differ each day, a dish, a meal), so that its repeats form one case."""
    return Finding(rule, day, kind, record_id, en, zh, RULES[rule].reported, subject)


# ---- purchasing ------------------------------------------------------------------------------

STORAGE_NAMES = {"chilled": ("chilled", "冷藏"), "frozen": ("frozen", "冷冻")}


def cold_chain_breach(delivery, s: dict) -> tuple[str, str] | None:
    """Why a chilled or frozen delivery broke the cold chain, in English and Chinese, or None.

    Chilled goods: label temperature + margin; without a label, the site's chilled range (the 冷藏
    range of the operating code). Frozen: a fixed ceiling, lower when unlabelled. Goods accepted
    with no arrival temperature at all were not judged by anyone: that is a breach too (温度未测)."""
    arrived = delivery.arrival_temp_c
    if delivery.storage not in STORAGE_NAMES:
        return None
    if arrived is None:
        return "was accepted with no arrival temperature measured", "验收时温度未测"
    if delivery.storage == "chilled" and delivery.label_temp_c is None:
        low, high = s["chilled_min_c"], s["chilled_max_c"]
        if low <= arrived <= high:
            return None
        return (f"arrived at {arrived} °C, outside the chilled range {low}–{high} °C (no label temperature)",
                f"到货温度 {arrived} °C，超出冷藏范围 {low}–{high} °C（无标签温度）")
    if delivery.storage == "chilled":
        limit = delivery.label_temp_c + s["chilled_margin_c"]
    else:
        limit = s["frozen_max_c"] if delivery.label_temp_c is not None else s["frozen_unlabelled_max_c"]
    if arrived <= limit:
        return None
    return f"arrived at {arrived} °C, warmer than {limit} °C", f"到货温度 {arrived} °C，高于 {limit} °C"


def accepted_deliveries(period: Period) -> list:
    def load():
        names = "id day occurred_at item category storage label_temp_c arrival_temp_c supplier_id result"
        return [d for d in period.rows(Delivery, names, order="occurred_at id") if d.result == "accepted"]
    return cached(period, "accepted", load)


@period_rule(rules=("PUR-COLD",))
def cold_chain(period: Period) -> Iterator[Finding]:
    for d in accepted_deliveries(period):
        breach = cold_chain_breach(d, period.settings)
        if breach is not None:
            storage_en, storage_zh = STORAGE_NAMES[d.storage]
            yield finding("PUR-COLD", d.day, "deliveries", d.id,
                          f"{d.item} ({storage_en}) {breach[0]}.", f"{d.item}（{storage_zh}）{breach[1]}。",
                          subject=f"supplier#{d.supplier_id}")


@period_rule(rules=("PES-MISSING",))
def produce_untested(period: Period) -> Iterator[Finding]:
    """Judged per day: the batch's own test or a test of the same item on the day it came counts;
    a test on a later day does not, whatever range is checked."""
    tests = period.rows(PesticideTest, "day delivery_id sample_name")
    tested_batches = {(day, delivery) for day, delivery, _name in tests if delivery}
    tested_names = {(day, name.strip()) for day, _delivery, name in tests}
    for d in accepted_deliveries(period):
        if d.category in PRODUCE and (d.day, d.id) not in tested_batches and (d.day, d.item.strip()) not in tested_names:
            yield finding("PES-MISSING", d.day, "deliveries", d.id,
                          f"{d.item} was accepted on {d.day} without a pesticide residue test that day.",
                          f"{d.item}于 {d.day} 验收，当日未做农药残留检测。", subject="pesticide-tests")


SCREEN_COLUMNS = "id day occurred_at delivery_id sample_name test_kind retest_of_id result inhibition_pct disposition"


def screens(period: Period) -> list:
    """Pesticide tests that may concern the period's accepted batches: those of the period's days
    (a screen by item name counts on the batch's day), and later ones linked to one of its
    batches or retesting one of its tests."""
    start, end = period.start, period.end

    def load(sites: list[int]) -> dict[int, list]:
        t, earlier, d = PesticideTest, PesticideTest.alias(), Delivery
        in_range = (t.day >= start) & (t.day <= end)
        batches = d.live().select(d.id).where(d.site.in_(sites) & (d.day >= start) & (d.day <= end)
                                              & (d.result == "accepted"))
        tested = earlier.select(earlier.id).where(earlier.site.in_(sites) & (earlier.day >= start) & (earlier.day <= end))
        later = (t.day > end) & (t.delivery.in_(batches) | t.retest_of.in_(tested))
        query = t.live().where(t.site.in_(sites) & (in_range | later)).order_by(t.site, t.occurred_at, t.id)
        found: dict[int, list] = {site: [] for site in sites}
        for row in plain_rows(query, t, "site_id " + SCREEN_COLUMNS):
            found[row.site_id].append(row)
        return found
    return cached(period, "screens", lambda: period.source.shared(period.site_id, ("screens", start, end), load))


class Screens:
    """The period's tests indexed the ways a batch finds its own: by link, by item name on its
    day, and retests by the test they repeat."""

    def __init__(self, tests: list):
        self.by_batch, self.by_name, self.retests = defaultdict(list), defaultdict(list), defaultdict(list)
        for t in tests:
            if t.delivery_id is not None:
                self.by_batch[t.delivery_id].append(t)
            else:
                self.by_name[(t.day, t.sample_name.strip())].append(t)
            if t.retest_of_id is not None:
                self.retests[t.retest_of_id].append(t)

    def of(self, delivery) -> list:
        own = self.by_batch.get(delivery.id, []) + self.by_name.get((delivery.day, delivery.item.strip()), [])
        ids = {t.id for t in own}
        return own + [r for t in list(own) for r in self.retests.get(t.id, ()) if r.id not in ids]


def unresolved_screen(own: list):
    """The batch's first positive screen when it has no two negative retests and was neither
    returned nor destroyed (the batch then counts as used); None otherwise."""
    positives = [t for t in own if (t.test_kind or "initial") == "initial" and t.result == "positive"]
    if not positives:
        return None
    retests = {t.id: t for t in own if t.test_kind == "retest"}.values()
    cleared = len(retests) >= 2 and all(t.result == "negative" for t in retests)
    disposed = any(t.disposition in ("returned", "destroyed") for t in own)
    return None if cleared or disposed else positives[0]


@period_rule(rules=("PES-POSITIVE",))
def accepted_with_positive_screen(period: Period) -> Iterator[Finding]:
    """PES-POSITIVE as a violation: the block refuses accepting a batch already screened positive,
    but a batch accepted at 07:00 and screened positive at 07:20 was accepted before anything could
    refuse it; it may not be used unless two retests are negative, else it is returned or destroyed."""
    tz, tests = site_tz(period), Screens(screens(period))
    for d in accepted_deliveries(period):
        screen = unresolved_screen(tests.of(d))
        if screen is None:
            continue
        accepted, tested = f"{to_local(d.occurred_at, tz):%H:%M}", f"{to_local(screen.occurred_at, tz):%Y-%m-%d %H:%M}"
        how_en = f"inhibition {screen.inhibition_pct} %" if screen.inhibition_pct is not None else "test card"
        how_zh = f"抑制率 {screen.inhibition_pct}%" if screen.inhibition_pct is not None else "速测卡"
        yield finding("PES-POSITIVE", d.day, "deliveries", d.id,
                      f"{d.item} accepted at {accepted} on {d.day} was screened positive at {tested} ({how_en}) and has "
                      "no two negative retests: it may not be used; return or destroy it and record that.",
                      f"{d.item}于 {d.day} {accepted} 验收，{tested} 农残初检阳性（{how_zh}），未经两次复检阴性："
                      "该批次不得使用，应退货或销毁并记录。")


# ---- retained samples ------------------------------------------------------------------------

def samples(period: Period) -> list:
    """Samples taken in the period or kept for its meals, in one read."""
    def load():
        names = "id day served_on meal dish weight_g storage_temp_c occurred_at discarded_at"
        taken = period.rows(RetainedSample, names, order="occurred_at id")
        served = period.rows(RetainedSample, names, order="occurred_at id", by="served_on")
        either = {s.id: s for s in (*taken, *served)}
        return sorted(either.values(), key=lambda s: (s.occurred_at, s.id))
    return cached(period, "samples", load)


def samples_served(period: Period) -> list:
    """Samples of the period's meals (by meal date, not the moment they were taken)."""
    return [s for s in samples(period) if period.start <= s.served_on <= period.end]


def samples_taken(period: Period) -> list:
    return [s for s in samples(period) if period.start <= s.day <= period.end]


@period_rule(rules=("SMP-MISSING",))
def dish_not_sampled(period: Period) -> Iterator[Finding]:
    sampled = {(s.served_on, s.meal, s.dish.strip()) for s in samples_served(period)}
    for day, menus in service_days(period).items():
        for menu in menus:
            en, zh = meal_name(menu.meal)
            for dish in json.loads(menu.dishes or "[]"):
                if (day, menu.meal, dish.strip()) not in sampled:
                    yield finding("SMP-MISSING", day, "menus", menu.id,
                                  f"{dish} ({en}, {day}) has no retained sample.",
                                  f"{day} {zh}的{dish}未留样。", subject=f"dish:{dish.strip()}")


@period_rule(rules=("SMP-WEIGHT",))
def sample_underweight(period: Period) -> Iterator[Finding]:
    least = period.settings["sample_min_g"]
    for s in samples_taken(period):
        if s.weight_g < least:
            en, zh = meal_name(s.meal)
            yield finding("SMP-WEIGHT", s.day, "samples", s.id,
                          f"Sample of {s.dish} ({en}) weighs {s.weight_g} g, less than {least} g.",
                          f"{zh}{s.dish}留样 {s.weight_g} 克，不足 {least} 克。")


@period_rule(rules=("SMP-EARLY",))
def sample_discarded_early(period: Period) -> Iterator[Finding]:
    hours = period.settings["sample_hours"]
    tz = site_tz(period)
    for s in samples_taken(period):
        if s.discarded_at is not None and s.discarded_at < s.occurred_at + dt.timedelta(hours=hours):
            kept = (s.discarded_at - s.occurred_at).total_seconds() / 3600
            at = f"{to_local(s.discarded_at, tz):%Y-%m-%d %H:%M}"
            yield finding("SMP-EARLY", s.day, "samples", s.id,
                          f"Sample of {s.dish} was discarded at {at}, after {kept:.1f} h instead of {hours} h.",
                          f"{s.dish}留样于 {at} 销毁，仅保存 {kept:.1f} 小时，不足 {hours} 小时。")


@period_rule(rules=("SMP-TEMP",))
def sample_storage_temperature(period: Period) -> Iterator[Finding]:
    low, high = period.settings["sample_temp_min_c"], period.settings["sample_temp_max_c"]
    for s in samples_taken(period):
        if s.storage_temp_c is not None and not low <= s.storage_temp_c <= high:
            yield finding("SMP-TEMP", s.day, "samples", s.id,
                          f"Sample of {s.dish} stored at {s.storage_temp_c} °C, outside {low}–{high} °C.",
                          f"{s.dish}留样储存温度 {s.storage_temp_c} °C，超出 {low}–{high} °C。", subject="sample-fridge")


# ---- staff -----------------------------------------------------------------------------------

def morning_checks(period: Period) -> list:
    def load():
        return period.rows(MorningCheck, "id day staff_id fit", order="day id")
    return cached(period, "morning", load)


@period_rule(rules=("STF-HEALTH",))
def worked_without_health_certificate(period: Period) -> Iterator[Finding]:
    staff = staff_by_id(period)
    for check in morning_checks(period):
        if not check.fit or valid_health_certificate(period, check.staff_id, check.day):
            continue
        person = staff.get(check.staff_id)
        name = person.name if person else f"#{check.staff_id}"
        expired = latest_expiry(period, check.staff_id)
        why_en = f"expired on {expired}" if expired and expired < check.day else "no valid one"
        why_zh = f"已于 {expired} 过期" if expired and expired < check.day else "无有效健康证"
        yield finding("STF-HEALTH", check.day, "morning-checks", check.id,
                      f"{name} worked on {check.day} without a valid health certificate ({why_en}).",
                      f"{name}于 {check.day} 上岗，健康证{why_zh}。", subject=f"staff#{check.staff_id}")


@period_rule(rules=("STF-MORNING",))
def on_duty_without_morning_check(period: Period) -> Iterator[Finding]:
    checked = {(c.day, c.staff_id) for c in morning_checks(period)}
    for day in service_days(period):
        for person in on_duty(period, day):
            if (day, person.id) not in checked:
                yield finding("STF-MORNING", day, "staff", person.id,
                              f"{person.name} has no morning check on {day}.",
                              f"{person.name}在 {day} 无晨检记录。")


# ---- daily inspection, meals, tableware ----------------------------------------------------

@period_rule(rules=("CHK-MISSING",))
def day_without_signed_inspection(period: Period) -> Iterator[Finding]:
    inspections: dict[dt.date, list] = defaultdict(list)
    for inspection in period.rows(DailyInspection, "id day inspector"):
        inspections[inspection.day].append(inspection)
    states = signature_states("inspections", [i.id for found in inspections.values() for i in found])
    for day, menus in service_days(period).items():
        found = inspections.get(day, [])
        if any(states[i.id].state == "signed" for i in found):
            continue
        if found:
            again = states[found[0].id].needs_signing_again
            yield finding("CHK-MISSING", day, "inspections", found[0].id,
                          f"The daily inspection of {day} by {found[0].inspector} "
                          f"{'was changed after signing and needs signing again' if again else 'is not signed'}.",
                          f"{day} 的每日检查（{found[0].inspector}）{'签名后已修改，需重新签名' if again else '未签名'}。",
                          subject="daily-inspection")
        else:
            yield finding("CHK-MISSING", day, "menus", menus[0].id,
                          f"{day} was a service day without a daily inspection.",
                          f"{day} 供餐，但无每日检查记录。", subject="daily-inspection")


def missing_per_meal(period: Period, rule: str, model, what_en: str, what_zh: str) -> Iterator[Finding]:
    done = by_day_and(period, model, "meal")
    for day, menus in service_days(period).items():
        for meal, menu in meals_of(menus).items():
            if (day, meal) not in done:
                en, zh = meal_name(meal)
                yield finding(rule, day, "menus", menu.id,
                              f"{en} on {day} has no {what_en} record.", f"{day} {zh}无{what_zh}记录。",
                              subject=f"meal:{meal}")


@period_rule(rules=("ACM-MISSING",))
def meal_not_accompanied(period: Period) -> Iterator[Finding]:
    yield from missing_per_meal(period, "ACM-MISSING", AccompaniedMeal, "accompanied-meal", "陪餐")


@period_rule(rules=("DIS-MISSING",))
def meal_without_disinfection(period: Period) -> Iterator[Finding]:
    yield from missing_per_meal(period, "DIS-MISSING", Disinfection, "tableware disinfection", "餐用具消毒")


def disinfection_shortfall(d) -> tuple[str, str] | None:
    """What a disinfection fell short of, in English and Chinese, or None when it met the code."""
    minutes = d.minutes if d.minutes is not None else Decimal(0)
    if d.method in HEAT:
        hot, long = HEAT[d.method]
        temperature = d.temperature_c if d.temperature_c is not None else Decimal(0)
        if temperature < hot or minutes < long:
            return (f"{d.temperature_c} °C for {d.minutes} min, needs ≥ {hot} °C for ≥ {long} min",
                    f"{d.temperature_c} °C、{d.minutes} 分钟，应 ≥ {hot} °C 且 ≥ {long} 分钟")
    if d.method == "chlorine":
        strength = d.chlorine_mg_l if d.chlorine_mg_l is not None else Decimal(0)
        if strength < CHLORINE_MG_L or minutes < CHLORINE_MINUTES or not d.rinsed:
            rinse_en, rinse_zh = ("rinsed", "已冲洗") if d.rinsed else ("not rinsed", "未冲洗")
            return (f"{d.chlorine_mg_l} mg/L for {d.minutes} min, {rinse_en}; needs ≥ {CHLORINE_MG_L} mg/L "
                    f"for ≥ {CHLORINE_MINUTES} min, then rinsed",
                    f"{d.chlorine_mg_l} mg/L、{d.minutes} 分钟、{rinse_zh}；应 ≥ {CHLORINE_MG_L} mg/L、"
                    f"≥ {CHLORINE_MINUTES} 分钟并冲洗")
    return None


@period_rule(rules=("DIS-PARAM",))
def disinfection_too_weak(period: Period) -> Iterator[Finding]:
    names = "id day meal items method temperature_c minutes chlorine_mg_l rinsed"
    for d in period.rows(Disinfection, names, order="day id"):
        shortfall = disinfection_shortfall(d)
        if shortfall:
            en, zh = meal_name(d.meal)
            method_en, method_zh = METHOD_NAMES[d.method]
            yield finding("DIS-PARAM", d.day, "disinfections", d.id,
                          f"{d.items} ({en}) by {method_en}: {shortfall[0]}.",
                          f"{zh}{d.items}（{method_zh}）：{shortfall[1]}。", subject=f"disinfection:{d.method}")


# ---- drinking water ----------------------------------------------------------------------------

@period_rule(rules=("WAT-SUPPLY",))
def water_supply(period: Period) -> Iterator[Finding]:
    needed = period.settings["water_supplies_per_day"]
    supplies = period.rows(WaterSupply, "id day operator_id", order="occurred_at id")
    per_day: dict[dt.date, int] = defaultdict(int)
    staff = staff_by_id(period)
    for supply in supplies:
        per_day[supply.day] += 1
        if not valid_health_certificate(period, supply.operator_id, supply.day):
            person = staff.get(supply.operator_id)
            name = person.name if person else f"#{supply.operator_id}"
            yield finding("WAT-SUPPLY", supply.day, "water-supplies", supply.id,
                          f"Water was supplied by {name}, who had no valid health certificate on {supply.day}.",
                          f"{supply.day} 供水人{name}无有效健康证。", subject=f"staff#{supply.operator_id}")
    for day in service_days(period):
        if per_day[day] < needed:
            yield finding("WAT-SUPPLY", day, "water-supplies", None,
                          f"Drinking water was supplied {per_day[day]} time(s) on {day}; {needed} needed.",
                          f"{day} 供应饮用水 {per_day[day]} 次，应为 {needed} 次。", subject="water-supply")


@period_rule(rules=("WAT-CLEAN",))
def container_not_cleaned(period: Period) -> Iterator[Finding]:
    containers = [c.strip() for c in str(period.settings["water_containers"]).replace("，", ",").split(",") if c.strip()]
    rows = period.rows(ContainerCleaning, "id day container cleaned")
    cleaned = {(day, name.strip()) for _id, day, name, ok in rows if ok}
    not_cleaned = {(day, name.strip()): rid for rid, day, name, ok in rows if not ok}
    for day in service_days(period):
        for container in containers:
            if (day, container) not in cleaned:
                yield finding("WAT-CLEAN", day, "container-cleanings", not_cleaned.get((day, container)),
                              f"Water container {container} was not cleaned on {day}.",
                              f"盛水容器 {container} 在 {day} 未清洗。", subject=f"container:{container}")


# ---- certificates, late entries, the ledger ---------------------------------------------------

def expiring(items: list, key: Callable, today: dt.date, alert_days: int) -> list:
    """Items expiring within the alert window that no later item of the same key replaces."""
    latest: dict = {}
    for item in items:
        latest[key(item)] = max(latest.get(key(item), item.expires_on), item.expires_on)
    horizon = today + dt.timedelta(days=alert_days)
    return [i for i in items if today <= i.expires_on <= horizon and latest[key(i)] == i.expires_on]


@period_rule(rules=("CERT-EXPIRING",))
def certificate_expiring(period: Period) -> Iterator[Finding]:
    """Reported once, dated today, by the period that contains today (a range split into months
    for progress must not repeat it)."""
    today, days = period.today, period.settings["cert_alert_days"]
    if not period.start <= today <= period.end:
        return
    suppliers = {s.id: s.name for s in Supplier.live().where(Supplier.site == period.site_id)}
    dated = Certificate.live().where((Certificate.site == period.site_id) & Certificate.expires_on.is_null(False))
    certs = [c for c in dated if c.supplier_id in suppliers]
    for c in expiring(certs, lambda c: (c.supplier_id, c.cert_type), today, days):
        en, zh = CERT_NAMES.get(c.cert_type, (c.cert_type, c.cert_type))
        yield finding("CERT-EXPIRING", today, "certificates", c.id,
                      f"{suppliers[c.supplier_id]}: {en} {c.number} expires on {c.expires_on}.",
                      f"{suppliers[c.supplier_id]}的{zh}（{c.number}）将于 {c.expires_on} 到期。")
    staff = {i: s for i, s in staff_by_id(period).items() if s.active}
    health = [c for found in health_certificates(period).values() for c in found if c.staff_id in staff]
    for c in expiring(health, lambda c: c.staff_id, today, days):
        name = staff[c.staff_id].name
        yield finding("CERT-EXPIRING", today, "health-certificates", c.id,
                      f"{name}'s health certificate {c.number} expires on {c.expires_on}.",
                      f"{name}的健康证（{c.number}）将于 {c.expires_on} 到期。")


@period_rule(rules=("LATE-ENTRY",))
def entered_late(period: Period) -> Iterator[Finding]:
    """Entered more than the limit after the event, or after the day was closed (日结) by a signature."""
    limit = dt.timedelta(hours=period.settings["late_entry_hours"])
    sealed_at = period.source.seals(period.site_id, period.start, period.end)
    for model in REGISTRY.values():
        if model.EVENT == "none":
            continue
        rows = period.rows(model, "id day occurred_at entered_at")
        if not model.DAY_IS_EVENT:  # a ledger month is closed on its own day, not on the 1st it keeps
            tz = site_tz(period)
            rows = [(rid, to_local(occurred, tz).date(), occurred, entered) for rid, _day, occurred, entered in rows]
        late = {rid: sealed_at.get(day) for rid, day, occurred, entered in rows
                if entered - occurred > limit or (day in sealed_at and entered > sealed_at[day])}
        if late:
            yield from late_findings(model, late, limit, site_tz(period))


def late_findings(model, late: dict[int, dt.datetime | None], limit: dt.timedelta, tz: str) -> Iterator[Finding]:
    """Read in full only the few records that were entered late, to name them: by what they are
    (a person, a meal in the reader's language), and by what made them late — long after the
    event, or after the day was closed even if the event itself is later (a date record counts
    from the end of its day)."""
    for record in model.select().where(model.id.in_(list(late))).order_by(model.id):
        reason = record.late_reason or "—"
        after = record.entered_at - record.occurred_at
        if after > limit:
            when_en = f"was entered {after.total_seconds() / 3600:.0f} h after the event"
            when_zh = f"于事后 {after.total_seconds() / 3600:.0f} 小时补录"
        else:
            entered, closed = (f"{to_local(t, tz):%Y-%m-%d %H:%M}" for t in (record.entered_at, late[record.id]))
            when_en = f"was entered at {entered}, after the day was closed by its signed inspection at {closed}"
            when_zh = f"于 {entered} 录入，当日已于 {closed} 由签名的每日检查日结"
        yield finding("LATE-ENTRY", record.day, model.KIND, record.id,
                      f"“{record.title('en')}” ({model.EN}, {record.day}) {when_en} ({reason}).",
                      f"{model.ZH}“{record.title('zh')}”（{record.day}）{when_zh}（{reason}）。",
                      subject=f"late:{model.KIND}")


def yuan(fen: int) -> str:
    """Fen as yuan with two places, exactly (no float on the way)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


@period_rule(rules=("COST-SURPLUS",))
def surplus_outside_band(period: Period) -> Iterator[Finding]:
    """Every month that has ended inside the range is judged whole, also the first one when the
    range starts after its first day (`canteen check` starts at the first record's day)."""
    low, high = period.settings["surplus_rate_min_pct"], period.settings["surplus_rate_max_pct"]
    for year, month in ledger.months_between(period.start.replace(day=1), last_judged_day(period)):
        summary = ledger.month_summary(period.site_id, year, month, period.settings["costs_counted"])
        rate = summary.surplus_rate
        if rate is None or low <= rate <= high:
            continue
        closed = LedgerMonth.live().where((LedgerMonth.site == period.site_id)
                                          & (LedgerMonth.month == summary.label)).first()
        yield finding("COST-SURPLUS", summary.last_day, "ledger-months" if closed else "ledger",
                      closed.id if closed else None,
                      f"{summary.label}: surplus rate {rate} % is outside {low} % to {high} % "
                      f"(income {yuan(summary.income_total)} yuan, cost {yuan(summary.cost_total)} yuan).",
                      f"{summary.label}：伙食结余率 {rate}%，超出 {low}% 至 {high}% 的范围"
                      f"（收入 {yuan(summary.income_total)} 元，支出 {yuan(summary.cost_total)} 元）。",
                      subject="ledger")


# ---- the district ----------------------------------------------------------------------------

@period_rule(rules=("DIST-NOTICE",))
def district_notice(period: Period) -> Iterator[Finding]:
    """A district inspector's notice to correct (整改通知) is a violation on the day of the
    inspection; its case is due by the notice's own deadline (read/cases.py)."""
    for n in period.rows(InspectionNotice, "id day problem deadline inspector"):
        yield finding("DIST-NOTICE", n.day, "inspection-notices", n.id,
                      f"District inspection by {n.inspector} on {n.day}: {n.problem} (correct by {n.deadline}).",
                      f"{n.day} 区县检查（{n.inspector}）：{n.problem}（整改期限 {n.deadline}）。",
                      subject=f"notice#{n.id}")
