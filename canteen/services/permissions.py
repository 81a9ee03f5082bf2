"""What each role may do (docs/domain.md §2), enforced in the core so every way in is refused alike."""

from __future__ import annotations

from ..db import service_transaction
from ..errors import PermissionDenied
from ..integrity import chain
from ..models import DISTRICT_ROLES, REGISTRY, ROLES

ALL_KINDS = frozenset(REGISTRY)
DISTRICT_KINDS = frozenset({"inspection-notices"})  # written by the district inspector only
WRITERS = {
    "manager": ALL_KINDS - {"inspections"} - DISTRICT_KINDS,
    "doctor": ALL_KINDS - DISTRICT_KINDS,
    "director": ALL_KINDS - DISTRICT_KINDS,
    "leader": frozenset({"accompanied-meals"}),
    "auditor": frozenset(),
    "admin": frozenset(),
    "district-admin": frozenset(),
    "district-inspector": DISTRICT_KINDS,
}
SIGNERS = {"doctor": ALL_KINDS - DISTRICT_KINDS, "director": ALL_KINDS - DISTRICT_KINDS,
           "leader": frozenset({"accompanied-meals"})}
OWN_RECORDS_ONLY = {"leader"}
EXPORTERS = {"auditor", "doctor", "director", "manager", "district-inspector"}
ADMINS = {"admin"}
DISTRICT_ADMINS = {"district-admin"}
# Who reads every canteen of a district database (each read still goes through one chosen site).
ALL_SITE_READERS = {"district-inspector"}
USER_READERS = {"admin", "auditor", "district-admin", "district-inspector"}  # the auditors read the user list too
SETTINGS_EDITORS = {"admin", "district-admin"}
ROLE_NAMES = {value: (en, zh) for value, en, zh in ROLES}


def may_write(role: str, kind: str) -> bool:
    return kind in WRITERS.get(role, ())


def may_sign(role: str, kind: str) -> bool:
    return kind in SIGNERS.get(role, ())


def may_manage_users(role: str) -> bool:
    return role in ADMINS or role in DISTRICT_ADMINS


def may_export(role: str) -> bool:
    return role in EXPORTERS


def is_district_role(role: str) -> bool:
    return role in DISTRICT_ROLES


def may_enter_site(user, site_id: int) -> bool:
    """Whether a user may act in a canteen: a school user in their own only; a district-inspector
    reads every canteen; a district-admin manages them (users, settings) but reads no records."""
    if user.role in DISTRICT_ROLES:
        return True
    return user.site_id == site_id


ACTION_ZH = {
    "create": "新建", "change": "修改", "sign": "签署", "export": "导出", "list users": "查看用户",
    "change settings": "更改设置",
    "manage users": "管理用户", "add users": "添加用户", "reset passwords": "重置密码",
    "enable or disable users": "启用或停用用户", "change roles": "更改角色",
    "add canteens": "添加食堂", "read the records of": "查看记录", "read every canteen": "查看所有食堂",
    "change settings defaults": "更改默认设置",
    "verify own action": "复查自己录入的",
    "push to the district": "上报区县",
}


def refuse(session, action: str, kind: str = "", record_id: int | None = None) -> PermissionDenied:
    """Audit the refusal in its own transaction (it must stay recorded), then return the error."""
    with service_transaction(session.site_id):
        chain.append("refused", user=session.user, site_id=session.site_id, kind=kind,
                     record_id=record_id, reason=action, at=session.now())
    en, zh = ROLE_NAMES.get(session.role, (session.role, session.role))
    model = REGISTRY.get(kind)
    kind_en = model.EN.lower() if model else kind
    kind_zh = model.ZH if model else ""
    what_en = f"{action} {kind_en}" if model else (action if kind else f"{action} this")
    what_zh = ACTION_ZH[action] + kind_zh if action in ACTION_ZH else f"执行此操作（{action}）"
    article = "An" if en[:1].lower() in "aeiou" else "A"
    return PermissionDenied(f"{article} {en.lower()} may not {what_en}.", f"{zh}无权{what_zh}。")


def require_write(session, kind: str, record=None) -> None:
    allowed = may_write(session.role, kind)
    if allowed and record is not None and session.role in OWN_RECORDS_ONLY:
        allowed = record.entered_by == session.user.id
    if not allowed:
        raise refuse(session, "change" if record is not None else "create", kind, getattr(record, "id", None))


def require_sign(session, kind: str, record) -> None:
    allowed = may_sign(session.role, kind)
    if allowed and session.role in OWN_RECORDS_ONLY:
        allowed = record.entered_by == session.user.id
    if not allowed:
        raise refuse(session, "sign", kind, record.id)


def require_role(session, roles: set[str], action: str) -> None:
    if session.role not in roles:
        raise refuse(session, action)


def require_manage_users(session, action: str = "manage users") -> None:
    """Only the system administrator adds, disables, re-roles users and resets passwords."""
    if not may_manage_users(session.role):
        raise refuse(session, action, "users")


def require_read_users(session) -> None:
    if session.role not in USER_READERS:
        raise refuse(session, "list users", "users")


def require_export(session, what: str = "") -> None:
    """Archives and exports: the auditor, and the people who keep the records; a backup (the
    whole database) also the system administrator, whose duty keeping copies is."""
    allowed = may_export(session.role) or (what == "backup" and session.role in ADMINS)
    if not allowed:
        raise refuse(session, "export", what)  # `what` is a document, a record kind or empty


def require_settings(session) -> None:
    if session.role not in SETTINGS_EDITORS:
        raise refuse(session, "change settings", "settings")


def require_district_admin(session, action: str) -> None:
    """Canteens, district users and settings defaults are the district administrator's."""
    if session.role not in DISTRICT_ADMINS:
        raise refuse(session, action)


def require_read_records(session) -> None:
    """Reading a canteen's records (findings, exports, archives): everyone but the district
    administrator, who keeps the district's users and settings and reads no records."""
    if session.role in DISTRICT_ADMINS:
        raise refuse(session, "read the records of")


def require_all_sites(session) -> None:
    """Checking every canteen at once (verify --all-sites): the district inspector."""
    if session.role not in ALL_SITE_READERS:
        raise refuse(session, "read every canteen")
