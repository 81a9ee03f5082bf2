"""Issue 12 item 7: the canteen's administrator pushes from the desk (File → Push to district), to
a file or online, with progress and Cancel; the daily close pushes where a district address is set."""

from __future__ import annotations

import contextlib
import threading

import pytest
from conftest import PASSWORD, local_now
from gui_support import desk  # noqa: F401  (fixture)
from push_support import own_data_folder, run  # noqa: F401  (fixture)
from PySide6.QtCore import Qt

from canteen import db, pushing
from canteen.errors import Cancelled
from canteen.services import district_push, records, site_admin, storage

DISTRICT = "district-desk-1"
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/district"  # nothing listens on port 1


@pytest.fixture(autouse=True)
def no_device_copy_from_home(own_data_folder):
    """The close looks for this computer's device copy of the site key: in the test's own folder."""
    return own_data_folder


@contextlib.contextmanager
def the_canteen_stays_open():
    """The command line opens the district's database for the process; the test's canteen comes back."""
    home = db.database.obj
    try:
        yield
    finally:
        db.database.initialize(home)


def district_at(url: str, capsys, monkeypatch) -> str:
    with the_canteen_stays_open():
        assert run(capsys, monkeypatch, DISTRICT, "--db", url, "init", "--district", "城关区", "--admin", "dadmin")[0] == 0
    return url


def enrol_and_receive(capsys, monkeypatch, district: str, file) -> tuple[int, str]:
    """The district enrols the canteen from its first push file and receives it."""
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", "canteen-pass-1")
    with the_canteen_stays_open():
        assert run(capsys, monkeypatch, DISTRICT, "--db", district, "--user", "dadmin", "site", "add", "城关中学",
                   "--admin", "cgadmin", "--from", str(file))[0] == 0
        return run(capsys, monkeypatch, DISTRICT, "--db", district, "--user", "dadmin", "receive", str(file))[:2]


def held_at_district(district: str) -> int:
    """How far the district holds the canteen's chain."""
    from canteen.models import Enrolment
    other = db.connect(district)
    try:
        with db.bound_here(other):
            return max([e.last_seq for e in Enrolment.select()], default=0)
    finally:
        other.close()


def admin_window(qtbot, session):
    from ui.main_window import MainWindow
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    return win


def open_push_dialog(qtbot, win):
    from PySide6.QtGui import QAction
    win.findChild(QAction, "action_push_district").trigger()
    dialog = win.push_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def push(qtbot, dialog, password: str = PASSWORD):
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)


def test_the_menu_item_is_the_canteen_administrators_only(qtbot, desk, sessions):
    from PySide6.QtGui import QAction
    for role in ("admin", "manager", "doctor"):
        win = admin_window(qtbot, sessions[role])
        action = win.findChild(QAction, "action_push_district")
        assert action is not None and action.isEnabled() == (role == "admin")
        if role != "admin":
            assert "administrator" in action.toolTip()
            assert win.push_to_district() is None


def test_a_push_to_a_file_from_the_dialog_is_received_by_the_district(qtbot, desk, sessions, tmp_path, capsys,
                                                                       monkeypatch):
    district = district_at(str(tmp_path / "district.db"), capsys, monkeypatch)
    win = admin_window(qtbot, sessions["admin"])
    dialog = open_push_dialog(qtbot, win)
    assert dialog.to_file.isChecked() and not dialog.online.isEnabled()  # no district address set
    target = tmp_path / "push.canteen"
    dialog.path.setText(str(target))
    steps = []
    dialog.progress.valueChanged.connect(steps.append)
    push(qtbot, dialog)
    assert target.exists() and "push.canteen" in dialog.message.text() and "new entries" in dialog.message.text()
    assert steps and max(steps) == pushing.STEPS
    code, said = enrol_and_receive(capsys, monkeypatch, district, target)
    assert code == 0 and said.split(" new entries")[0].strip().isdigit() and int(said.split(" new")[0]) > 0
    assert held_at_district(district) == dialog.result.seq


def test_a_wrong_password_is_said_and_nothing_is_written(qtbot, desk, sessions, tmp_path):
    win = admin_window(qtbot, sessions["admin"])
    dialog = open_push_dialog(qtbot, win)
    target = tmp_path / "push.canteen"
    dialog.path.setText(str(target))
    push(qtbot, dialog, "not-the-password")
    assert not target.exists() and dialog.message.text().startswith("Not pushed:")
    assert dialog.go.isEnabled() and dialog.close_button.text() == "Close"


@pytest.mark.parametrize("typed, said", [("", "Choose the file to write."), ("{tmp}", "is a folder"),
                                         ("{tmp}/no such folder/push.canteen", "no such folder")])
def test_a_push_file_that_cannot_be_written_is_refused_before_anything_starts(qtbot, desk, sessions, tmp_path,
                                                                             typed, said):
    """The same check, and the same words, as the export dialog's: no password check, no worker."""
    win = admin_window(qtbot, sessions["admin"])
    dialog = open_push_dialog(qtbot, win)
    dialog.path.setText(typed.format(tmp=tmp_path))
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert not dialog.running and said in dialog.message.text() and dialog.go.isEnabled()
    assert dialog.password.text() == PASSWORD and not list(tmp_path.rglob("*.canteen*"))
    assert not (tmp_path / "no such folder").exists()


def test_an_unreachable_district_gives_a_clear_message(qtbot, desk, sessions):
    site_admin.update_setting(sessions["admin"], "district_address", UNREACHABLE)
    win = admin_window(qtbot, sessions["admin"])
    dialog = open_push_dialog(qtbot, win)
    assert dialog.online.isChecked() and "127.0.0.1" in dialog.address_label.text()
    push(qtbot, dialog)
    text = dialog.message.text()
    assert text.startswith("Not pushed:") and "127.0.0.1" in text and "Nothing is lost" in text
    assert "Traceback" not in text


def test_the_district_address_is_checked_when_set(sessions):
    from canteen.errors import ValidationError
    for wrong in ("http://district/", "school.db", "postgresql://server-without-database"):
        with pytest.raises(ValidationError):
            site_admin.update_setting(sessions["admin"], "district_address", wrong)
    assert site_admin.update_setting(sessions["admin"], "district_address", " postgresql://c@d.example/district ") \
        == "postgresql://c@d.example/district"


def start_held_push(qtbot, dialog, target, monkeypatch) -> threading.Event:
    """Push to `target` from the dialog, the worker held just before it gathers the entries until
    the returned event is set (so the test can cancel or close meanwhile)."""
    dialog.path.setText(str(target))
    counted, release = threading.Event(), threading.Event()
    real = pushing._blobs

    def held_back(entries):
        counted.set()
        release.wait(30)
        return real(entries)
    monkeypatch.setattr(pushing, "_blobs", held_back)
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(counted.is_set)
    return release


def test_cancel_stops_the_push_before_the_district_or_the_file_is_touched(qtbot, desk, sessions, tmp_path,
                                                                           monkeypatch):
    win = admin_window(qtbot, sessions["admin"])
    dialog = open_push_dialog(qtbot, win)
    target = tmp_path / "push.canteen"
    release = start_held_push(qtbot, dialog, target, monkeypatch)
    assert dialog.close_button.text() == "Cancel"
    dialog.close()  # closing the window while it runs cancels, and the dialog stays
    assert dialog.isVisible() and dialog.message.text() == "Stopping…"
    release.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.message.text().startswith("Cancelled") and not target.exists()
    assert not target.with_name(target.name + ".part").exists()


def test_a_cancelled_online_push_leaves_a_district_as_it_was(sessions, tmp_path, capsys, monkeypatch):
    """The core: a cancel at any step before sending leaves the district before (here an SQLite
    district, which the core accepts as any database URL)."""
    district = district_at(str(tmp_path / "district.db"), capsys, monkeypatch)
    first = tmp_path / "1.canteen"
    district_push.push_to_file(sessions["admin"], PASSWORD, first)
    enrol_and_receive(capsys, monkeypatch, district, first)
    records.create(sessions["manager"], "waste", {"occurred_at": sessions["manager"].now(), "kind": "food",
                                                  "weight_kg": "3", "collector_unit": "城关环卫", "recorder": "王芳"})
    before = held_at_district(district)
    for step in pushing.STEP_NAMES:
        def stop(_done, _total, what, step=step):
            if what.split("=")[0] == step:
                raise Cancelled()
        with pytest.raises(Cancelled):
            pushing.push_online(sessions["admin"], PASSWORD, district, progress=stop)
        assert held_at_district(district) == before
    outcome = pushing.push_online(sessions["admin"], PASSWORD, district)
    assert outcome.new >= 1 and held_at_district(district) > before


def test_the_push_keeps_the_desk_on_its_own_database(sessions, tmp_path, capsys, monkeypatch):
    """A worker bound to the district's database leaves every other thread on the canteen's."""
    district = district_at(str(tmp_path / "district.db"), capsys, monkeypatch)
    home, seen = db.current(), []
    inside, done = threading.Event(), threading.Event()
    other = db.connect(district)

    def worker():
        with db.bound_here(other):
            seen.append(db.current() is other)
            inside.set()
            done.wait(30)
    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(30)
    assert db.current() is home and storage.first_site_name() == "城关中学食堂"  # the district has no canteen yet
    done.set()
    thread.join()
    other.close()
    assert seen == [True] and db.current() is home


def sign_the_days_inspection(qtbot, win, doctor):
    from test_gui_signing import fill_sign_dialog
    inspection = records.create(doctor, "inspections", {"day": local_now().date(), "inspector": "李医生",
                                                        "checklist": {"environment": True}})
    page = win.show_page("records:inspections")
    assert page.select_record(inspection.id)
    fill_sign_dialog(qtbot, PASSWORD)
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.signature_state.text() == "Signed — locked")
    return page


def test_the_close_pushes_only_where_a_district_address_is_set(qtbot, desk, sessions):
    win = admin_window(qtbot, sessions["doctor"])
    sign_the_days_inspection(qtbot, win, sessions["doctor"])
    assert getattr(win, "close_push", None) is None and "district" not in win.statusBar().currentMessage()


def test_the_close_says_plainly_when_the_signer_cannot_open_the_site_key(qtbot, desk, sessions):
    site_admin.update_setting(sessions["admin"], "district_address", UNREACHABLE)
    win = admin_window(qtbot, sessions["doctor"])
    sign_the_days_inspection(qtbot, win, sessions["doctor"])
    qtbot.waitUntil(lambda: "Not pushed to the district" in win.statusBar().currentMessage())
    said = win.statusBar().currentMessage()
    assert "does not hold the canteen's site key (admin does)" in said and "nothing is lost" in said
    from PySide6.QtWidgets import QPushButton
    warning = win.findChild(QPushButton, "push_warning")
    assert warning.isVisible() and "admin does" in warning.toolTip() and "Nothing is lost" in warning.toolTip()


def test_the_close_by_a_key_holder_pushes_and_says_the_receipt(qtbot, desk, sessions, tmp_path, capsys, monkeypatch):
    """A signer who holds a copy of the site key (a canteen that gave its doctor one) pushes at the close
    with the password just typed; the district (an SQLite file here) holds the new day afterwards."""
    from canteen.integrity import signatures, sitekey
    from canteen.models import SiteKey
    district = district_at(str(tmp_path / "district.db"), capsys, monkeypatch)
    first = tmp_path / "1.canteen"
    district_push.push_to_file(sessions["admin"], PASSWORD, first)
    enrol_and_receive(capsys, monkeypatch, district, first)
    admin, doctor = sessions["admin"], sessions["doctor"]
    private = sitekey.unlock_site_key(admin.site_id, admin.user, PASSWORD)
    SiteKey.create(site=admin.site_id, holder=doctor.user.id, public_key=signatures.public_bytes(private),
                   private_key_enc=signatures.encrypt_private_key(private, PASSWORD), created_at=doctor.now())
    monkeypatch.setattr(sitekey, "HOLDER_ROLES", sitekey.HOLDER_ROLES | {"doctor"})
    monkeypatch.setattr(district_push, "district_address", lambda session: district)
    before = held_at_district(district)
    win = admin_window(qtbot, doctor)
    sign_the_days_inspection(qtbot, win, doctor)
    qtbot.waitUntil(lambda: "Pushed to the district at the daily close" in win.statusBar().currentMessage(),
                    timeout=60_000)
    assert held_at_district(district) > before and "new entries" not in win.statusBar().currentMessage()


@pytest.mark.postgres_only
def test_a_push_online_to_a_postgresql_district_shows_the_receipt(qtbot, desk, sessions, server_database, tmp_path,
                                                                   capsys, monkeypatch):
    district = district_at(server_database, capsys, monkeypatch)
    first = tmp_path / "1.canteen"
    district_push.push_to_file(sessions["admin"], PASSWORD, first)
    enrol_and_receive(capsys, monkeypatch, district, first)
    site_admin.update_setting(sessions["admin"], "district_address", district)
    records.create(sessions["manager"], "waste", {"occurred_at": sessions["manager"].now(), "kind": "food",
                                                  "weight_kg": "3", "collector_unit": "城关环卫", "recorder": "王芳"})
    win = admin_window(qtbot, sessions["admin"])
    dialog = open_push_dialog(qtbot, win)
    assert dialog.online.isChecked()
    push(qtbot, dialog)
    held = held_at_district(district)
    assert dialog.message.text() == f"Pushed {dialog.result.new} entries; the district's receipt is up to seq {held}."
    assert dialog.result.new >= 1
    from canteen.read.pushes import last_receipt
    assert last_receipt(sessions["admin"]).seq == held
    push(qtbot, dialog)
    assert dialog.message.text().startswith("0 new entries")


def test_after_a_close_that_could_not_push_the_key_holder_pushes_from_the_signers_desk(
        qtbot, desk, sessions, tmp_path, capsys, monkeypatch):
    from PySide6.QtWidgets import QPushButton
    district = district_at(str(tmp_path / "district.db"), capsys, monkeypatch)
    first = tmp_path / "1.canteen"
    district_push.push_to_file(sessions["admin"], PASSWORD, first)
    enrol_and_receive(capsys, monkeypatch, district, first)
    monkeypatch.setattr(district_push, "district_address", lambda session: district)  # an SQLite district here
    before = held_at_district(district)
    win = admin_window(qtbot, sessions["doctor"])
    sign_the_days_inspection(qtbot, win, sessions["doctor"])
    qtbot.waitUntil(lambda: win.findChild(QPushButton, "push_warning") is not None)
    qtbot.mouseClick(win.findChild(QPushButton, "push_warning"), Qt.MouseButton.LeftButton)
    dialog = win.push_dialog
    assert dialog.by_holder and dialog.holder.text() == "admin" and not dialog.to_file.isVisible()
    push(qtbot, dialog, "not-the-password")
    assert dialog.message.text().startswith("Not pushed:") and held_at_district(district) == before
    push(qtbot, dialog)
    assert dialog.message.text().startswith("Pushed ") and held_at_district(district) == dialog.result.seq > before
    qtbot.waitUntil(lambda: win.findChild(QPushButton, "push_warning") is None)


def test_closing_the_window_while_pushing_cancels_the_push(qtbot, desk, sessions, tmp_path, monkeypatch):
    win = admin_window(qtbot, sessions["admin"])
    dialog = open_push_dialog(qtbot, win)
    target = tmp_path / "push.canteen"
    release = start_held_push(qtbot, dialog, target, monkeypatch)
    win.close()
    release.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.message.text().startswith("Cancelled") and not target.exists()


def test_the_district_address_is_set_on_the_command_line_and_checked_there(tmp_path, capsys, monkeypatch):
    school = str(tmp_path / "school.db")
    monkeypatch.setenv("CANTEEN_NEW_PASSWORD", PASSWORD)
    with the_canteen_stays_open():
        assert run(capsys, monkeypatch, PASSWORD, "--db", school, "init", "--site", "城关中学食堂", "--admin", "admin")[0] == 0
        code, _, err = run(capsys, monkeypatch, PASSWORD, "--db", school, "--user", "admin", "setting", "set",
                           "district_address", "district.example/canteens")
        assert code == 2 and "must be a PostgreSQL address" in err
        code, _, err = run(capsys, monkeypatch, PASSWORD, "--db", school, "--user", "admin", "setting", "set",
                           "district_address", "postgresql://canteen@district.example/canteens")
        assert code == 0, err


def test_an_old_backup_pushed_online_is_refused_with_the_district_s_words(qtbot, desk, sessions, tmp_path, capsys,
                                                                           monkeypatch):
    from canteen.services import users
    district = district_at(str(tmp_path / "district.db"), capsys, monkeypatch)
    first = tmp_path / "1.canteen"
    district_push.push_to_file(sessions["admin"], PASSWORD, first)
    enrol_and_receive(capsys, monkeypatch, district, first)
    backup = db.backup_to(tmp_path / "old.db")
    records.create(sessions["manager"], "waste", {"occurred_at": sessions["manager"].now(), "kind": "food",
                                                  "weight_kg": "3", "collector_unit": "城关环卫", "recorder": "王芳"})
    monkeypatch.setattr(district_push, "district_address", lambda session: district)  # an SQLite district here
    assert district_push.push_to_district(sessions["admin"], PASSWORD).new >= 1
    held = held_at_district(district)
    db.open_database(str(backup))  # the canteen goes back to an old backup
    win = admin_window(qtbot, users.login("admin", PASSWORD))
    dialog = open_push_dialog(qtbot, win)
    push(qtbot, dialog)
    assert "history differs from what the district received at seq" in dialog.message.text()
    assert "Nothing is lost" not in dialog.message.text()  # a later push meets the same refusal
    assert held_at_district(district) == held
