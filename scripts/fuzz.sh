#!/usr/bin/env bash
# Run each libFuzzer harness for SECONDS (a smoke run in `make test`;
# `make fuzz FUZZ_SECONDS=600` for a long one), or, with FUZZ_RUNS set, for
# that many executions. Corpora persist under build/fuzz/corpus/NAME, seeded
# from test/fuzz/corpus/NAME when present.
#   scripts/fuzz.sh SECONDS build/fuzz/fuzz_a build/fuzz/fuzz_b ...
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=$1; shift
passed=0; failed=0
for f in "$@"; do
  name=$(basename "$f")
  corpus=$top/build/fuzz/corpus/$name
  mkdir -p "$corpus"
  seeds=()
  [ -d "$top/test/fuzz/corpus/$name" ] && seeds=("$top/test/fuzz/corpus/$name")
  log=$top/build/fuzz/$name.log
  limit=(-max_total_time="$seconds")
  [ -z "${FUZZ_RUNS:-}" ] || limit=(-runs="$FUZZ_RUNS")
  if "$f" "${limit[@]}" -print_final_stats=1 -rss_limit_mb=2048 \
       -artifact_prefix="$top/build/fuzz/$name-" "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*')
    echo "ok $name: ${execs:-?} executions in ${secs:-$seconds}s"
    passed=$((passed + 1))
  else
    echo "not ok $name (see $log)"
    tail -n 30 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
