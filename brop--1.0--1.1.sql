-- brop 1.0 -> 1.1 (issue 17 and the fixes after 1.0). brop--1.0.sql never
-- changes after its release: every schema change since ships here, and a new
-- installation of 1.1 runs brop--1.0.sql and then this script (there is no
-- brop--1.1.sql), so a fresh node and an upgraded one are the same.
\echo Use "ALTER EXTENSION brop UPDATE TO '1.1'" to load this file. \quit

-- Each section below is owned by one change; keep edits inside your section.

-- == submit: reserved kinds ==================================================

-- == end submit ==

-- == comments ================================================================

-- == end comments ==

-- == restored copy ===========================================================
-- A restored copy does not seal (docs/operations.md, "Backups"): the ledger
-- records where it was configured, the cluster's system identifier and the
-- database's OID; brop.seal() (and so the sealing worker) refuses in any other
-- database until brop.adopt_copy(reason) records this one, and an entry on the
-- ledger signed by the node key says so. The OID, not the name: a restore into
-- the same cluster keeps the name possible but never the OID, and a database
-- renamed in place is still the node. A physical standby, PITR or
-- pg_basebackup copy has both the same: it is the node itself (a standby
-- cannot seal; a promoted one takes over), so it is not told apart.

CREATE FUNCTION brop.system_identifier() RETURNS bigint
  AS 'MODULE_PATHNAME', 'brop_system_identifier' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION brop.system_identifier() IS
  'this cluster''s system identifier (as pg_control_system(), which only some roles may call)';

CREATE TABLE brop.node_identity (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  system_identifier bigint NOT NULL,
  database_oid oid NOT NULL,
  database_name name NOT NULL,
  how text NOT NULL CHECK (how IN ('configured', 'upgraded', 'adopted')),
  reason text,
  entry bigint,
  recorded_by name NOT NULL DEFAULT current_user,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE brop.node_identity IS
  'where the ledger may seal: the database it was configured in, then each restored copy adopted; the latest row is the node (append-only)';
COMMENT ON COLUMN brop.node_identity.id IS 'the order of the records; the highest is the node''s identity now';
COMMENT ON COLUMN brop.node_identity.system_identifier IS 'the cluster''s system identifier (pg_control_system()), new in every initdb';
COMMENT ON COLUMN brop.node_identity.database_oid IS 'the database''s OID, new in every restore';
COMMENT ON COLUMN brop.node_identity.database_name IS 'the database''s name when recorded (for people; not compared)';
COMMENT ON COLUMN brop.node_identity.how IS 'configured: by brop.configure_ledger(); upgraded: by ALTER EXTENSION UPDATE from 1.0; adopted: by brop.adopt_copy()';
COMMENT ON COLUMN brop.node_identity.reason IS 'the operator''s reason for an adoption';
COMMENT ON COLUMN brop.node_identity.entry IS 'the adoption''s ledger entry (kind node_adopted), signed by the node key';
COMMENT ON COLUMN brop.node_identity.recorded_by IS 'the role that recorded it';
COMMENT ON COLUMN brop.node_identity.recorded_at IS 'when it was recorded';
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON brop.node_identity
  FOR EACH ROW EXECUTE FUNCTION brop.refuse_change('row');
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON brop.node_identity
  FOR EACH STATEMENT EXECUTE FUNCTION brop.refuse_change();
-- dumped: a restore must carry the identity it does not have
SELECT pg_catalog.pg_extension_config_dump('brop.node_identity', '');
SELECT pg_catalog.pg_extension_config_dump('brop.node_identity_id_seq', '');
REVOKE ALL ON brop.node_identity FROM PUBLIC;
GRANT SELECT ON brop.node_identity TO PUBLIC;

-- A 1.0 ledger updated in place is where it was configured: recorded now.
INSERT INTO brop.node_identity (system_identifier, database_oid, database_name, how)
  SELECT brop.system_identifier(), d.oid, d.datname, 'upgraded'
  FROM brop.ledger_config c, pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database();

-- brop.verification_log's identity sequence was not dumped in 1.0: a restored
-- copy would start it again at 1, and its next row would collide.
SELECT pg_catalog.pg_extension_config_dump('brop.verification_log_id_seq', '');

CREATE FUNCTION brop.check_node_identity() RETURNS void
  AS 'MODULE_PATHNAME', 'brop_check_node_identity' LANGUAGE C STABLE;
COMMENT ON FUNCTION brop.check_node_identity() IS
  'raises the error brop.seal() raises in a restored copy not adopted yet, or does nothing';

-- configure_ledger as in 1.0, and: the first configuration records where;
-- a copy is not configured into a node (it must be adopted first).
CREATE OR REPLACE FUNCTION brop.configure_ledger(origin text, node_key text) RETURNS brop.ledger_config
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  did brop.did := brop.key_did(node_key);
  old brop.ledger_config;
  r brop.ledger_config;
BEGIN
  IF octet_length(origin) > 256 OR origin !~ '^[^[:space:][:cntrl:]+]+$' THEN
    RAISE EXCEPTION 'invalid log origin: "%"', brop.quote_input(origin)
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'An origin is 1 to 256 bytes of UTF-8 without spaces, control characters or "+", e.g. "example.org/brop".';
  END IF;
  IF brop.did_alg(did) <> 'ed25519' THEN
    RAISE EXCEPTION 'checkpoints are signed with ed25519, not %', brop.did_alg(did)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- the caller must be allowed to use the key (the keyring checks)
  PERFORM brop.sign(node_key, 'brop-configure-ledger');
  SELECT * INTO old FROM brop.ledger_config;
  IF FOUND AND EXISTS (SELECT FROM brop.block) THEN
    IF old.origin <> origin THEN
      RAISE EXCEPTION 'the log''s origin cannot change once it has blocks'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = format('Its checkpoints name the origin "%s".', old.origin);
    END IF;
    IF old.node_did <> did THEN
      RAISE EXCEPTION 'the node key cannot change once the log has blocks'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = format('Its checkpoints are signed by %s.', old.node_did),
              HINT = 'Key rotation is not supported yet (docs/ledger.md).';
    END IF;
  END IF;
  IF old.origin IS NULL AND NOT EXISTS (SELECT FROM brop.node_identity) THEN
    INSERT INTO brop.node_identity (system_identifier, database_oid, database_name, how)
      SELECT brop.system_identifier(), d.oid, d.datname, 'configured'
      FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database();
  ELSE
    PERFORM brop.check_node_identity();
  END IF;
  INSERT INTO brop.ledger_config AS c (singleton, origin, node_key, node_did)
    VALUES (true, origin, node_key, did)
    ON CONFLICT (singleton) DO UPDATE SET origin = excluded.origin, node_key = excluded.node_key,
                                          node_did = excluded.node_did
    RETURNING * INTO r;
  RETURN r;
END
$$;

CREATE FUNCTION brop.adopt_copy(reason text) RETURNS brop.node_identity
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cfg brop.ledger_config;
  was brop.node_identity;
  r brop.node_identity;
  here pg_catalog.pg_database;
  header jsonb;
  e brop.entry;
BEGIN
  IF btrim(reason) = '' THEN
    RAISE EXCEPTION 'an adoption needs a reason'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'The reason is recorded in brop.node_identity and on the ledger, e.g. "restored from the dump of 2026-12-07 after losing the disk of node A".';
  END IF;
  SELECT * INTO cfg FROM brop.ledger_config;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the ledger is not configured'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Call brop.configure_ledger(origin, node_key) first.';
  END IF;
  SELECT * INTO here FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database();
  SELECT * INTO was FROM brop.node_identity ORDER BY id DESC LIMIT 1;
  IF was.system_identifier = brop.system_identifier() AND was.database_oid = here.oid THEN
    RAISE EXCEPTION 'this database is the ledger node, not a copy'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = format('The ledger was %s in this database (OID %s) of this cluster; there is nothing to adopt.',
                            was.how, was.database_oid);
  END IF;
  header := jsonb_strip_nulls(jsonb_build_object('type', 'node_adopted', 'origin', cfg.origin, 'reason', reason,
    'system_identifier', brop.system_identifier()::text, 'database', here.datname, 'database_oid', here.oid::text,
    'was', CASE WHEN was.id IS NULL THEN NULL ELSE jsonb_build_object('system_identifier', was.system_identifier::text,
             'database', was.database_name, 'database_oid', was.database_oid::text) END));
  e := brop.submit_as(cfg.node_key, 'node_adopted', brop.sha256(brop.jcs(header)),
         format('node-adopted-%s-%s-%s', brop.system_identifier(), here.oid,
                (SELECT count(*) FROM brop.node_identity)), header);
  INSERT INTO brop.node_identity (system_identifier, database_oid, database_name, how, reason, entry)
    VALUES (brop.system_identifier(), here.oid, here.datname, 'adopted', reason, e.id)
    RETURNING * INTO r;
  RETURN r;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.adopt_copy(text) FROM PUBLIC;
COMMENT ON FUNCTION brop.adopt_copy(text) IS
  'make this restored copy the ledger node, so it seals: records its identity and a node_adopted entry signed by the node key; call it only once the database it was copied from no longer seals';

-- == end restored copy ==

-- == status ==================================================================
-- What an operator watches (docs/operations.md, "Monitoring"): the sealing
-- worker's state from shared memory, and brop.status, one row per component
-- with a state, a level to alert on and the numbers behind it.

CREATE FUNCTION brop.sealer(OUT preloaded boolean, OUT pid integer, OUT database text,
    OUT started timestamptz, OUT last_run timestamptz, OUT last_success timestamptz, OUT failures integer,
    OUT last_error text, OUT last_error_sqlstate text, OUT last_error_at timestamptz, OUT next_attempt timestamptz)
  RETURNS record
  AS 'MODULE_PATHNAME', 'brop_sealer' LANGUAGE C VOLATILE;
REVOKE EXECUTE ON FUNCTION brop.sealer() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION brop.sealer() TO pg_monitor;
COMMENT ON FUNCTION brop.sealer() IS
  'the sealing worker''s state (preloaded false: shared_preload_libraries does not load brop, so there is no worker): its pid and database, when it started, its last attempt and last success, the failures in a row, its last error (kept after a recovery) and, while failing, its next attempt';

CREATE VIEW brop.status AS
WITH lim AS (
  -- late: older than 10 block intervals, and at least a minute
  SELECT GREATEST(pg_catalog.interval '1 minute',
           10 * COALESCE(pg_catalog.current_setting('brop.block_interval', true), '3s')::interval) AS late),
s AS (SELECT * FROM brop.sealer()),
here AS (SELECT d.oid, d.datname FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()),
ident AS (SELECT i.* FROM brop.node_identity i ORDER BY i.id DESC LIMIT 1),
node AS (
  SELECT CASE
      WHEN NOT EXISTS (SELECT FROM brop.ledger_config) THEN 'unconfigured'
      WHEN (SELECT count(*) FROM ident i, here h
            WHERE i.system_identifier = brop.system_identifier() AND i.database_oid = h.oid) = 0 THEN 'refused_copy'
      ELSE 'ok' END AS state),
pend AS (
  SELECT pg_catalog.count(*) AS n, pg_catalog.min(e.submitted_at) AS oldest
  FROM brop.pending p JOIN brop.entry e ON e.id = p.entry),
cap AS (
  SELECT pg_catalog.count(*) FILTER (WHERE q.seq IS NOT NULL) AS n, pg_catalog.count(*) AS chunks,
         pg_catalog.min(q.xid) FILTER (WHERE q.seq IS NOT NULL) AS oldest_xid
  FROM brop.capture_queue q),
capx AS (
  SELECT cap.*,
    CASE WHEN cap.oldest_xid IS NOT NULL AND pg_catalog.current_setting('track_commit_timestamp')::boolean
      THEN pg_catalog.pg_xact_commit_timestamp((cap.oldest_xid % 4294967296)::text::xid) END AS oldest,
    pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint - cap.oldest_xid AS xid_age
  FROM cap),
blk AS (SELECT b.number, b.sealed_at FROM brop.block b ORDER BY b.number DESC LIMIT 1),
rows AS (
  SELECT 1 AS ord, 'node'::text AS component, NULL::text AS name, node.state,
         CASE node.state WHEN 'refused_copy' THEN 'critical' ELSE 'ok' END AS level,
         NULL::bigint AS count, (SELECT i.recorded_at FROM ident i) AS since, NULL::text AS error,
         NULL::timestamptz AS error_at,
         CASE node.state
           WHEN 'unconfigured' THEN 'brop.configure_ledger() was not called in this database'
           WHEN 'refused_copy' THEN (SELECT CASE WHEN i.id IS NULL
             THEN 'no node identity is recorded for this ledger (restored from a dump of a brop 1.0 database): it does not seal until brop.adopt_copy(reason)'
             ELSE pg_catalog.format(
             'this database (OID %s) is a copy of the ledger node, configured in database "%s" (OID %s) of the cluster with system identifier %s: it does not seal until brop.adopt_copy(reason)',
             h.oid, i.database_name, i.database_oid, i.system_identifier) END FROM here h LEFT JOIN ident i ON true)
           ELSE (SELECT pg_catalog.format('%s in this database at %s', i.how, i.recorded_at) FROM ident i) END AS detail
  FROM node
  UNION ALL
  SELECT 2, 'sealer', NULL,
    CASE WHEN NOT s.preloaded THEN 'off'
         WHEN COALESCE(s.database, pg_catalog.current_setting('brop.database', true))
              IS DISTINCT FROM pg_catalog.current_database() THEN 'other_database'
         WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_stat_activity a WHERE a.backend_type = 'brop sealer') THEN 'down'
         WHEN s.failures > 0 THEN 'failing'
         ELSE 'ok' END,
    NULL, s.failures, s.last_success, s.last_error, s.last_error_at,
    CASE WHEN NOT s.preloaded THEN 'shared_preload_libraries does not load brop: blocks are made only by calls of brop.seal()'
         ELSE pg_catalog.format('database %s, pid %s, started %s, last run %s, last success %s%s',
                COALESCE(s.database, pg_catalog.current_setting('brop.database', true)), s.pid, s.started, s.last_run,
                s.last_success,
                CASE WHEN s.failures > 0 THEN pg_catalog.format(', %s failed attempts in a row, the next at %s (SQLSTATE %s)',
                  s.failures, s.next_attempt, s.last_error_sqlstate) ELSE '' END) END
  FROM s
  UNION ALL
  SELECT 3, 'pending', NULL,
    CASE WHEN pend.n = 0 THEN 'empty' WHEN pg_catalog.now() - pend.oldest > lim.late THEN 'late' ELSE 'ok' END,
    NULL, pend.n, pend.oldest, NULL, NULL,
    pg_catalog.format('entries submitted and not yet sealed; late after %s', lim.late)
  FROM pend, lim
  UNION ALL
  SELECT 4, 'capture_queue', NULL,
    CASE WHEN capx.n = 0 THEN 'empty' WHEN pg_catalog.now() - capx.oldest > lim.late THEN 'late' ELSE 'ok' END,
    NULL, capx.n, capx.oldest, NULL, NULL,
    pg_catalog.format('committed captured transactions waiting for the next seal (%s chunks)%s', capx.chunks,
      CASE WHEN capx.n = 0 THEN ''
           WHEN capx.oldest IS NULL THEN pg_catalog.format('; the oldest is %s transactions old (its commit time is known only with track_commit_timestamp = on)', capx.xid_age)
           ELSE pg_catalog.format('; the oldest is %s transactions old', capx.xid_age) END)
  FROM capx, lim
  UNION ALL
  SELECT 5, 'last_block', NULL, CASE WHEN blk.number IS NULL THEN 'none' ELSE 'ok' END, 'ok',
    blk.number, blk.sealed_at, NULL, NULL,
    'the latest block: a block is made only when entries are pending'
  FROM (SELECT) o LEFT JOIN blk ON true
  UNION ALL
  SELECT 6, 'source', p.source,
    CASE WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_stat_activity a
                          WHERE a.datname = pg_catalog.current_database()
                            AND a.application_name = pg_catalog.left('brop relay ' || p.source, 63)) THEN 'down'
         WHEN pg_catalog.now() - p.updated_at > lim.late THEN 'idle'
         ELSE 'ok' END,
    NULL, p.entries, p.updated_at, NULL, NULL,
    pg_catalog.format('organisation %s, at LSN %s%s of the source; how far the source is ahead is known on the source (docs/operations.md, "Monitoring")',
      p.org, p.lsn, CASE WHEN p.changes IS NULL THEN '' ELSE pg_catalog.format(' after %s changes', p.changes) END)
  FROM brop.source_position p, lim
)
SELECT r.component, r.name, r.state,
  COALESCE(r.level, CASE
    WHEN r.state IN ('refused_copy', 'down', 'failing') THEN 'critical'
    WHEN r.state = 'late' AND pg_catalog.now() - r.since > 10 * lim.late THEN 'critical'
    WHEN r.state = 'late' THEN 'warning'
    ELSE 'ok' END) AS level,
  r.count, r.since, pg_catalog.now() - r.since AS age, r.error, r.error_at, r.detail
FROM rows r, lim
ORDER BY r.ord, r.name;
REVOKE ALL ON brop.status FROM PUBLIC;
GRANT SELECT ON brop.status TO pg_monitor;
COMMENT ON VIEW brop.status IS
  'one row per component an operator watches (node, sealer, pending, capture_queue, last_block, one per relayed source), each with a state and a level (ok, warning, critical) to alert on; docs/operations.md, "Monitoring"';
COMMENT ON COLUMN brop.status.component IS 'node, sealer, pending, capture_queue, last_block or source';
COMMENT ON COLUMN brop.status.name IS 'the source''s name for a source row, else null';
COMMENT ON COLUMN brop.status.state IS 'node: ok, unconfigured, refused_copy; sealer: ok, failing, down, off, other_database; pending and capture_queue: empty, ok, late; last_block: ok, none; source: ok, idle, down';
COMMENT ON COLUMN brop.status.level IS 'ok, warning or critical: what to alert on (critical: refused_copy, down, failing, late for 10 times the late threshold; warning: late)';
COMMENT ON COLUMN brop.status.count IS 'pending: entries; capture_queue: committed transactions; sealer: failed attempts in a row; last_block: its number; source: entries relayed';
COMMENT ON COLUMN brop.status.since IS 'pending: the oldest entry''s submission; capture_queue: the oldest transaction''s commit (with track_commit_timestamp); sealer: its last success; last_block: its sealing; source: its last batch; node: when its identity was recorded';
COMMENT ON COLUMN brop.status.age IS 'now() - since';
COMMENT ON COLUMN brop.status.error IS 'sealer: its last error''s message, kept after it sealed again';
COMMENT ON COLUMN brop.status.error_at IS 'sealer: when its last error happened';
COMMENT ON COLUMN brop.status.detail IS 'the rest, in words: thresholds, positions, what to do';

-- == end status ==

-- == registration: existing rows =============================================

-- == end registration ==

-- == disclosure ==============================================================

-- == end disclosure ==

-- == progress ================================================================

-- == end progress ==
