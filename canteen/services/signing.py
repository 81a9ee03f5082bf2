"""Making an electronic signature: the signer's password (or an already unlocked key), their
permission, the meaning, then the signature row and its "sign" audit entry in one transaction.

What a signature *is* — its payload, the key life cycle, verification and the signature state of
a record — stays at the integrity rung (`integrity/signatures.py`), which imports nothing from
the services. Signing needs the services (records, permissions, the password check), so it lives
here, one rung up, and the two modules no longer import each other.
"""

from __future__ import annotations

from ..db import service_transaction
from ..errors import AuthError, PermissionDenied, ValidationError
from ..integrity import chain
from ..integrity.canonical import content_hash, plain
from ..integrity.signatures import (
    VERIFIED,
    UnlockedKey,
    current_key,
    meaning_label,
    meanings_for,
    payload_for,
    unlock_key,
)
from ..models import AuditEntry, Signature
from . import permissions, records, users


def _check_meaning(meaning: str, kind: str) -> None:
    allowed = tuple(m[0] for m in meanings_for(kind))
    if meaning not in allowed:
        zh = "、".join(meaning_label(m, "zh") for m in allowed)
        raise ValidationError("meaning", f"must be {' or '.join(allowed)} for this record", f"此记录的签名含义必须为{zh}",
                              "Meaning", "签名含义")


def _check_verifier(session, record, meaning: str) -> None:
    """A corrective action is verified by someone other than whoever wrote any version of it:
    the one who fixed the problem does not also close it."""
    if meaning != VERIFIED:
        return
    wrote = AuditEntry.select().where(
        (AuditEntry.record_kind == record.KIND) & (AuditEntry.record_id == record.id)
        & AuditEntry.action.in_(("create", "amend")) & (AuditEntry.user_id == session.user.id)).exists()
    if wrote or record.entered_by == session.user.id:
        permissions.refuse(session, "verify own action", record.KIND, record.id)  # audited
        raise PermissionDenied("A corrective action is verified by someone other than the person who recorded it.",
                               "整改措施须由录入人以外的人员复查。")


def _check_signable(session, record, meaning: str) -> None:
    if record.voided:
        raise ValidationError("id", "is voided and cannot be signed", "已作废，不能签名", "Record", "记录")
    already = Signature.select().where(
        (Signature.record_kind == record.KIND) & (Signature.record_id == record.id)
        & (Signature.record_version == record.version) & (Signature.signer == session.user.id)
        & (Signature.meaning == meaning)).exists()
    if already:
        raise ValidationError("meaning", "you have already signed this version with this meaning",
                              "您已以此含义签署过此版本", "Meaning", "签名含义")


def _open_key(session, password: str | None, key: UnlockedKey | None) -> UnlockedKey:
    if key is not None:
        if key.user_id != session.user.id or key.key_id != current_key(session.user).id:
            raise AuthError("This signing key is not the signer's current key.", "此签名密钥不是签名人当前的密钥。")
        return key
    users.verify_password(session.user, password or "", session.now(), action="sign-failed")
    return unlock_key(session.user, password or "")


def sign_record(session, kind: str, record_id: int, meaning: str, password: str | None = None,
                *, key: UnlockedKey | None = None, open_cases_reason: str = "") -> Signature:
    """Sign the current version of a record: re-checks the password (or takes an already unlocked
    key), the signer's permission and the meaning; writes the signature and a "sign" audit entry
    in one transaction. The first signature on a day's inspection closes the day (日结): with a
    violation of that day still open it needs `open_cases_reason`, kept in the audit trail.
    Raises AuthError, PermissionDenied, ValidationError, NotFound."""
    record = records.get(session, kind, record_id)
    permissions.require_sign(session, kind, record)
    _check_meaning(meaning, kind)
    _check_verifier(session, record, meaning)
    _check_signable(session, record, meaning)
    still_open = _open_at_close(session, record, open_cases_reason)
    unlocked = _open_key(session, password, key)
    with service_transaction(session.site_id):
        record = records.get(session, kind, record_id)  # the version as it stands under the write lock
        _check_signable(session, record, meaning)
        if still_open:
            chain.append("close-with-open-cases", user=session.user, site_id=session.site.id, kind=record.KIND,
                         record_id=record.id, version=record.version, at=session.now(),
                         after={"day": record.day.isoformat(), "open": still_open},
                         reason=open_cases_reason.strip())
        return _write_signature(session, record, meaning, unlocked)


def _open_at_close(session, record, reason: str) -> list[str]:
    """The open violations of the day an inspection's first signature would close, as
    "RULE subject" texts; refused without a reason when there are any."""
    from ..integrity.daily_close import KIND, is_sealed
    from ..read.cases import open_violations_on
    if record.KIND != KIND or is_sealed(session.site.id, record.day):
        return []
    found = open_violations_on(session, record.day)
    if found and not (reason or "").strip():
        listed = "; ".join(f.message("en") for f in found[:3]) + (" …" if len(found) > 3 else "")
        listed_zh = "；".join(f.message("zh") for f in found[:3]) + (" …" if len(found) > 3 else "")
        raise ValidationError(
            "open_cases_reason",
            f"is required: {len(found)} violation(s) of {record.day} have no verified corrective action ({listed})",
            f"必须填写：{record.day} 有 {len(found)} 项违规尚无已复查的整改措施（{listed_zh}）",
            "Why the day is closed with open cases", "带未结整改事项日结的原因")
    return [f"{f.rule} {f.case_subject}" for f in found]


def _write_signature(session, record, meaning: str, unlocked: UnlockedKey) -> Signature:
    head = chain.head(session.site_id)
    user = session.user
    fields = dict(site_id=session.site.id, kind=record.KIND, record_id=record.id, version=record.version,
                  content_sha256=content_hash(record), meaning=meaning, signed_at=session.now(),
                  signer_id=user.id, signer_username=user.username, signer_name=user.display_name,
                  key_id=unlocked.key_id, chain_seq=head.seq, chain_hash=head.hash)
    signature = unlocked.private.sign(payload_for(**fields))
    chain.append("sign", user=user, site_id=session.site.id, kind=record.KIND, record_id=record.id,
                 version=record.version, after={**fields, "signed_at": plain(fields["signed_at"]),
                                                "signature": signature.hex()},
                 reason=meaning, at=fields["signed_at"])
    return Signature.create(
        site=session.site.id, record_kind=record.KIND, record_id=record.id, record_version=record.version,
        meaning=meaning, signer=user.id, signer_name=user.display_name, key=unlocked.key_id,
        signed_at=fields["signed_at"], content_sha256=fields["content_sha256"], chain_seq=head.seq,
        chain_hash=head.hash, signature=signature)
