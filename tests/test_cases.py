"""Cases (整改闭环): repeated findings become one case; an action and its follow-up check close it.

The story of issue 10: 孙丽华 works four days running (Mon 2 – Thu 5 March 2026) with a health
certificate that expired on 1 March. The engine finds four STF-HEALTH violations; they are one
case. The canteen administrator takes her off duty and records it; the school doctor verifies.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from canteen.errors import PermissionDenied, ValidationError
from canteen.integrity.verify import verify_database
from canteen.models import AuditEntry, Signature
from canteen.read import cases as read_cases
from canteen.services import cases, records, signing
from canteen.timeutil import to_utc

MON = dt.date(2026, 3, 2)
DAYS = [MON + dt.timedelta(days=n) for n in range(4)]  # Mon..Thu


class Clock:
    def __init__(self) -> None:
        self.utc = to_utc(dt.datetime.combine(MON, dt.time(6)))

    def __call__(self) -> dt.datetime:
        return self.utc

    def at(self, day: dt.date, hour: int, minute: int = 0) -> None:
        self.utc = to_utc(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def clock(sessions):
    clock = Clock()
    for session in sessions.values():
        session.clock = clock
    return clock


@pytest.fixture
def expired(sessions, clock):
    """孙丽华 (a cook) with a certificate that expired on 1 March, morning-checked fit Mon–Thu."""
    m = sessions["manager"]
    sun = records.create(m, "staff", {"name": "孙丽华", "post": "cook", "hired_on": "2020-09-01"})
    records.create(m, "health-certificates", {"staff": sun.id, "number": "JK1", "issued_on": "2025-03-01",
                                              "expires_on": "2026-03-01"})
    for day in DAYS:
        clock.at(day, 6, 30)
        records.create(m, "morning-checks", {"day": day, "staff": sun.id, "temperature_c": "36.5", "checker": "王芳"})
    return sun


def the_cases(session, start=DAYS[0], end=DAYS[-1]):
    return [c for c in read_cases.cases(session, start, end) if c.rule == "STF-HEALTH"]


def act(session, case, action="off_duty", details="调离岗位，安排补办健康证"):
    return cases.record_action(session, case.id, action, "王芳", details)


def test_four_days_running_are_one_case_with_a_first_and_a_last_day(sessions, expired, clock):
    [case] = the_cases(sessions["manager"])
    assert (case.first_day, case.last_day, case.days) == (DAYS[0], DAYS[-1], 4)
    assert case.subject == f"staff#{expired.id}" and case.subject_label("zh") == "孙丽华"
    assert case.status == "open" and case.overdue  # due by the end of Monday; it is Thursday now


def test_a_gap_of_a_school_day_makes_two_cases_but_a_weekend_does_not(sessions, clock):
    m = sessions["manager"]
    sun = records.create(m, "staff", {"name": "孙丽华", "post": "cook", "hired_on": "2020-09-01"})
    friday, monday, wednesday = dt.date(2026, 3, 6), dt.date(2026, 3, 9), dt.date(2026, 3, 11)
    for day in (friday, monday, dt.date(2026, 3, 10), wednesday):
        clock.at(day, 10)
        records.create(m, "menus", {"day": day, "meal": "lunch", "dishes": ["米饭"], "diners_planned": 100})
    for day in (friday, monday, wednesday):  # checked on Fri and Mon (a weekend between), then Wed
        clock.at(day, 10, 30)
        records.create(m, "morning-checks", {"day": day, "staff": sun.id, "temperature_c": "36.5", "checker": "王芳"})
    found = the_cases(m, friday, wednesday)
    assert [(c.first_day, c.last_day) for c in found] == [(friday, monday), (wednesday, wednesday)]


def test_an_action_then_a_verification_closes_the_case(sessions, expired, clock):
    [case] = the_cases(sessions["manager"])
    clock.at(DAYS[-1], 9)
    action = act(sessions["manager"], case)
    [case] = the_cases(sessions["manager"])
    assert case.status == "acted" and not case.overdue and [a.id for a in case.actions] == [action.id]
    clock.at(DAYS[-1], 17)
    cases.verify_action(sessions["doctor"], action.id, "demo")
    [case] = the_cases(sessions["manager"])
    assert case.status == "verified" and case.closed_at == clock.utc
    assert case.actions[0].verified_by == "李医生"


def test_a_new_occurrence_after_closing_reopens_the_case_and_says_so(sessions, expired, clock):
    [case] = the_cases(sessions["manager"])
    clock.at(DAYS[1], 9)
    action = act(sessions["manager"], case)
    clock.at(DAYS[1], 17)
    cases.verify_action(sessions["doctor"], action.id, "demo")
    [case] = the_cases(sessions["manager"])  # she worked again on Wednesday and Thursday
    assert case.status == "open" and case.reopened_after == clock.utc
    assert (case.first_day, case.last_day) == (DAYS[0], DAYS[-1])


@pytest.mark.parametrize("role", ["manager", "doctor", "director", "leader", "auditor", "admin"])
def test_who_may_record_an_action(sessions, expired, clock, role):
    [case] = the_cases(sessions["manager"])
    if role in ("manager", "doctor", "director"):
        assert act(sessions[role], case).id
    else:
        with pytest.raises(PermissionDenied):
            act(sessions[role], case)


@pytest.mark.parametrize("role", ["manager", "doctor", "director", "leader", "auditor", "admin"])
def test_who_may_verify_an_action_someone_else_recorded(sessions, expired, clock, role):
    [case] = the_cases(sessions["manager"])
    recorder = "director" if role == "doctor" else "doctor"
    action = act(sessions[recorder], case)
    if role in ("doctor", "director"):
        assert cases.verify_action(sessions[role], action.id, "demo").meaning == "verified"
    else:
        with pytest.raises(PermissionDenied):
            cases.verify_action(sessions[role], action.id, "demo")


@pytest.mark.parametrize("role", ["doctor", "director"])
def test_nobody_verifies_an_action_they_recorded_or_changed(sessions, expired, clock, role):
    [case] = the_cases(sessions["manager"])
    own = act(sessions[role], case)
    with pytest.raises(PermissionDenied, match="other than the person who recorded it"):
        cases.verify_action(sessions[role], own.id, "demo")
    other = act(sessions["manager"], case)
    records.amend(sessions[role], "corrective-actions", other.id, {"details": "补办健康证后复岗"}, "补充说明")
    with pytest.raises(PermissionDenied):
        cases.verify_action(sessions[role], other.id, "demo")
    refusals = AuditEntry.select().where((AuditEntry.action == "refused") & (AuditEntry.reason == "verify own action"))
    assert refusals.count() == 2


def test_an_action_is_only_ever_signed_as_verified(sessions, expired, clock):
    [case] = the_cases(sessions["manager"])
    action = act(sessions["manager"], case)
    with pytest.raises(ValidationError, match="verified"):
        signing.sign_record(sessions["doctor"], "corrective-actions", action.id, "approved", "demo")
    with pytest.raises(ValidationError):
        signing.sign_record(sessions["doctor"], "morning-checks", 1, "verified", "demo")


def test_other_needs_words_and_an_unknown_rule_is_refused(sessions, expired, clock):
    [case] = the_cases(sessions["manager"])
    with pytest.raises(ValidationError, match="say what was done"):
        act(sessions["manager"], case, action="other", details="  ")
    with pytest.raises(ValidationError, match="not a rule id"):
        cases.record_action(sessions["manager"], f"STF-HEALTHY|staff#{expired.id}|2026-03-02", "off_duty", "王芳")
    with pytest.raises(ValidationError, match="not a case id"):
        cases.record_action(sessions["manager"], "STF-HEALTH|2026-03-02", "off_duty", "王芳")


def test_the_day_close_refuses_an_open_violation_without_a_reason(sessions, expired, clock):
    doctor = sessions["doctor"]
    clock.at(DAYS[-1], 19)
    inspection = records.create(doctor, "inspections", {"day": DAYS[-1], "inspector": "李医生",
                                                        "checklist": {"environment": True}})
    with pytest.raises(ValidationError) as refused:
        signing.sign_record(doctor, "inspections", inspection.id, "inspected", "demo")
    assert refused.value.field == "open_cases_reason" and "孙丽华" in refused.value.zh
    assert not Signature.select().where(Signature.record_kind == "inspections").exists()
    signing.sign_record(doctor, "inspections", inspection.id, "inspected", "demo",
                        open_cases_reason="孙丽华已调离，健康证补办中")
    entry = AuditEntry.get(AuditEntry.action == "close-with-open-cases")
    assert entry.reason == "孙丽华已调离，健康证补办中" and f"STF-HEALTH staff#{expired.id}" in entry.after


def test_the_day_close_needs_no_reason_once_the_case_is_verified(sessions, expired, clock):
    [case] = the_cases(sessions["manager"])
    clock.at(DAYS[-1], 9)
    action = act(sessions["manager"], case)
    cases.verify_action(sessions["director"], action.id, "demo")
    clock.at(DAYS[-1], 19)
    inspection = records.create(sessions["doctor"], "inspections", {"day": DAYS[-1], "inspector": "李医生",
                                                                     "checklist": {"environment": True}})
    assert signing.sign_record(sessions["doctor"], "inspections", inspection.id, "inspected", "demo")


def test_a_rejected_delivery_that_a_block_would_refuse_is_a_case_closed_by_the_rejection(sessions, clock):
    from records_support import licensed_supplier
    m = sessions["manager"]
    supplier = licensed_supplier(m)
    clock.at(MON, 7)
    milk = records.create(m, "deliveries", {
        "occurred_at": dt.datetime(2026, 3, 2, 7, 0), "supplier": supplier.id, "item": "纯牛奶", "category": "dairy",
        "quantity": 10, "unit": "箱", "production_date": "2026-01-01", "expiry_date": "2026-02-20",
        "receiver": "王芳", "result": "rejected", "reject_reason": "已过保质期，退回"})
    [case] = [c for c in read_cases.cases(m, MON, MON) if c.rule == "PUR-EXPIRED"]
    assert case.status == "verified" and case.rejected_delivery == milk.id


def test_check_json_gives_each_finding_its_case_and_status(sessions, expired, clock, db_path, tmp_path):
    [case] = the_cases(sessions["manager"])
    clock.at(DAYS[-1], 9)
    act(sessions["manager"], case)
    out = subprocess.run([sys.executable, "-m", "canteen", "--db", str(db_path), "check", "--json",
                          "--from", str(DAYS[0]), "--to", str(DAYS[-1])], capture_output=True, text=True)
    health = [f for f in json.loads(out.stdout) if f["rule"] == "STF-HEALTH"]
    assert len(health) == 4 and {(f["case"], f["status"]) for f in health} == {(case.id, "acted")}


def test_tampering_with_an_action_is_caught_by_verify(sessions, expired, clock, database):
    [case] = the_cases(sessions["manager"])
    action = act(sessions["manager"], case)
    database.execute_sql("UPDATE corrective_action SET details = '已培训' WHERE id = ?", (action.id,))
    report = verify_database()
    assert not report.ok and any(p.where.startswith("corrective-actions") for p in report.problems), report.problems


def test_time_to_close_per_rule(sessions, expired, clock):
    [case] = the_cases(sessions["manager"])
    clock.at(DAYS[0], 8)  # 8 h after the first day began
    action = act(sessions["manager"], case)
    clock.at(DAYS[0], 20)
    cases.verify_action(sessions["doctor"], action.id, "demo")
    found = the_cases(sessions["manager"])
    [row] = read_cases.time_to_close(found, "Asia/Shanghai", clock.utc)
    assert (row.rule, row.cases, row.acted, row.verified, row.late) == ("STF-HEALTH", 1, 1, 0, 0)
    # verified on Monday evening, but she was morning-checked again Tue–Thu: reopened, so not verified


def test_a_site_may_give_a_rule_more_days_and_a_bad_deadline_text_is_refused(sessions, expired, clock, site):
    from canteen import settings
    from canteen.db import write_transaction
    with pytest.raises(ValidationError, match="RULE=DAYS"):
        with write_transaction():
            settings.store(site.id, "case_deadlines", "STF-HEALTHY=3")
    with pytest.raises(ValidationError, match="whole number"):
        with write_transaction():
            settings.store(site.id, "case_deadlines", "STF-HEALTH=3.5")
    with write_transaction():
        settings.store(site.id, "case_deadlines", "stf-health＝10")
    [case] = the_cases(sessions["manager"])
    assert not case.overdue and case.due == to_utc(dt.datetime.combine(DAYS[0] + dt.timedelta(days=11), dt.time()))
