"""Tables of issue 12, pushing a canteen's chain to its district.

At the canteen: its site key (`SiteKey`) and the receipts the district gave (`PushReceipt`).
At the district: each enrolled canteen's pinned key and push state (`Enrolment`), the canteen's
chain as it was received, entry by entry and byte for byte (`ReceivedEntry`: the evidence a later
push is compared with), the ids the replayed records took here (`ReceivedId`), the attachments'
bytes (`ReceivedBlob`) and files that came before the one they follow (`PendingPush`).
"""

from __future__ import annotations

import peewee

from ..columns import MomentField
from .base import BaseModel, Site, table
from .people import User


@table
class SiteKey(BaseModel):
    """The canteen's Ed25519 identity: one key pair per canteen, its private half sealed under the
    password of each administrator who holds it (one row per holder, the same public key)."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    holder = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    public_key = peewee.BlobField()
    private_key_enc = peewee.BlobField()
    created_at = MomentField()

    class Meta:
        indexes = ((("site", "holder"), True),)


@table
class PushReceipt(BaseModel):
    """The district's word that it holds this canteen's chain up to `seq` with head `head_hash`:
    an anchor the canteen's verify checks without being told."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    district = peewee.CharField(max_length=200)
    seq = peewee.BigIntegerField()
    head_hash = peewee.CharField(max_length=64)
    received_at = MomentField()
    imported_at = MomentField()

    class Meta:
        indexes = ((("site", "seq", "head_hash"), True),)


@table
class Enrolment(BaseModel):
    """A canteen enrolled at the district: its pinned public key and how far its chain arrived."""

    site = peewee.ForeignKeyField(Site, unique=True, on_delete="RESTRICT")
    public_key = peewee.BlobField()
    canteen_name = peewee.CharField(max_length=200)
    enrolled_at = MomentField()
    last_seq = peewee.BigIntegerField(default=0)
    last_hash = peewee.CharField(max_length=64, default="")
    last_at = MomentField(null=True)       # when the last accepted push arrived
    flagged_at = MomentField(null=True)    # when a push whose history differs was refused
    flag_seq = peewee.BigIntegerField(null=True)


@table
class ReceivedEntry(BaseModel):
    """One entry of an enrolled canteen's chain, as the canteen sent it (every column, canonical JSON)."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    position = peewee.BigIntegerField()
    hash = peewee.CharField(max_length=64)
    entry = peewee.TextField()
    received_at = MomentField()

    class Meta:
        indexes = ((("site", "position"), True),)


@table
class ReceivedId(BaseModel):
    """A replayed record: its id at the canteen and the id it has here."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    kind = peewee.CharField(max_length=40)
    origin_id = peewee.IntegerField()
    local_id = peewee.IntegerField()

    class Meta:
        indexes = ((("site", "kind", "origin_id"), True),)


@table
class ReceivedBlob(BaseModel):
    """An attachment's bytes, by their SHA-256 (the "attach" entry names it)."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    sha256 = peewee.CharField(max_length=64)
    data = peewee.BlobField()

    class Meta:
        indexes = ((("site", "sha256"), True),)


@table
class PendingPush(BaseModel):
    """A push file that arrived before the one it follows; applied when the gap is filled."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    first_seq = peewee.BigIntegerField()
    last_seq = peewee.BigIntegerField()
    data = peewee.BlobField()
    arrived_at = MomentField()


PUSH_TABLES = (SiteKey, PushReceipt, Enrolment, ReceivedEntry, ReceivedId, ReceivedBlob, PendingPush)
