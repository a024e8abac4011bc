#!/usr/bin/env bash
# Smoke run of the end-to-end benchmark binaries (the benchmark_e2e_smoke ctest): every workload
# with tiny counts against the servers of respio-servers (RESPIO_STANDALONE, RESPIO_CLUSTER).
# Checks only that each run completes and prints one valid JSON line; no timing is judged.
#
#   respio-servers --standalone --cluster -- bash smoke.sh RESPIO_E2E_BENCH [HIREDIS_E2E_BENCH]
set -euo pipefail

respio_bin=${1:?usage: smoke.sh RESPIO_E2E_BENCH [HIREDIS_E2E_BENCH]}
hiredis_bin=${2:-}
: "${RESPIO_STANDALONE:?run under respio-servers --standalone --cluster}"
: "${RESPIO_CLUSTER:?run under respio-servers --standalone --cluster}"
keys=200

check_json() { # check_json WHAT < one line of output
    python3 -c '
import json, sys
lines = [l for l in sys.stdin.read().splitlines() if l.strip()]
assert len(lines) == 1, f"expected one line, got {lines!r}"
o = json.loads(lines[0])
for k in ("workload", "client", "requests", "ops_per_sec", "cpu_us_per_op", "peak_rss_kb"):
    assert k in o, f"{k} missing in {o!r}"
assert o["requests"] > 0 and o["peak_rss_kb"] > 0, o
' || { echo "smoke: $1: bad output" >&2; exit 1; }
}

run() { # run WHAT BINARY ARGS...: text mode once, then --json checked
    local what=$1 bin=$2; shift 2
    echo "== $what"
    "$bin" "$@"
    "$bin" "$@" --json | check_json "$what"
}

"$respio_bin" --workload preload --address "$RESPIO_STANDALONE" --keys $keys
"$respio_bin" --workload preload --cluster --address "$RESPIO_CLUSTER" --keys $keys

for w in W1 W1set W2 W2set W3 W3set; do
    run "respio $w" "$respio_bin" --workload $w --address "$RESPIO_STANDALONE" --keys $keys --requests 300
done
run "respio W4" "$respio_bin" --workload W4 --address "$RESPIO_STANDALONE" --keys $keys --requests 3
run "respio W5" "$respio_bin" --workload W5 --address "$RESPIO_CLUSTER" --keys $keys --requests 300

if [ -n "$hiredis_bin" ]; then
    for w in W1 W1set W2 W2set W3 W3set; do
        run "hiredis $w" "$hiredis_bin" --workload $w --address "$RESPIO_STANDALONE" --keys $keys --requests 300
    done
    run "hiredis W4" "$hiredis_bin" --workload W4 --address "$RESPIO_STANDALONE" --keys $keys --requests 3
fi
echo "smoke: every workload completed"
