"""The files of the database as the desk sees them (canteen/services/storage.py), and a copy to
another database that leaves the process on the database it was using."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import PASSWORD

from canteen import db, transfer
from canteen.errors import StorageError
from canteen.services import storage, users


def test_a_new_canteen_is_created_found_and_named(tmp_path):
    url = str(tmp_path / "new" / "canteen.db")
    assert not storage.exists(url)
    storage.prepare_folder(url)
    assert Path(url).parent.is_dir() and not Path(url).exists()
    storage.open_canteen(url, create=True)
    try:
        assert not storage.has_site() and storage.first_site_name() == ""
        users.create_site("城关中学食堂", "admin", PASSWORD)
        assert storage.has_site() and storage.first_site_name() == "城关中学食堂"
        assert storage.exists(url) and storage.display(url) == url and not storage.is_server(url)
    finally:
        storage.close()


def test_opening_a_missing_file_without_create_is_refused(tmp_path):
    with pytest.raises(StorageError):
        storage.open_canteen(str(tmp_path / "absent.db"))
    assert not (tmp_path / "absent.db").exists()


def test_a_partial_first_start_leaves_no_file_behind(tmp_path):
    url = str(tmp_path / "partial.db")
    storage.open_canteen(url, create=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(url + suffix).write_bytes(b"left over")
    storage.remove_partial(url)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_server_database_is_never_deleted_as_a_file(tmp_path, monkeypatch):
    """Nothing on disk is touched for a PostgreSQL URL, even one that looks like a path."""
    monkeypatch.chdir(tmp_path)
    Path("postgresql:").mkdir()
    storage.remove_partial("postgresql://postgres@127.0.0.1:1/canteen")
    assert Path("postgresql:").is_dir()


def test_a_worker_thread_lets_its_connection_go_even_when_the_file_is_gone(tmp_path):
    url = str(tmp_path / "gone.db")
    storage.open_canteen(url, create=True)
    users.create_site("城关中学食堂", "admin", PASSWORD)
    seen = []

    def work():
        seen.append(storage.has_site())  # opens this thread's own connection
        storage.remove_partial(url)
        storage.close_thread_connection()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    storage.close_thread_connection()
    assert seen == [True] and not Path(url).exists()


def test_the_latest_backups_time_is_its_files(tmp_path):
    backup = tmp_path / "canteen-backup.db"
    backup.write_bytes(b"x")
    assert storage.backup_time(backup) == db.backup_time(backup)


def _demo_file(tmp_path) -> str:
    source = str(tmp_path / "source.db")
    storage.open_canteen(source, create=True)
    users.create_site("城关中学食堂", "admin", PASSWORD)
    storage.close()
    return source


def test_a_copy_leaves_the_process_on_the_database_it_was_using(tmp_path):
    source = _demo_file(tmp_path)
    own = storage.open_canteen(str(tmp_path / "own.db"), create=True)
    users.create_site("另一个食堂", "admin", PASSWORD)
    report = transfer.copy_database(source, str(tmp_path / "copy.db"))
    assert report.rows["site"] == 1
    assert db.database.obj is own and storage.first_site_name() == "另一个食堂"
    storage.open_canteen(str(tmp_path / "copy.db"))
    assert storage.first_site_name() == "城关中学食堂"
    storage.close()


def test_a_refused_copy_also_leaves_the_process_where_it_was(tmp_path, monkeypatch):
    source = _demo_file(tmp_path)
    own = storage.open_canteen(str(tmp_path / "own.db"), create=True)

    def refuse(*_args):
        raise transfer.TransferRefused("refused", "拒绝")

    monkeypatch.setattr(transfer, "_prove_copy", refuse)
    with pytest.raises(transfer.TransferRefused):
        transfer.copy_database(source, str(tmp_path / "copy.db"))
    assert db.database.obj is own and not (tmp_path / "copy.db").exists()
    storage.close()


def test_a_copy_from_the_command_line_process_leaves_nothing_bound(tmp_path):
    source = _demo_file(tmp_path)
    db.database.initialize(None)
    transfer.copy_database(source, str(tmp_path / "copy.db"))
    assert db.database.obj is None
