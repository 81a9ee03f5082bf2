"""Users of the program, their keys, and the audit trail, signatures and attachments."""

from __future__ import annotations

import peewee

from .. import row_security
from ..columns import MomentField
from ..db import current
from .base import BaseModel, Site, table

ROLES = (
    ("admin", "System administrator", "系统管理员"),
    ("manager", "Canteen administrator", "食堂管理员"),
    ("doctor", "School doctor", "校医"),
    ("director", "General-affairs director", "总务主任"),
    ("leader", "School leader", "校领导"),
    ("auditor", "Auditor", "审核人员"),
    ("district-admin", "District administrator", "区县管理员"),
    ("district-inspector", "District inspector", "区县检查员"),
)
# Roles that belong to the district rather than to one canteen: their users have no site.
DISTRICT_ROLES = frozenset({"district-admin", "district-inspector"})


class WithSecret(BaseModel):
    """A table with a secret column (`SECRET`): a plain select, and so every get, lookup and
    reference followed, names every column but that one; the secret is read only where a password
    is checked or a key opened, through `read_secret` (which on a canteen's own PostgreSQL login
    reads it through the view that holds only that canteen's secrets: row_security.py says why)."""

    SECRET = ""

    @classmethod
    def select(cls, *fields):
        if fields:
            return super().select(*fields)
        open_fields = [f for f in cls._meta.sorted_fields if f.name != cls.SECRET]
        return peewee.ModelSelect(cls, open_fields, is_default=True)

    @classmethod
    def read_secret(cls, row_id: int):
        """The secret of row `row_id`; None when there is no such row or this connection's canteen
        login may not read it (another canteen's user, or the district's)."""
        return row_security.read_secret(current(), cls._meta.table_name, cls.SECRET, row_id)


@table
class User(WithSecret):
    site = peewee.ForeignKeyField(Site, null=True, on_delete="RESTRICT")
    username = peewee.CharField(max_length=64, unique=True)
    display_name = peewee.CharField(max_length=100)
    post = peewee.CharField(max_length=100, default="")
    role = peewee.CharField(max_length=20)
    password_hash = peewee.CharField(max_length=200)
    active = peewee.BooleanField(default=True)
    failed_attempts = peewee.IntegerField(default=0)
    locked_until = MomentField(null=True)
    must_change_password = peewee.BooleanField(default=False)
    created_at = MomentField()

    SECRET = "password_hash"

    def role_label(self, language: str = "en") -> str:
        for value, en, zh in ROLES:
            if value == self.role:
                return zh if language.startswith("zh") else en
        return self.role


@table
class UserKey(WithSecret):
    """A user's Ed25519 signing key: the public half kept forever, the private half under their password."""

    SECRET = "private_key_enc"

    user = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    public_key = peewee.BlobField()
    private_key_enc = peewee.BlobField()
    created_at = MomentField()
    retired_at = MomentField(null=True)


@table
class AuditEntry(BaseModel):
    """One append-only, hash-chained line of the audit trail: `seq` orders the whole table, the
    entry's canteen chain and its position in it link it (see canteen/integrity/chain.py)."""

    seq = peewee.BigIntegerField(primary_key=True)
    chain_id = peewee.IntegerField(null=True)     # the canteen's site id, 0 for the district; NULL: era 1
    chain_seq = peewee.BigIntegerField(null=True)  # position in that chain; NULL: era 1 (the position is seq)
    at = MomentField()
    site_id = peewee.IntegerField(null=True)
    user_id = peewee.IntegerField(null=True)
    username = peewee.CharField(max_length=64, default="")
    action = peewee.CharField(max_length=32)
    record_kind = peewee.CharField(max_length=40, default="")
    record_id = peewee.IntegerField(null=True)
    record_version = peewee.IntegerField(null=True)
    before = peewee.TextField(null=True)
    after = peewee.TextField(null=True)
    reason = peewee.TextField(default="")
    format = peewee.IntegerField(default=1)
    prev_hash = peewee.CharField(max_length=64)
    hash = peewee.CharField(max_length=64, unique=True)

    class Meta:
        indexes = ((("record_kind", "record_id"), False), (("chain_id", "chain_seq"), True))


@table
class Signature(BaseModel):
    """An electronic signature over one version of one record."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    record_kind = peewee.CharField(max_length=40)
    record_id = peewee.IntegerField()
    record_version = peewee.IntegerField()
    meaning = peewee.CharField(max_length=20)  # inspected / reviewed / approved
    signer = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    signer_name = peewee.CharField(max_length=100)
    key = peewee.ForeignKeyField(UserKey, on_delete="RESTRICT")
    signed_at = MomentField()
    content_sha256 = peewee.CharField(max_length=64)
    chain_seq = peewee.BigIntegerField(null=True)
    chain_hash = peewee.CharField(max_length=64, null=True)
    signature = peewee.BlobField()

    class Meta:
        indexes = ((("record_kind", "record_id"), False),)


@table
class Attachment(BaseModel):
    """A scan or photo kept inside the database, so a backup or a server carries it."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    record_kind = peewee.CharField(max_length=40)
    record_id = peewee.IntegerField()
    filename = peewee.CharField(max_length=255)
    mime = peewee.CharField(max_length=100)
    size = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    data = peewee.BlobField()
    added_at = MomentField()
    added_by = peewee.IntegerField(null=True)
    voided = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("record_kind", "record_id"), False),)
