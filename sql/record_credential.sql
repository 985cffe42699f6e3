-- brop.record_credential (a credential signed outside the node): the oracle
-- is asked when it is recorded, and verification asks it at the header's
-- issued_at, so issued_at must be the node's now, give or take 5 minutes.
-- In a database of its own.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_record;
CREATE DATABASE brop_regress_record;
\c brop_regress_record
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT count(brop.create_key('ed25519', k)) AS keys FROM unnest(ARRAY['rc-node', 'rc-uni', 'rc-alice']) k;
SELECT origin FROM brop.configure_ledger('example.org/brop', 'rc-node');
SELECT name FROM brop.add_organization(brop.key_did('rc-uni'), 'University of Examples', 'cross_issuer', '{professional}');

-- the header of a vc of profile 1 issued at a given time, and the issuer's
-- signature over its entry
CREATE FUNCTION pg_temp.header(serial text, issued_at timestamptz) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('type', 'credential', 'schema', 'brop-credential-v1', 'serial', serial, 'version', 1,
    'issuer', brop.key_did('rc-uni')::text, 'holder', brop.key_did('rc-alice')::text, 'category', 'professional',
    'form', 'vc', 'profile', 1,
    'issued_at', to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
$$;
CREATE FUNCTION pg_temp.record(serial text, issued_at timestamptz) RETURNS brop.credential LANGUAGE sql AS $$
  SELECT brop.record_credential(pg_temp.header(serial, issued_at), brop.sha256(serial::bytea), NULL,
    brop.sign('rc-uni', brop.entry_signing_input('credential', brop.key_did('rc-uni'), brop.sha256(serial::bytea),
      serial, pg_temp.header(serial, issued_at), brop.key_did('rc-alice'), NULL, 'credential:' || serial)),
    NULL)
$$;

-- signed by the authorised issuer, issued a minute ago: recorded
SELECT status, version, issued_at = date_trunc('milliseconds', now() - interval '1 minute') AS issued_a_minute_ago
  FROM pg_temp.record('urn:uuid:11111111-1111-4111-8111-111111111111',
                      date_trunc('milliseconds', now() - interval '1 minute'));
-- backdated, and dated ahead: refused, though the issuer signed them
SELECT pg_temp.record('urn:uuid:22222222-2222-4222-8222-222222222222', '2020-01-01 00:00:00+00');
SELECT pg_temp.record('urn:uuid:33333333-3333-4333-8333-333333333333', '2100-01-01 00:00:00+00');
\set VERBOSITY terse
SELECT pg_temp.record('urn:uuid:44444444-4444-4444-8444-444444444444', now() - interval '6 minutes');
\set VERBOSITY default
SELECT count(*) AS recorded FROM brop.credential;

\c :regress_db
DROP DATABASE brop_regress_record;
