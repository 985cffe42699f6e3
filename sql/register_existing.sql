-- Registering a table that already holds rows (docs/registration.md, "Rows
-- already in the table"): with the capture trigger each row becomes version
-- 1 of its chain with op "existing", through the capture queue; a
-- partitioned table's rows too; through the output plugin each row crosses
-- the WAL as a row line of op "existing". In a database of its own.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_existing;
CREATE DATABASE brop_regress_existing;
\c brop_regress_existing
SET client_min_messages = warning;
CREATE EXTENSION brop;
SELECT brop.create_key('ed25519', 'school') IS NOT NULL AS school_key,
       brop.create_key('ed25519', 'node') IS NOT NULL AS node_key;
RESET client_min_messages;
SELECT brop.configure_ledger('existing.example/brop', 'node') IS NOT NULL AS configured;

-- three rows before the registration; the registering transaction's own row too
CREATE TABLE pupils (id int PRIMARY KEY, name text NOT NULL, grade text);
INSERT INTO pupils VALUES (1, 'Ada', 'A'), (2, 'Grace', 'B');
BEGIN;
INSERT INTO pupils VALUES (3, 'Edsger', NULL);
SELECT name FROM brop.register_table('pupils', '{id}', signing_key => 'school');
-- a change after it in the same transaction is captured once, after it
UPDATE pupils SET grade = 'A+' WHERE id = 1;
COMMIT;
-- nothing is an entry before the drain: the rows wait in the capture queue
SELECT count(*) AS row_entries FROM brop.entry WHERE kind = 'row';
SELECT count(*) > 0 AS queued FROM brop.capture_queue;
SELECT tree_size > 0 AS sealed FROM brop.seal();
SELECT header->>'op' AS op, header->>'version' AS version, prev_digest IS NOT NULL AS linked,
       nonce LIKE 'row-%-' || (header->>'version') AS nonce_is_version
  FROM brop.entry WHERE kind = 'row' ORDER BY id;
-- the next UPDATE of an old row is its version 2, a DELETE follows its version 1
UPDATE pupils SET grade = 'C' WHERE id = 2;
DELETE FROM pupils WHERE id = 3;
SELECT tree_size > 0 AS sealed FROM brop.seal();
SELECT k.id, e.header->>'op' AS op, e.header->>'version' AS version,
       e.prev_digest = (SELECT p.digest FROM brop.entry p WHERE p.chain_key = e.chain_key
                         AND p.header->>'version' = '1') AS follows_version_1
  FROM (VALUES (2), (3)) k(id)
  JOIN brop.entry e ON e.chain_key = brop.row_chain_key('public.pupils', jsonb_build_array(k.id::text))
 WHERE e.header->>'version' = '2' ORDER BY k.id;
SELECT k.id, c.ok, c.entries, c.problem
  FROM (VALUES (1), (2), (3)) k(id),
       LATERAL brop.verify_chain(brop.row_chain_key('public.pupils', jsonb_build_array(k.id::text))) c ORDER BY k.id;
-- an existing row's digest is of its document under the salt of version 1
SELECT payload_digest = brop.row_digest(brop.row_document('pupils', '["2"]') - 'grade' || '{"grade": "B"}',
                                        brop.row_salt('public.pupils', '["2"]', 1)) AS digest_recomputed
  FROM brop.entry WHERE chain_key = brop.row_chain_key('public.pupils', '["2"]') AND header->>'version' = '1';
SELECT ok, problem FROM brop.verify_ledger();
-- and it is disclosed as any row (brop verify --disclosure: TAP 011_disclosure)
SELECT b->'document' AS document, (b->>'entry')::jsonb->'header' AS header
  FROM (SELECT brop.disclosure('pupils', '["1"]')::jsonb AS b) s;

-- A partitioned table: rows in each partition, one of which numbers its
-- columns otherwise (a dropped column), registered; later changes through
-- the root and into a partition are captured with the root's registration.
CREATE TABLE shifts (id int PRIMARY KEY, who text, room int) PARTITION BY RANGE (id);
CREATE TABLE shifts_low PARTITION OF shifts FOR VALUES FROM (0) TO (100);
CREATE TABLE shifts_high (gone int, room int, id int NOT NULL, who text);
ALTER TABLE shifts_high DROP COLUMN gone;
ALTER TABLE shifts ATTACH PARTITION shifts_high FOR VALUES FROM (100) TO (1000);
INSERT INTO shifts VALUES (5, 'night', 1), (150, 'day', 2), (151, 'dawn', NULL);
SELECT name FROM brop.register_table('shifts', '{id}', '{id,who,room}', signing_key => 'school');
INSERT INTO shifts VALUES (6, 'late', 3);
INSERT INTO shifts_high (id, who, room) VALUES (152, 'noon', 4);
UPDATE shifts SET who = 'evening' WHERE id = 150;
UPDATE shifts SET id = 7 WHERE id = 151;
SELECT tree_size > 0 AS sealed FROM brop.seal();
SELECT e.header->>'op' AS op, e.header->>'version' AS version,
       (SELECT min(k) FROM (VALUES (5), (6), (7), (150), (151), (152)) v(k)
         WHERE brop.row_chain_key('public.shifts', jsonb_build_array(k::text)) = e.chain_key) AS id
  FROM brop.entry e WHERE e.header->>'registration' = 'public.shifts' AND e.kind = 'row' ORDER BY e.id;
-- the documents of rows from both partitions are those the trigger digested
SELECT k.id, e.payload_digest = brop.row_digest(brop.row_document('shifts', jsonb_build_array(k.id::text)),
                                                brop.row_salt('public.shifts', jsonb_build_array(k.id::text),
                                                              (e.header->>'version')::bigint)) AS digest_recomputed
  FROM (VALUES (5), (6), (150), (152)) k(id)
  JOIN brop.entry e ON e.chain_key = brop.row_chain_key('public.shifts', jsonb_build_array(k.id::text))
 WHERE e.id = (SELECT max(id) FROM brop.entry x WHERE x.chain_key = e.chain_key) ORDER BY k.id;
SELECT ok, problem FROM brop.verify_ledger();
-- TRUNCATE of a partition is refused as the root's is (PostgreSQL clones row
-- triggers only: each partition has its own); unregistering drops them all
TRUNCATE shifts_low;
SELECT brop.unregister_table('shifts') > 0 AS unregistered;
SELECT count(*) AS capture_triggers FROM pg_trigger
 WHERE tgrelid IN ('shifts'::regclass, 'shifts_low'::regclass, 'shifts_high'::regclass);

-- Through the output plugin: the rows cross the WAL after the registration,
-- each a row line of op "existing" whose version is its message's LSN
SELECT 'made' FROM pg_create_logical_replication_slot('existing_slot', 'brop');
CREATE TABLE relayed (id int PRIMARY KEY, v text, big text);
ALTER TABLE relayed REPLICA IDENTITY FULL;
INSERT INTO relayed VALUES (1, 'one', NULL),
  (2, 'two', (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g));  -- TOASTed
SELECT name FROM brop.register_table('relayed', '{id}', signing_key => 'school', capture => 'plugin');
UPDATE relayed SET v = 'uno' WHERE id = 1;
-- a message of the same prefix from a transaction that did not register the table is skipped
SELECT pg_logical_emit_message(true, 'brop-existing-row',
  int4send('relayed'::regclass::oid::int) || '\x00000000000000000000000000000000000000000000'::bytea) IS NOT NULL AS emitted;
SELECT s.line->>'kind' AS kind, s.line->'header'->>'op' AS op,
       (s.line->'header'->>'version')::numeric = s.lsn - '0/0' AS version_is_lsn,
       (SELECT min(k) FROM (VALUES (1), (2)) v(k)
         WHERE brop.row_chain_key('public.relayed', jsonb_build_array(k::text)) = s.line->>'chain_key') AS id
  FROM (SELECT lsn, data::jsonb AS line FROM pg_logical_slot_peek_changes('existing_slot', NULL, NULL)) s
 WHERE s.line->>'kind' IS NOT NULL ORDER BY s.lsn;
-- the digests are the rows' (the TOASTed value's included), under the salt of their version
SELECT k.id, s.line->'header'->>'op' AS op,
       s.line->>'payload_digest' = encode(brop.bytea(brop.row_digest(brop.row_document('relayed', jsonb_build_array(k.id::text)),
         brop.row_salt('public.relayed', jsonb_build_array(k.id::text), (s.line->'header'->>'version')::bigint))), 'hex')
         AS digest_recomputed
  FROM (SELECT data::jsonb AS line FROM pg_logical_slot_peek_changes('existing_slot', NULL, NULL)) s
  JOIN (VALUES (1), (2)) k(id) ON brop.row_chain_key('public.relayed', jsonb_build_array(k.id::text)) = s.line->>'chain_key'
 WHERE s.line->'header'->>'op' IN ('update', 'existing') AND (k.id = 2 OR s.line->'header'->>'op' = 'update')
 ORDER BY k.id;
SELECT pg_drop_replication_slot('existing_slot') IS NOT NULL AS dropped;
-- a partitioned table with rows is refused: the plugin registers no partition's changes yet
CREATE TABLE relayed_parts (id int PRIMARY KEY) PARTITION BY RANGE (id);
CREATE TABLE relayed_parts_1 PARTITION OF relayed_parts FOR VALUES FROM (0) TO (10);
ALTER TABLE relayed_parts REPLICA IDENTITY FULL;
INSERT INTO relayed_parts VALUES (1);
SELECT name FROM brop.register_table('relayed_parts', '{id}', signing_key => 'school', capture => 'plugin');

-- A large table: a NOTICE every 100,000 rows and one with the count; a
-- cancelled registration (statement_timeout) leaves nothing registered.
CREATE TABLE big (id int PRIMARY KEY, v text);
INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 250000) g;
SELECT count(*) AS entries_before FROM brop.entry \gset
SET statement_timeout = '10ms';
\set VERBOSITY terse
SELECT name FROM brop.register_table('big', '{id}', signing_key => 'school');
\set VERBOSITY default
RESET statement_timeout;
SELECT count(*) AS registrations FROM brop.registration WHERE name = 'public.big';
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'big'::regclass;
SELECT count(*) AS queued FROM brop.capture_queue;
SELECT count(*) - :entries_before AS new_entries FROM brop.entry;
SELECT name FROM brop.register_table('big', '{id}', signing_key => 'school');
SET brop.progress_interval = 0;  -- the seal's own progress messages are test 013_progress's
SELECT tree_size > 0 AS sealed FROM brop.seal();
RESET brop.progress_interval;
SELECT header->>'op' AS op, header->>'version' AS version, count(*) AS entries, count(DISTINCT chain_key) AS chains
  FROM brop.entry WHERE header->>'registration' = 'public.big' AND kind = 'row' GROUP BY 1, 2;
-- signed in batches (docs/formats.md, "Batch signatures"), as any captured change
SELECT count(DISTINCT substr(signature, length(signature) - 63)) AS batch_signatures,
       bool_and(get_byte(signature, 0) = 98) AS batch_forms
  FROM brop.entry WHERE header->>'registration' = 'public.big' AND kind = 'row';
SELECT count(*) AS queued FROM brop.capture_queue;

\c :regress_db
DROP DATABASE brop_regress_existing;
