-- brop.proof: RFC 9162 inclusion and consistency proofs in SQL, against
-- transparency-dev/merkle's known proofs; text I/O; bad inputs.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

CREATE TEMP TABLE tv (i int, leaf bytea);
INSERT INTO tv VALUES (1, ''), (2, '\x00'), (3, '\x10'), (4, '\x2021'), (5, '\x3031'),
  (6, '\x40414243'), (7, '\x5051525354555657'), (8, '\x606162636465666768696a6b6c6d6e6f');
CREATE FUNCTION pg_temp.leaves(n int) RETURNS brop.digest[] LANGUAGE sql AS
  $$ SELECT ARRAY(SELECT brop.merkle_leaf_hash(leaf) FROM tv WHERE i <= n ORDER BY i) $$;
CREATE FUNCTION pg_temp.root(n int) RETURNS brop.digest LANGUAGE sql AS
  $$ SELECT brop.merkle_root(h ORDER BY o) FROM unnest(pg_temp.leaves(n)) WITH ORDINALITY u(h, o) $$;

-- verify_test.go inclusionProofs (0-based here): generated, then verified
SELECT idx, size, brop.merkle_inclusion_proof(pg_temp.leaves(size), idx) AS proof
FROM (VALUES (0, 1), (0, 8), (5, 8), (2, 3), (1, 5)) v(idx, size);
SELECT idx, size,
       brop.verify_inclusion(brop.merkle_inclusion_proof(pg_temp.leaves(size), idx),
                             (pg_temp.leaves(size))[idx + 1], pg_temp.root(size)) AS valid,
       brop.verify_inclusion(brop.merkle_inclusion_proof(pg_temp.leaves(size), idx),
                             (pg_temp.leaves(size))[idx + 1], pg_temp.root(size - 1)) AS other_root
FROM (VALUES (0, 2), (0, 8), (5, 8), (2, 3), (1, 5)) v(idx, size);

-- verify_test.go consistencyProofs
SELECT m, n, brop.merkle_consistency_proof(pg_temp.leaves(n), m) AS proof
FROM (VALUES (1, 1), (1, 8), (6, 8), (2, 5), (6, 7)) v(m, n);
SELECT m, n,
       brop.verify_consistency(brop.merkle_consistency_proof(pg_temp.leaves(n), m), pg_temp.root(m), pg_temp.root(n)) AS valid,
       brop.verify_consistency(brop.merkle_consistency_proof(pg_temp.leaves(n), m), pg_temp.root(n), pg_temp.root(m)) AS swapped
FROM (VALUES (1, 8), (6, 8), (2, 5), (6, 7), (3, 4)) v(m, n);

-- every proof in trees of 1 to 40 leaves verifies, and fails for a neighbour's leaf
CREATE TEMP TABLE big AS
  SELECT array_agg(brop.merkle_leaf_hash(convert_to('leaf-' || i, 'UTF8')) ORDER BY i) AS h
  FROM generate_series(1, 40) i;
SELECT count(*) AS proofs,
       count(*) FILTER (WHERE brop.verify_inclusion(brop.merkle_inclusion_proof(h[1:n], k), h[k + 1],
                                                    (SELECT brop.merkle_root(x) FROM unnest(h[1:n]) x))) AS valid,
       count(*) FILTER (WHERE n > 1 AND brop.verify_inclusion(brop.merkle_inclusion_proof(h[1:n], k),
                                                    h[(k + 1) % n + 1],
                                                    (SELECT brop.merkle_root(x) FROM unnest(h[1:n]) x))) AS wrong_leaf_valid
FROM big, generate_series(1, 40) n, generate_series(0, 39) k WHERE k < n;

-- text I/O round trip
SELECT brop.merkle_inclusion_proof(pg_temp.leaves(8), 5)::text::brop.proof::text
     = brop.merkle_inclusion_proof(pg_temp.leaves(8), 5)::text AS round_trip;
SELECT ' consistency ( 8 , 8 ) [ ] '::brop.proof;
-- binary round trip (send, then recv)
CREATE TEMP TABLE p1 AS SELECT n, brop.merkle_inclusion_proof(h[1:n], n - 1) AS p FROM big, generate_series(1, 40) n;
\copy p1 TO 'results/proof.bin' WITH (FORMAT binary)
CREATE TEMP TABLE p2 (n int, p brop.proof);
\copy p2 FROM 'results/proof.bin' WITH (FORMAT binary)
SELECT count(*) FROM p1 JOIN p2 USING (n) WHERE p1.p::text = p2.p::text;

-- bad input
SELECT 'inclusion(8, 8) []'::brop.proof;
SELECT 'consistency(9, 8) []'::brop.proof;
SELECT 'inclusion(0, 8) [abc]'::brop.proof;
SELECT 'inclusion(0, 8) [96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7 5f08]'::brop.proof;
SELECT 'exclusion(0, 8) []'::brop.proof;
SELECT 'inclusion(01, 8) []'::brop.proof;
SELECT 'inclusion(0, 9223372036854775808) []'::brop.proof;
SELECT 'inclusion(0, 8) [] x'::brop.proof;
SELECT brop.verify_consistency('inclusion(0, 1) []', pg_temp.root(1), pg_temp.root(1));
SELECT brop.verify_inclusion('consistency(1, 1) []', pg_temp.root(1), pg_temp.root(1));
SELECT brop.merkle_inclusion_proof(pg_temp.leaves(8), 8);
SELECT brop.merkle_inclusion_proof('{}', 0);
SELECT brop.merkle_consistency_proof(pg_temp.leaves(8), 0);
SELECT brop.merkle_consistency_proof(ARRAY[NULL::brop.digest], 1);
-- a proof of the wrong length is simply not valid
SELECT brop.verify_inclusion('inclusion(0, 8) []', (pg_temp.leaves(8))[1], pg_temp.root(8)) AS short_proof;
