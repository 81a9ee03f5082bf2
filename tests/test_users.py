"""Users: Argon2id passwords, slowing and locking after wrong passwords, administrator actions."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from conftest import PASSWORD

from canteen.errors import AuthError, ValidationError
from canteen.integrity import signatures
from canteen.models import AuditEntry, User, UserKey
from canteen.services import users
from canteen.timeutil import utcnow


def actions(username: str | None = None) -> list[str]:
    query = AuditEntry.select().order_by(AuditEntry.seq)
    if username:
        query = query.where(AuditEntry.username == username)
    return [e.action for e in query]


def test_login_opens_a_session_and_is_audited(site):
    session = users.login("doctor", PASSWORD)
    assert session.user.username == "doctor" and session.site.id == site.id
    assert session.must_change_password is False
    assert actions("doctor")[-1] == "login"


def test_a_user_read_anywhere_carries_no_password_hash_it_is_read_only_to_check_one(site):
    """A plain read of a user (and of a key) leaves the secret out, so nothing that shows or passes
    a user around holds it; saving such a user keeps the stored hash."""
    user = User.get(User.username == "doctor")
    assert user.password_hash is None and "password_hash" not in user.__data__
    assert UserKey.get(UserKey.user == user.id).private_key_enc is None
    stored = stored_hash("doctor")
    user.display_name = "王医生"
    user.save()
    assert stored_hash("doctor") == stored and users.login("doctor", PASSWORD).user.display_name == "王医生"


def stored_hash(username: str) -> str:
    return User.read_secret(User.get(User.username == username).id)


def test_password_is_stored_as_argon2id(site):
    stored = stored_hash("doctor")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_hash_is_renewed_when_parameters_change(site, monkeypatch):
    old = stored_hash("doctor")
    monkeypatch.setattr(signatures, "HASHER", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    users.login("doctor", PASSWORD)
    new = stored_hash("doctor")
    assert new != old and "m=2048,t=2" in new
    users.login("doctor", PASSWORD)  # the renewed hash still opens
    assert stored_hash("doctor") == new


def test_wrong_password_and_unknown_user_say_the_same_and_are_audited(site):
    with pytest.raises(AuthError) as wrong:
        users.login("doctor", "nope")
    with pytest.raises(AuthError) as unknown:
        users.login("nobody", "nope")
    assert wrong.value.en == unknown.value.en == "Wrong user name or password."
    failed = [e for e in AuditEntry.select().where(AuditEntry.action == "login-failed")]
    assert len(failed) == 2 and "nobody" in failed[1].reason


def test_repeated_wrong_passwords_slow_then_lock(site):
    t0 = utcnow()
    for n in range(users.SLOW_AFTER):
        with pytest.raises(AuthError, match="Wrong user name"):
            users.login("doctor", "nope", now=t0)
    with pytest.raises(AuthError, match="Wrong user name"):
        users.login("doctor", "nope", now=t0)  # this one starts the waiting
    with pytest.raises(AuthError, match="try again in 1 s"):
        users.login("doctor", PASSWORD, now=t0 + dt.timedelta(seconds=1))  # even the right password waits
    t = t0 + users.wait_after(users.SLOW_AFTER + 1)
    for n in range(users.SLOW_AFTER + 2, users.MAX_FAILURES + 1):
        with pytest.raises(AuthError):
            users.login("doctor", "nope", now=t)
        t += users.wait_after(n)
    user = User.get(User.username == "doctor")
    assert user.failed_attempts == users.MAX_FAILURES
    with pytest.raises(AuthError, match="locked"):
        users.login("doctor", PASSWORD, now=t - dt.timedelta(minutes=1))
    assert actions("doctor").count("account-locked") == 1
    assert "login-failed-refused" in actions("doctor")
    session = users.login("doctor", PASSWORD, now=user.locked_until)
    assert User.get_by_id(session.user.id).failed_attempts == 0


def test_lock_lasts_the_set_minutes(site):
    t0 = utcnow()
    assert users.wait_after(users.MAX_FAILURES) == dt.timedelta(minutes=users.LOCK_MINUTES)
    User.update(failed_attempts=users.MAX_FAILURES - 1).where(User.username == "manager").execute()
    with pytest.raises(AuthError):
        users.login("manager", "nope", now=t0)
    locked = User.get(User.username == "manager").locked_until
    assert locked == t0 + dt.timedelta(minutes=users.LOCK_MINUTES)


def test_admin_reset_forces_a_change_at_next_login(site, sessions):
    users.reset_password(sessions["admin"], "doctor", "temp1")
    session = users.login("doctor", "temp1")
    assert session.must_change_password is True
    users.change_password(session, "temp1", "mine2")
    assert session.must_change_password is False
    assert users.login("doctor", "mine2").must_change_password is False
    assert {"password-reset", "password-change"} <= set(actions())


def test_reset_unlocks_a_locked_account(site, sessions):
    User.update(failed_attempts=5, locked_until=utcnow() + dt.timedelta(minutes=10)).where(User.username == "doctor").execute()
    users.reset_password(sessions["admin"], "doctor", "temp1")
    assert users.login("doctor", "temp1").must_change_password


def test_change_password_checks_the_old_one_and_renews_the_key(site, sessions):
    session = users.login("director", PASSWORD)
    keys_before = UserKey.select().where(UserKey.user == session.user.id).count()
    with pytest.raises(AuthError):
        users.change_password(session, "wrong", "newpass")
    with pytest.raises(ValidationError) as short:
        users.change_password(session, PASSWORD, "ab")
    assert short.value.field == "new_password"
    users.change_password(session, PASSWORD, "newpass")
    assert UserKey.select().where(UserKey.user == session.user.id).count() == keys_before + 1
    assert signatures.unlock_key(session.user, "newpass").key_id == signatures.current_key(session.user).id
    with pytest.raises(AuthError):
        signatures.unlock_key(session.user, PASSWORD)
    with pytest.raises(AuthError):
        users.login("director", PASSWORD)


def test_disabled_user_cannot_log_in(site, sessions):
    users.set_active(sessions["admin"], "manager", False)
    with pytest.raises(AuthError):
        users.login("manager", PASSWORD)
    users.set_active(sessions["admin"], "manager", True)
    assert users.login("manager", PASSWORD).user.username == "manager"
    assert {"user-disable", "user-enable"} <= set(actions("admin"))


def test_last_administrator_stays(site, sessions):
    with pytest.raises(ValidationError):
        users.set_active(sessions["admin"], "admin", False)
    with pytest.raises(ValidationError):
        users.set_role(sessions["admin"], "admin", "auditor")


def test_role_change_is_audited_with_before_and_after(site, sessions):
    users.set_role(sessions["admin"], "leader", "director")
    entry = AuditEntry.select().where(AuditEntry.action == "user-role").get()
    assert '"role":"leader"' in entry.before and '"role":"director"' in entry.after
    assert users.session_for("leader").role == "director"


def test_admin_creates_user_who_must_change_password(site, sessions):
    user = users.create_user(sessions["admin"], "cook1", "刘厨师", "manager", "start1", post="厨师")
    assert user.must_change_password
    assert users.login("cook1", "start1").must_change_password
    assert UserKey.select().where(UserKey.user == user.id).count() == 1


def test_no_shared_accounts_user_names_are_unique(site, sessions):
    with pytest.raises(ValidationError) as taken:
        users.create_user(sessions["admin"], "doctor", "另一位校医", "doctor", "start1")
    assert taken.value.field == "username"


def test_list_users(site, sessions):
    names = [u.username for u in users.list_users(sessions["admin"])]
    assert names == sorted(["admin", "manager", "doctor", "director", "leader", "auditor"])


def test_every_user_gets_a_key_pair_at_creation(site):
    for user in User.select():
        key = signatures.current_key(user)
        assert len(bytes(key.public_key)) == 32
        assert signatures.unlock_key(user, PASSWORD).private is not None
