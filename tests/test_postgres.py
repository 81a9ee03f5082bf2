"""The same code on both databases: with CANTEEN_TEST_POSTGRES naming a PostgreSQL server, every
test here marked `both_databases` (and the other files' tests named in EXISTING_TESTS) runs once
on SQLite and once on a fresh database of that server; without it, on SQLite alone.

Also `canteen migrate-to`: a SQLite demo copied whole, ids and audit chain kept, verified."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import peewee
import pytest
from conftest import (
    ON_POSTGRES,
    PASSWORD,
    POSTGRES_SERVER,
    drop_postgres_database,
    fresh_postgres_url,
    local_now,
)

from canteen import db, transfer
from canteen.cli import main
from canteen.demo import build_demo
from canteen.errors import BlockedError, StorageError
from canteen.integrity import chain
from canteen.integrity.verify import verify_database
from canteen.models import REGISTRY, AuditEntry, Site, all_tables
from canteen.rules import evaluate
from canteen.services import records, users
from canteen.timeutil import utcnow

# Tests of the other files that also run on PostgreSQL ("module::function"): storage-neutral ones
# covering rules, blocks, ledger, signatures, users, attachments, today, exchange and reports.
EXISTING_TESTS = frozenset({
    "test_rules::test_the_compliant_day_has_no_findings",
    "test_rules::test_pur_cold_fires_only_when_goods_arrive_too_warm",
    "test_rules::test_smp_early_discard",
    "test_rules::test_stf_health_fires_when_a_fit_person_has_an_expired_certificate",
    "test_rules::test_wat_clean_fires_for_a_container_with_no_record",
    "test_rules::test_cert_expiring_for_a_health_certificate_reported_once_on_today",
    "test_rules::test_late_entry",
    "test_block_rules::test_pur_expired_refuses_an_amendment_to_accepted",
    "test_block_rules::test_pes_positive_needs_two_negative_retests_before_use",
    "test_block_rules::test_stf_symptom_refuses_an_amendment_adding_a_symptom",
    "test_ledger::test_month_sums_income_food_cost_and_diners_exactly",
    "test_ledger::test_a_deficit_gives_a_negative_rate_rounded_half_up",
    "test_signatures::test_sign_binds_record_content_meaning_time_and_signer",
    "test_signatures::test_signed_record_amended_needs_signing_again",
    "test_signatures::test_signing_the_inspection_closes_the_day",
    "test_verify::test_clean_database_passes_and_counts",
    "test_verify::test_current_anchor_passes_and_a_wrong_one_fails",
    "test_verify::test_audit_snapshot_equals_the_stored_record_for_every_service_write",
    "test_users::test_repeated_wrong_passwords_slow_then_lock",
    "test_users::test_role_change_is_audited_with_before_and_after",
    "test_attachments::test_attach_keeps_bytes_hash_and_audit",
    "test_today::test_each_dish_must_be_sampled",
    "test_today::test_reminders_for_discard_certificates_and_retests",
    "test_exchange::test_an_export_is_audited_with_its_digest_and_leaves_no_temporary_file",
    "test_exchange::test_values_are_read_the_way_people_type_them",
    "test_permissions::test_leader_changes_and_signs_only_own_meal_records",
    "test_reports::test_embedded_records_hash_is_on_the_cover_and_the_archive_verifies",
    "test_reports::test_database_changed_after_export_is_reported",
    "test_sealed_day::test_an_entry_after_the_day_is_sealed_needs_a_reason_and_is_late",
})

SCAN = bytes(range(256)) * 64  # every byte value, as a scan's bytes may hold
DEMO_END = dt.date(2026, 6, 26)  # a Friday in term, as in test_demo
APPEND_ONLY = ("audit_entry", "signature", "user_key")
both_databases = pytest.mark.both_databases


def url_of(handle: peewee.Database) -> str:
    """The URL the fixture opened (the test server has no password)."""
    if isinstance(handle, peewee.PostgresqlDatabase):
        params = handle.connect_params
        return f"postgresql://{params['user']}@{params['host']}:{params['port']}/{handle.database}"
    return handle.database


def table_counts() -> dict[str, int]:
    return {m._meta.table_name: m.select().count() for m in all_tables()}


def add_supplier(manager, name="城关粮油店"):
    today = local_now().date()
    supplier = records.create(manager, "suppliers", {"name": name, "kind": "distributor", "address": "城关镇"})
    records.create(manager, "certificates", {"supplier": supplier.id, "cert_type": "operation_licence",
                                             "number": "JY143", "issued_on": today - dt.timedelta(days=30),
                                             "expires_on": today + dt.timedelta(days=300)})
    return supplier


def delivery(manager, supplier, item="大米", quantity="25.5", **values):
    return records.create(manager, "deliveries", {
        "occurred_at": local_now() - dt.timedelta(minutes=30), "item": item, "category": "grain",
        "quantity": quantity, "unit": "kg", "supplier": supplier.id, "batch_no": "B-1", "result": "accepted",
        "receiver": "王芳", "unit_price_fen": 420, **values})


# ------------------------------------------------------------------------------ services

@both_databases
def test_create_amend_void_each_leave_one_audited_version(manager):
    supplier = add_supplier(manager)
    made = delivery(manager, supplier)
    records.amend(manager, "deliveries", made.id, {"quantity": "30.25"}, "称重复核")
    records.void(manager, "deliveries", made.id, "重复登记")
    stored = records.get(manager, "deliveries", made.id)
    trail = list(AuditEntry.select().where((AuditEntry.record_kind == "deliveries") & (AuditEntry.record_id == made.id))
                 .order_by(AuditEntry.seq))
    assert [(e.action, e.record_version, e.reason) for e in trail] == [
        ("create", 1, ""), ("amend", 2, "称重复核"), ("void", 3, "重复登记")]
    assert stored.version == 3 and stored.voided and stored.quantity == pytest.approx(30.25)
    assert '"quantity":"25.500"' in trail[1].before and '"quantity":"30.250"' in trail[1].after
    assert isinstance(stored.day, dt.date) and isinstance(stored.occurred_at, dt.datetime)
    assert verify_database().ok


@both_databases
def test_a_block_refusal_leaves_the_database_unchanged(manager):
    supplier = add_supplier(manager)
    delivery(manager, supplier)
    before, head = table_counts(), chain.head(Site.get().id)
    with pytest.raises(BlockedError) as refused:
        delivery(manager, supplier, item="亚硝酸钠", category="additive")
    assert "PUR-NITRITE" in refused.value.text("en")
    assert table_counts() == before and chain.head(Site.get().id) == head
    assert delivery(manager, supplier, item="面粉").id  # the connection is still good for the next write


@both_databases
def test_records_made_in_bulk_leave_room_for_the_next_id(manager):
    """Bulk writes choose ids themselves; a typed record afterwards must not collide with them."""
    from canteen import bulk
    supplier = add_supplier(manager)
    at = utcnow() - dt.timedelta(minutes=5)
    ids = bulk.bulk_create(manager, "suppliers", [({"name": f"供货者{n}", "kind": "distributor", "address": "城关镇"}, at)
                                                 for n in range(3)])
    assert ids == [supplier.id + 1, supplier.id + 2, supplier.id + 3]
    assert add_supplier(manager, "后来的供货者").id == supplier.id + 4


# ------------------------------------------------------------------------------ rules on a demo

@both_databases
def test_rules_on_a_small_demo_find_the_same_as_on_sqlite(database, tmp_path):
    info = build_demo(str(tmp_path / "reference.db"), days=6, seed=5, end=DEMO_END)
    expected = _findings(info["first"])
    db.close()
    build_demo(url_of(database), days=6, seed=5, end=DEMO_END)
    try:
        found = _findings(info["first"])
        assert found == expected and len({f[0] for f in found}) >= 5
        assert verify_database().ok
    finally:
        db.close()


def _findings(first: dt.date) -> list[tuple]:
    return [(f.rule, f.day, f.record_kind, f.record_id, f.message_en)
            for f in evaluate(Site.get().id, first, DEMO_END, today=DEMO_END)]


# ------------------------------------------------------------------------------ integrity

@both_databases
def test_verify_is_clean_then_names_a_record_changed_by_sql(database, manager):
    supplier = add_supplier(manager)
    delivery(manager, supplier)
    assert verify_database().ok
    database.execute_sql(f"UPDATE supplier SET address = {database.param} WHERE id = {database.param}",
                         ("别处", supplier.id))
    problems = verify_database().problems
    assert [(p.code, p.kind, p.record_id) for p in problems] == [("record-mismatch", "suppliers", supplier.id)]
    assert "address changed" in problems[0].en


@both_databases
@pytest.mark.parametrize("table", APPEND_ONLY)
def test_append_only_tables_refuse_update_and_delete(database, sessions, table):
    from canteen.services import signing
    doctor = sessions["doctor"]
    inspection = records.create(doctor, "inspections", {"day": local_now().date(), "inspector": "李医生",
                                                        "checklist": {"water": True}})
    signing.sign_record(doctor, "inspections", inspection.id, "inspected", PASSWORD)
    before = database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    column = {"audit_entry": "reason", "signature": "meaning", "user_key": "retired_at"}[table]
    for statement in (f'UPDATE "{table}" SET "{column}" = "{column}"', f'DELETE FROM "{table}"'):
        with pytest.raises(peewee.DatabaseError, match=f"{table} is append-only"):
            with db.write_transaction(database):
                database.execute_sql(statement)
    assert database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == before > 0
    assert verify_database().ok


@both_databases
def test_a_second_writer_cannot_start_while_the_first_holds_the_write_lock(database):
    """SQLite's BEGIN IMMEDIATE and PostgreSQL's advisory lock do the same job: the audit chain's
    'read the head, append the next entry' never interleaves between two workstations."""
    with db.write_transaction(database):
        assert _second_writer_may_start(database) is False
    assert _second_writer_may_start(database) is True


def _second_writer_may_start(handle: peewee.Database) -> bool:
    if isinstance(handle, peewee.PostgresqlDatabase):
        import psycopg2
        other = psycopg2.connect(url_of(handle))
        try:
            cursor = other.cursor()
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", (db.WRITE_LOCK_KEY,))
            return cursor.fetchone()[0]
        finally:
            other.close()
    import sqlite3
    other = sqlite3.connect(handle.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_backup_of_a_server_database_is_refused(tmp_path):
    """No server needed: the refusal comes before any connection is made."""
    server = db._postgres_database("postgresql://canteen@127.0.0.1:1/canteen")
    with pytest.raises(StorageError, match="pg_dump"):
        db.backup_to(tmp_path / "copy.db", server)
    assert server.is_closed() and not (tmp_path / "copy.db").exists()


@pytest.mark.skipif(peewee.psycopg2 is None, reason="the PostgreSQL driver is not installed (extra canteen-log[postgres])")
def test_a_server_that_cannot_be_reached_is_one_line_without_the_password(capsys):
    code = main(["--db", "postgresql://canteen:secret@127.0.0.1:1/canteen", "verify"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Cannot reach the PostgreSQL server" in err
    assert "secret" not in err and "canteen:***@" in err


def test_a_postgresql_url_without_the_driver_says_to_install_it(capsys, monkeypatch):
    """A machine set up without the `postgres` extra: one line saying what to install, no password."""
    monkeypatch.setattr(peewee, "psycopg2", None)
    code = main(["--db", "postgresql://canteen:secret@127.0.0.1:1/canteen", "verify"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "install" in err and "canteen-log[postgres]" in err
    assert "unexpected" not in err and "secret" not in err and "canteen:***@" in err


@pytest.mark.parametrize("url", ["postgresql://127.0.0.1/", "postgres://127.0.0.1"])
def test_a_server_url_without_a_database_name_is_refused(url):
    with pytest.raises(StorageError, match="names no database"):
        db.open_database(url)


# ------------------------------------------------------------------------------ migrate-to

TARGETS = ["sqlite", ON_POSTGRES] if POSTGRES_SERVER else ["sqlite"]


@pytest.fixture(params=TARGETS)
def empty_target(request, tmp_path):
    """An empty database to copy into: a fresh one on the test server, else a new SQLite file."""
    if request.param == "sqlite":
        yield str(tmp_path / "target.db")
        return
    url = fresh_postgres_url()
    yield url
    db.close()
    drop_postgres_database(url)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("source") / "demo.db"
    build_demo(str(path), days=4, seed=2, end=DEMO_END)
    db.close()
    return path


def source_copy(demo_file, tmp_path) -> str:
    """Each test copies from its own copy of the demo (the migration opens it), with a scan
    attached, so that bytes travel too."""
    from canteen.models import Certificate
    from canteen.services import attachments
    path = tmp_path / "source.db"
    db.open_database(str(demo_file))
    db.backup_to(path)
    db.close()
    db.open_database(str(path))
    certificate = Certificate.select().order_by(Certificate.id).first()
    attachments.add_attachment(users.session_for("manager"), "certificates", certificate.id, "licence.png", SCAN,
                               "image/png")
    db.close()
    return str(path)


@both_databases
def test_migrate_copies_every_row_keeps_ids_and_verifies(demo_file, tmp_path, empty_target):
    source = source_copy(demo_file, tmp_path)
    db.open_database(source)
    expected, head = table_counts(), chain.head(Site.get().id)
    first_ids = {m._meta.table_name: [r.id for r in m.select(m.id).order_by(m.id)] for m in REGISTRY.values()}
    db.close()
    progress = []
    report = transfer.copy_database(source, empty_target, progress=lambda done, total: progress.append((done, total)))
    assert report.rows == expected and report.head == head and report.verify.ok
    assert progress[-1] == (sum(expected.values()), sum(expected.values()))
    db.open_database(empty_target)  # the copy leaves the process on the database it was using
    assert table_counts() == expected and chain.head(Site.get().id) == head
    assert expected["attachment"] == 1 and attachments_data() == [SCAN]
    assert {m._meta.table_name: [r.id for r in m.select(m.id).order_by(m.id)] for m in REGISTRY.values()} == first_ids
    made = add_supplier(users.session_for("manager"), "迁移后的供货者")
    assert made.id == max(first_ids["supplier"]) + 1 and verify_database().ok


def attachments_data() -> list[bytes]:
    from canteen.models import Attachment
    return [bytes(a.data) for a in Attachment.select()]


@both_databases
def test_migrate_refuses_a_target_that_already_holds_tables(demo_file, tmp_path, empty_target):
    source = source_copy(demo_file, tmp_path)
    transfer.copy_database(source, empty_target)
    db.close()
    with pytest.raises(StorageError, match="already holds tables"):
        transfer.copy_database(source, empty_target)


@both_databases
def test_a_copy_that_differs_from_its_source_is_rolled_back(demo_file, tmp_path, empty_target, monkeypatch):
    source = source_copy(demo_file, tmp_path)
    real_insert = transfer._insert

    def lose_a_delivery(target, model, rows):
        real_insert(target, model, rows[1:] if model._meta.table_name == "delivery" else rows)

    monkeypatch.setattr(transfer, "_insert", lose_a_delivery)
    with pytest.raises(transfer.TransferRefused, match="delivery: "):
        transfer.copy_database(source, empty_target)
    if db.is_postgres(empty_target):
        handle = db.connect(empty_target)
        assert handle.get_tables() == []
        handle.close()
    else:
        assert not Path(empty_target).exists()


@both_databases
def test_migrate_to_command(demo_file, tmp_path, empty_target, capsys):
    """`canteen --db FILE migrate-to postgresql://…`; a target that is not a server is refused."""
    source = source_copy(demo_file, tmp_path)
    code = main(["--db", source, "migrate-to", empty_target])
    out, err = capsys.readouterr()
    if db.is_postgres(empty_target):
        assert code == 0 and err == "" and out.count("\n") == 1
        assert out.startswith("Copied ") and "0 problem(s)" in out
        assert main(["--db", empty_target, "verify"]) == 0
    else:
        assert code == 2 and err.count("\n") == 1 and "give postgresql://" in err
