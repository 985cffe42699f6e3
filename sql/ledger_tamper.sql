-- Rows planted or changed beside the ledger, by the tables' owner or a
-- superuser: brop.verify_ledger() names each, and a seal that meets one
-- names the row. In a database of its own, so positions and ids are fixed.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_tamper;
CREATE DATABASE brop_regress_tamper;
\c brop_regress_tamper
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.did_alg(brop.create_key('ed25519', 'tm-node'));
SELECT brop.did_alg(brop.create_key('ed25519', 'tm-org'));
SELECT origin FROM brop.configure_ledger('example.org/brop', 'tm-node');

-- 1000 blocks of one entry each
DO $$
BEGIN
  FOR i IN 1 .. 1000 LOOP
    PERFORM brop.submit_as('tm-org', 'evidence', brop.sha256(i::text::bytea), 'n-' || i);
    PERFORM brop.seal();
  END LOOP;
END
$$;
SELECT count(*) AS blocks, max(tree_size) AS size FROM brop.block;
SELECT * FROM brop.verify_ledger();

-- a copy of entry 1 under another nonce, beside the log: named, after a
-- whole pass whose memory is gone (it was read after SPI_finish)
BEGIN;
INSERT INTO brop.entry (kind, org, subject, chain_key, prev_digest, header, payload_digest, body_digest,
                        nonce, expires_block, signature, submitted_at, digest)
  SELECT kind, org, subject, chain_key, prev_digest, header, payload_digest, body_digest,
         'copy-1', expires_block, signature, submitted_at, digest FROM brop.entry WHERE id = 1;
SELECT * FROM brop.verify_ledger();
ROLLBACK;

\c :regress_db
DROP DATABASE brop_regress_tamper;
