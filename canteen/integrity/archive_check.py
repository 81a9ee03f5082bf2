"""An inspection archive's embedded records compared with the database as it now stands.

`canteen verify --archive` signs no one in, so this takes no session: the archive names its own
site, and the comparison reads that site's rows. The PDF reading and the cover hash stay in
`reports.verify_archive`; what is compared here is database work, so it lives in the core.
Any difference is one line in English; an empty list means the archive is what the database says.
"""

from __future__ import annotations

import datetime as dt

from ..models import REGISTRY, AuditEntry, Record, Site
from . import chain
from .canonical import snapshot


def period_query(model: type[Record], site_id: int, start: dt.date, end: dt.date):
    """The records an archive of the period holds: events of the period (voided ones too), the
    closes of the months it touches, and all master data (suppliers, certificates, staff).
    The archive is written from this query and checked against it, so both agree by construction."""
    query = model.select().where(model.site == site_id)
    if model.KIND == "ledger-months":  # dated on the month's first day: take every month the period touches
        query = query.where((model.day >= start.replace(day=1)) & (model.day <= end))
    elif model.EVENT != "none":
        query = query.where((model.day >= start) & (model.day <= end))
    return query.order_by(model.occurred_at, model.id)


def compare_with_database(document: dict) -> list[str]:
    """Each archived record against the database row of the same id, and the period's rows back."""
    try:
        site_id = int(document["site"]["id"])
        start = dt.date.fromisoformat(document["period"]["start"])
        end = dt.date.fromisoformat(document["period"]["end"])
        archived = document["records"]
    except (KeyError, TypeError, ValueError):
        return ["the embedded records file lacks its site, period or records"]
    if Site.get_or_none(Site.id == site_id) is None:
        return [f"the database has no canteen with id {site_id}: wrong database for this archive"]
    problems = chain_problems(document.get("chain_head") or {})
    for kind, rows in archived.items():
        model = REGISTRY.get(kind)
        if model is None:
            problems.append(f"unknown record type {kind!r} in the archive")
            continue
        problems += _kind_problems(kind, model, rows, site_id, start, end)
    return problems


def _kind_problems(kind: str, model: type[Record], rows: list[dict], site_id: int, start: dt.date,
                   end: dt.date) -> list[str]:
    """One record type: archived rows missing or changed in the database, and rows it lacks."""
    problems = []
    current = {r.id: snapshot(r) for r in period_query(model, site_id, start, end)}
    seen = set()
    for row in rows:
        record_id = row.get("id")
        seen.add(record_id)
        now = current.get(record_id)
        if now is None:
            now_row = model.get_or_none(model.id == record_id)
            problems.append(f"{kind} #{record_id}: in the archive but "
                            + ("not in the database" if now_row is None else "no longer in this period"))
        elif now != row:
            fields = sorted(k for k in set(now) | set(row) if now.get(k) != row.get(k))
            problems.append(f"{kind} #{record_id}: differs from the database in {', '.join(fields)}")
    for extra in sorted(set(current) - seen):
        problems.append(f"{kind} #{extra}: in the database for this period but not in the archive")
    return problems


def chain_problems(head: dict) -> list[str]:
    """The audit-chain head printed on the archive against the entry of that number now."""
    seq, digest = head.get("seq"), head.get("hash")
    if not seq:
        return []
    entry = AuditEntry.get_or_none(AuditEntry.hash == digest)  # the canteen's chain position, or an era-1 seq
    if entry is not None and chain.position_of(entry) == seq:
        return []
    return [f"audit chain entry {seq} named on the cover ({str(digest)[:16]}…) is no longer in the database "
            "as the archive recorded it"]
