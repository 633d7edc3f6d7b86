#!/usr/bin/env bash
# Peak memory of each backup operation as a user runs it: `dbm-client` (and the `dbm-server` it starts)
# under /usr/bin/time, whose maximum resident set covers both processes.
#
#   scripts/backup-memory.sh DATABASE_URL [SERVER_URL]
#
# Takes a full backup of DATABASE_URL, changes every hundredth row of `bench_order` (the table BackupsBench
# generates; skipped when the database has none), takes an incremental backup, verifies it and restores it
# into a new database `dbm_memory_restore` on SERVER_URL (PostgreSQL and MariaDB; default: DATABASE_URL's
# server) or a scratch file (SQLite). Prints one line per operation: its peak RSS and wall time.
# Uses the release build (`swift build -c release`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
client="$root/.build/release/dbm-client"
url="${1:?usage: scripts/backup-memory.sh DATABASE_URL [SERVER_URL]}"
server="${2:-}"
[ -x "$client" ] || { echo "build the release binaries first: swift build -c release" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() {  # label, then the dbm-client arguments
    local label="$1"; shift
    /usr/bin/time -o "$work/time" -f "%M %e" "$client" "$@" --json > /dev/null
    read -r kib seconds < "$work/time"
    printf '%-12s peak %4d MiB  %6.2f s\n' "$label" $((kib / 1024)) "$seconds"
}

measure full backup create --url "$url" --destination "$work/backups"
"$client" query --url "$url" "UPDATE bench_order SET amount = amount + 1 WHERE id % 100 = 0" > /dev/null 2>&1 \
    || echo "(no bench_order table: the incremental backs up an unchanged database)"
measure incremental backup create --url "$url" --destination "$work/backups" --type incremental
newest="$(ls "$work/backups" | sort | tail -1)"
measure verify backup verify "$newest" --destination "$work/backups"
case "$url" in
    sqlite:*) measure restore backup restore "$newest" --destination "$work/backups" --target "sqlite:///$work/restored.db" ;;
    *)
        base="${server:-${url%/*}/postgres}"
        [[ "$url" == mysql:* && -z "$server" ]] && base="$url"
        "$client" db drop dbm_memory_restore --if-exists --url "$base" > /dev/null
        measure restore backup restore "$newest" --destination "$work/backups" --target dbm_memory_restore --url "$base"
        "$client" db drop dbm_memory_restore --if-exists --url "$base" > /dev/null ;;
esac
