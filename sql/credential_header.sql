-- brop.credential_header(brop.credential): the header of a credential's
-- entry, made in C by the core's one producer (as brop.issue_credential
-- makes it). In 1.0 it was PL/pgSQL with to_char, which dropped an infinite
-- valid_until, wrote a year past 9999 with five digits and a BC date as AD:
-- now every path refuses such a time as the ledger does (22008).
-- In a database of its own.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_header;
CREATE DATABASE brop_regress_header;
\c brop_regress_header
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT count(brop.create_key('ed25519', k)) AS keys FROM unnest(ARRAY['ch-node', 'ch-uni', 'ch-alice']) k;
SELECT origin FROM brop.configure_ledger('example.org/brop', 'ch-node');
SELECT name FROM brop.add_organization(brop.key_did('ch-uni'), 'University of Examples', 'cross_issuer', '{professional}');
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- a credential's row, its valid_until given
CREATE FUNCTION pg_temp.row(valid_until timestamptz, supersedes text DEFAULT NULL) RETURNS brop.credential
  LANGUAGE sql AS $$
  SELECT ROW('urn:uuid:11111111-1111-4111-8111-111111111111', 'urn:uuid:11111111-1111-4111-8111-111111111111',
             CASE WHEN supersedes IS NULL THEN 1 ELSE 2 END, supersedes,
             'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'::brop.did,
             'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG'::brop.did,
             'professional', 'vc', 1::smallint, brop.sha256('x'), '2026-11-21 10:00:03.123456+00',
             valid_until, NULL, 'active', false, false, NULL, NULL)::brop.credential
$$;

-- the header of a row: its members in RFC 8785 order, valid_until to the second
SELECT brop.jcs(brop.credential_header(pg_temp.row('2030-01-02 03:04:05.999+00'))) AS header;
SELECT brop.jcs(brop.credential_header(pg_temp.row(NULL, 'urn:uuid:00000000-0000-4000-8000-000000000000'))) AS no_valid_until;
-- 1.0 wrote {..., no valid_until}, "12345-06-07T08:09:10Z" and "0044-03-15T12:00:00Z"
SELECT pg_temp.try($$SELECT brop.credential_header(pg_temp.row('infinity'))$$) AS infinite;
SELECT pg_temp.try($$SELECT brop.credential_header(pg_temp.row('12345-06-07 08:09:10+00'))$$) AS year_12345;
SELECT pg_temp.try($$SELECT brop.credential_header(pg_temp.row('0044-03-15 12:00:00+00 BC'))$$) AS before_christ;

-- brop.record_credential compares the header it is given with
-- brop.credential_header of its row: 1.0 recorded a five-digit year
CREATE FUNCTION pg_temp.header(serial text, valid_until text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('type', 'credential', 'schema', 'brop-credential-v1', 'serial', serial, 'version', 1,
    'issuer', brop.key_did('ch-uni')::text, 'holder', brop.key_did('ch-alice')::text, 'category', 'professional',
    'form', 'vc', 'profile', 1,
    'issued_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'valid_until', valid_until)
$$;
CREATE FUNCTION pg_temp.record(serial text, valid_until text) RETURNS brop.credential LANGUAGE sql AS $$
  SELECT brop.record_credential(pg_temp.header(serial, valid_until), brop.sha256(serial::bytea), NULL,
    brop.sign('ch-uni', brop.entry_signing_input('credential', brop.key_did('ch-uni'), brop.sha256(serial::bytea),
      serial, pg_temp.header(serial, valid_until), brop.key_did('ch-alice'), NULL, 'credential:' || serial)),
    NULL)
$$;
SELECT pg_temp.try($$SELECT pg_temp.record('urn:uuid:22222222-2222-4222-8222-222222222222', '12345-06-07T08:09:10Z')$$)
  AS recorded_year_12345;
SELECT pg_temp.try($$SELECT pg_temp.record('urn:uuid:33333333-3333-4333-8333-333333333333', 'infinity')$$)
  AS recorded_infinite;
-- the same refusals as brop.issue_credential's
SELECT pg_temp.try($$SELECT brop.issue_credential('ch-uni', brop.key_did('ch-alice'), 'professional', '{"a": 1}',
                                                  valid_until => '12345-06-07 08:09:10+00')$$) AS issued_year_12345;
SELECT pg_temp.try($$SELECT brop.issue_credential('ch-uni', brop.key_did('ch-alice'), 'professional', '{"a": 1}',
                                                  valid_until => 'infinity')$$) AS issued_infinite;
-- a header that is a credential's is still recorded
SELECT status, valid_until = '2030-01-02 03:04:05+00' AS valid_until
  FROM pg_temp.record('urn:uuid:44444444-4444-4444-8444-444444444444', '2030-01-02T03:04:05Z');
SELECT count(*) AS credentials FROM brop.credential;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE brop_regress_header;
