-- Reserved kinds (docs/ledger.md, "Who writes which kind"): an entry that
-- states a row of brop's tables is written only with its row, by its own
-- function; every generic path refuses it, so no submitter can plant an
-- entry that brop.verify_ledger() would report for ever.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
DROP ROLE IF EXISTS rk_submitter;
CREATE ROLE rk_submitter;
RESET client_min_messages;
SELECT brop.create_key('ed25519', 'rk-org') IS NOT NULL AS org_key,
       brop.create_key('ed25519', 'rk-holder') IS NOT NULL AS holder_key;
SELECT name, status FROM brop.add_organization(brop.key_did('rk-org'), 'Reserved College', 'direct_issuer', '{secondary}');
-- the documented submit rights: EXECUTE on brop.submit and brop.submit_batch, and the key
GRANT EXECUTE ON FUNCTION brop.submit(text, brop.did, brop.digest, text, bytea, jsonb, brop.did, brop.digest, text, brop.digest, bigint),
                          brop.submit_batch(text, brop.did, jsonb, pg_lsn, bigint, pg_lsn, bigint) TO rk_submitter;
SELECT brop.grant_key('rk-org', 'rk_submitter');
SELECT brop.key_did('rk-org') AS org, brop.key_did('rk-holder') AS holder \gset
SELECT count(*) AS entries_before FROM brop.entry \gset

SET ROLE rk_submitter;
-- each reserved kind, signed with the organisation's own key, in the chain
-- and with the header its owning function would write: refused
SELECT brop.submit('membership', :'org', brop.sha256('m'::bytea), 'rk-m',
  brop.sign('rk-org', brop.entry_signing_input('membership', :'org', brop.sha256('m'::bytea), 'rk-m',
    jsonb_build_object('op', 'join', 'org', :'org', 'holder', :'holder', 'version', 1), :'holder', NULL,
    'membership:' || :'org' || ':' || :'holder')),
  jsonb_build_object('op', 'join', 'org', :'org', 'holder', :'holder', 'version', 1), :'holder', NULL,
  'membership:' || :'org' || ':' || :'holder');
SELECT brop.submit_as('rk-org', 'credential', brop.sha256('c'::bytea), 'rk-c',
  jsonb_build_object('type', 'credential', 'serial', 'rk-c', 'issuer', :'org'), :'holder',
  chain_key => 'credential:rk-c');
SELECT brop.submit_as('rk-org', 'organization', brop.sha256('o'::bytea), 'rk-o',
  jsonb_build_object('op', 'add', 'did', :'holder', 'version', 1), :'holder', chain_key => 'organization:' || :'holder');
SELECT brop.submit_as('rk-org', 'organization', brop.sha256('k'::bytea), 'rk-k',
  jsonb_build_object('op', 'add_category', 'category', 'rk'), chain_key => 'category:rk');
SELECT brop.submit_as('rk-org', 'credential_status', brop.sha256('s'::bytea), 'rk-s',
  jsonb_build_object('type', 'credential_status', 'op', 'revoke', 'serial', 'rk-c'));
SELECT brop.submit_as('rk-org', 'node_adopted', brop.sha256('n'::bytea), 'rk-n',
  jsonb_build_object('type', 'node_adopted', 'reason', 'planted'));
-- a relayed batch holding one
SELECT * FROM brop.submit_batch('rk-src', :'org', jsonb_build_array(jsonb_build_object(
  'kind', 'membership', 'org', :'org', 'payload_digest', brop.sha256('b'::bytea)::text, 'nonce', 'rk-b',
  'header', jsonb_build_object('org', :'org', 'version', 1), 'chain_key', 'membership:rk',
  'signature', brop.encode(brop.sign('rk-org', brop.entry_signing_input('membership', :'org', brop.sha256('b'::bytea),
    'rk-b', jsonb_build_object('org', :'org', 'version', 1), NULL, NULL, 'membership:rk')), 'base64url'))),
  '0/0', NULL, '0/100', NULL);
-- the internal entry point: no role may call it
SELECT brop.submit_owned('membership', :'org', brop.sha256('m'::bytea), 'rk-m', '\x00');
-- any other kind goes
SELECT kind, nonce FROM brop.submit_as('rk-org', 'evidence', brop.sha256('e'::bytea), 'rk-e');
RESET ROLE;
SELECT count(*) - :entries_before AS entries_written FROM brop.entry;
-- only the extension's owner may execute brop.submit_owned
SELECT p.proacl IS NOT NULL AND NOT EXISTS (
         SELECT FROM aclexplode(p.proacl) a WHERE a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE')
       AS owner_only
  FROM pg_proc p WHERE p.oid = 'brop.submit_owned(text, brop.did, brop.digest, text, bytea, jsonb, brop.did, brop.digest, text, brop.digest, bigint)'::regprocedure;

-- The owning functions still write them, each entry with its row, as a
-- role granted the function and the key (and nothing else). In one
-- transaction, rolled back: the tests after this one count credentials.
-- A statement's outcome: "ok", or its SQLSTATE and message (DIDs elided).
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...', 'g');
END $$;
GRANT EXECUTE ON FUNCTION brop.set_membership(text, brop.did, boolean) TO rk_submitter;
BEGIN;
SET LOCAL ROLE rk_submitter;
SELECT brop.set_membership('rk-org', :'holder', true) > 0 AS joined;
SELECT serial AS rk_serial FROM brop.issue_credential('rk-org', :'holder', 'secondary', '{"grade": "A"}',
                                                      profile => 1, form => 'vc') \gset
SELECT status FROM brop.revoke_credential('rk-org', :'rk_serial');
SELECT brop.set_membership('rk-org', :'holder', false) > 0 AS left;
-- a change that changes nothing is refused by the writer
SELECT pg_temp.try(format('SELECT brop.set_membership(%L, %L, false)', 'rk-org', :'holder')) AS leave_again;
RESET ROLE;
SELECT m.version, m.member, e.kind, e.header->>'op' AS op, e.org = m.org AS by_org
  FROM brop.membership_history m JOIN brop.entry e ON e.id = m.entry WHERE m.org = :'org' ORDER BY m.version;
SELECT c.status, e.kind, s.kind AS status_kind, s.header->>'op' AS op
  FROM brop.credential c JOIN brop.entry e ON e.id = c.entry JOIN brop.entry s ON s.id = c.status_entry
 WHERE c.serial = :'rk_serial';
-- governance (the node's key): a category, an organisation's categories and status
SELECT name, entry IS NOT NULL AS has_entry FROM brop.add_category('rk_category', 'reserved kinds');
SELECT categories, version FROM brop.set_organization_categories(:'org', '{rk_category,secondary}');
SELECT status, version FROM brop.set_organization_status(:'org', 'suspended');
SELECT status, version FROM brop.set_organization_status(:'org', 'active');
SELECT h.version, h.status, e.kind, e.header->>'op' AS op
  FROM brop.organization_history h JOIN brop.entry e ON e.id = h.entry WHERE h.did = :'org' ORDER BY h.version;
-- the writers (SECURITY DEFINER, for every role) take only a signature by
-- the right key over the right change
SELECT pg_temp.try(format('SELECT brop.category_add(%L, %L, %L, brop.sign(%L, brop.category_add_input(%L, %L, %L)))',
                          'rk_other', 'other', :'org', 'rk-org', 'rk_other', 'other', :'org')) AS not_governance;
SELECT pg_temp.try(format('SELECT brop.membership_change(%L, %L, true, brop.sign(%L, brop.membership_change_input(%L, %L, true)))',
                          :'org', :'holder', 'rk-holder', :'org', :'holder')) AS wrong_key;
SELECT pg_temp.try(format('SELECT brop.organization_change(%L, (SELECT o FROM brop.organization o WHERE o.did = %L), %L, %L)',
                          'remove', :'org', (SELECT node_did FROM brop.ledger_config), '\x00')) AS same_version;
SELECT ok, problem FROM brop.verify_ledger();

-- A problem text quotes a caller's field at most 64 characters, cut
-- between characters: a planted membership entry (the owner's
-- brop.submit_owned, bypassing set_membership) with a 10,000-character
-- multibyte version.
SELECT id > 0 AS planted FROM brop.submit_owned('membership', :'org', brop.sha256('p'::bytea), 'rk-p',
  brop.sign('rk-org', brop.entry_signing_input('membership', :'org', brop.sha256('p'::bytea), 'rk-p',
    jsonb_build_object('org', :'org', 'version', repeat('é', 10000)), NULL, NULL, 'membership:rk-planted')),
  jsonb_build_object('org', :'org', 'version', repeat('é', 10000)), chain_key => 'membership:rk-planted');
SELECT ok, length(problem) AS length,
       regexp_replace(regexp_replace(problem, 'entry [0-9]+', 'entry N'), 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...')
         AS problem
  FROM brop.verify_ledger();
ROLLBACK;

REVOKE ALL ON FUNCTION brop.set_membership(text, brop.did, boolean) FROM rk_submitter;
REVOKE ALL ON FUNCTION brop.submit(text, brop.did, brop.digest, text, bytea, jsonb, brop.did, brop.digest, text, brop.digest, bigint),
                       brop.submit_batch(text, brop.did, jsonb, pg_lsn, bigint, pg_lsn, bigint) FROM rk_submitter;
SELECT brop.revoke_key('rk-org', 'rk_submitter');
DROP ROLE rk_submitter;

-- A database at 1.0 on the 1.1 library (before ALTER EXTENSION brop
-- UPDATE): its 1.0 functions still submit the reserved kinds through
-- brop.submit, which refuses them only once brop.submit_owned exists
-- (docs/operations.md, "Upgrading to 1.1: reserved kinds").
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_rk_upgrade;
CREATE DATABASE brop_rk_upgrade;
\c brop_rk_upgrade
SET client_min_messages = warning;
CREATE EXTENSION brop VERSION '1.0';
RESET client_min_messages;
SELECT brop.create_key('ed25519', 'up-node') IS NOT NULL AS node_key,
       brop.create_key('ed25519', 'up-org') IS NOT NULL AS org_key,
       brop.create_key('ed25519', 'up-holder') IS NOT NULL AS holder_key;
SELECT origin FROM brop.configure_ledger('rk.example/upgrade', 'up-node');
SELECT name FROM brop.add_organization(brop.key_did('up-org'), 'Upgraded College', 'direct_issuer', '{secondary}');
SELECT brop.set_membership('up-org', brop.key_did('up-holder'), true) > 0 AS joined_at_1_0;
-- in this window brop.submit still takes the kind (the window is not closed: update right away)
BEGIN;
SELECT kind FROM brop.submit_as('up-org', 'membership', brop.sha256('w'::bytea), 'up-w', '{}', NULL, NULL, 'membership:window');
ROLLBACK;
ALTER EXTENSION brop UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'brop';
SELECT brop.set_membership('up-org', brop.key_did('up-holder'), false) > 0 AS left_at_1_1;
SELECT kind FROM brop.submit_as('up-org', 'membership', brop.sha256('w'::bytea), 'up-w', '{}', NULL, NULL, 'membership:window');
SELECT m.version, m.member FROM brop.membership_history m ORDER BY m.version;
SELECT (brop.seal()).number AS sealed;
SELECT ok, problem FROM brop.verify_ledger();
\c :regress_db
DROP DATABASE brop_rk_upgrade;
