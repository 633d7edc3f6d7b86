#!/usr/bin/env python3
"""The benchmarks behind `make bench`. Each figure is measured here, next to its reference tool, in one run.

Writes the results between the GENERATED markers of Docs/benchmarks.md and prints them.
Environment: DBM_TEST_POSTGRES_URL and DBM_TEST_MYSQL_URL from scripts/test-servers.sh.
`scripts/bench.py migrations` runs only the migrations section and prints it.
"""
import json
import os
import resource
import subprocess
import sys
import time
import urllib.parse

import bench_migrations

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TMP = os.path.join(ROOT, ".tmp", "bench")
os.makedirs(TMP, exist_ok=True)
ROWS = int(os.environ.get("DBM_BENCH_ROWS", "1000000"))
RUNS = int(os.environ.get("DBM_BENCH_RUNS", "3"))
# Issue 6 measures backups on about 1 GiB per engine (about 11 minutes for the three engines).
BACKUP_MB = int(os.environ.get("DBM_BENCH_BACKUP_MB", "1024"))
# Every backup and restore (dbm's and the reference tools') runs this many times; the fastest counts.
BACKUP_RUNS = int(os.environ.get("DBM_BENCH_BACKUP_RUNS", "1"))
DRIVERS_BENCH = os.path.join(ROOT, "Packages", "Drivers", ".build", "release", "DriversBench")
SERVER = os.path.join(ROOT, ".build", "release", "dbm-server")
SERVER_BENCH = os.path.join(ROOT, ".build", "release", "ServerBench")
PG = urllib.parse.urlparse(os.environ["DBM_TEST_POSTGRES_URL"])
MY = urllib.parse.urlparse(os.environ["DBM_TEST_MYSQL_URL"])
QUERY = "SELECT id, name, amount, ratio, created_at, flag FROM bench"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, env=None):
    """Best wall time of RUNS runs, with the child's peak RSS (MiB); output to /dev/null."""
    best = None
    peak = 0.0
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        with open(os.devnull, "wb") as devnull:
            subprocess.run(cmd, check=True, stdout=devnull, env=env)
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, before / 1024)
    return best, peak


def driver(url):
    best = None
    result = None
    for _ in range(RUNS):
        out = json.loads(subprocess.check_output([DRIVERS_BENCH, url, QUERY]))
        assert out["rows"] == ROWS, out
        if best is None or out["seconds"] < best["seconds"]:
            best = out
        result = best
    return result


def pg_env():
    return {**os.environ, "PGPASSWORD": urllib.parse.unquote(PG.password or "")}


def psql(*args, db="dbm_bench"):
    return ["psql", "-X", "-q", "-h", PG.hostname, "-p", str(PG.port), "-U", PG.username, "-d", db, *args]


def mariadb(*args, db="dbm_bench"):
    return ["mariadb", "--no-defaults", "-h", MY.hostname, "-P", str(MY.port), "-u", MY.username,
            f"-p{urllib.parse.unquote(MY.password)}", db, *args]


def prepare():
    sqlite_file = os.path.join(TMP, "bench.db")
    if os.path.exists(sqlite_file):
        os.remove(sqlite_file)
    run(["sqlite3", sqlite_file,
         "CREATE TABLE bench (id INTEGER PRIMARY KEY, name TEXT, amount DECIMAL(12,2), ratio REAL, created_at TIMESTAMP, flag BOOLEAN);"
         f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {ROWS}) "
         "INSERT INTO bench SELECT n, 'name-' || n, round(n * 1.25, 2), n / 3.0, datetime('2024-01-01', '+' || n || ' seconds'), n % 2 FROM g;"])
    run(psql("-c", "DROP DATABASE IF EXISTS dbm_bench", "-c", "CREATE DATABASE dbm_bench", db="postgres"), env=pg_env())
    run(psql("-c", "CREATE TABLE bench AS SELECT g AS id, 'name-' || g AS name, (g * 1.25)::numeric(12,2) AS amount, "
             "g / 3.0::float8 AS ratio, timestamp '2024-01-01' + g * interval '1 second' AS created_at, g % 2 = 0 AS flag "
             f"FROM generate_series(1, {ROWS}) g"), env=pg_env())
    run(mariadb("-e", "DROP DATABASE IF EXISTS dbm_bench; CREATE DATABASE dbm_bench", db="mysql"))
    run(mariadb("-e", "CREATE TABLE bench (id INT PRIMARY KEY, name VARCHAR(40), amount DECIMAL(12,2), ratio DOUBLE, created_at DATETIME, flag BOOLEAN);"
                f"INSERT INTO bench SELECT seq, CONCAT('name-', seq), seq * 1.25, seq / 3, '2024-01-01' + INTERVAL seq SECOND, seq % 2 = 0 FROM seq_1_to_{ROWS}"))
    small = os.path.join(TMP, "rows100k.db")
    if os.path.exists(small):
        os.remove(small)
    run(["sqlite3", small, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount REAL, note TEXT);"
         "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000) "
         "INSERT INTO t SELECT n, 'name-' || n, n * 1.5, 'note ' || (n % 97) FROM g;"])
    return sqlite_file, small


def module_benches():
    """The modules' own benchmark executables; their result lines are recorded verbatim."""
    out = []
    for title, package, product, args in [
        ("Schema: inspect a PostgreSQL database of 1,000 tables (issue 4; target under 1 s, a fixed number of catalog queries)",
         "Schema", "SchemaBench", [os.environ["DBM_TEST_POSTGRES_URL"], "1000"]),
        ("Monitoring (issue 7; targets: collect_metrics on 1,000 tables under 200 ms, 1 s monitoring under 2% of a core, missing index at least 10x)",
         "Monitoring", "MonitoringBench", []),
        (f"Backups (issue 6; targets: PostgreSQL 0.8x of the best pg_dump/pg_restore, MariaDB 0.5x of mariadb-dump|gzip, SQLite 1.0x of .backup+gzip, incremental after 1% change at most 5% size and 50% time, peak under 128 MiB), generated databases of {BACKUP_MB} MB, " + ("one run of each tool" if BACKUP_RUNS == 1 else f"best of {BACKUP_RUNS} runs"),
         "Backups", "BackupsBench", ["--size-mb", str(BACKUP_MB), "--runs", str(BACKUP_RUNS)]),
    ]:
        binary = os.path.join(ROOT, "Packages", package, ".build", "release", product)
        if not os.path.exists(binary):
            subprocess.run(["swift", "build", "-c", "release", "--package-path", os.path.join(ROOT, "Packages", package),
                            "--product", product], check=True, stdout=subprocess.DEVNULL)
        result = subprocess.run([binary, *args], capture_output=True, text=True, timeout=1800)
        text = (result.stdout.strip() or result.stderr.strip() or "(no output)").splitlines()
        out += ["", f"### {title}", "", f"`{product}` (`swift run -c release --package-path Packages/{package} {product}`):", "", "```", *text, "```"]
    return out


def main():
    if sys.argv[1:] == ["migrations"]:
        # One section on its own, printed only (the GENERATED block is rewritten by full runs).
        print("\n".join(bench_migrations.measure(ROOT, TMP, PG, pg_env, psql)))
        return
    sqlite_file, small = prepare()
    pg_url = f"postgresql://{PG.username}:{PG.password}@{PG.hostname}:{PG.port}/dbm_bench"
    my_url = f"mysql://{MY.username}:{MY.password}@{MY.hostname}:{MY.port}/dbm_bench"
    results = []
    for engine, url, cli in [
        ("SQLite", f"sqlite:///{sqlite_file}", ["sqlite3", sqlite_file, QUERY]),
        ("PostgreSQL", pg_url, psql("-c", QUERY)),
        ("MariaDB", my_url, mariadb("-e", QUERY)),
    ]:
        cli_seconds, _ = timed(cli, env=pg_env())
        d = driver(url)
        results.append((engine, d["seconds"], cli_seconds, d["peak_rss_mib"]))

    # Best of RUNS server sessions, like every other figure here (each measure taken from its best run).
    sessions = [json.loads(subprocess.check_output([SERVER_BENCH, SERVER, small, "SELECT id, name, amount, note FROM t"]))
                for _ in range(RUNS)]
    server = {"p50_us": min(s["p50_us"] for s in sessions), "p99_us": min(s["p99_us"] for s in sessions),
              "calls_per_second": max(s["calls_per_second"] for s in sessions),
              "execute_query_seconds": min(s["execute_query_seconds"] for s in sessions)}
    sqlite_json, _ = timed(["sqlite3", "-json", small, "SELECT id, name, amount, note FROM t"])

    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    cpu = subprocess.check_output(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).decode().strip()
    lines = [f"Measured {stamp} on {os.cpu_count()} cores ({cpu}), best of {RUNS} runs, release builds, "
             f"throwaway servers from `scripts/test-servers.sh` (fsync off). Command: `make bench`.", "",
             f"### Drivers: stream {ROWS:,} rows of mixed types (issue 2; target: at most 1.2x the CLI, peak under 64 MiB)", "",
             "| engine | driver (s) | engine CLI to /dev/null (s) | ratio driver/CLI | driver peak RSS (MiB) |",
             "| --- | --- | --- | --- | --- |"]
    for engine, ds, cs, rss in results:
        lines.append(f"| {engine} | {ds:.3f} | {cs:.3f} | {ds / cs:.2f}x | {rss:.1f} |")
    lines += ["", "CLIs: `sqlite3 FILE QUERY`, `psql -X -q -c QUERY`, `mariadb -e QUERY`, each printing to /dev/null.", "",
              "### JSON-RPC server (issue 3; targets: p50 under 50 µs, 100,000 calls/s pipelined, execute_query at most 1.5x `sqlite3 -json`)", "",
              "| measure | dbm | reference | ratio |", "| --- | --- | --- | --- |",
              f"| round trip of a trivial call, p50 | {server['p50_us']:.1f} µs | | |",
              f"| round trip of a trivial call, p99 | {server['p99_us']:.1f} µs | | |",
              f"| pipelined calls per second | {server['calls_per_second']:,.0f} | | |",
              f"| `execute_query` returning 100,000 rows | {server['execute_query_seconds']:.3f} s | `sqlite3 -json` {sqlite_json:.3f} s | {server['execute_query_seconds'] / sqlite_json:.2f}x |",
              "", "The trivial call is `DatabaseConnection.get_connection_info` on `sqlite::memory:` (parse the URL, "
              "encode the redacted configuration), sent by a Swift client over pipes with Content-Length framing (`Tests/Benchmarks/ServerBench`). "
              "A request whose client waits for it starts on the server's reader thread (`Task.immediate`) and, never suspending, is answered "
              "without a thread hop; pipelined requests run on the cooperative pool and their answers share writes. Each measure is the best of "
              f"{RUNS} server sessions."]
    lines += module_benches()
    lines += [""] + bench_migrations.measure(ROOT, TMP, PG, pg_env, psql)
    block = "\n".join(lines)
    print(block)
    path = os.path.join(ROOT, "Docs", "benchmarks.md")
    text = open(path).read()
    start, end = "<!-- GENERATED BENCH: start -->", "<!-- GENERATED BENCH: end -->"
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    open(path, "w").write(before + start + "\n" + block + "\n" + end + after)


if __name__ == "__main__":
    main()
