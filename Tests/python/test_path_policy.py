"""Every path given over the protocol goes through the server's PathPolicy: the Migrations, Backups and
Monitoring methods (migration_dir / migration_path, config_path, destination, backup_path,
encryption_key_file, target_database, workspace_dir, output_path), with an `allowed_root` in
`dbm-server --config`, and special files refused with or without one.

Each refusal is -32602 with data.type PathError and data.kind path_outside_root / special_file /
invalid_path, names the parameter, and happens before anything is read, written or deleted."""
import json
import os
import uuid

import pytest

from conftest import server_binary
from dbm_rpc import DbmServer, RpcError


def start(tmp_path, config=None):
    args = []
    if config is not None:
        path = tmp_path / f"config-{uuid.uuid4().hex[:6]}.json"
        path.write_text(json.dumps(config))
        args = ["--config", str(path)]
    server = DbmServer(server_binary(), args=args, env={"DATABASE_URL": "", "DBM_BACKUP_SCHEDULER": "off"})
    server.initialize()
    return server


def refused(server, method, params, kind="path_outside_root", parameter=None):
    with pytest.raises(RpcError) as raised:
        server.request(method, params)
    error = raised.value
    assert error.code == -32602, (method, params, error.code, error.message, error.data)
    assert (error.data or {}).get("type") == "PathError", (method, error.message, error.data)
    assert error.data.get("kind") == kind, (method, params, error.message, error.data)
    if parameter:
        assert parameter in error.message, (method, parameter, error.message)
    return error


def tree(path):
    """Every file and directory under path (to show nothing was written or removed)."""
    found = []
    for folder, dirs, files in os.walk(path):
        found += [os.path.join(folder, n) for n in dirs + files]
    return sorted(found)


@pytest.fixture
def layout(tmp_path):
    """root/ (the allowed root) with a SQLite database and a symlink `link` -> outside/; outside/ with a
    migration directory, a backup directory holding one real backup, and a key file."""
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside)
    os.mkfifo(root / "fifo")
    migrations = outside / "migrations"
    migrations.mkdir()
    (migrations / "0001_a.up.sql").write_text("CREATE TABLE a (id INTEGER);\n")
    (migrations / "0001_a.down.sql").write_text("DROP TABLE a;\n")
    (outside / "key").write_text("k" * 32)
    db = root / "app.db"
    # A real backup outside the root, taken by an unrestricted server.
    server = start(tmp_path)
    try:
        url = f"sqlite:///{db}"
        server.request("DatabaseManager.execute_query", {"database_url": url, "query": "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"})
        server.request("DatabaseManager.execute_query", {"database_url": url, "query": "INSERT INTO t (v) VALUES ('x'), ('y')"})
        record = server.request("backup_database", {"database_url": url, "config_path": str(outside / "backups")})
    finally:
        server.kill()
    return {"root": root, "outside": outside, "db": db, "url": f"sqlite:///{db}", "backup": record,
            "backup_dir": outside / "backups", "migrations": migrations}


def test_migration_methods_check_migration_dir(tmp_path, layout):
    root, outside, url = layout["root"], layout["outside"], layout["url"]
    before = tree(outside)
    server = start(tmp_path, {"allowed_root": str(root)})
    try:
        for path in ["../outside/migrations", str(layout["migrations"]), "link/migrations", "sub/../../outside/migrations"]:
            for method, params in [
                ("run_migrations", {"migration_dir": path, "database_url": url}),
                ("run_migrations", {"migration_path": path, "connection_config": {"driver": "sqlite", "database": str(layout["db"])}, "dry_run": True}),
                ("MigrationManager.status", {"migration_dir": path, "database_url": url}),
                ("MigrationManager.upgrade", {"migration_dir": path, "database_url": url}),
                ("MigrationManager.get_pending_migrations", {"migration_dir": path, "database_url": url}),
                ("MigrationManager.create_migration", {"migration_dir": path, "description": "x", "upgrade_sql": "SELECT 1"}),
            ]:
                refused(server, method, params, parameter="migration_dir")
        # A directory inside the root whose file is a symlink out of it, or a fifo (reading it would block):
        inside = root / "migrations"
        inside.mkdir()
        (inside / "0001_a.up.sql").symlink_to(layout["migrations"] / "0001_a.up.sql")
        refused(server, "run_migrations", {"migration_dir": "migrations", "database_url": url}, parameter="0001_a.up.sql")
        os.unlink(inside / "0001_a.up.sql")
        os.mkfifo(inside / "0001_a.up.sql")
        refused(server, "MigrationManager.status", {"migration_dir": str(inside), "database_url": url}, kind="special_file")
        os.unlink(inside / "0001_a.up.sql")
        # Inside the root, relative to it: created and applied there.
        created = server.request("MigrationManager.create_migration", {"migration_dir": "migrations", "description": "b",
                                                                      "upgrade_sql": "CREATE TABLE b (id INTEGER)", "downgrade_sql": "DROP TABLE b"})
        assert created["revision"]
        result = server.request("run_migrations", {"migration_dir": "migrations", "database_url": url})
        assert result["success"] is True and result["migrations_executed"] == 1, result
    finally:
        server.kill()
    assert tree(outside) == before, "nothing may be written outside the root"
    tables = [name for (name,) in __import__("sqlite3").connect(layout["db"]).execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert "a" not in tables and "b" in tables, tables


def test_backup_methods_check_every_path(tmp_path, layout):
    root, outside, url = layout["root"], layout["outside"], layout["url"]
    backup_dir, backup = layout["backup_dir"], layout["backup"]
    backup_path = backup["file_path"]
    assert backup_path and os.path.isdir(backup_path), backup
    (root / "outside-defaults.json").write_text(json.dumps({"destination": str(outside / "elsewhere")}))
    before = tree(outside)
    server = start(tmp_path, {"allowed_root": str(root)})
    try:
        for method, params, parameter in [
            ("backup_database", {"database_url": url, "config_path": "../outside/backups"}, "config_path"),
            ("backup_database", {"database_url": url, "config_path": "link/backups"}, "config_path"),
            ("backup_database", {"database_url": url, "config_path": "outside-defaults.json"}, "destination"),
            ("backup_database", {"database_url": url, "backup_config": {"destination": str(outside / "b")}}, "destination"),
            ("backup_database", {"database_url": url, "destination": "../outside/b"}, "destination"),
            ("backup_database", {"database_url": url, "config_path": "backups", "backup_config": {"encryption": "aes-256-gcm", "encryption_key_file": "link/key"}}, "encryption_key_file"),
            ("BackupManager.create_backup", {"database_url": url, "config_path": str(outside)}, "config_path"),
            ("manage_databases", {"operation": "backup", "database_url": url, "backup_config": {"destination": "link/b"}}, "destination"),
            ("BackupManager.schedule_backup", {"database_url": url, "database_name": "app", "schedule": "@daily", "config_path": "backups",
                                               "backup_config": {"destination": str(outside)}}, "destination"),
            ("BackupManager.list_backups", {"config_path": str(backup_dir)}, "config_path"),
            ("BackupManager.list_backups", {"config_path": "backups", "destination": str(backup_dir)}, "destination"),
            ("BackupManager.list_schedules", {"config_path": "link"}, "config_path"),
            ("BackupManager.prune", {"config_path": "link/backups", "keep_last": 0}, "config_path"),
            ("BackupManager.run_due", {"config_path": "link/backups"}, "config_path"),
            ("BackupManager.validate_backup", {"backup_path": backup_path}, "backup_path"),
            ("Backup.validate", {"backup_path": "link/backups/" + os.path.basename(backup_path)}, "backup_path"),
            ("Backup.get_info", {"backup_path": backup_path + "/manifest.json"}, "backup_path"),
            ("BackupManager.delete_backup", {"backup_path": backup_path, "force": True}, "backup_path"),
            ("Backup.delete", {"backup_path": "../outside/backups/" + os.path.basename(backup_path)}, "backup_path"),
            ("BackupManager.restore_backup", {"backup_path": backup_path, "target_database": str(root / "r.db")}, "backup_path"),
            ("Backup.restore", {"backup_path": "link/backups/" + os.path.basename(backup_path), "target_database": "r.db"}, "backup_path"),
            ("manage_databases", {"operation": "restore", "backup_path": backup_path, "target_database": str(root / "r.db")}, "backup_path"),
            ("BackupManager.delete_backup", {"config_path": "link/backups", "backup_path": backup["id"]}, "config_path"),
        ]:
            refused(server, method, params, parameter=parameter)
        # An id is a plain name: `..` is not one.
        refused(server, "BackupManager.delete_backup", {"config_path": "backups", "backup_path": ".."}, kind="invalid_path")
        # A backup inside the root works, and where it is restored to is checked too.
        os.makedirs(root / "backups", exist_ok=True)
        inside = server.request("backup_database", {"database_url": url, "config_path": "backups"})
        inside_path = inside["file_path"]
        assert inside_path.startswith(str(root)), inside
        for target in [str(outside / "r.db"), "../outside/r.db", "link/r.db", f"sqlite:///{outside}/r.db"]:
            refused(server, "BackupManager.restore_backup", {"config_path": "backups", "backup_path": inside["id"], "target_database": target})
        refused(server, "BackupManager.restore_backup", {"config_path": "backups", "backup_path": inside_path, "target_database": "r.db",
                                                          "encryption_key_file": str(outside / "key")}, parameter="encryption_key_file")
        assert [b["id"] for b in server.request("BackupManager.list_backups", {"config_path": "backups"})] == [inside["id"]]
        assert server.request("BackupManager.validate_backup", {"config_path": "backups", "backup_path": inside["id"]})["valid"] is True
        restored = server.request("BackupManager.restore_backup", {"config_path": "backups", "backup_path": inside["id"], "target_database": "r.db"})
        assert restored["success"] is True and restored["rows_restored"] == 2, restored
        assert os.path.exists(root / "r.db")
    finally:
        server.kill()
    assert tree(outside) == before, "nothing may be written or deleted outside the root"
    assert os.path.isdir(backup_path)


def test_monitoring_methods_check_workspace_dir_and_output_path(tmp_path, layout):
    root, outside, url = layout["root"], layout["outside"], layout["url"]
    before = tree(outside)
    server = start(tmp_path, {"allowed_root": str(root)})
    try:
        for workspace in ["../outside/ws", str(outside / "ws"), "link/ws"]:
            for method, params in [
                ("PerformanceMonitor.collect_metrics", {"database_url": url}),
                ("monitor_database", {"database_url": url}),
                ("optimize_database", {"database_url": url}),
                ("DatabaseMetrics.get_summary", {"database_url": url}),
                ("PerformanceMonitor.generate_performance_report", {"database_url": url}),
            ]:
                refused(server, method, {**params, "workspace_dir": workspace}, parameter="workspace_dir")
        for output in ["../../outside/report.md", str(outside / "report.md"), "../link/report.md"]:
            refused(server, "PerformanceMonitor.generate_performance_report", {"database_url": url, "workspace_dir": "ws", "output_path": output},
                    parameter="output_path")
        refused(server, "PerformanceMonitor.generate_performance_report", {"database_url": url, "workspace_dir": str(root), "output_path": "fifo"},
                kind="special_file")
        metrics = server.request("PerformanceMonitor.collect_metrics", {"database_url": url, "workspace_dir": "ws"})
        assert metrics
        report = server.request("PerformanceMonitor.generate_performance_report", {"database_url": url, "workspace_dir": "ws", "output_path": "r.md"})
        assert report["path"] == str(root / "ws" / "r.md") and os.path.exists(report["path"]), report
    finally:
        server.kill()
    assert tree(outside) == before


def test_special_files_are_refused_without_an_allowed_root(tmp_path, layout):
    """No root: paths may go anywhere, but a device, fifo or socket never reaches a module."""
    fifo = layout["root"] / "fifo"
    url = layout["url"]
    migrations = tmp_path / "m"
    migrations.mkdir()
    os.mkfifo(migrations / "0001_a.up.sql")
    server = start(tmp_path)
    try:
        refused(server, "run_migrations", {"migration_dir": str(migrations), "database_url": url}, kind="special_file")
        refused(server, "MigrationManager.create_migration", {"migration_dir": str(migrations), "description": "x", "upgrade_sql": "SELECT 1"}, kind="special_file")
        refused(server, "BackupManager.validate_backup", {"backup_path": "/dev/zero"}, kind="special_file")
        refused(server, "BackupManager.restore_backup", {"backup_path": layout["backup"]["id"], "config_path": str(layout["backup_dir"]),
                                                          "target_database": str(tmp_path / "r.db"), "encryption_key_file": str(fifo)}, kind="special_file")
        refused(server, "backup_database", {"database_url": url, "config_path": "/dev/null"}, kind="special_file")
        refused(server, "PerformanceMonitor.collect_metrics", {"database_url": url, "workspace_dir": "/dev/null"}, kind="special_file")
        refused(server, "PerformanceMonitor.generate_performance_report", {"database_url": url, "workspace_dir": str(tmp_path / "ws"), "output_path": str(fifo)},
                kind="special_file")
        # An ordinary path still works without a root, `..` and all.
        listed = server.request("BackupManager.list_backups", {"config_path": str(layout["root"]) + "/../outside/backups"})
        assert [b["id"] for b in listed] == [layout["backup"]["id"]]
    finally:
        server.kill()
