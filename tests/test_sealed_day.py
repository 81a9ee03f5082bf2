"""Daily close (日结): once the day's inspection is signed, a later entry for that day needs a
reason and is reported as late, even within the 24-hour limit."""

from __future__ import annotations

import datetime as dt

import pytest

from canteen.errors import ValidationError
from canteen.rules import evaluate
from canteen.services import records
from canteen.services.signing import sign_record
from canteen.timeutil import to_utc

DAY = dt.date(2026, 3, 10)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return to_utc(dt.datetime.combine(DAY, dt.time(hour, minute)))


def test_an_entry_after_the_day_is_sealed_needs_a_reason_and_is_late(sessions):
    doctor, manager = sessions["doctor"], sessions["manager"]
    doctor.clock = manager.clock = lambda: at(20)
    inspection = records.create(doctor, "inspections", {"day": DAY, "inspector": "李医生", "checklist": {"environment": True}})
    sign_record(doctor, "inspections", inspection.id, "inspected", password="demo")
    manager.clock = lambda: at(21)
    meeting = {"day": DAY, "attendees": ["王芳"], "topics": "卫生培训"}
    with pytest.raises(ValidationError) as refused:
        records.create(manager, "meetings", meeting)
    assert refused.value.field == "late_reason" and "closed" in refused.value.text("en")
    late = records.create(manager, "meetings", {**meeting, "late_reason": "会议记录当晚补交"})
    findings = [f for f in evaluate(manager.site.id, DAY, DAY) if f.rule == "LATE-ENTRY"]
    assert [(f.record_kind, f.record_id) for f in findings] == [("meetings", late.id)]


def test_the_day_in_progress_is_judged_only_once_it_is_closed(sessions):
    """At 9 am lunch is not yet "missing" its sample; yesterday is; today is, once the doctor signs it off."""
    from conftest import local_now
    manager, doctor = sessions["manager"], sessions["doctor"]
    today = local_now().date()
    yesterday = today - dt.timedelta(days=1)
    for day in (yesterday, today):
        records.create(manager, "menus", {"day": day, "meal": "lunch", "dishes": ["番茄炒蛋"]})

    def missing_samples():
        return sorted(f.day for f in evaluate(manager.site.id, yesterday, today) if f.rule == "SMP-MISSING")

    assert missing_samples() == [yesterday]
    inspection = records.create(doctor, "inspections", {"day": today, "inspector": "李医生", "checklist": {"samples": False}})
    sign_record(doctor, "inspections", inspection.id, "inspected", password="demo")
    assert missing_samples() == [yesterday, today]
