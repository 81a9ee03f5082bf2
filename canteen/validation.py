"""Checks of identifiers whose last character is a check character (GB 32100-2015, GB 11643-1999)."""

from __future__ import annotations

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def id_number_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def check_credit_code(code: str, individual: bool = False) -> tuple[str, str] | None:
    """None if valid; else (English, Chinese) saying what is wrong. Individuals may give an ID number."""
    code = code.strip().upper()
    if len(code) != 18:
        return (f"must have 18 characters, not {len(code)}", f"应为 18 位，实际 {len(code)} 位")
    if individual and code[:17].isdigit():
        if id_number_check_char(code[:17]) != code[17]:
            return ("ID number check character is wrong", "身份证号校验位错误")
        return None
    if any(c not in CREDIT_CHARS for c in code):
        return ("contains characters a credit code cannot have (I, O, S, V, Z)", "含有统一社会信用代码不允许的字符")
    if credit_code_check_char(code[:17]) != code[17]:
        return ("check character is wrong (GB 32100-2015)", "校验码错误（GB 32100-2015）")
    return None
