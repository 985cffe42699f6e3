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

-- == end restored copy ==

-- == status ==================================================================

-- == end status ==

-- == registration: existing rows =============================================

-- == end registration ==

-- == disclosure ==============================================================

-- One registered row disclosed to a third party (docs/registration.md,
-- "Disclosing one row"): its document made from the table under brop's
-- fixed text settings, whatever the session's, and the bundle that
-- `brop verify --disclosure` checks offline (docs/formats.md, "Row
-- disclosure bundles"). C: src/pg/disclosure.c.
CREATE FUNCTION brop.row_document(tab regclass, row_key jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'brop_row_document' LANGUAGE C STABLE STRICT
  SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION brop.row_document(regclass, jsonb) IS
  'the document of a registered row as it is now (the JSON array row_key names it by its key columns'' text), made as the capture trigger and the output plugin make it, whatever the session''s TimeZone, DateStyle, IntervalStyle or extra_float_digits; needs SELECT on the table';

CREATE FUNCTION brop.disclosure(tab regclass, row_key jsonb) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_disclosure' LANGUAGE C STABLE STRICT
  SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION brop.disclosure(regclass, jsonb) IS
  'the disclosure bundle of a registered row''s last version (its table''s owner only): document, salt, signed entry, inclusion proof and checkpoint, as RFC 8785 JSON for brop verify --disclosure';

-- == end disclosure ==

-- == progress ================================================================

-- == end progress ==
