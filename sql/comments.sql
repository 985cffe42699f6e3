-- Every object of the extension has a COMMENT: each member found through
-- pg_depend (tables, views, sequences, functions, aggregates, types,
-- operators, operator classes and families, casts, event triggers), and each
-- column of its tables and views. An object added without a comment is
-- listed here, and the test fails. A table's or view's row type and an
-- array type are members too from PostgreSQL 17 on; they are described by
-- their relation and their element, and left out.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

WITH member AS (
  SELECT d.classid, d.objid
    FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
   WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND x.extname = 'brop'
     AND NOT EXISTS (SELECT FROM pg_type t
                      WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid
                        AND (t.typrelid <> 0 OR EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)))),
object AS (
  SELECT classid, objid, 0 AS objsubid FROM member
  UNION ALL
  SELECT m.classid, m.objid, a.attnum FROM member m
    JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
                   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
SELECT pg_describe_object(o.classid, o.objid, o.objsubid) AS lacks_a_comment
  FROM object o
  LEFT JOIN pg_description ds ON ds.classoid = o.classid AND ds.objoid = o.objid AND ds.objsubid = o.objsubid
 WHERE coalesce(ds.description, '') = ''
 ORDER BY 1;

-- the check finds objects at all (a query that finds none would pass too)
SELECT count(*) > 150 AS members_found
  FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND x.extname = 'brop';

-- the extension's description says what brop is
SELECT comment FROM pg_available_extensions WHERE name = 'brop';
