#!/usr/bin/env bash
# `make bench`: every benchmark next to its reference tool, in one run; figures go to Docs/benchmarks.md.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh || true
scripts/test-servers.sh start || exit 1
trap 'scripts/test-servers.sh stop' EXIT
# shellcheck disable=SC1091
source .tmp/test-env.sh
echo "== building release binaries"
swift build -c release 2>&1 | tail -1
swift build -c release --package-path Packages/Drivers --product DriversBench 2>&1 | tail -1
swift build -c release --package-path Packages/Monitoring --product MonitoringBench 2>&1 | tail -1
swift build -c release --package-path Packages/Backups --product BackupsBench 2>&1 | tail -1
swift build -c release --package-path Packages/Migrations --product MigrationsBench 2>&1 | tail -1
python3 scripts/bench.py "$@"
