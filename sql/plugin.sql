-- The brop output plugin (docs/registration.md, "Path 2"): registered
-- changes only, as row entries whose digests recompute from the rows
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
\set SHOW_CONTEXT never
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT brop.create_key('ed25519', 'pl-org') IS NOT NULL AS org_key;

CREATE TABLE pl_degree (student text PRIMARY KEY, name text NOT NULL, grade text, year int, notes text);
ALTER TABLE pl_degree REPLICA IDENTITY FULL;
ALTER TABLE pl_degree ALTER notes SET STORAGE EXTERNAL;	-- TOASTed, uncompressed
CREATE TABLE pl_other (a int PRIMARY KEY);
SELECT 'made' FROM pg_create_logical_replication_slot('pl_slot', 'brop');
SELECT name, capture FROM brop.register_table('pl_degree', '{student}', signing_key => 'pl-org', capture => 'plugin');

-- each change, and the document and key the plugin must digest for it
CREATE TEMP TABLE want (n serial, op text, row_key jsonb, doc jsonb);
CREATE FUNCTION pg_temp.want(op text, s text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO want (op, row_key, doc)
  SELECT op, jsonb_build_array(d.student),
         jsonb_build_object('student', d.student, 'name', d.name, 'grade', d.grade, 'year', d.year::text, 'notes', d.notes)
  FROM pl_degree d WHERE d.student = s
$$;
INSERT INTO pl_degree VALUES ('2026-0042', 'Ada Lovelace', 'A', NULL, repeat('n', 5000));
SELECT pg_temp.want('insert', '2026-0042');
INSERT INTO pl_other VALUES (1), (2);
UPDATE pl_degree SET grade = 'A+', year = 2026;	-- notes unchanged: TOASTed, not in the WAL
SELECT pg_temp.want('update', '2026-0042');
UPDATE pl_degree SET grade = 'A+';				-- no registered column changes: nothing
BEGIN;
INSERT INTO pl_degree VALUES ('2026-0043', 'Grace Hopper', 'B', 2026, NULL);
SELECT pg_temp.want('insert', '2026-0043');
UPDATE pl_degree SET grade = 'A' WHERE student = '2026-0043';
SELECT pg_temp.want('update', '2026-0043');
COMMIT;
-- a new key: the old row ends, a new one begins
INSERT INTO want (op, row_key, doc) SELECT 'delete', row_key, doc FROM want WHERE n = 4;
UPDATE pl_degree SET student = '2026-0044' WHERE student = '2026-0043';
SELECT pg_temp.want('insert', '2026-0044');
INSERT INTO want (op, row_key, doc) SELECT 'delete', row_key, doc FROM want WHERE n = 2;
DELETE FROM pl_degree WHERE student = '2026-0042';
BEGIN;
INSERT INTO pl_degree VALUES ('2026-0045', 'Rolled', 'C', 2026, NULL);
ROLLBACK;

CREATE TEMP TABLE got AS
  SELECT row_number() OVER () AS i, lsn, data::jsonb AS line
  FROM pg_logical_slot_peek_changes('pl_slot', NULL, NULL, 'org', brop.key_did('pl-org')::text);
-- the lines: a begin and a commit around each transaction with registered
-- changes; the others give position lines (at most one a second)
SELECT row_number() OVER (ORDER BY i) AS i, coalesce(line->>'type', line->>'kind') AS line,
       line->'header'->>'op' AS op,
       CASE WHEN line ? 'commit_lsn' THEN (line->>'commit_lsn')::pg_lsn <= (line->>'end_lsn')::pg_lsn END AS lsns_ordered
FROM got WHERE line->>'type' IS DISTINCT FROM 'position' ORDER BY i;
SELECT count(*) >= 1 AS position_lines, bool_and((line->>'end_lsn')::pg_lsn <= lsn) AS at_their_transactions
FROM got WHERE line->>'type' = 'position';
-- every row entry: its members, and its digest from the row, its key and its version
SELECT w.n, w.op, e.line->'header'->>'op' = w.op AS same_op,
       e.line->>'payload_digest' = brop.row_digest(w.doc,
         brop.row_salt('public.pl_degree', w.row_key, (e.line->'header'->>'version')::bigint))::text AS digest_recomputes,
       e.line->>'chain_key' = brop.row_chain_key('public.pl_degree', w.row_key) AS chain_key,
       e.line->>'nonce' = 'row-' || split_part(e.line->>'chain_key', ':', 3) || '-' || (e.line->'header'->>'version') AS nonce,
       e.line->>'org' = brop.key_did('pl-org')::text AS org,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(e.line) k) AS members
FROM (SELECT row_number() OVER (ORDER BY i) AS n, line FROM got WHERE line->>'kind' = 'row') e
JOIN want w USING (n) ORDER BY w.n;
SELECT count(*) = (SELECT count(*) FROM want) AS as_many_entries_as_changes FROM got WHERE line->>'kind' = 'row';
-- the registration entry announces the columns, digested as register_table's
SELECT line->'header' AS header,
       line->>'payload_digest' = brop.sha256(convert_to(brop.jcs(line->'header'), 'UTF8'))::text AS digest
FROM got WHERE line->>'kind' = 'registration';
-- commit_time: RFC 3339 in UTC, whatever the decoding session's TimeZone and DateStyle
SET TimeZone = 'Asia/Kolkata';
SET DateStyle = 'SQL, DMY';
SELECT count(*) AS begin_lines,
       bool_and(line->>'commit_time' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$') AS rfc3339_utc,
       bool_and((line->>'commit_time')::timestamptz BETWEEN to_timestamp(:t0) AND now()) AS at_commit
FROM (SELECT data::jsonb AS line FROM pg_logical_slot_peek_changes('pl_slot', NULL, NULL)) s
WHERE line->>'type' = 'begin';
RESET TimeZone;
RESET DateStyle;

-- TRUNCATE is recorded; a table without REPLICA IDENTITY FULL is refused
TRUNCATE pl_degree;
SELECT line - 'lsn' AS line, line ? 'lsn' AS has_lsn
FROM (SELECT data::jsonb AS line FROM pg_logical_slot_peek_changes('pl_slot', NULL, NULL)) s
WHERE line->>'type' = 'truncate';
SELECT count(*) > 0 FROM pg_logical_slot_get_changes('pl_slot', NULL, NULL);
ALTER TABLE pl_degree REPLICA IDENTITY DEFAULT;
INSERT INTO pl_degree VALUES ('2026-0046', 'Identity', 'A', 2026, NULL);
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_slot', NULL, NULL);
ALTER TABLE pl_degree REPLICA IDENTITY FULL;
SELECT pg_drop_replication_slot('pl_slot');

-- bad options
SELECT 'made' FROM pg_create_logical_replication_slot('pl_opts', 'brop');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'colour', 'red');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'org', 'did:web:example.org');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations', '{}');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations', '[{"name":"x"}]');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations',
  '[{"name":"x","table":"public.pl_other","key_columns":["a"],"columns":["a"],"colour":1}]');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations',
  '[{"name":"x","table":"public.pl_other","key_columns":["a"],"columns":["a"],"profile":2}]');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations',
  '[{"name":"x","table":"public.pl_other","key_columns":[],"columns":["a"]}]');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations',
  '[{"name":"x","table":"public.pl_other","key_columns":["a"],"columns":["a"]},
    {"name":"x","table":"public.pl_degree","key_columns":["student"],"columns":["name"]}]');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations', 'not json');
-- names quoted to 64 characters; at most 1000 registrations and 1600 columns each, counted first
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, repeat('o', 100), 'red');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations',
  '[{"name":"x","table":"public.' || repeat('t', 100) || '","key_columns":["a"],"columns":["a"]},
    {"name":"y","table":"public.' || repeat('t', 100) || '","key_columns":["a"],"columns":["a"]}]');
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations',
  (SELECT json_agg(json_build_object('name', 'r' || i, 'table', 'public.t' || i,
                                     'key_columns', ARRAY['a'], 'columns', ARRAY['a']))::text
   FROM generate_series(1, 1001) i));
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_opts', NULL, NULL, 'registrations',
  json_build_array(json_build_object('name', 'x', 'table', 'public.pl_other', 'key_columns', ARRAY['a'],
                                     'columns', array_fill('a'::text, ARRAY[1601])))::text);

-- registrations from the options, where the extension need not be: a
-- table the catalog does not register (profile 3: the row in the header)
ALTER TABLE pl_other REPLICA IDENTITY FULL;
SELECT 'made' FROM pg_create_logical_replication_slot('pl_bare', 'brop');
INSERT INTO pl_other VALUES (3);
UPDATE pl_other SET a = 4 WHERE a = 3;
DELETE FROM pl_other WHERE a = 4;
SELECT line->'header'->>'op' AS op, line->'header'->'row' AS row, line ? 'org' AS has_org,
       line->>'payload_digest' = brop.row_digest(line->'header'->'row',
         brop.decode(line->'header'->>'salt', 'base64url'))::text AS digest_recomputes
FROM (SELECT data::jsonb AS line FROM pg_logical_slot_peek_changes('pl_bare', NULL, NULL, 'registrations',
  '[{"name":"other","table":"public.pl_other","key_columns":["a"],"columns":["a"],"profile":3}]')) s
WHERE line ? 'kind';
-- a table that does not exist
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_bare', NULL, NULL, 'registrations',
  '[{"name":"gone","table":"public.no_such_table","key_columns":["a"],"columns":["a"]}]');
SELECT pg_drop_replication_slot('pl_bare');
SELECT pg_drop_replication_slot('pl_opts');
-- a table without REPLICA IDENTITY FULL: decoding stops at its first change
CREATE TABLE pl_noident (a int PRIMARY KEY);
SELECT 'made' FROM pg_create_logical_replication_slot('pl_noident', 'brop');
INSERT INTO pl_noident VALUES (1);
SELECT count(*) FROM pg_logical_slot_peek_changes('pl_noident', NULL, NULL, 'registrations',
  '[{"name":"noident","table":"public.pl_noident","key_columns":["a"],"columns":["a"]}]');
SELECT pg_drop_replication_slot('pl_noident');

-- DROP EXTENSION brop (or DROP SCHEMA brop) is refused while a brop slot of
-- this database exists: its changes could not be decoded without the extension
SELECT 'made' FROM pg_create_logical_replication_slot('pl_keep', 'brop');
DROP EXTENSION brop;
DROP EXTENSION IF EXISTS brop CASCADE;
DROP SCHEMA brop CASCADE;
CREATE SCHEMA pl_unrelated;
DROP SCHEMA pl_unrelated;	-- other drops are not concerned
SELECT count(*) >= 1 AS decodes FROM pg_logical_slot_get_changes('pl_keep', NULL, NULL);
SELECT pg_drop_replication_slot('pl_keep');
-- without the slot, the drop goes through (rolled back here)
BEGIN;
DROP EXTENSION brop;
SELECT count(*) FROM pg_extension WHERE extname = 'brop';
ROLLBACK;
SELECT count(*) FROM pg_extension WHERE extname = 'brop';
