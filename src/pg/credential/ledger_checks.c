/*
 * ledger_checks.c — what brop.verify_ledger() checks of the credential
 * module's tables beside the log: brop.credential, and the governance that
 * admits issuers (brop.organization, organization_history,
 * membership_history, credential_category). Registered with the ledger by
 * _PG_init (brop_credential_ledger_checks), so that only this module names
 * them (docs/architecture.md, "Who names a table").
 */
#include "postgres.h"

#include "credential/credential.h"

/*
 * Rows derived from entries (docs/ledger.md, "Tables beside the log"): each
 * names its entry, whose signed fields must state it; the first problem by
 * entry id. Governance changes are signed by the node's key or a governance
 * organisation's; the built-in credential categories have no entry.
 */
#define ROWS_SQL \
	"SELECT s.entry, s.problem FROM (" \
	" SELECT h.entry, pg_catalog.format('brop.organization_history row (%s, version %s) does not match its entry %s'," \
	"   h.did, h.version, h.entry) AS problem" \
	" FROM brop.organization_history h LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) h.entry" \
	" WHERE e.id IS NULL OR e.kind OPERATOR(pg_catalog.<>) 'organization'" \
	"    OR e.chain_key IS DISTINCT FROM 'organization:' OPERATOR(pg_catalog.||) h.did::pg_catalog.text" \
	"    OR e.subject IS DISTINCT FROM h.did OR e.submitted_at OPERATOR(pg_catalog.<>) h.valid_from" \
	"    OR (e.header OPERATOR(pg_catalog.-) 'op'::pg_catalog.text) OPERATOR(pg_catalog.<>) pg_catalog.jsonb_build_object(" \
	"         'did', h.did::pg_catalog.text, 'name', h.name, 'role', h.role, 'categories', pg_catalog.to_jsonb(h.categories)," \
	"         'status', h.status, 'version', h.version)" \
	"    OR NOT (e.org OPERATOR(pg_catalog.=) ANY (SELECT c.node_did FROM brop.ledger_config c)" \
	"            OR e.org OPERATOR(pg_catalog.=) ANY (SELECT g.did FROM brop.organization_history g" \
	"                                                  WHERE g.role OPERATOR(pg_catalog.=) 'governance'))" \
	" UNION ALL" \
	" SELECT m.entry, pg_catalog.format('brop.membership_history row (%s, %s, version %s) does not match its entry %s'," \
	"   m.org, m.holder, m.version, m.entry)" \
	" FROM brop.membership_history m LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) m.entry" \
	" WHERE e.id IS NULL OR e.kind OPERATOR(pg_catalog.<>) 'membership' OR e.org OPERATOR(pg_catalog.<>) m.org" \
	"    OR e.subject IS DISTINCT FROM m.holder OR e.submitted_at OPERATOR(pg_catalog.<>) m.valid_from" \
	"    OR e.chain_key IS DISTINCT FROM 'membership:' OPERATOR(pg_catalog.||) m.org::pg_catalog.text" \
	"       OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) m.holder::pg_catalog.text" \
	"    OR e.header OPERATOR(pg_catalog.<>) pg_catalog.jsonb_build_object('op', CASE WHEN m.member THEN 'join' ELSE 'leave' END," \
	"         'org', m.org::pg_catalog.text, 'holder', m.holder::pg_catalog.text, 'version', m.version)" \
	" UNION ALL" \
	" SELECT o.entry, pg_catalog.format('brop.organization row %s is not the latest version of its history', o.did)" \
	" FROM brop.organization o WHERE NOT EXISTS (SELECT FROM brop.organization_history h" \
	"   WHERE h.did OPERATOR(pg_catalog.=) o.did AND h.version OPERATOR(pg_catalog.=) o.version" \
	"     AND h.entry OPERATOR(pg_catalog.=) o.entry AND h.name OPERATOR(pg_catalog.=) o.name" \
	"     AND h.role OPERATOR(pg_catalog.=) o.role AND h.categories OPERATOR(pg_catalog.=) o.categories" \
	"     AND h.status OPERATOR(pg_catalog.=) o.status)" \
	"   OR EXISTS (SELECT FROM brop.organization_history h WHERE h.did OPERATOR(pg_catalog.=) o.did" \
	"     AND h.version OPERATOR(pg_catalog.>) o.version)" \
	" UNION ALL" \
	" SELECT k.entry, CASE WHEN k.entry IS NULL" \
	"   THEN pg_catalog.format('brop.credential_category row %s has no entry and is not built in', pg_catalog.quote_literal(k.name))" \
	"   ELSE pg_catalog.format('brop.credential_category row %s does not match its entry %s', pg_catalog.quote_literal(k.name), k.entry) END" \
	" FROM brop.credential_category k LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) k.entry" \
	" WHERE CASE WHEN k.entry IS NULL" \
	"   THEN k.name OPERATOR(pg_catalog.<>) ALL ('{secondary,higher_education,vocational,professional}'::pg_catalog.text[])" \
	"   ELSE e.id IS NULL OR e.kind OPERATOR(pg_catalog.<>) 'organization'" \
	"     OR e.chain_key IS DISTINCT FROM 'category:' OPERATOR(pg_catalog.||) k.name" \
	"     OR e.header OPERATOR(pg_catalog.<>) pg_catalog.jsonb_build_object('op', 'add_category', 'category', k.name," \
	"          'description', k.description) END" \
	" UNION ALL" \
	" SELECT c.entry, pg_catalog.format('brop.credential row %s does not match its entry %s', brop.quote_input(c.serial), c.entry)" \
	" FROM brop.credential c LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) c.entry" \
	" WHERE e.id IS NULL OR e.kind OPERATOR(pg_catalog.<>) 'credential' OR e.org OPERATOR(pg_catalog.<>) c.issuer" \
	"    OR e.subject IS DISTINCT FROM c.holder OR e.payload_digest OPERATOR(pg_catalog.<>) c.digest" \
	"    OR e.chain_key IS DISTINCT FROM 'credential:' OPERATOR(pg_catalog.||) c.lineage" \
	"    OR e.header OPERATOR(pg_catalog.<>) brop.credential_header(c)" \
	" ) s ORDER BY s.entry NULLS FIRST LIMIT 1"

/*
 * Entries that state a row of those tables, whose row is gone: the first
 * by entry id. An entry states a row when it is what the function that
 * writes the row submits: a governance change signed by the node's key or
 * a governance organisation's, a membership change signed by the
 * organisation, a credential signed by its issuer in its chain. Then the
 * built-in categories, and an organisation's current row.
 */
#define GOVERNANCE_SIGNER(e) \
	" (" e ".org OPERATOR(pg_catalog.=) ANY (SELECT c.node_did FROM brop.ledger_config c)" \
	"  OR " e ".org OPERATOR(pg_catalog.=) ANY (SELECT g.did FROM brop.organization_history g" \
	"                                            WHERE g.role OPERATOR(pg_catalog.=) 'governance'))"
#define MISSING_SQL \
	"SELECT s.entry, s.problem FROM (" \
	" SELECT e.id AS entry, CASE" \
	"   WHEN e.kind OPERATOR(pg_catalog.=) 'credential' THEN pg_catalog.format(" \
	"     'entry %s records credential %s, which brop.credential lacks', e.id," \
	"     brop.quote_input(e.header OPERATOR(pg_catalog.->>) 'serial'))" \
	"   WHEN e.kind OPERATOR(pg_catalog.=) 'membership' THEN pg_catalog.format(" \
	"     'entry %s records version %s of a membership of %s, which brop.membership_history lacks', e.id," \
	"     brop.quote_input(e.header OPERATOR(pg_catalog.->>) 'version'), brop.quote_input(e.header OPERATOR(pg_catalog.->>) 'org'))" \
	"   WHEN e.chain_key OPERATOR(pg_catalog.^@) 'category:' THEN pg_catalog.format(" \
	"     'entry %s adds category %s, which brop.credential_category lacks', e.id," \
	"     pg_catalog.quote_literal(brop.quote_input(e.header OPERATOR(pg_catalog.->>) 'category')))" \
	"   ELSE pg_catalog.format('entry %s records version %s of organisation %s, which brop.organization_history lacks'," \
	"     e.id, brop.quote_input(e.header OPERATOR(pg_catalog.->>) 'version'), brop.quote_input(e.header OPERATOR(pg_catalog.->>) 'did')) END AS problem" \
	" FROM brop.entry e" \
	" WHERE CASE e.kind" \
	"   WHEN 'credential' THEN e.chain_key OPERATOR(pg_catalog.^@) 'credential:'" \
	"     AND e.header OPERATOR(pg_catalog.->>) 'type' OPERATOR(pg_catalog.=) 'credential'" \
	"     AND e.org::pg_catalog.text OPERATOR(pg_catalog.=) (e.header OPERATOR(pg_catalog.->>) 'issuer')" \
	"     AND NOT EXISTS (SELECT FROM brop.credential c WHERE c.entry OPERATOR(pg_catalog.=) e.id)" \
	"   WHEN 'membership' THEN e.chain_key OPERATOR(pg_catalog.^@) 'membership:'" \
	"     AND e.org::pg_catalog.text OPERATOR(pg_catalog.=) (e.header OPERATOR(pg_catalog.->>) 'org')" \
	"     AND NOT EXISTS (SELECT FROM brop.membership_history m WHERE m.entry OPERATOR(pg_catalog.=) e.id)" \
	"   WHEN 'organization' THEN" GOVERNANCE_SIGNER("e") " AND CASE" \
	"     WHEN e.chain_key OPERATOR(pg_catalog.^@) 'category:' THEN" \
	"       NOT EXISTS (SELECT FROM brop.credential_category k WHERE k.entry OPERATOR(pg_catalog.=) e.id)" \
	"     WHEN e.chain_key OPERATOR(pg_catalog.^@) 'organization:' THEN" \
	"       NOT EXISTS (SELECT FROM brop.organization_history h WHERE h.entry OPERATOR(pg_catalog.=) e.id)" \
	"     ELSE false END" \
	"   ELSE false END" \
	" UNION ALL" \
	" SELECT NULL, pg_catalog.format('brop.credential_category lacks the built-in category %s', pg_catalog.quote_literal(b.name))" \
	" FROM pg_catalog.unnest('{secondary,higher_education,vocational,professional}'::pg_catalog.text[]) b (name)" \
	" WHERE NOT EXISTS (SELECT FROM brop.credential_category k WHERE k.name OPERATOR(pg_catalog.=) b.name" \
	"                    AND k.entry IS NULL)" \
	" UNION ALL" \
	" SELECT pg_catalog.min(h.entry), pg_catalog.format('brop.organization lacks organisation %s, which brop.organization_history has', h.did)" \
	" FROM brop.organization_history h" \
	" WHERE NOT EXISTS (SELECT FROM brop.organization o WHERE o.did OPERATOR(pg_catalog.=) h.did) GROUP BY h.did" \
	" ) s ORDER BY s.entry NULLS FIRST LIMIT 1"

/*
 * A credential's status columns, from the later entries of its chain
 * (brop.credential_request, a new version): revoked by a revoke the issuer
 * signed for this serial, superseded by a version that names it;
 * deactivated as the chain's last deactivate or reactivate (every version,
 * a later one inheriting it) that the holder signed; destroyed by a
 * destroy the holder signed after it; status_entry the last of those that
 * changed it; the envelope the one the entry states, gone once destroyed.
 * The first problem by the row's entry.
 */
#define STATUS_SQL \
	"SELECT s.entry, s.problem FROM (" \
	" SELECT c.entry, CASE" \
	"   WHEN c.status OPERATOR(pg_catalog.<>) x.status THEN CASE x.status" \
	"     WHEN 'active' THEN pg_catalog.format('brop.credential row %s has status %s, but no entry of its chain revokes or supersedes it'," \
	"       brop.quote_input(c.serial), c.status)" \
	"     ELSE pg_catalog.format('brop.credential row %s has status %s, but entry %s %s it', brop.quote_input(c.serial), c.status," \
	"       COALESCE(a.revoked_by, a.superseded_by), CASE x.status WHEN 'revoked' THEN 'revokes' ELSE 'supersedes' END) END" \
	"   WHEN c.deactivated OPERATOR(pg_catalog.<>) x.deactivated THEN CASE" \
	"     WHEN a.switched_by IS NULL THEN pg_catalog.format('brop.credential row %s is deactivated, but no entry of its chain deactivates it', brop.quote_input(c.serial))" \
	"     ELSE pg_catalog.format('brop.credential row %s is %s, but entry %s %s it', brop.quote_input(c.serial)," \
	"       CASE WHEN c.deactivated THEN 'deactivated' ELSE 'not deactivated' END, a.switched_by," \
	"       CASE WHEN x.deactivated THEN 'deactivates' ELSE 'reactivates' END) END" \
	"   WHEN c.destroyed OPERATOR(pg_catalog.<>) x.destroyed THEN CASE" \
	"     WHEN x.destroyed THEN pg_catalog.format('brop.credential row %s is not destroyed, but entry %s destroys it', brop.quote_input(c.serial), a.destroyed_by)" \
	"     ELSE pg_catalog.format('brop.credential row %s is destroyed, but no later entry of its chain destroys it', brop.quote_input(c.serial)) END" \
	"   WHEN c.status_entry IS DISTINCT FROM a.changed_by THEN CASE" \
	"     WHEN a.changed_by IS NULL THEN pg_catalog.format('brop.credential row %s has status_entry %s, but no later entry of its chain changes it'," \
	"       brop.quote_input(c.serial), c.status_entry)" \
	"     ELSE pg_catalog.format('brop.credential row %s has status_entry %s, not %s, the last entry of its chain that changes it'," \
	"       brop.quote_input(c.serial), COALESCE(c.status_entry::pg_catalog.text, 'null'), a.changed_by) END" \
	"   WHEN c.destroyed AND c.envelope IS NOT NULL THEN" \
	"     pg_catalog.format('brop.credential row %s is destroyed, but keeps an envelope', brop.quote_input(c.serial))" \
	"   WHEN NOT c.destroyed AND c.envelope IS NULL AND e.body_digest IS NOT NULL THEN" \
	"     pg_catalog.format('brop.credential row %s has no envelope, but its entry %s states one', brop.quote_input(c.serial), c.entry)" \
	"   WHEN c.envelope IS NOT NULL AND brop.sha256(c.envelope) IS DISTINCT FROM e.body_digest THEN" \
	"     pg_catalog.format('brop.credential row %s has an envelope that is not the one its entry %s states', brop.quote_input(c.serial), c.entry)" \
	"   END AS problem" \
	" FROM brop.credential c JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) c.entry" \
	" CROSS JOIN LATERAL (SELECT" \
	"   pg_catalog.min(t.id) FILTER (WHERE t.kind OPERATOR(pg_catalog.=) 'credential_status' AND t.org OPERATOR(pg_catalog.=) c.issuer" \
	"     AND t.header OPERATOR(pg_catalog.->>) 'op' OPERATOR(pg_catalog.=) 'revoke'" \
	"     AND t.header OPERATOR(pg_catalog.->>) 'serial' OPERATOR(pg_catalog.=) c.serial) AS revoked_by," \
	"   pg_catalog.min(t.id) FILTER (WHERE " SUPERSEDES ") AS superseded_by," \
	"   pg_catalog.max(t.id) FILTER (WHERE " HOLDER_OP("'deactivate', 'reactivate'") ") AS switched_by," \
	"   pg_catalog.min(t.id) FILTER (WHERE " HOLDER_OP("'destroy'") " AND t.id OPERATOR(pg_catalog.>) c.entry) AS destroyed_by," \
	"   pg_catalog.max(t.id) FILTER (WHERE t.id OPERATOR(pg_catalog.>) c.entry AND (" SUPERSEDES \
	"     OR " HOLDER_OP("'deactivate', 'reactivate', 'destroy'") \
	"     OR (t.kind OPERATOR(pg_catalog.=) 'credential_status' AND t.org OPERATOR(pg_catalog.=) c.issuer" \
	"         AND t.header OPERATOR(pg_catalog.->>) 'op' OPERATOR(pg_catalog.=) 'revoke'" \
	"         AND t.header OPERATOR(pg_catalog.->>) 'serial' OPERATOR(pg_catalog.=) c.serial))) AS changed_by" \
	"   FROM brop.entry t WHERE t.chain_key OPERATOR(pg_catalog.=) ('credential:' OPERATOR(pg_catalog.||) c.lineage)) a" \
	" CROSS JOIN LATERAL (SELECT" \
	"   CASE WHEN a.revoked_by IS NOT NULL THEN 'revoked' WHEN a.superseded_by IS NOT NULL THEN 'superseded'" \
	"     ELSE 'active' END AS status," \
	"   COALESCE((SELECT t.header OPERATOR(pg_catalog.->>) 'op' OPERATOR(pg_catalog.=) 'deactivate' FROM brop.entry t" \
	"     WHERE t.id OPERATOR(pg_catalog.=) a.switched_by), false) AS deactivated," \
	"   a.destroyed_by IS NOT NULL AS destroyed) x" \
	" ) s WHERE s.problem IS NOT NULL ORDER BY s.entry LIMIT 1"
#define SUPERSEDES \
	"t.kind OPERATOR(pg_catalog.=) 'credential' AND t.org OPERATOR(pg_catalog.=) c.issuer" \
	" AND t.header OPERATOR(pg_catalog.->>) 'supersedes' OPERATOR(pg_catalog.=) c.serial"
#define HOLDER_OP(ops) \
	"t.kind OPERATOR(pg_catalog.=) 'credential_status' AND t.org OPERATOR(pg_catalog.=) c.holder" \
	" AND t.header OPERATOR(pg_catalog.->>) 'op' OPERATOR(pg_catalog.=) ANY (ARRAY[" ops "])"

void
brop_credential_ledger_checks(void)
{
	brop_ledger_add_check(BROP_CHECK_ROWS, ROWS_SQL);
	brop_ledger_add_check(BROP_CHECK_MISSING, MISSING_SQL);
	brop_ledger_add_check(BROP_CHECK_STATUS, STATUS_SQL);
}
