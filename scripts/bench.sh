#!/usr/bin/env bash
# `make bench`: each benchmark prints its figures and a ratio against a
# baseline measured in the same run. BENCH_SCALE (default 1) scales row counts;
# BENCH_RUNS (default 3) is the number of runs of which the best counts;
# BENCH_LEDGER_ENTRIES (default 1M x scale) the size of the sealed block and of
# the ledger verified; BENCH_PROOF_ENTRIES (default 10M) the size of the log
# the proofs are measured in (smaller ones make a quicker run).
source "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh"
source "$(dirname "$0")/lib.sh"
make -C "$top" -s all
install_brop
check_tree_readable

# Every process this script starts is stopped when it ends, on every path
# (the end, a failed command under set -e, SIGINT, SIGTERM): the programs
# started in the background (by their own pids, not runuser's, so that no
# relay stays behind), then the two clusters. Every wait has a deadline.
declare -A bg_jobs=()   # pid file of a background program -> pid of its job in this shell
bg_pids=()              # other background jobs, while they run
# stop_pid PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 30)
stop_pid() {
  local pid=$1 deadline=$((SECONDS + ${2:-30}))
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "bench: process $pid did not stop on SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
}
# as_pg_bg PIDFILE CMD...: CMD as the server user in the background; its own
# pid in PIDFILE (the shell there execs it)
as_pg_bg() {
  local pidfile=$1 deadline=$((SECONDS + 30))
  shift
  rm -f "$pidfile"
  as_pg sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" &
  bg_jobs[$pidfile]=$!
  until [ -s "$pidfile" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "bench: $1 did not start" >&2; exit 1; }
    sleep 0.05
  done
}
# stop_bg PIDFILE: stops a program as_pg_bg started, and forgets it
stop_bg() {
  local pidfile=$1
  [ ! -s "$pidfile" ] || stop_pid "$(cat "$pidfile")"
  wait "${bg_jobs[$pidfile]}" 2>/dev/null || true
  rm -f "$pidfile"
  unset "bg_jobs[$pidfile]"
}
stop_everything() {
  local rc=$? f p
  trap - EXIT INT TERM
  for f in "${!bg_jobs[@]}"; do stop_bg "$f"; done
  for p in "${bg_pids[@]}"; do stop_pid "$p"; done
  "$top/scripts/cluster.sh" stop bench-ledger
  "$top/scripts/cluster.sh" stop bench
  exit "$rc"
}
trap stop_everything EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# wait_until SECONDS WHAT CMD...: runs CMD until it succeeds; fails the run after SECONDS
wait_until() {
  local secs=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "bench: $what: not done after $secs s" >&2; exit 1; }
    sleep 0.2
  done
}

"$top/scripts/cluster.sh" restart bench
eval "$("$top/scripts/cluster.sh" env bench)"
work=$RUN_DIR/bench/work
rm -rf "$work"; pg_dir "$work"
scale=${BENCH_SCALE:-1}
runs=${BENCH_RUNS:-3}
as_pg psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS brop_bench' -c 'CREATE DATABASE brop_bench' 2>/dev/null
# no progress messages in the figures' output (brop.progress_interval 0)
psql_b() { as_pg env PGOPTIONS="-c brop.progress_interval=0" psql -X -q -v ON_ERROR_STOP=1 -At -d brop_bench "$@"; }
psql_b -c 'CREATE EXTENSION brop' -c 'CREATE EXTENSION pgcrypto'
# ms QUERY [SETTING] [RUNS]: best time of the query in ms
ms() {
  psql_b -f "$top/test/bench/bench.sql" -c "${2:-RESET ALL}" \
    -c "SELECT round(pg_temp.best_ms(\$q\$$1\$q\$, ${3:-$runs})::numeric, 1)" | tail -n 1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "brop benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, PostgreSQL $(psql_b -c 'SHOW server_version'), best of $runs runs"

# 1. SHA-256 of short values vs pgcrypto, same rows
n=$((1000000 * scale))
psql_b -c "CREATE TABLE short_values AS SELECT convert_to('value-' || i, 'UTF8') AS v FROM generate_series(1, $n) i" \
       -c 'VACUUM ANALYZE short_values'
t_brop=$(ms 'SELECT count(brop.sha256(v)) FROM short_values')
t_pgc=$(ms "SELECT count(digest(v, 'sha256')) FROM short_values")
t_scan=$(ms 'SELECT count(v) FROM short_values')
echo
echo "sha256, $n short values (6-13 bytes):"
echo "  brop.sha256(v)            $t_brop ms"
echo "  pgcrypto digest(v,sha256) $t_pgc ms"
echo "  scan only, count(v)       $t_scan ms"
echo "  throughput vs pgcrypto: $(ratio "$t_pgc" "$t_brop")x (target >= 1.0x)"

# 2. Ed25519 verification in SQL vs a raw libsodium loop over the same rows
n=$((100000 * scale))
psql_b -c "SELECT brop.create_key('ed25519', 'bench-' || k) FROM generate_series(1, 10) k" >/dev/null
psql_b -c "SET brop.root_key_file = '$RUN_DIR/bench/root.key'" \
       -c "CREATE TABLE signed AS
             SELECT brop.key_did('bench-' || (1 + i % 10)) AS signer, m,
                    brop.sign('bench-' || (1 + i % 10), m) AS sig
             FROM (SELECT i, convert_to('record ' || i || ' of the registry', 'UTF8') AS m
                   FROM generate_series(1, $n) i) s" \
       -c 'VACUUM ANALYZE signed'
psql_b -c "COPY (SELECT encode(brop.did_public_key(signer), 'hex'), encode(m, 'hex'), encode(sig, 'hex') FROM signed) TO STDOUT" >"$work/signed.txt"
cc -O2 -o "$work/ed25519_raw" "$top/test/bench/ed25519_raw.c" -lsodium
read -r rows valid t_raw < <("$work/ed25519_raw" "$runs" <"$work/signed.txt")
t_sql=$(ms 'SELECT count(*) FILTER (WHERE brop.verify(signer, m, sig)) FROM signed')
ok=$(psql_b -c 'SELECT count(*) FILTER (WHERE brop.verify(signer, m, sig)) FROM signed')
echo
echo "ed25519 verify, $rows rows ($valid valid in C, $ok valid in SQL):"
echo "  SQL brop.verify           $t_sql ms"
echo "  raw libsodium C loop      $t_raw ms"
echo "  SQL time / raw time: $(ratio "$t_sql" "$t_raw")x (target <= 1.25x)"
verify_us=$(awk -v t="$t_sql" -v n="$rows" 'BEGIN { printf "%.1f", t * 1000 / n }')

# 3. JCS of small documents, beside jsonb::text
n=$((100000 * scale))
psql_b -c "CREATE TABLE docs AS
             SELECT jsonb_build_object('id', i, 'name', 'holder ' || i, 'score', i / 7.0,
                      'tags', jsonb_build_array('a', 'b', i % 5), 'issuer', jsonb_build_object('z', 1, 'a', 'x')) AS doc
             FROM generate_series(1, $n) i" -c 'VACUUM ANALYZE docs'
psql_b -c 'CREATE TABLE docs_text AS SELECT doc::text AS doc FROM docs'
t_jcs=$(ms 'SELECT count(brop.jcs(doc)) FROM docs')
t_jcs_text=$(ms 'SELECT count(brop.jcs(doc)) FROM docs_text')
t_text=$(ms 'SELECT count(doc::text) FROM docs')
echo
echo "jcs, $n small documents ($(psql_b -c 'SELECT avg(length(doc::text))::int FROM docs') bytes on average):"
echo "  brop.jcs(jsonb)           $t_jcs ms ($(awk -v n="$n" -v t="$t_jcs" 'BEGIN { printf "%.0f", n / t * 1000 }') docs/s)"
echo "  brop.jcs(text)            $t_jcs_text ms ($(awk -v n="$n" -v t="$t_jcs_text" 'BEGIN { printf "%.0f", n / t * 1000 }') docs/s)"
echo "  jsonb::text (reference)   $t_text ms ($(awk -v n="$n" -v t="$t_text" 'BEGIN { printf "%.0f", n / t * 1000 }') docs/s)"
echo "  brop.jcs(jsonb) time / jsonb::text time: $(ratio "$t_jcs" "$t_text")x"

# 4. brop.merkle_root over 1M leaves vs a raw OpenSSL C loop building the same
#    tree, and vs the same root in PL/pgSQL + pgcrypto
n=$((1000000 * scale))
psql_b -c "CREATE TABLE leaves AS
             SELECT i, brop.merkle_leaf_hash(convert_to('leaf-' || i, 'UTF8')) AS h
             FROM generate_series(1, $n) i" \
       -c 'CREATE UNIQUE INDEX ON leaves (i)' -c 'VACUUM ANALYZE leaves'
cc -O2 -o "$work/merkle_raw" "$top/test/bench/merkle_raw.c" -lcrypto
read -r raw_root t_raw < <("$work/merkle_raw" "$n" "$runs")
# the subquery's index order feeds the aggregate (PG 15 would sort inside
# an aggregate's own ORDER BY)
q_root='SELECT brop.merkle_root(h) FROM (SELECT h FROM leaves ORDER BY i) s'
sql_root=$(psql_b -c "SET enable_seqscan = off" -c "SELECT encode(brop.bytea(r), 'hex') FROM ($q_root) x(r)")
t_sql=$(ms "$q_root" 'SET enable_seqscan = off')
psql_b -c "CREATE FUNCTION plpgsql_root(leaves bytea[]) RETURNS bytea LANGUAGE plpgsql AS \$f\$
DECLARE
  lvl bytea[] := leaves;
  nxt bytea[];
  m int := coalesce(array_length(leaves, 1), 0);
BEGIN
  IF m = 0 THEN RETURN digest('', 'sha256'); END IF;
  WHILE m > 1 LOOP
    nxt := '{}';
    FOR i IN 1 .. m - 1 BY 2 LOOP
      nxt := nxt || digest('\\x01'::bytea || lvl[i] || lvl[i + 1], 'sha256');
    END LOOP;
    IF m % 2 = 1 THEN nxt := nxt || lvl[m]; END IF;
    lvl := nxt;
    m := array_length(lvl, 1);
  END LOOP;
  RETURN lvl[1];
END \$f\$"
pl_root=$(psql_b -c "SELECT encode(plpgsql_root(array_agg(h::bytea ORDER BY i)), 'hex') FROM leaves")
t_pl=$(ms "SELECT plpgsql_root(array_agg(h::bytea ORDER BY i)) FROM leaves" 'RESET ALL' 1)
echo
echo "merkle_root, $n leaves (roots: SQL $( [ "$sql_root" = "$raw_root" ] && echo '=' || echo '!=') raw C $( [ "$pl_root" = "$raw_root" ] && echo '=' || echo '!=') PL/pgSQL):"
echo "  brop.merkle_root          $t_sql ms"
echo "  raw OpenSSL C loop        $t_raw ms"
echo "  PL/pgSQL + pgcrypto       $t_pl ms (one run)"
echo "  SQL time / raw time: $(ratio "$t_sql" "$t_raw")x (target <= 1.5x)"
echo "  PL/pgSQL time / brop time: $(ratio "$t_pl" "$t_sql")x"

# ---- the ledger (issue 3) ----------------------------------------------------
# Wall-clock helpers for statements that must be timed with their commit
# (brop.seal() checks deferred constraints at commit) or that run in several
# sessions at once.
now_ms() { date +%s%3N; }
# wall_ms CMD...: run CMD (its output discarded), print the elapsed ms
wall_ms() { local t0; t0=$(now_ms); "$@" >/dev/null; echo $(( $(now_ms) - t0 )); }
# par2 SQL: run SQL in two concurrent sessions (one per core), @K@ replaced
# by 0 and 1; print the elapsed ms of both
par2() {
  local t0 pids=() k
  t0=$(now_ms)
  for k in 0 1; do psql_b -c "${1//@K@/$k}" >/dev/null & pids+=($!); done
  for k in "${pids[@]}"; do wait "$k"; done
  echo $(( $(now_ms) - t0 ))
}
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / ms * 1000 }'; }
pgb() { as_pg env -C "$work" "$PG_BINDIR/pgbench" -n -M prepared "$@" brop_bench; }
tps() { sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | awk '{ printf "%.0f", $1 }'; }
# pct LOG...: "p50 p99 mean" in ms of the latencies (µs, third field) of pgbench --log files
pct() {
  awk '{ print $3 }' "$@" | sort -n | awk '
    function at(p,  i) { i = p * NR; i = (i == int(i)) ? i : int(i) + 1; return v[i] / 1000 }
    { v[NR] = $1; s += $1 }
    END { printf "%.3f %.3f %.3f", at(0.50), at(0.99), s / NR / 1000 }'
}
settings=$(psql_b -F ', ' -c "SELECT 'synchronous_commit=' || current_setting('synchronous_commit'), 'shared_buffers=' || current_setting('shared_buffers'), 'wal_sync_method=' || current_setting('wal_sync_method')")

psql_b -c "SELECT brop.create_key('ed25519', k) FROM unnest(ARRAY['bench-node', 'bench-org', 'bench-as', 'bench-load']) k" \
       -c "SELECT brop.configure_ledger('bench.example/brop', 'bench-node')" >/dev/null

# 5. Submit throughput (pgbench, one entry per transaction, 1 and 8 clients):
#    brop.submit() of precomputed signed rows vs a plain INSERT of the same
#    rows into an ordinary table; beside them the plain INSERT with submit's
#    Ed25519 check (the floor of a signed registration), and brop.submit_as()
#    (server-side signing). Best of BENCH_RUNS runs, each with new rows, run
#    in turn. First with durable commits (fsync=on, synchronous_commit=on:
#    PostgreSQL's defaults, what a ledger runs with; the target), then with
#    fsync=off (the CPU alone).
t1=$((10000 * scale))           # transactions of a 1-client run
t8=$((2000 * scale))            # transactions per client of an 8-client run
n=$(( (t1 + 8 * t8) * runs * 2 ))
psql_b -c "CREATE TABLE ledger_rows AS
             SELECT i, o.org, p.payload_digest, 'tx-' || i AS nonce,
                    brop.sign('bench-org', brop.entry_signing_input('bench', o.org, p.payload_digest, 'tx-' || i)) AS signature
             FROM (SELECT brop.key_did('bench-org') AS org) o, generate_series(1, $n) i,
                  LATERAL (SELECT brop.sha256(convert_to('ledger payload ' || i, 'UTF8')) AS payload_digest) p" \
       -c 'ALTER TABLE ledger_rows ADD PRIMARY KEY (i)' -c 'VACUUM ANALYZE ledger_rows' \
       -c 'CREATE TABLE plain_entry (LIKE brop.entry INCLUDING DEFAULTS INCLUDING IDENTITY, PRIMARY KEY (id), UNIQUE (nonce, org))' \
       -c 'CREATE TABLE plain_verified (LIKE plain_entry INCLUDING ALL)' \
       -c 'CREATE SEQUENCE submit_seq' -c 'CREATE SEQUENCE submit_as_seq' -c 'CREATE SEQUENCE plain_seq' \
       -c 'CREATE SEQUENCE plain_verify_seq'
variants="plain:plain_insert verified:plain_insert_verify submit:submit as:submit_as"
declare -A tp
for fsync in on off; do
  as_pg psql -X -q -d postgres -c "ALTER SYSTEM SET fsync = $fsync" -c 'SELECT pg_reload_conf()' -c 'CHECKPOINT' >/dev/null
  for c in 1 8; do
    if [ "$c" = 1 ]; then opts=(-c 1 -j 1 -t "$t1"); else opts=(-c 8 -j 2 -t "$t8"); fi
    for v in $variants; do tp[$fsync${v%%:*}$c]=0; done
    for ((r = 0; r < runs; r++)); do
      for v in $variants; do
        t=$(pgb "${opts[@]}" -f "$top/test/bench/${v#*:}.pgbench" | tps)
        [ "$t" -le "${tp[$fsync${v%%:*}$c]}" ] || tp[$fsync${v%%:*}$c]=$t
      done
    done
  done
done
as_pg psql -X -q -d postgres -c 'ALTER SYSTEM RESET fsync' -c 'SELECT pg_reload_conf()' >/dev/null
counts=$(psql_b -F ' ' -c "SELECT (SELECT count(*) FROM plain_entry), (SELECT count(*) FROM plain_verified),
                                   (SELECT count(*) FROM brop.entry WHERE org = brop.key_did('bench-org')),
                                   (SELECT count(*) FROM brop.entry WHERE org = brop.key_did('bench-as'))")
echo
echo "ledger submit, pgbench -M prepared, one entry per transaction, best of $runs runs of $t1 (1 client) and 8 x $t8 transactions"
echo "($settings, fsync as below; rows made: plain, plain + verify, submit, submit_as = $counts of $n each):"
printf '  %-16s %-8s %14s %16s %14s %14s\n' fsync clients 'plain INSERT' 'INSERT + verify' 'brop.submit' 'brop.submit_as'
for fsync in on off; do
  for c in 1 8; do
    printf '  %-16s %-8s %10s tps %12s tps %10s tps %10s tps\n' "$fsync$( [ $fsync = on ] && echo ' (durable)')" "$c" \
      "${tp[${fsync}plain$c]}" "${tp[${fsync}verified$c]}" "${tp[${fsync}submit$c]}" "${tp[${fsync}as$c]}"
  done
done
for fsync in on off; do
  echo "  fsync=$fsync: submit / plain INSERT $(ratio "${tp[${fsync}submit1]}" "${tp[${fsync}plain1]}")x with 1 client, $(ratio "${tp[${fsync}submit8]}" "${tp[${fsync}plain8]}")x with 8$( [ $fsync = on ] && echo ' (target >= 0.7x)');" \
       "submit / (INSERT + verify) $(ratio "${tp[${fsync}submit1]}" "${tp[${fsync}verified1]}")x and $(ratio "${tp[${fsync}submit8]}" "${tp[${fsync}verified8]}")x"
done
echo "  submit_as / submit (durable): $(ratio "${tp[onas1]}" "${tp[onsubmit1]}")x with 1 client, $(ratio "${tp[onas8]}" "${tp[onsubmit8]}")x with 8"

# 6. Seal throughput: a block of 1M pending entries (BENCH_SCALE scales it;
#    BENCH_LEDGER_ENTRIES overrides it): the entries of section 5, then
#    precomputed signed rows submitted set-based in two sessions (beside a
#    plain INSERT ... SELECT of the same rows), then one brop.seal()
ledger_n=${BENCH_LEDGER_ENTRIES:-$((1000000 * scale))}
have=$(psql_b -c 'SELECT count(*) FROM brop.pending')
bulk=$(( ledger_n > have ? ledger_n - have : 0 ))
psql_b -c 'CREATE TABLE bulk_rows (i int, org brop.did, payload_digest brop.digest, nonce text, signature bytea)'
t_sign=$(par2 "INSERT INTO bulk_rows
                 SELECT i, o.org, p.payload_digest, 'bulk-' || i,
                        brop.sign('bench-org', brop.entry_signing_input('bench', o.org, p.payload_digest, 'bulk-' || i))
                 FROM (SELECT brop.key_did('bench-org') AS org) o, generate_series(1 + @K@, $bulk, 2) i,
                      LATERAL (SELECT brop.sha256(convert_to('bulk payload ' || i, 'UTF8')) AS payload_digest) p")
psql_b -c 'VACUUM ANALYZE bulk_rows'
t_plain=$(par2 "INSERT INTO plain_entry (kind, org, header, payload_digest, nonce, signature, submitted_at, digest)
                  SELECT 'bench', org, '{}', payload_digest, nonce, signature, now(), payload_digest
                  FROM bulk_rows WHERE i % 2 = @K@")
t_bulk=$(par2 "SELECT count(brop.submit('bench', org, payload_digest, nonce, signature)) FROM bulk_rows WHERE i % 2 = @K@")
pending=$(psql_b -c 'SELECT count(*) FROM brop.pending')
t_seal=$(wall_ms psql_b -c 'SELECT number FROM brop.seal()')
read -r blocks size root_ok < <(psql_b -F ' ' -c "SELECT count(*), max(tree_size),
    (SELECT root FROM brop.block ORDER BY number DESC LIMIT 1) =
    (SELECT brop.merkle_root(digest) FROM (SELECT e.digest FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry ORDER BY l.position) s)
  FROM brop.block")
t_root=$(ms 'SELECT brop.merkle_root(digest) FROM (SELECT e.digest FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry ORDER BY l.position) s')
echo
echo "ledger seal, one block of $pending pending entries (block root $( [ "$root_ok" = t ] && echo '=' || echo '!=') merkle_root of the log's leaves):"
echo "  making them: $have from section 5, then $bulk set-based in 2 sessions:"
echo "    brop.sign(entry_signing_input) $t_sign ms ($(rate "$bulk" "$t_sign") rows/s, precomputing signatures)"
echo "    brop.submit of those rows      $t_bulk ms ($(rate "$bulk" "$t_bulk") entries/s)"
echo "    plain INSERT ... SELECT        $t_plain ms ($(rate "$bulk" "$t_plain") rows/s)"
echo "    submit / plain INSERT: $(ratio "$t_plain" "$t_bulk")x"
echo "  brop.seal() with its commit      $t_seal ms ($(rate "$pending" "$t_seal") entries/s; log: $blocks blocks, $size leaves)"
echo "  brop.merkle_root of the leaves   $t_root ms (the same hashing, read in position order)"
echo "  seal time / merkle_root time: $(ratio "$t_seal" "$t_root")x"

# 7. verify_ledger over that ledger, with and without signatures, on one core
#    (max_parallel_workers_per_gather = 0), then on every core against the
#    machine's Ed25519 rate (test/bench/verify_cores.sh)
size=$(psql_b -c 'SELECT max(tree_size) FROM brop.block')
t0=$(now_ms); v_sig=$(psql_b -c 'SET max_parallel_workers_per_gather = 0' -c "SELECT ok || coalesce(' (' || problem || ')', '') FROM brop.verify_ledger(signatures => true)")
t_vsig=$(( $(now_ms) - t0 ))
t0=$(now_ms); v_nosig=$(psql_b -c 'SET max_parallel_workers_per_gather = 0' -c "SELECT ok || coalesce(' (' || problem || ')', '') FROM brop.verify_ledger(signatures => false)")
t_vnosig=$(( $(now_ms) - t0 ))
t_read=$(ms 'SELECT count(x.e) FROM (SELECT e FROM brop.log_leaf l LEFT JOIN brop.entry e ON e.id = l.entry ORDER BY l.position) x')
echo
echo "ledger verify_ledger on one core, $size entries (results: with signatures ok=$v_sig, without ok=$v_nosig):"
echo "  signatures => true      $t_vsig ms ($(rate "$size" "$t_vsig") entries/s, $(awk -v t="$t_vsig" -v n="$size" 'BEGIN { printf "%.1f", t * 1000 / n }') µs each)"
echo "  signatures => false     $t_vnosig ms ($(rate "$size" "$t_vnosig") entries/s, $(awk -v t="$t_vnosig" -v n="$size" 'BEGIN { printf "%.1f", t * 1000 / n }') µs each)"
echo "  reading the rows alone  $t_read ms (the same join in position order)"
echo "  one brop.verify (section 2): $verify_us µs; signatures => false time / reading time: $(ratio "$t_vnosig" "$t_read")x"
source "$top/test/bench/verify_cores.sh"
BENCH_VERIFY_ROUNDS=${BENCH_VERIFY_ROUNDS:-1} verify_cores

# 8. Proof latency in a log of 10M entries (BENCH_PROOF_ENTRIES): the log of
#    section 6, grown by blocks of 1M fixture entries (test/bench/ledger_fill.sql),
#    each sealed by brop.seal(); then pgbench, one client, per-call latency
proof_n=${BENCH_PROOF_ENTRIES:-10000000}
chunk=1000000
t_fill=0; t_seals=0; filled=0; seals=0
while [ "$size" -lt "$proof_n" ]; do
  m=$(( proof_n - size < chunk ? proof_n - size : chunk ))
  t0=$(now_ms)
  for k in 0 1; do
    psql_b -v first=$((filled + 1)) -v last=$((filled + m)) -v k=$k -f "$top/test/bench/ledger_fill.sql" >/dev/null & pids[$k]=$!
    bg_pids+=("${pids[$k]}")
  done
  wait "${pids[0]}"; wait "${pids[1]}"
  bg_pids=()
  t_fill=$(( t_fill + $(now_ms) - t0 ))
  t_seals=$(( t_seals + $(wall_ms psql_b -c 'SELECT number FROM brop.seal()') ))
  filled=$((filled + m)); seals=$((seals + 1))
  size=$(psql_b -c 'SELECT max(tree_size) FROM brop.block')
done
# the fixture's digests, recomputed by brop for 1000 random fixture entries
sample=$(psql_b -c "SELECT count(*) FILTER (WHERE brop.entry_digest(e) = e.digest) || '/' || count(*)
                     FROM brop.entry e
                     WHERE e.org = brop.key_did('bench-load')
                       AND e.nonce IN (SELECT 'fill-' || (1 + floor(random() * $filled))::bigint FROM generate_series(1, 1000))")
psql_b -c 'VACUUM ANALYZE brop.entry, brop.pending, brop.log_leaf, brop.log_tile, brop.block'
read -r lo hi gaps < <(psql_b -F ' ' -c 'SELECT min(entry), max(entry), max(entry) - min(entry) + 1 - count(*) FROM brop.log_leaf')
[ "$gaps" = 0 ] || { echo "bench: sealed entry ids are not contiguous ($gaps gaps)" >&2; exit 1; }
proof_t=$((20000 * scale))
declare -A lat
for s in entry_lookup inclusion_proof consistency_proof; do
  pgb -c 1 -t $((proof_t / 10)) -D lo="$lo" -D hi="$hi" -D size="$size" -f "$top/test/bench/$s.pgbench" >/dev/null  # warm-up
  rm -f "$work/$s".*
  pgb -c 1 -t "$proof_t" -D lo="$lo" -D hi="$hi" -D size="$size" -f "$top/test/bench/$s.pgbench" \
      --log --log-prefix="$work/$s" >/dev/null
  lat[$s]=$(pct "$work/$s".*)
done
read -r l50 l99 lavg <<<"${lat[entry_lookup]}"
read -r i50 i99 iavg <<<"${lat[inclusion_proof]}"
read -r c50 c99 cavg <<<"${lat[consistency_proof]}"
sizes=$(psql_b -F ', ' -c "SELECT 'database ' || pg_size_pretty(pg_database_size(current_database())),
                                   'brop.entry ' || pg_size_pretty(pg_total_relation_size('brop.entry')),
                                   'brop.log_leaf ' || pg_size_pretty(pg_total_relation_size('brop.log_leaf')),
                                   'brop.log_tile ' || pg_size_pretty(pg_total_relation_size('brop.log_tile'))")
echo
echo "ledger proofs, log of $size entries in $(psql_b -c 'SELECT count(*) FROM brop.block') blocks, $proof_t calls each, one client (pgbench -M prepared):"
if [ "$seals" -gt 0 ]; then
  echo "  growing it: $filled fixture entries in $t_fill ms ($(rate "$filled" "$t_fill") entries/s, 2 sessions; digests recomputed by brop.entry_digest: $sample equal),"
  echo "    sealed in $seals blocks in $t_seals ms ($(rate "$filled" "$t_seals") entries/s)"
fi
printf '  %-30s p50 %6s ms  p99 %6s ms  mean %6s ms\n' \
  'brop.inclusion_proof(id)' "$i50" "$i99" "$iavg" \
  'brop.consistency_proof(old)' "$c50" "$c99" "$cavg" \
  'entry by primary key (baseline)' "$l50" "$l99" "$lavg"
echo "  inclusion p50 / lookup p50: $(ratio "$i50" "$l50")x; p50 target < 1 ms: inclusion $(awk -v a="$i50" 'BEGIN { print (a < 1) ? "met" : "missed" }'), consistency $(awk -v a="$c50" 'BEGIN { print (a < 1) ? "met" : "missed" }')"
echo "  size: $sizes"

# 9. Registration, path 1: INSERTs into a table registered with the capture
#    trigger (each row captured in the same transaction, sealed into
#    brop.capture_queue at commit) vs the same table unregistered; as one
#    INSERT ... SELECT of 100k rows (BENCH_SCALE scales it), and as single-row
#    INSERT transactions (pgbench, 1 client); then the drain that turns the
#    captured rows into batch-signed entries (entries/s).
[ -f "$RUN_DIR/bench/salt.key" ] || make_root_key "$RUN_DIR/bench/salt.key"
psql_b -c "ALTER DATABASE brop_bench SET brop.salt_key_file = '$RUN_DIR/bench/salt.key'"
reg_rows=$((100000 * scale))
reg_t=$((5000 * scale))
for t in plain_students registered_students; do
  psql_b -c "CREATE TABLE $t (id bigint PRIMARY KEY, name text NOT NULL, program text, grade text, updated timestamptz)" \
         -c "CREATE SEQUENCE ${t}_seq START 10000000"
done
psql_b -c "SELECT brop.create_key('ed25519', 'bench-registrar')" \
       -c "SELECT name FROM brop.register_table('registered_students', '{id}', signing_key => 'bench-registrar')" >/dev/null
# each run inserts new rows (ids from the table's sequence)
bulk_sql() {
  echo "INSERT INTO $1 (id, name, program, grade, updated)
        SELECT nextval('${1}_seq'), 'student ' || i, 'program ' || (i % 40), (ARRAY['A','B','C'])[1 + i % 3], now()
          FROM generate_series(1, $reg_rows) i"
}
# in turn, each run in its own transaction after a CHECKPOINT, so that neither
# pays for the other's dirty buffers
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
# (at least 5 runs: on a virtual machine the kernel's writeback throttling
# slows some runs of either by half)
reg_runs=$((runs < 5 ? 5 : runs))
t_reg_plain=; t_reg_trig=
for ((r = 0; r < reg_runs; r++)); do
  psql_b -c CHECKPOINT
  t_reg_plain=$(best "$t_reg_plain" "$(ms "$(bulk_sql plain_students)" "RESET ALL" 1)")
  psql_b -c CHECKPOINT
  t_reg_trig=$(best "$t_reg_trig" "$(ms "$(bulk_sql registered_students)" "RESET ALL" 1)")
done
t_drain=$(ms "SELECT brop.drain_captures()" "RESET ALL" 1)
entries_made=$(psql_b -c "SELECT count(*) FROM brop.entry WHERE kind = 'row'")
for t in plain_students registered_students; do
  sed "s/@TAB@/$t/g" "$top/test/bench/registered_insert.pgbench" >"$work/insert_$t.pgbench"
done
tp_plain=0; tp_trig=0
for ((r = 0; r < reg_runs; r++)); do
  t=$(pgb -c 1 -t "$reg_t" -f "$work/insert_plain_students.pgbench" | tps); [ "$t" -le "$tp_plain" ] || tp_plain=$t
  t=$(pgb -c 1 -t "$reg_t" -f "$work/insert_registered_students.pgbench" | tps); [ "$t" -le "$tp_trig" ] || tp_trig=$t
done
echo
echo "registration, capture trigger ($settings, fsync=$(psql_b -c "SHOW fsync"); best of $reg_runs runs each, in turn; bulk runs after a CHECKPOINT):"
echo "  INSERT ... SELECT of $reg_rows rows: unregistered $t_reg_plain ms, registered $t_reg_trig ms:" \
     "$(ratio "$t_reg_trig" "$t_reg_plain")x the time (target <= 1.5x)"
echo "  drain of the captured rows into entries: $entries_made entries in $t_drain ms" \
     "($(awk -v n="$entries_made" -v t="$t_drain" 'BEGIN { printf "%.0f", n / t * 1000 }') entries/s, one signature per batch of up to 1000)"
echo "  single-row INSERT transactions ($reg_t, 1 client): unregistered $tp_plain tps, registered $tp_trig tps:" \
     "$(ratio "$tp_plain" "$tp_trig")x the time (target <= 1.5x)"

# ---- registration, path 2 (issue 4) -------------------------------------------
# 10. Decoding: a change set of 1M rows (1000 transactions of 1000 INSERTs into
#     a table registered for the plugin), read with pg_logical_slot_peek_changes
#     through brop (row digests and chain keys computed) vs wal2json
#     (format-version 2) and test_decoding, each from its own slot over the same
#     WAL; best of BENCH_RUNS reads of each, the three read in turn.
dec_rows=$((1000000 * scale))
relay_key="$work/bench-org.jwk"
relay_did=$("$top/bin/brop" keygen --out "$relay_key" --force)
chown "$PG_USER:" "$relay_key"
psql_b -c "CREATE TABLE decoded_students (id bigint PRIMARY KEY, name text NOT NULL, program text, grade text, updated timestamptz)" \
       -c "ALTER TABLE decoded_students REPLICA IDENTITY FULL" \
       -c "SELECT name FROM brop.register_table('decoded_students', '{id}', signing_key => 'bench-registrar', capture => 'plugin')" \
       -c "SELECT pg_create_logical_replication_slot('dec_' || p, p) FROM unnest(ARRAY['brop', 'wal2json', 'test_decoding']) p" >/dev/null
psql_b -c "CREATE PROCEDURE pg_temp.fill(n bigint) LANGUAGE plpgsql AS \$\$
             BEGIN
               FOR t IN 0 .. n / 1000 - 1 LOOP
                 INSERT INTO decoded_students
                 SELECT t * 1000 + i, 'student ' || i, 'program ' || (i % 40), (ARRAY['A','B','C'])[1 + i % 3], now()
                 FROM generate_series(1, 1000) i;
                 COMMIT;
               END LOOP;
             END \$\$" -c "CALL pg_temp.fill($dec_rows)"
# the three reads in turn, so that each run of each meets the same moment of this shared machine
t_dec_brop= t_dec_w2j= t_dec_td=
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
for ((r = 0; r < runs; r++)); do
  t_dec_brop=$(best "$t_dec_brop" "$(ms "SELECT count(*) FROM pg_logical_slot_peek_changes('dec_brop', NULL, NULL, 'org', '$relay_did')" 'RESET ALL' 1)")
  t_dec_w2j=$(best "$t_dec_w2j" "$(ms "SELECT count(*) FROM pg_logical_slot_peek_changes('dec_wal2json', NULL, NULL, 'format-version', '2')" 'RESET ALL' 1)")
  t_dec_td=$(best "$t_dec_td" "$(ms "SELECT count(*) FROM pg_logical_slot_peek_changes('dec_test_decoding', NULL, NULL)" 'RESET ALL' 1)")
done
lines_brop=$(psql_b -c "SELECT count(*) FILTER (WHERE data LIKE '{\"chain_key\"%') FROM pg_logical_slot_peek_changes('dec_brop', NULL, NULL, 'org', '$relay_did')")
psql_b -c "SELECT pg_drop_replication_slot(s) FROM unnest(ARRAY['dec_brop', 'dec_wal2json', 'dec_test_decoding']) s" >/dev/null
echo
echo "registration, output plugin: decoding $dec_rows inserted rows (1000 per transaction) with pg_logical_slot_peek_changes, best of $runs:"
echo "  brop           $t_dec_brop ms ($(rate "$dec_rows" "$t_dec_brop") rows/s; $lines_brop row entries with digests)"
echo "  wal2json v2    $t_dec_w2j ms ($(rate "$dec_rows" "$t_dec_w2j") rows/s)"
echo "  test_decoding  $t_dec_td ms ($(rate "$dec_rows" "$t_dec_td") rows/s)"
echo "  brop throughput / wal2json: $(ratio "$t_dec_w2j" "$t_dec_brop")x (target >= 1.0x); / test_decoding: $(ratio "$t_dec_td" "$t_dec_brop")x"

# 11. brop relay to a ledger in another cluster (its sealing worker preloaded):
#     sustained entries/s appending a backlog of 100k changes (100 per source
#     transaction), then commit-to-sealed latency of single-row transactions
#     at a steady 200 per second for 20 s, with brop.block_interval 3 s and
#     200 ms: from the row's clock_timestamp() at the source to the sealed_at
#     of the block holding its entry (one machine, one clock).
relay_rows=$((100000 * scale))
"$top/scripts/cluster.sh" start bench-ledger
ledger_env=$("$top/scripts/cluster.sh" env bench-ledger)
psql_l() { (eval "$ledger_env"; as_pg psql -X -q -v ON_ERROR_STOP=1 -At -d brop_ledger "$@"); }
(eval "$ledger_env"
 as_pg psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS brop_ledger WITH (FORCE)' -c 'CREATE DATABASE brop_ledger' 2>/dev/null)
"$top/scripts/cluster.sh" set bench-ledger "shared_preload_libraries = 'brop'" "brop.database = 'brop_ledger'" \
  "brop.block_interval = '3s'"
"$top/scripts/cluster.sh" restart bench-ledger
psql_l -c 'CREATE EXTENSION brop' -c "SELECT brop.create_key('ed25519', 'node')" \
       -c "SELECT origin FROM brop.configure_ledger('bench.example/relay', 'node')" \
       -c "SELECT name FROM brop.add_organization('$relay_did', 'Bench University')" >/dev/null
psql_b -c "CREATE TABLE relayed_students (id bigint PRIMARY KEY, name text NOT NULL, grade text,
                                          created timestamptz NOT NULL DEFAULT clock_timestamp())" \
       -c "ALTER TABLE relayed_students REPLICA IDENTITY FULL" \
       -c "SELECT name FROM brop.register_table('relayed_students', '{id}', signing_key => 'bench-registrar', capture => 'plugin')" \
       -c "SELECT 'made' FROM pg_create_logical_replication_slot('bench_relay', 'brop')" \
       -c "CREATE SEQUENCE relayed_seq" >/dev/null
psql_b -c "CREATE PROCEDURE pg_temp.fill(n bigint) LANGUAGE plpgsql AS \$\$
             BEGIN
               FOR t IN 1 .. n / 100 LOOP
                 INSERT INTO relayed_students (id, name, grade)
                 SELECT nextval('relayed_seq'), 'student ' || i, 'A' FROM generate_series(1, 100) i;
                 COMMIT;
               END LOOP;
             END \$\$" -c "CALL pg_temp.fill($relay_rows)"
relay_cmd=("$top/bin/brop" relay --source "host=$PGHOST port=$PGPORT dbname=brop_bench user=postgres"
           --slot bench_relay --ledger "$(eval "$ledger_env"; echo "host=$PGHOST port=$PGPORT dbname=brop_ledger user=postgres")"
           --key "$relay_key" --status-interval 0)
# --once ends when the source is idle, or gives up (exit 4 or 5); timeout bounds it anyway
t_relay=$(wall_ms as_pg timeout -k 10 $((600 * scale)) "${relay_cmd[@]}" --once)
relayed=$(psql_l -c "SELECT count(*) FROM brop.entry WHERE kind = 'row'")
[ "$relayed" -ge "$relay_rows" ] || { echo "bench: brop relay --once appended $relayed of $relay_rows changes" >&2; exit 1; }
echo
echo "registration, brop relay ($settings, fsync=$(psql_b -c "SHOW fsync") at both ends):"
echo "  backlog of $relay_rows changes (100 per transaction): $relayed entries appended in $t_relay ms ($(rate "$relayed" "$t_relay") entries/s, batches of up to 1000)"
sed "s/@TAB@/relayed_students/g" "$top/test/bench/relayed_insert.pgbench" >"$work/relayed_insert.pgbench"
for interval in 3s 200ms; do
  "$top/scripts/cluster.sh" set bench-ledger "brop.block_interval = '$interval'"
  psql_l -c 'SELECT pg_reload_conf()' >/dev/null
  as_pg_bg "$work/relay.pid" "${relay_cmd[@]}" 2>"$work/relay.log"
  first=$(psql_b -c "SELECT last_value + 1 FROM relayed_seq")
  pgb -c 1 -R 200 -T 20 -f "$work/relayed_insert.pgbench" >/dev/null
  last=$(psql_b -c "SELECT last_value FROM relayed_seq")
  psql_b -c "SELECT pg_switch_wal()" >/dev/null
  # wait until every row of the run is on the ledger and in a block
  want=$((relayed + last - first + 1))
  relayed_and_sealed() {
    [ "$(psql_l -c "SELECT count(*) FROM brop.entry WHERE kind = 'row'")" -ge "$want" ] &&
      [ "$(psql_l -c "SELECT count(*) FROM brop.pending")" = 0 ]
  }
  wait_until 300 "the relay's rows on the ledger and sealed (see $work/relay.log)" relayed_and_sealed
  stop_bg "$work/relay.pid"
  relayed=$(psql_l -c "SELECT count(*) FROM brop.entry WHERE kind = 'row'")
  psql_l -c "DROP TABLE IF EXISTS lat_rows" -c "CREATE TABLE lat_rows (chain_key text, created timestamptz)"
  psql_b -c "COPY (SELECT brop.row_chain_key('public.relayed_students', jsonb_build_array(id::text)), created
                   FROM relayed_students WHERE id BETWEEN $first AND $last) TO STDOUT" |
    psql_l -c "COPY lat_rows FROM STDIN"
  lat=$(psql_l -F ' ' -c "SELECT count(*),
                round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 0),
                round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 0),
                round(max(ms)::numeric, 0)
         FROM (SELECT extract(epoch FROM b.sealed_at - r.created) * 1000 AS ms
               FROM lat_rows r JOIN brop.entry e ON e.chain_key = r.chain_key AND e.kind = 'row'
               JOIN brop.log_leaf l ON l.entry = e.id JOIN brop.block b ON b.number = l.block) s")
  read -r n p50 p99 pmax <<<"$lat"
  echo "  block interval $interval: 200 single-row transactions/s for 20 s, $n rows: commit to sealed p50 $p50 ms, p99 $p99 ms, max $pmax ms"
done

# 12. Credentials (issue 5): 10k credentials (BENCH_SCALE scales it) issued
#     in one statement (profile 2, SD-JWT, three claims, to 100 holders in
#     turn), then 10k presentations of one claim each verified in one
#     statement (each bound to its own nonce; the log of section 8 behind
#     the inclusion proofs); each the best of BENCH_RUNS runs. Beside them the core alone doing the same
#     cryptography in a C loop (test/bench/credential_raw.c): its time over
#     the SQL time is the share spent in the core (cryptography and the
#     credential formats), the rest is SQL.
echo "== credentials: issuance and verification (issue 5)"
ncred=$((10000 * scale))
psql_b -f "$top/test/bench/credential_present.sql" \
       -c "SELECT count(brop.create_key('ed25519', 'bc-' || i)) FROM generate_series(0, 100) i" \
       -c "SELECT brop.add_organization(brop.key_did('bc-0'), 'Bench University', 'cross_issuer', '{higher_education}')" \
       -c "DROP TABLE IF EXISTS bc_holder" \
       -c "CREATE TABLE bc_holder AS SELECT i, 'bc-' || i AS key, brop.key_did('bc-' || i) AS did FROM generate_series(1, 100) i" >/dev/null
# best of $runs runs each, as the raw loop's
t_issue=
for ((r = 0; r < runs; r++)); do
  t=$(wall_ms psql_b -c "CREATE TABLE bc_issued_$r AS
    SELECT g.i, h.key, (brop.issue_credential('bc-0', h.did, 'higher_education',
                         '{\"degree\": \"MSc Physics\", \"final_grade\": \"A\", \"year\": 2026}')).credential
      FROM generate_series(1, $ncred) g(i) JOIN bc_holder h ON h.i = 1 + g.i % 100")
  [ -n "$t_issue" ] && [ "$t" -ge "$t_issue" ] || t_issue=$t
done
psql_b -c 'SELECT number FROM brop.seal()' >/dev/null
size=$(psql_b -c 'SELECT max(tree_size) FROM brop.block')
psql_b -c "CREATE TABLE bc_pres AS SELECT i, 'n-' || i AS nonce,
             present_with_keyring(credential, key, '{final_grade}', 'n-' || i, 'https://verifier.example') AS p FROM bc_issued_0" >/dev/null
t_verify=
for ((r = 0; r < runs; r++)); do
  t=$(wall_ms psql_b -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS bc_verdict" -c "CREATE TABLE bc_verdict AS
    SELECT i, (brop.verify_presentation(p, nonce, 'https://verifier.example')).valid FROM bc_pres")
  [ -n "$t_verify" ] && [ "$t" -ge "$t_verify" ] || t_verify=$t
done
valid=$(psql_b -c 'SELECT count(*) FILTER (WHERE valid) FROM bc_verdict')
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$top/src/core" -o "$work/credential_raw" "$top/test/bench/credential_raw.c" \
  "$top/build/libbropcore.a" -lsodium -lsecp256k1 -lcrypto -ljansson
read -r raw_issue raw_verify < <("$work/credential_raw" "$ncred" "$size" "$runs")
echo "  best of $runs runs, each in one session:"
echo "  issue $ncred credentials (profile 2, sd-jwt), one session: $t_issue ms ($(rate "$ncred" "$t_issue") credentials/s)"
echo "    the core's cryptography alone: $raw_issue ms; share of the time in the core: $(awk -v a="$raw_issue" -v b="$t_issue" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
echo "  verify $ncred presentations (key binding, inclusion in a log of $size entries), one session: $t_verify ms ($(rate "$ncred" "$t_verify") presentations/s), $valid valid"
echo "    the core's cryptography alone: $raw_verify ms; share of the time in the core: $(awk -v a="$raw_verify" -v b="$t_verify" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
psql_b -c "DROP TABLE bc_pres, bc_verdict, bc_holder, $(seq -s, -f 'bc_issued_%g' 0 $((runs - 1)))" >/dev/null
