-- The ledger: entries signed by their organisation, append-only, sealed into
-- blocks of one RFC 9162 log with signed checkpoints; proofs; and
-- brop.verify_ledger() naming the first bad position of each tampering.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.did_alg(brop.create_key('ed25519', 'lg-node'));
SELECT brop.did_alg(brop.create_key('ed25519', 'lg-org'));
SELECT brop.did_alg(brop.create_key('ed25519', 'lg-impostor'));
SELECT brop.did_alg(brop.create_key('secp256k1', 'lg-k1'));
SELECT brop.did_alg(brop.create_key('p256', 'lg-p256'));

-- not configured yet
SELECT brop.seal();
SELECT * FROM brop.verify_ledger();
-- configuration
SELECT brop.configure_ledger('', 'lg-node');
SELECT brop.configure_ledger('example.org/brop regress', 'lg-node');
SELECT brop.configure_ledger('a+b', 'lg-node');
SELECT brop.configure_ledger('example.org/brop', 'lg-k1');
SELECT brop.configure_ledger('example.org/brop', 'no-such-key');
SELECT origin, node_key, node_did = brop.key_did('lg-node') AS node_did FROM brop.configure_ledger('example.org/brop', 'lg-node');

-- the signing input and the leaf input (docs/formats.md)
SELECT convert_from(substr(brop.entry_signing_input('evidence', 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp',
         '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', 'n-1', '{"b":[1,2.5],"a":"é"}'), 15), 'UTF8') AS signed_json;
SELECT encode(substr(brop.entry_signing_input('evidence', 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp',
         '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', 'n-1'), 1, 14), 'escape') AS domain;

-- submission: three algorithms, idempotent retries
SELECT id, kind, nonce, brop.entry_status(id) FROM brop.submit_as('lg-org', 'evidence', brop.sha256('doc 1'::bytea), 'n-1', '{"title":"doc 1"}');
SELECT id, kind, nonce FROM brop.submit_as('lg-org', 'evidence', brop.sha256('doc 1'::bytea), 'n-1', '{"title":"doc 1"}');
SELECT id, nonce FROM brop.submit_as('lg-k1', 'evidence', brop.sha256('doc 2'::bytea), 'n-1');
SELECT id, nonce FROM brop.submit_as('lg-p256', 'evidence', brop.sha256('doc 3'::bytea), 'n-1',
  subject => brop.key_did('lg-impostor'), body_digest => brop.sha256('body 3'::bytea));
SELECT count(*) FROM brop.entry;
SELECT brop.entry_digest(e) = e.digest AS digest_recomputes,
       brop.merkle_leaf_hash(convert_to(brop.entry_leaf(e), 'UTF8')) = e.digest AS leaf_hash,
       brop.entry_leaf(e) LIKE '{"body_digest":null,"chain_key":null,"expires_block":null,"header":{"title":"doc 1"},"kind":"evidence","nonce":"n-1","org":"did:key:z6Mk%","payload_digest":"%","prev_digest":null,"signature":"%","subject":null,"submitted_at":"%Z","v":1}' AS leaf_shape
  FROM brop.entry e WHERE id = 1;
-- a submission signed outside the server
SELECT id FROM brop.submit('evidence', brop.key_did('lg-org'), brop.sha256('doc 4'::bytea), 'n-4',
  brop.sign('lg-org', brop.entry_signing_input('evidence', brop.key_did('lg-org'), brop.sha256('doc 4'::bytea), 'n-4')));

-- bad submissions
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('other'::bytea), 'n-1', '{"title":"doc 1"}');
SELECT brop.submit('evidence', brop.key_did('lg-org'), brop.sha256('doc 5'::bytea), 'n-5',
  brop.sign('lg-org', brop.entry_signing_input('evidence', brop.key_did('lg-org'), brop.sha256('doc 6'::bytea), 'n-5')));
SELECT brop.submit('evidence', brop.key_did('lg-org'), brop.sha256('doc 5'::bytea), 'n-5', '\x0102');
SELECT brop.submit('evidence', brop.did_to_x25519(brop.key_did('lg-org')), brop.sha256('doc 5'::bytea), 'n-5', '\x00');
SELECT brop.submit_as('lg-org', 'Evidence', brop.sha256('x'::bytea), 'n-6');
SELECT brop.submit_as('lg-org', '', brop.sha256('x'::bytea), 'n-6');
-- a long kind is quoted up to 64 characters
SELECT brop.submit_as('lg-org', 'E' || repeat('v', 100), brop.sha256('x'::bytea), 'n-6');
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('x'::bytea), 'has space');
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('x'::bytea), '');
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('x'::bytea), repeat('n', 129));
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('x'::bytea), 'n-6', '[1,2]');
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('x'::bytea), 'n-6', prev_digest => brop.sha256('x'::bytea));
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('x'::bytea), 'n-6', expires_block => 0);
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('x'::bytea), 'n-6', chain_key => '');
SELECT brop.submit_as('lg-org', 'evidence', NULL, 'n-6');
SELECT count(*) FROM brop.entry;

-- per-object chains
SELECT id FROM brop.submit_as('lg-org', 'trace', brop.sha256('farm'::bytea), 'c-1', chain_key => 'lot-7');
SELECT id FROM brop.submit_as('lg-k1', 'trace', brop.sha256('mill'::bytea), 'c-2', chain_key => 'lot-7',
  prev_digest => (SELECT head FROM brop.chain_head WHERE chain_key = 'lot-7'));
\set VERBOSITY terse
-- a fork (the previous entry, not the head), a second first entry, a chain that does not exist
SELECT brop.submit_as('lg-org', 'trace', brop.sha256('fork'::bytea), 'c-3', chain_key => 'lot-7',
  prev_digest => (SELECT digest FROM brop.entry WHERE nonce = 'c-1'));
SELECT brop.submit_as('lg-org', 'trace', brop.sha256('again'::bytea), 'c-3', chain_key => 'lot-7');
SELECT brop.submit_as('lg-org', 'trace', brop.sha256('x'::bytea), 'c-3', chain_key => 'lot-8',
  prev_digest => brop.sha256('x'::bytea));
\set VERBOSITY default
SELECT chain_key, length, entry FROM brop.chain_head;
SELECT ok, entries, first_bad_entry, problem FROM brop.verify_chain('lot-7');
SELECT ok, entries, problem FROM brop.verify_chain('no-such-chain');
-- a recorded head that names another entry (no foreign key checks it; verify_chain does)
BEGIN;
UPDATE brop.chain_head SET entry = entry - 1 WHERE chain_key = 'lot-7';
SELECT ok, entries, problem FROM brop.verify_chain('lot-7');
ROLLBACK;

-- append-only, for the owner too
UPDATE brop.entry SET kind = 'x' WHERE id = 1;
DELETE FROM brop.entry WHERE id = 1;
TRUNCATE brop.entry CASCADE;
DELETE FROM brop.pending WHERE false;

-- proofs before sealing
SELECT brop.inclusion_proof(1);
SELECT brop.inclusion_proof(999);
SELECT brop.consistency_proof(1);
SELECT brop.checkpoint() IS NULL AS no_checkpoint;

-- block 1
SELECT number, first_position, tree_size, prev_hash IS NULL AS first FROM brop.seal();
SELECT brop.seal() IS NULL AS nothing_pending;
SELECT count(*) FROM brop.block;
SELECT position, entry FROM brop.log_leaf ORDER BY position;
SELECT brop.entry_status(1), brop.entry_status(999) IS NULL AS unknown;
SELECT brop.verify_checkpoint(brop.checkpoint(), brop.key_did('lg-node')) AS signed,
       brop.verify_checkpoint(brop.checkpoint(), brop.key_did('lg-impostor')) AS not_by_impostor;
SELECT origin, tree_size, root = (SELECT root FROM brop.block WHERE number = 1) AS root,
       regexp_replace(extensions, 'time \S+', 'time T') AS extensions
  FROM brop.parse_checkpoint(brop.checkpoint(6));
SELECT b.hash = brop.sha256(convert_to(split_part(b.checkpoint, E'\n\n', 1) || E'\n', 'UTF8')) AS block_hash
  FROM brop.block b;
SELECT (SELECT brop.merkle_root(h) FROM (SELECT e.digest AS h FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry ORDER BY l.position) s)
       = (SELECT root FROM brop.block WHERE number = 1) AS root_recomputes;

-- expiry: an entry not sealed by its expiry block is never sealed
SELECT id FROM brop.submit_as('lg-org', 'evidence', brop.sha256('late'::bytea), 'x-1', expires_block => 1);
SELECT id FROM brop.submit_as('lg-org', 'evidence', brop.sha256('in time'::bytea), 'x-2', expires_block => 2);
SELECT count(*) FROM (SELECT brop.submit_as('lg-org', 'bulk', brop.sha256(g::text::bytea), 'b-' || g) FROM generate_series(1, 40) g) s;
SELECT number, first_position, tree_size, prev_hash = (SELECT hash FROM brop.block WHERE number = 1) AS linked FROM brop.seal();
SELECT e.nonce, brop.entry_status(e.id), x.after_block FROM brop.entry e LEFT JOIN brop.entry_expired x ON x.entry = e.id
 WHERE e.nonce LIKE 'x-%' ORDER BY e.nonce;
SELECT brop.inclusion_proof((SELECT id FROM brop.entry WHERE nonce = 'x-1'));

-- proofs
SELECT regexp_replace(brop.inclusion_proof(1, 6)::text, '[0-9a-f]{64}', 'H', 'g') AS proof_shape;
SELECT bool_and(brop.verify_inclusion(brop.inclusion_proof(e.id), e.digest, (SELECT root FROM brop.block WHERE number = 2))) AS all_included,
       count(*) AS entries
  FROM brop.entry e JOIN brop.log_leaf l ON l.entry = e.id;
SELECT bool_and(brop.verify_inclusion(brop.inclusion_proof(e.id, 6), e.digest, (SELECT root FROM brop.block WHERE number = 1))) AS in_block_1
  FROM brop.entry e JOIN brop.log_leaf l ON l.entry = e.id WHERE l.position < 6;
SELECT brop.verify_consistency(brop.consistency_proof(6), b1.root, b2.root) AS consistent,
       brop.verify_consistency(brop.consistency_proof(6, 47), b1.root, b2.root) AS explicit,
       brop.verify_consistency(brop.consistency_proof(5, 47), b1.root, b2.root) AS wrong_size
  FROM brop.block b1, brop.block b2 WHERE b1.number = 1 AND b2.number = 2;
SELECT brop.consistency_proof(47, 47);
SELECT brop.inclusion_proof(1, 48);
SELECT brop.inclusion_proof(1, 0);
SELECT brop.inclusion_proof((SELECT entry FROM brop.log_leaf WHERE position = 10), 10);
SELECT brop.consistency_proof(0);
SELECT brop.consistency_proof(48);
SELECT brop.consistency_proof(7, 6);
SELECT brop.checkpoint(7) IS NULL AS no_block_of_size_7;
SELECT tree_size FROM brop.parse_checkpoint(brop.checkpoint());

-- sealing needs READ COMMITTED
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT brop.seal();
ROLLBACK;
-- the origin is fixed once there are blocks
SELECT brop.configure_ledger('example.org/other', 'lg-node');

-- full verification
SELECT * FROM brop.verify_ledger();
SELECT * FROM brop.verify_ledger(brop.key_did('lg-impostor'));
SELECT * FROM brop.verify_ledger(brop.key_did('lg-k1'));
SELECT ok, entries FROM brop.verify_ledger(signatures => false);

-- Tampering by a superuser around the triggers (each undone by ROLLBACK):
-- the report names the first bad position.
CREATE FUNCTION pg_temp.pos(n text) RETURNS bigint LANGUAGE sql
  AS $$ SELECT l.position FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry WHERE e.nonce = n $$;
SELECT pg_temp.pos('b-3') AS b3, pg_temp.pos('b-10') AS b10, pg_temp.pos('b-20') AS b20;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"doc 9"}' WHERE nonce = 'b-10';
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- the same, with the stored digest recomputed to match
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"doc 9"}' WHERE nonce = 'b-10';
UPDATE brop.entry e SET digest = brop.entry_digest(e) WHERE nonce = 'b-10';
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET payload_digest = brop.sha256('forged'::bytea) WHERE nonce = 'b-20';
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- a signature replaced, digest recomputed: the signature check names it
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET signature = brop.sign('lg-impostor', 'x') WHERE nonce = 'b-20';
UPDATE brop.entry e SET digest = brop.entry_digest(e) WHERE nonce = 'b-20';
SELECT ok, first_bad_position, problem FROM brop.verify_ledger(signatures => true);
ROLLBACK;
-- a deleted entry
BEGIN; SET LOCAL session_replication_role = replica;
DELETE FROM brop.entry WHERE nonce = 'b-20';
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- a deleted entry and its position, the later ones moved down
BEGIN; SET LOCAL session_replication_role = replica;
DELETE FROM brop.log_leaf WHERE position = pg_temp.pos('b-20');
UPDATE brop.log_leaf SET position = position + 999 WHERE position > 25;
UPDATE brop.log_leaf SET position = position - 1000 WHERE position > 999;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- two entries swapped
BEGIN; SET LOCAL session_replication_role = replica;
SELECT pg_temp.pos('b-10') AS p1, pg_temp.pos('b-20') AS p2 \gset
UPDATE brop.log_leaf SET entry = -entry WHERE position IN (:p1, :p2);
UPDATE brop.log_leaf SET entry = (SELECT -l.entry FROM brop.log_leaf l
                                   WHERE l.position = CASE log_leaf.position WHEN :p1 THEN :p2 ELSE :p1 END)
 WHERE entry < 0;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- an entry inserted at position 12, the later ones moved up
BEGIN; SET LOCAL session_replication_role = replica;
SELECT id AS new_id FROM brop.submit_as('lg-org', 'evidence', brop.sha256('inserted'::bytea), 'ins-1') \gset
DELETE FROM brop.pending WHERE entry = :new_id;
UPDATE brop.log_leaf SET position = position + 1000 WHERE position >= 12;
UPDATE brop.log_leaf SET position = position - 999 WHERE position >= 1000;
INSERT INTO brop.log_leaf VALUES (12, :new_id, 2);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- a changed block root
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.block SET root = brop.sha256('forged'::bytea) WHERE number = 2;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- a forged checkpoint: the same text, signed by another key under the origin
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.block b SET checkpoint = brop.checkpoint_note('lg-impostor', p.origin, p.tree_size, p.root, p.extensions)
  FROM brop.parse_checkpoint(brop.checkpoint(6)) p WHERE b.number = 1;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- a checkpoint whose text was changed under its signature
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.block SET checkpoint = replace(checkpoint, E'\nblock 2\n', E'\nblock 3\n') WHERE number = 2;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- a broken chain of block hashes
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.block SET prev_hash = brop.sha256('x'::bytea) WHERE number = 2;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- a stored subtree hash changed (proofs would be wrong)
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.log_tile SET hashes = set_byte(hashes, 199, get_byte(hashes, 199) # 1) WHERE level = 0 AND idx = 1;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- an entry slipped in beside the log
BEGIN; SET LOCAL session_replication_role = replica;
SELECT id AS new_id FROM brop.submit_as('lg-org', 'evidence', brop.sha256('orphan'::bytea), 'orphan-1') \gset
DELETE FROM brop.pending WHERE entry = :new_id;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- and after all that, the ledger is sound
SELECT ok, entries, blocks FROM brop.verify_ledger();
-- a damaged tile is reported, not an error
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.log_tile SET hashes = hashes || '\x00'::bytea WHERE level = 0 AND idx = 0;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- an edge tile holding one hash more than the log has leaves (the next seal would fail)
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.log_tile SET hashes = hashes || brop.sha256('x'::bytea)::bytea WHERE level = 0 AND idx = 2;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT brop.submit_as('lg-org', 'evidence', brop.sha256('next'::bytea), 'next-1') IS NULL AS submitted;
SELECT brop.seal();
ROLLBACK;
-- a sealed entry that is also pending
BEGIN; SET LOCAL session_replication_role = replica;
INSERT INTO brop.pending VALUES (1);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- an entry queued twice: reported, and no seal takes it twice
BEGIN; SET LOCAL session_replication_role = replica;
SELECT id AS twice_id FROM brop.submit_as('lg-org', 'evidence', brop.sha256('twice'::bytea), 'twice-1') \gset
INSERT INTO brop.pending VALUES (:twice_id);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT brop.seal();
ROLLBACK;
-- tiles only grow, by whole hashes, up to 16
BEGIN;
UPDATE brop.log_tile SET hashes = hashes || brop.sha256('x'::bytea)::bytea WHERE level = 0 AND idx = 2;
ROLLBACK;
UPDATE brop.log_tile SET hashes = hashes || brop.sha256('x'::bytea)::bytea WHERE level = 0 AND idx = 0;
UPDATE brop.log_tile SET hashes = hashes || '\x00'::bytea WHERE level = 0 AND idx = 2;
UPDATE brop.log_tile SET hashes = substr(hashes, 1, 32) WHERE level = 0 AND idx = 2;
DELETE FROM brop.log_tile;
SELECT ok, entries, blocks FROM brop.verify_ledger();

-- the node key is fixed once there are blocks (no key rotation yet)
\set VERBOSITY terse
SELECT brop.configure_ledger('example.org/brop', 'lg-impostor');
\set VERBOSITY default
-- configuring needs the right to use the key
CREATE ROLE regress_brop_ledger_admin;
GRANT EXECUTE ON FUNCTION brop.configure_ledger(text, text) TO regress_brop_ledger_admin;
SET ROLE regress_brop_ledger_admin;
SELECT brop.configure_ledger('example.org/brop', 'lg-node');
RESET ROLE;
DROP OWNED BY regress_brop_ledger_admin;
DROP ROLE regress_brop_ledger_admin;

-- a submitter with EXECUTE on submit and no rights on the tables, whose
-- search_path shadows them: the entry, its pending row and the chain's new
-- head land in brop's tables all the same
CREATE ROLE regress_brop_submitter;
GRANT EXECUTE ON FUNCTION brop.submit(text, brop.did, brop.digest, text, bytea, jsonb, brop.did, brop.digest, text, brop.digest, bigint)
  TO regress_brop_submitter;
CREATE SCHEMA regress_shadow;
CREATE TABLE regress_shadow.entry (LIKE brop.entry);
CREATE TABLE regress_shadow.pending (LIKE brop.pending);
CREATE TABLE regress_shadow.chain_head (LIKE brop.chain_head);
GRANT USAGE ON SCHEMA regress_shadow TO regress_brop_submitter;
GRANT ALL ON ALL TABLES IN SCHEMA regress_shadow TO regress_brop_submitter;
SELECT head AS lot7_head FROM brop.chain_head WHERE chain_key = 'lot-7' \gset
SELECT brop.sign('lg-org', brop.entry_signing_input('trace', brop.key_did('lg-org'), brop.sha256('bakery'::bytea), 'c-5',
  chain_key => 'lot-7', prev_digest => :'lot7_head')) AS c5_sig \gset
SET ROLE regress_brop_submitter;
SET search_path = regress_shadow, brop, public;
SELECT nonce, chain_key, prev_digest = :'lot7_head' AS linked
  FROM brop.submit('trace', brop.key_did('lg-org'), brop.sha256('bakery'::bytea), 'c-5', :'c5_sig',
                   chain_key => 'lot-7', prev_digest => :'lot7_head');
INSERT INTO brop.pending VALUES (1);
RESET search_path;
RESET ROLE;
SELECT (SELECT count(*) FROM regress_shadow.entry) + (SELECT count(*) FROM regress_shadow.pending)
       + (SELECT count(*) FROM regress_shadow.chain_head) AS shadowed,
       h.length, h.entry = e.id AS head_moved, brop.entry_status(e.id)
  FROM brop.chain_head h, brop.entry e WHERE h.chain_key = 'lot-7' AND e.nonce = 'c-5';
SELECT ok, entries, problem FROM brop.verify_chain('lot-7');
DROP SCHEMA regress_shadow CASCADE;
DROP OWNED BY regress_brop_submitter;
DROP ROLE regress_brop_submitter;
