"""The audit trail: append-only, each entry's hash covering the previous hash and the entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..db import current
from ..models import AuditEntry
from ..timeutil import utcnow
from .canonical import FORMAT, dumps, plain, sha256_hex

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    """What an entry's hash covers (format 1)."""
    return row_payload({name: getattr(entry, name) for name in ENTRY_FIELDS})


ENTRY_FIELDS = ("format", "seq", "at", "site_id", "user_id", "username", "action", "record_kind", "record_id",
                "record_version", "before", "after", "reason", "prev_hash")


def row_payload(row: dict) -> dict[str, Any]:
    """entry_payload for an entry held as a dict of its columns (a bulk writer's row, a row read
    by verify): `at` may be a datetime or the text the database returns."""
    at = row["at"]
    return {
        "format": row["format"],
        "seq": row["seq"],
        "at": plain(at if not isinstance(at, str) else dt.datetime.fromisoformat(at)),
        "site": row["site_id"],
        "user_id": row["user_id"],
        "username": row["username"],
        "action": row["action"],
        "record_kind": row["record_kind"],
        "record_id": row["record_id"],
        "record_version": row["record_version"],
        "before": row["before"],
        "after": row["after"],
        "reason": row["reason"],
        "prev_hash": row["prev_hash"],
    }


def entry_hash(entry: AuditEntry) -> str:
    return sha256_hex(dumps(entry_payload(entry)))


def row_hash(row: dict) -> str:
    return sha256_hex(dumps(row_payload(row)))


HEAD_SQL = 'SELECT "seq", "hash" FROM "audit_entry" ORDER BY "seq" DESC LIMIT 1'


def head() -> ChainHead:
    """The last entry (one plain statement: bulk writers ask it for every batch)."""
    last = current().execute_sql(HEAD_SQL).fetchone()
    return ChainHead(last[0], last[1]) if last else ChainHead(0, GENESIS)


def append(action: str, *, user=None, site_id: int | None = None, kind: str = "", record_id: int | None = None,
           version: int | None = None, before: dict | None = None, after: dict | None = None,
           reason: str = "", at: dt.datetime | None = None) -> AuditEntry:
    """Write one entry. The caller holds the write transaction that also writes the change."""
    last = head()
    entry = AuditEntry(
        seq=last.seq + 1, at=at or utcnow(), site_id=site_id,
        user_id=user.id if user else None, username=user.username if user else "",
        action=action, record_kind=kind, record_id=record_id, record_version=version,
        before=dumps(before) if before is not None else None,
        after=dumps(after) if after is not None else None,
        reason=reason or "", format=FORMAT, prev_hash=last.hash)
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)
    return entry


def chain_rows(entries: list[dict], prev: str = GENESIS):
    """Hash a run of prepared entry dicts in order (for bulk writers); yields complete rows."""
    for row in entries:
        row["prev_hash"] = prev
        row["hash"] = prev = row_hash(row)
        yield row
