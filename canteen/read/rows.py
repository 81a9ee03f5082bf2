"""A kept record, its references' names and its signatures, as plain values.

The desk and the documents used to hold peewee rows (`Record`, `Signature`) and follow their
attributes, each attribute access a possible query. What they get from here is read once, inside
the core, and filtered by the reader's site: a record of another canteen has no title and no
signatures, whatever its id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import NotFound
from ..integrity.signatures import STATE_LABELS, signature_states
from ..models import MODELS, REGISTRY, Record, Signature
from .kinds import record_type
from .scope import scope_of

CHUNK = 500  # ids per IN (...): well under every database's limit on bound parameters


@dataclass(frozen=True)
class RecordRow:
    """One version of a record: its bookkeeping, its field values and a short title.

    `values` holds every column by name (bookkeeping included); a reference keeps the raw id of
    the record it names (its title is one `titles` call away).
    """

    kind: str
    id: int
    version: int
    voided: bool
    void_reason: str | None
    late_reason: str | None
    day: dt.date
    occurred_at: dt.datetime
    entered_at: dt.datetime
    entered_by: int | None
    values: Mapping[str, Any]
    title: str

    def get(self, name: str, default: Any = None) -> Any:
        """The value of a column (a field or bookkeeping), `default` when the record has none."""
        return self.values.get(name, default)


def as_row(record: Record, language: str = "en", title: str | None = None) -> RecordRow:
    """A record the core has just read or written, as a plain row.

    The title is the record's own (`Record.title`, in `language`) unless the caller already
    knows it: a title whose first field is a reference costs a query.
    """
    data = dict(record.__data__)
    return RecordRow(kind=record.KIND, id=record.id, version=record.version, voided=bool(record.voided),
                     void_reason=record.void_reason, late_reason=record.late_reason, day=record.day,
                     occurred_at=record.occurred_at, entered_at=record.entered_at, entered_by=record.entered_by,
                     values=MappingProxyType(data), title=record.title(language) if title is None else title)


def _record_model(model_name: str) -> type[Record]:
    model = MODELS.get(model_name)
    if model is None or REGISTRY.get(model.KIND if hasattr(model, "KIND") else "") is not model:
        raise NotFound(f"Unknown record model {model_name!r}.", f"未知的记录模型“{model_name}”。")
    return model


def _chunks(ids) -> list[list[int]]:
    wanted = sorted({int(i) for i in ids if i is not None})
    return [wanted[i:i + CHUNK] for i in range(0, len(wanted), CHUNK)]


def titles(session, model_name: str, ids, language: str = "en") -> dict[int, str]:
    """Short names of records of one model (say the suppliers a list of deliveries refers to),
    one query per 500 ids; ids of another canteen, or of no record, are left out."""
    model = _record_model(model_name)
    site_id = scope_of(session).site_id
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        for rec in model.select().where(model.id.in_(chunk) & (model.site == site_id)):
            found[rec.id] = rec.title(language)
    return found


@dataclass(frozen=True)
class SignatureInfo:
    """One electronic signature over one version of a record."""

    signer_name: str
    signed_at: dt.datetime
    meaning: str
    record_version: int
    content_sha256: str


@dataclass(frozen=True)
class SignatureSummary:
    """Whether a record is signed: "unsigned", "signed" (a signature covers its current version)
    or "changed_after_signing"; with every signature, oldest first."""

    state: str
    version: int
    signatures: tuple[SignatureInfo, ...] = ()

    @property
    def current(self) -> tuple[SignatureInfo, ...]:
        """The signatures over the record's current version."""
        return tuple(s for s in self.signatures if s.record_version == self.version)

    @property
    def needs_signing_again(self) -> bool:
        return self.state == "changed_after_signing"

    def label(self, language: str = "en") -> str:
        return STATE_LABELS[self.state][1 if language.startswith("zh") else 0]


def summary_of(state) -> SignatureSummary:
    """An integrity `SignatureState` (which holds `Signature` rows) as plain values."""
    return SignatureSummary(state.state, state.version, tuple(
        SignatureInfo(s.signer_name, s.signed_at, s.meaning, s.record_version, s.content_sha256)
        for s in state.signatures))


def signature_summaries(session, kind: str, ids) -> dict[int, SignatureSummary]:
    """Signature states of the records among `ids` that carry any signature (absent means
    unsigned): first the signed ids of the reader's site, then their states, two queries each."""
    record_type(kind)  # NotFound for an unknown kind
    site_id = scope_of(session).site_id
    signed: list[int] = []
    for chunk in _chunks(ids):
        signed += [r for (r,) in Signature.select(Signature.record_id).distinct()
                   .where((Signature.record_kind == kind) & (Signature.site == site_id)
                          & Signature.record_id.in_(chunk)).tuples()]
    found: dict[int, SignatureSummary] = {}
    for chunk in _chunks(signed):
        found.update({i: summary_of(state) for i, state in signature_states(kind, chunk).items()})
    return found
