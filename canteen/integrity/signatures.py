"""Electronic signatures: each user's Ed25519 key pair and the signatures made with it.

A signature covers a canonical payload: the record's identity (kind, id, version), the SHA-256
of its canonical content at that version, the meaning (检查/审核/批准), the time, the signer
(id, user name, printed name), the key, and the audit-chain head just before signing. The
"sign" audit entry written in the same transaction carries the payload and the signature
bytes, so the chain in turn covers the signature: `Signature.chain_seq`/`chain_hash` are the
head *before* the sign entry, and the sign entry itself is `chain_seq + 1`.

Private keys are stored encrypted under the user's password: AES-256-GCM with a key derived by
Argon2id using the cost parameters of `HASHER` at the time (kept in the blob, so a key
made with other parameters still opens). A password change or reset issues a new key pair;
earlier public keys stay forever (UserKey is append-only), so old signatures keep verifying.
The current key of a user is their newest UserKey row.

This module holds what verification and the key life cycle need, and imports nothing from
the services: making a signature (password check, permission, the "sign" entry) is
`services/signing.py`, one rung up.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ..errors import AuthError, NotFound
from ..models import Signature, User, UserKey, model_for
from ..timeutil import utcnow
from . import chain
from .canonical import dumps, plain

VERIFIED = "verified"  # 复查: the follow-up check of a corrective action, which closes its case
CORRECTIVE_KIND = "corrective-actions"
MEANINGS = (("inspected", "Inspected", "检查"), ("reviewed", "Reviewed", "审核"), ("approved", "Approved", "批准"),
            (VERIFIED, "Verified (follow-up check)", "复查"))
MEANING_VALUES = tuple(m[0] for m in MEANINGS)


def meanings_for(kind: str) -> tuple[tuple[str, str, str], ...]:
    """The meanings a record of this kind may be signed with: a corrective action is only ever
    verified (复查); every other record is inspected, reviewed or approved."""
    if kind == CORRECTIVE_KIND:
        return tuple(m for m in MEANINGS if m[0] == VERIFIED)
    return tuple(m for m in MEANINGS if m[0] != VERIFIED)
PAYLOAD_FORMAT = 1
KEY_MAGIC = b"CK1"
KEY_HEADER = struct.Struct(">3sIIB")  # magic, time cost, memory cost (KiB), parallelism
SALT_BYTES, NONCE_BYTES = 16, 12
# Argon2id with the library's current parameters: password hashes (services/users.py) and the
# key that seals each private key share it, so one setting governs the cost of both.
HASHER = PasswordHasher()


def meaning_label(meaning: str, language: str = "en") -> str:
    for value, en, zh in MEANINGS:
        if value == meaning:
            return zh if language.startswith("zh") else en
    return meaning


# ------------------------------------------------------------------------------------------- keys

def _derive(password: str, salt: bytes, time_cost: int, memory_cost: int, parallelism: int) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=time_cost, memory_cost=memory_cost,
                           parallelism=parallelism, hash_len=32, type=Type.ID)


def encrypt_private_key(private: Ed25519PrivateKey, password: str) -> bytes:
    """The raw private key sealed under the password, with its KDF parameters in front."""
    hasher = HASHER
    header = KEY_HEADER.pack(KEY_MAGIC, hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    key = _derive(password, salt, hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    raw = private.private_bytes_raw()
    return header + salt + nonce + AESGCM(key).encrypt(nonce, raw, header + salt)


def decrypt_private_key(blob: bytes, password: str) -> Ed25519PrivateKey:
    """Open a sealed private key; AuthError if the password does not open it."""
    blob = bytes(blob)
    magic, time_cost, memory_cost, parallelism = KEY_HEADER.unpack_from(blob)
    if magic != KEY_MAGIC:
        raise ValueError("not a canteen key")
    start = KEY_HEADER.size
    salt = blob[start:start + SALT_BYTES]
    nonce = blob[start + SALT_BYTES:start + SALT_BYTES + NONCE_BYTES]
    key = _derive(password, salt, time_cost, memory_cost, parallelism)
    try:
        raw = AESGCM(key).decrypt(nonce, blob[start + SALT_BYTES + NONCE_BYTES:], blob[:start + SALT_BYTES])
    except InvalidTag:
        raise AuthError("The password does not open this signing key.", "密码无法解开此签名密钥。") from None
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_bytes(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def issue_key(user: User, password: str, by: User | None = None) -> UserKey:
    """A new key pair for the user, the private half under `password`; audited with the public half.

    The caller holds the write transaction (user creation, password change or reset)."""
    private = Ed25519PrivateKey.generate()
    key = UserKey.create(user=user, public_key=public_bytes(private),
                         private_key_enc=encrypt_private_key(private, password), created_at=utcnow())
    chain.append("key-issue", user=by or user, site_id=user.site_id, kind="user-keys", record_id=key.id,
                 after={"user": user.id, "username": user.username, "public_key": key.public_key})
    return key


def current_key(user: User) -> UserKey:
    key = UserKey.select().where(UserKey.user == user.id).order_by(UserKey.id.desc()).first()
    if key is None:
        raise AuthError(f"{user.username} has no signing key.", f"{user.username} 没有签名密钥。")
    return key


@dataclass
class UnlockedKey:
    """A user's current private key, opened once (the demo builder signs many records with it)."""

    user_id: int
    key_id: int
    private: Ed25519PrivateKey


def unlock_key(user: User, password: str) -> UnlockedKey:
    """Open the user's current private key with their password (AuthError if wrong)."""
    key = current_key(user)
    sealed = UserKey.read_secret(key.id)
    if sealed is None:  # a key this connection's canteen login may not open (not one of its canteen's users)
        raise AuthError(f"{user.username}'s signing key cannot be opened here.", f"此处无法打开 {user.username} 的签名密钥。")
    return UnlockedKey(user.id, key.id, decrypt_private_key(sealed, password))


# ------------------------------------------------------------------------------------------ signing

def payload_for(*, site_id: int, kind: str, record_id: int, version: int, content_sha256: str, meaning: str,
                signed_at, signer_id: int, signer_username: str, signer_name: str, key_id: int,
                chain_seq: int | None, chain_hash: str | None) -> bytes:
    """The exact bytes a signature covers (canonical JSON, format 1)."""
    return dumps({
        "format": PAYLOAD_FORMAT, "site": site_id, "kind": kind, "id": record_id, "version": version,
        "content_sha256": content_sha256, "meaning": meaning, "signed_at": plain(signed_at),
        "signer_id": signer_id, "signer_username": signer_username, "signer_name": signer_name,
        "key_id": key_id, "chain_seq": chain_seq, "chain_hash": chain_hash,
    }).encode("utf-8")


def payload_of(sig: Signature, signer_username: str) -> bytes:
    """Rebuild the signed bytes from a stored Signature row (what verification checks)."""
    return payload_for(site_id=sig.site_id, kind=sig.record_kind, record_id=sig.record_id,
                       version=sig.record_version, content_sha256=sig.content_sha256, meaning=sig.meaning,
                       signed_at=sig.signed_at, signer_id=sig.signer_id, signer_username=signer_username,
                       signer_name=sig.signer_name, key_id=sig.key_id, chain_seq=sig.chain_seq,
                       chain_hash=sig.chain_hash)


def signature_valid(public_key: bytes, signature: bytes, payload: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public_key)).verify(bytes(signature), payload)
        return True
    except (InvalidSignature, ValueError):
        return False


# ------------------------------------------------------------------------------------------- state

@dataclass
class SignatureState:
    """Whether a record's current version is signed.

    state: "unsigned" (never signed), "signed" (a signature covers the current version),
    "changed_after_signing" (signed once, amended or voided since: needs signing again)."""

    state: str
    version: int
    signatures: list = field(default_factory=list)  # every Signature row, oldest first

    @property
    def current(self) -> list:
        return [s for s in self.signatures if s.record_version == self.version]

    @property
    def needs_signing_again(self) -> bool:
        return self.state == "changed_after_signing"

    def label(self, language: str = "en") -> str:
        return STATE_LABELS[self.state][1 if language.startswith("zh") else 0]


STATE_LABELS = {
    "unsigned": ("Not signed", "未签名"),
    "signed": ("Signed", "已签名"),
    "changed_after_signing": ("Changed after signing — needs signing again", "签名后已修改，需重新签名"),
}


def _state_of(version: int, sigs: list) -> SignatureState:
    if not sigs:
        return SignatureState("unsigned", version, [])
    state = "signed" if any(s.record_version == version for s in sigs) else "changed_after_signing"
    return SignatureState(state, version, sigs)


def signature_state(kind: str, record_id: int) -> SignatureState:
    """The signature state of one record, with its signatures (printed name, time, meaning)."""
    model = model_for(kind)  # NotFound for an unknown kind, as every service says it
    record = model.get_or_none(model.id == record_id)
    if record is None:
        raise NotFound(f"No {model.EN.lower()} record {record_id}.", f"没有编号为 {record_id} 的{model.ZH}记录。")
    sigs = list(Signature.select().where((Signature.record_kind == kind) & (Signature.record_id == record_id))
                .order_by(Signature.signed_at, Signature.id))
    return _state_of(record.version, sigs)


def signature_states(kind: str, record_ids) -> dict[int, SignatureState]:
    """States of many records in two queries (for list views and daily sheets)."""
    ids = list(record_ids)
    model = model_for(kind)
    versions = dict(model.select(model.id, model.version).where(model.id.in_(ids)).tuples()) if ids else {}
    by_record: dict[int, list] = {i: [] for i in versions}
    if ids:
        query = (Signature.select().where((Signature.record_kind == kind) & (Signature.record_id.in_(ids)))
                 .order_by(Signature.signed_at, Signature.id))
        for sig in query:
            by_record.setdefault(sig.record_id, []).append(sig)
    return {i: _state_of(versions[i], by_record.get(i, [])) for i in versions}
