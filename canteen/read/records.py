"""One record as the records page shows it: its values, its history, its signatures and its files.

The page used to hold the `Record` itself, read the audit trail and the users table, and ask
the signatures module directly; it now gets plain values from here, each checked against the
reader's canteen: a record of another canteen is NotFound, as the record services say it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import PurePath

from ..integrity.signatures import signature_state
from ..models import AuditEntry, User
from ..services import attachments as attachment_service
from ..services import records as record_service
from .kinds import record_type
from .rows import RecordRow, SignatureSummary, as_row, summary_of


def record(session, kind: str, record_id: int, language: str = "en") -> RecordRow:
    """The current version of one record of the reader's canteen (NotFound otherwise)."""
    return as_row(record_service.get(session, kind, record_id), language)


@dataclass(frozen=True)
class FieldChange:
    """One field an amendment changed: its names and the stored values before and after."""

    name: str
    en: str
    zh: str
    before: object
    after: object

    def label(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass(frozen=True)
class HistoryEntry:
    """One audit-trail entry about a record: who did what to which version, why, what changed."""

    seq: int
    at: dt.datetime
    username: str
    display_name: str | None
    action: str
    record_version: int | None
    reason: str
    changes: tuple[FieldChange, ...]
    voided_changed: bool

    @property
    def person(self) -> str:
        """The printed name of who did it (the user name when the account is unknown)."""
        name = self.display_name
        return f"{name} ({self.username})" if name and name != self.username else self.username


def history(session, kind: str, record_id: int) -> list[HistoryEntry]:
    """Every audit entry about one record of the reader's canteen, oldest first."""
    found = record_service.get(session, kind, record_id)
    entries = list(AuditEntry.select().where((AuditEntry.record_kind == kind) & (AuditEntry.record_id == found.id))
                   .order_by(AuditEntry.seq))
    user_ids = {e.user_id for e in entries if e.user_id is not None}
    names = ({u.id: u.display_name for u in User.select(User.id, User.display_name).where(User.id.in_(list(user_ids)))}
             if user_ids else {})
    specs = record_type(kind).fields
    return [HistoryEntry(e.seq, e.at, e.username, names.get(e.user_id), e.action, e.record_version, e.reason or "",
                         *_changes(specs, e.before, e.after)) for e in entries]


def _changes(specs, before_text: str | None, after_text: str | None) -> tuple[tuple[FieldChange, ...], bool]:
    """What an amendment changed, field by field, and whether it voided the record."""
    if not before_text or not after_text:
        return (), False
    try:
        before, after = json.loads(before_text), json.loads(after_text)
    except ValueError:
        return (), False
    changes = tuple(FieldChange(s.name, s.en, s.zh, before.get(s.name), after.get(s.name)) for s in specs
                    if before.get(s.name) != after.get(s.name))
    return changes, before.get("voided") != after.get("voided")


def signatures(session, kind: str, record_id: int) -> SignatureSummary:
    """Whether one record of the reader's canteen is signed, with every signature over it."""
    found = record_service.get(session, kind, record_id)
    return summary_of(signature_state(kind, found.id))


@dataclass(frozen=True)
class AttachmentInfo:
    """A file kept with a record, without its bytes (`attachment_bytes` reads them)."""

    id: int
    filename: str
    mime: str
    size: int
    sha256: str
    voided: bool


def _info(row) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.filename, row.mime, row.size, row.sha256, bool(row.voided))


def attachments(session, kind: str, record_id: int, include_voided: bool = False) -> list[AttachmentInfo]:
    """The files of one record of the reader's canteen, oldest first; voided ones only if asked."""
    return [_info(row) for row in attachment_service.attachments_of_record(session, kind, record_id, include_voided)]


def attachment_info(session, attachment_id: int) -> AttachmentInfo:
    """One attachment of the reader's canteen (NotFound otherwise)."""
    return _info(attachment_service.site_attachment(session, attachment_id))


def attachment_bytes(session, attachment_id: int) -> bytes:
    """The stored bytes of one attachment of the reader's canteen, checked against their hash."""
    return attachment_service.data_for(session, attachment_id)


def attachment_name(session, attachment_id: int) -> str:
    """The stored file name without any folder part, fit to save the bytes under."""
    return PurePath(attachment_service.site_attachment(session, attachment_id).filename).name
