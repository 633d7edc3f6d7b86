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

# Prints a test log's failures and its totals (XCTest and Swift Testing).
report() {
    grep -E "error:|: failed|with [1-9][0-9]* failures?|✘|skipped" "$1" | grep -v "with 0 failures" | head -40
    grep -E "Executed [0-9]+ tests?, with" "$1" | tail -1
    grep -E "^✔ Test run with [0-9]+ tests|^✘ Test run with" "$1" | tail -1
}

packages="${DBM_TEST_PACKAGES:-Drivers JSONRPC Schema Migrations Backups Monitoring}"
failed=()
summary=()
for pkg in $packages; do
    dir="Packages/$pkg"
    [ -f "$dir/Package.swift" ] || continue
    # A package whose Tests/ holds no test yet has nothing to run.
    if [ -z "$(find "$dir/Tests" -name '*.swift' 2>/dev/null | head -1)" ]; then continue; fi
    echo "=== swift test: $pkg"
    swift test --package-path "$dir" > ".tmp/test-$pkg.log" 2>&1
    rc=$?
    report ".tmp/test-$pkg.log"
    if [ "$rc" -ne 0 ]; then failed+=("$pkg"); fi
    summary+=("$pkg: $(grep -E 'Executed [0-9]+ tests?, with' ".tmp/test-$pkg.log" | tail -1 | sed 's/^[[:space:]]*//') $(grep -E '^. Test run with' ".tmp/test-$pkg.log" | tail -1)")
done

echo "=== swift test: root (integration tests)"
if swift build 2>&1 | tail -3 && [ "${PIPESTATUS[0]}" -eq 0 ]; then
    swift test > .tmp/test-root.log 2>&1
    rc=$?
    report .tmp/test-root.log
    [ "$rc" -ne 0 ] && failed+=("integration")
    summary+=("integration: $(grep -E 'Executed [0-9]+ tests?, with' .tmp/test-root.log | tail -1 | sed 's/^[[:space:]]*//')")

    echo "=== pytest: Tests/python (dbm-server driven from Python over stdio)"
    DBM_SERVER="$root/.build/debug/dbm-server" python3 -m pytest -q -p no:cacheprovider Tests/python > .tmp/test-python.log 2>&1
    rc=$?
    tail -15 .tmp/test-python.log
    summary+=("python: $(tail -1 .tmp/test-python.log)")
    # pytest exits 5 when it collected no test; that is a failure here too.
    [ "$rc" -ne 0 ] && failed+=("python")
else
    failed+=("root build")
fi

echo "=== summary"
for line in "${summary[@]}"; do echo "  $line"; done
# Totals over every runner: XCTest's last "Executed N tests, with F failures", Swift Testing's
# "Test run with N tests", pytest's "N passed, F failed".
totals=$(python3 - .tmp/test-*.log <<'PY'
import re, sys
passed = failed = 0
for path in sys.argv[1:]:
    text = open(path, errors="replace").read()
    xc = re.findall(r"Executed (\d+) tests?, with (?:(\d+) tests? skipped and )?(\d+) failures?", text)
    if xc:
        n, skipped, f = xc[-1]; n, f = int(n), int(f); passed += n - int(skipped or 0) - f; failed += f
    st = re.findall(r"Test run with (\d+) tests?(?: in \d+ suites?)? (passed|failed)(?:.*?with (\d+) issues?)?", text)
    if st:
        n, outcome, issues = st[-1]; n = int(n)
        if outcome == "passed": passed += n
        else: failed += max(1, int(issues or 1)); passed += max(0, n - int(issues or 1))
    py = re.findall(r"(?:(\d+) failed, )?(\d+) passed", text) if path.endswith("python.log") else []
    if py:
        f, n = py[-1]; passed += int(n); failed += int(f or 0)
print(f"{passed} passed, {failed} failed")
PY
)
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    echo "$totals"
    exit 1
fi
echo "all test suites passed"
echo "$totals"
