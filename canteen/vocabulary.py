"""The words the program shows for what the core writes: audit actions and bookkeeping fields.

Each is defined here once, in both languages, and the desk, the documents and the command line
take their labels from here (the desk picks a language with `ui.i18n.pick`, the documents use
Chinese). Before this module three tables named the audit actions and disagreed; the wording
kept is the audit page's, so that page reads as before.

This module imports nothing from the program: it sits at the bottom of the ladder.
"""

from __future__ import annotations

# Every action the core writes into the audit trail: action -> (English, Chinese).
# `verify_password` writes "<action>-refused" while an account is locked or slowed down,
# for each of the failed-password actions passed to it (and its default, "password-failed").
ACTIONS: dict[str, tuple[str, str]] = {
    "create": ("Created", "新建"),
    "amend": ("Amended", "修改"),
    "void": ("Voided", "作废"),
    "sign": ("Signed", "签名"),
    "sign-failed": ("Wrong password (signing)", "签名时密码错误"),
    "sign-failed-refused": ("Signing refused (account locked or slowed)", "拒绝签名（账户锁定或限速）"),
    "login": ("Signed in", "登录"),
    "login-failed": ("Wrong password", "密码错误"),
    "login-failed-refused": ("Sign-in refused (account locked or slowed)", "拒绝登录（账户锁定或限速）"),
    "account-locked": ("Account locked", "账户锁定"),
    "password-failed": ("Wrong password (checking it)", "核对密码时密码错误"),
    "password-failed-refused": ("Password check refused (account locked or slowed)",
                                "拒绝核对密码（账户锁定或限速）"),
    "push-failed": ("Wrong password (pushing to the district)", "上报区县时密码错误"),
    "push-failed-refused": ("Push refused (account locked or slowed)", "拒绝上报（账户锁定或限速）"),
    "refused": ("Refused", "拒绝操作"),
    "setting-default": ("District default changed", "区县默认设置更改"),
    "attach": ("Attachment added", "添加附件"),
    "attach-void": ("Attachment voided", "附件已作废"),
    "key-issue": ("Signing key issued", "签发签名密钥"),
    "site-key": ("Canteen site key issued (for pushing to the district)", "签发食堂站点密钥（用于上报区县）"),
    "push-receive": ("Received from the canteen", "接收食堂上报"),
    "push-device-allowed": ("This computer allowed to push at each daily close", "允许本机在每日日结时自动上报"),
    "push-device-revoked": ("This computer no longer pushes at the daily close", "取消本机在日结时自动上报"),
    "password-change": ("Password changed", "修改密码"),
    "password-change-failed": ("Wrong password (changing it)", "修改密码时密码错误"),
    "password-change-failed-refused": ("Password change refused (account locked or slowed)",
                                       "拒绝修改密码（账户锁定或限速）"),
    "password-reset": ("Password reset", "重置密码"),
    "setting-update": ("Setting changed", "修改设置"),
    "site-update": ("Canteen details changed", "修改食堂信息"),
    "site-create": ("Canteen created", "创建食堂"),
    "site-login": ("Canteen's own database login granted", "设置食堂专用数据库登录名"),
    "user-create": ("User added", "添加用户"),
    "user-enable": ("User activated", "启用用户"),
    "user-disable": ("User deactivated", "停用用户"),
    "user-role": ("Role changed", "更改角色"),
    "export": ("Exported", "导出"),
    "import": ("Imported", "导入"),
    "restore": ("Database restored", "恢复数据库"),
    "close-with-open-cases": ("Day closed with open cases", "带未结整改事项日结"),
}

# Actions the audit page shows in red: someone was refused, locked out, or a record was voided.
ALERT_ACTIONS = frozenset({"refused", "login-failed", "account-locked", "void"})

# The columns every kept record has besides its own fields, in the order the audit page lists
# them after a record's fields: name -> (English, Chinese).
BOOKKEEPING: tuple[tuple[str, str, str], ...] = (
    ("day", "Date", "日期"),
    ("occurred_at", "Time of the event", "发生时间"),
    ("entered_at", "Entered at", "录入时间"),
    ("entered_by", "Entered by (user no.)", "录入人（用户编号）"),
    ("late_reason", "Reason for late entry", "补录原因"),
    ("version", "Version", "版本"),
    ("voided", "Voided", "作废"),
    ("void_reason", "Reason for voiding", "作废原因"),
    ("site", "Canteen no.", "食堂编号"),
    ("id", "Record no.", "记录编号"),
)
BOOKKEEPING_NAMES: tuple[str, ...] = tuple(name for name, _en, _zh in BOOKKEEPING)
# Bookkeeping moments stored in UTC (shown in the canteen's local time).
UTC_FIELDS: tuple[str, ...] = ("occurred_at", "entered_at")

_BOOKKEEPING_LABELS = {name: (en, zh) for name, en, zh in BOOKKEEPING}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language.startswith("zh") else pair[0]


def action_label(action: str, language: str = "en") -> str:
    """What an audit action is called in a language ("en", "zh", "zh_CN"); an unknown action
    (from a newer program, say) shows as it is stored."""
    pair = ACTIONS.get(action)
    return action if pair is None else _pick(pair, language)


def bookkeeping_label(name: str, language: str = "en") -> str:
    """What a bookkeeping column is called in a language; any other name shows as it is."""
    pair = _BOOKKEEPING_LABELS.get(name)
    return name if pair is None else _pick(pair, language)
