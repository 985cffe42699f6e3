-- brop 1.0 -> 1.1 (issue 17 and the fixes after 1.0). brop--1.0.sql never
-- changes after its release: every schema change since ships here, and a new
-- installation of 1.1 runs brop--1.0.sql and then this script (there is no
-- brop--1.1.sql), so a fresh node and an upgraded one are the same.
\echo Use "ALTER EXTENSION brop UPDATE TO '1.1'" to load this file. \quit

-- Each section below is owned by one change; keep edits inside your section.

-- == submit: reserved kinds ==================================================
-- An entry of kind organization, membership, credential or credential_status
-- states a row of brop's tables, which brop.verify_ledger() requires
-- (docs/ledger.md, "Who writes which kind"). brop.submit,
-- submit_as, submit_batch and change_entry refuse them (42501, C:
-- submit_owned.c); the functions that write the rows sign as their caller
-- (keyring rights checked for the caller), then hand the signature to a
-- SECURITY DEFINER function below that checks the change again, writes the
-- entry through brop.submit_owned and the row in the same transaction.
-- brop.submit_owned's EXECUTE is granted to no role: only the extension's
-- owner reaches it, in these functions. Its existence is also what makes the
-- C library refuse the reserved kinds (a 1.0 schema's functions still submit
-- them through brop.submit until ALTER EXTENSION brop UPDATE).

CREATE FUNCTION brop.submit_owned(kind text, org brop.did, payload_digest brop.digest, nonce text, signature bytea,
    header jsonb DEFAULT '{}', subject brop.did DEFAULT NULL, body_digest brop.digest DEFAULT NULL,
    chain_key text DEFAULT NULL, prev_digest brop.digest DEFAULT NULL, expires_block bigint DEFAULT NULL)
  RETURNS brop.entry
  AS 'MODULE_PATHNAME', 'brop_submit_owned' LANGUAGE C VOLATILE;
REVOKE EXECUTE ON FUNCTION brop.submit_owned(text, brop.did, brop.digest, text, bytea, jsonb, brop.did, brop.digest, text, brop.digest, bigint) FROM PUBLIC;
COMMENT ON FUNCTION brop.submit_owned(text, brop.did, brop.digest, text, bytea, jsonb, brop.did, brop.digest, text, brop.digest, bigint) IS
  'brop.submit for the reserved kinds, called only by the SECURITY DEFINER functions that write the entry''s row with it (EXECUTE granted to no role)';

-- The bytes the signer signs for the next entry of a governance or
-- membership chain (nonce <chain>:<length + 1>, prev_digest its head, as
-- brop.change_entry made them), or, with a signature, that entry appended.
CREATE FUNCTION brop.change_owned(kind text, signer brop.did, chain text, header jsonb, subject brop.did,
    signature bytea, OUT input bytea, OUT e brop.entry)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  head brop.chain_head;
  payload brop.digest := brop.sha256(convert_to(brop.jcs(header), 'UTF8'));
  nonce text;
BEGIN
  SELECT * INTO head FROM brop.chain_head h WHERE h.chain_key = chain;
  nonce := chain || ':' || (coalesce(head.length, 0) + 1);
  IF signature IS NULL THEN
    input := brop.entry_signing_input(kind, signer, payload, nonce, header, subject, NULL, chain, head.head);
  ELSE
    e := brop.submit_owned(kind, signer, payload, nonce, signature, header, subject, NULL, chain, head.head);
  END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.change_owned(text, brop.did, text, jsonb, brop.did, bytea) FROM PUBLIC;
COMMENT ON FUNCTION brop.change_owned(text, brop.did, text, jsonb, brop.did, bytea) IS
  'the signing input of the next entry of a governance or membership chain, or (with its signature) that entry appended through brop.submit_owned';

-- ERROR unless signer is the node's did or an active governance organisation's.
CREATE FUNCTION brop.governance_did_check(signer brop.did) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM brop.ledger_config c WHERE c.node_did = signer)
     AND NOT EXISTS (SELECT 1 FROM brop.organization o
                      WHERE o.did = signer AND o.role = 'governance' AND o.status = 'active') THEN
    RAISE EXCEPTION '% is not the node or an active governance organisation', signer
      USING ERRCODE = '42501', HINT = 'A governance change is signed with the node''s key or an active governance organisation''s.';
  END IF;
END
$$;
COMMENT ON FUNCTION brop.governance_did_check(brop.did) IS
  'raises 42501 unless the did is the node''s or an active governance organisation''s';

-- Membership (replaces 1.0's, which submitted through brop.change_entry).
-- The change's header after the checks, the pair locked: what both
-- brop.membership_change_input and brop.membership_change sign and write.
CREATE FUNCTION brop.membership_next(org brop.did, holder brop.did, member boolean, OUT header jsonb, OUT version int)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  last brop.membership_history;
BEGIN
  IF holder IS NULL OR member IS NULL THEN
    RAISE EXCEPTION 'holder and member must not be null' USING ERRCODE = '22004';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM brop.organization o WHERE o.did = org AND o.status = 'active') THEN
    RAISE EXCEPTION 'organisation % is not an active organisation of this ledger', org USING ERRCODE = '42501';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('brop membership ' || org::text || ' ' || holder::text, 0));
  SELECT * INTO last FROM brop.membership_history m WHERE m.org = org AND m.holder = holder
   ORDER BY m.version DESC LIMIT 1;
  IF coalesce(last.member, false) = member THEN
    RAISE EXCEPTION '% is % a member of %', holder, CASE WHEN member THEN 'already' ELSE 'not' END, org
      USING ERRCODE = '55000';
  END IF;
  version := coalesce(last.version, 0) + 1;
  header := jsonb_build_object('op', CASE WHEN member THEN 'join' ELSE 'leave' END, 'org', org::text,
                               'holder', holder::text, 'version', version);
END
$$;
REVOKE EXECUTE ON FUNCTION brop.membership_next(brop.did, brop.did, boolean) FROM PUBLIC;
COMMENT ON FUNCTION brop.membership_next(brop.did, brop.did, boolean) IS
  'the header and version of the next membership change of holder in org, checked, the pair locked';

CREATE FUNCTION brop.membership_change_input(org brop.did, holder brop.did, member boolean) RETURNS bytea
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n record := brop.membership_next(org, holder, member);
BEGIN
  RETURN (brop.change_owned('membership', org, 'membership:' || org::text || ':' || holder::text,
                            n.header, holder, NULL)).input;
END
$$;
COMMENT ON FUNCTION brop.membership_change_input(brop.did, brop.did, boolean) IS
  'the bytes the organisation signs for a holder joining (member true) or leaving it: brop.membership_change takes the signature';

CREATE FUNCTION brop.membership_change(org brop.did, holder brop.did, member boolean, signature bytea) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  n record := brop.membership_next(org, holder, member);
  e brop.entry;
BEGIN
  e := (brop.change_owned('membership', org, 'membership:' || org::text || ':' || holder::text,
                          n.header, holder, signature)).e;
  INSERT INTO brop.membership_history VALUES (org, holder, n.version, member, e.submitted_at, e.id);
  RETURN e.id;
END
$$;
COMMENT ON FUNCTION brop.membership_change(brop.did, brop.did, boolean, bytea) IS
  'a holder joins or leaves an organisation, signed by it over brop.membership_change_input: the entry and its brop.membership_history row; returns the entry';

CREATE OR REPLACE FUNCTION brop.set_membership(org_key text, holder brop.did, member boolean) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  org_did brop.did := brop.key_did(org_key);
BEGIN
  RETURN brop.membership_change(org_did, holder, member,
           brop.sign(org_key, brop.membership_change_input(org_did, holder, member)));
END
$$;

-- Organisations and categories (replacing 1.0's, which submitted through
-- brop.change_entry).
-- The organisation's categories checked against its role, sorted.
CREATE FUNCTION brop.organization_checked(o brop.organization) RETURNS brop.organization
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  unknown text;
BEGIN
  SELECT c INTO unknown FROM unnest(o.categories) c
   WHERE NOT EXISTS (SELECT 1 FROM brop.credential_category k WHERE k.name = c) LIMIT 1;
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'unknown credential category "%"', brop.quote_input(unknown)
      USING ERRCODE = '22023', HINT = 'The categories are the rows of brop.credential_category (brop.add_category adds one).';
  END IF;
  IF o.categories <> '{}' AND o.role NOT IN ('direct_issuer', 'cross_issuer') THEN
    RAISE EXCEPTION 'an organisation with role "%" issues no credentials', o.role
      USING ERRCODE = '22023', HINT = 'Only direct and cross issuers have categories.';
  END IF;
  SELECT array_agg(DISTINCT c ORDER BY c) INTO o.categories FROM unnest(o.categories) c;
  o.categories := coalesce(o.categories, '{}');
  RETURN o;
END
$$;
COMMENT ON FUNCTION brop.organization_checked(brop.organization) IS
  'an organisation''s categories checked (known, and only for issuers) and sorted';

-- Version o.version of an organisation as it is written (checked against the
-- current row, locked; its times set) and its entry's header.
CREATE FUNCTION brop.organization_next(op text, o brop.organization, signer brop.did,
    OUT next brop.organization, OUT header jsonb)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cur brop.organization;
BEGIN
  next := brop.organization_checked(o);
  PERFORM brop.governance_did_check(signer);
  SELECT * INTO cur FROM brop.organization x WHERE x.did = o.did FOR UPDATE;
  IF cur.did IS NULL AND (op IS DISTINCT FROM 'add' OR o.version IS DISTINCT FROM 1) THEN
    RAISE EXCEPTION 'organisation % is not on this ledger', o.did USING ERRCODE = '42704';
  ELSIF cur.did IS NOT NULL AND op = 'add' THEN
    RAISE EXCEPTION 'organisation % is already on this ledger', o.did USING ERRCODE = '23505';
  ELSIF cur.status = 'removed' AND next.status <> 'removed' THEN
    RAISE EXCEPTION 'organisation % was removed', o.did
      USING ERRCODE = '55000', HINT = 'A removed organisation stays removed; add it under a new DID.';
  ELSIF cur.did IS NOT NULL AND (o.version IS DISTINCT FROM cur.version + 1 OR o.name IS DISTINCT FROM cur.name
                                 OR o.role IS DISTINCT FROM cur.role) THEN
    RAISE EXCEPTION 'organisation % changes from its version %, keeping its name and role', o.did, cur.version
      USING ERRCODE = '55000';
  ELSIF op IS NULL OR op NOT IN ('add', 'reactivate', 'suspend', 'remove', 'categories') THEN
    RAISE EXCEPTION 'an organisation change is add, reactivate, suspend, remove or categories, not %',
      coalesce(brop.quote_input(op), 'null') USING ERRCODE = '22023';
  END IF;
  next.added_at := coalesce(cur.added_at, now());
  next.status_at := CASE WHEN op = 'categories' THEN cur.status_at ELSE now() END;
  next.entry := NULL;
  header := jsonb_build_object('op', op, 'did', next.did::text, 'name', next.name, 'role', next.role,
                               'categories', to_jsonb(next.categories), 'status', next.status, 'version', next.version);
END
$$;
REVOKE EXECUTE ON FUNCTION brop.organization_next(text, brop.organization, brop.did) FROM PUBLIC;
COMMENT ON FUNCTION brop.organization_next(text, brop.organization, brop.did) IS
  'the next version of an organisation as written, checked against its current row (locked), and its entry''s header';

CREATE FUNCTION brop.organization_change_input(op text, o brop.organization, signer brop.did) RETURNS bytea
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n record := brop.organization_next(op, o, signer);
BEGIN
  RETURN (brop.change_owned('organization', signer, 'organization:' || o.did::text, n.header, o.did, NULL)).input;
END
$$;
COMMENT ON FUNCTION brop.organization_change_input(text, brop.organization, brop.did) IS
  'the bytes the node or a governance organisation signs for a change of an organisation: brop.organization_change takes the signature';

CREATE FUNCTION brop.organization_change(op text, o brop.organization, signer brop.did, signature bytea)
  RETURNS brop.organization
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n record := brop.organization_next(op, o, signer);
  e brop.entry := (brop.change_owned('organization', signer, 'organization:' || o.did::text, n.header, o.did,
                                     signature)).e;
BEGIN
  o := n.next;
  o.entry := e.id;
  INSERT INTO brop.organization_history (did, version, name, role, categories, status, valid_from, entry)
    VALUES (o.did, o.version, o.name, o.role, o.categories, o.status, e.submitted_at, e.id);
  INSERT INTO brop.organization AS t VALUES (o.*)
    ON CONFLICT (did) DO UPDATE SET name = excluded.name, role = excluded.role, categories = excluded.categories,
      status = excluded.status, status_at = excluded.status_at, version = excluded.version, entry = excluded.entry;
  RETURN o;
END
$$;
COMMENT ON FUNCTION brop.organization_change(text, brop.organization, brop.did, bytea) IS
  'a change of an organisation signed over brop.organization_change_input by the node or a governance organisation: the entry, its history row and its current row';

CREATE OR REPLACE FUNCTION brop.organization_write(op text, o brop.organization, governance_key text)
  RETURNS brop.organization
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  key text;
  signer brop.did;
BEGIN
  o := brop.organization_checked(o);
  key := brop.governance_signer(governance_key);
  signer := brop.key_did(key);
  RETURN brop.organization_change(op, o, signer, brop.sign(key, brop.organization_change_input(op, o, signer)));
END
$$;

-- The header of the entry that adds a category, checked.
CREATE FUNCTION brop.category_next(name text, description text, signer brop.did) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
BEGIN
  IF name IS NULL OR name !~ '^[a-z][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION 'a category name is a lower-case letter then up to 62 of a-z, 0-9 and _, not "%"', brop.quote_input(name)
      USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('brop category ' || name, 0));
  IF EXISTS (SELECT 1 FROM brop.credential_category k WHERE k.name = name) THEN
    RAISE EXCEPTION 'credential category "%" already exists', brop.quote_input(name) USING ERRCODE = '23505';
  END IF;
  PERFORM brop.governance_did_check(signer);
  RETURN jsonb_build_object('op', 'add_category', 'category', name, 'description', description);
END
$$;
REVOKE EXECUTE ON FUNCTION brop.category_next(text, text, brop.did) FROM PUBLIC;
COMMENT ON FUNCTION brop.category_next(text, text, brop.did) IS
  'the header of the governance entry that adds a credential category, checked';

CREATE FUNCTION brop.category_add_input(name text, description text, signer brop.did) RETURNS bytea
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN (brop.change_owned('organization', signer, 'category:' || name,
                            brop.category_next(name, description, signer), NULL, NULL)).input;
END
$$;
COMMENT ON FUNCTION brop.category_add_input(text, text, brop.did) IS
  'the bytes the node or a governance organisation signs to add a credential category: brop.category_add takes the signature';

CREATE FUNCTION brop.category_add(name text, description text, signer brop.did, signature bytea)
  RETURNS brop.credential_category
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e brop.entry := (brop.change_owned('organization', signer, 'category:' || name,
                                     brop.category_next(name, description, signer), NULL, signature)).e;
  c brop.credential_category;
BEGIN
  INSERT INTO brop.credential_category VALUES (name, description, e.id) RETURNING * INTO c;
  RETURN c;
END
$$;
COMMENT ON FUNCTION brop.category_add(text, text, brop.did, bytea) IS
  'add a credential category, signed over brop.category_add_input by the node or a governance organisation: the entry and its row';

CREATE OR REPLACE FUNCTION brop.add_category(name text, description text, governance_key text DEFAULT NULL)
  RETURNS brop.credential_category
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  key text;
  signer brop.did;
BEGIN
  IF name IS NULL OR name !~ '^[a-z][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION 'a category name is a lower-case letter then up to 62 of a-z, 0-9 and _, not "%"', brop.quote_input(name)
      USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM brop.credential_category k WHERE k.name = add_category.name) THEN
    RAISE EXCEPTION 'credential category "%" already exists', brop.quote_input(name) USING ERRCODE = '23505';
  END IF;
  key := brop.governance_signer(governance_key);
  signer := brop.key_did(key);
  RETURN brop.category_add(name, description, signer,
           brop.sign(key, brop.category_add_input(name, description, signer)));
END
$$;

-- Credentials: record_credential and credential_request (SECURITY DEFINER
-- already) append through brop.submit_owned; issue_credential appends in C
-- with its row.
CREATE OR REPLACE FUNCTION brop.record_credential(header jsonb, digest brop.digest, envelope bytea, signature bytea,
    prev_digest brop.digest)
  RETURNS brop.credential
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c brop.credential;
  prev brop.credential;
  e brop.entry;
  direct boolean;
BEGIN
  c := ROW(header->>'serial', header->>'serial', (header->>'version')::int, header->>'supersedes',
           (header->>'issuer')::brop.did, (header->>'holder')::brop.did, header->>'category',
           header->>'form', (header->>'profile')::smallint, digest, (header->>'issued_at')::timestamptz,
           (header->>'valid_until')::timestamptz, NULL, 'active', false, false, envelope, NULL);
  IF brop.credential_header(c) IS DISTINCT FROM header THEN
    RAISE EXCEPTION 'malformed credential header' USING ERRCODE = '22023';
  END IF;
  -- the oracle is asked now, and verification asks it at issued_at: they
  -- must be the same moment, give or take the key binding's window
  IF c.issued_at NOT BETWEEN now() - interval '5 minutes' AND now() + interval '5 minutes' THEN
    RAISE EXCEPTION 'a credential is recorded within 5 minutes of its issued_at'
      USING ERRCODE = '22023',
            DETAIL = format('Its header says it was issued at %s.', header->>'issued_at'),
            HINT = 'Record a credential when it is signed, from a clock in step with the node''s: verification asks the oracle at issued_at.';
  END IF;
  IF NOT brop.is_authorized_issuer(c.issuer, c.category) THEN
    RAISE EXCEPTION '% is not authorised to issue % credentials', c.issuer, brop.quote_input(c.category)
      USING ERRCODE = '42501', HINT = 'brop.is_authorized_issuer() answers; governance grants categories with brop.set_organization_categories().';
  END IF;
  SELECT o.role = 'direct_issuer' INTO direct FROM brop.organization o WHERE o.did = c.issuer;
  IF direct AND NOT brop.is_member(c.issuer, c.holder) THEN
    RAISE EXCEPTION '% issues only to its members, and % is not one', c.issuer, c.holder
      USING ERRCODE = '42501', HINT = 'A direct issuer adds members with brop.set_membership().';
  END IF;
  IF c.version > 1 THEN
    SELECT * INTO prev FROM brop.credential x WHERE x.serial = c.supersedes FOR UPDATE;
    IF NOT FOUND OR prev.status <> 'active' OR prev.issuer <> c.issuer OR prev.holder <> c.holder
       OR prev.category <> c.category OR prev.version <> c.version - 1 THEN
      RAISE EXCEPTION 'credential % is not the active version % of this issuer''s credential to this holder',
        brop.quote_input(c.supersedes), c.version - 1 USING ERRCODE = '55000';
    END IF;
    c.lineage := prev.lineage;
  END IF;
  e := brop.submit_owned('credential', c.issuer, digest, c.serial, signature, header, c.holder,
                         CASE WHEN envelope IS NULL THEN NULL ELSE brop.sha256(envelope) END,
                         'credential:' || c.lineage, prev_digest);
  c.entry := e.id;
  IF c.version > 1 THEN
    UPDATE brop.credential x SET status = 'superseded', status_entry = e.id WHERE x.serial = prev.serial;
    c.deactivated := prev.deactivated;
  END IF;
  INSERT INTO brop.credential VALUES (c.*);
  RETURN c;
END
$$;

CREATE OR REPLACE FUNCTION brop.credential_request(serial text, op text, nonce text, signature bytea, reason text DEFAULT NULL)
  RETURNS brop.credential
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  req record;
  c brop.credential;
  header jsonb := brop.credential_request_header(serial, op, reason);
  e brop.entry;
BEGIN
  SELECT * INTO req FROM brop.credential_for_request(serial, op, true);
  c := req.c;
  IF op = 'revoke' AND c.status <> 'active' THEN
    RAISE EXCEPTION 'credential % is %, not active', serial, c.status USING ERRCODE = '55000';
  ELSIF op = 'deactivate' AND c.deactivated THEN
    RAISE EXCEPTION 'credential % is already deactivated', serial USING ERRCODE = '55000';
  ELSIF op = 'reactivate' AND NOT c.deactivated THEN
    RAISE EXCEPTION 'credential % is not deactivated', serial USING ERRCODE = '55000';
  ELSIF op = 'destroy' AND c.destroyed THEN
    RAISE EXCEPTION 'credential % is already destroyed', serial USING ERRCODE = '55000';
  END IF;
  -- submit checks the signer's signature over exactly these fields
  e := brop.submit_owned('credential_status', req.signer, brop.sha256(convert_to(brop.jcs(header), 'UTF8')), nonce,
                         signature, header, c.holder, NULL, 'credential:' || c.lineage, req.head);
  IF op = 'revoke' THEN
    UPDATE brop.credential x SET status = 'revoked', status_entry = e.id WHERE x.serial = c.serial;
  ELSIF op IN ('deactivate', 'reactivate') THEN
    -- every version of the credential
    UPDATE brop.credential x SET deactivated = (op = 'deactivate'), status_entry = e.id WHERE x.lineage = c.lineage;
  ELSE
    UPDATE brop.credential x SET destroyed = true, envelope = NULL, status_entry = e.id WHERE x.lineage = c.lineage;
  END IF;
  SELECT * INTO c FROM brop.credential x WHERE x.serial = serial;
  RETURN c;
END
$$;

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
