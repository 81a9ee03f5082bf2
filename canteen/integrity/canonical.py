"""A stable, versioned serialisation of records and audit entries, so hashes can be recomputed
years later by any program that follows these few rules: JSON, keys sorted, no spaces, UTF-8,
dates ISO 8601, decimals as strings, bytes as hex, references as ids."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Sequence
from json.encoder import encode_basestring  # the string writer json uses without ensure_ascii (C)
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


class Irregular(Exception):
    """A value the direct writers below leave to dumps(): not text, a whole number, a truth or None."""


def json_scalar(value: Any) -> str:
    """dumps(value) for the values a database column usually returns as they are — text, whole
    numbers, truths, None — written directly; Irregular for any other value (then dumps() it).
    Exactly what the encoder writes for these types, so a text built from these pieces is the
    canonical text: verify builds a quarter of a million without a dict or a sort each."""
    kind = value.__class__
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    raise Irregular(value)


def moment_text(value: Any) -> str:
    """plain() of a moment read from a column: a datetime, or the ISO text SQLite returns (parsed
    as fromisoformat does, ValueError if it is not one); Irregular for anything else."""
    if value.__class__ is str:
        value = dt.datetime.fromisoformat(value)
    elif value.__class__ is not dt.datetime:
        raise Irregular(value)
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    text = value.isoformat()  # timespec="microseconds" spelled out costs twice this; the same text:
    return text if value.microsecond else text + ".000000"  # isoformat() leaves out only a zero fraction


def day_text(value: Any) -> str:
    """plain() of a calendar day read from a column (a date, or ISO text); Irregular otherwise."""
    if value.__class__ is str:
        return dt.date.fromisoformat(value).isoformat()
    if value.__class__ is dt.date:
        return value.isoformat()
    raise Irregular(value)


_STR, _INT, _NONE = frozenset({str}), frozenset({int}), type(None)


def scalar_column(values: tuple) -> Sequence:
    """json_scalar of each value of a column: one C-level pass when the column holds only text, or
    text and None, and none when it holds only whole numbers (RowTexts' "%s" writes an int as
    json does); value by value otherwise."""
    classes = set(map(type, values))
    if classes <= _STR:
        return list(map(encode_basestring, values))
    if classes <= _INT:
        return values
    if classes <= {str, _NONE}:
        return ["null" if v is None else encode_basestring(v) for v in values]
    return list(map(json_scalar, values))


def moment_column(values: tuple) -> list[str]:
    return ["null" if v is None else f'"{moment_text(v)}"' for v in values]  # ISO text: nothing to escape


def day_column(values: tuple) -> list[str]:
    return _once_each(values, lambda v: f'"{day_text(v)}"')


def column_of(convert: Callable[[Any], Any]) -> Callable[[tuple], list[str]]:
    """A column writer for values that take `convert` (None stays null) before json_scalar."""
    return lambda values: _once_each(values, lambda v: json_scalar(convert(v)))


def _once_each(values: tuple, write: Callable[[Any], str]) -> list[str]:
    """write(v) of each value of a column (None: null), each distinct value written once: a batch
    repeats its days, prices and quantities. Values are told apart by class and value, which is
    all the writers of days and numbers look at (moments are not written this way: two aware
    moments of one instant are equal, yet written apart, without their zones)."""
    written: dict = {None: "null"}
    out = []
    for v in values:
        key = (v.__class__, v) if v is not None else None
        json = written.get(key)
        if json is None:
            json = written[key] = write(v)
        out.append(json)
    return out


class RowTexts:
    """dumps() of many flat dicts with the same keys, each value written by its column's writer
    (above), a batch of rows at a time: each column written in one pass, then each row's text
    put together by one %-template of the keys in sorted order. A key in `omit_empty` is left out
    of a row where its value is None (as canonical.snapshot leaves out a later schema's column).
    A writer meeting a value it does not cover raises (Irregular, ValueError, TypeError): the
    caller then writes that batch row by row."""

    def __init__(self, writers: dict[str, Callable[[tuple], list[str]]], omit_empty: frozenset[str] = frozenset()):
        self.keys = sorted(writers)
        self.writers = [writers[k] for k in self.keys]
        self.omit_empty = omit_empty
        if self.keys[0] in omit_empty:
            raise ValueError("the first key (in sorted order) is always written")
        pieces = ["%s" if key in omit_empty else f'{"," if n else ""}{self._key(key)}:%s' for n, key in enumerate(self.keys)]
        self.template = "{" + "".join(pieces) + "}"

    @staticmethod
    def _key(key: str) -> str:
        return encode_basestring(key).replace("%", "%%")

    def texts(self, columns: list[tuple]) -> list[str]:
        """The text of each row; columns[n] holds every row's value for self.keys[n]."""
        written = []
        for key, write, values in zip(self.keys, self.writers, columns):
            json = write(values)
            if key in self.omit_empty:  # its key comes with its value, or neither does
                json = ["" if v is None else f",{encode_basestring(key)}:{j}" for v, j in zip(values, json)]
            written.append(json)
        return list(map(self.template.__mod__, zip(*written)))


def text_digests(texts: list[str]) -> list[str]:
    """sha256_hex of each text."""
    return [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]


def sha256_hex(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def content_hash(instance: peewee.Model) -> str:
    return sha256_hex(dumps(snapshot(instance)))
