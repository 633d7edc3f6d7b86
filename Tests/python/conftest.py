import os
import shutil
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from dbm_rpc import DbmServer  # noqa: E402


def server_binary():
    path = os.environ.get("DBM_SERVER")
    if path and os.path.exists(path):
        return path
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    for candidate in (os.path.join(root, ".build", "debug", "dbm-server"), os.path.join(root, ".build", "release", "dbm-server")):
        if os.path.exists(candidate):
            return candidate
    return shutil.which("dbm-server")


def engine_url(engine, tmp_path):
    """The URL of a database on each engine; PostgreSQL/MariaDB come from `make test`'s servers."""
    if engine == "sqlite":
        return f"sqlite:///{tmp_path}/session.db"
    var = {"postgresql": "DBM_TEST_POSTGRES_URL", "mysql": "DBM_TEST_MYSQL_URL"}[engine]
    url = os.environ.get(var)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{var} is not set under CI=true: the test server did not start")
        pytest.skip(f"{var} is not set; run under `make test`")
    return url


@pytest.fixture
def server():
    binary = server_binary()
    if not binary:
        pytest.fail("dbm-server binary not found; build with `swift build` first")
    s = DbmServer(binary)
    yield s
    s.kill()


@pytest.fixture
def ndjson_server():
    s = DbmServer(server_binary(), framing="ndjson")
    yield s
    s.kill()
