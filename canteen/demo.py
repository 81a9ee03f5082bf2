"""A believable school term for the canteen of docs/domain.md §1, with a handful of real lapses.

Deterministic for a given seed and end date. Every record goes through the same validation and
block rules as a typed one (canteen.bulk); every non-block rule fires somewhere, and the block
rules show as what a careful administrator does instead (expired goods recorded as rejected).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from . import bulk, demo_cases
from .db import current, open_database, write_transaction
from .demo_cases import CaseBook
from .integrity import signatures
from .models import Site
from .services import signing, users
from .services.session import Session
from .timeutil import local_today, to_utc, utcnow
from .validation import credit_code_check_char

DEMO_PASSWORD = "demo"
# School days written per transaction: a commit waits for the disk (synchronous=FULL), ~3 ms,
# which at one a day was a sixth of a long demo's time.
DAYS_PER_COMMIT = 20
DEMO_USERS = (
    ("manager", "陈晓东", "manager", "食堂管理员"),
    ("doctor", "李静", "doctor", "校医"),
    ("director", "周建华", "director", "总务主任"),
    ("leader", "吴国平", "leader", "校长"),
    ("auditor", "孙明", "auditor", "教育局食品安全检查员"),
)
LEADERS = (("吴国平", "校长"), ("郑丽", "副校长"), ("何军", "德育主任"))
STAFF = (("刘建国", "chef"), ("王秀兰", "cook"), ("张桂英", "cook"), ("李红梅", "cook"),
         ("赵志强", "cook"), ("孙丽华", "cook"), ("陈晓东", "administrator"))
WATER_OPERATOR = "赵志强"
LAPSED_COOK = "孙丽华"  # works on with an expired health certificate near the end (STF-HEALTH)
BREAKFAST = ("白粥", "馒头", "煮鸡蛋", "豆浆", "花卷", "油条", "小米粥", "肉包子", "咸菜")
MAINS = ("红烧肉", "宫保鸡丁", "鱼香肉丝", "番茄炒蛋", "清蒸鲈鱼", "土豆烧牛肉", "麻婆豆腐", "糖醋里脊",
         "青椒肉丝", "回锅肉", "黄焖鸡", "可乐鸡翅", "红烧带鱼", "木须肉")
GREENS = ("清炒白菜", "蒜蓉菠菜", "酸辣土豆丝", "炒油麦菜", "醋溜白菜", "干煸豆角", "炒西兰花", "凉拌黄瓜",
          "炒豆芽", "家常豆腐")
SOUPS = ("紫菜蛋花汤", "冬瓜排骨汤", "番茄蛋汤", "海带汤", "青菜豆腐汤")


@dataclass(frozen=True)
class Goods:
    item: str
    category: str
    supplier: str
    unit: str
    qty: tuple[int, int]
    price_fen: int
    shelf_days: int
    storage: str = "ambient"
    every: int = 1  # delivered every n-th school day
    meat_kind: str | None = None  # what the receiver records; pork needs the meat-quality certificate too


SUPPLIERS = (
    ("城关绿源蔬菜专业合作社", "farm", "城关镇东环路18号", "马建军", "13907310021", ("business_licence", "product_qualification")),
    ("县肉类联合加工厂", "producer", "工业园区食品路6号", "黄志刚", "13807312233", ("production_licence", "product_qualification")),
    ("鑫鑫禽业有限公司", "producer", "河西镇禽业基地", "罗鑫", "13974310877", ("production_licence", "product_qualification")),
    ("惠民粮油批发部", "distributor", "城关镇粮贸市场12号", "杨惠民", "13607315566", ("operation_licence",)),
    ("华联超市城关店", "distributor", "城关镇人民路88号", "周丽", "07314221888", ("operation_licence",)),
    ("清泉水产经营部", "distributor", "城关农贸市场水产区3号", "邓清泉", "13317316622", ("operation_licence",)),
    ("李记豆制品厂", "producer", "城关镇豆腐巷5号", "李德福", "13787319090", ("production_licence", "product_qualification")),
    ("张德明（个体农户）", "farmer", "城郊乡张家村三组", "张德明", "15173101234", ("identity",)),
    ("老王冻品批发", "distributor", "城关冷链市场A区", "王海", "13975318800", ("operation_licence",)),
)
GOODS = (
    Goods("大白菜", "vegetable", "城关绿源蔬菜专业合作社", "kg", (40, 70), 180, 7),
    Goods("菠菜", "vegetable", "城关绿源蔬菜专业合作社", "kg", (15, 25), 520, 3),
    Goods("土豆", "vegetable", "城关绿源蔬菜专业合作社", "kg", (30, 50), 260, 30),
    Goods("青椒", "vegetable", "张德明（个体农户）", "kg", (10, 20), 480, 7, every=2),
    Goods("番茄", "vegetable", "张德明（个体农户）", "kg", (15, 25), 450, 7, every=2),
    Goods("苹果", "fruit", "华联超市城关店", "kg", (30, 40), 700, 20, every=3),
    Goods("鲜猪肉", "meat", "县肉类联合加工厂", "kg", (35, 50), 2800, 2, storage="chilled", meat_kind="pork"),
    Goods("排骨", "meat", "县肉类联合加工厂", "kg", (10, 15), 3600, 2, storage="chilled", every=3, meat_kind="pork"),
    Goods("鸡腿", "poultry", "鑫鑫禽业有限公司", "kg", (20, 30), 1700, 2, storage="chilled", meat_kind="poultry"),
    Goods("鲜鸡蛋", "dairy", "华联超市城关店", "kg", (20, 30), 1000, 30, every=2),
    Goods("豆腐", "other", "李记豆制品厂", "kg", (15, 25), 400, 2),
    Goods("鲈鱼", "aquatic", "清泉水产经营部", "kg", (15, 20), 2600, 2, storage="chilled", every=3),
    Goods("冷冻带鱼", "aquatic", "老王冻品批发", "kg", (10, 15), 2200, 180, storage="frozen", every=5),
    Goods("大米", "grain", "惠民粮油批发部", "kg", (150, 200), 520, 365, every=5),
    Goods("面粉", "grain", "惠民粮油批发部", "kg", (50, 75), 420, 180, every=5),
    Goods("菜籽油", "oil", "惠民粮油批发部", "L", (20, 25), 1600, 540, every=10),
    Goods("食盐", "seasoning", "华联超市城关店", "kg", (5, 10), 300, 1095, every=10),
)


@dataclass(frozen=True)
class Habits:
    """How carefully a canteen keeps its books: the demo canteen is "ordinary" (each lapse once a
    term). A diligent one has every other kind of lapse only, a sloppy one each lapse three times
    and leaves a quarter of its cases open; "missing-samples" stops keeping one lunch dish's
    sample for `missing_sample_days` school days near the end of the term."""

    name: str = "ordinary"
    lapse_rounds: tuple[float, ...] = (0.0,)
    every_other_lapse: bool = False
    left_open_percent: int = 5
    missing_sample_days: int = 0
    health_lapse_days: int | None = 6  # the cook's health certificate ran out this many days before the end; None: renewed


HABITS = {
    "diligent": Habits("diligent", every_other_lapse=True, left_open_percent=2, health_lapse_days=None),
    "ordinary": Habits(),
    "sloppy": Habits("sloppy", lapse_rounds=(0.0, 0.37, 0.71), left_open_percent=25),
    "missing-samples": Habits("missing-samples", missing_sample_days=20),
}


@dataclass(frozen=True)
class Cast:
    """Who works at and supplies a canteen: the demo canteen's own names (`names` empty) or, in a
    demo district, each canteen's people and suppliers under names of its own."""

    usernames: dict[str, str] = field(default_factory=dict)  # the demo's user → this canteen's
    names: dict[str, str] = field(default_factory=dict)  # the demo's person or supplier → this canteen's

    def username(self, demo_username: str) -> str:
        return self.usernames.get(demo_username, demo_username)

    def name(self, value):
        return self.names.get(value, value) if isinstance(value, str) else value

    def recast(self, data: dict) -> dict:
        """A record's fields with the demo's names replaced by this canteen's."""
        if not self.names:
            return data
        return {k: [self.name(x) for x in v] if isinstance(v, list) else self.name(v) for k, v in data.items()}


@dataclass
class DemoWorld:
    """What the builder knows while it walks the term."""

    site: Site
    sessions: dict[str, Session]
    rng: random.Random
    days: list[dt.date]
    suppliers: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    signing_keys: dict[str, object] = field(default_factory=dict)
    pending_discards: list[tuple[int, dt.datetime]] = field(default_factory=list)
    cases: CaseBook = field(default_factory=CaseBook)
    licensed_until: dict[str, dt.date] = field(default_factory=dict)  # the first expiry among a supplier's certificates
    habits: Habits = field(default_factory=Habits)
    cast: Cast = field(default_factory=Cast)

    def write(self, role: str, kind: str, items: list[tuple[dict, dt.datetime]]) -> list[int]:
        """Records written by one of the canteen's users, under this canteen's names."""
        return bulk.bulk_create(self.sessions[role], kind, [(self.cast.recast(d), at) for d, at in items])

    def missing_sample(self, n: int) -> bool:
        """Whether school day `n` falls in the weeks this canteen kept no sample of a lunch dish
        (they end three school days before the term's last, so the last month shows them)."""
        start = max(0, len(self.days) - self.habits.missing_sample_days - 3)
        return start <= n < start + self.habits.missing_sample_days

    @property
    def surplus_month(self) -> tuple[int, int] | None:
        """The first whole calendar month of the term: its books run 5 % over (COST-SURPLUS)."""
        for day in self.days:
            start = day.replace(day=1)
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            if start > self.days[0] and end < self.days[-1]:
                return (start.year, start.month)
        return None

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute))

    def entered(self, local: dt.datetime, minutes: int = 10) -> dt.datetime:
        return to_utc(local + dt.timedelta(minutes=minutes), self.site.timezone)


def is_school_day(day: dt.date) -> bool:
    """Weekdays outside the summer and winter holidays and the National Day week."""
    md = (day.month, day.day)
    holiday = (7, 15) <= md <= (8, 31) or (1, 20) <= md <= (2, 20) or (10, 1) <= md <= (10, 7)
    return day.weekday() < 5 and not holiday


def school_days(end: dt.date, count: int) -> list[dt.date]:
    """`count` school days ending on or before `end`, oldest first."""
    days, day = [], end
    while len(days) < count:
        if is_school_day(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    return days[::-1]


def credit_code(rng: random.Random) -> str:
    body = "9143" + "".join(rng.choice("0123456789") for _ in range(4)) + "".join(
        rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + credit_code_check_char(body)


def id_number(rng: random.Random) -> str:
    from .validation import id_number_check_char
    body = "430121" + "19650314" + "".join(rng.choice("0123456789") for _ in range(3))
    return body + id_number_check_char(body)


def build_demo(url: str, days: int = 100, seed: int = 1, end: dt.date | None = None,
               progress: Callable[[int, int], None] | None = None) -> dict:
    """Make a new database at `url` holding `days` school days ending today; returns counts."""
    open_database(url, create=True)
    site, _admin = users.create_site("城关中学学生食堂", "admin", DEMO_PASSWORD, school="城关中学")
    Site.update(licence_no="JY34301210012345", address="城关镇学府路1号").where(Site.id == site.id).execute()
    add_demo_users(Site.get_by_id(site.id), Cast())
    return build_term(Site.get_by_id(site.id), days, seed, end, progress)


def add_demo_users(site: Site, cast: Cast) -> None:
    """The canteen's manager, doctor, director, leader and auditor, password 'demo'."""
    for username, name, role, post in DEMO_USERS:
        users.add_user(site, cast.username(username), cast.name(name), role, DEMO_PASSWORD, post=post)


def build_term(site: Site, days: int = 100, seed: int = 1, end: dt.date | None = None,
               progress: Callable[[int, int], None] | None = None, habits: Habits = Habits(),
               cast: Cast = Cast()) -> dict:
    """`days` school days of one canteen (its users already added) ending `end` or today, kept
    as its `habits` say, by its `cast`; returns counts."""
    end = end or local_today(site.timezone)
    world = DemoWorld(site, {u: users.session_for(cast.username(u)) for u, *_ in DEMO_USERS}, random.Random(seed),
                      school_days(end, days), habits=habits, cast=cast)
    for role in ("doctor", "director", "leader"):
        world.signing_keys[role] = signatures.unlock_key(world.sessions[role].user, DEMO_PASSWORD)
    register_suppliers(world)
    register_staff(world)
    for start in range(0, len(world.days), DAYS_PER_COMMIT):
        with write_transaction():
            for n in range(start, min(start + DAYS_PER_COMMIT, len(world.days))):
                build_day(world, n)
        if progress:
            progress(min(start + DAYS_PER_COMMIT, len(world.days)), len(world.days))
    return {"school_days": len(world.days), "first": world.days[0], "last": world.days[-1]}


def build_day(world: DemoWorld, n: int) -> None:
    """One school day, its look-ups (settings, certificates, sealed days) read once for the day
    by all its users together; the month closed first on the first school day of a month."""
    day, looked_up = world.days[n], {}
    with contextlib.ExitStack() as day_batch:
        for session in world.sessions.values():
            day_batch.enter_context(session.batch(looked_up))
        if n and day.month != world.days[n - 1].month:
            close_month(world, day)
        DemoDay(world, day, n).build()


def register_suppliers(w: DemoWorld) -> None:
    manager, start = w.sessions["manager"], w.days[0]
    setup_time = to_utc(w.at(start - dt.timedelta(days=3), 9), w.site.timezone)
    for name, kind, address, contact, phone, certs in SUPPLIERS:
        code = id_number(w.rng) if kind == "farmer" else credit_code(w.rng)
        [sid] = w.write("manager", "suppliers", [({"name": name, "kind": kind, "address": address,
                                  "contact": contact, "phone": phone, "credit_code": code}, setup_time)])
        w.suppliers[name] = sid
        items = []
        for n, cert_type in enumerate(certs):
            for issued, expires in certificate_terms(w, name, start - dt.timedelta(days=400 + 30 * n)):
                items.append(({"supplier": sid, "cert_type": cert_type, "number": f"{cert_type[:2].upper()}{w.rng.randint(10**9, 10**10)}",
                               "issued_on": issued, "expires_on": expires}, max(setup_time, to_utc(w.at(issued, 10), w.site.timezone))))
        bulk.bulk_create(manager, "certificates", items)
        w.licensed_until[name] = min((data["expires_on"] for data, _at in items), default=dt.date.max)


def certificate_terms(w: DemoWorld, supplier: str, issued: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Five-year licences renewed a month before they lapse, up to the end of the demo; one
    supplier's lapses mid-term (its goods stop coming) and one's expires soon (CERT-EXPIRING)."""
    last, terms = w.days[-1], []
    lapse = {"清泉水产经营部": last + dt.timedelta(days=18),
             "老王冻品批发": last - dt.timedelta(days=max(5, len(w.days) // 3))}.get(supplier)
    while True:
        expires = issued + dt.timedelta(days=365 * 5)
        if lapse and expires >= lapse:
            return terms + [(issued, lapse)] if lapse > issued else terms
        terms.append((issued, expires))
        if not lapse and expires - dt.timedelta(days=30) > last:
            return terms
        issued = expires - dt.timedelta(days=30)


def register_staff(w: DemoWorld) -> None:
    manager, start = w.sessions["manager"], w.days[0]
    setup_time = to_utc(w.at(start - dt.timedelta(days=3), 10), w.site.timezone)
    for name, post in STAFF:
        [sid] = w.write("manager", "staff", [({"name": name, "post": post, "hired_on": start - dt.timedelta(days=200),
                                  "contract_signed": True, "trained": True, "active": True,
                                  "id_number": id_number(w.rng)}, setup_time)])
        w.staff[name] = sid
        issued = start - dt.timedelta(days=30)
        renewals = []
        while issued <= w.days[-1]:
            expires = issued + dt.timedelta(days=364)
            lapse = w.habits.health_lapse_days
            if name == LAPSED_COOK and lapse is not None and expires >= w.days[-1] - dt.timedelta(days=lapse + 4):
                expires = w.days[-1] - dt.timedelta(days=lapse)
                renewals.append((issued, expires))
                break
            renewals.append((issued, expires))
            issued = expires - dt.timedelta(days=20)
        items = [({"staff": sid, "number": f"JK{w.rng.randint(10**7, 10**8)}", "issued_on": i, "expires_on": e,
                   "issuer": "县疾病预防控制中心"}, max(setup_time, to_utc(w.at(i, 16), w.site.timezone)))
                 for i, e in renewals if i <= w.days[-1]]
        bulk.bulk_create(manager, "health-certificates", items)


class DemoDay:
    """One school day: deliveries at 6-8 am, tests, morning checks, three meals, water, the evening review."""

    def __init__(self, world: DemoWorld, day: dt.date, index: int):
        self.w, self.day, self.n = world, day, index
        self.rng = random.Random(f"{world.rng.random()}-{day}")
        self.last = index == len(world.days) - 1
        self.lapse = self._lapse_days()

    def _lapse_days(self) -> set[str]:
        """Which lapses happen today: each once, spread over the term so every rule fires
        ("positive_unresolved": a batch screened positive after it was accepted, never retested)."""
        total = len(self.w.days)
        plan = {"cold": 0.12, "no_test": 0.2, "missing_sample": 0.28, "light_sample": 0.33, "early_discard": 0.4,
                "warm_fridge": 0.45, "no_morning": 0.5, "unsigned": 0.55, "no_leader": 0.6, "no_disinfection": 0.65,
                "weak_chlorine": 0.7, "one_water": 0.75, "dirty_bucket": 0.8, "late": 0.85, "positive": 0.3,
                "positive_destroyed": 0.62, "expired_goods": 0.52, "positive_unresolved": 0.9}
        habits = self.w.habits
        kinds = sorted(plan.items())[::2] if habits.every_other_lapse else plan.items()
        return {k for k, frac in kinds for shift in habits.lapse_rounds if int((frac + shift) % 1 * (total - 1)) == self.n}

    def build(self) -> None:
        deliveries = self.deliveries()
        self.pesticide_tests(deliveries)
        self.morning_checks()
        menus = self.menus()
        self.samples(menus)
        self.meal_records()
        self.water()
        self.hygiene_extras()
        self.ledger(deliveries)
        self.discard_samples()
        self.inspection()

    def discard_samples(self) -> None:
        """Samples whose keeping time is over are discarded by the chef in the evening; on a demo
        ending today, only those whose discarding has already happened (never a future entry)."""
        w, evening, now = self.w, self.w.at(self.day, 19), utcnow()
        due = [(sid, at) for sid, at in w.pending_discards if at <= evening and w.entered(at, 3) <= now]
        w.pending_discards = [p for p in w.pending_discards if p not in due]
        changes = [(sid, {"discarded_at": at, "discarded_by": w.cast.name("刘建国")}, w.entered(at, 3)) for sid, at in due]
        bulk.bulk_amend(w.sessions["manager"], "samples", changes, reason="留样期满，按规定销毁")

    def create(self, kind: str, role: str, items: list[tuple[dict, dt.datetime]]) -> list[int]:
        """Write what had been entered by now: on a demo ending today, the evening is still to come."""
        now = utcnow()
        return self.w.write(role, kind, [item for item in items if item[1] <= now])

    # -- morning -----------------------------------------------------------------------------

    def deliveries(self) -> list[tuple[int, Goods, Decimal, int]]:
        w, rng, items, goods_today = self.w, self.rng, [], []
        minute = 10
        for g in GOODS:
            if self.n % g.every:
                continue
            if g.supplier == "老王冻品批发" and not self._supplier_valid("老王冻品批发"):
                continue
            qty = Decimal(rng.randint(*g.qty))
            at = w.at(self.day, 6, 0) + dt.timedelta(minutes=minute)
            minute += rng.randint(4, 9)
            data = self._delivery_input(g, qty, at)
            items.append((data, w.entered(at)))
            goods_today.append((g, qty))
        if "expired_goods" in self.lapse:  # PUR-EXPIRED would block: the milk is recorded as rejected
            at = w.at(self.day, 7, 40)
            items.append(({"occurred_at": at, "item": "纯牛奶", "category": "dairy", "spec": "250ml×24", "quantity": 10,
                           "unit": "箱", "supplier": w.suppliers["华联超市城关店"], "production_date": self.day - dt.timedelta(days=40),
                           "shelf_life_days": 30, "unit_price_fen": 6000, "result": "rejected",
                           "reject_reason": "已过保质期，退回供货者", "receiver": "陈晓东", "second_inspector": "李静"}, w.entered(at)))
        ids = self.create("deliveries", "manager", items)
        return [(i, g, q, 0) for i, (g, q) in zip(ids, goods_today)]

    def _supplier_valid(self, name: str) -> bool:
        return self.w.licensed_until[name] >= self.day

    def _delivery_input(self, g: Goods, qty: Decimal, at: dt.datetime) -> dict:
        rng = self.rng
        made = self.day - dt.timedelta(days=rng.randint(0, min(g.shelf_days // 3, 20)))
        data = {"occurred_at": at, "item": g.item, "category": g.category, "quantity": qty, "unit": g.unit,
                "supplier": self.w.suppliers[g.supplier], "production_date": made, "shelf_life_days": g.shelf_days,
                "unit_price_fen": g.price_fen + rng.randint(-g.price_fen // 20, g.price_fen // 20),
                "invoice_no": f"NO.{self.day:%m%d}{rng.randint(100, 999)}", "certs_checked": True,
                "sensory_ok": True, "storage": g.storage, "result": "accepted", "receiver": "陈晓东",
                "second_inspector": "李静" if self.n % 2 else "周建华", "batch_no": f"{made:%Y%m%d}-{rng.randint(1, 9)}"}
        if g.category in ("meat", "poultry"):
            data.update(meat_kind=g.meat_kind, quarantine_cert_no=f"动检{rng.randint(10**9, 10**10)}")
            if g.meat_kind == "pork":
                data["meat_quality_cert_no"] = f"肉检{rng.randint(10**7, 10**8)}"
        if g.storage == "chilled":
            data.update(label_temp_c=4, arrival_temp_c=Decimal(rng.randint(20, 60)) / 10)
        if g.storage == "frozen":
            data.update(label_temp_c=-18, arrival_temp_c=-(Decimal(rng.randint(140, 190)) / 10))
            if "cold" in self.lapse:
                data["arrival_temp_c"] = Decimal("-5.5")  # PUR-COLD
        if g.storage == "chilled" and "cold" in self.lapse:
            data["arrival_temp_c"] = Decimal("9.5")
        return data

    def pesticide_tests(self, deliveries) -> None:
        w, rng, items = self.w, self.rng, []
        produce = [(i, g) for i, g, q, _ in deliveries if g.category in ("vegetable", "fruit")]
        if "no_test" in self.lapse:
            produce = produce[1:]  # PES-MISSING: the first batch goes untested
        for k, (did, g) in enumerate(produce):
            at = w.at(self.day, 7, 5 + 6 * k)
            control = Decimal(rng.randint(480, 620)) / 1000
            sample = control * (1 - Decimal(rng.randint(3, 25)) / 100)
            positive = k == 0 and bool({"positive", "positive_destroyed", "positive_unresolved"} & self.lapse)
            if positive:
                sample = control * Decimal("0.38")
            items.append(({"occurred_at": at, "sample_name": g.item, "delivery": did, "method": "spectro",
                           "control_delta": control.quantize(Decimal("0.0001")), "sample_delta": sample.quantize(Decimal("0.0001")),
                           "instrument": "RP-410 农残速测仪", "tester": "陈晓东", "reviewer": "李静",
                           "test_kind": "initial", "disposition": "" if positive else "used"}, w.entered(at, 5)))
        ids = self.create("pesticide-tests", "manager", items)
        if ids and ("positive" in self.lapse or "positive_destroyed" in self.lapse):
            self.retests(ids[0], produce[0], destroyed="positive_destroyed" in self.lapse)

    def retests(self, initial_id: int, batch: tuple[int, Goods], destroyed: bool) -> None:
        """A positive screen: two retests; used only if both are negative, else destroyed."""
        w, items, (delivery_id, g) = self.w, [], batch
        for k in range(2):
            at = w.at(self.day, 8, 10 + 15 * k)
            control = Decimal("0.5500")
            sample = control * (Decimal("0.45") if destroyed and k == 0 else Decimal("0.88"))
            items.append(({"occurred_at": at, "sample_name": g.item, "delivery": None, "method": "spectro",
                           "control_delta": control, "sample_delta": sample.quantize(Decimal("0.0001")),
                           "instrument": "RP-410 农残速测仪", "tester": "陈晓东", "reviewer": "李静",
                           "test_kind": "retest", "retest_of": initial_id,
                           "disposition": ("destroyed" if destroyed else "used") if k == 1 else "",
                           "note": "初检阳性，复检" + ("仍阳性，整批销毁" if destroyed else "两次阴性，准予使用")}, w.entered(at, 5)))
        for item in items:  # one at a time: the second retest is judged with the first on record
            item[0]["delivery"] = delivery_id
            self.create("pesticide-tests", "manager", [item])

    def morning_checks(self) -> None:
        w, rng, items = self.w, self.rng, []
        for name, post in STAFF:
            if "no_morning" in self.lapse and name == "李红梅":
                continue  # STF-MORNING
            sick = rng.random() < 0.01
            at = w.at(self.day, 6, 30)
            items.append(({"day": self.day, "staff": w.staff[name], "temperature_c": Decimal(rng.randint(362, 369)) / 10,
                           "sore_throat": sick, "fit": not sick, "hygiene_ok": True,
                           "action": "回家休息，痊愈后复岗" if sick else "", "checker": "陈晓东"}, w.entered(at, 15)))
        self.create("morning-checks", "manager", items)

    # -- meals -------------------------------------------------------------------------------

    def menus(self) -> dict[str, list[str]]:
        rng = self.rng
        plan = {"breakfast": rng.sample(BREAKFAST, 3),
                "lunch": rng.sample(MAINS, 2) + rng.sample(GREENS, 2) + [rng.choice(SOUPS)],
                "dinner": rng.sample(MAINS, 2) + rng.sample(GREENS, 2)}
        items = [({"day": self.day, "meal": meal, "dishes": dishes, "diners_planned": 250},
                  self.w.entered(self.w.at(self.day - dt.timedelta(days=1), 16), 0)) for meal, dishes in plan.items()]
        items = [(d, min(e, self.w.entered(self.w.at(self.day, 5, 30), 0))) for d, e in items]
        self.create("menus", "manager", items)
        return plan

    def samples(self, menus: dict[str, list[str]]) -> None:
        w, rng, items, discards = self.w, self.rng, [], []
        times = {"breakfast": (7, 10), "lunch": (11, 40), "dinner": (17, 40)}
        for meal, dishes in menus.items():
            for k, dish in enumerate(dishes):
                if ("missing_sample" in self.lapse or w.missing_sample(self.n)) and meal == "lunch" and k == 1:
                    continue  # SMP-MISSING
                at = w.at(self.day, *times[meal]) + dt.timedelta(minutes=k)
                weight = Decimal(rng.randint(130, 180))
                if "light_sample" in self.lapse and meal == "dinner" and k == 0:
                    weight = Decimal(100)  # SMP-WEIGHT
                temp = Decimal(rng.randint(20, 50)) / 10
                if "warm_fridge" in self.lapse and meal == "lunch" and k == 0:
                    temp = Decimal("10.5")  # SMP-TEMP
                discard = at + dt.timedelta(hours=49, minutes=rng.randint(0, 60))
                if "early_discard" in self.lapse and meal == "breakfast" and k == 0:
                    discard = at + dt.timedelta(hours=30)  # SMP-EARLY
                items.append(({"occurred_at": at, "dish": dish, "served_on": self.day, "meal": meal, "weight_g": weight,
                               "fridge": "留样冰箱1号", "storage_temp_c": temp, "sampler": "刘建国"}, w.entered(at, 5)))
                discards.append(discard)
        ids = self.create("samples", "manager", items)
        w.pending_discards.extend(zip(ids, discards))

    def meal_records(self) -> None:
        w, rng = self.w, self.rng
        disinfections, accompanied = [], []
        for k, meal in enumerate(("breakfast", "lunch", "dinner")):
            when = w.at(self.day, (8, 13, 19)[k], 30)
            if not ("no_disinfection" in self.lapse and meal == "dinner"):
                chlorine = self.n % 4 == 3 or "weak_chlorine" in self.lapse
                data = {"day": self.day, "meal": meal, "items": "餐盘、碗、筷子、汤勺", "item_count": 260,
                        "method": "chlorine" if chlorine else "steam", "operator": rng.choice(("王秀兰", "张桂英")),
                        "checker": "陈晓东"}
                if chlorine:
                    data.update(chlorine_mg_l=200 if "weak_chlorine" in self.lapse else 250, minutes=5, rinsed=True)
                else:
                    data.update(temperature_c=100, minutes=15)
                disinfections.append((data, w.entered(when)))
            if not ("no_leader" in self.lapse and meal == "dinner"):
                name, post = LEADERS[(self.n + k) % len(LEADERS)]
                accompanied.append(({"day": self.day, "meal": meal, "leader": name, "leader_post": post,
                                     "rating_look": rng.randint(4, 5), "rating_taste": rng.randint(3, 5),
                                     "rating_quality": rng.randint(4, 5), "rating_hygiene": 5, "rating_order": rng.randint(4, 5),
                                     "student_opinions": rng.choice(("饭菜可口", "希望多一些水果", "汤有点咸", "分量足", "")),
                                     "problems": "", "follow_up": ""}, w.entered(when, 20)))
        self.create("disinfections", "manager", disinfections)
        self.create("accompanied-meals", "leader", accompanied)

    def water(self) -> None:
        w, items = self.w, []
        times = ((6, 30), (14, 0)) if "one_water" not in self.lapse else ((6, 30),)
        for h, m in times:
            at = w.at(self.day, h, m)
            items.append(({"occurred_at": at, "boiler": "电开水器（二楼）", "operator": w.staff[WATER_OPERATOR],
                           "litres": 300}, w.entered(at, 5)))
        self.create("water-supplies", "manager", items)
        containers = [f"B{k}" for k in range(1, 7) if not ("dirty_bucket" in self.lapse and k == 4)]
        self.create("container-cleanings", "manager", [
            ({"day": self.day, "container": c, "cleaned": True, "lidded": True, "locked": True, "cleaner": WATER_OPERATOR},
             w.entered(w.at(self.day, 15), 0)) for c in containers])

    def hygiene_extras(self) -> None:
        w, rng, day = self.w, self.rng, self.day
        evening = w.entered(w.at(day, 19, 30), 0)
        self.create("waste", "manager", [({"occurred_at": w.at(day, 19), "kind": "food", "weight_kg": rng.randint(25, 60),
                                           "collector_unit": "城关环卫服务公司", "collector_name": "刘师傅",
                                           "collector_phone": "13873100101", "recorder": "陈晓东"}, evening)])
        if day.weekday() == 2:
            self.create("additive-uses", "manager", [({"day": day, "additive": "食用小苏打", "producer": "天津渤海化工",
                                                       "production_date": day - dt.timedelta(days=60), "amount_g": 120,
                                                       "purpose": "发面", "dish": "馒头", "dish_quantity_kg": 30,
                                                       "user_name": "刘建国"}, evening)])
        if day.weekday() == 0:
            self.create("meetings", "manager", [({"day": day, "attendees": [n for n, _ in STAFF],
                                                  "topics": "传达上级食品安全通知；个人卫生培训；上周问题复盘",
                                                  "decisions": "严格执行晨检和留样制度"}, evening)])
            self.create("shop-checks", "manager", [({"day": day, "product": p, "producer": m, "production_date": day - dt.timedelta(days=20),
                                                     "shelf_life_days": 180, "licence_no": sc, "label_complete": True,
                                                     "for_sale": True}, evening)
                                                   for p, m, sc in (("矿泉水 550ml", "农夫山泉股份有限公司", "SC10633011000123"),
                                                                    ("全麦面包", "桃李面包股份有限公司", "SC10621011200456"))])
        if self.n % 20 == 5:
            self.create("trainings", "manager", [({"day": day, "staff": sid, "topic": "食品安全知识培训", "hours": 2}, evening)
                                                 for sid in w.staff.values()])

    def ledger(self, deliveries) -> None:
        w, rng = self.w, self.rng
        food = accepted_today(w.site.id, self.day)
        surplus_month = (self.day.year, self.day.month) == w.surplus_month
        margin = Decimal("1.05") if surplus_month else Decimal(1) + Decimal(rng.randint(-15, 15)) / 1000
        income = int(food * margin)
        students, teachers = rng.randint(238, 258), rng.randint(12, 18)
        teacher_fee = teachers * 1200
        subsidy = students * 300
        student_fee = max(0, income - teacher_fee - subsidy)
        self.create("ledger", "manager", [({"day": self.day, "diners_students": students, "diners_teachers": teachers,
                                            "income_student_fen": student_fee, "income_teacher_fen": teacher_fee,
                                            "income_subsidy_fen": subsidy, "cost_fuel_fen": 18000, "cost_utilities_fen": 9000,
                                            "note": ""}, w.entered(w.at(self.day, 20), 0))])

    # -- evening -----------------------------------------------------------------------------

    def inspection(self) -> None:
        w = self.w
        role = "doctor" if self.n % 3 else "director"
        inspector = "李静" if role == "doctor" else "周建华"
        at = w.at(self.day, 20, 10)
        late = "late" in self.lapse
        entered = w.entered(at, 60 * 40 if late else 5)
        data = {"day": self.day, "inspector": inspector, "checklist": {k: True for k in (
                    "environment", "storage", "raw_materials", "staff_hygiene", "tableware", "samples", "pesticide", "water", "shop")},
                "findings": "", "corrective_actions": ""}
        if late:
            data["late_reason"] = "当晚停电，次日补录"
        created = self.create("inspections", role, [(data, entered)])
        if "unsigned" in self.lapse or not created:
            return  # CHK-MISSING
        [iid] = created
        session = w.sessions[role]
        demo_cases.weekly_review(w, self.day, self.n, role)
        reason = demo_cases.evening(w, self.day, self.n, role)
        real = session.clock
        session.clock = lambda: entered + dt.timedelta(minutes=2)
        try:
            signing.sign_record(session, "inspections", iid, "inspected", key=w.signing_keys[role],
                                open_cases_reason=reason)
        finally:
            session.clock = real


def accepted_today(site_id: int, day: dt.date) -> int:
    """Fen of the goods the canteen accepted on `day` (one plain statement: the demo asks it
    every day; a district database holds other canteens' deliveries too)."""
    db = current()
    found = db.execute_sql('SELECT SUM("amount_fen") FROM "delivery" WHERE "site_id" = {0} AND "day" = {0} '
                           'AND "result" = {0}'.format(db.param), (site_id, day, "accepted")).fetchone()
    return found[0] or 0


def close_month(w: DemoWorld, day: dt.date) -> None:
    """On the first school day of a month the administrator closes the last month's ledger at
    9 am, and the director approves it; both before that evening's inspection seals the day."""
    last_month = day.replace(day=1) - dt.timedelta(days=1)
    at = to_utc(dt.datetime.combine(day, dt.time(9)), w.site.timezone)
    [mid] = w.write("manager", "ledger-months", [(
        {"day": day, "month": f"{last_month:%Y-%m}", "published": True, "note": "本月伙食账已核对并在校务公开栏公示"}, at)])
    director = w.sessions["director"]
    real = director.clock
    director.clock = lambda: at + dt.timedelta(hours=2)
    try:
        signing.sign_record(director, "ledger-months", mid, "approved", key=w.signing_keys["director"])
    finally:
        director.clock = real
