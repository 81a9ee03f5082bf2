"""The canteen's side of issue 12: push its chain to the district, online or as a file, and keep
the receipts the district gives back (the anchors its `verify` checks without being told).

What a push sends: the entries of the canteen's numbering (era 1, then its own chain) after a
base the district holds — online, one entry before the district's last received (so the district
compares it); in a file, after the last receipt or the last file made, whichever is further —
with the attachments the entries add. See canteen/bundle.py for the file's format.

Progress: `progress(step, STEPS, what)` as each step ends (`what` is one of STEP_NAMES, with the
count for "entries=N" and "attachments=N"; a file has no "connect"), so the desk can show it; the desk's worker raises
Cancelled from that call once the user cancels, which stops the push between steps. The last
report comes before anything reaches the district or the file, and the district takes a push in
one transaction (receiving._store), so a cancelled push leaves the district as it was.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Callable

import peewee

from . import bundle as bundles
from . import db, receiving
from .db import current, service_transaction
from .errors import ValidationError
from .integrity import chain, sitekey
from .integrity.verify import ENTRY_COLUMNS
from .models import Attachment, DatabaseFact, Enrolment, PushReceipt
from .timeutil import utcnow

SENT_KEY = "push_sent:{}"  # meta: the last position a push file of this canteen carried
STEP_NAMES = ("connect", "compare", "entries", "attachments", "sign", "send")
STEPS = len(STEP_NAMES)
Progress = Callable[[int, int, str], object] | None


def _step(progress: Progress, name: str, count: int | None = None) -> None:
    """Say which step is done (and how many entries or attachments); the desk cancels here."""
    if progress is not None:
        progress(STEP_NAMES.index(name) + 1, STEPS, name if count is None else f"{name}={count}")


def _entries_after(site_id: int, since: int) -> list[dict]:
    """The canteen's entries after position `since`, in chain order, every column."""
    database, columns = current(), ", ".join(ENTRY_COLUMNS)
    era1 = database.execute_sql(f"SELECT {columns} FROM audit_entry WHERE chain_id IS NULL AND seq > "
                                f"{database.param} ORDER BY seq", (since,)).fetchall()
    own = database.execute_sql(f"SELECT {columns} FROM audit_entry WHERE chain_id = {database.param} AND "
                               f"chain_seq > {database.param} ORDER BY chain_seq", (site_id, since)).fetchall()
    return [{**dict(zip(ENTRY_COLUMNS, row)), "at": _at(row[3])} for row in [*era1, *own]]


def _at(value):
    return value if not isinstance(value, str) else __import__("datetime").datetime.fromisoformat(value)


def _base(site_id: int, since: int) -> tuple[int, str]:
    if since <= 0:
        return bundles.GENESIS_BASE
    entry = chain.entry_at(site_id, since)
    return (since, entry.hash) if entry else bundles.GENESIS_BASE


def _blobs(entries: list[dict]) -> dict[str, bytes]:
    ids = [int(json.loads(e["after"]).get("attachment") or 0) for e in entries if e["action"] == "attach" and e["after"]]
    return {a.sha256: bytes(a.data) for a in Attachment.select().where(Attachment.id.in_(ids))} if ids else {}


def build(session, password: str, since: int, *, progress: Progress = None, key=None) -> bytes:
    """A signed push file of the session's canteen after position `since`, read in one snapshot
    that holds no write lock (a push on a desk worker must not keep the desk's saves waiting).
    `key`: the site key already opened (this computer's device copy), else the password opens it."""
    site = session.site
    key = key or _site_key(session, password)
    with current().atomic():
        since = max(0, min(since, chain.head(site.id).seq))
        entries = _entries_after(site.id, since)
        _step(progress, "entries", len(entries))
        blobs = _blobs(entries)
        _step(progress, "attachments", len(blobs))
        data = bundles.make(site.name, key, _base(site.id, since), entries, blobs, utcnow())
    _step(progress, "sign")
    return data


def _site_key(session, password: str):
    """The canteen's site key; one made on first need is issued (and audited) under the write lock."""
    site_id = session.site.id
    if sitekey.site_public_key(site_id) is not None:
        return sitekey.unlock_site_key(site_id, session.user, password)
    with service_transaction(site_id):
        return sitekey.unlock_site_key(site_id, session.user, password)


def push_file(session, password: str, out: Path, start: int | None = None, *,
              progress: Progress = None) -> tuple[int, int]:
    """Write a push file of what the district has not had yet — or, when the district waits for
    a file that was lost, of everything from position `start` on; returns (first, last) positions."""
    site = session.site
    if start:
        _check_start(site.id, start)
    since = start - 1 if start else max(_last_receipt_seq(site.id), _last_sent(site.id))
    _step(progress, "compare")
    data = build(session, password, since, progress=progress)
    _step(progress, "send")
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        raise db.file_error(exc, out) from exc
    found = bundles.read(data)
    with service_transaction(site.id):
        DatabaseFact.insert(key=SENT_KEY.format(site.id), value=str(found.last)).on_conflict(  # SQLite and PostgreSQL
            conflict_target=[DatabaseFact.key], update={DatabaseFact.value: str(found.last)}).execute()
    return found.first, found.last


def _check_start(site_id: int, start: int) -> None:
    """A re-sent file starts at a position the canteen holds (its last entry is the furthest)."""
    last = chain.head(site_id).seq
    if start > last:
        raise ValidationError("--from", f"{start} is past the canteen's last entry (seq {last})",
                              f"{start} 超出本食堂的最后一条记录（序号 {last}）", "push --from", "上报 --from")


def _last_sent(site_id: int) -> int:
    fact = DatabaseFact.get_or_none(DatabaseFact.key == SENT_KEY.format(site_id))
    return int(fact.value) if fact else 0


def _last_receipt_seq(site_id: int) -> int:
    row = PushReceipt.select().where(PushReceipt.site == site_id).order_by(PushReceipt.seq.desc()).first()
    return row.seq if row else 0


def push_online(session, password: str, url: str, *, progress: Progress = None, key=None) -> receiving.Outcome:
    """Push straight into the district's database and keep its receipt at once (`key` as build's)."""
    site = session.site
    public = sitekey.site_public_key(site.id)
    district = db.connect(url)
    try:
        _step(progress, "connect")
        with bound_to(district):
            db.bring_up_to_date(district)
            held = Enrolment.get_or_none(Enrolment.public_key == public) if public else None
            since = held.last_seq - 1 if held else 0
        _step(progress, "compare")
        data = build(session, password, since, progress=progress, key=key)
        _step(progress, "send")  # the last moment to cancel: the district takes all of it or nothing
        with bound_to(district):
            outcome = receiving.receive_live(data)
    finally:
        with contextlib.suppress(peewee.PeeweeException):
            district.close()
    keep_receipt(session, outcome.receipt)
    return outcome


@contextlib.contextmanager
def bound_to(other: peewee.Database):
    """The models speak to `other` on this thread only (a desk worker pushes while the desk works)."""
    with db.bound_here(other):
        yield


def keep_receipt(session, receipt: dict) -> PushReceipt:
    """Store a receipt the district gave, after checking it is this canteen's and matches its chain."""
    site = session.site
    if bytes.fromhex(receipt.get("public_key", "")) != sitekey.site_public_key(site.id):
        raise ValidationError("receipt", "is for another canteen", "属于其他食堂", "Receipt", "回执")
    seq, digest = int(receipt["seq"]), str(receipt["head"])
    entry = chain.entry_at(site.id, seq) if seq > 0 else None
    if seq > 0 and (entry is None or entry.hash != digest):
        raise ValidationError("receipt", f"does not match this canteen's chain at seq {seq}",
                              f"与本食堂审计链在序号 {seq} 处不一致", "Receipt", "回执")
    with service_transaction(site.id):
        kept = PushReceipt.get_or_none((PushReceipt.site == site.id) & (PushReceipt.seq == seq)
                                       & (PushReceipt.head_hash == digest))
        return kept or PushReceipt.create(site=site.id, district=receipt.get("district", ""), seq=seq,
                                          head_hash=digest, received_at=_at(receipt["at"]), imported_at=utcnow())
