"""Where the period rules get a period's records: plain rows read by statements written once.

A rule asks `period.rows(Delivery, "id day item", order="occurred_at")`: the standing records of
the period's site whose event day falls in the period, as light named tuples with those columns,
in that order. The statement for each such question is written out once per process (peewee
spent more time writing a statement than the server took to answer it), and only the site and
the days are bound each time.

A district asks the same questions of a hundred canteens over the same days: `SiteRecords`
answers them for every canteen at once (`site_id IN (…)`), one statement per question for the
whole district instead of one per canteen, and hands each canteen its own rows. The rows are
the same either way; only the number of round trips differs.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from decimal import Decimal

import peewee

ROW_TYPES: dict[tuple, type] = {}

# Columns whose values both drivers already hand back as the Python values the rules compare
# (peewee's per-value conversion of them is a function call per cell and nothing else).
AS_FETCHED = (peewee.AutoField, peewee.IntegerField, peewee.CharField, peewee.TextField, peewee.ForeignKeyField)


def _as_datetime(value):
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def _as_date(value):
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def as_number(value: Decimal) -> Decimal:
    """PostgreSQL returns a NUMERIC with its column's scale (7.0), SQLite the shortest value (7)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def field_of(model, name: str):
    """The field a column name means (`staff_id` names a reference's id)."""
    fields = model._meta.fields
    return fields[name[:-3]] if name.endswith("_id") and name[:-3] in fields else fields[name]


def parser_of(field, typed: bool = False):
    """How a raw value of the column becomes what the rules compare (None: as fetched). `typed`:
    the driver hands back dates and moments as such (psycopg2; SQLite gives their text)."""
    if isinstance(field, (peewee.DateTimeField, peewee.DateField)) and typed:
        return None
    if isinstance(field, peewee.DateTimeField):
        return _as_datetime
    if isinstance(field, peewee.DateField):
        return _as_date
    if isinstance(field, peewee.DecimalField):
        return lambda value: as_number(field.python_value(value))
    if type(field) in AS_FETCHED or isinstance(field, peewee.ForeignKeyField):
        return None
    return field.python_value


def row_type(model, names: str) -> type:
    """One named tuple class per column list, made once (making one costs ~0.25 ms)."""
    found = ROW_TYPES.get((model, names))
    if found is None:
        found = ROW_TYPES[(model, names)] = namedtuple(f"{model.__name__}Row", names.split())
    return found


def plain(cursor_rows, model, names: str, skip: int = 0) -> list:
    """Raw rows as the rules' named tuples: the first `skip` values left out, the others parsed."""
    make = row_type(model, names)
    database = model._meta.database
    typed = not isinstance(getattr(database, "obj", database), peewee.SqliteDatabase)
    parsers = [parser_of(field_of(model, name), typed) for name in names.split()]
    if not any(parsers):
        return [make(*raw[skip:]) for raw in cursor_rows]
    return [make(*(parse(v) if parse and v is not None else v for parse, v in zip(parsers, raw[skip:])))
            for raw in cursor_rows]


def plain_rows(query, model, names: str) -> list:
    """The named columns of any peewee query of `model`, as the rules' named tuples, read straight
    from the cursor (for the few reads that are not a period's records of one site)."""
    columns = [field_of(model, name).alias(name) for name in names.split()]
    return plain(model._meta.database.execute(query.select(*columns)).fetchall(), model, names)


STATEMENTS: dict[tuple, str] = {}


def statement(model, names: str, order: str, by: str, many: int) -> str:
    """SELECT site, the named columns FROM the table WHERE standing, of the site (or of `many`
    sites) and with `by` (the event day, or another date column) in a range, ORDER BY site and
    `order`: written once per question and number of sites."""
    database = model._meta.database
    param, marks = database.param, database.quote
    key = (model, names, order, by, many, param)  # SQLite and PostgreSQL mark parameters differently
    text = STATEMENTS.get(key)
    if text is None:

        def quote(name: str) -> str:
            return f"{marks[0]}{name}{marks[1]}"
        column = {name: quote(field_of(model, name).column_name) for name in names.split()}
        column.update({name: quote(field_of(model, name).column_name) for name in order.split()})
        sites = f"= {param}" if many == 1 else f"IN ({', '.join([param] * many)})"
        on = quote(field_of(model, by).column_name)
        text = (f"SELECT {quote('site_id')}, {', '.join(column[n] for n in names.split())} "
                f"FROM {quote(model._meta.table_name)} WHERE {quote('voided')} = {param} "
                f"AND {quote('site_id')} {sites} AND {on} >= {param} AND {on} <= {param} "
                f"ORDER BY {quote('site_id')}, {', '.join(column[n] for n in order.split())}")
        STATEMENTS[key] = text
    return text


class SiteRecords:
    """Answers the period rules' questions for the canteens `site_ids` over one range of days,
    each question once for a batch of them (a district's rules over the same days); a single site
    is a district of one. A canteen's rows are let go once handed to it, and a batch holds at most
    `batch` canteens, so a district's month is never all in memory at once."""

    BATCH = 25

    def __init__(self, site_ids, batch: int = BATCH):
        self.site_ids = list(dict.fromkeys(site_ids))
        self.size = max(1, batch)
        self.place = {site: n for n, site in enumerate(self.site_ids)}
        self.answers: dict[tuple, dict[int, list]] = {}
        self.handed: set[tuple] = set()
        self._settings: dict[int, dict] = {}
        self._zones: dict[int, str] = {}

    def settings(self, site_id: int) -> dict:
        """The canteen's settings (read for every canteen at the first ask)."""
        if site_id not in self._settings:
            from .. import settings
            self._settings.update(settings.all_for_sites(self._batch(site_id)))
        return self._settings[site_id]

    def timezone(self, site_id: int) -> str:
        """The canteen's time zone (read for every canteen at the first ask)."""
        if site_id not in self._zones:
            from ..models import Site
            ids = self._batch(site_id)
            self._zones.update(Site.select(Site.id, Site.timezone).where(Site.id.in_(ids)).tuples())
            if site_id not in self._zones:
                raise Site.DoesNotExist(f"no canteen {site_id}")
        return self._zones[site_id]

    def _batch(self, site_id: int) -> list[int]:
        if site_id not in self.place:
            return [site_id]
        first = self.place[site_id] // self.size * self.size
        return self.site_ids[first:first + self.size]

    def shared(self, site_id: int, key: tuple, load):
        """The canteen's answer to the question `key`; `load(site_ids)` answers it for a batch of
        canteens at once, as a dict of each one's answer (asked again, read again: for that
        canteen alone)."""
        answer = self.answers.setdefault(key, {})
        if site_id not in answer:
            again = (key, site_id) in self.handed
            sites = [site_id] if again else [s for s in self._batch(site_id) if (key, s) not in self.handed]
            answer.update(load(sites))
        self.handed.add((key, site_id))
        return answer.pop(site_id)

    def rows(self, site_id: int, model, names: str, start: dt.date, end: dt.date, order: str = "id",
             by: str = "day") -> list:
        """The canteen's standing records of a type with `by` in start..end: the named columns, in
        `order`."""
        return self.shared(site_id, (model, names, order, by, start, end),
                           lambda sites: self._read(sites, model, names, start, end, order, by))

    def seals(self, site_id: int, start: dt.date, end: dt.date) -> dict[dt.date, dt.datetime]:
        """When each day of start..end was closed (日结), for the canteen."""
        from ..integrity.daily_close import seal_times
        return self.shared(site_id, ("seals", start, end), lambda sites: seal_times(sites, start, end))

    @staticmethod
    def _read(sites: list[int], model, names: str, start: dt.date, end: dt.date, order: str,
              by: str) -> dict[int, list]:
        database, day = model._meta.database, field_of(model, by)
        params = [model.voided.db_value(False), *sites, day.db_value(start), day.db_value(end)]
        raw = database.execute_sql(statement(model, names, order, by, len(sites)), params).fetchall()
        found: dict[int, list] = {site: [] for site in sites}
        for site, rows in _by_site(raw):
            found[site] = plain(rows, model, names, skip=1)
        return found


def _by_site(raw: list):
    """Rows ordered by their first value (the site) as (site, rows) runs."""
    start = 0
    for n in range(1, len(raw) + 1):
        if n == len(raw) or raw[n][0] != raw[start][0]:
            yield raw[start][0], raw[start:n]
            start = n
