"""A full dbm-server session from Python over stdio, on SQLite, PostgreSQL and MariaDB."""
import threading
import time
import uuid

import pytest

from conftest import engine_url
from dbm_rpc import RpcError

ENGINES = ["sqlite", "postgresql", "mysql"]

# A query that runs for a long time on each engine and can only end by being cancelled.
LONG_QUERY = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
    "postgresql": "SELECT pg_sleep(60)",
    "mysql": "SELECT BENCHMARK(100000000000, MD5('dbm'))",
}


def scratch_table():
    return "py_" + uuid.uuid4().hex[:10]


@pytest.mark.parametrize("engine", ENGINES)
def test_full_session(server, engine, tmp_path):
    url = engine_url(engine, tmp_path)
    info = server.initialize()
    assert info["serverInfo"]["name"] == "dbm-server"
    assert "capabilities" in info

    conn = server.request("DatabaseManager.connect", {"connection_string": url})
    cid = conn["connection_id"]
    assert conn["driver"] == engine
    # The password never comes back.
    if "@" in url and ":" in url.split("@")[0].split("//")[1]:
        password = url.split("@")[0].split(":")[-1]
        assert password not in str(conn)

    table = scratch_table()
    server.request("DatabaseManager.execute_query", {
        "connection": cid,
        "query": f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, score DECIMAL(12,4), active BOOLEAN)",
    })
    try:
        # Named parameters.
        server.request("DatabaseManager.execute_query", {
            "connection": cid,
            "query": f"INSERT INTO {table} (id, name, score, active) VALUES (:id, :name, :score, :active)",
            "params": {"id": 1, "name": "O'Brien; DROP TABLE x; --", "score": {"$type": "decimal", "value": "12345678.1234"}, "active": True},
        })
        # Positional parameters.
        server.request("DatabaseManager.execute_query", {
            "connection": cid,
            "query": f"INSERT INTO {table} (id, name, score, active) VALUES (?, ?, ?, ?)",
            "params": [2, "Zoë", None, False],
        })
        rows = server.request("DatabaseManager.execute_query", {
            "connection": cid, "query": f"SELECT id, name, score, active FROM {table} WHERE id >= :min ORDER BY id", "params": {"min": 1},
        })
        assert [r["id"] for r in rows] == [1, 2]
        assert rows[0]["name"] == "O'Brien; DROP TABLE x; --"
        assert rows[0]["score"] in ("12345678.1234",)
        assert rows[1]["name"] == "Zoë"
        assert rows[1]["score"] is None
        assert rows[0]["active"] in (True, 1)

        # A constraint violation is a DatabaseError with the engine's code.
        with pytest.raises(RpcError) as excinfo:
            server.request("DatabaseManager.execute_query", {
                "connection": cid, "query": f"INSERT INTO {table} (id, name) VALUES (?, ?)", "params": [1, "dup"],
            })
        assert excinfo.value.data["type"] == "DatabaseError"
        assert excinfo.value.data["kind"] == "unique_violation"
        assert excinfo.value.data["engine_code"]

        # A syntax error too.
        with pytest.raises(RpcError) as excinfo:
            server.request("DatabaseManager.execute_query", {"connection": cid, "query": "SELEC 1"})
        assert excinfo.value.data["kind"] == "syntax_error"

        db_info = server.request("DatabaseManager.get_database_info", {"connection": cid})
        assert db_info["table_count"] >= 1
        assert db_info["server_version"]
    finally:
        server.request("DatabaseManager.execute_query", {"connection": cid, "query": f"DROP TABLE {table}"})

    server.request("DatabaseManager.disconnect", {"connection": cid})
    with pytest.raises(RpcError) as excinfo:
        server.request("DatabaseManager.execute_query", {"connection": cid, "query": "SELECT 1"})
    assert excinfo.value.code == -32602 or excinfo.value.data["type"] == "DatabaseError"

    assert server.shutdown_and_exit() == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_cancel_stops_the_query_on_the_server(server, engine, tmp_path):
    url = engine_url(engine, tmp_path)
    server.initialize()
    cid = server.request("DatabaseManager.connect", {"connection_string": url})["connection_id"]
    rid = server.request_async("DatabaseManager.execute_query", {"connection": cid, "query": LONG_QUERY[engine]})
    time.sleep(1.0)
    # A cheap call is answered while the long query runs.
    assert server.request("DatabaseManager.list_databases", {"connection": cid}, timeout=10) is not None
    server.notify("$/cancelRequest", {"id": rid})
    response = server.wait_response(rid, timeout=20)
    # -32800 (not rows) proves the long query was interrupted; the wait's timeout only guards against a hang.
    assert response["error"]["code"] == -32800, response
    # The connection is usable afterwards.
    rows = server.request("DatabaseManager.execute_query", {"connection": cid, "query": "SELECT 1 AS one"})
    assert rows == [{"one": 1}]
    assert server.shutdown_and_exit() == 0


def test_newline_delimited_framing(ndjson_server, tmp_path):
    info = ndjson_server.initialize()
    assert info["serverInfo"]["name"] == "dbm-server"
    rows = ndjson_server.request("DatabaseManager.execute_query", {
        "database_url": f"sqlite:///{tmp_path}/nd.db", "query": "SELECT ? + ? AS total", "params": [40, 2]})
    assert rows == [{"total": 42}]
    assert ndjson_server.shutdown_and_exit() == 0


def test_protocol_errors_and_lifecycle(server):
    # Before initialize: -32002.
    with pytest.raises(RpcError) as excinfo:
        server.request("DatabaseManager.list_databases", {})
    assert excinfo.value.code == -32002
    server.initialize()
    with pytest.raises(RpcError) as excinfo:
        server.request("no.such_method", {})
    assert excinfo.value.code == -32601
    with pytest.raises(RpcError) as excinfo:
        server.request("DatabaseManager.execute_query", {"query": 42})
    assert excinfo.value.code == -32602
    # Parse error: id null.
    body = b'{"jsonrpc": "2.0", "id": 1, "method": '
    server.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    response = server.wait_response(None)
    assert response["error"]["code"] == -32700
    # Batch: two answers in one array; notifications inside get none.
    server.send([
        {"jsonrpc": "2.0", "id": "a", "method": "rpc.discover"},
        {"jsonrpc": "2.0", "method": "initialized"},
        {"jsonrpc": "2.0", "id": 7, "method": "no.such"},
    ])
    batch = server.wait_response("batch")
    assert sorted(str(r["id"]) for r in batch) == ["7", "a"]
    discover = next(r for r in batch if r["id"] == "a")["result"]
    assert discover["openrpc"].startswith("1.")
    names = {m["name"] for m in discover["methods"]}
    assert {"DatabaseManager.connect", "DatabaseManager.execute_query", "manage_databases"} <= names
    # Exit without shutdown: exit code 1.
    server.notify("exit")
    assert server.proc.wait(10) == 1


def test_passwords_never_appear_in_output(server):
    server.initialize()
    secret = "Sup3r-s3cret-pw"
    with pytest.raises(RpcError) as excinfo:
        server.request("DatabaseManager.connect", {"connection_string": f"postgresql://nobody:{secret}@127.0.0.1:1/x"})
    assert secret not in str(excinfo.value.message) + str(excinfo.value.data)
    assert excinfo.value.data["kind"] == "connection_refused"
    assert server.shutdown_and_exit() == 0
    assert not any(secret in line for line in server.stderr_lines)
