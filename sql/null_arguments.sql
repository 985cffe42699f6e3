-- Every C function of the extension, found in pg_proc through pg_depend (so a
-- new one cannot escape), called with each argument NULL in turn: once with
-- the other arguments plausible values of their types, once with them NULL
-- too; and once with none NULL. Errors are expected and ignored; the test is that the backend survives
-- every call. Each call runs in its own subtransaction, rolled back after it.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';

CREATE TEMP TABLE null_calls (fn regprocedure, call text, outcome text);

-- a plausible non-null value of a type, as SQL text (NULL where none is known)
CREATE FUNCTION pg_temp.plausible(t oid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE format_type(t, NULL)
    WHEN 'text' THEN quote_literal('x')
    WHEN 'cstring' THEN '''x''::cstring'
    WHEN 'bytea' THEN '''\x00''::bytea'
    WHEN 'jsonb' THEN '''{}''::jsonb'
    WHEN 'bigint' THEN '1::bigint'
    WHEN 'integer' THEN '1'
    WHEN 'boolean' THEN 'true'
    WHEN 'regclass' THEN '''pg_temp.null_calls''::regclass'
    WHEN 'regrole' THEN 'current_user::regrole'
    WHEN 'text[]' THEN '''{x}''::text[]'
    WHEN 'timestamp with time zone' THEN 'now()'
    WHEN 'pg_lsn' THEN '''0/0''::pg_lsn'
    WHEN 'brop.did' THEN '''did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp''::brop.did'
    WHEN 'brop.digest' THEN '''ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad''::brop.digest'
    WHEN 'brop.digest[]' THEN 'ARRAY[''ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad''::brop.digest]'
    WHEN 'brop.proof' THEN '''inclusion(1, 0) []''::brop.proof'
    ELSE
      -- a composite type: a row of NULL fields
      (SELECT 'ROW(' || string_agg('NULL', ',') || ')::' || format_type(t, NULL)
       FROM pg_attribute a JOIN pg_type ty ON ty.typrelid = a.attrelid
       WHERE ty.oid = t AND a.attnum > 0 AND NOT a.attisdropped
       HAVING count(*) > 0)
  END
$$;

DO $$
DECLARE
  f record;
  i int;
  j int;
  variant int;
  args text[];
  q text;
BEGIN
  FOR f IN
    SELECT p.oid, ARRAY(SELECT unnest(p.proargtypes)) AS types, p.prorettype = 'trigger'::regtype AS is_trigger
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                    AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'brop'
    WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
      AND p.prokind = 'f' AND p.pronargs > 0
      -- SQL cannot call a function that takes internal
      AND NOT 'internal'::regtype = ANY (p.proargtypes)
    ORDER BY p.oid
  LOOP
    -- i = 0: every argument plausible (a composite one is a row of NULL fields)
    FOR i IN 0 .. array_length(f.types, 1) LOOP
      FOR variant IN 1 .. 2 LOOP
        CONTINUE WHEN i = 0 AND variant = 2;
        args := '{}';
        FOR j IN 1 .. array_length(f.types, 1) LOOP
          IF j = i OR variant = 2 THEN
            args := args || ('NULL::' || format_type(f.types[j], NULL));
          ELSE
            args := args || coalesce(pg_temp.plausible(f.types[j]),
                                     'NULL::' || format_type(f.types[j], NULL));
          END IF;
        END LOOP;
        q := format('SELECT %s(%s)', f.oid::regproc, array_to_string(args, ', '));
        BEGIN
          EXECUTE q;
          RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'rolled back';
        EXCEPTION WHEN OTHERS THEN
          INSERT INTO null_calls VALUES (f.oid, q, SQLSTATE);
        END;
      END LOOP;
    END LOOP;
  END LOOP;
END
$$;

-- reached only if the backend survived every call
SELECT count(DISTINCT fn) > 40 AS functions_checked,
       count(*) > 100 AS calls_made,
       count(*) FILTER (WHERE outcome = 'P0001') > 0 AS some_returned
FROM null_calls;
-- a NULL credential gives a NULL result
SELECT * FROM brop.credential_check(NULL);
SELECT * FROM brop.credential_check(NULL, 'n', 'a');
