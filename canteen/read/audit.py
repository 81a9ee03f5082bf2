"""The audit trail as the desk pages through it and the archive prints it.

The audit page shows a trail of millions of entries at once: one count, then blocks of rows on
demand, newest first. Every read here is limited to the reader's canteen plus the entries that
belong to no canteen (a failed sign-in by an unknown name, say), as the page always showed them.
Filters are local days in the canteen's time zone; they become UTC bounds here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from peewee import fn

from ..errors import NotFound
from ..models import AuditEntry, User
from ..timeutil import day_bounds_utc, to_local
from .scope import scope_of


@dataclass(frozen=True)
class AuditQuery:
    """What the trail is filtered by: one kind (and record number), one user, a range of local days."""

    kind: str = ""
    record_id: int | None = None
    user_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One entry of the trail. `before`/`after` are the stored JSON read back (None where the
    entry has none, or where the read did not ask for them, as the archive's does not)."""

    seq: int
    at: dt.datetime
    user_id: int | None
    username: str
    action: str
    record_kind: str
    record_id: int | None
    record_version: int | None
    reason: str
    before: dict | None
    after: dict | None
    hash: str
    prev_hash: str = ""


@dataclass(frozen=True)
class UserChoice:
    """A user the trail can be filtered by."""

    id: int
    username: str
    display_name: str


def _parsed(text: str | None) -> dict | None:
    """Stored before/after text as a dict; text that is not a JSON object is kept under ""."""
    if text is None:
        return None
    if not text:
        return {}
    try:
        value: Any = json.loads(text)
    except ValueError:
        return {"": text}
    return value if isinstance(value, dict) else {"": value}


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(entry.seq, entry.at, entry.user_id, entry.username, entry.action, entry.record_kind,
                    entry.record_id, entry.record_version, entry.reason, _parsed(entry.before),
                    _parsed(entry.after), entry.hash, entry.prev_hash)


def _visible(site_id: int):
    """The reader's canteen, and the entries of no canteen."""
    return (AuditEntry.site_id == site_id) | AuditEntry.site_id.is_null()


def _selected(session, q: AuditQuery):
    scope = scope_of(session)
    query = AuditEntry.select().where(_visible(scope.site_id))
    if q.kind:
        query = query.where(AuditEntry.record_kind == q.kind)
    if q.record_id is not None:
        query = query.where(AuditEntry.record_id == q.record_id)
    if q.user_id is not None:
        query = query.where(AuditEntry.user_id == q.user_id)
    if q.start is not None:
        query = query.where(AuditEntry.at >= day_bounds_utc(q.start, scope.tz)[0])
    if q.end is not None:
        query = query.where(AuditEntry.at < day_bounds_utc(q.end, scope.tz)[1])
    return query


def audit_count(session, q: AuditQuery) -> int:
    """How many entries the filter matches."""
    return _selected(session, q).count()


def audit_block(session, q: AuditQuery, offset: int, limit: int) -> list[AuditRow]:
    """`limit` matching entries from `offset`, newest first."""
    query = _selected(session, q).order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)
    return [_row(entry) for entry in query]


def audit_entry(session, seq: int) -> AuditRow:
    """One entry by its number (NotFound if it is not the reader's to see)."""
    entry = AuditEntry.get_or_none((AuditEntry.seq == seq) & _visible(scope_of(session).site_id))
    if entry is None:
        raise NotFound(f"No audit entry {seq}.", f"没有第 {seq} 条审计记录。")
    return _row(entry)


def first_audit_day(session) -> dt.date:
    """The local day of the canteen's earliest entry: where an open filter starts (today if none)."""
    scope = scope_of(session)
    earliest = AuditEntry.select(fn.MIN(AuditEntry.at)).where(_visible(scope.site_id)).scalar()
    if isinstance(earliest, str):
        earliest = dt.datetime.fromisoformat(earliest)
    return to_local(earliest, scope.tz).date() if earliest else session.today()


def audit_users(session) -> list[UserChoice]:
    """The canteen's users, by user name, for the user filter."""
    site_id = scope_of(session).site_id
    return [UserChoice(u.id, u.username, u.display_name)
            for u in User.select(User.id, User.username, User.display_name).where(User.site == site_id)
            .order_by(User.username)]


def period_audit(session, start: dt.date, end: dt.date, up_to_seq: int) -> list[AuditRow]:
    """The canteen's entries of the local days start..end up to the chain head `up_to_seq`,
    oldest first, without before/after (the archive prints neither)."""
    scope = scope_of(session)
    lo, _ = day_bounds_utc(start, scope.tz)
    _, hi = day_bounds_utc(end, scope.tz)
    columns = (AuditEntry.seq, AuditEntry.at, AuditEntry.user_id, AuditEntry.username, AuditEntry.action,
               AuditEntry.record_kind, AuditEntry.record_id, AuditEntry.record_version, AuditEntry.reason,
               AuditEntry.hash)
    query = (AuditEntry.select(*columns).where((AuditEntry.site_id == scope.site_id) & (AuditEntry.at >= lo)
                                               & (AuditEntry.at < hi) & (AuditEntry.seq <= up_to_seq))
             .order_by(AuditEntry.seq))
    return [AuditRow(e.seq, e.at, e.user_id, e.username, e.action, e.record_kind, e.record_id, e.record_version,
                     e.reason, None, None, e.hash) for e in query]
