-- brop.digest: a 32-byte hash with hex text I/O, btree and hash opclasses,
-- casts to and from bytea.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

SELECT 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'::brop.digest;
-- upper case in, lower case out
SELECT 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD'::brop.digest;
SELECT brop.sha256('abc'::text) = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'::brop.digest AS eq;
SELECT brop.sha256('abc'::text)::bytea;
SELECT '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'::bytea::brop.digest;

-- ordering, hashing, indexes
CREATE TEMP TABLE d AS
  SELECT i, brop.sha256(i::text) AS h FROM generate_series(1, 1000) i;
CREATE INDEX d_h_btree ON d (h);
ANALYZE d;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT i FROM d WHERE h = brop.sha256('500'::text);
SELECT i FROM d WHERE h = brop.sha256('500'::text);
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM d WHERE h > brop.sha256('500'::text);
SELECT count(*) FROM d WHERE h > brop.sha256('500'::text);
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT count(*) = (SELECT count(*) FROM d WHERE h::bytea > brop.sha256('500'::text)::bytea) AS order_matches_bytes
  FROM d WHERE h > brop.sha256('500'::text);
SELECT count(DISTINCT h) FROM d;
CREATE INDEX d_h_hash ON d USING hash (h);
DROP INDEX d_h_btree;
EXPLAIN (COSTS OFF) SELECT i FROM d WHERE h = brop.sha256('500'::text);
SELECT i FROM d WHERE h = brop.sha256('500'::text);
SET enable_seqscan = off;
SELECT h FROM d ORDER BY h LIMIT 2;
RESET enable_seqscan;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT a.i FROM d a JOIN d b USING (h);
SELECT a.i FROM d a JOIN d b USING (h) WHERE a.i <= 3 ORDER BY 1;
RESET enable_mergejoin;
SELECT brop.digest_cmp(brop.sha256('a'::text), brop.sha256('b'::text)),
       brop.sha256('a'::text) <> brop.sha256('b'::text) AS ne,
       brop.sha256('a'::text) <= brop.sha256('a'::text) AS le;

-- binary I/O round trip (send, then recv)
\copy (SELECT i, h FROM d) TO 'results/digest.bin' WITH (FORMAT binary)
CREATE TEMP TABLE d2 (i int, h brop.digest);
\copy d2 FROM 'results/digest.bin' WITH (FORMAT binary)
SELECT count(*) FROM d JOIN d2 USING (i, h);

-- bad input
SELECT 'ba7816bf'::brop.digest;
SELECT 'zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'::brop.digest;
SELECT 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00'::brop.digest;
SELECT ''::brop.digest;
SELECT '\x0102'::bytea::brop.digest;
-- an error quotes at most 64 characters of the input, then "..."
SELECT repeat('z', 64)::brop.digest;
SELECT repeat('a', 1000000)::brop.digest;
SELECT repeat(chr(233), 100)::brop.digest;
