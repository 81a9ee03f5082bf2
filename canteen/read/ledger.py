"""The cost ledger's month as the ledger page shows it: the summary and the allowed surplus band.

The page used to call `ledger.month_summary` with a site id and read two settings itself; it
now passes its session, so the month is always the reader's canteen's.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import ledger, settings
from ..ledger import INCOME_SOURCES, OTHER_COSTS, MonthSummary
from .scope import scope_of

__all__ = ["INCOME_SOURCES", "OTHER_COSTS", "MonthSummary", "MonthView", "month_view"]


@dataclass(frozen=True)
class MonthView:
    """One month of the ledger and the band (min %, max %) its surplus rate should stay in."""

    summary: MonthSummary
    surplus_band: tuple


def month_view(session, year: int, month: int) -> MonthView:
    """The month's summary and the surplus band of the reader's canteen (runs on a worker thread)."""
    site_id = scope_of(session).site_id
    band = (settings.get(site_id, "surplus_rate_min_pct"), settings.get(site_id, "surplus_rate_max_pct"))
    return MonthView(ledger.month_summary(site_id, year, month), band)
