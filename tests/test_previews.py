"""The form's previews say what the service will decide: late entry, the pesticide verdict, the
sample note. Each of these once disagreed, because the form worked the answer out again itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from gui_support import desk  # noqa: F401  (fixture)

from canteen.errors import ValidationError
from canteen.services import previews, records, site_admin
from canteen.services.signing import sign_record
from canteen.timeutil import end_of_day_utc, to_utc

SEALED_DAY = dt.date(2026, 3, 10)


def open_form(qtbot, session, kind, initial=None):
    from ui.forms.record_form import RecordForm
    form = RecordForm(session, kind, None, initial)
    qtbot.addWidget(form)
    return form


def service_wants_late_reason(session, day: dt.date) -> bool:
    try:
        records.check_lateness({"occurred_at": end_of_day_utc(day, session.tz)}, {}, session)
    except ValidationError as exc:
        assert exc.field == "late_reason"
        return True
    return False


def test_a_day_entered_next_morning_within_the_limit_is_on_time_in_form_and_service(desk, qtbot, sessions):
    """Across the night the clocks go forward, naive local time gains an hour the UTC clock does
    not: 08:29 the next morning is 8½ h after 23:59:59 on the wall, 7½ h in fact."""
    manager = sessions["manager"]
    site_admin.update_setting(sessions["admin"], "late_entry_hours", "8")
    manager.site.timezone = "Europe/Berlin"
    day = dt.date(2024, 3, 30)
    manager.clock = lambda: dt.datetime(2024, 3, 31, 6, 29)  # UTC: 08:29 in Berlin (CEST)
    form = open_form(qtbot, manager, "meetings", {"day": day})
    assert not service_wants_late_reason(manager, day)
    assert form.late_reason.isHidden() and form.late_label.isHidden()
    manager.clock = lambda: dt.datetime(2024, 3, 31, 7, 29)  # an hour on, 8½ h after: late for both
    form._update_live()
    assert service_wants_late_reason(manager, day)
    assert not form.late_reason.isHidden()


def test_a_record_for_a_sealed_day_shows_the_late_reason_field(desk, qtbot, sessions):
    """Within the 24 hours, but the day's inspection is signed (日结): the form asks for the reason
    the service will require, rather than letting the user find out on save."""
    doctor, manager = sessions["doctor"], sessions["manager"]
    doctor.clock = manager.clock = lambda: to_utc(dt.datetime.combine(SEALED_DAY, dt.time(20)))
    inspection = records.create(doctor, "inspections", {"day": SEALED_DAY, "inspector": "李医生",
                                                         "checklist": {"environment": True}})
    sign_record(doctor, "inspections", inspection.id, "inspected", password="demo")
    manager.clock = lambda: to_utc(dt.datetime.combine(SEALED_DAY, dt.time(21)))
    form = open_form(qtbot, manager, "meetings", {"day": SEALED_DAY})
    assert service_wants_late_reason(manager, SEALED_DAY)
    assert not form.late_reason.isHidden() and not form.late_label.isHidden()
    open_day = open_form(qtbot, manager, "meetings", {"day": SEALED_DAY - dt.timedelta(days=1)})
    assert open_day.late_reason.isHidden()  # the day before is open and within the limit


def test_fifty_percent_is_positive_in_the_form_and_the_saved_record(desk, qtbot, manager):
    """The readings are stored to four places, and the verdict is worked out from what is stored:
    0.59995 / 0.30004 are kept as 0.6000 / 0.3000, exactly 50.00 %, positive."""
    form = open_form(qtbot, manager, "pesticide-tests", {"sample_name": "菠菜", "method": "spectro", "tester": "王芳"})
    form.editors["control_delta"].set_value("0.59995")
    form.editors["sample_delta"].set_value("0.30004")
    form._update_live()
    assert "POSITIVE" in form.live.text() and "50.00" in form.live.text()
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        form.accept()
    row = saved.args[0]
    assert (row.get("inhibition_pct"), row.get("result")) == (Decimal("50.00"), "positive")


def test_a_sample_weighing_what_is_stored_as_the_minimum_is_not_reported(desk, qtbot, manager):
    """124.96 g is kept as 125.0 g, which SMP-WEIGHT does not report: the note does not warn either."""
    form = open_form(qtbot, manager, "samples", {"dish": "番茄炒蛋"})
    form.editors["weight_g"].set_value("124.96")
    form._update_live()
    assert "SMP-WEIGHT" not in form.live.text()
    form.editors["weight_g"].set_value("124.9")
    form._update_live()
    assert "SMP-WEIGHT" in form.live.text()


def test_keep_until_is_counted_as_the_sample_service_counts_it(manager):
    """A sample taken before the clocks go forward is kept 48 real hours: on the wall, 49."""
    manager.site.timezone = "Europe/Berlin"
    taken = dt.datetime(2024, 3, 30, 12, 0)
    note = previews.sample_note(manager, taken, Decimal("150"))
    assert note.keep_until == dt.datetime(2024, 4, 1, 13, 0) and not note.under_weight
    stored = previews.keep_until(manager, to_utc(taken, "Europe/Berlin"))
    assert to_utc(note.keep_until, "Europe/Berlin") == stored


def test_the_meat_kind_the_form_proposes_is_the_one_the_delivery_takes(manager):
    assert previews.proposed_meat_kind("五花肉", "meat") == "pork"
    assert previews.proposed_meat_kind("鸡腿", "poultry") == "poultry"
    assert previews.proposed_meat_kind("五花肉", "vegetable") is None and not previews.meat_kind_asked("vegetable")


@pytest.mark.parametrize("control, sample, result", [("0.5000", "0.2500", "positive"), ("1.0000", "0.5001", "negative")])
def test_the_pesticide_verdict_uses_the_sites_threshold(manager, control, sample, result):
    verdict = previews.pesticide_verdict(manager, Decimal(control), Decimal(sample))
    assert verdict.result == result and verdict.positive == (result == "positive")
    assert previews.pesticide_verdict(manager, Decimal("0"), Decimal("0.1")) is None
