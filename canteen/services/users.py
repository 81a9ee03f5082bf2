"""Users: creating them, checking passwords (Argon2id), opening a session."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..db import write_transaction
from ..errors import AuthError, ValidationError
from ..integrity import chain
from ..models import ROLES, Site, User
from ..timeutil import utcnow
from .session import Session

HASHER = PasswordHasher()  # Argon2id with the library's current parameters
ROLE_VALUES = tuple(r[0] for r in ROLES)
MIN_PASSWORD = 4


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def check_new_user(username: str, display_name: str, role: str, password: str) -> None:
    if not username or not username.replace("_", "").replace(".", "").isalnum() or len(username) > 64:
        raise ValidationError("username", "must be letters and digits, at most 64", "只能包含字母和数字，最多 64 个字符", "User name", "用户名")
    if role not in ROLE_VALUES:
        raise ValidationError("role", f"must be one of {', '.join(ROLE_VALUES)}", "角色无效", "Role", "角色")
    if not display_name.strip():
        raise ValidationError("display_name", "is required", "必须填写", "Name", "姓名")
    if len(password) < MIN_PASSWORD:
        raise ValidationError("password", f"must have at least {MIN_PASSWORD} characters", f"至少 {MIN_PASSWORD} 个字符", "Password", "密码")
    if User.get_or_none(User.username == username):
        raise ValidationError("username", f"{username!r} is taken", f"“{username}”已被使用", "User name", "用户名")


def add_user(site: Site, username: str, display_name: str, role: str, password: str,
             post: str = "", by: User | None = None, password_hash: str | None = None) -> User:
    """Create a user (the caller checks that `by` may); audited."""
    check_new_user(username, display_name, role, password)
    with write_transaction():
        user = User.create(site=site, username=username, display_name=display_name.strip(), post=post,
                           role=role, password_hash=password_hash or hash_password(password), created_at=utcnow())
        chain.append("user-create", user=by or user, site_id=site.id, kind="users", record_id=user.id,
                     after={"username": username, "display_name": display_name, "role": role})
    return user


def create_site(name: str, admin_username: str, admin_password: str, school: str = "") -> tuple[Site, User]:
    """A new canteen with its first administrator."""
    if not name.strip():
        raise ValidationError("site", "is required", "必须填写", "Canteen name", "食堂名称")
    with write_transaction():
        site = Site.create(name=name.strip(), school=school or name.strip(), created_at=utcnow())
        chain.append("site-create", site_id=site.id, kind="sites", record_id=site.id, after={"name": site.name})
        admin = add_user(site, admin_username, "System administrator", "admin", admin_password)
    return site, admin


def login(username: str, password: str) -> Session:
    """A session for the user, or AuthError with a message that does not say which part was wrong."""
    user = User.get_or_none(User.username == username)
    if user is None or not user.active:
        raise AuthError("Wrong user name or password.", "用户名或密码错误。")
    try:
        HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        with write_transaction():
            chain.append("login-failed", user=user, site_id=user.site_id, kind="users", record_id=user.id)
        raise AuthError("Wrong user name or password.", "用户名或密码错误。") from None
    with write_transaction():
        if HASHER.check_needs_rehash(user.password_hash):
            User.update(password_hash=hash_password(password)).where(User.id == user.id).execute()
        chain.append("login", user=user, site_id=user.site_id, kind="users", record_id=user.id)
    return Session(user=user, site=Site.get_by_id(user.site_id))


def session_for(username: str, clock=None) -> Session:
    """A session without a password, for code that already proved who is acting (the demo builder)."""
    user = User.get(User.username == username)
    session = Session(user=user, site=Site.get_by_id(user.site_id))
    if clock is not None:
        session.clock = clock
    return session
