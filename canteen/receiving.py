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
from types import SimpleNamespace

import peewee

from . import bundle as bundles
from . import receiving_signers
from .db import service_transaction
from .errors import ValidationError
from .integrity import chain
from .integrity.canonical import dumps, plain, snapshot
from .integrity.verify import SNAPSHOT_ACTIONS
from .models import REGISTRY, Enrolment, PendingPush, ReceivedBlob, ReceivedEntry, ReceivedId, Record, Site
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
            return f"Kept aside: this file waits for seq {self.waiting_for}, which has not arrived yet."
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
        with service_transaction(site_id):
            PendingPush.delete().where(PendingPush.id == ready.id).execute()
        if fresh:
            stored += _store(enrolment, found, fresh)


def _store(enrolment: Enrolment, found: bundles.Bundle, fresh: list[dict]) -> int:
    """Keep the new entries and replay their records, in one transaction."""
    site_id, now = enrolment.site_id, utcnow()
    with service_transaction(site_id):
        for entry in fresh:
            ReceivedEntry.create(site=site_id, position=bundles.position(entry), hash=entry["hash"],
                                 entry=dumps(entry), received_at=now)
            _replay(site_id, entry)
        for digest, data in found.blobs.items():
            if not ReceivedBlob.select().where((ReceivedBlob.site == site_id) & (ReceivedBlob.sha256 == digest)).exists():
                ReceivedBlob.create(site=site_id, sha256=digest, data=data)
        last = fresh[-1]
        Enrolment.update(last_seq=bundles.position(last), last_hash=last["hash"], last_at=now).where(
            Enrolment.id == enrolment.id).execute()
        chain.append("push-receive", site_id=site_id, kind="sites", record_id=site_id, at=now,
                     after={"first": bundles.position(fresh[0]), "last": bundles.position(last), "head": last["hash"]})
    return len(fresh)


def _replay(site_id: int, entry: dict) -> None:
    """A create, amend or void of a record: the same change to the site's copy of the record; a user,
    key or signature: see receiving_signers."""
    kind = entry["record_kind"]
    if entry["action"] not in SNAPSHOT_ACTIONS:
        receiving_signers.replay(site_id, entry, _moment(entry["at"]))
        return
    if kind not in REGISTRY or entry["after"] is None:
        return
    model = REGISTRY[kind]
    values = _local_values(model, site_id, json.loads(entry["after"]))
    mapped = ReceivedId.get_or_none((ReceivedId.site == site_id) & (ReceivedId.kind == kind)
                                    & (ReceivedId.origin_id == entry["record_id"]))
    before = None
    if mapped is None:
        local_id = model.insert(**values).execute()
        ReceivedId.create(site=site_id, kind=kind, origin_id=entry["record_id"], local_id=local_id)
    else:
        local_id = mapped.local_id
        before = snapshot(model.get_by_id(local_id))
        model.update(**values).where(model.id == local_id).execute()
    by = SimpleNamespace(id=None, username=entry["username"])
    chain.append(entry["action"], user=by, site_id=site_id, kind=kind, record_id=local_id,
                 version=entry["record_version"], before=before, after=snapshot(model.get_by_id(local_id)),
                 reason=entry["reason"], at=_moment(entry["at"]))


def _local_values(model: type[Record], site_id: int, after: dict) -> dict:
    """The canteen's snapshot as this database's columns: this site, this database's ids."""
    values = {}
    for name, fld in model._meta.fields.items():
        if name == "id" or name not in after:
            continue
        raw = after[name]
        if name == "site":
            raw = site_id
        elif name == "entered_by":
            raw = receiving_signers.mapped(site_id, receiving_signers.USERS, raw) if raw is not None else None
        elif raw is not None and isinstance(fld, peewee.ForeignKeyField):
            raw = _local_id(site_id, fld.rel_model, raw)
        elif raw is not None and isinstance(fld, peewee.BlobField):
            raw = bytes.fromhex(raw)
        elif raw is not None and isinstance(fld, (peewee.DateTimeField, peewee.DateField, peewee.DecimalField)):
            raw = fld.python_value(raw)
        values[name] = raw
    return values


def _local_id(site_id: int, target, origin_id: int) -> int:
    kind = getattr(target, "KIND", "")
    mapped = ReceivedId.get_or_none((ReceivedId.site == site_id) & (ReceivedId.kind == kind)
                                    & (ReceivedId.origin_id == origin_id))
    return mapped.local_id if mapped else origin_id


def _moment(text: str):
    import datetime as dt
    return dt.datetime.fromisoformat(text)


def receipt_for(enrolment: Enrolment) -> dict:
    """What the canteen keeps as proof the district holds its chain up to here."""
    return {"format": 1, "district": users.district_name(), "canteen": enrolment.canteen_name,
            "public_key": bytes(enrolment.public_key).hex(), "seq": enrolment.last_seq,
            "head": enrolment.last_hash, "at": plain(enrolment.last_at or utcnow())}
