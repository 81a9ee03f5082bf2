"""Issue 12, items 4 and 6 at the district: each canteen's last push, stale after the district's
`push_stale_hours` (default 24 h, the same for every canteen) without one, and flagged when a push of a differing history was
refused. Times are fixed: the inspector's clock stands at 08:00 on 2 March 2026 in Shanghai."""

from __future__ import annotations

import datetime as dt

import pytest
from district_support import district, enrolled, pdf_words, session  # noqa: F401
from records_support import MARCH_MORNING

from canteen import settings
from canteen.errors import ValidationError
from canteen.read import district as district_read
from canteen.read import pushes
from canteen.services import site_admin
from canteen.timeutil import to_utc

NOW = to_utc(MARCH_MORNING)
DAY = dt.timedelta(hours=24)
TICK = dt.timedelta(microseconds=1)


def states(username: str = "inspector") -> dict[str, pushes.Freshness]:
    return {f.canteen: f for f in pushes.freshness(session(username)).values()}


@pytest.mark.both_databases
def test_a_canteen_is_stale_just_over_the_allowed_time_not_at_it(district):  # noqa: F811
    enrolled(district.a, NOW - 10 * DAY, last_at=NOW - DAY, last_seq=40)
    enrolled(district.b, NOW - 10 * DAY, last_at=NOW - DAY - TICK, last_seq=7)
    found = states()
    assert found["一中食堂"].state == pushes.FRESH and not found["一中食堂"].needs_attention
    assert found["二中食堂"].state == pushes.STALE and found["二中食堂"].needs_attention
    assert found["一中食堂"].last_at == NOW - DAY and found["一中食堂"].last_seq == 40
    assert found["二中食堂"].stale_after == DAY


@pytest.mark.both_databases
def test_a_canteen_not_enrolled_is_written_here_and_never_stale(district):  # noqa: F811
    enrolled(district.a, NOW - 10 * DAY, last_at=NOW - 3 * DAY)
    found = states()
    written = found["二中食堂"]
    assert written.state == pushes.WRITTEN_HERE and not written.enrolled
    assert not written.stale and not written.flagged and not written.never_pushed and written.last_at is None
    assert found["一中食堂"].stale


def test_a_canteen_that_never_pushed_is_stale_once_the_allowed_time_after_its_enrolment_passed(district):  # noqa: F811
    enrolled(district.a, NOW - DAY)
    enrolled(district.b, NOW - DAY - TICK)
    found = states()
    assert found["一中食堂"].never_pushed and found["一中食堂"].state == pushes.FRESH
    assert found["二中食堂"].never_pushed and found["二中食堂"].state == pushes.STALE


def test_a_flagged_canteen_keeps_its_flag_seq_and_time_fresh_or_not(district):  # noqa: F811
    flagged = NOW - dt.timedelta(hours=5)
    enrolled(district.a, NOW - 10 * DAY, last_at=NOW - dt.timedelta(hours=2), last_seq=88, flagged_at=flagged,
             flag_seq=80)
    a = states()["一中食堂"]
    assert a.flagged and a.flag_seq == 80 and a.flagged_at == flagged
    assert a.state == pushes.FRESH and a.needs_attention


def test_the_allowed_time_is_the_district_s_and_no_canteen_sets_its_own(district):  # noqa: F811
    enrolled(district.a, NOW - 10 * DAY, last_at=NOW - 2 * DAY)
    bureau = session("bureau")
    assert site_admin.update_default(bureau, "push_stale_hours", "48") == 48
    assert not states()["一中食堂"].stale and states()["一中食堂"].stale_after == 2 * DAY
    for who in (bureau, session("admin_a", district.a)):  # the bureau for one canteen, or the canteen itself
        site_admin.enter_site(who, "一中食堂")
        with pytest.raises(ValidationError) as refused:
            site_admin.update_setting(who, "push_stale_hours", "720")
        assert "the same for every canteen" in refused.value.text("en") and "各食堂相同" in refused.value.text("zh")
    assert site_admin.update_default(bureau, "push_stale_hours", "47") == 47
    assert states()["一中食堂"].stale


def test_the_day_table_and_the_summary_carry_each_canteen_s_freshness(district):  # noqa: F811
    enrolled(district.a, NOW - 10 * DAY, last_at=NOW - 3 * DAY, flagged_at=NOW - DAY, flag_seq=12)
    inspector = session("inspector")
    days = {d.canteen.name: d.push for d in district_read.district_day(inspector, MARCH_MORNING.date())}
    assert days["一中食堂"].stale and days["一中食堂"].flagged and days["二中食堂"].state == pushes.WRITTEN_HERE
    summary = district_read.district_summary(inspector, MARCH_MORNING.date(), MARCH_MORNING.date())
    assert summary.stale_canteens == 1 and summary.flagged_canteens == 1
    assert [line.push.state for line in summary.lines] == [pushes.STALE, pushes.WRITTEN_HERE]


@pytest.mark.parametrize("raw, en, zh", [
    ("0", "must be at least 1", "不能小于 1"),
    ("721", "must be at most 720", "不能大于 720"),
    ("1.5", "must be a whole number", "必须是整数"),
    ("一天", "", ""),
])
def test_a_bad_allowed_time_is_refused_in_both_languages_and_nothing_changes(district, raw, en, zh):  # noqa: F811
    bureau = session("bureau")
    with pytest.raises(ValidationError) as form:
        settings.DEFS["push_stale_hours"].parse(raw)  # what the settings form checks as you type
    with pytest.raises(ValidationError) as service:
        site_admin.update_default(bureau, "push_stale_hours", raw)
    assert form.value.text("en") == service.value.text("en") and form.value.text("zh") == service.value.text("zh")
    assert en in service.value.text("en") and zh in service.value.text("zh")
    assert "stale" in service.value.text("en") and "未上报" in service.value.text("zh")
    assert settings.get(district.a.id, "push_stale_hours") == 24


def test_only_district_users_read_the_freshness(district):  # noqa: F811
    from canteen.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        pushes.freshness(session("manager_a", district.a))


def test_the_summary_pdf_lists_each_canteen_s_last_push_stale_and_flagged(district, tmp_path):  # noqa: F811
    from reports.district import export_district_summary
    enrolled(district.a, NOW - 10 * DAY, last_at=to_utc(dt.datetime(2026, 2, 27, 18, 5)), last_seq=40,
             flagged_at=to_utc(dt.datetime(2026, 3, 1, 9, 30)), flag_seq=12)
    result = export_district_summary(session("inspector"), dt.date(2026, 3, 1), dt.date(2026, 3, 31),
                                     tmp_path / "district.pdf")
    flat = pdf_words(result.path).replace("\n", "")
    assert "最近上报" in flat and "Last push" in flat
    assert "【超时 Stale: > 24 h】2026-02-27 18:05 · 序号 seq 40" in flat
    assert "【历史不一致 History differs】 序号 seq 12 · 拒收于 refused 2026-03-01 09:30" in flat
    assert "区县直接录入 Written here (no push)" in flat
    assert "上报超时的食堂 Canteens stale (no push in the allowed time)1" in flat
    assert "历史不一致被标记的食堂 Canteens flagged (history differs)1" in flat
    assert result.pages == 2
