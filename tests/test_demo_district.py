"""The demo district: `demo --sites 3 --days 10` makes the bureau's database of three canteens,
each with its own people and habits, every chain whole, all seen by the district inspector."""

from __future__ import annotations

import json

import pytest

from canteen import db
from canteen.cli import main
from canteen.models import Site, Staff, Supplier, User
from canteen.rules import evaluate


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    path = tmp_path_factory.mktemp("district") / "district.db"
    assert main(["--db", str(path), "demo", "--sites", "3", "--days", "10", "--seed", "4"]) == 0
    yield path
    db.close()


def test_three_canteens_with_their_own_users_people_and_suppliers(district):
    db.open_database(str(district))
    sites = list(Site.select().order_by(Site.id))
    assert len(sites) == 3 and len({s.name for s in sites}) == 3
    assert {u.username for u in User.select().where(User.site == sites[2])} == {
        "admin3", "manager3", "doctor3", "director3", "leader3", "auditor3"}
    assert {u.role for u in User.select().where(User.site.is_null())} == {"district-admin", "district-inspector"}
    staff = [{p.name for p in Staff.select().where(Staff.site == s)} for s in sites]
    suppliers = [{p.name for p in Supplier.select().where(Supplier.site == s)} for s in sites]
    assert len(staff[0]) == 7 and not staff[0] & staff[1] and not suppliers[0] & suppliers[1]


def test_the_sloppy_and_the_sampleless_canteen_have_more_findings_than_the_diligent_one(district):
    db.open_database(str(district))
    counts = {}
    for site in Site.select():
        first, last = term_of(site)
        found = evaluate(site.id, first, last, today=last)
        counts[site.id] = (len(found), sum(f.rule == "SMP-MISSING" for f in found))
    diligent, sloppy, sampleless = (counts[s.id] for s in Site.select().order_by(Site.id))
    assert sloppy[0] > diligent[0] and sampleless[0] > diligent[0]
    assert sampleless[1] >= 5 > diligent[1]


def term_of(site):
    from canteen.models import Menu
    days = [m.day for m in Menu.select(Menu.day).where(Menu.site == site)]
    return min(days), max(days)


def test_every_canteen_s_chain_verifies(district, capsys, monkeypatch):
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    assert main(["--db", str(district), "--user", "inspector", "verify", "--all-sites"]) == 0
    out = capsys.readouterr().out
    assert out.count("HEAD      ") >= 3 and "0 problem(s)" in out


def test_the_inspector_s_check_names_every_canteen(district, capsys, monkeypatch):
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    db.open_database(str(district))
    names = {s.name for s in Site.select()}
    db.close()
    assert main(["--db", str(district), "--user", "inspector", "check", "--all-sites", "--json"]) == 1
    assert {f["site"] for f in json.loads(capsys.readouterr().out)} == names


def test_a_district_of_no_canteens_is_refused_in_both_languages(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.db"), "demo", "--sites", "0"]) == 2
    err = capsys.readouterr().err
    assert "--sites must be between 1 and 500" in err and "必须在 1 到 500 之间" in err


def test_the_district_reads_every_canteen_at_once_and_sees_what_each_canteen_sees_alone(district, monkeypatch):
    """The day table and the month read each kind of record once for all canteens; each canteen's
    duties, findings and cases are those it has when read on its own, day by day."""
    import dataclasses
    import datetime as dt

    from canteen import today
    from canteen.read import district as district_read
    from canteen.services import users
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    db.open_database(str(district))
    inspector = users.login("inspector", "demo")
    first, last = term_of(Site.select().first())
    now = inspector.now()
    for day in (first + dt.timedelta(days=n) for n in range((last - first).days + 1)):
        together = district_read.district_day(inspector, day)
        alone = [today.day_status(c.canteen.id, day, now) for c in together]
        assert [[dataclasses.asdict(k) for k in c.checks] for c in together] == \
            [[dataclasses.asdict(k) for k in checks] for checks in alone], day
    periods = district_read.district_period(inspector, first, last)
    for period in periods:
        single = district_read.canteen_period(period.canteen, first, last, now)
        assert period.findings == single.findings and period.cases == single.cases
    assert sum(len(p.findings) for p in periods) > 20


def test_the_rules_reads_go_a_batch_of_canteens_at_a_time_and_are_let_go_once_handed(district, monkeypatch):
    from canteen.models import Delivery
    from canteen.rules.records import SiteRecords
    db.open_database(str(district))
    a, b, c = (s.id for s in Site.select().order_by(Site.id))
    first, last = term_of(Site.get_by_id(a))
    reads = []
    read = SiteRecords._read

    def counted(sites, *args):
        reads.append(list(sites))
        return read(sites, *args)
    monkeypatch.setattr(SiteRecords, "_read", staticmethod(counted))
    alone = {s: SiteRecords([s]).rows(s, Delivery, "id item", first, last) for s in (a, b, c)}
    reads.clear()
    together = SiteRecords([a, b, c], batch=2)
    assert [together.rows(s, Delivery, "id item", first, last) for s in (a, b, c)] == [alone[a], alone[b], alone[c]]
    assert reads == [[a, b], [c]] and not any(together.answers.values())  # nothing kept once handed
    assert together.rows(a, Delivery, "id item", first, last) == alone[a] and reads[-1] == [a]
    assert all(alone.values()) and alone[a] != alone[b]


def test_every_period_check_reports_only_the_rules_it_declares(district):
    """A narrower question (the day's duties, the daily close) skips the checks whose declared
    rules it does not ask for: a check reporting an undeclared rule would be silently skipped."""
    from canteen.rules.engine import PERIOD_RULES, RULES_OF, Period
    db.open_database(str(district))
    reported = set()
    for site in Site.select():
        first, last = term_of(site)
        period = Period(site.id, first, last, last)
        for check in PERIOD_RULES:
            found = {f.rule for f in check(period)}
            assert found <= set(RULES_OF[check]), check.__name__
            reported |= found
    assert len(reported) >= 8
