/*
 * ledger_checks.c — what brop.verify_ledger() checks of brop.registration:
 * each registration row is what its entry states. Registered with the
 * ledger by _PG_init (brop_registration_ledger_checks), so that only this
 * module names the table (docs/architecture.md, "Who names a table").
 */
#include "postgres.h"

#include "registration/registration.h"

/* Each registration row is what its entry states; the first problem by entry. */
#define REGISTRATION_ROWS_SQL \
	"SELECT s.entry, s.problem FROM (" \
	" SELECT r.entry, pg_catalog.format('brop.registration row %s does not match its entry %s'," \
	"   pg_catalog.quote_literal(brop.quote_input(r.name)), r.entry) AS problem" \
	" FROM brop.registration r LEFT JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) r.entry" \
	" WHERE e.id IS NULL OR e.kind OPERATOR(pg_catalog.<>) 'registration' OR e.org OPERATOR(pg_catalog.<>) r.org" \
	"    OR e.header OPERATOR(pg_catalog.<>) pg_catalog.jsonb_build_object('op', 'register', 'registration', r.name," \
	"         'capture', r.capture, 'columns', pg_catalog.to_jsonb(r.columns), 'key_columns', pg_catalog.to_jsonb(r.key_columns)," \
	"         'profile', r.profile, 'subject_column', r.subject_column)" \
	" ) s ORDER BY s.entry NULLS FIRST LIMIT 1"

void
brop_registration_ledger_checks(void)
{
	brop_ledger_add_check(BROP_CHECK_ROWS, REGISTRATION_ROWS_SQL);
}
