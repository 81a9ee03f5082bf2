"""A district database with two canteens, built through the services as the command line does:
the district administrator `bureau`, the inspector `inspector`, and in each canteen an
administrator, a canteen administrator, a doctor and an auditor (`manager_a`, `doctor_b`, …)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from records_support import MARCH_MORNING, on_march_morning

from canteen.services import records, site_admin, users
from tests.conftest import PASSWORD

SCHOOL_ROLES = ("manager", "doctor", "auditor")


def build_district() -> SimpleNamespace:
    users.create_district("城关区教育局", "bureau", PASSWORD)
    bureau = users.session_for("bureau")
    a = site_admin.add_site(bureau, "一中食堂", "admin_a", PASSWORD)
    b = site_admin.add_site(bureau, "二中食堂", "admin_b", PASSWORD)
    for site, suffix in ((a, "a"), (b, "b")):
        for role in SCHOOL_ROLES:
            users.add_user(site, f"{role}_{suffix}", f"{role} {suffix}", role, PASSWORD)
    users.add_user(None, "inspector", "区县检查员", "district-inspector", PASSWORD)
    return SimpleNamespace(a=a, b=b)


def session(username: str, site=None):
    """A signed-in session on the March morning; a district user's in the canteen `site`."""
    s = on_march_morning(users.session_for(username))
    if site is not None:
        site_admin.enter_site(s, site.name)
    return s


def light_sample(s, dish: str = "红烧肉"):
    """A 100 g sample (SMP-WEIGHT): a finding every check of that day reports."""
    return records.create(s, "samples", {
        "occurred_at": MARCH_MORNING - dt.timedelta(minutes=30), "dish": dish, "served_on": MARCH_MORNING.date(),
        "meal": "lunch", "weight_g": "100", "fridge": "留样冰箱1", "storage_temp_c": "4", "sampler": "王芳"})


@pytest.fixture
def district(database):
    return build_district()


def enrolled(site, enrolled_at: dt.datetime, last_at: dt.datetime | None = None, last_seq: int = 0,
             flagged_at: dt.datetime | None = None, flag_seq: int | None = None):
    """Mark `site` as a canteen that pushes to the district, its push state set as given (UTC
    moments): the state a real push leaves (tests/test_push*.py push for real), at chosen times."""
    from canteen.models import Enrolment
    return Enrolment.create(site=site.id, public_key=f"key of {site.name}".encode(), canteen_name=site.name,
                            enrolled_at=enrolled_at, last_seq=last_seq, last_hash="", last_at=last_at,
                            flagged_at=flagged_at, flag_seq=flag_seq)


def pdf_words(path) -> str:
    """The text of a PDF, page after page (pypdf's extraction)."""
    from pypdf import PdfReader
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)
