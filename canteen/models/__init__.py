"""All tables. Import from here; the registry maps each record kind to its model.

Importing the package registers the tables with the storage rung (`migrations.register_schema`),
so storage can create and migrate the schema without importing the models."""

from .. import migrations
from ..errors import NotFound
from .base import MODELS, REGISTRY, BaseModel, DatabaseFact, Record, Setting, Site  # noqa: F401
from .people import DISTRICT_ROLES, ROLES, Attachment, AuditEntry, Signature, User, UserKey  # noqa: F401
from .push import PUSH_TABLES, Enrolment, PendingPush, PushReceipt, ReceivedBlob, ReceivedEntry, ReceivedId, SiteKey  # noqa: F401
from .records import *  # noqa: F401,F403
from .records import GROUPS  # noqa: F401
from .search import install as install_search_indexes

PLAIN_TABLES = (Site, DatabaseFact, Setting, User, UserKey, AuditEntry, Signature, Attachment)


def all_tables() -> list:
    """Every table in creation order (referenced tables first)."""
    return list(PLAIN_TABLES) + list(REGISTRY.values()) + list(PUSH_TABLES)


migrations.register_schema(all_tables)
migrations.register_derived(install_search_indexes)


def model_for(kind: str) -> type[Record]:
    """The model of a record kind; NotFound (in both languages) for a kind that does not exist."""
    try:
        return REGISTRY[kind]
    except (KeyError, TypeError):  # TypeError: a script passed a list or a dict as the kind
        raise NotFound(f"Unknown record type {kind!r}.", f"未知的记录类型“{kind}”。") from None
