"""What each role may do (domain.md §2), enforced in the core so every way in is refused alike."""

from __future__ import annotations

from ..errors import PermissionDenied
from ..models import REGISTRY, ROLES
from ..integrity import chain
from ..db import write_transaction

ALL_KINDS = frozenset(REGISTRY)
WRITERS = {
    "manager": ALL_KINDS - {"inspections"},
    "doctor": ALL_KINDS,
    "director": ALL_KINDS,
    "leader": frozenset({"accompanied-meals"}),
    "auditor": frozenset(),
    "admin": frozenset(),
}
SIGNERS = {"doctor": ALL_KINDS, "director": ALL_KINDS, "leader": frozenset({"accompanied-meals"})}
OWN_RECORDS_ONLY = {"leader"}
EXPORTERS = {"auditor", "doctor", "director", "manager"}
ADMINS = {"admin"}
ROLE_NAMES = {value: (en, zh) for value, en, zh in ROLES}


def may_write(role: str, kind: str) -> bool:
    return kind in WRITERS.get(role, ())


def may_sign(role: str, kind: str) -> bool:
    return kind in SIGNERS.get(role, ())


def refuse(session, action: str, kind: str = "", record_id: int | None = None) -> PermissionDenied:
    """Audit the refusal in its own transaction (it must stay recorded), then return the error."""
    with write_transaction():
        chain.append("refused", user=session.user, site_id=session.site.id, kind=kind,
                     record_id=record_id, reason=action)
    en, zh = ROLE_NAMES.get(session.role, (session.role, session.role))
    return PermissionDenied(f"A {en.lower()} may not {action} {kind or 'this'}.".replace("  ", " "),
                            f"{zh}无权执行此操作（{action} {kind}）。")


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
