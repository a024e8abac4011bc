#!/usr/bin/env bash
# Runs every example listed in the file given (one binary path a line), in order, against the
# servers whose addresses respio-servers exported. Fails on the first example that fails.
set -euo pipefail
list=$1
while IFS= read -r bin; do
    [ -n "$bin" ] || continue
    echo "---- $(basename "$bin")"
    "$bin"
done <"$list"
