"""PostgreSQL: a connection the server dropped comes back by itself, a write it interrupted is
rolled back and reported in one line and works when tried again, in the same process; messages
never show the password; a database that is not ours (tables in another schema, a foreign
`meta` table) is refused for what it is. Needs CANTEEN_TEST_POSTGRES (skipped without it),
except the missing-driver case."""

from __future__ import annotations

from urllib.parse import urlparse

import peewee
import pytest
from conditions import needs_postgres
from conftest import PASSWORD, POSTGRES_SERVER

from canteen import db
from canteen.cli import main
from canteen.errors import StorageError
from canteen.integrity import chain
from canteen.models import AuditEntry, Supplier
from canteen.services import records, users


@pytest.fixture
def server_manager(server_database):
    db.open_database(server_database, create=True)
    site, _ = users.create_site("城关中学食堂", "admin", PASSWORD)
    users.add_user(site, "manager", "王芳", "manager", PASSWORD)
    return users.session_for("manager")


def terminate_our_connection() -> None:
    """What a server restart, a failover or an idle timeout does to the desk's connection."""
    pid = db.current().connection().get_backend_pid()
    other = server_connection(POSTGRES_SERVER)
    other.autocommit = True
    try:
        other.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
    finally:
        other.close()


@needs_postgres
def test_a_read_after_the_server_dropped_the_connection_just_works(server_manager):
    records.create(server_manager, "suppliers", {"name": "绿源", "kind": "distributor", "address": "城关镇"})
    terminate_our_connection()
    assert [s.name for s in Supplier.select()] == ["绿源"]


@needs_postgres
def test_a_save_after_an_idle_drop_just_works(server_manager):
    terminate_our_connection()
    records.create(server_manager, "suppliers", {"name": "绿源", "kind": "distributor", "address": "城关镇"})
    assert Supplier.select().count() == 1


@needs_postgres
def test_a_save_interrupted_by_the_drop_is_rolled_back_reported_and_works_again(server_manager, monkeypatch):
    entries = AuditEntry.select().count()
    real_append = chain.append

    def drop_then_append(*args, **kwargs):  # the record is written, its audit entry not yet
        terminate_our_connection()
        return real_append(*args, **kwargs)

    monkeypatch.setattr(chain, "append", drop_then_append)
    with pytest.raises(StorageError) as lost:
        records.create(server_manager, "suppliers", {"name": "绿源", "kind": "distributor", "address": "城关镇"})
    assert "The connection to the server was lost" in lost.value.en and "nothing was saved — try again" in lost.value.en
    assert "与服务器的连接已断开" in lost.value.zh
    monkeypatch.setattr(chain, "append", real_append)
    assert Supplier.select().count() == 0 and AuditEntry.select().count() == entries
    records.create(server_manager, "suppliers", {"name": "绿源", "kind": "distributor", "address": "城关镇"})
    assert Supplier.select().count() == 1 and AuditEntry.select().count() == entries + 1


def with_password(url: str, password: str) -> str:
    parsed = urlparse(url)
    return parsed._replace(netloc=f"{parsed.username or 'postgres'}:{password}@{parsed.hostname}:{parsed.port}").geturl()


@needs_postgres
def test_an_existing_server_database_is_named_without_its_password(server_manager, server_database, capsys):
    db.close()
    code = main(["--db", with_password(server_database, "Geheim-42"), "demo", "--days", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "already exists" in err and "已存在" in err and "Geheim-42" not in err and ":***@" in err


@needs_postgres
def test_init_refuses_a_database_whose_tables_live_in_another_schema(server_database, capsys, monkeypatch):
    admin = server_connection(server_database)
    admin.autocommit = True
    admin.cursor().execute("CREATE SCHEMA kitchen; CREATE TABLE kitchen.stock (id int)")
    admin.close()
    monkeypatch.setenv("CANTEEN_PASSWORD", "s3cret!")
    code = main(["--db", server_database, "init", "--site", "S", "--admin", "admin"])
    err = capsys.readouterr().err
    assert code == 2 and "holds tables in the schema(s) kitchen" in err and err.count("\n") == 1
    with pytest.raises(StorageError, match="not made by the canteen log.*kitchen"):
        db.open_database(server_database)


@needs_postgres
def test_a_foreign_meta_table_is_not_made_by_the_canteen_log(server_database, capsys):
    admin = server_connection(server_database)
    admin.autocommit = True
    admin.cursor().execute("CREATE TABLE meta (name text, note text)")
    admin.close()
    code = main(["--db", server_database, "check"])
    err = capsys.readouterr().err
    assert code == 2 and "not made by the canteen log" in err and "does not exist" not in err


def test_a_server_database_without_the_driver_says_what_to_install(monkeypatch):
    monkeypatch.setattr(peewee, "psycopg2", None)
    with pytest.raises(StorageError, match=r"install 'canteen-log\[postgres\]'"):
        db.open_database("postgresql://canteen:pw@127.0.0.1/canteen")


def server_connection(url: str):
    import psycopg2  # the postgres extra; the tests that call this are marked needs_postgres
    return psycopg2.connect(url)
