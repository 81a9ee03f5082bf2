"""One object per kind of field: how a value of it is stored, cleaned, shown in a form, and carried
in and out of a spreadsheet.

The spec (`canteen.fields.Spec`) says what one field of one record type is (its name, labels,
limits); its `kind` names one of the types here. What a *type* means used to be spelled out again
in every place that handled values, as a chain of `if spec.kind == "money"` (the column, the
cleaner, the form's editor and label, the record as form input, the sheet's hint, cell, drop-down
and reading back), and a new type meant finding them all. Now each place asks the type:
`of(spec.kind)` (or `spec.type`) gives its `FieldType`.

Plain data and pure functions: nothing here reads the database or knows Qt. The desk keeps its
own table of editor classes keyed by `FieldType.editor`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

import peewee

from .columns import DayField, MomentField
from .numbers import plain_text
from .timeutil import to_local

if TYPE_CHECKING:
    from .fields import Spec

FEN_PER_YUAN = Decimal(100)
YES, NO = "是", "否"
LOOSE_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                        r"(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.(\d{1,6}))?)?)?$")


# ---- sheet helpers (moved from the spreadsheet code) ------------------------------------------

def local_seconds(utc: dt.datetime | None, tz: str) -> dt.datetime | str:
    """A stored UTC moment as site time to the second, as a sheet shows it ("" for none)."""
    return to_local(utc, tz).replace(microsecond=0) if utc else ""


def iso_text(text: str) -> str:
    """2026/3/1 7:30 and 2026年3月1日 as ISO; anything else as typed, for the field to judge."""
    found = LOOSE_DATE.match(text)
    if not found:
        return text
    y, mo, d, h, mi, s, frac = found.groups()
    day = f"{y}-{int(mo):02d}-{int(d):02d}"
    if h is None:
        return day
    return f"{day} {int(h):02d}:{mi}:{s or '00'}" + (f".{frac.ljust(6, '0')}" if frac else "")


def number_as_text(value: Any) -> str:
    """A number Excel stored in a text column (a batch number, a phone) as the digits people typed."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return plain_text(value)
    return str(value)


def choice_value(spec: Spec, value: Any) -> str:
    """A choice cell as its code: the code itself, its Chinese label, or its English one."""
    text = str(value).strip()
    for code, en, zh in spec.choices:
        if text in (code, zh) or text.casefold() == en.casefold():
            return code
    labels = "/".join(zh for code, _en, zh in spec.choices if code)
    raise spec.fail(f"must be one of {labels}, not {text!r}", f"必须是 {labels} 之一，不能是“{text}”")


def range_hint(spec: Spec, whole: bool = False) -> str:
    """The template hint of a number: whole or not, and its limits."""
    low = "" if spec.minimum is None else (f"> {spec.minimum}" if spec.exclusive_min else f"≥ {spec.minimum}")
    high = "" if spec.maximum is None else f"≤ {spec.maximum}"
    return ", ".join(p for p in ("整数 whole number" if whole else "", low, high) if p)


def _choice_labels(spec: Spec) -> list[str]:
    return [zh for value, _en, zh in spec.choices if value]


# ---- what a sheet cell holds, per type (defaults) ---------------------------------------------

def _stored_as_is(spec: Spec, raw: Any, tz: str, names: Any) -> Any:
    return raw


def _typed_as_is(spec: Spec, value: Any, resolver: Any) -> Any:
    return value


def _text_in(spec: Spec, value: Any, resolver: Any) -> Any:
    return value if isinstance(value, str) else number_as_text(value)


def _when_in(spec: Spec, value: Any, resolver: Any) -> Any:
    return iso_text(value) if isinstance(value, str) else value


def _no_hint(spec: Spec) -> str:
    return ""


@dataclass(frozen=True)
class FieldType:
    """A kind of field. `editor` names the desk's editor for it; the flags say how its values are
    held (`stored_as_json`: JSON text, the form's input a list or dict; `stored_in_utc`: a moment;
    `reference`: another record's id; `in_yuan`: integer fen, typed and shown in yuan); the
    `sheet_*` functions carry a value to and from a spreadsheet cell."""

    name: str
    column: Callable[[Spec, dict], peewee.Field]
    editor: str
    needs_clock: bool = False       # cleaning needs the site's zone and now (dates and moments)
    stored_as_json: bool = False
    stored_in_utc: bool = False
    reference: bool = False
    in_yuan: bool = False
    labelled: bool = False          # shown by the label of its value (a choice)
    shows_unit: bool = True         # the spec's unit is shown beside it (money is in yuan already)
    shows_default: bool = True      # the template names its default (not a yes/no box)
    sheet_hint: Callable[[Spec], str] = _no_hint
    sheet_out: Callable[[Spec, Any, str, Any], Any] = _stored_as_is  # (spec, stored, zone, names) → cell
    sheet_in: Callable[[Spec, Any, Any], Any] = _typed_as_is         # (spec, cell, resolver) → input
    sheet_labels: Callable[[Spec], list[str]] | None = None          # the template's drop-down
    number_format: str | None = None

    def clean(self, spec: Spec, value: Any, tz: str, now: dt.datetime) -> Any:
        """A non-blank input through the spec's own cleaner for this type (`Spec._clean_<name>`)."""
        cleaner = getattr(spec, f"_clean_{self.name}")
        return cleaner(value, tz, now) if self.needs_clock else cleaner(value)

    def form_value(self, stored: Any, tz: str) -> Any:
        """A stored value as the form's input that would store it again (site time, a list...)."""
        if self.stored_in_utc and stored is not None:
            return to_local(stored, tz)
        if self.stored_as_json and stored:
            return json.loads(stored)
        return stored

    def heading(self, text: str) -> str:
        """A field's label for a person typing it: money is typed in yuan, not the fen it is kept in."""
        return text.replace("(fen)", "(yuan)").replace("（分）", "（元）") if self.in_yuan else text


def _char(spec: Spec, models: dict) -> peewee.Field:
    return peewee.CharField(max_length=max(spec.max_len, 32), null=not spec.required)


def _long(spec: Spec, models: dict) -> peewee.Field:
    return peewee.TextField(null=not spec.required)


def _whole(spec: Spec, models: dict) -> peewee.Field:
    return peewee.BigIntegerField(null=not spec.required)


def _decimal(spec: Spec, models: dict) -> peewee.Field:
    return peewee.DecimalField(max_digits=16, decimal_places=spec.places, auto_round=True, null=not spec.required)


def _ref(spec: Spec, models: dict) -> peewee.Field:
    return peewee.ForeignKeyField(models[spec.ref], null=not spec.required, on_delete="RESTRICT", index=True)


TYPES: dict[str, FieldType] = {t.name: t for t in (
    FieldType("text", _char, "text", sheet_in=_text_in),
    FieldType("longtext", _long, "longtext", sheet_in=_text_in),
    FieldType("choice", _char, "choice", labelled=True,
              sheet_hint=lambda s: "可选 one of: " + "/".join(_choice_labels(s)),
              sheet_out=lambda s, raw, tz, names: s.choice_label(raw, "zh") if raw else "",
              sheet_in=lambda s, value, resolver: choice_value(s, value), sheet_labels=_choice_labels),
    FieldType("bool", lambda s, models: peewee.BooleanField(null=not s.required, default=s.default), "bool",
              shows_default=False, sheet_hint=lambda s: f"{YES}/{NO}",
              sheet_out=lambda s, raw, tz, names: YES if raw else NO, sheet_labels=lambda s: [YES, NO]),
    FieldType("int", _whole, "number", sheet_hint=lambda s: range_hint(s, whole=True)),
    FieldType("decimal", _decimal, "number", sheet_hint=range_hint,
              sheet_out=lambda s, raw, tz, names: Decimal(raw)),
    FieldType("money", _whole, "money", in_yuan=True, shows_unit=False,
              sheet_hint=lambda s: "元，两位小数 yuan, 2 decimals",
              sheet_out=lambda s, raw, tz, names: (Decimal(raw) / FEN_PER_YUAN).quantize(Decimal("0.01")),
              sheet_in=lambda s, value, resolver: s.yuan_as_fen(value),  # the form's MoneyEditor reads yuan alike
              number_format="0.00"),
    FieldType("date", lambda s, models: DayField(null=not s.required), "date", needs_clock=True,
              sheet_hint=lambda s: "YYYY-MM-DD", sheet_in=_when_in),
    FieldType("datetime", lambda s, models: MomentField(null=not s.required), "datetime", needs_clock=True,
              stored_in_utc=True, sheet_hint=lambda s: "YYYY-MM-DD HH:MM",
              sheet_out=lambda s, raw, tz, names: local_seconds(raw, tz), sheet_in=_when_in),
    FieldType("ref", _ref, "ref", reference=True, sheet_hint=lambda s: "名称或编号 name or id",
              sheet_out=lambda s, raw, tz, names: names.shown(s, raw),
              sheet_in=lambda s, value, resolver: resolver.resolve(s, value)),
    FieldType("list", _long, "list", stored_as_json=True, sheet_hint=lambda s: "用“、”分隔 separated by 、",
              sheet_out=lambda s, raw, tz, names: "、".join(json.loads(raw)), sheet_in=_text_in),
    FieldType("dict", _long, "checklist", stored_as_json=True, sheet_hint=lambda s: "JSON"),
)}


def of(kind: str) -> FieldType:
    """The type named by a spec's `kind`; ValueError for a name no type has."""
    try:
        return TYPES[kind]
    except KeyError:
        raise ValueError(f"no field type {kind!r}") from None
