"""The record list of one type, read a block at a time: what the desk's paged table shows.

The table over a million deliveries must open and filter as fast as over ten, so the list is
read as the query's COUNT, its ORDER BY and WHERE, and blocks of 500 raw tuples in column order
(no model instance is made per row). These functions used to live in the desk's table model
(`ui/models/records.py`), which built peewee expressions itself; it now asks here, passing the
session, so a reader only ever sees the records of their own canteen.
"""

from __future__ import annotations

import datetime as dt
import functools
from array import array
from dataclasses import dataclass, field

import peewee

from .. import fieldtypes
from ..fields import Spec
from ..models import MODELS, Record, Signature, Site
from .kinds import record_type
from .rows import titles
from .scope import scope_of

BLOCK = 500
NUMBER_LIKE = ("number", "batch_no", "invoice_no", "credit_code", "licence_no", "quarantine_cert_no")


@dataclass(frozen=True)
class ListColumn:
    """One column of the list: the database field behind it and the names of its header.

    `kind` is the field type ("text", "ref", "money"...) or, for bookkeeping, "int", "date",
    "datetime" or "bool"; a column of the record's own fields carries its `spec`.
    """

    name: str
    kind: str
    en: str
    zh: str
    spec: Spec | None = None

    def label(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en

    @property
    def type(self) -> fieldtypes.FieldType:
        """What the column's values are: how they read, align and size."""
        return fieldtypes.of(self.kind)


def list_columns(kind: str) -> list[ListColumn]:
    """The list's columns in order: number, the event, every field but a dict, version, voided.

    Raw tuples of a block come in exactly this order."""
    return list(_columns(kind))


@functools.cache
def _columns(kind: str) -> tuple[ListColumn, ...]:
    """Built once per kind: every block and every order asks for them."""
    rt = record_type(kind)
    cols = [ListColumn("id", "int", "No.", "编号")]
    if rt.event == "datetime":
        cols.append(ListColumn("occurred_at", "datetime", rt.event_en, rt.event_zh))
    elif rt.event == "date":
        cols.append(ListColumn("day", "date", rt.event_en, rt.event_zh))
    for spec in rt.fields:
        if spec.type.listed:
            cols.append(ListColumn(spec.name, spec.kind, spec.type.heading(spec.en), spec.type.heading(spec.zh), spec))
    cols.append(ListColumn("version", "int", "Version", "版本"))
    cols.append(ListColumn("voided", "bool", "Voided", "已作废"))
    return tuple(cols)


@dataclass(frozen=True)
class ListQuery:
    """What the list shows: search text, a day range and the order (a column index of
    `list_columns`, newest first by default)."""

    kind: str
    text: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    sort_column: int = 0
    descending: bool = True

    def is_plain(self) -> bool:
        """Entry order, no search, no dates: the cheap path along the primary key."""
        return self.sort_column == 0 and not self.text and self.start is None and self.end is None


@dataclass(frozen=True)
class Block:
    """One block of the list: raw tuples in column order, the titles of the records they refer
    to ((model name, id) -> title) and the highest signed version of each signed row."""

    rows: list[tuple]
    titles: dict[tuple[str, int], str] = field(default_factory=dict)
    signed: dict[int, int] = field(default_factory=dict)


def _model(kind: str) -> type[Record]:
    return MODELS[record_type(kind).model_name]


def _where(model: type[Record], site_id: int, query: ListQuery) -> peewee.Expression:
    cond = model.site == site_id
    if query.start is not None:
        cond &= model.day >= query.start
    if query.end is not None:
        cond &= model.day <= query.end
    if query.text:
        cond &= _search_condition(model, query.text)
    return cond


def _search_condition(m: type[Record], text: str) -> peewee.Expression:
    """Names, people, numbers, choice labels (either language), referenced names, the record number."""
    like = f"%{text}%"
    first_text = next((s.name for s in m.FIELDS if s.type.single_line), None)
    parts = [getattr(m, s.name) ** like for s in m.FIELDS
             if s.type.searchable_as_text and (s.suggest or s.name == first_text or s.name in NUMBER_LIKE
                                               or s.type.wide)]
    for spec in m.FIELDS:
        if spec.type.labelled:
            values = [v for v, en, zh in spec.choices if v and (text.lower() in en.lower() or text in zh)]
            if values:
                parts.append(getattr(m, spec.name).in_(values))
        elif spec.type.reference:
            target = MODELS[spec.ref]
            first = next((s for s in getattr(target, "FIELDS", ()) if s.type.single_line), None)
            if first is not None:
                ids = target.select(target.id).where(getattr(target, first.name) ** like)
                parts.append(getattr(m, spec.name).in_(ids))
    if text.isdigit():
        parts.append(m.id == int(text))
    if not parts:
        return m.id == -1
    cond = parts[0]
    for part in parts[1:]:
        cond |= part
    return cond


def _order(model: type[Record], query: ListQuery) -> list:
    column = getattr(model, _columns(query.kind)[query.sort_column].name)
    if query.descending:
        return [column.desc(), model.id.desc()]
    return [column.asc(), model.id.asc()]


def _fields(model: type[Record], kind: str) -> list:
    return [getattr(model, c.name) for c in _columns(kind)]


def total(session, kind: str) -> int:
    """Every record of the type in the reader's canteen, whatever the filter."""
    model = _model(kind)
    if Site.select().count() == 1:
        # one canteen in the database: every row is the reader's, and SQLite counts a table far
        # faster than it counts an index range
        return model.select(peewee.fn.COUNT(peewee.SQL("*"))).scalar() or 0
    site_id = scope_of(session).site_id
    return model.select(peewee.fn.COUNT(peewee.SQL("*"))).where(model.site == site_id).scalar() or 0


def count(session, query: ListQuery) -> int:
    """How many records the search and day range match."""
    model = _model(query.kind)
    cond = _where(model, scope_of(session).site_id, query)
    return model.select(peewee.fn.COUNT(peewee.SQL("*"))).where(cond).scalar() or 0


def matching_ids(session, query: ListQuery) -> array:
    """The ids of every matching record in display order (may run on a worker thread)."""
    model = _model(query.kind)
    select = (model.select(model.id).where(_where(model, scope_of(session).site_id, query))
              .order_by(*_order(model, query)))
    cursor = model._meta.database.execute(select)
    return array("q", (row[0] for row in cursor))


def fetch_block(session, query: ListQuery, block: int, ids: array | None = None,
                known_titles=frozenset()) -> Block:
    """One block of 500 rows, with the names of what they refer to and their signed versions.

    Without `ids`, the block is `LIMIT 500 OFFSET n` of the query's order; with the ordered ids
    of `matching_ids`, it is those ids' rows. Titles already in `known_titles` ((model name,
    id) pairs the caller holds) are not read again."""
    model = _model(query.kind)
    fields = _fields(model, query.kind)
    database = model._meta.database
    site_id = scope_of(session).site_id
    if ids is None:
        select = (model.select(*fields).where(_where(model, site_id, query)).order_by(*_order(model, query))
                  .limit(BLOCK).offset(block * BLOCK))
        rows = list(database.execute(select))
    else:
        wanted = list(ids[block * BLOCK:(block + 1) * BLOCK])
        select = model.select(*fields).where(model.id.in_(wanted) & (model.site == site_id))
        found = {r[0]: r for r in database.execute(select)}
        rows = [found[i] for i in wanted if i in found]
    return Block(rows, _block_titles(session, query.kind, rows, known_titles), _signed_versions(query.kind, rows))


def _block_titles(session, kind: str, rows: list[tuple], known) -> dict[tuple[str, int], str]:
    """Names of the records a block refers to (suppliers, staff, batches), one query per type."""
    found: dict[tuple[str, int], str] = {}
    for i, col in enumerate(_columns(kind)):
        if not col.type.reference:
            continue
        ref = col.spec.ref
        wanted = {r[i] for r in rows if r[i] is not None and (ref, r[i]) not in known and (ref, r[i]) not in found}
        if wanted:
            found.update({(ref, rid): title for rid, title in titles(session, ref, wanted).items()})
    return found


def _signed_versions(kind: str, rows: list[tuple]) -> dict[int, int]:
    """Which of a block's records are signed, and the highest version signed: one grouped query."""
    ids = [r[0] for r in rows]
    if not ids:
        return {}
    select = (Signature.select(Signature.record_id, peewee.fn.MAX(Signature.record_version))
              .where((Signature.record_kind == kind) & Signature.record_id.in_(ids))
              .group_by(Signature.record_id))
    return dict(select.tuples())
