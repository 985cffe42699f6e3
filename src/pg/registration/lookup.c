/*
 * lookup.c — the registration module's reading of brop.registration: the
 * registrations as the capture trigger and the drain use them (cached per
 * table, dropped at an invalidation of the table) and as logical decoding
 * reads them.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
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

/* Columns by name, with their names as document members. */
static reg_column *
named_columns(Datum *names, int n)
{
	reg_column *cols = palloc0(sizeof(reg_column) * n);

	for (int i = 0; i < n; i++)
	{
		StringInfoData m;

		cols[i].name = TextDatumGetCString(names[i]);
		initStringInfo(&m);
		brop_pg_jcs_string(&m, cols[i].name, strlen(cols[i].name));
		appendStringInfoChar(&m, ':');
		cols[i].member = m.data;
		cols[i].member_len = m.len;
	}
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
	StringInfoData q;

	initStringInfo(&q);
	brop_pg_jcs_string(&q, r->name, strlen(r->name));
	r->name_json = q.data;
	r->name_json_len = q.len;
	r->nkeys = nkeys;
	r->keys = named_columns(keys, nkeys);
	r->ncols = ncols;
	r->cols = named_columns(cols, ncols);
	qsort(r->cols, ncols, sizeof(reg_column), column_order);
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

#define REGISTRATION_SQL \
	"SELECT r.name, r.key_columns, r.columns, r.subject_column, r.profile, r.signing_key, r.org, r.registrant," \
	" r.entry" \
	" FROM brop.registration r WHERE r.relid OPERATOR(pg_catalog.=) $1"

static void
registration_load(registration *r, Oid relid)
{
	static SPIPlanPtr plan = NULL;
	Datum		arg = ObjectIdGetDatum(relid);
	HeapTuple	tup;
	TupleDesc	desc;
	bool		isnull;
	Datum	   *keys,
			   *cols;
	int			nkeys,
				ncols;
	Relation	rel;
	MemoryContext old;
	Datum		subject;

	/* under the caller's context (not SPI's) until complete: an error frees it */
	r->cxt = AllocSetContextCreate(CurrentMemoryContext, "brop registration", ALLOCSET_SMALL_SIZES);
	SPI_connect();
	if (SPI_execute_plan(brop_spi_plan(&plan, REGISTRATION_SQL, 1, (Oid[]) {OIDOID}), &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the registration of table %u", relid);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" has brop's capture trigger but no registration", get_rel_name(relid)),
				 errhint("Drop trigger " CAPTURE_TRIGGER " or register the table with brop.register_table().")));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;

	old = MemoryContextSwitchTo(r->cxt);
	r->name = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));
	rel = table_open(relid, AccessShareLock);
	deconstruct_array(DatumGetArrayTypeP(SPI_getbinval(tup, desc, 2, &isnull)), TEXTOID, -1, false, TYPALIGN_INT,
					  &keys, NULL, &nkeys);
	deconstruct_array(DatumGetArrayTypeP(SPI_getbinval(tup, desc, 3, &isnull)), TEXTOID, -1, false, TYPALIGN_INT,
					  &cols, NULL, &ncols);
	subject = SPI_getbinval(tup, desc, 4, &isnull);
	brop_registration_columns(r, rel, keys, nkeys, cols, ncols, isnull ? NULL : TextDatumGetCString(subject));
	table_close(rel, AccessShareLock);
	r->profile = DatumGetInt32(SPI_getbinval(tup, desc, 5, &isnull));
	r->signing_key = TextDatumGetCString(SPI_getbinval(tup, desc, 6, &isnull));
	r->org = datumCopy(SPI_getbinval(tup, desc, 7, &isnull), false, -1);
	r->org_text = brop_did_cstring(r->org);
	r->registrant = DatumGetObjectId(SPI_getbinval(tup, desc, 8, &isnull));
	r->entry = DatumGetInt64(SPI_getbinval(tup, desc, 9, &isnull));
	r->did_type = brop_type_oid("did");
	r->digest_type = brop_type_oid("digest");
	MemoryContextSwitchTo(old);
	SPI_finish();
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
		bool		isnull;
		Datum		subject;
		Datum	   *keys,
				   *cols;
		int			nkeys,
					ncols;

		/* columns: name, relid, key_columns, columns, subject_column, profile, signing_key, capture, org */
		if (DatumGetObjectId(heap_getattr(tup, 2, desc, &isnull)) != RelationGetRelid(rel) ||
			strcmp(TextDatumGetCString(heap_getattr(tup, 8, desc, &isnull)), "plugin") != 0)
			continue;
		r->name = TextDatumGetCString(heap_getattr(tup, 1, desc, &isnull));
		deconstruct_array(DatumGetArrayTypeP(heap_getattr(tup, 3, desc, &isnull)), TEXTOID, -1, false,
						  TYPALIGN_INT, &keys, NULL, &nkeys);
		deconstruct_array(DatumGetArrayTypeP(heap_getattr(tup, 4, desc, &isnull)), TEXTOID, -1, false,
						  TYPALIGN_INT, &cols, NULL, &ncols);
		subject = heap_getattr(tup, 5, desc, &isnull);
		brop_registration_columns(r, rel, keys, nkeys, cols, ncols, isnull ? NULL : TextDatumGetCString(subject));
		r->profile = DatumGetInt32(heap_getattr(tup, 6, desc, &isnull));
		found = true;
	}
	table_endscan(scan);
	table_close(regrel, AccessShareLock);
	return found;
}
