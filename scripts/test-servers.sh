#!/usr/bin/env bash
# Starts and stops the throwaway PostgreSQL 15 and MariaDB servers that `make test` and `make bench` use.
#
#   scripts/test-servers.sh start   # starts both on 127.0.0.1, writes .tmp/test-env.sh with their URLs
#   scripts/test-servers.sh stop    # stops both and removes their data directories
#
# Data lives in a temporary directory; nothing outside it is touched. Under CI=true a server that cannot
# start is an error (exit 1); otherwise the failure is reported and the URL is left unset, so the tests
# that need that server say they were skipped and why.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.tmp"
envfile="$state/test-env.sh"
pg_port="${DBM_TEST_PG_PORT:-55432}"
my_port="${DBM_TEST_MY_PORT:-53306}"
password="dbm-test-pw"
pgbin="$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v pg_ctl)")"

log() { echo "test-servers: $*" >&2; }

fail_or_warn() {
    if [ "${CI:-}" = "true" ]; then log "ERROR: $*"; exit 1; fi
    log "WARNING: $*"
}

# A throwaway CA, a server certificate it signed for 127.0.0.1/localhost, and a second, unrelated CA
# (for the wrong-CA tests). Both servers then accept TLS as well as plain connections: the URLs without
# TLS parameters keep working. Without openssl the servers start without TLS.
make_tls() {
    local dir="$state/tls"
    rm -rf "$dir"; mkdir -p "$dir"
    if ! command -v openssl >/dev/null; then fail_or_warn "openssl is not installed: the servers start without TLS"; return 1; fi
    if ! (
        cd "$dir" || exit 1
        openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=dbm test CA" -keyout ca.key -out ca.crt &&
        openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=dbm unrelated CA" -keyout wrong-ca.key -out wrong-ca.crt &&
        openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr &&
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext &&
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3 -extfile server.ext -out server.crt
    ) >"$dir/openssl.log" 2>&1; then
        cat "$dir/openssl.log" >&2; rm -rf "$dir"; fail_or_warn "could not make the TLS test certificates"; return 1
    fi
    chmod 644 "$dir"/*.crt; chmod 600 "$dir"/*.key
    echo "export DBM_TEST_TLS_CA='$dir/ca.crt'" >> "$envfile"
    echo "export DBM_TEST_TLS_WRONG_CA='$dir/wrong-ca.crt'" >> "$envfile"
    log "TLS: test CA $dir/ca.crt"
}

start_postgres() {
    local dir="$state/pg"
    rm -rf "$dir"; mkdir -p "$dir"
    local runas=()
    if [ "$(id -u)" = "0" ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown -R postgres "$dir"; chmod 700 "$dir"
        runas=(runuser -u postgres --)
        # The path down to the data directory must be traversable by the postgres user.
        local p="$dir"; while [ "$p" != "/" ]; do p="$(dirname "$p")"; chmod o+x "$p" 2>/dev/null || true; done
    fi
    printf '%s\n' "$password" > "$dir/pwfile"; [ ${#runas[@]} -gt 0 ] && chown postgres "$dir/pwfile"
    if ! "${runas[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2; fail_or_warn "PostgreSQL initdb failed"; return 1
    fi
    rm -f "$dir/pwfile"
    local tls=""
    if [ -f "$state/tls/server.crt" ]; then
        # PostgreSQL insists that its key belongs to it and is private.
        cp "$state/tls/server.crt" "$state/tls/server.key" "$dir/"
        [ ${#runas[@]} -gt 0 ] && chown postgres "$dir/server.crt" "$dir/server.key"
        chmod 600 "$dir/server.key"
        tls="-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
    fi
    if ! "${runas[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
            "-p $pg_port $tls -k $dir -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c track_io_timing=on" >/dev/null 2>&1; then
        cat "$dir/server.log" >&2; fail_or_warn "PostgreSQL did not start"; return 1
    fi
    echo "export DBM_TEST_POSTGRES_URL='postgresql://postgres:$password@127.0.0.1:$pg_port/postgres'" >> "$envfile"
    echo "export DBM_TEST_PG_SOCKET_DIR='$dir'" >> "$envfile"
    log "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
}

start_mariadb() {
    local dir="$state/mariadb"
    rm -rf "$dir"; mkdir -p "$dir"
    local installdb mariadbd
    installdb="$(command -v mariadb-install-db || command -v mysql_install_db)"
    mariadbd="$(command -v mariadbd || ls /usr/sbin/mariadbd 2>/dev/null || command -v mysqld)"
    if [ -z "$installdb" ] || [ -z "$mariadbd" ]; then fail_or_warn "MariaDB server is not installed"; return 1; fi
    local tls=()
    if [ -f "$state/tls/server.crt" ]; then
        tls=(--ssl-ca="$state/tls/ca.crt" --ssl-cert="$state/tls/server.crt" --ssl-key="$state/tls/server.key")
    fi
    if ! "$installdb" --no-defaults --datadir="$dir/data" --user="$(id -un)" --auth-root-authentication-method=normal \
            --skip-test-db >"$dir/install.log" 2>&1; then
        cat "$dir/install.log" >&2; fail_or_warn "mariadb-install-db failed"; return 1
    fi
    "$mariadbd" --no-defaults --datadir="$dir/data" --user="$(id -un)" --port="$my_port" --bind-address=127.0.0.1 \
        --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" \
        --performance-schema=ON --performance-schema-digests-size=20000 --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=256M \
        --max-connections=200 --skip-name-resolve "${tls[@]}" >/dev/null 2>&1 &
    for _ in $(seq 1 120); do
        [ -S "$dir/mysqld.sock" ] && mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" -e "SELECT 1" >/dev/null 2>&1 && break
        sleep 0.5
    done
    if ! mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" -e "SELECT 1" >/dev/null 2>&1; then
        cat "$dir/error.log" >&2; fail_or_warn "MariaDB did not start"; return 1
    fi
    mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" <<SQL
CREATE USER IF NOT EXISTS 'dbm'@'%' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'dbm'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'dbm'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'dbm'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS dbm_test;
FLUSH PRIVILEGES;
SQL
    echo "export DBM_TEST_MYSQL_URL='mysql://dbm:$password@127.0.0.1:$my_port/dbm_test'" >> "$envfile"
    echo "export DBM_TEST_MYSQL_SOCKET='$dir/mysqld.sock'" >> "$envfile"
    log "MariaDB $("$mariadbd" --version | awk '{print $3}') on 127.0.0.1:$my_port"
}

stop_all() {
    if [ -d "$state/pg/data" ]; then
        local runas=(); [ "$(id -u)" = "0" ] && runas=(runuser -u postgres --)
        "${runas[@]}" "$pgbin/pg_ctl" -D "$state/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -f "$state/mariadb/mysqld.pid" ]; then
        local pid; pid="$(cat "$state/mariadb/mysqld.pid" 2>/dev/null)"
        if [ -n "$pid" ]; then
            kill "$pid" 2>/dev/null
            for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$state/pg" "$state/mariadb" "$state/tls" "$envfile"
}

case "${1:-}" in
    start)
        mkdir -p "$state"
        stop_all
        : > "$envfile"
        make_tls
        start_postgres
        start_mariadb
        ;;
    stop) stop_all ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
