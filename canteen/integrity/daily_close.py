"""The daily close (日结): signing a day's inspection seals that day.

A sealed day keeps its records and the audit-chain head at the moment of sealing, which the
signed daily sheet prints (a later `canteen verify --anchor SEQ:HASH` proves the chain still
holds it). Records entered for a sealed day afterwards need a reason and are flagged late.

The seal is the first signature ever made on an inspection of that day; it stays a fact even
if that inspection is later amended (the inspection then shows "changed after signing").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import Signature
from ..models.records import DailyInspection
from . import chain

KIND = "inspections"


@dataclass(frozen=True)
class Seal:
    """The signature that closed a day and the chain head it left (the sign entry's seq and hash)."""

    signature: Signature
    seq: int
    hash: str

    def __iter__(self):  # lets callers write `signature, seq, hash_ = seal_of(...)`
        return iter((self.signature, self.seq, self.hash))

    @property
    def anchor(self) -> str:
        return f"{self.seq}:{self.hash}"


def _seal_signatures(site_id: int, start: dt.date, end: dt.date):
    return (Signature.select(Signature, DailyInspection.day)
            .join(DailyInspection, on=(Signature.record_id == DailyInspection.id))
            .where((Signature.record_kind == KIND) & (DailyInspection.site == site_id)
                   & (DailyInspection.day >= start) & (DailyInspection.day <= end))
            .order_by(Signature.signed_at, Signature.id))


def is_sealed(site_id: int, day: dt.date, at: dt.datetime | None = None) -> bool:
    """Whether the day is closed; with `at` (UTC), whether it was already closed at that moment
    (the demo builder replays a term, so "now" is its session clock, not the wall clock)."""
    query = _seal_signatures(site_id, day, day)
    if at is not None:
        query = query.where(Signature.signed_at <= at)
    return query.exists()


def sealed_at(site_id: int, day: dt.date) -> dt.datetime | None:
    """When the day was first closed (UTC), or None while it is open."""
    first = _seal_signatures(site_id, day, day).first()
    return first.signed_at if first else None


def seal_of(site_id: int, day: dt.date) -> Seal | None:
    """The seal of a day, or None if the day is still open."""
    sig = _seal_signatures(site_id, day, day).first()
    if sig is None:
        return None
    entry = chain.entry_at(site_id, (sig.chain_seq or 0) + 1)
    if entry is None or entry.action != "sign":  # the trail lost its sign entry: show what the signature recorded
        return Seal(sig, sig.chain_seq, sig.chain_hash)
    return Seal(sig, chain.position_of(entry), entry.hash)


def seal_times(site_ids, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, dt.datetime]]:
    """When each day of start..end was first closed (UTC), for each of several canteens at once."""
    ids = list(site_ids)
    found: dict[int, dict[dt.date, dt.datetime]] = {site: {} for site in ids}
    query = (Signature.select(DailyInspection.site, DailyInspection.day, Signature.signed_at)
             .join(DailyInspection, on=(Signature.record_id == DailyInspection.id))
             .where((Signature.record_kind == KIND) & DailyInspection.site.in_(ids)
                    & (DailyInspection.day >= start) & (DailyInspection.day <= end))
             .order_by(Signature.signed_at, Signature.id))
    for site, day, signed_at in query.tuples():
        found[site].setdefault(day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10]), signed_at)
    return found


def sealed_days(site_id: int, start: dt.date, end: dt.date) -> dict[dt.date, Signature]:
    """The first sealing signature of each sealed day in a period (for calendars and archives)."""
    days: dict[dt.date, Signature] = {}
    for sig in _seal_signatures(site_id, start, end):
        day = sig.dailyinspection.day
        days.setdefault(day if isinstance(day, dt.date) else dt.date.fromisoformat(day), sig)
    return days
