-- brop 1.0: types, hashing, encodings, did:key, signatures, canonical JSON,
-- sealed envelopes and the keyring.

\echo Use "CREATE EXTENSION brop" to load this file. \quit

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
  'verify Ed25519, or ECDSA over SHA-256 (secp256k1 low-S only, p256) given as 64 bytes r||s or DER';

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

CREATE FUNCTION brop.checkpoint_note(label text, origin text, tree_size bigint, root brop.digest) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_checkpoint_note_fn' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION brop.verify_checkpoint(note text, signer brop.did) RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_checkpoint_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION brop.parse_checkpoint(note text,
    OUT origin text, OUT tree_size bigint, OUT root brop.digest, OUT extensions text)
  AS 'MODULE_PATHNAME', 'brop_parse_checkpoint_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.checkpoint_note(text, text, bigint, brop.digest) IS
  'a checkpoint of (origin, size, root) signed with an Ed25519 keyring key under the origin as note name';
COMMENT ON FUNCTION brop.verify_checkpoint(text, brop.did) IS
  'is this a checkpoint note signed by this Ed25519 did (under its origin as key name)';
COMMENT ON FUNCTION brop.parse_checkpoint(text) IS
  'the origin, tree size, root and extension lines of a checkpoint (signed or not); does not verify';
