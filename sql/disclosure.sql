-- One registered row disclosed (docs/registration.md, "Disclosing one row"):
-- its document made under brop's fixed text settings whatever the
-- session's (brop.row_document), and the bundle for brop verify
-- --disclosure (brop.disclosure). In a database of its own.
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_regress_disclosure;
CREATE DATABASE brop_regress_disclosure;
\c brop_regress_disclosure
SET client_min_messages = warning;
CREATE EXTENSION brop;
SELECT brop.create_key('ed25519', 'clinic') IS NOT NULL AS clinic_key,
       brop.create_key('ed25519', 'node') IS NOT NULL AS node_key;
RESET client_min_messages;
SELECT brop.configure_ledger('disclosure.example/brop', 'node') IS NOT NULL AS configured;

CREATE TABLE visits (
  id int PRIMARY KEY,
  patient text NOT NULL,
  at timestamptz,
  day date,
  stay interval,
  dose float8,
  paid boolean
);
SELECT name FROM brop.register_table('visits', '{id}', signing_key => 'clinic');
-- written in Shanghai, with another DateStyle
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'SQL, DMY';
INSERT INTO visits VALUES (7, 'Grace Hopper', '2026-10-01 17:00:00+08', '2026-10-01', '1 day 02:00', 0.1, true),
                          (8, 'Alan Turing', NULL, NULL, NULL, NULL, NULL);
RESET TimeZone;
RESET DateStyle;
SELECT kind, header FROM brop.entry WHERE kind = 'row';   -- nothing before the drain
SELECT (brop.seal()).number IS NOT NULL AS sealed;

-- The defect: a document built in SQL under the session's settings. In
-- Shanghai, format() gives the timestamptz in that zone (and the session's
-- DateStyle), not as the trigger made it (2026-10-01 09:00:00+00), and the
-- digest silently differs from the entry's.
SET TimeZone = 'Asia/Shanghai';
SELECT format('%s', at) AS session_text,
       brop.row_digest(jsonb_build_object('id', format('%s', id), 'patient', patient, 'at', format('%s', at),
                                          'day', format('%s', day), 'stay', format('%s', stay),
                                          'dose', format('%s', dose), 'paid', format('%s', paid)),
                       brop.row_salt('public.visits', '["7"]', 1))
         = (SELECT payload_digest FROM brop.entry WHERE kind = 'row' AND header->>'version' = '1'
              AND chain_key = brop.row_chain_key('public.visits', '["7"]')) AS session_document_verifies
  FROM visits WHERE id = 7;
RESET TimeZone;

-- The fix: brop.row_document makes the trigger's document under any settings.
CREATE TEMP TABLE documents (settings text, document jsonb);
INSERT INTO documents SELECT 'default', brop.row_document('visits', '["7"]');
SET TimeZone = 'UTC';
INSERT INTO documents SELECT 'UTC', brop.row_document('visits', '["7"]');
SET TimeZone = 'Asia/Shanghai';
INSERT INTO documents SELECT 'Asia/Shanghai', brop.row_document('visits', '["7"]');
SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'iso_8601';
SET extra_float_digits = 0;
INSERT INTO documents SELECT 'Asia/Shanghai, SQL DMY, iso_8601, 0 digits', brop.row_document('visits', '["7"]');
RESET ALL;
SELECT settings, document FROM documents ORDER BY settings;
SELECT count(DISTINCT document) AS distinct_documents FROM documents;
SELECT brop.row_digest(d.document, brop.row_salt('public.visits', '["7"]', 1)) = e.payload_digest AS verifies
  FROM documents d, brop.entry e
 WHERE e.chain_key = brop.row_chain_key('public.visits', '["7"]');
SELECT brop.row_document('visits', '["8"]') AS nulls;

-- bad arguments
SELECT brop.row_document('visits', '{"id":"7"}');
SELECT brop.row_document('visits', '[]');
SELECT brop.row_document('visits', '[7]');
SELECT brop.row_document('visits', '["7","8"]');
SELECT brop.row_document('visits', '["x"]');
SELECT brop.row_document('visits', '["9"]');
SELECT brop.row_document('visits', '["007"]');
CREATE TABLE unregistered (id int PRIMARY KEY);
SELECT brop.row_document('unregistered', '["1"]');
SELECT brop.disclosure('unregistered', '["1"]');
SELECT brop.row_document(NULL, '["7"]') IS NULL AS strict;

-- The bundle: RFC 8785 JSON of the document, salt, entry, proof, checkpoint
SELECT brop.disclosure('visits', '["7"]') AS bundle \gset
SELECT b = brop.jcs(b::jsonb) AS canonical,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(b::jsonb) k) AS members,
       b::jsonb->>'format' AS format,
       b::jsonb->'document' = brop.row_document('visits', '["7"]') AS document,
       brop.decode(b::jsonb->>'salt', 'base64url') = brop.row_salt('public.visits', '["7"]', 1) AS salt,
       b::jsonb->>'entry' = (SELECT brop.entry_leaf(e) FROM brop.entry e
                              WHERE e.chain_key = brop.row_chain_key('public.visits', '["7"]')) AS entry,
       b::jsonb->>'proof' = (SELECT brop.inclusion_proof(e.id)::text FROM brop.entry e
                              WHERE e.chain_key = brop.row_chain_key('public.visits', '["7"]')) AS proof,
       b::jsonb->>'checkpoint' = brop.checkpoint() AS checkpoint,
       b::jsonb->>'ledger' = brop.key_did('node')::text AS ledger
  FROM (SELECT :'bundle'::text AS b) x;
-- the same under other settings
SET TimeZone = 'America/Los_Angeles';
SET DateStyle = 'German';
SELECT brop.disclosure('visits', '["7"]') = :'bundle' AS same_bundle;
RESET ALL;

-- a row whose last change is not on the ledger yet, then not sealed yet
UPDATE visits SET dose = 0.2 WHERE id = 7;
SELECT brop.disclosure('visits', '["7"]');
SELECT brop.drain_captures() AS drained;
SELECT brop.disclosure('visits', '["7"]');
SELECT (brop.seal()).number IS NOT NULL AS sealed;
SELECT (brop.disclosure('visits', '["7"]')::jsonb->>'entry')::jsonb->'header' AS header;
-- a row with no entry at all
INSERT INTO visits VALUES (9, 'Ada Lovelace');
SELECT brop.disclosure('visits', '["9"]');

-- only the table's owner receives salts; the document needs SELECT
CREATE ROLE disclosure_clerk;
GRANT SELECT ON visits TO disclosure_clerk;
CREATE ROLE disclosure_stranger;
SET ROLE disclosure_clerk;
SELECT brop.row_document('visits', '["7"]')->>'patient' AS clerk_reads;
SELECT brop.disclosure('visits', '["7"]');
SET ROLE disclosure_stranger;
SELECT brop.row_document('visits', '["7"]');
RESET ROLE;

-- a partitioned table's rows are in its partitions (inserted before it is
-- registered: its capture trigger, cloned onto a partition, does not find
-- the parent's registration)
CREATE TABLE shifts (id int PRIMARY KEY, who text) PARTITION BY RANGE (id);
CREATE TABLE shifts_low PARTITION OF shifts FOR VALUES FROM (0) TO (100);
INSERT INTO shifts VALUES (5, 'night');
SELECT name FROM brop.register_table('shifts', '{id}', signing_key => 'clinic');
SELECT brop.row_document('shifts', '["5"]') AS partitioned;

-- rows captured by the output plugin have their entries on another ledger
CREATE TABLE relayed (id int PRIMARY KEY, v text);
ALTER TABLE relayed REPLICA IDENTITY FULL;
SELECT name FROM brop.register_table('relayed', '{id}', signing_key => 'clinic', capture => 'plugin');
INSERT INTO relayed VALUES (1, 'one');
SELECT brop.row_document('relayed', '["1"]');
SELECT brop.disclosure('relayed', '["1"]');

\c :regress_db
DROP DATABASE brop_regress_disclosure;
DROP ROLE disclosure_clerk, disclosure_stranger;
