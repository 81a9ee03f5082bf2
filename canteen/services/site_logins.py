"""A canteen's own PostgreSQL login (issue 11, item 3): the district administrator gives a canteen
a database login that the server itself confines to that canteen's rows (canteen/row_security.py
has the policies and why). Run with the login that owns the tables; creating a login also needs
CREATEROLE, and a login the server's administrator made beforehand is mapped as it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import peewee

from .. import row_security
from ..db import current, is_sqlite, service_transaction, storage_error
from ..errors import StorageError
from ..integrity import chain
from . import permissions, site_admin


@dataclass(frozen=True)
class SiteLogin:
    login: str
    site_name: str
    created: bool  # False: the login existed and was only mapped and granted


def grant_site_login(session, site_name: str, login: str, password: Callable[[], str]) -> SiteLogin:
    """Map `login` to the canteen `site_name`: the policies are installed (or refreshed), the login
    is created when it does not exist (its password asked through `password` only then), granted
    what a canteen login may do and written into the canteen's chain."""
    permissions.require_district_admin(session, "give canteens their database logins")
    db = current()
    if is_sqlite(db):
        raise StorageError("A canteen's own database login exists only on PostgreSQL; a SQLite file is guarded by "
                           "its own file permissions.", "食堂自己的数据库登录名仅用于 PostgreSQL；SQLite 文件由其文件权限保护。")
    site = site_admin.find_site(site_name)
    created = not row_security.login_exists(db, login)
    secret = password() if created else ""
    with service_transaction():
        try:
            _grant(db, login, site.id, secret if created else None)
        except peewee.DatabaseError as exc:
            raise _refusal(exc, login) from exc
        chain.append("site-login", user=session.user, site_id=site.id, kind="sites", record_id=site.id,
                     after={"login": login, "created": created}, at=session.now())
    return SiteLogin(login, site.name, created)


def _grant(db, login: str, site_id: int, password: str | None) -> None:
    row_security.install(db)
    if password is not None:
        row_security.create_login(db, login, password)
    row_security.refuse_bypassing(db, login)
    row_security.bind(db, login, site_id)


def _refusal(exc: Exception, login: str) -> StorageError:
    text = str(exc).lower()
    if "permission denied to create role" in text:
        return StorageError(f"This connection's PostgreSQL login may not create logins (it lacks CREATEROLE): have the "
                            f"server's administrator run CREATE ROLE {login} LOGIN PASSWORD '…', then run this again.",
                            f"本连接的 PostgreSQL 登录名无权创建登录名（缺少 CREATEROLE）：请服务器管理员执行 "
                            f"CREATE ROLE {login} LOGIN PASSWORD '…'，然后重新运行本命令。")
    if "must be owner" in text:
        return StorageError("Give canteens their logins with the PostgreSQL login that owns the tables (the one that "
                            "ran init).", "请使用拥有数据表的 PostgreSQL 登录名（执行 init 的那个）为食堂设置登录名。")
    return storage_error(exc)


def connection_site() -> int | None:
    """The canteen this connection's own login serves (None: the district's login, or SQLite)."""
    return row_security.login_site(current())
