#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer target for the JSON-RPC decoder (Tests/Fuzz/ProtocolFuzzer) with
# -sanitize=fuzzer,address and runs it from the regression corpus for FUZZ_SECONDS (default 60).
# A crash, leak or timeout input is written to Tests/Fuzz/corpus/found-*.bin: commit it, so the pytest
# corpus replay (Tests/python/test_fuzz.py) keeps it fixed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="$root/Tests/Fuzz/ProtocolFuzzer"
swift build --package-path "$pkg" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export local symbol" | tail -3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root"/Tests/Fuzz/corpus/*.bin "$work"/
cd "$work"
if ! "$pkg/.build/debug/ProtocolFuzzer" "$work" -max_total_time="${FUZZ_SECONDS:-60}" -rss_limit_mb=2048 -max_len=65536 -timeout=10 2>&1 | tail -3; then
    for f in crash-* leak-* oom-* timeout-*; do
        [ -f "$f" ] && cp "$f" "$root/Tests/Fuzz/corpus/found-$f.bin" && echo "saved Tests/Fuzz/corpus/found-$f.bin"
    done
    exit 1
fi
