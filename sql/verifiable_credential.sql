-- Credentials (docs/credentials.md): issuance in both forms and three
-- profiles, refusals, verification verdicts, presentations with key binding,
-- tampering, revision, revocation, the holder's requests, the log.
-- Runs after ledger.sql (the ledger is configured) and organization.sql.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SELECT count(brop.create_key('ed25519', k)) AS keys
  FROM unnest(ARRAY['vc-uni', 'vc-school', 'vc-alice', 'vc-bob']) k;
SELECT count(brop.create_key('secp256k1', 'vc-k1')) AS k1;
-- a statement's outcome: "ok", or its SQLSTATE and message (DIDs and serials elided)
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(regexp_replace(SQLERRM, 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...', 'g'),
                                            'urn:uuid:[0-9a-f-]+', 'urn:uuid:...', 'g');
END $$;
-- A holder's presentation made in SQL (the holder's key from the keyring,
-- for the test only): present_with_keyring(credential, key, reveal, nonce, aud, iat)
\getenv abs_srcdir PG_ABS_SRCDIR
\set present_sql :abs_srcdir '/test/bench/credential_present.sql'
\i :present_sql
-- the verdict, without the DIDs, serials and checkpoint that change from run to run
CREATE FUNCTION pg_temp.verdict(v brop.verdict) RETURNS TABLE (valid boolean, form text, version int, category text,
    claims jsonb, authorised boolean, latest boolean, not_revoked boolean, not_deactivated boolean,
    included boolean, reasons text[]) LANGUAGE sql AS $$
  SELECT v.valid, v.form, v.version, v.category, v.claims, v.issuer_authorized, v.latest_version, v.not_revoked,
         v.not_deactivated, v.inclusion_valid,
         (SELECT array_agg(regexp_replace(r, 'urn:uuid:[0-9a-f-]+', 'urn:uuid:...', 'g')) FROM unnest(v.reasons) r)
$$;

SELECT name, role FROM brop.add_organization(brop.key_did('vc-uni'), 'University of Examples', 'cross_issuer',
                                             '{higher_education,professional}');
SELECT name, role FROM brop.add_organization(brop.key_did('vc-school'), 'Example School', 'direct_issuer', '{secondary}');

-- Issuance: an SD-JWT, profile 2, to alice; its row, its entry, its envelope
SELECT serial AS degree, credential AS degree_text
  FROM brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'higher_education',
                             '{"degree": "MSc Physics", "final_grade": "A", "year": 2026}') \gset
SELECT c.version, c.category, c.form, c.profile, c.status, c.issuer = brop.key_did('vc-uni') AS by_uni,
       c.holder = brop.key_did('vc-alice') AS to_alice, c.lineage = c.serial AS lineage,
       e.kind, e.org = c.issuer AS signed_by_issuer, e.subject = c.holder AS subject,
       e.chain_key = 'credential:' || c.serial AS chain, e.nonce = c.serial AS nonce,
       e.payload_digest = c.digest AS digest,
       c.digest = brop.sha256(convert_to(split_part(:'degree_text', '~', 1), 'UTF8')) AS digest_of_jwt,
       e.body_digest = brop.sha256(c.envelope) AS body_digest,
       e.header - 'serial' - 'issuer' - 'holder' - 'issued_at' AS header,
       octet_length(c.envelope) > length(:'degree_text') AS sealed
  FROM brop.credential c JOIN brop.entry e ON e.id = c.entry WHERE c.serial = :'degree';
-- the issuer-signed JWT's header and visible payload; every claim is a disclosure
SELECT convert_from(brop.decode(split_part(:'degree_text', '.', 1), 'base64url'), 'UTF8')::jsonb AS jwt_header;
SELECT p - 'iss' - 'jti' - 'sub' - 'iat' - '_sd' - 'cnf' AS visible, jsonb_array_length(p->'_sd') AS disclosable,
       p->>'iss' = brop.key_did('vc-uni')::text AS iss, p->>'sub' = brop.key_did('vc-alice')::text AS sub,
       p->'cnf'->'jwk' = brop.did_jwk(brop.key_did('vc-alice')) AS cnf, p->>'jti' = :'degree' AS jti
  FROM (SELECT convert_from(brop.decode(split_part(split_part(:'degree_text', '~', 1), '.', 2), 'base64url'), 'UTF8')::jsonb AS p) x;
SELECT array_length(string_to_array(:'degree_text', '~'), 1) - 2 AS disclosures;

-- what the text proves by itself
SELECT form, issuer = brop.key_did('vc-uni') AS issuer, holder = brop.key_did('vc-alice') AS holder,
       serial = :'degree' AS serial, document - 'iss' - 'jti' - 'sub' - 'iat' - 'cnf' AS document,
       (SELECT jsonb_agg(n ORDER BY n) FROM jsonb_array_elements_text(revealed) n) AS revealed, key_bound, reason
  FROM brop.credential_check(:'degree_text');

-- Verification before the entry is sealed, then after
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'degree_text'));
SELECT brop.seal() IS NOT NULL AS sealed;
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'degree_text'));
SELECT (brop.verify_credential(:'degree_text')).checkpoint = brop.checkpoint() AS checkpoint_is_latest;

-- A presentation of the final grade only, bound to the verifier's nonce and audience
SELECT present_with_keyring(:'degree_text', 'vc-alice', '{final_grade}', 'n-0001', 'https://employer.example') AS grade \gset
SELECT * FROM pg_temp.verdict(brop.verify_presentation(:'grade', 'n-0001', 'https://employer.example'));
-- replayed with another nonce, to another audience; a plain credential where a presentation is due
SELECT * FROM pg_temp.verdict(brop.verify_presentation(:'grade', 'n-0002', 'https://employer.example'));
SELECT * FROM pg_temp.verdict(brop.verify_presentation(:'grade', 'n-0001', 'https://other.example'));
SELECT * FROM pg_temp.verdict(brop.verify_presentation(:'degree_text', 'n-0001', 'https://employer.example'));
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'grade'));
-- a key binding made long ago
SELECT * FROM pg_temp.verdict(brop.verify_presentation(
  present_with_keyring(:'degree_text', 'vc-alice', '{final_grade}', 'n-3', 'aud', 1700000000), 'n-3', 'aud'));

-- Tampering, each refused with its reason
-- a changed claim: the grade's disclosure rewritten to "A+"
SELECT string_agg(CASE WHEN n > 1 AND d <> '' AND convert_from(brop.decode(d, 'base64url'), 'UTF8')::jsonb->>1 = 'final_grade'
                       THEN brop.encode(convert_to(jsonb_build_array(convert_from(brop.decode(d, 'base64url'), 'UTF8')::jsonb->>0,
                                                                     'final_grade', 'A+')::text, 'UTF8'), 'base64url')
                       ELSE d END, '~' ORDER BY n) AS changed
  FROM unnest(string_to_array(:'degree_text', '~')) WITH ORDINALITY AS x(d, n) \gset
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'changed'));
-- a disclosure swapped for one of another credential of the same issuer
SELECT credential AS other_text FROM brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'higher_education',
                                                           '{"final_grade": "A+"}') \gset
SELECT split_part(:'degree_text', '~', 1) || '~' || split_part(:'other_text', '~', 2) || '~' AS swapped \gset
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'swapped'));
-- a revealed claim that is not in _sd
SELECT :'degree_text' || brop.encode(convert_to('["c2FsdHNhbHRzYWx0c2FsdA", "honours", true]', 'UTF8'), 'base64url') || '~' AS added \gset
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'added'));
-- re-sealed for another holder: bob holds alice's credential but cannot present it
SELECT * FROM pg_temp.verdict(brop.verify_presentation(
  present_with_keyring(:'degree_text', 'vc-bob', '{final_grade}', 'n-9', 'aud'), 'n-9', 'aud'));
SELECT octet_length(brop.seal_envelope('vc-uni', brop.key_did('vc-bob'), convert_to(:'degree_text', 'UTF8'))) > 0 AS resealed;
-- the issuer's signature altered; not a credential at all
SELECT * FROM pg_temp.verdict(brop.verify_credential(
  regexp_replace(:'degree_text', '^([^.]*\.[^.]*\.)(.)', '\1' || CASE WHEN split_part(:'degree_text', '.', 3) LIKE 'A%' THEN 'B' ELSE 'A' END)));
SELECT * FROM pg_temp.verdict(brop.verify_credential('hello'));
SELECT pg_temp.try($$SELECT brop.credential_check('a.b.c~', 'n', NULL)$$) AS null_audience;

-- Form vc (eddsa-jcs-2022), profile 3 (identity data allowed)
SELECT serial AS vc, credential AS vc_text
  FROM brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional',
                             '{"given_name": "Alice", "licence": "Engineer"}', 3, 'vc') \gset
SELECT x - 'id' - 'issuer' - 'validFrom' - 'proof' - 'credentialSubject' AS vc_document,
       (x->'credentialSubject') - 'id' AS subject, (x->'proof') - 'created' - 'verificationMethod' - 'proofValue' AS proof,
       x->'proof'->>'verificationMethod' = brop.key_did('vc-uni')::text || '#' || substr(brop.key_did('vc-uni')::text, 9) AS method,
       :'vc_text' = brop.jcs(:'vc_text') AS canonical
  FROM (SELECT :'vc_text'::jsonb AS x) y;
SELECT brop.seal() IS NOT NULL AS sealed;
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'vc_text'));
SELECT * FROM pg_temp.verdict(brop.verify_credential(replace(:'vc_text', 'Engineer', 'Surgeon')));
SELECT * FROM pg_temp.verdict(brop.verify_presentation(:'vc_text', 'n', 'aud'));
-- a VC document given whole, and the W3C test vector (its issuer is not its proof's key)
SELECT (brop.issue_credential('vc-uni', brop.key_did('vc-bob'), 'professional',
         '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "LicenceCredential"],
           "name": "Licence", "credentialSubject": {"licence": "Pilot"}}', 2, 'vc')).credential::jsonb
         - 'id' - 'issuer' - 'validFrom' - 'proof' - 'credentialSubject' AS whole_document;
SELECT form, reason FROM brop.credential_check(
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","AlumniCredential"],"name":"Alumni Credential","description":"A minimum viable example of an Alumni Credential.","issuer":"https://vc.example/issuers/5678","validFrom":"2023-01-01T00:00:00Z","credentialSubject":{"id":"did:example:abcdefgh","alumniOf":"The School of Examples"},"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","created":"2023-02-24T23:36:38Z","verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","proofPurpose":"assertionMethod","@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"proofValue":"z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"}}');

-- A validity period: the SD-JWT's exp and the VC's validUntil, the entry's
-- header and the row, all to the second (a fraction is cut off); an expired
-- credential is refused
SELECT serial AS short, credential AS short_text
  FROM brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"course": "First aid"}',
                             valid_until => '2020-01-01 12:34:56.789+00') \gset
SELECT convert_from(brop.decode(split_part(split_part(:'short_text', '~', 1), '.', 2), 'base64url'), 'UTF8')::jsonb->'exp' AS exp,
       e.header->>'valid_until' AS header_valid_until, c.valid_until = '2020-01-01 12:34:56+00' AS row_valid_until,
       extract(epoch FROM c.valid_until) = (convert_from(brop.decode(split_part(split_part(:'short_text', '~', 1), '.', 2),
                                            'base64url'), 'UTF8')::jsonb->>'exp')::numeric AS row_is_exp,
       brop.credential_header(c) = e.header AS header_of_row
  FROM brop.credential c JOIN brop.entry e ON e.id = c.entry WHERE c.serial = :'short';
SELECT valid, reasons FROM pg_temp.verdict(brop.verify_credential(:'short_text'));
SELECT serial AS diving, credential::jsonb->>'validUntil' AS valid_until,
       credential::jsonb->>'validFrom' = credential::jsonb->'proof'->>'created' AS created_when_valid
  FROM brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"course": "Diving"}', 2, 'vc',
                             '2100-06-30 23:59:59.999999+00') \gset
SELECT :'valid_until' AS valid_until, :'created_when_valid' AS created_when_valid,
       c.valid_until = '2100-06-30 23:59:59+00' AS row_valid_until
  FROM brop.credential c WHERE c.serial = :'diving';
-- before 1970 too (down, not toward zero)
SELECT serial AS archive FROM brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional',
                                                    '{"course": "Archive"}', valid_until => '1969-12-31 23:59:59.5+00') \gset
SELECT c.valid_until = '1969-12-31 23:59:59+00' AS before_1970, e.header->>'valid_until' AS header_valid_until
  FROM brop.credential c JOIN brop.entry e ON e.id = c.entry WHERE c.serial = :'archive';
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"a": 1}',
                                                  valid_until => 'infinity')$$) AS infinite;
SELECT pg_temp.try($$SELECT brop.issue_credential(NULL, brop.key_did('vc-alice'), 'professional', '{"a": 1}')$$) AS no_key;

-- Issuance refused, each with its reason
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'secondary', '{"a": 1}')$$) AS category_not_granted;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'astrology', '{"a": 1}')$$) AS unknown_category;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-bob', brop.key_did('vc-alice'), 'secondary', '{"a": 1}')$$) AS not_an_issuer;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-school', brop.key_did('vc-alice'), 'secondary', '{"a": 1}')$$) AS not_a_member;
SELECT brop.set_membership('vc-school', brop.key_did('vc-alice'), true) > 0 AS joined;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-school', brop.key_did('vc-alice'), 'secondary', '{"diploma": "yes"}')$$) AS member;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"Given_Name": "Alice"}')$$) AS identity_in_profile_2;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"a": 1}', 4)$$) AS profile_4;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"a": 1}', 2, 'mdoc')$$) AS form_mdoc;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{}')$$) AS no_claims;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '[1]')$$) AS not_an_object;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"jti": "mine"}')$$) AS reserved_claim;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional',
  '{"@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": {"a": 1}}', 2, 'vc')$$) AS missing_type;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional',
  '{"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"], "credentialSubject": {"a": 1}}', 2, 'vc')$$) AS v1_context;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional',
  '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}', 2, 'vc')$$) AS missing_subject;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional',
  '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "me", "credentialSubject": {"a": 1}}', 2, 'vc')$$) AS sets_issuer;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-k1'), 'professional', '{"a": 1}')$$) AS holder_secp256k1;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.did_to_x25519(brop.key_did('vc-alice')), 'professional', '{"a": 1}')$$) AS holder_x25519_sd_jwt;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', ('did:key:' || brop.multibase_encode('\x55' || decode(repeat('11', 32), 'hex')))::brop.did, 'professional', '{"a": 1}')$$) AS unknown_codec;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-k1', brop.key_did('vc-alice'), 'professional', '{"a": 1}')$$) AS issuer_secp256k1;
-- a suspended issuer issues nothing, but what it issued before still verifies
SELECT status FROM brop.set_organization_status(brop.key_did('vc-uni'), 'suspended');
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"a": 1}')$$) AS suspended;
SELECT (pg_temp.verdict(brop.verify_credential(:'vc_text'))).valid AS issued_before_suspension;
SELECT status FROM brop.set_organization_status(brop.key_did('vc-uni'), 'active');
-- record_credential accepts only what the issuer signed
SELECT pg_temp.try(format($$SELECT brop.record_credential(%L::jsonb, brop.sha256('x'::bytea), NULL, %L::bytea, NULL)$$,
  (SELECT e.header FROM brop.entry e JOIN brop.credential c ON c.entry = e.id WHERE c.serial = :'degree')
   || jsonb_build_object('serial', 'urn:uuid:00000000-0000-4000-8000-000000000000'),
  '\x' || repeat('00', 64))) AS forged_record;

-- Revision: version 2 supersedes version 1; only the latest verifies
SELECT serial AS degree2, credential AS degree2_text
  FROM brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'higher_education',
                             '{"degree": "MSc Physics", "final_grade": "A+", "year": 2026}', supersedes => :'degree') \gset
SELECT version, status, supersedes = :'degree' AS supersedes, lineage = :'degree' AS lineage
  FROM brop.credential WHERE serial IN (:'degree', :'degree2') ORDER BY version;
SELECT pg_temp.try(format($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'higher_education', '{"a": 1}', supersedes => %L)$$, :'degree')) AS revise_superseded;
SELECT brop.seal() IS NOT NULL AS sealed;
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'degree_text'));
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'degree2_text'));

-- The holder's requests, signed with the holder's key (brop wallet does it
-- offline): deactivate, reactivate, destroy
SELECT status, deactivated FROM brop.credential_request(:'degree2', 'deactivate', 'w-1',
  brop.sign('vc-alice', brop.credential_request_input(:'degree2', 'deactivate', 'w-1')));
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'degree2_text'));
SELECT pg_temp.try(format($$SELECT brop.credential_request(%L, 'reactivate', 'w-2',
  brop.sign('vc-bob', brop.credential_request_input(%L, 'reactivate', 'w-2')))$$, :'degree2', :'degree2')) AS reactivated_by_bob;
SELECT pg_temp.try(format($$SELECT brop.credential_request(%L, 'reactivate', 'w-2',
  brop.sign('vc-uni', brop.credential_request_input(%L, 'reactivate', 'w-2')))$$, :'degree2', :'degree2')) AS reactivated_by_issuer;
-- Only the node, the issuer and the holder extend a credential's chain:
-- alice signs her request over the chain's head; bob's append to her chain
-- is refused, so her request still applies
SELECT brop.sign('vc-alice', brop.credential_request_input(:'degree2', 'reactivate', 'w-3')) AS w3_signature \gset
SELECT pg_temp.try(format($$SELECT brop.submit_as('vc-bob', 'note', brop.sha256('bob'::bytea), 'bob-1', chain_key => %L,
                                                  prev_digest => (SELECT head FROM brop.chain_head WHERE chain_key = %L))$$,
                          'credential:' || :'degree', 'credential:' || :'degree')) AS other_org_extends;
SELECT status, deactivated FROM brop.credential_request(:'degree2', 'reactivate', 'w-3', :'w3_signature');
SELECT (pg_temp.verdict(brop.verify_credential(:'degree2_text'))).valid AS reactivated;
SELECT destroyed, envelope IS NULL AS erased FROM brop.credential_request(:'degree2', 'destroy', 'w-4',
  brop.sign('vc-alice', brop.credential_request_input(:'degree2', 'destroy', 'w-4')));
SELECT count(*) FILTER (WHERE envelope IS NOT NULL) AS envelopes_left, count(*) AS versions
  FROM brop.credential WHERE lineage = :'degree';
SELECT brop.seal() IS NOT NULL AS sealed;
-- the log keeps digests only: the credential and the ledger still verify
SELECT (pg_temp.verdict(brop.verify_credential(:'degree2_text'))).valid AS after_destroy;
SELECT pg_temp.try(format($$SELECT brop.credential_request(%L, 'destroy', 'w-5',
  brop.sign('vc-alice', brop.credential_request_input(%L, 'destroy', 'w-5')))$$, :'degree2', :'degree2')) AS destroyed_twice;
SELECT pg_temp.try(format($$SELECT brop.credential_request_input(%L, 'erase', 'w-6')$$, :'degree2')) AS unknown_op;

-- a credential's chain starts only with its first version's entry; the
-- node, the issuer and the holder may append notes to it
SELECT pg_temp.try($$SELECT brop.submit_as('vc-bob', 'note', brop.sha256('bob'::bytea), 'bob-2',
                                           chain_key => 'credential:urn:uuid:00000000-0000-4000-8000-000000000001')$$) AS squatted;
SELECT pg_temp.try($$SELECT brop.submit_as('vc-uni', 'note', brop.sha256('uni'::bytea), 'urn:uuid:00000000-0000-4000-8000-000000000001',
                                           chain_key => 'credential:urn:uuid:00000000-0000-4000-8000-000000000001')$$) AS not_a_credential_entry;
SELECT k AS extender, pg_temp.try(format($$SELECT brop.submit_as(%L, 'note', brop.sha256(%L::bytea), %L, chain_key => %L,
                                                  prev_digest => (SELECT head FROM brop.chain_head WHERE chain_key = %L))$$,
                                          k, k, 'note-' || k, 'credential:' || :'vc', 'credential:' || :'vc')) AS outcome
  FROM unnest(ARRAY['lg-node', 'vc-uni', 'vc-alice', 'vc-bob', 'vc-school']) k;
SELECT count(*) AS notes FROM brop.entry WHERE chain_key = 'credential:' || :'vc' AND kind = 'note';

-- Revocation by the issuer
SELECT status FROM brop.revoke_credential('vc-uni', :'degree2', 'issued in error');
SELECT * FROM pg_temp.verdict(brop.verify_credential(:'degree2_text'));
SELECT pg_temp.try(format($$SELECT brop.revoke_credential('vc-uni', %L)$$, :'degree2')) AS revoked_twice;
SELECT pg_temp.try(format($$SELECT brop.revoke_credential('vc-bob', %L)$$, :'vc')) AS revoked_by_bob;

-- The credential's chain holds its whole history
SELECT kind, header->>'op' AS op, header->>'version' AS version
  FROM brop.entry WHERE chain_key = 'credential:' || :'degree' ORDER BY id;
SELECT ok, entries, problem FROM brop.verify_chain('credential:' || :'degree');
SELECT brop.seal() IS NOT NULL AS sealed;
SELECT ok, problem FROM brop.verify_ledger();
-- each version's entry header is what brop.credential_header() makes of its row
SELECT count(*) AS versions, bool_and(brop.credential_header(c) = e.header) AS headers_match
  FROM brop.credential c JOIN brop.entry e ON e.id = c.entry;

-- The holder's view, and the verification log
SELECT serial = :'degree2' AS v2, version, status, deactivated, destroyed, envelope IS NULL AS no_envelope
  FROM brop.wallet_credentials(brop.key_did('vc-alice')) WHERE serial IN (:'degree', :'degree2') ORDER BY version;
SELECT count(*) AS verifications, count(*) FILTER (WHERE valid) AS valid, bool_and(verifier = session_user) AS by_me,
       count(*) FILTER (WHERE nonce = 'n-0001' AND audience = 'https://employer.example') AS for_employer
  FROM brop.verification_log;
SELECT revealed FROM brop.verification_log WHERE nonce = 'n-0001' AND valid;
SELECT pg_temp.try($$DELETE FROM brop.verification_log$$) AS log_delete;
-- its own detail: nothing on the ledger states the log's rows, so verify_ledger() cannot see them change
UPDATE brop.verification_log SET valid = valid;
TRUNCATE brop.verification_log;

-- A role that is neither issuer nor owner verifies, and reads no envelope
CREATE ROLE vc_verifier;
SET ROLE vc_verifier;
SELECT (brop.verify_credential(:'vc_text')).valid AS verifier_verifies;
SELECT pg_temp.try($$SELECT envelope FROM brop.credential$$) AS envelope_column;
SELECT pg_temp.try($$SELECT * FROM brop.verification_log$$) AS log_read;
SELECT pg_temp.try($$SELECT brop.issue_credential('vc-uni', brop.key_did('vc-alice'), 'professional', '{"a": 1}')$$) AS issue_without_key;
RESET ROLE;
-- granted the university's key, the role issues and revises; as a holder's
-- wallet it asks for the bytes of a request and sends it signed
SELECT brop.grant_key('vc-uni', 'vc_verifier');
SET ROLE vc_verifier;
SELECT serial AS clerk_v1 FROM brop.issue_credential('vc-uni', brop.key_did('vc-bob'), 'professional', '{"licence": "Diver"}') \gset
SELECT serial AS clerk_v2 FROM brop.issue_credential('vc-uni', brop.key_did('vc-bob'), 'professional',
                                                     '{"licence": "Deep diver"}', supersedes => :'clerk_v1') \gset
SELECT version, status FROM brop.credential WHERE serial IN (:'clerk_v1', :'clerk_v2') ORDER BY version;
SELECT octet_length(brop.credential_request_input(:'clerk_v1', 'deactivate', 'w-9')) > 0 AS request_bytes;
SELECT pg_temp.try($$SELECT brop.credential_for_request('x', 'revoke', false)$$) AS helper_not_public;
RESET ROLE;
SELECT brop.revoke_key('vc-uni', 'vc_verifier');
DROP ROLE vc_verifier;
