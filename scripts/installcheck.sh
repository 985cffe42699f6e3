#!/usr/bin/env bash
# `make installcheck`: the pg_regress suite (sql/, expected/) and the
# isolation specs (test/isolation/) against an installed, running server, as
# contrib modules do. Connects as libpq does (PGHOST, PGPORT, PGUSER); checks
# first what the suite needs of the server and says what is missing
# (docs/operations.md, "Testing against your server"):
#   - a superuser connection; the server's major version is PG_CONFIG's;
#   - brop installed by `make install` from this tree (same default version);
#   - wal_level = logical, and brop in output_plugin_libraries (15.19 on);
#   - the suite's keys in the directory ../../keys beside the data directory
#     (the tests name them so); --prepare makes them there (scripts/regress_keys.sh).
# The sessions' brop.root_key_file and brop.salt_key_file are those keys
# (PGOPTIONS), whatever the server's own settings. The suite creates and
# drops the databases brop_regress and brop_isolation. A test server, never a
# production one.
#   scripts/installcheck.sh [--prepare] [NAME...]   NAME: sql/NAME.sql or
#                                                  test/isolation/specs/NAME.spec
source "$(dirname "$0")/lib.sh"

prepare=false
if [ "${1:-}" = --prepare ]; then prepare=true; shift; fi

out=${BROP_INSTALLCHECK_DIR:-$RUN_DIR/installcheck-results}
fail() { echo "installcheck: $*" >&2; exit 1; }
q() { psql -X -At -v ON_ERROR_STOP=1 -d postgres -c "$1"; }

where="PGHOST=${PGHOST:-(default)} PGPORT=${PGPORT:-(default)} PGUSER=${PGUSER:-$(id -un)}"
err=$(q 'SELECT 1' 2>&1 >/dev/null) ||
  fail "cannot connect to a server ($where): $err
Start one, e.g. scripts/cluster.sh start check && eval \"\$(scripts/cluster.sh env check)\", or set PGHOST and PGPORT."
[ "$(q 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')" = t ] ||
  fail "the suite runs as a superuser, and $where is not one"
server_major=$(( $(q 'SHOW server_version_num') / 10000 ))
tree_major=$("$PG_CONFIG" --version | sed 's/^PostgreSQL \([0-9]*\).*/\1/')
[ "$server_major" = "$tree_major" ] ||
  fail "the server is PostgreSQL $server_major, and PG_CONFIG ($PG_CONFIG) is $tree_major: set PG_CONFIG to the server's"
want=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$top/brop.control")
have=$(q "SELECT default_version FROM pg_available_extensions WHERE name = 'brop'")
[ "$have" = "$want" ] ||
  fail "the server's brop is '${have:-not installed}', this tree is '$want': run make install (with PG_CONFIG=$PG_CONFIG)"
[ "$(q 'SHOW wal_level')" = logical ] ||
  fail "wal_level is $(q 'SHOW wal_level'); the suite needs wal_level = logical in postgresql.conf (a server restart)"
plugins=$(q "SELECT setting FROM pg_settings WHERE name = 'output_plugin_libraries'")
if [ -n "$(q "SELECT 1 FROM pg_settings WHERE name = 'output_plugin_libraries'")" ] &&
   ! printf '%s' "$plugins" | tr -d ' ' | tr , '\n' | grep -qx brop; then
  fail "output_plugin_libraries is '$plugins'; the suite needs brop in it (postgresql.conf: output_plugin_libraries = 'pgoutput, test_decoding, brop'; a reload)"
fi

data=$(q 'SHOW data_directory')
keys=$(cd "$data/../.." 2>/dev/null && pwd)/keys || keys="$data/../../keys"
needed="root.key other-root.key world-readable.key group-readable.key malformed.key salt.key"
missing() {
  local f m=
  for f in $needed; do
    [ -n "$(q "SELECT 1 FROM pg_stat_file(current_setting('data_directory') || '/../../keys/$f', true) WHERE size > 0")" ] || m="$m $f"
  done
  printf '%s' "$m"
}
m=$(missing)
if [ -n "$m" ] && $prepare; then
  [ -d "$data" ] || fail "the data directory $data is not on this machine: make the keys there with scripts/regress_keys.sh $keys"
  "$top/scripts/regress_keys.sh" "$keys"
  m=$(missing)
fi
[ -z "$m" ] ||
  fail "the suite's key files are missing in $keys (../../keys from the data directory):$m
Make them with scripts/installcheck.sh --prepare, or scripts/regress_keys.sh $keys, on the server's machine (test keys: not for a production server)."
[ -z "$(q "SELECT 1 FROM pg_stat_file(current_setting('data_directory') || '/../../keys/missing.key', true) WHERE size IS NOT NULL")" ] ||
  fail "$keys/missing.key exists; the suite needs it missing"
[ "$(q "SELECT pg_read_file(current_setting('data_directory') || '/../../keys/salt.key')")" = 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f ] ||
  fail "$keys/salt.key is not docs/formats.md's worked example key (the bytes 0 to 31), which the suite's row digests are made with"

# the tests to run: every one, or those named
regress=() isolation=()
if [ $# -eq 0 ]; then
  regress=($(cd "$top/sql" && ls *.sql | sed 's/\.sql$//' | sort))
  isolation=($(cd "$top/test/isolation/specs" && ls *.spec | sed 's/\.spec$//' | sort))
fi
for t in "$@"; do
  if [ -f "$top/sql/$t.sql" ]; then regress+=("$t")
  elif [ -f "$top/test/isolation/specs/$t.spec" ]; then isolation+=("$t")
  else fail "no test $t (sql/$t.sql or test/isolation/specs/$t.spec)"; fi
done

export PGOPTIONS="${PGOPTIONS:-} -c brop.root_key_file=../../keys/root.key -c brop.salt_key_file=../../keys/salt.key"
mkdir -p "$out"
cd "$out"    # (tests \copy to results/, beside their output)
rc=0
if [ ${#regress[@]} -gt 0 ]; then
  "$PG_PGXS/src/test/regress/pg_regress" --inputdir="$top" --outputdir="$out" --bindir="$PG_BINDIR" \
    --dbname=brop_regress "${regress[@]}" || rc=1
  [ ! -f "$out/regression.diffs" ] || echo "installcheck: the differences are in $out/regression.diffs" >&2
fi
if [ ${#isolation[@]} -gt 0 ]; then
  "$PG_PGXS/src/test/isolation/pg_isolation_regress" --inputdir="$top/test/isolation" --outputdir="$out/isolation" \
    --bindir="$PG_BINDIR" --dbname=brop_isolation "${isolation[@]}" || rc=1
fi
exit $rc
