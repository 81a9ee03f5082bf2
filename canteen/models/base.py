"""The base of every table, and of every kept record (site, event time, entry time, version)."""

from __future__ import annotations

import peewee

from ..columns import DayField, MomentField
from ..db import database
from ..fields import Spec

REGISTRY: dict[str, type["Record"]] = {}  # kind (command-line name) -> model
MODELS: dict[str, type[peewee.Model]] = {}  # class name -> model


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


def table(cls):
    """Register a plain table so that records can refer to it by name."""
    MODELS[cls.__name__] = cls
    return cls


@table
class Site(BaseModel):
    """One canteen. Every record belongs to one, so a district can share a server."""

    name = peewee.CharField(max_length=200)
    school = peewee.CharField(max_length=200, default="")
    licence_no = peewee.CharField(max_length=100, default="")
    address = peewee.CharField(max_length=300, default="")
    timezone = peewee.CharField(max_length=64, default="Asia/Shanghai")
    created_at = MomentField()


@table
class DatabaseFact(BaseModel):
    """Facts about the database itself, e.g. its schema version."""

    key = peewee.CharField(primary_key=True, max_length=64)
    value = peewee.TextField()

    class Meta:
        table_name = "meta"


@table
class Setting(BaseModel):
    """A per-site setting (thresholds docs/domain.md marks unconfirmed, and preferences)."""

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    key = peewee.CharField(max_length=64)
    value = peewee.TextField()

    class Meta:
        indexes = ((("site", "key"), True),)


class Record(BaseModel):
    """A kept record: never deleted, amended into new versions, voided with a reason."""

    KIND = ""          # name on the command line and in the audit trail, e.g. "deliveries"
    EN = ""            # label of the record type
    ZH = ""
    EVENT = "date"     # "date": happens on a day; "datetime": at a moment; "none": master data
    EVENT_EN = "Date"
    EVENT_ZH = "日期"
    GROUP = ""         # navigation group
    PLANNED = False    # may describe a future day (a menu is published ahead)
    DAY_IS_EVENT = True  # `day` is the event's date; a ledger month keeps its month there instead
    # Columns a schema step added after records of this type were first written. Left out of the
    # canonical form while empty, so that what the audit trail and signatures recorded before the
    # step still matches the row; once set, they are part of it like any other column.
    LATER_COLUMNS: tuple[str, ...] = ()
    FIELDS: tuple[Spec, ...] = ()

    site = peewee.ForeignKeyField(Site, on_delete="RESTRICT")
    day = DayField()                 # local date of the event
    occurred_at = MomentField()     # UTC moment of the event (end of day for date events)
    entered_at = MomentField()      # UTC moment it was typed in
    entered_by = peewee.IntegerField(null=True)  # user id; not a foreign key, so users stay separate
    late_reason = peewee.TextField(null=True)
    version = peewee.IntegerField(default=1)
    voided = peewee.BooleanField(default=False)
    void_reason = peewee.TextField(null=True)

    @classmethod
    def field_spec(cls, name: str) -> Spec:
        for s in cls.FIELDS:
            if s.name == name:
                return s
        raise KeyError(name)

    @classmethod
    def label(cls, language: str) -> str:
        return cls.ZH if language.startswith("zh") else cls.EN

    @classmethod
    def live(cls):
        """Records that stand (not voided)."""
        return cls.select().where(cls.voided == False)  # noqa: E712

    def title(self, language: str = "en") -> str:
        """A short human name for lists and findings, from the first field: a choice by its label
        in the reader's language (午餐 / Lunch, not `lunch`), a reference by what it names (a
        morning check by the person, not their id)."""
        if not self.FIELDS:
            return f"{self.id}"
        spec = self.FIELDS[0]
        if spec.type.labelled:
            return spec.choice_label(getattr(self, spec.name), language)
        if spec.type.reference:
            target = getattr(self, spec.name)
            return target.title(language) if target is not None else ""
        return f"{getattr(self, spec.name, '')}"


def record(cls):
    """Give a record type its columns from its FIELDS, an index on (site, day), a registry entry."""
    for spec in cls.FIELDS:
        if spec.type.reference and spec.ref == cls.__name__:
            column = peewee.ForeignKeyField("self", null=not spec.required, on_delete="RESTRICT", index=True)
        else:
            column = spec.column(MODELS)
        cls._meta.add_field(spec.name, column)
    cls._meta.indexes = list(cls._meta.indexes) + [(("site", "day"), False)]
    REGISTRY[cls.KIND] = cls
    MODELS[cls.__name__] = cls
    return cls
