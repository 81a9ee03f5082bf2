"""The canteen's details, its settings and its users, as the admin page and the documents show them.

The site is read afresh (not taken from the session, which holds the row as it was at sign-in),
so a document printed after the administrator renamed the canteen carries the new name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .. import settings
from ..models import Site, User
from .scope import require_user_reader, scope_of


@dataclass(frozen=True)
class SiteInfo:
    """One canteen: what the admin page edits and every document prints in its heading."""

    id: int
    name: str
    school: str
    licence_no: str
    address: str
    timezone: str


@dataclass(frozen=True)
class UserInfo:
    """One account as the user list shows it (no password hash, no key)."""

    id: int
    username: str
    display_name: str
    post: str
    role: str
    active: bool
    must_change_password: bool
    created_at: dt.datetime


def site_info(session) -> SiteInfo:
    """The reader's canteen as it is stored now."""
    site = Site.get_by_id(scope_of(session).site_id)
    return SiteInfo(site.id, site.name, site.school, site.licence_no, site.address, site.timezone)


def setting_values(session) -> dict[str, Any]:
    """Every setting of the reader's canteen, its default where none is stored."""
    return settings.all_for(scope_of(session).site_id)


def users(session) -> list[UserInfo]:
    """The canteen's users by user name; refused (and the refusal audited) unless the reader
    may see them, as the users service does."""
    require_user_reader(session)
    site_id = scope_of(session).site_id
    return [UserInfo(u.id, u.username, u.display_name, u.post, u.role, bool(u.active),
                     bool(u.must_change_password), u.created_at)
            for u in User.select().where(User.site == site_id).order_by(User.username)]
