"""What record types the canteen keeps, as plain metadata, so that no model class leaves the core.

The desk builds its navigation, forms and columns from these, and the documents their tables;
both used to read the model classes (`REGISTRY[kind].EN`, `.FIELDS`, `.GROUP`) directly. The
metadata is static, so these functions take no session. The constants the desk and documents
show (categories, inspection items, certificate types, roles, meals, groups) are re-exported
here for the same reason.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..errors import NotFound
from ..fields import MEALS, Spec
from ..models import DISTRICT_ROLES, REGISTRY
from ..models import ROLES as ALL_ROLES
from ..models.records import CATEGORIES, CERT_TYPES, GROUPS, INSPECTION_ITEMS

__all__ = ["CATEGORIES", "CERT_TYPES", "GROUPS", "INSPECTION_ITEMS", "MEALS", "ROLES", "RecordType",
           "audit_kinds", "groups", "kind_label", "kinds_in_order", "record_type", "record_types",
           "referenced_model_names"]

# The roles a canteen's administrator hands out (the district roles are the district's to give).
ROLES = tuple(r for r in ALL_ROLES if r[0] not in DISTRICT_ROLES)
# Audit-trail kinds that are not record types, with their labels.
OTHER_KINDS = {"users": ("Users", "用户"), "settings": ("Settings", "设置"), "sites": ("Canteen", "食堂")}
# What an "export" entry names besides a record type: the documents and the backup.
DOCUMENTS = {"archive": ("Inspection archive", "检查档案"), "daily-sheet": ("Daily sheet", "每日记录表"),
             "sample-labels": ("Sample labels", "留样标签"), "disclosure": ("Monthly disclosure", "伙食费收支公示"),
             "backup": ("Backup", "备份")}


@dataclass(frozen=True)
class RecordType:
    """One record type: its names, what its event is, its navigation group and its fields.

    `event` is "date" (happens on a day), "datetime" (at a moment) or "none" (master data);
    `planned` types may describe a future day; `day_is_event` is false where `day` holds
    something else (a ledger month keeps its month there).
    """

    kind: str
    model_name: str
    en: str
    zh: str
    event: str
    event_en: str
    event_zh: str
    group: str
    planned: bool
    day_is_event: bool
    fields: tuple[Spec, ...]

    def label(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en

    def event_label(self, language: str = "en") -> str:
        return self.event_zh if language.startswith("zh") else self.event_en

    def field(self, name: str) -> Spec:
        """The spec of one of its own fields (KeyError for any other name, bookkeeping included)."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def has_field(self, name: str) -> bool:
        return any(spec.name == name for spec in self.fields)


@functools.cache
def _types() -> dict[str, RecordType]:
    """Built once: the registry is complete once the models are imported, and never changes."""
    return {kind: RecordType(kind=kind, model_name=model.__name__, en=model.EN, zh=model.ZH, event=model.EVENT,
                             event_en=model.EVENT_EN, event_zh=model.EVENT_ZH, group=model.GROUP,
                             planned=model.PLANNED, day_is_event=model.DAY_IS_EVENT, fields=tuple(model.FIELDS))
            for kind, model in REGISTRY.items()}


def record_type(kind: str) -> RecordType:
    """The metadata of one record type; NotFound for an unknown kind, as the services say it."""
    try:
        return _types()[kind]
    except (KeyError, TypeError):  # TypeError: a script passed a list or a dict as the kind
        raise NotFound(f"Unknown record type {kind!r}.", f"未知的记录类型“{kind}”。") from None


def record_types() -> list[RecordType]:
    """Every record type, in the order the models declare them."""
    return list(_types().values())


def groups() -> tuple[tuple[str, str, str], ...]:
    """The navigation groups in order, each (key, English, Chinese)."""
    return GROUPS


def kinds_in_order() -> list[str]:
    """Record kinds grouped as the navigation groups them, declaration order within a group."""
    order = [g[0] for g in GROUPS]
    types = _types()
    declared = list(types)
    return sorted(types, key=lambda k: (order.index(types[k].group) if types[k].group in order else 99,
                                        declared.index(k)))


def kind_label(kind: str, language: str = "en") -> str:
    """The name of a kind in the audit trail: a record type, users, settings, the canteen, or an
    exported document; anything else shows as it is stored."""
    zh = language.startswith("zh")
    found = _types().get(kind)
    if found is not None:
        return found.zh if zh else found.en
    pair = OTHER_KINDS.get(kind) or DOCUMENTS.get(kind)
    return kind if pair is None else pair[1 if zh else 0]


def audit_kinds(language: str = "en") -> list[str]:
    """The kinds the audit page filters by: record types sorted by their name in the language,
    then users, settings and the canteen."""
    return [*sorted(_types(), key=lambda k: kind_label(k, language)), *OTHER_KINDS]


def referenced_model_names() -> frozenset[str]:
    """Model names that some record refers to (whose titles a list or a document needs)."""
    return frozenset(spec.ref for t in _types().values() for spec in t.fields if spec.type.reference)
