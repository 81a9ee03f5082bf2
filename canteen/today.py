"""What a day still needs: the Today page's checks and reminders, without any screen.

The administrator at 6 am and the doctor in the evening ask the same question: of the things
docs/domain.md §2 says happen every day, which are done, which are still missing, and which were done
in a way the rules object to. Absence is worked out here from the day's records (a delivery
without its pesticide test is "missing" while the day can still be put right); objections come
from the rule engine (`canteen.rules.evaluate`), so Today and the findings page never disagree.
A finding the engine reports for the day is folded into the check it belongs to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from . import settings
from .fields import MEALS
from .models import (
    AccompaniedMeal,
    Certificate,
    ContainerCleaning,
    DailyInspection,
    Delivery,
    Disinfection,
    HealthCertificate,
    Menu,
    MorningCheck,
    PesticideTest,
    RetainedSample,
    Site,
    Staff,
    Supplier,
    WaterSupply,
)
from .timeutil import end_of_day_utc, to_local, utcnow

if TYPE_CHECKING:
    from .rules.records import SiteRecords

DONE, MISSING, VIOLATION, NOT_APPLICABLE = "done", "missing", "violation", "not_applicable"
STATES = (VIOLATION, MISSING, DONE, NOT_APPLICABLE)  # worst first

# Which check a rule's finding belongs to. Rules that report something absent make a check
# "missing"; the others report something done wrongly and make it a "violation".
RULE_CHECK = {
    "PUR-COLD": "deliveries",
    "PES-MISSING": "pesticide",
    "SMP-MISSING": "samples", "SMP-WEIGHT": "samples", "SMP-EARLY": "samples", "SMP-TEMP": "samples",
    "ACM-MISSING": "accompanied",
    "DIS-MISSING": "disinfection", "DIS-PARAM": "disinfection",
    "STF-MORNING": "morning", "STF-HEALTH": "morning",
    "WAT-SUPPLY": "water",
    "WAT-CLEAN": "containers",
    "CHK-MISSING": "inspection",
}
DUTY_RULES = frozenset(RULE_CHECK)  # the rules whose findings fold into a daily duty
ABSENCE_RULES = frozenset({"PES-MISSING", "SMP-MISSING", "ACM-MISSING", "DIS-MISSING", "STF-MORNING",
                           "WAT-CLEAN", "CHK-MISSING"})
MEAL_ORDER = [value for value, _en, _zh in MEALS]
MEAL_NAMES = {value: (en, zh) for value, en, zh in MEALS}


@dataclass
class DayCheck:
    """One line of the Today page: a daily duty, its state, and the records behind it."""

    key: str
    en: str
    zh: str
    state: str
    detail_en: str
    detail_zh: str
    kind: str
    record_ids: list[int] = field(default_factory=list)
    findings: list = field(default_factory=list)

    def label(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en

    def detail(self, language: str = "en") -> str:
        return self.detail_zh if language.startswith("zh") else self.detail_en


@dataclass
class Reminder:
    """Something to do soon that is not tied to the day's duties (discard, renew, retest)."""

    key: str  # "discard-sample" | "certificate" | "health-certificate" | "retest"
    en: str
    zh: str
    kind: str
    record_id: int
    due: dt.date | None = None
    record_ids: list[int] = field(default_factory=list)  # all records it is about (first = record_id)

    def text(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


# ---- the day's checks ------------------------------------------------------------------------

class DayRecords:
    """The records the day's checks read, for one canteen or for every canteen of a district at
    once: each kind of record is read for all of them in one query (ordered by id) and handed to
    each canteen's checks; the rules' reads of the day are shared the same way (`sites`)."""

    def __init__(self, site_ids, day: dt.date):
        from .rules.records import SiteRecords
        self.site_ids, self.day = list(dict.fromkeys(site_ids)), day
        self.sites = SiteRecords(self.site_ids)
        self._found: dict[tuple, dict[int, list]] = {}
        self._states: dict | None = None

    def of(self, site_id: int, model, column: str = "day") -> list:
        """The canteen's standing records of a kind whose `column` is the day, by id."""
        key = (model, column)
        if key not in self._found:
            rows = model.live().where(model.site.in_(self.site_ids) & (getattr(model, column) == self.day))
            self._found[key] = _grouped(rows.order_by(model.id), self.site_ids)
        return self._found[key].get(site_id, [])

    def staff(self, site_id: int) -> list[Staff]:
        """The canteen's staff who need a morning check on the day."""
        if (Staff, "on duty") not in self._found:
            self._found[(Staff, "on duty")] = _grouped(_on_duty_query(self.site_ids, self.day), self.site_ids)
        return self._found[(Staff, "on duty")].get(site_id, [])

    def inspection_state(self, record_id: int) -> str:
        """"unsigned", "signed" or "changed_after_signing" of a daily inspection of the day."""
        if self._states is None:
            from .integrity.signatures import signature_states
            ids = [r.id for rows in self._inspections().values() for r in rows]
            self._states = signature_states("inspections", ids)
        return self._states[record_id].state

    def _inspections(self) -> dict[int, list]:
        self.of(self.site_ids[0], DailyInspection)
        return self._found[(DailyInspection, "day")]


def _grouped(query, site_ids) -> dict[int, list]:
    found: dict[int, list] = {site: [] for site in site_ids}
    for row in query:
        found[row.site_id].append(row)
    return found


def _on_duty_query(site_ids, day: dt.date):
    from .rules.period_rules import ON_DUTY_POSTS
    people = Staff.live().where(Staff.site.in_(site_ids) & (Staff.active == True)  # noqa: E712
                                & Staff.post.in_(ON_DUTY_POSTS) & (Staff.hired_on.is_null() | (Staff.hired_on <= day)))
    return people.order_by(Staff.id)


class _Day:
    """The records of one site and day, fetched once and shared by every check."""

    def __init__(self, site_id: int, day: dt.date, now: dt.datetime | None, records: DayRecords):
        self.site_id, self.day, self.records = site_id, day, records
        self.tz = records.sites.timezone(site_id)
        self.now = now or utcnow()
        self.today = to_local(self.now, self.tz).date()
        self.settings = records.sites.settings(site_id)
        self.menus = self.rows(Menu)
        self.meals = sorted({m.meal for m in self.menus}, key=_meal_rank)
        self.service_day = bool(self.menus) or day.weekday() < 5

    def rows(self, model, by_time: bool = False) -> list:
        """The day's standing records of a kind, by id (or by the moment of the event)."""
        rows = self.records.of(self.site_id, model)
        return sorted(rows, key=lambda r: (r.occurred_at, r.id)) if by_time else rows

    def meal_name(self, meal: str) -> tuple[str, str]:
        return MEAL_NAMES.get(meal, (meal, meal))


def _meal_rank(meal: str) -> int:
    return MEAL_ORDER.index(meal) if meal in MEAL_ORDER else len(MEAL_ORDER)


def _check(key, en, zh, kind, state, detail_en, detail_zh, ids=()) -> DayCheck:
    return DayCheck(key, en, zh, state, detail_en, detail_zh, kind, sorted(set(ids)))


def _deliveries(d: _Day) -> DayCheck:
    rows = d.rows(Delivery, by_time=True)
    args = ("deliveries", "Deliveries inspected", "进货查验", "deliveries")
    if not rows:
        return _check(*args, NOT_APPLICABLE, "No delivery recorded.", "未记录进货。")
    accepted = sum(r.result == "accepted" for r in rows)
    rejected = len(rows) - accepted
    single = [r.item for r in rows if not (r.second_inspector or "").strip()]
    en = f"{len(rows)} inspected: {accepted} accepted, {rejected} rejected."
    zh = f"已查验 {len(rows)} 批：合格 {accepted} 批，拒收 {rejected} 批。"
    if single:
        en += f" No second inspector: {', '.join(single)}."
        zh += f"无复核人：{'、'.join(single)}。"
    return _check(*args, DONE, en, zh, [r.id for r in rows])


def _pesticide(d: _Day) -> DayCheck:
    args = ("pesticide", "Vegetables and fruit tested", "蔬菜水果农残检测", "pesticide-tests")
    produce = [r for r in d.rows(Delivery) if r.result == "accepted" and r.category in ("vegetable", "fruit")]
    tests = d.rows(PesticideTest, by_time=True)
    test_ids = [t.id for t in tests]
    if not produce:
        if tests:
            return _check(*args, DONE, f"{len(tests)} tests recorded.", f"已检测 {len(tests)} 次。", test_ids)
        return _check(*args, NOT_APPLICABLE, "No vegetables or fruit accepted.", "未验收蔬菜水果。")
    tested_batches = {t.delivery_id for t in tests if t.delivery_id}
    tested_names = {(t.sample_name or "").strip() for t in tests}
    untested = [p for p in produce if p.id not in tested_batches and p.item.strip() not in tested_names]
    positive = [t.sample_name for t in tests if t.result == "positive"]
    if untested:
        names = [p.item for p in untested]
        return _check(*args, MISSING, f"Not tested yet: {', '.join(names)}.", f"尚未检测：{'、'.join(names)}。",
                      test_ids or [p.id for p in untested])
    en = f"{len(produce)} batches, {len(tests)} tests."
    zh = f"{len(produce)} 批，检测 {len(tests)} 次。"
    if positive:
        en += f" Positive: {', '.join(positive)}."
        zh += f"阳性：{'、'.join(positive)}。"
    return _check(*args, DONE, en, zh, test_ids)


def _menu(d: _Day) -> DayCheck:
    args = ("menu", "Menu entered", "菜谱", "menus")
    if d.menus:
        en = "; ".join(f"{d.meal_name(m.meal)[0]}: {', '.join(m.dish_list())}" for m in d.menus)
        zh = "；".join(f"{d.meal_name(m.meal)[1]}：{'、'.join(m.dish_list())}" for m in d.menus)
        return _check(*args, DONE, en, zh, [m.id for m in d.menus])
    if not d.service_day:
        return _check(*args, NOT_APPLICABLE, "No meals served (weekend, no menu).", "非供餐日（周末，无菜谱）。")
    return _check(*args, MISSING, "No menu for this day: enter it first, the meal checks follow from it.",
                  "当天没有菜谱：请先录入，各餐次的检查以此为据。")


def _no_menu(d: _Day, args: tuple) -> DayCheck:
    if not d.service_day:
        return _check(*args, NOT_APPLICABLE, "No meals served.", "非供餐日。")
    return _check(*args, MISSING, "Waiting for the menu.", "等待录入菜谱。")


def _samples(d: _Day) -> DayCheck:
    args = ("samples", "Every dish sampled", "每道菜留样", "samples")
    samples = d.records.of(d.site_id, RetainedSample, "served_on")
    ids = [s.id for s in samples]
    if not d.menus:
        return _no_menu(d, args) if not samples else _check(*args, DONE, f"{len(samples)} samples.", f"留样 {len(samples)} 份。", ids)
    taken = {(s.meal, s.dish.strip()) for s in samples}
    wanted = [(m.meal, dish.strip()) for m in d.menus for dish in m.dish_list()]
    missing = [w for w in dict.fromkeys(wanted) if w not in taken]
    if missing:
        en = ", ".join(f"{dish} ({d.meal_name(meal)[0].lower()})" for meal, dish in missing)
        zh = "、".join(f"{dish}（{d.meal_name(meal)[1]}）" for meal, dish in missing)
        return _check(*args, MISSING, f"Not sampled yet: {en}.", f"尚未留样：{zh}。", ids)
    return _check(*args, DONE, f"All {len(set(wanted))} dishes sampled.", f"{len(set(wanted))} 道菜均已留样。", ids)


def _per_meal(d: _Day, model, args: tuple, noun_en: str, noun_zh: str) -> DayCheck:
    rows = d.rows(model)
    ids = [r.id for r in rows]
    if not d.meals:
        return _no_menu(d, args) if not rows else _check(*args, DONE, f"{len(rows)} {noun_en}.", f"{noun_zh} {len(rows)} 条。", ids)
    done = {r.meal for r in rows}
    missing = [m for m in d.meals if m not in done]
    if missing:
        en = ", ".join(d.meal_name(m)[0].lower() for m in missing)
        zh = "、".join(d.meal_name(m)[1] for m in missing)
        return _check(*args, MISSING, f"Not yet for: {en}.", f"尚缺：{zh}。", ids)
    en = ", ".join(d.meal_name(m)[0].lower() for m in d.meals)
    zh = "、".join(d.meal_name(m)[1] for m in d.meals)
    return _check(*args, DONE, f"Done for {en}.", f"{zh}均已完成。", ids)


def _accompanied(d: _Day) -> DayCheck:
    args = ("accompanied", "Every meal accompanied", "每餐陪餐", "accompanied-meals")
    return _per_meal(d, AccompaniedMeal, args, "records", "记录")


def _disinfection(d: _Day) -> DayCheck:
    args = ("disinfection", "Every meal's tableware disinfected", "每餐餐用具消毒", "disinfections")
    return _per_meal(d, Disinfection, args, "records", "记录")


def staff_on_duty(site_id: int, day: dt.date) -> list[Staff]:
    """Active kitchen, water and shop staff hired by `day`: the people who need a morning check."""
    return list(_on_duty_query([site_id], day))


def _morning(d: _Day) -> DayCheck:
    args = ("morning", "Staff morning-checked", "从业人员晨检", "morning-checks")
    checks = d.rows(MorningCheck)
    ids = [c.id for c in checks]
    people = d.records.staff(d.site_id)
    if not d.service_day and not checks:
        return _check(*args, NOT_APPLICABLE, "No meals served.", "非供餐日。")
    if not people:
        return _check(*args, MISSING, "No staff on record: add the staff first.", "尚无从业人员档案，请先录入。", ids)
    checked, names = {c.staff_id for c in checks}, {p.id: p.name for p in people}
    unfit = [names.get(c.staff_id) or c.staff.name for c in checks if not c.fit]
    missing = [p.name for p in people if p.id not in checked]
    if missing:
        return _check(*args, MISSING, f"Not checked yet: {', '.join(missing)}.", f"尚未晨检：{'、'.join(missing)}。", ids)
    en, zh = f"All {len(people)} checked.", f"{len(people)} 人均已晨检。"
    if unfit:
        en += f" Not fit for work today: {', '.join(unfit)}."
        zh += f"今日不宜上岗：{'、'.join(unfit)}。"
    return _check(*args, DONE, en, zh, ids)


def _water(d: _Day) -> DayCheck:
    args = ("water", "Drinking water supplied", "饮用水供应", "water-supplies")
    rows = d.rows(WaterSupply, by_time=True)
    needed = int(d.settings["water_supplies_per_day"])
    ids = [r.id for r in rows]
    if not d.service_day and not rows:
        return _check(*args, NOT_APPLICABLE, "No meals served.", "非供餐日。")
    times = ", ".join(f"{to_local(r.occurred_at, d.tz):%H:%M}" for r in rows)
    if len(rows) < needed:
        return _check(*args, MISSING, f"{len(rows)} of {needed} supplies{': ' + times if rows else ''}.",
                      f"已供水 {len(rows)}/{needed} 次{'：' + times if rows else ''}。", ids)
    return _check(*args, DONE, f"{len(rows)} supplies: {times}.", f"已供水 {len(rows)} 次：{times}。", ids)


def water_containers(value: str) -> list[str]:
    return [c.strip() for c in str(value or "").replace("，", ",").split(",") if c.strip()]


def _containers(d: _Day) -> DayCheck:
    args = ("containers", "Water containers cleaned", "盛水容器清洗", "container-cleanings")
    rows = d.rows(ContainerCleaning)
    ids = [r.id for r in rows]
    wanted = water_containers(d.settings["water_containers"])
    if (not d.service_day and not rows) or not wanted:
        return _check(*args, NOT_APPLICABLE, "Nothing to clean today.", "今日无需清洗。", ids)
    cleaned = {r.container.strip() for r in rows if r.cleaned}
    missing = [c for c in wanted if c not in cleaned]
    if missing:
        return _check(*args, MISSING, f"Not cleaned yet: {', '.join(missing)}.", f"尚未清洗：{'、'.join(missing)}。", ids)
    return _check(*args, DONE, f"All {len(wanted)} containers cleaned.", f"{len(wanted)} 个容器均已清洗。", ids)


def _inspection(d: _Day) -> DayCheck:
    args = ("inspection", "Daily inspection signed", "每日检查签名", "inspections")
    rows = d.rows(DailyInspection)
    ids = [r.id for r in rows]
    if not rows:
        if not d.service_day:
            return _check(*args, NOT_APPLICABLE, "No meals served.", "非供餐日。")
        return _check(*args, MISSING, "No daily inspection yet.", "尚无每日检查记录。")
    states = {r.id: d.records.inspection_state(r.id) for r in rows}
    if any(s == "signed" for s in states.values()):
        signed = [r for r in rows if states[r.id] == "signed"]
        return _check(*args, DONE, f"Inspected by {signed[0].inspector}, signed.",
                      f"{signed[0].inspector}已检查并签名。", ids)
    if any(s == "changed_after_signing" for s in states.values()):
        return _check(*args, MISSING, "Changed after signing: needs signing again.", "签名后已修改，需要重新签名。", ids)
    return _check(*args, MISSING, f"Inspected by {rows[0].inspector}, not signed yet.",
                  f"{rows[0].inspector}已检查，尚未签名。", ids)


CHECKS = (_deliveries, _pesticide, _menu, _samples, _accompanied, _disinfection, _morning, _water,
          _containers, _inspection)


def _fold_findings(checks: list[DayCheck], findings: Iterable) -> None:
    """Put each of the engine's findings of the day on its check and let it set the state."""
    by_key = {c.key: c for c in checks}
    for finding in findings:
        check = by_key.get(RULE_CHECK.get(finding.rule, ""))
        if check is None:
            continue
        check.findings.append(finding)
        if finding.record_kind == check.kind and finding.record_id and finding.record_id not in check.record_ids:
            check.record_ids.append(finding.record_id)
        absence = finding.rule in ABSENCE_RULES or (finding.rule == "WAT-SUPPLY" and finding.record_id is None)
        new_state = MISSING if absence else VIOLATION
        if STATES.index(new_state) < STATES.index(check.state):
            check.state = new_state
        if not absence:
            check.detail_en = f"{check.detail_en} {finding.message_en}".strip()
            check.detail_zh = f"{check.detail_zh}{finding.message_zh}"


def day_findings(site_id: int, day: dt.date, today: dt.date, source: SiteRecords | None = None) -> list:
    """The engine's findings for one day (without late entries: lateness is not a duty left undone)."""
    from .rules import evaluate
    found = evaluate(site_id, day, day, today=today, source=source, rules=DUTY_RULES)
    return [f for f in found if f.day == day]


def day_status(site, day: dt.date, now: dt.datetime | None = None,
               records: DayRecords | None = None) -> list[DayCheck]:
    """Every daily duty of docs/domain.md §2 for `day`, in the order the day runs.

    `site` is a site id or a Session; `now` (UTC) lets tests and past days ask as of a moment;
    `records` reads the day for several canteens at once (the district's day table).
    """
    site_id = _site_id(site)
    d = _Day(site_id, day, now, records if records is not None else DayRecords([site_id], day))
    checks = [make(d) for make in CHECKS]
    _fold_findings(checks, day_findings(d.site_id, day, max(d.today, day), d.records.sites))
    return checks


def _site_id(site) -> int:
    if hasattr(site, "site"):
        return site.site.id
    return getattr(site, "id", site)


def last_service_day(site, before: dt.date) -> dt.date | None:
    """The latest day before `before` on which meals were served (it has a menu): where a
    weekend or a holiday sends the reader back to."""
    row = (Menu.live().select(Menu.day).where((Menu.site == _site_id(site)) & (Menu.day < before))
           .order_by(Menu.day.desc()).first())
    return row.day if row else None


# ---- reminders -------------------------------------------------------------------------------

def reminders(site, day: dt.date, now: dt.datetime | None = None) -> list[Reminder]:
    """Samples that may be discarded, certificates running out, positive screens awaiting retest."""
    site_id = _site_id(site)
    tz = Site.get_by_id(site_id).timezone
    moment = min(now or utcnow(), end_of_day_utc(day, tz))
    alert = int(settings.get(site_id, "cert_alert_days"))
    return [*_discardable(site_id, moment, tz), *_certificates(site_id, day, alert),
            *_health_certificates(site_id, day, alert), *_retests(site_id, day)]


def _discardable(site_id: int, moment: dt.datetime, tz: str) -> list[Reminder]:
    """Samples past their keeping time and not yet discarded, one reminder per meal."""
    rows = RetainedSample.live().where(
        (RetainedSample.site == site_id) & (RetainedSample.keep_until <= moment)
        & (RetainedSample.occurred_at >= moment - dt.timedelta(days=30))
        & (RetainedSample.discarded_at.is_null() | (RetainedSample.discarded_at > moment)))
    meals: dict[tuple, list[RetainedSample]] = {}
    for s in rows.order_by(RetainedSample.served_on, RetainedSample.keep_until):
        meals.setdefault((s.served_on, s.meal), []).append(s)
    found = []
    for (served_on, meal), samples in meals.items():
        meal_en, meal_zh = MEAL_NAMES.get(meal, (meal, meal))
        since = to_local(max(s.keep_until for s in samples), tz)
        dishes_en, dishes_zh = ", ".join(s.dish for s in samples), "、".join(s.dish for s in samples)
        found.append(Reminder(
            "discard-sample",
            f"Samples of {meal_en.lower()} on {served_on} ({dishes_en}) may be discarded since {since:%Y-%m-%d %H:%M}.",
            f"{served_on} {meal_zh}的留样（{dishes_zh}）自 {since:%Y-%m-%d %H:%M} 起可以销毁。",
            "samples", samples[0].id, since.date(), [s.id for s in samples]))
    return found


def _expiring(rows, owner_of, day: dt.date, alert: int):
    """Rows whose expiry is within `alert` days either side of `day` and not renewed by a later one."""
    latest: dict = {}
    for row in rows:
        key = owner_of(row)
        if row.expires_on and (key not in latest or row.expires_on > latest[key].expires_on):
            latest[key] = row
    horizon, oldest = day + dt.timedelta(days=alert), day - dt.timedelta(days=alert)
    return sorted((r for r in latest.values() if oldest <= r.expires_on <= horizon), key=lambda r: r.expires_on)


def _expiry_words(expires: dt.date, day: dt.date) -> tuple[str, str]:
    left = (expires - day).days
    if left < 0:
        return f"expired on {expires}", f"已于 {expires} 过期"
    if left == 0:
        return "expires today", "今天到期"
    return f"expires on {expires} (in {left} days)", f"将于 {expires} 到期（还有 {left} 天）"


def _certificates(site_id: int, day: dt.date, alert: int) -> list[Reminder]:
    from .models.records import CERT_TYPES
    names = {value: (en, zh) for value, en, zh in CERT_TYPES}
    rows = Certificate.live().where(Certificate.site == site_id).join(Supplier)
    found = []
    for c in _expiring(rows, lambda r: (r.supplier_id, r.cert_type), day, alert):
        en, zh = _expiry_words(c.expires_on, day)
        kind_en, kind_zh = names.get(c.cert_type, (c.cert_type, c.cert_type))
        found.append(Reminder("certificate", f"{c.supplier.name}: {kind_en} {c.number} {en}.",
                              f"{c.supplier.name}：{kind_zh} {c.number} {zh}。", "certificates", c.id, c.expires_on))
    return found


def _health_certificates(site_id: int, day: dt.date, alert: int) -> list[Reminder]:
    active = {p.id: p for p in staff_on_duty(site_id, day)}
    rows = [h for h in HealthCertificate.live().where(HealthCertificate.site == site_id) if h.staff_id in active]
    found = []
    for h in _expiring(rows, lambda r: r.staff_id, day, alert):
        en, zh = _expiry_words(h.expires_on, day)
        name = active[h.staff_id].name
        found.append(Reminder("health-certificate", f"Health certificate of {name} {en}.",
                              f"{name}的健康证{zh}。", "health-certificates", h.id, h.expires_on))
    return found


def _retests(site_id: int, day: dt.date) -> list[Reminder]:
    positives = PesticideTest.live().where(
        (PesticideTest.site == site_id) & (PesticideTest.day <= day)
        & ((PesticideTest.test_kind != "retest") | PesticideTest.test_kind.is_null())
        & (PesticideTest.result == "positive"))
    found = []
    for t in positives.order_by(PesticideTest.occurred_at):
        related = PesticideTest.retest_of == t.id
        if t.delivery_id:
            related |= PesticideTest.delivery == t.delivery_id
        batch = [x for x in PesticideTest.live().where(related & (PesticideTest.id != t.id))]
        if any(x.disposition in ("returned", "destroyed") for x in [t, *batch]):
            continue
        retests = [x for x in batch if x.test_kind == "retest"]
        if len(retests) < 2:
            found.append(Reminder(
                "retest", f"{t.sample_name} ({t.day}) screened positive: {len(retests)} of 2 retests done.",
                f"{t.sample_name}（{t.day}）农残初检阳性：已复检 {len(retests)}/2 次。", "pesticide-tests", t.id, t.day))
        elif any(x.result == "positive" for x in retests):
            found.append(Reminder(
                "retest", f"{t.sample_name} ({t.day}) positive on retest: return or destroy the batch and record it.",
                f"{t.sample_name}（{t.day}）复检阳性：请退货或销毁该批次并记录。", "pesticide-tests", t.id, t.day))
    return found
