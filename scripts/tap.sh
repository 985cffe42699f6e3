#!/usr/bin/env bash
# TAP tests (PostgreSQL::Test::Cluster) as `make test` runs them:
#   scripts/tap.sh [FILE...]   default: every test/t/*.pl (FILE relative to the tree)
# brop must be built and installed (scripts/test.sh does both). Runs as the
# server user in $RUN_DIR/tap (or $BROP_TAP_DIR); the environment passes on
# (BROP_MAJOR_UPGRADE, say: test/t/014_major_upgrade.pl).
source "$(dirname "$0")/lib.sh"
check_tree_readable
tdir=${BROP_TAP_DIR:-$RUN_DIR/tap}
rm -rf "$tdir"; pg_dir "$RUN_DIR"; pg_dir "$tdir"
files=()
for f in "$@"; do files+=("$top/${f#./}"); done
[ ${#files[@]} -gt 0 ] || files=("$top"/test/t/*.pl)
# PostgreSQL 15's test modules put their files under $TESTDIR/tmp_check; from
# 16 on they take TESTDATADIR and TESTLOGDIR, else "tmp_check" relative to
# the working directory, which the servers' own (their data directories)
# would not find. Both are given, as PGXS's prove_check does.
as_pg env -C "$tdir" TESTDIR="$tdir" TESTDATADIR="$tdir/tmp_check" TESTLOGDIR="$tdir/tmp_check/log" BROP_TOP="$top" BROP_BIN="$top/bin/brop" \
  PG_REGRESS="$PG_PGXS/src/test/regress/pg_regress" BROP_MAJOR_UPGRADE="${BROP_MAJOR_UPGRADE:-}" \
  prove -I "$PG_PGXS/src/test/perl" -I "$top/test/t" "${files[@]}" && exit 0
rc=$?
# A file that dies says why in its own log (the test modules send STDERR
# there), not in prove's output: repeat each log's die lines ("... at FILE
# line N."), so that make test's summary names the cause too.
for log in "$tdir"/tmp_check/log/regress_log_*; do
  [ -f "$log" ] || continue
  grep -E ' at /[^ ]+\.p[lm] line [0-9]+\.?$' "$log" | grep -v '^#' | tail -n 3 |
    sed "s|^|tap: ${log##*/regress_log_}: |" || true
done
exit "$rc"
