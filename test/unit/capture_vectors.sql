SET client_min_messages = warning;
CREATE TABLE fmt_cap (id int PRIMARY KEY, tz timestamptz, ts timestamp, d date, iv interval, f4 real, f8 double precision, b bytea, u uuid, t text, s brop.did);
SELECT name FROM brop.register_table('fmt_cap', '{id}', subject_column => 's', signing_key => 'fmt-org', name => 'fmt_cap');
RESET client_min_messages;
BEGIN;
INSERT INTO fmt_cap VALUES (1, '2026-10-01 09:00:00.5+00', '2026-10-01 09:00:00.123456', '2026-10-01', '1 year 2 mons 3 days 04:05:06.7', 1.1, 0.1, '\x00ff5c22', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', E'é\n"', 'did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw'),
  (2, 'infinity', NULL, '-infinity', NULL, 'NaN', '-Infinity', '', NULL, '', NULL);
UPDATE fmt_cap SET t = 'x' WHERE id = 2;
DELETE FROM fmt_cap WHERE id = 2;
COMMIT;
\pset tuples_only on
SELECT 'CHUNK', xid, chunk, encode(data, 'hex'), (SELECT id FROM brop.entry WHERE kind = 'registration' AND header->>'registration' = 'fmt_cap') FROM brop.capture_queue ORDER BY seq;
