-- brop's rows are written by statements through the executor (issue 16,
-- "Writes go through PostgreSQL"; issue 25, "Schema changes a DBA may
-- make"): a CHECK constraint, a trigger or a foreign key a DBA adds to
-- brop's tables is honoured, a column added and dropped changes nothing, and
-- the extension dropped and made again works at once in the same session.
-- In a database of its own, since it drops the extension.
CREATE DATABASE brop_writes;
\c brop_writes
SET client_min_messages = warning;
CREATE EXTENSION brop;
RESET client_min_messages;
\getenv abs_srcdir PG_ABS_SRCDIR
\set present_sql :abs_srcdir '/test/bench/credential_present.sql'
\i :present_sql
-- a statement's outcome: "ok", or its SQLSTATE and message (DIDs and serials elided)
CREATE FUNCTION try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(regexp_replace(SQLERRM, 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...', 'g'),
                                            'urn:uuid:[0-9a-f-]+', 'urn:uuid:...', 'g');
END $$;
-- the node, an organisation, a university and a holder; the ledger and the university's registration
CREATE FUNCTION setup() RETURNS text LANGUAGE sql AS $$
  SELECT count(brop.create_key('ed25519', k)) FROM unnest(ARRAY['w-node', 'w-org', 'w-uni', 'w-alice']) k;
  SELECT brop.configure_ledger('example.org/writes', 'w-node');
  SELECT brop.add_organization(brop.key_did('w-uni'), 'University of Writes', 'cross_issuer',
                               '{higher_education,professional}');
  SELECT 'set up';
$$;
-- one of each write: an entry, a credential, a presentation verified, sealed in between
CREATE FUNCTION issue(category text DEFAULT 'higher_education') RETURNS text LANGUAGE sql AS $$
  SELECT (brop.issue_credential('w-uni', brop.key_did('w-alice'), category, '{"degree": "BSc", "year": 2026}')).credential;
$$;
-- the verdict on a presentation as jsonb (of no type of brop's, which the extension's drop would take along)
CREATE FUNCTION present(cred text, aud text DEFAULT 'https://verifier.example') RETURNS jsonb LANGUAGE sql AS $$
  SELECT to_jsonb(brop.verify_presentation(present_with_keyring(cred, 'w-alice', '{degree}', 'n-' || md5(cred || aud), aud),
                                           'n-' || md5(cred || aud), aud));
$$;
CREATE FUNCTION round_trip(tag text) RETURNS TABLE (submitted boolean, issued boolean, sealed boolean, valid boolean,
    reasons text[], logged bigint) LANGUAGE plpgsql AS $$
DECLARE
  cred text;
  v jsonb;
BEGIN
  submitted := (SELECT e.nonce = tag FROM brop.submit_as('w-org', 'evidence', brop.sha256(convert_to(tag, 'UTF8')), tag) e);
  cred := issue();
  issued := cred IS NOT NULL;
  sealed := (brop.seal()).number IS NOT NULL;
  v := present(cred);
  valid := v->'valid';
  reasons := ARRAY(SELECT jsonb_array_elements_text(v->'reasons'));
  logged := (SELECT count(*) FROM brop.verification_log);
  RETURN NEXT;
END $$;
SELECT setup();
SELECT * FROM round_trip('first');

-- CHECK constraints a DBA adds are honoured: on brop.entry, brop.credential, brop.verification_log
ALTER TABLE brop.entry ADD CONSTRAINT dba_nonce CHECK (nonce NOT LIKE 'held-%');
ALTER TABLE brop.credential ADD CONSTRAINT dba_category CHECK (category <> 'professional');
ALTER TABLE brop.verification_log ADD CONSTRAINT dba_audience CHECK (audience <> 'https://banned.example');
SELECT try($$SELECT brop.submit_as('w-org', 'evidence', brop.sha256('held'::bytea), 'held-1')$$) AS entry_check;
SELECT try($$SELECT issue('professional')$$) AS credential_check;
SELECT issue() AS cred \gset
SELECT (brop.seal()).number IS NOT NULL AS sealed;
SELECT try(format('SELECT present(%L, %L)', :'cred', 'https://banned.example')) AS verification_log_check;
SELECT present(:'cred', 'https://fine.example')->'valid' AS other_audience_valid;
-- nothing of a refused statement stays
SELECT count(*) FILTER (WHERE nonce LIKE 'held-%') AS held_entries,
       (SELECT count(*) FROM brop.credential WHERE category = 'professional') AS professional,
       (SELECT count(*) FROM brop.verification_log WHERE audience = 'https://banned.example') AS banned_logged
  FROM brop.entry;

-- BEFORE INSERT triggers a DBA adds fire, and may refuse or change the row
CREATE TABLE dba_audit (tbl text, what text);
CREATE FUNCTION dba_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF to_jsonb(NEW)->>'nonce' LIKE 'refused-%' THEN
    RAISE EXCEPTION 'the DBA''s trigger refuses nonce %', to_jsonb(NEW)->>'nonce' USING ERRCODE = 'P0001';
  END IF;
  IF TG_TABLE_NAME = 'verification_log' THEN
    NEW.audience := lower(NEW.audience);
  END IF;
  INSERT INTO public.dba_audit
    VALUES (TG_TABLE_NAME, coalesce(to_jsonb(NEW)->>'kind', to_jsonb(NEW)->>'category', to_jsonb(NEW)->>'audience'));
  RETURN NEW;
END $$;
CREATE TRIGGER dba_audit BEFORE INSERT ON brop.entry FOR EACH ROW EXECUTE FUNCTION dba_audit();
CREATE TRIGGER dba_audit BEFORE INSERT ON brop.credential FOR EACH ROW EXECUTE FUNCTION dba_audit();
CREATE TRIGGER dba_audit BEFORE INSERT ON brop.verification_log FOR EACH ROW EXECUTE FUNCTION dba_audit();
SELECT try($$SELECT brop.submit_as('w-org', 'evidence', brop.sha256('r'::bytea), 'refused-1')$$) AS entry_trigger;
SELECT nonce FROM brop.submit_as('w-org', 'evidence', brop.sha256('t'::bytea), 'triggered-1');
SELECT issue() AS cred \gset
SELECT (brop.seal()).number IS NOT NULL AS sealed;
SELECT present(:'cred', 'https://LOUD.example')->'valid' AS valid;
SELECT tbl, what, count(*) FROM dba_audit GROUP BY 1, 2 ORDER BY 1, 2;
SELECT audience FROM brop.verification_log ORDER BY id DESC LIMIT 1;
DROP TRIGGER dba_audit ON brop.entry;
DROP TRIGGER dba_audit ON brop.credential;
DROP TRIGGER dba_audit ON brop.verification_log;
-- a BEFORE INSERT trigger that skips the entry's row (returns NULL): refused as such, not taken for a used nonce
CREATE FUNCTION dba_skip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER dba_skip BEFORE INSERT ON brop.entry FOR EACH ROW EXECUTE FUNCTION dba_skip();
SELECT try($$SELECT brop.submit_as('w-org', 'evidence', brop.sha256('s'::bytea), 'skipped-1')$$) AS submit_as_skipped;
SELECT try($$SELECT brop.submit('evidence', brop.key_did('w-org'), brop.sha256('s'::bytea), 'skipped-2',
               brop.sign('w-org', brop.entry_signing_input('evidence', brop.key_did('w-org'), brop.sha256('s'::bytea),
                                                            'skipped-2')))$$) AS submit_skipped;
SELECT try($$SELECT issue()$$) AS issue_skipped;
DROP TRIGGER dba_skip ON brop.entry;
SELECT count(*) AS skipped_entries FROM brop.entry WHERE nonce LIKE 'skipped-%';

-- foreign keys a DBA adds: checked, and no verification fails for them
ALTER TABLE brop.verification_log ADD CONSTRAINT dba_serial FOREIGN KEY (serial) REFERENCES brop.credential (serial);
ALTER TABLE brop.credential ADD CONSTRAINT dba_entry FOREIGN KEY (entry) REFERENCES brop.entry (id);
ALTER TABLE brop.pending ADD CONSTRAINT dba_entry FOREIGN KEY (entry) REFERENCES brop.entry (id);
ALTER TABLE brop.chain_head ADD CONSTRAINT dba_entry FOREIGN KEY (entry) REFERENCES brop.entry (id);
SELECT * FROM round_trip('with-foreign-keys');
SELECT issue() AS cred \gset
SELECT (brop.verify_credential(:'cred')).reasons AS unsealed_reasons;

-- NOT NULL a DBA adds
ALTER TABLE brop.credential ALTER COLUMN envelope SET NOT NULL;
SELECT try($$SELECT brop.issue_credential('w-uni', brop.key_did('w-alice'), 'higher_education', '{"a": 1}', 1)$$)
  AS not_null;
ALTER TABLE brop.credential ALTER COLUMN envelope DROP NOT NULL;

-- a column added to and dropped from each of brop's tables changes nothing
DO $$
DECLARE
  t text;
BEGIN
  FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
            WHERE c.relnamespace = 'brop'::regnamespace AND c.relkind = 'r' ORDER BY 1 LOOP
    EXECUTE format('ALTER TABLE brop.%I ADD COLUMN dba_extra text', t);
    EXECUTE format('ALTER TABLE brop.%I DROP COLUMN dba_extra', t);
  END LOOP;
END $$;
SELECT count(DISTINCT a.attrelid) = (SELECT count(*) FROM pg_catalog.pg_class c
                                      WHERE c.relnamespace = 'brop'::regnamespace AND c.relkind = 'r')
       AS every_table_has_a_dropped_column
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'brop'::regnamespace AND c.relkind = 'r' AND a.attisdropped;
SELECT * FROM round_trip('after-columns');
-- and a column kept, with a default
ALTER TABLE brop.entry ADD COLUMN dba_note text DEFAULT 'noted';
ALTER TABLE brop.pending ADD COLUMN dba_note text DEFAULT 'noted';
ALTER TABLE brop.verification_log ADD COLUMN dba_note text DEFAULT 'noted';
SELECT nonce, dba_note FROM brop.submit_as('w-org', 'evidence', brop.sha256('k'::bytea), 'kept-column');
SELECT * FROM round_trip('kept-columns');
SELECT ok, problem FROM brop.verify_ledger();

-- brop's owner is kept between calls, and looked up again when it changes: submit writes as the new owner
CREATE ROLE brop_writes_owner;
SELECT brop.key_did('w-org') AS org, brop.sign('w-org', brop.entry_signing_input('evidence', brop.key_did('w-org'),
         brop.sha256('o'::bytea), 'owner-1')) AS sig \gset
ALTER TABLE brop.key OWNER TO brop_writes_owner;
SELECT try(format('SELECT brop.submit(%L, %L, brop.sha256(%L::bytea), %L, %L)', 'evidence', :'org', 'o', 'owner-1', :'sig'))
  AS new_owner_without_rights;
ALTER TABLE brop.key OWNER TO CURRENT_USER;
SELECT nonce FROM brop.submit('evidence', :'org', brop.sha256('o'::bytea), 'owner-1', :'sig');
DROP ROLE brop_writes_owner;

-- the extension dropped and made again, in the same session: every path works at once
SET client_min_messages = warning;
DROP EXTENSION brop CASCADE;
CREATE EXTENSION brop;
RESET client_min_messages;
SELECT setup();
SELECT * FROM round_trip('made-again');
SELECT ok, problem FROM brop.verify_ledger();

-- the pending row takes the entry's expiry block as stored, here as a DBA's BEFORE INSERT trigger set it
CREATE FUNCTION dba_expiry() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.expires_block := 4242; RETURN NEW; END $$;
CREATE TRIGGER dba_expiry BEFORE INSERT ON brop.entry FOR EACH ROW EXECUTE FUNCTION dba_expiry();
SELECT expires_block AS entry_expiry FROM brop.submit_as('w-org', 'evidence', brop.sha256('x'::bytea), 'expiry-1');
SELECT p.expires_block AS pending_expiry FROM brop.pending p JOIN brop.entry e ON e.id = p.entry WHERE e.nonce = 'expiry-1';
DROP TRIGGER dba_expiry ON brop.entry;

\c brop_regress
DROP DATABASE brop_writes;
