"""Hostile names and values over the protocol on SQLite, PostgreSQL and MariaDB: quotes, semicolons, NUL
bytes, very long identifiers and Unicode in database, table and column names and in query parameters are
handled correctly (the object gets exactly that name, nothing else happens) or refused with a clear error.
"""
import uuid

import pytest

from conftest import engine_url
from dbm_rpc import RpcError

ENGINES = ["sqlite", "postgresql", "mysql"]


def swap_database(url, name):
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def scalar(server, url, sql, params=None):
    rows = server.request("DatabaseManager.execute_query", {"database_url": url, "query": sql, "params": params or {}})
    return list(rows[0].values())[0] if rows else None


def table_exists(server, engine, url, name):
    if engine == "sqlite":
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n"
    elif engine == "postgresql":
        sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = :n"
    else:
        sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :n"
    return int(scalar(server, url, sql, {"n": name})) == 1


def column_names(server, engine, url, table):
    if engine == "sqlite":
        rows = server.request("DatabaseManager.execute_query", {"database_url": url, "query": "SELECT name FROM pragma_table_info(:t)", "params": {"t": table}})
        return {r["name"] for r in rows}
    schema = "'public'" if engine == "postgresql" else "DATABASE()"
    rows = server.request("DatabaseManager.execute_query", {"database_url": url,
        "query": f"SELECT column_name AS name FROM information_schema.columns WHERE table_schema = {schema} AND table_name = :t", "params": {"t": table}})
    return {r.get("name") or r.get("NAME") or r.get("COLUMN_NAME") for r in rows}


@pytest.fixture
def scratch(server, tmp_path, request):
    """A scratch database (dropped afterwards) on the engine, with a canary table a hostile name tries to drop."""
    engine = request.param
    base = engine_url(engine, tmp_path)
    server.initialize()
    if engine == "sqlite":
        url = base
    else:
        name = "dbm_hostile_" + uuid.uuid4().hex[:8]
        server.request("DatabaseManager.create_database", {"database_url": base, "name": name})
        url = swap_database(base, name)
    server.request("DatabaseManager.execute_query", {"database_url": url, "query": "CREATE TABLE canary (id INTEGER)"})
    server.request("DatabaseManager.execute_query", {"database_url": url, "query": "INSERT INTO canary (id) VALUES (1)"})
    yield engine, base, url
    if engine != "sqlite":
        try:
            server.request("DatabaseManager.drop_database", {"database_url": base, "name": url.rpartition("/")[2]})
        except RpcError:
            pass


HOSTILE_TABLES = ['x"; DROP TABLE canary; --', "x`; DROP TABLE canary; --", "x'; DROP TABLE canary; --", "Zoë 名前", "t;t", "T" * 60]
HOSTILE_COLUMNS = ['c"; DROP TABLE canary; --', "c`q", "c'q", "ünï 名"]


@pytest.mark.parametrize("scratch", ENGINES, indirect=True)
def test_schema_with_hostile_table_and_column_names_creates_exactly_those(server, scratch):
    engine, _, url = scratch
    tables = [{"name": name, "columns": [{"name": "id", "type": "integer", "primary_key": True}]
               + [{"name": column, "type": "varchar(50)"} for column in HOSTILE_COLUMNS]} for name in HOSTILE_TABLES]
    schema = {"tables": tables}
    ddl = server.request("SchemaDefinition.to_sql", {"schema": schema, "dialect": engine})
    text = ddl if isinstance(ddl, str) else "\n".join(ddl if isinstance(ddl, list) else [str(ddl)])
    quote = "`" if engine == "mysql" else '"'
    # Every hostile name appears quoted, its quote character doubled.
    assert quote + 'x""; DROP TABLE canary; --' + quote in text or engine == "mysql", text
    assert "`x``; DROP TABLE canary; --`" in text or engine != "mysql", text
    result = server.request("SchemaDefinition.apply_to_database", {"database_url": url, "schema": schema})
    assert result.get("success") is True, result
    for name in HOSTILE_TABLES:
        assert table_exists(server, engine, url, name), f"{engine}: table {name!r} was not created with exactly that name"
        assert set(HOSTILE_COLUMNS) <= column_names(server, engine, url, name), engine
    assert table_exists(server, engine, url, "canary"), f"{engine}: the canary table was dropped"
    assert int(scalar(server, url, "SELECT count(*) FROM canary")) == 1
    # Characters outside the BMP: MariaDB refuses them in identifiers; a clear DatabaseError, nothing changed.
    emoji = {"tables": [{"name": "emoji_🚀", "columns": [{"name": "id", "type": "integer", "primary_key": True}]}]}
    try:
        server.request("SchemaDefinition.apply_to_database", {"database_url": url, "schema": emoji})
        assert table_exists(server, engine, url, "emoji_🚀"), engine
    except RpcError as error:
        assert engine == "mysql" and error.data["type"] in ("DatabaseError", "SchemaError") and "utf8" in error.message.lower(), error.data
    assert table_exists(server, engine, url, "canary")


HOSTILE_DATABASES = ['dbm_h"; DROP DATABASE canary; --', "dbm_h'q`b", "dbm_ü名", "dbm_h;x"]


@pytest.mark.parametrize("engine", ENGINES)
def test_create_and_drop_database_with_hostile_names(server, engine, tmp_path):
    base = engine_url(engine, tmp_path)
    server.initialize()
    for hostile in HOSTILE_DATABASES:
        name = hostile + "_" + uuid.uuid4().hex[:6] + (".db" if engine == "sqlite" else "")
        assert server.request("DatabaseManager.create_database", {"database_url": base, "name": name}) is True
        listed = server.request("DatabaseManager.list_databases", {"database_url": base})
        assert any(entry == name or entry.endswith("/" + name) for entry in listed), f"{engine}: {name!r} not in {listed}"
        assert server.request("DatabaseManager.drop_database", {"database_url": base, "name": name}) is True
        listed = server.request("DatabaseManager.list_databases", {"database_url": base})
        assert not any(entry == name or entry.endswith("/" + name) for entry in listed), engine
    # A NUL byte cannot be part of a name on any engine: a clear error, nothing created.
    with pytest.raises(RpcError) as raised:
        server.request("DatabaseManager.create_database", {"database_url": base, "name": "dbm_nul\u0000x"})
    assert raised.value.code in (-32010, -32602), raised.value.data
    assert raised.value.message
    # A very long name: created and dropped under exactly that name, or refused with a clear error.
    long_name = "dbm_" + "l" * 300
    try:
        server.request("DatabaseManager.create_database", {"database_url": base, "name": long_name})
    except RpcError as error:
        assert error.code in (-32010, -32602) and error.data.get("type") in ("DatabaseError", None), error.data
        assert "name" in error.message.lower() or "long" in error.message.lower() or error.data.get("kind"), error.message
    else:
        server.request("DatabaseManager.drop_database", {"database_url": base, "name": long_name})


HOSTILE_VALUES = ["x'; DROP TABLE canary; --", 'x"; DROP TABLE canary; --', "a\\b", "Zoë 名前 🚀 \u202e", "?", ":n", "$1", "l" * 20000]


@pytest.mark.parametrize("scratch", ENGINES, indirect=True)
def test_hostile_parameter_values_round_trip(server, scratch):
    engine, _, url = scratch
    server.request("DatabaseManager.execute_query", {"database_url": url, "query": "CREATE TABLE vals (id INTEGER, v TEXT)"})
    for i, value in enumerate(HOSTILE_VALUES):
        server.request("DatabaseManager.execute_query", {"database_url": url, "query": "INSERT INTO vals (id, v) VALUES (:id, :v)", "params": {"id": i, "v": value}})
        got = scalar(server, url, "SELECT v FROM vals WHERE id = :id", {"id": i})
        assert got == value, f"{engine}: {value[:40]!r} came back as {str(got)[:40]!r}"
        assert int(scalar(server, url, "SELECT count(*) FROM vals WHERE v = :v", {"v": value})) == 1
    # NUL inside a value: stored exactly, or (PostgreSQL text) a clear DatabaseError.
    try:
        server.request("DatabaseManager.execute_query", {"database_url": url, "query": "INSERT INTO vals (id, v) VALUES (:id, :v)", "params": {"id": 99, "v": "a\u0000b"}})
    except RpcError as error:
        assert error.code == -32010 and error.data["type"] == "DatabaseError", error.data
    else:
        assert scalar(server, url, "SELECT v FROM vals WHERE id = 99") in ("a\u0000b",), engine
    # Huge and odd numbers: bound exactly or a clear error, never a crash.
    for number in [2 ** 63 - 1, -(2 ** 63), 2 ** 64, 1e308]:
        try:
            scalar(server, url, "SELECT :n AS n", {"n": number})
        except RpcError as error:
            assert error.code in (-32010, -32602), error.data
    assert int(scalar(server, url, "SELECT count(*) FROM canary")) == 1


HOSTILE_DESCRIPTIONS = [
    "x'; DROP TABLE canary; --",
    'x"; DROP TABLE canary; --',
    "semi;colon",
    "line\nDROP TABLE canary;",
    "carriage\rDROP TABLE canary;",
    "sep\u2028DROP TABLE canary;",
    "Zoë 名前 🎉 \u202eRTL",
    "long " + "é" * 3000,
]


def history_of(server, params):
    return {entry["revision"]: entry for entry in server.request("MigrationManager.get_migration_history", params)}


@pytest.mark.parametrize("scratch", ENGINES, indirect=True)
def test_create_migration_with_hostile_descriptions(server, scratch, tmp_path):
    """Descriptions become an ASCII file-name slug and a comment line no character can leave; each
    migration runs exactly its own SQL and the history records it; NUL, and revisions or dependencies that
    could leave the directory or the comment line, are refused before anything is written."""
    engine, _, url = scratch
    directory = tmp_path / "migrations"
    params = {"migration_dir": str(directory), "database_url": url}
    created = []
    for n, description in enumerate(HOSTILE_DESCRIPTIONS, start=1):
        migration = server.request("MigrationManager.create_migration", {**params, "description": description,
            "upgrade_sql": f"CREATE TABLE m{n} (id INTEGER)", "downgrade_sql": f"DROP TABLE m{n}"})
        created.append(migration)
    for path in directory.rglob("*"):
        assert path.name.isascii() and len(path.name) < 100 and not set(path.name) & set("'\";\r\n "), path.name
    # The comment header never carries a line break, so a description never reaches SQL as code.
    for path in directory.rglob("*.sql"):
        for line in path.read_text().split("\n"):
            assert "\r" not in line and "\u2028" not in line, (path.name, line)
            assert "DROP TABLE canary" not in line or line.startswith("--"), (path.name, line)
    result = server.request("run_migrations", params)
    assert result["success"] is True and result["migrations_executed"] == len(HOSTILE_DESCRIPTIONS), result
    assert scalar(server, url, "SELECT count(*) FROM canary") == 1
    for n in range(1, len(HOSTILE_DESCRIPTIONS) + 1):
        assert table_exists(server, engine, url, f"m{n}")
    history = history_of(server, params)
    assert sorted(history) == sorted(m["revision"] for m in created), (sorted(history), created)
    for migration in created:
        entry = history[migration["revision"]]
        assert entry["success"] is True and entry["description"] == migration["description"], (entry, migration)
        assert entry["checksum"] == migration["checksum"]

    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for bad in [{"description": "nul\x00byte"}, {"description": "x", "revision": "../../escape"}, {"description": "x", "revision": "9\nDROP TABLE canary"},
                {"description": "x", "revision": "/tmp/abs"}, {"description": "x", "revision": "x" * 300},
                {"description": "x", "dependencies": ["0001\nDROP TABLE canary; --"]}]:
        with pytest.raises(RpcError) as raised:
            server.request("MigrationManager.create_migration", {**params, "upgrade_sql": "SELECT 1", **bad})
        assert raised.value.data["type"] == "MigrationError" and raised.value.data.get("kind") == "invalid_request", (bad, raised.value.data)
        assert "NUL" in raised.value.message or "plain version" in raised.value.message, raised.value.message
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "a refused migration wrote something"


HOSTILE_FILE_NAMES = {
    "0001_quote'; DROP TABLE canary; --": "CREATE TABLE f1 (id INTEGER)",
    '0002_dq"; DROP TABLE canary': "CREATE TABLE f2 (id INTEGER)",
    "0003_Zoë_名前_🎉": "CREATE TABLE f3 (id INTEGER)",
    "0004_" + "n" * 200: "CREATE TABLE f4 (id INTEGER)",
    "0005_back\\slash `tick` $1 ?": "CREATE TABLE f5 (id INTEGER)",
}


@pytest.mark.parametrize("scratch", ENGINES, indirect=True)
def test_migration_files_with_hostile_names(server, scratch, tmp_path):
    """golang-migrate files whose names carry quotes, semicolons, backslashes, placeholders, Unicode and
    200 characters: the descriptions taken from the names go into the history as bound values, exactly."""
    engine, _, url = scratch
    directory = tmp_path / "files"
    directory.mkdir()
    for stem, sql in HOSTILE_FILE_NAMES.items():
        (directory / f"{stem}.up.sql").write_text(sql + ";\n")
        (directory / f"{stem}.down.sql").write_text(f"DROP TABLE {sql.split()[2]};\n")
    params = {"migration_dir": str(directory), "database_url": url}
    pending = server.request("MigrationManager.get_pending_migrations", params)
    assert [m["revision"] for m in pending] == ["1", "2", "3", "4", "5"] or [m["revision"] for m in pending] == ["0001", "0002", "0003", "0004", "0005"], pending
    result = server.request("run_migrations", params)
    assert result["success"] is True and result["migrations_executed"] == 5, result
    assert scalar(server, url, "SELECT count(*) FROM canary") == 1
    history = history_of(server, params)
    for migration in pending:
        entry = history[migration["revision"]]
        assert entry["success"] is True and entry["description"] == migration["description"], (entry, migration)
    descriptions = " ".join(m["description"] for m in pending)
    for fragment in ["'", '"', ";", "Zoë", "名前", "🎉", "\\", "`", "$1", "?"]:
        assert fragment in descriptions, (fragment, descriptions)
    assert any(len(m["description"]) >= 200 for m in pending)
    for n in range(1, 6):
        assert table_exists(server, engine, url, f"f{n}")
    assert server.request("MigrationManager.validate_migrations", params) == []
