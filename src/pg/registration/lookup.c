/*
 * lookup.c — the one reader of brop.registration: a row by table or by
 * entry (brop_registration_find: registering, unregistering, the drain), a
 * name or table already taken, the registrations the capture trigger uses
 * (cached per table, dropped at an invalidation of the table) and those
 * logical decoding reads as of a change; every row through one decoder.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "registration/registration.h"

/* ---- the cache -------------------------------------------------------------- */

static HTAB *registrations = NULL;

static void
registration_invalidate(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS seq;
	registration *r;

	if (registrations == NULL)
		return;
	hash_seq_init(&seq, registrations);
	while ((r = hash_seq_search(&seq)) != NULL)
		if (relid == InvalidOid || r->relid == relid)
			r->stale = true;
}

static int
column_order(const void *a, const void *b)
{
	const reg_column *x = a;
	const reg_column *y = b;

	return brop_jcs_key_compare(x->name, strlen(x->name), y->name, strlen(y->name));
}

/* Columns by name. */
static reg_column *
named_columns(Datum *names, int n)
{
	reg_column *cols = palloc0(sizeof(reg_column) * n);

	for (int i = 0; i < n; i++)
		cols[i].name = TextDatumGetCString(names[i]);
	return cols;
}

/* The attributes and output functions of named columns in rel; ERROR if one is gone. */
static void
resolve_columns(Relation rel, const char *regname, reg_column *cols, int n, bool *fixed)
{
	for (int i = 0; i < n; i++)
	{
		AttrNumber	att = get_attnum(RelationGetRelid(rel), cols[i].name);
		Oid			type;
		Oid			outfn;
		bool		varlena;

		if (att <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of registration \"%s\" is no longer in table \"%s\"",
							brop_pg_quote_cstring(cols[i].name), brop_pg_quote_cstring(regname), RelationGetRelationName(rel)),
					 errhint("Unregister the table and register it again.")));
		type = TupleDescAttr(RelationGetDescr(rel), att - 1)->atttypid;
		cols[i].attnum = att;
		getTypeOutputInfo(type, &outfn, &varlena);
		fmgr_info(outfn, &cols[i].out);
		cols[i].format = brop_row_text_format(getBaseType(type));
		if (cols[i].format == ROW_TEXT_SETTINGS)
			*fixed = false;
	}
}

/*
 * The layout of registration r's rows (its name set), from the names of its
 * key columns (in order) and registered columns: the registered columns in
 * RFC 8785 order, where each key column is among them. No table needed.
 */
void
brop_registration_layout(registration *r, Datum *keys, int nkeys, Datum *cols, int ncols)
{
	brop_row_text *names;

	r->nkeys = nkeys;
	r->keys = named_columns(keys, nkeys);
	r->ncols = ncols;
	r->cols = named_columns(cols, ncols);
	qsort(r->cols, ncols, sizeof(reg_column), column_order);
	names = palloc(sizeof(brop_row_text) * Max(ncols, 1));
	for (int c = 0; c < ncols; c++)
	{
		names[c].text = r->cols[c].name;
		names[c].len = strlen(r->cols[c].name);
	}
	brop_pg_check(brop_row_layout_new(&r->layout, names, ncols, &brop_pg_allocator), "registered columns");
	pfree(names);
	r->key_in_cols = palloc(sizeof(int) * nkeys);
	r->nextra = 0;
	for (int k = 0; k < nkeys; k++)
	{
		r->key_in_cols[k] = -1;
		for (int c = 0; c < ncols; c++)
			if (strcmp(r->cols[c].name, r->keys[k].name) == 0)
				r->key_in_cols[k] = c;
		if (r->key_in_cols[k] < 0)
			r->nextra++;
	}
}

/*
 * The columns of registration r (its name set) in table rel, given by name:
 * its layout, with the columns' attributes and output functions, and the
 * subject column (NULL: none). ERROR if one is gone.
 */
void
brop_registration_columns(registration *r, Relation rel, Datum *keys, int nkeys, Datum *cols, int ncols,
						  const char *subject)
{
	brop_registration_layout(r, keys, nkeys, cols, ncols);
	r->fixed_output = true;
	resolve_columns(rel, r->name, r->keys, nkeys, &r->fixed_output);
	resolve_columns(rel, r->name, r->cols, ncols, &r->fixed_output);
	r->subject = subject == NULL ? 0 : get_attnum(RelationGetRelid(rel), subject);
	if (subject != NULL && r->subject <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("subject column \"%s\" of registration \"%s\" is no longer in table \"%s\"",
						brop_pg_quote_cstring(subject), brop_pg_quote_cstring(r->name), RelationGetRelationName(rel))));
}

/*
 * brop.registration's columns, in the table's order (the decoding reads its
 * tuples by these numbers too).
 */
#define REG_COLUMNS \
	"r.name, r.relid, r.key_columns, r.columns, r.subject_column, r.profile, r.signing_key, r.capture, r.org," \
	" r.registrant, r.entry"
#define REG_BY_RELID "SELECT " REG_COLUMNS " FROM brop.registration r WHERE r.relid OPERATOR(pg_catalog.=) $1"
#define REG_BY_ENTRY "SELECT " REG_COLUMNS " FROM brop.registration r WHERE r.entry OPERATOR(pg_catalog.=) $1"
#define REG_TAKEN \
	"SELECT r.name FROM brop.registration r" \
	" WHERE r.name OPERATOR(pg_catalog.=) $1 OR r.relid OPERATOR(pg_catalog.=) $2"

/* A row of brop.registration (or of REG_COLUMNS) into out, in the current memory context. */
static void
registration_row_decode(HeapTuple tup, TupleDesc desc, brop_registration_row *out)
{
	bool		isnull;
	Datum		subject;

	out->name = TextDatumGetCString(heap_getattr(tup, 1, desc, &isnull));
	out->relid = DatumGetObjectId(heap_getattr(tup, 2, desc, &isnull));
	deconstruct_array(DatumGetArrayTypeP(heap_getattr(tup, 3, desc, &isnull)), TEXTOID, -1, false, TYPALIGN_INT,
					  &out->keys, NULL, &out->nkeys);
	deconstruct_array(DatumGetArrayTypeP(heap_getattr(tup, 4, desc, &isnull)), TEXTOID, -1, false, TYPALIGN_INT,
					  &out->cols, NULL, &out->ncols);
	subject = heap_getattr(tup, 5, desc, &isnull);
	out->subject = isnull ? NULL : TextDatumGetCString(subject);
	out->profile = DatumGetInt32(heap_getattr(tup, 6, desc, &isnull));
	out->signing_key = TextDatumGetCString(heap_getattr(tup, 7, desc, &isnull));
	out->capture = TextDatumGetCString(heap_getattr(tup, 8, desc, &isnull));
	out->org = datumCopy(heap_getattr(tup, 9, desc, &isnull), false, -1);
	out->registrant = DatumGetObjectId(heap_getattr(tup, 10, desc, &isnull));
	out->entry = DatumGetInt64(heap_getattr(tup, 11, desc, &isnull));
}

bool
brop_registration_find(Oid relid, int64 entry, bool read_only, brop_registration_row *out)
{
	static SPIPlanPtr by_relid = NULL;
	static SPIPlanPtr by_entry = NULL;
	MemoryContext caller = CurrentMemoryContext;
	Datum		arg;
	SPIPlanPtr	plan;
	bool		found;

	SPI_connect();
	if (OidIsValid(relid))
	{
		arg = ObjectIdGetDatum(relid);
		plan = brop_spi_plan(&by_relid, REG_BY_RELID, 1, (Oid[]) {OIDOID});
	}
	else
	{
		arg = Int64GetDatum(entry);
		plan = brop_spi_plan(&by_entry, REG_BY_ENTRY, 1, (Oid[]) {INT8OID});
	}
	if (SPI_execute_plan(plan, &arg, NULL, read_only, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.registration");
	found = SPI_processed == 1;
	if (found)
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		registration_row_decode(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, out);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return found;
}

char *
brop_registration_taken(const char *name, Oid relid)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[2] = {TEXTOID, OIDOID};
	Datum		args[2];
	char	   *taken = NULL;

	args[0] = CStringGetTextDatum(name);
	args[1] = ObjectIdGetDatum(relid);
	SPI_connect();
	if (SPI_execute_with_args(REG_TAKEN, 2, types, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.registration");
	if (SPI_processed > 0)
		taken = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	SPI_finish();
	return taken;
}

/*
 * The registration of the partitioned table a partition belongs to (the
 * nearest registered ancestor): its capture trigger, cloned onto the
 * partition, fires with the partition's relation. false if none.
 */
static bool
partition_registration(Oid relid, brop_registration_row *out)
{
	List	   *ancestors;
	ListCell   *lc;
	bool		found = false;

	if (!get_rel_relispartition(relid))
		return false;
	ancestors = get_partition_ancestors(relid);
	foreach(lc, ancestors)
		if ((found = brop_registration_find(lfirst_oid(lc), 0, true, out)))
			break;
	list_free(ancestors);
	return found;
}

static void
registration_load(registration *r, Oid relid)
{
	brop_registration_row row;
	Relation	rel;
	MemoryContext old;

	/* under the caller's context (not SPI's) until complete: an error frees it */
	r->cxt = AllocSetContextCreate(CurrentMemoryContext, "brop registration", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(r->cxt);
	if (!brop_registration_find(relid, 0, true, &row) && !partition_registration(relid, &row))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" has brop's capture trigger but no registration", get_rel_name(relid)),
				 errhint("Drop trigger " CAPTURE_TRIGGER " or register the table with brop.register_table().")));
	r->name = row.name;
	rel = table_open(relid, AccessShareLock);
	brop_registration_columns(r, rel, row.keys, row.nkeys, row.cols, row.ncols, row.subject);
	table_close(rel, AccessShareLock);
	r->profile = row.profile;
	r->signing_key = row.signing_key;
	r->org = row.org;
	r->org_text = brop_did_cstring(r->org);
	r->registrant = row.registrant;
	r->entry = row.entry;
	MemoryContextSwitchTo(old);
	r->stale = false;
}

registration *
brop_registration_get(Oid relid)
{
	registration *r;
	registration loaded;
	bool		found;

	if (registrations == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(registration);
		ctl.hcxt = CacheMemoryContext;
		registrations = hash_create("brop registrations", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		CacheRegisterRelcacheCallback(registration_invalidate, (Datum) 0);
	}
	r = hash_search(registrations, &relid, HASH_FIND, &found);
	if (found && !r->stale)
		return r;
	memset(&loaded, 0, sizeof loaded);
	loaded.relid = relid;
	registration_load(&loaded, relid);
	MemoryContextSetParent(loaded.cxt, CacheMemoryContext);
	r = hash_search(registrations, &relid, HASH_ENTER, &found);
	if (found)
		MemoryContextDelete(r->cxt);
	*r = loaded;
	return r;
}

/*
 * The row of brop.registration for rel with capture 'plugin', into r (as
 * brop_registration_columns makes it), read with the catalog snapshot of
 * logical decoding (brop.registration is a user catalog table); false if
 * none. *regrel_id: brop.registration's OID, found once.
 */
bool
brop_registration_decoded(Oid *regrel_id, Relation rel, registration *r)
{
	Relation	regrel;
	TableScanDesc scan;
	HeapTuple	tup;
	TupleDesc	desc;
	bool		found = false;

	if (!OidIsValid(*regrel_id))
	{
		Oid			nsp = get_namespace_oid("brop", true);

		if (OidIsValid(nsp))
			*regrel_id = get_relname_relid("registration", nsp);
		if (!OidIsValid(*regrel_id))
			return false;		/* no extension (yet): nothing is registered */
	}
	regrel = table_open(*regrel_id, AccessShareLock);
	desc = RelationGetDescr(regrel);
	scan = table_beginscan_catalog(regrel, 0, NULL);
	while (!found && (tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		brop_registration_row row;
		bool		isnull;

		if (DatumGetObjectId(heap_getattr(tup, 2, desc, &isnull)) != RelationGetRelid(rel))
			continue;
		registration_row_decode(tup, desc, &row);
		if (strcmp(row.capture, "plugin") != 0)
			continue;
		r->name = row.name;
		brop_registration_columns(r, rel, row.keys, row.nkeys, row.cols, row.ncols, row.subject);
		r->profile = row.profile;
		found = true;
	}
	table_endscan(scan);
	table_close(regrel, AccessShareLock);
	return found;
}
