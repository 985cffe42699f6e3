#!/usr/bin/env bash
# `make demo`, step 18: a consortium (docs/consortium.md). A sequencer and
# two members, each in a throw-away cluster of its own (made again at each
# run): the members copy the sequencer's ledger by logical replication,
# verify each block and cosign its checkpoint; the cosignatures replicate
# back; a 2-of-2 cosigned checkpoint is verified offline.
source "$(dirname "$0")/lib.sh"
brop=$top/bin/brop
work=$RUN_DIR/demo/work
pg_dir "$work"

node_sql() {   # node_sql CLUSTER psql-args...: in its database brop_node
  local env
  env=$("$top/scripts/cluster.sh" env "$1"); shift
  (eval "$env"; as_pg psql -X -q -v ON_ERROR_STOP=1 -d brop_node "$@")
}
conninfo() { (eval "$("$top/scripts/cluster.sh" env "$1")"; echo "host=$PGHOST port=$PGPORT dbname=brop_node user=postgres"); }

for n in demo-sequencer demo-member1 demo-member2; do
  "$top/scripts/cluster.sh" remove "$n"
  "$top/scripts/cluster.sh" set "$n" "shared_preload_libraries = 'brop'" "brop.database = 'brop_node'" \
    "brop.block_interval = '500ms'"
  "$top/scripts/cluster.sh" restart "$n"
  (eval "$("$top/scripts/cluster.sh" env "$n")"; as_pg psql -X -q -d postgres -c 'CREATE DATABASE brop_node')
done

echo "the sequencer: a ledger, published for its members"
node_sql demo-sequencer <<'SQL'
CREATE EXTENSION brop;
SELECT brop.create_key('ed25519', 'node') IS NOT NULL AS node_key, brop.create_key('ed25519', 'registry') IS NOT NULL AS org_key;
SELECT origin FROM brop.configure_ledger('demo.brop.example/consortium', 'node');
SELECT brop.consortium_start() AS publication;
SELECT count(brop.submit_as('registry', 'evidence', brop.sha256(convert_to('record ' || i, 'UTF8')), 'rec-' || i))
       AS submitted FROM generate_series(1, 10) i;
SQL
did=$(node_sql demo-sequencer -At -c "SELECT node_did FROM brop.ledger_config")
vkeys=()
for i in 1 2; do
  echo "member $i: a witness key in its own keyring; it joins, the sequencer admits it"
  vkey=$(node_sql "demo-member$i" -At <<SQL
CREATE EXTENSION brop;
SELECT brop.create_key('ed25519', 'witness') IS NULL;
SELECT brop.witness_configure('member$i.demo.brop.example', 'witness');
SQL
)
  vkey=$(printf '%s\n' "$vkey" | tail -n 1)
  vkeys+=("$vkey")
  echo "  witness key: $vkey"
  node_sql "demo-member$i" -At -c "SELECT 'subscribed; its slot on the sequencer: ' || brop.join('m$i', '$(conninfo demo-sequencer)', 'demo.brop.example/consortium', '$did')"
  node_sql demo-sequencer -At -c "SELECT 'admitted, entry ' || brop.admit_member('m$i', '$(conninfo "demo-member$i")', '$vkey')"
done
node_sql demo-sequencer -At -c "SELECT 'policy: 2 of ' || brop.set_witness_policy(ARRAY['${vkeys[0]}', '${vkeys[1]}'], 2) || ' witnesses'"
node_sql demo-sequencer -At -c "SELECT count(brop.submit_as('registry', 'evidence', brop.sha256(convert_to('more ' || i, 'UTF8')), 'more-' || i)) || ' more entries' FROM generate_series(1, 10) i"

echo "waiting for both cosignatures of the latest block to reach the sequencer ..."
for _ in $(seq 1 120); do
  final=$(node_sql demo-sequencer -At -c "SELECT NOT EXISTS (SELECT FROM brop.pending) AND brop.checkpoint_final()")
  [ "$final" = t ] && break
  sleep 0.5
done
[ "$final" = t ] || { echo "the checkpoint was not cosigned by both witnesses in 60 s" >&2; exit 1; }
node_sql demo-sequencer -c "SELECT b.number AS block, b.tree_size, count(c.*) AS cosignatures
                             FROM brop.block b LEFT JOIN brop.cosignature c ON c.tree_size = b.tree_size
                            GROUP BY 1, 2 ORDER BY 1"
for i in 1 2; do
  node_sql "demo-member$i" -At -c "SELECT 'member $i: copy of ' || count(*) || ' entries, verify_ledger ' || (SELECT CASE WHEN ok THEN 'ok' ELSE problem END FROM brop.verify_ledger('$did')) FROM brop.entry"
done
echo "the checkpoint with its cosignature lines (brop.checkpoint(NULL, true)):"
node_sql demo-sequencer -At -c "SELECT brop.checkpoint(NULL, true)" | tee "$work/cosigned.txt" | sed 's/^/  /'
echo "verified offline under the 2-of-2 policy:"
as_pg "$brop" verify --did "$did" --checkpoint "$work/cosigned.txt" --witness "${vkeys[0]}" --witness "${vkeys[1]}" | sed 's/^/  /'
echo "with one of the two cosignature lines only, the policy is not met:"
grep -v '^— member2' "$work/cosigned.txt" >"$work/one.txt"
as_pg "$brop" verify --did "$did" --checkpoint "$work/one.txt" --witness "${vkeys[0]}" --witness "${vkeys[1]}" | sed 's/^/  /' || true
node_sql demo-member1 -c "SELECT component, name, state, level, count FROM brop.status WHERE component IN ('witness', 'subscription')"
