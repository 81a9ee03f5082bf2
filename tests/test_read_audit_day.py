"""The audit trail, Today, the admin page's facts and the documents' records, read through
`canteen.read` as plain values and limited to the reader's canteen."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD, local_now

from canteen.errors import NotFound, PermissionDenied
from canteen.integrity.archive_check import compare_with_database
from canteen.read import admin, audit, day, documents
from canteen.read.audit import AuditQuery, AuditRow
from canteen.services import records, users
from canteen.today import last_service_day


@pytest.fixture
def other_site(site):
    """A second canteen on the same database, with a manager of its own."""
    other, _admin = users.create_site("另一所学校食堂", "admin2", PASSWORD, school="另一所学校")
    users.add_user(other, "manager2", "外校管理员", "manager", PASSWORD)
    return users.session_for("manager2")


def sample(session, weight="130", dish="红烧肉"):
    now = local_now() - dt.timedelta(minutes=5)
    return records.create(session, "samples", {"occurred_at": now, "dish": dish,
                                                "served_on": now.date(), "meal": "lunch", "weight_g": weight,
                                                "sampler": "王芳"})


# ---- audit -------------------------------------------------------------------------------------

def test_audit_block_is_newest_first_with_before_and_after_as_dicts(sessions):
    manager = sessions["manager"]
    created = sample(manager, "100")
    records.amend(manager, "samples", created.id, {"weight_g": "130"}, reason="weighed again")
    q = AuditQuery(kind="samples", record_id=created.id)
    assert audit.audit_count(manager, q) == 2
    amend, create = audit.audit_block(manager, q, 0, 10)
    assert isinstance(amend, AuditRow) and (amend.action, create.action) == ("amend", "create")
    assert amend.seq > create.seq and amend.reason == "weighed again"
    assert str(amend.before["weight_g"]) == "100" and str(amend.after["weight_g"]) == "130"
    assert create.before is None and create.after["dish"] == "红烧肉"
    assert audit.audit_block(manager, q, 1, 10) == [create]
    assert audit.audit_entry(manager, amend.seq) == amend
    assert amend.prev_hash == create.hash or amend.seq - create.seq > 1


def test_audit_filters_by_user_and_days(sessions):
    manager, doctor = sessions["manager"], sessions["doctor"]
    sample(manager)
    everything = audit.audit_count(manager, AuditQuery())
    mine = audit.audit_count(manager, AuditQuery(user_id=manager.user.id))
    assert 0 < mine < everything
    by_doctor = audit.audit_block(manager, AuditQuery(user_id=doctor.user.id), 0, 100)
    assert all(e.user_id == doctor.user.id for e in by_doctor)
    today = manager.today()
    assert audit.audit_count(manager, AuditQuery(start=today, end=today)) == everything
    assert audit.audit_count(manager, AuditQuery(start=today + dt.timedelta(days=1))) == 0
    assert audit.first_audit_day(manager) == today


def test_audit_reads_stay_in_the_readers_canteen(sessions, other_site):
    manager = sessions["manager"]
    theirs = sample(other_site)
    assert audit.audit_count(manager, AuditQuery(kind="samples", record_id=theirs.id)) == 0
    seq = audit.audit_block(other_site, AuditQuery(kind="samples"), 0, 1)[0].seq
    with pytest.raises(NotFound):
        audit.audit_entry(manager, seq)
    assert [u.username for u in audit.audit_users(manager)] == sorted(
        u.username for u in audit.audit_users(manager))
    assert "manager2" not in {u.username for u in audit.audit_users(manager)}


def test_period_audit_stops_at_the_chain_head_and_leaves_before_after_out(sessions):
    manager = sessions["manager"]
    sample(manager)
    today = manager.today()
    entries = audit.period_audit(manager, today, today, 10 ** 9)
    assert entries and [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert all(e.before is None and e.after is None for e in entries)
    head = entries[1].seq
    assert [e.seq for e in audit.period_audit(manager, today, today, head)] == [e.seq for e in entries[:2]]


# ---- Today -------------------------------------------------------------------------------------

def test_day_view_holds_checks_reminders_and_the_last_service_day(sessions):
    manager = sessions["manager"]
    today = manager.today()
    records.create(manager, "menus", {"day": today - dt.timedelta(days=3), "meal": "lunch", "dishes": ["米饭"],
                                       "late_reason": "补录"})
    view = day.day_view(manager, today)
    assert {c.key for c in view.checks} >= {"samples", "inspection", "menu"}
    assert isinstance(view.reminders, list)
    assert view.last_service_day == today - dt.timedelta(days=3)
    assert last_service_day(manager.site.id, today - dt.timedelta(days=3)) is None


def test_record_titles_come_in_one_call_for_the_readers_canteen(sessions, other_site):
    manager = sessions["manager"]
    mine, other = sample(manager, dish="清蒸鱼"), sample(other_site, dish="外校菜")
    assert day.record_titles(manager, "samples", [mine.id, other.id]) == {mine.id: "清蒸鱼"}


# ---- admin -------------------------------------------------------------------------------------

def test_site_info_and_settings_are_read_afresh(sessions):
    admin_session = sessions["admin"]
    info = admin.site_info(admin_session)
    assert (info.name, info.school, info.timezone) == ("城关中学食堂", "城关中学", "Asia/Shanghai")
    assert admin.setting_values(admin_session)["sample_min_g"] == 125


def test_users_are_plain_and_refused_to_roles_that_may_not_read_them(sessions):
    listed = admin.users(sessions["auditor"])
    assert [u.username for u in listed] == sorted(u.username for u in listed)
    assert {u.username for u in listed} >= {"admin", "manager", "doctor"}
    assert not hasattr(listed[0], "password_hash")
    with pytest.raises(PermissionDenied):
        admin.users(sessions["manager"])


# ---- documents -----------------------------------------------------------------------------------

def test_day_records_include_voided_ones_unless_standing_only(sessions):
    manager = sessions["manager"]
    kept, dropped = sample(manager), sample(manager, dish="炒青菜")
    records.void(manager, "samples", dropped.id, reason="entered twice")
    day = kept.day  # five minutes ago: yesterday, just after midnight
    assert [r.id for r in documents.day_records(manager, "samples", day)] == [kept.id, dropped.id]
    standing = documents.day_records(manager, "samples", day, standing_only=True)
    assert [r.id for r in standing] == [kept.id] and standing[0].get("dish") == "红烧肉"


def test_month_close_is_none_for_an_open_month(sessions):
    assert documents.month_close(sessions["manager"], 2020, 1) == (None, None)


def test_archive_data_agrees_with_the_database_check(sessions):
    manager = sessions["manager"]
    day = sample(manager).day  # five minutes ago: yesterday, just after midnight, entered today
    data = documents.archive_data(manager, day, manager.today(), "王芳", dt.datetime.now(dt.timezone.utc))
    assert [r.get("dish") for r in data.records["samples"]] == ["红烧肉"]
    assert data.head.seq >= max(e.seq for e in data.audit) and len(data.sha256) == 64
    import json
    document = json.loads(data.json_bytes)
    assert compare_with_database(document) == []
    records.amend(manager, "samples", data.records["samples"][0].id, {"weight_g": "140"}, reason="again")
    assert any("differs from the database in" in p for p in compare_with_database(document))
