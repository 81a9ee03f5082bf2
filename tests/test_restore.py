"""Restore never loses anything silently: it lists what will be lost, needs --yes and a reason,
is recorded in the restored trail (verify reports the rollback), and never overwrites a kept copy."""

from __future__ import annotations

import sqlite3

import pytest

from canteen import db
from canteen.cli import main
from canteen.errors import AuthError, StorageError, ValidationError
from canteen.models import AuditEntry, Supplier
from canteen.restore import carry_out, plan_restore
from canteen.services import records


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def week_old_backup(manager, database, db_path, tmp_path):
    """A backup, then three suppliers and an amendment entered after it; the database closed."""
    records.create(manager, "suppliers", {"name": "旧供货者", "kind": "distributor", "address": "城关镇"})
    backup = db.backup_to(tmp_path / "backup.db")
    for name in ("新甲", "新乙", "新丙"):
        last = records.create(manager, "suppliers", {"name": name, "kind": "distributor", "address": "城关镇"})
    records.amend(manager, "suppliers", last.id, {"address": "东关镇"}, "地址写错")
    database.close()
    return backup


def test_restore_without_yes_lists_what_would_be_lost_and_changes_nothing(week_old_backup, db_path, capsys,
                                                                          monkeypatch):
    before = db_path.read_bytes()
    code, out, err = run(capsys, "--db", str(db_path), "restore", str(week_old_backup))
    assert code == 2 and err.count("\n") == 1 and "add --yes --reason" in err
    assert "Will be lost: 4 record change(s)" in out and "3 × Created · Suppliers" in out and "1 × Amended · Suppliers" in out
    assert "The last one: Amended · Suppliers at " in out
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    code, _, err = run(capsys, "--db", str(db_path), "--user", "admin", "restore", str(week_old_backup), "--yes")
    assert code == 2 and "Reason: is required" in err
    assert db_path.read_bytes() == before and list(db_path.parent.glob("*before-restore*")) == []


def test_restore_is_recorded_and_verify_reports_the_rollback(week_old_backup, db_path, capsys, monkeypatch):
    con = sqlite3.connect(db_path)
    replaced_seq, replaced_hash = con.execute("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetchone()
    con.close()
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    code, out, _ = run(capsys, "--db", str(db_path), "--user", "director", "restore", str(week_old_backup),
                       "--yes", "--reason", "硬盘故障后回滚")
    assert code == 0 and "kept as" in out
    db.open_database(str(db_path))
    assert sorted(s.name for s in Supplier.select()) == ["旧供货者"]
    entry = AuditEntry.select().where(AuditEntry.action == "restore").get()
    assert entry.username == "director" and entry.reason == "硬盘故障后回滚"
    assert f'"seq":{replaced_seq}' in entry.before.replace(" ", "") and replaced_hash in entry.before
    db.close()
    code, out, _ = run(capsys, "--db", str(db_path), "verify")
    assert code == 0 and "0 problem(s); 1 rollback(s) by restore." in out
    assert f"rolled back to seq {entry.seq - 2} on " in out and "by director: 硬盘故障后回滚" in out
    assert f"the replaced trail ended at seq {replaced_seq}, hash {replaced_hash[:16]}" in out


def test_two_restores_within_one_second_keep_both_copies(week_old_backup, db_path):
    kept = [carry_out(plan_restore(week_old_backup, db_path), "一", "admin", "demo"),
            carry_out(plan_restore(week_old_backup, db_path), "二", "admin", "demo")]
    assert kept[0] != kept[1] and all(k.exists() for k in kept)
    con = sqlite3.connect(kept[0])
    assert con.execute("SELECT COUNT(*) FROM supplier").fetchone()[0] == 4  # the newer records are kept
    con.close()


def test_a_kept_copy_never_replaces_an_existing_file(week_old_backup, db_path, monkeypatch):
    import datetime as dt

    from canteen import timeutil
    monkeypatch.setattr(timeutil, "utcnow", lambda: dt.datetime(2026, 3, 2, 1, 0, 0))
    squatter = db_path.with_name("canteen.before-restore-20260302-090000.db")
    squatter.write_bytes(b"someone's file")
    kept = carry_out(plan_restore(week_old_backup, db_path), "回滚", "admin", "demo")
    assert kept != squatter and squatter.read_bytes() == b"someone's file"


def test_restoring_where_no_database_was_claims_no_kept_copy(week_old_backup, tmp_path, capsys, monkeypatch):
    target = tmp_path / "new" / "canteen.db"
    target.parent.mkdir()
    monkeypatch.setenv("CANTEEN_PASSWORD", "demo")
    code, out, _ = run(capsys, "--db", str(target), "--user", "admin", "restore", str(week_old_backup),
                       "--yes", "--reason", "新电脑")
    assert code == 0 and "no copy was kept" in out and "kept as" not in out
    assert sorted(p.name for p in target.parent.iterdir()) == ["canteen.db"]


def test_a_wrong_password_or_role_restores_nothing(week_old_backup, db_path):
    before = db_path.read_bytes()
    with pytest.raises(AuthError):
        carry_out(plan_restore(week_old_backup, db_path), "回滚", "admin", "wrong")
    from canteen.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        carry_out(plan_restore(week_old_backup, db_path), "回滚", "auditor", "demo")
    with pytest.raises(ValidationError):
        carry_out(plan_restore(week_old_backup, db_path), "  ", "admin", "demo")
    assert db_path.read_bytes() == before
    left = sorted(p.name for p in db_path.parent.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert left == ["backup.db", "canteen.db", "canteen.db.backups"]


def test_a_damaged_database_can_be_restored_and_is_kept_as_it_was(week_old_backup, db_path):
    data = bytearray(db_path.read_bytes())
    data[len(data) // 2:len(data) // 2 + 64] = b"\xa5" * 64
    db_path.write_bytes(bytes(data))
    plan = plan_restore(week_old_backup, db_path)
    kept = carry_out(plan, "损坏后恢复", "admin", "demo")
    assert kept.read_bytes()[100:] == bytes(data)[100:]  # page for page, the damaged one included
    db.open_database(str(db_path))
    assert sorted(s.name for s in Supplier.select()) == ["旧供货者"]


def test_lost_update_names_who_changed_the_record_and_when(sessions):
    supplier = records.create(sessions["manager"], "suppliers", {"name": "绿源", "kind": "distributor", "address": "城关镇"})
    records.amend(sessions["doctor"], "suppliers", supplier.id, {"phone": "13800000000"}, "补电话")
    with pytest.raises(ValidationError) as refused:
        records.amend(sessions["manager"], "suppliers", supplier.id, {"address": "东关镇"}, "地址写错", expected_version=1)
    assert "was changed by 李医生 (doctor) at 20" in refused.value.en and "已被 李医生 (doctor) 于 20" in refused.value.zh


def test_a_backup_on_a_missing_folder_or_a_bad_target_says_so(database, tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        db.backup_to(tmp_path / "nowhere" / "b.db")
    (tmp_path / "b.db").mkdir()
    with pytest.raises(StorageError, match="b.db"):
        db.backup_to(tmp_path / "b.db")
    assert not (tmp_path / "b.db.part").exists()
