"""Access control over the protocol: `dbm-server --config` (allow-list, read_only, audit_log,
allowed_root) and `--read-only`, on each engine; passwords never appear anywhere a session can see."""
import json
import os
import uuid

import pytest

from conftest import engine_url, server_binary
from dbm_rpc import DbmServer, RpcError

ENGINES = ["sqlite", "postgresql", "mysql"]


def password_of(url):
    if "@" not in url:
        return None
    creds = url.split("//", 1)[1].split("@", 1)[0]
    return creds.split(":", 1)[1] if ":" in creds else None


class RecordingServer(DbmServer):
    """Keeps every message the server sent, to grep them for secrets."""

    def __init__(self, *args, **kwargs):
        self.seen = []
        super().__init__(*args, **kwargs)

    def wait_response(self, key, timeout=60):
        response = super().wait_response(key, timeout)
        self.seen.append(json.dumps(response, ensure_ascii=False))
        return response


def start(tmp_path, config=None, args=(), record=False):
    extra = list(args)
    if config is not None:
        path = tmp_path / f"config-{uuid.uuid4().hex[:6]}.json"
        path.write_text(json.dumps(config))
        extra += ["--config", str(path)]
    cls = RecordingServer if record else DbmServer
    server = cls(server_binary(), args=extra, env={"DATABASE_URL": ""})
    server.initialize()
    return server


def expect_error(server, method, params, code=None, kind=None):
    with pytest.raises(RpcError) as raised:
        server.request(method, params)
    if code is not None:
        assert raised.value.code == code, (raised.value.code, raised.value.message, raised.value.data)
    if kind is not None:
        assert (raised.value.data or {}).get("kind") == kind, (raised.value.message, raised.value.data)
    return raised.value


def test_allow_list_refuses_every_database_outside_it(tmp_path):
    pg = engine_url("postgresql", tmp_path)
    my = engine_url("mysql", tmp_path)
    allowed_sqlite = f"sqlite:///{tmp_path}/allowed.db"
    # The URL entry carries no password: credentials are not part of the match.
    pg_entry = pg.replace(":" + password_of(pg) + "@", "@") if password_of(pg) else pg
    server = start(tmp_path, {"allowed_databases": [pg_entry, "allowed.db"]})
    try:
        assert server.request("DatabaseManager.connect", {"connection_string": pg})["connection_id"]
        assert server.request("DatabaseManager.execute_query", {"database_url": allowed_sqlite, "query": "SELECT 1 AS one"}) == [{"one": 1}]
        server.request("DatabaseManager.execute_query", {"database_url": allowed_sqlite, "query": "CREATE TABLE t (id INTEGER)"})
        backups = str(tmp_path / "backups")
        record = server.request("backup_database", {"database_url": allowed_sqlite, "config_path": backups})
        migrations = tmp_path / "migrations"
        migrations.mkdir()
        (migrations / "001_init.up.sql").write_text("CREATE TABLE m (id INTEGER);")
        (migrations / "001_init.down.sql").write_text("DROP TABLE m;")
        cases = [
            ("backup_database", {"database_url": my, "config_path": backups}),
            ("BackupManager.restore_backup", {"config_path": backups, "backup_path": record["id"], "target_database": my}),
            ("run_migrations", {"migration_dir": str(migrations), "database_url": my}),
            ("PerformanceMonitor.collect_metrics", {"database_url": my}),
            ("DatabaseManager.connect", {"connection_string": my}),
            ("DatabaseManager.execute_query", {"database_url": my, "query": "SELECT 1"}),
            ("DatabaseManager.execute_query", {"database_url": f"sqlite:///{tmp_path}/other.db", "query": "SELECT 1"}),
            ("DatabaseManager.get_database_info", {"connection_config": {"driver": "mysql", "host": "127.0.0.1", "database": "x"}}),
            ("DatabaseManager.list_databases", {"database_url": my}),
            ("DatabaseManager.create_database", {"database_url": pg, "name": "dbm_not_listed"}),
            ("DatabaseManager.drop_database", {"database_url": pg, "name": "dbm_not_listed"}),
            ("DatabaseManager.create_database", {"name": my.rpartition("/")[0] + "/dbm_not_listed"}),
            ("manage_databases", {"operation": "health_check", "database_url": my}),
            ("SchemaGenerator.inspect_database", {"database_url": my}),
            ("SchemaDefinition.apply_to_database", {"database_url": my, "schema": {"tables": []}}),
        ]
        for method, params in cases:
            error = expect_error(server, method, params, code=-32010, kind="not_allowed")
            assert error.data["type"] == "DatabaseError"
            assert "allowed_databases" in error.message, error.message
            assert password_of(my) not in error.message
        assert not os.path.exists(tmp_path / "other.db")
    finally:
        server.kill()


def test_bad_configuration_file_is_refused_at_start(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"allowed_databasez": []}))
    server = DbmServer(server_binary(), args=["--config", str(path)])
    assert server.proc.wait(30) != 0
    import time
    time.sleep(0.2)  # let the stderr reader finish
    assert any("allowed_databasez" in line for line in server.stderr_lines), server.stderr_lines
    server.kill()


def writable_table(engine, tmp_path):
    """A table created by a normal server, for a read-only server to try to change."""
    url = engine_url(engine, tmp_path)
    table = "ro_" + uuid.uuid4().hex[:8]
    server = start(tmp_path)
    server.request("DatabaseManager.execute_query", {"database_url": url, "query": f"CREATE TABLE {table} (id INTEGER)"})
    server.request("DatabaseManager.execute_query", {"database_url": url, "query": f"INSERT INTO {table} (id) VALUES (1)"})
    return server, url, table


@pytest.mark.parametrize("mode", ["flag", "config", "connection"])
@pytest.mark.parametrize("engine", ENGINES)
def test_read_only_refuses_writes_and_database_changes(tmp_path, engine, mode):
    writer, url, table = writable_table(engine, tmp_path)
    server = start(tmp_path, {"read_only": True} if mode == "config" else None, args=["--read-only"] if mode == "flag" else [])
    writer_url = url
    if mode == "connection":  # a normal server, a read-only connection
        url += ("&" if "?" in url else "?") + "read_only=true"
    try:
        assert server.request("DatabaseManager.execute_query", {"database_url": url, "query": f"SELECT count(*) AS n FROM {table}"})[0]["n"] == 1
        for statement in [f"INSERT INTO {table} (id) VALUES (2)", f"UPDATE {table} SET id = 3", f"DELETE FROM {table}",
                          f"DROP TABLE {table}", f"CREATE TABLE {table}_x (id INTEGER)"]:
            error = expect_error(server, "DatabaseManager.execute_query", {"database_url": url, "query": statement}, code=-32010)
            assert error.data["type"] == "DatabaseError"
            assert error.data["kind"] in ("permission_denied", "read_only"), (engine, statement, error.data, error.message)
        for method in ("DatabaseManager.create_database", "DatabaseManager.drop_database"):
            error = expect_error(server, method, {"database_url": url, "name": "dbm_ro_" + uuid.uuid4().hex[:6]}, code=-32010, kind="permission_denied")
            assert "read-only" in error.message
        expect_error(server, "manage_databases", {"operation": "create", "database_url": url, "database_name": "dbm_ro_x"}, code=-32010, kind="permission_denied")
        # Nothing changed.
        rows = writer.request("DatabaseManager.execute_query", {"database_url": writer_url, "query": f"SELECT id FROM {table}"})
        assert rows == [{"id": 1}], rows
    finally:
        writer.request("DatabaseManager.execute_query", {"database_url": writer_url, "query": f"DROP TABLE {table}"})
        writer.kill()
        server.kill()


def test_audit_log_records_every_change_and_never_a_password(tmp_path):
    pg = engine_url("postgresql", tmp_path)
    my = engine_url("mysql", tmp_path)
    secrets = [p for p in (password_of(pg), password_of(my)) if p]
    assert secrets
    audit = tmp_path / "audit.jsonl"
    server = start(tmp_path, {"audit_log": str(audit)}, args=["--log-level", "trace"], record=True)
    try:
        name = "dbm_audit_" + uuid.uuid4().hex[:8]
        table = "audit_" + uuid.uuid4().hex[:8]
        cid = server.request("DatabaseManager.connect", {"connection_string": pg})["connection_id"]
        server.request("DatabaseManager.create_database", {"database_url": pg, "name": name})
        server.request("DatabaseManager.execute_query", {"connection": cid, "query": "SELECT 1"})                      # not audited
        server.request("DatabaseManager.execute_query", {"connection": cid, "query": "  /* c */ (SELECT 2)"})          # not audited
        server.request("DatabaseManager.execute_query", {"connection": cid, "query": f"CREATE TABLE {table} (id INTEGER)"})
        server.request("DatabaseManager.execute_query", {"connection": cid, "query": f"INSERT INTO {table} VALUES (:v)", "params": {"v": 7}})
        server.request("DatabaseManager.execute_query", {"connection": cid, "query": f"WITH d AS (DELETE FROM {table} RETURNING id) SELECT * FROM d"})
        server.request("DatabaseManager.execute_query", {"connection": cid, "query": f"DROP TABLE {table}"})
        expect_error(server, "DatabaseManager.create_database", {"database_url": pg, "name": name}, code=-32010)   # already exists
        server.request("SchemaDefinition.apply_to_database", {"database_url": my, "schema": {"tables": [{"name": table, "columns": [{"name": "id", "type": "integer", "primary_key": True}]}]}})
        server.request("DatabaseManager.execute_query", {"database_url": my, "query": f"DROP TABLE {table}"})
        server.request("manage_databases", {"operation": "health_check", "database_url": pg})                       # not audited
        server.request("manage_databases", {"operation": "drop", "database_name": name, "database_url": pg})
        expect_error(server, "DatabaseManager.connect", {"connection_string": pg.replace(password_of(pg), "wrong-" + password_of(pg))})
        server.shutdown_and_exit()
    finally:
        server.kill()
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    methods = [(line["method"], line["outcome"]) for line in lines]
    assert methods == [
        ("DatabaseManager.create_database", "ok"),
        ("DatabaseManager.execute_query", "ok"),
        ("DatabaseManager.execute_query", "ok"),
        ("DatabaseManager.execute_query", "ok"),
        ("DatabaseManager.execute_query", "ok"),
        ("DatabaseManager.create_database", "error"),
        ("SchemaDefinition.apply_to_database", "ok"),
        ("DatabaseManager.execute_query", "ok"),
        ("manage_databases", "ok"),
    ], methods
    for line in lines:
        assert set(line) >= {"time", "method", "database", "outcome", "duration_ms"}, line
        assert line["database"] and "://" in line["database"], line
        assert line["duration_ms"] >= 0
    assert lines[5]["error_kind"] == "duplicate_object", lines[5]
    assert lines[0]["name"] == name
    assert lines[6]["database"].startswith("mysql://")
    # No password in the audit log, the logs, or any response of the session.
    text = audit.read_text()
    logs = "".join(server.stderr_lines)
    assert "opened" in logs  # the trace log did run
    for secret in secrets:
        assert secret not in text, "password in the audit log"
        assert secret not in logs, "password in stderr"
        for message in server.seen:
            assert secret not in message, f"password in a response: {message[:200]}"


def test_read_only_statement_classifier_is_conservative(tmp_path):
    """Statements the classifier must treat as writing are audited even when they start innocently."""
    audit = tmp_path / "audit.jsonl"
    url = f"sqlite:///{tmp_path}/c.db"
    server = start(tmp_path, {"audit_log": str(audit)})
    try:
        server.request("DatabaseManager.execute_query", {"database_url": url, "query": "CREATE TABLE t (id INTEGER)"})
        for sql in ["SELECT 1; DELETE FROM t", "-- comment\nINSERT INTO t VALUES (1)", "PRAGMA user_version = 3", "select 1"]:
            try:
                server.request("DatabaseManager.execute_query", {"database_url": url, "query": sql})
            except RpcError:
                pass
        server.shutdown_and_exit()
    finally:
        server.kill()
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert len(lines) == 4, lines  # CREATE, the multi-statement text, INSERT, PRAGMA set; not `select 1`


def test_paths_outside_the_allowed_root_and_special_files_are_refused(tmp_path):
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside)
    fifo = root / "fifo"
    os.mkfifo(fifo)
    server = start(tmp_path, {"allowed_root": str(root)})
    generate = {"template": "todo_application", "target_database": "sqlite"}
    try:
        for path in ["../outside/m", str(outside / "m"), "link/m", "sub/../../outside/m", str(root) + "/../outside"]:
            error = expect_error(server, "generate_schema", {**generate, "migration_path": path}, code=-32602, kind="path_outside_root")
            assert error.data["type"] == "PathError" and "migration_path" in error.message
        expect_error(server, "generate_schema_from_models", {"models": [], "output_dir": "../outside"}, code=-32602, kind="path_outside_root")
        expect_error(server, "SchemaGenerator.import_schema", {"schema_file": "link/../../outside/s.json"}, code=-32602, kind="path_outside_root")
        expect_error(server, "SchemaGenerator.import_schema", {"schema_file": "fifo"}, code=-32602, kind="special_file")
        # SQLite database files are paths too: outside the root they are refused, before anything is created.
        for method, params in [
            ("DatabaseManager.execute_query", {"database_url": f"sqlite:///{outside}/x.db", "query": "SELECT 1"}),
            ("DatabaseManager.connect", {"connection_string": f"sqlite:///{root}/link/x.db"}),
            ("DatabaseManager.create_database", {"database_url": f"sqlite:///{root}/ok.db", "name": "../outside/y.db"}),
            ("DatabaseManager.create_database", {"database_url": f"sqlite:///{root}/ok.db", "name": str(outside / "z.db")}),
            ("DatabaseManager.create_database", {"name": f"sqlite:///{outside}/w.db"}),
        ]:
            expect_error(server, method, params, code=-32602, kind="path_outside_root")
        assert server.request("DatabaseManager.execute_query", {"database_url": f"sqlite:///{root}/ok.db", "query": "SELECT 1 AS one"}) == [{"one": 1}]
        assert server.request("DatabaseManager.create_database", {"database_url": f"sqlite:///{root}/ok.db", "name": "second.db"}) is True
        assert os.path.exists(root / "second.db")
        assert os.listdir(outside) == []
        # Inside the root, relative to it: written there.
        result = server.request("generate_schema", {**generate, "migration_path": "migrations"})
        assert result["success"] is True
        assert os.listdir(root / "migrations")
    finally:
        server.kill()
    # Without a root, special files are still refused.
    server = start(tmp_path)
    try:
        expect_error(server, "SchemaGenerator.import_schema", {"schema_file": "/dev/zero"}, code=-32602, kind="special_file")
        expect_error(server, "SchemaGenerator.import_schema", {"schema_file": str(fifo)}, code=-32602, kind="special_file")
    finally:
        server.kill()
