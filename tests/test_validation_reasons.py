"""Reasons and the shape of input: what a script (not the form) might pass, refused by name."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import local_now

from canteen.errors import ValidationError
from canteen.models import AuditEntry, Supplier
from canteen.services import records

SUPPLIER = {"name": "惠民粮油", "kind": "distributor", "address": "城关镇"}


@pytest.mark.parametrize("typed", [["why"], 5, "why\x00", "长" * 501, "   "])
def test_amend_and_void_reasons_must_be_real_text(manager, typed):
    supplier = records.create(manager, "suppliers", SUPPLIER)
    entries = AuditEntry.select().count()
    for change in (lambda: records.amend(manager, "suppliers", supplier.id, {"phone": "123"}, typed),
                   lambda: records.void(manager, "suppliers", supplier.id, typed)):
        with pytest.raises(ValidationError) as refused:
            change()
        assert refused.value.field == "reason" and refused.value.text("zh") != refused.value.text("en")
    assert AuditEntry.select().count() == entries and Supplier.get_by_id(supplier.id).version == 1


@pytest.mark.parametrize("typed", [["typed late"], 7, "x" * 501, "bad\x07"])
def test_a_late_reason_must_be_real_text(manager, typed):
    with pytest.raises(ValidationError) as refused:
        records.create(manager, "meetings", {"day": local_now().date(), "attendees": ["王芳"], "topics": "卫生",
                                             "late_reason": typed})
    assert refused.value.field == "late_reason"


@pytest.mark.parametrize("kind, data, field", [
    ("suppliers", ["name", "x"], "data"),
    ("suppliers", {**SUPPLIER, "occurred_at": "garbage"}, "occurred_at"),
    ("meetings", {"day": "2026-03-02", "attendees": ["王芳"], "topics": "卫生", "occurred_at": "2026-03-02 08:00"}, "occurred_at"),
])
def test_input_of_the_wrong_shape_is_refused(manager, kind, data, field):
    with pytest.raises(ValidationError) as refused:
        records.create(manager, kind, data)
    assert refused.value.field == field


def test_an_amendment_that_changes_nothing_is_refused_and_a_signature_stays_valid(sessions):
    """The doctor signed; someone saves the amend form without changing anything: nothing is written,
    so the record does not turn into "changed after signing"."""
    from canteen.integrity.signatures import signature_state
    from canteen.services.signing import sign_record
    doctor = sessions["doctor"]
    inspection = records.create(doctor, "inspections", {"day": local_now().date(), "inspector": "李医生",
                                                        "checklist": {"environment": True}})
    sign_record(doctor, "inspections", inspection.id, "inspected", password="demo")
    entries = AuditEntry.select().count()
    with pytest.raises(ValidationError) as refused:
        records.amend(doctor, "inspections", inspection.id, {"inspector": "李医生"}, "复核")
    assert refused.value.field == "data" and "没有任何改动" in refused.value.text("zh")
    assert AuditEntry.select().count() == entries
    assert signature_state("inspections", inspection.id).state == "signed"


def test_moving_an_event_far_back_needs_the_reason_a_late_entry_needs(manager):
    """A meeting typed in today and then corrected to last week is, in effect, a late entry."""
    today = local_now().date()
    meeting = records.create(manager, "meetings", {"day": today, "attendees": ["王芳"], "topics": "卫生"})
    last_week = today - dt.timedelta(days=7)
    with pytest.raises(ValidationError) as refused:
        records.amend(manager, "meetings", meeting.id, {"day": last_week}, "日期填错")
    assert refused.value.field == "late_reason"
    moved = records.amend(manager, "meetings", meeting.id, {"day": last_week, "late_reason": "纸质记录补录"}, "日期填错")
    assert (moved.day, moved.late_reason) == (last_week, "纸质记录补录")
    kept = records.amend(manager, "meetings", meeting.id, {"topics": "卫生与安全"}, "补充议题")
    assert kept.late_reason == "纸质记录补录"  # an amendment that does not move the event keeps the flag
