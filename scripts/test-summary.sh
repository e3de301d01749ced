#!/usr/bin/env bash
# Sums the TRX results of every test project and prints one line: "N passed, N failed[, N skipped]".
# Exits non-zero when any test failed or no test ran at all.
set -euo pipefail
dir=${1:-artifacts/test-results}
passed=0; failed=0; skipped=0; files=0
shopt -s nullglob
for trx in "$dir"/*.trx; do
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); ab=$(get aborted)
  total=$(get total); executed=$(get executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${ab:-0}))
  # The TRX logger records a skipped test as neither executed nor notExecuted: it is the difference.
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$files" -gt 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
