"""Find the rows of a damaged database that can no longer be read, by table and row id.

Some damage passes SQLite's structural check: a flipped byte inside a record's text makes it
invalid UTF-8, inside a stored date or amount makes it unparseable. Reading such a row fails
wherever it happens (verify, check, an export). When a reader fails that way, this scan says
exactly where, so the user is told "table, row id, cause" rather than "unexpected error".
It reads every row, so it runs only after a read has failed.
"""

from __future__ import annotations

import decimal
import sqlite3
from dataclasses import dataclass

import peewee

from ..db import current
from ..models import all_tables

# What reading a damaged row raises: the driver (bad UTF-8, a malformed page) or a field's
# conversion of what the driver returned (a date, a number that no longer parses).
READ_FAULTS = (peewee.DatabaseError, sqlite3.DatabaseError, ValueError, TypeError, OverflowError,
               decimal.InvalidOperation)
CHUNK = 500
MAX_REPORTED = 100


@dataclass(frozen=True)
class Damage:
    table: str
    row_id: int | None  # None: the table itself could not be read
    cause: str

    @property
    def where(self) -> str:
        return f"{self.table} #{self.row_id}" if self.row_id is not None else f"{self.table} (whole table)"


def unreadable_rows(limit: int = MAX_REPORTED) -> list[Damage]:
    """Every row (up to `limit`) of every canteen table that cannot be read and converted."""
    found: list[Damage] = []
    for model in all_tables():
        found.extend(_scan_table(model))
        if len(found) >= limit:
            return found[:limit]
    return found


def _scan_table(model) -> list[Damage]:
    table = model._meta.table_name
    key = model._meta.primary_key.column_name
    try:
        ids = [r[0] for r in current().execute_sql(f'SELECT "{key}" FROM "{table}" ORDER BY "{key}"').fetchall()]
    except READ_FAULTS as exc:
        return [Damage(table, None, _cause(exc))]
    damage: list[Damage] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        try:
            _read_rows(model, chunk)
        except READ_FAULTS:
            damage.extend(_locate(model, chunk))
    return damage


def _read_rows(model, ids: list) -> None:
    """Read and convert the rows with these ids the way the program does (field by field)."""
    fields = model._meta.sorted_fields
    table, key = model._meta.table_name, model._meta.primary_key.column_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([current().param] * len(ids))
    rows = current().execute_sql(f'SELECT {columns} FROM "{table}" WHERE "{key}" IN ({marks})', ids).fetchall()
    for row in rows:
        for fld, value in zip(fields, row):
            fld.python_value(value)
            if isinstance(value, bytes) and isinstance(fld, (peewee.CharField, peewee.TextField)):
                value.decode("utf-8")


def _locate(model, ids: list) -> list[Damage]:
    damage = []
    for row_id in ids:
        try:
            _read_rows(model, [row_id])
        except READ_FAULTS as exc:
            damage.append(Damage(model._meta.table_name, row_id, _cause(exc)))
    return damage


def _cause(exc: BaseException) -> str:
    """The driver's reason, without the undecodable bytes it quotes."""
    text = " ".join(str(exc).split()).split(" with text ")[0]
    return text[:120] or type(exc).__name__
