"""The server's own statement record (issue 7): statements run through DatabaseManager.execute_query are
counted per normalised statement, written to the workspace history in batches, read by get_slow_queries and
collect_metrics where the engine keeps none (SQLite), and never hold literals or bound values.
manage_databases' health_check reports collect_metrics' health and alerts on every engine."""
import os

import pytest

from conftest import engine_url, server_binary
from dbm_rpc import DbmServer

ENGINES = ["sqlite", "postgresql", "mysql"]


def start(workspace):
    s = DbmServer(server_binary(), args=("--workspace-dir", str(workspace)))
    s.initialize()
    return s


def test_execute_query_is_recorded_normalised_and_survives_a_restart(tmp_path):
    workspace = tmp_path / "ws"
    url = f"sqlite:///{tmp_path}/record.db"
    s = start(workspace)
    try:
        s.request("DatabaseManager.execute_query", {"database_url": url, "query": "CREATE TABLE t (id INTEGER PRIMARY KEY, secret TEXT)"})
        s.request("DatabaseManager.execute_query", {"database_url": url, "query": "INSERT INTO t (secret) VALUES (?)", "params": ["bound-value-771"]})
        for i in range(4):
            rows = s.request("DatabaseManager.execute_query", {"database_url": url, "query": f"SELECT id, 'hunter2' AS pw FROM t WHERE id < {i + 10}"})
            assert len(rows) == 1
        with pytest.raises(Exception):
            s.request("DatabaseManager.execute_query", {"database_url": url, "query": "SELECT nope FROM t WHERE id = 99"})

        slow = s.request("PerformanceMonitor.get_slow_queries", {"database_url": url, "limit": 20})
        by_text = {q["query"]: q for q in slow}
        select = by_text.get("SELECT id, ? AS pw FROM t WHERE id < ?")
        assert select is not None, list(by_text)
        assert select["calls"] == 4 and select["rows"] == 4 and select["source"] == "server"
        assert by_text["INSERT INTO t (secret) VALUES (?)"]["calls"] == 1
        assert not any("hunter2" in q or "bound-value-771" in q for q in by_text)

        # collect_metrics in another workspace still reads the server's record (it lives in --workspace-dir).
        metrics = s.request("PerformanceMonitor.collect_metrics", {"database_url": url, "workspace_dir": str(tmp_path / "other"),
                                                                  "metrics_config": {"slow_query_threshold_ms": 0}})
        assert any(q["source"] == "server" and q["calls"] == 4 for q in metrics["slow_queries"]), metrics["slow_queries"]
        check = next(c for c in metrics["checks"] if c["name"] == "server_statement_record")
        assert check["status"] == "ok" and "1 failed" in check["reason"], check
        assert s.shutdown_and_exit() == 0
    finally:
        s.kill()

    history = (workspace / "monitoring-history.sqlite3").read_bytes()
    wal = workspace / "monitoring-history.sqlite3-wal"
    if wal.exists():
        history += wal.read_bytes()
    assert b"hunter2" not in history and b"bound-value-771" not in history

    s = start(workspace)
    try:
        slow = s.request("PerformanceMonitor.get_slow_queries", {"database_url": url, "limit": 20})
        assert any(q["calls"] == 4 and q["query"].startswith("SELECT id, ? AS pw") for q in slow), slow
        assert s.shutdown_and_exit() == 0
    finally:
        s.kill()


@pytest.mark.parametrize("engine", ENGINES)
def test_health_check_uses_collect_metrics_health_and_alerts(engine, tmp_path):
    url = engine_url(engine, tmp_path)
    s = start(tmp_path / "ws")
    dropped = False
    table = f"health_{os.getpid()}_{engine}"
    try:
        # A table of its own, so every engine reports a size above the tight threshold below.
        s.request("DatabaseManager.execute_query", {"database_url": url, "query": f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)"})
        health = s.request("manage_databases", {"operation": "health_check", "database_url": url})
        assert health["success"] is True
        expected = "critical" if any(a["severity"] == "critical" for a in health["alerts"]) else "warning" if health["alerts"] else "healthy"
        slow_probe = health["details"]["latency_ms"] > 1000  # a trivial query over a second adds a warning
        assert health["health_status"] == expected or (slow_probe and expected == "healthy" and health["health_status"] == "warning"), health
        assert set(health["details"]) >= {"latency_ms", "server_version", "size_bytes", "table_count"}
        assert any(c["name"] == "alert_threshold.cpu" for c in s.request(
            "manage_databases", {"operation": "health_check", "database_url": url, "metrics_config": {"alert_thresholds": {"cpu": 80}}})["checks"])

        tight = s.request("manage_databases", {"operation": "health_check", "database_url": url,
                                               "metrics_config": {"alert_thresholds": {"used_size_mb": 0.000001}}})
        assert tight["health_status"] == "critical", tight
        alert = next(a for a in tight["alerts"] if a["metric"] == "used_size_mb")
        assert alert["severity"] == "critical" and alert["message"] in tight["recommendations"]

        unreachable = {"sqlite": f"sqlite:///{tmp_path}/missing-dir/none.db",
                       "postgresql": "postgresql://dbm@127.0.0.1:1/none", "mysql": "mysql://dbm@127.0.0.1:1/none"}[engine]
        down = s.request("manage_databases", {"operation": "health_check", "database_url": unreachable})
        assert down["success"] is False and down["health_status"] == "critical" and down["error_message"], down
        s.request("DatabaseManager.execute_query", {"database_url": url, "query": f"DROP TABLE {table}"})
        dropped = True
        assert s.shutdown_and_exit() == 0
    finally:
        if not dropped:  # a failed assertion must not leave the table in the shared test database
            try:
                s.request("DatabaseManager.execute_query", {"database_url": url, "query": f"DROP TABLE IF EXISTS {table}"}, timeout=10)
            except Exception:
                pass
        s.kill()
