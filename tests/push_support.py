"""Set-up shared by the push tests: the command line run as a user, and a demo canteen built once
per test module and copied for each test (a push changes the canteen it starts from)."""

from __future__ import annotations

import shutil

import pytest

from canteen.cli import main


@pytest.fixture
def own_data_folder(tmp_path, monkeypatch):
    """The user's data folder (where a computer keeps its device copy of the site key) in the
    test's own folder, never the real home."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


def run(capsys, monkeypatch, password, *argv) -> tuple[int, str, str]:
    """`canteen ARGV` with the password in $CANTEEN_PASSWORD: exit code, stdout, stderr."""
    monkeypatch.setenv("CANTEEN_PASSWORD", password)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def demo_copy(built: dict, tmp_path_factory, tmp_path, days: int):
    """A fresh copy of a `days`-school-day demo canteen; `built` (the module's own dict) keeps the
    original so it is built once per module."""
    if "path" not in built:
        path = tmp_path_factory.mktemp(f"demo{days}") / "school.db"
        assert main(["--db", str(path), "demo", "--days", str(days)]) == 0
        built["path"] = path
    target = tmp_path / "school.db"
    shutil.copy(built["path"], target)
    return target
