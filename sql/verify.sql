-- brop.verify for Ed25519 (RFC 8032), ECDSA over secp256k1 and P-256 (JOSE
-- ES256K / ES256: SHA-256, r||s or DER), BIP-340 Schnorr; malformed
-- signatures are errors, wrong ones are false.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

-- RFC 8032 section 7.1, TESTS 1, 2, 3
CREATE TEMP TABLE rfc8032 (name text, pk bytea, msg bytea, sig bytea);
INSERT INTO rfc8032 VALUES
 ('TEST 1', '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '',
  '\xe5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'),
 ('TEST 2', '\x3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '\x72',
  '\x92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'),
 ('TEST 3', '\xfc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', '\xaf82',
  '\x6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a');
SELECT name, brop.verify(brop.did('ed25519', pk), msg, sig) AS valid,
       brop.verify(brop.did('ed25519', pk), msg || '\x00', sig) AS other_message,
       brop.verify(brop.did('ed25519', pk), msg, set_byte(sig, 0, get_byte(sig, 0) # 1)) AS flipped_bit
FROM rfc8032 ORDER BY name;

-- BIP-340 test vectors 0 and 1 (signing rows, verified here) and 5 (public key not on the curve)
SELECT brop.verify_schnorr_xonly('\xf9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9',
  '\x0000000000000000000000000000000000000000000000000000000000000000',
  '\xe907831f80848d1069a5371b402410364bdf1c5f8307b0084c55f1ce2dca821525f66a4a85ea8b71e482a74f382d2ce5ebeee8fdb2172f477df4900d310536c0') AS v0;
SELECT brop.verify_schnorr_xonly('\xdff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659',
  '\x243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89',
  '\x6896bd60eeae296db48a229ff71dfe071bde413e6d43f917dc8dcf8c78de33418906d11ac976abccb20b091292bff4ea897efcb639ea871cfa95f6de339e4b0a') AS v1;
SELECT brop.verify_schnorr_xonly('\xeefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34',
  '\x243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89',
  '\x6cff5c3ba86c69ea4b7376f31a9bcb4f74c1976089b2d9963da2e5543e17776969e89b4c5564d00349106b8497785dd7d1d713a8ae82b32fa79d5f7fc407d39b') AS v5;

-- ECDSA with keyring keys (random nonces for P-256, RFC 6979 for secp256k1)
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.create_key('secp256k1', 'verify-k1') IS NOT NULL AS made,
       brop.create_key('p256', 'verify-p256') IS NOT NULL AS made;
SELECT brop.verify(brop.key_did('verify-k1'), 'message', brop.sign('verify-k1', 'message')) AS k1,
       brop.verify(brop.key_did('verify-p256'), 'message', brop.sign('verify-p256', 'message')) AS p256,
       brop.verify(brop.key_did('verify-k1'), 'massage', brop.sign('verify-k1', 'message')) AS k1_wrong,
       brop.verify(brop.key_did('verify-p256'), 'massage', brop.sign('verify-p256', 'message')) AS p256_wrong;
-- secp256k1 signing is deterministic (RFC 6979)
SELECT brop.sign('verify-k1', 'message') = brop.sign('verify-k1', 'message') AS deterministic;
-- the same signatures in DER verify too, and convert back
CREATE TEMP TABLE der AS
  SELECT k, brop.sign(k, 'message') AS sig FROM unnest(ARRAY['verify-k1', 'verify-p256']) k;
SELECT k, brop.verify(brop.key_did(k), 'message', brop.ecdsa_to_der(sig)) AS der_valid,
       brop.ecdsa_from_der(brop.ecdsa_to_der(sig)) = sig AS round_trip,
       length(brop.ecdsa_to_der(sig)) BETWEEN 8 AND 72 AS der_length
FROM der ORDER BY k;

-- high-S: s' = n - s of a valid secp256k1 signature is refused, not just false
CREATE FUNCTION pg_temp.num(b bytea) RETURNS numeric LANGUAGE sql AS
  $$ SELECT sum(get_byte(b, i) * 256::numeric ^ (length(b) - 1 - i)) FROM generate_series(0, length(b) - 1) i $$;
CREATE FUNCTION pg_temp.bytes32(n numeric) RETURNS bytea LANGUAGE sql AS
  $$ SELECT string_agg(set_byte('\x00'::bytea, 0, (div(n, 256::numeric ^ (31 - i)) % 256)::int), '' ORDER BY i)
     FROM generate_series(0, 31) i $$;
CREATE TEMP TABLE highs AS
  SELECT sig, substr(sig, 1, 32) || pg_temp.bytes32(
    '115792089237316195423570985008687907852837564279074904382605163141518161494337'::numeric
    - pg_temp.num(substr(sig, 33, 32))) AS high
  FROM (SELECT brop.sign('verify-k1', 'message') AS sig) s;
SELECT high <> sig AS differs FROM highs;
SELECT brop.verify(brop.key_did('verify-k1'), 'message', high) FROM highs;
-- P-256 accepts both forms (ES256 does not require low-S)
SELECT brop.verify(brop.key_did('verify-p256'), 'message', substr(sig, 1, 32) || pg_temp.bytes32(
    '115792089210356248762697446949407573529996955224135760342422259061068512044369'::numeric
    - pg_temp.num(substr(sig, 33, 32)))) AS p256_high_s_ok
  FROM (SELECT brop.sign('verify-p256', 'message') AS sig) s;

-- malformed signatures
SELECT brop.verify(brop.did('ed25519', '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'), '', '\x0102');
SELECT brop.verify(brop.key_did('verify-k1'), 'message', '\x3006020101020101ff');
SELECT brop.verify(brop.key_did('verify-p256'), 'message', '\x300502010102');
SELECT brop.verify(brop.key_did('verify-k1'), 'message', decode(repeat('00', 64), 'hex'));
SELECT brop.verify(brop.key_did('verify-k1'), 'message', decode(repeat('ff', 64), 'hex'));
SELECT brop.verify(brop.did_to_x25519(brop.did('ed25519', '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')), '', '\x00');
SELECT brop.verify_schnorr_xonly('\x0102', '', decode(repeat('00', 64), 'hex'));
SELECT brop.verify_schnorr(brop.key_did('verify-p256'), '', decode(repeat('00', 64), 'hex'));
SELECT brop.verify_schnorr(brop.key_did('verify-k1'), '', '\x00');
SELECT brop.ecdsa_to_der('\x00');
SELECT brop.ecdsa_from_der('\x3006020101020101ff');
