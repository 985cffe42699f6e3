-- Organisations, governance, membership and the oracle (docs/credentials.md,
-- "Organisations and the oracle")
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SELECT count(brop.create_key('ed25519', k)) AS keys
  FROM unnest(ARRAY['og-gov', 'og-uni', 'og-school', 'og-registry', 'og-rogue', 'og-holder']) k;
-- a statement's outcome: "ok", or its SQLSTATE and message (DIDs elided)
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, 'did:key:z[1-9A-HJ-NP-Za-km-z]+', 'did:key:...', 'g');
END $$;
SELECT name, description FROM brop.credential_category ORDER BY name;

-- the node's key (brop.configure_ledger) founds governance; a governance
-- organisation's key then signs the changes
SELECT name, role, categories, status, version
  FROM brop.add_organization(brop.key_did('og-gov'), 'Ministry of Education', 'governance');
SELECT name, role, categories, status, version
  FROM brop.add_organization(brop.key_did('og-uni'), 'University of Example', 'cross_issuer',
                             '{professional,higher_education,professional}', governance_key => 'og-gov');
SELECT name, role, categories FROM brop.add_organization(brop.key_did('og-school'), 'Example High School',
                                                         'direct_issuer', '{secondary}', governance_key => 'og-gov');
SELECT name, role, categories FROM brop.add_organization(brop.key_did('og-registry'), 'Registry of Verifiers',
                                                         'validator', governance_key => 'og-gov');
-- each change is an entry of kind "organization" in the organisation's chain,
-- signed by the node or the governance organisation, its header the version
SELECT o.name, e.kind, e.org = (SELECT node_did FROM brop.ledger_config) AS by_node,
       e.org = brop.key_did('og-gov') AS by_governance, e.subject = o.did AS subject,
       e.chain_key = 'organization:' || o.did AS chain, e.header - 'did' AS header,
       e.payload_digest = brop.sha256(convert_to(brop.jcs(e.header), 'UTF8')) AS digest_of_header
  FROM brop.organization o JOIN brop.entry e ON e.id = o.entry ORDER BY e.id;

-- the oracle
SELECT brop.is_authorized_issuer(brop.key_did('og-uni'), 'higher_education') AS uni_higher,
       brop.is_authorized_issuer(brop.key_did('og-uni'), 'secondary') AS uni_secondary,
       brop.is_authorized_issuer(brop.key_did('og-school'), 'secondary') AS school_secondary,
       brop.is_authorized_issuer(brop.key_did('og-registry'), 'secondary') AS validator,
       brop.is_authorized_issuer(brop.key_did('og-gov'), 'secondary') AS governance,
       brop.is_authorized_issuer(brop.key_did('og-rogue'), 'secondary') AS unknown_org,
       brop.is_authorized_issuer(brop.key_did('og-uni'), 'higher_education', now() - interval '1 day') AS before_added;
SELECT pg_temp.try($$SELECT brop.is_authorized_issuer(brop.key_did('og-uni'), 'astrology')$$);

-- suspended today, the university still validly issued before; reactivated,
-- it issues again; its categories change; removed, it is gone for good
SELECT valid_from AS added_at FROM brop.organization_history
 WHERE did = brop.key_did('og-uni') AND version = 1 \gset
SELECT status, version FROM brop.set_organization_status(brop.key_did('og-uni'), 'suspended', 'og-gov');
SELECT brop.is_authorized_issuer(brop.key_did('og-uni'), 'higher_education') AS now_suspended,
       brop.is_authorized_issuer(brop.key_did('og-uni'), 'higher_education', :'added_at') AS when_added;
SELECT status, version FROM brop.set_organization_status(brop.key_did('og-uni'), 'active', 'og-gov');
SELECT categories, version FROM brop.set_organization_categories(brop.key_did('og-uni'), '{higher_education}');
SELECT brop.is_authorized_issuer(brop.key_did('og-uni'), 'higher_education') AS higher,
       brop.is_authorized_issuer(brop.key_did('og-uni'), 'professional') AS professional_now,
       brop.is_authorized_issuer(brop.key_did('og-uni'), 'professional', :'added_at') AS professional_then;
SELECT version, role, categories, status FROM brop.organization_history
 WHERE did = brop.key_did('og-uni') ORDER BY version;
SELECT header->>'op' AS op, (header->>'version')::int AS version FROM brop.entry
 WHERE chain_key = 'organization:' || brop.key_did('og-uni') ORDER BY id;
SELECT ok, entries FROM brop.verify_chain('organization:' || brop.key_did('og-uni'));
SELECT status FROM brop.set_organization_status(brop.key_did('og-school'), 'removed', 'og-gov');
SELECT pg_temp.try($$SELECT brop.set_organization_status(brop.key_did('og-school'), 'active', 'og-gov')$$);
SELECT brop.is_authorized_issuer(brop.key_did('og-school'), 'secondary') AS removed_school;

-- extensible categories
SELECT name, description, entry IS NOT NULL AS entry FROM brop.add_category('company', 'company registrations', 'og-gov');
SELECT categories FROM brop.set_organization_categories(brop.key_did('og-uni'), '{company,higher_education}', 'og-gov');
SELECT brop.is_authorized_issuer(brop.key_did('og-uni'), 'company') AS company;

-- membership of holders (for direct issuers): signed by the organisation
CREATE TEMP TABLE holder AS SELECT brop.key_did('og-holder') AS did;
SELECT brop.is_member(brop.key_did('og-uni'), (SELECT did FROM holder)) AS before_joining;
SELECT brop.set_membership('og-uni', did, true) AS joined FROM holder \gset
SELECT e.kind, e.org = brop.key_did('og-uni') AS by_org, e.subject = h.did AS subject, e.header->>'op' AS op,
       e.chain_key = 'membership:' || e.org || ':' || h.did AS chain
  FROM holder h, brop.entry e WHERE e.id = :joined;
SELECT valid_from AS joined_at FROM brop.membership_history WHERE holder = (SELECT did FROM holder) \gset
SELECT pg_temp.try($$SELECT brop.set_membership('og-uni', (SELECT did FROM holder), true)$$);
SELECT brop.is_member(brop.key_did('og-uni'), (SELECT did FROM holder)) AS member;
SELECT brop.set_membership('og-uni', did, false) > 0 AS left FROM holder;
SELECT brop.is_member(brop.key_did('og-uni'), (SELECT did FROM holder)) AS member_now,
       brop.is_member(brop.key_did('og-uni'), (SELECT did FROM holder), :'joined_at') AS member_then;

-- refused: each with its SQLSTATE and message
SELECT pg_temp.try($$SELECT brop.add_organization(brop.key_did('og-uni'), 'Again')$$);
SELECT pg_temp.try($$SELECT brop.add_organization(brop.key_did('og-rogue'), 'Rogue', 'cross_issuer', '{astrology}')$$);
SELECT pg_temp.try($$SELECT brop.add_organization(brop.key_did('og-rogue'), 'Rogue', 'validator', '{secondary}')$$);
SELECT pg_temp.try($$SELECT brop.add_organization(brop.key_did('og-rogue'), 'Rogue', 'oracle')$$);
SELECT pg_temp.try($$SELECT brop.add_organization(brop.key_did('og-rogue'), 'Rogue', governance_key => 'og-uni')$$);
SELECT pg_temp.try($$SELECT brop.add_organization(brop.key_did('og-rogue'), 'Rogue', governance_key => 'no-such-key')$$);
SELECT pg_temp.try($$SELECT brop.set_organization_status(brop.key_did('og-rogue'), 'active')$$);
SELECT pg_temp.try($$SELECT brop.set_organization_status(brop.key_did('og-uni'), 'paused')$$);
SELECT pg_temp.try($$SELECT brop.add_category('Company', 'x', 'og-gov')$$);
SELECT pg_temp.try($$SELECT brop.add_category('company', 'x', 'og-gov')$$);
SELECT pg_temp.try($$SELECT brop.set_membership('og-school', (SELECT did FROM holder), true)$$);
SELECT pg_temp.try($$SELECT brop.set_membership('og-rogue', (SELECT did FROM holder), true)$$);
SELECT pg_temp.try($$UPDATE brop.organization_history SET status = 'active'$$);
SELECT pg_temp.try($$DELETE FROM brop.membership_history$$);
-- nothing was written by the refused calls
SELECT count(*) AS organisations, (SELECT count(*) FROM brop.organization_history) AS versions
  FROM brop.organization;
-- governance functions are the owner's; the oracle is everyone's
CREATE ROLE regress_brop_org_clerk;
SET ROLE regress_brop_org_clerk;
SELECT pg_temp.try($$SELECT brop.add_organization(brop.key_did('og-rogue'), 'Rogue')$$);
SELECT brop.is_authorized_issuer(brop.key_did('og-uni'), 'higher_education') AS oracle_for_all;
RESET ROLE;
DROP ROLE regress_brop_org_clerk;

-- caller text in the SQL functions' errors is quoted to 64 characters, then "..."
SELECT brop.quote_input(repeat('x', 64)) = repeat('x', 64) AS kept_whole,
       brop.quote_input(repeat('é', 65)) = repeat('é', 64) || '...' AS cut_at_characters;
SELECT brop.add_category(repeat('Long', 1000), 'a category with a 4000-character name');
SELECT brop.credential_request('urn:uuid:' || repeat('0', 3000), 'revoke', 'n', '\x00');
