"""What the pushes of issue 12 left, for the documents and the desk: at the canteen, the last
receipt the district gave (printed on the daily sheet, the anchor `verify` checks); at the
district, each enrolled canteen's push state (its last push, whether a rewritten history was
refused) and each canteen's freshness (is what the district holds recent enough, by the district's
`push_stale_hours`). Plain values, so `reports/` and `ui/` never touch the push tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import settings
from ..models import DISTRICT_ROLES, Enrolment, PushReceipt, Site
from ..services import permissions
from .scope import district_canteens

STALE_SETTING = "push_stale_hours"

# What the district knows of how recent a canteen's records there are:
WRITTEN_HERE = "written_here"  # not enrolled: its records are entered in this database, no push is due
FRESH = "fresh"                # enrolled, its last push (or its enrolment) is within the allowed time
STALE = "stale"                # enrolled, nothing received for longer than the allowed time


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
    enrolled_at: dt.datetime | None = None  # UTC, when the district pinned the canteen's key


def last_receipt(session) -> Receipt | None:
    """The receipt for the furthest point of the session's canteen's chain the district holds."""
    row = (PushReceipt.select().where(PushReceipt.site == session.site_id)
           .order_by(PushReceipt.seq.desc(), PushReceipt.received_at.desc()).first())
    return Receipt(row.district, row.seq, row.head_hash, row.received_at) if row else None


def push_states(session) -> list[PushState]:
    """Every canteen enrolled at this district database, by name (the district's users read them all)."""
    permissions.require_role(session, DISTRICT_ROLES, "read every canteen")
    rows = Enrolment.select(Enrolment, Site).join(Site).order_by(Site.name)
    return [PushState(e.site_id, e.site.name, e.last_seq, e.last_at, e.flagged_at, e.flag_seq, e.enrolled_at)
            for e in rows]


@dataclass(frozen=True)
class Freshness:
    """One canteen at the district: how recent the records the district holds are, and whether a
    push of a history that differs from what it received was refused (the flag never clears: the
    bureau should ask why)."""

    site_id: int
    canteen: str
    state: str                      # WRITTEN_HERE, FRESH or STALE
    last_at: dt.datetime | None     # UTC, the last push that brought entries; None before the first
    last_seq: int
    stale_after: dt.timedelta       # the allowed time without a push (the district's push_stale_hours)
    flagged_at: dt.datetime | None  # UTC, when a push whose history differs was refused
    flag_seq: int | None            # the seq at which it differed

    @property
    def enrolled(self) -> bool:
        return self.state != WRITTEN_HERE

    @property
    def stale(self) -> bool:
        return self.state == STALE

    @property
    def flagged(self) -> bool:
        return self.flagged_at is not None

    @property
    def never_pushed(self) -> bool:
        return self.enrolled and self.last_at is None

    @property
    def needs_attention(self) -> bool:
        """Stale or flagged: what the bureau looks at first."""
        return self.stale or self.flagged


def stale_after() -> dt.timedelta:
    """How long the district lets a canteen go without a push: the district's setting, the same for
    every canteen (a canteen never sets its own: `settings.store` refuses it)."""
    return dt.timedelta(hours=int(settings.get(None, STALE_SETTING)))


def freshness_of(site_id: int, name: str, held: PushState | None, now: dt.datetime,
                 allowed: dt.timedelta) -> Freshness:
    """A canteen's freshness at `now` (UTC): stale once more than the allowed time has passed since
    its last push, or since its enrolment while it has never pushed; exactly the allowed time is
    not yet stale. A canteen not enrolled is written here and never stale."""
    if held is None:
        return Freshness(site_id, name, WRITTEN_HERE, None, 0, allowed, None, None)
    since = held.last_at or held.enrolled_at
    state = STALE if since is not None and now - since > allowed else FRESH
    return Freshness(site_id, name, state, held.last_at, held.last_seq, allowed, held.flagged_at, held.flag_seq)


def freshness(session) -> dict[int, Freshness]:
    """Every canteen the reader reads (the district inspector: all), by site id, at the session's now."""
    canteens = district_canteens(session)
    held = {state.site_id: state for state in push_states(session)}
    now, allowed = session.now(), stale_after()
    return {c.id: freshness_of(c.id, c.name, held.get(c.id), now, allowed) for c in canteens}
