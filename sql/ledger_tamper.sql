-- Rows planted or changed beside the ledger, by the tables' owner or a
-- superuser: brop.verify_ledger() names each, and a seal that meets one
-- names the row. In a database of its own, so positions and ids are fixed.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_tamper;
CREATE DATABASE brop_regress_tamper;
\c brop_regress_tamper
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.did_alg(brop.create_key('ed25519', 'tm-node'));
SELECT brop.did_alg(brop.create_key('ed25519', 'tm-org'));
SELECT origin FROM brop.configure_ledger('example.org/brop', 'tm-node');

-- 1000 blocks of one entry each
DO $$
BEGIN
  FOR i IN 1 .. 1000 LOOP
    PERFORM brop.submit_as('tm-org', 'evidence', brop.sha256(i::text::bytea), 'n-' || i);
    PERFORM brop.seal();
  END LOOP;
END
$$;
SELECT count(*) AS blocks, max(tree_size) AS size FROM brop.block;
SELECT * FROM brop.verify_ledger();

-- a copy of entry 1 under another nonce, beside the log: named, after a
-- whole pass whose memory is gone (it was read after SPI_finish)
BEGIN;
INSERT INTO brop.entry (kind, org, subject, chain_key, prev_digest, header, payload_digest, body_digest,
                        nonce, expires_block, signature, submitted_at, digest)
  SELECT kind, org, subject, chain_key, prev_digest, header, payload_digest, body_digest,
         'copy-1', expires_block, signature, submitted_at, digest FROM brop.entry WHERE id = 1;
SELECT * FROM brop.verify_ledger();
ROLLBACK;

-- an entry that expires at the next seal (expiry block 1), then a block of 20
SELECT id AS late_id FROM brop.submit_as('tm-org', 'evidence', brop.sha256('late'::bytea), 'late', expires_block => 1) \gset
SELECT count(*) FROM (SELECT brop.submit_as('tm-org', 'bulk', brop.sha256(g::text::bytea), 'b-' || g)
                      FROM generate_series(1, 20) g) s;
SELECT number, first_position, tree_size FROM brop.seal();
SELECT entry = :late_id AS late, after_block FROM brop.entry_expired;
SELECT ok, entries, blocks FROM brop.verify_ledger();
-- the next entry, pending in every case below
SELECT id AS next_id FROM brop.submit_as('tm-org', 'evidence', brop.sha256('next'::bytea), 'next') \gset

-- a stored tile beyond the end of the log: the next one (0, 64), which the
-- log reaches at 1024 leaves, and one at a level no log has
BEGIN;
INSERT INTO brop.log_tile VALUES (0, 64, brop.sha256('x'::bytea)::bytea);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT brop.seal();
ROLLBACK;
BEGIN;
INSERT INTO brop.log_tile VALUES (20, 0, brop.sha256('x'::bytea)::bytea);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;

-- a row in brop.pending naming no entry
BEGIN;
INSERT INTO brop.pending VALUES (5000);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT brop.seal();
ROLLBACK;
-- a pending row with another expiry block than its entry's
BEGIN;
UPDATE brop.pending SET expires_block = 1 WHERE entry = :next_id;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT brop.seal();
ROLLBACK;
-- a pending entry that is also sealed
BEGIN;
INSERT INTO brop.pending VALUES (1);
SELECT brop.seal();
ROLLBACK;

-- a row in brop.entry_expired naming no entry
BEGIN;
INSERT INTO brop.entry_expired VALUES (5000, 3);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- naming the id the sequence gives next: then that entry is pending and expired
BEGIN;
INSERT INTO brop.entry_expired VALUES (:next_id + 1, 1001);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT id = :next_id + 1 AS next, brop.entry_status(id)
  FROM brop.submit_as('tm-org', 'evidence', brop.sha256('planted'::bytea), 'planted');
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT brop.seal();
ROLLBACK;
-- after_block edited (around the trigger): before the expiry block, before a
-- block sealed before the entry was submitted, after the last block
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry_expired SET after_block = 0 WHERE entry = :late_id;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry_expired SET after_block = 500 WHERE entry = :late_id;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry_expired SET after_block = 2000 WHERE entry = :late_id;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- an expiry record for an entry without an expiry block
BEGIN;
INSERT INTO brop.entry_expired VALUES (:next_id, 1001);
DELETE FROM brop.pending WHERE entry = :next_id;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
-- an entry sealed after its expiry block (its fields and digest rewritten;
-- without signatures, which no longer verify)
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET expires_block = 1000 WHERE nonce = 'b-5';
UPDATE brop.entry e SET digest = brop.entry_digest(e) WHERE nonce = 'b-5';
SELECT ok, first_bad_position, problem FROM brop.verify_ledger(signatures => false);
ROLLBACK;

-- a signature line appended to a stored checkpoint: another key's, or a
-- second copy of the node's
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.block b SET checkpoint = b.checkpoint
  || split_part(brop.checkpoint_note('tm-org', p.origin, p.tree_size, p.root, p.extensions), E'\n\n', 2)
  FROM brop.parse_checkpoint((SELECT checkpoint FROM brop.block WHERE number = 1001)) p WHERE b.number = 1001;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.block SET checkpoint = checkpoint || split_part(checkpoint, E'\n\n', 2) WHERE number = 1001;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;

-- a block's first position changed: reported at the block's real start,
-- naming the stored value (inside the block, or inside the block before)
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.block SET first_position = 1005 WHERE number = 1001;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.block SET first_position = 990 WHERE number = 1001;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;

-- a position planted beyond the latest block
BEGIN;
INSERT INTO brop.log_leaf VALUES (1020, :next_id, 1002);
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT brop.seal();
ROLLBACK;
-- a block planted with a tree size beyond the log's
BEGIN;
INSERT INTO brop.block SELECT 0, 0, 5000, root, prev_hash, sealed_at, checkpoint, hash FROM brop.block WHERE number = 1;
SELECT ok, first_bad_position, problem FROM brop.verify_ledger();
SELECT brop.seal();
ROLLBACK;

-- Tables derived from entries: organisations, memberships, categories,
-- credentials. Each row must be what its entry states (DIDs and serials
-- elided from the problems).
SELECT brop.did_alg(brop.create_key('ed25519', 'tm-holder'));
SELECT name FROM brop.add_organization(brop.key_did('tm-org'), 'Example School', 'direct_issuer', '{secondary}');
SELECT brop.set_membership('tm-org', brop.key_did('tm-holder'), true) > 0 AS member;
SELECT name FROM brop.add_category('device', 'devices');
SELECT entry > 0 AS issued FROM brop.issue_credential('tm-org', brop.key_did('tm-holder'), 'secondary', '{"grade": "A"}',
                                                      profile => 1, form => 'vc');
SELECT ok, problem FROM brop.verify_ledger();
CREATE FUNCTION pg_temp.problem() RETURNS TABLE (ok boolean, problem text) LANGUAGE sql AS $$
  SELECT ok, regexp_replace(regexp_replace(problem, 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...', 'g'),
                            'urn:uuid:[0-9a-f-]+', 'urn:uuid:...', 'g')
  FROM brop.verify_ledger()
$$;
-- a planted version making the holder a governance organisation
BEGIN;
INSERT INTO brop.organization_history
  SELECT brop.key_did('tm-holder'), 1, 'Planted', 'governance', '{}', 'active', now(), max(id) FROM brop.entry;
SELECT * FROM pg_temp.problem();
ROLLBACK;
-- the same, with an entry that states it, but signed by an organisation
-- that is not the node or a governance organisation
BEGIN;
-- (written through brop.submit_owned, as only the extension's owner can:
-- brop.submit refuses the kind, docs/ledger.md "Who writes which kind")
WITH f AS (SELECT jsonb_build_object('op', 'add', 'did', brop.key_did('tm-holder')::text, 'name', 'Planted',
                    'role', 'governance', 'categories', '[]'::jsonb, 'status', 'active', 'version', 1) AS h,
                  brop.key_did('tm-holder') AS s, 'organization:' || brop.key_did('tm-holder')::text AS c)
SELECT e.id AS fake_id, e.submitted_at AS fake_at FROM f, brop.submit_owned('organization', brop.key_did('tm-org'),
  brop.sha256('fake'::bytea), 'fake-1',
  brop.sign('tm-org', brop.entry_signing_input('organization', brop.key_did('tm-org'), brop.sha256('fake'::bytea),
                                               'fake-1', f.h, f.s, NULL, f.c)),
  f.h, f.s, chain_key => f.c) e \gset
INSERT INTO brop.organization_history
  VALUES (brop.key_did('tm-holder'), 1, 'Planted', 'governance', '{}', 'active', :'fake_at', :fake_id);
SELECT * FROM pg_temp.problem();
ROLLBACK;
-- an organisation's current row changed: more categories
BEGIN;
UPDATE brop.organization SET categories = '{professional,secondary}';
SELECT * FROM pg_temp.problem();
ROLLBACK;
-- a planted membership
BEGIN;
INSERT INTO brop.membership_history VALUES (brop.key_did('tm-org'), brop.key_did('tm-node'), 1, true, now(), 1);
SELECT * FROM pg_temp.problem();
ROLLBACK;
-- a planted category, and a category's description changed
BEGIN;
INSERT INTO brop.credential_category VALUES ('weapons', 'weapons permits', NULL);
SELECT * FROM pg_temp.problem();
ROLLBACK;
BEGIN;
UPDATE brop.credential_category SET description = 'other devices' WHERE name = 'device';
SELECT * FROM pg_temp.problem();
ROLLBACK;
-- a credential's row changed: another category
BEGIN;
UPDATE brop.credential SET category = 'higher_education';
SELECT * FROM pg_temp.problem();
ROLLBACK;

-- A credential's status columns follow the later entries of its chain: v1
-- superseded by v2, which the holder deactivates (every version) and the
-- issuer revokes; "gone" (profile 2, an envelope) destroyed by the holder;
-- "kept" untouched. Serials are named in the problems.
SELECT serial AS v1 FROM brop.credential \gset
SELECT serial AS v2 FROM brop.issue_credential('tm-org', brop.key_did('tm-holder'), 'secondary', '{"grade": "A+"}',
                                               profile => 1, form => 'vc', supersedes => :'v1') \gset
SELECT status, deactivated FROM brop.credential_request(:'v2', 'deactivate', 'tm-w-1',
  brop.sign('tm-holder', brop.credential_request_input(:'v2', 'deactivate', 'tm-w-1')));
SELECT status FROM brop.revoke_credential('tm-org', :'v2');
SELECT serial AS gone FROM brop.issue_credential('tm-org', brop.key_did('tm-holder'), 'secondary', '{"grade": "B"}') \gset
SELECT destroyed FROM brop.credential_request(:'gone', 'destroy', 'tm-w-2',
  brop.sign('tm-holder', brop.credential_request_input(:'gone', 'destroy', 'tm-w-2')));
SELECT serial AS kept FROM brop.issue_credential('tm-org', brop.key_did('tm-holder'), 'secondary', '{"grade": "C"}') \gset
CREATE TEMP TABLE label (serial text, name text);
INSERT INTO label VALUES (:'v1', 'v1'), (:'v2', 'v2'), (:'gone', 'gone'), (:'kept', 'kept');
CREATE FUNCTION pg_temp.named() RETURNS TABLE (ok boolean, problem text) LANGUAGE plpgsql AS $$
DECLARE
  l record;
BEGIN
  SELECT v.ok, v.problem INTO ok, problem FROM brop.verify_ledger() v;
  FOR l IN SELECT * FROM label LOOP
    problem := replace(problem, l.serial, l.name);
  END LOOP;
  problem := regexp_replace(problem, 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...', 'g');
  RETURN NEXT;
END
$$;
SELECT l.name, c.version, c.status, c.deactivated, c.destroyed, c.status_entry, c.envelope IS NOT NULL AS envelope
  FROM brop.credential c JOIN label l USING (serial) ORDER BY c.entry;
SELECT * FROM pg_temp.named();
-- revoked made active again by the owner: the revocation is named
BEGIN;
UPDATE brop.credential SET status = 'active' WHERE serial = :'v2';
SELECT * FROM pg_temp.named();
ROLLBACK;
-- superseded made active; an active one made revoked
BEGIN;
UPDATE brop.credential SET status = 'active' WHERE serial = :'v1';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
UPDATE brop.credential SET status = 'revoked' WHERE serial = :'kept';
SELECT * FROM pg_temp.named();
ROLLBACK;
-- deactivation undone, or made up
BEGIN;
UPDATE brop.credential SET deactivated = false WHERE serial IN (:'v1', :'v2');
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
UPDATE brop.credential SET deactivated = true WHERE serial = :'kept';
SELECT * FROM pg_temp.named();
ROLLBACK;
-- destruction undone, or made up
BEGIN;
UPDATE brop.credential SET destroyed = false WHERE serial = :'gone';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
UPDATE brop.credential SET destroyed = true WHERE serial = :'kept';
SELECT * FROM pg_temp.named();
ROLLBACK;
-- status_entry moved, or made up
BEGIN;
UPDATE brop.credential SET status_entry = (SELECT entry FROM brop.credential WHERE serial = :'v2') WHERE serial = :'v1';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
UPDATE brop.credential SET status_entry = 1 WHERE serial = :'kept';
SELECT * FROM pg_temp.named();
ROLLBACK;
-- envelopes: one put back after destroy, one changed, one erased
BEGIN;
UPDATE brop.credential SET envelope = '\x00' WHERE serial = :'gone';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
UPDATE brop.credential SET envelope = '\x00' WHERE serial = :'kept';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
UPDATE brop.credential SET envelope = NULL WHERE serial = :'kept';
SELECT * FROM pg_temp.named();
ROLLBACK;
-- a version moved to another lineage
BEGIN;
UPDATE brop.credential SET lineage = :'kept' WHERE serial = :'v2';
SELECT * FROM pg_temp.named();
ROLLBACK;

-- Rows that entries state, gone: a credential deleted by the owner; a
-- membership, a category and a history version deleted around the
-- triggers; an organisation's current row; a built-in category
BEGIN;
DELETE FROM brop.credential WHERE serial = :'v2';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
DELETE FROM brop.membership_history;
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
DELETE FROM brop.credential_category WHERE name = 'device';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
SELECT version FROM brop.set_organization_categories(brop.key_did('tm-org'), '{secondary,vocational}');
SET LOCAL session_replication_role = replica;
DELETE FROM brop.organization_history WHERE version = 1;
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
DELETE FROM brop.organization;
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
DELETE FROM brop.credential_category WHERE name = 'vocational';
SELECT * FROM pg_temp.named();
ROLLBACK;
-- a registration's columns changed
CREATE TABLE tm_reg (id int PRIMARY KEY, grade text);
SELECT name FROM brop.register_table('tm_reg', '{id}', signing_key => 'tm-org');
SELECT * FROM pg_temp.named();
BEGIN;
UPDATE brop.registration SET columns = '{id}';
SELECT * FROM pg_temp.named();
ROLLBACK;
-- per-object chains: a head moved back (the next submit then forks the
-- chain), a head's length changed, a head deleted, a head planted
BEGIN;
SELECT digest AS c1 FROM brop.submit_as('tm-org', 'trace', brop.sha256('c1'::bytea), 'c-1', chain_key => 'tm-chain') \gset
SELECT id > 0 AS c2 FROM brop.submit_as('tm-org', 'trace', brop.sha256('c2'::bytea), 'c-2', chain_key => 'tm-chain',
                                        prev_digest => :'c1');
SELECT * FROM pg_temp.named();
UPDATE brop.chain_head SET head = :'c1', entry = entry - 1 WHERE chain_key = 'tm-chain';
SELECT * FROM pg_temp.named();
SELECT id AS c3 FROM brop.submit_as('tm-org', 'trace', brop.sha256('c3'::bytea), 'c-3', chain_key => 'tm-chain',
                                    prev_digest => :'c1') \gset
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
UPDATE brop.chain_head SET length = length + 1 WHERE chain_key = 'credential:' || :'v1';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
DELETE FROM brop.chain_head WHERE chain_key = 'credential:' || :'v1';
SELECT * FROM pg_temp.named();
ROLLBACK;
BEGIN;
INSERT INTO brop.chain_head VALUES ('tm-planted', brop.sha256('x'::bytea), 1, 1);
SELECT * FROM pg_temp.named();
ROLLBACK;

-- and the ledger is sound, and seals
SELECT ok, entries, blocks FROM brop.verify_ledger();
SELECT number, first_position, tree_size FROM brop.seal();
SELECT ok, entries, blocks FROM brop.verify_ledger();

\c :regress_db
DROP DATABASE brop_regress_tamper;
