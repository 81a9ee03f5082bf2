"""Bulk writes (the demo builder, imports): the same validation and block rules as a single
create, but written with one executemany per table and the audit rows chained in the same
transaction — peewee's per-row save costs ~38× raw sqlite3 on these paths.

What a batch shares is worked out once: the permission, the settings (the session's batch
memo), the referenced records (one query per referenced table), each table's statement, column
converters and snapshot plan. Each record still gets its own audit entry, hashed exactly as a
single create hashes it, so verify checks every record as before.

Rows go in ROWS_PER_STATEMENT at a time, each statement a multi-row INSERT (the statements
themselves sent by one executemany). On SQLite a record table's search index is an FTS5 table
kept by a trigger, and FTS5 flushes what it has gathered to a new index segment at every
statement boundary: one statement per row made the index cost ~35 µs a row (four times the
rest of the write); a hundred rows a statement cost the same as filling the index afterwards in
one go. On PostgreSQL it saves a round trip per row.

Ids: on SQLite the one writer holds the database and numbers the rows from MAX(id) + 1; on
PostgreSQL the table's own sequence gives them, all in one round trip (new_ids), so canteens
writing at the same time never draw the same id, and a canteen's own database login — which
sees only its canteen's rows, so its MAX(id) would be wrong, and may not setval — imports too.
Such ids need not be consecutive: another canteen may draw between them. The write holds only its
own canteen's lock (write_transaction with the site), as a single create does."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import peewee

from .db import current, is_sqlite, write_transaction
from .integrity import chain
from .integrity.canonical import dumps, snapshot, snapshotter
from .models import MODELS
from .services import permissions
from .services.records import check_blocks, check_lateness, clean, model_for, require_unchanged_since

AUDIT_COLUMNS = ("seq", "chain_id", "chain_seq", "at", "site_id", "user_id", "username", "action", "record_kind", "record_id",
                 "record_version", "before", "after", "reason", "format", "prev_hash", "hash")
IN_CHUNK = 500  # ids per IN (...) list: well under any backend's limit on parameters
ROWS_PER_STATEMENT = 100  # × at most ~40 columns: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters


# ---- validating ------------------------------------------------------------------------------

def prepare_rows(session, kind: str, items: Iterable[tuple[dict, dt.datetime]]) -> list[dict]:
    """Validate each (input, entered_at) as a create would, judging lateness at entered_at;
    the first bad item raises its ValidationError or BlockedError."""
    items = list(items)
    with session.batch():
        model = start_batch(session, kind, [data for data, _at in items])
        return [prepare_one(session, model, data, entered_at) for data, entered_at in items]


def start_batch(session, kind: str, inputs: list[dict]) -> type:
    """What every row of a batch shares, checked once: the permission to write `kind`, and the
    records the inputs refer to. Call inside `session.batch()`; returns the model."""
    model = model_for(kind)
    permissions.require_write(session, kind)
    remember_references(session, model, inputs)
    return model


def prepare_one(session, model, data: dict, entered_at: dt.datetime) -> dict:
    """One input as the row a create would write, as if entered at `entered_at`."""
    real_clock = session.clock
    session.clock = lambda: entered_at
    try:
        values = clean(model, data, session)
        if model.EVENT != "none":
            check_lateness(values, data, session)
        check_blocks(model.KIND, values, session)
    finally:
        session.clock = real_clock
    values.update(site=session.site.id, entered_at=entered_at, entered_by=session.user.id, version=1, voided=False)
    return values


def remember_references(session, model, inputs: list[dict]) -> None:
    """Look up every record the inputs name by id with one query per referenced table, and
    remember those that exist, belong to this canteen and are not voided, so the per-row check
    (services.records.check_reference) is not asked again; any other id still goes through it
    and is refused there with its own message."""
    db = current()
    for spec in model.FIELDS:
        if spec.hidden or not spec.type.reference:
            continue
        named = {data.get(spec.name) for data in inputs if isinstance(data, dict)}
        wanted = sorted(v for v in named if type(v) is int)
        target = MODELS[spec.ref]
        table, site = target._meta.table_name, target._meta.fields["site"].column_name
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start:start + IN_CHUNK]
            marks = ", ".join([db.param] * len(chunk))
            found = db.execute_sql(f'SELECT "id" FROM "{table}" WHERE "{site}" = {db.param} AND NOT "voided" '
                                   f'AND "id" IN ({marks})', [session.site.id, *chunk]).fetchall()
            for (ref_id,) in found:
                session.remember(("ref", spec.ref, ref_id), lambda: True)


# ---- writing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Table:
    """One table's insert, worked out once per process."""

    model: type
    columns: tuple[tuple[str, Any, Callable[[Any], Any]], ...]  # (field, its default, to the database)
    insert: str  # "INSERT INTO "table" (columns) VALUES"; write_rows adds the rows' marks
    snapshot: Callable[[dict], dict]

    def params(self, values: dict) -> tuple:
        get = values.get
        return tuple([None if (v := get(name, default)) is None else to_db(v) for name, default, to_db in self.columns])


@functools.lru_cache(maxsize=None)
def _table(model) -> _Table:
    fields = [model._meta.fields[n] for n in model._meta.sorted_field_names]
    defaults = model._meta._default_by_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    return _Table(model, tuple((f.name, defaults.get(f.name), f.db_value) for f in fields),
                  f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES', snapshotter(model))


def insert_rows(session, kind: str, rows: list[dict]) -> list[int]:
    """Write prepared rows and their audit entries in one transaction; gives each row its id
    (rows[n]["id"]) and returns the new ids. Everything a new record needs written beside it
    belongs in this one place, inside the transaction."""
    if not rows:
        return []
    db = current()
    table = _table(model_for(kind))
    with write_transaction(site_id=session.site.id):
        for values, new_id in zip(rows, new_ids(db, table.model, len(rows))):
            values["id"] = new_id
        write_rows(db, table.insert, [table.params(values) for values in rows])
        write_audit(session, kind, rows, table.snapshot)
    return [values["id"] for values in rows]


def write_rows(db: peewee.Database, insert: str, rows: list[tuple]) -> None:
    """`insert` ("INSERT INTO t (a, b) VALUES") for every row: full statements of
    ROWS_PER_STATEMENT rows by one executemany, then one statement for the rest."""
    if not rows:
        return
    one = "(" + ", ".join([db.param] * len(rows[0])) + ")"
    cursor = db.cursor()
    full = len(rows) - len(rows) % ROWS_PER_STATEMENT
    if full:
        cursor.executemany(f"{insert} {', '.join([one] * ROWS_PER_STATEMENT)}",
                           [[v for row in rows[start:start + ROWS_PER_STATEMENT] for v in row]
                            for start in range(0, full, ROWS_PER_STATEMENT)])
    if full < len(rows):
        cursor.execute(f"{insert} {', '.join([one] * (len(rows) - full))}", [v for row in rows[full:] for v in row])


def new_ids(db: peewee.Database, model, count: int) -> list[int]:
    """`count` ids for new rows of `model`, in increasing order (see the module's docstring). The
    caller holds the write transaction."""
    table = model._meta.table_name
    if is_sqlite(db):
        top = db.execute_sql(f'SELECT MAX("id") FROM "{table}"').fetchone()[0] or 0
        return list(range(top + 1, top + count + 1))
    # The sequence is looked up once (OFFSET 0 keeps the subquery from being folded into every
    # row, where casting its name per row cost six times the drawing): ~2 µs an id.
    drawn = db.execute_sql("SELECT nextval(q.seq) FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq "
                           "OFFSET 0) q, generate_series(1, %s)", (f'"{table}"', count)).fetchall()
    return sorted(row[0] for row in drawn)


def write_audit(session, kind: str, rows: list[dict], snap: Callable[[dict], dict]) -> None:
    """One "create" entry per new row, its `after` the row's canonical snapshot."""
    user = session.user
    entries = [dict(at=values["entered_at"], site_id=session.site.id,
                    user_id=user.id, username=user.username, action="create", record_kind=kind,
                    record_id=values["id"], record_version=1, before=None, after=dumps(snap(values)),
                    reason=values.get("late_reason") or "")
               for values in rows]
    _insert_audit(*chain.bulk_entries(session.site.id, entries))


@functools.lru_cache(maxsize=None)
def _audit_insert() -> str:
    from .models import AuditEntry
    cols = ", ".join(f'"{AuditEntry._meta.fields[n].column_name}"' for n in AUDIT_COLUMNS)
    return f'INSERT INTO "audit_entry" ({cols}) VALUES'


def _insert_audit(entries: list[dict], prev_hash: str) -> None:
    from .models import AuditEntry
    at_db, columns = AuditEntry.at.db_value, _AUDIT_ROW
    for entry in entries:
        entry["at"] = at_db(entry["at"])
    write_rows(current(), _audit_insert(), [columns(row) for row in chain.chain_rows(entries, prev_hash)])


_AUDIT_ROW = operator.itemgetter(*AUDIT_COLUMNS)  # an entry's columns in the insert's order


def bulk_create(session, kind: str, items: Iterable[tuple[dict, dt.datetime]]) -> list[int]:
    """Validate and write many records of one kind at once, each as if entered at its entered_at."""
    return insert_rows(session, kind, prepare_rows(session, kind, items))


# ---- amending --------------------------------------------------------------------------------

def bulk_amend(session, kind: str, changes: list[tuple[int, dict, dt.datetime]], reason: str) -> None:
    """Amend many records at once (e.g. the evening's sample discards), each a new audited version."""
    with session.batch():
        _bulk_amend(session, kind, changes, reason)


def _bulk_amend(session, kind: str, changes: list[tuple[int, dict, dt.datetime]], reason: str) -> None:
    """Each change goes through the single amendment's checks (permission on that record, not
    voided, validation, block rules); only the writing is batched."""
    from .services.records import apply_changes, get, require_reason
    if not changes:
        return
    model = model_for(kind)
    permissions.require_write(session, kind)
    reason = require_reason(reason, "amend")
    real_clock, updated, befores = session.clock, [], []
    found = {r.id: r for r in model.select().where((model.site == session.site.id) & model.id.in_([c[0] for c in changes]))}
    try:
        for record_id, change, at in changes:
            session.clock = lambda at=at: at
            record = found.get(record_id) or get(session, kind, record_id)
            permissions.require_write(session, kind, record)
            befores.append(apply_changes(session, record, change))
            updated.append((record, at))
    finally:
        session.clock = real_clock
    with write_transaction(site_id=session.site.id):
        _update_records(model, updated, befores)
        entries = [dict(at=at, site_id=session.site.id, user_id=session.user.id,
                        username=session.user.username, action="amend", record_kind=kind, record_id=rec.id,
                        record_version=rec.version, before=dumps(before), after=dumps(snapshot(rec)), reason=reason)
                   for (rec, at), before in zip(updated, befores)]
        _insert_audit(*chain.bulk_entries(session.site.id, entries))


def _update_records(model, updated: list[tuple[Any, dt.datetime]], befores: list[dict]) -> None:
    """Under the write lock: every record still at the version its change was made from (one
    query), then all of them rewritten whole, as save() would, with one executemany."""
    db = current()
    stored = {}
    ids = [record.id for record, _at in updated]
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start:start + IN_CHUNK]
        marks = ", ".join([db.param] * len(chunk))
        stored.update(db.execute_sql(f'SELECT "id", "version" FROM "{model._meta.table_name}" '
                                     f'WHERE "id" IN ({marks})', chunk).fetchall())
    for (record, _at), before in zip(updated, befores):
        if stored.get(record.id) != before["version"]:
            require_unchanged_since(record, before)  # says who changed it, and when
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    sets = ", ".join(f'"{f.column_name}" = {db.param}' for f in fields)
    params = [tuple(f.db_value(record.__data__.get(f.name)) for f in fields) + (record.id,) for record, _at in updated]
    db.cursor().executemany(f'UPDATE "{model._meta.table_name}" SET {sets} WHERE "id" = {db.param}', params)
