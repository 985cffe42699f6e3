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

-- == end disclosure ==

-- == progress ================================================================

-- == end progress ==
