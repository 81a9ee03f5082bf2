"""The audit trail: append-only, each entry's hash covering the previous hash and the entry.

Each canteen has its own chain (`chain_id` = its site id; entries of no canteen — district users,
district defaults, failed sign-ins of unknown names — are chain 0), with its own positions
(`chain_seq`) and head, so one canteen's trail verifies alone and writers in different canteens
never wait on one head. `seq` stays the table's key, in the order entries were written.

Databases made before schema step 6 kept ONE chain for all canteens ("era 1": `chain_id` NULL,
format 1, the position is `seq`). Step 6 records that chain's head in `meta` (`era1_head`), and
every per-canteen chain starts right after it: its first entry has position era-1 head + 1 and
links to the era-1 head's hash. So each canteen's chain reads as one numbered chain — the shared
era-1 entries, then its own — and an anchor "SEQ:HASH" printed before the step still holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from ..db import chain_lock, current, next_audit_seq
from ..models import AuditEntry
from ..models.base import DatabaseFact
from ..timeutil import utcnow
from .canonical import Irregular, RowTexts, dumps, moment_column, plain, scalar_column, sha256_hex, text_digests

GENESIS = "0" * 64
CHAIN_FORMAT = 2  # entries of a per-canteen chain: the hash covers the chain and the position in it
ERA1_KEY = "era1_head"


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    """What an entry's hash covers."""
    return row_payload({name: getattr(entry, name) for name in ENTRY_FIELDS})


ENTRY_FIELDS = ("format", "seq", "chain_id", "chain_seq", "at", "site_id", "user_id", "username", "action",
                "record_kind", "record_id", "record_version", "before", "after", "reason", "prev_hash")


def row_payload(row: dict) -> dict[str, Any]:
    """entry_payload for an entry held as a dict of its columns (a bulk writer's row, a row read
    by verify): `at` may be a datetime or the text the database returns."""
    at = row["at"]
    chained = row["format"] >= CHAIN_FORMAT  # format 1 (era 1) covers the global seq, format 2 its chain's
    return {
        "format": row["format"],
        **({"chain": row["chain_id"]} if chained else {}),
        "seq": row["chain_seq"] if chained else row["seq"],
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


# Where each key of row_payload comes from, in the payload's (sorted) key order, by format: era-1
# entries cover the global seq and no chain, per-canteen entries their chain and position in it.
_SOURCES = {"action": "action", "after": "after", "at": "at", "before": "before", "chain": "chain_id",
            "format": "format", "prev_hash": "prev_hash", "reason": "reason", "record_id": "record_id",
            "record_kind": "record_kind", "record_version": "record_version", "seq": "chain_seq", "site": "site_id",
            "user_id": "user_id", "username": "username"}
_ERA1_SOURCES = {**{k: v for k, v in _SOURCES.items() if k != "chain"}, "seq": "seq"}


def batch_hasher(columns: tuple[str, ...]) -> Callable[[list[tuple]], list[str | None]]:
    """row_hash of each entry of a batch read as tuples of `columns` (verify reads the whole
    trail), None where row_hash raises ValueError or TypeError: the payloads written column by
    column (canonical.RowTexts), or row by row through row_hash for a batch that mixes formats or
    holds a value the column writers leave to dumps()."""
    at = {name: i for i, name in enumerate(columns)}
    texts = {chained: RowTexts({key: moment_column if key == "at" else scalar_column for key in sources})
             for chained, sources in ((True, _SOURCES), (False, _ERA1_SOURCES))}
    picks = {chained: [at[(_SOURCES if chained else _ERA1_SOURCES)[key]] for key in texts[chained].keys]
             for chained in texts}

    def hashes(batch: list[tuple]) -> list[str | None]:
        columns = list(zip(*batch))
        formats = set(columns[at["format"]]) if batch else set()
        if all(f.__class__ is int for f in formats) and len({f >= CHAIN_FORMAT for f in formats}) == 1:
            chained = min(formats) >= CHAIN_FORMAT
            try:
                return text_digests(texts[chained].texts([columns[i] for i in picks[chained]]))
            except (Irregular, ValueError, TypeError):
                pass
        return [_row_hash_or_none(dict(zip(at, values))) for values in batch]
    return hashes


def _row_hash_or_none(row: dict) -> str | None:
    try:
        return row_hash(row)
    except (ValueError, TypeError):
        return None


def chain_of(site_id: int | None) -> int:
    """The chain a canteen's entries go into; entries of no canteen go into the district's (0)."""
    return site_id if site_id is not None else 0


def head(site_id: int | None) -> ChainHead:
    """The canteen's chain head: its position and hash (one plain statement: bulk writers ask
    it for every batch). An empty chain starts after era 1 (see the module's docstring)."""
    database = current()
    last = database.execute_sql(
        f'SELECT "chain_seq", "hash" FROM "audit_entry" WHERE "chain_id" = {database.param} '
        'ORDER BY "chain_seq" DESC LIMIT 1', (chain_of(site_id),)).fetchone()
    return ChainHead(last[0], last[1]) if last else era1_head()


def era1_head() -> ChainHead:
    """Where every per-canteen chain starts: the head of the single chain kept before schema
    step 6, or the genesis of a database made after it."""
    fact = DatabaseFact.get_or_none(DatabaseFact.key == ERA1_KEY)
    if fact is None:
        return ChainHead(0, GENESIS)
    seq, _, digest = fact.value.partition(":")
    return ChainHead(int(seq), digest)


def entry_at(site_id: int | None, position: int) -> AuditEntry | None:
    """The entry at `position` of a canteen's chain (an era-1 position is the shared chain's)."""
    if position <= era1_head().seq:
        return AuditEntry.get_or_none((AuditEntry.seq == position) & AuditEntry.chain_id.is_null())
    return AuditEntry.get_or_none((AuditEntry.chain_id == chain_of(site_id)) & (AuditEntry.chain_seq == position))


def position_of(entry: AuditEntry) -> int:
    return entry.chain_seq if entry.chain_id is not None else entry.seq


def append(action: str, *, user=None, site_id: int | None = None, kind: str = "", record_id: int | None = None,
           version: int | None = None, before: dict | None = None, after: dict | None = None,
           reason: str = "", at: dt.datetime | None = None) -> AuditEntry:
    """Write one entry into the canteen's chain. The caller holds the write transaction that also
    writes the change (on a server it holds the canteen's lock already; taking it again is free)."""
    chain_lock(chain_of(site_id))
    last = head(site_id)
    entry = AuditEntry(
        seq=next_audit_seq(), chain_id=chain_of(site_id), chain_seq=last.seq + 1, at=at or utcnow(), site_id=site_id,
        user_id=user.id if user else None, username=user.username if user else "",
        action=action, record_kind=kind, record_id=record_id, record_version=version,
        before=dumps(before) if before is not None else None,
        after=dumps(after) if after is not None else None,
        reason=reason or "", format=CHAIN_FORMAT, prev_hash=last.hash)
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)
    return entry


ERA1_COLUMNS = ("seq", "at", "site_id", "user_id", "username", "action", "record_kind", "record_id",
                "record_version", "before", "after", "reason", "format", "prev_hash", "hash")


def append_era1(action: str, *, site_id: int | None = None, kind: str = "", record_id: int | None = None,
                version: int | None = None, before: dict | None = None, after: dict | None = None,
                reason: str = "") -> None:
    """An entry written by a schema step older than step 6 (which adds the chain columns): it
    continues the single chain of that time, as the program of that time would have. On a trail
    that already has a chain per canteen it is an ordinary entry of the canteen's chain."""
    database = current()
    if "chain_id" in {c.name for c in database.get_columns("audit_entry")}:
        append(action, site_id=site_id, kind=kind, record_id=record_id, version=version, before=before,
               after=after, reason=reason)
        return
    last = database.execute_sql('SELECT "seq", "hash" FROM "audit_entry" ORDER BY "seq" DESC LIMIT 1').fetchone()
    row = dict(format=1, seq=(last[0] if last else 0) + 1, at=utcnow(), site_id=site_id, user_id=None, username="",
               action=action, record_kind=kind, record_id=record_id, record_version=version,
               before=dumps(before) if before is not None else None,
               after=dumps(after) if after is not None else None, reason=reason or "",
               prev_hash=last[1] if last else GENESIS)
    row["hash"] = row_hash(row)
    row["at"] = AuditEntry.at.db_value(row["at"])
    marks = ", ".join([database.param] * len(ERA1_COLUMNS))
    database.execute_sql(f'INSERT INTO "audit_entry" ({", ".join(ERA1_COLUMNS)}) VALUES ({marks})',
                         [row[c] for c in ERA1_COLUMNS])


def chain_rows(entries: list[dict], prev: str = GENESIS):
    """Hash a run of prepared entry dicts in order (for bulk writers); yields complete rows."""
    for row in entries:
        row["prev_hash"] = prev
        row["hash"] = prev = row_hash(row)
        yield row


def bulk_entries(site_id: int | None, rows: list[dict]) -> tuple[list[dict], str]:
    """Give a bulk writer's prepared entries (without seq) their place in the canteen's chain:
    the global seq, the chain and the positions after its head; returns them and the hash the
    first one links to. The caller holds the write transaction."""
    chain_lock(chain_of(site_id))
    last = head(site_id)
    seqs = next_audit_seq(len(rows)) if rows else []
    for n, row in enumerate(rows):
        row.update(format=CHAIN_FORMAT, seq=seqs[n], chain_id=chain_of(site_id), chain_seq=last.seq + n + 1)
    return rows, last.hash
