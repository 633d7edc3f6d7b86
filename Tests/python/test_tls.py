"""TLS to PostgreSQL and MariaDB: `make test` starts both with a certificate from a throwaway CA
(scripts/test-servers.sh). Verification against that CA succeeds; against an unrelated CA it fails
with a clear DatabaseError, and the session is never opened."""
import os
from urllib.parse import urlsplit

import pytest

from conftest import engine_url
from dbm_rpc import RpcError


def tls_files():
    ca, wrong = os.environ.get("DBM_TEST_TLS_CA"), os.environ.get("DBM_TEST_TLS_WRONG_CA")
    if not ca or not wrong:
        if os.environ.get("CI") == "true":
            pytest.fail("DBM_TEST_TLS_CA is not set under CI=true: the test servers started without TLS")
        pytest.skip("DBM_TEST_TLS_CA is not set; run under `make test` (scripts/test-servers.sh makes the CA)")
    return ca, wrong


def with_query(url, **params):
    return url + ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in params.items())


def connection_config(url, ssl_config):
    parts = urlsplit(url)
    return {"driver": "postgresql" if parts.scheme.startswith("postgres") else "mysql", "host": parts.hostname, "port": parts.port,
            "database": parts.path.lstrip("/"), "username": parts.username, "password": parts.password, "ssl_config": ssl_config}


def session_uses_tls(server, engine, target):
    if engine == "postgresql":
        rows = server.request("DatabaseManager.execute_query", {**target, "query": "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"})
        return rows[0]["ssl"] is True
    rows = server.request("DatabaseManager.execute_query", {**target, "query": "SHOW SESSION STATUS LIKE 'Ssl_cipher'"})
    return bool(list(rows[0].values())[1])


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
def test_verify_full_against_the_test_ca_succeeds_over_tls(server, engine, tmp_path):
    ca, _ = tls_files()
    base = engine_url(engine, tmp_path)
    server.initialize()
    for target in (
        {"database_url": with_query(base, sslmode="verify-full", sslrootcert=ca)},
        {"connection_config": connection_config(base, {"enabled": True, "mode": "verify-full", "ca_path": ca})},
    ):
        cid = server.request("DatabaseManager.connect", target)["connection_id"]
        assert session_uses_tls(server, engine, {"connection": cid}), f"{engine}: {target} did not use TLS"
        server.request("DatabaseManager.disconnect", {"connection": cid})
    # Without TLS parameters the same server still answers (the TLS setup is additive).
    assert server.request("DatabaseManager.execute_query", {"database_url": base, "query": "SELECT 1 AS one"}) == [{"one": 1}]


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
def test_verify_full_against_a_wrong_ca_fails_clearly(server, engine, tmp_path):
    _, wrong = tls_files()
    base = engine_url(engine, tmp_path)
    password = urlsplit(base).password
    server.initialize()
    for target in (
        {"database_url": with_query(base, sslmode="verify-full", sslrootcert=wrong)},
        {"connection_config": connection_config(base, {"enabled": True, "mode": "verify-full", "ca_path": wrong})},
        {"connection_config": connection_config(base, {"enabled": True, "mode": "verify-ca", "ca_path": wrong})},
    ):
        with pytest.raises(RpcError) as raised:
            server.request("DatabaseManager.connect", target)
        error = raised.value
        assert error.code == -32010 and error.data["type"] == "DatabaseError", (engine, error.data, error.message)
        text = error.message.lower()
        assert "certificate" in text or "ssl" in text or "tls" in text, f"{engine}: unclear TLS error: {error.message}"
        assert password not in error.message
