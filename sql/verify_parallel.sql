-- brop.verify_ledger() on every core (docs/ledger.md, "On every core"):
-- parallel workers check the entries (leaf hash and signature) while the
-- leader checks the log, its tiles and blocks; the answer is the one the
-- serial pass gives, also when several entries are bad, and whichever
-- process meets the first. In a database of its own, so positions are fixed.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_parallel;
CREATE DATABASE brop_regress_parallel;
\c brop_regress_parallel
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.did_alg(brop.create_key('ed25519', 'vp-node'));
SELECT brop.did_alg(brop.create_key('ed25519', 'vp-org'));
SELECT brop.did_alg(brop.create_key('ed25519', 'vp-impostor'));
SELECT origin FROM brop.configure_ledger('example.org/brop', 'vp-node');

-- 1020 entries in four blocks: positions 0-299, 300-599, 600-899, 900-1019
DO $$
BEGIN
  FOR b IN 0 .. 3 LOOP
    PERFORM brop.submit_as('vp-org', 'evidence', brop.sha256(i::text::bytea), 'n-' || i)
      FROM generate_series(b * 300 + 1, least(b * 300 + 300, 1020)) i;
    PERFORM brop.seal();
  END LOOP;
END
$$;
SELECT number, first_position, tree_size FROM brop.block ORDER BY number;
CREATE FUNCTION pg_temp.pos(n text) RETURNS bigint LANGUAGE sql
  AS $$ SELECT l.position FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry WHERE e.nonce = n $$;
SELECT pg_temp.pos('n-1') AS first, pg_temp.pos('n-500') AS middle, pg_temp.pos('n-1020') AS last;

-- its statements are not compiled with JIT (a fixed cost, 0.45 s, for nothing)
SELECT proconfig FROM pg_proc WHERE oid = 'brop.verify_ledger(brop.did, boolean)'::regprocedure;

-- How many workers: as for a parallel scan of brop.entry. This one is
-- smaller than min_parallel_table_scan_size: none, the entries are checked
-- in the pass (the first message says so)
\set VERBOSITY terse
SET brop.progress_interval = 1020;
SHOW max_parallel_workers_per_gather;
SELECT ok, entries, blocks FROM brop.verify_ledger();
-- any size once the setting allows it: max_parallel_workers_per_gather
-- workers (the leader checks entries too once its pass is done)
SET min_parallel_table_scan_size = 0;
SELECT * FROM brop.verify_ledger();
SELECT ok, entries FROM brop.verify_ledger(signatures => false);
-- progress counts the entries the workers have checked, every interval as before
SET brop.progress_interval = 300;
SELECT ok FROM brop.verify_ledger();
SET brop.progress_interval = 1020;
SET max_parallel_workers_per_gather = 1;
SELECT ok FROM brop.verify_ledger();
-- none: the serial pass
SET max_parallel_workers_per_gather = 0;
SELECT ok FROM brop.verify_ledger();
RESET max_parallel_workers_per_gather;
-- the table's parallel_workers setting instead, as the planner takes it
ALTER TABLE brop.entry SET (parallel_workers = 1);
SELECT ok FROM brop.verify_ledger();
ALTER TABLE brop.entry RESET (parallel_workers);
-- no worker free (max_parallel_workers): the serial pass
SET max_parallel_workers = 0;
SELECT ok FROM brop.verify_ledger();
RESET max_parallel_workers;
RESET brop.progress_interval;

-- Each case below: the answer with two workers, and whether the serial
-- pass (max_parallel_workers_per_gather = 0) gives the same row.
CREATE FUNCTION pg_temp.verify_both(signatures boolean DEFAULT true,
    OUT ok boolean, OUT entries bigint, OUT blocks bigint, OUT first_bad_position bigint, OUT problem text,
    OUT serial_agrees boolean)
  LANGUAGE plpgsql AS $$
DECLARE
  s record;
BEGIN
  PERFORM pg_catalog.set_config('max_parallel_workers_per_gather', '0', true);
  SELECT * INTO s FROM brop.verify_ledger(signatures => signatures);
  PERFORM pg_catalog.set_config('max_parallel_workers_per_gather', '2', true);
  SELECT * INTO ok, entries, blocks, first_bad_position, problem FROM brop.verify_ledger(signatures => signatures);
  serial_agrees := (s.ok, s.entries, s.blocks, s.first_bad_position, s.problem)
    IS NOT DISTINCT FROM (ok, entries, blocks, first_bad_position, problem);
END
$$;
SELECT * FROM pg_temp.verify_both();
SELECT * FROM pg_temp.verify_both(signatures => false);

-- one entry in the middle changed
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-500';
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
-- the first and the last position
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET payload_digest = brop.sha256('forged'::bytea) WHERE nonce = 'n-1';
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET payload_digest = brop.sha256('forged'::bytea) WHERE nonce = 'n-1020';
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
-- several bad entries: the first is named, whatever its problem and
-- whichever process checks it
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce IN ('n-900', 'n-1000');
UPDATE brop.entry SET signature = brop.sign('vp-impostor', 'x') WHERE nonce = 'n-700';
UPDATE brop.entry e SET digest = brop.entry_digest(e) WHERE nonce = 'n-700';
SELECT * FROM pg_temp.verify_both();
UPDATE brop.entry SET signature = brop.sign('vp-impostor', 'x') WHERE nonce = 'n-100';
UPDATE brop.entry e SET digest = brop.entry_digest(e) WHERE nonce = 'n-100';
SELECT * FROM pg_temp.verify_both();
-- without signatures, the signatures are not the problem
SELECT * FROM pg_temp.verify_both(signatures => false);
ROLLBACK;
-- a position missing before a bad entry stops the pass there; one after it does not count
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-800';
DELETE FROM brop.log_leaf WHERE position = 600;
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-301';
DELETE FROM brop.log_leaf WHERE position = 700;
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
-- the last entry moved far beyond the log, and changed: the pass stops
-- where it is missing, and what lies beyond does not count
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-1020';
UPDATE brop.log_leaf SET position = 1000000000000 WHERE position = 1019;
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
-- a missing entry (the leader's) before and after a bad one (a worker's)
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-200';
DELETE FROM brop.entry WHERE nonce = 'n-100';
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-100';
DELETE FROM brop.entry WHERE nonce = 'n-200';
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
-- a bad entry whose stored leaf hash (tile (0, 28), its second hash) is
-- wrong too: the entry's problem is the one named at that position
BEGIN; SET LOCAL session_replication_role = replica;
SELECT pg_temp.pos('n-450') AS p450;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-450';
UPDATE brop.log_tile SET hashes = set_byte(hashes, 32, get_byte(hashes, 32) # 1) WHERE level = 0 AND idx = 28;
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
-- a block's problem ending before a bad entry is named; one around it is not
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-800';
UPDATE brop.block SET root = brop.sha256('forged'::bytea) WHERE number = 2;
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE brop.entry SET header = '{"title":"forged"}' WHERE nonce = 'n-800';
UPDATE brop.block SET root = brop.sha256('forged'::bytea) WHERE number = 3;
SELECT * FROM pg_temp.verify_both();
ROLLBACK;
-- an error in a worker (an entry it cannot read) fails the call, as in the
-- serial pass
BEGIN; SET LOCAL session_replication_role = replica;
ALTER TABLE brop.entry ALTER submitted_at DROP NOT NULL;
UPDATE brop.entry SET submitted_at = NULL WHERE nonce = 'n-640';
SAVEPOINT s;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT ok FROM brop.verify_ledger();
ROLLBACK TO s;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT ok FROM brop.verify_ledger();
ROLLBACK;
-- and after all of this, a sound ledger again
SELECT * FROM pg_temp.verify_both();

\c :regress_db
DROP DATABASE brop_regress_parallel;
