"""The district's side of issue 12: enrol a canteen, receive its push files, give receipts.

A push is checked whole before anything is stored: the file's signature by the canteen's pinned
key, every hash and link of the run (bundle.check_chain), its continuity with the last entry
received. The entries it repeats must be the very entries received before (same hash at the
same position): a canteen whose history differs — a record changed and the chain recomputed, a
tail cut and rewritten, an old backup restored — is refused and flagged (Enrolment.flagged_at),
and nothing received is touched. A file that starts after a gap waits (PendingPush) and says
which seq it needs. Accepted entries are kept byte for byte (ReceivedEntry, the evidence), and
their records are replayed into the canteen's site here under this database's own ids, each
change an entry of the site's chain here, so `check`, the archive and `verify --site` work on
them as on any canteen's records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import peewee

from . import bundle as bundles
from . import receiving_signers
from .db import service_transaction
from .errors import ValidationError
from .integrity import chain
from .integrity.canonical import dumps, plain, snapshot
from .integrity.verify import SNAPSHOT_ACTIONS
from .models import REGISTRY, AuditEntry, Enrolment, PendingPush, ReceivedBlob, ReceivedEntry, Record, Site
from .services import permissions, site_admin, users
from .timeutil import to_local, utcnow


class HistoryDiffers(ValidationError):
    def __init__(self, seq: int, when):
        day = to_local(when).date().isoformat() if when else "?"
        super().__init__("file", f"history differs from what the district received at seq {seq} on {day}",
                         f"与区县在 {day} 收到的序号 {seq} 处的历史不一致", "Push", "上报")


@dataclass
class Outcome:
    new: int                 # entries stored now (with those of waiting files it let through)
    receipt: dict | None     # the receipt for the canteen (None while the file waits)
    waiting_for: int | None = None

    def line(self) -> str:
        if self.waiting_for is not None:
            return (f"Kept aside: this file waits for seq {self.waiting_for}, which has not arrived yet. If the file "
                    f"that carried it was lost, make one again at the canteen: "
                    f"canteen push -o FILE.canteen --from {self.waiting_for}")
        return f"{self.new} new entries; the district now holds seq {self.receipt['seq']}."


def enrol(session, name: str, data: bytes, admin: str, admin_password: str) -> Site:
    """Add the canteen that made this push file and pin its site key."""
    found = bundles.read(data)
    key = found.public_key
    if Enrolment.select().where(Enrolment.public_key == key).exists():
        raise ValidationError("file", "comes from a canteen already enrolled", "来自已登记的食堂", "Push file", "上报文件")
    site = site_admin.add_site(session, name, admin, admin_password)
    with service_transaction(site.id):
        Enrolment.create(site=site.id, public_key=key, canteen_name=found.manifest["canteen"], enrolled_at=utcnow())
        chain.append("site-key", user=session.user, site_id=site.id, kind="sites", record_id=site.id,
                     after={"public_key": key, "enrolled": True})
    return site


def enrolment_of(public_key: bytes) -> Enrolment:
    found = Enrolment.get_or_none(Enrolment.public_key == public_key)
    if found is None:
        raise ValidationError("file", "comes from a canteen not enrolled at this district (site add NAME --from FILE)",
                              "来自未在本区县登记的食堂（site add 名称 --from 文件）", "Push file", "上报文件")
    return found


def receive(session, data: bytes) -> Outcome:
    """A district administrator receives a push file carried from a canteen."""
    permissions.require_district_admin(session, "receive canteens' pushes")
    return _receive(data, live=False)


def receive_live(data: bytes) -> Outcome:
    """A canteen pushes straight into this database: no district user acts, the pinned site key
    vouches for the push, and it is the canteen's present state (a shorter chain is a cut one)."""
    return _receive(data, live=True)


def _receive(data: bytes, live: bool) -> Outcome:
    found = bundles.read(data)
    enrolment = enrolment_of(found.public_key)
    fresh = _new_part(enrolment, found, live)
    if fresh is None:
        return _keep_waiting(enrolment, found, data)
    stored = _store(enrolment, found, fresh) if fresh else 0
    stored += _drain_waiting(enrolment.site_id)
    return Outcome(stored, receipt_for(Enrolment.get(Enrolment.site == enrolment.site_id)))


def _new_part(enrolment: Enrolment, found: bundles.Bundle, live: bool) -> list[dict] | None:
    """The entries of the file the district lacks; None when the file starts after a gap.
    HistoryDiffers (and the canteen flagged) when what it repeats is not what was received."""
    held = enrolment.last_seq
    base = found.manifest["base"]
    if base["position"] > held:
        return None
    repeated = {base["position"]: base["hash"]} if base["position"] else {}
    repeated.update((bundles.position(e), e["hash"]) for e in found.entries if bundles.position(e) <= held)
    for pos, digest in sorted(repeated.items()):
        kept = ReceivedEntry.get_or_none((ReceivedEntry.site == enrolment.site_id) & (ReceivedEntry.position == pos))
        if kept is not None and kept.hash != digest:
            _flag(enrolment, pos)
            raise HistoryDiffers(pos, kept.received_at)
    if found.last < held and (live or _made_after_last(found, enrolment)):
        _flag(enrolment, held)  # the canteen no longer holds what it sent: cut or restored
        raise HistoryDiffers(held, enrolment.last_at)
    return [e for e in found.entries if bundles.position(e) > held]


def _made_after_last(found: bundles.Bundle, enrolment: Enrolment) -> bool:
    made = found.manifest.get("made_at") or ""
    return enrolment.last_at is not None and made > plain(enrolment.last_at)


def _flag(enrolment: Enrolment, seq: int) -> None:
    with service_transaction(enrolment.site_id):
        Enrolment.update(flagged_at=utcnow(), flag_seq=seq).where(Enrolment.id == enrolment.id).execute()


def _keep_waiting(enrolment: Enrolment, found: bundles.Bundle, data: bytes) -> Outcome:
    with service_transaction(enrolment.site_id):
        already = PendingPush.select().where((PendingPush.site == enrolment.site_id)
                                             & (PendingPush.first_seq == found.first)
                                             & (PendingPush.last_seq == found.last)).exists()
        if not already:
            PendingPush.create(site=enrolment.site_id, first_seq=found.first, last_seq=found.last, data=data,
                               arrived_at=utcnow())
    return Outcome(0, None, waiting_for=enrolment.last_seq + 1)


def _drain_waiting(site_id: int) -> int:
    """Files that waited and now follow on: stored in turn; those wholly received, dropped."""
    stored = 0
    while True:
        enrolment = Enrolment.get(Enrolment.site == site_id)
        ready = (PendingPush.select().where((PendingPush.site == site_id)
                                            & (PendingPush.first_seq <= enrolment.last_seq + 1))
                 .order_by(PendingPush.first_seq).first())
        if ready is None:
            return stored
        found = bundles.read(bytes(ready.data))
        fresh = _new_part(enrolment, found, live=False)
        if fresh:
            stored += _store(enrolment, found, fresh, waited=ready.id)
        else:
            with service_transaction(site_id):
                PendingPush.delete().where(PendingPush.id == ready.id).execute()


def _store(enrolment: Enrolment, found: bundles.Bundle, fresh: list[dict], waited: int | None = None) -> int:
    """Keep the new entries and replay their records, in one transaction (with the removal of the
    waiting file `waited` they came in, so a kill leaves that file waiting or wholly received)."""
    site_id, now = enrolment.site_id, utcnow()
    with service_transaction(site_id):
        replay = Replay(site_id)
        for entry in fresh:
            replay.entry(entry)
        replay.flush()
        _insert_in_chunks(ReceivedEntry, [dict(site=site_id, position=bundles.position(e), hash=e["hash"],
                                               entry=dumps(e), received_at=now) for e in fresh])
        held = set(ReceivedBlob.select(ReceivedBlob.sha256).where(ReceivedBlob.site == site_id).tuples()) if found.blobs else ()
        _insert_in_chunks(ReceivedBlob, [dict(site=site_id, sha256=digest, data=data)
                                         for digest, data in found.blobs.items() if (digest,) not in held])
        if waited is not None:
            PendingPush.delete().where(PendingPush.id == waited).execute()
        last = fresh[-1]
        Enrolment.update(last_seq=bundles.position(last), last_hash=last["hash"], last_at=now).where(
            Enrolment.id == enrolment.id).execute()
        chain.append("push-receive", site_id=site_id, kind="sites", record_id=site_id, at=now,
                     after={"first": bundles.position(fresh[0]), "last": bundles.position(last), "head": last["hash"]})
    return len(fresh)


ROWS_PER_INSERT = 100  # rows per INSERT statement: well under either backend's limit on parameters


def _insert_in_chunks(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), ROWS_PER_INSERT):
        model.insert_many(rows[start:start + ROWS_PER_INSERT]).execute()


class Replay:
    """The replay of one push's entries into the canteen's site here, with few round trips to the
    server: the id map read once (receiving_signers.Ids), each record written by one statement,
    and the chain entries of the replayed changes written together (flush) — before a user, key
    or signature entry, whose replay reads the chain's head, and at the end."""

    def __init__(self, site_id: int):
        self.site_id = site_id
        self.ids = receiving_signers.Ids(site_id)
        self.rows: dict[tuple[str, int], peewee.Model] = {}  # records written in this replay, as stored
        self.pending: list[dict] = []

    def entry(self, entry: dict) -> None:
        """A create, amend or void of a record: the same change to the site's copy of the record;
        a user, key or signature: see receiving_signers."""
        kind = entry["record_kind"]
        if entry["action"] in receiving_signers.REPLAYED:
            self.flush()
            receiving_signers.replay(self.ids, entry, _moment(entry["at"]))
        elif entry["action"] in SNAPSHOT_ACTIONS and kind in REGISTRY and entry["after"] is not None:
            self._record(entry, REGISTRY[kind])

    def _record(self, entry: dict, model: type[Record]) -> None:
        kind, values = entry["record_kind"], self._local_values(model, json.loads(entry["after"]))
        local_id = self.ids.get(kind, entry["record_id"])
        before = None
        if local_id is None:
            row = model(**values)
            row.save(force_insert=True)
            local_id = row.id
            self.ids.keep(kind, entry["record_id"], local_id)
        else:
            row = self.rows.get((kind, local_id))
            row = model.get_by_id(local_id) if row is None else row
            before = snapshot(row)
            model.update(**values).where(model.id == local_id).execute()
            for name, value in values.items():
                setattr(row, name, value)
        self.rows[(kind, local_id)] = row
        self.pending.append(dict(at=_moment(entry["at"]), site_id=self.site_id, user_id=None,
                                 username=entry["username"], action=entry["action"], record_kind=kind,
                                 record_id=local_id, record_version=entry["record_version"],
                                 before=dumps(before) if before is not None else None, after=dumps(snapshot(row)),
                                 reason=entry["reason"] or ""))

    def flush(self) -> None:
        """Write the id map's new rows and the chain entries waiting, in order."""
        self.ids.flush()
        if self.pending:
            rows, prev = chain.bulk_entries(self.site_id, self.pending)
            _insert_in_chunks(AuditEntry, list(chain.chain_rows(rows, prev)))
            self.pending = []

    def _local_values(self, model: type[Record], after: dict) -> dict:
        """The canteen's snapshot as this database's columns: this site, this database's ids."""
        values = {}
        for name, fld in model._meta.fields.items():
            if name == "id" or name not in after:
                continue
            raw = after[name]
            if name == "site":
                raw = self.site_id
            elif name == "entered_by":
                raw = self.ids.get(receiving_signers.USERS, raw) if raw is not None else None
            elif raw is not None and isinstance(fld, peewee.ForeignKeyField):
                raw = self.ids.get(getattr(fld.rel_model, "KIND", ""), raw) or raw
            elif raw is not None and isinstance(fld, peewee.BlobField):
                raw = bytes.fromhex(raw)
            elif raw is not None and isinstance(fld, (peewee.DateTimeField, peewee.DateField, peewee.DecimalField)):
                raw = fld.python_value(raw)
            values[name] = raw
        return values


def _moment(text: str):
    import datetime as dt
    return dt.datetime.fromisoformat(text)


def receipt_for(enrolment: Enrolment) -> dict:
    """What the canteen keeps as proof the district holds its chain up to here."""
    return {"format": 1, "district": users.district_name(), "canteen": enrolment.canteen_name,
            "public_key": bytes(enrolment.public_key).hex(), "seq": enrolment.last_seq,
            "head": enrolment.last_hash, "at": plain(enrolment.last_at or utcnow())}
