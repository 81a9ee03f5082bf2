"""What the pushes of issue 12 left, for the documents and the desk: at the canteen, the last
receipt the district gave (printed on the daily sheet, the anchor `verify` checks); at the
district, each enrolled canteen's push state (its last push, whether a rewritten history was
refused). Plain values, so `reports/` and `ui/` never touch the push tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import DISTRICT_ROLES, Enrolment, PushReceipt, Site
from ..services import permissions


@dataclass(frozen=True)
class Receipt:
    """The district's word that it holds the canteen's chain up to `seq`, head `head`."""

    district: str
    seq: int
    head: str
    received_at: dt.datetime   # UTC, when the district accepted the push


@dataclass(frozen=True)
class PushState:
    """An enrolled canteen at the district: how far its chain arrived and whether it was flagged."""

    site_id: int
    canteen: str
    last_seq: int
    last_at: dt.datetime | None     # UTC, the last accepted push; None before the first
    flagged_at: dt.datetime | None  # UTC, when a push whose history differs was refused
    flag_seq: int | None


def last_receipt(session) -> Receipt | None:
    """The receipt for the furthest point of the session's canteen's chain the district holds."""
    row = (PushReceipt.select().where(PushReceipt.site == session.site_id)
           .order_by(PushReceipt.seq.desc(), PushReceipt.received_at.desc()).first())
    return Receipt(row.district, row.seq, row.head_hash, row.received_at) if row else None


def push_states(session) -> list[PushState]:
    """Every canteen enrolled at this district database, by name (the district's users read them all)."""
    permissions.require_role(session, DISTRICT_ROLES, "read every canteen")
    rows = Enrolment.select(Enrolment, Site).join(Site).order_by(Site.name)
    return [PushState(e.site_id, e.site.name, e.last_seq, e.last_at, e.flagged_at, e.flag_seq) for e in rows]
