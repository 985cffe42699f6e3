-- Batch signatures and relayed batches (docs/formats.md, "Batch signatures";
-- docs/registration.md, "Path 2")
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SELECT brop.create_key('ed25519', 'bt-org') IS NOT NULL AS org_key,
       brop.create_key('p256', 'bt-p256') IS NOT NULL AS p256_key,
       brop.create_key('ed25519', 'bt-other') IS NOT NULL AS other_key;
-- a statement's outcome: "ok", or its SQLSTATE and message (the random DIDs elided)
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...', 'g');
END $$;

-- one signature, five forms: each verifies alone, for its own message and key only
CREATE TEMP TABLE five AS
  SELECT msgs, brop.sign_batch('bt-org', msgs) AS forms
  FROM (SELECT array_agg(convert_to('message ' || g, 'UTF8') ORDER BY g) AS msgs
        FROM generate_series(1, 5) g) m;
SELECT i, length(forms[i]) AS bytes, get_byte(forms[i], 0) = 98 AS batch_form,
       substr(forms[i], 2, 8) AS place,
       brop.verify(brop.key_did('bt-org'), msgs[i], forms[i]) AS valid,
       brop.verify(brop.key_did('bt-org'), msgs[i % 5 + 1], forms[i]) AS for_other_message,
       brop.verify(brop.key_did('bt-other'), msgs[i], forms[i]) AS by_other_key
FROM five, generate_series(1, 5) i ORDER BY i;
-- the same signature in every form (the last 64 bytes)
SELECT count(DISTINCT substr(forms[i], length(forms[i]) - 63)) AS signatures FROM five, generate_series(1, 5) i;
-- a changed byte of the path, of the place, of the signature
SELECT brop.verify(brop.key_did('bt-org'), msgs[1], set_byte(forms[1], 20, get_byte(forms[1], 20) # 1)) AS path_changed,
       brop.verify(brop.key_did('bt-org'), msgs[1], set_byte(forms[1], 4, 1)) AS place_changed,
       brop.verify(brop.key_did('bt-org'), msgs[1],
                   set_byte(forms[1], length(forms[1]) - 1, get_byte(forms[1], length(forms[1]) - 1) # 1)) AS signature_changed
FROM five;
-- p256 keys sign batches too (a DER signature after the path)
SELECT brop.verify(brop.key_did('bt-p256'), 'one', f[1]) AND brop.verify(brop.key_did('bt-p256'), 'two', f[2]) AS p256_valid
FROM (SELECT brop.sign_batch('bt-p256', ARRAY['one', 'two']::bytea[]) AS f) s;
-- malformed forms and batches
SELECT brop.verify(brop.key_did('bt-org'), msgs[1], substr(forms[1], 1, 9 + 96)) FROM five;
SELECT brop.verify(brop.key_did('bt-org'), msgs[1], '\x62000000050000000500') FROM five;
SELECT brop.sign_batch('bt-org', '{}');
SELECT brop.sign_batch('bt-org', ARRAY['a', NULL]::bytea[]);
SELECT brop.sign_batch('no-such-key', ARRAY['a']::bytea[]);

-- Relayed batches: entries of a registered organisation, signed as one batch
CREATE FUNCTION pg_temp.batch(key text, n int, first int, chain text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
  WITH e AS (
    SELECT g, brop.key_did(key) AS org, brop.sha256(convert_to('relayed ' || g, 'UTF8')) AS payload,
           'rel-' || g AS nonce, jsonb_build_object('op', 'insert', 'n', g) AS header
    FROM generate_series(first, first + n - 1) g),
  s AS (
    SELECT array_agg(g ORDER BY g) AS gs,
           brop.sign_batch(key, array_agg(brop.entry_signing_input('row', org, payload, nonce, header)
                                          ORDER BY g)) AS sigs
    FROM e)
  SELECT jsonb_agg(jsonb_build_object('kind', 'row', 'org', e.org::text, 'payload_digest', e.payload::text,
                                      'nonce', e.nonce, 'header', e.header,
                                      'signature', brop.encode(s.sigs[e.g - first + 1], 'base64url'))
                   ORDER BY e.g)
  FROM e, s
$$;

-- an unregistered organisation is refused, then a suspended one
SELECT pg_temp.try($q$SELECT * FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 3, 1), '0/0', NULL, '0/100', NULL)$q$);
SELECT name, status FROM brop.add_organization(brop.key_did('bt-org'), 'University of Example');
SELECT status FROM brop.set_organization_status(brop.key_did('bt-org'), 'suspended');
SELECT pg_temp.try($q$SELECT * FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 3, 1), '0/0', NULL, '0/100', NULL)$q$);
SELECT status FROM brop.set_organization_status(brop.key_did('bt-org'), 'active');

-- a first batch of three entries, then part of a transaction, then its rest
SELECT count(*) AS appended, count(DISTINCT id) AS ids
FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 3, 1), '0/0', NULL, '0/100', NULL);
SELECT source, lsn, changes, entries FROM brop.source_position;
SELECT count(*) FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 2, 4), '0/100', NULL, '0/200', 2);
SELECT source, lsn, changes, entries FROM brop.source_position;
SELECT count(*) FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 1, 6), '0/200', 2, '0/200', NULL);
SELECT source, lsn, changes, entries FROM brop.source_position;
-- the entries are stored with their batch forms and verify as any entry
SELECT count(*) AS relayed, bool_and(get_byte(signature, 0) = 98) AS batch_forms,
       bool_and(brop.verify(org, brop.entry_signing_input(kind, org, payload_digest, nonce, header), signature)) AS signatures_valid,
       bool_and(brop.entry_digest(e) = digest) AS digests
FROM brop.entry e WHERE nonce LIKE 'rel-%';

-- a batch that does not follow the held position: replayed, skipping, or behind
SELECT count(*) FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 1, 6), '0/200', 2, '0/200', NULL);
SELECT count(*) FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 1, 7), '0/300', NULL, '0/400', NULL);
SELECT count(*) FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 1, 7), '0/200', NULL, '0/100', NULL);
-- a source belongs to one organisation
SELECT name FROM brop.add_organization(brop.key_did('bt-other'), 'Other');
SELECT pg_temp.try($q$SELECT count(*) FROM brop.submit_batch('src-a', brop.key_did('bt-other'), pg_temp.batch('bt-other', 1, 7), '0/200', NULL, '0/300', NULL)$q$);
-- a bad signature anywhere refuses the whole batch; nothing moves
SELECT count(*) FROM brop.submit_batch('src-a', brop.key_did('bt-org'),
  jsonb_set(pg_temp.batch('bt-org', 3, 7), '{1,payload_digest}', to_jsonb(brop.sha256('forged'::bytea)::text)),
  '0/200', NULL, '0/300', NULL);
SELECT pg_temp.try($q$SELECT count(*) FROM brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-other', 2, 7), '0/200', NULL, '0/300', NULL)$q$);
SELECT lsn, changes, entries FROM brop.source_position;
-- malformed batches
SELECT brop.submit_batch('src-a', brop.key_did('bt-org'), '{}', '0/200', NULL, '0/300', NULL);
SELECT brop.submit_batch('src-a', brop.key_did('bt-org'), '[1]', '0/200', NULL, '0/300', NULL);
SELECT brop.submit_batch('src-a', brop.key_did('bt-org'), jsonb_set(pg_temp.batch('bt-org', 1, 7), '{0,colour}', '"red"'), '0/200', NULL, '0/300', NULL);
-- a long unknown field name is quoted up to 64 characters
SELECT brop.submit_batch('src-a', brop.key_did('bt-org'), jsonb_set(pg_temp.batch('bt-org', 1, 7), ARRAY['0', repeat('colour', 20)], '"red"'), '0/200', NULL, '0/300', NULL);
SELECT brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 1, 7) #- '{0,nonce}', '0/200', NULL, '0/300', NULL);
SELECT brop.submit_batch('src-a', brop.key_did('bt-org'), jsonb_set(pg_temp.batch('bt-org', 1, 7), '{0,signature}', '"***"'), '0/200', NULL, '0/300', NULL);
SELECT brop.submit_batch('bad source', brop.key_did('bt-org'), pg_temp.batch('bt-org', 1, 7), '0/0', NULL, '0/300', NULL);
SELECT brop.submit_batch('src-a', brop.key_did('bt-org'), pg_temp.batch('bt-org', 1, 7), '0/200', NULL, '0/300', -1);
-- a second source of the same organisation keeps its own position
SELECT count(*) FROM brop.submit_batch('src-b', brop.key_did('bt-org'), pg_temp.batch('bt-org', 2, 7), '0/0', NULL, '0/50', NULL);
SELECT source, lsn, changes, entries FROM brop.source_position ORDER BY source;
