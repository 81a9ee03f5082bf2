"""The canteen's identity towards its district (issue 12): one Ed25519 key pair per canteen.

The district pins the public half at enrolment and accepts from then on only push files signed
with it. The private half is kept like a user's key (see signatures.py): sealed under a password
— here under the password of each administrator who holds it, one `SiteKey` row per holder. The
canteen's first administrator holds it from `init`; a canteen made before issue 12 gets its key
the first time an administrator or canteen manager pushes. A holder's password change re-seals
their copy. The public half goes into the canteen's chain ("site-key" entry), so the trail says
which key the canteen's pushes were signed with.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..errors import AuthError
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
