-- RFC 9162 hashes in SQL: leaf and node hashes and the merkle_root
-- aggregate, against transparency-dev/merkle's test data and a recursive
-- reference written in SQL from the RFC's definition.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

-- rfc6962_test.go: the empty leaf, and "L123456"
SELECT brop.merkle_leaf_hash(''), brop.merkle_leaf_hash('L123456');
-- the node hash is SHA-256(0x01 || left || right)
SELECT brop.merkle_node_hash(brop.merkle_leaf_hash(''), brop.merkle_leaf_hash('\x00'))
     = brop.sha256('\x01'::bytea || brop.merkle_leaf_hash('')::bytea || brop.merkle_leaf_hash('\x00')::bytea) AS node;

-- transparency-dev/merkle testonly: the eight leaves and the roots of sizes 0 to 8
CREATE TEMP TABLE tv (i int, leaf bytea);
INSERT INTO tv VALUES (1, ''), (2, '\x00'), (3, '\x10'), (4, '\x2021'), (5, '\x3031'),
  (6, '\x40414243'), (7, '\x5051525354555657'), (8, '\x606162636465666768696a6b6c6d6e6f');
SELECT n, (SELECT brop.merkle_root(h) FROM (SELECT brop.merkle_leaf_hash(leaf) AS h FROM tv WHERE i <= n ORDER BY i) s) AS root
FROM generate_series(0, 8) n;

-- agreement with MTH written from RFC 9162 section 2.1.1, for sizes 0 to 100
CREATE FUNCTION pg_temp.mth(h brop.digest[]) RETURNS brop.digest LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  n int := coalesce(array_length(h, 1), 0);
  k int := 1;
BEGIN
  IF n = 0 THEN RETURN brop.sha256(''::bytea); END IF;
  IF n = 1 THEN RETURN h[1]; END IF;
  WHILE k * 2 < n LOOP k := k * 2; END LOOP;
  RETURN brop.merkle_node_hash(pg_temp.mth(h[1:k]), pg_temp.mth(h[k + 1:n]));
END $$;
CREATE TEMP TABLE big AS
  SELECT i, brop.merkle_leaf_hash(convert_to('leaf-' || i, 'UTF8')) AS h FROM generate_series(1, 100) i;
SELECT count(*) AS sizes,
       count(*) FILTER (WHERE (SELECT brop.merkle_root(h) FROM (SELECT h FROM big WHERE i <= n ORDER BY i) s)
                            = pg_temp.mth(ARRAY(SELECT h FROM big WHERE i <= n ORDER BY i))) AS agree
FROM generate_series(0, 100) n;
-- the aggregate's own ORDER BY, and grouping
SELECT brop.merkle_root(h ORDER BY i) = pg_temp.mth(ARRAY(SELECT h FROM big ORDER BY i)) AS ordered,
       brop.merkle_root(h ORDER BY i DESC) = pg_temp.mth(ARRAY(SELECT h FROM big ORDER BY i)) AS reversed_same
FROM big;
SELECT g, r = pg_temp.mth(ARRAY(SELECT b.h FROM big b WHERE b.i % 3 = g ORDER BY b.i)) AS ok
FROM (SELECT i % 3 AS g, brop.merkle_root(h ORDER BY i) AS r FROM big GROUP BY i % 3) s ORDER BY g;

-- bad input
SELECT brop.merkle_root(h) FROM (VALUES (brop.sha256('a'::text)), (NULL)) v(h);
SELECT brop.merkle_node_hash(NULL, brop.sha256('a'::text)) IS NULL AS strict;

-- proofs over arrays hash the leaves in steps, checking for interrupts:
-- right over more leaves than one step holds, and a huge array (8M leaves,
-- 256 MB) is cancelled under a short statement_timeout
CREATE TEMP TABLE wide AS
  SELECT array_agg(brop.sha256(i::text) ORDER BY i) AS h FROM generate_series(1, 200000) i;
SELECT brop.verify_inclusion(brop.merkle_inclusion_proof(h, 131071), h[131072], r) AS inclusion,
       brop.verify_consistency(brop.merkle_consistency_proof(h, 70000),
                               (SELECT brop.merkle_root(x ORDER BY o) FROM unnest(h[1:70000]) WITH ORDINALITY u(x, o)), r)
         AS consistency
FROM wide, LATERAL (SELECT brop.merkle_root(x ORDER BY o) AS r FROM unnest(h) WITH ORDINALITY u(x, o)) t;
SET statement_timeout = '200ms';
SELECT brop.merkle_inclusion_proof(array_fill(brop.sha256(''), ARRAY[8000000]), 0);
SELECT brop.merkle_consistency_proof(array_fill(brop.sha256(''), ARRAY[8000000]), 3);
RESET statement_timeout;

-- brop.proof's input error quotes at most 64 characters of a 10 MB text
-- (and reading a hash stops past 64 digits)
SELECT ('inclusion(0, 1) [' || repeat('a', 10000000) || ']')::brop.proof;
