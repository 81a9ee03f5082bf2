"""Block rules: states a record may not be saved in (docs/domain.md §4, severity "block")."""

from __future__ import annotations

import datetime as dt

from .engine import block_rule
from .finding import Finding

NITRITE_WORDS = ("亚硝酸", "nitrite")
REQUIRED_CERTS = {
    "producer": ("production_licence", "product_qualification"),
    "distributor": ("operation_licence",),
    "farm": ("business_licence", "product_qualification"),
    "farmer": ("identity",),
    "market": ("purchase_voucher",),
}


def _finding(rule: str, values: dict, kind: str, record_id, en: str, zh: str) -> Finding:
    return Finding(rule, values["day"], kind, record_id, en, zh)


def is_nitrite(name: str | None) -> bool:
    return bool(name) and any(w in name.lower() for w in NITRITE_WORDS)


@block_rule("deliveries")
def expired_accepted(v: dict, session, record_id):
    if v["result"] == "accepted" and v.get("expiry_date") and v["expiry_date"] < v["day"]:
        yield _finding("PUR-EXPIRED", v, "deliveries", record_id,
                       f"{v['item']} expired on {v['expiry_date']} and cannot be accepted; record it as rejected.",
                       f"{v['item']}已于 {v['expiry_date']} 过期，不能验收合格，请记录为拒收。")


@block_rule("deliveries")
def nitrite_accepted(v: dict, session, record_id):
    if v["result"] == "accepted" and is_nitrite(v["item"]):
        yield _finding("PUR-NITRITE", v, "deliveries", record_id,
                       "Nitrite may never be bought by a school canteen.", "学校食堂禁止采购亚硝酸盐。")


@block_rule("additive-uses")
def nitrite_used(v: dict, session, record_id):
    if is_nitrite(v["additive"]):
        yield _finding("PUR-NITRITE", v, "additive-uses", record_id,
                       "Nitrite may never be used by a school canteen.", "学校食堂禁止使用亚硝酸盐。")


def _plain_date(value):
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def supplier_papers(supplier_id: int) -> tuple[str, str, list[tuple[str, dt.date | None, dt.date | None]]]:
    """A supplier's name and kind, and the type and term of each of its standing certificates:
    one plain statement (a delivery asks it for every accepted batch)."""
    from ..db import current
    from ..models import Supplier
    db, p = current(), current().param
    rows = db.execute_sql(
        'SELECT s."name", s."kind", c."cert_type", c."issued_on", c."expires_on" FROM "supplier" s '
        'LEFT JOIN "certificate" c ON c."supplier_id" = s."id" AND c."voided" = {0} '
        'WHERE s."id" = {0} ORDER BY c."id"'.format(p), (False, supplier_id)).fetchall()
    if not rows:
        raise Supplier.DoesNotExist(f"supplier {supplier_id}")
    papers = [(t, _plain_date(i), _plain_date(e)) for _n, _k, t, i, e in rows if t is not None]
    return rows[0][0], rows[0][1], papers


def missing_certificates(kind: str, papers, day: dt.date) -> list[str]:
    """Required certificate types (for a supplier of `kind`) with no valid one among `papers`
    (type, issued, expires) on `day`."""
    valid = {t for t, issued, expires in papers
             if (issued is None or issued <= day) and (expires is None or expires >= day)}
    return [t for t in REQUIRED_CERTS.get(kind, ()) if t not in valid]


@block_rule("deliveries")
def supplier_uncertified(v: dict, session, record_id):
    from ..models.records import CERT_TYPES
    if v["result"] != "accepted":
        return
    name, kind, papers = session.remember(("supplier_papers", v["supplier"]), lambda: supplier_papers(v["supplier"]))
    missing = missing_certificates(kind, papers, v["day"])
    if missing:
        names = dict((c, (en, zh)) for c, en, zh in CERT_TYPES)
        yield _finding("PUR-CERT", v, "deliveries", record_id,
                       f"{name} has no valid {', '.join(names[m][0] for m in missing)} on {v['day']}.",
                       f"{name}在 {v['day']} 没有有效的{'、'.join(names[m][1] for m in missing)}。")


@block_rule("deliveries")
def meat_without_quarantine(v: dict, session, record_id):
    if v["result"] != "accepted" or v["category"] not in ("meat", "poultry"):
        return
    if not v.get("quarantine_cert_no"):
        yield _finding("PUR-QUARANTINE", v, "deliveries", record_id,
                       f"{v['item']}: the animal quarantine certificate number is required.",
                       f"{v['item']}：必须填写动物检疫合格证明编号。")
    elif v.get("meat_kind") == "pork" and not v.get("meat_quality_cert_no"):
        yield _finding("PUR-QUARANTINE", v, "deliveries", record_id,
                       f"{v['item']} is pork (meat kind): it also needs the meat quality inspection certificate number.",
                       f"{v['item']}为猪肉（肉类品种）：还须填写肉品品质检验合格证明编号。")


def tests_of_batch(delivery_id: int) -> list[tuple[int, str, str | None]]:
    """(id, initial or retest, result) of the standing pesticide tests of a delivery batch: one
    plain statement (every test recorded as used asks it)."""
    from ..db import current
    db = current()
    rows = db.execute_sql('SELECT "id", "test_kind", "result" FROM "pesticide_test" WHERE "delivery_id" = {0} '
                          'AND "voided" = {0} ORDER BY "id"'.format(db.param), (delivery_id, False)).fetchall()
    return [(i, kind or "initial", result) for i, kind, result in rows]


def unresolved_positive(delivery_id: int, pending: dict | None = None, pending_id: int | None = None) -> bool:
    """A positive screen on the batch not yet cleared by two negative retests.

    `pending` is a test about to be written (with `pending_id` when it amends a stored one):
    it counts as if saved, so the second negative retest itself may release the batch.
    """
    tests = tests_of_batch(delivery_id)
    if pending is not None:
        tests = [t for t in tests if pending_id is None or t[0] != pending_id]
        tests.append((pending_id, pending.get("test_kind") or "initial", pending["result"]))
    positives = [t for t in tests if t[1] == "initial" and t[2] == "positive"]
    if not positives:
        return False
    retests = [t for t in tests if t[1] == "retest"]
    return not (len(retests) >= 2 and all(t[2] == "negative" for t in retests))


@block_rule("deliveries")
def accepted_while_positive(v: dict, session, record_id):
    if v["result"] == "accepted" and record_id and unresolved_positive(record_id):
        yield _finding("PES-POSITIVE", v, "deliveries", record_id,
                       f"{v['item']}: a positive pesticide screen needs two negative retests before the batch is accepted.",
                       f"{v['item']}：农残初检阳性，须两次复检均为阴性方可验收。")


@block_rule("pesticide-tests")
def used_while_positive(v: dict, session, record_id):
    if v.get("disposition") != "used":
        return
    if v["result"] == "positive" or (v.get("delivery") and unresolved_positive(v["delivery"], v, record_id)):
        yield _finding("PES-POSITIVE", v, "pesticide-tests", record_id,
                       f"{v['sample_name']}: the batch may be used only after two negative retests; return or destroy it.",
                       f"{v['sample_name']}：须两次复检均为阴性方可使用，否则应退货或销毁。")


@block_rule("morning-checks")
def symptom_marked_fit(v: dict, session, record_id):
    from ..models import MorningCheck
    symptoms = [s for s in MorningCheck.SYMPTOMS if v.get(s)]
    feverish = v.get("temperature_c") is not None and v["temperature_c"] >= session.setting("fever_c")
    if v.get("fit") and (symptoms or feverish):
        yield _finding("STF-SYMPTOM", v, "morning-checks", record_id,
                       "A person with a symptom cannot be marked fit for work today.",
                       "有症状人员当日不得上岗，不能判定为可上岗。")


@block_rule("shop-checks")
def three_no_for_sale(v: dict, session, record_id):
    missing = [w for w, k in (("production date", "production_date"), ("licence", "licence_no"), ("producer", "producer")) if not v.get(k)]
    if v.get("for_sale") and missing:
        yield _finding("SHP-THREE-NO", v, "shop-checks", record_id,
                       f"{v['product']} has no {', '.join(missing)}: a \"three-no\" product may not be sold.",
                       f"{v['product']}缺少生产日期、许可证或生产者信息，属“三无”产品，不得销售。")
