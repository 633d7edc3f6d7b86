#!/usr/bin/env bash
# `make test`: install what is missing, start throwaway PostgreSQL and MariaDB servers, run every
# package's tests, the integration tests and the Python protocol client's tests, then stop the servers
# (also when a test fails).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh || { [ "${CI:-}" = "true" ] && exit 1; }

scripts/test-servers.sh start || exit 1
trap 'scripts/test-servers.sh stop' EXIT
# shellcheck disable=SC1091
source .tmp/test-env.sh

packages="${DBM_TEST_PACKAGES:-Drivers JSONRPC Schema Migrations Backups Monitoring}"
failed=()
summary=()
for pkg in $packages; do
    dir="Packages/$pkg"
    [ -f "$dir/Package.swift" ] || continue
    # A package whose Tests/ holds no test yet has nothing to run.
    if [ -z "$(find "$dir/Tests" -name '*.swift' 2>/dev/null | head -1)" ]; then continue; fi
    echo "=== swift test: $pkg"
    if swift test --package-path "$dir" 2>&1 | tee ".tmp/test-$pkg.log" | grep -E "error:|failed|passed|skipped|Executed|✘" ; then :; fi
    if [ "${PIPESTATUS[0]}" -ne 0 ]; then failed+=("$pkg"); fi
    summary+=("$pkg: $(grep -E 'Executed [0-9]+ tests' ".tmp/test-$pkg.log" | tail -1 | sed 's/^[[:space:]]*//')")
done

echo "=== swift test: root (integration tests)"
if swift build 2>&1 | tail -3 && [ "${PIPESTATUS[0]}" -eq 0 ]; then
    swift test 2>&1 | tee .tmp/test-root.log | grep -E "error:|failed|passed|skipped|Executed|✘"
    [ "${PIPESTATUS[0]}" -ne 0 ] && failed+=("integration")
    summary+=("integration: $(grep -E 'Executed [0-9]+ tests' .tmp/test-root.log | tail -1 | sed 's/^[[:space:]]*//')")

    echo "=== pytest: Tests/python (dbm-server driven from Python over stdio)"
    DBM_SERVER="$root/.build/debug/dbm-server" python3 -m pytest -q Tests/python 2>&1 | tee .tmp/test-python.log | tail -15
    rc=${PIPESTATUS[0]}
    # pytest exits 5 when it collected no test; that is a failure here too.
    [ "$rc" -ne 0 ] && failed+=("python")
else
    failed+=("root build")
fi

echo "=== summary"
for line in "${summary[@]}"; do echo "  $line"; done
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "all test suites passed"
