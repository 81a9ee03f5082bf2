"""The audit trail: append-only, each entry's hash covering the previous hash and the entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

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
    return {
        "format": entry.format,
        "seq": entry.seq,
        "at": plain(entry.at if not isinstance(entry.at, str) else dt.datetime.fromisoformat(entry.at)),
        "site": entry.site_id,
        "user_id": entry.user_id,
        "username": entry.username,
        "action": entry.action,
        "record_kind": entry.record_kind,
        "record_id": entry.record_id,
        "record_version": entry.record_version,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry: AuditEntry) -> str:
    return sha256_hex(dumps(entry_payload(entry)))


def head() -> ChainHead:
    last = AuditEntry.select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).first()
    return ChainHead(last.seq, last.hash) if last else ChainHead(0, GENESIS)


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
        row["hash"] = prev = sha256_hex(dumps(entry_payload(_RowView(row))))
        yield row


class _RowView:
    """Lets a plain dict stand where entry_payload expects an AuditEntry."""

    def __init__(self, row: dict):
        self.__dict__.update(row)
