-- A restored copy does not seal until adopted: the ledger records the
-- cluster's system identifier and the database's OID when it is configured.
-- CREATE DATABASE ... TEMPLATE copies a database as a restore does (a new
-- OID). The details name OIDs and the system identifier, which change from
-- run to run: test/t/012_restored_copy.pl checks them whole.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_node_a;
DROP DATABASE IF EXISTS brop_node_b;
CREATE DATABASE brop_node_a;
\c brop_node_a
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.did_alg(brop.create_key('ed25519', 'rc-node'));
SELECT count(*) FROM brop.node_identity;
-- not configured: nothing to adopt
SELECT brop.adopt_copy('a reason');
SELECT brop.configure_ledger('example.org/brop-copy', 'rc-node') IS NOT NULL AS configured;
SELECT id, system_identifier = brop.system_identifier() AS this_cluster,
       database_name, database_oid = (SELECT oid FROM pg_database WHERE datname = current_database()) AS this_database,
       how, reason, entry, recorded_by = current_user AS by_me
  FROM brop.node_identity;
-- configuring again (before any block) records nothing new
SELECT brop.configure_ledger('example.org/brop-copy', 'rc-node') IS NOT NULL AS configured;
SELECT count(*) FROM brop.node_identity;
SELECT brop.check_node_identity();
SELECT (brop.submit_as('rc-node', 'evidence', brop.sha256('1'::bytea), 'rc-1')).id;
SELECT number FROM brop.seal();
-- the node itself is no copy (the detail names its OID)
\set VERBOSITY terse
SELECT brop.adopt_copy('a reason');
\set VERBOSITY default
-- append-only
UPDATE brop.node_identity SET reason = 'x';
DELETE FROM brop.node_identity;
\c brop_regress
SET client_min_messages = warning;
CREATE DATABASE brop_node_b TEMPLATE brop_node_a;
\c brop_node_b
SET brop.root_key_file = '../../keys/root.key';
\set VERBOSITY terse
SELECT (brop.submit_as('rc-node', 'evidence', brop.sha256('2'::bytea), 'rc-2')).id;
-- the copy refuses to seal, to be configured, and says so in brop.status
SELECT number FROM brop.seal();
SELECT brop.check_node_identity();
SELECT brop.configure_ledger('example.org/brop-copy', 'rc-node');
SELECT component, state, level FROM brop.status WHERE component = 'node';
-- adoption: a reason, then recorded, with a ledger entry signed by the node key
SELECT brop.adopt_copy(' ');
SELECT brop.adopt_copy(NULL);
SELECT id, how, reason, entry FROM brop.adopt_copy('restored for the regression test');
SELECT component, state, level FROM brop.status WHERE component = 'node';
SELECT e.kind, e.org = c.node_did AS by_node, e.header - 'system_identifier' - 'database_oid' - 'was' AS header,
       e.header->'was'->>'database' AS was, e.nonce LIKE 'node-adopted-%' AS nonce,
       e.payload_digest = brop.sha256(brop.jcs(e.header)) AS digest
  FROM brop.entry e, brop.ledger_config c WHERE e.id = (SELECT max(entry) FROM brop.node_identity);
SELECT number, tree_size FROM brop.seal();
SELECT ok FROM brop.verify_ledger();
SELECT brop.adopt_copy('again');
\set VERBOSITY default
-- a 1.0 ledger seals with the 1.1 library; updated, it records where it is
\c brop_regress
SET client_min_messages = warning;
DROP DATABASE IF EXISTS brop_node_c;
CREATE DATABASE brop_node_c;
\c brop_node_c
SET client_min_messages = warning;
CREATE EXTENSION brop VERSION '1.0';
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT brop.did_alg(brop.create_key('ed25519', 'rc-node'));
SELECT brop.configure_ledger('example.org/brop-old', 'rc-node') IS NOT NULL AS configured;
SELECT (brop.submit_as('rc-node', 'evidence', brop.sha256('1'::bytea), 'rc-1')).id;
SELECT number FROM brop.seal();
ALTER EXTENSION brop UPDATE;
SELECT id, how, database_name, system_identifier = brop.system_identifier() AS this_cluster FROM brop.node_identity;
SELECT (brop.submit_as('rc-node', 'evidence', brop.sha256('2'::bytea), 'rc-2')).id;
SELECT number FROM brop.seal();
\c brop_regress
SET client_min_messages = warning;
DROP DATABASE brop_node_a;
DROP DATABASE brop_node_b;
DROP DATABASE brop_node_c;
