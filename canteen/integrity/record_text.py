"""Records as the audit trail holds them: each row of a table read straight from the database and
written as the canonical text canonical.content_hash hashes for the loaded record.

verify reads every record of the database, so a table is read a batch of rows at a time and its
text written column by column (canonical.RowTexts: each column's writer chosen once per table)
instead of through a model instance, a dict and a sorted dump per row. A value the column writers
do not cover (canonical.Irregular: what raw SQL may leave in a column) sends its batch the general
way, row by row, which gives the same text for every value the writers do cover.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterator

import peewee

from ..db import current
from .canonical import Irregular, RowTexts, column_of, day_column, dumps, moment_column, plain, scalar_column

BATCH = 2000


def converter(fld: peewee.Field) -> Callable | None:
    """Raw column value -> its canonical (plain) form as canonical.snapshot gives it for a loaded
    record; None where the raw value already is that form. fromisoformat is ~20x peewee's strptime."""
    if isinstance(fld, peewee.DateTimeField):
        return lambda v: None if v is None else plain(v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v))
    if isinstance(fld, peewee.DateField):
        return lambda v: None if v is None else plain(v if isinstance(v, dt.date) else dt.date.fromisoformat(v))
    if isinstance(fld, peewee.DecimalField):
        return lambda v: None if v is None else plain(fld.python_value(fld.db_value(fld.python_value(v))))
    if isinstance(fld, peewee.BooleanField):
        return fld.python_value
    if isinstance(fld, (peewee.BlobField, peewee.FloatField)):
        return lambda v: plain(fld.python_value(v))
    return None


def column_writer(fld: peewee.Field) -> Callable[[tuple], list[str]]:
    """How a column's raw values are written into the canonical text (see canonical.RowTexts)."""
    if isinstance(fld, peewee.DateTimeField):
        return moment_column
    if isinstance(fld, peewee.DateField):
        return day_column
    if isinstance(fld, peewee.BooleanField):
        return _truth_column
    convert = converter(fld)
    return scalar_column if convert is None else column_of(convert)


def _truth_column(values: tuple) -> list[str]:
    return ["null" if v is None else "true" if v else "false" for v in values]  # bool(v), as BooleanField reads


class TableText:
    """The canonical text of one table's rows, read as tuples of the model's columns."""

    def __init__(self, model: type[peewee.Model]):
        fields = list(model._meta.sorted_fields)
        self.names = [f.name for f in fields]
        self.columns = ", ".join(f'"{f.column_name}"' for f in fields)
        self.converters = [converter(f) for f in fields]
        self.later = frozenset(model.LATER_COLUMNS)  # left out while empty, as canonical.snapshot does
        self.rows = RowTexts({f.name: column_writer(f) for f in fields}, self.later)
        self.order = [self.names.index(name) for name in self.rows.keys]

    def texts(self, batch: list[tuple]) -> list[str]:
        """The text of each row of the batch: column by column, or row by row for a batch holding
        a value the column writers leave to dumps()."""
        if not batch:
            return []
        columns = list(zip(*batch))
        try:
            return self.rows.texts([columns[i] for i in self.order])
        except (Irregular, ValueError, TypeError, decimal.InvalidOperation):
            return [self.general_text(values) for values in batch]

    def general_text(self, values: tuple) -> str:
        """The text through a dict and dumps(); "" for a value no program of ours writes (it
        cannot match the trail)."""
        try:
            return dumps({n: c(v) if c else v for n, c, v in zip(self.names, self.converters, values)
                          if v is not None or n not in self.later})
        except (ValueError, TypeError, decimal.InvalidOperation):
            return ""


def record_batches(model: type[peewee.Model], site_id: int | None = None) -> Iterator[list[tuple[int, int, str]]]:
    """(id, version, canonical text) of each row of the model's table (of one canteen's, with
    `site_id`), a batch at a time."""
    table = TableText(model)
    database = current()
    only = "" if site_id is None else f' WHERE "site_id" = {database.param}'
    cursor = database.execute_sql(f'SELECT {table.columns} FROM "{model._meta.table_name}"{only}',
                                  () if site_id is None else (site_id,))
    id_at, version_at = table.names.index("id"), table.names.index("version")
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            return
        yield list(zip([values[id_at] for values in rows], [values[version_at] for values in rows], table.texts(rows)))
