#!/usr/bin/env bash
# `make bench`: each benchmark prints its figures and a ratio against a
# baseline measured in the same run. BENCH_SCALE (default 1) scales row counts.
source "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh"
source "$(dirname "$0")/lib.sh"
make -C "$top" -s all
install_brop
check_tree_readable

"$top/scripts/cluster.sh" restart bench
eval "$("$top/scripts/cluster.sh" env bench)"
work=$RUN_DIR/bench/work
rm -rf "$work"; pg_dir "$work"
scale=${BENCH_SCALE:-1}
runs=${BENCH_RUNS:-3}
as_pg psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS brop_bench' -c 'CREATE DATABASE brop_bench' 2>/dev/null
psql_b() { as_pg psql -X -q -v ON_ERROR_STOP=1 -At -d brop_bench "$@"; }
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
