"""Issue 12 item 7, the push at the daily close that pushes: the canteen's administrator lets this
computer push at each close (a device copy of the site key in the user's data folder, audited), and
the evening's close by the doctor then pushes with it; unticking withdraws it."""

from __future__ import annotations

import json
import stat

import pytest
from conftest import PASSWORD
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gui_support import desk  # noqa: F401  (fixture)
from push_support import own_data_folder  # noqa: F401  (fixture)
from test_gui_push import (
    UNREACHABLE,
    admin_window,
    district_at,
    enrol_and_receive,
    held_at_district,
    open_push_dialog,
    sign_the_days_inspection,
)

from canteen.errors import AuthError, PermissionDenied
from canteen.integrity import chain, sitekey
from canteen.models import AuditEntry, User
from canteen.services import district_push, site_admin


@pytest.fixture(autouse=True)
def data_folder(own_data_folder):  # noqa: F811 (the fixture imported above)
    return own_data_folder


def audited(session, action: str) -> list[dict]:
    """What the canteen's chain says about `action`: who and the entry's details."""
    rows = AuditEntry.select().where((AuditEntry.site_id == session.site_id) & (AuditEntry.action == action))
    return [{"username": row.username, "at": row.at, **json.loads(row.after or "{}")} for row in rows]


def the_copy(session):
    return sitekey.device_copy_path(session.site_id)


def test_allowing_keeps_a_copy_only_this_user_reads_and_the_chain_says_who_and_which_computer(sessions, data_folder):
    admin = sessions["admin"]
    path = district_push.allow_device_push(admin, PASSWORD)
    assert path == the_copy(admin) and path.is_relative_to(data_folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and not list(path.parent.glob("*.part"))
    kept = district_push.device_push_state(admin)
    assert kept.problem is None and sitekey.public_bytes(kept.key) == sitekey.site_public_key(admin.site_id)
    [entry] = audited(admin, "push-device-allowed")
    assert entry["username"] == "admin" and entry["computer"] == district_push.computer_name() != ""
    assert chain.head(admin.site_id).seq > 0


def test_a_wrong_password_when_allowing_is_refused_and_counted(sessions):
    admin = sessions["admin"]
    with pytest.raises(AuthError):
        district_push.allow_device_push(admin, "not-the-password")
    assert not the_copy(admin).exists() and not audited(admin, "push-device-allowed")
    assert User.get_by_id(admin.user.id).failed_attempts == 1 and audited(admin, "push-failed")


@pytest.mark.parametrize("role", ["manager", "doctor", "director"])
def test_only_the_canteens_administrator_may_allow_or_withdraw(sessions, role):
    for change in (lambda s: district_push.allow_device_push(s, PASSWORD), district_push.revoke_device_push):
        with pytest.raises(PermissionDenied):
            change(sessions[role])
    assert not the_copy(sessions["admin"]).exists() and not audited(sessions["admin"], "push-device-allowed")


def test_the_dialog_ticks_with_the_password_typed_and_unticks(qtbot, desk, sessions):
    admin = sessions["admin"]
    dialog = open_push_dialog(qtbot, admin_window(qtbot, admin))
    assert dialog.device.isVisible() and not dialog.device.isChecked()
    dialog.device.click()  # no password typed yet
    assert not dialog.device.isChecked() and "Type your password above" in dialog.message.text()
    dialog.password.setText("not-the-password")
    dialog.device.click()
    assert not dialog.device.isChecked() and dialog.message.text().startswith("Not changed:")
    dialog.password.setText(PASSWORD)
    dialog.device.click()
    assert dialog.device.isChecked() and the_copy(admin).exists() and not dialog.password.text()
    assert "each daily close" in dialog.message.text()
    dialog.close()
    again = open_push_dialog(qtbot, admin_window(qtbot, admin))
    assert again.device.isChecked()
    again.device.click()
    assert not again.device.isChecked() and not the_copy(admin).exists()
    assert len(audited(admin, "push-device-revoked")) == 1


def test_withdrawn_the_copy_is_gone_audited_and_the_close_warns_again(qtbot, desk, sessions):
    from PySide6.QtWidgets import QPushButton
    admin = sessions["admin"]
    district_push.allow_device_push(admin, PASSWORD)
    assert district_push.revoke_device_push(admin) and not the_copy(admin).exists()
    [entry] = audited(admin, "push-device-revoked")
    assert entry["username"] == "admin" and entry["computer"] == district_push.computer_name()
    assert not district_push.revoke_device_push(admin) and len(audited(admin, "push-device-revoked")) == 1
    site_admin.update_setting(admin, "district_address", UNREACHABLE)
    win = admin_window(qtbot, sessions["doctor"])
    sign_the_days_inspection(qtbot, win, sessions["doctor"])
    qtbot.waitUntil(lambda: win.findChild(QPushButton, "push_warning") is not None)
    assert "does not hold the canteen's site key (admin does)" in win.statusBar().currentMessage()


def test_a_copy_of_a_replaced_key_is_ignored_and_the_desk_says_so(qtbot, desk, sessions):
    from PySide6.QtWidgets import QPushButton
    admin = sessions["admin"]
    district_push.allow_device_push(admin, PASSWORD)
    sitekey.keep_device_copy(admin.site_id, admin.site.name, Ed25519PrivateKey.generate())  # not the canteen's key
    state = district_push.device_push_state(admin)
    assert state.key is None and "no longer matches" in state.problem
    site_admin.update_setting(admin, "district_address", UNREACHABLE)
    win = admin_window(qtbot, sessions["doctor"])
    sign_the_days_inspection(qtbot, win, sessions["doctor"])
    qtbot.waitUntil(lambda: win.findChild(QPushButton, "push_warning") is not None)
    said = win.statusBar().currentMessage()
    assert "no longer matches the canteen's site key" in said and "admin does" in said
    dialog = open_push_dialog(qtbot, admin_window(qtbot, admin))
    assert not dialog.device.isChecked() and "no longer matches" in dialog.message.text()


def test_a_damaged_copy_is_ignored_with_its_file_named(sessions):
    admin = sessions["admin"]
    path = district_push.allow_device_push(admin, PASSWORD)
    path.write_text("{", encoding="utf-8")
    state = district_push.device_push_state(admin)
    assert state.key is None and "cannot be read" in state.problem and str(path) in state.problem


@pytest.mark.postgres_only
def test_the_doctors_close_pushes_with_this_computers_copy_to_a_postgresql_district(
        qtbot, desk, sessions, server_database, tmp_path, capsys, monkeypatch):
    admin, doctor = sessions["admin"], sessions["doctor"]
    district = district_at(server_database, capsys, monkeypatch)
    first = tmp_path / "1.canteen"
    district_push.push_to_file(admin, PASSWORD, first)
    enrol_and_receive(capsys, monkeypatch, district, first)
    site_admin.update_setting(admin, "district_address", district)
    district_push.allow_device_push(admin, PASSWORD)
    before = held_at_district(district)
    win = admin_window(qtbot, doctor)
    sign_the_days_inspection(qtbot, win, doctor)
    qtbot.waitUntil(lambda: "by this computer" in win.statusBar().currentMessage(), timeout=60_000)
    held = held_at_district(district)
    assert held > before and f"receipt is up to seq {held}" in win.statusBar().currentMessage()
    from canteen.read.pushes import last_receipt
    assert last_receipt(admin).seq == held
