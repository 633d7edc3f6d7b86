"""Faults that end a call half-way: dbm-server SIGKILLed in the middle of a backup, a restore and a
migration run (SQLite and PostgreSQL), and a backup that runs out of file space.

Each test waits for a real sign that the work is under way (a `.partial` backup directory with a pack
file holding chunks, a statement visible in pg_stat_activity, a `$/progress` report) rather than sleeping a fixed
time, kills the server with SIGKILL, starts a new one and checks what the next user would see:
nothing listed or recorded that is not complete, a database that matches its history, and a next step
that either works or says what to do."""
import glob
import os
import re
import resource
import signal
import sqlite3
import time
import uuid

import pytest

from conftest import engine_url, server_binary
from dbm_rpc import DbmServer, RpcError

ENGINES = ["sqlite", "postgresql"]
ROWS = int(os.environ.get("DBM_CRASH_ROWS", "200000"))


def start(env=None, preexec_fn=None):
    server = DbmServer(server_binary(), env={"DATABASE_URL": "", "DBM_BACKUP_SCHEDULER": "off", **(env or {})}, preexec_fn=preexec_fn)
    server.initialize()
    return server


def swap_database(url, name):
    base, _, rest = url.rpartition("/")
    query = ("?" + rest.split("?", 1)[1]) if "?" in rest else ""
    return base + "/" + name + query


def wait_until(what, predicate, timeout=120, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def sigkill(server):
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(30)
    assert server.proc.returncode == -signal.SIGKILL


class Source:
    """A database with one table `t` of ROWS rows of random data (incompressible, so a backup of it takes
    a while): a SQLite file, or a scratch database on the test PostgreSQL server."""

    def __init__(self, engine, tmp_path, helper):
        self.engine = engine
        self.helper = helper
        self.databases = []
        if engine == "sqlite":
            path = tmp_path / "source.db"
            with sqlite3.connect(path) as db:
                db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
                db.execute("INSERT INTO t (v) SELECT randomblob(400) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x FROM c)", (ROWS,))
            self.url = f"sqlite:///{path}"
        else:
            self.base = engine_url(engine, tmp_path)
            self.url = self.create_database()
            helper.request("DatabaseManager.execute_query", {"database_url": self.url, "query":
                "CREATE TABLE t AS SELECT g AS id, decode(md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text)"
                " || md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text), 'hex') AS v"
                f" FROM generate_series(1, {ROWS}) AS g"}, timeout=300)

    def create_database(self):
        name = "dbm_crash_" + uuid.uuid4().hex[:10]
        self.helper.request("DatabaseManager.create_database", {"database_url": self.base, "name": name})
        self.databases.append(name)
        return swap_database(self.base, name)

    def drop(self, name):
        # Backends of a SIGKILLed server end on their own; until then DROP DATABASE may refuse.
        deadline = time.monotonic() + 60
        while True:
            try:
                self.helper.request("DatabaseManager.execute_query", {"database_url": self.base, "query":
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()", "params": {"d": name}})
                self.helper.request("DatabaseManager.drop_database", {"database_url": self.base, "name": name, "if_exists": True})
                return
            except RpcError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def cleanup(self):
        if self.engine != "sqlite":
            for name in self.databases:
                self.drop(name)

    def count(self, url):
        return self.helper.request("DatabaseManager.execute_query", {"database_url": url, "query": "SELECT count(*) AS n FROM t"})[0]["n"]

    def active(self, database, pattern):
        rows = self.helper.request("DatabaseManager.execute_query", {"database_url": self.base, "query":
            "SELECT query FROM pg_stat_activity WHERE datname = :d AND state = 'active' AND query ILIKE :q AND pid <> pg_backend_pid()",
            "params": {"d": database, "q": pattern}})
        return bool(rows)


@pytest.fixture
def helper():
    server = start()
    yield server
    server.kill()


@pytest.fixture(params=ENGINES)
def source(request, tmp_path, helper):
    src = Source(request.param, tmp_path, helper)
    yield src
    src.cleanup()


def partial_chunks(destination):
    """Pack files of a running backup that hold at least one chunk."""
    return [p for p in glob.glob(os.path.join(destination, ".*.partial", "packs", "*.pack")) if os.path.getsize(p) > 0]


def test_backup_killed_midway_is_never_listed(tmp_path, source):
    destination = str(tmp_path / "backups")
    server = start()
    key = server.request_async("backup_database", {"database_url": source.url, "config_path": destination, "work_done_token": "b"})
    wait_until("the backup to write its first chunks", lambda: partial_chunks(destination) or server.responses.get(str(key)))
    assert not server.responses.get(str(key)), "the backup finished before it could be killed: raise DBM_CRASH_ROWS"
    sigkill(server)

    server = start()
    try:
        # The interrupted backup is not listed; its hidden `.partial` directory is what is left on disk,
        # until prune (or the next backup) finds that no process holds its lock any more and removes it.
        assert server.request("BackupManager.list_backups", {"config_path": destination}) == []
        left = [os.path.basename(p) for p in glob.glob(os.path.join(destination, ".*.partial"))]
        assert left
        assert not glob.glob(os.path.join(destination, "*.dbmb"))
        assert server.request("BackupManager.prune", {"config_path": destination, "dry_run": True}).get("abandoned_partials", []) == []
        assert glob.glob(os.path.join(destination, ".*.partial"))
        pruned = server.request("BackupManager.prune", {"config_path": destination})
        assert sorted(pruned["abandoned_partials"]) == sorted(left), pruned
        assert not glob.glob(os.path.join(destination, ".*.partial"))
        # The next backup works, is listed, and validates (as must anything listed).
        record = server.request("backup_database", {"database_url": source.url, "config_path": destination}, timeout=300)
        listed = server.request("BackupManager.list_backups", {"config_path": destination})
        assert [b["id"] for b in listed] == [record["id"]] and listed[0]["status"] == "completed"
        for backup in listed:
            report = server.request("BackupManager.validate_backup", {"config_path": destination, "backup_path": backup["id"]}, timeout=300)
            assert report["valid"] is True, report
    finally:
        server.kill()


def test_restore_killed_midway_then_the_next_restore_works_or_says_what_to_do(tmp_path, source):
    destination = str(tmp_path / "backups")
    record = source.helper.request("backup_database", {"database_url": source.url, "config_path": destination}, timeout=300)
    if source.engine == "sqlite":
        target_path = tmp_path / "restored.db"
        target = str(target_path)
        target_url = f"sqlite:///{target_path}"
        # A restore into a new file builds a hidden staging file beside it (renamed into place when complete);
        # one into an existing file runs in one transaction, whose journal appears once rows are written.
        under_way = lambda: (glob.glob(str(tmp_path / ".restored.db.restore-*"))
                             or os.path.exists(str(target_path) + "-journal") or os.path.exists(str(target_path) + "-wal"))
    else:
        target_url = source.create_database()
        target = target_url
        name = target_url.rsplit("/", 1)[1].split("?")[0]
        under_way = lambda: source.active(name, "%COPY%") or source.active(name, "%INSERT%")

    server = start()
    key = server.request_async("BackupManager.restore_backup", {"config_path": destination, "backup_path": record["id"],
                                                                "target_database": target, "work_done_token": "r"})
    wait_until("the restore to load rows", lambda: under_way() or server.responses.get(str(key)))
    assert not server.responses.get(str(key)), "the restore finished before it could be killed: raise DBM_CRASH_ROWS"
    sigkill(server)
    if source.engine == "sqlite":
        # Killed before the rename: the target was never created, so nothing half-restored can be opened.
        assert not target_path.exists()
        assert glob.glob(str(tmp_path / ".restored.db.restore-*")), "the killed restore's staging file"

    server = start()
    try:
        params = {"config_path": destination, "backup_path": record["id"], "target_database": target}
        try:
            result = server.request("BackupManager.restore_backup", params, timeout=300)
        except RpcError as error:
            # What a killed restore leaves on a server: the tables it had created. The error says so and
            # what to do; after dropping the target the restore works.
            assert error.data["type"] == "BackupError" and error.data["kind"] == "target_not_empty", (error.message, error.data)
            assert "empty" in error.message, error.message
            assert source.engine != "sqlite", "a SQLite restore is one transaction: a killed one leaves nothing to clear"
            name = target_url.rsplit("/", 1)[1].split("?")[0]
            source.drop(name)
            result = server.request("BackupManager.restore_backup", params, timeout=300)
        assert result["success"] is True and result["rows_restored"] == ROWS, result
        assert source.count(target_url) == ROWS
        if source.engine == "sqlite":
            # The killed restore's staging file (no process holds its lock any more) went with the next restore.
            assert not glob.glob(str(tmp_path / ".restored.db.restore-*"))
    finally:
        server.kill()


def write_migrations(directory, slow_sql, no_transaction=False):
    directory.mkdir(exist_ok=True)
    (directory / "0001_a.up.sql").write_text("CREATE TABLE a (id INTEGER);\n")
    (directory / "0001_a.down.sql").write_text("DROP TABLE a;\n")
    header = "-- dbm:no-transaction\n" if no_transaction else ""
    (directory / "0002_slow.up.sql").write_text(f"{header}CREATE TABLE b (id INTEGER);\n{slow_sql}\nCREATE TABLE b2 (id INTEGER);\n")
    (directory / "0002_slow.down.sql").write_text("DROP TABLE b2;\nDROP TABLE b;\n")
    (directory / "0003_c.up.sql").write_text("CREATE TABLE c (id INTEGER);\n")
    (directory / "0003_c.down.sql").write_text("DROP TABLE c;\n")


TABLES = {"0001": ["a"], "0002": ["b", "b2"], "0003": ["c"]}


def existing_tables(helper, url, engine):
    query = ("SELECT name AS t FROM sqlite_master WHERE type = 'table'" if engine == "sqlite"
             else "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")
    return {row["t"] for row in helper.request("DatabaseManager.execute_query", {"database_url": url, "query": query})}


@pytest.mark.parametrize("engine,no_transaction", [("sqlite", False), ("postgresql", False), ("postgresql", True)],
                         ids=["sqlite", "postgresql", "postgresql-no-transaction"])
def test_migration_run_killed_midway_leaves_a_history_that_matches_the_database(tmp_path, helper, engine, no_transaction):
    if engine == "sqlite":
        url = f"sqlite:///{tmp_path}/app.db"
        slow = "CREATE TABLE slow AS SELECT count(*) AS n FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT x FROM c);"
        database = None
    else:
        base = engine_url(engine, tmp_path)
        database = "dbm_crash_" + uuid.uuid4().hex[:10]
        helper.request("DatabaseManager.create_database", {"database_url": base, "name": database})
        url = swap_database(base, database)
        slow = "SELECT pg_sleep(600);"
    directory = tmp_path / "migrations"
    write_migrations(directory, slow, no_transaction)
    params = {"migration_dir": str(directory), "database_url": url, "lock_timeout": 60}
    try:
        server = start()
        key = server.request_async("run_migrations", {**params, "work_done_token": "m"})
        seen = []

        def slow_started():
            while not server.notifications.empty():
                seen.append(server.notifications.get())
            return any("applying 0002" in (n["params"]["value"].get("message") or "") for n in seen) or server.responses.get(str(key))
        wait_until("migration 0002 to start", slow_started)
        assert not server.responses.get(str(key)), server.responses.get(str(key))
        if engine == "postgresql":
            src = Source.__new__(Source)
            src.helper, src.base = helper, base
            wait_until("pg_sleep to run", lambda: src.active(database, "%pg_sleep(600)%"))
        else:
            time.sleep(0.5)  # the statement counts to 2e9: it is still running long after this
        sigkill(server)

        server = start()
        try:
            history = server.request("MigrationManager.get_migration_history", params)
            status = server.request("MigrationManager.status", params)
            tables = existing_tables(helper, url, engine)
            recorded = {entry["revision"]: entry for entry in history}
            # What the history says is applied is exactly what the database holds.
            for revision, names in TABLES.items():
                entry = recorded.get(revision)
                if entry and entry["success"] and not entry.get("dirty"):
                    assert set(names) <= tables, (revision, history, tables)
                elif not entry:
                    assert not (set(names) & tables), (revision, history, tables)
            assert "0003" not in recorded and "c" not in tables
            if no_transaction:
                # Statement by statement: 0002 is dirty after its first statement, and says so.
                dirty = status.get("dirty")
                assert dirty and dirty["revision"] == "0002" and dirty["statements_applied"] == 1, status
                assert "b" in tables and "b2" not in tables
                with pytest.raises(RpcError) as raised:
                    server.request("run_migrations", params)
                assert raised.value.data["type"] == "MigrationError" and "repair" in raised.value.message, raised.value.message
                # The way out it names: undo the applied statement, mark 0002 rolled back, run again.
                helper.request("DatabaseManager.execute_query", {"database_url": url, "query": "DROP TABLE b"})
                server.request("MigrationManager.repair", {**params, "action": "mark_rolled_back"})
            else:
                assert status.get("dirty") is None, status
                assert "0002" not in recorded and not ({"b", "b2"} & tables), (history, tables)
                assert "0002" in status["pending"] and "0003" in status["pending"], status
            # The next run proceeds: the dead runner's lock went with its session.
            write_migrations(directory, "SELECT 1;", no_transaction)
            result = server.request("run_migrations", params, timeout=120)
            assert result["success"] is True and result["current_version"] == "0003", result
            assert {"a", "b", "b2", "c"} <= existing_tables(helper, url, engine)
            assert server.request("MigrationManager.validate_migrations", params) == []
        finally:
            server.kill()
    finally:
        if database:
            src = Source.__new__(Source)
            src.helper, src.base = helper, base
            src.drop(database)


@pytest.mark.parametrize("backup_format", ["native", "sql"])
def test_full_disk_during_a_backup_is_a_clear_backup_error_and_leaves_nothing(tmp_path, helper, backup_format):
    path = tmp_path / "source.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
        db.execute("INSERT INTO t (v) SELECT randomblob(1000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000) SELECT x FROM c)")
    destination = tmp_path / "backups"
    destination.mkdir()
    # native: the snapshot copy of the 4 MB database (and the pack its chunks go to) pass the limit;
    # sql: the intermediate archive's pack file does.
    limit = 256 * 1024 if backup_format == "native" else 1024 * 1024

    def small_file_limit():
        # Ignore SIGXFSZ so a write past the limit fails with EFBIG instead of killing the server.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    server = start(preexec_fn=small_file_limit)
    try:
        params = {"database_url": f"sqlite:///{path}", "config_path": str(destination), "backup_config": {"format": backup_format, "compression": "none"}}
        with pytest.raises(RpcError) as raised:
            server.request("backup_database", params, timeout=300)
        error = raised.value
        assert error.data["type"] == "BackupError" and error.data["kind"] == "storage", (error.message, error.data)
        assert re.search(r"size limit|no space|too large", error.message, re.IGNORECASE), error.message
        assert os.listdir(destination) == [], f"left behind: {os.listdir(destination)}"
        assert server.request("BackupManager.list_backups", {"config_path": str(destination)}) == []
        # The server is still serving.
        assert server.request("DatabaseManager.execute_query", {"database_url": f"sqlite:///{path}", "query": "SELECT count(*) AS n FROM t"}) == [{"n": 4000}]
    finally:
        server.kill()
    # Without the limit the same backup succeeds.
    record = helper.request("backup_database", params, timeout=300)
    assert record["status"] == "completed"
