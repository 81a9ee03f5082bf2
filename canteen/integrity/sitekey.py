"""The canteen's identity towards its district (issue 12): one Ed25519 key pair per canteen.

The district pins the public half at enrolment and accepts from then on only push files signed
with it. The private half is kept like a user's key (see signatures.py): sealed under a password
— here under the password of each administrator who holds it, one `SiteKey` row per holder. The
canteen's first administrator holds it from `init`; a canteen made before issue 12 gets its key
the first time an administrator or canteen manager pushes. A holder's password change re-seals
their copy. The public half goes into the canteen's chain ("site-key" entry), so the trail says
which key the canteen's pushes were signed with.

A device copy (issue 12 item 7, the push at the daily close): on the administrator's word, one
computer keeps the site key unsealed in the user's data folder, one file per canteen named by the
canteen's identity (its chain's first entry), readable by the user alone (0600), written whole or
not at all. The daily close on that computer pushes with it, whoever signed. See
services/district_push.py for who allows it, the audit entries and what it means for security.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from platformdirs import user_data_path

from ..db import APP_NAME, file_error
from ..errors import AuthError, Said
from ..models import SiteKey, User
from ..timeutil import utcnow
from . import chain
from .signatures import decrypt_private_key, encrypt_private_key, public_bytes

HOLDER_ROLES = frozenset({"admin", "manager"})  # who may hold the site key, and so push


def site_public_key(site_id: int) -> bytes | None:
    row = SiteKey.select(SiteKey.public_key).where(SiteKey.site == site_id).order_by(SiteKey.id).first()
    return bytes(row.public_key) if row else None


def issue_site_key(site_id: int, holder: User, password: str) -> Ed25519PrivateKey:
    """A new key pair for a canteen that has none, sealed for `holder`; audited. The caller holds
    the write transaction."""
    private = Ed25519PrivateKey.generate()
    SiteKey.create(site=site_id, holder=holder.id, public_key=public_bytes(private),
                   private_key_enc=encrypt_private_key(private, password), created_at=utcnow())
    chain.append("site-key", user=holder, site_id=site_id, kind="sites", record_id=site_id,
                 after={"public_key": public_bytes(private)})
    return private


def unlock_site_key(site_id: int, holder: User, password: str) -> Ed25519PrivateKey:
    """The canteen's private key, opened with the holder's password; a canteen without a key gets
    one now. AuthError for a user who may not or does not hold it."""
    if holder.role not in HOLDER_ROLES:
        raise AuthError("Only the canteen's administrator or manager may push to the district.",
                        "只有食堂的系统管理员或食堂管理员可以上报区县。")
    copy = SiteKey.get_or_none((SiteKey.site == site_id) & (SiteKey.holder == holder.id))
    if copy is not None:
        return decrypt_private_key(copy.private_key_enc, password)
    if site_public_key(site_id) is None:
        return issue_site_key(site_id, holder, password)
    holders = ", ".join(User.get_by_id(k.holder_id).username for k in SiteKey.select().where(SiteKey.site == site_id))
    raise AuthError(f"{holder.username} does not hold the canteen's site key; push as {holders}.",
                    f"{holder.username} 未持有本食堂的站点密钥；请以 {holders} 的身份上报。")


def reseal_site_key(holder: User, old_password: str, new_password: str) -> None:
    """A holder's password changed: their copy of the site key is sealed under the new one."""
    for copy in SiteKey.select().where(SiteKey.holder == holder.id):
        private = decrypt_private_key(copy.private_key_enc, old_password)
        copy.private_key_enc = encrypt_private_key(private, new_password)
        copy.save()


# ---- the device copy (one computer may push at each daily close) --------------------------------

DEVICE_FOLDER = "site-keys"


@dataclass(frozen=True)
class DeviceCopy:
    """What this computer holds for a canteen: `key` when its copy opens the canteen's current site
    key; `problem` when a copy is there but is of no use (the key was replaced, the file damaged)."""

    key: Ed25519PrivateKey | None = None
    problem: Said | None = None


def device_copy_path(site_id: int) -> Path:
    """This computer's file for the canteen, named by the hash of its chain's first entry (the
    canteen's lasting identity, unlike its name or its key)."""
    first = chain.entry_at(site_id, 1)
    identity = hashlib.sha256(f"{site_id}:{first.hash if first else ''}".encode()).hexdigest()[:20]
    return user_data_path(APP_NAME, appauthor=False) / DEVICE_FOLDER / f"canteen-{identity}.sitekey"


def keep_device_copy(site_id: int, site_name: str, private: Ed25519PrivateKey) -> Path:
    """Write this computer's copy of the site key: created 0600, complete or absent."""
    path = device_copy_path(site_id)
    text = json.dumps({"canteen": site_name, "public_key": public_bytes(private).hex(),
                       "private_key": private.private_bytes_raw().hex()}, ensure_ascii=False)
    part = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.unlink(missing_ok=True)
        handle = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise file_error(exc, path) from exc
    return path


def remove_device_copy(site_id: int) -> bool:
    """Remove this computer's copy; whether there was one."""
    path = device_copy_path(site_id)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise file_error(exc, path) from exc
    return True


def device_copy(site_id: int) -> DeviceCopy | None:
    """This computer's copy of the canteen's site key, None where there is none."""
    path = device_copy_path(site_id)
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(found["private_key"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return DeviceCopy(problem=Said(
            f"This computer's copy of the site key ({path}) cannot be read; it is ignored. The administrator "
            "allows this computer again (File → Push to district).",
            f"本机的站点密钥副本（{path}）无法读取，已忽略。请系统管理员重新允许本机自动上报（文件 → 上报区县）。"))
    if public_bytes(private) != site_public_key(site_id):
        return DeviceCopy(problem=Said(
            "This computer's copy of the site key no longer matches the canteen's site key (the key was "
            "replaced); it is ignored. The administrator allows this computer again (File → Push to district).",
            "本机的站点密钥副本与本食堂当前的站点密钥不一致（密钥已更换），已忽略。"
            "请系统管理员重新允许本机自动上报（文件 → 上报区县）。"))
    return DeviceCopy(key=private)
