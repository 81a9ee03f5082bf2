"""Issue 12, done when: a demo canteen pushed to a district reads the same there — `check --json` for
that canteen at the district equals the canteen's (signatures included: "not signed" findings and
verified cases depend on them), `verify --site` is clean, a second push sends nothing and a push
after a day of new records sends only that day: through files (a 20-day canteen, SQLite district)
and online (a 100-day canteen on SQLite pushed to a district on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from push_support import demo_copy, run

from canteen import db
from canteen.services import records, storage, users
from canteen.timeutil import utcnow

DISTRICT = "district-pass-1"
INSPECTOR = "inspector-pass-1"
_DEMO = {}
_DEMO_100 = {}


@pytest.fixture
def canteen(tmp_path_factory, tmp_path):
    """A copy of a 20-school-day demo canteen (built once per module)."""
    return demo_copy(_DEMO, tmp_path_factory, tmp_path, 20)


@pytest.fixture
def canteen_100(tmp_path_factory, tmp_path):
    """A copy of a 100-school-day demo canteen (built once per module)."""
    return demo_copy(_DEMO_100, tmp_path_factory, tmp_path, 100)


@pytest.fixture
def district(tmp_path, monkeypatch, capsys):
    """A district database with its administrator and an inspector who reads every canteen."""
    path = tmp_path / "district.db"
    assert run(capsys, monkeypatch, DISTRICT, "--db", str(path), "init", "--district", "城关区", "--admin", "dadmin")[0] == 0
    an_inspector(path, capsys, monkeypatch)
    return path


@pytest.fixture
def district_server(database, capsys, monkeypatch):
    """The same district on a fresh database of the PostgreSQL server: its URL."""
    users.create_district("城关区", "dadmin", DISTRICT)
    params = database.connect_params
    url = f"postgresql://{params['user']}@{params['host']}:{params['port']}/{database.database}"
    db.close()
    an_inspector(url, capsys, monkeypatch)
    return url


def an_inspector(district, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", INSPECTOR)
    assert run(capsys, monkeypatch, DISTRICT, "--db", str(district), "--user", "dadmin", "user", "add", "insp",
               "--role", "district-inspector")[0] == 0
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", INSPECTOR + "x")
    assert run(capsys, monkeypatch, INSPECTOR, "--db", str(district), "--user", "insp", "password")[0] == 0


def push(capsys, monkeypatch, school, out, *more) -> tuple[int, int]:
    code, said, err = run(capsys, monkeypatch, "demo", "--db", str(school), "--user", "admin", "push", "-o", str(out),
                          *more)
    assert code == 0, err
    first, last = said.split("entries ")[1].split(" ")[0].split("..")
    return int(first), int(last)


def push_online(capsys, monkeypatch, school, url) -> str:
    code, said, err = run(capsys, monkeypatch, "demo", "--db", str(school), "--user", "admin", "push", url)
    assert code == 0, err
    return said


def enrol(capsys, monkeypatch, district, file) -> None:
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", "canteen-pass-1")
    code, _, err = run(capsys, monkeypatch, DISTRICT, "--db", str(district), "--user", "dadmin", "site", "add",
                       "城关中学", "--admin", "cgadmin", "--from", str(file))
    assert code == 0, err


def receive(capsys, monkeypatch, district, file) -> str:
    code, said, err = run(capsys, monkeypatch, DISTRICT, "--db", str(district), "--user", "dadmin", "receive", str(file))
    assert code == 0, err
    return said


def findings_at_canteen(capsys, monkeypatch, school) -> list:
    return json.loads(run(capsys, monkeypatch, "demo", "--db", str(school), "check", "--json")[1])


def findings_at_district(capsys, monkeypatch, district) -> list:
    return json.loads(run(capsys, monkeypatch, INSPECTOR + "x", "--db", str(district), "--user", "insp",
                          "--site", "城关中学", "check", "--json")[1])


def a_day_of_waste(school) -> None:
    """The next day the kitchen records its food waste and waste oil (today is closed by its signed inspection)."""
    storage.open_canteen(str(school))
    manager = users.login("manager", "demo")
    tomorrow = utcnow() + dt.timedelta(days=1)
    manager.clock = lambda: tomorrow
    for kind, kg in (("food", "14.5"), ("oil", "2")):
        records.create(manager, "waste", {"occurred_at": manager.now(), "kind": kind, "weight_kg": kg,
                                          "collector_unit": "城关环卫", "recorder": "陈晓东"})


def test_a_20_day_canteen_reads_the_same_at_the_district_signatures_and_cases_included(
        canteen, district, tmp_path, capsys, monkeypatch):
    one = tmp_path / "1.canteen"
    push(capsys, monkeypatch, canteen, one)
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", "canteen-pass-1")
    assert run(capsys, monkeypatch, DISTRICT, "--db", str(district), "--user", "dadmin", "site", "add", "城关中学",
               "--admin", "cgadmin", "--from", str(one))[0] == 0
    receive(capsys, monkeypatch, district, one)
    here = findings_at_canteen(capsys, monkeypatch, canteen)
    assert any(f["status"] == "verified" for f in here)
    assert findings_at_district(capsys, monkeypatch, district) == here
    code, said, _ = run(capsys, monkeypatch, INSPECTOR + "x", "--db", str(district), "--user", "insp",
                        "--site", "城关中学", "verify")
    assert code == 0 and " 0 problem(s)" in said and " 0 signatures" not in said


def test_a_second_push_sends_nothing_and_a_day_later_only_that_day(canteen, district, tmp_path, capsys, monkeypatch):
    one, two, three = tmp_path / "1.canteen", tmp_path / "2.canteen", tmp_path / "3.canteen"
    _, last = push(capsys, monkeypatch, canteen, one)
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", "canteen-pass-1")
    run(capsys, monkeypatch, DISTRICT, "--db", str(district), "--user", "dadmin", "site", "add", "城关中学",
        "--admin", "cgadmin", "--from", str(one))
    receive(capsys, monkeypatch, district, one)
    assert push(capsys, monkeypatch, canteen, two) == (last + 1, last)
    assert receive(capsys, monkeypatch, district, two).startswith("0 new entries")
    a_day_of_waste(canteen)
    first, newest = push(capsys, monkeypatch, canteen, three)
    assert first == last + 1 and newest - first + 1 == 3  # the manager's sign-in and two waste records
    assert receive(capsys, monkeypatch, district, three).startswith("3 new entries")
    assert findings_at_district(capsys, monkeypatch, district) == findings_at_canteen(capsys, monkeypatch, canteen)


def test_a_lost_file_is_made_again_from_the_seq_the_district_says_it_waits_for(
        canteen, district, tmp_path, capsys, monkeypatch):
    one, lost, three, again = (tmp_path / f"{name}.canteen" for name in ("1", "2", "3", "again"))
    _, last = push(capsys, monkeypatch, canteen, one)
    enrol(capsys, monkeypatch, district, one)
    receive(capsys, monkeypatch, district, one)
    a_day_of_waste(canteen)
    assert push(capsys, monkeypatch, canteen, lost) == (last + 1, last + 3)
    lost.unlink()  # the USB stick is lost on the way
    assert run(capsys, monkeypatch, "demo", "--db", str(canteen), "--user", "admin", "verify")[0] == 0  # more work
    assert push(capsys, monkeypatch, canteen, three)[0] == last + 4  # the next file starts after the lost one
    said = receive(capsys, monkeypatch, district, three)
    assert said.startswith(f"Kept aside: this file waits for seq {last + 1},")
    command = said.split("make one again at the canteen: canteen ")[1].split()
    assert command == ["push", "-o", "FILE.canteen", "--from", str(last + 1)]
    first, newest = push(capsys, monkeypatch, canteen, again, "--from", command[-1])
    assert first == last + 1 and newest >= last + 4
    assert receive(capsys, monkeypatch, district, again).startswith(f"{newest - last} new entries; the district now "
                                                                    f"holds seq {newest}.")
    assert findings_at_district(capsys, monkeypatch, district) == findings_at_canteen(capsys, monkeypatch, canteen)
    assert push(capsys, monkeypatch, canteen, tmp_path / "next.canteen") == (newest + 1, newest)


@pytest.mark.parametrize("where", [["URL"], ["-o", "x.canteen"]])
def test_push_from_is_a_seq_with_a_file(canteen, tmp_path, capsys, monkeypatch, where):
    seq = "1" if where == ["URL"] else "0"
    code, said, err = run(capsys, monkeypatch, "demo", "--db", str(canteen), "--user", "admin", "push", *where,
                          "--from", seq)
    assert code == 2 and not said and err.count("\n") == 1 and "--from" in err
    assert not (tmp_path / "x.canteen").exists()


def test_push_from_past_the_canteens_last_entry_is_refused_and_writes_no_file(canteen, tmp_path, capsys, monkeypatch):
    """A seq typed wrong (a digit too many) would have written an empty file that resends nothing."""
    out = tmp_path / "again.canteen"
    code, said, err = run(capsys, monkeypatch, "demo", "--db", str(canteen), "--user", "admin", "push", "-o", str(out),
                          "--from", "99999999")
    assert code == 2 and not said and err.count("\n") == 1
    assert "99999999 is past the canteen's last entry (seq " in err
    assert not out.exists() and not out.with_name(out.name + ".part").exists()


@pytest.mark.postgres_only
def test_a_100_day_canteen_pushed_online_to_a_district_on_postgresql_reads_the_same_there(
        canteen_100, district_server, tmp_path, capsys, monkeypatch):
    enrolment = tmp_path / "enrolment.canteen"
    _, last = push(capsys, monkeypatch, canteen_100, enrolment)
    enrol(capsys, monkeypatch, district_server, enrolment)
    assert push_online(capsys, monkeypatch, canteen_100, district_server).startswith(f"{last} new entries;")
    here = findings_at_canteen(capsys, monkeypatch, canteen_100)
    assert any(f["status"] == "verified" for f in here)
    assert findings_at_district(capsys, monkeypatch, district_server) == here
    assert push_online(capsys, monkeypatch, canteen_100, district_server).startswith("0 new entries;")
    a_day_of_waste(canteen_100)
    assert push_online(capsys, monkeypatch, canteen_100, district_server) == (
        f"3 new entries; the district now holds seq {last + 3}.\n")  # the manager's sign-in, two waste records
    assert findings_at_district(capsys, monkeypatch, district_server) == findings_at_canteen(capsys, monkeypatch,
                                                                                           canteen_100)
    code, said, _ = run(capsys, monkeypatch, INSPECTOR + "x", "--db", district_server, "--user", "insp",
                        "--site", "城关中学", "verify")
    assert code == 0 and " 0 problem(s)" in said
