"""Users: creating and managing them, checking passwords (Argon2id), opening a session.

Every user is one person (user names are unique: no shared accounts). A wrong password slows
the next attempt, five in a row lock the account for a while; every failure, lock, password
change and administrator action is written to the audit trail.
"""

from __future__ import annotations

import datetime as dt

from argon2.exceptions import InvalidHashError, VerificationError

from .. import row_security
from ..db import current, service_transaction
from ..errors import AuthError, ValidationError
from ..integrity import chain, signatures, sitekey
from ..models import DISTRICT_ROLES, ROLES, Site, User
from ..models.base import DatabaseFact
from ..timeutil import utcnow
from . import permissions
from .session import Session

ROLE_VALUES = tuple(r[0] for r in ROLES)
MIN_PASSWORD = 4
MAX_FAILURES = 5          # wrong passwords in a row that lock the account
LOCK_MINUTES = 15         # how long a locked account stays locked
SLOW_AFTER = 2            # wrong passwords allowed before each further try must wait
SLOW_SECONDS = 2          # first wait; it doubles with each further wrong password


def hash_password(password: str) -> str:
    return signatures.HASHER.hash(password)


def _require_text(value, field: str, en: str, zh: str) -> None:
    """A script may pass None or a number where a name is expected: name the field, do not crash."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be text, not {type(value).__name__}", "必须是文字", en, zh)


def check_new_user(username: str, display_name: str, role: str, password: str, post: str = "") -> None:
    _require_text(username, "username", "User name", "用户名")
    _require_text(display_name, "display_name", "Name", "姓名")
    _require_text(post, "post", "Post", "职务")
    if not username or not username.replace("_", "").replace(".", "").isalnum() or len(username) > 64:
        raise ValidationError("username", "must be letters and digits, at most 64", "只能包含字母和数字，最多 64 个字符", "User name", "用户名")
    check_role(role)
    if not display_name.strip():
        raise ValidationError("display_name", "is required", "必须填写", "Name", "姓名")
    check_password_quality(password)
    if User.get_or_none(User.username == username):
        raise ValidationError("username", f"{username!r} is taken", f"“{username}”已被使用", "User name", "用户名")


def check_role(role: str) -> None:
    if role not in ROLE_VALUES:
        raise ValidationError("role", f"must be one of {', '.join(ROLE_VALUES)}", "角色无效", "Role", "角色")


def check_password_quality(password: str, field: str = "password") -> None:
    if password is not None:
        _require_text(password, field, "Password", "密码")
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(field, f"must have at least {MIN_PASSWORD} characters", f"至少 {MIN_PASSWORD} 个字符", "Password", "密码")


def add_user(site: Site | None, username: str, display_name: str, role: str, password: str,
             post: str = "", by: User | None = None, password_hash: str | None = None,
             must_change_password: bool = False) -> User:
    """Create a user and their signing key pair (the caller checks that `by` may); audited."""
    post = "" if post is None else post
    check_new_user(username, display_name, role, password, post)
    with service_transaction(site.id if site else None):
        user = User.create(site=site, username=username, display_name=display_name.strip(), post=post,
                           role=role, password_hash=password_hash or hash_password(password), created_at=utcnow(),
                           must_change_password=must_change_password)
        chain.append("user-create", user=by or user, site_id=site.id if site else None, kind="users", record_id=user.id,
                     after={"username": username, "display_name": display_name, "role": role, "post": post})
        signatures.issue_key(user, password, by=by or user)
    return user


def create_site(name: str, admin_username: str, admin_password: str, school: str = "") -> tuple[Site, User]:
    """A new canteen with its first administrator."""
    _require_text(name, "site", "Canteen name", "食堂名称")
    _require_text(school, "school", "School", "学校")
    if not name.strip():
        raise ValidationError("site", "is required", "必须填写", "Canteen name", "食堂名称")
    with service_transaction():
        site = Site.create(name=name.strip(), school=school or name.strip(), created_at=utcnow())
        chain.append("site-create", site_id=site.id, kind="sites", record_id=site.id, after={"name": site.name})
        admin = add_user(site, admin_username, "System administrator", "admin", admin_password)
        sitekey.issue_site_key(site.id, admin, admin_password)
    return site, admin


DISTRICT_KEY = "district"  # the name of a district database, kept in `meta`


def create_district(name: str, admin_username: str, admin_password: str) -> User:
    """A district database: its name and its first district administrator, no canteen yet."""
    _require_text(name, "district", "District name", "区县名称")
    if not name.strip():
        raise ValidationError("district", "is required", "必须填写", "District name", "区县名称")
    with service_transaction():
        DatabaseFact.insert(key=DISTRICT_KEY, value=name.strip()).on_conflict(
            conflict_target=[DatabaseFact.key], update={DatabaseFact.value: name.strip()}).execute()
        admin = add_user(None, admin_username, "District administrator", "district-admin", admin_password)
    return admin


def district_name() -> str:
    """The district a database serves, or "" for a canteen's own database."""
    row = DatabaseFact.get_or_none(DatabaseFact.key == DISTRICT_KEY)
    return row.value if row else ""


# ----------------------------------------------------------------------------------------- passwords

def _wrong() -> AuthError:
    return AuthError("Wrong user name or password.", "用户名或密码错误。")


def wait_after(failures: int) -> dt.timedelta:
    """How long a user must wait before the next try, after `failures` wrong passwords in a row."""
    if failures >= MAX_FAILURES:
        return dt.timedelta(minutes=LOCK_MINUTES)
    if failures <= SLOW_AFTER:
        return dt.timedelta(0)
    return dt.timedelta(seconds=SLOW_SECONDS * 2 ** (failures - SLOW_AFTER - 1))


def refuse_if_waiting(user: User, now: dt.datetime, action: str) -> None:
    """A locked or slowed account is refused before its password is even looked at (audited)."""
    if user.locked_until is None or now >= user.locked_until:
        return
    with service_transaction(user.site_id):
        chain.append(action, user=user, site_id=user.site_id, kind="users", record_id=user.id,
                     reason="locked" if user.failed_attempts >= MAX_FAILURES else "too soon", at=now)
    seconds = max(1, int((user.locked_until - now).total_seconds() + 0.999))
    if user.failed_attempts >= MAX_FAILURES:
        minutes = (seconds + 59) // 60
        raise AuthError(
            f"The account is locked after {MAX_FAILURES} wrong passwords; try again in {minutes} min "
            "or ask the administrator to reset the password.",
            f"密码连续错误 {MAX_FAILURES} 次，账户已锁定；请 {minutes} 分钟后再试，或请系统管理员重置密码。")
    raise AuthError(f"Too many wrong passwords; try again in {seconds} s.",
                    f"密码错误次数过多，请 {seconds} 秒后再试。")


def record_failure(user: User, now: dt.datetime, action: str) -> None:
    """Count a wrong password, slow or lock the account, and audit both, in their own transaction."""
    with service_transaction(user.site_id):
        failures = User.get_by_id(user.id).failed_attempts + 1
        wait = wait_after(failures)
        user.failed_attempts, user.locked_until = failures, (now + wait) if wait else None
        User.update(failed_attempts=failures, locked_until=user.locked_until).where(User.id == user.id).execute()
        chain.append(action, user=user, site_id=user.site_id, kind="users", record_id=user.id,
                     reason=f"wrong password ({failures} in a row)", at=now)
        if failures >= MAX_FAILURES:
            chain.append("account-locked", user=user, site_id=user.site_id, kind="users", record_id=user.id,
                         after={"locked_until": user.locked_until}, reason=f"{failures} wrong passwords", at=now)


def password_matches(user: User, password: str) -> bool:
    if password is not None and not isinstance(password, str):
        return False  # a number or a list is simply not the password (counted like any wrong one)
    stored = User.read_secret(user.id)
    try:
        return stored is not None and signatures.HASHER.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user: User, password: str, now: dt.datetime | None = None,
                    action: str = "password-failed") -> None:
    """Check the password of a known user (to sign, to change it), counting failures like a login.

    Raises AuthError when the account is locked, slowed or the password is wrong.
    """
    now = now or utcnow()
    fresh = User.get_by_id(user.id)
    refuse_if_waiting(fresh, now, action + "-refused")
    if not password_matches(fresh, password):
        record_failure(fresh, now, action)
        raise _wrong()
    if fresh.failed_attempts or fresh.locked_until:
        User.update(failed_attempts=0, locked_until=None).where(User.id == user.id).execute()
    user.failed_attempts, user.locked_until = 0, None


def login(username: str, password: str, now: dt.datetime | None = None) -> Session:
    """A session for the user, or AuthError with a message that does not say which part was wrong.

    A session whose `must_change_password` is true (after an administrator's reset) must change
    the password before anything else; the GUI enforces that.
    """
    now = now or utcnow()
    # a list would become SQL "IN (...)": only a text user name names a user
    user = User.get_or_none(User.username == username) if isinstance(username, str) else None
    bound = row_security.login_site(current())
    if user is not None and bound is not None and user.site_id != bound:
        refuse_other_canteen(user, bound, now)
    if user is None or not user.active:
        with service_transaction(user.site_id if user else bound):
            chain.append("login-failed", user=user, site_id=user.site_id if user else bound, kind="users",
                         record_id=user.id if user else None,
                         reason="inactive account" if user else f"unknown user {username!r}", at=now)
        raise _wrong()
    verify_password(user, password, now, action="login-failed")
    with service_transaction(user.site_id):
        if signatures.HASHER.check_needs_rehash(User.read_secret(user.id)):
            User.update(password_hash=hash_password(password)).where(User.id == user.id).execute()
        chain.append("login", user=user, site_id=user.site_id, kind="users", record_id=user.id, at=now)
    return _session(user)


def refuse_other_canteen(user: User, bound: int, now: dt.datetime) -> None:
    """On a connection with a canteen's own database login only that canteen's users sign in (a
    district user sees every canteen: they connect with the district's login); the refusal is
    in the canteen's chain, the only one this login may write."""
    with service_transaction(bound):
        chain.append("login-failed", site_id=bound, kind="users", record_id=user.id,
                     reason=f"{user.username!r} is not a user of this canteen's database login", at=now)
    raise AuthError(f"{user.username} cannot sign in through this canteen's own database login; district users "
                    "connect with the district's login.",
                    f"{user.username} 不能通过本食堂自己的数据库登录名登录；区县用户请使用区县的数据库登录名连接。")


def login_at_desk(username: str, password: str) -> Session:
    """The desk's sign-in. A school user opens their canteen's pages; the district inspector, who
    has no canteen, opens the district page (every canteen, read-only). The district administrator
    keeps canteens, users and settings defaults, which are done on the command line, and reads no
    records, so the desk has nothing to show them."""
    session = login(username, password)
    if session.site is None and session.role not in permissions.ALL_SITE_READERS:
        raise AuthError("The district administrator works on the command line ('canteen --user NAME site add|user add|"
                        "setting set …'); the desk shows canteens' records.",
                        "区县管理员请使用命令行（canteen --user 用户名 site add|user add|setting set …）；"
                        "桌面程序显示食堂的记录。")
    return session


def _session(user: User) -> Session:
    session = Session(user=user, site=Site.get_by_id(user.site_id) if user.site_id is not None else None)
    session.must_change_password = bool(user.must_change_password)
    return session


def confirm(username: str, password: str, now: dt.datetime | None = None) -> Session:
    """A session for a command the password authorises without entering the program: a push,
    whose file the site key this password opens signs. Failures count as a login's do, but a
    success writes no sign-in entry — else every push would carry the last push's sign-in and
    pushing twice would never send "0 new entries"."""
    now = now or utcnow()
    user = User.get_or_none(User.username == username) if isinstance(username, str) else None
    if user is None or not user.active:
        raise _wrong()
    with service_transaction(user.site_id):
        verify_password(user, password, now, action="login-failed")
    return _session(user)


def session_for(username: str, clock=None) -> Session:
    """A session without a password, for code that already proved who is acting (the demo builder)."""
    user = User.get(User.username == username)
    session = _session(user)
    if clock is not None:
        session.clock = clock
    return session


def change_password(session: Session, old_password: str, new_password: str) -> None:
    """The user changes their own password; their signing key is renewed under the new one.

    Old public keys stay, so earlier signatures still verify; the new key pair is the one used
    from now on (the private key cannot be carried over when an administrator reset it).
    """
    user = session.user
    verify_password(user, old_password, session.now(), action="password-change-failed")
    check_password_quality(new_password, "new_password")
    if new_password == old_password:
        raise ValidationError("new_password", "must differ from the old one", "不能与旧密码相同", "New password", "新密码")
    with service_transaction(user.site_id):
        _store_password(user, new_password, must_change=False)
        chain.append("password-change", user=user, site_id=user.site_id, kind="users", record_id=user.id,
                     at=session.now())
        signatures.issue_key(user, new_password, by=user)
        sitekey.reseal_site_key(user, old_password, new_password)
    session.must_change_password = False


def _store_password(user: User, password: str, must_change: bool) -> None:
    user.must_change_password, user.failed_attempts, user.locked_until = must_change, 0, None
    User.update(password_hash=hash_password(password), must_change_password=must_change, failed_attempts=0,
                locked_until=None).where(User.id == user.id).execute()


# ------------------------------------------------------------------------------ administrator actions

def _target(admin_session: Session, username: str, action: str) -> User:
    permissions.require_manage_users(admin_session, action)
    _require_text(username, "username", "User name", "用户名")  # a list would become SQL "IN (...)"
    user = User.get_or_none((User.username == username) & (User.site == admin_session.site_id))
    if user is None:
        raise ValidationError("username", f"no user {username!r}", f"没有用户“{username}”", "User name", "用户名")
    return user


def create_user(admin_session: Session, username: str, display_name: str, role: str, password: str,
                post: str = "", site: Site | None = None) -> User:
    """An administrator adds a person; they must choose their own password at first login.

    A canteen's administrator adds school users to their own canteen; the district administrator
    adds district users (no canteen) and school users to the canteen named by `site`."""
    permissions.require_manage_users(admin_session, "add users")
    check_role(role)
    target = _site_of_new_user(admin_session, role, site)
    return add_user(target, username, display_name, role, password, post=post,
                    by=admin_session.user, must_change_password=True)


def _site_of_new_user(admin_session: Session, role: str, site: Site | None) -> Site | None:
    district_admin = admin_session.role in permissions.DISTRICT_ADMINS
    if role in DISTRICT_ROLES:
        if not district_admin:
            raise permissions.refuse(admin_session, "add users", "users")
        return None
    site = site or admin_session.site
    if site is None:
        raise ValidationError("site", "a school user belongs to one canteen: name it (--site NAME)",
                              "学校用户须属于一个食堂：请指定食堂（--site 名称）", "Canteen", "食堂")
    if not district_admin and site.id != admin_session.site_id:
        raise permissions.refuse(admin_session, "add users", "users")
    return site


def reset_password(admin_session: Session, username: str, new_password: str) -> None:
    """An administrator sets a temporary password, unlocks the account and forces a change."""
    user = _target(admin_session, username, "reset passwords")
    check_password_quality(new_password)
    with service_transaction(user.site_id):
        _store_password(user, new_password, must_change=True)
        chain.append("password-reset", user=admin_session.user, site_id=user.site_id, kind="users",
                     record_id=user.id, after={"username": username, "must_change_password": True},
                     at=admin_session.now())
        signatures.issue_key(user, new_password, by=admin_session.user)


def _admins_left_without(user: User, site_id: int) -> int:
    return User.select().where((User.site == site_id) & (User.role == "admin") & (User.active == True)  # noqa: E712
                               & (User.id != user.id)).count()


def set_active(admin_session: Session, username: str, active: bool) -> User:
    """Enable or disable a login; a person who leaves is disabled, never deleted (audited)."""
    user = _target(admin_session, username, "enable or disable users")
    if not isinstance(active, bool):  # bool("no") is True: a script's "no" must not enable an account
        raise ValidationError("active", f"must be yes or no (True/False), not {active!r:.20}", "必须为“是”或“否”",
                              "Active", "启用")
    if not active and user.role == "admin" and not _admins_left_without(user, user.site_id):
        raise ValidationError("active", "the last administrator cannot be disabled", "不能停用最后一个系统管理员", "Active", "启用")
    with service_transaction(user.site_id):
        user.active = bool(active)
        changes = {"active": user.active}
        if active:
            changes.update(failed_attempts=0, locked_until=None)
            user.failed_attempts, user.locked_until = 0, None
        User.update(**changes).where(User.id == user.id).execute()
        chain.append("user-enable" if active else "user-disable", user=admin_session.user, site_id=user.site_id,
                     kind="users", record_id=user.id, after={"username": username, "active": user.active},
                     at=admin_session.now())
    return user


def set_role(admin_session: Session, username: str, role: str) -> User:
    """Give a user another role (audited with the old and new role)."""
    user = _target(admin_session, username, "change roles")
    check_role(role)
    if (role in DISTRICT_ROLES) != (user.site_id is None):
        raise ValidationError("role", "a canteen's users hold school roles, the district's users district roles",
                              "食堂用户只能担任学校角色，区县用户只能担任区县角色", "Role", "角色")
    if user.role == "admin" and role != "admin" and not _admins_left_without(user, user.site_id):
        raise ValidationError("role", "the last administrator must stay an administrator", "最后一个系统管理员不能改为其他角色", "Role", "角色")
    with service_transaction(user.site_id):
        before = {"username": username, "role": user.role}
        user.role = role
        User.update(role=role).where(User.id == user.id).execute()
        chain.append("user-role", user=admin_session.user, site_id=user.site_id, kind="users", record_id=user.id,
                     before=before, after={"username": username, "role": role}, at=admin_session.now())
    return user


def list_users(session: Session) -> list[User]:
    """The site's users, for the administrator's page and the auditor's reading."""
    permissions.require_read_users(session)
    return list(User.select().where(User.site == session.site_id).order_by(User.username))
