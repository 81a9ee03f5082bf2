"""One object per kind of field: how a value of it is stored, cleaned, shown in a form, and carried
in and out of a spreadsheet.

The spec (`canteen.fields.Spec`) says what one field of one record type is (its name, labels,
limits); its `kind` names one of the types here. What a *type* means used to be spelled out again
in every place that handled values, as a chain of `if spec.kind == "money"` (the column, the
cleaner, the form's editor and label, the record as form input, the sheet's hint, cell, drop-down
and reading back), and a new type meant finding them all. Now each place asks the type:
`of(spec.kind)` (or `spec.type`) gives its `FieldType`.

Showing a value is the type's too: the desk's table, the audit pane and the documents read a
stored value through `FieldType.show`, so a sum of money or a moment reads the same everywhere.

Plain data and pure functions: nothing here reads the database or knows Qt. The desk keeps its
own table of editor classes keyed by `FieldType.editor`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
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


# ---- how a stored value reads, per type -------------------------------------------------------

CHECK_WORDS = {True: ("OK", "合格"), False: ("Not OK", "不合格"), "ok": ("OK", "合格"),
               "pass": ("OK", "合格"), "fail": ("Not OK", "不合格")}


@dataclass(frozen=True)
class Reading:
    """Who reads a value and where: the site's zone, the language, how a referenced record is
    named (`titles(model name, id)`), and whether it sits in a table cell on screen, where numbers
    are grouped to the field's places and a "no" is left blank so the yeses stand out."""

    tz: str
    language: str
    titles: Callable[[str, int], str] | None
    in_table: bool

    @property
    def zh(self) -> bool:
        return self.language.startswith("zh")


def yuan(fen: int) -> str:
    """Integer fen as yuan with two places, grouped by thousands, exactly: 123456 → 1,234.56."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def _show_as_is(spec: Spec | None, stored: Any, r: Reading) -> str:
    return str(stored)


def _show_whole(spec: Spec | None, stored: Any, r: Reading) -> str:
    return f"{int(stored):,}" if r.in_table else str(stored)


def _show_decimal(spec: Spec | None, stored: Any, r: Reading) -> str:
    """On screen to the field's places (ties away from zero, as Qt rounds); on paper as few
    places as the value needs."""
    if r.in_table:
        places = spec.places if spec else 2
        return format(Decimal(str(stored)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), ",f")
    return format(stored.normalize(), "f") if hasattr(stored, "normalize") else str(stored)


def _show_day(spec: Spec | None, stored: Any, r: Reading) -> str:
    return stored.isoformat() if hasattr(stored, "isoformat") else str(stored)[:10]


def _show_moment(spec: Spec | None, stored: Any, r: Reading) -> str:
    """Site time to the minute; a raw row may hold the moment as ISO text."""
    if isinstance(stored, str):
        stored = dt.datetime.fromisoformat(stored)
    if not hasattr(stored, "hour"):
        return str(stored)
    return to_local(stored, r.tz).strftime("%Y-%m-%d %H:%M")


def _show_yes_no(spec: Spec | None, stored: Any, r: Reading) -> str:
    if stored:
        return "是" if r.zh else "Yes"
    return "" if r.in_table else ("否" if r.zh else "No")


def _show_reference(spec: Spec | None, stored: Any, r: Reading) -> str:
    return r.titles(spec.ref, stored) if r.titles else f"#{stored}"


def _show_words(spec: Spec | None, stored: Any, r: Reading) -> str:
    try:
        return "、".join(json.loads(stored))
    except (ValueError, TypeError):
        return str(stored)


def _show_checklist(spec: Spec | None, stored: Any, r: Reading) -> str:
    """Each item by its label (the spec's choices), its verdict in words."""
    labels = {key: (zh if r.zh else en) for key, en, zh in spec.choices} if spec else {}
    parts = []
    for key, verdict in json.loads(stored).items():
        word = CHECK_WORDS.get(verdict) if isinstance(verdict, (bool, str)) else None
        parts.append(f"{labels.get(key, key)}：{verdict if word is None else word[r.zh]}")
    return "；".join(parts)


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
    shows: Callable[[Spec | None, Any, Reading], str] = _show_as_is
    numeric: bool = False           # a number: right-aligned in a table
    wide: bool = False              # free text or a list of words: a wide column, always searched
    searchable_as_text: bool = False  # a search term is looked for in its stored text
    single_line: bool = False       # a line of words; a record's first one is its name
    listed: bool = True             # a column of the record list (not a checklist)

    def show(self, spec: Spec | None, stored: Any, tz: str = "", language: str = "zh",
             titles: Callable[[str, int], str] | None = None, in_table: bool = False) -> str:
        """A stored value (or a raw row's) as the text a person reads; "" for none. `spec` may
        be None for a list's bookkeeping column (number, moment, version, voided)."""
        if stored is None or stored == "":
            return ""
        return self.shows(spec, stored, Reading(tz, language, titles, in_table))

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
    FieldType("text", _char, "text", sheet_in=_text_in, searchable_as_text=True, single_line=True),
    FieldType("longtext", _long, "longtext", sheet_in=_text_in, searchable_as_text=True, wide=True),
    FieldType("choice", _char, "choice", labelled=True,
              sheet_hint=lambda s: "可选 one of: " + "/".join(_choice_labels(s)),
              sheet_out=lambda s, raw, tz, names: s.choice_label(raw, "zh") if raw else "",
              sheet_in=lambda s, value, resolver: choice_value(s, value), sheet_labels=_choice_labels,
              shows=lambda s, raw, r: s.choice_label(raw, r.language)),
    FieldType("bool", lambda s, models: peewee.BooleanField(null=not s.required, default=s.default), "bool",
              shows_default=False, sheet_hint=lambda s: f"{YES}/{NO}",
              sheet_out=lambda s, raw, tz, names: YES if raw else NO, sheet_labels=lambda s: [YES, NO],
              shows=_show_yes_no),
    FieldType("int", _whole, "number", sheet_hint=lambda s: range_hint(s, whole=True), numeric=True,
              shows=_show_whole),
    FieldType("decimal", _decimal, "number", sheet_hint=range_hint,
              sheet_out=lambda s, raw, tz, names: Decimal(raw), numeric=True, shows=_show_decimal),
    FieldType("money", _whole, "money", in_yuan=True, shows_unit=False,
              sheet_hint=lambda s: "元，两位小数 yuan, 2 decimals",
              sheet_out=lambda s, raw, tz, names: (Decimal(raw) / FEN_PER_YUAN).quantize(Decimal("0.01")),
              sheet_in=lambda s, value, resolver: s.yuan_as_fen(value),  # the form's MoneyEditor reads yuan alike
              number_format="0.00", numeric=True, shows=lambda s, raw, r: yuan(int(raw))),
    FieldType("date", lambda s, models: DayField(null=not s.required), "date", needs_clock=True,
              sheet_hint=lambda s: "YYYY-MM-DD", sheet_in=_when_in, shows=_show_day),
    FieldType("datetime", lambda s, models: MomentField(null=not s.required), "datetime", needs_clock=True,
              stored_in_utc=True, sheet_hint=lambda s: "YYYY-MM-DD HH:MM",
              sheet_out=lambda s, raw, tz, names: local_seconds(raw, tz), sheet_in=_when_in, shows=_show_moment),
    FieldType("ref", _ref, "ref", reference=True, sheet_hint=lambda s: "名称或编号 name or id",
              sheet_out=lambda s, raw, tz, names: names.shown(s, raw),
              sheet_in=lambda s, value, resolver: resolver.resolve(s, value), shows=_show_reference),
    FieldType("list", _long, "list", stored_as_json=True, sheet_hint=lambda s: "用“、”分隔 separated by 、",
              sheet_out=lambda s, raw, tz, names: "、".join(json.loads(raw)), sheet_in=_text_in,
              searchable_as_text=True, wide=True, shows=_show_words),
    FieldType("dict", _long, "checklist", stored_as_json=True, sheet_hint=lambda s: "JSON", listed=False,
              shows=_show_checklist),
)}


def of(kind: str) -> FieldType:
    """The type named by a spec's `kind`; ValueError for a name no type has."""
    try:
        return TYPES[kind]
    except KeyError:
        raise ValueError(f"no field type {kind!r}") from None
