"""The bulk write path (imports, the demo): the rows and audit entries it writes are exactly those
a single create writes, references are looked up once per batch but refused as one at a time
would refuse them, and a batched amendment still refuses a record changed since it was read."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import local_now
from records_support import licensed_supplier

from canteen import bulk
from canteen.errors import ValidationError
from canteen.integrity import chain
from canteen.integrity.canonical import dumps, snapshot, snapshotter
from canteen.integrity.verify import verify_database
from canteen.models import REGISTRY, AuditEntry, Delivery
from canteen.services import records


@pytest.fixture
def supplier(manager):
    return licensed_supplier(manager, "城关超市")


def delivery_input(supplier_id, n: int = 0, **values) -> tuple[dict, dt.datetime]:
    at = local_now() - dt.timedelta(hours=2, minutes=n)
    data = {"occurred_at": at, "item": f"白菜{n}", "category": "vegetable", "quantity": "10.5", "supplier": supplier_id,
            "batch_no": f"B{n}", "unit_price_fen": 180, "result": "accepted", "receiver": "王芳"}
    return {**data, **values}, local_now()


@pytest.mark.both_databases
def test_bulk_rows_and_their_audit_entries_are_those_of_single_creates(manager, supplier):
    single = records.create(manager, "deliveries", delivery_input(supplier.id)[0])
    ids = bulk.bulk_create(manager, "deliveries", [delivery_input(supplier.id, n) for n in range(1, 30)])
    assert len(ids) == 29 and ids == list(range(single.id + 1, single.id + 30))
    for record_id in [single.id, *ids]:
        stored = Delivery.get_by_id(record_id)
        entry = AuditEntry.get((AuditEntry.record_kind == "deliveries") & (AuditEntry.record_id == record_id))
        assert entry.after == dumps(snapshot(stored)) and entry.action == "create" and entry.record_version == 1
        assert entry.hash == chain.entry_hash(entry)
    assert verify_database().ok


@pytest.mark.both_databases
def test_the_batch_snapshot_is_the_snapshot_of_the_stored_record(manager, supplier):
    ids = bulk.bulk_create(manager, "deliveries", [delivery_input(supplier.id, n) for n in range(3)])
    snap = snapshotter(Delivery)
    for record_id in ids:
        stored = Delivery.get_by_id(record_id)
        assert snap(dict(stored.__data__)) == snapshot(stored)
    fresh = snapshotter(REGISTRY["suppliers"])({"name": "x", "kind": "farm", "id": 9})  # defaults filled in
    assert fresh["version"] == 1 and fresh["voided"] is False


def test_a_row_hash_is_the_entry_hash(manager, supplier):
    bulk.bulk_create(manager, "deliveries", [delivery_input(supplier.id, n) for n in range(3)])
    for entry in AuditEntry.select():
        row = {name: getattr(entry, name) for name in (*chain.ENTRY_FIELDS, "hash")}
        assert chain.row_hash(row) == entry.hash == chain.entry_hash(entry)
        assert chain.row_hash({**row, "at": str(entry.at)}) == entry.hash  # as the database returns it


@pytest.mark.both_databases
def test_references_looked_up_once_are_refused_as_one_create_refuses_them(manager, supplier):
    other = records.create(manager, "suppliers", {"name": "作废超市", "kind": "distributor", "address": "城关镇"})
    records.void(manager, "suppliers", other.id, "错录")
    with pytest.raises(ValidationError, match="has been voided"):
        bulk.bulk_create(manager, "deliveries", [delivery_input(supplier.id, 1), delivery_input(other.id, 2)])
    with pytest.raises(ValidationError, match="no such record"):
        bulk.bulk_create(manager, "deliveries", [delivery_input(supplier.id, 1), delivery_input(other.id + 99, 2)])
    assert Delivery.select().count() == 0  # all or nothing


@pytest.mark.both_databases
def test_a_batched_amendment_refuses_a_record_changed_since_it_was_read(manager, supplier):
    [first, second] = bulk.bulk_create(manager, "deliveries", [delivery_input(supplier.id, n) for n in range(2)])
    bulk.bulk_amend(manager, "deliveries", [(first, {"quantity": "3"}, manager.now()),
                                            (second, {"quantity": "4"}, manager.now())], "recount")
    assert [Delivery.get_by_id(i).quantity for i in (first, second)] == [3, 4]
    assert [Delivery.get_by_id(i).version for i in (first, second)] == [2, 2]
    stale = Delivery.get_by_id(first)
    records.amend(manager, "deliveries", first, {"quantity": "5"}, "a colleague's recount")
    with pytest.raises(ValidationError, match="was changed by"):
        bulk._update_records(Delivery, [(stale, manager.now())], [{"version": stale.version}])
    assert verify_database().ok


@pytest.mark.both_databases
def test_a_bulk_write_sends_a_hundred_rows_a_statement_and_every_row_is_found(manager, supplier, monkeypatch):
    """250 deliveries go in as three INSERT statements a table (100 + 100 + 50), not 250: on
    SQLite the search index's trigger flushes an index segment at every statement, on
    PostgreSQL each statement is a round trip. Every row is stored, found by the search, and in
    the audit trail."""
    from canteen.db import current
    from canteen.read import lists
    from canteen.read.lists import ListQuery
    sent = []
    database, cursor = current(), current().cursor

    class Counting:
        """The database cursor, noting each INSERT statement it is given (executemany: one per set)."""

        def __init__(self):
            self.inner = cursor()

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def execute(self, sql, params=()):
            sent.append(sql)
            return self.inner.execute(sql, params)

        def executemany(self, sql, seq):
            seq = list(seq)
            sent.extend([sql] * len(seq))
            return self.inner.executemany(sql, seq)

    monkeypatch.setattr(database, "cursor", Counting)
    ids = bulk.bulk_create(manager, "deliveries", [delivery_input(supplier.id, n, item=f"芥蓝{n}") for n in range(250)])
    monkeypatch.undo()
    assert sum(s.startswith('INSERT INTO "delivery" ') for s in sent) == 3
    assert sum(s.startswith('INSERT INTO "audit_entry" ') for s in sent) == 3
    assert len(ids) == 250 and Delivery.select().count() == 250
    assert lists.count(manager, ListQuery("deliveries", text="芥蓝")) == 250
    assert lists.count(manager, ListQuery("deliveries", text="芥蓝249")) == 1
    assert AuditEntry.select().where(AuditEntry.record_kind == "deliveries").count() == 250
    assert verify_database().ok


@pytest.mark.both_databases
def test_inputs_giving_the_same_fields_are_each_judged_on_their_own(manager, supplier):
    """The cleaning worked out for one set of fields serves every input giving them, and keeps
    nothing of the one before: a bad quantity after a good one is refused, naming the field;
    a required field left out is named before a later bad one."""
    good, _at = delivery_input(supplier.id, 1)
    records.create(manager, "deliveries", good)
    with pytest.raises(ValidationError, match="must be more than 0") as refused:
        records.create(manager, "deliveries", {**good, "quantity": "-3"})
    assert refused.value.field == "quantity"
    without_item = {k: v for k, v in good.items() if k != "item"}
    with pytest.raises(ValidationError) as refused:
        records.create(manager, "deliveries", {**without_item, "quantity": "-3"})
    assert refused.value.field == "item" and "required" in refused.value.en
    assert Delivery.select().count() == 1


def test_users_writing_together_read_the_canteens_settings_once_between_them(sessions, site):
    """The demo's day: the administrator and the doctor write in one shared batch, so a setting
    is read once for both; outside the batch each reads it afresh."""
    from canteen import settings
    manager, doctor = sessions["manager"], sessions["doctor"]
    looked_up = {}
    with manager.batch(looked_up), doctor.batch(looked_up):
        assert manager.setting("late_entry_hours") == 24
        settings.store(site.id, "late_entry_hours", 48)
        assert doctor.setting("late_entry_hours") == 24
    assert doctor.setting("late_entry_hours") == manager.setting("late_entry_hours") == 48
