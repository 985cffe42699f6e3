/*
 * node_identity.c — a restored copy does not seal (docs/operations.md,
 * "Backups"). The ledger records, when it is configured, the cluster's
 * system identifier and the database's OID; a seal in any other database,
 * e.g. one restored from a dump, would sign checkpoints under the same
 * origin and key as the original and fork the log, so brop.seal() refuses
 * until an operator calls brop.adopt_copy(reason), which records the new
 * identity and a ledger entry saying so.
 */
#include "postgres.h"

#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "ledger/ledger.h"

#define IDENTITY_SQL \
	"SELECT system_identifier, database_oid, database_name::text FROM brop.node_identity" \
	" ORDER BY id DESC LIMIT 1"

void
brop_node_identity_check(void)
{
	int64		sysid = (int64) GetSystemIdentifier();
	char	   *here = get_database_name(MyDatabaseId);
	bool		isnull;
	int64		rec_sysid;
	Oid			rec_oid;
	char	   *rec_name;

	if (SPI_execute("SELECT pg_catalog.to_regclass('brop.node_identity') IS NOT NULL", true, 1) != SPI_OK_SELECT ||
		!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		return;
	if (SPI_execute(IDENTITY_SQL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.node_identity");
	if (SPI_processed == 0)
	{
		/* nothing recorded yet: fine until the ledger is configured */
		if (SPI_execute("SELECT FROM brop.ledger_config", true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read brop.ledger_config");
		if (SPI_processed == 0)
			return;
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("this database is a copy of a ledger node and may not seal"),
				 errdetail("No node identity is recorded for its ledger: it was restored from a dump of a brop 1.0 database. "
						   "Two copies sealing under one origin and node key would fork the log."),
				 errhint("Check that the database it was copied from no longer seals, then call brop.adopt_copy(reason).")));
	}
	rec_sysid = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	rec_oid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	rec_name = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
	if (rec_sysid == sysid && rec_oid == MyDatabaseId)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("this database is a copy of a ledger node and may not seal"),
			 errdetail("The ledger was configured in database \"%s\" (OID %u) of the cluster with system identifier "
					   INT64_FORMAT "; this is database \"%s\" (OID %u) of the cluster with system identifier "
					   INT64_FORMAT ". Two copies sealing under one origin and node key would fork the log.",
					   rec_name, rec_oid, rec_sysid, here ? here : "?", MyDatabaseId, sysid),
			 errhint("Check that the database it was copied from no longer seals, then call brop.adopt_copy(reason).")));
}

/* brop.check_node_identity(): the same check, for SQL (configure_ledger, adopt_copy). */
PG_FUNCTION_INFO_V1(brop_check_node_identity);
Datum
brop_check_node_identity(PG_FUNCTION_ARGS)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	brop_node_identity_check();
	SPI_finish();
	PG_RETURN_VOID();
}

/* brop.system_identifier(): pg_control_system()'s, which only some roles may call. */
PG_FUNCTION_INFO_V1(brop_system_identifier);
Datum
brop_system_identifier(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) GetSystemIdentifier());
}
