-- One set of admission rules for a credential version, in C
-- (brop.admit_credential), for brop.issue_credential and
-- brop.record_credential alike (docs/credentials.md, "Admission"). Before
-- 1.1 they were written twice and differed: the oracle and membership were
-- asked at now() by record_credential but as of the latest history row by
-- issue_credential (so in the transaction that changed a membership the two
-- answered differently), and a missing superseded version was 42704 in one
-- and 55000 in the other. Now both ask the latest history rows, this
-- transaction's changes included.
-- In a database of its own.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_admission;
CREATE DATABASE brop_regress_admission;
\c brop_regress_admission
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT count(brop.create_key('ed25519', k)) AS keys FROM unnest(ARRAY['ad-node', 'ad-school', 'ad-alice', 'ad-bob']) k;
SELECT origin FROM brop.configure_ledger('example.org/brop', 'ad-node');
SELECT name FROM brop.add_organization(brop.key_did('ad-school'), 'Example School', 'direct_issuer', '{secondary}');
SELECT brop.set_membership('ad-school', brop.key_did('ad-alice'), true) > 0 AS alice_joined;
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(regexp_replace(SQLERRM, 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...', 'g'),
                                            'urn:uuid:[0-9a-f-]+', 'urn:uuid:...', 'g');
END $$;
-- record_credential of a vc of profile 1 issued now, signed by the school
CREATE FUNCTION pg_temp.header(serial text, holder text, version int, supersedes text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object('type', 'credential', 'schema', 'brop-credential-v1', 'serial', serial,
    'version', version, 'supersedes', supersedes, 'issuer', brop.key_did('ad-school')::text,
    'holder', brop.key_did(holder)::text, 'category', 'secondary', 'form', 'vc', 'profile', 1,
    'issued_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
$$;
CREATE FUNCTION pg_temp.record(serial text, holder text, version int DEFAULT 1, supersedes text DEFAULT NULL)
  RETURNS brop.credential LANGUAGE sql AS $$
  SELECT brop.record_credential(pg_temp.header(serial, holder, version, supersedes), brop.sha256(serial::bytea), NULL,
    brop.sign('ad-school', brop.entry_signing_input('credential', brop.key_did('ad-school'), brop.sha256(serial::bytea),
      serial, pg_temp.header(serial, holder, version, supersedes), brop.key_did(holder), NULL, 'credential:' || serial)),
    NULL)
$$;
CREATE FUNCTION pg_temp.issue(holder text, supersedes text DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
  SELECT serial FROM brop.issue_credential('ad-school', brop.key_did(holder), 'secondary', '{"diploma": "yes"}', 1, 'vc',
                                           supersedes => supersedes)
$$;

-- a membership added in this transaction: both paths admit (1.0's
-- record_credential refused, asking at now(), the transaction's start)
BEGIN;
SELECT brop.set_membership('ad-school', brop.key_did('ad-bob'), true) > 0 AS bob_joins;
SELECT pg_temp.try($$SELECT pg_temp.issue('ad-bob')$$) AS issued_to_bob;
SELECT pg_temp.try($$SELECT pg_temp.record('urn:uuid:b0b00000-0000-4000-8000-000000000001', 'ad-bob')$$) AS recorded_for_bob;
SELECT count(*) AS admitted FROM brop.credential c;
ROLLBACK;
-- a membership ended in this transaction: both paths refuse (1.0's
-- record_credential admitted)
BEGIN;
SELECT brop.set_membership('ad-school', brop.key_did('ad-alice'), false) > 0 AS alice_leaves;
SELECT pg_temp.try($$SELECT pg_temp.issue('ad-alice')$$) AS issued_to_alice;
SELECT pg_temp.try($$SELECT pg_temp.record('urn:uuid:a11ce000-0000-4000-8000-000000000001', 'ad-alice')$$) AS recorded_for_alice;
SELECT count(*) AS admitted FROM brop.credential c;
ROLLBACK;

-- a superseded version that does not exist: 42704 on both paths (1.0's record_credential: 55000)
SELECT pg_temp.try($$SELECT pg_temp.issue('ad-alice', 'urn:uuid:00000000-0000-4000-8000-000000000000')$$) AS issued_missing;
SELECT pg_temp.try($$SELECT pg_temp.record('urn:uuid:a11ce000-0000-4000-8000-000000000002', 'ad-alice', 2,
                                            'urn:uuid:00000000-0000-4000-8000-000000000000')$$) AS recorded_missing;
-- a version that is not the next one: 55000 on both
SELECT pg_temp.issue('ad-alice') AS v1 \gset
SELECT pg_temp.try(format($$SELECT pg_temp.record('urn:uuid:a11ce000-0000-4000-8000-000000000003', 'ad-alice', 3, %L)$$,
                          :'v1')) AS recorded_version_3;
-- the next version, recorded (in the first's chain, after its head), then
-- a second one superseding the same: 55000 on both
CREATE FUNCTION pg_temp.record_next(serial text, first text) RETURNS brop.credential LANGUAGE sql AS $$
  SELECT brop.record_credential(pg_temp.header(serial, 'ad-alice', 2, first), brop.sha256(serial::bytea), NULL,
    brop.sign('ad-school', brop.entry_signing_input('credential', brop.key_did('ad-school'), brop.sha256(serial::bytea),
      serial, pg_temp.header(serial, 'ad-alice', 2, first), brop.key_did('ad-alice'), NULL, 'credential:' || first,
      (SELECT h.head FROM brop.chain_head h WHERE h.chain_key = 'credential:' || first))),
    (SELECT h.head FROM brop.chain_head h WHERE h.chain_key = 'credential:' || first))
$$;
SELECT version, status, deactivated FROM pg_temp.record_next('urn:uuid:a11ce000-0000-4000-8000-000000000004', :'v1');
SELECT c.version, c.lineage = :'v1' AS same_lineage, p.status AS first_is
  FROM brop.credential c JOIN brop.credential p ON p.serial = c.supersedes WHERE c.supersedes = :'v1';
SELECT pg_temp.try(format($$SELECT pg_temp.issue('ad-alice', %L)$$, :'v1')) AS issued_superseded;
SELECT pg_temp.try(format($$SELECT pg_temp.record('urn:uuid:a11ce000-0000-4000-8000-000000000005', 'ad-alice', 2, %L)$$,
                          :'v1')) AS recorded_superseded;
-- the execute right stays with record_credential's owner
SELECT has_function_privilege('public', 'brop.admit_credential(brop.credential)', 'execute') AS public_may_admit;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE brop_regress_admission;
