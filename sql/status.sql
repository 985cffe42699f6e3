-- brop.status: one row per component, with a state and a level to alert on.
-- Here brop is not preloaded: no sealing worker (state off); the sealer's
-- errors are in test/t/009_sealer_retry.pl.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_status;
CREATE DATABASE brop_status;
\c brop_status
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SET brop.salt_key_file = '../../keys/salt.key';
-- the shape
SELECT a.attname, format_type(a.atttypid, a.atttypmod), col_description(a.attrelid, a.attnum) IS NOT NULL AS commented
  FROM pg_attribute a WHERE a.attrelid = 'brop.status'::regclass AND a.attnum > 0 ORDER BY a.attnum;
SELECT obj_description('brop.status'::regclass) IS NOT NULL AS commented;
SELECT has_table_privilege('public', 'brop.status', 'SELECT') AS public_reads,
       has_table_privilege('pg_monitor', 'brop.status', 'SELECT') AS pg_monitor_reads;
SELECT preloaded, pid, database, last_run, last_success, failures, last_error, last_error_at FROM brop.sealer();
-- a new node
SELECT component, name, state, level, count, since IS NOT NULL AS since, error, error_at
  FROM brop.status;
SELECT detail FROM brop.status WHERE component IN ('node', 'sealer');
-- configured, an entry pending, a captured row queued
SELECT brop.did_alg(brop.create_key('ed25519', 'st-node'));
SELECT brop.configure_ledger('example.org/brop-status', 'st-node') IS NOT NULL AS configured;
SELECT (brop.submit_as('st-node', 'evidence', brop.sha256('1'::bytea), 'st-1')).id;
CREATE TABLE st_grade (id int PRIMARY KEY, grade text);
SELECT name FROM brop.register_table('st_grade', '{id}', signing_key => 'st-node');
INSERT INTO st_grade VALUES (1, 'A'), (2, 'B');
INSERT INTO st_grade VALUES (3, 'C');
SELECT component, name, state, level, count, since IS NOT NULL AS since, age >= '0'::interval AS age
  FROM brop.status WHERE component IN ('node', 'pending', 'capture_queue', 'last_block');
SELECT regexp_replace(detail, '\d+ transactions old', 'N transactions old') FROM brop.status WHERE component = 'capture_queue';
-- a late pending entry (its time moved back): late after 10 block intervals or
-- a minute; critical after ten times that
BEGIN;
ALTER TABLE brop.entry DISABLE TRIGGER append_only;
UPDATE brop.entry SET submitted_at = now() - interval '1 hour';
SELECT component, state, level FROM brop.status WHERE component = 'pending';
UPDATE brop.entry SET submitted_at = now() - interval '5 minutes';
SELECT component, state, level FROM brop.status WHERE component = 'pending';
ROLLBACK;
-- sealed: both empty, a block
SELECT number FROM brop.seal();
SELECT component, state, level, count, since IS NOT NULL AS since
  FROM brop.status WHERE component IN ('pending', 'capture_queue', 'last_block');
-- a relayed source without its relay connected is down; with it, ok, then idle
INSERT INTO brop.source_position VALUES ('st-src', brop.key_did('st-node'), '0/16B3748', NULL, 3, now());
SELECT component, name, state, level, count, regexp_replace(detail, 'did:key:\w+', 'did:key:...') AS detail
  FROM brop.status WHERE component = 'source';
SET application_name = 'brop relay st-src';
SELECT component, name, state, level FROM brop.status WHERE component = 'source';
UPDATE brop.source_position SET updated_at = now() - interval '2 minutes', changes = 1;
SELECT component, name, state, level, regexp_replace(detail, 'did:key:\w+', 'did:key:...') AS detail
  FROM brop.status WHERE component = 'source';
RESET application_name;
\c brop_regress
SET client_min_messages = warning;
DROP DATABASE brop_status;
