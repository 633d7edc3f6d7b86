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

step() { echo; echo "== $*"; }
run() { echo "\$ dbm-client $*"; "$client" "$@"; }

step "1. create a database (a SQLite file)"
run db create "$DATABASE_URL"

step "2. create tables and insert rows with bound parameters (named and positional)"
run query "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, credit DECIMAL(10,2), joined DATE)"
run query "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total DECIMAL(10,2), placed_at TIMESTAMP)"
run query "INSERT INTO customers (name, credit, joined) VALUES (:name, :credit, :joined)" \
    --param name="Ada Lovelace" --param credit='{"$type": "decimal", "value": "1250.50"}' --param joined='{"$type": "date", "value": "2024-03-01"}'
run query "INSERT INTO customers (name, credit, joined) VALUES (?, ?, ?)" --arg "O'Brien; DROP TABLE customers; --" --arg null --arg null
run query "INSERT INTO orders (customer_id, total, placed_at) VALUES (1, 99.90, '2024-03-02 10:00:00'), (1, 15.00, '2024-03-05 16:30:00')"

step "3. query with a join"
run query "SELECT c.name, count(o.id) AS orders, sum(o.total) AS spent FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.id"

step "4. a constraint violation is a typed DatabaseError with SQLite's own code"
if run query "INSERT INTO customers (name) VALUES (:n)" --param n="Ada Lovelace"; then
    echo "expected a unique violation" >&2; exit 1
fi

step "5. database info and a health check"
run db info
run db health

step "6. the same over raw JSON-RPC (any method, JSON params)"
run call DatabaseManager.execute_query '{"query": "SELECT count(*) AS customers FROM customers"}'

step "7. back up the database (zstd chunks, SHA-256 each), verify every chunk, restore into a new file"
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

step "8. every method the server offers (from rpc.discover)"
run methods

echo
echo "demo finished: $demo/shop.db"
