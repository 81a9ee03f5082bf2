"""Block rules (docs/domain.md §4): the write is refused with the rule id, and nothing reaches the disk."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from records_support import licensed_supplier, m  # noqa: F401  (fixture)

from canteen.errors import BlockedError
from canteen.models import REGISTRY, AuditEntry
from canteen.services import records
from canteen.timeutil import to_utc

DAY = dt.date(2026, 3, 2)
MORNING = dt.datetime(2026, 3, 2, 7, 0)


@pytest.fixture
def supplier(m):
    return licensed_supplier(m, "城关超市")


def counts() -> tuple[int, int]:
    return sum(model.select().count() for model in REGISTRY.values()), AuditEntry.select().count()


@contextlib.contextmanager
def refused(rule: str):
    """The block expected: BlockedError naming `rule`, and no row or audit entry written."""
    before = counts()
    with pytest.raises(BlockedError) as caught:
        yield caught
    assert rule in {f.rule for f in caught.value.findings}
    assert f"[{rule}]" in caught.value.text("en") and f"[{rule}]" in caught.value.text("zh")
    assert all(f.severity == "block" for f in caught.value.findings)
    assert counts() == before


def delivery(m, supplier, **values):
    data = {"occurred_at": MORNING, "item": "白菜", "category": "vegetable", "quantity": "20", "unit": "kg",
            "supplier": supplier.id, "batch_no": "B1", "result": "accepted", "receiver": "王芳", **values}
    if data["result"] == "rejected":
        data.setdefault("reject_reason", "refused at the door")
    return records.create(m, "deliveries", data)


def spectro(m, name="白菜", control="0.5", sample="0.4", **values):
    return records.create(m, "pesticide-tests", {"occurred_at": MORNING, "sample_name": name, "method": "spectro",
                                                 "control_delta": control, "sample_delta": sample,
                                                 "tester": "王芳", **values})


# ---- PUR-EXPIRED -----------------------------------------------------------------------------

def test_pur_expired_refuses_expired_goods_accepted(m, supplier):
    with refused("PUR-EXPIRED") as caught:
        delivery(m, supplier, item="酸奶", category="dairy", expiry_date="2026-03-01")
    assert "酸奶" in caught.value.text("zh")


def test_pur_expired_refuses_expiry_computed_from_shelf_life(m, supplier):
    with refused("PUR-EXPIRED"):
        delivery(m, supplier, item="面包", category="grain", production_date="2026-02-25", shelf_life_days=4)


def test_pur_expired_allows_the_last_day_and_a_rejection(m, supplier):
    assert delivery(m, supplier, item="酸奶", category="dairy", expiry_date="2026-03-02").id
    assert delivery(m, supplier, item="酸奶", category="dairy", expiry_date="2026-03-01", result="rejected").id


def test_pur_expired_refuses_an_amendment_to_accepted(m, supplier):
    d = delivery(m, supplier, item="酸奶", category="dairy", expiry_date="2026-03-01", result="rejected")
    with refused("PUR-EXPIRED"):
        records.amend(m, "deliveries", d.id, {"result": "accepted"}, "changed my mind")
    assert records.get(m, "deliveries", d.id).version == 1


# ---- PUR-NITRITE -----------------------------------------------------------------------------

@pytest.mark.parametrize("item", ["亚硝酸钠", "Sodium Nitrite"])
def test_pur_nitrite_refuses_nitrite_accepted(m, supplier, item):
    with refused("PUR-NITRITE"):
        delivery(m, supplier, item=item, category="additive")


def test_pur_nitrite_allows_nitrite_rejected_and_other_additives(m, supplier):
    assert delivery(m, supplier, item="亚硝酸钠", category="additive", result="rejected").id
    assert delivery(m, supplier, item="小苏打", category="additive").id


def test_pur_nitrite_refuses_nitrite_used(m):
    with refused("PUR-NITRITE"):
        records.create(m, "additive-uses", {"day": DAY, "additive": "亚硝酸盐", "amount_g": "5", "user_name": "刘师傅"})


def test_pur_nitrite_allows_other_additive_use(m):
    assert records.create(m, "additive-uses", {"day": DAY, "additive": "食用碱", "amount_g": "5",
                                               "user_name": "刘师傅"}).id


# ---- PUR-CERT --------------------------------------------------------------------------------

@pytest.mark.parametrize("cert", [
    None,
    {"cert_type": "operation_licence", "issued_on": "2024-01-01", "expires_on": "2026-03-01"},
    {"cert_type": "operation_licence", "issued_on": "2026-03-03", "expires_on": "2031-01-01"},
    {"cert_type": "production_licence", "issued_on": "2024-01-01", "expires_on": "2031-01-01"},
])
def test_pur_cert_refuses_a_supplier_without_a_valid_required_certificate(m, cert):
    other = records.create(m, "suppliers", {"name": "个体摊贩", "kind": "distributor", "address": "集市"})
    if cert and cert["issued_on"] > "2026-03-02":
        m.clock = lambda: to_utc(dt.datetime(2026, 3, 4, 8, 0))
    if cert:
        records.create(m, "certificates", {"supplier": other.id, "number": "N1", **cert})
    with refused("PUR-CERT") as caught:
        delivery(m, other, late_reason="typed from paper")
    assert "个体摊贩" in caught.value.text("en")


def test_pur_cert_needs_every_certificate_of_the_supplier_kind(m):
    farm = records.create(m, "suppliers", {"name": "绿源合作社", "kind": "farm", "address": "东村"})
    records.create(m, "certificates", {"supplier": farm.id, "cert_type": "business_licence", "number": "91"})
    with refused("PUR-CERT"):
        delivery(m, farm)
    records.create(m, "certificates", {"supplier": farm.id, "cert_type": "product_qualification", "number": "Q1"})
    assert delivery(m, farm).id


def test_pur_cert_allows_a_certified_supplier_and_a_rejection(m, supplier):
    bare = records.create(m, "suppliers", {"name": "无证商贩", "kind": "market", "address": "集市"})
    assert delivery(m, supplier).id
    assert delivery(m, bare, result="rejected").id


def test_an_amendment_is_refused_only_for_a_block_it_brings_about(m, supplier):
    """The supplier's licence is voided after the goods were accepted (found to be forged): the stored
    delivery now stands where PUR-CERT blocks, but a typo in it may still be corrected; moving another
    delivery of that supplier into "accepted" is refused."""
    accepted = delivery(m, supplier)
    held = delivery(m, supplier, result="rejected")
    from canteen.models import Certificate
    licence = Certificate.get(Certificate.supplier == supplier.id)
    records.void(m, "certificates", licence.id, "forged licence")
    assert records.amend(m, "deliveries", accepted.id, {"quantity": "18"}, "称重更正").quantity == 18
    with refused("PUR-CERT"):
        records.amend(m, "deliveries", held.id, {"result": "accepted"}, "改为验收")


@pytest.mark.both_databases
def test_pur_cert_in_a_bulk_write_judges_each_delivery_on_its_own_day(m):
    """A bulk write (an import, the demo's day) reads the supplier's certificates once for the
    batch; a licence that ran out between two of its deliveries still refuses the later one."""
    from canteen import bulk
    dealer = records.create(m, "suppliers", {"name": "粮油批发部", "kind": "distributor", "address": "粮贸市场"})
    records.create(m, "certificates", {"supplier": dealer.id, "cert_type": "operation_licence", "number": "JY9",
                                       "issued_on": "2021-03-01", "expires_on": "2026-03-01"})
    entered = to_utc(dt.datetime(2026, 3, 2, 8, 0))

    def on(day: int) -> tuple[dict, dt.datetime]:
        return ({"occurred_at": dt.datetime(2026, 3, day, 7, 0), "item": "大米", "category": "grain", "quantity": "50",
                 "unit": "kg", "supplier": dealer.id, "batch_no": f"D{day}", "result": "accepted", "receiver": "王芳",
                 "late_reason": "typed from paper"}, entered)
    with refused("PUR-CERT") as caught:
        bulk.bulk_create(m, "deliveries", [on(1), on(2)])
    assert "2026-03-02" in caught.value.text("en")
    assert len(bulk.bulk_create(m, "deliveries", [on(1)])) == 1


# ---- PUR-QUARANTINE -------------------------------------------------------------------------

def test_pur_quarantine_refuses_meat_without_its_certificate(m, supplier):
    with refused("PUR-QUARANTINE"):
        delivery(m, supplier, item="牛肉", category="meat")
    with refused("PUR-QUARANTINE"):
        delivery(m, supplier, item="鸡腿", category="poultry")


def test_pur_quarantine_refuses_pork_without_the_quality_certificate(m, supplier):
    with refused("PUR-QUARANTINE") as caught:
        delivery(m, supplier, item="猪肉", category="meat", quarantine_cert_no="DJ1")
    assert "猪肉" in caught.value.text("zh")


def test_pur_quarantine_allows_certified_meat(m, supplier):
    assert delivery(m, supplier, item="牛肉", category="meat", quarantine_cert_no="DJ1").id
    assert delivery(m, supplier, item="猪肉", category="meat", quarantine_cert_no="DJ2", meat_quality_cert_no="PZ2").id
    assert delivery(m, supplier, item="猪肉", category="meat", result="rejected").id


# ---- pesticide inhibition and PES-POSITIVE ---------------------------------------------------

def test_inhibition_of_exactly_fifty_percent_is_positive(m):
    t = spectro(m, control="0.5000", sample="0.2500")
    assert t.inhibition_pct == Decimal("50.00") and t.result == "positive"


def test_inhibition_of_49_99_percent_is_negative(m):
    t = spectro(m, control="1.0000", sample="0.5001")
    assert t.inhibition_pct == Decimal("49.99") and t.result == "negative"


def test_inhibition_is_computed_from_the_readings(m):
    t = spectro(m, control="0.6000", sample="0.4500")
    assert t.inhibition_pct == Decimal("25.00") and t.result == "negative"


def test_pes_positive_refuses_using_a_positive_batch(m, supplier):
    d = delivery(m, supplier)
    with refused("PES-POSITIVE"):
        spectro(m, control="0.5", sample="0.25", delivery=d.id, disposition="used")
    with refused("PES-POSITIVE"):
        records.create(m, "pesticide-tests", {"occurred_at": MORNING, "sample_name": "菠菜", "method": "card",
                                              "card_result": "positive", "tester": "王芳", "disposition": "used"})


def test_pes_positive_needs_two_negative_retests_before_use(m, supplier):
    d = delivery(m, supplier)
    first = spectro(m, control="0.5", sample="0.2", delivery=d.id)
    assert first.result == "positive"
    with refused("PES-POSITIVE"):
        spectro(m, delivery=d.id, test_kind="retest", retest_of=first.id, disposition="used")
    spectro(m, delivery=d.id, test_kind="retest", retest_of=first.id)
    second = spectro(m, delivery=d.id, test_kind="retest", retest_of=first.id, disposition="used")
    assert second.result == "negative" and second.disposition == "used"


def test_pes_positive_stays_unresolved_after_a_positive_retest(m, supplier):
    d = delivery(m, supplier, result="rejected", reject_reason="held for retest")
    first = spectro(m, control="0.5", sample="0.2", delivery=d.id)
    spectro(m, delivery=d.id, test_kind="retest", retest_of=first.id)
    spectro(m, control="0.5", sample="0.2", delivery=d.id, test_kind="retest", retest_of=first.id)
    spectro(m, delivery=d.id, test_kind="retest", retest_of=first.id)
    with refused("PES-POSITIVE"):
        records.amend(m, "deliveries", d.id, {"result": "accepted"}, "retests done")


def test_pes_positive_allows_accepting_after_two_negative_retests(m, supplier):
    d = delivery(m, supplier, result="rejected", reject_reason="held for retest")
    first = spectro(m, control="0.5", sample="0.2", delivery=d.id)
    spectro(m, delivery=d.id, test_kind="retest", retest_of=first.id)
    with refused("PES-POSITIVE"):
        records.amend(m, "deliveries", d.id, {"result": "accepted"}, "one retest done")
    spectro(m, delivery=d.id, test_kind="retest", retest_of=first.id)
    assert records.amend(m, "deliveries", d.id, {"result": "accepted"}, "retests done").result == "accepted"


def test_pes_positive_allows_a_negative_batch_used(m, supplier):
    d = delivery(m, supplier)
    assert spectro(m, delivery=d.id, disposition="used").id


@pytest.mark.both_databases
def test_pes_positive_a_voided_screen_no_longer_holds_the_batch(m, supplier):
    """A positive screen entered against the wrong batch and voided is not that batch's screen."""
    d = delivery(m, supplier)
    wrong = spectro(m, control="0.5", sample="0.2", delivery=d.id)
    with refused("PES-POSITIVE"):
        spectro(m, delivery=d.id, disposition="used")
    records.void(m, "pesticide-tests", wrong.id, "entered against the wrong batch")
    assert spectro(m, delivery=d.id, disposition="used").disposition == "used"


# ---- STF-SYMPTOM -----------------------------------------------------------------------------

@pytest.fixture
def cook(m):
    return records.create(m, "staff", {"name": "刘师傅", "post": "cook"})


@pytest.mark.parametrize("symptom", [{"diarrhoea": True}, {"fever": True}, {"skin_wound": True},
                                     {"temperature_c": "37.3"}])
def test_stf_symptom_refuses_a_person_with_a_symptom_marked_fit(m, cook, symptom):
    with refused("STF-SYMPTOM"):
        records.create(m, "morning-checks", {"day": DAY, "staff": cook.id, "checker": "王芳", "fit": True, **symptom})


def test_stf_symptom_allows_a_healthy_fit_person_and_a_sick_one_sent_home(m, cook):
    assert records.create(m, "morning-checks", {"day": DAY, "staff": cook.id, "checker": "王芳",
                                                "temperature_c": "37.2"}).fit
    assert not records.create(m, "morning-checks", {"day": DAY, "staff": cook.id, "checker": "王芳",
                                                    "sore_throat": True, "fit": False}).fit


def test_stf_symptom_refuses_an_amendment_adding_a_symptom(m, cook):
    check = records.create(m, "morning-checks", {"day": DAY, "staff": cook.id, "checker": "王芳"})
    with refused("STF-SYMPTOM"):
        records.amend(m, "morning-checks", check.id, {"vomiting": True}, "forgot to tick")


# ---- SHP-THREE-NO ----------------------------------------------------------------------------

@pytest.mark.parametrize("missing", ["production_date", "licence_no", "producer"])
def test_shp_three_no_refuses_a_product_without_date_licence_or_maker(m, missing):
    product = {"day": DAY, "product": "辣条", "producer": "某食品厂", "production_date": "2026-02-01",
               "licence_no": "SC10612345678901"}
    del product[missing]
    with refused("SHP-THREE-NO") as caught:
        records.create(m, "shop-checks", product)
    assert "辣条" in caught.value.text("zh")


def test_shp_three_no_allows_a_labelled_product_and_one_taken_off_sale(m):
    assert records.create(m, "shop-checks", {"day": DAY, "product": "面包", "producer": "城关食品厂",
                                             "production_date": "2026-03-01", "licence_no": "SC1"}).id
    assert records.create(m, "shop-checks", {"day": DAY, "product": "辣条", "for_sale": False}).id
