"""The migrations section of `make bench` (issue 5): 1,000 small migrations applied by dbm's MigrationsBench and by
Alembic, to SQLite and PostgreSQL, next to the engine's own client running the same SQL as one script (the floor).

Alembic, SQLAlchemy and psycopg2 are installed at run time into a virtual environment under .tmp/bench (never
into the system Python). Both tools are timed in-process (interpreter and binary start-up excluded): dbm's
`MigrationManager.upgrade()` and Alembic's `command.upgrade(cfg, "head")`, each followed by a second run with
nothing to apply. Alembic uses the `alembic init` template's env.py (online mode, one connection).
"""
import json
import os
import subprocess
import sys
import time
import urllib.parse

COUNT = int(os.environ.get("DBM_BENCH_MIGRATIONS", "1000"))
RUNS = int(os.environ.get("DBM_BENCH_RUNS", "3"))

ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None,
                      transaction_per_migration=config.get_main_option("dbm_per_migration") == "true")
    with context.begin_transaction():
        context.run_migrations()
'''

TIMER_PY = '''import json, sys, time
from alembic import command
from alembic.config import Config

cfg = Config()
cfg.set_main_option("script_location", sys.argv[1])
cfg.set_main_option("sqlalchemy.url", sys.argv[2])
cfg.set_main_option("dbm_per_migration", sys.argv[3])
t0 = time.perf_counter()
command.upgrade(cfg, "head")
t1 = time.perf_counter()
command.upgrade(cfg, "head")
t2 = time.perf_counter()
print(json.dumps({"apply_seconds": t1 - t0, "noop_ms": (t2 - t1) * 1000}))
'''


def up_sql(i):
    """The same two statements MigrationsBench generates for migration i."""
    return [f"CREATE TABLE bench_{i} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)",
            f"INSERT INTO bench_{i} (id, name) VALUES (1, 'row {i}')"]


def alembic_python(tmp):
    """The venv's python with alembic, sqlalchemy and psycopg2-binary, created and filled on first use."""
    venv = os.path.join(tmp, "alembic-venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    probe = subprocess.run([python, "-c", "import alembic, sqlalchemy, psycopg2"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "-q", "alembic", "sqlalchemy", "psycopg2-binary"], check=True)
    return python


def alembic_project(tmp):
    """A script directory with COUNT revisions in a chain, each running up_sql(i)."""
    project = os.path.join(tmp, "alembic-project")
    versions = os.path.join(project, "versions")
    os.makedirs(versions, exist_ok=True)
    for name in os.listdir(versions):
        os.remove(os.path.join(versions, name))
    with open(os.path.join(project, "env.py"), "w") as f:
        f.write(ENV_PY)
    for i in range(1, COUNT + 1):
        down = f'"r{i - 1:04d}"' if i > 1 else "None"
        body = "\n".join(f"    op.execute({json.dumps(s)})" for s in up_sql(i))
        with open(os.path.join(versions, f"r{i:04d}_table_{i}.py"), "w") as f:
            f.write(f'from alembic import op\n\nrevision = "r{i:04d}"\ndown_revision = {down}\nbranch_labels = None\n'
                    f'depends_on = None\n\n\ndef upgrade():\n{body}\n\n\ndef downgrade():\n    op.execute("DROP TABLE bench_{i}")\n')
    return project


def run_alembic(python, project, url, per_migration):
    out = subprocess.check_output([python, "-c", TIMER_PY, project, url, "true" if per_migration else "false"],
                                  stderr=subprocess.DEVNULL)
    return json.loads(out.decode().strip().splitlines()[-1])


def sqlite_one_transaction_floor(tmp):
    """`sqlite3` running the statements wrapped in BEGIN/COMMIT (the plain script commits every statement)."""
    path = os.path.join(tmp, "floor-tx.db")
    if os.path.exists(path):
        os.remove(path)
    script = "BEGIN;\n" + "".join(f"{s};\n" for i in range(1, COUNT + 1) for s in up_sql(i)) + "COMMIT;\n"
    t0 = time.perf_counter()
    subprocess.run(["sqlite3", path], input=script.encode(), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def measure(root, tmp, pg, pg_env, psql):
    """Runs everything and returns the Markdown lines of the section."""
    bench = os.path.join(root, "Packages", "Migrations", ".build", "release", "MigrationsBench")
    env = {**os.environ, "DBM_BENCH_POSTGRES_URL": os.environ["DBM_TEST_POSTGRES_URL"]}
    # Best of RUNS for every tool (a single run on this shared machine varied by up to 2x).
    runs = [json.loads(subprocess.check_output([bench, str(COUNT), "--json"], env=env).decode().strip().splitlines()[-1])
            for _ in range(RUNS)]
    dbm = dict(runs[0])
    for engine in ("sqlite", "postgresql"):
        if isinstance(runs[0].get(engine), dict):
            dbm[engine] = min((run[engine] for run in runs), key=lambda r: r["apply_seconds"])

    python = alembic_python(tmp)
    project = alembic_project(tmp)
    password = f":{pg.password}" if pg.password else ""
    alembic = {}
    for per_migration in (False, True):
        sqlite_file = os.path.join(tmp, "alembic.db")
        sqlite_runs, postgresql_runs = [], []
        for _ in range(RUNS):
            if os.path.exists(sqlite_file):
                os.remove(sqlite_file)
            sqlite_runs.append(run_alembic(python, project, f"sqlite:///{sqlite_file}", per_migration))
            subprocess.run(psql("-c", "DROP DATABASE IF EXISTS dbm_bench_alembic", "-c", "CREATE DATABASE dbm_bench_alembic", db="postgres"),
                           check=True, env=pg_env(), stderr=subprocess.DEVNULL)
            postgresql_runs.append(run_alembic(
                python, project, f"postgresql+psycopg2://{pg.username}{password}@{pg.hostname}:{pg.port}/dbm_bench_alembic", per_migration))
        alembic[("sqlite", per_migration)] = min(sqlite_runs, key=lambda r: r["apply_seconds"])
        alembic[("postgresql", per_migration)] = min(postgresql_runs, key=lambda r: r["apply_seconds"])
    subprocess.run(psql("-c", "DROP DATABASE IF EXISTS dbm_bench_alembic", db="postgres"), check=True, env=pg_env())
    sqlite_tx_floor = sqlite_one_transaction_floor(tmp)

    lines = [f"### Migrations: apply {COUNT:,} small migrations (issue 5; targets: at least 10x faster than Alembic, within 2x of the floor)", "",
             "| engine | dbm (s) | Alembic, default env.py (s) | Alembic, a transaction per migration (s) | floor: one script (s) | "
             "Alembic/dbm (default, per migration) | dbm/floor | nothing to apply: dbm / Alembic (ms) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for engine, label in [("sqlite", "SQLite"), ("postgresql", "PostgreSQL")]:
        d, a, t = dbm[engine], alembic[(engine, False)], alembic[(engine, True)]
        floor = d.get("floor_seconds")
        floor_text = f"{floor:.3f}" if floor else "n/a"
        ratio = f"{d['apply_seconds'] / floor:.2f}x" if floor else "n/a"
        lines.append(f"| {label} | {d['apply_seconds']:.3f} | {a['apply_seconds']:.3f} | {t['apply_seconds']:.3f} | {floor_text} | "
                     f"{a['apply_seconds'] / d['apply_seconds']:.1f}x, {t['apply_seconds'] / d['apply_seconds']:.1f}x | {ratio} | "
                     f"{d['noop_ms']:.1f} / {a['noop_ms']:.1f} |")
    lines += ["", "Each migration creates a table and inserts a row (`Packages/Migrations/Sources/MigrationsBench`, the same SQL as "
              f"Alembic revisions with `op.execute`; the best of {RUNS} runs of each tool). dbm runs each migration in its own transaction with a checksummed history row "
              "and the migration lock; Alembic runs the `alembic init` env.py (one transaction on PostgreSQL). The floor is "
              "`sqlite3 FILE < script.sql` and `psql -q < script.sql` with the same statements without any bookkeeping. Both tools are "
              "timed in-process (start-up excluded). "
              f"The SQLite script floor commits (and syncs) every statement; wrapped in one BEGIN/COMMIT it takes {sqlite_tx_floor:.3f} s, "
              f"and dbm/that is {dbm['sqlite']['apply_seconds'] / sqlite_tx_floor:.2f}x (dbm keeps a run's SQLite migrations in "
              "savepoints of one transaction under the lock)."]
    return lines
