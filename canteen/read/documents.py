"""What the documents print: a day's records, a month's close, and everything of an archive.

The renderers in `reports/` lay out what they get from here and read nothing themselves. The
archive is read here in one transaction, so its records, findings, audit appendix and the chain
head on its cover are one consistent state even while others keep writing (SQLite WAL gives the
reader a snapshot); the embedded records file is made here too, from the database rows, in the
canonical form the audit chain hashes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..db import current
from ..integrity import chain
from ..integrity.archive_check import period_query
from ..integrity.canonical import dumps, sha256_hex, snapshot
from ..integrity.signatures import signature_state
from ..models import REGISTRY, Attachment, LedgerMonth, Record
from ..rules import evaluate
from .admin import SiteInfo, site_info
from .audit import AuditRow, period_audit
from .cases import LOOKBACK, Case, RuleTiming, canteen_of, cases_from, time_to_close
from .findings import findings as findings_in
from .kinds import kinds_in_order, record_type
from .rows import RecordRow, SignatureSummary, as_row, signature_summaries, summary_of, titles
from .scope import scope_of

FORMAT = 1
CERT_KINDS = ("certificates", "health-certificates")


def _rows(session, kind: str, records: list[Record]) -> list[RecordRow]:
    """Records as rows with their titles; a title that names a referenced record is looked up
    for all of them at once rather than one query each."""
    fields = record_type(kind).fields
    first = fields[0] if fields else None
    if first is None or not first.type.reference:
        return [as_row(r) for r in records]
    names = titles(session, first.ref, [r.__data__.get(first.name) for r in records])
    return [as_row(r, title=names.get(r.__data__.get(first.name), "")) for r in records]


def day_records(session, kind: str, day: dt.date, standing_only: bool = False) -> list[RecordRow]:
    """The canteen's records of one kind dated `day`, in the order they happened (voided ones
    too, unless `standing_only`)."""
    model = REGISTRY[record_type(kind).kind]
    query = model.live() if standing_only else model.select()
    query = query.where((model.site == scope_of(session).site_id) & (model.day == day))
    return _rows(session, kind, list(query.order_by(model.occurred_at, model.id)))


def month_close(session, year: int, month: int) -> tuple[RecordRow | None, SignatureSummary | None]:
    """The standing close of a month (the latest, if closed more than once) and its signatures."""
    label = f"{year:04d}-{month:02d}"
    close = (LedgerMonth.live().where((LedgerMonth.site == scope_of(session).site_id) & (LedgerMonth.month == label))
             .order_by(LedgerMonth.id.desc()).first())
    if close is None:
        return None, None
    return as_row(close), summary_of(signature_state("ledger-months", close.id))


@dataclass(frozen=True)
class ArchiveScan:
    """A certificate's scan as the archive shows it: the file and which record it belongs to."""

    kind: str
    record_id: int
    filename: str
    mime: str
    sha256: str
    data: bytes


@dataclass(frozen=True)
class PeriodCases:
    """The cases of a period as a document prints them: each case with its actions and their
    follow-up checks, and the time-to-close table (per rule). Statuses are those at `as_of`
    (when the document is made): an action taken after the period still answers its case."""

    cases: list[Case] = field(default_factory=list)
    timings: list[RuleTiming] = field(default_factory=list)
    findings: int = 0  # the raw findings of the period the cases group
    as_of: dt.datetime | None = None  # UTC


def period_cases(session, start: dt.date, end: dt.date, found: list | None = None) -> PeriodCases:
    """The cases touching start..end. `found` are the period's findings when the caller has them
    already (the archive): then only the days before the period are evaluated again, for the
    cases that began before it, and the cases group exactly the findings the document lists."""
    as_of = session.now()
    if found is None:
        found = findings_in(session, start, end)
    before = findings_in(session, start - dt.timedelta(days=LOOKBACK), start - dt.timedelta(days=1))
    canteen = canteen_of(session)
    built = cases_from(canteen, before + list(found), start, end)
    return PeriodCases(built, time_to_close(built, canteen.tz, as_of), len(found), as_of)


def day_cases(session, day: dt.date) -> tuple[list[Case], list[Case]]:
    """What the daily sheet of `day` lists: the cases with a finding that day still not verified,
    and the overdue cases from earlier days (begun up to LOOKBACK days before) still not acted on."""
    built = period_cases(session, day - dt.timedelta(days=LOOKBACK), day).cases
    todays = [c for c in built if not c.closed and any(f.day == day for f in c.findings)]
    listed = {c.id for c in todays}
    earlier = [c for c in built if c.overdue and c.id not in listed and c.first_day < day]
    return todays, earlier


@dataclass(frozen=True)
class ArchiveData:
    """Everything an archive of a period holds, read once."""

    site: SiteInfo
    head: chain.ChainHead
    records: dict[str, list[RecordRow]] = field(default_factory=dict)
    states: dict[str, dict[int, SignatureSummary]] = field(default_factory=dict)
    findings: list = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    attachments: list[ArchiveScan] = field(default_factory=list)
    json_bytes: bytes = b""
    sha256: str = ""
    cases: PeriodCases = field(default_factory=PeriodCases)


def archive_data(session, start: dt.date, end: dt.date, generated_by: str,
                 generated_at: dt.datetime) -> ArchiveData:
    """The period start..end of the reader's canteen, read in one transaction."""
    with current().atomic():
        return _collect(session, start, end, generated_by, generated_at)


def _collect(session, start, end, generated_by, generated_at) -> ArchiveData:
    site, head = site_info(session), chain.head(session.site_id)
    records, snapshots, states = {}, {}, {}
    for kind in kinds_in_order():
        found = list(period_query(REGISTRY[kind], site.id, start, end))
        snapshots[kind] = [snapshot(r) for r in found]
        records[kind] = _rows(session, kind, found)
        states[kind] = signature_summaries(session, kind, [r.id for r in found])
    scans = _scans(site.id, {(k, r.id) for k in CERT_KINDS for r in records[k]})
    found = evaluate(site.id, start, end)
    partial = ArchiveData(site, head, records, states, found, period_audit(session, start, end, head.seq), scans,
                          cases=period_cases(session, start, end, found))
    document = records_document(partial, start, end, generated_by, generated_at, snapshots)
    json_bytes = dumps(document).encode("utf-8")
    return ArchiveData(site, head, records, states, partial.findings, partial.audit, scans, json_bytes,
                       sha256_hex(json_bytes), partial.cases)


def _scans(site_id: int, wanted: set[tuple[str, int]]) -> list[ArchiveScan]:
    """The standing scans of the period's certificates, by record."""
    query = (Attachment.select().where((Attachment.site == site_id) & (Attachment.record_kind.in_(CERT_KINDS))
                                       & (Attachment.voided == False))  # noqa: E712
             .order_by(Attachment.record_kind, Attachment.record_id, Attachment.id))
    return [ArchiveScan(a.record_kind, a.record_id, a.filename, a.mime, a.sha256, bytes(a.data))
            for a in query if (a.record_kind, a.record_id) in wanted]


def records_document(data: ArchiveData, start, end, generated_by, generated_at, snapshots) -> dict:
    """The embedded file: each record in the canonical form its audit entry hashes."""
    site, signatures = data.site, []
    for kind, states in data.states.items():
        for record_id, state in states.items():
            signatures += [{"kind": kind, "id": record_id, "version": s.record_version, "meaning": s.meaning,
                            "signer_name": s.signer_name, "signed_at": s.signed_at,
                            "content_sha256": s.content_sha256} for s in state.signatures]
    return {
        "format": FORMAT, "document": "canteen-inspection-archive",
        "site": {"id": site.id, "name": site.name, "school": site.school, "licence_no": site.licence_no},
        "period": {"start": start, "end": end},
        "generated_at": generated_at, "generated_by": generated_by,
        "chain_head": {"seq": data.head.seq, "hash": data.head.hash},
        "records": snapshots,
        "signatures": signatures,
        "attachments": [{"kind": a.kind, "id": a.record_id, "filename": a.filename, "sha256": a.sha256}
                        for a in data.attachments],
        "findings": [f.as_json() for f in data.findings],
        "cases": [c.as_json() for c in data.cases.cases],
    }
