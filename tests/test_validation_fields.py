"""One field at a time: what each kind of field refuses, and the check characters of Chinese IDs.

`Spec.clean` is where every typed value becomes a stored one, so the whole catalogue of bad
values is tried here without a database; test_validation.py shows the same refusals through
the services with the database untouched. The credit-code and ID-number checks are compared
with the standards' own examples and with an independent computation of their weights.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from canteen import fields as f
from canteen.errors import ValidationError
from canteen.models import REGISTRY, Supplier, all_tables
from canteen.services import records
from canteen.timeutil import to_local, utcnow
from canteen.validation import (
    CREDIT_CHARS,
    CREDIT_WEIGHTS,
    ID_WEIGHTS,
    check_credit_code,
    check_id_number,
    credit_code_check_char,
    id_number_check_char,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
TZ = "Asia/Shanghai"


def now() -> dt.datetime:
    return utcnow()


def local_now() -> dt.datetime:
    return to_local(utcnow(), TZ).replace(microsecond=0)


def refused(spec: f.Spec, value) -> ValidationError:
    """`spec` refuses `value`, naming itself, in Chinese and English."""
    with pytest.raises(ValidationError) as caught:
        spec.clean(value, TZ, now())
    error = caught.value
    assert error.field == spec.name
    assert CJK.search(error.text("zh")), error.text("zh")
    en = error.text("en")
    assert re.search(r"[A-Za-z]{3,}", en) and not CJK.search(en.replace(str(value), "")), en  # may echo what was typed
    return error


def show(value) -> str:
    """A stable, readable test id for what was typed (the same on every run and worker)."""
    if type(value) is object:
        return "object()"
    if isinstance(value, float):
        return {"nan": "NaN", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, str) and len(value) > 20:
        return f"{value[:6]}...x{len(value)}"
    return repr(value) if not isinstance(value, int) or abs(value) < 10**6 else f"10**{len(str(abs(value))) - 1}"


# ---- numbers -----------------------------------------------------------------------------

QUANTITY = REGISTRY["deliveries"].field_spec("quantity")          # decimal, more than 0, at most 100000
DINERS = REGISTRY["menus"].field_spec("diners_planned")           # whole number, 0..100000
FEES = REGISTRY["ledger"].field_spec("income_student_fen")        # money in fen, 0..10^11
NOT_NUMBERS = [float("nan"), float("inf"), float("-inf"), "nan", "NaN", "sNaN", "inf", "-Infinity", "1e999999",
               "twelve", "12kg", "12 34", "0x1F", [1], (1,), {"value": 1}, True, False, b"12", object()]


@pytest.mark.parametrize("value", NOT_NUMBERS + [-1, -0.5, "-1", 10**15, "1e15", 10**400], ids=show)
def test_number_refused(value):
    """The same typing refused by a decimal, a whole-number and a money field."""
    for spec in (QUANTITY, DINERS, FEES):
        refused(spec, value)


@pytest.mark.parametrize(("spec", "value"), [(QUANTITY, 0), (QUANTITY, "0.0004"), (QUANTITY, "-0"),
                                             (DINERS, 2.5), (DINERS, "250.5"), (FEES, "12.5")],
                         ids=lambda v: v.name if isinstance(v, f.Spec) else show(v))
def test_zero_or_fraction_refused_where_impossible(spec, value):
    """A quantity that rounds to nothing, or half a diner, or half a fen, cannot be recorded."""
    refused(spec, value)


@pytest.mark.parametrize(("spec", "value", "stored"), [
    (QUANTITY, "1,250.5", Decimal("1250.500")), (QUANTITY, " 0.0005 ", Decimal("0.001")),
    (QUANTITY, 100000, Decimal("100000.000")), (DINERS, "250", 250), (DINERS, 2.0, 2), (FEES, "1e3", 1000)],
    ids=lambda v: v.name if isinstance(v, f.Spec) else show(v))
def test_number_accepted(spec, value, stored):
    assert spec.clean(value, TZ, now()) == stored


NUMBER_FIELDS = [(kind, spec) for kind, model in REGISTRY.items() for spec in model.FIELDS
                 if spec.kind in ("int", "decimal", "money") and not spec.hidden]


@pytest.mark.parametrize(("kind", "spec"), NUMBER_FIELDS, ids=[f"{k}-{s.name}" for k, s in NUMBER_FIELDS])
def test_every_number_field_refuses_what_is_not_a_finite_number(kind, spec):
    """Each number of each record has limits, and none takes NaN, infinity or text."""
    assert spec.maximum is not None, "an unbounded number lets an absurd value through"
    for value in NOT_NUMBERS + [Decimal(spec.maximum) + 1, Decimal(spec.maximum) * 10**6]:
        refused(spec, value)
    if spec.minimum is not None:
        refused(spec, Decimal(spec.minimum) - 1)


# ---- dates and times ---------------------------------------------------------------------

PRODUCED = REGISTRY["deliveries"].field_spec("production_date")   # a date, not in the future
EXPIRES = REGISTRY["deliveries"].field_spec("expiry_date")        # a date that may be ahead
DISCARDED = REGISTRY["samples"].field_spec("discarded_at")        # a moment, not in the future
NOT_DATES = ["2025-02-30", "2025-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "yesterday", "30/02/2025",
             "2025/03/01", "1999-12-31", "2101-01-01", "0000-00-00", 20250101, 2025.5, float("nan"),
             [2025, 3, 1], {"year": 2025}, True]


@pytest.mark.parametrize("value", NOT_DATES, ids=show)
def test_date_refused(value):
    refused(PRODUCED, value)


@pytest.mark.parametrize("value", ["2025-02-30", "yesterday", "2101-01-01"], ids=show)
def test_date_that_may_be_ahead_still_refuses_the_impossible(value):
    refused(EXPIRES, value)


def test_tomorrow_refused_only_where_the_date_cannot_be_ahead():
    tomorrow = (local_now() + f.CLOCK_SKEW).date() + dt.timedelta(days=1)  # past the allowed skew, even at 23:55
    assert "future" in refused(PRODUCED, tomorrow).text("en")
    assert PRODUCED.clean(local_now().date(), TZ, now()) == local_now().date()
    assert EXPIRES.clean(tomorrow, TZ, now()) == tomorrow


@pytest.mark.parametrize("clock", ["00:30", "07:59", "08:01", "23:45"])
def test_today_is_the_canteens_day_whatever_the_utc_date(clock):
    """Shanghai is UTC+8: at 07:59 local the UTC date is still yesterday, at 08:01 both agree.
    Today is accepted and tomorrow refused at every hour."""
    local = dt.datetime.combine(dt.date(2025, 3, 10), dt.time.fromisoformat(clock))
    utc = local - dt.timedelta(hours=8)
    assert PRODUCED.clean(local.date(), TZ, utc) == local.date()
    with pytest.raises(ValidationError):
        PRODUCED.clean(local.date() + dt.timedelta(days=1), TZ, utc)


NOT_MOMENTS = ["2025-02-30 08:00", "2025-03-01 25:00", "2025-03-01 08:61", "2025-03-01", "2025-03-01T", "now",
               "08:00", "1999-12-31 23:00", 1741000000, float("nan"), [2025, 3, 1, 8], True, dt.date(2025, 3, 1)]


@pytest.mark.parametrize("value", NOT_MOMENTS, ids=show)
def test_moment_refused(value):
    refused(DISCARDED, value)


@pytest.mark.parametrize("ahead", [dt.timedelta(minutes=11), dt.timedelta(hours=1), dt.timedelta(days=1)],
                         ids=["11-minutes-ahead", "an-hour-ahead", "a-day-ahead"])
def test_moment_in_the_future_refused(ahead):
    refused(DISCARDED, local_now() + ahead)


def test_moment_is_stored_in_utc():
    assert DISCARDED.clean("2025-03-01 08:00", TZ, now()) == dt.datetime(2025, 3, 1, 0, 0)
    assert DISCARDED.clean("2025-03-01T08:00:30", TZ, now()) == dt.datetime(2025, 3, 1, 0, 0, 30)


# ---- text --------------------------------------------------------------------------------

ITEM = REGISTRY["deliveries"].field_spec("item")                  # one line, at most 200 characters
FINDINGS = REGISTRY["inspections"].field_spec("findings")         # several lines
NOT_TEXT = ["x" * 201, "bad\x00byte", "\x1b[31mred", "del\x7f", "next\x85line", "cab\u202ebage", "a\u2066b",
            "half\ud800", "bell\x07", "cr\rlf", 12345, 1.5, ["cabbage"], {"item": "cabbage"}, True, b"bytes"]


@pytest.mark.parametrize("value", NOT_TEXT, ids=show)
def test_text_refused(value):
    refused(ITEM, value)


def test_long_text_has_its_own_limit():
    refused(FINDINGS, "x" * 4001)
    assert FINDINGS.clean("x" * 4000, TZ, now()) == "x" * 4000


@pytest.mark.parametrize(("spec", "value", "stored"), [
    (ITEM, "  青菜 ", "青菜"), (ITEM, "x" * 200, "x" * 200), (ITEM, "a\tb", "a\tb"),
    (FINDINGS, "地面有水\n已拖干", "地面有水\n已拖干"), (FINDINGS, "地面有水\r\n已拖干", "地面有水\n已拖干")],
    ids=["stripped", "200-characters", "tab", "newline", "windows-line-end"])
def test_text_kept(spec, value, stored):
    assert spec.clean(value, TZ, now()) == stored


# ---- choices, yes/no, references, lists, mappings -----------------------------------------

MEAL = REGISTRY["menus"].field_spec("meal")
FIT = REGISTRY["morning-checks"].field_spec("fit")
STAFF = REGISTRY["morning-checks"].field_spec("staff")
DISHES = REGISTRY["menus"].field_spec("dishes")
CHECKLIST = REGISTRY["inspections"].field_spec("checklist")


@pytest.mark.parametrize("value", ["sometimes", "Lunch", "LUNCH", "午餐", " lunch", 1, ["lunch"], {"lunch": 1}, True],
                         ids=["sometimes", "Lunch", "LUNCH", "lunch-in-Chinese", "space-lunch", "1", "list", "dict",
                              "True"])
def test_choice_refused(value):
    refused(MEAL, value)


@pytest.mark.parametrize("value", ["maybe", 2, -1, 0.5, float("nan"), [True], {"fit": True}], ids=show)
def test_yes_no_refused(value):
    refused(FIT, value)


@pytest.mark.parametrize(("value", "stored"), [("是", True), ("否", False), ("yes", True), (0, False), (True, True)],
                         ids=["shi", "fou", "yes", "0", "True"])
def test_yes_no_accepted(value, stored):
    assert FIT.clean(value, TZ, now()) is stored


@pytest.mark.parametrize("value", [0, -1, True, False, 1.0, 1.5, float("inf"), float("nan"), 10**30, 2**63,
                                   "abc", "1.5", "-3", "\u0661\u0662", [1], {"id": 1}], ids=show)
def test_reference_refused(value):
    """An id is a positive whole number a database column can hold: not yes/no, 1.5 or 10**30."""
    refused(STAFF, value)


@pytest.mark.parametrize(("value", "stored"), [(7, 7), ("7", 7), (" 7 ", 7), (2**63 - 1, 2**63 - 1)],
                         ids=["7", "'7'", "' 7 '", "largest"])
def test_reference_accepted(value, stored):
    assert STAFF.clean(value, TZ, now()) == stored


@pytest.mark.parametrize("value", [[], ",,", [1, 2], [["rice"]], {"lunch": "rice"}, 42, ["x" * 101],
                                   ["rice", "bell\x07"], [f"dish{i}" for i in range(201)]], ids=show)
def test_list_refused(value):
    refused(DISHES, value)


def test_list_from_typed_text():
    assert DISHES.clean("红烧肉，清炒青菜、 番茄蛋汤", TZ, now()) == '["红烧肉", "清炒青菜", "番茄蛋汤"]'


@pytest.mark.parametrize("value", ["not json", "[1]", [1], 42, True, {"environment": float("nan")},
                                   {"environment": object()}, {f"item{i}": True for i in range(400)}],
                         ids=["not-json", "json-list", "list", "42", "True", "NaN-value", "object-value", "400-items"])
def test_mapping_refused(value):
    refused(CHECKLIST, value)


# ---- GB 32100-2015 credit codes and GB 11643-1999 ID numbers ------------------------------

def reference_credit_char(first17: str) -> str:
    """The check character computed from the standard's definition: weights 3^i mod 31."""
    total = sum(CREDIT_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def reference_id_char(first17: str) -> str:
    """GB 11643: weights 2^(17-i) mod 11, remainder 0..10 mapped to 1 0 X 9 8 7 6 5 4 3 2."""
    remainder = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17)) % 11
    return "10X98765432"[remainder]


def test_weights_follow_the_standards():
    assert list(CREDIT_WEIGHTS) == [pow(3, i, 31) for i in range(17)]
    assert list(ID_WEIGHTS) == [pow(2, 17 - i, 11) for i in range(17)]


BODIES = ["91350100M000100Y4", "92330106MA2AB1C2D", "12100000400000624", "52440300MJL123456", "93510104MA6CK8XJ0",
          "91110108MA01ABCDE", "31440000MD0123456", "Y1330102MA28F0TY7"]
VALID_CODES = ["91350100M000100Y43"] + [b + reference_credit_char(b) for b in BODIES[1:]]


@pytest.mark.parametrize("code", VALID_CODES + ["91350100m000100y43", " 91350100M000100Y43 "])
def test_valid_credit_code_passes(code):
    assert credit_code_check_char(code.strip().upper()[:17]) == reference_credit_char(code.strip().upper()[:17])
    assert check_credit_code(code) is None


def wrong_check(code: str) -> str:
    return code[:17] + CREDIT_CHARS[(CREDIT_CHARS.index(code[17]) + 1) % 31]


@pytest.mark.parametrize("code", [wrong_check(c) for c in VALID_CODES[:4]] + [
    "91350100M000100Y4", "91350100M000100Y433", "91350100M000I00Y43", "91350100M000O00Y43", "91350100S000100Y43",
    "9135A100M000100Y43", "91350100M000100Y4?", "913501００M000100Y43"])
def test_bad_credit_code_refused(code):
    problem = check_credit_code(code)
    assert problem is not None
    en, zh = problem
    assert re.search(r"[A-Za-z]{3,}", en) and CJK.search(zh)


VALID_IDS = ["11010519491231002X", "11010519491231002x"] + [
    b + reference_id_char(b)
    for b in ("44052419800101001", "51010219800101123", "43012119650314000", "32010620001231999")]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_id_number_passes(number):
    assert id_number_check_char(number[:17]) == reference_id_char(number[:17])
    assert check_id_number(number) is None
    assert check_credit_code(number, individual=True) is None


@pytest.mark.parametrize("number", [
    "110105194912310021", "110105194912310020", "51010219800101123X",  # wrong check character
    "110105194902300025", "110105194913010021", "110105189912310021",  # no such birth date, or before 1900
    "110105299912310021", "11010519491231002", "1101051949123100211", "11010519491231002Y", "1101051949123100２X"])
def test_bad_id_number_refused(number):
    assert check_id_number(number) is not None
    assert check_credit_code(number, individual=True) is not None


def test_id_number_is_for_individuals_only():
    """A company cannot give a person's ID number as its credit code."""
    assert check_credit_code("11010519491231002X", individual=True) is None
    assert check_credit_code("11010519491231002X") is not None


# ---- through the supplier service --------------------------------------------------------

def rows() -> dict:
    return {model._meta.table_name: model.select().count() for model in all_tables()}


def supplier(kind: str, code: str) -> dict:
    return {"name": "城关蔬菜合作社", "kind": kind, "address": "城关镇", "credit_code": code}


@pytest.mark.parametrize(("kind", "code"), [("farm", wrong_check(VALID_CODES[1])), ("producer", "11010519491231002X"),
                                            ("farmer", "110105194912310021"), ("farmer", "91350100M000100Y4")],
                         ids=["farm-wrong-check", "producer-gives-an-ID-number", "farmer-wrong-ID-check",
                              "farmer-17-characters"])
def test_supplier_with_bad_code_refused(manager, kind, code):
    before = rows()
    with pytest.raises(ValidationError) as caught:
        records.create(manager, "suppliers", supplier(kind, code))
    assert caught.value.field == "credit_code"
    assert CJK.search(caught.value.text("zh")) and "credit" in caught.value.text("en").lower()
    assert rows() == before


@pytest.mark.parametrize(("kind", "code", "stored"), [
    ("farm", "91350100m000100y43", "91350100M000100Y43"), ("farmer", "11010519491231002x", "11010519491231002X")],
    ids=["farm-lower-case", "farmer-ID-number"])
def test_supplier_code_saved_in_capitals(manager, kind, code, stored):
    saved = records.create(manager, "suppliers", supplier(kind, code))
    assert Supplier.get_by_id(saved.id).credit_code == stored
