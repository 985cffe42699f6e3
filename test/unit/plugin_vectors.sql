SET client_min_messages = warning;
SELECT 'made' FROM pg_create_logical_replication_slot('fmt_slot', 'brop');
CREATE TABLE "fmt plug é" ("k""" text PRIMARY KEY, v text, s brop.did);
ALTER TABLE "fmt plug é" REPLICA IDENTITY FULL;
SELECT name FROM brop.register_table('"fmt plug é"', '{"k\""}', subject_column => 's', signing_key => 'fmt-org', capture => 'plugin', name => 'plug "é" 😀', profile => 3);
INSERT INTO "fmt plug é" VALUES (E'a\\b', E'\u2028x', 'did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw'), ('n', NULL, NULL);
UPDATE "fmt plug é" SET v = 'w' WHERE "k""" = 'n';
DELETE FROM "fmt plug é" WHERE "k""" = 'n';
TRUNCATE "fmt plug é";
CREATE TABLE fmt_unreg (a int);
INSERT INTO fmt_unreg VALUES (1);
RESET client_min_messages;
\pset tuples_only on
SELECT 'LINE', lsn, encode(convert_to(data, 'UTF8'), 'hex') FROM pg_logical_slot_get_changes('fmt_slot', NULL, NULL, 'org', 'did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw');
SELECT pg_drop_replication_slot('fmt_slot');
