"""A stable, versioned serialisation of records and audit entries, so hashes can be recomputed
years later by any program that follows these few rules: JSON, keys sorted, no spaces, UTF-8,
dates ISO 8601, decimals as strings, bytes as hex, references as ids."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Any, Callable

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


AS_IS = frozenset({str, int, bool, float, type(None)})  # values plain() returns unchanged


def snapshotter(model: type[peewee.Model]) -> Callable[[dict], dict[str, Any]]:
    """snapshot() for many rows of one model, each given as the column values a create writes
    (a column not given takes its default, as model(**values) would): the same dict, with the
    per-field decisions taken once per batch instead of once per cell."""
    later = set(getattr(model, "LATER_COLUMNS", ()))
    defaults = dict(model._meta._default_by_name)
    if model._meta._default_callable_list:
        raise TypeError(f"{model.__name__} has computed defaults; take snapshot() of each instance")
    plan = [(name, _plain_for(fld), name in later) for name, fld in model._meta.fields.items()]

    def snap(values: dict) -> dict[str, Any]:
        data = {}
        for name, convert, skip_empty in plan:
            raw = values[name] if name in values else defaults.get(name)
            if raw is None:
                if not skip_empty:
                    data[name] = None
            elif convert is None:
                data[name] = raw if type(raw) in AS_IS else plain(raw)
            else:
                data[name] = convert(raw)
        return data
    return snap


def _plain_for(fld: peewee.Field) -> Callable[[Any], Any] | None:
    """What snapshot() does to a field's non-empty value beyond plain() (None: nothing)."""
    if isinstance(fld, peewee.DecimalField):
        return lambda raw: plain(fld.python_value(fld.db_value(raw)))
    if isinstance(fld, (peewee.DateTimeField, peewee.DateField)):
        return lambda raw: plain(fld.python_value(raw) if isinstance(raw, str) else raw)
    return None


def dumps(data: Any) -> str:
    return _ENCODER.encode(data)


# json.dumps with these options, built once: verify encodes a quarter of a million values.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=plain)


def sha256_hex(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def content_hash(instance: peewee.Model) -> str:
    return sha256_hex(dumps(snapshot(instance)))
