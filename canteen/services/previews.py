"""What a value in a form means, answered as the services will judge it on save.

The form used to work these out again for itself, and drifted: it counted a date event from
23:59:59 in naive local time (the service counts from that moment in UTC, which differs across
a clock change), never asked whether the day was already sealed, and applied the pesticide
threshold on its own. Here each answer is one helper, and the service that writes the record
calls the same helper: `check_lateness` uses `entered_late` and `sealed_day`, the pesticide
preparer `pesticide_result`, the sample preparer `keep_until`. The form only renders them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..meat import MEAT_CATEGORIES, default_meat_kind
from ..timeutil import end_of_day_utc, to_local, to_utc

# ---- late entry (rule LATE-ENTRY) ------------------------------------------------------------

def event_moment(event: str, value, tz: str) -> dt.datetime | None:
    """The UTC moment an event typed in local time is deemed to happen, as `records.clean_event`
    stores it: a moment as typed, a day at its last second; None for no (or no usable) value."""
    if event == "datetime" and isinstance(value, dt.datetime):
        return to_utc(value, tz)
    if event == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return end_of_day_utc(value, tz)
    return None


def entered_late(session, occurred_at: dt.datetime) -> bool:
    """Whether an entry made now is more than `late_entry_hours` after its event (UTC moment)."""
    return session.now() - occurred_at > dt.timedelta(hours=session.setting("late_entry_hours"))


def sealed_day(session, occurred_at: dt.datetime) -> dt.date | None:
    """The event's local day when a signed daily inspection has already closed it (日结), else None."""
    from ..integrity import daily_close
    event_day = to_local(occurred_at, session.tz).date()  # ledger-months keep the month in `day`
    closed = session.remember(("sealed_at", event_day), lambda: daily_close.sealed_at(session.site.id, event_day))
    return event_day if closed is not None and closed <= session.now() else None


def needs_late_reason(session, event: str, value) -> bool:
    """Whether a new record with this event time will be refused without a reason for late entry:
    entered too long after the event, or for a day already sealed."""
    occurred_at = event_moment(event, value, session.tz)
    if occurred_at is None:
        return False
    return entered_late(session, occurred_at) or sealed_day(session, occurred_at) is not None


# ---- pesticide screen (GB/T 5009.199) --------------------------------------------------------

def inhibition(control_delta: Decimal, sample_delta: Decimal) -> Decimal:
    """GB/T 5009.199-2003: (ΔA0 − ΔAt) / ΔA0 × 100, to two places."""
    return ((control_delta - sample_delta) / control_delta * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def pesticide_result(session, inhibition_pct: Decimal) -> str:
    """The site's threshold applied to an inhibition %: "positive" at or above it."""
    return "positive" if inhibition_pct >= session.setting("pesticide_positive_pct") else "negative"


@dataclass(frozen=True)
class PesticideVerdict:
    """What a spectrophotometer screen will be stored as, and whether its control reading is plausible."""

    inhibition_pct: Decimal
    result: str
    control_in_range: bool
    control_min: Decimal
    control_max: Decimal

    @property
    def positive(self) -> bool:
        return self.result == "positive"


def pesticide_verdict(session, control_delta: Decimal | None, sample_delta: Decimal | None) -> PesticideVerdict | None:
    """The verdict the pesticide preparer will store for these readings; None until both are
    entered and ΔA0 is above zero (the % cannot be worked out before)."""
    if control_delta is None or sample_delta is None or control_delta <= 0:
        return None
    pct = inhibition(control_delta, sample_delta)
    low, high = session.setting("control_delta_min"), session.setting("control_delta_max")
    return PesticideVerdict(pct, pesticide_result(session, pct), low <= control_delta <= high, low, high)


# ---- retained samples ------------------------------------------------------------------------

def keep_until(session, sampled_at: dt.datetime) -> dt.datetime:
    """When a sample taken at `sampled_at` (UTC) may be discarded: `sample_hours` later (UTC)."""
    return sampled_at + dt.timedelta(hours=session.setting("sample_hours"))


def under_weight(weight_g: Decimal | None, least_g: Decimal) -> bool:
    """Whether a sample weighs less than the site's minimum, as rule SMP-WEIGHT counts it (a weight
    not entered, or not above zero, is the field's own error, not this one)."""
    return weight_g is not None and 0 < weight_g < least_g


@dataclass(frozen=True)
class SampleNote:
    """When the sample may go (local time), and whether SMP-WEIGHT will report it."""

    keep_until: dt.datetime
    under_weight: bool
    min_g: Decimal


def sample_note(session, sampled_local: dt.datetime, weight_g: Decimal | None) -> SampleNote:
    """The note for a sample typed as taken at `sampled_local` (site time) weighing `weight_g`."""
    kept = to_local(keep_until(session, to_utc(sampled_local, session.tz)), session.tz)
    least = session.setting("sample_min_g")
    return SampleNote(kept, under_weight(weight_g, least), least)


# ---- kind of meat ----------------------------------------------------------------------------

def meat_kind_asked(category: str | None) -> bool:
    """Whether a delivery of this category says which kind of meat it is (meat and poultry only)."""
    return category in MEAT_CATEGORIES


def proposed_meat_kind(item: str | None, category: str | None) -> str | None:
    """The kind of meat the item name tells (五花肉 → pork), as the delivery preparer takes it
    when the field is left empty; None where it does not tell, and for goods that are not meat."""
    return default_meat_kind(item, category)
