"""Bulk writes (the demo builder, imports): the same validation and block rules as a single
create, but written with one executemany per table and the audit rows chained in the same
transaction — peewee's per-row save costs ~38× raw sqlite3 on these paths."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from .db import current, sync_id_sequences, write_transaction
from .integrity import chain
from .integrity.canonical import FORMAT, dumps, snapshot
from .models import AuditEntry
from .services import permissions
from .services.records import check_blocks, check_lateness, clean, model_for, require_unchanged_since


def prepare_rows(session, kind: str, items: Iterable[tuple[dict, dt.datetime]]) -> list[dict]:
    """Validate each (input, entered_at) as a create would, judging lateness at entered_at."""
    with session.batch():
        return _prepare_rows(session, kind, items)


def _prepare_rows(session, kind: str, items: Iterable[tuple[dict, dt.datetime]]) -> list[dict]:
    model = model_for(kind)
    permissions.require_write(session, kind)
    real_clock, rows = session.clock, []
    try:
        for data, entered_at in items:
            session.clock = lambda at=entered_at: at
            values = clean(model, data, session)
            if model.EVENT != "none":
                check_lateness(values, data, session)
            check_blocks(kind, values, session)
            values.update(site=session.site.id, entered_at=entered_at, entered_by=session.user.id,
                          version=1, voided=False)
            rows.append(values)
    finally:
        session.clock = real_clock
    return rows


def insert_rows(session, kind: str, rows: list[dict]) -> list[int]:
    """Write prepared rows and their audit entries in one transaction; returns the new ids."""
    if not rows:
        return []
    model = model_for(kind)
    db = current()
    names = [n for n in model._meta.sorted_field_names]
    fields = [model._meta.fields[n] for n in names]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.param] * len(fields))
    with write_transaction():
        first = (model.select(model.id).order_by(model.id.desc()).scalar() or 0) + 1
        instances = []
        for offset, values in enumerate(rows):
            values["id"] = first + offset
            instances.append(model(**values))
        params = [tuple(f.db_value(inst.__data__.get(n)) for n, f in zip(names, fields)) for inst in instances]
        db.cursor().executemany(f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})', params)
        sync_id_sequences([model], db)  # explicit ids: PostgreSQL's sequence must move past them
        write_audit(session, kind, instances)
    return [i.id for i in instances]


def write_audit(session, kind: str, instances: list) -> None:
    last = chain.head()
    entries = [dict(format=FORMAT, seq=last.seq + n + 1, at=inst.entered_at, site_id=session.site.id,
                    user_id=session.user.id, username=session.user.username, action="create",
                    record_kind=kind, record_id=inst.id, record_version=1, before=None,
                    after=dumps(snapshot(inst)), reason=inst.late_reason or "")
               for n, inst in enumerate(instances)]
    _insert_audit(entries, last.hash)


def _insert_audit(entries: list[dict], prev_hash: str) -> None:
    names = ["seq", "at", "site_id", "user_id", "username", "action", "record_kind", "record_id",
             "record_version", "before", "after", "reason", "format", "prev_hash", "hash"]
    fields = [AuditEntry._meta.fields[n] for n in names]
    db = current()
    params = [tuple(f.db_value(row[n]) for n, f in zip(names, fields)) for row in chain.chain_rows(entries, prev_hash)]
    marks = ", ".join([db.param] * len(names))
    cols = ", ".join(f'"{f.column_name}"' for f in fields)
    db.cursor().executemany(f'INSERT INTO "audit_entry" ({cols}) VALUES ({marks})', params)


def bulk_create(session, kind: str, items: Iterable[tuple[dict, dt.datetime]]) -> list[int]:
    """Validate and write many records of one kind at once, each as if entered at its entered_at."""
    return insert_rows(session, kind, prepare_rows(session, kind, items))


def bulk_amend(session, kind: str, changes: list[tuple[int, dict, dt.datetime]], reason: str) -> None:
    """Amend many records at once (e.g. the evening's sample discards), each a new audited version."""
    with session.batch():
        _bulk_amend(session, kind, changes, reason)


def _bulk_amend(session, kind: str, changes: list[tuple[int, dict, dt.datetime]], reason: str) -> None:
    """Each change goes through the single amendment's checks (permission on that record, not
    voided, validation, block rules); only the writing is batched."""
    from .services.records import apply_changes, get, require_reason
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
    with write_transaction():
        for (record, _at), before in zip(updated, befores):
            require_unchanged_since(record, before)
            record.save()
        last = chain.head()
        entries = [dict(format=FORMAT, seq=last.seq + n + 1, at=at, site_id=session.site.id, user_id=session.user.id,
                        username=session.user.username, action="amend", record_kind=kind, record_id=rec.id,
                        record_version=rec.version, before=dumps(before), after=dumps(snapshot(rec)), reason=reason)
                   for n, ((rec, at), before) in enumerate(zip(updated, befores))]
        _insert_audit(entries, last.hash)
