#!/usr/bin/env bash
# verify_ledger on every core (issue 18), against the machine's Ed25519
# verification rate on every core, measured in the same run
# (docs/benchmarks.md, "verify_ledger on every core").
#
# Sourced by scripts/bench.sh (section 7, on its ledger of 1M entries), or
# run alone (`make bench-verify`): then it starts the throw-away cluster
# bench-verify, makes a ledger of BENCH_VERIFY_ENTRIES (default 200000)
# entries, each signed by its organisation, measures and stops the cluster.
#
# Rounds (BENCH_VERIFY_ROUNDS, else BENCH_RUNS, default 3; scripts/bench.sh
# gives 1), each: the Ed25519 rate with one thread and
# with one per core (test/bench/ed25519_cores.c, libsodium, distinct
# signatures), then brop.verify_ledger() with max_parallel_workers_per_gather
# 0, 1, ... nproc. The best of the rounds counts for each; run in turn, so
# that a load from elsewhere weighs on both sides alike. The load average is
# printed before and after.

# verify_cores: the figures, on the ledger of the database psql_b reaches
verify_cores() {
  local cores n_sig rounds r w t t0 ok best best_one=0 best_all=0 one all size vpw=() verdicts=()
  cores=$(nproc)
  rounds=${BENCH_VERIFY_ROUNDS:-${BENCH_RUNS:-3}}
  n_sig=${BENCH_VERIFY_SIGNATURES:-50000}
  cc -O2 -Wall -pthread -o "$work/ed25519_cores" "$top/test/bench/ed25519_cores.c" -lsodium
  size=$(psql_b -c 'SELECT max(tree_size) FROM brop.block')
  for ((w = 0; w <= cores; w++)); do vpw[w]=0; done
  echo
  echo "verify_ledger on every core, $size entries, $cores cores, best of $rounds rounds (load average before: $(cut -d' ' -f1-3 /proc/loadavg)):"
  for ((r = 0; r < rounds; r++)); do
    read -r _ one _ < <("$work/ed25519_cores" "$n_sig" 1 1)
    read -r _ all _ < <("$work/ed25519_cores" "$n_sig" 1 "$cores")
    [ "$one" -le "$best_one" ] || best_one=$one
    [ "$all" -le "$best_all" ] || best_all=$all
    for ((w = 0; w <= cores; w++)); do
      t0=$(date +%s%3N)
      ok=$(psql_b -c "SET max_parallel_workers_per_gather = $w" -c 'SELECT ok FROM brop.verify_ledger()')
      t=$(rate "$size" $(( $(date +%s%3N) - t0 )))
      [ "$t" -le "${vpw[w]}" ] || vpw[w]=$t
      [ "${verdicts[w]:-t}" != t ] || verdicts[w]=$ok
    done
  done
  best=0
  for ((w = 1; w <= cores; w++)); do [ "${vpw[w]}" -le "${vpw[best]}" ] || best=$w; done
  echo "  Ed25519 verifications/s, libsodium, $n_sig signatures: 1 thread $best_one, $cores threads $best_all"
  for ((w = 0; w <= cores; w++)); do
    echo "  verify_ledger, max_parallel_workers_per_gather = $w: ${vpw[w]} entries/s (ok=${verdicts[w]}); $(ratio "${vpw[w]}" "$best_one")x one core's Ed25519 rate"
  done
  echo "  all cores (max_parallel_workers_per_gather = $best) / the machine's Ed25519 rate: ${vpw[best]} / $best_all = $(ratio "${vpw[best]}" "$best_all")x (target >= 0.8x)"
  echo "  (load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
}

# run alone
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  source "$(dirname "$0")/../../scripts/lib.sh"
  make -C "$top" -s all
  install_brop
  check_tree_readable
  trap '"$top/scripts/cluster.sh" stop bench-verify' EXIT
  "$top/scripts/cluster.sh" restart bench-verify
  eval "$("$top/scripts/cluster.sh" env bench-verify)"
  work=$RUN_DIR/bench-verify/work
  rm -rf "$work"; pg_dir "$work"
  as_pg psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS brop_bench' -c 'CREATE DATABASE brop_bench' 2>/dev/null
  psql_b() { as_pg env PGOPTIONS="-c brop.progress_interval=0" psql -X -q -v ON_ERROR_STOP=1 -At -d brop_bench "$@"; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
  rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / ms * 1000 }'; }
  n=${BENCH_VERIFY_ENTRIES:-200000}
  psql_b -c 'CREATE EXTENSION brop' \
         -c "SELECT brop.create_key('ed25519', k) FROM unnest(ARRAY['bench-node', 'bench-org']) k" \
         -c "SELECT brop.configure_ledger('bench.example/brop', 'bench-node')" >/dev/null
  # signed rows, submitted (each signature checked) and sealed in blocks of 100k
  psql_b -c "CREATE TABLE bulk_rows AS
               SELECT i, o.org, p.payload_digest, 'bulk-' || i AS nonce,
                      brop.sign('bench-org', brop.entry_signing_input('bench', o.org, p.payload_digest, 'bulk-' || i)) AS signature
               FROM (SELECT brop.key_did('bench-org') AS org) o, generate_series(1, $n) i,
                    LATERAL (SELECT brop.sha256(convert_to('bulk payload ' || i, 'UTF8')) AS payload_digest) p"
  for ((lo = 1; lo <= n; lo += 100000)); do
    psql_b -c "SELECT count(brop.submit('bench', org, payload_digest, nonce, signature)) FROM bulk_rows
                 WHERE i BETWEEN $lo AND $((lo + 99999))" -c 'SELECT number FROM brop.seal()' >/dev/null
  done
  psql_b -c 'VACUUM ANALYZE'
  echo "brop verify_ledger on every core: $(date -u +%Y-%m-%dT%H:%MZ), PostgreSQL $(psql_b -c 'SHOW server_version')"
  verify_cores
fi
