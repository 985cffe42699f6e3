-- SHA-256, SHA-512, HMAC-SHA256: FIPS 180-4 examples, RFC 4231, and
-- agreement with pgcrypto.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
RESET client_min_messages;

SELECT brop.sha256(''::bytea);
SELECT brop.sha256('abc'::bytea);
SELECT brop.sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'::bytea);
SELECT encode(brop.sha512('abc'::bytea), 'hex');
SELECT encode(brop.sha512(''::bytea), 'hex');

-- text and bytea hash the same bytes
SELECT brop.sha256('héllo'::text) = brop.sha256(convert_to('héllo', 'UTF8')) AS same;

-- RFC 4231 test cases 1, 2, 3, 4, 6, 7 (HMAC-SHA-256) and 5 (truncated to 128 bits)
SELECT encode(brop.hmac_sha256('Hi There', decode(repeat('0b', 20), 'hex')), 'hex')
  = 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' AS tc1;
SELECT encode(brop.hmac_sha256('what do ya want for nothing?', 'Jefe'), 'hex')
  = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' AS tc2;
SELECT encode(brop.hmac_sha256(decode(repeat('dd', 50), 'hex'), decode(repeat('aa', 20), 'hex')), 'hex')
  = '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' AS tc3;
SELECT encode(brop.hmac_sha256(decode(repeat('cd', 50), 'hex'),
                               decode('0102030405060708090a0b0c0d0e0f10111213141516171819', 'hex')), 'hex')
  = '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' AS tc4;
SELECT left(encode(brop.hmac_sha256('Test With Truncation', decode(repeat('0c', 20), 'hex')), 'hex'), 32)
  = 'a3b6167473100ee06e0c796c2955552b' AS tc5;
SELECT encode(brop.hmac_sha256('Test Using Larger Than Block-Size Key - Hash Key First',
                               decode(repeat('aa', 131), 'hex')), 'hex')
  = '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' AS tc6;
SELECT encode(brop.hmac_sha256('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
                               decode(repeat('aa', 131), 'hex')), 'hex')
  = '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2' AS tc7;

-- agreement with pgcrypto on many inputs, lengths 0 to 300
SELECT count(*) FILTER (WHERE brop.sha256(v)::bytea <> digest(v, 'sha256')) AS sha256_mismatches,
       count(*) FILTER (WHERE brop.sha512(v) <> digest(v, 'sha512')) AS sha512_mismatches,
       count(*) FILTER (WHERE brop.hmac_sha256(v, k) <> hmac(v, k, 'sha256')) AS hmac_mismatches
FROM (SELECT gen_random_bytes(1 + i % 200) || decode(repeat('5a', i), 'hex') AS v,
             decode(repeat('k1', 1 + i % 100), 'escape') AS k
      FROM generate_series(0, 300) i) s;

SELECT brop.sha256(NULL::bytea) IS NULL AS strict;

-- inputs of any size are hashed in steps of 4 MiB: the same digests across
-- steps (9 MB, and a key of 9 MB), and cancellable under a short
-- statement_timeout
SELECT brop.sha256(v)::bytea = digest(v, 'sha256') AS sha256_9mb,
       brop.sha512(v) = digest(v, 'sha512') AS sha512_9mb,
       brop.hmac_sha256(v, 'k') = hmac(v, 'k', 'sha256') AS hmac_9mb,
       brop.hmac_sha256('m', v) = hmac('m', v, 'sha256') AS hmac_key_9mb
FROM (SELECT decode(repeat('00ff7e81', 2359297), 'hex') AS v) s;
SET statement_timeout = '200ms';
SELECT brop.sha256(convert_to(repeat('x', 500000000), 'UTF8'));
SELECT brop.sha512(convert_to(repeat('x', 500000000), 'UTF8'));
SELECT brop.hmac_sha256(convert_to(repeat('x', 500000000), 'UTF8'), 'k');
RESET statement_timeout;
