-- brop.did: did:key text I/O for ed25519, secp256k1, p256 and x25519;
-- conversions; rejection of unknown codecs, wrong lengths, off-curve points.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

-- RFC 8032 TEST 1 public key
SELECT brop.did('ed25519', '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a') AS did;
SELECT brop.did_public_key(brop.did('ed25519', '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'));
-- text round trip and accessors
WITH v(d) AS (SELECT brop.did('ed25519', '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'))
SELECT d::text::brop.did = d AS round_trip, brop.did_alg(d), brop.did_alg(brop.did_to_x25519(d)),
       brop.did_to_x25519(d), brop.did_to_x25519(brop.did_to_x25519(d)) = brop.did_to_x25519(d) AS idempotent
FROM v;
-- secp256k1 generator point G (compressed and uncompressed give the same did)
SELECT brop.did('secp256k1', '\x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798') AS g;
SELECT brop.did('secp256k1', '\x0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8')
     = brop.did('secp256k1', '\x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798') AS same;
-- P-256 generator point
SELECT brop.did('p256', '\x036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296') AS g;
SELECT brop.did_alg('did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv');

-- the did:key method's test vectors (w3c-ccg/did-method-key test-vectors)
SELECT brop.did('ed25519', brop.decode('4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS', 'base58btc'))::text
         = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' AS ed25519,
       brop.did_to_x25519('did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp')::text
         = 'did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW' AS x25519,
       brop.did_public_key('did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW')
         = brop.decode('7By6kV2t2d188odEM4ExAve1UithKT6dLva4dwsDT3ak', 'base58btc') AS x25519_key,
       brop.did('secp256k1', brop.decode('23o6Sau8NxxzXcgSc3PLcNxrzrZpbLeBn1izfv3jbKhuv', 'base58btc'))::text
         = 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme' AS secp256k1,
       brop.did('p256', '\x04'::bytea || brop.decode('igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns', 'base64url')
                        || brop.decode('efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM', 'base64url'))::text
         = 'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv' AS p256;

-- equality, ordering and indexes
CREATE TEMP TABLE dids (d brop.did PRIMARY KEY);
INSERT INTO dids VALUES (brop.did('ed25519', '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')),
                        (brop.did('secp256k1', '\x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'));
INSERT INTO dids VALUES (brop.did('ed25519', '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'));
SELECT brop.did_alg(d) FROM dids ORDER BY d;
CREATE INDEX ON dids USING hash (d);

-- bad input
SELECT 'did:web:example.com'::brop.did;
SELECT 'did:key:'::brop.did;
SELECT 'did:key:y6MkfooBAR'::brop.did;
SELECT 'did:key:z6Mk0OIl'::brop.did;
SELECT 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'::brop.did;
-- unknown multicodec (0x1201, p384-pub... is not supported; here: raw 0x55 codec)
SELECT ('did:key:' || brop.multibase_encode('\x55' || decode(repeat('11', 32), 'hex')))::brop.did;
-- ed25519 codec with a 31-byte key
SELECT ('did:key:' || brop.multibase_encode('\xed01' || decode(repeat('11', 31), 'hex')))::brop.did;
-- secp256k1 codec with x not on the curve (x = 5 has no y on secp256k1)
SELECT ('did:key:' || brop.multibase_encode('\xe70102' || decode(repeat('00', 31) || '05', 'hex')))::brop.did;
-- non-minimal varint for ed25519 (0xed 0x81 0x00)
SELECT ('did:key:' || brop.multibase_encode('\xed8100' || decode(repeat('11', 32), 'hex')))::brop.did;
SELECT brop.did('ed25519', '\x0102');
SELECT brop.did('rsa', '\x0102');
SELECT brop.did('p256', '\x04' || decode(repeat('01', 64), 'hex'));
SELECT brop.did_to_x25519(brop.did('secp256k1', '\x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'));

-- an error quotes at most 64 characters of the input (whole characters),
-- then "...": however long the input, the message is short
SELECT ('did:key:z' || repeat('1', 1000000))::brop.did;
SELECT ('did:key:z' || repeat(chr(233), 70))::brop.did;
SELECT ('did:key:z6Mk' || repeat('1', 52))::brop.did;
SELECT brop.did(repeat('e', 1000), '\x00');
SELECT ('did:key:z' || repeat('1', 1024))::brop.did;
-- the input function keeps the texts it read (per backend): the same text
-- again gives the same value, and a text one character away (the same cache
-- slot: the last 16 characters) is read on its own, valid or not
SELECT 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'::brop.did = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'::brop.did AS same,
       brop.did_alg('did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp') AS alg;
SELECT 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWq'::brop.did;
SELECT 'did:key:z7MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'::brop.did;
