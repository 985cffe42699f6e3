-- Progress of long work (docs/operations.md, "Progress of long work"):
-- brop.verify_ledger() and brop.seal() send a NOTICE when each phase starts
-- and every brop.progress_interval entries, once the work counts at least
-- that many; the primary text holds counts only (the detail, hidden here by
-- VERBOSITY terse, has the time, the rate and an estimate). In a database
-- of its own, so positions are fixed.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_progress;
CREATE DATABASE brop_regress_progress;
\c brop_regress_progress
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.did_alg(brop.create_key('ed25519', 'pr-node'));
SELECT brop.did_alg(brop.create_key('ed25519', 'pr-org'));
SELECT origin FROM brop.configure_ledger('example.org/brop', 'pr-node');
\set VERBOSITY terse
SHOW brop.progress_interval;

-- fewer entries than the interval: silent
SET brop.progress_interval = 30;
SELECT count(brop.submit_as('pr-org', 'evidence', brop.sha256(i::text::bytea), 'n-' || i))
  FROM generate_series(1, 25) i;
SELECT number, tree_size FROM brop.seal();
SELECT ok, entries, blocks FROM brop.verify_ledger();

-- as many as the interval, or more: each phase and every 10 entries
SET brop.progress_interval = 10;
SELECT count(brop.submit_as('pr-org', 'evidence', brop.sha256(i::text::bytea), 'n-' || i))
  FROM generate_series(26, 50) i;
SELECT number, tree_size FROM brop.seal();
SELECT * FROM brop.verify_ledger();
SELECT ok FROM brop.verify_ledger(signatures => false);
SET brop.progress_interval = 50;
SELECT ok FROM brop.verify_ledger();

-- 0: no messages; a value above the log's size: none either
SET brop.progress_interval = 0;
SELECT ok FROM brop.verify_ledger();
SET brop.progress_interval = 51;
SELECT ok FROM brop.verify_ledger();
SET brop.progress_interval = -1;
SET brop.progress_interval = 'many';
RESET brop.progress_interval;

-- a problem found stops the pass: the rows beside the log are not checked
SET brop.progress_interval = 10;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE brop.log_leaf SET position = 100 WHERE position = 44;
SELECT ok, entries, first_bad_position, problem FROM brop.verify_ledger();
ROLLBACK;

-- pg_stat_activity.query, which shows the progress to other sessions while
-- the work runs, is the caller's query again after it: also after a failure
CREATE FUNCTION pg_temp.own_query() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_catalog.pg_stat_clear_snapshot();
  RETURN (SELECT query FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid());
END
$$;
CREATE FUNCTION pg_temp.after_verify() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM brop.verify_ledger();
  RETURN pg_temp.own_query();
END
$$;
SELECT pg_temp.after_verify() AS query;
CREATE FUNCTION pg_temp.after_failed_seal() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    PERFORM brop.submit_as('pr-org', 'evidence', brop.sha256('x'::bytea), 'n-x');
    INSERT INTO brop.pending VALUES (5000, NULL);
    PERFORM brop.seal();
  EXCEPTION WHEN data_corrupted THEN
    RAISE NOTICE 'the seal failed: %', SQLERRM;
  END;
  RETURN pg_temp.own_query();
END
$$;
SELECT pg_temp.after_failed_seal() AS query;
RESET brop.progress_interval;

\c :regress_db
DROP DATABASE brop_regress_progress;
