"""Declarative field specifications: one line per field gives the column, the validation,
the bilingual label, and the form widget hint, so the core, the forms and the reports agree.

A record's services validate raw input (what a user typed or a script passed) through these
specs; anything impossible raises ValidationError naming the field, in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import re
from dataclasses import dataclass
from typing import Any

import peewee

from . import fieldtypes
from .errors import ValidationError
from .numbers import NotANumber, parse_number
from .timeutil import to_local, to_utc

Choices = tuple[tuple[str, str, str], ...]  # (value, English, Chinese)
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_TEXT = 500
MAX_ITEMS = 200  # entries in a list field (dishes, attendees)
MAX_MAPPING = 4000  # characters of a mapping field once stored as JSON
MAX_REF = 2**63 - 1  # the largest id a database column holds
FEN_PER_YUAN = fieldtypes.FEN_PER_YUAN
# Characters that reverse or hide the text around them: a name shown differently from how it is stored.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
# Control characters (C0 but tab and newline, DEL, C1), lone surrogates and direction overrides.
HIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(BIDI_CONTROLS)) + "]")


@dataclass(frozen=True)
class Spec:
    """One field of a record: its column, its limits and its labels."""

    name: str
    kind: str  # a `fieldtypes` name: text, longtext, int, decimal, money, date, datetime, choice, bool, ref, list, dict
    en: str
    zh: str
    required: bool = False
    minimum: Any = None
    maximum: Any = None
    exclusive_min: bool = False
    places: int = 2
    unit: str = ""
    choices: Choices = ()
    max_len: int = 200
    not_future: bool = False
    ref: str = ""  # model name for kind == "ref"
    default: Any = None
    suggest: bool = False  # offer completion from earlier entries
    hidden: bool = False  # computed by the service, not typed

    @functools.cached_property
    def type(self) -> fieldtypes.FieldType:
        """What its kind of field means: how it is stored, cleaned, typed and carried in a sheet
        (looked up once per spec: an import asks it for every cell)."""
        return fieldtypes.of(self.kind)

    def fail(self, en: str, zh: str) -> ValidationError:
        return ValidationError(self.name, en, zh, self.en, self.zh)

    def label(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en

    def choice_label(self, value: str, language: str) -> str:
        for v, en, zh in self.choices:
            if v == value:
                return zh if language.startswith("zh") else en
        return value or ""

    def column(self, models: dict[str, type]) -> peewee.Field:
        """The peewee column for this spec (nullable unless required), as its type stores it."""
        return self.type.column(self, models)

    # ---- cleaning -------------------------------------------------------------------------

    def clean(self, value: Any, tz: str, now: dt.datetime) -> Any:
        """Turn raw input into the stored value, or raise ValidationError naming this field."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.default is not None:  # a field left empty takes its stated default (unit kg, initial test)
                return self.default
            if self.required:
                raise self.fail("is required", "必须填写")
            return None
        return self._cleaner(value, tz, now)

    @functools.cached_property
    def _cleaner(self):
        """This type's cleaner (`FieldType.clean`), looked up once per spec: an import cleans every cell."""
        method = getattr(self, f"_clean_{self.type.name}")
        return method if self.type.needs_clock else (lambda value, tz, now: method(value))

    def _clean_text(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(f"must be text, not {type(value).__name__}", "必须是文字")
        value = value.strip()
        if len(value) > self.max_len:
            raise self.fail(f"is too long (at most {self.max_len} characters)", f"过长（最多 {self.max_len} 个字符）")
        if HIDDEN_CHARACTERS.search(value):
            raise self.fail("contains control characters", "含有控制字符")
        return value

    def _clean_longtext(self, value: Any) -> str:
        if isinstance(value, str):  # a paste from Windows brings CR LF; keep one kind of line end
            value = value.replace("\r\n", "\n")
        return Spec._clean_text(_with(self, max_len=max(self.max_len, 4000)), value)

    def _clean_choice(self, value: Any) -> str:
        allowed = [c[0] for c in self.choices]
        if not isinstance(value, str) or value not in allowed:
            raise self.fail(f"must be one of {', '.join(allowed)}, not {_shown(value)}",
                            f"必须是 {'、'.join(c[2] for c in self.choices)} 之一")
        return value

    def _clean_bool(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in ("yes", "true", "1", "是", "y"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("no", "false", "0", "否", "n"):
            return False
        raise self.fail(f"must be yes or no, not {value!r}", "必须是“是”或“否”")

    def _number(self, value: Any) -> decimal.Decimal:
        """The typed value as a number, read by the one parser the forms and the importer share."""
        try:
            number = parse_number(value)
        except NotANumber as exc:
            raise self.fail(exc.en, exc.zh) from None
        self._check_range(number)
        return number

    def yuan_as_fen(self, value: Any) -> int:
        """An amount typed in yuan ("12.50", "¥1,234.5", a spreadsheet's 0.1) as exact integer fen.

        Refused, never rounded, past two decimals: the form and the importer read "3.505" alike."""
        try:
            yuan = parse_number(value, currency=True)
        except NotANumber as exc:
            raise self.fail(exc.en, exc.zh) from None
        fen = yuan * FEN_PER_YUAN
        if fen != fen.to_integral_value():
            raise self.fail(f"has more than 2 decimals: {yuan} yuan", f"小数超过两位：{yuan} 元")
        if self.minimum is not None and fen < self.minimum:
            low = decimal.Decimal(self.minimum) / FEN_PER_YUAN
            raise self.fail(f"must be at least {low:.2f} yuan, not {yuan}", f"不能小于 {low:.2f} 元，不能是 {yuan}")
        if self.maximum is not None and fen > self.maximum:
            high = decimal.Decimal(self.maximum) / FEN_PER_YUAN
            raise self.fail(f"is too large: at most {high:.2f} yuan, not {yuan}", f"过大：最多 {high:.2f} 元，不能是 {yuan}")
        return int(fen)

    def _check_range(self, number: decimal.Decimal) -> None:
        lo, hi = self.minimum, self.maximum
        if lo is not None and (number < lo or (self.exclusive_min and number == lo)):
            word_en, word_zh = ("more than", "大于") if self.exclusive_min else ("at least", "不小于")
            raise self.fail(f"must be {word_en} {lo}{self.unit}, not {number}", f"必须{word_zh} {lo}{self.unit}，不能是 {number}")
        if hi is not None and number > hi:
            raise self.fail(f"is too large: at most {hi}{self.unit}, not {number}", f"过大：最多 {hi}{self.unit}，不能是 {number}")

    def _clean_decimal(self, value: Any) -> decimal.Decimal:
        number = self._number(value)
        stored = number.quantize(decimal.Decimal(1).scaleb(-self.places), rounding=decimal.ROUND_HALF_UP)
        self._check_range(stored)  # 0.0001 kg passes "more than 0" but is stored as 0.000
        return stored

    def _clean_int(self, value: Any) -> int:
        number = self._number(value)
        if number != number.to_integral_value():
            raise self.fail(f"must be a whole number, not {number}", f"必须是整数，不能是 {number}")
        return int(number)

    _clean_money = _clean_int  # integer fen

    def _clean_date(self, value: Any, tz: str, now: dt.datetime) -> dt.date:
        if isinstance(value, dt.datetime):  # an aware moment is a date where the canteen is
            value = (to_local(to_utc(value, tz), tz) if value.tzinfo else value).date()
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise self.fail(f"{_shown(value)} is not a real date (YYYY-MM-DD)",
                                f"“{_shown(value, quote=False)}”不是有效日期（年-月-日）") from None
        if not isinstance(value, dt.date):
            raise self.fail(f"must be a date, not {type(value).__name__}", "必须是日期")
        if not dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31):
            raise self.fail(f"{value} is outside 2000-2100", f"{value} 超出 2000–2100 年范围")
        if self.not_future and value > to_local(now + CLOCK_SKEW, tz).date():
            raise self.fail(f"{value} is in the future", f"{value} 是未来日期")
        return value

    def _clean_datetime(self, value: Any, tz: str, now: dt.datetime) -> dt.datetime:
        """Input is local wall-clock time; the stored value is UTC."""
        if isinstance(value, str):
            try:
                parse = dt.datetime.fromisoformat if _has_time(value) else dt.date.fromisoformat
                value = parse(value.strip())
            except ValueError:
                raise self.fail(f"{_shown(value)} is not a real date and time",
                                f"“{_shown(value, quote=False)}”不是有效的日期时间") from None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            raise self.fail("needs a time as well as a date", "需要填写时间")
        if not isinstance(value, dt.datetime):
            raise self.fail(f"must be a date and time, not {type(value).__name__}", "必须是日期时间")
        if not dt.datetime(2000, 1, 1) <= value.replace(tzinfo=None) < dt.datetime(2101, 1, 1):
            raise self.fail(f"{value} is outside 2000-2100", f"{value} 超出 2000–2100 年范围")
        utc = to_utc(value, tz)
        if value.tzinfo is None and to_local(utc, tz) != value:
            raise self.fail(f"{value:%Y-%m-%d %H:%M} does not exist on the local clock (the clocks changed)",
                            f"{value:%Y-%m-%d %H:%M} 在当地时间中不存在（时钟调整）")
        if self.not_future and utc > now + CLOCK_SKEW:
            raise self.fail(f"{value:%Y-%m-%d %H:%M} is in the future", f"{value:%Y-%m-%d %H:%M} 晚于当前时间")
        return utc

    def _clean_ref(self, value: Any) -> int:
        """An id: a whole number a database can hold (not yes/no, not 1.9, not infinity)."""
        if isinstance(value, peewee.Model):
            return value.get_id()
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_REF:
            raise self.fail(f"must name a record, not {_shown(value)}", "必须选择一条记录")
        return value

    def _clean_list(self, value: Any) -> str:
        if isinstance(value, str):
            value = [v.strip() for v in value.replace("，", ",").replace("、", ",").split(",")]
        if not isinstance(value, (list, tuple)):
            raise self.fail("must be a list", "必须是列表")
        items = [Spec._clean_text(_with(self, max_len=100), v) for v in value if not _blank(v)]
        if self.required and not items:
            raise self.fail("needs at least one entry", "至少填写一项")
        if len(items) > MAX_ITEMS:
            raise self.fail(f"has too many entries (at most {MAX_ITEMS})", f"项目过多（最多 {MAX_ITEMS} 项）")
        return json.dumps(items, ensure_ascii=False)

    def _clean_dict(self, value: Any) -> str:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise self.fail("is not valid JSON", "不是有效的 JSON") from None
        if not isinstance(value, dict):
            raise self.fail("must be a mapping", "必须是键值表")
        try:
            stored = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError):
            raise self.fail("holds values that are not plain text, numbers or yes/no", "含有无法保存的值") from None
        if len(stored) > MAX_MAPPING:
            raise self.fail(f"is too long (at most {MAX_MAPPING} characters)", f"过长（最多 {MAX_MAPPING} 个字符）")
        return stored


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _has_time(text: str) -> bool:
    """An ISO string with a time part ("2025-03-01 07:30" or "2025-03-01T07:30"), not a bare date."""
    return len(text.strip()) > 10 and text.strip()[10:11] in ("T", " ")


def _shown(value: Any, quote: bool = True, limit: int = 40) -> str:
    """A typed value as a message shows it: short, so a pasted page does not become the message."""
    text = repr(value) if quote else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _with(spec: Spec, **changes) -> Spec:
    from dataclasses import replace
    return replace(spec, **changes)


# ---- short constructors, so a record's field list reads like the paper form ----------------

def text(name, en, zh, **kw) -> Spec:
    return Spec(name, "text", en, zh, **kw)


def longtext(name, en, zh, **kw) -> Spec:
    return Spec(name, "longtext", en, zh, max_len=kw.pop("max_len", 4000), **kw)


def integer(name, en, zh, **kw) -> Spec:
    return Spec(name, "int", en, zh, **kw)


def number(name, en, zh, **kw) -> Spec:
    return Spec(name, "decimal", en, zh, **kw)


def money(name, en, zh, **kw) -> Spec:
    kw.setdefault("minimum", 0)
    kw.setdefault("maximum", 10**11)
    return Spec(name, "money", en, zh, unit=" fen", **kw)


def date(name, en, zh, **kw) -> Spec:
    return Spec(name, "date", en, zh, **kw)


def datetime(name, en, zh, **kw) -> Spec:
    return Spec(name, "datetime", en, zh, **kw)


def choice(name, en, zh, choices: Choices, **kw) -> Spec:
    return Spec(name, "choice", en, zh, choices=choices, max_len=40, **kw)


def flag(name, en, zh, **kw) -> Spec:
    kw.setdefault("default", False)
    return Spec(name, "bool", en, zh, **kw)


def ref(name, en, zh, model: str, **kw) -> Spec:
    return Spec(name, "ref", en, zh, ref=model, **kw)


def items(name, en, zh, **kw) -> Spec:
    return Spec(name, "list", en, zh, **kw)


def mapping(name, en, zh, **kw) -> Spec:
    return Spec(name, "dict", en, zh, **kw)


MEALS: Choices = (
    ("breakfast", "Breakfast", "早餐"),
    ("lunch", "Lunch", "午餐"),
    ("dinner", "Dinner", "晚餐"),
    ("other", "Other", "其他"),
)
