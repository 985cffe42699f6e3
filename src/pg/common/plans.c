/*
 * plans.c — the statements brop's writers keep for a backend's life, and the
 * catalog ids they depend on, under one policy.
 *
 * brop writes its rows with statements (INSERT ... ON CONFLICT DO NOTHING
 * RETURNING, with data-modifying CTEs where one row brings others), so the
 * executor checks what a DBA may add to brop's tables: NOT NULL and CHECK
 * constraints, foreign keys, triggers, row-level security; and a table's
 * columns are named, never counted. A kept statement names every object and
 * operator with its schema; the plan cache plans it again after DDL on what
 * it reads or writes.
 *
 * What the plan cache cannot follow is the extension dropped and made again
 * in the same session: a statement whose parameters are of brop's types
 * keeps their old OIDs. So brop's ids (its schema and the types brop.did and
 * brop.digest) are looked up once, and again after a syscache invalidation
 * of one of them; each lookup that finds other ids starts a new generation,
 * and a kept statement of an older generation is freed and prepared again on
 * its next use. Used by submit, submit_batch, credential issuance and
 * verdicts. The owner of brop's tables (brop.key's), whom owner.c acts as,
 * is kept with them, so that switching to it costs no catalog look-up.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "common/brop_pg.h"

static brop_ids ids;
static uint32 ids_generation = 0;
static bool ids_valid = false;
static bool ids_callbacks = false;
static uint32 did_hash,
			digest_hash,
			key_hash;

/*
 * A change of pg_namespace, of pg_type or of brop.key's row of pg_class:
 * brop's ids are looked up again when it may concern them. Any schema's
 * change does: the schema brop made after a look-up that did not find it has
 * another hash.
 */
static void
ids_invalidate(Datum arg, int cacheid, uint32 hashvalue)
{
	if (hashvalue == 0 || cacheid == NAMESPACEOID ||
		(cacheid == RELOID && hashvalue == key_hash) ||
		(cacheid == TYPEOID && (hashvalue == did_hash || hashvalue == digest_hash)))
		ids_valid = false;
}

static Oid
type_oid(Oid nsp, const char *name)
{
	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name), ObjectIdGetDatum(nsp));
}

/* Looks brop's ids up again if an invalidation may have changed them; false if brop is not installed. */
static bool
ids_refresh(void)
{
	if (!ids_callbacks)
	{
		CacheRegisterSyscacheCallback(NAMESPACEOID, ids_invalidate, (Datum) 0);
		CacheRegisterSyscacheCallback(TYPEOID, ids_invalidate, (Datum) 0);
		CacheRegisterSyscacheCallback(RELOID, ids_invalidate, (Datum) 0);
		ids_callbacks = true;
	}
	while (!ids_valid)
	{
		brop_ids	now;

		/* an invalidation during the look-ups makes them run again */
		ids_valid = true;
		now.nsp = get_namespace_oid("brop", true);
		now.did = OidIsValid(now.nsp) ? type_oid(now.nsp, "did") : InvalidOid;
		now.digest = OidIsValid(now.nsp) ? type_oid(now.nsp, "digest") : InvalidOid;
		now.key = OidIsValid(now.nsp) ? get_relname_relid("key", now.nsp) : InvalidOid;
		now.owner = InvalidOid;
		if (OidIsValid(now.key))
		{
			HeapTuple	tp = SearchSysCache1(RELOID, ObjectIdGetDatum(now.key));

			if (HeapTupleIsValid(tp))
			{
				now.owner = ((Form_pg_class) GETSTRUCT(tp))->relowner;
				ReleaseSysCache(tp);
			}
		}
		key_hash = GetSysCacheHashValue1(RELOID, ObjectIdGetDatum(now.key));
		did_hash = GetSysCacheHashValue1(TYPEOID, ObjectIdGetDatum(now.did));
		digest_hash = GetSysCacheHashValue1(TYPEOID, ObjectIdGetDatum(now.digest));
		/* the kept statements depend on the types only */
		if (now.nsp != ids.nsp || now.did != ids.did || now.digest != ids.digest)
			ids_generation++;
		ids = now;
	}
	return OidIsValid(ids.did) && OidIsValid(ids.digest);
}

const brop_ids *
brop_ids_get(void)
{
	if (!ids_refresh())
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("the brop extension is not installed in this database"),
				 errhint("CREATE EXTENSION brop makes its schema and types.")));
	return &ids;
}

Oid
brop_tables_owner(void)
{
	(void) ids_refresh();
	if (!OidIsValid(ids.nsp))
		(void) get_namespace_oid("brop", false);	/* ERROR */
	if (!OidIsValid(ids.key))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("brop keyring table is missing")));
	if (!OidIsValid(ids.owner))
		elog(ERROR, "cache lookup failed for relation %u", ids.key);
	return ids.owner;
}

/* The kept statements, freed and forgotten together when brop's ids change. */
static SPIPlanPtr **kept_slots = NULL;
static int	kept_count = 0;
static int	kept_size = 0;
static uint32 kept_generation = 0;

/* Forgets the kept statements of an older generation; false if brop is not installed. */
static bool
kept_refresh(void)
{
	bool		installed = ids_refresh();

	if (kept_generation != ids_generation)
	{
		/* the extension was dropped (and maybe made again): its types are gone */
		for (int i = 0; i < kept_count; i++)
		{
			SPI_freeplan(*kept_slots[i]);
			*kept_slots[i] = NULL;
		}
		kept_count = 0;
		kept_generation = ids_generation;
	}
	return installed;
}

SPIPlanPtr
brop_kept_plan_get(SPIPlanPtr *slot)
{
	(void) kept_refresh();
	return *slot;
}

SPIPlanPtr
brop_kept_plan(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *types, int options)
{
	bool		installed = kept_refresh();

	if (*slot == NULL)
	{
		Oid			resolved[BROP_KEPT_MAX_ARGS];
		SPIPlanPtr	p;

		if (nargs > BROP_KEPT_MAX_ARGS)
			elog(ERROR, "a kept statement takes at most %d parameters", BROP_KEPT_MAX_ARGS);
		for (int i = 0; i < nargs; i++)
		{
			resolved[i] = types[i];
			if (types[i] == BROP_DID_TYPE || types[i] == BROP_DIGEST_TYPE)
			{
				if (!installed)
					(void) brop_ids_get();	/* ERROR */
				resolved[i] = types[i] == BROP_DID_TYPE ? ids.did : ids.digest;
			}
		}
		if (kept_count == kept_size)
		{
			kept_size = kept_size == 0 ? 32 : 2 * kept_size;
			kept_slots = kept_slots == NULL
				? MemoryContextAlloc(TopMemoryContext, kept_size * sizeof(SPIPlanPtr *))
				: repalloc(kept_slots, kept_size * sizeof(SPIPlanPtr *));
		}
		p = SPI_prepare_cursor(sql, nargs, resolved, options);
		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		*slot = p;
		kept_slots[kept_count++] = slot;
	}
	return *slot;
}
