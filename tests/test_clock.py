"""The program's one clock and CANTEEN_CLOCK, which sets it to a chosen moment that runs on."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from canteen import cli
from canteen.timeutil import ANCHOR_VARIABLE, CLOCK_VARIABLE, clock_offset, local_today, to_local, utcnow
from canteen.validation import check_id_number, id_number_check_char

NEW_YEAR = "2027-01-01T00:01+08:00"  # one minute into the year in Shanghai, still 2026 in UTC
NEW_YEAR_UTC = dt.datetime(2026, 12, 31, 16, 1)


@pytest.fixture
def set_clock(monkeypatch):
    """Set CANTEEN_CLOCK as a user would before starting the program (no anchor inherited)."""
    def set_to(moment: str) -> None:
        monkeypatch.delenv(ANCHOR_VARIABLE, raising=False)
        monkeypatch.setenv(CLOCK_VARIABLE, moment)
    return set_to


def real_utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def test_a_set_clock_starts_at_its_moment_and_runs_on_with_real_time(set_clock):
    set_clock(NEW_YEAR)
    first = utcnow()
    assert NEW_YEAR_UTC <= first < NEW_YEAR_UTC + dt.timedelta(minutes=1)
    assert local_today() == dt.date(2027, 1, 1)
    before, reading, after = real_utcnow(), utcnow(), real_utcnow()
    assert before + clock_offset() <= reading <= after + clock_offset()  # an offset, not a frozen time


@pytest.mark.parametrize("moment, utc, canteen_day", [
    ("2028-02-29 10:00", dt.datetime(2028, 2, 29, 2, 0), dt.date(2028, 2, 29)),  # no offset: Shanghai time
    ("2027-03-09T16:00Z", dt.datetime(2027, 3, 9, 16, 0), dt.date(2027, 3, 10)),  # midnight in Shanghai
    ("2027-03-07", dt.datetime(2027, 3, 6, 16, 0), dt.date(2027, 3, 7)),  # a date alone: its midnight
])
def test_a_moment_without_an_offset_is_the_canteens_wall_clock(set_clock, moment, utc, canteen_day):
    set_clock(moment)
    assert utc <= utcnow() < utc + dt.timedelta(minutes=1)
    assert local_today() == canteen_day


def test_without_the_variable_the_clock_is_the_computers(monkeypatch):
    monkeypatch.delenv(CLOCK_VARIABLE, raising=False)
    before, reading, after = real_utcnow(), utcnow(), real_utcnow()
    assert before <= reading <= after


def test_a_clock_that_is_not_a_time_is_one_line_naming_the_variable(site, db_path, set_clock, capsys):
    set_clock("next tuesday")
    assert cli.main(["--db", str(db_path), "check"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "CANTEEN_CLOCK" in err and "next tuesday" in err
    assert "2027-01-01T00:01+08:00" in err and "Traceback" not in err


def test_a_command_started_by_the_program_shares_its_clock(set_clock):
    """The first reading anchors the clock; a command started later runs on the same clock, not
    on one that starts again at the set moment."""
    set_clock(NEW_YEAR)
    before = utcnow()
    child = subprocess.run([sys.executable, "-c", "from canteen.timeutil import utcnow; print(utcnow().isoformat())"],
                           capture_output=True, text=True, check=True, env=dict(os.environ))
    after = utcnow()
    assert before <= dt.datetime.fromisoformat(child.stdout.strip()) <= after


def test_a_record_entered_under_a_set_clock_is_dated_by_it(set_clock, monkeypatch, tmp_path):
    set_clock(NEW_YEAR)
    from canteen import db
    from canteen.services import records, users
    handle = db.open_database(str(tmp_path / "new-year.db"), create=True)
    try:
        site, _admin = users.create_site("城关中学食堂", "admin", "demo", school="城关中学")
        users.add_user(site, "manager", "王芳", "manager", "demo")
        manager = users.session_for("manager")
        supplier = records.create(manager, "suppliers", {"name": "城关蔬菜批发部", "kind": "distributor",
                                                          "address": "城关镇"})
        assert manager.today() == dt.date(2027, 1, 1)
        assert to_local(supplier.entered_at).date() == dt.date(2027, 1, 1)
        assert supplier.entered_at.date() == dt.date(2026, 12, 31)  # stored in UTC
    finally:
        handle.close()


def test_an_id_number_born_today_is_possible_on_the_canteens_today(set_clock):
    """A birth date is judged against the canteen's clock: born on the set day is possible,
    born the day after is not."""
    set_clock(NEW_YEAR)
    born_today = "11010520270101001"
    born_tomorrow = "11010520270102001"
    assert check_id_number(born_today + id_number_check_char(born_today)) is None
    refusal = check_id_number(born_tomorrow + id_number_check_char(born_tomorrow))
    assert refusal is not None and "impossible birth date" in refusal[0]


def test_a_new_date_field_starts_on_the_canteens_today(qapp, set_clock):
    from PySide6.QtWidgets import QWidget

    from canteen.fields import Spec
    from ui.forms.editors import DateEditor, DateTimeEditor
    set_clock(NEW_YEAR)
    parent = QWidget()
    day = DateEditor(Spec("day", "date", "Day", "日期"), parent)
    moment = DateTimeEditor(Spec("occurred_at", "datetime", "Time", "时间"), parent)
    assert day.raw() == dt.date(2027, 1, 1)
    assert moment.raw().date() == dt.date(2027, 1, 1) and moment.raw().hour == 0
    parent.deleteLater()


def test_a_pdfs_creation_date_is_the_canteens_clock(sessions, set_clock, tmp_path):
    from pypdf import PdfReader

    from reports.daily_sheet import export_daily_sheet
    set_clock(NEW_YEAR)
    export_daily_sheet(sessions["doctor"], dt.date(2026, 12, 31), tmp_path / "day.pdf")
    created = PdfReader(tmp_path / "day.pdf").metadata.creation_date
    assert NEW_YEAR_UTC <= created.astimezone(dt.timezone.utc).replace(tzinfo=None) < NEW_YEAR_UTC + dt.timedelta(minutes=5)


def test_a_spreadsheets_own_dates_are_the_canteens_clock(sessions, set_clock, tmp_path):
    """Excel shows a workbook's created/modified dates in its properties: they follow the clock too."""
    from openpyxl import load_workbook

    from canteen.sheet_export import export_records, export_template
    set_clock(NEW_YEAR)
    export_records(sessions["manager"], "suppliers", dt.date(2026, 12, 1), dt.date(2026, 12, 31), tmp_path / "s.xlsx")
    export_template("deliveries", tmp_path / "t.xlsx")
    for name in ("s.xlsx", "t.xlsx"):
        created = load_workbook(tmp_path / name).properties.created
        assert NEW_YEAR_UTC <= created < NEW_YEAR_UTC + dt.timedelta(minutes=5), name
