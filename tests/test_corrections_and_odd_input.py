"""Corrections and odd input in the core: amendments that recompute what they derive, stale copies
refused, odd arguments named rather than crashed, clock changes; each test names what a user saw."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD, local_now
from records_support import licensed_supplier

from canteen import bulk, ledger, rules, settings
from canteen.errors import CanteenError, NotFound, PermissionDenied, ValidationError
from canteen.integrity import signatures
from canteen.models import AuditEntry, Delivery
from canteen.services import attachments, export_pipeline, records, signing, site_admin, users
from canteen.timeutil import day_bounds_utc, to_utc


@pytest.fixture
def supplier(manager):
    return licensed_supplier(manager, "城关超市")


def cabbage(manager, supplier, **values):
    data = {"occurred_at": local_now() - dt.timedelta(hours=1), "item": "白菜", "category": "vegetable",
            "quantity": "10", "supplier": supplier.id, "batch_no": "B1", "unit_price_fen": 100,
            "result": "accepted", "receiver": "王芳"}
    return records.create(manager, "deliveries", {**data, **values})


# ---- an amended delivery keeps amounts and expiry that fit it ------------------------------------

def test_correcting_a_quantity_recomputes_the_amount_and_the_ledger(manager, supplier):
    delivery = cabbage(manager, supplier)
    assert delivery.amount_fen == 1000
    records.amend(manager, "deliveries", delivery.id, {"quantity": "20"}, "weighed again: 20 kg")
    assert Delivery.get_by_id(delivery.id).amount_fen == 2000
    day = delivery.day
    assert ledger.day_summary(manager.site.id, day).food_cost == 2000


def test_correcting_a_price_recomputes_the_amount(manager, supplier):
    delivery = cabbage(manager, supplier)
    records.amend(manager, "deliveries", delivery.id, {"unit_price_fen": 150}, "invoice says 1.50 yuan")
    assert Delivery.get_by_id(delivery.id).amount_fen == 1500


def test_an_amount_given_with_the_correction_is_kept(manager, supplier):
    delivery = cabbage(manager, supplier)
    records.amend(manager, "deliveries", delivery.id, {"quantity": "20", "amount_fen": 1990}, "discount on invoice")
    assert Delivery.get_by_id(delivery.id).amount_fen == 1990


def test_an_amendment_of_something_else_keeps_a_typed_amount(manager, supplier):
    delivery = cabbage(manager, supplier, amount_fen=999)
    records.amend(manager, "deliveries", delivery.id, {"receiver": "李四"}, "wrong receiver")
    assert Delivery.get_by_id(delivery.id).amount_fen == 999


def test_correcting_a_shelf_life_recomputes_the_expiry(manager, supplier):
    made = local_now().date() - dt.timedelta(days=2)
    delivery = cabbage(manager, supplier, production_date=made, shelf_life_days=3)
    assert delivery.expiry_date == made + dt.timedelta(days=3)
    records.amend(manager, "deliveries", delivery.id, {"shelf_life_days": 30}, "label read wrongly")
    assert Delivery.get_by_id(delivery.id).expiry_date == made + dt.timedelta(days=30)


# ---- bulk amendments go through the same checks as a single one ----------------------------------

def test_bulk_amend_refuses_a_voided_record(manager, supplier):
    delivery = cabbage(manager, supplier)
    records.void(manager, "deliveries", delivery.id, "entered twice")
    with pytest.raises(ValidationError) as caught:
        bulk.bulk_amend(manager, "deliveries", [(delivery.id, {"quantity": "5"}, manager.now())], "fix")
    assert caught.value.field == "id"
    assert Delivery.get_by_id(delivery.id).quantity == 10


def test_bulk_amend_needs_a_reason(manager, supplier):
    delivery = cabbage(manager, supplier)
    with pytest.raises(ValidationError) as caught:
        bulk.bulk_amend(manager, "deliveries", [(delivery.id, {"quantity": "5"}, manager.now())], "  ")
    assert caught.value.field == "reason"


def test_bulk_amend_keeps_a_leader_to_their_own_records(sessions):
    doctor, leader = sessions["doctor"], sessions["leader"]
    others = records.create(doctor, "accompanied-meals", {"day": local_now().date(), "meal": "lunch", "leader": "李医生"})
    with pytest.raises(PermissionDenied):
        bulk.bulk_amend(leader, "accompanied-meals", [(others.id, {"problems": "none"}, leader.now())], "mine now")
    assert records.get(doctor, "accompanied-meals", others.id).version == 1


def test_bulk_amend_recomputes_the_amount_like_a_single_amendment(manager, supplier):
    delivery = cabbage(manager, supplier)
    bulk.bulk_amend(manager, "deliveries", [(delivery.id, {"quantity": "3"}, manager.now())], "recount")
    assert Delivery.get_by_id(delivery.id).amount_fen == 300
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert (entry.action, entry.record_version, entry.reason) == ("amend", 2, "recount")


# ---- a local day on a clock change ---------------------------------------------------------------

@pytest.mark.parametrize("day, hours", [(dt.date(2025, 3, 9), 23), (dt.date(2025, 11, 2), 25),
                                        (dt.date(2025, 6, 1), 24)])
def test_a_day_ends_at_the_next_local_midnight_even_on_a_clock_change(day, hours):
    start, end = day_bounds_utc(day, "America/New_York")
    assert end - start == dt.timedelta(hours=hours)
    assert end == day_bounds_utc(day + dt.timedelta(days=1), "America/New_York")[0]


# ---- what a script may pass: refused with the field named, never a crash -------------------------

def _refusal(call) -> CanteenError:
    with pytest.raises(CanteenError) as caught:
        call()
    return caught.value


def test_record_services_refuse_odd_arguments(manager, supplier):
    delivery = cabbage(manager, supplier)
    assert isinstance(_refusal(lambda: records.create(manager, ["deliveries"], {})), NotFound)
    assert _refusal(lambda: records.create(manager, "suppliers", {1: "x", "name": "A"})).field == "1"
    assert isinstance(_refusal(lambda: records.get(manager, "deliveries", delivery.id + 0.5)), NotFound)
    assert isinstance(_refusal(lambda: records.get(manager, "deliveries", True)), NotFound)
    assert records.get(manager, "deliveries", str(delivery.id)).id == delivery.id
    assert isinstance(_refusal(lambda: signatures.signature_state("nope", 1)), NotFound)


def test_signing_with_a_number_for_a_password_is_a_wrong_password(sessions, supplier):
    delivery = cabbage(sessions["manager"], supplier)
    refused = _refusal(lambda: signing.sign_record(sessions["doctor"], "deliveries", delivery.id, "reviewed", 1234))
    assert "Wrong" in refused.text("en")


def test_attachment_services_refuse_odd_arguments(manager, supplier):
    delivery = cabbage(manager, supplier)
    for name, data, mime in ((None, b"x", "image/png"), ("a.png", "text", "image/png"), ("a.png", b"x", None)):
        refused = _refusal(lambda: attachments.add_attachment(manager, "deliveries", delivery.id, name, data, mime))
        assert refused.field == "attachment"
    row = attachments.add_attachment(manager, "deliveries", delivery.id, "a.png", bytearray(b"png"), "image/png")
    assert attachments.data_of(row.id) == b"png"
    assert _refusal(lambda: attachments.void_attachment(manager, row.id, 42)).field == "reason"
    assert isinstance(_refusal(lambda: attachments.data_of("1")), NotFound)


def test_settings_refuse_odd_arguments_and_clear_a_text_setting(sessions):
    admin = sessions["admin"]
    assert _refusal(lambda: site_admin.update_settings(admin, ["sample_hours"])).field == "settings"
    assert _refusal(lambda: site_admin.update_setting(admin, "sample_hours", None)).field == "sample_hours"
    assert _refusal(lambda: site_admin.update_setting(admin, "sample_hours", [48])).field == "sample_hours"
    site_admin.update_setting(admin, "costs_counted", "fuel")
    assert site_admin.update_setting(admin, "costs_counted", None) == ""  # not the text "None"
    assert settings.get(admin.site.id, "costs_counted") == ""


def test_user_services_refuse_odd_arguments(sessions):
    admin = sessions["admin"]
    assert _refusal(lambda: users.create_user(admin, 7, "Li", "manager", "pass1")).field == "username"
    assert _refusal(lambda: users.create_user(admin, "li", None, "manager", "pass1")).field == "display_name"
    assert _refusal(lambda: users.create_user(admin, "li", "Li", "manager", 12345)).field == "password"
    assert users.create_user(admin, "li", "Li", "manager", "pass1", post=None).post == ""
    assert _refusal(lambda: users.create_site(None, "a2", PASSWORD)).field == "site"
    assert "Wrong" in _refusal(lambda: users.login("manager", 12345)).text("en")


def test_reading_services_refuse_odd_arguments(manager, tmp_path):
    assert _refusal(lambda: rules.evaluate(manager.site.id, "2025-02-30", "2025-03-01")).field == "start"
    assert rules.evaluate(manager.site.id, "2025-03-01", dt.datetime(2025, 3, 2, 12)) is not None
    assert _refusal(lambda: ledger.month_summary(manager.site.id, 2025, 13)).field == "month"
    assert _refusal(lambda: ledger.month_summary(manager.site.id, "2025", 3)).field == "year"
    never_written = tmp_path / "never-written.csv"
    refused = _refusal(lambda: export_pipeline.export_file(manager, "deliveries", never_written, lambda part: None))
    assert refused.field == "file" and [p.name for p in tmp_path.iterdir() if "never" in p.name] == []


# ---- a monthly ledger close is dated by the day it was closed -------------------------------------

def test_publishing_a_closed_month_keeps_its_closing_day_and_is_not_late(sessions):
    director = sessions["director"]
    today = director.today()
    month = records.create(director, "ledger-months", {"day": today, "month": f"{today:%Y-%m}"})
    published = records.amend(director, "ledger-months", month.id, {"published": True}, "published to parents")
    assert published.occurred_at == month.occurred_at
    assert records.to_input(published, director)["day"] == today
    found = rules.evaluate(director.site.id, today.replace(day=1), today, today)
    assert not [f for f in found if f.rule == "LATE-ENTRY"]


def test_a_month_closed_on_time_is_not_late_because_its_first_day_was_sealed(sessions):
    director = sessions["director"]
    # The director closes the month on its 15th: on the 1st itself the first day would be the
    # closing day, sealed a moment before, and a record for a sealed day rightly needs a reason.
    first = director.today().replace(day=1)
    fifteenth = to_utc(dt.datetime.combine(first.replace(day=15), dt.time(17, 0)), director.tz)
    director.clock = lambda: fifteenth
    today = director.today()
    inspection = records.create(director, "inspections", {"day": first, "inspector": "张主任",
                                                          "checklist": {"water": True}, "late_reason": "paper copy"})
    signing.sign_record(director, "inspections", inspection.id, "inspected", PASSWORD)
    month = records.create(director, "ledger-months", {"day": today, "month": f"{today:%Y-%m}"})
    late = [f for f in rules.evaluate(director.site.id, first, today, today) if f.rule == "LATE-ENTRY"]
    assert month.id not in [f.record_id for f in late if f.record_kind == "ledger-months"]


# ---- a busy or failing database is one StorageError line from every service, nothing half-written --

@pytest.mark.parametrize("service", ["sign", "login", "create_user", "export", "setting", "record"])
def test_a_database_error_reaches_the_caller_as_a_storage_error(sessions, supplier, monkeypatch, tmp_path, service):
    import peewee

    from canteen.errors import StorageError
    from canteen.integrity import chain
    delivery = cabbage(sessions["manager"], supplier)
    written = tmp_path / "out.csv"
    calls = {
        "sign": lambda: signing.sign_record(sessions["doctor"], "deliveries", delivery.id, "reviewed", PASSWORD),
        "login": lambda: users.login("auditor", PASSWORD),
        "create_user": lambda: users.create_user(sessions["admin"], "li", "Li", "manager", "pass1"),
        "export": lambda: export_pipeline.export_file(sessions["auditor"], "deliveries", written,
                                                      lambda part: part.write_text("x") and None),
        "setting": lambda: site_admin.update_setting(sessions["admin"], "sample_hours", 72),
        "record": lambda: records.amend(sessions["manager"], "deliveries", delivery.id, {"quantity": "2"}, "recount"),
    }
    entries = AuditEntry.select().count()

    def locked(*args, **kwargs):
        raise peewee.OperationalError("database is locked")
    monkeypatch.setattr(chain, "append", locked)
    with pytest.raises(StorageError) as caught:
        calls[service]()
    assert "in use" in caught.value.text("en")
    monkeypatch.undo()
    assert AuditEntry.select().count() == entries
    assert Delivery.get_by_id(delivery.id).quantity == 10


def test_disabling_with_the_text_no_is_refused_not_read_as_enable(sessions):
    admin = sessions["admin"]
    users.set_active(admin, "auditor", False)
    assert _refusal(lambda: users.set_active(admin, "auditor", "no")).field == "active"
    assert not users.User.get(users.User.username == "auditor").active


def test_nothing_is_attached_to_a_voided_record(manager, supplier):
    delivery = cabbage(manager, supplier)
    records.void(manager, "deliveries", delivery.id, "entered twice")
    assert _refusal(lambda: attachments.add_attachment(manager, "deliveries", delivery.id, "a.png", b"png",
                                                       "image/png")).field == "id"
    assert attachments.attachments_of("deliveries", delivery.id) == []


# ---- local times where the clocks change, and aware moments given for a date ---------------------

def test_a_local_time_skipped_by_a_clock_change_is_refused():
    from canteen import fields as f
    spec = f.datetime("occurred_at", "At", "时间")
    now = dt.datetime(2026, 1, 1)
    with pytest.raises(ValidationError) as caught:
        spec.clean("2025-03-09 02:30", "America/New_York", now)
    assert caught.value.field == "occurred_at" and "does not exist" in caught.value.text("en")
    assert spec.clean("2025-03-09 03:30", "America/New_York", now) == dt.datetime(2025, 3, 9, 7, 30)
    assert spec.clean("2025-03-09 02:30", "Asia/Shanghai", now) == dt.datetime(2025, 3, 8, 18, 30)


def test_an_aware_moment_given_for_a_date_is_the_canteens_local_date():
    from canteen import fields as f
    spec = f.date("day", "Day", "日期")
    late_evening_utc = dt.datetime(2025, 3, 1, 20, 0, tzinfo=dt.timezone.utc)  # 04:00 on 2 March in Beijing
    assert spec.clean(late_evening_utc, "Asia/Shanghai", dt.datetime(2026, 1, 1)) == dt.date(2025, 3, 2)
    assert spec.clean(dt.datetime(2025, 3, 1, 20, 0), "Asia/Shanghai", dt.datetime(2026, 1, 1)) == dt.date(2025, 3, 1)


# ---- two people amending the same record: the second is told, not silently overwriting -----------

def test_an_amendment_made_from_a_stale_copy_is_refused(sessions, supplier, monkeypatch):
    manager, doctor = sessions["manager"], sessions["doctor"]
    delivery = cabbage(manager, supplier)
    stale = records.get(doctor, "deliveries", delivery.id)  # the doctor opened it ...
    records.amend(manager, "deliveries", delivery.id, {"quantity": "12"}, "recount")  # ... the manager saved first
    monkeypatch.setattr(records, "get", lambda *args: stale)
    with pytest.raises(ValidationError) as caught:
        records.amend(doctor, "deliveries", delivery.id, {"receiver": "李医生"}, "I received it")
    assert caught.value.field == "version"
    monkeypatch.undo()
    stored = Delivery.get_by_id(delivery.id)
    assert (stored.version, stored.quantity, stored.receiver) == (2, 12, "王芳")


def test_a_form_opened_on_an_older_version_is_told_when_it_saves(sessions, supplier):
    manager, doctor = sessions["manager"], sessions["doctor"]
    delivery = cabbage(manager, supplier)
    records.amend(manager, "deliveries", delivery.id, {"quantity": "12"}, "recount")
    with pytest.raises(ValidationError) as caught:
        records.amend(doctor, "deliveries", delivery.id, {"quantity": "10", "receiver": "李医生"}, "mine",
                      expected_version=1)
    assert caught.value.field == "version"
    assert records.amend(doctor, "deliveries", delivery.id, {"receiver": "李医生"}, "mine",
                         expected_version=2).version == 3


def test_a_list_is_not_a_user_name_nor_a_canteen_detail(sessions):
    admin = sessions["admin"]
    assert "Wrong" in _refusal(lambda: users.login(["manager"], PASSWORD)).text("en")  # not SQL "IN"
    assert _refusal(lambda: users.reset_password(admin, ["manager"], "abcd")).field == "username"
    assert _refusal(lambda: site_admin.update_site(admin, name=["食堂"])).field == "name"
    assert _refusal(lambda: users.create_site("二中食堂", "admin2", PASSWORD, school=5)).field == "school"
