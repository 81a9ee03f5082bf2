"""Whose view a read is: the session turned into the facts every read filters by.

Every read function starts from `scope_of(session)`, so the site a reader sees (and the role
the few role-checked reads need) is decided here only. The district issue widens `Scope` to a
set of sites; the read functions then change here and in their WHERE, their callers not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..services import permissions


@dataclass(frozen=True)
class Scope:
    """The signed-in reader: their canteen, its time zone, their role and who they are."""

    site_id: int
    tz: str
    role: str
    user_id: int
    username: str


def scope_of(session) -> Scope:
    """The scope of a signed-in session."""
    return Scope(site_id=session.site.id, tz=session.tz, role=session.role,
                 user_id=session.user.id, username=session.user.username)


def require_user_reader(session) -> None:
    """Refuse (and audit the refusal) unless the reader may see the user list, as the users
    service does."""
    permissions.require_read_users(session)


@dataclass(frozen=True)
class CanteenRef:
    """One canteen as a district read names it: its id, its name and its time zone."""

    id: int
    name: str
    tz: str


def district_canteens(session) -> list[CanteenRef]:
    """Every canteen of the database, for a reader who reads them all (the district inspector).

    The district reads widen the scope from one canteen to the whole database here only; a school
    user, or the district administrator (who reads no records), is refused and the refusal audited.
    """
    from ..models import Site
    permissions.require_all_sites(session)
    return [CanteenRef(s.id, s.name, s.timezone) for s in Site.select().order_by(Site.id)]
