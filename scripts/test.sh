#!/usr/bin/env bash
# `make test`: set-up, build, install, then every suite. Ends with each
# runner's own summary line; exits non-zero if any suite failed.
#   BROP_FUZZ_SECONDS (default 5): smoke time per fuzz harness.
source "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh"
source "$(dirname "$0")/lib.sh"     # pg_config may be new
make -C "$top" -s all
install_brop
check_tree_readable

summaries=()
digests=()
passed=0
failed=0
suite() {
  # suite NAME PATTERN COMMAND...: run, keep the runner's summary line
  local name=$1 pattern=$2; shift 2
  local log=$RUN_DIR/logs/$name.log rc
  echo "== $name"
  set +e
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  local line
  line=$(grep -E "$pattern" "$log" | tail -n 2)
  summaries+=("${line:-$name: no summary line (exit $rc)}")
  if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); return; fi
  failed=$((failed + 1))
  # what failed, by name: the lines each runner prints for a failure (TAP's
  # failed tests, a file's early exit and the error behind it; a unit
  # test's, pg_regress's or isolation's "not ok" or FAILED; the tour's and
  # the frozen check's own line), so that the summary alone (CI shows the
  # end of a log) says where to look
  local what
  what=$(grep -E '^not ok|^# +Failed test|^#   at |Looks like your test|error running SQL|ERROR:  |died|Wstat: |Parse errors|No plan found|Dubious|\.\.\. FAILED|^FAIL|: FAIL|^(tour|demo|frozen|tap): ' "$log" | head -n 20 || true)
  digests+=("$name failed:${what:+$'\n'}${what:-  (no failure line; see $log)}")
}

pg_dir "$RUN_DIR"
mkdir -p "$RUN_DIR/logs"

# 0. released install scripts unchanged (scripts/released.sha256)
suite frozen '^frozen:' "$top/scripts/frozen.sh"

# 1. core unit tests, then the same under ASan/UBSan
suite unit 'passed, .* failed' "$top/build/test_unit"
make -C "$top" -s build/asan/test_unit
# (the SoftHSM2 token's tests in a second run, with the slow unwinder: the
# suppression of SoftHSM's own leaks needs the module's frames under
# OpenSSL's, which has no frame pointers; test/unit/softhsm.c)
suite sanitize 'passed, .* failed' env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  bash -c '"$0" -pkcs11_token && ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0 "$0" pkcs11_token' \
  "$top/build/asan/test_unit"

# the build's check of the arrows between modules refuses what it must
suite layers 'passed, .* failed' "$top/scripts/layers.sh" --self-test

# 2. pg_regress against a temporary instance
rdir=$RUN_DIR/regress
rm -rf "$rdir"; pg_dir "$rdir"
# the suite's keys (the salt key is docs/formats.md's worked example)
"$top/scripts/regress_keys.sh" "$rdir/keys"
# Paths are relative to the instance's data directory, so error texts are stable.
cat >"$rdir/temp.conf" <<CONF
wal_level = logical
brop.root_key_file = '../../keys/root.key'
brop.salt_key_file = '../../keys/salt.key'
CONF
! pg_has_output_plugin_libraries ||
  echo "output_plugin_libraries = 'pgoutput, test_decoding, brop, wal2json'" >>"$rdir/temp.conf"
tests=$(cd "$top/sql" && ls *.sql | sed 's/\.sql$//' | sort)
suite regress 'tests (passed|failed)|failed \(ignoring' as_pg env -C "$rdir" "$PG_PGXS/src/test/regress/pg_regress" \
  --temp-instance="$rdir/instance" --temp-config="$rdir/temp.conf" \
  --inputdir="$top" --outputdir="$rdir" --bindir="$PG_BINDIR" \
  --dbname=brop_regress $tests
[ ! -f "$rdir/regression.diffs" ] || head -n 200 "$rdir/regression.diffs"
# isolation specs (test/isolation/specs), same keys and settings
suite isolation 'tests (passed|failed)|failed \(ignoring' as_pg env -C "$rdir" "$PG_PGXS/src/test/isolation/pg_isolation_regress" \
  --temp-instance="$rdir/iso" --temp-config="$rdir/temp.conf" --inputdir="$top/test/isolation" \
  --outputdir="$rdir/isolation" --bindir="$PG_BINDIR" --dbname=brop_isolation $(cd "$top/test/isolation/specs" && ls *.spec | sed 's/\.spec$//' | sort)
# make installcheck's way (scripts/installcheck.sh), against a new cluster of
# scripts/cluster.sh: one test of each kind, so it cannot rot (all of them:
# make installcheck)
rm -rf "$RUN_DIR/installcheck"
"$top/scripts/cluster.sh" start installcheck
suite installcheck 'tests (passed|failed)|failed \(ignoring|^installcheck:' bash -c \
  'eval "$("$0/scripts/cluster.sh" env installcheck)" && exec "$0/scripts/installcheck.sh" --prepare registration submit_race' "$top"
"$top/scripts/cluster.sh" stop installcheck

# 3. TAP tests (PostgreSQL::Test::Cluster)
suite tap '^(Files=|Result:)' "$top/scripts/tap.sh"

# 4. make demo, README.md's tour at its end, in a run directory of its own
# (the user's demo cluster is left alone); its clusters stopped after
demo_check() {
  local run=$RUN_DIR/demo-check rc=0
  BROP_RUN_DIR=$run "$top/scripts/demo.sh" >"$RUN_DIR/logs/demo-full.log" 2>&1 || rc=$?
  # every cluster the demo started (it leaves them running for a user; a
  # test leaves nothing running behind it)
  local data
  for data in "$run"/*/data/PG_VERSION; do
    [ -f "$data" ] || continue
    BROP_RUN_DIR=$run "$top/scripts/cluster.sh" stop "$(basename "$(dirname "$(dirname "$data")")")"
  done
  [ "$rc" -eq 0 ] || tail -n 30 "$RUN_DIR/logs/demo-full.log"
  grep '^tour:' "$RUN_DIR/logs/demo-full.log" || echo "demo: failed (exit $rc)"
  return "$rc"
}
suite demo '^(tour|demo):' demo_check

# 5. fuzz smoke
fuzzers=$(cd "$top" && ls test/fuzz/fuzz_*.c | sed 's|test/fuzz/\(.*\)\.c|build/fuzz/\1|')
make -C "$top" -s $fuzzers
suite fuzz 'passed, .* failed' "$top/scripts/fuzz.sh" "${BROP_FUZZ_SECONDS:-5}" $(printf "$top/%s " $fuzzers)

echo
echo "== summary (each runner's closing line, then the suites)"
for s in "${summaries[@]}"; do echo "$s"; done
for d in "${digests[@]}"; do echo "$d" | sed '2,$s/^/  /'; done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
