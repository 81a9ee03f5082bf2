"""The district (issue 11, items 1 and 2): sites, users and settings from the command line, a
chosen canteen for every command, and the two district roles, each tried both ways."""

from __future__ import annotations

import json

import pytest
from district_support import build_district, district, light_sample, session  # noqa: F401
from records_support import MARCH_MORNING

from canteen import db, settings
from canteen.cli import main
from canteen.errors import PermissionDenied, ValidationError
from canteen.models import AuditEntry, User
from canteen.services import records, signing, site_admin, users
from tests.conftest import PASSWORD

DAY = MARCH_MORNING.date().isoformat()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def district_file(tmp_path, monkeypatch):
    """A district SQLite file with two canteens and a finding in each, closed for the CLI."""
    path = tmp_path / "district.db"
    db.open_database(str(path), create=True)
    found = build_district()
    light_sample(session("manager_a"), "红烧肉")
    light_sample(session("manager_b"), "清蒸鱼")
    db.close()
    monkeypatch.setenv("CANTEEN_PASSWORD", PASSWORD)
    found.path = str(path)
    return found


# ------------------------------------------------------------------------------ item 1: command line

def test_a_district_is_built_from_the_command_line(tmp_path, capsys, monkeypatch):
    path = str(tmp_path / "d.db")
    monkeypatch.setenv("CANTEEN_PASSWORD", "bureau-pass")
    code, out, _ = run(capsys, "--db", path, "init", "--district", "城关区教育局", "--admin", "bureau")
    assert code == 0 and "城关区教育局" in out
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", "first-pass")
    code, out, _ = run(capsys, "--db", path, "--user", "bureau", "site", "add", "一中食堂", "--admin", "yizhong")
    assert code == 0 and "一中食堂" in out
    code, out, _ = run(capsys, "--db", path, "--user", "bureau", "user", "add", "doc1", "--role", "doctor",
                       "--site", "一中食堂")
    assert code == 0 and "一中食堂" in out
    code, out, _ = run(capsys, "--db", path, "--user", "bureau", "setting", "set", "sample_min_g", "150")
    assert code == 0 and "default" in out
    # the canteen's new administrator must choose a password before anything else
    monkeypatch.setenv("CANTEEN_PASSWORD", "first-pass")
    code, _, err = run(capsys, "--db", path, "--user", "yizhong", "setting", "set", "sample_hours", "72")
    assert code == 2 and "must choose a new password" in err and "须先设置新密码" in err
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", "own-pass")
    assert run(capsys, "--db", path, "--user", "yizhong", "password")[0] == 0
    monkeypatch.setenv("CANTEEN_PASSWORD", "own-pass")
    code, out, _ = run(capsys, "--db", path, "--user", "yizhong", "setting", "set", "sample_hours", "72")
    assert code == 0 and "一中食堂: sample_hours = 72" in out
    db.open_database(path)
    site = site_admin.find_site("一中食堂")
    assert settings.get(site.id, "sample_min_g") == 150 and settings.get(site.id, "sample_hours") == 72
    assert User.get(User.username == "doc1").must_change_password
    assert User.get(User.username == "doc1").site_id == site.id


def test_user_add_and_setting_set_work_on_a_single_canteen_database(tmp_path, capsys, monkeypatch):
    path = str(tmp_path / "one.db")
    monkeypatch.setenv("CANTEEN_PASSWORD", PASSWORD)
    assert run(capsys, "--db", path, "init", "--site", "城关中学食堂", "--admin", "boss")[0] == 0
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", "welcome")
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "add", "wang", "--role", "manager",
                       "--display-name", "王芳")
    assert code == 0 and "城关中学食堂" in out
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "setting", "set", "fever_c", "37.5")
    assert code == 0 and "fever_c = 37.5" in out
    code, _, err = run(capsys, "--db", path, "--user", "boss", "user", "add", "x", "--role", "district-admin")
    assert code == 2 and "may not" in err


def test_several_canteens_and_none_named_is_refused(district_file, capsys):
    code, _, err = run(capsys, "--db", district_file.path, "--user", "inspector", "check")
    assert code == 2 and "several canteens" in err and "多个食堂" in err
    code, _, err = run(capsys, "--db", district_file.path, "check")
    assert code == 2 and "--user" in err


def test_a_named_canteen_is_the_one_checked(district_file, capsys):
    code, out, _ = run(capsys, "--db", district_file.path, "--user", "inspector", "--site", "二中食堂", "check",
                       "--from", DAY, "--to", DAY, "--json")
    rules = {(f["rule"], f["message_zh"]) for f in json.loads(out)}
    assert code == 1 and any("清蒸鱼" in zh for _r, zh in rules) and not any("红烧肉" in zh for _r, zh in rules)


def test_a_school_user_is_refused_another_canteen(district_file, capsys):
    code, _, err = run(capsys, "--db", district_file.path, "--user", "auditor_a", "--site", "二中食堂", "check")
    assert code == 2 and "does not belong to canteen 二中食堂" in err and "不属于食堂" in err
    code, out, _ = run(capsys, "--db", district_file.path, "--user", "auditor_a", "check", "--from", DAY, "--to", DAY)
    assert code == 1 and "红烧肉" in out  # their own canteen, without naming it


def test_check_all_sites_json_names_the_site_of_every_finding(district_file, capsys):
    code, out, _ = run(capsys, "--db", district_file.path, "--user", "inspector", "check", "--all-sites",
                       "--from", DAY, "--to", DAY, "--json")
    findings = json.loads(out)
    assert code == 1 and {f["site"] for f in findings} == {"一中食堂", "二中食堂"}
    light = {f["site"]: f["message_zh"] for f in findings if f["rule"] == "SMP-WEIGHT"}
    assert "红烧肉" in light["一中食堂"] and "清蒸鱼" in light["二中食堂"]
    code, out, _ = run(capsys, "--db", district_file.path, "--user", "auditor_b", "check", "--all-sites",
                       "--from", DAY, "--to", DAY, "--json")
    assert {f["site"] for f in json.loads(out)} == {"二中食堂"}  # a school user sees their own only


def test_export_and_verify_act_in_the_named_canteen(district_file, tmp_path, capsys):
    target = tmp_path / "b.csv"
    code, out, _ = run(capsys, "--db", district_file.path, "--user", "inspector", "--site", "二中食堂", "export",
                       "samples", "--from", DAY, "--to", DAY, "-o", str(target))
    text = target.read_text(encoding="utf-8-sig")
    assert code == 0 and "清蒸鱼" in text and "红烧肉" not in text
    code, out, _ = run(capsys, "--db", district_file.path, "--user", "inspector", "--site", "一中食堂", "verify")
    assert code == 0 and "0 problem(s)" in out


# ------------------------------------------------------------------------------ item 2: district roles

def test_the_district_admin_adds_canteens_users_and_defaults(district):
    bureau = session("bureau")
    site = site_admin.add_site(bureau, "三中食堂", "admin_c", PASSWORD)
    user = users.create_user(bureau, "doctor_c", "校医", "doctor", PASSWORD, site=site)
    inspector = users.create_user(bureau, "inspector2", "检查员", "district-inspector", PASSWORD)
    assert user.site_id == site.id and inspector.site_id is None and user.must_change_password
    assert site_admin.update_default(bureau, "late_entry_hours", "48") == 48
    assert settings.get(site.id, "late_entry_hours") == 48
    site_admin.enter_site(bureau, "三中食堂")
    assert site_admin.update_setting(bureau, "late_entry_hours", "12") == 12
    assert settings.get(site.id, "late_entry_hours") == 12 and settings.get(district.a.id, "late_entry_hours") == 48


def test_the_district_admin_keeps_no_records(district):
    bureau = session("bureau", district.a)
    with pytest.raises(PermissionDenied):
        light_sample(bureau)
    sample = light_sample(session("manager_a"))
    with pytest.raises(PermissionDenied):
        records.amend(bureau, "samples", sample.id, {"weight_g": "130"}, "称重有误")
    with pytest.raises(PermissionDenied):
        signing.sign_record(bureau, "samples", sample.id, "reviewed", PASSWORD)
    with pytest.raises(PermissionDenied) as refused:
        site_admin.readable_sites(bureau)
    assert "区县管理员" in refused.value.zh


def test_the_district_inspector_reads_every_canteen_and_changes_none(district, tmp_path):
    sample = light_sample(session("manager_b"))
    inspector = session("inspector", district.b)
    assert records.get(inspector, "samples", sample.id).dish == "红烧肉"
    assert [s.name for s in site_admin.readable_sites(inspector)] == ["一中食堂", "二中食堂"]
    assert {u.username for u in users.list_users(inspector)} >= {"manager_b", "admin_b"}
    for attempt in (lambda: light_sample(inspector),
                    lambda: records.amend(inspector, "samples", sample.id, {"weight_g": "130"}, "改"),
                    lambda: records.void(inspector, "samples", sample.id, "作废"),
                    lambda: signing.sign_record(inspector, "samples", sample.id, "reviewed", PASSWORD),
                    lambda: users.create_user(inspector, "x", "x", "manager", PASSWORD),
                    lambda: site_admin.update_setting(inspector, "fever_c", "38"),
                    lambda: site_admin.add_site(inspector, "四中食堂", "admin_d", PASSWORD)):
        with pytest.raises(PermissionDenied):
            attempt()
    refused = AuditEntry.select().where((AuditEntry.action == "refused") & (AuditEntry.username == "inspector"))
    assert refused.count() == 7


def test_school_administrators_hold_no_district_powers(district):
    admin_a = session("admin_a")
    for attempt in (lambda: site_admin.add_site(admin_a, "四中食堂", "admin_d", PASSWORD),
                    lambda: site_admin.update_default(admin_a, "fever_c", "38"),
                    lambda: users.create_user(admin_a, "spy", "x", "district-inspector", PASSWORD),
                    lambda: users.create_user(admin_a, "mole", "x", "manager", PASSWORD, site=district.b)):
        with pytest.raises(PermissionDenied):
            attempt()
    with pytest.raises(ValidationError):
        users.set_role(admin_a, "manager_a", "district-admin")
    assert users.create_user(admin_a, "cook_a", "厨师", "manager", PASSWORD).site_id == district.a.id


def test_the_district_administrator_is_sent_from_the_desk_to_the_command_line(district):
    from canteen.errors import AuthError
    with pytest.raises(AuthError) as refused:
        users.login_at_desk("bureau", PASSWORD)
    assert "command line" in refused.value.en and "命令行" in refused.value.zh
    assert users.login_at_desk("inspector", PASSWORD).site is None  # the district page, every canteen
    assert users.login_at_desk("doctor_b", PASSWORD).site.id == district.b.id
