"""What each record type computes and cross-checks before it is written.

Single-field limits live in the field specs; here are the facts that need two fields or the
site's settings: expiry after production, the inhibition % from the readings, when a sample
may be discarded. Each raises ValidationError naming the field a user must correct.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from ..errors import ValidationError
from ..models import REGISTRY
from .previews import inhibition, keep_until, meat_kind_asked, pesticide_result, proposed_meat_kind

__all__ = ["DERIVED", "PREPARERS", "inhibition", "prepare", "preparer"]

PREPARERS: dict[str, Callable] = {}
# Values a preparer computes when left empty: (derived field, the fields it is computed from).
# An amendment that changes a source clears the derived value so that it is computed again.
DERIVED: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "deliveries": (("amount_fen", ("quantity", "unit_price_fen")),
                   ("expiry_date", ("production_date", "shelf_life_days")),
                   ("meat_kind", ("item", "category"))),
}


def preparer(kind: str):
    def register(fn):
        PREPARERS[kind] = fn
        return fn
    return register


def fail(model, name: str, en: str, zh: str) -> ValidationError:
    spec = model.field_spec(name)
    return ValidationError(name, en, zh, spec.en, spec.zh)


def prepare(kind: str, values: dict, session) -> dict:
    fn = PREPARERS.get(kind)
    if fn:
        fn(REGISTRY[kind], values, session)
    return values


@preparer("deliveries")
def _delivery(model, v: dict, session) -> None:
    if v.get("production_date") and v["production_date"] > v["day"]:
        raise fail(model, "production_date", "is after the delivery", "晚于到货日期")
    if v.get("expiry_date") is None and v.get("production_date") and v.get("shelf_life_days") is not None:
        v["expiry_date"] = v["production_date"] + dt.timedelta(days=v["shelf_life_days"])
    if v.get("expiry_date") and v.get("production_date") and v["expiry_date"] < v["production_date"]:
        raise fail(model, "expiry_date", f"({v['expiry_date']}) is before the production date ({v['production_date']})",
                   f"（{v['expiry_date']}）早于生产日期（{v['production_date']}）")
    if not v.get("production_date") and not v.get("batch_no"):
        raise fail(model, "production_date", "or a batch number is required (Food Safety Law art. 50)",
                   "或批号必须填写其一（《食品安全法》第五十条）")
    if v.get("unit_price_fen") is not None and v.get("amount_fen") is None:
        v["amount_fen"] = int((v["quantity"] * v["unit_price_fen"]).quantize(Decimal(1), ROUND_HALF_UP))
    if v["result"] == "rejected" and not v.get("reject_reason"):
        raise fail(model, "reject_reason", "is required when goods are rejected", "拒收时必须填写")
    _meat_kind(model, v)


def _meat_kind(model, v: dict) -> None:
    """Meat says which kind it is, taken from the item name when left empty; other goods say none."""
    if not meat_kind_asked(v["category"]):
        if v.get("meat_kind"):
            category = model.field_spec("category")
            raise fail(model, "meat_kind", f"is only for meat and poultry, not {category.choice_label(v['category'], 'en')}",
                       f"仅适用于畜肉和禽肉，不适用于{category.choice_label(v['category'], 'zh')}")
        return
    v["meat_kind"] = v.get("meat_kind") or proposed_meat_kind(v["item"], v["category"])
    if v["meat_kind"] is None:
        raise fail(model, "meat_kind", f"is required: the item name {v['item']!r} does not tell (pork, beef, mutton, "
                   "poultry or other meat)", f"必须填写：无法从品名“{v['item']}”判断（猪肉、牛肉、羊肉、禽肉或其他肉类）")


@preparer("pesticide-tests")
def _pesticide(model, v: dict, session) -> None:
    if v["method"] == "spectro":
        for name in ("control_delta", "sample_delta"):
            if v.get(name) is None:
                raise fail(model, name, "is required for the spectrophotometer method", "分光光度法必须填写")
        v["inhibition_pct"] = inhibition(v["control_delta"], v["sample_delta"])
        v["result"] = pesticide_result(session, v["inhibition_pct"])
    else:
        if not v.get("card_result"):
            raise fail(model, "card_result", "is required for the test-card method", "速测卡法必须填写")
        v["inhibition_pct"] = None
        v["result"] = v["card_result"]
    if v.get("test_kind") == "retest" and not v.get("retest_of"):
        raise fail(model, "retest_of", "is required for a retest", "复检必须指明初检记录")


@preparer("samples")
def _sample(model, v: dict, session) -> None:
    v["keep_until"] = keep_until(session, v["occurred_at"])
    if v.get("discarded_at") and v["discarded_at"] < v["occurred_at"]:
        raise fail(model, "discarded_at", "is before the sample was taken", "早于留样时间")
    if v.get("discarded_at") and not v.get("discarded_by"):
        raise fail(model, "discarded_by", "is required once a sample is discarded", "销毁留样时必须填写")


@preparer("health-certificates")
def _health(model, v: dict, session) -> None:
    if v["expires_on"] < v["issued_on"]:
        raise fail(model, "expires_on", "is before the date of issue", "早于发证日期")


@preparer("certificates")
def _certificate(model, v: dict, session) -> None:
    if v.get("expires_on") and v.get("issued_on") and v["expires_on"] < v["issued_on"]:
        raise fail(model, "expires_on", "is before the date of issue", "早于发证日期")


@preparer("suppliers")
def _supplier(model, v: dict, session) -> None:
    from ..validation import check_credit_code
    if v.get("credit_code"):
        problem = check_credit_code(v["credit_code"], individual=v["kind"] == "farmer")
        if problem:
            raise fail(model, "credit_code", *problem)
        v["credit_code"] = v["credit_code"].upper()  # one spelling, so a search finds it


@preparer("staff")
def _staff(model, v: dict, session) -> None:
    from ..validation import check_id_number
    if v.get("id_number"):
        problem = check_id_number(v["id_number"])
        if problem:
            raise fail(model, "id_number", *problem)
        v["id_number"] = v["id_number"].upper()


@preparer("additive-uses")
def _additive(model, v: dict, session) -> None:
    if v.get("production_date") and v["production_date"] > v["day"]:
        raise fail(model, "production_date", "is after the day of use", "晚于使用日期")


@preparer("shop-checks")
def _shop(model, v: dict, session) -> None:
    if v.get("production_date") and v["production_date"] > v["day"]:
        raise fail(model, "production_date", "is after the check", "晚于检查日期")


@preparer("disinfections")
def _disinfection(model, v: dict, session) -> None:
    if v["method"] in ("boiling", "steam", "infrared") and v.get("temperature_c") is None:
        raise fail(model, "temperature_c", "is required for heat disinfection", "热力消毒必须填写温度")
    if v["method"] == "chlorine" and v.get("chlorine_mg_l") is None:
        raise fail(model, "chlorine_mg_l", "is required for chlorine disinfection", "含氯消毒必须填写浓度")
    if v["method"] != "other" and v.get("minutes") is None:
        raise fail(model, "minutes", "is required", "必须填写")


@preparer("ledger-months")
def _ledger_month(model, v: dict, session) -> None:
    try:
        first = dt.date.fromisoformat(v["month"] + "-01") if len(v["month"]) == 7 else None
    except ValueError:
        first = None
    if first is None:
        raise fail(model, "month", f"{v['month']!r} is not a month (YYYY-MM)", f"“{v['month']}”不是有效月份（年-月）")
    if first < dt.date(2000, 1, 1):
        raise fail(model, "month", f"{v['month']} is before 2000", f"{v['month']} 早于 2000 年")
    if first > session.today() or (v.get("day") and first > v["day"]):
        raise fail(model, "month", f"{v['month']} had not begun when it was closed", f"{v['month']} 在结账日尚未开始")
    v["day"] = first


@preparer("inspections")
def _inspection(model, v: dict, session) -> None:
    import json

    from ..models.records import INSPECTION_ITEMS
    items = json.loads(v["checklist"])
    known = {k for k, _, _ in INSPECTION_ITEMS}
    unknown = set(items) - known
    if unknown:
        raise fail(model, "checklist", f"has unknown items: {', '.join(sorted(unknown))}", f"含未知项目：{'、'.join(sorted(unknown))}")
    if any(not isinstance(value, bool) for value in items.values()):
        raise fail(model, "checklist", "items must be ticked yes or no", "每项必须为“是”或“否”")


@preparer("corrective-actions")
def _corrective_action(model, v: dict, session) -> None:
    """An action names a case the rules know (its rule), about something (its subject), begun on
    or before the day it was taken; "other" says what was done."""
    from ..rules import RULES
    v["rule"] = v["rule"].strip().upper()
    if v["rule"] not in RULES:
        raise fail(model, "rule", f"'{v['rule']}' is not a rule id (e.g. STF-HEALTH)", f"“{v['rule']}”不是规则编号（如 STF-HEALTH）")
    if v["case_start"] > v["day"]:
        raise fail(model, "case_start", f"({v['case_start']}) is after the action ({v['day']})",
                   f"（{v['case_start']}）晚于整改时间（{v['day']}）")
    if v["action"] == "other" and not (v.get("details") or "").strip():
        raise fail(model, "details", "is required when the action is \"other\": say what was done",
                   "整改措施为“其他”时必须填写，请说明做了什么")


@preparer("inspection-notices")
def _inspection_notice(model, v: dict, session) -> None:
    """A notice's deadline cannot come before the inspection that found the problem."""
    if v["deadline"] < v["day"]:
        raise fail(model, "deadline", f"({v['deadline']}) is before the inspection ({v['day']})",
                   f"（{v['deadline']}）早于检查日期（{v['day']}）")
