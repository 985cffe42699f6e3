/*
 * registration.c — brop.register_table() and brop.unregister_table(): which
 * rows of an institution's table are registered, how, and under whose key;
 * and the per-table cache of registrations the capture trigger reads.
 *
 * Registering needs the table's ownership and the right to use the signing
 * key; both are checked as the caller. The registration row is then written
 * as the owner of brop.registration (the caller cannot write it directly),
 * with the caller as registrant: the capture trigger signs with the
 * registrant's rights, whoever changes the table. Each registration and
 * unregistration is itself a ledger entry of kind "registration", so a
 * verifier learns which columns a registration's digests cover.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/xact.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "registration/registration.h"

#define REG_NAME_MAX 200		/* so "row:" name ":" 32 hex digits fits a chain key */
#define TRUNCATE_TRIGGER "brop_capture_truncate"

/* ---- signing and appending ----------------------------------------------------- */

/* The keyring's signature of msg with key label, with the rights of role. */
static bytea *
sign_as(const char *label, bytea *msg, Oid role)
{
	brop_owner_state st;
	bytea	   *sig;

	brop_become_role(&st, role);
	sig = brop_keyring_use(label, USE_SIGN, msg, NULL, NULL);
	brop_restore_user(&st);
	return sig;
}

int64
brop_registration_append(entry_fields *f, const char *label, Oid as_role)
{
	unsigned char *leaf = palloc(BROP_DIGEST_BYTES);
	bytea	   *msg;
	int64		id;
	bool		appended;
	brop_owner_state st;

	brop_entry_check_fields(f);
	msg = brop_entry_signing_input_of(f);
	if (OidIsValid(as_role) && as_role != GetUserId())
		f->signature = sign_as(label, msg, as_role);
	else
		f->signature = brop_keyring_use(label, USE_SIGN, msg, NULL, NULL);
	brop_entry_leaf_hash(f, leaf);

	/* as the owner of the ledger's tables, as brop.submit() (SECURITY DEFINER) writes them */
	brop_become_owner(&st);
	appended = brop_ledger_append(f, leaf, &id) != NULL;
	brop_restore_user(&st);
	if (!appended)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("nonce \"%s\" was already used by this organisation", brop_pg_quote(VARDATA_ANY(f->nonce), VARSIZE_ANY_EXHDR(f->nonce))),
				 errdetail("The chain of a registered row and the ledger disagree.")));
	return id;
}

/* ---- brop.register_table() ---------------------------------------------------- */

/* The attribute of a named user column of rel; ERROR if there is none. */
static AttrNumber
column_attnum(Relation rel, const char *name)
{
	AttrNumber	att = get_attnum(RelationGetRelid(rel), name);

	if (att <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist", brop_pg_quote_cstring(name), RelationGetRelationName(rel))));
	return att;
}

/* Names from a text[] argument: no nulls, no duplicates, each a column of rel. */
static Datum *
column_list(Relation rel, ArrayType *arr, const char *what, int *n, AttrNumber **atts)
{
	Datum	   *names;
	bool	   *nulls;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", what)));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &names, &nulls, n);
	if (*n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must name at least one column", what)));
	*atts = palloc(sizeof(AttrNumber) * *n);
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain nulls", what)));
		(*atts)[i] = column_attnum(rel, TextDatumGetCString(names[i]));
		for (int j = 0; j < i; j++)
			if ((*atts)[j] == (*atts)[i])
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("column \"%s\" appears twice in %s", brop_pg_quote_cstring(TextDatumGetCString(names[i])), what)));
	}
	return names;
}

/* Is there a unique, immediate, non-partial index on exactly these columns? */
static bool
has_unique_index_on(Relation rel, const AttrNumber *atts, int n)
{
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index idx;
		bool		same = true;

		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for index %u", lfirst_oid(lc));
		idx = (Form_pg_index) GETSTRUCT(tup);
		if (!idx->indisunique || !idx->indimmediate || !idx->indisvalid || idx->indnkeyatts != n ||
			!heap_attisnull(tup, Anum_pg_index_indpred, NULL) ||
			!heap_attisnull(tup, Anum_pg_index_indexprs, NULL))
			same = false;
		for (int i = 0; same && i < n; i++)
		{
			bool		in = false;

			for (int j = 0; j < n; j++)
				in |= idx->indkey.values[j] == atts[i];
			same = in;
		}
		ReleaseSysCache(tup);
		if (same)
		{
			found = true;
			break;
		}
	}
	list_free(indexes);
	return found;
}

/* Runs SQL, every object schema-qualified, as the owner of brop.registration. */
static void
as_registry_owner(const char *sql, int nargs, Oid *types, Datum *args, const char *nulls, int expect)
{
	brop_owner_state st;

	brop_become_owner(&st);
	if (SPI_execute_with_args(sql, nargs, types, args, nulls, false, 0) != expect)
		elog(ERROR, "could not write brop.registration");
	brop_restore_user(&st);
}

/* text Datums as the core's texts */
static brop_row_text *
name_texts(Datum *names, int n)
{
	brop_row_text *t = palloc(sizeof(brop_row_text) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		text	   *v = DatumGetTextPP(names[i]);

		t[i].text = VARDATA_ANY(v);
		t[i].len = VARSIZE_ANY_EXHDR(v);
	}
	return t;
}

/*
 * The header of a registration entry (docs/formats.md, "Registration
 * entries"), made by the core's brop_registration_format_header and appended
 * to h; subject may be NULL.
 */
void
brop_registration_header(StringInfo h, const char *op, const char *name, Datum *keys, int nkeys,
						 Datum *cols, int ncols, const char *subject, int profile, const char *capture)
{
	brop_registration_fields r;
	char	   *out;
	size_t		len;

	memset(&r, 0, sizeof r);
	r.op = op;
	r.name = name;
	r.name_len = strlen(name);
	r.key_columns = name_texts(keys, nkeys);
	r.nkey_columns = nkeys;
	r.columns = name_texts(cols, ncols);
	r.ncolumns = ncols;
	r.subject_column = subject;
	r.subject_column_len = subject ? strlen(subject) : 0;
	r.profile = profile;
	r.capture = capture;
	brop_pg_check(brop_registration_format_header(&out, &len, &r, &brop_pg_allocator), "registration header");
	appendBinaryStringInfo(h, out, len);
	pfree(out);
}

/*
 * The ledger entry announcing a registration's start or end: its header names
 * the registration's columns; the payload digest is the SHA-256 of the
 * header's JCS text.
 */
static int64
announce(const char *op, const char *name, Datum *keys, int nkeys, Datum *cols, int ncols,
		 const char *subject, int profile, const char *capture, const char *label, Datum org)
{
	StringInfoData h;
	entry_fields f;
	unsigned char nonce_bytes[16];
	char		nonce[64];
	unsigned char *payload = palloc(BROP_DIGEST_BYTES);

	initStringInfo(&h);
	brop_registration_header(&h, op, name, keys, nkeys, cols, ncols, subject, profile, capture);
	brop_pg_check(brop_sha256(payload, (unsigned char *) h.data, h.len), "header digest");

	if (!pg_strong_random(nonce_bytes, sizeof nonce_bytes))
		elog(ERROR, "could not generate random bytes");
	memcpy(nonce, "registration-", 13);
	hex_encode((char *) nonce_bytes, sizeof nonce_bytes, nonce + 13);
	nonce[13 + 2 * sizeof nonce_bytes] = '\0';

	memset(&f, 0, sizeof f);
	f.kind = cstring_to_text("registration");
	f.org = org;
	f.org_text = brop_did_cstring(org);
	f.header = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(h.data)));
	f.payload_digest = payload;
	f.nonce = cstring_to_text(nonce);
	f.submitted_at = GetCurrentTimestamp();
	return brop_registration_append(&f, label, InvalidOid);
}

static Relation
open_owned_table(Oid relid)
{
	char		relkind = get_rel_relkind(relid);
	Relation	rel;

	/* from the catalog first: no lock for a caller who does not own the table */
	if (relkind == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", get_rel_name(relid))));
	if (!brop_class_ownercheck(relid, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, get_rel_name(relid));
	rel = try_table_open(relid, ShareRowExclusiveLock);
	if (rel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	return rel;
}

/*
 * The TRUNCATE trigger on each partition of a partitioned table rel, made or
 * dropped (in SPI): TRUNCATE of a partition fires no trigger of its
 * partitioned table, and PostgreSQL clones row triggers only. A foreign
 * partition can have none.
 */
static void
partition_truncate_triggers(Relation rel, bool create)
{
	List	   *all;
	ListCell   *lc;

	if (rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		return;
	all = find_all_inheritors(RelationGetRelid(rel), ShareRowExclusiveLock, NULL);
	foreach(lc, all)
	{
		Oid			part = lfirst_oid(lc);
		char	   *q;

		if (part == RelationGetRelid(rel) || get_rel_relkind(part) == RELKIND_FOREIGN_TABLE)
			continue;
		q = quote_qualified_identifier(get_namespace_name(get_rel_namespace(part)), get_rel_name(part));
		if (SPI_execute(create
						? psprintf("CREATE TRIGGER " TRUNCATE_TRIGGER " BEFORE TRUNCATE ON %s"
								   " FOR EACH STATEMENT EXECUTE FUNCTION brop.capture()", q)
						: psprintf("DROP TRIGGER IF EXISTS " TRUNCATE_TRIGGER " ON %s", q),
						false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not %s the capture triggers of partition \"%s\"", create ? "create" : "drop",
				 get_rel_name(part));
	}
	list_free(all);
}

/*
 * brop.register_table(tab regclass, key_columns text[], columns text[],
 * subject_column text, profile int, signing_key text, name text, capture text)
 * RETURNS brop.registration. existing (1.1): the rows the table holds are
 * registered too, through the capture queue (capture 'trigger') or the WAL
 * (capture 'plugin'); existing.c.
 */
static Datum
register_table(FunctionCallInfo fcinfo, bool existing)
{
	Oid			relid = PG_GETARG_OID(0);
	Relation	rel;
	Datum	   *keys;
	Datum	   *cols;
	AttrNumber *key_atts;
	AttrNumber *col_atts;
	int			nkeys;
	int			ncols;
	char	   *subject = PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3));
	int			profile;
	char	   *label;
	char	   *name;
	char	   *capture;
	char	   *taken;
	char	   *qualified;
	Datum		org;
	TupleDesc	result_desc;
	HeapTupleHeader result;
	Oid			did_type = brop_type_oid("did");
	Oid			types[11] = {TEXTOID, OIDOID, TEXTARRAYOID, TEXTARRAYOID, TEXTOID, INT4OID, TEXTOID, TEXTOID,
	did_type, OIDOID, INT8OID};
	Datum		args[11];
	char		nulls[12] = "           ";

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a registration needs a table and its key columns")));
	if (get_call_result_type(fcinfo, NULL, &result_desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rel = open_owned_table(relid);
	qualified = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
										   RelationGetRelationName(rel));

	profile = PG_ARGISNULL(4) ? 1 : PG_GETARG_INT32(4);
	if (profile < 1 || profile > 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("profile must be 1, 2 or 3, not %d", profile),
				 errdetail("1: the ledger holds row digests only; 2: rows sealed to their subject; 3: rows in clear.")));
	if (profile == 2)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("profile 2 (rows sealed to their subject) is not available yet"),
				 errhint("Register with profile 1, digests only, or 3, rows in clear.")));
	if (PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a registration needs signing_key"),
				 errdetail("The registered rows' entries are signed with this keyring key; its did is the registering organisation.")));
	label = text_to_cstring(PG_GETARG_TEXT_PP(5));
	capture = PG_ARGISNULL(7) ? "trigger" : text_to_cstring(PG_GETARG_TEXT_PP(7));
	if (strcmp(capture, "trigger") != 0 && strcmp(capture, "plugin") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("capture must be \"trigger\" or \"plugin\", not \"%s\"", brop_pg_quote_cstring(capture))));
	if (strcmp(capture, "plugin") == 0 && rel->rd_rel->relreplident != REPLICA_IDENTITY_FULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" must have REPLICA IDENTITY FULL to be registered through the output plugin",
						RelationGetRelationName(rel)),
				 errdetail("Updates and deletes are registered from the old row's values, which logical decoding has only with REPLICA IDENTITY FULL."),
				 errhint("ALTER TABLE %s REPLICA IDENTITY FULL", qualified)));

	keys = column_list(rel, PG_GETARG_ARRAYTYPE_P(1), "key_columns", &nkeys, &key_atts);
	for (int i = 0; i < nkeys; i++)
		if (!TupleDescAttr(RelationGetDescr(rel), key_atts[i] - 1)->attnotnull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
					 errmsg("key column \"%s\" must be NOT NULL", brop_pg_quote_cstring(TextDatumGetCString(keys[i])))));
	if (!has_unique_index_on(rel, key_atts, nkeys))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
				 errmsg("key_columns must be the columns of a primary key or unique index of \"%s\"",
						RelationGetRelationName(rel)),
				 errdetail("A row key names one row: a unique, immediate index without predicate or expressions.")));
	if (PG_ARGISNULL(2))
	{
		TupleDesc	d = RelationGetDescr(rel);

		cols = palloc(sizeof(Datum) * d->natts);
		ncols = 0;
		for (int i = 0; i < d->natts; i++)
			if (!TupleDescAttr(d, i)->attisdropped)
				cols[ncols++] = CStringGetTextDatum(NameStr(TupleDescAttr(d, i)->attname));
	}
	else
		cols = column_list(rel, PG_GETARG_ARRAYTYPE_P(2), "columns", &ncols, &col_atts);
	if (subject != NULL &&
		TupleDescAttr(RelationGetDescr(rel), column_attnum(rel, subject) - 1)->atttypid != did_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("subject column \"%s\" must be of type brop.did", brop_pg_quote_cstring(subject))));

	name = PG_ARGISNULL(6)
		? psprintf("%s.%s", get_namespace_name(RelationGetNamespace(rel)), RelationGetRelationName(rel))
		: text_to_cstring(PG_GETARG_TEXT_PP(6));
	if (strlen(name) == 0 || strlen(name) > REG_NAME_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a registration name is 1 to %d bytes", REG_NAME_MAX)));

	/* the salt key must be there before any row is registered */
	(void) brop_salt_key();

	org = DirectFunctionCall1(brop_key_did, CStringGetTextDatum(label));
	args[0] = CStringGetTextDatum(name);
	args[1] = ObjectIdGetDatum(relid);
	args[2] = PointerGetDatum(construct_array(keys, nkeys, TEXTOID, -1, false, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(cols, ncols, TEXTOID, -1, false, TYPALIGN_INT));
	args[4] = subject ? CStringGetTextDatum(subject) : (Datum) 0;
	nulls[4] = subject ? ' ' : 'n';
	args[5] = Int32GetDatum(profile);
	args[6] = CStringGetTextDatum(label);
	args[7] = CStringGetTextDatum(capture);
	args[8] = org;
	args[9] = ObjectIdGetDatum(GetUserId());

	taken = brop_registration_taken(name, relid);
	if (taken != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("table \"%s\" or registration name \"%s\" is already registered", RelationGetRelationName(rel), brop_pg_quote_cstring(name)),
				 errdetail("Registration \"%s\" exists.", taken)));
	SPI_connect();
	args[10] = Int64GetDatum(announce("register", name, keys, nkeys, cols, ncols, subject, profile, capture, label, org));
	as_registry_owner("INSERT INTO brop.registration (name, relid, key_columns, columns, subject_column,"
					  " profile, signing_key, capture, org, registrant, entry)"
					  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *",
					  11, types, args, nulls, SPI_OK_INSERT_RETURNING);
	result = SPI_returntuple(SPI_tuptable->vals[0], result_desc);
	if (strcmp(capture, "trigger") == 0 &&
		(SPI_execute(psprintf("CREATE TRIGGER " CAPTURE_TRIGGER " AFTER INSERT OR UPDATE OR DELETE ON %s"
							  " FOR EACH ROW EXECUTE FUNCTION brop.capture()", qualified),
					 false, 0) != SPI_OK_UTILITY ||
		 SPI_execute(psprintf("CREATE TRIGGER " TRUNCATE_TRIGGER " BEFORE TRUNCATE ON %s"
							  " FOR EACH STATEMENT EXECUTE FUNCTION brop.capture()", qualified),
					 false, 0) != SPI_OK_UTILITY))
		elog(ERROR, "could not create the capture triggers");
	if (strcmp(capture, "trigger") == 0)
		partition_truncate_triggers(rel, true);
	SPI_finish();

	/*
	 * The rows already there, after the triggers exist, with the table
	 * locked against writes since open_owned_table and each partition since
	 * its trigger was made (CREATE TRIGGER locks it): a writer that changed
	 * a row before that committed before the scan's snapshot, which shows
	 * its row, and the trigger did not see it; one after our commit meets
	 * the trigger (or, for capture 'plugin', a committed registration), and
	 * the scan never saw its change.
	 */
	if (existing && strcmp(capture, "trigger") == 0)
		(void) brop_register_existing_rows(rel, name, DatumGetInt64(args[10]), keys, nkeys, cols, ncols, subject,
										   profile);
	/* through the WAL, after the registration's row, which the plugin decodes first */
	else if (existing)
		(void) brop_register_existing_messages(rel);
	table_close(rel, NoLock);
	PG_RETURN_HEAPTUPLEHEADER(result);
}

/* 1.0's brop.register_table: the rows the table holds are not registered (docs/registration.md) */
PG_FUNCTION_INFO_V1(brop_register_table);
Datum
brop_register_table(PG_FUNCTION_ARGS)
{
	return register_table(fcinfo, false);
}

/* 1.1's brop.register_table: the rows the table holds are registered, or refused for capture 'plugin' */
PG_FUNCTION_INFO_V1(brop_register_table_existing);
Datum
brop_register_table_existing(PG_FUNCTION_ARGS)
{
	return register_table(fcinfo, true);
}

/* brop.unregister_table(tab regclass) RETURNS bigint: the entry announcing the end */
PG_FUNCTION_INFO_V1(brop_unregister_table);
Datum
brop_unregister_table(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	Relation	rel = open_owned_table(relid);
	char	   *qualified = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
													   RelationGetRelationName(rel));
	Oid			types[1] = {OIDOID};
	Datum		args[1] = {ObjectIdGetDatum(relid)};
	brop_registration_row row;
	int64		entry;

	/* with a new snapshot, as a writer reads what it deletes */
	if (!brop_registration_find(relid, 0, false, &row))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table \"%s\" is not registered", RelationGetRelationName(rel))));
	SPI_connect();
	if (strcmp(row.capture, "trigger") == 0)
	{
		/* the rows captured so far reach the ledger before the registration ends */
		if (IsolationUsesXactSnapshot())
			ereport(ERROR,
					(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
					 errmsg("brop.unregister_table() must run at the READ COMMITTED isolation level"),
					 errdetail("It turns the rows captured by the transactions it waited for into entries.")));
		brop_capture_flush_own();
		(void) brop_capture_drain();
	}
	entry = announce("unregister", row.name, row.keys, row.nkeys, row.cols, row.ncols, row.subject,
					 row.profile, row.capture, row.signing_key, row.org);
	if (strcmp(row.capture, "trigger") == 0 &&
		(SPI_execute(psprintf("DROP TRIGGER IF EXISTS " CAPTURE_TRIGGER " ON %s", qualified), false, 0) != SPI_OK_UTILITY ||
		 SPI_execute(psprintf("DROP TRIGGER IF EXISTS " TRUNCATE_TRIGGER " ON %s", qualified), false, 0) != SPI_OK_UTILITY))
		elog(ERROR, "could not drop the capture triggers");
	if (strcmp(row.capture, "trigger") == 0)
		partition_truncate_triggers(rel, false);
	as_registry_owner("DELETE FROM brop.registration r WHERE r.relid OPERATOR(pg_catalog.=) $1",
					  1, types, args, NULL, SPI_OK_DELETE);
	SPI_finish();
	table_close(rel, NoLock);
	PG_RETURN_INT64(entry);
}
