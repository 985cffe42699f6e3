/*
 * submit_batch.c — brop.submit_batch(): the entries of one relayed batch
 * from a source database (brop relay, docs/registration.md "Path 2"),
 * appended with the source's new position in the same transaction.
 *
 * The batch is from one registered, active organisation; every entry is
 * checked as brop.submit checks one (a batch form's signature over the
 * batch's root is verified once, entry.c). The source's position (the
 * commit LSN of its last transaction on the ledger, and how many of that
 * transaction's changes when not all) is compared and set: a batch must
 * follow exactly the position the ledger holds, so a relay that restarts,
 * or a second relay of the same source, can neither skip nor repeat a
 * change.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/pg_lsn.h"
#include "utils/syscache.h"

#include "ledger/ledger.h"

#define BATCH_MAX_ENTRIES 100000
#define SOURCE_NAME_MAX 128


#define ORG_STATUS_SQL \
	"SELECT o.status FROM brop.organization o WHERE o.did OPERATOR(pg_catalog.=) $1"

#define POSITION_START_SQL \
	"INSERT INTO brop.source_position (source, org, lsn, changes, entries, updated_at)" \
	" VALUES ($1, $2, '0/0', NULL, 0, pg_catalog.now()) ON CONFLICT (source) DO NOTHING"

#define POSITION_SQL \
	"SELECT p.org, p.lsn, p.changes FROM brop.source_position p" \
	" WHERE p.source OPERATOR(pg_catalog.=) $1 FOR UPDATE"

#define POSITION_SET_SQL \
	"UPDATE brop.source_position p SET lsn = $2, changes = $3," \
	" entries = p.entries OPERATOR(pg_catalog.+) $4, updated_at = pg_catalog.now()" \
	" WHERE p.source OPERATOR(pg_catalog.=) $1"

static SPIPlanPtr org_status_plan,
			position_start_plan,
			position_plan,
			position_set_plan;

/* A source's place in its stream: changes < 0 when the transaction at lsn is complete. */
typedef struct source_pos
{
	XLogRecPtr	lsn;
	int64		changes;
} source_pos;

static int
pos_cmp(source_pos a, source_pos b)
{
	if (a.lsn != b.lsn)
		return a.lsn < b.lsn ? -1 : 1;
	/* within a transaction, complete (-1) is after any count */
	if (a.changes == b.changes)
		return 0;
	if (a.changes < 0)
		return 1;
	if (b.changes < 0)
		return -1;
	return a.changes < b.changes ? -1 : 1;
}

static char *
pos_text(source_pos p)
{
	if (p.changes < 0)
		return psprintf("%X/%X", LSN_FORMAT_ARGS(p.lsn));
	return psprintf("%X/%X after " INT64_FORMAT " changes", LSN_FORMAT_ARGS(p.lsn), p.changes);
}

static source_pos
pos_arg(FunctionCallInfo fcinfo, int lsn_arg, const char *what)
{
	source_pos	p;

	if (PG_ARGISNULL(lsn_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	p.lsn = PG_GETARG_LSN(lsn_arg);
	p.changes = PG_ARGISNULL(lsn_arg + 1) ? -1 : PG_GETARG_INT64(lsn_arg + 1);
	if (!PG_ARGISNULL(lsn_arg + 1) && p.changes < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a count of changes cannot be negative")));
	return p;
}

/* ---- one entry from its JSON object ---------------------------------------- */

static const char *const entry_keys[] = {
	"kind", "org", "subject", "chain_key", "prev_digest", "header", "payload_digest",
	"body_digest", "nonce", "expires_block", "signature"
};

static JsonbValue *
member(JsonbContainer *obj, const char *key, int *found)
{
	JsonbValue *v = getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);

	if (v == NULL)
		return NULL;
	(*found)++;
	return v->type == jbvNull ? NULL : v;
}

static char *
member_string(JsonbContainer *obj, const char *key, int *found, bool required)
{
	JsonbValue *v = member(obj, key, found);

	if (v == NULL)
	{
		if (required)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("entry field \"%s\" is missing", key)));
		return NULL;
	}
	if (v->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry field \"%s\" must be a string", key)));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static unsigned char *
member_digest(JsonbContainer *obj, const char *key, int *found, bool required)
{
	char	   *hex = member_string(obj, key, found, required);
	unsigned char *d;
	size_t		n;

	if (hex == NULL)
		return NULL;
	d = palloc(BROP_DIGEST_BYTES);
	if (brop_hex_decode(d, BROP_DIGEST_BYTES, &n, hex, strlen(hex)) != 0 || n != BROP_DIGEST_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry field \"%s\" is not a digest", key),
				 errdetail("A digest is 64 hexadecimal digits.")));
	return d;
}

static Datum
did_datum(const char *s)
{
	return DirectFunctionCall1(did_in, CStringGetDatum(s));
}

/* The fields of one batch entry, an object with the members of docs/formats.md ("Batch submissions"). */
static void
entry_from_json(JsonbValue *jv, entry_fields *f)
{
	JsonbContainer *obj;
	JsonbValue *v;
	char	   *s;
	int			found = 0;
	size_t		n;

	if (jv->type != jbvBinary || !JsonContainerIsObject(jv->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a batch entry must be a JSON object")));
	obj = jv->val.binary.data;
	memset(f, 0, sizeof *f);
	f->kind = cstring_to_text(member_string(obj, "kind", &found, true));
	f->org_text = member_string(obj, "org", &found, true);
	f->org = did_datum(f->org_text);
	f->org_text = brop_did_cstring(f->org);
	s = member_string(obj, "subject", &found, false);
	f->has_subject = s != NULL;
	if (s != NULL)
	{
		f->subject = did_datum(s);
		f->subject_text = brop_did_cstring(f->subject);
	}
	s = member_string(obj, "chain_key", &found, false);
	f->chain_key = s ? cstring_to_text(s) : NULL;
	f->prev_digest = member_digest(obj, "prev_digest", &found, false);
	v = member(obj, "header", &found);
	if (v == NULL)
		f->header = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));
	else if (v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data))
		f->header = JsonbValueToJsonb(v);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry header must be a JSON object")));
	f->payload_digest = member_digest(obj, "payload_digest", &found, true);
	f->body_digest = member_digest(obj, "body_digest", &found, false);
	f->nonce = cstring_to_text(member_string(obj, "nonce", &found, true));
	v = member(obj, "expires_block", &found);
	f->has_expires = v != NULL;
	if (v != NULL)
	{
		if (v->type != jbvNumeric)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("entry field \"%s\" must be a number", "expires_block")));
		f->expires_block = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(v->val.numeric)));
	}
	s = member_string(obj, "signature", &found, true);
	{
		size_t		len = strlen(s);
		bytea	   *sig = palloc(VARHDRSZ + len);

		if (brop_base64_decode((unsigned char *) VARDATA(sig), len, &n, s, len, BROP_BASE64_URLSAFE) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("entry field \"%s\" is not base64url", "signature")));
		SET_VARSIZE(sig, VARHDRSZ + n);
		f->signature = sig;
	}
	if (found != (int) JsonContainerSize(obj))
	{
		for (JsonbIterator *it = JsonbIteratorInit(obj);;)
		{
			JsonbValue	k;
			JsonbIteratorToken t = JsonbIteratorNext(&it, &k, true);

			if (t == WJB_DONE)
				break;
			if (t != WJB_KEY)
				continue;
			for (n = 0; n < lengthof(entry_keys); n++)
				if (strlen(entry_keys[n]) == (size_t) k.val.string.len &&
					memcmp(entry_keys[n], k.val.string.val, k.val.string.len) == 0)
					break;
			if (n == lengthof(entry_keys))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown entry field \"%s\"", brop_pg_quote(k.val.string.val, k.val.string.len))));
		}
	}
}

/* ---- brop.submit_batch ---------------------------------------------------------- */

static int	batch_entry_number;

static void
batch_entry_context(void *arg)
{
	errcontext("batch entry %d", batch_entry_number);
}

static void
check_source_name(text *source)
{
	const char *s = VARDATA_ANY(source);
	size_t		n = VARSIZE_ANY_EXHDR(source);

	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char) s[i]) || s[i] == '_' || s[i] == '.' || s[i] == ':' || s[i] == '-'))
			n = 0;
	if (n < 1 || n > SOURCE_NAME_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid source name \"%s\"", text_to_cstring(source)),
				 errdetail("A source name is 1 to %d letters, digits and \"_.:-\".", SOURCE_NAME_MAX)));
}

static void
check_organization(Datum org, const char *org_text)
{
	char	   *status;

	if (SPI_execute_plan(brop_kept_plan(&org_status_plan, ORG_STATUS_SQL, 1, (Oid[]) {BROP_DID_TYPE}, 0),
						 &org, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the organisation");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("organisation %s is not registered on this ledger", org_text),
				 errhint("The ledger's owner adds an organisation with brop.add_organization().")));
	status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (strcmp(status, "active") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("organisation %s is %s on this ledger", org_text, status),
				 errdetail("Only active organisations submit batches.")));
}

/* Locks the source's position and checks that the batch follows it. */
static void
check_position(Datum source, Datum org, const char *org_text, source_pos after)
{
	Datum		args[2] = {source, org};
	source_pos	held;
	bool		isnull;
	Datum		held_org;

	if (SPI_execute_plan(brop_kept_plan(&position_start_plan, POSITION_START_SQL, 2,
										(Oid[]) {TEXTOID, BROP_DID_TYPE}, 0), args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not start the source's position");
	if (SPI_execute_plan(brop_kept_plan(&position_plan, POSITION_SQL, 1, (Oid[]) {TEXTOID}, 0),
						 args, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not read the source's position");
	held_org = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (strcmp(brop_did_cstring(held_org), org_text) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("source \"%s\" belongs to organisation %s", TextDatumGetCString(source),
						brop_did_cstring(held_org)),
				 errdetail("A source's batches are all from the organisation of its first batch.")));
	held.lsn = DatumGetLSN(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	held.changes = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	if (isnull)
		held.changes = -1;
	if (pos_cmp(held, after) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("batch does not follow the ledger's position of source \"%s\"", TextDatumGetCString(source)),
				 errdetail("The ledger holds the source at %s; the batch follows %s.", pos_text(held), pos_text(after)),
				 errhint("Resume from the ledger's position (brop.source_position).")));
}

/*
 * brop.submit_batch(source, org, entries jsonb, after_lsn, after_changes,
 * through_lsn, through_changes) RETURNS TABLE (id, chain_key, digest).
 */
PG_FUNCTION_INFO_V1(brop_submit_batch);
Datum
brop_submit_batch(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *source;
	Datum		org;
	char	   *org_text;
	Jsonb	   *entries;
	source_pos	after,
				through;
	int			count;
	brop_owner_state owner;
	ErrorContextCallback errcb;
	MemoryContext entry_cxt;
	Datum		set_args[4];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("source, org and entries must not be null")));
	source = PG_GETARG_TEXT_PP(0);
	org = PG_GETARG_DATUM(1);
	org_text = brop_did_cstring(org);
	entries = PG_GETARG_JSONB_P(2);
	after = pos_arg(fcinfo, 3, "after_lsn");
	through = pos_arg(fcinfo, 5, "through_lsn");
	check_source_name(source);
	if (!JB_ROOT_IS_ARRAY(entries) || JB_ROOT_IS_SCALAR(entries))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entries must be a JSON array")));
	count = JB_ROOT_COUNT(entries);
	if (count > BATCH_MAX_ENTRIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a batch holds at most %d entries", BATCH_MAX_ENTRIES)));
	if (pos_cmp(through, after) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("batch position %s is not after %s", pos_text(through), pos_text(after))));

	InitMaterializedSRF(fcinfo, 0);

	brop_become_owner(&owner);
	SPI_connect();
	check_organization(org, org_text);
	check_position(PointerGetDatum(source), org, org_text, after);
	SPI_finish();

	errcb.callback = batch_entry_context;
	errcb.arg = NULL;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	entry_cxt = AllocSetContextCreate(CurrentMemoryContext, "brop batch entry", ALLOCSET_DEFAULT_SIZES);
	for (int i = 0; i < count; i++)
	{
		MemoryContext outer = MemoryContextSwitchTo(entry_cxt);
		JsonbValue *jv = getIthJsonbValueFromContainer(&entries->root, i);
		entry_fields f;
		unsigned char *digest = palloc(BROP_DIGEST_BYTES);
		int64		id;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		CHECK_FOR_INTERRUPTS();
		batch_entry_number = i + 1;
		entry_from_json(jv, &f);
		if (strcmp(f.org_text, org_text) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("entry is from %s, not from the batch's organisation", f.org_text)));
		brop_entry_check_fields(&f);
		brop_entry_refuse_reserved(&f);
		f.submitted_at = GetCurrentTimestamp();
		brop_entry_verify_signature(&f, brop_entry_forms(&f, digest));
		if (!brop_ledger_append_extra(&f, digest, &id, NULL, NULL, NULL, NULL))
		{
			/* the same change again (the same signed fields): the entry it made */
			bool		isnull;
			HeapTupleHeader h = brop_entry_existing(&f);

			id = DatumGetInt64(GetAttributeByName(h, "id", &isnull));
			digest = (unsigned char *) DatumGetPointer(GetAttributeByName(h, "digest", &isnull));
		}
		values[0] = Int64GetDatum(id);
		values[1] = f.chain_key ? PointerGetDatum(f.chain_key) : (Datum) 0;
		nulls[1] = f.chain_key == NULL;
		values[2] = PointerGetDatum(digest);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(outer);
		MemoryContextReset(entry_cxt);	/* an entry's fields, forms and rows */
	}
	MemoryContextDelete(entry_cxt);
	error_context_stack = errcb.previous;

	SPI_connect();
	set_args[0] = PointerGetDatum(source);
	set_args[1] = LSNGetDatum(through.lsn);
	set_args[2] = Int64GetDatum(through.changes);
	set_args[3] = Int64GetDatum(count);
	if (SPI_execute_plan(brop_kept_plan(&position_set_plan, POSITION_SET_SQL, 4,
										(Oid[]) {TEXTOID, PG_LSNOID, INT8OID, INT8OID}, 0), set_args,
						 through.changes < 0 ? "  n " : NULL, false, 0) != SPI_OK_UPDATE || SPI_processed != 1)
		elog(ERROR, "could not move the source's position");
	SPI_finish();
	brop_restore_user(&owner);
	return (Datum) 0;
}
