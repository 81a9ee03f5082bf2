"""An export that cannot be written says so in one line naming the file and the cause, from the
command line and from the desk alike: a full disk, a read-only folder, a missing folder, no
permission, a rename that fails. No traceback, no "Exception ignored in ZipFile.__del__", no
temporary `.part` file left behind, and no audit entry for a file that was never delivered."""

from __future__ import annotations

import errno

import pytest
from conditions import needs_file_modes, needs_tmpfs
from conditions import small_tmpfs as tmpfs
from gui_support import desk  # noqa: F401  (fixture)
from PySide6.QtCore import Qt

from canteen.errors import StorageError
from canteen.models import AuditEntry
from canteen.services import export_pipeline
from faults.export_support import auditor_here, demo_canteen, export_command, export_entries, fill, run  # noqa: F401

pytestmark = pytest.mark.faults

WAIT = 30_000


def said_in_one_line(done, line: str) -> None:
    """What the user sees: exit code 2, the line, and nothing else (both languages on that one line)."""
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and line in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


# ---- the command line ----------------------------------------------------------------------------

@needs_tmpfs
@pytest.mark.parametrize("document, name", [("xlsx", "x.xlsx"), ("csv", "x.csv"), ("archive", "a.pdf"),
                                            ("template", "t.xlsx")])
def test_a_full_disk_is_one_line_naming_the_file_and_nothing_is_left(demo_canteen, tmp_path, document, name):
    database = demo_canteen.copy_to(tmp_path)
    with tmpfs(tmp_path / "usb", "size=256k") as full:
        fill(full)
        target = full / name

        done = run(export_command(document, database, demo_canteen, target))

        said_in_one_line(done, f"canteen: Cannot write {target}: the disk is full; nothing was written.")
        assert "磁盘已满" in done.stderr
        assert sorted(p.name for p in full.iterdir()) == ["filler"]
    assert export_entries(database) == ([], 0)


@needs_tmpfs
def test_a_read_only_folder_is_one_line(demo_canteen, tmp_path):
    database = demo_canteen.copy_to(tmp_path)
    with tmpfs(tmp_path / "cdrom", "ro,size=64k") as read_only:
        target = read_only / "x.xlsx"
        done = run(export_command("xlsx", database, demo_canteen, target))
    said_in_one_line(done, f"canteen: Cannot write {target}: the folder is read-only; nothing was written.")
    assert export_entries(database) == ([], 0)


@pytest.mark.parametrize("document", ["xlsx", "archive"])
def test_a_missing_folder_is_one_line_before_the_password_is_needed(demo_canteen, tmp_path, document):
    target = tmp_path / "no-such-folder" / "x.xlsx"
    done = run(export_command(document, tmp_path / "never-opened.db", demo_canteen, target), CANTEEN_PASSWORD="")
    said_in_one_line(done, f"canteen: Cannot write {target}: the folder does not exist; nothing was written.")
    assert not (tmp_path / "never-opened.db").exists()


@needs_file_modes
def test_a_folder_without_permission_is_one_line(demo_canteen, tmp_path):
    database = demo_canteen.copy_to(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    target = locked / "x.xlsx"
    done = run(export_command("xlsx", database, demo_canteen, target), drop_root=True)
    said_in_one_line(done, f"canteen: Cannot write {target}: permission denied; nothing was written.")
    assert list(locked.iterdir()) == []
    assert export_entries(database) == ([], 0)


# ---- the same pipeline, called as the desk calls it ---------------------------------------------

DESK_DOCUMENTS = ["archive", "daily-sheet", "sample-labels", "disclosure"]


def desk_document(document: str, session, target):
    from reports.archive import export_archive
    from reports.daily_sheet import export_daily_sheet
    from reports.disclosure import export_disclosure
    from reports.labels import export_sample_labels
    today = session.today()
    return {"archive": lambda: export_archive(session, today, today, target),
            "daily-sheet": lambda: export_daily_sheet(session, today, target),
            "sample-labels": lambda: export_sample_labels(session, today, target),
            "disclosure": lambda: export_disclosure(session, today.year, today.month, target)}[document]()


@needs_tmpfs
@pytest.mark.parametrize("document", DESK_DOCUMENTS)
def test_every_document_on_a_full_disk_is_the_same_line_and_unrecorded(auditor_here, tmp_path, document):
    with tmpfs(tmp_path / "usb", "size=256k") as full:
        fill(full)
        target = full / f"{document}.pdf"
        with pytest.raises(StorageError) as refused:
            desk_document(document, auditor_here, target)
        assert refused.value.en == f"Cannot write {target}: the disk is full; nothing was written."
        assert sorted(p.name for p in full.iterdir()) == ["filler"]
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 0


def test_a_rename_that_fails_is_one_line_the_entry_stays_and_the_temporary_file_goes(auditor_here, tmp_path,
                                                                                    monkeypatch):
    target = tmp_path / "out" / "disclosure.pdf"
    target.parent.mkdir()

    def busy(_source, _target):
        raise OSError(errno.EBUSY, "Device or resource busy")
    monkeypatch.setattr(export_pipeline.os, "replace", busy)
    with pytest.raises(StorageError) as refused:
        desk_document("disclosure", auditor_here, target)
    monkeypatch.undo()

    assert refused.value.en == (f"Cannot put {target} in place: the file is in use by another program. The export is in "
                                "the audit trail, but no file was written under that name.")
    assert "\n" not in str(refused.value) and list(target.parent.iterdir()) == []
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1


def test_a_file_held_open_on_windows_is_named_as_locked(tmp_path):
    locked = PermissionError(errno.EACCES, "The process cannot access the file")
    locked.winerror = 32  # what Windows says when Excel has the file open
    said = export_pipeline.file_problem(tmp_path / "x.xlsx", locked)
    assert said.en == f"Cannot write {tmp_path / 'x.xlsx'}: the file is in use by another program; nothing was written."
    assert "文件正被其他程序占用" in said.zh


# ---- the desk's dialog -----------------------------------------------------------------------------

@needs_tmpfs
def test_the_export_dialog_shows_the_same_one_line(qtbot, desk, auditor_here, tmp_path):
    from ui.export_dialog import ExportDialog, disclosure_export
    auditor = auditor_here
    today = auditor.today()
    dialog = ExportDialog(auditor, disclosure_export(auditor, today.year, today.month))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.open_when_done.setChecked(False)
    missing = tmp_path / "no-such-folder" / "d.pdf"
    dialog.path.setText(str(missing))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert not dialog.running
    assert dialog.message.text() == f"Cannot write {missing}: the folder does not exist; nothing was written."
    with tmpfs(tmp_path / "usb", "size=256k") as full:
        fill(full)
        target = full / "d.pdf"
        dialog.path.setText(str(target))
        with qtbot.waitSignal(dialog.failed_export, timeout=WAIT):
            qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
        assert dialog.message.text() == f"Cannot write {target}: the disk is full; nothing was written."
        assert dialog.go.isEnabled() and sorted(p.name for p in full.iterdir()) == ["filler"]
