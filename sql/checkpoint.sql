-- Checkpoints: C2SP tlog-checkpoints in signed notes, made with a keyring
-- key, verified against its did, parsed; foreign and forged notes refused.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';

SELECT brop.create_key('ed25519', 'cp-log') IS NOT NULL AS made,
       brop.create_key('ed25519', 'cp-other') IS NOT NULL AS made,
       brop.create_key('p256', 'cp-p256') IS NOT NULL AS made;
CREATE TEMP TABLE cp AS
  SELECT brop.checkpoint_note('cp-log', 'example.org/brop/regress', 8,
                              '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328') AS note;
-- the body, the blank line, one signature line named for the origin
SELECT split_part(note, E'\n', 1) AS origin, split_part(note, E'\n', 2) AS size,
       split_part(note, E'\n', 3) AS root_base64, split_part(note, E'\n', 4) = '' AS blank,
       split_part(note, E'\n', 5) LIKE '— example.org/brop/regress %' AS signature_line,
       length(split_part(split_part(note, E'\n', 5), ' ', 3)) AS signature_base64_length
FROM cp;
SELECT (brop.parse_checkpoint(note)).* FROM cp;
SELECT brop.verify_checkpoint(note, brop.key_did('cp-log')) AS by_log,
       brop.verify_checkpoint(note, brop.key_did('cp-other')) AS by_other
FROM cp;
-- Ed25519 is deterministic: the same checkpoint signs the same
SELECT brop.checkpoint_note('cp-log', 'example.org/brop/regress', 8,
                            '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328') = note AS deterministic
FROM cp;
-- a cosignature by another key may be appended; the log's still verifies
SELECT brop.verify_checkpoint(note || split_part(brop.checkpoint_note('cp-other', 'example.org/brop/regress', 8,
         '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'), E'\n', 5) || E'\n',
       brop.key_did('cp-log')) AS cosigned
FROM cp;
-- forged: another size, root or origin under the same signature
SELECT brop.verify_checkpoint(replace(note, E'\n8\n', E'\n9\n'), brop.key_did('cp-log')) AS other_size,
       brop.verify_checkpoint(replace(note, 'Xcna', 'Xcnb'), brop.key_did('cp-log')) AS other_root,
       brop.verify_checkpoint(replace(note, E'regress\n', E'regresS\n'), brop.key_did('cp-log')) AS other_origin
FROM cp;
-- a checkpoint signed by the right key under another name (origin) is not accepted
SELECT brop.verify_checkpoint(
         split_part(note, E'\n\n', 1) || E'\n\n' ||
         split_part(brop.checkpoint_note('cp-log', 'example.org/other', 8,
                    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'), E'\n\n', 2),
         brop.key_did('cp-log')) AS foreign_name
FROM cp;
-- the root of a real tree: transparency-dev's eight leaves
SELECT (brop.parse_checkpoint(note)).root = '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'::brop.digest AS root_ok FROM cp;

-- bad input
SELECT brop.checkpoint_note('cp-p256', 'example.org/x', 1, brop.sha256(''::bytea));
SELECT brop.checkpoint_note('cp-log', '', 1, brop.sha256(''::bytea));
SELECT brop.checkpoint_note('cp-log', E'two\nlines', 1, brop.sha256(''::bytea));
SELECT brop.checkpoint_note('cp-log', 'example.org/x', -1, brop.sha256(''::bytea));
SELECT brop.verify_checkpoint('not a note', brop.key_did('cp-log'));
SELECT brop.verify_checkpoint(note, brop.key_did('cp-p256')) FROM cp;
SELECT brop.parse_checkpoint(E'origin\n01\nXcna\n');
SELECT brop.parse_checkpoint(E'origin\n1\nAAAA\n');
-- caller text quoted in an error: at most 64 characters
SELECT brop.checkpoint_note('cp-log', repeat('o', 300), 1, brop.sha256(''::bytea));

-- a note is at most 64 KiB, checked before it is read or made: one at the
-- limit (an origin of 24 bytes, size 8: 195 bytes and the extension lines)
-- is signed and verified, one byte more is refused, and so is a long text
SELECT octet_length(n) AS note_bytes, brop.verify_checkpoint(n, brop.key_did('cp-log')) AS at_limit,
       (brop.parse_checkpoint(n)).tree_size
FROM (SELECT brop.checkpoint_note('cp-log', 'example.org/brop/regress', 8,
                                  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
                                  repeat('x', 65340) || E'\n') AS n) s;
SELECT brop.checkpoint_note('cp-log', 'example.org/brop/regress', 8,
                            '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
                            repeat('x', 65341) || E'\n');
SELECT brop.verify_checkpoint(note || repeat('x', 65536), brop.key_did('cp-log')) FROM cp;
SELECT brop.parse_checkpoint(note || repeat('x', 65536)) FROM cp;
SELECT brop.verify_checkpoint(repeat('x', 100000000), brop.key_did('cp-log'));
