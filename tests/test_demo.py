"""The demo term: believable, deterministic, and every non-block rule fires somewhere."""

from __future__ import annotations

import datetime as dt

import pytest

from canteen import db
from canteen.demo import build_demo
from canteen.integrity.canonical import snapshot
from canteen.models import REGISTRY, Delivery, MorningCheck, ShopCheck, Site
from canteen.rules import BLOCK, RULES, evaluate
from canteen.rules.blocks import is_nitrite

END = dt.date(2026, 6, 26)


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    path = tmp_path_factory.mktemp("term") / "term.db"
    info = build_demo(str(path), days=45, seed=7, end=END)
    yield path, info
    db.close()


def test_every_non_block_rule_fires_and_names_a_real_record(term):
    path, info = term
    db.open_database(str(path))
    site = Site.get()
    findings = evaluate(site.id, info["first"], info["last"], today=info["last"])
    # DIST-NOTICE is raised only by a district inspector's notice (tests/test_notices.py)
    expected = {rule for rule, r in RULES.items() if r.severity != BLOCK or r.reported} - {"DIST-NOTICE"}
    assert {f.rule for f in findings} == expected
    assert {f.severity for f in findings if f.rule == "PES-POSITIVE"} == {"violation"}
    for f in findings:
        if f.record_id is not None:
            model = REGISTRY[f.record_kind]
            assert model.get_or_none(model.id == f.record_id) is not None, f


def test_no_stored_record_is_in_a_blocked_state(term):
    """Block rules cannot hold in stored data: the demo shows the refusal as what a careful
    administrator does instead — expired milk recorded as rejected."""
    path, _ = term
    db.open_database(str(path))
    rejected = list(Delivery.select().where(Delivery.result == "rejected"))
    assert any(d.expiry_date and d.expiry_date < d.day for d in rejected)
    for d in Delivery.select().where(Delivery.result == "accepted"):
        assert not (d.expiry_date and d.expiry_date < d.day) and not is_nitrite(d.item)
        assert (d.meat_kind is not None) is (d.category in ("meat", "poultry"))
        assert d.meat_kind != "pork" or d.meat_quality_cert_no
    assert Delivery.select().where((Delivery.item == "排骨") & (Delivery.meat_kind == "pork")).exists()
    assert not any(m.fit and m.symptoms() for m in MorningCheck.select())
    assert not any(s.for_sale and s.three_no() for s in ShopCheck.select())


def test_a_school_canteen_of_250_diners(term):
    from canteen.models import LedgerDay, Menu, Staff, Supplier, User
    path, info = term
    db.open_database(str(path))
    assert info["school_days"] == 45
    assert {u.username for u in User.select()} == {"admin", "manager", "doctor", "director", "leader", "auditor"}
    assert Staff.select().count() == 7 and 6 <= Supplier.select().count() <= 10
    diners = [d.diners_students + d.diners_teachers for d in LedgerDay.select()]
    assert 240 <= sum(diners) / len(diners) <= 280
    assert Menu.select().where(Menu.day == info["last"]).count() == 3


def test_same_seed_same_term(tmp_path):
    """Two builds with one seed and end date hold the same records (keys and salts aside)."""
    contents = []
    for name in ("a.db", "b.db"):
        build_demo(str(tmp_path / name), days=4, seed=3, end=END)
        contents.append({kind: [snapshot(r) for r in model.select().order_by(model.id)] for kind, model in REGISTRY.items()})
        db.close()
    assert contents[0] == contents[1]


def test_a_demo_ending_today_holds_nothing_after_now(tmp_path, monkeypatch):
    """Built on a Wednesday at 9 am: the evening's records and the samples whose 48 hours end later
    are not there yet — no audit entry, record or discarding is dated after the moment it was built."""
    from canteen.models import AuditEntry, RetainedSample
    from canteen.timeutil import ANCHOR_VARIABLE, CLOCK_VARIABLE, utcnow
    monkeypatch.delenv(ANCHOR_VARIABLE, raising=False)
    monkeypatch.setenv(CLOCK_VARIABLE, "2026-11-25T09:00+08:00")
    build_demo(str(tmp_path / "today.db"), days=4, seed=3)
    now = utcnow()
    try:
        assert AuditEntry.select().where(AuditEntry.at > now).count() == 0
        assert RetainedSample.select().where(RetainedSample.discarded_at > now).count() == 0
        assert RetainedSample.select().where(RetainedSample.discarded_at.is_null()).count() > 0
    finally:
        db.close()


def test_the_canteen_deals_with_its_cases_most_in_time_some_late_a_few_open(term):
    """Issue 10's demo: the evening before the day close, the administrator records what was done
    and the inspecting doctor or director verifies it; Fridays review the week's warnings."""
    from canteen.read.cases import canteen_at, cases_from, time_to_close
    from canteen.timeutil import to_utc
    path, info = term
    db.open_database(str(path))
    site = Site.get()
    now = to_utc(dt.datetime.combine(info["last"], dt.time(23)))
    found = evaluate(site.id, info["first"], info["last"], today=info["last"])
    built = cases_from(canteen_at(site.id, site.timezone, now), found, info["first"], info["last"])
    statuses = [c.status for c in built]
    assert len(built) < len(found)  # repeats are one case
    assert statuses.count("verified") > len(built) / 2 and "open" in statuses
    table = time_to_close(built, site.timezone, now)
    assert sum(row.late for row in table) >= 1 and all(row.cases >= row.verified for row in table)
    assert any(c.actions and c.actions[0].verified_by in ("李静", "周建华") for c in built)
