-- Run last: the shared ledger, after every other test has submitted,
-- sealed, registered, issued and verified in it (each tampering rolled
-- back), is sound, tables beside the log included.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT ok, problem FROM brop.verify_ledger();
-- every table of the extension: docs/ledger.md ("Tables beside the log")
-- says for each what verify_ledger checks, or why nothing needs to
SELECT c.relname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class c ON c.oid = d.objid
 WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'brop') AND d.deptype = 'e'
   AND c.relkind IN ('r', 'p')
 ORDER BY 1;
