"""Date and time columns that read back quickly: ISO text parsed with fromisoformat.

peewee parses stored dates with strptime over a list of formats, which was most of the time an
archive or a year of findings spent reading; the stored text and column types are unchanged."""

from __future__ import annotations

import datetime as dt

import peewee


class MomentField(peewee.DateTimeField):
    """A moment (stored in UTC)."""

    def adapt(self, value):
        if value and isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                return super().adapt(value)
        return value


class DayField(peewee.DateField):
    """A calendar day."""

    def adapt(self, value):
        if value and isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return super().adapt(value)
        if isinstance(value, dt.datetime):
            return value.date()
        return value
