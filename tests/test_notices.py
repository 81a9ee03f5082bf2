"""A district inspector's notice to correct (整改通知): a case at the canteen, answered like any.

Issue 10, item 6: the inspector visits 一中食堂 on 2 March 2026, finds the sample fridge without a
thermometer and gives the canteen until 6 March. The canteen sees the notice as a case, records
what it did, and its doctor verifies; the notice never holds up the day's close.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from district_support import district, session  # noqa: F401  (fixture)
from records_support import MARCH_MORNING

from canteen.errors import PermissionDenied, ValidationError
from canteen.read import cases as read_cases
from canteen.services import cases, records, signing
from canteen.timeutil import to_utc
from tests.conftest import PASSWORD

DAY = MARCH_MORNING.date()


def notice(inspector, deadline="2026-03-06", **extra):
    return records.create(inspector, "inspection-notices", {
        "day": DAY, "problem": "留样冰箱无温度计", "requirement": "配备温度计并每日记录", "deadline": deadline,
        "inspector": "区县检查员", **extra})


def notice_cases(s, end=DAY):
    return [c for c in read_cases.cases(s, DAY, end) if c.rule == "DIST-NOTICE"]


def test_the_notice_is_a_case_at_that_canteen_only_due_by_its_deadline(district):
    inspector = session("inspector", district.a)
    written = notice(inspector)
    [case] = notice_cases(session("manager_a"))
    assert case.subject == f"notice#{written.id}" and case.subject_label("zh") == "留样冰箱无温度计"
    assert case.due == to_utc(dt.datetime(2026, 3, 7)) and not case.overdue  # the end of 6 March
    assert notice_cases(session("manager_b")) == []


def test_the_canteen_answers_it_and_its_doctor_verifies(district):
    notice(session("inspector", district.a))
    manager = session("manager_a")
    [case] = notice_cases(manager)
    action = cases.record_action(manager, case.id, "equipment", "manager a", "已配备温度计，每日两次记录")
    cases.verify_action(session("doctor_a"), action.id, PASSWORD)
    [case] = notice_cases(manager)
    assert case.status == "verified"


@pytest.mark.parametrize("who", ["manager_a", "doctor_a", "auditor_a", "admin_a", "bureau"])
def test_only_the_district_inspector_writes_a_notice(district, who):
    s = session(who) if who != "bureau" else session("bureau")
    with pytest.raises(PermissionDenied):
        notice(s)


def test_the_school_cannot_change_the_inspectors_notice(district):
    written = notice(session("inspector", district.a))
    with pytest.raises(PermissionDenied):
        records.amend(session("manager_a"), "inspection-notices", written.id, {"deadline": "2026-04-30"}, "想延期")
    with pytest.raises(PermissionDenied):
        signing.sign_record(session("doctor_a"), "inspection-notices", written.id, "reviewed", PASSWORD)


def test_a_deadline_before_the_inspection_is_refused(district):
    with pytest.raises(ValidationError, match="before the inspection"):
        notice(session("inspector", district.a), deadline="2026-03-01")


def test_a_notice_does_not_hold_up_the_day_close(district):
    notice(session("inspector", district.a))
    doctor = session("doctor_a")
    inspection = records.create(doctor, "inspections", {"day": DAY, "inspector": "doctor a",
                                                        "checklist": {"environment": True}})
    assert signing.sign_record(doctor, "inspections", inspection.id, "inspected", PASSWORD)


def test_the_inspector_writes_a_notice_from_the_command_line(district, db_path):
    env = {**os.environ, "CANTEEN_PASSWORD": PASSWORD}
    out = subprocess.run([sys.executable, "-m", "canteen", "--db", str(db_path), "--user", "inspector",
                          "--site", "一中食堂", "notice", "--problem", "后厨地面积水", "--deadline", "2099-01-31"],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "correct by 2099-01-31" in out.stdout and "DIST-NOTICE|notice#" in out.stdout
