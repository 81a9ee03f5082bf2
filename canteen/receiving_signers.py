"""The district's copy of a canteen's signers and signatures (issue 12): so that what depends on a
signature — "not signed" findings, a case verified — reads the same at the district as at the
canteen, and `verify --site` checks the copied signatures.

Each canteen user a pushed chain creates becomes a district-side user of that canteen's site,
inactive and with no usable password (named `USERNAME@SITE-ID`: user names are unique across the
database); each key issued becomes a key of that user holding only the public half. A signature is
checked against the canteen's own signed bytes before it is kept; its district row points at this
database's record, user and key, and its sign entry here carries the canteen's signed fields under
"received", which is what `verify` checks the signature bytes against (integrity/verify.py).
"""

from __future__ import annotations

import json

from .bundle import BundleRefused
from .integrity import chain
from .integrity.canonical import content_hash
from .integrity.signatures import payload_for, signature_valid
from .models import REGISTRY, ReceivedId, Signature, User, UserKey
from .timeutil import utcnow

USERS, KEYS = "users", "user-keys"
REPLAYED = frozenset({"user-create", "key-issue", "sign"})  # the actions replay() repeats here
NO_PASSWORD = "!"  # not a hash: no password opens it (users.password_matches)
PAYLOAD_FIELDS = ("site_id", "kind", "record_id", "version", "content_sha256", "meaning", "signed_at", "signer_id",
                  "signer_username", "signer_name", "key_id", "chain_seq", "chain_hash")  # signatures.payload_for


class Ids:
    """The canteen's ids as this database's ids (ReceivedId) for one site: read once per push,
    the new ones written by flush() (in the push's transaction)."""

    def __init__(self, site_id: int):
        self.site_id = site_id
        self.known = {(row.kind, row.origin_id): row.local_id
                      for row in ReceivedId.select().where(ReceivedId.site == site_id)}
        self.new: list[dict] = []

    def get(self, kind: str, origin_id) -> int | None:
        return self.known.get((kind, origin_id))

    def keep(self, kind: str, origin_id: int, local_id: int) -> None:
        self.known[(kind, origin_id)] = local_id
        self.new.append(dict(site=self.site_id, kind=kind, origin_id=origin_id, local_id=local_id))

    def flush(self) -> None:
        for start in range(0, len(self.new), 100):
            ReceivedId.insert_many(self.new[start:start + 100]).execute()
        self.new = []


def replay(ids: Ids, entry: dict, moment) -> None:
    """A user created, a key issued or a record signed at the canteen: the same here."""
    action, after = entry["action"], json.loads(entry["after"] or "null")
    if after is None:
        return
    if action == "user-create" and entry["record_kind"] == USERS:
        _user(ids, entry, after, moment)
    elif action == "key-issue" and entry["record_kind"] == KEYS:
        _key(ids, entry, after, moment)
    elif action == "sign" and entry["record_kind"] in REGISTRY:
        _signature(ids, entry, after)


def _user(ids: Ids, entry: dict, after: dict, moment) -> None:
    site_id = ids.site_id
    if ids.get(USERS, entry["record_id"]) is not None:
        return
    name = f"{after['username']}@{site_id}"[:64]
    user = User.create(site=site_id, username=name, display_name=after.get("display_name", ""),
                       post=after.get("post", ""), role=after.get("role", ""), active=False,
                       password_hash=NO_PASSWORD, created_at=moment)
    ids.keep(USERS, entry["record_id"], user.id)
    chain.append("user-create", site_id=site_id, kind=USERS, record_id=user.id, at=moment,
                 after={**after, "username": name, "received_as": after["username"]})


def _key(ids: Ids, entry: dict, after: dict, moment) -> None:
    site_id, user_id = ids.site_id, ids.get(USERS, after.get("user"))
    if user_id is None or ids.get(KEYS, entry["record_id"]) is not None:
        return
    public = bytes.fromhex(after["public_key"])
    key = UserKey.create(user=user_id, public_key=public, private_key_enc=b"", created_at=moment)
    ids.keep(KEYS, entry["record_id"], key.id)
    chain.append("key-issue", site_id=site_id, kind=KEYS, record_id=key.id, at=moment,
                 after={"user": user_id, "username": User.get_by_id(user_id).username, "public_key": public})


def _signature(ids: Ids, entry: dict, after: dict) -> None:
    """Kept only when the canteen's signature verifies over the canteen's own signed bytes."""
    kind, site_id = entry["record_kind"], ids.site_id
    record_id, signer_id = ids.get(kind, after["record_id"]), ids.get(USERS, after["signer_id"])
    key_id = ids.get(KEYS, after["key_id"])
    signed = {name: after[name] for name in PAYLOAD_FIELDS}
    raw = bytes.fromhex(after["signature"])
    if None in (record_id, signer_id, key_id) or not signature_valid(
            bytes(UserKey.get_by_id(key_id).public_key), raw, payload_for(**signed)):
        raise BundleRefused(f"carries a signature that does not verify (seq {entry['chain_seq'] or entry['seq']})",
                            f"含有无法验证的签名（序号 {entry['chain_seq'] or entry['seq']}）")
    record = REGISTRY[kind].get_by_id(record_id)
    here = content_hash(record) if record.version == after["version"] else signed["content_sha256"]
    head, signer = chain.head(site_id), User.get_by_id(signer_id)
    chain.append("sign", user=signer, site_id=site_id, kind=kind, record_id=record_id, version=after["version"],
                 after={"site_id": site_id, "kind": kind, "record_id": record_id, "version": after["version"],
                        "content_sha256": here, "meaning": after["meaning"], "signed_at": after["signed_at"],
                        "signer_id": signer_id, "signer_username": signer.username, "signer_name": after["signer_name"],
                        "key_id": key_id, "chain_seq": head.seq, "chain_hash": head.hash,
                        "signature": after["signature"], "received": signed},
                 reason=after["meaning"], at=_moment(after["signed_at"]))
    Signature.create(site=site_id, record_kind=kind, record_id=record_id, record_version=after["version"],
                     meaning=after["meaning"], signer=signer_id, signer_name=after["signer_name"], key=key_id,
                     signed_at=_moment(after["signed_at"]), content_sha256=here, chain_seq=head.seq,
                     chain_hash=head.hash, signature=raw)


def _moment(text: str):
    import datetime as dt
    return dt.datetime.fromisoformat(text) if text else utcnow()

