-- brop 1.0: types, hashing, encodings, did:key, signatures, canonical JSON,
-- sealed envelopes and the keyring.

\echo Use "CREATE EXTENSION brop" to load this file. \quit

-- The types and pure functions are for everyone; what needs privileges has
-- its EXECUTE revoked from PUBLIC below.
GRANT USAGE ON SCHEMA brop TO PUBLIC;

-- Caller input in an error message, bounded as src/pg/quote.h bounds it in C:
-- at most 64 characters, then "..." (docs/security.md).
CREATE FUNCTION brop.quote_input(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN length(t) > 64 THEN left(t, 64) || '...' ELSE t END;
COMMENT ON FUNCTION brop.quote_input(text) IS
  'caller input as brop''s error messages quote it: at most 64 characters, then "..."';

-------------------------------------------------------------------------------
-- brop.digest: a 32-byte hash
-------------------------------------------------------------------------------

CREATE TYPE brop.digest;

CREATE FUNCTION brop.digest_in(cstring) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'digest_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.digest_out(brop.digest) RETURNS cstring
  AS 'MODULE_PATHNAME', 'digest_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.digest_recv(internal) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'digest_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.digest_send(brop.digest) RETURNS bytea
  AS 'MODULE_PATHNAME', 'digest_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE brop.digest (
  INPUT = brop.digest_in, OUTPUT = brop.digest_out,
  RECEIVE = brop.digest_recv, SEND = brop.digest_send,
  INTERNALLENGTH = 32, ALIGNMENT = char, STORAGE = plain
);
COMMENT ON TYPE brop.digest IS 'a 32-byte hash (SHA-256), written as 64 hexadecimal digits';

CREATE FUNCTION brop.digest_eq(brop.digest, brop.digest) RETURNS boolean
  AS 'MODULE_PATHNAME', 'digest_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.digest_ne(brop.digest, brop.digest) RETURNS boolean
  AS 'MODULE_PATHNAME', 'digest_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.digest_lt(brop.digest, brop.digest) RETURNS boolean
  AS 'MODULE_PATHNAME', 'digest_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.digest_le(brop.digest, brop.digest) RETURNS boolean
  AS 'MODULE_PATHNAME', 'digest_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.digest_gt(brop.digest, brop.digest) RETURNS boolean
  AS 'MODULE_PATHNAME', 'digest_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.digest_ge(brop.digest, brop.digest) RETURNS boolean
  AS 'MODULE_PATHNAME', 'digest_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.digest_cmp(brop.digest, brop.digest) RETURNS integer
  AS 'MODULE_PATHNAME', 'digest_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.digest_hash(brop.digest) RETURNS integer
  AS 'MODULE_PATHNAME', 'digest_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.digest_hash_extended(brop.digest, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME', 'digest_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

-- The comparison operators live in pg_catalog so that they resolve wherever
-- the type is used, whatever the search_path (docs/sql-reference.md).
CREATE OPERATOR pg_catalog.= (LEFTARG = brop.digest, RIGHTARG = brop.digest, PROCEDURE = brop.digest_eq,
  COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR pg_catalog.<> (LEFTARG = brop.digest, RIGHTARG = brop.digest, PROCEDURE = brop.digest_ne,
  COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR pg_catalog.< (LEFTARG = brop.digest, RIGHTARG = brop.digest, PROCEDURE = brop.digest_lt,
  COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR pg_catalog.<= (LEFTARG = brop.digest, RIGHTARG = brop.digest, PROCEDURE = brop.digest_le,
  COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR pg_catalog.> (LEFTARG = brop.digest, RIGHTARG = brop.digest, PROCEDURE = brop.digest_gt,
  COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR pg_catalog.>= (LEFTARG = brop.digest, RIGHTARG = brop.digest, PROCEDURE = brop.digest_ge,
  COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS brop.digest_ops DEFAULT FOR TYPE brop.digest USING btree AS
  OPERATOR 1 pg_catalog.<, OPERATOR 2 pg_catalog.<=, OPERATOR 3 pg_catalog.=,
  OPERATOR 4 pg_catalog.>=, OPERATOR 5 pg_catalog.>,
  FUNCTION 1 brop.digest_cmp(brop.digest, brop.digest);
CREATE OPERATOR CLASS brop.digest_hash_ops DEFAULT FOR TYPE brop.digest USING hash AS
  OPERATOR 1 pg_catalog.=,
  FUNCTION 1 brop.digest_hash(brop.digest),
  FUNCTION 2 brop.digest_hash_extended(brop.digest, bigint);

CREATE FUNCTION brop.digest(bytea) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'digest_from_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.bytea(brop.digest) RETURNS bytea
  AS 'MODULE_PATHNAME', 'digest_to_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (bytea AS brop.digest) WITH FUNCTION brop.digest(bytea) AS ASSIGNMENT;
CREATE CAST (brop.digest AS bytea) WITH FUNCTION brop.bytea(brop.digest) AS ASSIGNMENT;
COMMENT ON FUNCTION brop.digest(bytea) IS 'a digest from exactly 32 bytes';
COMMENT ON FUNCTION brop.bytea(brop.digest) IS 'the 32 bytes of a digest';

-------------------------------------------------------------------------------
-- Hashing and encodings
-------------------------------------------------------------------------------

CREATE FUNCTION brop.sha256(bytea) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'brop_sha256_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.sha256(text) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'brop_sha256_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.sha512(bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_sha512_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.hmac_sha256(data bytea, key bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_hmac_sha256_bytea' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.sha256(bytea) IS 'SHA-256 (FIPS 180-4) of bytes';
COMMENT ON FUNCTION brop.sha256(text) IS 'SHA-256 of the text''s bytes in the database encoding';
COMMENT ON FUNCTION brop.sha512(bytea) IS 'SHA-512 (FIPS 180-4) of bytes';
COMMENT ON FUNCTION brop.hmac_sha256(bytea, bytea) IS 'HMAC-SHA256 (RFC 2104) of data under key';

CREATE FUNCTION brop.encode(data bytea, format text) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_encode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.decode(data text, format text) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_decode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.multibase_encode(data bytea, base text DEFAULT 'base58btc') RETURNS text
  AS 'MODULE_PATHNAME', 'brop_multibase_encode_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.multibase_decode(data text) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_multibase_decode_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.varint_encode(bigint) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_varint_encode_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.varint_decode(bytea) RETURNS bigint
  AS 'MODULE_PATHNAME', 'brop_varint_decode_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.encode(bytea, text) IS 'encode bytes as hex, base64 (padded), base64url (unpadded) or base58btc';
COMMENT ON FUNCTION brop.decode(text, text) IS 'strictly decode hex, base64, base64url or base58btc text';
COMMENT ON FUNCTION brop.multibase_encode(bytea, text) IS 'multibase text: base58btc (z), base16 (f), base16upper (F), base64 (m), base64pad (M), base64url (u)';
COMMENT ON FUNCTION brop.multibase_decode(text) IS 'decode multibase text by its prefix character';
COMMENT ON FUNCTION brop.varint_encode(bigint) IS 'multiformats unsigned varint of a non-negative integer';
COMMENT ON FUNCTION brop.varint_decode(bytea) IS 'the integer of a minimally encoded unsigned varint';

-------------------------------------------------------------------------------
-- brop.did: a public key with its algorithm, written as a did:key
-------------------------------------------------------------------------------

CREATE TYPE brop.did;

CREATE FUNCTION brop.did_in(cstring) RETURNS brop.did
  AS 'MODULE_PATHNAME', 'did_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.did_out(brop.did) RETURNS cstring
  AS 'MODULE_PATHNAME', 'did_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.did_recv(internal) RETURNS brop.did
  AS 'MODULE_PATHNAME', 'did_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.did_send(brop.did) RETURNS bytea
  AS 'MODULE_PATHNAME', 'did_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE brop.did (
  INPUT = brop.did_in, OUTPUT = brop.did_out,
  RECEIVE = brop.did_recv, SEND = brop.did_send,
  INTERNALLENGTH = VARIABLE, STORAGE = plain
);
COMMENT ON TYPE brop.did IS 'a public key (ed25519, secp256k1, p256 or x25519) written as a did:key';

CREATE FUNCTION brop.did_eq(brop.did, brop.did) RETURNS boolean
  AS 'MODULE_PATHNAME', 'did_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.did_ne(brop.did, brop.did) RETURNS boolean
  AS 'MODULE_PATHNAME', 'did_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.did_lt(brop.did, brop.did) RETURNS boolean
  AS 'MODULE_PATHNAME', 'did_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.did_le(brop.did, brop.did) RETURNS boolean
  AS 'MODULE_PATHNAME', 'did_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.did_gt(brop.did, brop.did) RETURNS boolean
  AS 'MODULE_PATHNAME', 'did_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.did_ge(brop.did, brop.did) RETURNS boolean
  AS 'MODULE_PATHNAME', 'did_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.did_cmp(brop.did, brop.did) RETURNS integer
  AS 'MODULE_PATHNAME', 'did_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.did_hash(brop.did) RETURNS integer
  AS 'MODULE_PATHNAME', 'did_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION brop.did_hash_extended(brop.did, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME', 'did_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR pg_catalog.= (LEFTARG = brop.did, RIGHTARG = brop.did, PROCEDURE = brop.did_eq,
  COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR pg_catalog.<> (LEFTARG = brop.did, RIGHTARG = brop.did, PROCEDURE = brop.did_ne,
  COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR pg_catalog.< (LEFTARG = brop.did, RIGHTARG = brop.did, PROCEDURE = brop.did_lt,
  COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR pg_catalog.<= (LEFTARG = brop.did, RIGHTARG = brop.did, PROCEDURE = brop.did_le,
  COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR pg_catalog.> (LEFTARG = brop.did, RIGHTARG = brop.did, PROCEDURE = brop.did_gt,
  COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR pg_catalog.>= (LEFTARG = brop.did, RIGHTARG = brop.did, PROCEDURE = brop.did_ge,
  COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS brop.did_ops DEFAULT FOR TYPE brop.did USING btree AS
  OPERATOR 1 pg_catalog.<, OPERATOR 2 pg_catalog.<=, OPERATOR 3 pg_catalog.=,
  OPERATOR 4 pg_catalog.>=, OPERATOR 5 pg_catalog.>,
  FUNCTION 1 brop.did_cmp(brop.did, brop.did);
CREATE OPERATOR CLASS brop.did_hash_ops DEFAULT FOR TYPE brop.did USING hash AS
  OPERATOR 1 pg_catalog.=,
  FUNCTION 1 brop.did_hash(brop.did),
  FUNCTION 2 brop.did_hash_extended(brop.did, bigint);

CREATE FUNCTION brop.did(alg text, public_key bytea) RETURNS brop.did
  AS 'MODULE_PATHNAME', 'did_from_public_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.did_public_key(brop.did) RETURNS bytea
  AS 'MODULE_PATHNAME', 'did_public_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.did_alg(brop.did) RETURNS text
  AS 'MODULE_PATHNAME', 'did_alg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.did_to_x25519(brop.did) RETURNS brop.did
  AS 'MODULE_PATHNAME', 'did_to_x25519' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.did(text, bytea) IS 'the did of a public key; secp256k1 and p256 keys may be uncompressed';
COMMENT ON FUNCTION brop.did_public_key(brop.did) IS 'the public key of a did (32 bytes, or 33 compressed)';
COMMENT ON FUNCTION brop.did_alg(brop.did) IS 'ed25519, secp256k1, p256 or x25519';
COMMENT ON FUNCTION brop.did_to_x25519(brop.did) IS 'the X25519 key-agreement did of an Ed25519 did';

-------------------------------------------------------------------------------
-- Signatures
-------------------------------------------------------------------------------

CREATE FUNCTION brop.verify(signer brop.did, message bytea, signature bytea) RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.verify(brop.did, bytea, bytea) IS
  'verify Ed25519, or ECDSA over SHA-256 (secp256k1 low-S only, p256) given as 64 bytes r||s or DER; or a batch form (docs/formats.md, "Batch signatures")';

CREATE FUNCTION brop.verify_schnorr(signer brop.did, message bytea, signature bytea) RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_schnorr_did' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.verify_schnorr_xonly(xonly_key bytea, message bytea, signature bytea) RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_schnorr_xonly' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.verify_schnorr(brop.did, bytea, bytea) IS 'verify a BIP-340 signature with a secp256k1 did';
COMMENT ON FUNCTION brop.verify_schnorr_xonly(bytea, bytea, bytea) IS 'verify a BIP-340 signature with a 32-byte x-only key';

CREATE FUNCTION brop.ecdsa_to_der(signature bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_ecdsa_to_der' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.ecdsa_from_der(signature bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_ecdsa_from_der' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.ecdsa_to_der(bytea) IS 'DER (X.690) form of a 64-byte r||s ECDSA signature';
COMMENT ON FUNCTION brop.ecdsa_from_der(bytea) IS '64-byte r||s form of a strict-DER ECDSA signature';

-------------------------------------------------------------------------------
-- Canonical JSON (RFC 8785)
-------------------------------------------------------------------------------

CREATE FUNCTION brop.jcs(jsonb) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_jcs_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.jcs(text) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_jcs_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.jcs(jsonb) IS 'RFC 8785 canonical text of a jsonb value';
COMMENT ON FUNCTION brop.jcs(text) IS 'RFC 8785 canonical text of JSON text (duplicate keys and lone surrogates rejected)';

-------------------------------------------------------------------------------
-- Keyring: secret keys encrypted under the root key, usable by granted roles
-------------------------------------------------------------------------------

CREATE TABLE brop.key (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label       text NOT NULL UNIQUE,
  alg         text NOT NULL CHECK (alg IN ('ed25519', 'secp256k1', 'p256')),
  did         brop.did NOT NULL,
  owner       regrole NOT NULL,
  secret_box  bytea NOT NULL,
  root_key_id bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE brop.key IS 'keyring: secret keys sealed under the root key (brop.root_key_file); readable by the extension owner only';
COMMENT ON COLUMN brop.key.secret_box IS 'nonce || XChaCha20-Poly1305 of the 32-byte secret (docs/security.md)';
COMMENT ON COLUMN brop.key.root_key_id IS 'first 8 bytes of HMAC-SHA256(root key, "brop root key id v1")';

CREATE TABLE brop.key_grant (
  key_id  bigint NOT NULL REFERENCES brop.key (id) ON DELETE CASCADE,
  grantee regrole NOT NULL,
  PRIMARY KEY (key_id, grantee)
);
COMMENT ON TABLE brop.key_grant IS 'roles allowed to use a key besides its owner';

REVOKE ALL ON brop.key, brop.key_grant FROM PUBLIC;

-- The root key the keyring's keys are encrypted under, by its id (as
-- brop.key.root_key_id), recorded by the first brop.create_key: a key made
-- under another root key is refused, so one keyring never mixes two.
CREATE TABLE brop.key_root (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  root_key_id bytea NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE brop.key_root IS
  'the id of the keyring''s root key (first 8 bytes of HMAC-SHA256(root key, "brop root key id v1")), recorded by the first create_key; readable by the extension owner only';
REVOKE ALL ON brop.key_root FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('brop.key_root', '');
SELECT pg_catalog.pg_extension_config_dump('brop.key', '');
SELECT pg_catalog.pg_extension_config_dump('brop.key_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('brop.key_grant', '');

CREATE VIEW brop.keys AS
  SELECT k.label, k.alg, k.did, k.owner, k.created_at,
         ARRAY(SELECT g.grantee FROM brop.key_grant g
               WHERE g.key_id = k.id AND EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.oid = g.grantee)
               ORDER BY 1) AS grantees
  FROM brop.key k;
GRANT SELECT ON brop.keys TO PUBLIC;
COMMENT ON VIEW brop.keys IS 'the keyring without its secrets';

CREATE FUNCTION brop.create_key(alg text, label text) RETURNS brop.did
  AS 'MODULE_PATHNAME', 'brop_create_key' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION brop.key_did(label text) RETURNS brop.did
  AS 'MODULE_PATHNAME', 'brop_key_did' LANGUAGE C STABLE STRICT
  SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION brop.sign(label text, message bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_sign_fn' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION brop.sign_schnorr(label text, message bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_sign_schnorr_fn' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION brop.seal_envelope(label text, recipient brop.did, payload bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_seal_envelope_fn' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION brop.grant_key(label text, grantee regrole) RETURNS void
  AS 'MODULE_PATHNAME', 'brop_grant_key' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION brop.revoke_key(label text, grantee regrole) RETURNS void
  AS 'MODULE_PATHNAME', 'brop_revoke_key' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION brop.create_key(text, text) IS 'make a key (ed25519, secp256k1, p256) sealed under the root key; returns its did';
COMMENT ON FUNCTION brop.key_did(text) IS 'the did of a keyring key';
COMMENT ON FUNCTION brop.sign(text, bytea) IS 'sign with a keyring key: Ed25519, or ECDSA over SHA-256 (64 bytes r||s, low-S)';
COMMENT ON FUNCTION brop.sign_schnorr(text, bytea) IS 'BIP-340 signature with a secp256k1 keyring key';
COMMENT ON FUNCTION brop.seal_envelope(text, brop.did, bytea) IS 'sign payload with an Ed25519 keyring key and seal it to the recipient (docs/formats.md)';
COMMENT ON FUNCTION brop.grant_key(text, regrole) IS 'let a role use a key (owner or superuser only)';
COMMENT ON FUNCTION brop.revoke_key(text, regrole) IS 'withdraw a role''s use of a key';

-- Making keys and changing grants is for roles the administrator chooses.
REVOKE EXECUTE ON FUNCTION brop.create_key(text, text) FROM PUBLIC;

-------------------------------------------------------------------------------
-- Merkle hashes (RFC 9162) for analysts
-------------------------------------------------------------------------------

CREATE FUNCTION brop.merkle_leaf_hash(leaf bytea) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'brop_merkle_leaf_hash_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.merkle_node_hash(left_hash brop.digest, right_hash brop.digest) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'brop_merkle_node_hash_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.merkle_leaf_hash(bytea) IS 'RFC 9162 leaf hash: SHA-256(0x00 || leaf)';
COMMENT ON FUNCTION brop.merkle_node_hash(brop.digest, brop.digest) IS 'RFC 9162 node hash: SHA-256(0x01 || left || right)';

CREATE FUNCTION brop.merkle_root_accum(internal, brop.digest) RETURNS internal
  AS 'MODULE_PATHNAME', 'brop_merkle_root_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION brop.merkle_root_final(internal) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'brop_merkle_root_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE brop.merkle_root(brop.digest) (
  SFUNC = brop.merkle_root_accum,
  STYPE = internal,
  FINALFUNC = brop.merkle_root_final
);
COMMENT ON AGGREGATE brop.merkle_root(brop.digest) IS
  'RFC 9162 root of leaf hashes, in the order given: brop.merkle_root(h ORDER BY position)';

-------------------------------------------------------------------------------
-- brop.proof: RFC 9162 inclusion and consistency proofs
-------------------------------------------------------------------------------

CREATE TYPE brop.proof;
CREATE FUNCTION brop.proof_in(cstring) RETURNS brop.proof
  AS 'MODULE_PATHNAME', 'proof_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.proof_out(brop.proof) RETURNS cstring
  AS 'MODULE_PATHNAME', 'proof_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.proof_recv(internal) RETURNS brop.proof
  AS 'MODULE_PATHNAME', 'proof_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.proof_send(brop.proof) RETURNS bytea
  AS 'MODULE_PATHNAME', 'proof_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE brop.proof (
  INPUT = brop.proof_in, OUTPUT = brop.proof_out,
  RECEIVE = brop.proof_recv, SEND = brop.proof_send,
  INTERNALLENGTH = VARIABLE, STORAGE = extended
);
COMMENT ON TYPE brop.proof IS
  'RFC 9162 proof: inclusion(INDEX, SIZE) [HASH, ...] or consistency(OLD_SIZE, NEW_SIZE) [HASH, ...]';

CREATE FUNCTION brop.merkle_inclusion_proof(leaf_hashes brop.digest[], leaf_index bigint) RETURNS brop.proof
  AS 'MODULE_PATHNAME', 'brop_merkle_inclusion_proof_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.merkle_consistency_proof(leaf_hashes brop.digest[], old_size bigint) RETURNS brop.proof
  AS 'MODULE_PATHNAME', 'brop_merkle_consistency_proof_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.verify_inclusion(proof brop.proof, leaf_hash brop.digest, root brop.digest) RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_inclusion_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.verify_consistency(proof brop.proof, old_root brop.digest, new_root brop.digest) RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_consistency_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.merkle_inclusion_proof(brop.digest[], bigint) IS
  'inclusion proof of one leaf (0-based) in the tree of the given leaf hashes';
COMMENT ON FUNCTION brop.merkle_consistency_proof(brop.digest[], bigint) IS
  'consistency proof from the tree of the first old_size leaf hashes to the tree of all of them';
COMMENT ON FUNCTION brop.verify_inclusion(brop.proof, brop.digest, brop.digest) IS
  'RFC 9162 2.1.3.2: does the proof show this leaf hash in the tree with this root';
COMMENT ON FUNCTION brop.verify_consistency(brop.proof, brop.digest, brop.digest) IS
  'RFC 9162 2.1.4.2: does the proof show the old tree is a prefix of the new one';

-------------------------------------------------------------------------------
-- Checkpoints: C2SP tlog-checkpoint bodies in C2SP signed notes (Ed25519)
-------------------------------------------------------------------------------

CREATE FUNCTION brop.checkpoint_note(label text, origin text, tree_size bigint, root brop.digest,
    extensions text DEFAULT '') RETURNS text
  AS 'MODULE_PATHNAME', 'brop_checkpoint_note_fn' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION brop.verify_checkpoint(note text, signer brop.did) RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_checkpoint_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.parse_checkpoint(note text,
    OUT origin text, OUT tree_size bigint, OUT root brop.digest, OUT extensions text)
  AS 'MODULE_PATHNAME', 'brop_parse_checkpoint_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.checkpoint_note(text, text, bigint, brop.digest, text) IS
  'a checkpoint of (origin, size, root, extension lines) signed with an Ed25519 keyring key under the origin as note name';
COMMENT ON FUNCTION brop.verify_checkpoint(text, brop.did) IS
  'is this a checkpoint note signed by this Ed25519 did (under its origin as key name)';
COMMENT ON FUNCTION brop.parse_checkpoint(text) IS
  'the origin, tree size, root and extension lines of a checkpoint (signed or not); does not verify';

-------------------------------------------------------------------------------
-- The ledger (docs/ledger.md): append-only entries, sealed into blocks of one
-- growing RFC 9162 Merkle log with signed C2SP checkpoints
-------------------------------------------------------------------------------

CREATE FUNCTION brop.refuse_change() RETURNS trigger
  AS 'MODULE_PATHNAME', 'brop_refuse_change' LANGUAGE C;
COMMENT ON FUNCTION brop.refuse_change() IS
  'trigger: refuses UPDATE, DELETE and TRUNCATE of an append-only ledger table';

CREATE TABLE brop.ledger_config (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  origin text NOT NULL,
  node_key text NOT NULL,
  node_did brop.did NOT NULL
);
COMMENT ON TABLE brop.ledger_config IS
  'the log''s origin (checkpoint first line and note key name) and the keyring key that signs its checkpoints';

CREATE TABLE brop.entry (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  org brop.did NOT NULL,
  subject brop.did,
  chain_key text,
  prev_digest brop.digest,
  header jsonb NOT NULL,
  payload_digest brop.digest NOT NULL,
  body_digest brop.digest,
  nonce text COLLATE "C" NOT NULL,
  expires_block bigint,
  signature bytea NOT NULL,
  submitted_at timestamptz NOT NULL,
  digest brop.digest NOT NULL,
  -- (org, nonce) unique, nonce first: a descent of the index (submit's ON CONFLICT check, then
  -- its insert) compares nonces, which differ, before the organisation's did, mostly the same
  UNIQUE (nonce, org)
);
CREATE INDEX entry_chain ON brop.entry (chain_key, id) WHERE chain_key IS NOT NULL;
COMMENT ON TABLE brop.entry IS
  'registered facts, append-only; digest is the RFC 9162 leaf hash of the entry''s canonical leaf input';

-- Entries waiting for a block: inserted by submit, taken whole by seal. A
-- queue without an index: nothing looks an entry up in it, and an entry taken
-- twice would meet the unique index of brop.log_leaf. The ledger's tables
-- carry no foreign keys: seal is their only writer, they would cost it a
-- check per row, and brop.verify_ledger() checks what they would.
CREATE TABLE brop.pending (
  entry bigint NOT NULL,
  expires_block bigint
);
COMMENT ON TABLE brop.pending IS 'entries submitted and not yet sealed or expired';

CREATE TABLE brop.block (
  number bigint PRIMARY KEY,
  first_position bigint NOT NULL,
  tree_size bigint NOT NULL UNIQUE,
  root brop.digest NOT NULL,
  prev_hash brop.digest,
  sealed_at timestamptz NOT NULL,
  checkpoint text NOT NULL,
  hash brop.digest NOT NULL
);
COMMENT ON TABLE brop.block IS
  'blocks: the log''s tree size and root after each seal, in a signed checkpoint; hash = SHA-256 of the checkpoint''s signed text';

-- Log positions (0-based RFC 9162 leaf indexes), given at seal.
CREATE TABLE brop.log_leaf (
  position bigint PRIMARY KEY,
  entry bigint NOT NULL UNIQUE,
  block bigint NOT NULL
);
COMMENT ON TABLE brop.log_leaf IS 'the entry at each position of the Merkle log, and its block';

CREATE TABLE brop.entry_expired (
  entry bigint PRIMARY KEY,
  after_block bigint NOT NULL
);
COMMENT ON TABLE brop.entry_expired IS
  'entries whose expiry block passed before they were sealed: never sealed';

-- Tiles of height 4 (docs/formats.md): hashes of the nodes at height 4 * level,
-- numbered 16 * idx .. 16 * idx + 15; only the last tile of a level grows.
CREATE TABLE brop.log_tile (
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hashes bytea NOT NULL,
  PRIMARY KEY (level, idx)
);
ALTER TABLE brop.log_tile ALTER COLUMN hashes SET STORAGE plain;
COMMENT ON TABLE brop.log_tile IS
  'the Merkle log''s stored subtree hashes, so proofs read O(log n) tiles';

-- No foreign key to brop.entry either: submit writes a chain's head in the
-- transaction that appends its entry, and brop.verify_chain() checks it.
CREATE TABLE brop.chain_head (
  chain_key text PRIMARY KEY,
  head brop.digest NOT NULL,
  entry bigint NOT NULL,
  length bigint NOT NULL
);
COMMENT ON TABLE brop.chain_head IS 'the current head (last entry''s digest) of each per-object chain';

-- UPDATE, DELETE and TRUNCATE refused on the append-only tables; a tile may
-- only grow (its old hashes a prefix of the new ones)
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['entry', 'log_leaf', 'block', 'entry_expired', 'log_tile'] LOOP
    EXECUTE format('CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON brop.%I
                      FOR EACH ROW EXECUTE FUNCTION brop.refuse_change(%L)',
                   t, CASE t WHEN 'log_tile' THEN 'tile' ELSE 'row' END);
    EXECUTE format('CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON brop.%I
                      FOR EACH STATEMENT EXECUTE FUNCTION brop.refuse_change()', t);
  END LOOP;
END
$$;

SELECT pg_catalog.pg_extension_config_dump('brop.ledger_config', '');
SELECT pg_catalog.pg_extension_config_dump('brop.entry', '');
SELECT pg_catalog.pg_extension_config_dump('brop.entry_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('brop.pending', '');
SELECT pg_catalog.pg_extension_config_dump('brop.block', '');
SELECT pg_catalog.pg_extension_config_dump('brop.log_leaf', '');
SELECT pg_catalog.pg_extension_config_dump('brop.entry_expired', '');
SELECT pg_catalog.pg_extension_config_dump('brop.log_tile', '');
SELECT pg_catalog.pg_extension_config_dump('brop.chain_head', '');

REVOKE ALL ON brop.ledger_config, brop.entry, brop.pending, brop.block, brop.log_leaf,
  brop.entry_expired, brop.log_tile, brop.chain_head FROM PUBLIC;
GRANT SELECT ON brop.ledger_config, brop.entry, brop.pending, brop.block, brop.log_leaf,
  brop.entry_expired, brop.log_tile, brop.chain_head TO PUBLIC;

CREATE FUNCTION brop.configure_ledger(origin text, node_key text) RETURNS brop.ledger_config
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  did brop.did := brop.key_did(node_key);
  old brop.ledger_config;
  r brop.ledger_config;
BEGIN
  IF octet_length(origin) > 256 OR origin !~ '^[^[:space:][:cntrl:]+]+$' THEN
    RAISE EXCEPTION 'invalid log origin: "%"', brop.quote_input(origin)
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'An origin is 1 to 256 bytes of UTF-8 without spaces, control characters or "+", e.g. "example.org/brop".';
  END IF;
  IF brop.did_alg(did) <> 'ed25519' THEN
    RAISE EXCEPTION 'checkpoints are signed with ed25519, not %', brop.did_alg(did)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- the caller must be allowed to use the key (the keyring checks)
  PERFORM brop.sign(node_key, 'brop-configure-ledger');
  SELECT * INTO old FROM brop.ledger_config;
  IF FOUND AND EXISTS (SELECT FROM brop.block) THEN
    IF old.origin <> origin THEN
      RAISE EXCEPTION 'the log''s origin cannot change once it has blocks'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = format('Its checkpoints name the origin "%s".', old.origin);
    END IF;
    IF old.node_did <> did THEN
      RAISE EXCEPTION 'the node key cannot change once the log has blocks'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = format('Its checkpoints are signed by %s.', old.node_did),
              HINT = 'Key rotation is not supported yet (docs/ledger.md).';
    END IF;
  END IF;
  INSERT INTO brop.ledger_config AS c (singleton, origin, node_key, node_did)
    VALUES (true, origin, node_key, did)
    ON CONFLICT (singleton) DO UPDATE SET origin = excluded.origin, node_key = excluded.node_key,
                                          node_did = excluded.node_did
    RETURNING * INTO r;
  RETURN r;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.configure_ledger(text, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.configure_ledger(text, text) IS
  'set the log''s origin (fixed once a block exists) and the Ed25519 keyring key that signs checkpoints';

-- Entries: canonical forms (docs/formats.md, "Ledger entries")
CREATE FUNCTION brop.entry_signing_input(kind text, org brop.did, payload_digest brop.digest, nonce text,
    header jsonb DEFAULT '{}', subject brop.did DEFAULT NULL, body_digest brop.digest DEFAULT NULL,
    chain_key text DEFAULT NULL, prev_digest brop.digest DEFAULT NULL, expires_block bigint DEFAULT NULL)
  RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_entry_signing_input' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION brop.entry_signing_input(text, brop.did, brop.digest, text, jsonb, brop.did, brop.digest, text, brop.digest, bigint) IS
  'the bytes the submitting organisation signs: "brop-entry-v1", a zero byte, and the JCS of the signed fields';
CREATE FUNCTION brop.entry_leaf(e brop.entry) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_entry_leaf' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.entry_leaf(brop.entry) IS
  'the entry''s canonical leaf input (JCS of its public fields; never a body)';
CREATE FUNCTION brop.entry_digest(e brop.entry) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'brop_entry_digest' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.entry_digest(brop.entry) IS
  'the entry''s RFC 9162 leaf hash, recomputed from its fields';

-- C (submit.c): checks the fields and the signature, then writes the entry and
-- its pending row and moves the chain's head as brop's owner (not SECURITY
-- DEFINER: it changes user for its writes only; every statement it runs names
-- its objects with their schema). EXECUTE is granted, never to PUBLIC.
CREATE FUNCTION brop.submit(kind text, org brop.did, payload_digest brop.digest, nonce text, signature bytea,
    header jsonb DEFAULT '{}', subject brop.did DEFAULT NULL, body_digest brop.digest DEFAULT NULL,
    chain_key text DEFAULT NULL, prev_digest brop.digest DEFAULT NULL, expires_block bigint DEFAULT NULL)
  RETURNS brop.entry
  AS 'MODULE_PATHNAME', 'brop_submit' LANGUAGE C VOLATILE;
REVOKE EXECUTE ON FUNCTION brop.submit(text, brop.did, brop.digest, text, bytea, jsonb, brop.did, brop.digest, text, brop.digest, bigint) FROM PUBLIC;
COMMENT ON FUNCTION brop.submit(text, brop.did, brop.digest, text, bytea, jsonb, brop.did, brop.digest, text, brop.digest, bigint) IS
  'append an entry signed by the organisation (over brop.entry_signing_input); the same nonce again returns the existing entry';

CREATE FUNCTION brop.submit_as(key text, kind text, payload_digest brop.digest, nonce text,
    header jsonb DEFAULT '{}', subject brop.did DEFAULT NULL, body_digest brop.digest DEFAULT NULL,
    chain_key text DEFAULT NULL, prev_digest brop.digest DEFAULT NULL, expires_block bigint DEFAULT NULL)
  RETURNS brop.entry
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  -- the row as one value: its columns are not fixed at creation (a DBA may add some)
  SELECT brop.submit(kind, brop.key_did(key), payload_digest, nonce,
    brop.sign(key, brop.entry_signing_input(kind, brop.key_did(key), payload_digest, nonce,
                                            header, subject, body_digest, chain_key, prev_digest, expires_block)),
    header, subject, body_digest, chain_key, prev_digest, expires_block);
END;
COMMENT ON FUNCTION brop.submit_as(text, text, brop.digest, text, jsonb, brop.did, brop.digest, text, brop.digest, bigint) IS
  'submit an entry signed with a keyring key the caller may use; the organisation is the key''s did';

CREATE FUNCTION brop.entry_status(entry bigint) RETURNS text
  LANGUAGE sql STABLE STRICT
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT CASE
    WHEN EXISTS (SELECT FROM brop.log_leaf l WHERE l.entry = entry_status.entry) THEN 'sealed'
    WHEN EXISTS (SELECT FROM brop.entry_expired x WHERE x.entry = entry_status.entry) THEN 'expired'
    -- every entry is in one of the three states (brop.verify_ledger() checks it)
    WHEN EXISTS (SELECT FROM brop.entry e WHERE e.id = entry_status.entry) THEN 'pending'
  END;
END;
COMMENT ON FUNCTION brop.entry_status(bigint) IS
  'sealed, pending, expired, or null for no such entry';

CREATE FUNCTION brop.verify_chain(chain_key text,
    OUT ok boolean, OUT entries bigint, OUT head brop.digest, OUT first_bad_entry bigint, OUT problem text)
  LANGUAGE plpgsql STABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e brop.entry;
  stored brop.chain_head;
  last_entry bigint;
BEGIN
  ok := true;
  entries := 0;
  FOR e IN SELECT * FROM brop.entry x WHERE x.chain_key = verify_chain.chain_key ORDER BY x.id LOOP
    IF brop.entry_digest(e) IS DISTINCT FROM e.digest THEN
      problem := 'the entry''s fields do not hash to its digest';
    ELSIF entries = 0 AND e.prev_digest IS NOT NULL THEN
      problem := 'the first entry of the chain has a prev_digest';
    ELSIF entries > 0 AND e.prev_digest IS DISTINCT FROM head THEN
      problem := 'prev_digest is not the digest of the previous entry of the chain';
    END IF;
    IF problem IS NOT NULL THEN
      ok := false;
      first_bad_entry := e.id;
      RETURN;
    END IF;
    head := e.digest;
    last_entry := e.id;
    entries := entries + 1;
  END LOOP;
  SELECT * INTO stored FROM brop.chain_head h WHERE h.chain_key = verify_chain.chain_key;
  IF entries = 0 AND NOT FOUND THEN
    ok := NULL;
    problem := 'no such chain';
  ELSIF NOT FOUND OR stored.head IS DISTINCT FROM head OR stored.length <> entries
        OR stored.entry IS DISTINCT FROM last_entry THEN
    ok := false;
    problem := 'the recorded head of the chain is not its last entry';
  END IF;
END
$$;
COMMENT ON FUNCTION brop.verify_chain(text) IS
  'recompute a per-object chain: every digest, every link to the previous digest, and its head (digest, entry, length)';

-- Blocks, proofs, verification
CREATE FUNCTION brop.seal() RETURNS brop.block
  AS 'MODULE_PATHNAME', 'brop_seal' LANGUAGE C VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION brop.seal() FROM PUBLIC;
COMMENT ON FUNCTION brop.seal() IS
  'turn the committed capture queue into entries, then seal the committed pending entries into a new block (null when there are none); NOTIFY brop_block';

CREATE FUNCTION brop.inclusion_proof(entry bigint, tree_size bigint DEFAULT NULL) RETURNS brop.proof
  AS 'MODULE_PATHNAME', 'brop_inclusion_proof' LANGUAGE C STABLE
  SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION brop.inclusion_proof(bigint, bigint) IS
  'RFC 9162 inclusion proof of a sealed entry in the log of tree_size leaves (default: the latest block)';
CREATE FUNCTION brop.consistency_proof(old_size bigint, new_size bigint DEFAULT NULL) RETURNS brop.proof
  AS 'MODULE_PATHNAME', 'brop_consistency_proof' LANGUAGE C STABLE
  SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION brop.consistency_proof(bigint, bigint) IS
  'RFC 9162 consistency proof between two sizes of the log (new_size default: the latest block)';
CREATE FUNCTION brop.checkpoint(tree_size bigint DEFAULT NULL) RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT b.checkpoint FROM brop.block b
   WHERE b.tree_size = coalesce(checkpoint.tree_size, (SELECT max(tree_size) FROM brop.block));
END;
COMMENT ON FUNCTION brop.checkpoint(bigint) IS
  'the signed checkpoint of the block with this tree size (default: the latest), null if none';

CREATE FUNCTION brop.verify_ledger(node_did brop.did DEFAULT NULL, signatures boolean DEFAULT true,
    OUT ok boolean, OUT entries bigint, OUT blocks bigint, OUT first_bad_position bigint, OUT problem text)
  AS 'MODULE_PATHNAME', 'brop_verify_ledger' LANGUAGE C STABLE
  SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION brop.verify_ledger(brop.did, boolean) IS
  'recompute every leaf, tile, block root, block hash link and checkpoint signature (against node_did, default the configured node key); report the first bad position';

-------------------------------------------------------------------------------
-- Registered rows (docs/formats.md, "Row digests")
-------------------------------------------------------------------------------

CREATE FUNCTION brop.row_digest(document jsonb, salt bytea) RETURNS brop.digest
  AS 'MODULE_PATHNAME', 'brop_row_digest_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.row_digest(jsonb, bytea) IS
  'the digest of a disclosed row: HMAC-SHA256(salt, "brop-row-v1" 0x00 JCS of {column: text value | null})';
CREATE FUNCTION brop.row_salt(registration text, row_key jsonb, version bigint) RETURNS bytea
  AS 'MODULE_PATHNAME', 'brop_row_salt_fn' LANGUAGE C STABLE STRICT;
REVOKE EXECUTE ON FUNCTION brop.row_salt(text, jsonb, bigint) FROM PUBLIC;
COMMENT ON FUNCTION brop.row_salt(text, jsonb, bigint) IS
  'the salt of one version of a registered row (the JSON array of its key columns'' text), from brop.salt_key_file: disclose it with the row';
CREATE FUNCTION brop.row_chain_key(registration text, row_key jsonb) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_row_chain_key_fn' LANGUAGE C STABLE STRICT;
REVOKE EXECUTE ON FUNCTION brop.row_chain_key(text, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION brop.row_chain_key(text, jsonb) IS
  'the chain key of a registered row''s versions on the ledger (pseudonymous without the salt key)';

-- Tables registered by their owners. Written by register_table and
-- unregister_table only; the history of registrations is on the ledger
-- (entries of kind "registration").
CREATE TABLE brop.registration (
  name text PRIMARY KEY,
  relid regclass NOT NULL UNIQUE,
  key_columns text[] NOT NULL,
  columns text[] NOT NULL,
  subject_column text,
  profile int NOT NULL CHECK (profile BETWEEN 1 AND 3),
  signing_key text NOT NULL,
  capture text NOT NULL CHECK (capture IN ('trigger', 'plugin')),
  org brop.did NOT NULL,
  registrant oid NOT NULL,
  entry bigint NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON brop.registration TO PUBLIC;
COMMENT ON TABLE brop.registration IS
  'registered tables: which columns, keyed how, under which profile and signing key; registrant is the role whose key rights the capture trigger uses';

CREATE FUNCTION brop.register_table(tab regclass, key_columns text[], columns text[] DEFAULT NULL,
    subject_column text DEFAULT NULL, profile int DEFAULT 1, signing_key text DEFAULT NULL,
    name text DEFAULT NULL, capture text DEFAULT 'trigger')
  RETURNS brop.registration
  AS 'MODULE_PATHNAME', 'brop_register_table' LANGUAGE C VOLATILE;
REVOKE EXECUTE ON FUNCTION brop.register_table(regclass, text[], text[], text, int, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.register_table(regclass, text[], text[], text, int, text, text, text) IS
  'register a table''s rows on the ledger (its owner only): INSERT, UPDATE and DELETE become entries signed with signing_key';

CREATE FUNCTION brop.unregister_table(tab regclass) RETURNS bigint
  AS 'MODULE_PATHNAME', 'brop_unregister_table' LANGUAGE C VOLATILE STRICT;
REVOKE EXECUTE ON FUNCTION brop.unregister_table(regclass) FROM PUBLIC;
COMMENT ON FUNCTION brop.unregister_table(regclass) IS
  'stop registering a table''s rows; returns the ledger entry that records it';

CREATE FUNCTION brop.capture() RETURNS trigger
  AS 'MODULE_PATHNAME', 'brop_capture' LANGUAGE C;
COMMENT ON FUNCTION brop.capture() IS
  'the trigger register_table installs: each row change is captured in the same transaction, and becomes a ledger entry at the next seal';

-- A slot of the brop output plugin decodes with brop.registration, read as
-- of each change: the extension (its schema, its owner's objects) is not dropped while such a
-- slot exists in this database (docs/operations.md, "Dropping the extension").
CREATE FUNCTION brop.refuse_drop_with_slot() RETURNS event_trigger
  AS 'MODULE_PATHNAME', 'brop_refuse_drop_with_slot' LANGUAGE C;
COMMENT ON FUNCTION brop.refuse_drop_with_slot() IS
  'the event trigger that refuses DROP EXTENSION brop, DROP SCHEMA brop and DROP OWNED BY the extension''s owner while a slot of the brop output plugin exists in this database';
CREATE EVENT TRIGGER brop_refuse_drop_with_slot ON ddl_command_start
  WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED')
  EXECUTE FUNCTION brop.refuse_drop_with_slot();
COMMENT ON EVENT TRIGGER brop_refuse_drop_with_slot IS
  'refuses to drop the brop extension, or its schema, while a slot of the brop output plugin exists in this database: its changes could not be decoded any more';

-- The capture queue (docs/registration.md, "The capture queue"): the
-- captured rows of committed transactions, sealed under a key derived from
-- the salt key, until brop.seal() (or brop.drain_captures()) turns them
-- into entries. A transaction writes chunks of about 8 kB, each one heap
-- tuple (never compressed: it is sealed; kept in the page up to the largest
-- toast_tuple_target, moved out only when larger); its final chunk takes the
-- next seq, the order of the drain (no index: the drain reads all final
-- chunks, and a writer pays for one index only). No role but the owner reads it.
CREATE SEQUENCE brop.capture_seq;
CREATE TABLE brop.capture_queue (
  xid bigint NOT NULL,
  chunk int NOT NULL,
  seq bigint,
  data bytea NOT NULL,
  PRIMARY KEY (xid, chunk)
) WITH (toast_tuple_target = 8160);
ALTER TABLE brop.capture_queue ALTER COLUMN data SET STORAGE EXTERNAL;
SELECT pg_catalog.pg_extension_config_dump('brop.capture_queue', '');
SELECT pg_catalog.pg_extension_config_dump('brop.capture_seq', '');
COMMENT ON TABLE brop.capture_queue IS
  'captured rows waiting for the next seal, sealed: xid and chunk are the box''s associated data; seq on a transaction''s final chunk';

CREATE FUNCTION brop.drain_captures() RETURNS bigint
  AS 'MODULE_PATHNAME', 'brop_drain_captures' LANGUAGE C VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION brop.drain_captures() FROM PUBLIC;
COMMENT ON FUNCTION brop.drain_captures() IS
  'turn the committed capture queue into signed ledger entries now (brop.seal() does it first); returns how many';

-------------------------------------------------------------------------------
-- Organisations and relayed sources (docs/registration.md, "Path 2")
-------------------------------------------------------------------------------

-- Organisations (docs/credentials.md, "Organisations and the oracle"): who
-- submits batches and who may issue credentials, in which categories. Every
-- change is a ledger entry of kind "organization" in the chain
-- organization:<did>, signed by the node's key or an active governance
-- organisation's; brop.organization_history keeps each version, so the
-- oracle answers for past times.
CREATE TABLE brop.credential_category (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  description text NOT NULL CHECK (description <> '' AND length(description) <= 200),
  entry bigint
);
INSERT INTO brop.credential_category (name, description) VALUES
  ('secondary', 'secondary education'),
  ('higher_education', 'higher education'),
  ('vocational', 'vocational education and training'),
  ('professional', 'professional qualifications');
GRANT SELECT ON brop.credential_category TO PUBLIC;
COMMENT ON TABLE brop.credential_category IS
  'the categories of credentials an issuer may be authorised for; entry: the governance change that added one (null: built in)';

CREATE TABLE brop.organization (
  did brop.did PRIMARY KEY,
  name text NOT NULL CHECK (name <> '' AND length(name) <= 200),
  role text NOT NULL CHECK (role IN ('direct_issuer', 'cross_issuer', 'validator', 'governance')),
  categories text[] NOT NULL CHECK (array_ndims(categories) IS NULL OR array_ndims(categories) = 1),
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'removed')),
  added_at timestamptz NOT NULL,
  status_at timestamptz NOT NULL,
  version int NOT NULL,
  entry bigint NOT NULL
);
GRANT SELECT ON brop.organization TO PUBLIC;
COMMENT ON TABLE brop.organization IS
  'organisations as they are now: role, categories they may issue, status (batches are accepted from active ones); entry: their last change';

CREATE TABLE brop.organization_history (
  did brop.did NOT NULL,
  version int NOT NULL,
  name text NOT NULL,
  role text NOT NULL,
  categories text[] NOT NULL,
  status text NOT NULL,
  valid_from timestamptz NOT NULL,
  entry bigint NOT NULL,
  PRIMARY KEY (did, version)
);
GRANT SELECT ON brop.organization_history TO PUBLIC;
COMMENT ON TABLE brop.organization_history IS
  'every version of every organisation, from the time of its entry: what the oracle reads';

-- Membership of holders in organisations (for direct issuers): each change
-- an entry of kind "membership", signed by the organisation's key.
CREATE TABLE brop.membership_history (
  org brop.did NOT NULL,
  holder brop.did NOT NULL,
  version int NOT NULL,
  member boolean NOT NULL,
  valid_from timestamptz NOT NULL,
  entry bigint NOT NULL,
  PRIMARY KEY (org, holder, version)
);
GRANT SELECT ON brop.membership_history TO PUBLIC;
COMMENT ON TABLE brop.membership_history IS
  'holders joining (member) and leaving organisations, from the time of the entry';

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['organization_history', 'membership_history'] LOOP
    EXECUTE format('CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON brop.%I
                      FOR EACH ROW EXECUTE FUNCTION brop.refuse_change(''row'')', t);
    EXECUTE format('CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON brop.%I
                      FOR EACH STATEMENT EXECUTE FUNCTION brop.refuse_change()', t);
  END LOOP;
END
$$;

-- Appends a governance or membership change as an entry of kind, in chain,
-- signed with key (the header's digest as its payload digest); the entry.
CREATE FUNCTION brop.change_entry(kind text, key text, chain text, header jsonb, subject brop.did)
  RETURNS brop.entry
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  head brop.chain_head;
BEGIN
  SELECT * INTO head FROM brop.chain_head h WHERE h.chain_key = chain;
  RETURN brop.submit_as(key, kind, brop.sha256(convert_to(brop.jcs(header), 'UTF8')),
                        chain || ':' || (coalesce(head.length, 0) + 1), header, subject,
                        NULL, chain, head.head);
END
$$;
REVOKE EXECUTE ON FUNCTION brop.change_entry(text, text, text, jsonb, brop.did) FROM PUBLIC;

-- The key that signs a governance change: governance_key (an active
-- governance organisation's), or the node's when null.
CREATE FUNCTION brop.governance_signer(governance_key text) RETURNS text
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  key text := governance_key;
BEGIN
  IF key IS NULL THEN
    SELECT c.node_key INTO key FROM brop.ledger_config c;
    IF key IS NULL THEN
      RAISE EXCEPTION 'no key to sign the governance change'
        USING ERRCODE = '55000',
              HINT = 'Give governance_key, the keyring key of an active governance organisation, or configure the ledger with brop.configure_ledger(): its node key signs.';
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM brop.organization o
                     WHERE o.did = brop.key_did(key) AND o.role = 'governance' AND o.status = 'active') THEN
    RAISE EXCEPTION 'key "%" is not the key of an active governance organisation', brop.quote_input(key)
      USING ERRCODE = '42501';
  END IF;
  RETURN key;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.governance_signer(text) FROM PUBLIC;

-- Writes version v of an organisation: its entry, its history row, its current row.
CREATE FUNCTION brop.organization_write(op text, o brop.organization, governance_key text)
  RETURNS brop.organization
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e brop.entry;
  unknown text;
BEGIN
  SELECT c INTO unknown FROM unnest(o.categories) c
   WHERE NOT EXISTS (SELECT 1 FROM brop.credential_category k WHERE k.name = c) LIMIT 1;
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'unknown credential category "%"', brop.quote_input(unknown)
      USING ERRCODE = '22023', HINT = 'The categories are the rows of brop.credential_category (brop.add_category adds one).';
  END IF;
  IF o.categories <> '{}' AND o.role NOT IN ('direct_issuer', 'cross_issuer') THEN
    RAISE EXCEPTION 'an organisation with role "%" issues no credentials', o.role
      USING ERRCODE = '22023', HINT = 'Only direct and cross issuers have categories.';
  END IF;
  SELECT array_agg(DISTINCT c ORDER BY c) INTO o.categories FROM unnest(o.categories) c;
  o.categories := coalesce(o.categories, '{}');
  e := brop.change_entry('organization', brop.governance_signer(governance_key), 'organization:' || o.did::text,
         jsonb_build_object('op', op, 'did', o.did::text, 'name', o.name, 'role', o.role,
                            'categories', to_jsonb(o.categories), 'status', o.status, 'version', o.version),
         o.did);
  o.entry := e.id;
  INSERT INTO brop.organization_history (did, version, name, role, categories, status, valid_from, entry)
    VALUES (o.did, o.version, o.name, o.role, o.categories, o.status, e.submitted_at, e.id);
  INSERT INTO brop.organization AS t VALUES (o.*)
    ON CONFLICT (did) DO UPDATE SET name = excluded.name, role = excluded.role, categories = excluded.categories,
      status = excluded.status, status_at = excluded.status_at, version = excluded.version, entry = excluded.entry;
  RETURN o;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.organization_write(text, brop.organization, text) FROM PUBLIC;

CREATE FUNCTION brop.add_organization(did brop.did, name text, role text DEFAULT 'direct_issuer',
    categories text[] DEFAULT '{}', governance_key text DEFAULT NULL)
  RETURNS brop.organization
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o brop.organization;
BEGIN
  IF did IS NULL OR name IS NULL OR role IS NULL OR categories IS NULL THEN
    RAISE EXCEPTION 'did, name, role and categories must not be null' USING ERRCODE = '22004';
  END IF;
  IF role NOT IN ('direct_issuer', 'cross_issuer', 'validator', 'governance') THEN
    RAISE EXCEPTION 'an organisation''s role is direct_issuer, cross_issuer, validator or governance, not %', brop.quote_input(role)
      USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM brop.organization x WHERE x.did = add_organization.did) THEN
    RAISE EXCEPTION 'organisation % is already on this ledger', did
      USING ERRCODE = '23505', HINT = 'brop.set_organization_status() and brop.set_organization_categories() change it.';
  END IF;
  o := ROW(did, name, role, categories, 'active', now(), now(), 1, NULL);
  RETURN brop.organization_write('add', o, governance_key);
END
$$;
REVOKE EXECUTE ON FUNCTION brop.add_organization(brop.did, text, text, text[], text) FROM PUBLIC;
COMMENT ON FUNCTION brop.add_organization(brop.did, text, text, text[], text) IS
  'add an organisation (role direct_issuer, cross_issuer, validator or governance; the categories an issuer may issue): a governance entry signed with governance_key, or the node''s key';

-- The current row of an organisation, locked; ERROR if there is none.
CREATE FUNCTION brop.organization_for_change(did brop.did) RETURNS brop.organization
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o brop.organization;
BEGIN
  SELECT * INTO o FROM brop.organization x WHERE x.did = organization_for_change.did FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'organisation % is not on this ledger', did USING ERRCODE = '42704';
  END IF;
  o.version := o.version + 1;
  RETURN o;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.organization_for_change(brop.did) FROM PUBLIC;

CREATE FUNCTION brop.set_organization_status(did brop.did, status text, governance_key text DEFAULT NULL)
  RETURNS brop.organization
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o brop.organization := brop.organization_for_change(did);
BEGIN
  IF status IS NULL OR status NOT IN ('active', 'suspended', 'removed') THEN
    RAISE EXCEPTION 'an organisation''s status is active, suspended or removed, not %', coalesce(brop.quote_input(status), 'null')
      USING ERRCODE = '22023';
  END IF;
  IF o.status = 'removed' THEN
    RAISE EXCEPTION 'organisation % was removed', did
      USING ERRCODE = '55000', HINT = 'A removed organisation stays removed; add it under a new DID.';
  END IF;
  o.status := status;
  o.status_at := now();
  RETURN brop.organization_write(CASE status WHEN 'active' THEN 'reactivate' WHEN 'suspended' THEN 'suspend'
                                             ELSE 'remove' END, o, governance_key);
END
$$;
REVOKE EXECUTE ON FUNCTION brop.set_organization_status(brop.did, text, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.set_organization_status(brop.did, text, text) IS
  'suspend, remove (for good) or reactivate an organisation: a governance entry; its batches are refused and it issues nothing while not active';

CREATE FUNCTION brop.set_organization_categories(did brop.did, categories text[], governance_key text DEFAULT NULL)
  RETURNS brop.organization
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o brop.organization := brop.organization_for_change(did);
BEGIN
  IF categories IS NULL THEN
    RAISE EXCEPTION 'categories must not be null' USING ERRCODE = '22004';
  END IF;
  o.categories := categories;
  RETURN brop.organization_write('categories', o, governance_key);
END
$$;
REVOKE EXECUTE ON FUNCTION brop.set_organization_categories(brop.did, text[], text) FROM PUBLIC;
COMMENT ON FUNCTION brop.set_organization_categories(brop.did, text[], text) IS
  'change the categories an issuer may issue: a governance entry';

CREATE FUNCTION brop.add_category(name text, description text, governance_key text DEFAULT NULL)
  RETURNS brop.credential_category
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c brop.credential_category;
  e brop.entry;
BEGIN
  IF name IS NULL OR name !~ '^[a-z][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION 'a category name is a lower-case letter then up to 62 of a-z, 0-9 and _, not "%"', brop.quote_input(name)
      USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM brop.credential_category k WHERE k.name = add_category.name) THEN
    RAISE EXCEPTION 'credential category "%" already exists', brop.quote_input(name) USING ERRCODE = '23505';
  END IF;
  e := brop.change_entry('organization', brop.governance_signer(governance_key), 'category:' || name,
         jsonb_build_object('op', 'add_category', 'category', name, 'description', description), NULL);
  INSERT INTO brop.credential_category VALUES (name, description, e.id) RETURNING * INTO c;
  RETURN c;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.add_category(text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.add_category(text, text, text) IS
  'add a credential category (company, device, ...): a governance entry';

CREATE FUNCTION brop.is_authorized_issuer(did brop.did, category text, at timestamptz DEFAULT now())
  RETURNS boolean
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  h brop.organization_history;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM brop.credential_category k WHERE k.name = category) THEN
    RAISE EXCEPTION 'unknown credential category "%"', brop.quote_input(category) USING ERRCODE = '22023';
  END IF;
  SELECT * INTO h FROM brop.organization_history x
   WHERE x.did = is_authorized_issuer.did AND x.valid_from <= at
   ORDER BY x.version DESC LIMIT 1;
  RETURN coalesce(h.status = 'active' AND h.role IN ('direct_issuer', 'cross_issuer')
                  AND category = ANY (h.categories), false);
END
$$;
COMMENT ON FUNCTION brop.is_authorized_issuer(brop.did, text, timestamptz) IS
  'the oracle: whether the organisation was an active issuer of the category at that time (now by default)';

-- Membership: the organisation's key signs; it must be active.
CREATE FUNCTION brop.set_membership(org_key text, holder brop.did, member boolean) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  org_did brop.did := brop.key_did(org_key);
  last brop.membership_history;
  e brop.entry;
BEGIN
  IF holder IS NULL OR member IS NULL THEN
    RAISE EXCEPTION 'holder and member must not be null' USING ERRCODE = '22004';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM brop.organization o WHERE o.did = org_did AND o.status = 'active') THEN
    RAISE EXCEPTION 'organisation % is not an active organisation of this ledger', org_did USING ERRCODE = '42501';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('brop membership ' || org_did::text || ' ' || holder::text, 0));
  SELECT * INTO last FROM brop.membership_history m WHERE m.org = org_did AND m.holder = set_membership.holder
   ORDER BY m.version DESC LIMIT 1;
  IF coalesce(last.member, false) = member THEN
    RAISE EXCEPTION '% is % a member of %', holder, CASE WHEN member THEN 'already' ELSE 'not' END, org_did
      USING ERRCODE = '55000';
  END IF;
  e := brop.change_entry('membership', org_key, 'membership:' || org_did::text || ':' || holder::text,
         jsonb_build_object('op', CASE WHEN member THEN 'join' ELSE 'leave' END, 'org', org_did::text,
                            'holder', holder::text, 'version', coalesce(last.version, 0) + 1),
         holder);
  INSERT INTO brop.membership_history VALUES (org_did, holder, coalesce(last.version, 0) + 1, member, e.submitted_at, e.id);
  RETURN e.id;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.set_membership(text, brop.did, boolean) FROM PUBLIC;
COMMENT ON FUNCTION brop.set_membership(text, brop.did, boolean) IS
  'a holder joins (member true) or leaves an organisation, signed with the organisation''s key; returns the entry';

CREATE FUNCTION brop.is_member(org brop.did, holder brop.did, at timestamptz DEFAULT now()) RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce((SELECT m.member FROM brop.membership_history m
                    WHERE m.org = is_member.org AND m.holder = is_member.holder AND m.valid_from <= is_member.at
                    ORDER BY m.version DESC LIMIT 1), false);
END;
COMMENT ON FUNCTION brop.is_member(brop.did, brop.did, timestamptz) IS
  'whether the holder was a member of the organisation at that time (now by default)';

-- Where each relayed source stands: the end LSN of the last source
-- transaction whose changes are on the ledger, and how many of them when
-- not all (changes null: the whole transaction). Moved by submit_batch only.
CREATE TABLE brop.source_position (
  source text PRIMARY KEY,
  org brop.did NOT NULL,
  lsn pg_lsn NOT NULL,
  changes bigint CHECK (changes >= 0),
  entries bigint NOT NULL,
  updated_at timestamptz NOT NULL
);
GRANT SELECT ON brop.source_position TO PUBLIC;
COMMENT ON TABLE brop.source_position IS
  'each relayed source''s position: its last transaction on the ledger (the transaction''s end LSN, as the plugin''s end_lsn), whole or after "changes" changes';

CREATE FUNCTION brop.submit_batch(source text, org brop.did, entries jsonb,
    after_lsn pg_lsn, after_changes bigint, through_lsn pg_lsn, through_changes bigint)
  RETURNS TABLE (id bigint, chain_key text, digest brop.digest)
  AS 'MODULE_PATHNAME', 'brop_submit_batch' LANGUAGE C VOLATILE;
REVOKE EXECUTE ON FUNCTION brop.submit_batch(text, brop.did, jsonb, pg_lsn, bigint, pg_lsn, bigint) FROM PUBLIC;
COMMENT ON FUNCTION brop.submit_batch(text, brop.did, jsonb, pg_lsn, bigint, pg_lsn, bigint) IS
  'append a relayed batch of entries of one active organisation and move its source from the after position to the through position, in one transaction';
SELECT pg_catalog.pg_extension_config_dump('brop.organization', '');
SELECT pg_catalog.pg_extension_config_dump('brop.organization_history', '');
SELECT pg_catalog.pg_extension_config_dump('brop.membership_history', '');
SELECT pg_catalog.pg_extension_config_dump('brop.credential_category', 'WHERE entry IS NOT NULL');
SELECT pg_catalog.pg_extension_config_dump('brop.source_position', '');

CREATE FUNCTION brop.sign_batch(key text, messages bytea[]) RETURNS bytea[]
  AS 'MODULE_PATHNAME', 'brop_sign_batch_fn' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION brop.sign_batch(text, bytea[]) IS
  'one signature by a keyring key over the Merkle root of the messages, as each message''s batch form (it verifies alone with brop.verify)';
-- the brop output plugin reads registrations as of the decoded change
ALTER TABLE brop.registration SET (user_catalog_table = true);
SELECT pg_catalog.pg_extension_config_dump('brop.registration', '');
-- its deletions (unregister_table) reach the plugin whole
ALTER TABLE brop.registration REPLICA IDENTITY FULL;

-------------------------------------------------------------------------------
-- Credentials (docs/credentials.md): issuance sealed to holders, versions,
-- revocation, the holder's requests, verification verdicts and their log
-------------------------------------------------------------------------------

-- The cryptography (credential.c): signing with a keyring key, and what a
-- credential or presentation proves by itself.
CREATE FUNCTION brop.sign_credential(key text, issuer brop.did, form text, document jsonb, extra jsonb)
  RETURNS text
  AS 'MODULE_PATHNAME', 'brop_sign_credential' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION brop.sign_credential(text, brop.did, text, jsonb, jsonb) IS
  'sign a credential with a keyring key: form vc (document: the unsecured VC, extra: the eddsa-jcs-2022 proof options) or sd-jwt (document: the visible payload, extra: the claims made selectively disclosable)';
CREATE FUNCTION brop.credential_check(credential text, nonce text DEFAULT NULL, audience text DEFAULT NULL,
    OUT form text, OUT issuer brop.did, OUT holder brop.did, OUT serial text, OUT document jsonb,
    OUT claims jsonb, OUT revealed jsonb, OUT digest brop.digest, OUT key_bound boolean,
    OUT kb_iat timestamptz, OUT reason text)
  AS 'MODULE_PATHNAME', 'brop_credential_check' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION brop.credential_check(text, text, text) IS
  'what a credential (vc or sd-jwt) or an sd-jwt presentation proves by itself: reason is null when its signatures (and key binding) verify; the ledger''s part is brop.verify_credential''s';
CREATE FUNCTION brop.did_jwk(brop.did) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'brop_did_jwk' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.did_jwk(brop.did) IS
  'the public JWK (RFC 7517) of a did:key: OKP Ed25519, or EC P-256 / secp256k1';

-- Claims that identify a person: refused in profile 2.
CREATE TABLE brop.identity_claim (
  name text PRIMARY KEY CHECK (name = lower(name)),
  builtin boolean NOT NULL DEFAULT false
);
INSERT INTO brop.identity_claim (name, builtin)
  SELECT n, true FROM unnest(ARRAY[
    'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'full_name',
    'birthdate', 'birth_date', 'date_of_birth', 'place_of_birth', 'gender', 'sex',
    'email', 'phone_number', 'address', 'street_address', 'nationality', 'nationalities',
    'national_id', 'passport_number', 'id_number', 'personal_number', 'picture', 'photo']) n;
GRANT SELECT ON brop.identity_claim TO PUBLIC;
COMMENT ON TABLE brop.identity_claim IS
  'names of claims that identify a person (compared in lower case): a profile 2 credential carries none of them; the owner adds more';
SELECT pg_catalog.pg_extension_config_dump('brop.identity_claim', 'WHERE NOT builtin');

CREATE TABLE brop.credential (
  serial text PRIMARY KEY,
  lineage text NOT NULL,
  version int NOT NULL CHECK (version >= 1),
  supersedes text,
  issuer brop.did NOT NULL,
  holder brop.did NOT NULL,
  category text NOT NULL,
  form text NOT NULL CHECK (form IN ('vc', 'sd-jwt')),
  profile smallint NOT NULL CHECK (profile BETWEEN 1 AND 3),
  digest brop.digest NOT NULL UNIQUE,
  issued_at timestamptz NOT NULL,
  valid_until timestamptz,
  entry bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'superseded', 'revoked')),
  deactivated boolean NOT NULL,
  destroyed boolean NOT NULL,
  envelope bytea,
  status_entry bigint,
  UNIQUE (lineage, version)
);
CREATE INDEX credential_holder ON brop.credential (holder);
-- the version that supersedes one (the verdict's "newer version")
CREATE INDEX credential_supersedes ON brop.credential (supersedes) WHERE supersedes IS NOT NULL;
REVOKE ALL ON brop.credential FROM PUBLIC;
GRANT SELECT (serial, lineage, version, supersedes, issuer, holder, category, form, profile, digest,
              issued_at, valid_until, entry, status, deactivated, destroyed, status_entry)
  ON brop.credential TO PUBLIC;
COMMENT ON TABLE brop.credential IS
  'issued credentials: the public facts of each version (what its ledger entry''s header says), its status, and for profiles 2 and 3 the envelope sealed to the holder (erased by destroy)';
SELECT pg_catalog.pg_extension_config_dump('brop.credential', '');

CREATE TABLE brop.verification_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  verifier name NOT NULL,
  audience text,
  nonce text,
  serial text,
  issuer brop.did,
  holder brop.did,
  revealed jsonb,
  valid boolean NOT NULL,
  reasons text[] NOT NULL
);
CREATE INDEX verification_log_holder ON brop.verification_log (holder, at);
REVOKE ALL ON brop.verification_log FROM PUBLIC;
-- (argument 'log': the refusal says that nothing on the ledger states these rows)
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON brop.verification_log
  FOR EACH ROW EXECUTE FUNCTION brop.refuse_change('log');
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON brop.verification_log
  FOR EACH STATEMENT EXECUTE FUNCTION brop.refuse_change('log');
COMMENT ON TABLE brop.verification_log IS
  'every verification of a credential or presentation: who (the session''s role) verified what, for which audience, when, and the verdict';
SELECT pg_catalog.pg_extension_config_dump('brop.verification_log', '');

-- The header of a credential's ledger entry (schema brop-credential-v1).
-- PL/pgSQL, so that its expression is planned once per session (a SQL
-- function called from a statement that is planned anew is parsed anew).
CREATE FUNCTION brop.credential_header(c brop.credential) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN jsonb_strip_nulls(jsonb_build_object(
    'type', 'credential', 'schema', 'brop-credential-v1', 'serial', c.serial, 'version', c.version,
    'supersedes', c.supersedes, 'issuer', c.issuer::text, 'holder', c.holder::text,
    'category', c.category, 'form', c.form, 'profile', c.profile,
    'issued_at', to_char(c.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'valid_until', to_char(c.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')));
END
$$;
COMMENT ON FUNCTION brop.credential_header(brop.credential) IS
  'the public header of a credential version''s ledger entry: serial, version, issuer, holder, category, form, profile, times';

-- Records a credential version: checks the oracle (and membership for a
-- direct issuer) and the version it supersedes, appends the issuer-signed
-- entry, stores the row. SECURITY DEFINER: anyone may call it, since only
-- the issuer's signature over the entry makes it accepted.
CREATE FUNCTION brop.record_credential(header jsonb, digest brop.digest, envelope bytea, signature bytea,
    prev_digest brop.digest)
  RETURNS brop.credential
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c brop.credential;
  prev brop.credential;
  e brop.entry;
  direct boolean;
BEGIN
  c := ROW(header->>'serial', header->>'serial', (header->>'version')::int, header->>'supersedes',
           (header->>'issuer')::brop.did, (header->>'holder')::brop.did, header->>'category',
           header->>'form', (header->>'profile')::smallint, digest, (header->>'issued_at')::timestamptz,
           (header->>'valid_until')::timestamptz, NULL, 'active', false, false, envelope, NULL);
  IF brop.credential_header(c) IS DISTINCT FROM header THEN
    RAISE EXCEPTION 'malformed credential header' USING ERRCODE = '22023';
  END IF;
  -- the oracle is asked now, and verification asks it at issued_at: they
  -- must be the same moment, give or take the key binding's window
  IF c.issued_at NOT BETWEEN now() - interval '5 minutes' AND now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'a credential is recorded within 5 minutes of its issued_at'
      USING ERRCODE = '22023',
            DETAIL = format('Its header says it was issued at %s.', header->>'issued_at'),
            HINT = 'Record a credential when it is signed, from a clock in step with the node''s: verification asks the oracle at issued_at.';
  END IF;
  IF NOT brop.is_authorized_issuer(c.issuer, c.category) THEN
    RAISE EXCEPTION '% is not authorised to issue % credentials', c.issuer, brop.quote_input(c.category)
      USING ERRCODE = '42501', HINT = 'brop.is_authorized_issuer() answers; governance grants categories with brop.set_organization_categories().';
  END IF;
  SELECT o.role = 'direct_issuer' INTO direct FROM brop.organization o WHERE o.did = c.issuer;
  IF direct AND NOT brop.is_member(c.issuer, c.holder) THEN
    RAISE EXCEPTION '% issues only to its members, and % is not one', c.issuer, c.holder
      USING ERRCODE = '42501', HINT = 'A direct issuer adds members with brop.set_membership().';
  END IF;
  IF c.version > 1 THEN
    SELECT * INTO prev FROM brop.credential x WHERE x.serial = c.supersedes FOR UPDATE;
    IF NOT FOUND OR prev.status <> 'active' OR prev.issuer <> c.issuer OR prev.holder <> c.holder
       OR prev.category <> c.category OR prev.version <> c.version - 1 THEN
      RAISE EXCEPTION 'credential % is not the active version % of this issuer''s credential to this holder',
        brop.quote_input(c.supersedes), c.version - 1 USING ERRCODE = '55000';
    END IF;
    c.lineage := prev.lineage;
  END IF;
  e := brop.submit('credential', c.issuer, digest, c.serial, signature, header, c.holder,
                   CASE WHEN envelope IS NULL THEN NULL ELSE brop.sha256(envelope) END,
                   'credential:' || c.lineage, prev_digest);
  c.entry := e.id;
  IF c.version > 1 THEN
    UPDATE brop.credential x SET status = 'superseded', status_entry = e.id WHERE x.serial = prev.serial;
    c.deactivated := prev.deactivated;
  END IF;
  INSERT INTO brop.credential VALUES (c.*);
  RETURN c;
END
$$;
COMMENT ON FUNCTION brop.record_credential(jsonb, brop.digest, bytea, bytea, brop.digest) IS
  'record a credential version signed outside the node, whose entry the issuer signed: the oracle, membership and the superseded version are checked';

-- C (credential_issue.c): the arguments and claims checked; the category,
-- identity claims (profile 2), oracle, membership and superseded version
-- checked; the issuer's keyring key opened once, as the caller, for the
-- credential's signature, the envelope (profiles 2 and 3) and the entry's
-- signature; the entry and the row written as brop's owner. Its header is
-- what brop.credential_header() makes of the row.
CREATE FUNCTION brop.issue_credential(issuer_key text, holder brop.did, category text, claims jsonb,
    profile int DEFAULT 2, form text DEFAULT 'sd-jwt', valid_until timestamptz DEFAULT NULL,
    supersedes text DEFAULT NULL,
    OUT serial text, OUT entry bigint, OUT credential text)
  AS 'MODULE_PATHNAME', 'brop_issue_credential' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION brop.issue_credential(text, brop.did, text, jsonb, int, text, timestamptz, text) IS
  'issue a W3C VC 2.0 credential (form vc: eddsa-jcs-2022; form sd-jwt: SD-JWT VC, every claim disclosable) signed with the issuer''s keyring key; profile 1 keeps only its digest, 2 and 3 also the envelope sealed to the holder; supersedes: the serial of the version it revises';

-- The bytes a status change signs, and the change itself. op: revoke (by
-- the issuer), deactivate, reactivate, destroy (by the holder).
CREATE FUNCTION brop.credential_request_header(serial text, op text, reason text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT jsonb_strip_nulls(jsonb_build_object('type', 'credential_status', 'op', op, 'serial', serial,
                                              'reason', reason));
END;

-- The credential a status change is about (locked when lock), its signer
-- (the issuer for revoke, the holder for the others) and its chain's head.
CREATE FUNCTION brop.credential_for_request(serial text, op text, lock boolean, OUT c brop.credential, OUT signer brop.did,
    OUT head brop.digest)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
BEGIN
  IF lock THEN
    SELECT * INTO c FROM brop.credential x WHERE x.serial = serial FOR UPDATE;
  ELSE
    SELECT * INTO c FROM brop.credential x WHERE x.serial = serial;
  END IF;
  IF c.serial IS NULL THEN
    RAISE EXCEPTION 'credential % does not exist', brop.quote_input(serial) USING ERRCODE = '42704';
  END IF;
  signer := CASE op WHEN 'revoke' THEN c.issuer WHEN 'deactivate' THEN c.holder WHEN 'reactivate' THEN c.holder
                    WHEN 'destroy' THEN c.holder END;
  IF signer IS NULL THEN
    RAISE EXCEPTION 'a credential request is revoke, deactivate, reactivate or destroy, not %', coalesce(brop.quote_input(op), 'null')
      USING ERRCODE = '22023';
  END IF;
  SELECT h.head INTO head FROM brop.chain_head h WHERE h.chain_key = 'credential:' || c.lineage;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.credential_for_request(text, text, boolean) FROM PUBLIC;

CREATE FUNCTION brop.credential_request_input(serial text, op text, nonce text, reason text DEFAULT NULL)
  RETURNS bytea
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  req record;
  header jsonb := brop.credential_request_header(serial, op, reason);
BEGIN
  SELECT * INTO req FROM brop.credential_for_request(serial, op, false);
  RETURN brop.entry_signing_input('credential_status', req.signer, brop.sha256(convert_to(brop.jcs(header), 'UTF8')),
                                  nonce, header, (req.c).holder, NULL, 'credential:' || (req.c).lineage, req.head);
END
$$;
COMMENT ON FUNCTION brop.credential_request_input(text, text, text, text) IS
  'the bytes to sign for a status change of a credential: revoke (the issuer''s key), deactivate, reactivate or destroy (the holder''s key); the chain''s head is in them, so sign and send promptly';

CREATE FUNCTION brop.credential_request(serial text, op text, nonce text, signature bytea, reason text DEFAULT NULL)
  RETURNS brop.credential
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  req record;
  c brop.credential;
  header jsonb := brop.credential_request_header(serial, op, reason);
  e brop.entry;
BEGIN
  SELECT * INTO req FROM brop.credential_for_request(serial, op, true);
  c := req.c;
  IF op = 'revoke' AND c.status <> 'active' THEN
    RAISE EXCEPTION 'credential % is %, not active', serial, c.status USING ERRCODE = '55000';
  ELSIF op = 'deactivate' AND c.deactivated THEN
    RAISE EXCEPTION 'credential % is already deactivated', serial USING ERRCODE = '55000';
  ELSIF op = 'reactivate' AND NOT c.deactivated THEN
    RAISE EXCEPTION 'credential % is not deactivated', serial USING ERRCODE = '55000';
  ELSIF op = 'destroy' AND c.destroyed THEN
    RAISE EXCEPTION 'credential % is already destroyed', serial USING ERRCODE = '55000';
  END IF;
  -- submit checks the signer's signature over exactly these fields
  e := brop.submit('credential_status', req.signer, brop.sha256(convert_to(brop.jcs(header), 'UTF8')), nonce,
                   signature, header, c.holder, NULL, 'credential:' || c.lineage, req.head);
  IF op = 'revoke' THEN
    UPDATE brop.credential x SET status = 'revoked', status_entry = e.id WHERE x.serial = c.serial;
  ELSIF op IN ('deactivate', 'reactivate') THEN
    -- every version of the credential
    UPDATE brop.credential x SET deactivated = (op = 'deactivate'), status_entry = e.id WHERE x.lineage = c.lineage;
  ELSE
    UPDATE brop.credential x SET destroyed = true, envelope = NULL, status_entry = e.id WHERE x.lineage = c.lineage;
  END IF;
  SELECT * INTO c FROM brop.credential x WHERE x.serial = serial;
  RETURN c;
END
$$;
COMMENT ON FUNCTION brop.credential_request(text, text, text, bytea, text) IS
  'apply a signed status change (brop.credential_request_input): revoke by the issuer; deactivate, reactivate or destroy (erase the stored envelopes of every version) by the holder; each a ledger entry in the credential''s chain';

CREATE FUNCTION brop.revoke_credential(issuer_key text, serial text, reason text DEFAULT NULL)
  RETURNS brop.credential
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  nonce text := 'revoke:' || gen_random_uuid();
BEGIN
  RETURN brop.credential_request(serial, 'revoke', nonce,
           brop.sign(issuer_key, brop.credential_request_input(serial, 'revoke', nonce, reason)), reason);
END
$$;
COMMENT ON FUNCTION brop.revoke_credential(text, text, text) IS
  'revoke a credential with the issuer''s keyring key: a ledger entry; it no longer verifies';

-- The holder's credentials, for brop wallet list: envelopes are sealed to the holder.
CREATE FUNCTION brop.wallet_credentials(holder brop.did)
  RETURNS TABLE (serial text, version int, issuer brop.did, category text, form text, profile smallint,
                 issued_at timestamptz, status text, deactivated boolean, destroyed boolean, entry bigint,
                 envelope bytea)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT c.serial, c.version, c.issuer, c.category, c.form, c.profile, c.issued_at, c.status,
         c.deactivated, c.destroyed, c.entry, c.envelope
    FROM brop.credential c WHERE c.holder = wallet_credentials.holder ORDER BY c.issued_at, c.serial;
END;
COMMENT ON FUNCTION brop.wallet_credentials(brop.did) IS
  'a holder''s credentials with their envelopes (sealed to the holder: only the holder''s key opens them)';

CREATE TYPE brop.verdict AS (
  valid boolean,
  form text,
  serial text,
  version int,
  issuer brop.did,
  holder brop.did,
  category text,
  claims jsonb,
  issuer_authorized boolean,
  latest_version boolean,
  not_revoked boolean,
  not_deactivated boolean,
  inclusion_valid boolean,
  checkpoint text,
  reasons text[]
);
COMMENT ON TYPE brop.verdict IS
  'the verdict on a credential or presentation: valid only when every check holds; reasons say which failed';

-- C (credential_verdict.c): the check of the text, the ledger's facts in one
-- query, the inclusion proof against the latest signed checkpoint, the log
-- row; the ledger read and the log written as brop's owner.
CREATE FUNCTION brop.verify_credential(credential text) RETURNS brop.verdict
  AS 'MODULE_PATHNAME', 'brop_verify_credential' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION brop.verify_credential(text) IS
  'verify a credential (vc or sd-jwt as issued): signatures, issuer authorised at issuance, latest version, not revoked, not deactivated, inclusion in the latest checkpoint; recorded in brop.verification_log';

CREATE FUNCTION brop.verify_presentation(presentation text, nonce text, audience text) RETURNS brop.verdict
  AS 'MODULE_PATHNAME', 'brop_verify_presentation' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION brop.verify_presentation(text, text, text) IS
  'verify an SD-JWT presentation bound to the verifier''s nonce and audience, as brop.verify_credential does, and return the revealed claims; recorded in brop.verification_log';
