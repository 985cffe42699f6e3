-- hex, base64, base64url, base58btc, multibase, varint: RFC 4648 section 10
-- vectors, the base58 draft's examples, strict decoding with exact errors.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

SELECT v, brop.encode(v::bytea, 'hex') AS hex, brop.encode(v::bytea, 'base64') AS base64,
       brop.encode(v::bytea, 'base64url') AS base64url
FROM unnest(ARRAY['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) v;
SELECT bool_and(brop.decode(brop.encode(v, f), f) = v) AS round_trips
FROM (SELECT gen_random_uuid()::text::bytea || decode(repeat('00', i % 3), 'hex') AS v
      FROM generate_series(1, 200) i) s,
     unnest(ARRAY['hex', 'base64', 'base64url', 'base58btc']) f;

-- base58btc (draft-msporny-base58)
SELECT brop.encode('Hello World!', 'base58btc');
SELECT brop.encode('The quick brown fox jumps over the lazy dog.', 'base58btc');
SELECT brop.encode('\x0000287fb4cd', 'base58btc');
SELECT brop.decode('2NEpo7TZRRrLZSi2U', 'base58btc');
SELECT brop.decode('11233QC4', 'base58btc');
SELECT brop.encode('\x00', 'base58btc'), brop.encode('', 'base58btc');

-- multibase
SELECT b, brop.multibase_encode('hello', b) FROM
  unnest(ARRAY['base58btc', 'base16', 'base16upper', 'base64', 'base64pad', 'base64url']) b;
SELECT brop.multibase_decode('zCn8eVZg'), brop.multibase_decode('f68656c6c6f'),
       brop.multibase_decode('maGVsbG8'), brop.multibase_decode('MaGVsbG8='), brop.multibase_decode('uaGVsbG8');

-- varint (multiformats unsigned-varint)
SELECT v, brop.varint_encode(v) FROM unnest(ARRAY[0, 1, 127, 128, 255, 300, 16384, 9223372036854775807]) v;
SELECT brop.varint_decode('\xac02'), brop.varint_decode('\x808001');

-- bad input
SELECT brop.decode('abc', 'hex');
SELECT brop.decode('zz', 'hex');
SELECT brop.decode('Zm9v YmFy', 'base64');
SELECT brop.decode('Zm9vYg', 'base64');
SELECT brop.decode('Zm9vYh==', 'base64');
SELECT brop.decode('Zm9vYg==', 'base64url');
SELECT brop.decode('Zm9vY', 'base64url');
SELECT brop.decode('0OIl', 'base58btc');
SELECT brop.encode('x', 'base32');
SELECT brop.multibase_encode('x', 'base2');
SELECT brop.multibase_decode('bnbswy3dp');
SELECT brop.multibase_decode('');
SELECT brop.varint_encode(-1);
SELECT brop.varint_decode('\x8000');
SELECT brop.varint_decode('\x80');
SELECT brop.varint_decode('\x0101');
SELECT brop.varint_decode('\xffffffffffffffffff01');

-- base58 is quadratic, so bounded (docs/security.md): the largest input
-- round-trips, past the limit a 54000 error before any work, promptly even
-- under a short statement_timeout
SELECT length(brop.encode(decode(repeat('ff', 4096), 'hex'), 'base58btc')) AS chars,
       brop.decode(brop.encode(decode(repeat('ff', 4096), 'hex'), 'base58btc'), 'base58btc')
         = decode(repeat('ff', 4096), 'hex') AS round_trips;
SELECT brop.encode(decode(repeat('ff', 4097), 'hex'), 'base58btc');
SELECT brop.decode(repeat('2', 5654), 'base58btc');
SELECT brop.multibase_encode(decode(repeat('ff', 4097), 'hex'), 'base58btc');
SELECT brop.multibase_decode('z' || repeat('2', 5654));
SET statement_timeout = '500ms';
SELECT brop.encode(decode(repeat('ff', 1048576), 'hex'), 'base58btc');
SELECT brop.decode(repeat('2', 1048576), 'base58btc');
RESET statement_timeout;

-- hex, base64 and base64url are linear, of any length, in steps of 3 MiB:
-- the same across steps (9 MB), errors in the last step found, and
-- cancellable under a short statement_timeout
SELECT brop.encode(v, 'hex') = encode(v, 'hex') AS hex_9mb,
       brop.decode(brop.encode(v, 'hex'), 'hex') = v AS hex_back,
       brop.decode(brop.encode(v, 'base64'), 'base64') = v AS base64_back,
       brop.encode(v, 'base64') = replace(encode(v, 'base64'), E'\n', '') AS base64_9mb,
       brop.decode(brop.encode(v, 'base64url'), 'base64url') = v AS base64url_back,
       brop.multibase_decode(brop.multibase_encode(v, 'base16upper')) = v AS multibase_back
FROM (SELECT decode(repeat('00ff7e81', 2359297), 'hex') AS v) s;
SELECT brop.decode(repeat('ab', 4718593) || 'g0', 'hex');
SELECT brop.multibase_decode('F' || repeat('AB', 4718593) || 'a0');
SET statement_timeout = '200ms';
SELECT length(brop.encode(convert_to(repeat('x', 300000000), 'UTF8'), 'hex'));
SELECT length(brop.decode(repeat('ab', 150000000), 'hex'));
SELECT length(brop.decode(repeat('QUJD', 75000000), 'base64'));
SELECT length(brop.multibase_decode('u' || repeat('QUJD', 75000000)));
RESET statement_timeout;

-- an unknown encoding's name is quoted to 64 characters, then "..."
SELECT brop.encode('x', repeat('h', 1000));
SELECT brop.decode('x', repeat('h', 65));
SELECT brop.multibase_encode('x', repeat('b', 64));
