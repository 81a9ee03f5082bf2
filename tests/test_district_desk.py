"""The district desk's reads (issue 11, item 5): every canteen's duties for a day, the month heat
map, findings across canteens with filters, open and overdue cases, and the summary's lines — for
the district inspector, and for nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from district_support import district, light_sample, pdf_words, session  # noqa: F401
from records_support import MARCH_MORNING

from canteen.errors import PermissionDenied
from canteen.integrity import chain
from canteen.read import district as district_read

DAY = MARCH_MORNING.date()
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def sampled(district):  # noqa: F811
    """Canteen A kept a 100 g sample on the March morning; canteen B kept nothing."""
    light_sample(session("manager_a"), "红烧肉")
    return district


def test_the_inspector_sees_every_canteens_duties_for_the_day(sampled):
    days = district_read.district_day(session("inspector"), DAY)
    assert [d.canteen.name for d in days] == ["一中食堂", "二中食堂"]
    a, b = days
    assert a.state_of("samples") == "violation"  # the light sample
    assert b.state_of("samples") != "violation"
    assert {c.key for c in a.checks} >= {"deliveries", "pesticide", "samples", "morning", "accompanied",
                                         "disinfection", "inspection"}


def test_the_month_heat_map_marks_the_worst_finding_of_each_canteen_and_day(sampled):
    periods = district_read.district_period(session("inspector"), *MARCH)
    cells = district_read.heat_map(periods)
    a, b = (p.canteen.id for p in periods)
    assert cells[(a, DAY)] == "violation"
    assert all(cells[(b, f.day)] != "block" for f in periods[1].findings)
    assert not [f for f in periods[1].findings if f.rule == "SMP-WEIGHT"]  # B's cells come from B's findings
    assert len(district_read.month_days(2026, 2)) == 28


def test_findings_across_canteens_filter_by_canteen_severity_rule_and_period(sampled):
    periods = district_read.district_period(session("inspector"), *MARCH)
    a = periods[0].canteen.id
    weight = district_read.filter_findings(periods, rule="SMP-WEIGHT")
    assert [(c.name, f.day) for c, f in weight] == [("一中食堂", DAY)]
    assert district_read.filter_findings(periods, site_id=periods[1].canteen.id, rule="SMP-WEIGHT") == []
    assert all(f.severity == "violation" for _, f in district_read.filter_findings(periods, severity="violation"))
    assert district_read.filter_findings(periods, site_id=a, rule="SMP-WEIGHT", start=DAY + dt.timedelta(days=1)) == []


def test_each_canteen_counts_its_open_cases(sampled):
    a, b = district_read.district_period(session("inspector"), *MARCH)
    assert any(c.rule == "SMP-WEIGHT" and c.status == "open" for c in a.cases)
    assert a.open_cases >= 1
    assert not any(c.rule == "SMP-WEIGHT" for c in b.cases)


def test_the_summary_has_a_line_per_canteen_with_its_records_findings_and_chain_head(sampled):
    summary = district_read.district_summary(session("inspector"), *MARCH)
    assert summary.district == "城关区教育局"
    a, b = summary.lines
    assert (a.records, b.records) == (1, 0)
    assert a.findings["violation"] >= 1 and summary.findings["violation"] >= a.findings["violation"]
    assert a.chain_head == chain.head(a.canteen.id) and b.chain_head == chain.head(b.canteen.id)
    assert a.chain_head != b.chain_head
    assert summary.records == 1 and summary.canteens_with_violations >= 1


@pytest.mark.parametrize("who", ["manager_a", "doctor_b", "bureau"])
def test_a_school_user_or_the_district_administrator_reads_no_district(sampled, who):
    with pytest.raises(PermissionDenied):
        district_read.district_day(session(who), DAY)
    with pytest.raises(PermissionDenied):
        district_read.district_summary(session(who), *MARCH)


# ------------------------------------------------------------------------------ the summary PDF

def test_the_inspector_exports_the_district_summary_with_each_canteens_line_and_chain_head(sampled, tmp_path):
    from reports.district import export_district_summary
    inspector = session("inspector")
    result = export_district_summary(inspector, *MARCH, tmp_path / "district.pdf")
    words = pdf_words(result.path)
    heads = [chain.head(sampled.a.id), chain.head(sampled.b.id)]
    assert "城关区教育局" in words and "2026-03-01" in words and "2026-03-31" in words
    assert "一中食堂" in words and "二中食堂" in words and "Chain head" in words and "审计链头" in words
    flat = words.replace("\n", "")
    assert all(f"{h.seq}:{h.hash}" in flat for h in heads)
    assert result.pages == 2  # a page of totals, then the lines


def test_export_district_on_the_command_line(tmp_path, capsys, monkeypatch):
    from district_support import build_district

    from canteen import db
    from canteen.cli import main
    from tests.conftest import PASSWORD
    path = tmp_path / "district.db"
    db.open_database(str(path), create=True)
    build_district()
    light_sample(session("manager_a"))
    db.close()
    monkeypatch.setenv("CANTEEN_PASSWORD", PASSWORD)
    out = tmp_path / "summary.pdf"
    code = main(["--db", str(path), "--user", "inspector", "export-district", "-o", str(out),
                 "--from", "2026-03-01", "--to", "2026-03-31"])
    printed = capsys.readouterr()
    assert code == 0 and "2 pages" in printed.out and "一中食堂" in pdf_words(out)
    code = main(["--db", str(path), "--user", "doctor_a", "export-district", "-o", str(tmp_path / "no.pdf"),
                 "--from", "2026-03-01", "--to", "2026-03-31"])
    assert code == 2 and not (tmp_path / "no.pdf").exists()


@pytest.mark.both_databases
def test_the_day_table_reads_both_canteens_at_once_and_judges_each_as_its_today_page(sampled):
    from canteen import today
    light_sample(session("manager_b"), "清炒白菜")
    inspector = session("inspector")
    days = district_read.district_day(inspector, DAY)
    for canteen_day in days:
        alone = today.day_status(canteen_day.canteen.id, DAY, inspector.now())
        assert [(c.key, c.state, c.detail_en, c.record_ids) for c in canteen_day.checks] == \
            [(c.key, c.state, c.detail_en, c.record_ids) for c in alone]
    a, b = days
    assert a.state_of("samples") == b.state_of("samples") == "violation"
    assert "红烧肉" in next(c for c in a.checks if c.key == "samples").detail_en
    assert "清炒白菜" in next(c for c in b.checks if c.key == "samples").detail_en
    periods = district_read.district_period(inspector, *MARCH)
    assert [[f.record_id for f in p.findings if f.rule == "SMP-WEIGHT"] for p in periods] == \
        [[c.record_ids[0] for c in d.checks if c.key == "samples"] for d in days]
