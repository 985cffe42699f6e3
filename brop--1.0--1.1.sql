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
  e brop.entry;
BEGIN
  c := ROW(header->>'serial', header->>'serial', (header->>'version')::int, header->>'supersedes',
           (header->>'issuer')::brop.did, (header->>'holder')::brop.did, header->>'category',
           header->>'form', (header->>'profile')::smallint, digest, (header->>'issued_at')::timestamptz,
           (header->>'valid_until')::timestamptz, NULL, 'active', false, false, envelope, NULL);
  IF brop.credential_header(c) IS DISTINCT FROM header THEN
    RAISE EXCEPTION 'malformed credential header' USING ERRCODE = '22023';
  END IF;
  -- issue_credential's rules (brop.admit_credential, in C): issued_at within
  -- 5 minutes of now, the oracle and membership, the version superseded
  -- locked; sets the lineage and deactivated flag
  c := brop.admit_credential(c);
  e := brop.submit_owned('credential', c.issuer, digest, c.serial, signature, header, c.holder,
                         CASE WHEN envelope IS NULL THEN NULL ELSE brop.sha256(envelope) END,
                         'credential:' || c.lineage, prev_digest);
  c.entry := e.id;
  IF c.supersedes IS NOT NULL THEN
    UPDATE brop.credential x SET status = 'superseded', status_entry = e.id WHERE x.serial = c.supersedes;
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
-- Every object of the extension has a COMMENT (regress test comments lists
-- any without one). 1.0 left the columns, the types' support functions,
-- operators, operator classes and families, casts and sequences, and a few
-- internal functions without one; these are they. A section that adds an
-- object comments it there.

-- The types' support: I/O, comparison, hashing, operators, casts
COMMENT ON FUNCTION brop.digest_in(cstring) IS 'input function of brop.digest: 64 hexadecimal digits';
COMMENT ON FUNCTION brop.digest_out(brop.digest) IS 'output function of brop.digest: 64 lower-case hexadecimal digits';
COMMENT ON FUNCTION brop.digest_recv(internal) IS 'binary input function of brop.digest: exactly 32 bytes';
COMMENT ON FUNCTION brop.digest_send(brop.digest) IS 'binary output function of brop.digest: its 32 bytes';
COMMENT ON FUNCTION brop.digest_eq(brop.digest, brop.digest) IS 'implementation of = for brop.digest';
COMMENT ON FUNCTION brop.digest_ne(brop.digest, brop.digest) IS 'implementation of <> for brop.digest';
COMMENT ON FUNCTION brop.digest_lt(brop.digest, brop.digest) IS 'implementation of < for brop.digest (bytewise order)';
COMMENT ON FUNCTION brop.digest_le(brop.digest, brop.digest) IS 'implementation of <= for brop.digest (bytewise order)';
COMMENT ON FUNCTION brop.digest_gt(brop.digest, brop.digest) IS 'implementation of > for brop.digest (bytewise order)';
COMMENT ON FUNCTION brop.digest_ge(brop.digest, brop.digest) IS 'implementation of >= for brop.digest (bytewise order)';
COMMENT ON FUNCTION brop.digest_cmp(brop.digest, brop.digest) IS 'btree support: -1, 0 or 1 comparing two digests bytewise';
COMMENT ON FUNCTION brop.digest_hash(brop.digest) IS 'hash support: 32-bit hash of a digest';
COMMENT ON FUNCTION brop.digest_hash_extended(brop.digest, bigint) IS 'hash support: 64-bit seeded hash of a digest';
COMMENT ON OPERATOR pg_catalog.= (brop.digest, brop.digest) IS 'equal';
COMMENT ON OPERATOR pg_catalog.<> (brop.digest, brop.digest) IS 'not equal';
COMMENT ON OPERATOR pg_catalog.< (brop.digest, brop.digest) IS 'less than (bytewise)';
COMMENT ON OPERATOR pg_catalog.<= (brop.digest, brop.digest) IS 'less than or equal (bytewise)';
COMMENT ON OPERATOR pg_catalog.> (brop.digest, brop.digest) IS 'greater than (bytewise)';
COMMENT ON OPERATOR pg_catalog.>= (brop.digest, brop.digest) IS 'greater than or equal (bytewise)';
COMMENT ON OPERATOR FAMILY brop.digest_ops USING btree IS 'btree order of brop.digest (bytewise)';
COMMENT ON OPERATOR CLASS brop.digest_ops USING btree IS 'default btree operator class of brop.digest (bytewise)';
COMMENT ON OPERATOR FAMILY brop.digest_hash_ops USING hash IS 'hash equality of brop.digest';
COMMENT ON OPERATOR CLASS brop.digest_hash_ops USING hash IS 'default hash operator class of brop.digest';
COMMENT ON CAST (bytea AS brop.digest) IS 'a digest from exactly 32 bytes (brop.digest(bytea))';
COMMENT ON CAST (brop.digest AS bytea) IS 'the 32 bytes of a digest (brop.bytea(brop.digest))';

COMMENT ON FUNCTION brop.did_in(cstring) IS 'input function of brop.did: a did:key of an ed25519, secp256k1, p256 or x25519 key';
COMMENT ON FUNCTION brop.did_out(brop.did) IS 'output function of brop.did: its did:key text';
COMMENT ON FUNCTION brop.did_recv(internal) IS 'binary input function of brop.did: the multicodec varint of the key type, then the public key';
COMMENT ON FUNCTION brop.did_send(brop.did) IS 'binary output function of brop.did: the multicodec varint of the key type, then the public key';
COMMENT ON FUNCTION brop.did_eq(brop.did, brop.did) IS 'implementation of = for brop.did: same algorithm and public key';
COMMENT ON FUNCTION brop.did_ne(brop.did, brop.did) IS 'implementation of <> for brop.did';
COMMENT ON FUNCTION brop.did_lt(brop.did, brop.did) IS 'implementation of < for brop.did (order of the stored bytes)';
COMMENT ON FUNCTION brop.did_le(brop.did, brop.did) IS 'implementation of <= for brop.did (order of the stored bytes)';
COMMENT ON FUNCTION brop.did_gt(brop.did, brop.did) IS 'implementation of > for brop.did (order of the stored bytes)';
COMMENT ON FUNCTION brop.did_ge(brop.did, brop.did) IS 'implementation of >= for brop.did (order of the stored bytes)';
COMMENT ON FUNCTION brop.did_cmp(brop.did, brop.did) IS 'btree support: -1, 0 or 1 comparing two dids by their stored bytes (a stable order, not the text''s)';
COMMENT ON FUNCTION brop.did_hash(brop.did) IS 'hash support: 32-bit hash of a did';
COMMENT ON FUNCTION brop.did_hash_extended(brop.did, bigint) IS 'hash support: 64-bit seeded hash of a did';
COMMENT ON OPERATOR pg_catalog.= (brop.did, brop.did) IS 'equal: same algorithm and public key';
COMMENT ON OPERATOR pg_catalog.<> (brop.did, brop.did) IS 'not equal';
COMMENT ON OPERATOR pg_catalog.< (brop.did, brop.did) IS 'less than (order of the stored bytes)';
COMMENT ON OPERATOR pg_catalog.<= (brop.did, brop.did) IS 'less than or equal (order of the stored bytes)';
COMMENT ON OPERATOR pg_catalog.> (brop.did, brop.did) IS 'greater than (order of the stored bytes)';
COMMENT ON OPERATOR pg_catalog.>= (brop.did, brop.did) IS 'greater than or equal (order of the stored bytes)';
COMMENT ON OPERATOR FAMILY brop.did_ops USING btree IS 'btree order of brop.did (its stored bytes)';
COMMENT ON OPERATOR CLASS brop.did_ops USING btree IS 'default btree operator class of brop.did';
COMMENT ON OPERATOR FAMILY brop.did_hash_ops USING hash IS 'hash equality of brop.did';
COMMENT ON OPERATOR CLASS brop.did_hash_ops USING hash IS 'default hash operator class of brop.did';

COMMENT ON FUNCTION brop.proof_in(cstring) IS 'input function of brop.proof: inclusion(INDEX, SIZE) [HASH, ...] or consistency(OLD_SIZE, NEW_SIZE) [HASH, ...] (docs/formats.md)';
COMMENT ON FUNCTION brop.proof_out(brop.proof) IS 'output function of brop.proof: its text form (docs/formats.md, "Proofs in SQL")';
COMMENT ON FUNCTION brop.proof_recv(internal) IS 'binary input function of brop.proof: kind, hash count, the two sizes, the hashes';
COMMENT ON FUNCTION brop.proof_send(brop.proof) IS 'binary output function of brop.proof: kind, hash count, the two sizes, the hashes';
COMMENT ON FUNCTION brop.merkle_root_accum(internal, brop.digest) IS 'state function of the aggregate brop.merkle_root: adds one leaf hash';
COMMENT ON FUNCTION brop.merkle_root_final(internal) IS 'final function of the aggregate brop.merkle_root: the RFC 9162 root of the leaf hashes added';

-- Internal helpers of the organisation and credential functions (not granted to PUBLIC or called by them only)
COMMENT ON FUNCTION brop.change_entry(text, text, text, jsonb, brop.did) IS
  'internal: append a governance or membership change as an entry of that kind in that chain, signed with key, the header''s digest as its payload digest';
COMMENT ON FUNCTION brop.governance_signer(text) IS
  'internal: the keyring key that signs a governance change: governance_key (an active governance organisation''s), or the node''s key when null';
COMMENT ON FUNCTION brop.organization_for_change(brop.did) IS
  'internal: the current row of an organisation, locked, with its next version number; an error if it is not on this ledger';
COMMENT ON FUNCTION brop.organization_write(text, brop.organization, text) IS
  'internal: write a version of an organisation: its ledger entry (op), its history row and its current row';
COMMENT ON FUNCTION brop.credential_request_header(text, text, text) IS
  'internal: the header of a credential status change (op revoke, deactivate, reactivate or destroy) of a serial, with its reason';
COMMENT ON FUNCTION brop.credential_for_request(text, text, boolean) IS
  'internal: the credential a status change is about (locked when lock), its signer (the issuer for revoke, the holder otherwise) and its chain''s head';

-- Sequences
COMMENT ON SEQUENCE brop.key_id_seq IS 'identity of brop.key.id';
COMMENT ON SEQUENCE brop.entry_id_seq IS 'identity of brop.entry.id (the order of submission, not a log position)';
COMMENT ON SEQUENCE brop.verification_log_id_seq IS 'identity of brop.verification_log.id';
COMMENT ON SEQUENCE brop.capture_seq IS 'the order of committed captured transactions in brop.capture_queue.seq (the drain''s order)';

-- The keyring
COMMENT ON COLUMN brop.key.id IS 'the key''s number (brop.key_grant.key_id)';
COMMENT ON COLUMN brop.key.label IS 'the name by which SQL uses the key (brop.sign(label, ...)); unique';
COMMENT ON COLUMN brop.key.alg IS 'ed25519, secp256k1 or p256';
COMMENT ON COLUMN brop.key.did IS 'the key''s public did:key';
COMMENT ON COLUMN brop.key.owner IS 'the role that created the key; it may use it and grant it (brop.grant_key)';
COMMENT ON COLUMN brop.key.created_at IS 'when brop.create_key made it';
COMMENT ON COLUMN brop.key_grant.key_id IS 'the key (brop.key.id)';
COMMENT ON COLUMN brop.key_grant.grantee IS 'a role allowed to use the key (brop.grant_key)';
COMMENT ON COLUMN brop.key_root.singleton IS 'always true: one row';
COMMENT ON COLUMN brop.key_root.root_key_id IS 'first 8 bytes of HMAC-SHA256(root key, "brop root key id v1"); every key must be sealed under this root key';
COMMENT ON COLUMN brop.key_root.recorded_at IS 'when the first brop.create_key recorded it';
COMMENT ON COLUMN brop.keys.label IS 'the key''s label (brop.key.label)';
COMMENT ON COLUMN brop.keys.alg IS 'ed25519, secp256k1 or p256';
COMMENT ON COLUMN brop.keys.did IS 'the key''s public did:key';
COMMENT ON COLUMN brop.keys.owner IS 'the role that created the key';
COMMENT ON COLUMN brop.keys.created_at IS 'when the key was made';
COMMENT ON COLUMN brop.keys.grantees IS 'the existing roles the key is granted to, besides its owner';

-- The ledger
COMMENT ON COLUMN brop.ledger_config.singleton IS 'always true: one row';
COMMENT ON COLUMN brop.ledger_config.origin IS 'the log''s origin: the first line of each checkpoint and its note''s key name';
COMMENT ON COLUMN brop.ledger_config.node_key IS 'label of the Ed25519 keyring key that signs the checkpoints (and governance changes by default)';
COMMENT ON COLUMN brop.ledger_config.node_did IS 'the node key''s did:key: what an auditor verifies checkpoints with';

COMMENT ON COLUMN brop.entry.id IS 'given by the database in the order of submission; neither signed nor hashed, not the log position (brop.log_leaf)';
COMMENT ON COLUMN brop.entry.kind IS 'what sort of fact, e.g. diploma, row, registration, credential, organization';
COMMENT ON COLUMN brop.entry.org IS 'the did of the organisation that signed the entry';
COMMENT ON COLUMN brop.entry.subject IS 'the did the fact is about (a holder, say), or null';
COMMENT ON COLUMN brop.entry.chain_key IS 'the per-object chain the entry extends (e.g. credential:<serial>), or null';
COMMENT ON COLUMN brop.entry.prev_digest IS 'the digest of the previous entry of its chain, or null when it starts the chain or has none';
COMMENT ON COLUMN brop.entry.header IS 'public metadata, a JSON object ({} when none is given); signed and hashed as RFC 8785 text';
COMMENT ON COLUMN brop.entry.payload_digest IS 'the digest of the registered data (which stays outside the ledger)';
COMMENT ON COLUMN brop.entry.body_digest IS 'the digest of a body kept outside the ledger, or null; the body can be erased, the leaf stays valid';
COMMENT ON COLUMN brop.entry.nonce IS 'chosen by the organisation, unique per organisation: a retry with the same nonce returns the same entry';
COMMENT ON COLUMN brop.entry.expires_block IS 'the last block that may seal the entry, or null: later it is recorded in brop.entry_expired instead';
COMMENT ON COLUMN brop.entry.signature IS 'the organisation''s signature over brop.entry_signing_input(...), as submitted (Ed25519, or ECDSA r||s or DER)';
COMMENT ON COLUMN brop.entry.submitted_at IS 'the server''s time at submission; part of the leaf input (microseconds, UTC)';
COMMENT ON COLUMN brop.entry.digest IS 'the entry''s RFC 9162 leaf hash: SHA-256(0x00 || leaf input) (docs/formats.md, "Ledger entries")';
COMMENT ON COLUMN brop.pending.entry IS 'a submitted entry waiting for the next seal (brop.entry.id)';
COMMENT ON COLUMN brop.pending.expires_block IS 'the entry''s expires_block, so the seal sets expired entries aside without reading brop.entry';
COMMENT ON COLUMN brop.block.number IS 'the block''s number: 1, 2, 3, ... (the checkpoint''s "block" line)';
COMMENT ON COLUMN brop.block.first_position IS 'the log position of the block''s first entry';
COMMENT ON COLUMN brop.block.tree_size IS 'the log''s size after this block: positions 0 to tree_size - 1';
COMMENT ON COLUMN brop.block.root IS 'the RFC 9162 root of the log at tree_size';
COMMENT ON COLUMN brop.block.prev_hash IS 'the previous block''s hash (the checkpoint''s "previous" line); null in block 1';
COMMENT ON COLUMN brop.block.sealed_at IS 'when the block was sealed (the checkpoint''s "time" line)';
COMMENT ON COLUMN brop.block.checkpoint IS 'the block''s C2SP signed checkpoint note, signed with the node key';
COMMENT ON COLUMN brop.block.hash IS 'SHA-256 of the checkpoint''s body (the signed text, without the signature line)';
COMMENT ON COLUMN brop.log_leaf.position IS 'the 0-based RFC 9162 leaf index; gapless';
COMMENT ON COLUMN brop.log_leaf.entry IS 'the entry at this position (brop.entry.id)';
COMMENT ON COLUMN brop.log_leaf.block IS 'the block that sealed it (brop.block.number)';
COMMENT ON COLUMN brop.entry_expired.entry IS 'an entry whose expires_block passed before a seal took it (brop.entry.id)';
COMMENT ON COLUMN brop.entry_expired.after_block IS 'the last block that existed when it expired';
COMMENT ON COLUMN brop.log_tile.level IS 'the tile''s level t: it holds nodes at height 4t (level 0: the leaf hashes)';
COMMENT ON COLUMN brop.log_tile.idx IS 'the tile''s index i in its level: nodes 16i to 16i + 15';
COMMENT ON COLUMN brop.log_tile.hashes IS 'up to 16 hashes of 32 bytes, left to right; only the last tile of a level grows';
COMMENT ON COLUMN brop.chain_head.chain_key IS 'the chain (brop.entry.chain_key)';
COMMENT ON COLUMN brop.chain_head.head IS 'the digest of the chain''s last entry: the next entry''s prev_digest';
COMMENT ON COLUMN brop.chain_head.entry IS 'the chain''s last entry (brop.entry.id)';
COMMENT ON COLUMN brop.chain_head.length IS 'how many entries the chain has';

-- Registration and capture
COMMENT ON COLUMN brop.registration.name IS 'the registration''s name, in its entries'' headers and row chain keys (default: the table''s qualified name)';
COMMENT ON COLUMN brop.registration.relid IS 'the registered table';
COMMENT ON COLUMN brop.registration.key_columns IS 'the columns that identify a row (its chain on the ledger)';
COMMENT ON COLUMN brop.registration.columns IS 'the columns whose values make the row''s digest (the key columns among them)';
COMMENT ON COLUMN brop.registration.subject_column IS 'a column holding the did the row is about (the entries'' subject), or null';
COMMENT ON COLUMN brop.registration.profile IS '1: digests only; 3: the row''s values and salt in the entry''s header, in clear (2 is refused)';
COMMENT ON COLUMN brop.registration.signing_key IS 'label of the keyring key that signs the row entries';
COMMENT ON COLUMN brop.registration.capture IS 'how changes reach a ledger: trigger (this database''s, via brop.capture_queue) or plugin (the brop output plugin and brop relay)';
COMMENT ON COLUMN brop.registration.org IS 'the did of signing_key: the entries'' organisation';
COMMENT ON COLUMN brop.registration.registrant IS 'the role that registered the table: the capture''s signing uses its key rights, whoever changes the table';
COMMENT ON COLUMN brop.registration.entry IS 'the ledger entry (kind registration) that records the registration';
COMMENT ON COLUMN brop.registration.registered_at IS 'when the table was registered';
COMMENT ON COLUMN brop.capture_queue.xid IS 'the capturing transaction''s 64-bit id; with chunk, the sealed box''s associated data';
COMMENT ON COLUMN brop.capture_queue.chunk IS 'the chunk''s number in its transaction (about 8 kB of captured rows each)';
COMMENT ON COLUMN brop.capture_queue.seq IS 'on a transaction''s final chunk only: its place in the drain''s order (brop.capture_seq); null on the others';
COMMENT ON COLUMN brop.capture_queue.data IS 'the captured rows, sealed under a key derived from the salt key';

-- Organisations and relayed sources
COMMENT ON COLUMN brop.credential_category.name IS 'the category''s name (lower case, e.g. higher_education)';
COMMENT ON COLUMN brop.credential_category.description IS 'what the category covers, in words';
COMMENT ON COLUMN brop.credential_category.entry IS 'the governance entry that added it; null for a built-in category';
COMMENT ON COLUMN brop.organization.did IS 'the organisation''s did: the key that signs its entries and credentials';
COMMENT ON COLUMN brop.organization.name IS 'the organisation''s name';
COMMENT ON COLUMN brop.organization.role IS 'direct_issuer, cross_issuer, validator or governance';
COMMENT ON COLUMN brop.organization.categories IS 'the credential categories it may issue (brop.credential_category)';
COMMENT ON COLUMN brop.organization.status IS 'active, suspended or removed; only active organisations issue and submit batches';
COMMENT ON COLUMN brop.organization.added_at IS 'when it was added (its first version''s time)';
COMMENT ON COLUMN brop.organization.status_at IS 'when its status last changed';
COMMENT ON COLUMN brop.organization.version IS 'its current version (1, 2, ...; brop.organization_history)';
COMMENT ON COLUMN brop.organization.entry IS 'the ledger entry of its last change';
COMMENT ON COLUMN brop.organization_history.did IS 'the organisation''s did';
COMMENT ON COLUMN brop.organization_history.version IS 'the version''s number, 1 for the organisation''s addition';
COMMENT ON COLUMN brop.organization_history.name IS 'its name in this version';
COMMENT ON COLUMN brop.organization_history.role IS 'its role in this version';
COMMENT ON COLUMN brop.organization_history.categories IS 'the categories it could issue in this version';
COMMENT ON COLUMN brop.organization_history.status IS 'its status in this version';
COMMENT ON COLUMN brop.organization_history.valid_from IS 'when this version took effect: its entry''s time';
COMMENT ON COLUMN brop.organization_history.entry IS 'the ledger entry that made this version';
COMMENT ON COLUMN brop.membership_history.org IS 'the organisation (a direct issuer)';
COMMENT ON COLUMN brop.membership_history.holder IS 'the holder''s did';
COMMENT ON COLUMN brop.membership_history.version IS 'the version''s number for this organisation and holder';
COMMENT ON COLUMN brop.membership_history.member IS 'true: joined; false: left';
COMMENT ON COLUMN brop.membership_history.valid_from IS 'when this version took effect: its entry''s time';
COMMENT ON COLUMN brop.membership_history.entry IS 'the ledger entry (kind membership, signed by the organisation) that made it';
COMMENT ON COLUMN brop.source_position.source IS 'the source''s name on the ledger (brop relay --name; default the slot''s name)';
COMMENT ON COLUMN brop.source_position.org IS 'the organisation whose batches move this source';
COMMENT ON COLUMN brop.source_position.lsn IS 'the end LSN of the last source transaction on the ledger (the plugin''s end_lsn)';
COMMENT ON COLUMN brop.source_position.changes IS 'how many of that transaction''s changes are on the ledger; null: all of them';
COMMENT ON COLUMN brop.source_position.entries IS 'how many entries the source has appended in all';
COMMENT ON COLUMN brop.source_position.updated_at IS 'when the last batch moved it';

-- Credentials
COMMENT ON COLUMN brop.identity_claim.name IS 'a claim name that identifies a person, in lower case';
COMMENT ON COLUMN brop.identity_claim.builtin IS 'true: shipped with brop; false: added by the owner (kept by pg_dump)';
COMMENT ON COLUMN brop.credential.serial IS 'the version''s serial number (a UUID; the credential''s id is urn:uuid:<serial>)';
COMMENT ON COLUMN brop.credential.lineage IS 'the serial of version 1: every version of the credential shares it, and its chain is credential:<lineage>';
COMMENT ON COLUMN brop.credential.version IS 'the version''s number in its lineage, from 1';
COMMENT ON COLUMN brop.credential.supersedes IS 'the serial of the version this one revises, or null for version 1';
COMMENT ON COLUMN brop.credential.issuer IS 'the issuer''s did (its keyring key signed the credential)';
COMMENT ON COLUMN brop.credential.holder IS 'the holder''s did';
COMMENT ON COLUMN brop.credential.category IS 'the credential''s category (brop.credential_category)';
COMMENT ON COLUMN brop.credential.form IS 'vc (W3C VC 2.0, eddsa-jcs-2022) or sd-jwt (SD-JWT VC)';
COMMENT ON COLUMN brop.credential.profile IS '1: the digest only; 2: also the envelope, no identity claims; 3: also the envelope, identity claims allowed';
COMMENT ON COLUMN brop.credential.digest IS 'the credential''s digest: the payload digest of its ledger entry (docs/formats.md, "What the ledger commits to")';
COMMENT ON COLUMN brop.credential.issued_at IS 'when it was issued (the server''s time)';
COMMENT ON COLUMN brop.credential.valid_until IS 'the end of its validity period, to the second, or null';
COMMENT ON COLUMN brop.credential.entry IS 'its ledger entry (kind credential)';
COMMENT ON COLUMN brop.credential.status IS 'active, superseded (by a newer version) or revoked (by the issuer)';
COMMENT ON COLUMN brop.credential.deactivated IS 'true while the holder has deactivated it: no version verifies';
COMMENT ON COLUMN brop.credential.destroyed IS 'true once the holder destroyed it: its envelopes are erased';
COMMENT ON COLUMN brop.credential.envelope IS 'profiles 2 and 3: the credential sealed to the holder (sign-then-seal); null in profile 1 and after destroy; readable by the owner only';
COMMENT ON COLUMN brop.credential.status_entry IS 'the ledger entry of its last status change (superseded, revoked, deactivated, reactivated or destroyed), or null';
COMMENT ON COLUMN brop.verification_log.id IS 'the verification''s number';
COMMENT ON COLUMN brop.verification_log.at IS 'when it was verified';
COMMENT ON COLUMN brop.verification_log.verifier IS 'the session''s login role that asked';
COMMENT ON COLUMN brop.verification_log.audience IS 'the audience given (a presentation''s), or null';
COMMENT ON COLUMN brop.verification_log.nonce IS 'the nonce given (a presentation''s), or null';
COMMENT ON COLUMN brop.verification_log.serial IS 'the credential''s serial, when it could be read';
COMMENT ON COLUMN brop.verification_log.issuer IS 'the credential''s issuer, when it could be read';
COMMENT ON COLUMN brop.verification_log.holder IS 'the credential''s holder, when it could be read';
COMMENT ON COLUMN brop.verification_log.revealed IS 'the names of the claims the credential or presentation revealed (a JSON array), or null';
COMMENT ON COLUMN brop.verification_log.valid IS 'the verdict';
COMMENT ON COLUMN brop.verification_log.reasons IS 'why it did not verify (empty when valid)';

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
COMMENT ON SEQUENCE brop.node_identity_id_seq IS 'identity of brop.node_identity.id (the order in which identities were recorded)';
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

-- SECURITY DEFINER: the node_adopted entry is reserved (brop.submit_owned);
-- EXECUTE is revoked from PUBLIC, so only roles granted it adopt a copy.
CREATE FUNCTION brop.adopt_copy(reason text) RETURNS brop.node_identity
  LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cfg brop.ledger_config;
  was brop.node_identity;
  r brop.node_identity;
  here pg_catalog.pg_database;
  header jsonb;
  nonce text;
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
  -- node_adopted is a reserved kind: the entry is written with its row, here
  nonce := format('node-adopted-%s-%s-%s', brop.system_identifier(), here.oid,
                  (SELECT count(*) FROM brop.node_identity));
  e := brop.submit_owned('node_adopted', cfg.node_did, brop.sha256(brop.jcs(header)), nonce,
         brop.sign(cfg.node_key, brop.entry_signing_input('node_adopted', cfg.node_did,
                                                          brop.sha256(brop.jcs(header)), nonce, header)),
         header);
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

-- == consortium: witnesses ====================================================
-- Witnesses (docs/consortium.md): a node may run a witness that cosigns the
-- checkpoints of logs it watches (C2SP tlog-cosignature, cosignature/v1)
-- when they are consistent with the last one it cosigned, and keeps a proof
-- of misbehaviour when they are not; a checkpoint may be verified under a
-- witness policy (k of n cosignatures).

CREATE TABLE brop.witness_self (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  name text NOT NULL,
  key text NOT NULL,
  vkey text NOT NULL
);
COMMENT ON TABLE brop.witness_self IS
  'the witness this node runs: its name (the key name on its cosignature lines), the keyring key that cosigns, and its verifier key text';
COMMENT ON COLUMN brop.witness_self.singleton IS 'always true: one row';
COMMENT ON COLUMN brop.witness_self.name IS 'the witness''s name, as on its cosignature lines';
COMMENT ON COLUMN brop.witness_self.key IS 'the label of the Ed25519 keyring key that cosigns';
COMMENT ON COLUMN brop.witness_self.vkey IS 'its verifier key text (C2SP signed-note vkey, type 0x04) for the policies of others';

CREATE TABLE brop.witness_log (
  origin text PRIMARY KEY,
  log_key brop.did NOT NULL,
  tree_size bigint NOT NULL DEFAULT 0 CHECK (tree_size >= 0),
  root brop.digest,
  checkpoint text,
  block bigint,
  block_hash brop.digest,
  edge bytea,
  updated_at timestamptz,
  halted_at timestamptz,
  halted_reason text
);
COMMENT ON TABLE brop.witness_log IS
  'the logs this node''s witness watches, each with the latest checkpoint it cosigned; a log it holds a proof of misbehaviour of, or whose blocks did not verify, is halted: no more cosignatures';
COMMENT ON COLUMN brop.witness_log.origin IS 'the log''s origin (its checkpoints'' first line and signing key name)';
COMMENT ON COLUMN brop.witness_log.log_key IS 'the log''s Ed25519 key';
COMMENT ON COLUMN brop.witness_log.tree_size IS 'the size of the latest checkpoint cosigned (0: none yet)';
COMMENT ON COLUMN brop.witness_log.root IS 'its root';
COMMENT ON COLUMN brop.witness_log.checkpoint IS 'its signed note, as received';
COMMENT ON COLUMN brop.witness_log.block IS 'when the log is this node''s ledger copy: the last block verified entry by entry';
COMMENT ON COLUMN brop.witness_log.block_hash IS 'that block''s hash (the next block''s previous hash)';
COMMENT ON COLUMN brop.witness_log.edge IS 'that tree''s right edge (the perfect subtrees of its size, largest first), to verify the next block''s leaves without reading the old ones';
COMMENT ON COLUMN brop.witness_log.updated_at IS 'when the witness last cosigned';
COMMENT ON COLUMN brop.witness_log.halted_at IS 'when the witness stopped cosigning this log (null: it cosigns)';
COMMENT ON COLUMN brop.witness_log.halted_reason IS 'why, in words';

CREATE TABLE brop.cosignature (
  origin text NOT NULL,
  tree_size bigint NOT NULL,
  witness text NOT NULL,
  cosigned_at bigint NOT NULL,
  line text NOT NULL,
  PRIMARY KEY (origin, tree_size, witness)
);
COMMENT ON TABLE brop.cosignature IS
  'cosignature lines of checkpoints: those this node''s witness made, and (on a sequencer) those its members'' witnesses made, replicated here';
COMMENT ON COLUMN brop.cosignature.origin IS 'the log''s origin';
COMMENT ON COLUMN brop.cosignature.tree_size IS 'the cosigned checkpoint''s size';
COMMENT ON COLUMN brop.cosignature.witness IS 'the witness''s name';
COMMENT ON COLUMN brop.cosignature.cosigned_at IS 'the cosignature''s timestamp (seconds since 1970-01-01 UTC), as signed';
COMMENT ON COLUMN brop.cosignature.line IS 'the signature line, "— name base64(key id, timestamp, signature)" and a newline';

CREATE TABLE brop.misbehaviour (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  origin text NOT NULL,
  detected_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  checkpoint_a text NOT NULL,
  checkpoint_b text NOT NULL,
  proof brop.proof
);
COMMENT ON TABLE brop.misbehaviour IS
  'proofs of misbehaviour: two checkpoints signed by a log''s key that no one append-only log can have (brop.verify_fork, brop verify --fork)';
COMMENT ON COLUMN brop.misbehaviour.id IS 'the order in which the witness found them';
COMMENT ON COLUMN brop.misbehaviour.origin IS 'the log''s origin';
COMMENT ON COLUMN brop.misbehaviour.detected_at IS 'when the witness found it';
COMMENT ON SEQUENCE brop.misbehaviour_id_seq IS 'identity of brop.misbehaviour.id';
COMMENT ON COLUMN brop.misbehaviour.checkpoint_a IS 'the checkpoint the witness had cosigned';
COMMENT ON COLUMN brop.misbehaviour.checkpoint_b IS 'the checkpoint that contradicts it';
COMMENT ON COLUMN brop.misbehaviour.proof IS 'null for two checkpoints of one size; else a consistency proof from the smaller size to the larger, verified against the larger, that gives the smaller another root (docs/formats.md, "Proofs of misbehaviour")';

DO $$
BEGIN
  EXECUTE 'CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON brop.misbehaviour
             FOR EACH ROW EXECUTE FUNCTION brop.refuse_change(''row'')';
  EXECUTE 'CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON brop.misbehaviour
             FOR EACH STATEMENT EXECUTE FUNCTION brop.refuse_change()';
END $$;

-- a dump keeps them (pg_dump dumps an extension's tables only when told to)
SELECT pg_catalog.pg_extension_config_dump('brop.witness_self', '');
SELECT pg_catalog.pg_extension_config_dump('brop.witness_log', '');
SELECT pg_catalog.pg_extension_config_dump('brop.cosignature', '');
SELECT pg_catalog.pg_extension_config_dump('brop.misbehaviour', '');
SELECT pg_catalog.pg_extension_config_dump('brop.misbehaviour_id_seq', '');

CREATE TABLE brop.witness_policy (
  vkey text PRIMARY KEY,
  name text NOT NULL,
  quorum integer NOT NULL CHECK (quorum >= 0)
);
COMMENT ON TABLE brop.witness_policy IS
  'the witness policy this node applies to its own checkpoints (brop.checkpoint_final): the witnesses, each with the quorum (the same in every row) of how many must have cosigned';
COMMENT ON COLUMN brop.witness_policy.vkey IS 'a witness''s verifier key text';
COMMENT ON COLUMN brop.witness_policy.name IS 'its name';
COMMENT ON COLUMN brop.witness_policy.quorum IS 'how many of the policy''s witnesses must have cosigned a checkpoint';
SELECT pg_catalog.pg_extension_config_dump('brop.witness_policy', '');

CREATE FUNCTION brop.witness_vkey(name text, key brop.did) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_witness_vkey' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.witness_vkey(text, brop.did) IS
  'the verifier key text (C2SP signed-note vkey, type 0x04: cosignature/v1) of a witness of this name and Ed25519 key';

CREATE FUNCTION brop.witness_configure(name text, key text) RETURNS text
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v text := brop.witness_vkey(name, brop.key_did(key));
BEGIN
  -- the caller must be allowed to use the key (the keyring checks)
  PERFORM brop.sign(key, 'brop-witness-configure');
  INSERT INTO brop.witness_self AS w (singleton, name, key, vkey) VALUES (true, name, key, v)
    ON CONFLICT (singleton) DO UPDATE SET name = excluded.name, key = excluded.key, vkey = excluded.vkey;
  RETURN v;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.witness_configure(text, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.witness_configure(text, text) IS
  'make this node a witness named name, cosigning with the Ed25519 keyring key key (the caller must be allowed to use it); returns its verifier key text';

CREATE FUNCTION brop.witness_watch(origin text, log_key brop.did) RETURNS void
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF octet_length(origin) > 256 OR origin !~ '^[^[:space:][:cntrl:]+]+$' THEN
    RAISE EXCEPTION 'invalid log origin: "%"', brop.quote_input(origin)
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'An origin is 1 to 256 bytes of UTF-8 without spaces, control characters or "+", e.g. "example.org/brop".';
  END IF;
  IF brop.did_alg(log_key) <> 'ed25519' THEN
    RAISE EXCEPTION 'checkpoints are signed with ed25519, not %', brop.did_alg(log_key)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT FROM brop.witness_log w WHERE w.origin = witness_watch.origin AND w.log_key <> witness_watch.log_key) THEN
    RAISE EXCEPTION 'the witness already watches log "%" under another key', origin
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'A log''s key does not change; a new key is a new log with a new origin.';
  END IF;
  INSERT INTO brop.witness_log (origin, log_key) VALUES (origin, log_key) ON CONFLICT DO NOTHING;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.witness_watch(text, brop.did) FROM PUBLIC;
COMMENT ON FUNCTION brop.witness_watch(text, brop.did) IS
  'have this node''s witness watch the log of this origin, whose checkpoints this Ed25519 key signs';

CREATE FUNCTION brop.witness_unwatch(origin text) RETURNS boolean
  LANGUAGE sql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  WITH d AS (DELETE FROM brop.witness_log w WHERE w.origin = witness_unwatch.origin RETURNING 1)
  SELECT EXISTS (SELECT FROM d);
END;
REVOKE EXECUTE ON FUNCTION brop.witness_unwatch(text) FROM PUBLIC;
COMMENT ON FUNCTION brop.witness_unwatch(text) IS
  'stop watching a log and forget the latest checkpoint cosigned (a halted log too; its proofs of misbehaviour stay): watched again, the witness starts from nothing';

CREATE FUNCTION brop.add_checkpoint(old_size bigint, proof brop.proof, checkpoint text) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_add_checkpoint' LANGUAGE C VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION brop.add_checkpoint(bigint, brop.proof, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.add_checkpoint(bigint, brop.proof, text) IS
  'C2SP tlog-witness add-checkpoint: cosign a watched log''s checkpoint if it is consistent (proof: from old_size, the size this witness last cosigned; null when old_size is 0) and return the cosignature line; a contradiction it can prove is kept in brop.misbehaviour, halts the log and is announced on channel brop_misbehaviour';

CREATE FUNCTION brop.witness_step(max_blocks integer DEFAULT 100) RETURNS bigint
  AS 'MODULE_PATHNAME', 'brop_witness_step' LANGUAGE C VOLATILE STRICT SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION brop.witness_step(integer) FROM PUBLIC;
COMMENT ON FUNCTION brop.witness_step(integer) IS
  'verify the blocks of this node''s ledger copy after the last one the witness cosigned (each entry''s leaf and signature, positions, root, previous hash, checkpoint text and signature), up to max_blocks, and cosign each; returns the blocks cosigned';

CREATE FUNCTION brop.verify_checkpoint(note text, signer brop.did, witnesses text[], quorum integer) RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_checkpoint_policy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.verify_checkpoint(text, brop.did, text[], integer) IS
  'is this checkpoint note signed by this Ed25519 did (under its origin) and cosigned by at least quorum of the witnesses (verifier key texts)';

CREATE FUNCTION brop.verify_fork(checkpoint_a text, checkpoint_b text, log_key brop.did, proof brop.proof DEFAULT NULL)
  RETURNS boolean
  AS 'MODULE_PATHNAME', 'brop_verify_fork' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION brop.verify_fork(text, text, brop.did, brop.proof) IS
  'is this a proof of misbehaviour: two checkpoints signed by this key that no one append-only log can have (docs/formats.md, "Proofs of misbehaviour")';

CREATE FUNCTION brop.checkpoint(tree_size bigint, cosigned boolean) RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT b.checkpoint || CASE WHEN cosigned THEN COALESCE(
           (SELECT pg_catalog.string_agg(c.line, '' ORDER BY c.witness)
              FROM brop.cosignature c, brop.ledger_config l
             WHERE c.origin = l.origin AND c.tree_size = b.tree_size), '') ELSE '' END
    FROM brop.block b
   WHERE b.tree_size = coalesce(checkpoint.tree_size, (SELECT max(tree_size) FROM brop.block));
END;
COMMENT ON FUNCTION brop.checkpoint(bigint, boolean) IS
  'the signed checkpoint of the block with this tree size (null: the latest), with the cosignature lines its witnesses made when cosigned';

CREATE FUNCTION brop.witness_name(vkey text) RETURNS text
  AS 'MODULE_PATHNAME', 'brop_witness_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.witness_name(text) IS
  'the name in a witness''s verifier key text (type 0x04), which is checked whole';

CREATE FUNCTION brop.set_witness_policy(witnesses text[], quorum integer) RETURNS integer
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer := (SELECT count(DISTINCT w) FROM unnest(witnesses) w);
BEGIN
  IF n > 64 THEN
    RAISE EXCEPTION 'a witness policy names at most 64 witnesses, not %', n USING ERRCODE = 'program_limit_exceeded';
  END IF;
  IF quorum < 0 OR quorum > n THEN
    RAISE EXCEPTION 'quorum % is not between 0 and the % witnesses named', quorum, n
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  DELETE FROM brop.witness_policy;
  INSERT INTO brop.witness_policy (vkey, name, quorum)
    SELECT DISTINCT w, brop.witness_name(w), quorum FROM unnest(witnesses) w;
  RETURN n;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.set_witness_policy(text[], integer) FROM PUBLIC;
COMMENT ON FUNCTION brop.set_witness_policy(text[], integer) IS
  'set the witness policy this node''s checkpoints are final under: at least quorum of these witnesses (verifier key texts) cosigned; returns how many witnesses it names';

CREATE FUNCTION brop.checkpoint_final(tree_size bigint DEFAULT NULL) RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT brop.verify_checkpoint(brop.checkpoint(checkpoint_final.tree_size, true), l.node_did,
           COALESCE((SELECT pg_catalog.array_agg(p.vkey ORDER BY p.vkey) FROM brop.witness_policy p), '{}'),
           COALESCE((SELECT pg_catalog.max(p.quorum) FROM brop.witness_policy p), 0))
    FROM brop.ledger_config l;
END;
COMMENT ON FUNCTION brop.checkpoint_final(bigint) IS
  'does the checkpoint of this tree size (default: the latest) meet this node''s witness policy (brop.set_witness_policy): its entries are then final';

-- == end consortium: witnesses ==

-- == consortium: members ======================================================
-- Members hold a full copy of the ledger through PostgreSQL's logical
-- replication (docs/consortium.md): the sequencer publishes its ledger's
-- tables, a member subscribes, verifies each block and cosigns it, and
-- publishes its cosignatures, to which the sequencer subscribes.

CREATE TABLE brop.consortium (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  role text NOT NULL CHECK (role IN ('sequencer', 'member')),
  name text,
  sequencer text,
  origin text,
  since timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE brop.consortium IS
  'this node''s place in a consortium: the sequencer, or a member that holds a verified copy of the sequencer''s ledger';
COMMENT ON COLUMN brop.consortium.singleton IS 'always true: one row';
COMMENT ON COLUMN brop.consortium.role IS 'sequencer or member';
COMMENT ON COLUMN brop.consortium.name IS 'a member''s name (its replication slots are named after it)';
COMMENT ON COLUMN brop.consortium.sequencer IS 'a member: the connection string of its subscription to the sequencer';
COMMENT ON COLUMN brop.consortium.origin IS 'the log''s origin';
COMMENT ON COLUMN brop.consortium.since IS 'when this node took its role';

CREATE TABLE brop.member (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
  conninfo text NOT NULL,
  witness text NOT NULL UNIQUE,
  admitted_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  entry bigint NOT NULL
);
COMMENT ON TABLE brop.member IS 'the sequencer''s members: how it reaches each one''s cosignatures, and its witness';
COMMENT ON COLUMN brop.member.name IS 'the member''s name';
COMMENT ON COLUMN brop.member.conninfo IS 'the connection string of the sequencer''s subscription to the member''s cosignatures';
COMMENT ON COLUMN brop.member.witness IS 'the member''s witness (verifier key text)';
COMMENT ON COLUMN brop.member.admitted_at IS 'when it was admitted';
COMMENT ON COLUMN brop.member.entry IS 'the ledger entry (kind consortium.member) that records its admission';
SELECT pg_catalog.pg_extension_config_dump('brop.consortium', '');
SELECT pg_catalog.pg_extension_config_dump('brop.member', '');

-- The tables a member copies (ledger_config too: the log's origin and key,
-- which verify_ledger's checks read; a member never seals, its copy having
-- no node identity of its own). Not: keys, settings and queues of the
-- sequencer (key, key_grant, key_root, node_identity,
-- capture_queue, registration, source_position, verification_log, the
-- witness's tables, identity_claim: docs/consortium.md, "What a member
-- holds"). Inserts only (publication brop_ledger_pending): brop.pending,
-- which a seal deletes whole (a member's copy is cleared by the blocks that
-- arrive), and the categories an entry added (the built-in ones every node
-- has; categories are never changed).
CREATE FUNCTION brop.replicated_tables() RETURNS text[]
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
RETURN ARRAY['ledger_config', 'entry', 'block', 'log_leaf', 'entry_expired', 'log_tile', 'chain_head',
             'organization', 'organization_history', 'membership_history', 'credential'];
COMMENT ON FUNCTION brop.replicated_tables() IS
  'the tables of publication brop_ledger (brop_ledger_pending publishes the inserts of brop.pending and of the categories entries added)';

CREATE FUNCTION brop.wake_sealer() RETURNS trigger
  AS 'MODULE_PATHNAME', 'brop_wake_sealer' LANGUAGE C;
COMMENT ON FUNCTION brop.wake_sealer() IS
  'trigger: wake the sealing worker (on a member, a block arrived: its witness verifies and cosigns it)';
CREATE TRIGGER witness_wake AFTER INSERT ON brop.block
  FOR EACH ROW EXECUTE FUNCTION brop.wake_sealer();
ALTER TABLE brop.block ENABLE REPLICA TRIGGER witness_wake;

-- A member's brop.pending has the sequencer's inserts only (a seal deletes
-- it whole): when a block arrives, the entries it sealed or expired are no
-- longer pending. At the end of the transaction that brought it, when its
-- leaves and expiry records are there too.
CREATE FUNCTION brop.clear_sealed_pending() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- the block's leaves by their positions (the primary key), whatever the
  -- planner thinks of a member's churning brop.pending: the cost does not
  -- grow with the log
  DELETE FROM brop.pending p USING brop.log_leaf l
   WHERE l.position >= NEW.first_position AND l.position < NEW.tree_size AND l.entry = p.entry;
  DELETE FROM brop.pending p USING brop.entry_expired x WHERE x.entry = p.entry AND x.after_block = NEW.number;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION brop.clear_sealed_pending() IS
  'trigger: on a member, the entries a replicated block sealed or expired leave its copy of brop.pending';
CREATE CONSTRAINT TRIGGER member_pending AFTER INSERT ON brop.block
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION brop.clear_sealed_pending();
ALTER TABLE brop.block ENABLE REPLICA TRIGGER member_pending;

CREATE FUNCTION brop.consortium_start() RETURNS text
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o text := (SELECT origin FROM brop.ledger_config);
BEGIN
  IF o IS NULL THEN
    RAISE EXCEPTION 'the ledger is not configured'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Call brop.configure_ledger(origin, node_key) first.';
  END IF;
  IF EXISTS (SELECT FROM brop.consortium WHERE role = 'member') THEN
    RAISE EXCEPTION 'this node is a member of a consortium, not its sequencer'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = 'brop_ledger') THEN
    EXECUTE 'CREATE PUBLICATION brop_ledger FOR TABLE '
      || (SELECT string_agg(format('brop.%I', t), ', ') FROM unnest(brop.replicated_tables()) t);
    CREATE PUBLICATION brop_ledger_pending FOR TABLE brop.pending, brop.credential_category WHERE (entry IS NOT NULL)
      WITH (publish = 'insert');
  END IF;
  INSERT INTO brop.consortium (role, origin) VALUES ('sequencer', o) ON CONFLICT DO NOTHING;
  RETURN 'brop_ledger';
END
$$;
REVOKE EXECUTE ON FUNCTION brop.consortium_start() FROM PUBLIC;
COMMENT ON FUNCTION brop.consortium_start() IS
  'make this node a consortium''s sequencer: publish its ledger''s tables (publications brop_ledger and brop_ledger_pending) for members to subscribe to';

CREATE FUNCTION brop.join(name text, sequencer text, origin text, log_key brop.did) RETURNS text
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t text;
BEGIN
  -- the slot of the sequencer's subscription to the cosignatures is made
  -- by the sealing worker once this commits: a slot decodes with the
  -- catalogue of its start, and must not be older than the publication
  IF name !~ '^[a-z][a-z0-9_]{0,39}$' THEN
    RAISE EXCEPTION 'invalid member name: "%"', brop.quote_input(name)
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'A member''s name is 1 to 40 lower-case letters, digits or "_", starting with a letter.';
  END IF;
  IF EXISTS (SELECT FROM brop.consortium) THEN
    RAISE EXCEPTION 'this node is already in a consortium'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Call brop.leave() first.';
  END IF;
  IF EXISTS (SELECT FROM brop.ledger_config) OR EXISTS (SELECT FROM brop.entry) THEN
    RAISE EXCEPTION 'a member''s ledger must be empty: it copies the sequencer''s'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Join from a database where brop was just created.';
  END IF;
  IF NOT EXISTS (SELECT FROM brop.witness_self) THEN
    RAISE EXCEPTION 'a member runs a witness'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Call brop.witness_configure(name, key) first.';
  END IF;
  PERFORM brop.witness_watch(origin, log_key);
  -- the copy refuses changes to what is append-only, replicated or not
  FOREACH t IN ARRAY ARRAY['entry', 'log_leaf', 'block', 'entry_expired', 'log_tile',
                           'organization_history', 'membership_history'] LOOP
    EXECUTE format('ALTER TABLE brop.%I ENABLE ALWAYS TRIGGER append_only', t);
    EXECUTE format('ALTER TABLE brop.%I ENABLE ALWAYS TRIGGER append_only_truncate', t);
  END LOOP;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = 'brop_cosignatures') THEN
    CREATE PUBLICATION brop_cosignatures FOR TABLE brop.cosignature WITH (publish = 'insert');
  END IF;
  EXECUTE format('CREATE SUBSCRIPTION brop_ledger CONNECTION %L PUBLICATION brop_ledger, brop_ledger_pending'
                 ' WITH (create_slot = false, slot_name = %L, copy_data = true)', sequencer, 'brop_member_' || name);
  INSERT INTO brop.consortium (role, name, sequencer, origin) VALUES ('member', name, sequencer, origin);
  RETURN 'brop_member_' || name;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.join(text, text, text, brop.did) FROM PUBLIC;
COMMENT ON FUNCTION brop.join(text, text, text, brop.did) IS
  'join a consortium as member name: subscribe to the sequencer''s ledger (connection string sequencer; the log''s origin and key), verify and cosign each block with this node''s witness, and publish the cosignatures (publication brop_cosignatures, slot brop_cosig_NAME, made by the sealing worker); the copy starts once the sequencer admits the member (brop.admit_member); returns the slot the sequencer makes for it';

CREATE FUNCTION brop.admit_member(name text, conninfo text, witness text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  slot text := 'brop_member_' || name;
  e bigint;
  cfg brop.ledger_config;
BEGIN
  -- the slot of the member's subscription: made first, before this transaction writes
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = slot) THEN
    PERFORM pg_catalog.pg_create_logical_replication_slot(slot, 'pgoutput');
  END IF;
  IF NOT EXISTS (SELECT FROM brop.consortium WHERE role = 'sequencer') THEN
    RAISE EXCEPTION 'this node is not a consortium''s sequencer'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Call brop.consortium_start() first.';
  END IF;
  PERFORM brop.witness_name(witness);
  SELECT * INTO cfg FROM brop.ledger_config;
  -- recorded on the ledger, signed by the node's key
  SELECT id INTO e FROM brop.submit_as(cfg.node_key, 'consortium.member', brop.sha256(convert_to(witness, 'UTF8')),
      'member-' || name || '-' || (extract(epoch FROM pg_catalog.clock_timestamp()) * 1000000)::bigint,
      jsonb_build_object('member', name, 'witness', witness, 'action', 'admit'));
  INSERT INTO brop.member (name, conninfo, witness, entry) VALUES (name, conninfo, witness, e);
  -- synchronous_commit on: with a synchronous standby, what this node
  -- confirms to the member (so the member's slot forgets it) is on the standby
  EXECUTE format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION brop_cosignatures'
                 ' WITH (create_slot = false, slot_name = %L, copy_data = true, synchronous_commit = on)',
                 'brop_cosig_' || name, conninfo, 'brop_cosig_' || name);
  RETURN e;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.admit_member(text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.admit_member(text, text, text) IS
  'admit a member that joined (brop.join): make its replication slot, record it on the ledger (an entry of kind consortium.member, signed by the node''s key), and subscribe to its cosignatures (conninfo: how to reach it; witness: its verifier key text); returns the entry';

CREATE FUNCTION brop.remove_member(name text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  m brop.member;
  e bigint;
  cfg brop.ledger_config;
  sub text := 'brop_cosig_' || name;
BEGIN
  SELECT * INTO m FROM brop.member WHERE member.name = remove_member.name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'member "%" does not exist', brop.quote_input(name) USING ERRCODE = 'undefined_object';
  END IF;
  SELECT * INTO cfg FROM brop.ledger_config;
  IF EXISTS (SELECT FROM pg_catalog.pg_subscription s WHERE s.subname = sub) THEN
    -- the remote slot is the member's to drop: detach it, then drop (allowed in a transaction)
    EXECUTE format('ALTER SUBSCRIPTION %I DISABLE', sub);
    EXECUTE format('ALTER SUBSCRIPTION %I SET (slot_name = NONE)', sub);
    EXECUTE format('DROP SUBSCRIPTION %I', sub);
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = 'brop_member_' || name AND NOT s.active) THEN
    PERFORM pg_catalog.pg_drop_replication_slot('brop_member_' || name);
  END IF;
  SELECT id INTO e FROM brop.submit_as(cfg.node_key, 'consortium.member', brop.sha256(convert_to(m.witness, 'UTF8')),
      'member-' || name || '-' || (extract(epoch FROM pg_catalog.clock_timestamp()) * 1000000)::bigint,
      jsonb_build_object('member', name, 'witness', m.witness, 'action', 'remove'));
  DELETE FROM brop.member WHERE member.name = remove_member.name;
  RETURN e;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.remove_member(text) FROM PUBLIC;
COMMENT ON FUNCTION brop.remove_member(text) IS
  'remove a member: stop the subscription to its cosignatures, drop its slot if it is not in use, record its removal on the ledger; returns the entry';

CREATE FUNCTION brop.leave() RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c brop.consortium;
BEGIN
  SELECT * INTO c FROM brop.consortium WHERE role = 'member';
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_subscription s WHERE s.subname = 'brop_ledger') THEN
    ALTER SUBSCRIPTION brop_ledger DISABLE;
    ALTER SUBSCRIPTION brop_ledger SET (slot_name = NONE);
    DROP SUBSCRIPTION brop_ledger;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = 'brop_cosig_' || c.name AND NOT s.active) THEN
    PERFORM pg_catalog.pg_drop_replication_slot('brop_cosig_' || c.name);
  END IF;
  DROP PUBLICATION IF EXISTS brop_cosignatures;
  DELETE FROM brop.consortium;
  RETURN true;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.leave() FROM PUBLIC;
COMMENT ON FUNCTION brop.leave() IS
  'leave the consortium: stop copying the ledger (the copy and the witness''s state stay) and stop publishing cosignatures; the sequencer drops the member''s slot with brop.remove_member';

CREATE FUNCTION brop.recreate_member_slots() RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer := 0;
  m record;
BEGIN
  -- a promoted standby has the members and subscriptions, not the logical
  -- slots (PostgreSQL 15 and 16 do not copy them): made here, first, before
  -- this transaction writes
  FOR m IN SELECT name FROM brop.member ORDER BY name LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = 'brop_member_' || m.name) THEN
      PERFORM pg_catalog.pg_create_logical_replication_slot('brop_member_' || m.name, 'pgoutput');
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.recreate_member_slots() FROM PUBLIC;
COMMENT ON FUNCTION brop.recreate_member_slots() IS
  'after a standby of the sequencer is promoted: make the members'' replication slots, which a physical standby does not copy (each member then calls brop.resync); returns how many were made';

CREATE FUNCTION brop.resync(sequencer text) RETURNS text
  LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c brop.consortium;
  t text;
BEGIN
  SELECT * INTO c FROM brop.consortium WHERE role = 'member';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this node is not a member of a consortium'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_subscription s WHERE s.subname = 'brop_ledger') THEN
    ALTER SUBSCRIPTION brop_ledger DISABLE;
    ALTER SUBSCRIPTION brop_ledger SET (slot_name = NONE);
    DROP SUBSCRIPTION brop_ledger;
  END IF;
  -- the copy is made again; the witness keeps what it cosigned, and
  -- verifies the new copy from its first block: it cosigns again only if
  -- the new copy extends the tree it cosigned (else it halts, and says why)
  FOREACH t IN ARRAY brop.replicated_tables() || ARRAY['pending'] LOOP
    EXECUTE format('ALTER TABLE brop.%I DISABLE TRIGGER USER', t);
    EXECUTE format('TRUNCATE brop.%I', t);
    EXECUTE format('ALTER TABLE brop.%I ENABLE TRIGGER USER', t);
  END LOOP;
  DELETE FROM brop.credential_category WHERE entry IS NOT NULL;
  FOREACH t IN ARRAY ARRAY['entry', 'log_leaf', 'block', 'entry_expired', 'log_tile',
                           'organization_history', 'membership_history'] LOOP
    EXECUTE format('ALTER TABLE brop.%I ENABLE ALWAYS TRIGGER append_only', t);
    EXECUTE format('ALTER TABLE brop.%I ENABLE ALWAYS TRIGGER append_only_truncate', t);
  END LOOP;
  ALTER TABLE brop.block ENABLE REPLICA TRIGGER witness_wake;
  ALTER TABLE brop.block ENABLE REPLICA TRIGGER member_pending;
  UPDATE brop.witness_log SET block = NULL, block_hash = NULL, edge = NULL WHERE origin = c.origin;
  EXECUTE format('CREATE SUBSCRIPTION brop_ledger CONNECTION %L PUBLICATION brop_ledger, brop_ledger_pending'
                 ' WITH (create_slot = false, slot_name = %L, copy_data = true)', sequencer, 'brop_member_' || c.name);
  UPDATE brop.consortium SET sequencer = resync.sequencer;
  RETURN 'brop_member_' || c.name;
END
$$;
REVOKE EXECUTE ON FUNCTION brop.resync(text) FROM PUBLIC;
COMMENT ON FUNCTION brop.resync(text) IS
  'copy the sequencer''s ledger again (after its standby was promoted: connection string sequencer): the copy is emptied and made again from the promoted node; the witness verifies it whole and cosigns only if it extends what it cosigned';

-- == end consortium: members ==

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
      WHEN EXISTS (SELECT FROM brop.consortium c WHERE c.role = 'member') THEN 'member'
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
           WHEN 'member' THEN (SELECT pg_catalog.format('a member (%s) of the consortium of log %s since %s: it holds a copy of the sequencer''s ledger and never seals',
                                c.name, c.origin, c.since) FROM brop.consortium c)
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
  UNION ALL
  SELECT 7, 'witness', w.origin,
    CASE WHEN w.halted_at IS NOT NULL THEN 'halted' WHEN w.tree_size = 0 THEN 'waiting' ELSE 'ok' END,
    CASE WHEN w.halted_at IS NOT NULL THEN 'critical' ELSE 'ok' END,
    w.tree_size, COALESCE(w.halted_at, w.updated_at), w.halted_reason, w.halted_at,
    CASE WHEN w.halted_at IS NOT NULL
      THEN pg_catalog.format('this node''s witness stopped cosigning the log: %s (brop.misbehaviour keeps the proofs; NOTIFY brop_misbehaviour)', w.halted_reason)
      ELSE pg_catalog.format('the latest checkpoint this node''s witness cosigned has size %s', w.tree_size) END
  FROM brop.witness_log w
  UNION ALL
  SELECT 8, 'subscription', s.subname,
    CASE WHEN NOT s.subenabled THEN 'disabled'
         WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_stat_subscription a WHERE a.subid = s.oid AND a.pid IS NOT NULL) THEN 'down'
         WHEN EXISTS (SELECT FROM pg_catalog.pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate <> 'r') THEN 'copying'
         ELSE 'ok' END,
    NULL, NULL, (SELECT pg_catalog.max(a.last_msg_receipt_time) FROM pg_catalog.pg_stat_subscription a WHERE a.subid = s.oid),
    NULL, NULL,
    CASE WHEN s.subname = 'brop_ledger' THEN 'this member''s copy of the sequencer''s ledger'
         ELSE pg_catalog.format('the cosignatures of member %s', pg_catalog.substr(s.subname, 12)) END
  FROM pg_catalog.pg_subscription s
  WHERE s.subdbid = (SELECT h.oid FROM here h) AND (s.subname = 'brop_ledger' OR s.subname LIKE 'brop\_cosig\_%')
)
SELECT r.component, r.name, r.state,
  COALESCE(r.level, CASE
    WHEN r.state IN ('refused_copy', 'down', 'failing', 'halted') THEN 'critical'
    WHEN r.state = 'disabled' THEN 'warning'
    WHEN r.state = 'late' AND pg_catalog.now() - r.since > 10 * lim.late THEN 'critical'
    WHEN r.state = 'late' THEN 'warning'
    ELSE 'ok' END) AS level,
  r.count, r.since, pg_catalog.now() - r.since AS age, r.error, r.error_at, r.detail
FROM rows r, lim
ORDER BY r.ord, r.name;
REVOKE ALL ON brop.status FROM PUBLIC;
GRANT SELECT ON brop.status TO pg_monitor;
COMMENT ON VIEW brop.status IS
  'one row per component an operator watches (node, sealer, pending, capture_queue, last_block, one per relayed source, one per log this node''s witness watches, one per consortium subscription), each with a state and a level (ok, warning, critical) to alert on; docs/operations.md, "Monitoring"';
COMMENT ON COLUMN brop.status.component IS 'node, sealer, pending, capture_queue, last_block, source, witness or subscription';
COMMENT ON COLUMN brop.status.name IS 'the source''s name for a source row, the log''s origin for a witness row, the subscription''s for a subscription row, else null';
COMMENT ON COLUMN brop.status.state IS 'node: ok, member, unconfigured, refused_copy; sealer: ok, failing, down, off, other_database; pending and capture_queue: empty, ok, late; last_block: ok, none; source: ok, idle, down; witness: ok, waiting, halted; subscription: ok, copying, disabled, down';
COMMENT ON COLUMN brop.status.level IS 'ok, warning or critical: what to alert on (critical: refused_copy, down, failing, late for 10 times the late threshold; warning: late)';
COMMENT ON COLUMN brop.status.count IS 'pending: entries; capture_queue: committed transactions; sealer: failed attempts in a row; last_block: its number; source: entries relayed';
COMMENT ON COLUMN brop.status.since IS 'pending: the oldest entry''s submission; capture_queue: the oldest transaction''s commit (with track_commit_timestamp); sealer: its last success; last_block: its sealing; source: its last batch; node: when its identity was recorded';
COMMENT ON COLUMN brop.status.age IS 'now() - since';
COMMENT ON COLUMN brop.status.error IS 'sealer: its last error''s message, kept after it sealed again';
COMMENT ON COLUMN brop.status.error_at IS 'sealer: when its last error happened';
COMMENT ON COLUMN brop.status.detail IS 'the rest, in words: thresholds, positions, what to do';

-- == end status ==

-- == registration: existing rows =============================================

-- register_table registers the rows the table already holds (capture
-- 'trigger': each a row entry with op "existing", through the capture queue;
-- capture 'plugin': a table with rows is refused). The C function of 1.0,
-- brop_register_table, keeps 1.0's behaviour for a database not yet updated.
-- docs/registration.md, "Rows already in the table". C: src/pg/registration/existing.c.
CREATE OR REPLACE FUNCTION brop.register_table(tab regclass, key_columns text[], columns text[] DEFAULT NULL,
    subject_column text DEFAULT NULL, profile int DEFAULT 1, signing_key text DEFAULT NULL,
    name text DEFAULT NULL, capture text DEFAULT 'trigger')
  RETURNS brop.registration
  AS 'MODULE_PATHNAME', 'brop_register_table_existing' LANGUAGE C VOLATILE;
REVOKE EXECUTE ON FUNCTION brop.register_table(regclass, text[], text[], text, int, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.register_table(regclass, text[], text[], text, int, text, text, text) IS
  'register a table''s rows on the ledger (its owner only): the rows it holds become entries of op existing (capture trigger; a table with rows is refused for capture plugin), and each INSERT, UPDATE and DELETE an entry, signed with signing_key';

-- == end registration ==

-- == disclosure ==============================================================

-- One registered row disclosed to a third party (docs/registration.md,
-- "Disclosing one row"): its document made from the table under brop's
-- fixed text settings, whatever the session's, and the bundle that
-- `brop verify --disclosure` checks offline (docs/formats.md, "Row
-- disclosure bundles"). C: src/pg/disclosure.c.
CREATE FUNCTION brop.row_document(tab regclass, row_key jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'brop_pg_row_document' LANGUAGE C STABLE STRICT
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

-- == formats: one owner each ====================================================

-- The header of a credential's ledger entry (schema brop-credential-v1),
-- made in C by the core's one producer, as brop.issue_credential makes it:
-- a time outside the years 1 to 9999 (or infinite) is refused (22008), as
-- every ledger time is, where the PL/pgSQL of 1.0 wrote a text of its own.
CREATE OR REPLACE FUNCTION brop.credential_header(c brop.credential) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'brop_pg_credential_header' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION brop.credential_header(brop.credential) IS
  'the public header of a credential version''s ledger entry: serial, version, issuer, holder, category, form, profile, times';

-- The admission rules of a credential version, in C, the same for
-- brop.issue_credential and brop.record_credential (docs/credentials.md,
-- "Admission"): the oracle and membership asked of their latest history
-- rows. Called by record_credential (SECURITY DEFINER).
CREATE FUNCTION brop.admit_credential(c brop.credential) RETURNS brop.credential
  AS 'MODULE_PATHNAME', 'brop_admit_credential' LANGUAGE C VOLATILE STRICT;
REVOKE EXECUTE ON FUNCTION brop.admit_credential(brop.credential) FROM PUBLIC;
COMMENT ON FUNCTION brop.admit_credential(brop.credential) IS
  'the admission rules of a credential version (issued within 5 minutes of now; category; version superseded; oracle and membership as their latest history says): the row with its lineage and deactivated flag set, or an error';

-- == end formats ==

-- == keys in a token ==========================================================
-- A keyring key may be a private key in a PKCS#11 token (an HSM, SoftHSM2),
-- named by an RFC 7512 URI, instead of a box sealed under the root key
-- (docs/security.md, "Keys in a PKCS#11 token"). Both kinds live in
-- brop.key, so labels, owners, grants, brop.key_did, brop.keys and the dump
-- (pg_extension_config_dump of brop.key since 1.0) work the same for both:
-- a row holds either a box and its root key's id, or a token's URI (never
-- its PIN, which the token reads from the file the URI's pin-source names).
ALTER TABLE brop.key ADD COLUMN token_uri text;
ALTER TABLE brop.key ALTER COLUMN secret_box DROP NOT NULL;
ALTER TABLE brop.key ALTER COLUMN root_key_id DROP NOT NULL;
ALTER TABLE brop.key ADD CONSTRAINT key_box_or_token CHECK (
  CASE WHEN token_uri IS NULL THEN secret_box IS NOT NULL AND root_key_id IS NOT NULL
       ELSE secret_box IS NULL AND root_key_id IS NULL AND alg IN ('ed25519', 'p256') END);
COMMENT ON TABLE brop.key IS
  'keyring: secret keys sealed under the root key (brop.root_key_file), or keys in a PKCS#11 token named by their URI (token_uri); readable by the extension owner only';
COMMENT ON COLUMN brop.key.secret_box IS
  'nonce || XChaCha20-Poly1305 of the 32-byte secret (docs/security.md); NULL for a key in a token';
COMMENT ON COLUMN brop.key.root_key_id IS
  'first 8 bytes of HMAC-SHA256(root key, "brop root key id v1"); NULL for a key in a token';
COMMENT ON COLUMN brop.key.token_uri IS
  'for a key in a PKCS#11 token: its RFC 7512 URI (token, object or id, module-path or module-name, pin-source; never a pin-value), as brop.import_token_key read it; NULL for a key sealed under the root key';
COMMENT ON COLUMN brop.key.created_at IS 'when brop.create_key made it, or brop.import_token_key recorded it';
COMMENT ON CONSTRAINT key_box_or_token ON brop.key IS
  'a key is either sealed under the root key (secret_box and root_key_id) or in a token (token_uri, Ed25519 or P-256)';

-- brop.keys as in 1.0, and whether each key is in a token (the URI is not
-- shown: it names the PIN file and the module, which the root key file's
-- path, hidden from most roles, would be beside).
CREATE OR REPLACE VIEW brop.keys AS
  SELECT k.label, k.alg, k.did, k.owner, k.created_at,
         ARRAY(SELECT g.grantee FROM brop.key_grant g
               WHERE g.key_id = k.id AND EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.oid = g.grantee)
               ORDER BY 1) AS grantees,
         k.token_uri IS NOT NULL AS in_token
  FROM brop.key k;
COMMENT ON COLUMN brop.keys.in_token IS 'true for a key in a PKCS#11 token (brop.import_token_key), false for one sealed under the root key';

-- C (keyring/token_key.c). Superuser only: the URI names a shared library
-- the server loads (module-path, module-name) and a file it reads as its
-- own user (pin-source), what LOAD and pg_read_file are kept for.
CREATE FUNCTION brop.import_token_key(label text, uri text) RETURNS brop.did
  AS 'MODULE_PATHNAME', 'brop_import_token_key' LANGUAGE C VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION brop.import_token_key(text, text) FROM PUBLIC;
COMMENT ON FUNCTION brop.import_token_key(text, text) IS
  'record a key of a PKCS#11 token (Ed25519 or P-256, named by its RFC 7512 URI with a pin-source) in the keyring under label, after one test signature; superuser only; returns its did';

-- == end keys in a token ==

-- == parallel verify ===========================================================
-- brop.verify_ledger() checks the entries in parallel workers (docs/ledger.md,
-- "On every core"); its statements are not worth compiling with JIT, which
-- the planner's costs for a large log would ask for (0.45 s for nothing)
ALTER FUNCTION brop.verify_ledger(brop.did, boolean) SET jit = off;
-- == end parallel verify ==
