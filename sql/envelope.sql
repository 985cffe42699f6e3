-- Sign-then-seal envelopes made in SQL (opened by the CLI: test/t).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';

SELECT brop.create_key('ed25519', 'env-issuer') IS NOT NULL AS made,
       brop.create_key('ed25519', 'env-holder') IS NOT NULL AS made,
       brop.create_key('secp256k1', 'env-k1') IS NOT NULL AS made;

-- version byte first; overhead = 1 + 48 + 32 + 64 + 1 + recipient (2 + 32)
WITH e AS (SELECT brop.seal_envelope('env-issuer', brop.key_did('env-holder'), 'a diploma') AS env)
SELECT get_byte(env, 0) AS version, length(env) - length('a diploma'::bytea) AS overhead FROM e;
-- to the X25519 form of the holder's did
WITH e AS (SELECT brop.seal_envelope('env-issuer', brop.did_to_x25519(brop.key_did('env-holder')), '') AS env)
SELECT get_byte(env, 0) AS version, length(env) AS overhead FROM e;
-- sealing is randomized (ephemeral key)
SELECT brop.seal_envelope('env-issuer', brop.key_did('env-holder'), 'x')
    <> brop.seal_envelope('env-issuer', brop.key_did('env-holder'), 'x') AS randomized;
-- large payloads
SELECT length(brop.seal_envelope('env-issuer', brop.key_did('env-holder'), decode(repeat('ab', 1000000), 'hex'))) AS big;

-- bad requests
SELECT brop.seal_envelope('env-k1', brop.key_did('env-holder'), 'x');
SELECT brop.seal_envelope('env-issuer', brop.key_did('env-k1'), 'x');
SELECT brop.seal_envelope('env-missing', brop.key_did('env-holder'), 'x');
