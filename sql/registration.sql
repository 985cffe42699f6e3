-- Registered rows: the digest of a disclosed row (docs/formats.md, "Row
-- digests"), with the worked example computed independently
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

-- version 1 and version 2 of the example row, each under its salt
SELECT brop.row_digest('{"student":"2026-0042","name":"Ada Lovelace","grade":"A","year":null}',
  '\xc252cb8224b05212c063ae25e913d898ff74292a1a872d7b66a1e481bdb5b95b')
  = 'a9b8e31339ca24c788ebdd63a8463840a70c8212d67d2bdde47476ad1c611fc6' AS version_1;
SELECT brop.row_digest('{"year":"2026","grade":"A+","student":"2026-0042","name":"Ada Lovelace"}',
  '\x4eee4e31517d32b845e439b461da741bd8cf6a12dd0594fe9d3df1c19b01bc74')
  = '9b7a126830bac2f62d92312c5da1e66d04eb2b93466eb724874ed0730fd68c94' AS version_2;
-- the digest depends on every value, on null against "", and on the salt
SELECT count(DISTINCT d) AS distinct_digests FROM (VALUES
  (brop.row_digest('{"a":"1"}', decode(repeat('00', 32), 'hex'))),
  (brop.row_digest('{"a":"2"}', decode(repeat('00', 32), 'hex'))),
  (brop.row_digest('{"a":""}', decode(repeat('00', 32), 'hex'))),
  (brop.row_digest('{"a":null}', decode(repeat('00', 32), 'hex'))),
  (brop.row_digest('{"a":"1"}', decode(repeat('01', 32), 'hex')))) v(d);

-- bad documents and salts
SELECT brop.row_digest('["2026-0042"]', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('"a"', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('{"year":2026}', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('{"a":{"b":"c"}}', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('{"a":true}', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('{"a":"1"}', '\x00');

-- the salt key (brop.salt_key_file, the worked example's) derives the same salts
SELECT brop.row_salt('university.students', '["2026-0042"]', 1)
  = '\xc252cb8224b05212c063ae25e913d898ff74292a1a872d7b66a1e481bdb5b95b' AS salt_1,
       brop.row_salt('university.students', '["2026-0042"]', 2)
  = '\x4eee4e31517d32b845e439b461da741bd8cf6a12dd0594fe9d3df1c19b01bc74' AS salt_2,
       brop.row_chain_key('university.students', '["2026-0042"]');
SELECT brop.row_salt('university.students', '[2026]', 1);
SELECT brop.row_salt('university.students', '[]', 1);
SELECT brop.row_salt('university.students', '["2026-0042"]', 0);

-- Path 1: the capture trigger. The university's table, its key, and a ledger
-- in the same database.
SET client_min_messages = warning;
SELECT brop.create_key('ed25519', 'university') IS NOT NULL AS university_key;
SELECT brop.create_key('ed25519', 'reg-node') IS NOT NULL AS node_key;
RESET client_min_messages;
-- (run after the ledger test, the database has its ledger already)
SELECT CASE WHEN EXISTS (SELECT FROM brop.ledger_config) THEN true
            ELSE brop.configure_ledger('registration.example/brop', 'reg-node') IS NOT NULL END AS configured;
CREATE SCHEMA university;
CREATE TABLE university.students (
  student text PRIMARY KEY,
  name text NOT NULL,
  grade text,
  year int,
  note text
);
SELECT name, key_columns, columns, subject_column, profile, capture, org = brop.key_did('university') AS org_is_key
  FROM brop.register_table('university.students', '{student}', '{student,name,grade,year}', signing_key => 'university');
SELECT kind, header - 'registration' AS header, header->>'registration' AS registration,
       payload_digest = brop.sha256(convert_to(brop.jcs(header), 'UTF8')) AS payload_is_header_digest
  FROM brop.entry WHERE kind = 'registration' AND org = brop.key_did('university');

-- INSERT: version 1 of the worked example's row; the digest is the example's
INSERT INTO university.students VALUES ('2026-0042', 'Ada Lovelace', 'A', NULL, 'not registered');
-- captured in this transaction, sealed in the queue (no text of the row in it), an entry at the next drain
SELECT count(*) AS queued, bool_and(position('\x416461'::bytea IN data) = 0) AS sealed FROM brop.capture_queue;
SELECT brop.drain_captures() AS drained;
SELECT kind, header, payload_digest, chain_key = brop.row_chain_key('university.students', '["2026-0042"]') AS chain,
       prev_digest IS NULL AS first, nonce LIKE 'row-%-1' AS nonce
  FROM brop.entry WHERE kind = 'row' ORDER BY id;
-- UPDATE: version 2, linked to version 1; the example's second digest
UPDATE university.students SET grade = 'A+', year = 2026 WHERE student = '2026-0042';
SELECT brop.drain_captures() AS drained;
SELECT header->>'op' AS op, header->>'version' AS version, payload_digest,
       prev_digest = lag(digest) OVER (ORDER BY id) AS linked
  FROM brop.entry WHERE kind = 'row' ORDER BY id;
-- an UPDATE of no registered column makes no entry
UPDATE university.students SET note = 'still not registered';
UPDATE university.students SET grade = grade;
SELECT brop.drain_captures() AS drained;
SELECT count(*) AS row_entries FROM brop.entry WHERE kind = 'row';
-- a rollback registers nothing
BEGIN;
INSERT INTO university.students VALUES ('2026-0043', 'Grace Hopper', 'B', 2026);
ROLLBACK;
SELECT brop.drain_captures() AS drained, count(*) AS after_rollback FROM brop.entry WHERE kind = 'row';
-- so does a rolled back savepoint; the rest of its transaction is registered
BEGIN;
INSERT INTO university.students VALUES ('2026-0046', 'Emmy Noether', 'A', 2026);
SAVEPOINT s;
INSERT INTO university.students VALUES ('2026-0043', 'Grace Hopper', 'B', 2026);
ROLLBACK TO SAVEPOINT s;
SAVEPOINT t;
UPDATE university.students SET grade = 'A+' WHERE student = '2026-0046';
RELEASE SAVEPOINT t;
COMMIT;
SELECT brop.drain_captures() AS drained;
SELECT header->>'op' AS op, header->>'version' AS version FROM brop.entry
 WHERE chain_key = brop.row_chain_key('university.students', '["2026-0046"]') ORDER BY id;
SELECT count(*) AS grace FROM brop.entry WHERE chain_key = brop.row_chain_key('university.students', '["2026-0043"]');
DELETE FROM university.students WHERE student = '2026-0046';
-- the digest recomputes from the row and its disclosed salt
INSERT INTO university.students VALUES ('2026-0044', 'Mary Somerville', NULL, 2025);
SELECT brop.drain_captures() AS drained;
SELECT e.payload_digest = brop.row_digest(
         jsonb_build_object('student', s.student, 'name', s.name, 'grade', s.grade, 'year', s.year::text),
         brop.row_salt('university.students', jsonb_build_array(s.student), (e.header->>'version')::bigint)) AS recomputes
  FROM university.students s
  JOIN brop.entry e ON e.chain_key = brop.row_chain_key('university.students', jsonb_build_array(s.student))
 WHERE e.id = (SELECT max(id) FROM brop.entry x WHERE x.chain_key = e.chain_key)
 ORDER BY s.student;
-- a key change is the old key's deletion and the new key's insertion
UPDATE university.students SET student = '2026-0045' WHERE student = '2026-0044';
-- DELETE: a revocation carrying the digest of the row's last values
DELETE FROM university.students WHERE student = '2026-0042';
SELECT brop.drain_captures() AS drained;
SELECT header->>'op' AS op, header->>'version' AS version,
       chain_key = brop.row_chain_key('university.students', '["2026-0042"]') AS ada,
       chain_key = brop.row_chain_key('university.students', '["2026-0044"]') AS mary_old,
       chain_key = brop.row_chain_key('university.students', '["2026-0045"]') AS mary_new
  FROM brop.entry WHERE kind = 'row' ORDER BY id;
SELECT payload_digest = brop.row_digest(
         '{"student":"2026-0042","name":"Ada Lovelace","grade":"A+","year":"2026"}',
         brop.row_salt('university.students', '["2026-0042"]', 3)) AS revocation_digest
  FROM brop.entry WHERE kind = 'row' AND header->>'op' = 'delete'
   AND chain_key = brop.row_chain_key('university.students', '["2026-0042"]');
-- the row comes back: its chain goes on (version 4)
INSERT INTO university.students VALUES ('2026-0042', 'Ada Lovelace', 'A+', 2026);
SELECT brop.drain_captures() AS drained;
SELECT header->>'op' AS op, header->>'version' AS version, prev_digest IS NOT NULL AS linked
  FROM brop.entry WHERE kind = 'row' ORDER BY id DESC LIMIT 1;
-- every entry is signed by the university and sealed like any other
SELECT count(*) AS signed FROM brop.entry
 WHERE kind IN ('row', 'registration') AND org = brop.key_did('university') AND brop.verify(org, brop.entry_signing_input(kind, org, payload_digest, nonce,
         header, subject, body_digest, chain_key, prev_digest, expires_block), signature);
SELECT tree_size > 0 AS sealed FROM brop.seal();
SELECT ok, problem FROM brop.verify_ledger();
SELECT count(*) AS row_entries_sealed FROM brop.entry e JOIN brop.log_leaf l ON l.entry = e.id WHERE e.kind = 'row';
SELECT ok, entries, problem FROM brop.verify_chain(brop.row_chain_key('university.students', '["2026-0042"]'));

-- TRUNCATE would remove rows without registering it
TRUNCATE university.students;

-- a role that may only write the table registers its rows with the
-- registrant's key, without any right on the key or the ledger's tables
CREATE ROLE reg_clerk;
GRANT USAGE ON SCHEMA university TO reg_clerk;
GRANT INSERT, UPDATE, DELETE, SELECT ON university.students TO reg_clerk;
SET ROLE reg_clerk;
INSERT INTO university.students VALUES ('2026-0050', 'Emmy Noether', 'A', 2026);
SELECT count(*) FROM brop.capture_queue;
SELECT brop.sign('university', '\x00');
INSERT INTO brop.entry (kind) VALUES ('row');
SELECT brop.drain_captures();
RESET ROLE;
SELECT brop.drain_captures() AS drained;
SELECT header->>'op' AS op, org = brop.key_did('university') AS by_university
  FROM brop.entry WHERE kind = 'row' ORDER BY id DESC LIMIT 1;

-- profile 3: the values in clear in the header, with the salt
CREATE TABLE university.courses (code text PRIMARY KEY, title text, credits numeric, starts date);
SELECT name, profile FROM brop.register_table('university.courses', '{code}', profile => 3,
  signing_key => 'university', name => 'courses');
SET DateStyle = 'German';
INSERT INTO university.courses VALUES ('CS101', 'Algorithms', 7.5, '2026-10-01');
RESET DateStyle;
SELECT brop.drain_captures() AS drained;
SELECT header - 'salt' AS header,
       payload_digest = brop.row_digest(header->'row', decode(translate(header->>'salt', '-_', '+/') || '=', 'base64')) AS recomputes
  FROM brop.entry WHERE kind = 'row' AND header->>'registration' = 'courses';

-- the texts brop makes itself (for types whose output depends on a setting)
-- are the ones their output functions make under the fixed settings, whatever
-- the session's; profile 3 shows them in the header
CREATE TABLE university.typed (id int PRIMARY KEY, tz timestamptz, ts timestamp, d date, iv interval,
  f4 real, f8 double precision, b bytea, t time, n numeric, u uuid);
SELECT name FROM brop.register_table('university.typed', '{id}', signing_key => 'university', name => 'typed',
  profile => 3);
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'America/St_Johns';
SET IntervalStyle = 'sql_standard';
SET extra_float_digits = -3;
SET bytea_output = 'escape';
INSERT INTO university.typed VALUES
 (1, '2026-10-01 09:00:00.5+00', '2026-10-01 09:00:00.123456', '2026-10-01', '1 year 2 mons 3 days 04:05:06.7',
  1.1, 0.1, '\x00ff5c22', '10:11:12', 1.50, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'),
 (2, 'infinity', '-infinity', 'infinity', '-3 days -00:00:01', 'NaN', '-Infinity', '', '24:00:00', NULL,
  '00000000-0000-0000-0000-000000000000'),
 (3, '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59.999999', '5874897-12-31', '-178000000 years', '-0',
  1e308, NULL, NULL, NULL, '{ffffffff-ffff-ffff-ffff-ffffffffffff}'),
 (4, '1900-01-01 00:00:00+00', '2000-02-29 00:00:00', '0001-01-01 BC', '0', 3.4028235e38, 5e-324, '\x', '00:00',
  -0.0, NULL),
 (5, NULL, NULL, NULL, NULL, 'Infinity', 'NaN', NULL, NULL, NULL, NULL);
-- a NaN with its sign bit flipped has the same text: no new version
UPDATE university.typed SET f4 = -f4 WHERE id = 2;
UPDATE university.typed SET f8 = -f8 WHERE id = 5;
SELECT brop.drain_captures() AS drained;
RESET DateStyle;
RESET TimeZone;
RESET IntervalStyle;
RESET extra_float_digits;
RESET bytea_output;
SELECT e.header->'row' AS row_texts FROM brop.entry e WHERE e.header->>'registration' = 'typed' AND kind = 'row'
 ORDER BY e.id;
BEGIN;
SET LOCAL DateStyle = 'ISO, MDY';
SET LOCAL TimeZone = 'UTC';
SET LOCAL IntervalStyle = 'postgres';
SET LOCAL extra_float_digits = 1;
SET LOCAL bytea_output = 'hex';
SELECT t.id, e.header->'row' = jsonb_build_object('id', t.id::text, 'tz', t.tz::text, 'ts', t.ts::text,
         'd', t.d::text, 'iv', t.iv::text, 'f4', t.f4::text, 'f8', t.f8::text, 'b', t.b::text, 't', t.t::text,
         'n', t.n::text, 'u', t.u::text) AS output_texts,
       e.payload_digest = brop.row_digest(e.header->'row',
         decode(translate(e.header->>'salt', '-_', '+/') || '=', 'base64')) AS recomputes
  FROM university.typed t JOIN brop.entry e ON e.chain_key = brop.row_chain_key('typed', jsonb_build_array(t.id::text))
 ORDER BY t.id;
COMMIT;

-- key columns that are not registered columns: the key's texts are made as
-- the document's (binary values in the queue, texts at the drain); a change
-- of the key is a delete and an insert; a change of neither makes no entry
CREATE TABLE university.sessions (tag uuid, at timestamptz, room text, note text, internal text,
  PRIMARY KEY (tag, at));
SELECT name FROM brop.register_table('university.sessions', '{tag,at}', '{room,note}', signing_key => 'university',
  name => 'sessions');
SET TimeZone = 'Asia/Kolkata';
INSERT INTO university.sessions VALUES
 ('5f0c1a9e-0d2b-4c3a-9f8e-7d6c5b4a3921', '2026-10-01 09:00+00', 'R1', 'first', 'x'),
 ('5f0c1a9e-0d2b-4c3a-9f8e-7d6c5b4a3921', '2026-10-02 09:00+00', 'R2', NULL, 'x');
UPDATE university.sessions SET room = 'R3' WHERE at = '2026-10-01 09:00+00';
UPDATE university.sessions SET at = at + interval '1 hour' WHERE at = '2026-10-02 09:00+00';
UPDATE university.sessions SET internal = 'y';
SELECT brop.drain_captures() AS drained;
RESET TimeZone;
SELECT e.header->>'op' AS op, e.header->>'version' AS version,
       e.chain_key = brop.row_chain_key('sessions', '["5f0c1a9e-0d2b-4c3a-9f8e-7d6c5b4a3921","2026-10-01 09:00:00+00"]')
         AS first_row,
       e.chain_key = brop.row_chain_key('sessions', '["5f0c1a9e-0d2b-4c3a-9f8e-7d6c5b4a3921","2026-10-02 10:00:00+00"]')
         AS moved_row
  FROM brop.entry e WHERE e.header->>'registration' = 'sessions' AND e.kind = 'row' ORDER BY e.id;
SELECT e.payload_digest = brop.row_digest(jsonb_build_object('room', s.room, 'note', s.note),
         brop.row_salt('sessions', jsonb_build_array(s.tag::text, to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00')),
                       (e.header->>'version')::bigint)) AS recomputes
  FROM university.sessions s
  JOIN brop.entry e ON e.chain_key = brop.row_chain_key('sessions',
         jsonb_build_array(s.tag::text, to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00')))
 WHERE e.id = (SELECT max(id) FROM brop.entry x WHERE x.chain_key = e.chain_key)
 ORDER BY s.at;

-- a transaction of more than one chunk (8 kB) writes its full chunks as it
-- goes; a rolled back savepoint takes its records with it; a released one
-- whose parent has unwritten records makes one larger chunk (moved to TOAST);
-- each committed row is registered once, in order
CREATE TABLE university.bulk (id int PRIMARY KEY, pad text);
SELECT name FROM brop.register_table('university.bulk', '{id}', signing_key => 'university', name => 'bulk');
BEGIN;
INSERT INTO university.bulk SELECT i, repeat('x', 200) FROM generate_series(1, 6000) i;
SELECT count(*) > 0 AS chunks_written FROM brop.capture_queue WHERE xid = txid_current();
SAVEPOINT a;
INSERT INTO university.bulk SELECT i, repeat('y', 200) FROM generate_series(6001, 12000) i;
ROLLBACK TO SAVEPOINT a;
INSERT INTO university.bulk SELECT i, repeat('z', 200) FROM generate_series(12001, 12010) i;
SAVEPOINT b;
INSERT INTO university.bulk SELECT i, repeat('w', 200) FROM generate_series(12011, 13000) i;
RELEASE SAVEPOINT b;
COMMIT;
SELECT count(*) > 20 AS chunks, max(length(data)) > 200000 AS larger_chunk, min(seq) = max(seq) AS one_final
  FROM brop.capture_queue;
SELECT brop.drain_captures() AS drained;
SELECT count(*) AS entries, count(DISTINCT chain_key) AS rows,
       bool_and(id > lag) AS in_order
  FROM (SELECT id, chain_key, lag(id, 1, 0::bigint) OVER (ORDER BY id) AS lag FROM brop.entry
         WHERE header->>'registration' = 'bulk' AND kind = 'row') e;
SELECT count(*) AS rolled_back_rows FROM brop.entry e, generate_series(6001, 12000, 599) i
 WHERE e.chain_key = brop.row_chain_key('bulk', jsonb_build_array(i::text));
-- unregistering in the transaction that wrote rows: they reach the ledger first
BEGIN;
INSERT INTO university.bulk VALUES (20000, 'last');
SELECT brop.unregister_table('university.bulk') > 0 AS unregistered;
COMMIT;
SELECT count(*) AS queued FROM brop.capture_queue;
SELECT kind, header->>'op' AS op FROM brop.entry
 WHERE header->>'registration' = 'bulk' OR header->>'name' = 'bulk' ORDER BY id DESC LIMIT 2;
-- the queue is the owner's alone
SET ROLE reg_clerk;
SELECT count(*) FROM brop.capture_queue;
SELECT brop.drain_captures();
RESET ROLE;

-- bad registrations: each refused, nothing registered
CREATE TABLE university.logbook (id int, line text);
CREATE VIEW university.v AS SELECT 1 AS id;
SELECT brop.register_table('university.v', '{id}', signing_key => 'university');
SELECT brop.register_table(0::regclass, '{id}', signing_key => 'university');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT brop.register_table(4294967295::oid::regclass, '{id}', signing_key => 'university');
SELECT brop.unregister_table(0::regclass);
SELECT brop.register_table('university.logbook', '{id}', signing_key => 'university');
SELECT brop.register_table('university.students', '{student}', signing_key => 'university');
SELECT brop.register_table('university.logbook', '{nope}', signing_key => 'university');
SELECT brop.register_table('university.logbook', '{}', signing_key => 'university');
SELECT brop.register_table('university.logbook', '{id,id}', signing_key => 'university');
ALTER TABLE university.logbook ADD PRIMARY KEY (id);
SELECT brop.register_table('university.logbook_pkey', '{id}', signing_key => 'university');
SELECT brop.register_table('university.logbook', '{id}', profile => 4, signing_key => 'university');
SELECT brop.register_table('university.logbook', '{id}', profile => 2, signing_key => 'university');
SELECT brop.register_table('university.logbook', '{id}');
SELECT brop.register_table('university.logbook', '{id}', signing_key => 'no-such-key');
SELECT brop.register_table('university.logbook', '{id}', subject_column => 'line', signing_key => 'university');
SELECT brop.register_table('university.logbook', '{id}', capture => 'plugin', signing_key => 'university');
SELECT brop.register_table('university.logbook', '{id}', capture => 'polling', signing_key => 'university');
-- caller text quoted to 64 characters
SELECT brop.register_table('university.logbook', ARRAY[repeat('c', 100)], signing_key => 'university');
SELECT brop.register_table('university.logbook', '{id}', capture => repeat('p', 100), signing_key => 'university');
SELECT brop.register_table('university.logbook', '{id}', name => 'courses', signing_key => 'university');
SET ROLE reg_clerk;
SELECT brop.register_table('university.students', '{student}', signing_key => 'university');
RESET ROLE;
SELECT count(*) AS registrations FROM brop.registration WHERE signing_key = 'university';

-- unregister: the trigger goes, the end is on the ledger
SELECT brop.unregister_table('university.courses') > 0 AS unregistered;
SELECT brop.unregister_table('university.courses');
INSERT INTO university.courses VALUES ('CS102', 'Compilers', 6, NULL);
SELECT count(*) AS course_entries FROM brop.entry WHERE header->>'registration' = 'courses';
SELECT header->>'op' AS op FROM brop.entry WHERE kind = 'registration' AND org = brop.key_did('university') ORDER BY id;
-- roles are the cluster's: drop it, so the suite runs again on one server (make installcheck)
DROP OWNED BY reg_clerk;
DROP ROLE reg_clerk;
