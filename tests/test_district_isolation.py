"""Isolation, enforced in the core (issue 11, item 3): a user of canteen A tries canteen B's
records by id, by search, by export, by archive, by amend, by sign, by attachment and through
the commands, and sees a refusal or nothing — on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from district_support import district, light_sample, session  # noqa: F401
from records_support import MARCH_MORNING

from canteen.errors import NotFound, PermissionDenied
from canteen.read import lists
from canteen.read import records as read_records
from canteen.services import attachments, records, signing, site_admin
from canteen.sheet_export import export_records
from tests.conftest import PASSWORD

DAY = MARCH_MORNING.date()


@pytest.fixture
def fish(district):
    """Canteen B's sample, which canteen A's users try to reach."""
    return light_sample(session("manager_b"), "清蒸鱼")


@pytest.mark.both_databases
def test_by_id_amend_void_and_sign_a_user_of_a_sees_nothing_of_b(district, fish):
    light_sample(session("manager_a"), "红烧肉")
    doctor_a, manager_a = session("doctor_a"), session("manager_a")
    for attempt in (lambda: records.get(manager_a, "samples", fish.id),
                    lambda: read_records.record(manager_a, "samples", fish.id),
                    lambda: records.amend(manager_a, "samples", fish.id, {"weight_g": "130"}, "称重有误"),
                    lambda: records.void(manager_a, "samples", fish.id, "作废"),
                    lambda: signing.sign_record(doctor_a, "samples", fish.id, "reviewed", PASSWORD),
                    lambda: attachments.add_attachment(manager_a, "samples", fish.id, "x.png", b"\x89PNG", "image/png")):
        with pytest.raises((NotFound, PermissionDenied)):
            attempt()
    assert records.get(session("manager_b"), "samples", fish.id).weight_g == 100  # untouched


@pytest.mark.both_databases
def test_by_search_a_user_of_a_finds_nothing_of_b(district, fish):
    light_sample(session("manager_a"), "红烧肉")
    manager_a = session("manager_a")
    assert lists.count(manager_a, lists.ListQuery("samples", text="清蒸鱼")) == 0
    assert lists.count(manager_a, lists.ListQuery("samples", start=DAY, end=DAY)) == 1
    assert lists.total(manager_a, "samples") == 1
    assert fish.id not in lists.matching_ids(manager_a, lists.ListQuery("samples"))


@pytest.mark.both_databases
def test_by_export_and_archive_a_user_of_a_gets_only_a(district, fish, tmp_path):
    from reports.archive import export_archive
    light_sample(session("manager_a"), "红烧肉")
    auditor_a = session("auditor_a")
    sheet = export_records(auditor_a, "samples", DAY, DAY, tmp_path / "a.csv")
    text = sheet.path.read_text(encoding="utf-8-sig")
    assert sheet.rows == 1 and "红烧肉" in text and "清蒸鱼" not in text
    archive = export_archive(auditor_a, DAY, DAY, tmp_path / "a.pdf")
    from pypdf import PdfReader
    words = "".join(page.extract_text() for page in PdfReader(archive.path).pages)
    assert "清蒸鱼" not in words and "二中食堂" not in words


@pytest.mark.both_databases
def test_a_user_of_a_cannot_enter_b_and_the_refusal_is_kept(district):
    manager_a = session("manager_a")
    with pytest.raises(PermissionDenied) as refused:
        site_admin.enter_site(manager_a, "二中食堂")
    assert "不属于食堂" in refused.value.zh and manager_a.site.id == district.a.id
