#!/usr/bin/env bash
# Installs the system packages dbm builds and tests with, when they are missing (Debian; needs root).
set -euo pipefail
need=()
for pkg in libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-15-hypopg \
           libmariadb-dev mariadb-server mariadb-client zlib1g-dev libbz2-dev libzstd-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
# contrib (pg_stat_statements) ships inside postgresql-15 on Debian 12; postgresql-contrib is a virtual
# package there, so check for the extension itself.
[ -f /usr/share/postgresql/15/extension/pg_stat_statements.control ] || need+=("postgresql-contrib")
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
    echo "install-deps: missing ${need[*]}; run as root or install them: apt-get install -y ${need[*]}" >&2
    exit 1
fi
echo "install-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# postgresql-contrib-15 is a virtual package on some releases; install what resolves.
# --no-upgrade: never replace the binaries of a server that may be running.
apt-get install -y -qq --no-upgrade "${need[@]}" >/dev/null 2>&1 || {
    for pkg in "${need[@]}"; do apt-get install -y -qq --no-upgrade "$pkg" >/dev/null 2>&1 || echo "install-deps: could not install $pkg" >&2; done
}
# The Debian packages start a system MariaDB/PostgreSQL where they can; the tests use their own servers.
