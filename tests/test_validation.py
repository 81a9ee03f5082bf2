"""Bad input into every record service is refused, names its field, and leaves the disk unchanged.

Each case starts from an input that is accepted as it stands (one per record kind), spoils one
field the way a hurried user or a broken import would, and checks that `records.create` (or
amend/void) raises ValidationError naming that field, in Chinese and in English, while every
table and the audit chain stay exactly as they were.

The refusals write nothing, so the cases share one database per test module (built once, with
the suppliers, staff and deliveries the inputs refer to); each case compares the database with
itself before and after, which would also catch a refusal that leaked a row.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from argon2 import PasswordHasher

from canteen import db
from canteen.errors import ValidationError
from canteen.fields import CLOCK_SKEW
from canteen.integrity import chain, signatures
from canteen.models import REGISTRY, Site, all_tables
from canteen.services import records, site_admin, users
from canteen.timeutil import local_today, to_local, utcnow
from canteen.validation import credit_code_check_char, id_number_check_char

CJK = re.compile(r"[\u4e00-\u9fff]")
ROLES = ("manager", "doctor")


# ---- the shared canteen ------------------------------------------------------------------

def now_local() -> dt.datetime:
    return to_local(utcnow()).replace(microsecond=0)


def today() -> dt.date:
    return local_today()


def credit_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


def id_number(first17: str) -> str:
    return first17 + id_number_check_char(first17)


class Canteen:
    """One canteen's database with the records that valid inputs refer to."""

    def __init__(self, handle, site, sessions):
        self.handle, self.site, self.sessions = handle, site, sessions
        self.refs: dict[str, int] = {}
        self.samples: dict[str, int] = {}  # kind -> id of one saved record of that kind

    def session_for(self, kind: str):
        who = {"inspections": "doctor", "inspection-notices": "inspector"}.get(kind, "manager")
        return self.sessions[who]


def valid_input(kind: str, refs: dict[str, int]) -> dict:
    """An input a careful user would type for `kind` now; records.create accepts it unchanged."""
    day, moment = today(), now_local() - dt.timedelta(minutes=30)
    inputs = {
        "suppliers": {"name": "城关农贸市场", "kind": "market", "address": "城关镇解放路 8 号",
                      "credit_code": credit_code("92330106MA2AB1C2D"), "contact": "周大姐", "phone": "13800000000"},
        "certificates": {"supplier": refs.get("supplier"), "cert_type": "purchase_voucher", "number": "PZ-2025-017",
                         "issued_on": day - dt.timedelta(days=100), "expires_on": day + dt.timedelta(days=265)},
        "deliveries": {"occurred_at": moment, "item": "青菜", "category": "vegetable", "spec": "散装",
                       "quantity": "20.5", "unit": "kg", "supplier": refs.get("supplier"),
                       "production_date": moment.date(), "shelf_life_days": 3, "unit_price_fen": 350,
                       "invoice_no": "NO.00123", "certs_checked": True, "storage": "ambient",
                       "arrival_temp_c": "12.5", "result": "accepted", "receiver": "王芳", "second_inspector": "刘师傅"},
        "pesticide-tests": {"occurred_at": moment, "sample_name": "青菜", "delivery": refs.get("delivery"),
                            "method": "spectro", "control_delta": "0.52", "sample_delta": "0.41",
                            "instrument": "RP-410", "tester": "王芳", "reviewer": "李医生"},
        "menus": {"day": day, "meal": "lunch", "dishes": ["红烧肉", "清炒青菜", "番茄蛋汤"], "diners_planned": 250},
        "samples": {"occurred_at": moment, "dish": "红烧肉", "served_on": moment.date(), "meal": "lunch",
                    "weight_g": "150", "fridge": "留样柜1", "storage_temp_c": "4", "sampler": "王芳"},
        "staff": {"name": "刘师傅", "post": "cook", "id_number": id_number("51010219800101123"),
                  "phone": "13900000000", "hired_on": dt.date(2019, 9, 1), "contract_signed": True, "trained": True},
        "health-certificates": {"staff": refs.get("staff"), "number": "JK-2025-0042",
                                "issued_on": day - dt.timedelta(days=30), "expires_on": day + dt.timedelta(days=335),
                                "issuer": "城关镇卫生院"},
        "trainings": {"day": day, "staff": refs.get("staff"), "topic": "食品安全法规", "hours": "2"},
        "morning-checks": {"day": day, "staff": refs.get("staff"), "temperature_c": "36.5", "checker": "王芳"},
        "inspections": {"day": day, "inspector": "李医生",
                        "checklist": {"environment": True, "storage": True, "raw_materials": True,
                                      "staff_hygiene": True, "tableware": True, "samples": True},
                        "findings": "无", "corrective_actions": ""},
        "meetings": {"day": day, "attendees": ["王芳", "刘师傅", "李医生"], "topics": "本周菜谱与留样", "decisions": "按时留样"},
        "accompanied-meals": {"day": day, "meal": "lunch", "leader": "陈校长", "leader_post": "副校长",
                              "rating_look": 5, "rating_taste": 4, "rating_quality": 5, "rating_hygiene": 5,
                              "rating_order": 4, "student_opinions": "菜有点咸"},
        "disinfections": {"day": day, "meal": "lunch", "items": "餐盘", "item_count": 260, "method": "steam",
                          "temperature_c": "100", "minutes": "15", "operator": "刘师傅", "checker": "王芳"},
        "water-supplies": {"occurred_at": moment, "boiler": "电开水器", "operator": refs.get("staff"), "litres": "60"},
        "container-cleanings": {"day": day, "container": "B1", "cleaner": "刘师傅"},
        "additive-uses": {"day": day, "additive": "食用小苏打", "producer": "某化工食品厂",
                          "production_date": day - dt.timedelta(days=40), "amount_g": "20", "purpose": "发面",
                          "dish": "馒头", "dish_quantity_kg": "15", "user_name": "刘师傅"},
        "shop-checks": {"day": day, "product": "矿泉水", "producer": "某饮品公司",
                        "production_date": day - dt.timedelta(days=20), "shelf_life_days": 365,
                        "licence_no": "SC10633010600123", "label_complete": True, "for_sale": True},
        "waste": {"occurred_at": moment, "kind": "food", "weight_kg": "35.5", "collector_unit": "城关环卫公司",
                  "collector_name": "赵师傅", "collector_phone": "13700000000", "recorder": "王芳"},
        "ledger": {"day": day, "diners_students": 248, "diners_teachers": 12, "income_student_fen": 124000,
                   "income_teacher_fen": 9600, "income_subsidy_fen": 100000, "cost_fuel_fen": 8000},
        "corrective-actions": {"occurred_at": moment, "action": "off_duty", "details": "调离岗位，补办健康证后复岗",
                               "responsible": "王芳", "rule": "STF-HEALTH", "subject": "staff#1",
                               "case_start": moment.date()},
        "inspection-notices": {"day": day, "problem": "留样冰箱无温度计", "requirement": "配备温度计",
                               "deadline": day + dt.timedelta(days=7), "inspector": "区县检查员"},
        "ledger-months": {"day": day, "month": f"{day.replace(day=1) - dt.timedelta(days=1):%Y-%m}",
                          "published": True, "note": "已公示"},
    }
    return inputs[kind]


def build_canteen(tmp_dir) -> Canteen:
    handle = db.open_database(str(tmp_dir / "validation.db"), create=True)
    site, _admin = users.create_site("城关中学食堂", "admin", "demo", school="城关中学")
    for role, name in (("manager", "王芳"), ("doctor", "李医生")):
        users.add_user(site, role, name, role, "demo")
    users.add_user(None, "inspector", "区县检查员", "district-inspector", "demo")  # writes the notices
    canteen = Canteen(handle, site, {role: users.session_for(role) for role in ROLES})
    canteen.sessions["inspector"] = users.session_for("inspector")
    site_admin.enter_site(canteen.sessions["inspector"], site.name)
    manager = canteen.sessions["manager"]
    refs = canteen.refs
    refs["supplier"] = records.create(manager, "suppliers", valid_input("suppliers", refs)).id
    records.create(manager, "certificates", valid_input("certificates", refs))
    refs["delivery"] = records.create(manager, "deliveries", valid_input("deliveries", refs)).id
    refs["staff"] = records.create(manager, "staff", valid_input("staff", refs)).id
    gone = records.create(manager, "suppliers", {**valid_input("suppliers", refs), "name": "已停用供货者"})
    records.void(manager, "suppliers", gone.id, "不再合作")
    refs["voided_supplier"] = gone.id
    for kind in REGISTRY:
        canteen.samples[kind] = records.create(canteen.session_for(kind), kind, valid_input(kind, refs)).id
    other_site, _ = users.create_site("另一所学校食堂", "admin2", "demo")
    users.add_user(other_site, "manager2", "外校管理员", "manager", "demo")
    other = users.session_for("manager2")
    refs["foreign_supplier"] = records.create(other, "suppliers", valid_input("suppliers", refs)).id
    return canteen


@pytest.fixture(scope="module")
def canteen(tmp_path_factory):
    """One canteen for the whole module: refusals write nothing, and each case checks that."""
    cheap, signatures.HASHER = signatures.HASHER, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        built = build_canteen(tmp_path_factory.mktemp("validation"))
    finally:
        signatures.HASHER = cheap
    yield built
    built.handle.close()


@pytest.fixture(autouse=True)
def bound(canteen):
    """Tests of other modules rebind the models; bind them back to this module's database."""
    db.database.initialize(canteen.handle)
    return canteen


# ---- what "unchanged" and "refused" mean --------------------------------------------------

def database_state() -> dict:
    """Row count of every table, and the audit chain's head."""
    tables = [model._meta.table_name for model in all_tables()]
    counts = db.database.execute_sql(
        "SELECT " + ", ".join(f'(SELECT COUNT(*) FROM "{name}")' for name in tables)).fetchone()
    head = chain.head(Site.get().id)
    return {**dict(zip(tables, counts)), "audit head": (head.seq, head.hash)}


def assert_refused(action, field: str) -> ValidationError:
    """`action` raises ValidationError naming `field`, in both languages, and writes nothing."""
    before = database_state()
    with pytest.raises(ValidationError) as caught:
        action()
    error = caught.value
    assert error.field == field, f"refused, but names {error.field!r} instead of {field!r}: {error}"
    zh, en = error.text("zh"), error.text("en")
    assert CJK.search(zh), f"no Chinese in {zh!r}"
    assert re.search(r"[A-Za-z]{3,}", en) and not CJK.search(en), f"not English: {en!r}"
    assert database_state() == before, "the refusal changed the database"
    return error


def refuse_create(canteen: Canteen, kind: str, changes: dict, field: str) -> ValidationError:
    data = {**valid_input(kind, canteen.refs), **changes}
    return assert_refused(lambda: records.create(canteen.session_for(kind), kind, data), field)


def ids(cases) -> list[str]:
    return ["-".join(typed(part) if i == len(case) - 1 or not isinstance(part, str) else part
                     for i, part in enumerate(case)) for case in cases]


# ---- the cases ---------------------------------------------------------------------------

def visible(kind: str):
    return [spec for spec in REGISTRY[kind].FIELDS if not spec.hidden]


def typed(value) -> str:
    """How a test id shows what the user typed."""
    if isinstance(value, float):
        return {"nan": "NaN", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, str):
        shown = value if len(value) <= 20 else f"{value[:6]}...x{len(value)}"
        return repr(shown)
    if isinstance(value, dt.date):
        return str(value)
    if isinstance(value, (list, dict)) and len(repr(value)) > 24:
        return f"{repr(value)[:16]}...x{len(value)}"
    return repr(value) if not isinstance(value, int) or abs(value) < 10**6 else f"10**{len(str(abs(value))) - 1}"


def number_cases(spec, first: bool) -> list:
    """Values a number field cannot hold: below its range, zero where impossible; for the first
    number of each record also absurdly large, NaN, infinity and things that are not numbers."""
    low = Decimal(spec.minimum) if spec.minimum is not None else None
    cases = []
    if low is not None:
        cases.append(-1 if low >= 0 else int(low) - 1)
        if low > 0 or spec.exclusive_min:
            cases.append(0)
        if spec.exclusive_min and spec.kind == "decimal":
            cases.append(str(Decimal(1).scaleb(-spec.places - 1)))  # rounds to zero at the stored places
    if first:  # the maximum of every number field, and every other non-number, in test_validation_fields.py
        absurd = 10**15 if spec.maximum is None or spec.maximum < 10**14 else 10**20
        cases += [absurd, float("nan"), "-inf", "twelve", True]
        if spec.kind in ("int", "money"):
            cases.append(2.5)
    return cases


EVENT_DAY_CASES = ("2025-02-30", "2025-13-01", "yesterday")


def field_cases():
    """(kind, field, value) for every record kind and each applicable field."""
    for kind, model in REGISTRY.items():
        specs = visible(kind)
        first_number = next((s for s in specs if s.kind in ("int", "decimal", "money")), None)
        first_text = next((s for s in specs if s.kind == "text"), None)
        first_choice = next((s for s in specs if s.kind == "choice"), None)
        first_flag = next((s for s in specs if s.kind == "bool"), None)
        event = {"datetime": "occurred_at", "date": "day"}.get(model.EVENT)
        if event:
            for value in EVENT_DAY_CASES:
                yield kind, event, value
        for spec in specs:
            if spec.kind in ("int", "decimal", "money"):
                for value in number_cases(spec, spec is first_number):
                    yield kind, spec.name, value
            elif spec.kind == "ref":
                for value in (999999, True, 10**30):
                    yield kind, spec.name, value
            elif spec.kind in ("date", "datetime"):
                yield kind, spec.name, "2025-02-30"
            elif spec is first_text:
                for value in ("x" * (spec.max_len + 1), "\x1b[31mred"):
                    yield kind, spec.name, value
            elif spec is first_choice:
                yield kind, spec.name, "sometimes"
            elif spec is first_flag:
                yield kind, spec.name, "maybe"
        yield kind, "colour", "red"  # a field the record does not have


FIELD_CASES = list(field_cases())
EVENT_KINDS = [k for k, m in REGISTRY.items() if m.EVENT != "none"]


def tomorrow_cases():
    """Events dated tomorrow, and every date or time field that cannot lie in the future."""
    for kind in EVENT_KINDS:
        if REGISTRY[kind].PLANNED:  # a menu is a plan, published a week ahead; not an event that happened
            continue
        if REGISTRY[kind].EVENT == "datetime":
            yield kind, "occurred_at", "tomorrow"
        else:
            yield kind, "day", "tomorrow"
    for kind, model in REGISTRY.items():
        for spec in visible(kind):
            if spec.not_future and spec.kind in ("date", "datetime"):
                yield kind, spec.name, "tomorrow"


TOMORROW_CASES = list(tomorrow_cases())


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_valid_input_is_saved(canteen, kind):
    """The starting inputs are themselves accepted: every refusal below is due to the one change."""
    before = database_state()
    saved = records.create(canteen.session_for(kind), kind, valid_input(kind, canteen.refs))
    after = database_state()
    table = REGISTRY[kind]._meta.table_name
    assert after[table] == before[table] + 1
    assert after["audit_entry"] == before["audit_entry"] + 1
    assert records.get(canteen.session_for(kind), kind, saved.id).version == 1


@pytest.mark.parametrize(("kind", "field", "value"), FIELD_CASES, ids=ids(FIELD_CASES))
def test_refused(canteen, kind, field, value):
    refuse_create(canteen, kind, {field: value}, field)


@pytest.mark.parametrize(("kind", "field", "when"), TOMORROW_CASES, ids=ids(TOMORROW_CASES))
def test_future_refused(canteen, kind, field, when):
    """Nothing is recorded as having happened tomorrow (the clock allows ten minutes' skew)."""
    spec = next((s for s in visible(kind) if s.name == field), None)
    tomorrow = now_local() + dt.timedelta(days=1)
    is_date = field == "day" or (spec is not None and spec.kind == "date")
    # ten minutes before local midnight, the skew already reaches tomorrow: a date must be past it
    tomorrows_date = (now_local() + CLOCK_SKEW).date() + dt.timedelta(days=1)
    refuse_create(canteen, kind, {field: tomorrows_date if is_date else tomorrow}, field)


@pytest.mark.parametrize("kind", [k for k in EVENT_KINDS if REGISTRY[k].EVENT == "datetime"])
def test_event_an_hour_ahead_refused(canteen, kind):
    refuse_create(canteen, kind, {"occurred_at": now_local() + dt.timedelta(hours=1)}, "occurred_at")


@pytest.mark.parametrize("kind", [k for k in EVENT_KINDS if REGISTRY[k].EVENT == "datetime"])
def test_event_time_without_a_time_refused(canteen, kind):
    """"2025-03-01" for a delivery's arrival is a date, not a moment; midnight would be a guess."""
    refuse_create(canteen, kind, {"occurred_at": str(today())}, "occurred_at")


@pytest.mark.parametrize("kind", ["deliveries", "morning-checks"])
def test_late_entry_without_reason_refused(canteen, kind):
    """Entered three days after the event: the LATE-ENTRY reason is required."""
    when = now_local() - dt.timedelta(days=3)
    event = {"occurred_at": when} if REGISTRY[kind].EVENT == "datetime" else {"day": when.date()}
    changes = {**event, "production_date": when.date()} if kind == "deliveries" else event
    refuse_create(canteen, kind, changes, "late_reason")


CROSS_FIELD = [
    # (kind, what the user typed, the field to correct)
    ("deliveries", {"production_date": "2025-03-10", "expiry_date": "2025-03-01"}, "expiry_date"),
    ("deliveries", {"production_date": "tomorrow"}, "production_date"),
    ("deliveries", {"production_date": None, "batch_no": None}, "production_date"),
    ("deliveries", {"result": "rejected", "reject_reason": ""}, "reject_reason"),
    ("certificates", {"issued_on": "2025-06-01", "expires_on": "2025-05-31"}, "expires_on"),
    ("health-certificates", {"issued_on": "2025-06-01", "expires_on": "2025-01-01"}, "expires_on"),
    ("samples", {"discarded_at": "hour-before", "discarded_by": "Wang"}, "discarded_at"),
    ("samples", {"discarded_at": "now", "discarded_by": ""}, "discarded_by"),
    ("pesticide-tests", {"control_delta": None}, "control_delta"),
    ("pesticide-tests", {"sample_delta": None}, "sample_delta"),
    ("pesticide-tests", {"method": "card", "card_result": None}, "card_result"),
    ("pesticide-tests", {"test_kind": "retest", "retest_of": None}, "retest_of"),
    ("disinfections", {"method": "boiling", "temperature_c": None}, "temperature_c"),
    ("disinfections", {"method": "chlorine", "chlorine_mg_l": None}, "chlorine_mg_l"),
    ("disinfections", {"minutes": None}, "minutes"),
    ("additive-uses", {"production_date": "tomorrow"}, "production_date"),
    ("shop-checks", {"production_date": "tomorrow"}, "production_date"),
    ("inspections", {"checklist": {"environment": True, "rooftop": True}}, "checklist"),
    ("inspections", {"checklist": {"environment": "yes"}}, "checklist"),
    ("inspections", {"checklist": {"environment": float("nan")}}, "checklist"),
    ("inspections", {"checklist": "not json"}, "checklist"),
    ("inspections", {"checklist": [True]}, "checklist"),
    ("menus", {"dishes": []}, "dishes"),
    ("menus", {"dishes": [1, 2]}, "dishes"),
    ("menus", {"dishes": ["rice", "x" * 101]}, "dishes"),
    ("menus", {"dishes": [f"dish{i}" for i in range(201)]}, "dishes"),
    ("menus", {"dishes": {"lunch": "rice"}}, "dishes"),
    ("meetings", {"attendees": ["Wang", "\x07"]}, "attendees"),
    ("ledger-months", {"month": "2025-13"}, "month"),
    ("ledger-months", {"month": "2025-1"}, "month"),
    ("ledger-months", {"month": "yesterday"}, "month"),
    ("ledger-months", {"month": "1999-12"}, "month"),
    ("ledger-months", {"month": "next month"}, "month"),
    ("ledger-months", {"month": ""}, "month"),
    ("ledger-months", {"month": "this month", "day": "month-before"}, "month"),
    ("suppliers", {"credit_code": "92330106MA2AB1C2D2"}, "credit_code"),  # check character is 1
    ("suppliers", {"kind": "farmer", "credit_code": "110105194912310021"}, "credit_code"),
    ("staff", {"id_number": "510102198001011230"}, "id_number"),  # check character is 3
    ("staff", {"id_number": "510102198002301234"}, "id_number"),
    ("deliveries", {"item": "cab\u202ebage"}, "item"),
    ("deliveries", {"item": "cab\ud800bage"}, "item"),
    ("deliveries", {"item": "cab\x85bage"}, "item"),
    ("deliveries", {"item": "cab\x7fbage"}, "item"),
    ("deliveries", {"item": ["cabbage"]}, "item"),
    ("deliveries", {"item": 12345}, "item"),
]


def spelled(value):
    """Turn the relative words of CROSS_FIELD into dates and times near now."""
    moment = now_local() - dt.timedelta(minutes=30)
    return {"tomorrow": today() + dt.timedelta(days=1), "hour-before": moment - dt.timedelta(hours=1),
            "now": now_local(), "next month": f"{(today().replace(day=28) + dt.timedelta(days=5)):%Y-%m}",
            "this month": f"{today():%Y-%m}", "month-before": today().replace(day=1) - dt.timedelta(days=1),
            }.get(value, value) if isinstance(value, str) else value


@pytest.mark.parametrize(("kind", "changes", "field"), CROSS_FIELD,
                         ids=[f"{k}-{'-'.join(f'{n}={typed(v)}' for n, v in c.items())}" for k, c, _ in CROSS_FIELD])
def test_impossible_combination_refused(canteen, kind, changes, field):
    refuse_create(canteen, kind, {name: spelled(value) for name, value in changes.items()}, field)


def test_reference_to_voided_record_refused(canteen):
    refuse_create(canteen, "deliveries", {"supplier": canteen.refs["voided_supplier"]}, "supplier")


def test_reference_to_another_canteens_record_refused(canteen):
    refuse_create(canteen, "certificates", {"supplier": canteen.refs["foreign_supplier"]}, "supplier")


# ---- amend and void ----------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "reason"),
                         [(k, "") for k in REGISTRY] + [("deliveries", r) for r in (None, "   ", "\t\n")],
                         ids=lambda part: typed(part) if part is None or part.strip() == "" else part)
def test_change_without_reason_refused(canteen, kind, reason):
    """An amendment or a voiding must say why; without a reason nothing changes."""
    session, record_id = canteen.session_for(kind), canteen.samples[kind]
    assert_refused(lambda: records.amend(session, kind, record_id, {}, reason), "reason")
    assert_refused(lambda: records.void(session, kind, record_id, reason), "reason")
    assert records.get(session, kind, record_id).version == 1
    assert not records.get(session, kind, record_id).voided


def first_bad_case(kind: str):
    return next((field, value) for k, field, value in FIELD_CASES if k == kind and field not in ("day", "occurred_at"))


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_amend_with_bad_input_refused(canteen, kind):
    """An amendment goes through the same checks as a new record; the stored version stays."""
    session, record_id = canteen.session_for(kind), canteen.samples[kind]
    field, value = first_bad_case(kind)
    assert_refused(lambda: records.amend(session, kind, record_id, {field: value}, "纠正录入错误"), field)
    assert records.get(session, kind, record_id).version == 1
