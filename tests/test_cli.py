"""The command line: exit codes 0/1/2, one readable line on failure, never a traceback."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
import subprocess
import sys

import pytest

from canteen import db
from canteen.cli import main
from canteen.services import cases, records
from canteen.timeutil import to_utc


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path_factory):
    """One small demo shared by the read-only command tests (built once per test module)."""
    return shared_demo(tmp_path_factory)


_DEMO = {}


def shared_demo(factory):
    if "path" not in _DEMO:
        path = factory.mktemp("demo") / "demo.db"
        assert main(["--db", str(path), "demo", "--days", "6"]) == 0
        _DEMO["path"] = path
    return _DEMO["path"]


def test_init_creates_a_canteen_and_refuses_to_overwrite(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CANTEEN_PASSWORD", "s3cret")
    path = tmp_path / "new.db"
    code, out, _ = run(capsys, "--db", str(path), "init", "--site", "城关中学食堂", "--admin", "boss")
    assert code == 0 and "城关中学食堂" in out
    before = path.read_bytes()
    code, _, err = run(capsys, "--db", str(path), "init", "--site", "again", "--admin", "boss")
    assert code == 2 and "already exists" in err and path.read_bytes() == before


@pytest.mark.parametrize("argv, message", [
    (["--db", "/no/such/folder/x.db", "check"], "does not exist"),
    (["check", "--from", "2025-02-30"], "not a date"),
    (["demo", "--days", "0"], "--days must be"),
    (["export-archive", "--from", "2026-03-01"], "required"),
    (["frobnicate"], "invalid choice"),
])
def test_impossible_requests_exit_2_with_one_line(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_file_that_is_not_a_database_is_refused_and_unchanged(tmp_path, capsys):
    path = tmp_path / "notes.db"
    path.write_text("菜谱：周一 红烧肉\n" * 50, encoding="utf-8")
    before = path.read_bytes()
    code, _, err = run(capsys, "--db", str(path), "check")
    assert code == 2 and "not a canteen database" in err and path.read_bytes() == before


def test_wrong_password_exits_2(demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CANTEEN_PASSWORD", "wrong")
    code, _, err = run(capsys, "--db", str(demo_db), "--user", "auditor", "export-archive",
                       "--from", "2026-01-01", "--to", "2026-01-31", "-o", str(tmp_path / "a.pdf"))
    assert code == 2 and "Wrong user name or password" in err
    assert not (tmp_path / "a.pdf").exists()


def test_a_locked_database_exits_2_without_changing_it(demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    copy = tmp_path / "locked.db"
    src = sqlite3.connect(demo_db)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA locking_mode=EXCLUSIVE")
    dst.execute("BEGIN EXCLUSIVE")
    dst.execute("UPDATE meta SET value = value")
    code, _, err = run(capsys, "--db", str(copy), "check")
    assert code == 2 and "in use by another program" in err
    dst.rollback()
    dst.close()


def test_check_json_lists_findings_with_their_fields(demo_db, capsys):
    code, out, _ = run(capsys, "--db", str(demo_db), "check", "--json")
    findings = json.loads(out)
    assert code == 1 and findings
    for f in findings:
        assert {"rule", "severity", "date", "record_type", "record_id", "message"} <= set(f)


def test_check_exits_0_on_a_clean_range(demo_db, capsys):
    code, out, _ = run(capsys, "--db", str(demo_db), "check", "--from", "2001-01-01", "--to", "2001-01-31")
    assert code == 0 and "0 findings" in out


def test_backup_then_restore(demo_db, tmp_path, capsys, monkeypatch):
    work = tmp_path / "work.db"
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    assert run(capsys, "--db", str(demo_db), "--user", "admin", "backup", "-o", str(work))[0] == 0
    backup = tmp_path / "backup.db"
    code, out, _ = run(capsys, "--db", str(work), "--user", "manager", "backup", "-o", str(backup))
    assert code == 0 and db.is_canteen_file(backup)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"x" * 100)
    code, _, err = run(capsys, "--db", str(work), "restore", str(garbage))
    assert code == 2 and "not a valid canteen database" in err
    code, out, err = run(capsys, "--db", str(work), "restore", str(backup))
    # only the backup's own export entry came after the copy was taken: no record is lost
    assert code == 2 and "add --yes --reason" in err and "Will be lost: 0 record" in out and "1 × Exported · Backup" in out
    code, out, _ = run(capsys, "--db", str(work), "--user", "admin", "restore", str(backup), "--yes", "--reason", "试用")
    assert code == 0 and "kept as" in out
    assert len(list(tmp_path.glob("work.before-restore-*.db"))) == 1


def test_a_backup_is_made_as_a_user_and_recorded_before_it_exists(demo_db, tmp_path, capsys, monkeypatch):
    """The nightly backup script gives --user and the password like every export; the leader,
    who may not take records out, is refused and nothing is written."""
    from canteen.integrity.verify import verify_database
    from canteen.models import AuditEntry
    target = tmp_path / "nightly.db"
    code, _, err = run(capsys, "--db", str(demo_db), "backup", "-o", str(target))
    assert code == 2 and "'backup' acts as a user: give --user NAME." in err and not target.exists()
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    code, _, err = run(capsys, "--db", str(demo_db), "--user", "leader", "backup", "-o", str(target))
    assert code == 2 and not target.exists() and list(tmp_path.iterdir()) == []
    code, out, _ = run(capsys, "--db", str(demo_db), "--user", "admin", "backup", "-o", str(target))
    assert code == 0 and f"Backed up to {target}" in out
    db.open_database(str(demo_db))
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    after = json.loads(entry.after)
    assert entry.action == "export" and entry.record_kind == "backup" and after["document"] == "backup" and after["file"] == "nightly.db"
    assert after["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest() and after["sha256"] in out
    assert not verify_database().problems


def test_importing_the_core_loads_neither_qt_nor_reportlab():
    code = ("import sys, canteen, canteen.cli, canteen.services, canteen.rules, canteen.demo; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'reportlab', 'ui', 'reports')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_no_traceback_from_a_real_process(tmp_path):
    """The installed command, not just main(): a broken database gives one line and exit 2."""
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)
    proc = subprocess.run([sys.executable, "-m", "canteen", "--db", str(path), "check"], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


# ---- canteen cases ---------------------------------------------------------------------------

MON = dt.date(2026, 3, 2)


def at(sessions, hour: int) -> None:
    for session in sessions.values():
        session.clock = lambda: to_utc(dt.datetime.combine(MON, dt.time(hour)))


@pytest.fixture
def two_cases(sessions, db_path):
    """Two cooks worked on Monday 2 March 2026 with health certificates that expired the day before.
    赵师傅 was taken off duty at 08:00 and the doctor verified it at 20:00; for 孙丽华 nobody acted."""
    manager, cooks = sessions["manager"], {}
    at(sessions, 6)
    for name in ("孙丽华", "赵师傅"):
        cook = cooks[name] = records.create(manager, "staff", {"name": name, "post": "cook", "hired_on": "2020-09-01"})
        records.create(manager, "health-certificates", {"staff": cook.id, "number": f"JK-{cook.id}",
                                                        "issued_on": "2025-03-01", "expires_on": "2026-03-01"})
        records.create(manager, "morning-checks", {"day": MON, "staff": cook.id, "temperature_c": "36.5",
                                                   "checker": "王芳"})
    at(sessions, 8)
    action = cases.record_action(manager, f"STF-HEALTH|staff#{cooks['赵师傅'].id}|{MON}", "off_duty", "王芳",
                                 "调离岗位，补办健康证后复岗")
    at(sessions, 20)
    cases.verify_action(sessions["doctor"], action.id, "demo")
    return {name: f"STF-HEALTH|staff#{cook.id}|{MON}" for name, cook in cooks.items()}


def cases_of(capsys, db_path, *more) -> tuple[int, str]:
    code, out, _ = run(capsys, "--db", str(db_path), "cases", "--from", str(MON), "--to", str(MON), *more)
    return code, out


def test_cases_status_overdue_json_lists_only_the_overdue_ones(two_cases, db_path, capsys):
    code, out = cases_of(capsys, db_path, "--status", "overdue", "--json")
    listed = json.loads(out)["cases"]
    assert code == 1 and [(c["case"], c["status"], c["subject_zh"]) for c in listed] == [
        (two_cases["孙丽华"], "overdue", "孙丽华")]
    _code, out = cases_of(capsys, db_path, "--json")
    assert {c["case"]: c["status"] for c in json.loads(out)["cases"] if c["rule"] == "STF-HEALTH"} == {
        two_cases["孙丽华"]: "overdue", two_cases["赵师傅"]: "verified"}


def test_cases_json_gives_the_time_to_close_of_each_rule(two_cases, db_path, capsys):
    _code, out = cases_of(capsys, db_path, "--json")
    [row] = [t for t in json.loads(out)["time_to_close"] if t["rule"] == "STF-HEALTH"]
    # 赵师傅: acted 8 h and verified 20 h after Monday began; 孙丽华: not acted on, past the deadline
    assert row == {"rule": "STF-HEALTH", "cases": 2, "acted": 1, "verified": 1, "late": 1, "open": 1,
                   "hours_to_action": 8.0, "hours_to_verified": 20.0, "closed_by_rejection": 0}
    [zhao] = [c for c in json.loads(out)["cases"] if c["case"] == two_cases["赵师傅"]]
    assert [(a["label_zh"], a["responsible"], a["acted_at"], a["verified_by"], a["verified_at"])
            for a in zhao["actions"]] == [("调离岗位", "王芳", "2026-03-02T08:00:00+08:00", "李医生",
                                           "2026-03-02T20:00:00+08:00")]


def test_cases_prints_each_case_then_the_time_to_close(two_cases, db_path, capsys):
    code, out = cases_of(capsys, db_path, "--status", "verified")
    assert code == 0  # nothing listed is left to do
    assert (f"verified  {two_cases['赵师傅']}  赵师傅  2026-03-02 (1 day)  action: Taken off duty 2026-03-02 08:00 "
            "(王芳)  verified by: 李医生 2026-03-02 20:00") in out
    assert two_cases["孙丽华"] not in out
    assert re.search(r"^STF-HEALTH +2 +1 +1 +1 +1 +8\.0 +20\.0 +0$", out, re.M), out
