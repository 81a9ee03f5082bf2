"""The desk meets a damaged database: it is refused before anything is written, the latest backup
is offered with its date, and the restore dialog shows what will be lost and asks who and why."""

from __future__ import annotations

from gui_support import desk  # noqa: F401  (fixture)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QPushButton

from canteen import db
from canteen.models import AuditEntry, Supplier
from canteen.restore import plan_restore
from canteen.services import records


def damaged_with_a_backup(manager, database, db_path):
    """A backup in the `backups` folder beside the database, a supplier entered after it, then a
    failing disk damages a page of the database."""
    (db_path.parent / "backups").mkdir()
    backup = db.backup_to(db_path.parent / "backups" / "friday.db")
    records.create(manager, "suppliers", {"name": "备份后录入", "kind": "distributor", "address": "城关镇"})
    database.close()
    data = bytearray(db_path.read_bytes())
    for page in range(len(data) // 4096 // 2, len(data) // 4096):
        data[page * 4096:page * 4096 + 64] = b"\xa5" * 64
    db_path.write_bytes(bytes(data))
    return backup


def test_the_restore_dialog_lists_the_loss_and_needs_the_password(qtbot, desk, manager, database, db_path):
    from ui.restore import RestoreDialog
    backup = damaged_with_a_backup(manager, database, db_path)
    dialog = RestoreDialog(plan_restore(backup, db_path))
    qtbot.addWidget(dialog)
    assert "cannot be read" in dialog.loss.toPlainText()
    dialog.username.setText("admin")
    dialog.password.setText("wrong")
    dialog.reason.setText("硬盘坏了")
    dialog.accept()
    assert dialog.message.text() == "Restoring…" and not dialog.go.isEnabled()  # the work is on a worker
    qtbot.waitUntil(lambda: "Wrong user name or password" in dialog.message.text())
    assert dialog.kept is None and dialog.go.isEnabled()
    dialog.password.setText("demo")
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    assert dialog.kept.exists()
    db.open_database(str(db_path))
    assert [s.name for s in Supplier.select()] == [] and AuditEntry.select().where(AuditEntry.action == "restore").exists()


def test_opening_a_damaged_database_offers_the_latest_backup_with_its_date(qtbot, desk, manager, database, db_path):
    from ui.app import open_or_explain
    backup = damaged_with_a_backup(manager, database, db_path)
    when = db.backup_time(backup).strftime("%Y-%m-%d %H:%M")
    seen = {}

    def click_restore():
        box = QApplication.activeModalWidget()
        button = box.findChild(QPushButton, "restore_latest")
        seen["offer"] = button.text()
        QTimer.singleShot(0, fill_in_the_dialog)
        button.click()

    def fill_in_the_dialog():
        dialog = QApplication.activeModalWidget()
        seen["loss"] = dialog.findChild(QPlainTextEdit, "restore_loss").toPlainText()
        for name, text in (("restore_user", "admin"), ("restore_password", "demo"), ("restore_reason", "硬盘坏了")):
            dialog.findChild(QLineEdit, name).setText(text)
        dialog.findChild(QPushButton, "restore_go").click()

    QTimer.singleShot(0, click_restore)
    assert open_or_explain(str(db_path)) is True
    assert seen["offer"] == f"Restore from the latest backup ({when})" and "cannot be read" in seen["loss"]
    assert AuditEntry.select().where(AuditEntry.action == "restore").get().reason == "硬盘坏了"
    db.close()


def test_a_damaged_database_behind_the_sign_in_window_is_refused_before_any_write(qtbot, desk, manager, database,
                                                                                    db_path, monkeypatch):
    """A database the desk opened before is opened behind the sign-in window; found damaged, the
    window gives way to the restore offer (declined here), nothing is written, and the exit is 2."""
    from PySide6.QtCore import QSettings

    import ui.restore
    from ui.app import OPENED_KEY, run
    damaged_with_a_backup(manager, database, db_path)
    before = db_path.read_bytes()
    QSettings().setValue(OPENED_KEY, str(db_path))
    offered = []
    monkeypatch.setattr(ui.restore, "offer_restore", lambda exc: offered.append(exc) or False)
    assert run(str(db_path)) == 2
    assert len(offered) == 1 and db_path.read_bytes() == before
