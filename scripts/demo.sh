#!/usr/bin/env bash
# `make demo`: the tour a newcomer takes. Everything runs on an embedded SQLite database; no server needed.
# Each step is a real dbm-client command talking to dbm-server over JSON-RPC on stdio.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

echo "== building dbm-server and dbm-client"
swift build 2>&1 | grep -E "error|warning: unre|Compiling dbm|Build complete" || true
bin="$(swift build --show-bin-path)"
client="$bin/dbm-client"
demo="$root/.tmp/demo"
rm -rf "$demo"; mkdir -p "$demo"
export DATABASE_URL="sqlite:///$demo/shop.db"
# The monitoring workspace: metrics history and the server's record of the statements it runs.
export DBM_WORKSPACE_DIR="$demo/monitoring"

step() { echo; echo "== $*"; }
run() { echo "\$ dbm-client $*"; "$client" "$@"; }

step "1. create a database (a SQLite file)"
run db create "$DATABASE_URL"

step "2. a schema from a template: DDL for SQLite, applied, then inspected back from the live database"
run schema template todo_application --dialect sqlite | sed -n 1,12p
"$client" schema template todo_application --dialect sqlite --json > "$demo/todo.json"
run schema apply "$demo/todo.json" --url "sqlite:///$demo/todo.db"
run schema diff "$demo/todo.json" "sqlite:///$demo/todo.db"
run schema inspect --url "sqlite:///$demo/todo.db" --format sql --dialect postgresql | sed -n 1,8p

step "3. create tables and insert rows with bound parameters (named and positional)"
run query "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, credit DECIMAL(10,2), joined DATE)"
run query "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total DECIMAL(10,2), placed_at TIMESTAMP)"
run query "INSERT INTO customers (name, credit, joined) VALUES (:name, :credit, :joined)" \
    --param name="Ada Lovelace" --param credit='{"$type": "decimal", "value": "1250.50"}' --param joined='{"$type": "date", "value": "2024-03-01"}'
run query "INSERT INTO customers (name, credit, joined) VALUES (?, ?, ?)" --arg "O'Brien; DROP TABLE customers; --" --arg null --arg null
run query "INSERT INTO orders (customer_id, total, placed_at) VALUES (1, 99.90, '2024-03-02 10:00:00'), (1, 15.00, '2024-03-05 16:30:00')"

step "4. query with a join"
run query "SELECT c.name, count(o.id) AS orders, sum(o.total) AS spent FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.id"

step "5. a constraint violation is a typed DatabaseError with SQLite's own code"
if run query "INSERT INTO customers (name) VALUES (:n)" --param n="Ada Lovelace"; then
    echo "expected a unique violation" >&2; exit 1
fi

step "6. database info and a health check"
run db info
run db health

step "7. monitoring: samples with history, a query's plan and timing, a missing index fixed with a measured speed-up and rolled back, a report"
run query "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000) INSERT INTO orders (customer_id, total, placed_at) SELECT 1 + n % 2, n % 97, '2024-04-01 00:00:00' FROM g"
run monitor --interval 0.5 --samples 3
lookup="SELECT id, placed_at FROM orders WHERE total = 42"
run monitor query "$lookup" --runs 3
run optimize --type query --workload "$lookup" --apply | tee "$demo/optimize.txt"
optimization="$(sed -n 's/^undo with: dbm-client optimize --rollback //p' "$demo/optimize.txt")"
run optimize --rollback "$optimization"
run report --format html --output "$demo/report.html"
run monitor summary | sed -n 1,4p
# SQLite keeps no statement statistics: the slowest statements come from the server's own record of the
# statements it ran (literals normalised to ?), kept in the workspace across dbm-client calls.
run monitor slow --limit 3

step "8. the same over raw JSON-RPC (any method, JSON params)"
run call DatabaseManager.execute_query '{"query": "SELECT count(*) AS customers FROM customers"}'

step "9. migrations: create two, apply them, show status and history, roll one back"
migrations="$demo/migrations"
migrate_url="sqlite:///$demo/blog.db"
run migrate create "create authors" --dir "$migrations" \
    --up-sql "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);" --down-sql "DROP TABLE authors;"
run migrate create "create posts" --dir "$migrations" \
    --up-sql "CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(id), title TEXT);" --down-sql "DROP TABLE posts;"
run migrate up --dir "$migrations" --url "$migrate_url" --dry-run
run migrate up --dir "$migrations" --url "$migrate_url"
run migrate status --dir "$migrations" --url "$migrate_url"
run migrate history --dir "$migrations" --url "$migrate_url"
run migrate down --dir "$migrations" --url "$migrate_url" --steps 1
run migrate validate --dir "$migrations" --url "$migrate_url"
run migrate status --dir "$migrations" --url "$migrate_url"

step "10. back up the database (zstd chunks, SHA-256 each), verify every chunk, restore into a new file"
backups="$demo/backups"
run backup create --destination "$backups" --compression zstd --name shop
backup_id="$("$client" backup list --destination "$backups" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')"
run backup verify "$backup_id" --destination "$backups"
run backup restore "$backup_id" --destination "$backups" --target "sqlite:///$demo/restored.db"
original="$("$client" query --json "SELECT count(*) AS n, sum(total) AS total FROM orders")"
restored="$("$client" query --json --url "sqlite:///$demo/restored.db" "SELECT count(*) AS n, sum(total) AS total FROM orders")"
echo "orders in shop.db: $original"
echo "orders in restored.db: $restored"
if [ "$original" != "$restored" ]; then echo "restored rows differ" >&2; exit 1; fi

step "11. every method the server offers (from rpc.discover)"
run methods

echo
echo "demo finished: $demo/shop.db"
