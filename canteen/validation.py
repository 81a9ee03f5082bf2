"""Checks of identifiers whose last character is a check character (GB 32100-2015, GB 11643-1999)."""

from __future__ import annotations

import datetime as dt

from .timeutil import local_today

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def id_number_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


DIGITS = frozenset("0123456789")


def check_id_number(number: str) -> tuple[str, str] | None:
    """None if `number` is a citizen ID number (GB 11643-1999); else (English, Chinese) saying what is wrong.

    Eighteen characters: a 6-digit address code, the birth date YYYYMMDD, a 3-digit sequence
    number and a check character (0-9 or X) over the first seventeen.
    """
    number = number.strip().upper()
    if len(number) != 18:
        return (f"must have 18 characters, not {len(number)}", f"应为 18 位，实际 {len(number)} 位")
    if not set(number[:17]) <= DIGITS or number[17] not in DIGITS | {"X"}:
        return ("must be 17 digits and a check digit or X", "应为 17 位数字加 1 位校验码（数字或 X）")
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return (f"holds a birth date that does not exist ({number[6:14]})", f"出生日期不存在（{number[6:14]}）")
    if not dt.date(1900, 1, 1) <= born <= local_today():
        return (f"holds an impossible birth date ({born})", f"出生日期不合理（{born}）")
    if id_number_check_char(number[:17]) != number[17]:
        return ("ID number check character is wrong (GB 11643-1999)", "身份证号校验位错误（GB 11643-1999）")
    return None


def check_credit_code(code: str, individual: bool = False) -> tuple[str, str] | None:
    """None if valid; else (English, Chinese) saying what is wrong. Individuals may give an ID number.

    A credit code is 18 characters of 0-9 and A-Y without I, O, S, V, Z: the registering
    authority and the kind of body, a 6-digit administrative division code, a 9-character
    organisation code, and a check character over the first seventeen.
    """
    code = code.strip().upper()
    if len(code) != 18:
        return (f"must have 18 characters, not {len(code)}", f"应为 18 位，实际 {len(code)} 位")
    if individual and set(code[:17]) <= DIGITS:
        # Usually an ID number; a registered individual business may hold an all-digit credit code.
        as_id = check_id_number(code)
        return None if as_id is None or _credit_code_problem(code) is None else as_id
    return _credit_code_problem(code)


def _credit_code_problem(code: str) -> tuple[str, str] | None:
    if any(c not in CREDIT_CHARS for c in code):
        return ("contains characters a credit code cannot have (I, O, S, V, Z)", "含有统一社会信用代码不允许的字符")
    if not set(code[2:8]) <= DIGITS:
        return ("characters 3-8 must be the digits of an administrative division code",
                "第 3–8 位应为行政区划代码（数字）")
    if credit_code_check_char(code[:17]) != code[17]:
        return ("check character is wrong (GB 32100-2015)", "校验码错误（GB 32100-2015）")
    return None
