"""The record list of one type, read a block at a time: what the desk's paged table shows.

The table over a million deliveries must open and filter as fast as over ten, so the list is
read as the query's COUNT, its ORDER BY and WHERE, and blocks of 500 raw tuples in column order
(no model instance is made per row). These functions used to live in the desk's table model
(`ui/models/records.py`), which built peewee expressions itself; it now asks here, passing the
session, so a reader only ever sees the records of their own canteen.

A search does not scan: it looks in each kind's search index (`models/search.py`: FTS5 trigram
on SQLite, pg_trgm on PostgreSQL), its first block in entry order comes along the index before
the count is known, and the orders the desk offers on a large table follow an index.
"""

from __future__ import annotations

import datetime as dt
import functools
from array import array
from dataclasses import dataclass, field

import peewee

from .. import db, fieldtypes
from ..fields import Spec
from ..models import MODELS, Record, Signature, Site, search
from .kinds import record_type
from .rows import titles
from .scope import scope_of

BLOCK = 500


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
    """The search text (names, people, numbers, choice labels in either language), the names of
    the records referred to, the record number: `id IN` the union of what each finds along an
    index, so that neither a count nor a block scans the table. On PostgreSQL the parts are
    joined by OR instead: its planner then walks the primary key for a common word (first rows at
    once) and ORs the bitmaps of the trigram and reference indexes for a rare one."""
    if not isinstance(db.current(), peewee.SqliteDatabase):
        cond = _text_condition(m, text)
        for part in [_reference_ids_listed(ref) for ref in _reference_matches(m, text)] + ([m.id == int(text)] if text.isdigit() else []):
            if part is not None:
                cond |= part
        return cond
    parts = [_text_ids(m, text)] + [m.select(m.id).where(cond) for cond in _reference_matches(m, text)]
    if text.isdigit():
        parts.append(m.select(m.id).where(m.id == int(text)))
    sql, params = [], []
    for part in parts:
        if not isinstance(part, peewee.SQL):
            part = peewee.SQL(*db.current().get_sql_context().sql(part).query())
        sql.append(part.sql)
        params.extend(part.params or ())
    return _within(m.id, peewee.SQL(" UNION ".join(sql), params))


def _within(column: peewee.Field, ids: peewee.SQL) -> peewee.Expression:
    """`column IN (ids)` for a subquery written as SQL."""
    return column.in_(peewee.SQL(f"({ids.sql})", ids.params))


LISTED_REFERENCES = 1000


def _reference_ids_listed(condition: peewee.Expression) -> peewee.Expression | None:
    """`ref IN (subquery)` as `ref IN (1, 2, ...)` when few records are referred to (None when
    none is): a subquery in an OR keeps PostgreSQL's planner from using the trigram index."""
    ids = [row[0] for row in condition.rhs.limit(LISTED_REFERENCES + 1).tuples()]
    if not ids:
        return None
    return condition if len(ids) > LISTED_REFERENCES else condition.lhs.in_(ids)


def _reference_matches(m: type[Record], text: str) -> list[peewee.Expression]:
    """A delivery is found by its supplier's name: the referenced records whose search text holds
    the words (through their own index) and whose name (first text field) does."""
    parts = []
    for spec in m.FIELDS:
        if not spec.type.reference:
            continue
        target = MODELS[spec.ref]
        first = next((s for s in getattr(target, "FIELDS", ()) if s.type.single_line), None)
        if first is not None:
            found = (_within(target.id, _text_ids(target, text)) if isinstance(db.current(), peewee.SqliteDatabase)
                     else _text_condition(target, text))
            ids = target.select(target.id).where(found & (getattr(target, first.name) ** f"%{text}%"))
            parts.append(getattr(m, spec.name).in_(ids))
    return parts


def _text_condition(m: type[Record], text: str) -> peewee.SQL:
    """PostgreSQL: the row's search text holds `text`, as the expression its trigram index is on
    (a scan where pg_trgm could not be made)."""
    return peewee.SQL(f"({search.body_sql(m, sqlite=False)}) ILIKE %s", [_like_pattern(text)])


def _text_ids(m: type[Record], text: str) -> peewee.SQL:
    """SQLite: the ids of records whose search text holds `text`, from the FTS5 trigram index; a
    word under three characters through the indexed trigrams that begin with it."""
    database = db.current()
    table = m._meta.table_name
    expression = _fts_expression(database, m, text)
    if expression is None:
        return peewee.SQL(f'SELECT "id" FROM "{table}" WHERE 0')
    index = search.search_table(m)
    return peewee.SQL(f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH ?', [expression])


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts_expression(database: peewee.Database, m: type[Record], text: str) -> str | None:
    """The MATCH expression for `text`: the text as a phrase of trigrams when it has three
    characters or more; otherwise any of the indexed trigrams that begin with it, read from the
    index's vocabulary (None when there is none: nothing matches)."""
    if len(text) >= 3:
        return _phrase(text)
    vocabulary = f"{search.search_table(m)}_vocabulary"
    database.execute_sql(f'CREATE VIRTUAL TABLE IF NOT EXISTS temp."{vocabulary}" '
                         f"USING fts5vocab(main, \"{search.search_table(m)}\", 'row')")
    folded = text.lower()
    rows = database.execute_sql(f'SELECT term FROM temp."{vocabulary}" WHERE term >= ? AND term < ?',
                                (folded, folded + chr(0x10FFFF))).fetchall()
    return " OR ".join(_phrase(r[0]) for r in rows) or None


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


def at_most(kind: str) -> int:
    """An upper bound of the records of the type the reader can see, along the primary key alone
    (its highest and lowest number, two index look-ups): never a scan, whatever the table's size.
    Tells a small table (count it at once) from a large one (show its first rows, count behind)."""
    table = _model(kind)._meta.table_name
    # two subqueries: SQLite reads MIN or MAX along an index only when it is the query's one aggregate
    low, high = db.current().execute_sql(f'SELECT (SELECT MIN("id") FROM "{table}"), '
                                         f'(SELECT MAX("id") FROM "{table}")').fetchone()
    return 0 if high is None else high - low + 1


def count(session, query: ListQuery) -> int:
    """How many records the search and day range match."""
    model = _model(query.kind)
    if (query.text and query.start is None and query.end is None and isinstance(db.current(), peewee.SqliteDatabase)
            and Site.select().count() == 1):
        # one canteen: count what the indexes found, without visiting a row of the table
        found = _search_condition(model, query.text).rhs
        return db.current().execute_sql(f"SELECT COUNT(*) FROM {found.sql} AS found", found.params).fetchone()[0]
    cond = _where(model, scope_of(session).site_id, query)
    return model.select(peewee.fn.COUNT(peewee.SQL("*"))).where(cond).scalar() or 0


def matching_ids(session, query: ListQuery) -> array:
    """The ids of every matching record in display order (may run on a worker thread)."""
    model = _model(query.kind)
    select = (model.select(model.id).where(_where(model, scope_of(session).site_id, query))
              .order_by(*_order(model, query)))
    cursor = db.current().execute(select)
    return array("q", (row[0] for row in cursor))


def sorts_fast(query: ListQuery) -> bool:
    """Whether the list's order follows an index (entry order, the event, the name column), so a
    block is read without sorting the matching rows first."""
    return _columns(query.kind)[query.sort_column].name in search.fast_sort_columns(_model(query.kind))


def first_rows_fast(query: ListQuery) -> bool:
    """Whether the first block of this query comes straight from an index, before its count is
    known: a search in entry order, or no search or days in an indexed order."""
    if not query.text:
        return query.start is None and query.end is None and sorts_fast(query)
    return query.sort_column == 0


def fetch_block(session, query: ListQuery, block: int, ids: array | None = None,
                known_titles=frozenset(), count: int | None = None) -> Block:
    """One block of 500 rows, with the names of what they refer to and their signed versions.

    Without `ids`, the block is `LIMIT 500 OFFSET n` of the query's order (read from the other
    end when it lies in the second half of `count` rows, so the end of a sorted million is as
    near as its start); with the ordered ids of `matching_ids`, it is those ids' rows. Titles
    already in `known_titles` ((model name, id) pairs the caller holds) are not read again."""
    model = _model(query.kind)
    site_id = scope_of(session).site_id
    if ids is not None:
        wanted = list(ids[block * BLOCK:(block + 1) * BLOCK])
        select = model.select(*_fields(model, query.kind)).where(model.id.in_(wanted) & (model.site == site_id))
        found = {r[0]: r for r in db.current().execute(select)}
        rows = [found[i] for i in wanted if i in found]
    elif count is not None and 2 * block * BLOCK >= count:
        rows = _block_from_the_end(model, site_id, query, block, count)
    else:
        rows = _search_block(model, site_id, query, block)
        if rows is None and not query.text:
            rows = _ordered_rows(model, site_id, query, BLOCK, block * BLOCK)
        elif rows is None:
            select = (model.select(*_fields(model, query.kind)).where(_where(model, site_id, query))
                      .order_by(*_order(model, query)).limit(BLOCK).offset(block * BLOCK))
            rows = list(db.current().execute(select))
    return Block(rows, _block_titles(session, query.kind, rows, known_titles), _signed_versions(query.kind, rows))


def _block_from_the_end(model: type[Record], site_id: int, query: ListQuery, block: int, count: int) -> list[tuple]:
    reverse = ListQuery(query.kind, query.text, query.start, query.end, query.sort_column, not query.descending)
    end = min(count, (block + 1) * BLOCK)
    if not query.text:
        return _ordered_rows(model, site_id, reverse, end - block * BLOCK, count - end)[::-1]
    select = (model.select(*_fields(model, query.kind)).where(_where(model, site_id, reverse))
              .order_by(*_order(model, reverse)).limit(end - block * BLOCK).offset(count - end))
    return list(db.current().execute(select))[::-1]


def _ordered_rows(model: type[Record], site_id: int, query: ListQuery, limit: int, offset: int) -> list[tuple]:
    """`limit` rows from `offset` of a list without search text, in its order: one statement
    written out from the list's columns (the same SELECT through peewee costs more to build than
    the database takes to answer it, at every block)."""
    database, mark = db.current(), db.current().param
    where, params = f'"{model.site.column_name}" = {mark}', [site_id]
    for bound, op in ((query.start, ">="), (query.end, "<=")):
        if bound is not None:
            where += f' AND "{model.day.column_name}" {op} {mark}'
            params.append(model.day.db_value(bound))
    sql = (f'SELECT {_column_list(query.kind)} FROM "{model._meta.table_name}" WHERE {where} '
           f'ORDER BY {_order_sql(model, query)} LIMIT {mark} OFFSET {mark}')
    return list(database.execute_sql(sql, (*params, limit, offset)).fetchall())


@functools.cache
def _column_list(kind: str) -> str:
    model = _model(kind)
    return ", ".join(f'"{f.column_name}"' for f in _fields(model, kind))


def _order_sql(model: type[Record], query: ListQuery) -> str:
    column = getattr(model, _columns(query.kind)[query.sort_column].name).column_name
    direction = "DESC" if query.descending else "ASC"
    if column == "id":
        return f'"id" {direction}'
    return f'"{column}" {direction}, "id" {direction}'


def _search_block(model: type[Record], site_id: int, query: ListQuery, block: int) -> list[tuple] | None:
    """A block of a search in entry order on SQLite, read along the FTS index in rowid order (no
    matching set is built); None where the search also reaches referenced names or a number,
    or on PostgreSQL, where the planner walks the primary key with the indexed condition."""
    database = db.current()
    if (not query.text or query.sort_column != 0 or not isinstance(database, peewee.SqliteDatabase)
            or query.text.isdigit() or any(_has_rows(part) for part in _reference_matches(model, query.text))):
        return None
    expression = _fts_expression(database, model, query.text)
    if expression is None:
        return []
    table, index = model._meta.table_name, search.search_table(model)
    columns = ", ".join(f't."{c.column_name}"' for c in _fields(model, query.kind))
    days, params = "", [expression, site_id]
    for bound, op in ((query.start, ">="), (query.end, "<=")):
        if bound is not None:
            days += f' AND t."day" {op} ?'
            params.append(model.day.db_value(bound))
    direction = "DESC" if query.descending else "ASC"
    sql = (f'SELECT {columns} FROM "{index}" AS s JOIN "{table}" AS t ON t."id" = s.rowid '
           f'WHERE s."{index}" MATCH ? AND t."site_id" = ?{days} ORDER BY s.rowid {direction} LIMIT ? OFFSET ?')
    return list(database.execute_sql(sql, (*params, BLOCK, block * BLOCK)).fetchall())


def _has_rows(condition: peewee.Expression) -> bool:
    """Whether a reference condition (`ref IN (SELECT ...)`) can match at all."""
    return condition.rhs.exists()


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
    # written out: peewee would build an expression node for each of the 500 ids at every block
    database, table = db.current(), Signature._meta.table_name
    marks = ", ".join([database.param] * len(ids))
    sql = (f'SELECT "record_id", MAX("record_version") FROM "{table}" WHERE "record_kind" = {database.param} '
           f'AND "record_id" IN ({marks}) GROUP BY "record_id"')
    return dict(database.execute_sql(sql, [kind, *ids]).fetchall())
