-- Fixture for the proof-latency benchmark (scripts/bench.sh, section 8): make
-- pending entries fast, without brop.submit(), for rows :first .. :last
-- (this session takes every second one, from :first + :k).
--
-- The rows are what submit would store: the leaf digest is the RFC 9162 leaf
-- hash of the entry's canonical leaf input (docs/formats.md), built here as
-- text (brop.entry_digest(e) = e.digest is checked on a sample by the
-- benchmark), so brop.seal() builds a genuine log from them and
-- verify_ledger(signatures => false) holds. The signature is a placeholder
-- (64 zero bytes): signing millions of entries would take longer than the
-- whole benchmark, and proofs never read signatures.
--
-- session_replication_role = replica skips the per-row foreign-key check of
-- brop.pending (each id was returned by the INSERT just before).
SET session_replication_role = replica;
WITH c AS MATERIALIZED (
  SELECT brop.key_did('bench-load') AS org, brop.key_did('bench-load')::text AS org_text,
         now() AS at, decode(repeat('00', 64), 'hex') AS sig,
         to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_text
), r AS (
  SELECT 'fill-' || i AS nonce, brop.sha256(convert_to('fixture payload ' || i, 'UTF8')) AS pd
    FROM generate_series(:first + :k, :last, 2) i
), e AS (
  INSERT INTO brop.entry (kind, org, header, payload_digest, nonce, signature, submitted_at, digest)
  SELECT 'bench', c.org, '{}', r.pd, r.nonce, c.sig, c.at,
         brop.merkle_leaf_hash(convert_to(
           '{"body_digest":null,"chain_key":null,"expires_block":null,"header":{},"kind":"bench"'
           || ',"nonce":"' || r.nonce || '","org":"' || c.org_text
           || '","payload_digest":"' || encode(brop.bytea(r.pd), 'hex')
           || '","prev_digest":null,"signature":"'
           || rtrim(translate(encode(c.sig, 'base64'), E'+/\n', '-_'), '=')
           || '","subject":null,"submitted_at":"' || c.at_text || '","v":1}', 'UTF8'))
    FROM c, r
  RETURNING id
)
INSERT INTO brop.pending (entry) SELECT id FROM e;
