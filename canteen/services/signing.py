"""Making an electronic signature: the signer's password (or an already unlocked key), their
permission, the meaning, then the signature row and its "sign" audit entry in one transaction.

What a signature *is* — its payload, the key life cycle, verification and the signature state of
a record — stays at the integrity rung (`integrity/signatures.py`), which imports nothing from
the services. Signing needs the services (records, permissions, the password check), so it lives
here, one rung up, and the two modules no longer import each other.
"""

from __future__ import annotations

from ..db import service_transaction
from ..errors import AuthError, ValidationError
from ..integrity import chain
from ..integrity.canonical import content_hash, plain
from ..integrity.signatures import MEANING_VALUES, UnlockedKey, current_key, payload_for, unlock_key
from ..models import Signature
from . import permissions, records, users


def _check_meaning(meaning: str) -> None:
    if meaning not in MEANING_VALUES:
        raise ValidationError("meaning", f"must be one of {', '.join(MEANING_VALUES)}", "必须为检查、审核或批准",
                              "Meaning", "签名含义")


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
                *, key: UnlockedKey | None = None) -> Signature:
    """Sign the current version of a record: re-checks the password (or takes an already unlocked
    key), the signer's permission and the meaning; writes the signature and a "sign" audit entry
    in one transaction. Raises AuthError, PermissionDenied, ValidationError, NotFound."""
    record = records.get(session, kind, record_id)
    permissions.require_sign(session, kind, record)
    _check_meaning(meaning)
    _check_signable(session, record, meaning)
    unlocked = _open_key(session, password, key)
    with service_transaction():
        record = records.get(session, kind, record_id)  # the version as it stands under the write lock
        _check_signable(session, record, meaning)
        return _write_signature(session, record, meaning, unlocked)


def _write_signature(session, record, meaning: str, unlocked: UnlockedKey) -> Signature:
    head = chain.head()
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
