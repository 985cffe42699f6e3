/*
 * owner.c — acting as the owner of brop's tables (the extension's owner),
 * and the OIDs of brop's types by name.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/syscache.h"

#include "common/brop_pg.h"

/*
 * Runs what follows as the owner of brop's tables (brop.key's owner, kept
 * by plans.c with brop's ids), in a restricted operation, until
 * brop_restore_user(); an error restores the user with the (sub)transaction's
 * abort.
 */
void
brop_become_owner(brop_owner_state *st)
{
	GetUserIdAndSecContext(&st->saved_user, &st->saved_context);
	SetUserIdAndSecContext(brop_tables_owner(),
						   st->saved_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
}

void
brop_become_role(brop_owner_state *st, Oid role)
{
	GetUserIdAndSecContext(&st->saved_user, &st->saved_context);
	SetUserIdAndSecContext(role, st->saved_context | SECURITY_LOCAL_USERID_CHANGE);
}

void
brop_restore_user(brop_owner_state *st)
{
	SetUserIdAndSecContext(st->saved_user, st->saved_context);
}

Oid
brop_type_oid(const char *name)
{
	Oid			nsp = get_namespace_oid("brop", false);

	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						   CStringGetDatum(name), ObjectIdGetDatum(nsp));
}

