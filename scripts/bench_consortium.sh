#!/usr/bin/env bash
# `make bench`, the consortium (issue 18; docs/benchmarks.md, "Consortium"):
# three throw-away clusters of scripts/cluster.sh (cons-seq, the sequencer;
# cons-m1 and cons-m2, two members whose witnesses the sequencer's 2-of-2
# policy names), each preloading brop for its sealing worker. Each figure is
# printed against a baseline measured in this run:
#   1. commit to a checkpoint cosigned by 2 of 2 witnesses, p50 and p99, at
#      block intervals 3 s and 200 ms, against the interval and against
#      commit to sealed;
#   2. the members' lag at steps of a sustained load, and the highest step
#      they keep up with, against the highest rate the sequencer alone holds;
#   3. the sequencer's submission throughput with 0, 1 and 2 members fed,
#      against 0.
# BENCH_CONSORTIUM_SECS (default 10) is the length of a throughput run
# (3.); the other runs scale with it (shorter steps make the verdict of 2.
# noisy). BROP_BENCH_BUILT=1 (scripts/bench.sh
# sets it) skips the build and install.
source "$(dirname "$0")/lib.sh"

if [ -z "${BROP_BENCH_BUILT:-}" ]; then
  "$top/scripts/deps.sh"
  source "$(dirname "$0")/lib.sh"
  make -C "$top" -s all
  install_brop
fi
check_tree_readable

secs=${BENCH_CONSORTIUM_SECS:-10}
clients=4
nodes=(cons-seq cons-m1 cons-m2)
started=$SECONDS

stop_everything() {
  local rc=$? n
  trap - EXIT INT TERM
  for n in "${nodes[@]}"; do "$top/scripts/cluster.sh" stop "$n"; done
  exit "$rc"
}
trap stop_everything EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A host port conninfo
for n in "${nodes[@]}"; do
  "$top/scripts/cluster.sh" stop "$n"
  rm -rf "${RUN_DIR:?}/$n"
  "$top/scripts/cluster.sh" start "$n"
  # shared_preload_libraries: the sealing worker (the members' witness runs in it)
  "$top/scripts/cluster.sh" set "$n" "shared_preload_libraries = 'brop'" "brop.block_interval = '200ms'" \
    "max_replication_slots = 20" "max_wal_senders = 20" "max_logical_replication_workers = 10" \
    "track_commit_timestamp = on"
  "$top/scripts/cluster.sh" restart "$n"
  eval "$("$top/scripts/cluster.sh" env "$n")"
  host[$n]=$PGHOST port[$n]=$PGPORT
  conninfo[$n]="host=$PGHOST port=$PGPORT dbname=postgres user=postgres"
done
work=$RUN_DIR/cons-seq/work
pg_dir "$work"
# q NODE ARGS...: psql on a node's database postgres
q() { local n=$1; shift; as_pg psql -X -q -v ON_ERROR_STOP=1 -At -h "${host[$n]}" -p "${port[$n]}" -U postgres -d postgres "$@"; }
pgb() { as_pg env -C "$work" "$PG_BINDIR/pgbench" -n -M prepared -h "${host[cons-seq]}" -p "${port[cons-seq]}" -U postgres "$@" postgres; }
tps() { sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | awk '{ printf "%.0f", $1 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
# wait_until SECONDS WHAT CMD...: runs CMD until it succeeds; fails the run after SECONDS
wait_until() {
  local secs=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "bench: $what: not done after $secs s" >&2; exit 1; }
    sleep 0.2
  done
}
# cpu NODE: CPU time (ms) of the node's processes so far: the postmaster's own and
# that of its children gone (cutime, cstime), and of those alive
tick=$(getconf CLK_TCK)
# (from /proc alone: a Debian root of scripts/matrix.sh may have no ps)
cpu() {
  local pm
  pm=$(head -n 1 "$RUN_DIR/$1/data/postmaster.pid")
  { cat "/proc/$pm/stat"; cat /proc/[0-9]*/stat 2>/dev/null || true; } |
    awk -v pm="$pm" -v tick="$tick" 'NR == 1 { t = $14 + $15 + $16 + $17; next } $4 == pm { t += $14 + $15 }
                                     END { printf "%d", t * 1000 / tick }'
}
# interval VALUE: brop.block_interval on every node
interval() {
  local n
  for n in "${nodes[@]}"; do q "$n" -c "ALTER SYSTEM SET brop.block_interval = '$1'" -c 'SELECT pg_reload_conf()' >/dev/null; done
}
# caught_up_k K: nothing pending on the sequencer, and the latest cosignatures of
# members 1..K there are of its latest block
caught_up_k() {
  [ "$(q cons-seq -c "SELECT count(*) FROM brop.pending")" = 0 ] &&
  [ "$(q cons-seq -c "SELECT count(*) FROM (SELECT witness FROM brop.cosignature
                         WHERE witness IN (SELECT 'm' || i || '.example' FROM generate_series(1, $1) i) GROUP BY witness
                         HAVING max(tree_size) = (SELECT max(tree_size) FROM brop.block)) s")" -ge "$1" ]
}
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "brop benchmarks, the consortium: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(load_avg), PostgreSQL $(q cons-seq -c 'SHOW server_version')"
echo "  three clusters on this machine (sequencer, two members; unix sockets; $(q cons-seq -F ', ' -c "SELECT 'fsync=' || current_setting('fsync'), 'synchronous_commit=' || current_setting('synchronous_commit'), 'shared_buffers=' || current_setting('shared_buffers')"))"

# ---- the sequencer, then its members ------------------------------------------
q cons-seq -c 'CREATE EXTENSION brop' -c "SELECT brop.create_key('ed25519', 'node'), brop.create_key('ed25519', 'org')" \
  -c "SELECT origin FROM brop.configure_ledger('bench.example/consortium', 'node')" \
  -c 'SELECT brop.consortium_start()' -f "$top/test/bench/consortium_sequencer.sql" >/dev/null
did=$(q cons-seq -c "SELECT brop.key_did('node')")
# some history for the members to copy
q cons-seq -c "SELECT count(brop.submit_as('org', 'bench', brop.sha256(convert_to('h ' || i, 'UTF8')), 'h-' || i))
                 FROM generate_series(1, 1000) i" >/dev/null

vkeys=()
for i in 1 2; do
  m=cons-m$i
  q "$m" -c 'CREATE EXTENSION brop' -c "SELECT brop.create_key('ed25519', 'witness')" \
    -f "$top/test/bench/consortium_member.sql" >/dev/null
  vkeys+=("$(q "$m" -c "SELECT brop.witness_configure('m$i.example', 'witness')")")
  q "$m" -c "SELECT brop.join('m$i', '${conninfo[cons-seq]}', 'bench.example/consortium', '$did')" >/dev/null
  q cons-seq -c "SELECT brop.admit_member('m$i', '${conninfo[$m]}', '${vkeys[-1]}')" >/dev/null
done
q cons-seq -c "SELECT brop.set_witness_policy(ARRAY['${vkeys[0]}', '${vkeys[1]}'], 2)" >/dev/null
wait_until 120 "the members' first copy, verified and cosigned" caught_up_k 2
echo "  set-up: $((SECONDS - started)) s"

# pcpu PID: CPU time (ms) of one process so far
pcpu() { awk -v t="$tick" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# the walsender feeding member I on the sequencer, its apply worker and its sealing worker (its witness)
walsender() { q cons-seq -c "SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'brop_member_m$1' AND active"; }
applier() { q "cons-m$1" -c "SELECT pid FROM pg_stat_subscription WHERE subname = 'brop_ledger' AND relid IS NULL AND pid IS NOT NULL"; }
sealer() { q "$1" -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'brop sealer'"; }
last_id() { q cons-seq -c 'SELECT coalesce(max(id), 0) FROM brop.entry'; }
us_per() { awk -v ms="$1" -v n="$2" 'BEGIN { if (n + 0 == 0) print "-"; else printf "%.0f", ms * 1000 / n }'; }

# 3. The sequencer's cost for each member it feeds: unthrottled submissions
#    (pgbench, $clients clients, one brop.submit_as per transaction) for
#    $secs s with 0, 1 and 2 members fed, in turn, best of 2 runs each. A
#    member not fed has its subscription disabled (its walsender gone); a
#    member fed is caught up before the run starts. Beside each rate, the CPU
#    time per entry, from the run's start until the fed members have caught
#    up, of each cluster's processes, and of the walsender that feeds each
#    member: the cost that stays on the sequencer when the members
#    run elsewhere; on this machine all three clusters share the 2 cores.
# feed K: members 1..K subscribed, the others not; wait until the fed ones are caught up
declare -A drain_rate=()
feed() {
  local k=$1 i on want t0 backlog
  for i in 1 2; do
    if [ "$i" -le "$k" ]; then on=ENABLE; else on=DISABLE; fi
    q "cons-m$i" -c "ALTER SUBSCRIPTION brop_ledger $on"
  done
  for i in 1 2; do
    if [ "$i" -le "$k" ]; then want=t; else want=f; fi
    wait_until 60 "member $i's walsender $( [ $want = t ] && echo started || echo gone)" slot_active "$i" "$want"
  done
  [ "$k" -gt 0 ] || return 0
  backlog=$(q cons-seq -c "SELECT (SELECT max(tree_size) FROM brop.block) - min(s) FROM
                             (SELECT max(tree_size) AS s FROM brop.cosignature WHERE witness IN
                               (SELECT 'm' || i || '.example' FROM generate_series(1, $k) i) GROUP BY witness) w")
  t0=$(date +%s%3N)
  wait_until 300 "the members' catch-up" caught_up_k "$k"
  # the rate at which fed members verify and cosign a backlog, nothing else running
  if [ "$backlog" -ge 10000 ]; then
    drain_rate[$k]="${drain_rate[$k]:-}$backlog entries in $(( $(date +%s%3N) - t0 )) ms ($(awk -v n="$backlog" -v ms=$(( $(date +%s%3N) - t0 )) 'BEGIN { printf "%.0f", n / ms * 1000 }') entries/s); "
  fi
}
slot_active() { [ "$(q cons-seq -c "SELECT active FROM pg_replication_slots WHERE slot_name = 'brop_member_m$1'")" = "$2" ]; }
declare -A tp cpu_seq cpu_m ws_cpu runs_tp m1_cpu
for ((r = 0; r < 2; r++)); do
  for k in 2 1 0; do
    feed "$k"
    ws=() ws0=()
    for ((i = 1; i <= k; i++)); do ws+=("$(walsender "$i")"); ws0+=("$(pcpu "${ws[-1]}")"); done
    # member 1's apply worker and its witness (the sealing worker)
    if [ "$k" -gt 0 ]; then ap=$(applier 1) sp=$(sealer cons-m1); ap0=$(pcpu "$ap") sp0=$(pcpu "$sp"); fi
    c0=$(cpu cons-seq) m0=$(( $(cpu cons-m1) + $(cpu cons-m2) )) id0=$(last_id)
    t=$(pgb -c "$clients" -j 2 -T "$secs" -f "$top/test/bench/consortium_submit.pgbench" | tps)
    n=$(( $(last_id) - id0 ))
    # the members' work goes on after the run until they are caught up (the
    # sequencer's then includes this script's polling, under 2 %)
    [ "$k" = 0 ] || wait_until 300 "the members' catch-up" caught_up_k "$k"
    sleep 1     # the backends' exit, counted in the postmaster's children's time
    c=$(us_per $(( $(cpu cons-seq) - c0 )) "$n") m=$(us_per $(( $(cpu cons-m1) + $(cpu cons-m2) - m0 )) "$n")
    w=0 aw=-
    for ((i = 0; i < k; i++)); do w=$(( w + $(pcpu "${ws[i]}") - ws0[i] )); done
    w=$( [ "$k" -gt 0 ] && us_per "$w" $((n * k)) || echo -)
    [ "$k" = 0 ] || aw="$(us_per $(( $(pcpu "$ap") - ap0 )) "$n") / $(us_per $(( $(pcpu "$sp") - sp0 )) "$n")"
    runs_tp[$k]="${runs_tp[$k]:-}${runs_tp[$k]:+ }$t"
    if [ -z "${tp[$k]:-}" ] || [ "$t" -gt "${tp[$k]}" ]; then
      tp[$k]=$t cpu_seq[$k]=$c cpu_m[$k]=$m ws_cpu[$k]=$w m1_cpu[$k]=$aw
    fi
  done
done
feed 2
echo
echo "consortium, the sequencer's cost per member: pgbench, $clients clients, brop.submit_as, $secs s, best of 2 runs each (block interval 200 ms):"
echo "  (CPU time per entry of the best run: each cluster's processes, the walsender feeding a member, member 1's apply worker and witness)"
printf '  %-8s %6s %7s %11s %10s %10s %10s %17s\n' members tps ratio runs sequencer members walsender 'm1 apply/witness'
for k in 0 1 2; do
  printf '  %-8s %6s %6sx %11s %7s µs %7s µs %7s µs %14s µs\n' "$k" "${tp[$k]}" "$(ratio "${tp[$k]}" "${tp[0]}")" "${runs_tp[$k]// //}" \
    "${cpu_seq[$k]}" "${cpu_m[$k]}" "${ws_cpu[$k]}" "${m1_cpu[$k]}"
done
echo "  sequencer CPU per entry with 1 / 2 members against 0: $(ratio "${cpu_seq[1]}" "${cpu_seq[0]}")x / $(ratio "${cpu_seq[2]}" "${cpu_seq[0]}")x (inflated by the contention for the 2 cores)"
echo "  the walsender of one member against the sequencer's CPU per entry with none: $(ratio "${ws_cpu[1]}" "${cpu_seq[0]}")x (1 member fed), $(ratio "${ws_cpu[2]}" "${cpu_seq[0]}")x (each of 2)"
echo "  members' catch-up, no load (fed members: backlog, time, rate): 1: ${drain_rate[1]:-none} 2: ${drain_rate[2]:-none}"
echo "  load average $(load_avg); $((SECONDS - started)) s so far"

# pq P: the percentile_cont of ms, rounded (for the queries below)
pq() { echo "round(percentile_cont($1) WITHIN GROUP (ORDER BY $2)::numeric, 0)"; }

# 1. Commit to a checkpoint cosigned by 2 of 2 witnesses: one client submits
#    one entry at a time at a steady 20 per second, for 30 s at a block
#    interval of 3 s and 20 s at 200 ms (scaled by BENCH_CONSORTIUM_SECS). From
#    each entry's commit time on the sequencer (track_commit_timestamp) to the
#    time the second cosignature of its block's checkpoint arrived there (a
#    trigger on brop.cosignature, enabled ALWAYS for the apply worker's rows,
#    takes clock_timestamp(): µs, before the apply's commit, which follows
#    within a fraction of a ms). Baselines: the interval, and commit to the
#    block's sealed_at in the same run. Per block, where the time goes: the
#    block's arrival at each member and its cosignature there (triggers on
#    the members), and the cosignature's arrival back. One machine, one clock.
lat_rate=20
echo
echo "consortium, commit to a checkpoint cosigned by 2 of 2 witnesses: one client, brop.submit_as at $lat_rate entries/s:"
for iv in 3s 200ms; do
  if [ "$iv" = 3s ]; then dur=$((3 * secs)) iv_ms=3000; else dur=$((2 * secs)) iv_ms=200; fi
  interval "$iv"
  id0=$(last_id)
  pgb -c 1 -R "$lat_rate" -T "$dur" -f "$top/test/bench/consortium_submit.pgbench" >/dev/null
  id1=$(last_id)
  wait_until 120 "every entry of the run cosigned by both members" caught_up_k 2
  q cons-seq -c 'TRUNCATE bench_c.member_times'
  for i in 1 2; do
    q "cons-m$i" -c "COPY (SELECT 'm$i.example', a.tree_size, a.at, c.at FROM bench_c.block_arrival a
                            LEFT JOIN bench_c.cosigned c USING (tree_size)) TO STDOUT" |
      q cons-seq -c 'COPY bench_c.member_times FROM STDIN'
  done
  read -r n s50 s99 c50 c99 cmax f50 f99 fmax < <(q cons-seq -F ' ' -c "
    WITH two AS (SELECT tree_size, max(at) AS at FROM bench_c.cosig_arrival GROUP BY tree_size HAVING count(*) >= 2),
         e AS (SELECT extract(epoch FROM b.sealed_at - pg_xact_commit_timestamp(e.xmin)) * 1000 AS sealed,
                      extract(epoch FROM c.at - pg_xact_commit_timestamp(e.xmin)) * 1000 AS cosigned,
                      extract(epoch FROM c.at - b.sealed_at) * 1000 AS final
                 FROM brop.entry e JOIN brop.log_leaf l ON l.entry = e.id JOIN brop.block b ON b.number = l.block
                 JOIN two c ON c.tree_size = b.tree_size
                WHERE e.id > $id0 AND e.id <= $id1)
    SELECT count(*), $(pq 0.5 sealed), $(pq 0.99 sealed), $(pq 0.5 cosigned), $(pq 0.99 cosigned), round(max(cosigned)::numeric, 0),
           $(pq 0.5 final), $(pq 0.99 final), round(max(final)::numeric, 0) FROM e")
  read -r nb a50 a99 w50 w99 r50 r99 < <(q cons-seq -F ' ' -c "
    WITH blocks AS (SELECT DISTINCT b.tree_size, b.sealed_at FROM brop.log_leaf l JOIN brop.block b ON b.number = l.block
                     WHERE l.entry > $id0 AND l.entry <= $id1),
         t AS (SELECT extract(epoch FROM m.arrived - b.sealed_at) * 1000 AS arrive,
                      extract(epoch FROM m.cosigned - m.arrived) * 1000 AS witness,
                      extract(epoch FROM a.at - m.cosigned) * 1000 AS back
                 FROM blocks b JOIN bench_c.member_times m USING (tree_size)
                 JOIN bench_c.cosig_arrival a ON a.tree_size = b.tree_size AND a.witness = m.member)
    SELECT (SELECT count(*) FROM blocks), $(pq 0.5 arrive), $(pq 0.99 arrive), $(pq 0.5 witness), $(pq 0.99 witness),
           $(pq 0.5 back), $(pq 0.99 back) FROM t")
  echo "  block interval $iv, $dur s, $n of $((id1 - id0)) entries in $nb blocks:"
  echo "    commit to cosigned 2 of 2     p50 $c50 ms, p99 $c99 ms, max $cmax ms: p50 $(ratio "$c50" "$iv_ms")x, p99 $(ratio "$c99" "$iv_ms")x the interval"
  echo "    commit to sealed (baseline)   p50 $s50 ms, p99 $s99 ms: cosigned / sealed p50 $(ratio "$c50" "$s50")x, p99 $(ratio "$c99" "$s99")x"
  echo "    sealed to cosigned 2 of 2     p50 $f50 ms, p99 $f99 ms, max $fmax ms: p99 $(ratio "$f99" "$iv_ms")x the interval (target <= 1.0x: final within one interval after sealing)"
  echo "    per block and member: sealed to copied p50 $a50 / p99 $a99 ms, copied to cosigned p50 $w50 / p99 $w99 ms, cosigned to back p50 $r50 / p99 $r99 ms"
done
interval 200ms
echo "  load average $(load_avg); $((SECONDS - started)) s so far"

# 2. The members' lag under a sustained load: submissions at steps of
#    0.25, 0.5 and 0.75 of the rate the sequencer held with both members fed
#    (3.), then unthrottled, $((2 * secs)) s each (pgbench -R, $clients clients); every
#    0.5 s the sequencer samples the entries committed and, per member, the
#    size of its latest cosignature there (entries behind), and the age of
#    the oldest committed entry not cosigned (seconds behind: it includes the
#    wait for the next seal). Over the second half of a step, a member keeps up
#    when its lag in entries grows by less than 5 % of the rate (regression
#    slope). Baseline: the rate the sequencer alone held (3., no member fed).
dur=$((2 * secs))
echo
echo "consortium, the members' lag under a sustained load ($clients clients, $dur s a step, block interval 200 ms; second half of each step):"
printf '  %-12s %9s  %-9s %23s %23s %14s  %s\n' 'rate asked' achieved member 'lag entries mean/max' 'lag seconds mean/max' 'growth /s' verdict
kept=0 kept_lag=
for f in 0.25 0.5 0.75 max; do
  if [ "$f" = max ]; then rate=max rate_opt=(); else rate=$(awk -v t="${tp[2]}" -v f="$f" 'BEGIN { printf "%d", t * f }'); rate_opt=(-R "$rate"); fi
  q cons-seq -c "CALL bench_c.sample('$rate', $dur + 0.5, 0.5)" &
  sampler=$!
  got=$(pgb -c "$clients" -j 2 "${rate_opt[@]}" -T "$dur" -f "$top/test/bench/consortium_submit.pgbench" | tps)
  wait "$sampler"
  ok=1
  while read -r w mean max smean smax slope; do
    verdict=$(awk -v s="$slope" -v r="$got" 'BEGIN { print (s < 0.05 * r) ? "keeps up" : "falls behind" }')
    [ "$verdict" = "keeps up" ] || ok=0
    printf '  %-12s %9s  %-9s %23s %23s %14s  %s\n' "$rate" "$got" "$w" "$mean / $max" "$smean / $smax" "$slope" "$verdict"
  done < <(q cons-seq -F ' ' -c "
    WITH s AS (SELECT * FROM bench_c.lag WHERE label = '$rate'),
         h AS (SELECT s.* FROM s WHERE at >= (SELECT min(at) + (max(at) - min(at)) / 2 FROM s))
    SELECT witness, round(avg(committed - cosigned)), max(committed - cosigned),
           round(avg(coalesce(extract(epoch FROM at - oldest), 0))::numeric, 2),
           round(max(coalesce(extract(epoch FROM at - oldest), 0))::numeric, 2),
           round(regr_slope(committed - cosigned, extract(epoch FROM at))::numeric, 0)
      FROM h GROUP BY witness ORDER BY witness")
  wait_until 300 "the members' catch-up after the step" caught_up_k 2
  if [ "$ok" = 1 ]; then kept=$got; else break; fi
done
# the samples, for a look afterwards
q cons-seq -c "COPY bench_c.lag TO STDOUT" >"$work/lag.tsv"
echo "  highest rate both members kept up with: $kept entries/s; the sequencer alone (3.): ${tp[0]} entries/s: $(ratio "$kept" "${tp[0]}")x"
echo "  load average $(load_avg); $((SECONDS - started)) s in all"
