"""Opening, refusing, backing up and restoring the database file."""

from __future__ import annotations

import shutil
import sqlite3

import peewee
import pytest
from conftest import local_now

from canteen import db, migrations
from canteen.errors import StorageError
from canteen.models import AuditEntry, Delivery, Supplier
from canteen.services import records


def test_sqlite_is_configured_for_durability(database):
    pragmas = {p: database.execute_sql(f"PRAGMA {p}").fetchone()[0]
               for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": db.BUSY_TIMEOUT_MS}


def test_write_transaction_takes_the_lock_at_its_start(database, db_path):
    """A second writer is refused at BEGIN, before it has written anything half-way."""
    other = sqlite3.connect(str(db_path), timeout=0.05)
    with db.write_transaction():
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "does not exist"),
    (lambda p: p.write_bytes(b"not a database at all, just text" * 10), "not a canteen database"),
    (lambda p: p.mkdir(), "is a folder"),
])
def test_unusable_paths_are_refused_with_one_line(tmp_path, make, message):
    path = tmp_path / ("missing-folder/x.db" if message == "does not exist" else "x.db")
    make(path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(StorageError, match=message):
        db.open_database(str(path))
    assert (path.read_bytes() if path.is_file() else None) == before  # never changed


def test_a_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not made by the canteen log"):
        db.open_database(str(path))
    assert path.read_bytes() == before


def test_missing_database_without_create_says_how_to_make_one(tmp_path):
    with pytest.raises(StorageError, match="canteen init"):
        db.open_database(str(tmp_path / "none.db"))


def test_a_newer_schema_is_refused(db_path, database):
    database.execute_sql("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    database.close()
    with pytest.raises(StorageError, match="newer version"):
        db.open_database(str(db_path))


def test_urls_name_the_same_file(tmp_path):
    assert db.sqlite_path(f"sqlite:///{tmp_path}/a.db") == tmp_path / "a.db"  # sqlite:////abs/path
    assert db.sqlite_path("sqlite:///rel/a.db").as_posix() == "rel/a.db"
    assert db.sqlite_path(str(tmp_path / "a.db")) == tmp_path / "a.db"


def test_backup_copy_opens_and_passes_integrity_check(manager, database, tmp_path):
    records.create(manager, "suppliers", {"name": "惠民粮油", "kind": "distributor", "address": "城关镇"})
    target = db.backup_to(tmp_path / "copy.db")
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT name FROM supplier").fetchall() == [("惠民粮油",)]
    con.close()
    assert db.is_canteen_file(target)


def test_restore_keeps_the_current_database_and_refuses_garbage(manager, database, db_path, tmp_path):
    from canteen.restore import carry_out, plan_restore
    records.create(manager, "suppliers", {"name": "旧供货者", "kind": "distributor", "address": "城关镇"})
    backup = db.backup_to(tmp_path / "backup.db")
    records.create(manager, "suppliers", {"name": "新供货者", "kind": "distributor", "address": "城关镇"})
    database.close()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00" * 4096)
    with pytest.raises(StorageError, match="not a valid canteen database"):
        plan_restore(garbage, db_path)
    kept = carry_out(plan_restore(backup, db_path), "回到昨天", "admin", "demo")
    db.open_database(str(db_path))
    assert [s.name for s in Supplier.select()] == ["旧供货者"]
    con = sqlite3.connect(kept)
    assert sorted(r[0] for r in con.execute("SELECT name FROM supplier")) == ["新供货者", "旧供货者"]
    con.close()


def test_a_failed_write_leaves_nothing_half_written(manager, database, monkeypatch):
    """If the audit entry cannot be written, the record is not written either."""
    from canteen.integrity import chain
    sup = records.create(manager, "suppliers", {"name": "绿源", "kind": "distributor", "address": "城关镇"})
    counts = (Delivery.select().count(), AuditEntry.select().count())

    def broken_append(*args, **kwargs):
        raise peewee.OperationalError("disk I/O error")

    monkeypatch.setattr(chain, "append", broken_append)
    with pytest.raises(StorageError):
        records.create(manager, "deliveries", {
            "occurred_at": local_now(), "item": "大米", "category": "grain", "quantity": 10, "unit": "kg",
            "supplier": sup.id, "batch_no": "B1", "result": "rejected", "reject_reason": "包装破损", "receiver": "王芳"})
    assert (Delivery.select().count(), AuditEntry.select().count()) == counts


def test_upgrade_from_the_first_schema(tmp_path):
    """A database made by schema version 1 (tests/data/schema-v1.db, built by the first release's code)
    is copied aside, then brought to the latest version with its records and audit trail intact."""
    from pathlib import Path
    source = Path(__file__).parent / "data" / "schema-v1.db"
    path = tmp_path / "old.db"
    shutil.copy(source, path)
    handle = db.open_database(str(path))
    assert migrations.version_of(handle) == migrations.LATEST
    assert (tmp_path / "old.v1-before-migration.db").exists()
    assert [(d.item, d.quantity, d.version) for d in Delivery.select()] == [("大米", 98, 2)]
    assert AuditEntry.select().count() == 8
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        handle.execute_sql("DELETE FROM audit_entry")
    fresh = tmp_path / "fresh.db"
    handle.close()
    fresh_handle = db.open_database(str(fresh), create=True)
    fresh_schema = schema_of(fresh_handle)
    fresh_handle.close()
    handle = db.open_database(str(path))
    assert schema_of(handle) == fresh_schema
    handle.close()


def schema_of(handle) -> dict:
    """Tables with their columns, and the triggers: what a migration must reproduce."""
    tables = {t: sorted(c.name for c in handle.get_columns(t)) for t in handle.get_tables()}
    triggers = sorted(r[0] for r in handle.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    return {"tables": tables, "triggers": triggers}
