"""A stable, versioned serialisation of records and audit entries, so hashes can be recomputed
years later by any program that follows these few rules: JSON, keys sorted, no spaces, UTF-8,
dates ISO 8601, decimals as strings, bytes as hex, references as ids."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Any

import peewee

FORMAT = 1


def plain(value: Any) -> Any:
    """A value as JSON-safe data with one spelling only."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, peewee.Model):
        return value.get_id()
    return value


def snapshot(instance: peewee.Model) -> dict[str, Any]:
    """Every column of a row, by column name, in canonical form (a column a later schema step
    added is left out while it is empty, so older audit entries and signatures still match)."""
    data = {}
    later = getattr(type(instance), "LATER_COLUMNS", ())
    for name, fld in instance._meta.fields.items():
        raw = instance.__data__.get(name)
        if raw is None and name in later:
            continue
        if isinstance(fld, peewee.DecimalField) and raw is not None:
            raw = fld.python_value(fld.db_value(raw))  # the value as the database will return it
        elif isinstance(fld, peewee.DateTimeField) and isinstance(raw, str):
            raw = fld.python_value(raw)
        elif isinstance(fld, peewee.DateField) and isinstance(raw, str):
            raw = fld.python_value(raw)
        data[name] = plain(raw)
    return data


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=plain)


def sha256_hex(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def content_hash(instance: peewee.Model) -> str:
    return sha256_hex(dumps(snapshot(instance)))
