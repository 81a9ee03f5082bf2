"""`kill -9` of `canteen push -o`, of `canteen receive` and of an online `canteen push URL` at random
moments (issue 12, "safe to interrupt"): a push file is either not there or whole; the district
holds either none of the push's entries or all of them (with their records), never a part, and
its trail still verifies; pushing (and receiving) again afterwards brings the district the whole
chain, and the canteen its receipt."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conditions import server_admin

from canteen import bundle as bundles
from canteen import db, receiving
from canteen.cli import main
from canteen.integrity.verify import verify_database
from canteen.services import users

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
KILLS = 10
ONLINE_KILLS = 6
DISTRICT_PASSWORD = "district-pass-1"
WAIT = 120.0  # seconds a push or receive not killed may take before the test gives up


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory):
    """A 5-school-day demo canteen, its first push file, and a district that enrolled it from that
    file and received nothing yet (each attempt works on a copy of both databases)."""
    where = tmp_path_factory.mktemp("push-kills")
    school, district, first = where / "school.db", where / "district.db", where / "first.canteen"
    assert main(["--db", str(school), "demo", "--days", "5"]) == 0
    assert canteen("--db", school, "--user", "admin", "push", "-o", first, password="demo").returncode == 0
    assert canteen("--db", district, "init", "--district", "城关区", "--admin", "dadmin").returncode == 0
    added = canteen("--db", district, "--user", "dadmin", "site", "add", "城关中学", "--admin", "cgadmin",
                    "--from", first, CANTEEN_NEW_PASSWORD="canteen-pass-1")
    assert added.returncode == 0, added.stderr
    return school, district, first


def unsent(school: Path, target: Path) -> Path:
    """A copy of the canteen as if its first file had never been made (its site key kept), so
    that every push from it carries its whole chain."""
    shutil.copy(school, target)
    con = sqlite3.connect(target)
    with con:
        con.execute("DELETE FROM meta WHERE key LIKE 'push_sent:%'")
    con.close()
    return target


def canteen(*argv, password: str = DISTRICT_PASSWORD, **env) -> subprocess.CompletedProcess:
    return subprocess.run(command(*argv), env=environment(password, **env), capture_output=True, text=True,
                          timeout=WAIT, cwd=ROOT)


def command(*argv) -> list[str]:
    return [sys.executable, "-m", "canteen", *map(str, argv)]


def environment(password: str, **more) -> dict:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path, CANTEEN_PASSWORD=password, **more)


def killed_after(argv: list[str], password: str, seconds: float) -> bool:
    """Run the command and kill -9 it after `seconds` unless it ended first; True when killed."""
    process = subprocess.Popen(argv, env=environment(password), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=WAIT)
        return True


def timed(argv: list[str], password: str) -> float:
    started = time.monotonic()
    assert not killed_after(argv, password, WAIT)
    return time.monotonic() - started


def held(district: Path) -> tuple[int, int, int]:
    """What the district holds of the canteen: entries received, records replayed, the last seq."""
    con = sqlite3.connect(district)
    try:
        entries = con.execute("SELECT COUNT(*) FROM received_entry").fetchone()[0]
        replayed = con.execute("SELECT COUNT(*) FROM received_id").fetchone()[0]
        return entries, replayed, con.execute("SELECT last_seq FROM enrolment").fetchone()[0]
    finally:
        con.close()


def district_verifies(district: Path) -> bool:
    """Every chain of the district database checks out (what `verify --all-sites` reports)."""
    db.open_database(str(district))
    try:
        return verify_database().ok
    finally:
        db.close()


def test_kill_9_of_receive_leaves_the_district_before_or_after_the_file(enrolled, tmp_path, record_property):
    _school, district, first = enrolled
    rng = random.Random(20261201)
    whole_copy = tmp_path / "whole.db"
    shutil.copy(district, whole_copy)
    receive = ["--user", "dadmin", "receive", str(first), "-o", str(tmp_path / "first.receipt")]
    whole = timed(command("--db", whole_copy, *receive), DISTRICT_PASSWORD)
    after = held(whole_copy)
    assert after[0] > 0 and after[2] == after[0]
    outcomes = {"before": 0, "after": 0, "finished": 0}
    for attempt in range(KILLS):
        copy = tmp_path / f"district-{attempt}.db"
        shutil.copy(district, copy)
        killed = killed_after(command("--db", copy, *receive), DISTRICT_PASSWORD, rng.uniform(whole * 0.5, whole * 1.3))  # past the start-up to past the end
        now = held(copy)
        assert now in ((0, 0, 0), after), f"attempt {attempt}: the district holds {now}, neither none nor {after}"
        outcomes["finished" if not killed else "after" if now == after else "before"] += 1
    last = tmp_path / f"district-{KILLS - 1}.db"
    assert canteen("--db", last, *receive).returncode == 0 and held(last) == after
    record_property("fault figures", f"kill -9 of receive ({after[0]} entries, {whole:.1f} s whole): {KILLS} attempts, "
                                     f"{outcomes['finished']} finished first; of the killed {outcomes['after']} left "
                                     f"all entries, {outcomes['before']} none, 0 part")
    assert district_verifies(last)


def test_kill_9_of_push_to_a_file_leaves_no_file_or_the_whole_file(enrolled, tmp_path, record_property):
    school, district, _first = enrolled
    rng = random.Random(20261202)
    out = tmp_path / "out" / "today.canteen"
    out.parent.mkdir()
    copy = unsent(school, tmp_path / "school.db")
    push = ["--db", str(copy), "--user", "admin", "push", "-o", str(out)]
    whole = timed(command(*push), "demo")
    out.unlink()
    outcomes = {"none": 0, "whole": 0, "finished": 0}
    for attempt in range(KILLS):
        unsent(school, copy)
        killed = killed_after(command(*push), "demo", rng.uniform(whole * 0.5, whole * 1.3))  # past the start-up to past the end
        if out.exists():
            bundles.read(out.read_bytes())  # whole and signed, or BundleRefused fails the test
        outcomes["finished" if not killed else "whole" if out.exists() else "none"] += 1
        out.unlink(missing_ok=True)
    unsent(school, copy)
    assert canteen(*push, password="demo").returncode == 0
    arrived = tmp_path / "district.db"
    shutil.copy(district, arrived)
    assert canteen("--db", arrived, "--user", "dadmin", "receive", out).returncode == 0
    assert held(arrived)[2] == bundles.read(out.read_bytes()).last
    record_property("fault figures", f"kill -9 of push -o ({whole:.1f} s whole): {KILLS} attempts, "
                                     f"{outcomes['finished']} finished first; of the killed {outcomes['whole']} left "
                                     f"the whole file, {outcomes['none']} no file, 0 part")


# ---- online: `canteen push postgresql://…` killed while the district's server takes it in ---------------

def enrolled_on_server(database, first: Path) -> str:
    """The fixture's server database made the district that enrolled the canteen from its first
    file (nothing received yet), closed so that it can serve as the template of each attempt."""
    users.create_district("城关区", "dadmin", DISTRICT_PASSWORD)
    receiving.enrol(users.login("dadmin", DISTRICT_PASSWORD), "城关中学", first.read_bytes(), "cgadmin",
                    "canteen-pass-1")
    db.close()
    return database.database


def copy_on_server(admin, template: str) -> str:
    """A fresh database of the test server made from `template` (named as the fixtures name theirs)."""
    name = f"canteen_test_{uuid.uuid4().hex[:16]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def url_of(name: str) -> str:
    from conditions import POSTGRES_SERVER
    return POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + name


def held_on_server(name: str) -> tuple[int, int, int]:
    """held() for a district on the server."""
    import psycopg2
    con = psycopg2.connect(url_of(name))
    try:
        with con.cursor() as cursor:
            cursor.execute("SELECT (SELECT COUNT(*) FROM received_entry), (SELECT COUNT(*) FROM received_id), "
                           "(SELECT last_seq FROM enrolment)")
            return tuple(cursor.fetchone())
    finally:
        con.close()


def writing(admin, name: str) -> bool:
    """The server shows a client of database `name` holding an advisory lock: a write transaction."""
    with admin.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                       "WHERE a.datname = %s AND l.locktype = 'advisory' AND l.granted)", (name,))
        return cursor.fetchone()[0]


def clients_gone(admin, name: str) -> None:
    """Wait until the server has no client of `name` left (a killed client's transaction rolled back)."""
    deadline = time.monotonic() + WAIT
    with admin.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s", (name,))
            if cursor.fetchone()[0] == 0:
                return
    raise AssertionError(f"the server still has a client of {name} after {WAIT} s")


def pushed_online(admin, school: Path, name: str, kill: tuple[str, int] | None) -> tuple[bool, int, int]:
    """`canteen push URL`, watched from the server: once it shows the push's write transaction,
    every further look at the server is counted. With `kill` ("in", N) the push is killed -9 at
    the Nth look since the write began, with ("after", N) at the Nth look since the server stopped
    showing it (committed: the district holds the push, the canteen has not kept its receipt yet),
    unless the push ended first. Returns (killed, looks from the write's start to the end, of
    which looks that still saw the write)."""
    process = subprocess.Popen(command("--db", school, "--user", "admin", "push", url_of(name)),
                               env=environment("demo"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    looks, during, deadline = None, 0, time.monotonic() + WAIT
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if looks is None:
                looks = 0 if writing(admin, name) else None
                continue
            if kill and due(kill, looks, during):
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=WAIT)
                return True, looks, during
            during += writing(admin, name) and during == looks  # one more look: the count is the clock
            looks += 1
        assert process.wait(timeout=WAIT) == 0, "a push not killed failed"
        return False, looks or 0, during
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def due(kill: tuple[str, int], looks: int, during: int) -> bool:
    phase, count = kill
    if phase == "in":
        return looks >= count
    return during < looks and looks - during >= count  # the write has ended (a look no longer saw it)


def receipts(school: Path) -> list[int]:
    con = sqlite3.connect(school)
    try:
        return [row[0] for row in con.execute("SELECT seq FROM push_receipt ORDER BY seq")]
    finally:
        con.close()


@pytest.mark.postgres_only
def test_kill_9_of_an_online_push_leaves_the_district_on_postgresql_before_or_after_it(
        enrolled, database, tmp_path, record_property):
    school, _district, first = enrolled
    template, admin, made = enrolled_on_server(database, first), server_admin(), []
    rng = random.Random(20261203)
    try:
        made.append(copy_on_server(admin, template))
        _, looks, during = pushed_online(admin, shutil.copy(school, tmp_path / "whole.db"), made[-1], None)
        after = held_on_server(made[-1])
        assert after[0] > 0 and after[2] == after[0] and looks > 0
        outcomes = {"before": 0, "after": 0, "finished": 0}
        for attempt in range(ONLINE_KILLS):
            made.append(copy_on_server(admin, template))
            copy = shutil.copy(school, tmp_path / f"school-{attempt}.db")
            moment = ("in", rng.randint(0, during)) if attempt % 2 else ("after", rng.randint(0, (looks - during) // 2))
            killed, _, _ = pushed_online(admin, copy, made[-1], moment)
            clients_gone(admin, made[-1])
            now = held_on_server(made[-1])
            assert now in ((0, 0, 0), after), f"attempt {attempt}: the district holds {now}, neither none nor {after}"
            outcomes["finished" if not killed else "after" if now == after else "before"] += 1
            if attempt >= ONLINE_KILLS - 2:  # one killed in the write, one after it: pushed again
                assert not pushed_online(admin, copy, made[-1], None)[0] and held_on_server(made[-1]) == after
                assert receipts(copy) == [after[2]] and district_verifies(url_of(made[-1]))
                assert canteen("--db", copy, "--user", "admin", "verify", password="demo").returncode == 0
    finally:
        for name in made:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    record_property("fault figures", f"kill -9 of push URL ({after[0]} entries; {looks} looks at the server "
                                     f"from its write's start to its end, {during} during the write): {ONLINE_KILLS} attempts, {outcomes['finished']} "
                                     f"finished first; of the killed {outcomes['after']} left all entries, "
                                     f"{outcomes['before']} none, 0 part")
