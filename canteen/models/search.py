"""The search index and the sort indexes of the record lists: derived data, never a record.

What a list search looks in is one text per record, its *search text*: the searched fields
(names, people, numbers, long text, lists) and the labels of its choices in both languages, each
followed by a separator (chr 31), with one more at the end. The index over it:

- SQLite: an FTS5 table `<table>_search` with the trigram tokenizer (rowid = record id), kept in
  step by triggers on the record table. Triggers were chosen over a hook in the services because
  every writer goes through them inside the writer's own statement and transaction: a create,
  an amendment, a void, the bulk `executemany` of an import, a schema step's audited fills, a
  copy by `migrate-to` or `receive`, even a raw insert by a benchmark. No path can forget it.
- PostgreSQL: a GIN index with `gin_trgm_ops` on the search text expression itself, which the
  server keeps in step with every write; it needs the `pg_trgm` extension. Where the extension
  cannot be created (no rights), the lists fall back to scanning, and the log says so once.

The trailing separators give every character of the text at least two followers, so every
occurrence of a one- or two-character word begins a trigram: a short word is found by the
trigrams that start with it (the read side looks them up in the FTS vocabulary).

Sort indexes: each kind's first text field (its name: supplier, item, dish...) and, for kinds
timed to the minute, `occurred_at`, each as (site, column, id). The event day already has
(site, day) and each reference its own index. Other columns are sorted only on short lists.

The index is not a record: it is not in the audit chain, `verify` does not read it, a backup
carries it, and a schema step that adds a searched column calls `install` again.
"""

from __future__ import annotations

import logging

import peewee

from ..fields import Spec
from .base import REGISTRY, Record

log = logging.getLogger("canteen")

SEPARATOR = chr(31)
NUMBER_LIKE = ("number", "batch_no", "invoice_no", "credit_code", "licence_no", "quarantine_cert_no")
TRIGRAM_EXTENSION = "pg_trgm"


def searched_fields(model: type[Record]) -> list[Spec]:
    """The fields whose text a search looks in: suggested names, the first text field, numbers,
    long text and lists, and every choice (by its labels)."""
    first_text = _first_text(model)
    return [s for s in model.FIELDS
            if s.type.labelled or (s.type.searchable_as_text and (s.suggest or s.name == first_text
                                                                   or s.name in NUMBER_LIKE or s.type.wide))]


def _first_text(model: type[Record]) -> str | None:
    """A record's name: its first single-line text field."""
    return next((s.name for s in model.FIELDS if s.type.single_line), None)


def sort_fields(model: type[Record]) -> list[str]:
    """Columns given a sort index of their own (the event day and references have one already)."""
    first_text = _first_text(model)
    names = [first_text] if first_text else []
    if model.EVENT == "datetime":
        names.append("occurred_at")
    return names


def fast_sort_columns(model: type[Record]) -> set[str]:
    """Columns the list can sort by along an index, whatever the table's size."""
    refs = {s.name for s in model.FIELDS if s.type.reference}
    return {"id", "day", *refs, *sort_fields(model)}


def search_table(model: type[Record]) -> str:
    return f"{model._meta.table_name}_search"


def _quote(text: str, sqlite: bool) -> str:
    """A string literal; on PostgreSQL with '%' doubled, as the driver reads the text for parameters."""
    quoted = "'" + text.replace("'", "''") + "'"
    return quoted if sqlite else quoted.replace("%", "%%")


def body_sql(model: type[Record], row: str = "", present: set[str] | None = None,
             sqlite: bool = True) -> str:
    """The search text as an SQL expression over the row (`row` prefix: "new." in a trigger).
    Only columns in `present` are used, so a step run before a later column exists still works."""
    sep = "char(31)" if sqlite else "chr(31)"
    parts = []
    for spec in searched_fields(model):
        if present is not None and spec.name not in present:
            continue
        column = f'{row}"{spec.name}"'
        if spec.type.labelled:
            cases = " ".join(f"WHEN {_quote(v, sqlite)} THEN {_quote(f'{en} {zh}', sqlite)}"
                             for v, en, zh in spec.choices if v)
            parts.append(f"(CASE {column} {cases} ELSE '' END)" if cases else "''")
        else:
            parts.append(f"coalesce({column}, '')")
    return " || ".join([f"{p} || {sep}" for p in parts] + [sep]) if parts else sep


def install(db: peewee.Database, models=None) -> None:
    """Create (or re-create) the search index and the sort indexes of every record kind (or of
    `models`: a schema step adding a record type builds only its own), and fill the index from
    the rows already there. Runs in the caller's transaction."""
    trigram = isinstance(db, peewee.SqliteDatabase) or _create_trigram_extension(db)
    for model in (REGISTRY.values() if models is None else models):
        present = {c.name for c in db.get_columns(model._meta.table_name)}
        if not present:  # a record type whose table a later schema step creates (and indexes)
            continue
        if isinstance(db, peewee.SqliteDatabase):
            _install_sqlite(db, model, present)
        elif trigram:
            _install_postgres(db, model, present)
        table = model._meta.table_name
        for name in sort_fields(model):
            if name in present:
                db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_sort_{name}" '
                               f'ON "{table}" ("site_id", "{name}", "id")')


def uninstall(db: peewee.Database) -> None:
    """Drop the search index (what a database before schema 4 looked like; tests use it)."""
    for model in REGISTRY.values():
        table, search = model._meta.table_name, search_table(model)
        if isinstance(db, peewee.SqliteDatabase):
            for event in ("insert", "update", "delete"):
                db.execute_sql(f'DROP TRIGGER IF EXISTS "{search}_{event}"')
            db.execute_sql(f'DROP TABLE IF EXISTS "{search}"')
        else:
            db.execute_sql(f'DROP INDEX IF EXISTS "{search}_trgm"')
        for name in sort_fields(model):
            db.execute_sql(f'DROP INDEX IF EXISTS "{table}_sort_{name}"')


def _install_sqlite(db: peewee.Database, model: type[Record], present: set[str]) -> None:
    table, search = model._meta.table_name, search_table(model)
    for event in ("insert", "update", "delete"):
        db.execute_sql(f'DROP TRIGGER IF EXISTS "{search}_{event}"')
    db.execute_sql(f'DROP TABLE IF EXISTS "{search}"')
    db.execute_sql(f'CREATE VIRTUAL TABLE "{search}" USING fts5(body, tokenize = \'trigram\')')
    db.execute_sql(f'INSERT INTO "{search}" (rowid, body) SELECT "id", {body_sql(model, "", present)} FROM "{table}"')
    new_body = body_sql(model, "new.", present)
    db.execute_sql(f'CREATE TRIGGER "{search}_insert" AFTER INSERT ON "{table}" BEGIN '
                   f'INSERT INTO "{search}" (rowid, body) VALUES (new."id", {new_body}); END')
    db.execute_sql(f'CREATE TRIGGER "{search}_update" AFTER UPDATE ON "{table}" BEGIN '
                   f'DELETE FROM "{search}" WHERE rowid = old."id"; '
                   f'INSERT INTO "{search}" (rowid, body) VALUES (new."id", {new_body}); END')
    db.execute_sql(f'CREATE TRIGGER "{search}_delete" AFTER DELETE ON "{table}" BEGIN '
                   f'DELETE FROM "{search}" WHERE rowid = old."id"; END')


def _install_postgres(db: peewee.Database, model: type[Record], present: set[str]) -> None:
    table, search = model._meta.table_name, search_table(model)
    db.execute_sql(f'DROP INDEX IF EXISTS "{search}_trgm"')
    db.execute_sql(f'CREATE INDEX "{search}_trgm" ON "{table}" '
                   f'USING gin (({body_sql(model, "", present, sqlite=False)}) gin_trgm_ops)')
    db.execute_sql(f'ANALYZE "{table}"')  # statistics of the new expression: the planner's choice depends on them


def _create_trigram_extension(db: peewee.Database) -> bool:
    """`pg_trgm` in this database, made here if need be: False (and one line in the log) where the
    user may not create it. A savepoint keeps the refusal from spoiling the surrounding transaction."""
    try:
        with db.atomic():
            db.execute_sql(f"CREATE EXTENSION IF NOT EXISTS {TRIGRAM_EXTENSION}")
        return True
    except peewee.DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        log.warning("search: the %s extension could not be created (%s); list searches will scan",
                    TRIGRAM_EXTENSION, first)
        return False
