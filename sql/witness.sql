-- Witnesses (docs/consortium.md): this node's witness verifies its ledger
-- copy block by block and cosigns each checkpoint (C2SP cosignature/v1);
-- brop.add_checkpoint with the rules of C2SP tlog-witness; checkpoints
-- under a witness policy; forks kept as proofs of misbehaviour.
-- A database of its own: the ledger starts empty.
CREATE DATABASE brop_witness;
\c brop_witness
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.did_alg(brop.create_key('ed25519', 'wt-node')), brop.did_alg(brop.create_key('ed25519', 'wt-org')),
       brop.did_alg(brop.create_key('ed25519', 'wt-w1')), brop.did_alg(brop.create_key('ed25519', 'wt-w2')),
       brop.did_alg(brop.create_key('ed25519', 'wt-other')), brop.did_alg(brop.create_key('p256', 'wt-p256'));
SELECT origin FROM brop.configure_ledger('example.org/wt', 'wt-node');

-- a ledger of three blocks
SELECT count(*) FROM (SELECT brop.submit_as('wt-org', 'evidence', brop.sha256(('doc ' || i)::bytea), 'n-' || i)
                        FROM generate_series(1, 5) i) s;
SELECT number, tree_size FROM brop.seal();
SELECT count(*) FROM (SELECT brop.submit_as('wt-org', 'evidence', brop.sha256(('doc ' || i)::bytea), 'n-' || i)
                        FROM generate_series(6, 6) i) s;
SELECT number, tree_size FROM brop.seal();
SELECT count(*) FROM (SELECT brop.submit_as('wt-org', 'evidence', brop.sha256(('doc ' || i)::bytea), 'n-' || i)
                        FROM generate_series(7, 11) i) s;
SELECT number, tree_size FROM brop.seal();

-- no witness yet
SELECT brop.witness_step();
SELECT brop.add_checkpoint(0, NULL, brop.checkpoint());
-- the witness: its verifier key (name, key id, 0x04 || public key)
SELECT brop.witness_vkey('w1.example', brop.key_did('wt-p256'));
SELECT brop.witness_vkey('w 1', brop.key_did('wt-w1'));
SELECT brop.witness_configure('w1.example', 'wt-p256');
SELECT brop.witness_configure('w1.example', 'no-such-key');
SELECT brop.witness_configure('w1.example', 'wt-w1') ~ '^w1\.example\+[0-9a-f]{8}\+B[A-Za-z0-9+/]{43}$' AS vkey;
SELECT vkey = brop.witness_vkey('w1.example', brop.key_did('wt-w1')) AS same FROM brop.witness_self;
-- the ledger copy's log must be watched
SELECT brop.witness_step();
SELECT brop.witness_watch('example org', brop.key_did('wt-node'));
SELECT brop.witness_watch('example.org/wt', brop.key_did('wt-p256'));
SELECT brop.witness_watch('example.org/wt', brop.key_did('wt-node'));
SELECT brop.witness_watch('example.org/wt', brop.key_did('wt-other'));
-- verified block by block and cosigned, each block once
SELECT brop.witness_step(0);
SELECT brop.witness_step(2);
SELECT brop.witness_step();
SELECT brop.witness_step();
SELECT tree_size, block, halted_at IS NULL AS cosigning FROM brop.witness_log;
SELECT tree_size, witness, line LIKE E'— w1.example %\n' AS line, length(line) FROM brop.cosignature ORDER BY tree_size;

-- the cosigned checkpoint, under witness policies
CREATE TEMP TABLE pol AS
  SELECT brop.witness_vkey('w1.example', brop.key_did('wt-w1')) AS w1,
         brop.witness_vkey('w2.example', brop.key_did('wt-w2')) AS w2,
         brop.checkpoint(NULL, true) AS note, brop.key_did('wt-node') AS log;
SELECT note = brop.checkpoint() || (SELECT line FROM brop.cosignature WHERE tree_size = 11) AS lines FROM pol;
SELECT brop.checkpoint(6, false) = brop.checkpoint(6) AS plain FROM pol;
SELECT brop.verify_checkpoint(note, log, ARRAY[w1], 1) AS one_of_one,
       brop.verify_checkpoint(note, log, ARRAY[w1, w2], 1) AS one_of_two,
       brop.verify_checkpoint(note, log, ARRAY[w1, w2], 2) AS two_of_two,
       brop.verify_checkpoint(note, log, ARRAY[]::text[], 0) AS none_needed,
       brop.verify_checkpoint(brop.checkpoint(), log, ARRAY[w1], 1) AS uncosigned,
       brop.verify_checkpoint(note, brop.key_did('wt-other'), ARRAY[w1], 0) AS other_log_key
  FROM pol;
-- a witness's line that does not verify fails the note: here, its cosignature of another checkpoint
SELECT brop.verify_checkpoint(brop.checkpoint() || (SELECT line FROM brop.cosignature WHERE tree_size = 6),
                              log, ARRAY[w1], 0) AS moved_line,
       brop.verify_checkpoint(brop.checkpoint() || (SELECT line FROM brop.cosignature WHERE tree_size = 6),
                              log, ARRAY[w2], 0) AS not_in_policy
  FROM pol;
SELECT brop.verify_checkpoint(note, log, ARRAY[w1], 2) FROM pol;
SELECT brop.verify_checkpoint(note, log, ARRAY[w1], -1) FROM pol;
SELECT brop.verify_checkpoint(note, log, ARRAY['example.org/wt+00000000+AQ=='], 0) FROM pol;
SELECT brop.verify_checkpoint(note, log, ARRAY[brop.witness_vkey('w1.example', log) ], 0) FROM pol;
SELECT brop.verify_checkpoint(note, log, ARRAY[NULL], 0) FROM pol;
SELECT brop.verify_checkpoint(note, log, ARRAY(SELECT w1 FROM generate_series(1, 65)), 0) FROM pol;
SELECT brop.verify_checkpoint('not a note', log, ARRAY[w1], 0) FROM pol;
-- the node's own policy: its checkpoints are final once it is met
SELECT brop.checkpoint_final() AS no_policy_final, brop.checkpoint_final(5) AS any_size;
SELECT brop.set_witness_policy(ARRAY[w1, w2], 2) FROM pol;
SELECT name, quorum FROM brop.witness_policy ORDER BY name;
SELECT brop.checkpoint_final() AS two_of_two;
SELECT brop.set_witness_policy(ARRAY[w1, w2, w1], 1) FROM pol;
SELECT brop.checkpoint_final() AS one_of_two, brop.checkpoint_final(6) AS block_2;
SELECT brop.set_witness_policy(ARRAY[w1], 2) FROM pol;
SELECT brop.set_witness_policy(ARRAY['w1+00+BA=='], 0);
SELECT brop.witness_name(w1) FROM pol;

-- add_checkpoint (C2SP tlog-witness) for another log, with proofs
CREATE TEMP TABLE other AS
  SELECT array_agg(brop.merkle_leaf_hash(convert_to('leaf ' || i, 'UTF8')) ORDER BY i) AS leaves,
         array_agg(brop.merkle_leaf_hash(convert_to(CASE WHEN i < 3 THEN 'leaf ' ELSE 'forged ' END || i, 'UTF8')) ORDER BY i) AS forked
    FROM generate_series(1, 12) i;
CREATE FUNCTION pg_temp.cp(leaves brop.digest[], n int) RETURNS text LANGUAGE sql AS $$
  SELECT brop.checkpoint_note('wt-other', 'example.org/other', n, (SELECT brop.merkle_root(h ORDER BY o)
           FROM unnest(leaves[1:n]) WITH ORDINALITY u(h, o)))
$$;
SELECT brop.add_checkpoint(0, NULL, pg_temp.cp(leaves, 5)) FROM other;
SELECT brop.witness_watch('example.org/other', brop.key_did('wt-other'));
SELECT brop.add_checkpoint(0, NULL, pg_temp.cp(leaves, 5)) LIKE '— w1.example %' AS cosigned FROM other;
-- the old size must be the size last cosigned (C2SP: 409 with that size)
SELECT brop.add_checkpoint(0, NULL, pg_temp.cp(leaves, 7)) FROM other;
SELECT brop.add_checkpoint(6, NULL, pg_temp.cp(leaves, 7)) FROM other;
SELECT brop.add_checkpoint(8, NULL, pg_temp.cp(leaves, 7)) FROM other;
SELECT brop.add_checkpoint(-1, NULL, pg_temp.cp(leaves, 7)) FROM other;
-- a proof is needed, of the right sizes, and it must verify
SELECT brop.add_checkpoint(5, NULL, pg_temp.cp(leaves, 7)) FROM other;
SELECT brop.add_checkpoint(5, brop.merkle_consistency_proof(leaves[1:7], 4), pg_temp.cp(leaves, 7)) FROM other;
SELECT brop.add_checkpoint(5, brop.merkle_consistency_proof(leaves[1:8], 5), pg_temp.cp(leaves, 7)) FROM other;
SELECT brop.add_checkpoint(5, brop.merkle_consistency_proof(leaves[1:7], 5), pg_temp.cp(leaves, 7)) LIKE '— w1.example %' AS cosigned
  FROM other;
-- not signed by the log's key; not a note; the same checkpoint again is cosigned again
SELECT brop.add_checkpoint(7, NULL, replace(pg_temp.cp(leaves, 7), E'\n7\n', E'\n8\n')) FROM other;
SELECT brop.add_checkpoint(7, NULL, 'example.org/other') FROM other;
SELECT brop.add_checkpoint(7, NULL, pg_temp.cp(leaves, 7)) LIKE '— w1.example %' AS again FROM other;
SELECT tree_size, checkpoint = pg_temp.cp(leaves, 7) AS kept FROM brop.witness_log, other WHERE origin = 'example.org/other';

-- a fork: the log's key signs a tree of 12 whose first 7 leaves are not those cosigned
SELECT brop.add_checkpoint(7, brop.merkle_consistency_proof(forked, 7), pg_temp.cp(forked, 12)) FROM other;
SELECT origin, checkpoint_b = pg_temp.cp(forked, 12) AS contradicting, proof IS NOT NULL AS has_proof
  FROM brop.misbehaviour, other;
SELECT halted_at IS NOT NULL AS halted, halted_reason FROM brop.witness_log WHERE origin = 'example.org/other';
SELECT brop.add_checkpoint(7, brop.merkle_consistency_proof(leaves[1:8], 7), pg_temp.cp(leaves, 8)) FROM other;
-- the proof verifies on its own, in either order; tampered, or of other sizes, it proves nothing
SELECT brop.verify_fork(checkpoint_a, checkpoint_b, brop.key_did('wt-other'), proof) AS fork,
       brop.verify_fork(checkpoint_b, checkpoint_a, brop.key_did('wt-other'), proof) AS either_order,
       brop.verify_fork(checkpoint_a, checkpoint_b, brop.key_did('wt-node'), proof) AS other_key,
       brop.verify_fork(checkpoint_a, checkpoint_b, brop.key_did('wt-other')) AS without_proof,
       brop.verify_fork(checkpoint_a, checkpoint_b, brop.key_did('wt-other'),
                        brop.merkle_consistency_proof(forked, 6)) AS other_sizes,
       brop.verify_fork(checkpoint_a, pg_temp.cp(leaves, 12), brop.key_did('wt-other'),
                        brop.merkle_consistency_proof(leaves, 7)) AS consistent
  FROM brop.misbehaviour, other;
-- one size, two roots: no proof needed
SELECT brop.verify_fork(pg_temp.cp(leaves, 9), pg_temp.cp(forked, 9), brop.key_did('wt-other')) AS same_size,
       brop.verify_fork(pg_temp.cp(leaves, 9), pg_temp.cp(leaves, 9), brop.key_did('wt-other')) AS same_checkpoint
  FROM other;
-- proofs of misbehaviour are append-only
UPDATE brop.misbehaviour SET proof = NULL;
DELETE FROM brop.misbehaviour;

-- a fork of one size found by the witness of this ledger copy
SELECT brop.witness_watch('example.org/same', brop.key_did('wt-other'));
SELECT brop.add_checkpoint(0, NULL, brop.checkpoint_note('wt-other', 'example.org/same', 4,
         (SELECT brop.merkle_root(h ORDER BY o) FROM unnest(leaves[1:4]) WITH ORDINALITY u(h, o)))) LIKE '— %' AS cosigned
  FROM other;
SELECT brop.add_checkpoint(4, NULL, brop.checkpoint_note('wt-other', 'example.org/same', 4,
         (SELECT brop.merkle_root(h ORDER BY o) FROM unnest(forked[1:4]) WITH ORDINALITY u(h, o)))) FROM other;
SELECT count(*) AS proofs, count(*) FILTER (WHERE proof IS NULL) AS of_one_size FROM brop.misbehaviour;
SELECT bool_and(brop.verify_fork(checkpoint_a, checkpoint_b, brop.key_did('wt-other'), proof)) AS all_verify
  FROM brop.misbehaviour;

-- this node's own ledger copy: a checkpoint of a smaller tree with another root
-- is a fork, proven from the copy's tiles
SELECT brop.add_checkpoint(3, NULL, brop.checkpoint_note('wt-node', 'example.org/wt', 3, brop.sha256('x'::bytea)));
SELECT proof::text LIKE 'consistency(3, 11) [%' AS proof_from_copy,
       brop.verify_fork(checkpoint_a, checkpoint_b, brop.key_did('wt-node'), proof) AS verifies
  FROM brop.misbehaviour WHERE origin = 'example.org/wt';
-- a power of two: the proof starts with the smaller tree's root as the copy has it
SELECT brop.witness_unwatch('example.org/wt'), brop.witness_unwatch('example.org/none');
SELECT brop.witness_watch('example.org/wt', brop.key_did('wt-node'));
SELECT brop.witness_step();
SELECT brop.add_checkpoint(4, NULL, brop.checkpoint_note('wt-node', 'example.org/wt', 4, brop.sha256('x'::bytea)));
SELECT proof::text LIKE 'consistency(4, 11) [%' AS proof_from_copy,
       brop.verify_fork(checkpoint_a, checkpoint_b, brop.key_did('wt-node'), proof) AS verifies
  FROM brop.misbehaviour WHERE origin = 'example.org/wt' AND checkpoint_b LIKE E'%\n4\n%';
-- a smaller tree that is the copy's own is no fork: only an old size
SELECT brop.witness_unwatch('example.org/wt');
SELECT brop.witness_watch('example.org/wt', brop.key_did('wt-node'));
SELECT brop.witness_step();
SELECT brop.add_checkpoint(5, NULL, brop.checkpoint(5));

-- a block whose entry was changed in the copy: the witness stops, and says where
SELECT count(*) FROM (SELECT brop.submit_as('wt-org', 'evidence', brop.sha256(('doc ' || i)::bytea), 'n-' || i)
                        FROM generate_series(12, 14) i) s;
SELECT number, tree_size FROM brop.seal();
ALTER TABLE brop.entry DISABLE TRIGGER append_only;
UPDATE brop.entry SET header = '{"changed":true}' WHERE nonce = 'n-13';
ALTER TABLE brop.entry ENABLE TRIGGER append_only;
SELECT brop.witness_step();
SELECT tree_size, halted_reason FROM brop.witness_log WHERE origin = 'example.org/wt';
SELECT brop.witness_step();
SELECT brop.add_checkpoint(11, brop.consistency_proof(11, 14), brop.checkpoint(14));

-- a long run of blocks (a first copy, a member back after a while): parallel
-- workers check the entries first, then the blocks are verified in order
SELECT brop.witness_unwatch('example.org/wt');
ALTER TABLE brop.entry DISABLE TRIGGER append_only;
UPDATE brop.entry SET header = '{}' WHERE nonce = 'n-13';
ALTER TABLE brop.entry ENABLE TRIGGER append_only;
SELECT count(*) FROM (SELECT brop.submit_as('wt-org', 'evidence', brop.sha256(('bulk ' || i)::bytea), 'bulk-' || i)
                        FROM generate_series(1, 5000) i) s;
SELECT number, tree_size FROM brop.seal();
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT brop.witness_watch('example.org/wt', brop.key_did('wt-node'));
SET client_min_messages = debug1;
SELECT brop.witness_step();
RESET client_min_messages;
SELECT tree_size, block, halted_at IS NULL AS cosigning FROM brop.witness_log WHERE origin = 'example.org/wt';
-- an entry changed far into the run: found by a worker, named at its position
SELECT brop.witness_unwatch('example.org/wt');
ALTER TABLE brop.entry DISABLE TRIGGER append_only;
UPDATE brop.entry SET header = '{"changed":true}' WHERE nonce = 'bulk-4000';
ALTER TABLE brop.entry ENABLE TRIGGER append_only;
SELECT brop.witness_watch('example.org/wt', brop.key_did('wt-node'));
SELECT brop.witness_step();
SELECT tree_size, block, halted_reason FROM brop.witness_log WHERE origin = 'example.org/wt';
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

\c brop_regress
DROP DATABASE brop_witness;
