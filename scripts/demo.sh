#!/usr/bin/env bash
# `make demo`: set-up, build, install, start a throw-away cluster, and run a
# short scenario of what brop does so far. Safe to run again.
source "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh"
source "$(dirname "$0")/lib.sh"     # pg_config may be new
make -C "$top" -s all
install_brop
check_tree_readable

"$top/scripts/cluster.sh" restart demo
eval "$("$top/scripts/cluster.sh" env demo)"
work=$RUN_DIR/demo/work
rm -rf "$work"; pg_dir "$work"
brop=$top/bin/brop
sql() { as_pg psql -X -q -v ON_ERROR_STOP=1 -d brop_demo "$@"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_pg env PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS brop_demo' -c 'CREATE DATABASE brop_demo'
sql -c 'CREATE EXTENSION brop'
# the role README.md's tour grants the university's key to
sql -c 'DO $$ BEGIN IF to_regrole($r$registrar$r$) IS NULL THEN CREATE ROLE registrar; END IF; END $$'

say "1. An institution creates its signing key in the server's keyring (encrypted under the root key)"
sql -c "SELECT brop.create_key('ed25519', 'university') AS university_did" \
    -c "SELECT label, alg, did, owner FROM brop.keys"

say "2. A holder makes her own key with the CLI; it never reaches the server"
as_pg "$brop" keygen --out "$work/alice.jwk" >"$work/alice.did"
alice=$(cat "$work/alice.did")
echo "alice: $alice (key file $(stat -c %a "$work/alice.jwk"))"

say "3. Canonical JSON (RFC 8785) and its SHA-256: the digest a ledger will record"
sql <<SQL
SELECT brop.jcs('{"degree":"BSc Physics","holder":"$alice","grade":1.70,"year":2026}'::jsonb) AS canonical;
SELECT brop.sha256(brop.jcs('{"degree":"BSc Physics","holder":"$alice","grade":1.70,"year":2026}'::jsonb)) AS digest;
SQL

say "4. The university signs; anyone verifies with its did:key, in SQL or offline with the CLI"
sig=$(sql -At -c "SELECT encode(brop.sign('university', 'diploma #2026-0042'), 'hex')")
echo "signature: $sig"
sql -c "SELECT brop.verify(brop.key_did('university'), 'diploma #2026-0042', '\\x$sig') AS valid,
               brop.verify(brop.key_did('university'), 'diploma #2026-0043', '\\x$sig') AS other_diploma"
printf 'diploma #2026-0042' | as_pg "$brop" verify --did "$(sql -At -c "SELECT brop.key_did('university')")" --signature "$sig"

say "5. Sign-then-seal: the credential is signed by the university and sealed to alice's key"
sql -At -c "SELECT brop.seal_envelope('university', '$alice',
              convert_to('{\"degree\":\"BSc Physics\",\"grade\":1.7}', 'UTF8'))" >"$work/envelope.hex"
echo "envelope: $(head -c 60 "$work/envelope.hex")... ($(( ($(wc -c <"$work/envelope.hex") - 3) / 2 )) bytes)"
echo "alice opens it with her key file:"
as_pg "$brop" open --key "$work/alice.jwk" --in "$work/envelope.hex"; echo
as_pg "$brop" keygen --out "$work/mallory.jwk" >/dev/null
echo "mallory cannot:"
as_pg "$brop" open --key "$work/mallory.jwk" --in "$work/envelope.hex" || echo "(exit $?)"

say "6. Keys from other ecosystems: secp256k1 (ES256K, BIP-340) and P-256 (ES256)"
sql <<'SQL'
SELECT brop.create_key('secp256k1', 'bridge-k1') AS secp256k1_did, brop.create_key('p256', 'bridge-p256') AS p256_did;
SELECT brop.verify(brop.key_did('bridge-k1'), 'm', brop.sign('bridge-k1', 'm')) AS es256k,
       brop.verify_schnorr(brop.key_did('bridge-k1'), 'm', brop.sign_schnorr('bridge-k1', 'm')) AS bip340,
       brop.verify(brop.key_did('bridge-p256'), 'm', brop.sign('bridge-p256', 'm')) AS es256;
SQL

say "7. The ledger: the university registers the diploma's digest, signed with its key"
sql <<'SQL'
SELECT brop.create_key('ed25519', 'ledger-node') AS node_did;
SELECT origin FROM brop.configure_ledger('demo.brop.example/ledger', 'ledger-node');
SELECT id, kind, payload_digest, brop.entry_status(id) AS status
  FROM brop.submit_as('university', 'diploma', brop.sha256('diploma #2026-0042'::bytea), 'diploma-2026-0042',
                      '{"schema":"diploma/1","serial":"2026-0042"}');
SELECT count(*) AS more_entries
  FROM (SELECT brop.submit_as('university', 'diploma', brop.sha256(('diploma #2026-' || g)::bytea), 'diploma-2026-' || g)
          FROM generate_series(1000, 1099) g) s;
-- a retry with the same nonce returns the same entry, not a second one
SELECT id FROM brop.submit_as('university', 'diploma', brop.sha256('diploma #2026-0042'::bytea), 'diploma-2026-0042',
                              '{"schema":"diploma/1","serial":"2026-0042"}');
SQL

say "8. Sealing: pending entries become positions of an RFC 9162 log; the block's checkpoint is signed"
sql -c "SELECT number, first_position, tree_size, root FROM brop.seal()"
sql -At -c "SELECT brop.checkpoint()"
sql -c "SELECT id FROM brop.submit_as('university', 'diploma', brop.sha256('diploma #2026-0043'::bytea), 'diploma-2026-0043')" >/dev/null
sql -c "SELECT number, first_position, tree_size, root FROM brop.seal()"

say "9. Proofs: the diploma is in the log; the log only grew between the two blocks"
sql <<'SQL'
SELECT brop.inclusion_proof(1) AS inclusion;
SELECT brop.verify_inclusion(brop.inclusion_proof(e.id), e.digest, b.root) AS included
  FROM brop.entry e, brop.block b WHERE e.nonce = 'diploma-2026-0042' AND b.number = 2;
SELECT brop.verify_consistency(brop.consistency_proof(b1.tree_size), b1.root, b2.root) AS consistent
  FROM brop.block b1, brop.block b2 WHERE b1.number = 1 AND b2.number = 2;
SQL

say "10. An auditor checks the same offline, with no database: entry, proof, signed checkpoint"
sql -At -c "SELECT brop.entry_leaf(e) FROM brop.entry e WHERE nonce = 'diploma-2026-0042'" >"$work/entry.json"
sql -At -c "SELECT brop.inclusion_proof(id) FROM brop.entry WHERE nonce = 'diploma-2026-0042'" >"$work/proof.txt"
sql -At -c "SELECT brop.checkpoint()" >"$work/checkpoint.txt"
sql -At -c "SELECT brop.checkpoint(tree_size) FROM brop.block WHERE number = 1" >"$work/checkpoint1.txt"
sql -At -c "SELECT brop.consistency_proof(tree_size) FROM brop.block WHERE number = 1" >"$work/consistency.txt"
node_did=$(sql -At -c "SELECT brop.key_did('ledger-node')")
head -c 160 "$work/entry.json"; echo "..."
as_pg "$brop" verify --did "$node_did" --checkpoint "$work/checkpoint.txt" --proof "@$work/proof.txt" --entry "$work/entry.json"
as_pg "$brop" verify --did "$node_did" --old-checkpoint "$work/checkpoint1.txt" --checkpoint "$work/checkpoint.txt" \
  --proof "@$work/consistency.txt"

say "11. Full verification: every leaf, tile, block root, block hash and checkpoint signature"
echo "with its progress (every brop.progress_interval entries; 100000 by default, 25 here to show it):"
sql -c "SET brop.progress_interval = 25" -c "SET client_min_messages = notice" -c "\\set VERBOSITY terse" \
    -c "SELECT * FROM brop.verify_ledger()"
echo "a superuser rewrites the diploma's header behind the append-only triggers (then rolls back):"
sql <<'SQL'
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"schema":"diploma/1","serial":"2026-9999"}' WHERE nonce = 'diploma-2026-0042';
SELECT * FROM brop.verify_ledger();
ROLLBACK;
SQL

say "12. Registering an existing table, path 1: the capture trigger writes to this database's ledger"
sql <<'SQL'
CREATE SCHEMA university;
CREATE TABLE university.students (student text PRIMARY KEY, name text NOT NULL, grade text, year int, notes text);
INSERT INTO university.students VALUES ('2026-0041', 'Grace Hopper', 'A', 2026, 'notes are not registered');
-- Grace's row is already there: registering the table registers it (op existing)
SELECT name, key_columns, columns, capture
  FROM brop.register_table('university.students', '{student}', '{student,name,grade,year}', signing_key => 'university');
-- the application goes on as before; each change is captured in the same
-- transaction (sealed in brop.capture_queue), and the next seal makes it a
-- signed entry
INSERT INTO university.students VALUES ('2026-0042', 'Ada Lovelace', 'A', NULL, 'not registered');
UPDATE university.students SET grade = 'A+', year = 2026 WHERE student = '2026-0042';
UPDATE university.students SET notes = 'no registered column changed: no entry' WHERE student = '2026-0042';
SELECT count(*) AS captured_transactions FROM brop.capture_queue WHERE seq IS NOT NULL;
SELECT number, tree_size FROM brop.seal();
SELECT id, header->>'op' AS op, header->>'version' AS version, prev_digest IS NOT NULL AS linked, payload_digest
  FROM brop.entry WHERE header->>'registration' = 'university.students' AND kind = 'row' ORDER BY id;
SQL
echo "the university discloses Ada's current row to a verifier: the row, and its salt (derived, never stored)"
sql -At -c "SELECT jsonb_build_object('student', student, 'name', name, 'grade', grade, 'year', year::text)
            FROM university.students WHERE student = '2026-0042'" >"$work/row.json"
sql -At -c "SELECT brop.entry_leaf(e) FROM brop.entry e
            WHERE chain_key = brop.row_chain_key('university.students', '[\"2026-0042\"]') ORDER BY id DESC LIMIT 1" >"$work/row-entry.json"
salt=$(sql -At -c "SELECT encode(brop.row_salt('university.students', '[\"2026-0042\"]', 2), 'hex')")
cat "$work/row.json"
as_pg "$brop" disclose --row "$work/row.json" --salt "$salt" --entry "$work/row-entry.json"
echo "with the first grade instead, it does not verify:"
sed 's/"A+"/"A"/' "$work/row.json" >"$work/row-forged.json"
as_pg "$brop" disclose --row "$work/row-forged.json" --salt "$salt" --entry "$work/row-entry.json" || echo "(exit $?)"
echo "or all of it in one file (document, salt, signed entry, proof, checkpoint), checked with one command:"
sql -At -c "SELECT brop.disclosure('university.students', '[\"2026-0042\"]')" >"$work/ada.json"
as_pg "$brop" verify --disclosure "$work/ada.json" --did "$(sql -At -c 'SELECT node_did FROM brop.ledger_config')"

say "13. Path 2: the output plugin and brop relay, to a ledger in another cluster"
"$top/scripts/cluster.sh" start demo-ledger
ledger_env=$("$top/scripts/cluster.sh" env demo-ledger)
lsql() { (eval "$ledger_env"; as_pg psql -X -q -v ON_ERROR_STOP=1 -d "${LEDGER_DB:-brop_ledger}" "$@"); }
LEDGER_DB=postgres lsql -c 'DROP DATABASE IF EXISTS brop_ledger WITH (FORCE)' -c 'CREATE DATABASE brop_ledger' 2>/dev/null
"$top/scripts/cluster.sh" set demo-ledger "shared_preload_libraries = 'brop'" "brop.database = 'brop_ledger'" \
  "brop.block_interval = '1s'"
"$top/scripts/cluster.sh" restart demo-ledger
as_pg "$brop" keygen --out "$work/registry.jwk" >"$work/registry.did"
registry=$(cat "$work/registry.did")
lsql <<SQL
CREATE EXTENSION brop;
SELECT brop.create_key('ed25519', 'node') IS NOT NULL AS node_key;
SELECT origin FROM brop.configure_ledger('demo.brop.example/shared-ledger', 'node');
SELECT name, status FROM brop.add_organization('$registry', 'Registry of Example');
SQL
echo "at the institution: an existing table, REPLICA IDENTITY FULL, registered for the plugin, and a slot"
sql <<'SQL'
CREATE TABLE university.enrolments (student text, course text, term text, PRIMARY KEY (student, course));
INSERT INTO university.enrolments VALUES ('2026-0042', 'Analytical Engines', '2026-1');
ALTER TABLE university.enrolments REPLICA IDENTITY FULL;
SELECT 'slot made' FROM pg_create_logical_replication_slot('demo_relay', 'brop');
SELECT name, capture FROM brop.register_table('university.enrolments', '{student,course}', signing_key => 'university', capture => 'plugin');
INSERT INTO university.enrolments VALUES ('2026-0042', 'Difference Engines', '2026-2'), ('2026-0041', 'Compilers', '2026-2');
UPDATE university.enrolments SET term = '2026-3' WHERE course = 'Compilers';
DELETE FROM university.enrolments WHERE course = 'Analytical Engines';
SQL
echo "what the plugin sends (digests computed here; no value leaves):"
sql -At -c "SELECT data FROM pg_logical_slot_peek_changes('demo_relay', NULL, NULL, 'org', '$registry')" | grep -m 2 -E '"type":"begin"|"kind":"row"'
ledger_conn=$(eval "$ledger_env"; echo "host=$PGHOST port=$PGPORT dbname=brop_ledger user=postgres")
as_pg "$brop" relay --source "host=$PGHOST port=$PGPORT dbname=brop_demo user=postgres" --slot demo_relay \
  --ledger "$ledger_conn" --key "$work/registry.jwk" --once --status-interval 1
sleep 1.5   # the ledger's worker seals every second
lsql <<'SQL'
SELECT id, kind, header->>'op' AS op, header->>'registration' AS registration, brop.entry_status(id) AS status
  FROM brop.entry ORDER BY id;
SELECT source, lsn, changes, entries FROM brop.source_position;
SELECT * FROM brop.verify_ledger();
SQL
echo "run again: nothing is appended twice"
as_pg "$brop" relay --source "host=$PGHOST port=$PGPORT dbname=brop_demo user=postgres" --slot demo_relay \
  --ledger "$ledger_conn" --key "$work/registry.jwk" --once --status-interval 0 2>&1 | tail -n 1
lsql -At -c "SELECT count(*) || ' entries' FROM brop.entry"
sql -c "SELECT pg_drop_replication_slot('demo_relay')" >/dev/null

say "14. Credentials: the university issues alice a degree; she presents only the final grade; a verifier checks it"
demo_conn="host=$PGHOST port=$PGPORT dbname=brop_demo user=postgres"
sql <<SQL
SELECT name, role, categories FROM brop.add_organization(brop.key_did('university'), 'University of Example',
                                                         'cross_issuer', '{higher_education}');
SELECT brop.is_authorized_issuer(brop.key_did('university'), 'higher_education') AS authorised;
SELECT serial, entry FROM brop.issue_credential('university', '$alice', 'higher_education',
  '{"degree": "BSc Physics", "final_grade": "1.7", "thesis": "Analytical Engines"}');
SELECT number AS block FROM brop.seal();
SQL
serial=$(sql -At -c "SELECT serial FROM brop.credential WHERE holder = '$alice' ORDER BY issued_at DESC LIMIT 1")
echo "alice's wallet: her credential, sealed to her key on the ledger"
as_pg "$brop" wallet list --key "$work/alice.jwk" --ledger "$demo_conn"
as_pg "$brop" wallet export --key "$work/alice.jwk" --ledger "$demo_conn" --serial "$serial" --out "$work/degree.json" 2>&1 |
  sed 's/^/  /'
echo "the employer asks for the final grade, with a fresh nonce; alice presents only that claim"
as_pg "$brop" wallet present --key "$work/alice.jwk" --in "$work/degree.json" --reveal final_grade \
  --nonce job-4711 --audience https://employer.example --out "$work/grade.json"
node_did=$(sql -At -c "SELECT node_did FROM brop.ledger_config")
echo "the employer verifies offline, with the ledger's key:"
as_pg "$brop" verify --credential "$work/grade.json" --did "$node_did" --nonce job-4711 --audience https://employer.example |
  sed 's/^/  /'
echo "and on the ledger node (which also checks revocation and the oracle, and logs the verification):"
pres=$(sql -At -c "SELECT \$\$$(cat "$work/grade.json")\$\$::jsonb->>'presentation'")
sql -c "SELECT valid, claims, issuer_authorized, latest_version, not_revoked, not_deactivated, inclusion_valid, reasons
          FROM brop.verify_presentation('$pres', 'job-4711', 'https://employer.example')"
sql -c "SELECT valid, reasons FROM brop.verify_presentation('$pres', 'job-4712', 'https://employer.example')" \
    -c "SELECT verifier, audience, nonce, revealed, valid FROM brop.verification_log ORDER BY id"

say "15. What an operator watches: brop.status, one row per component, with a level to alert on"
sql -c "SELECT component, name, state, level, count, date_trunc('second', age) AS age FROM brop.status"
echo "the ledger of step 13: its relay ran once and stopped, so its source is down (critical), the alert an operator gets"
lsql -c "SELECT component, name, state, level, count, date_trunc('second', age) AS age FROM brop.status"

say "16. A restored copy does not seal until an operator adopts it (docs/operations.md, \"Backups\")"
echo "pg_dump of brop_demo, restored as brop_demo_copy: same origin, same node key, another database"
as_pg env PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres \
  -c 'DROP DATABASE IF EXISTS brop_demo_copy' -c 'CREATE DATABASE brop_demo_copy'
as_pg pg_dump -Fc -d brop_demo -f "$work/demo.dump"
as_pg pg_restore --single-transaction -d brop_demo_copy "$work/demo.dump"
copy_sql() { as_pg psql -X -q -v ON_ERROR_STOP=1 -d brop_demo_copy "$@"; }
copy_sql -c "SELECT number FROM brop.seal()" 2>&1 | sed 's/^/  /' || true
copy_sql -c "SELECT component, state, level FROM brop.status WHERE component = 'node'"
echo "adopted (here only to show it: a real copy is adopted once its original no longer seals), it seals, and the adoption is on its ledger"
copy_sql -c "SELECT how, reason, entry FROM brop.adopt_copy('demo: shows the restored-copy rule')" \
         -c "SELECT number, tree_size FROM brop.seal()" \
         -c "SELECT kind, header->>'reason' AS reason, brop.entry_status(id) FROM brop.entry WHERE kind = 'node_adopted'"
as_pg env PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres -c 'DROP DATABASE brop_demo_copy'

say "17. README.md's tour, run as written (scripts/tour.sh)"
"$top/scripts/tour.sh"

say "18. A consortium: a sequencer and two members that verify every block and cosign it (docs/consortium.md)"
"$top/scripts/demo_consortium.sh"

say "Done. The clusters keep running: eval \"\$(scripts/cluster.sh env demo)\"; psql -d brop_demo (and demo-ledger, demo-sequencer, demo-member1, demo-member2: database brop_node)"
