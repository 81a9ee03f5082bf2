"""`kill -9` of `canteen push -o` and of `canteen receive` at random moments (issue 12, "safe to
interrupt"): a push file is either not there or whole; the district holds either none of the
file's entries or all of them (with their records), never a part, and its trail still verifies;
pushing and receiving again afterwards brings the district the whole chain."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from canteen import bundle as bundles
from canteen import db
from canteen.cli import main
from canteen.integrity.verify import verify_database

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
KILLS = 10
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
