"""The one reading of a typed number, shared by the forms, the importer and the command line.

A canteen's numbers arrive from a Chinese input method (full-width ０-９, "，" and "．"), from
Excel in either locale, and from people who write a decimal comma. The same text must give the
same value wherever it is typed, and a text that could mean two values is refused rather than
guessed: "12,5" is 12.5 in one habit and 125 in another, so it is refused with the spelling to
use, while "1,234.5" and "12,345" (commas that group thousands) are read as written.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import CanteenError

_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+", re.ASCII)  # 12,5 or 0,25: a comma where a point was meant, or a group
_DIGITS = frozenset("0123456789")
_CURRENCY = ("¥", "元")  # what people write around an amount of yuan (full-width ￥ reads as ¥)


class NotANumber(CanteenError):
    """A text that is not one number; `en`/`zh` say why without naming the field (the caller does)."""


def normal_text(text: str) -> str:
    """Full-width digits, signs, comma and point as their ASCII selves; surrounding spaces dropped.

    NFKC does this for the characters a Chinese input method types (０-９, ，, ．, －, ＋, the
    ideographic space); other digit scripts are left for the pattern to refuse."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_number(value: Any, currency: bool = False) -> Decimal:
    """The exact Decimal a typed value stands for, or NotANumber saying why not.

    Accepts int, Decimal, a float (by its shortest spelling, so 0.1 is 0.1) and text. Text may
    use full-width characters, commas that group thousands, and (with `currency`) a ¥ or 元."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise NotANumber("must be a number" + ("" if value is None else f", not {_shown_type(value)}"), "必须是数字")
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise NotANumber("must be a finite number", "必须是有限的数字")
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return _finite(value)
    return _finite(_parse_text(value, currency))


def _parse_text(typed: str, currency: bool) -> Decimal:
    text = normal_text(typed)
    if currency:
        text = _without_currency(text)
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    if _GROUPED.fullmatch(text):
        return Decimal(text.replace(",", ""))
    raise _why_not(typed, text)


def _without_currency(text: str) -> str:
    for mark in _CURRENCY:
        text = text.removeprefix(mark).removesuffix(mark).strip()
    return text


def _why_not(typed: str, text: str) -> NotANumber:
    """The refusal that tells the user what to write instead, where a number was clearly meant."""
    shown = _shown(typed)
    if _DECIMAL_COMMA.fullmatch(text):
        meant = text.replace(",", ".")
        return NotANumber(f"'{shown}' is ambiguous — write {meant}", f"“{shown}”有歧义，请写作 {meant}")
    if text and set(text) <= _DIGITS | set("+-.,") and any(c in _DIGITS for c in text):
        if text.count(".") > 1 and "," not in text:
            return NotANumber(f"'{shown}' is not a number: it has more than one decimal point",
                              f"“{shown}”不是数字：小数点多于一个")
        return NotANumber(f"'{shown}' is ambiguous — commas may only group thousands, as in 1,234.5",
                          f"“{shown}”有歧义：逗号只能用于千位分隔，如 1,234.5")
    return NotANumber(f"must be a number, not '{shown}'", f"必须是数字，不能是“{shown}”")


def _finite(number: Decimal) -> Decimal:
    if not number.is_finite():
        raise NotANumber("must be a finite number", "必须是有限的数字")
    return number


def _shown(text: str, limit: int = 40) -> str:
    """A typed value as a message shows it: short, so a pasted page does not become the message."""
    text = str(text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown_type(value: Any) -> str:
    return type(value).__name__


def number_or_none(value: Any) -> Decimal | None:
    """The number, or None where there is none (for live hints that must not raise while typing)."""
    try:
        return parse_number(value)
    except (NotANumber, InvalidOperation):
        return None


def plain_text(value: float | int | Decimal) -> str:
    """A number as people write it: 12, 12.5, 13800138000 — never 1.38e+10 or 12.0."""
    number = parse_number(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")
