-- Bounds of credential verification (docs/security.md): SD-JWTs with many
-- disclosures, array elements and decoys verify correctly; past each limit
-- a reason naming it; huge inputs end promptly under a short
-- statement_timeout (the limit's reason, or 57014).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SELECT count(brop.create_key('ed25519', 'cb-issuer')) AS keys;
CREATE FUNCTION pg_temp.b64(t text) RETURNS text LANGUAGE sql AS $$
  SELECT brop.encode(convert_to(t, 'UTF8'), 'base64url') $$;
-- an issuer-signed JWT of cb-issuer over this payload text
CREATE FUNCTION pg_temp.jwt(payload text) RETURNS text LANGUAGE sql AS $$
  SELECT si || '.' || brop.encode(brop.sign('cb-issuer', convert_to(si, 'UTF8')), 'base64url')
    FROM (SELECT pg_temp.b64('{"alg":"EdDSA","typ":"dc+sd-jwt"}') || '.' || pg_temp.b64(payload) AS si) s $$;
CREATE FUNCTION pg_temp.iss() RETURNS text LANGUAGE sql AS $$ SELECT brop.key_did('cb-issuer')::text $$;
-- a disclosure ([salt, name, value] or [salt, value]) and its digest
CREATE FUNCTION pg_temp.disclosure(arr text) RETURNS text LANGUAGE sql AS $$ SELECT pg_temp.b64(arr) $$;
CREATE FUNCTION pg_temp.digest(d text) RETURNS text LANGUAGE sql AS $$
  SELECT brop.encode(brop.sha256(convert_to(d, 'UTF8'))::bytea, 'base64url') $$;
CREATE FUNCTION pg_temp.decoy(i int) RETURNS text LANGUAGE sql AS $$ SELECT 'decoy' || lpad(i::text, 38, '0') $$;
-- a check's reason (the limit's, when it is want), or the statement's cancel
CREATE FUNCTION pg_temp.bounded(q text, want text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE q INTO r;
  RETURN CASE WHEN r LIKE want THEN 'the limit''s reason' ELSE 'another reason: ' || coalesce(r, 'valid') END;
EXCEPTION WHEN query_canceled THEN
  RETURN 'cancelled (57014)';
END $$;

-- 3,000 claims and a list of 9,000 elements (a third disclosed, a third
-- undisclosed, a third plain), 20,000 decoys; disclosures in reverse order
CREATE TEMP TABLE many AS
  SELECT i, pg_temp.disclosure(format('["s%s","c%s",%s]', i, i, i)) AS d FROM generate_series(1, 3000) i
  UNION ALL
  SELECT 100000 + i, pg_temp.disclosure(format('["e%s",%s]', i, i)) FROM generate_series(0, 8999, 3) i;
CREATE TEMP TABLE many_text AS
  SELECT pg_temp.jwt(format('{"iss":"%s","sub":"%1$s","jti":"urn:example:many","cnf":{"jwk":%s},'
                            '"_sd_alg":"sha-256","_sd":[%s],"list":[%s]}',
           pg_temp.iss(), brop.did_jwk(brop.key_did('cb-issuer')),
           (SELECT string_agg(format('"%s"', pg_temp.digest(d)), ',') FROM many WHERE i <= 3000)
             || (SELECT string_agg(format(',"%s"', pg_temp.decoy(i)), '') FROM generate_series(1, 20000) i),
           (SELECT string_agg(CASE i % 3 WHEN 0 THEN format('{"...":"%s"}', (SELECT pg_temp.digest(d) FROM many WHERE many.i = 100000 + g.i))
                                         WHEN 1 THEN format('{"...":"%s"}', pg_temp.decoy(100000 + i))
                                         ELSE i::text END, ',' ORDER BY i) FROM generate_series(0, 8999) g(i))))
         || '~' || (SELECT string_agg(d, '~' ORDER BY i DESC) FROM many) || '~' AS t;
SELECT c.reason, (SELECT count(*) FROM jsonb_object_keys(c.document) k WHERE k ~ '^c[0-9]+$') AS claims,
       (SELECT bool_and((c.document->>('c' || i))::int = i) FROM generate_series(1, 3000) i) AS claims_in_place,
       jsonb_array_length(c.document->'list') AS list_length,
       c.document->'list' = (SELECT jsonb_agg(i ORDER BY i) FROM generate_series(0, 8999) i WHERE i % 3 <> 1) AS list_in_order,
       jsonb_array_length(c.revealed) AS revealed
  FROM many_text, brop.credential_check(t) c;

-- past each limit, a reason naming it (exact texts)
SELECT reason FROM brop.credential_check(pg_temp.jwt('{}') || repeat('~WyJzIiwidiJd', 10001) || '~');
SELECT reason FROM brop.credential_check(pg_temp.jwt(format('{"iss":"%s","_sd":[%s]}', pg_temp.iss(),
  (SELECT string_agg(format('"%s"', pg_temp.decoy(i)), ',') FROM generate_series(1, 50001) i))) || '~');
SELECT reason FROM brop.credential_check(pg_temp.jwt(format('{"iss":"%s","a":%s%s}', pg_temp.iss(),
  repeat('[', 65), repeat(']', 65))) || '~');
SELECT reason FROM brop.credential_check(repeat('~', 4 * 1024 * 1024 + 1));
SELECT reason FROM brop.credential_check('{' || repeat(' ', 4 * 1024 * 1024) || '}');

-- 80,000 disclosures and 300,000 decoys under a 500 ms statement_timeout
-- (each text made beforehand, each a valid signed SD-JWT otherwise): the
-- limit's reason at once, where the quadratic loops ran for seconds and
-- were then cancelled
CREATE TEMP TABLE huge AS
  SELECT 'disclosures' AS what,
         pg_temp.jwt(format('{"iss":"%s"}', pg_temp.iss()))
           || (SELECT string_agg('~' || pg_temp.disclosure(format('["s%s","c%s",1]', i, i)), '') FROM generate_series(1, 80000) i)
           || '~' AS t
  UNION ALL
  SELECT 'decoys', pg_temp.jwt(format('{"iss":"%s","list":[%s]}', pg_temp.iss(),
           (SELECT string_agg(format('{"...":"%s"}', pg_temp.decoy(i)), ',') FROM generate_series(1, 300000) i))) || '~'
  UNION ALL
  SELECT 'decoys in _sd', pg_temp.jwt(format('{"iss":"%s","_sd":[%s]}', pg_temp.iss(),
           (SELECT string_agg(format('"%s"', pg_temp.decoy(i)), ',') FROM generate_series(1, 300000) i))) || '~';
SET statement_timeout = '500ms';
SELECT pg_temp.bounded($$SELECT reason FROM brop.credential_check((SELECT t FROM huge WHERE what = 'disclosures'))$$,
                       'the SD-JWT has more than the limit of 10000 disclosures') AS disclosures;
SELECT pg_temp.bounded($$SELECT reason FROM brop.credential_check((SELECT t FROM huge WHERE what = 'decoys'))$$,
                       'the % than the limit of %') AS decoys;
SELECT pg_temp.bounded($$SELECT reason FROM brop.credential_check((SELECT t FROM huge WHERE what = 'decoys in _sd'))$$,
                       'the % than the limit of %') AS decoys_in_sd;
-- within the limits (50,000 decoys), a cancel ends the verification with
-- 57014, never with a verdict (the core stops at the cancel callback, the
-- glue raises the cancel)
CREATE TEMP TABLE at_limit AS
  SELECT pg_temp.jwt(format('{"iss":"%s","list":[%s]}', pg_temp.iss(),
           (SELECT string_agg(format('{"...":"%s"}', pg_temp.decoy(i)), ',') FROM generate_series(1, 50000) i))) || '~' AS t;
SET statement_timeout = '1ms';
SELECT pg_temp.bounded($$SELECT reason FROM brop.credential_check((SELECT t FROM at_limit))$$, 'none') AS cancelled;
SET statement_timeout = '500ms';
-- the verdict too (its log rows rolled back: verifiable_credential counts them)
BEGIN;
SELECT pg_temp.bounded($$SELECT array_to_string(reasons, '; ') FROM brop.verify_credential((SELECT t FROM huge WHERE what = 'disclosures'))$$,
                       'the SD-JWT has more than the limit of 10000 disclosures%') AS verdict_disclosures;
SELECT pg_temp.bounded($$SELECT array_to_string(reasons, '; ') FROM brop.verify_credential((SELECT t FROM huge WHERE what = 'decoys'))$$,
                       'the % than the limit of %') AS verdict_decoys;
ROLLBACK;
RESET statement_timeout;

-- brop.verification_log keeps every verification's nonce and audience:
-- they are bounded (22001), refused before the verdict, so no row is written
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT count(*) AS log_rows FROM brop.verification_log \gset
SELECT pg_temp.try($$SELECT brop.verify_presentation('a.b.c~', repeat('n', 257), 'https://verifier.example')$$) AS long_nonce;
SELECT pg_temp.try($$SELECT brop.verify_presentation('a.b.c~', 'n-1', repeat('a', 1025))$$) AS long_audience;
SELECT pg_temp.try($$SELECT brop.verify_presentation('a.b.c~', repeat('n', 10000000), repeat('a', 10000000))$$) AS huge;
SELECT count(*) = :log_rows AS no_row FROM brop.verification_log;
-- at the limits: a verdict, and its row holds them whole (rolled back)
BEGIN;
SELECT valid, reasons FROM brop.verify_presentation('a.b.c~', repeat('n', 256), repeat('a', 1024));
SELECT length(nonce) AS nonce, length(audience) AS audience FROM brop.verification_log ORDER BY id DESC LIMIT 1;
ROLLBACK;

-- A verdict whose text fails has no claims (null) in either form; VC 2.0
-- makes id and credentialSubject.id optional, brop requires both
-- (docs/formats.md): a VC signed without them is refused with its reason
SELECT brop.sign_credential('cb-issuer', brop.key_did('cb-issuer'), 'vc',
         jsonb_build_object('@context', '["https://www.w3.org/ns/credentials/v2"]'::jsonb,
                            'type', '["VerifiableCredential"]'::jsonb, 'issuer', pg_temp.iss(),
                            'credentialSubject', '{"name": "Alice"}'::jsonb),
         jsonb_build_object('type', 'DataIntegrityProof', 'cryptosuite', 'eddsa-jcs-2022',
                            'proofPurpose', 'assertionMethod', 'created', '2026-01-01T00:00:00Z',
                            'verificationMethod', pg_temp.iss() || '#' || substr(pg_temp.iss(), 9))) AS no_id \gset
SELECT form, reason, claims FROM brop.credential_check(:'no_id');
BEGIN;
SELECT form, valid, claims, reasons FROM brop.verify_credential(:'no_id')
UNION ALL
SELECT form, valid, claims, reasons FROM brop.verify_credential('{"@context": []}')
UNION ALL
SELECT form, valid, claims, reasons FROM brop.verify_credential(pg_temp.jwt('{}') || '~');
SELECT serial, revealed, valid FROM brop.verification_log ORDER BY id DESC LIMIT 3;
ROLLBACK;

-- issuing: what verification would refuse (a text past 4 MiB) is not
-- signed, nor parsed by the core (22023 with the limit)
SELECT brop.sign_credential('cb-issuer', brop.key_did('cb-issuer'), 'vc',
         jsonb_build_object('big', repeat('x', 4 * 1024 * 1024)), '{}');
SELECT brop.sign_credential('cb-issuer', brop.key_did('cb-issuer'), 'vc',
         '{}', jsonb_build_object('big', repeat('x', 4 * 1024 * 1024)));
SELECT brop.sign_credential('cb-issuer', brop.key_did('cb-issuer'), 'sd-jwt',
         jsonb_build_object('big', repeat('x', 4 * 1024 * 1024)), '{}');
SELECT brop.sign_credential('cb-issuer', brop.key_did('cb-issuer'), 'sd-jwt',
         '{}', jsonb_build_object('big', repeat('x', 4 * 1024 * 1024)));
-- a form is quoted to 64 characters
SELECT brop.sign_credential('cb-issuer', brop.key_did('cb-issuer'), repeat('f', 100), '{}', '{}');
