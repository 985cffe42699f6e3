SET client_min_messages = warning;
SELECT brop.create_key('ed25519', 'fmt-org') IS NOT NULL;
SELECT brop.create_key('ed25519', 'fmt-node') IS NOT NULL;
SELECT CASE WHEN EXISTS (SELECT FROM brop.ledger_config) THEN true ELSE brop.configure_ledger('fmt.example/brop', 'fmt-node') IS NOT NULL END;
CREATE TABLE fmt_rows ("k é" text, "Z" int, "a" text, "é" text, "😀" text, "｡" text, " " text, "q""\" text, n numeric, PRIMARY KEY ("k é", "Z"));
SELECT name FROM brop.register_table('fmt_rows', '{"k é",Z}', '{"😀","｡","a","Z","é"," ","q\"\\",n,"k é"}', profile => 3, signing_key => 'fmt-org', name => 'fmt "rows" é');
INSERT INTO fmt_rows VALUES (E'key\t"1"', -7, NULL, 'é', E'\u2028\\', '𝄞', ' ', E'\x01\x1f\x7f', 1.50),
  ('', 0, 'plain', NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE fmt_rows SET a = 'changed' WHERE "Z" = 0;
DELETE FROM fmt_rows WHERE "Z" = 0;
SELECT brop.drain_captures() >= 0;
RESET client_min_messages;
\pset tuples_only on
SELECT 'REG', encode(convert_to(brop.jcs(header), 'UTF8'), 'hex'), payload_digest::text FROM brop.entry WHERE kind = 'registration' AND header->>'registration' = 'fmt "rows" é';
SELECT 'ROW', encode(convert_to(brop.jcs(header), 'UTF8'), 'hex'), payload_digest::text, encode(convert_to(chain_key, 'UTF8'), 'hex'), nonce FROM brop.entry WHERE kind = 'row' AND header->>'registration' = 'fmt "rows" é' ORDER BY id;
