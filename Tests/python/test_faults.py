"""Faults: a pooled connection whose backend is killed, and a long mixed load against one server."""
import json
import os
import threading
import time
import uuid

import pytest

from conftest import engine_url, server_binary
from dbm_rpc import DbmServer, RpcError

LOAD_SECONDS = float(os.environ.get("DBM_LOAD_SECONDS", "60"))


def swap_database(url, name):
    return url.rpartition("/")[0] + "/" + name


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
def test_killed_backend_is_connection_lost_then_the_pool_recovers(server, engine, tmp_path):
    base = engine_url(engine, tmp_path)
    server.initialize()
    name = "dbm_fault_" + uuid.uuid4().hex[:8]
    server.request("DatabaseManager.create_database", {"database_url": base, "name": name})
    try:
        url = swap_database(base, name) + ("&" if "?" in base else "?") + "pool_min=1&pool_max=1"
        cid = server.request("DatabaseManager.connect", {"connection_string": url})["connection_id"]
        assert server.request("DatabaseManager.execute_query", {"connection": cid, "query": "SELECT 1 AS one"}) == [{"one": 1}]
        # Kill every backend of the scratch database from another connection.
        if engine == "postgresql":
            killed = server.request("DatabaseManager.execute_query", {"database_url": base,
                "query": "SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()", "params": {"d": name}})
            assert killed and all(row["k"] is True for row in killed), killed
        else:
            ids = server.request("DatabaseManager.execute_query", {"database_url": base,
                "query": "SELECT id FROM information_schema.processlist WHERE db = :d AND id <> CONNECTION_ID()", "params": {"d": name}})
            assert ids, "no MariaDB session to kill"
            for row in ids:
                server.request("DatabaseManager.execute_query", {"database_url": base, "query": f"KILL {int(row['id'])}"})
        time.sleep(0.5)
        with pytest.raises(RpcError) as raised:
            server.request("DatabaseManager.execute_query", {"connection": cid, "query": "SELECT 2 AS two"})
        error = raised.value
        assert error.code == -32010 and error.data["type"] == "DatabaseError", error.data
        assert error.data["kind"] == "connection_lost", (error.data, error.message)
        assert error.message, "the error must say what was lost"
        # The pool replaced the dead connection: the next calls work.
        for _ in range(3):
            assert server.request("DatabaseManager.execute_query", {"connection": cid, "query": "SELECT 3 AS three"}) == [{"three": 3}]
        server.request("DatabaseManager.disconnect", {"connection": cid})
    finally:
        server.request("DatabaseManager.drop_database", {"database_url": base, "name": name, "if_exists": True})


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class SharedClient:
    """One server, many threads: sends are serialized, responses matched by id."""

    def __init__(self, server):
        self.server = server
        self.lock = threading.Lock()

    def call(self, id, method, params, timeout=120):
        with self.lock:
            self.server.send({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
        return self.server.wait_response(id, timeout)


def test_sixteen_concurrent_clients_for_a_minute_against_one_server(tmp_path):
    urls = {"sqlite": f"sqlite:///{tmp_path}/load.db", "postgresql": engine_url("postgresql", tmp_path), "mysql": engine_url("mysql", tmp_path)}
    server = DbmServer(server_binary(), env={"DATABASE_URL": ""})
    server.initialize()
    client = SharedClient(server)
    table = "load_" + uuid.uuid4().hex[:8]
    handles = {}
    for engine, url in urls.items():
        handles[engine] = server.request("DatabaseManager.connect", {"connection_string": url})["connection_id"]
        server.request("DatabaseManager.execute_query", {"connection": handles[engine], "query": f"CREATE TABLE {table} (id INTEGER, worker INTEGER, note VARCHAR(40))"})
    counts = [0] * 16
    failures = []
    stop = time.monotonic() + LOAD_SECONDS

    def worker(n):
        k = 0
        engines = list(urls)
        while time.monotonic() < stop and not failures:
            engine = engines[(n + k) % 3]
            cid = handles[engine]
            k += 1
            id = f"w{n}-{k}"
            step = k % 7
            if step == 0:
                response = client.call(id, "DatabaseManager.execute_query", {"connection": cid, "query": f"INSERT INTO {table} (id, worker, note) VALUES (:i, :w, :n)", "params": {"i": k, "w": n, "n": "x'\"; --"}})
            elif step == 1:
                response = client.call(id, "DatabaseManager.execute_query", {"connection": cid, "query": f"SELECT count(*) AS c FROM {table} WHERE worker = ?", "params": [n]})
            elif step == 2:
                response = client.call(id, "DatabaseManager.get_database_info", {"connection": cid})
            elif step == 3:
                response = client.call(id, "SchemaDefinition.to_sql", {"schema": {"tables": [{"name": f"t{n}", "columns": [{"name": "id", "type": "integer"}]}]}, "dialect": engine})
            elif step == 4:
                response = client.call(id, "DatabaseManager.execute_query", {"connection": cid, "query": "SELEC broken"})
                if "error" not in response or response["error"]["data"]["kind"] != "syntax_error":
                    failures.append(("expected a syntax error", response))
                counts[n] += 1
                continue
            elif step == 5:
                response = client.call(id, "DatabaseManager.execute_query", {"database_url": urls[engine], "query": "SELECT 1 AS one"})
            else:
                response = client.call(id, "rpc.discover", None)
            if "error" in response:
                failures.append((id, response["error"]))
            counts[n] += 1

    # Warm up (pools, caches), then measure the baseline.
    time.sleep(0.5)
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    start_rss = None
    for t in threads:
        t.start()
    time.sleep(min(5, LOAD_SECONDS / 4))
    start_rss = rss_kib(server.proc.pid)
    for t in threads:
        t.join(LOAD_SECONDS + 180)
    end_rss = rss_kib(server.proc.pid)
    try:
        assert not any(t.is_alive() for t in threads), "a client is still waiting for an answer"
        assert not failures, failures[:5]
        assert all(c > 0 for c in counts), counts
        assert server.proc.poll() is None
        # Memory stays flat: a generous bound against leaks that grow with the number of requests.
        assert end_rss < start_rss * 1.5 + 64 * 1024, f"RSS grew from {start_rss} KiB to {end_rss} KiB over {sum(counts)} requests"
        print(f"load: {sum(counts)} requests in {LOAD_SECONDS:.0f} s, RSS {start_rss} -> {end_rss} KiB")
    finally:
        for engine, cid in handles.items():
            server.request("DatabaseManager.execute_query", {"connection": cid, "query": f"DROP TABLE {table}"})
        server.kill()
