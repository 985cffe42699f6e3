/*
 * append.c — appending an entry to the ledger (its row of brop.entry, its
 * pending row, its chain's head), for submit, submit_batch, the capture
 * drain, registrations and credential issuance.
 *
 * The entry and its chain's head are written by one kept statement (INSERT
 * ... ON CONFLICT DO NOTHING RETURNING, with a data-modifying CTE for the
 * chain's head, plans.c), its pending row by a second one; the executor
 * checks whatever a DBA added to the tables (constraints, foreign keys,
 * triggers, row-level security). Every statement names every object and
 * operator with its schema. The caller acts as brop's owner
 * (brop_become_owner).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"

#include "ledger/ledger.h"

/*
 * The statements that append an entry: the entry unless the organisation
 * already used its nonce and, for a chained entry, its chain's head (a new
 * chain's first, or the next one of the head given as prev_digest; one row
 * lock per chain, and a prev_digest that is not the head, also after waiting
 * for a concurrent append, moves nothing). They return the new id, its
 * stored expires_block, the new row (of brop.entry's type, whatever columns
 * a DBA added or dropped) and whether the chain's head moved. An entry of no
 * chain without a caller's CTEs is a plain INSERT ... RETURNING; the others
 * put the entry's INSERT in a CTE. The pending row is a second statement
 * (PENDING_SQL): cheaper than a CTE, whose materialized rows, second scan
 * and postprocessing cost more than a second executor start-up of a
 * one-row INSERT (docs/benchmarks.md).
 */
#define APPEND_INSERT \
	"INSERT INTO brop.entry AS x (kind, org, subject, chain_key, prev_digest, header, payload_digest," \
	" body_digest, nonce, expires_block, signature, submitted_at, digest)" \
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)" \
	" ON CONFLICT (org, nonce) DO NOTHING RETURNING x.id, x.expires_block"

/* an entry of no chain, with no caller's CTEs: %s is the row (x) or NULL */
#define APPEND_SQL_PLAIN APPEND_INSERT ", %s, true"

/* the entry in a CTE, for a chain's head or a caller's CTEs: %s is ", x" or "" */
#define APPEND_SQL_ENTRY "WITH e AS (" APPEND_INSERT "%s)"

/* the entry's pending row: its id and its stored expires_block */
#define PENDING_SQL "INSERT INTO brop.pending (entry, expires_block) VALUES ($1, $2)"

/* a new chain's head (the chain exists: nothing, and the entry is refused) */
#define APPEND_START_CTE \
	", h AS (INSERT INTO brop.chain_head AS c (chain_key, head, entry, length) SELECT $4, $13, e.id, 1 FROM e" \
	" ON CONFLICT (chain_key) DO NOTHING RETURNING c.entry)"

/* the chain's next head, if prev_digest ($5) is the head */
#define APPEND_NEXT_CTE \
	", h AS (UPDATE brop.chain_head c SET head = $13, entry = e.id, length = c.length OPERATOR(pg_catalog.+) 1 FROM e" \
	" WHERE c.chain_key OPERATOR(pg_catalog.=) $4 AND c.head OPERATOR(pg_catalog.=) $5 RETURNING c.entry)"

#define APPEND_NARGS 13

#define EXISTING_SQL \
	"SELECT x FROM brop.entry x WHERE x.org OPERATOR(pg_catalog.=) $1 AND x.nonce OPERATOR(pg_catalog.=) $2"

#define NONCE_TAKEN_SQL \
	"SELECT FROM brop.entry x WHERE x.org OPERATOR(pg_catalog.=) $1 AND x.nonce OPERATOR(pg_catalog.=) $2"

#define CHAIN_STATE_SQL \
	"SELECT h.head, h.length FROM brop.chain_head h WHERE h.chain_key OPERATOR(pg_catalog.=) $1"

static SPIPlanPtr append_plans[3],	/* no chain, a chain started, a chain's next entry */
			append_id_plans[3],	/* the same, returning the id only */
			existing_plan,
			nonce_taken_plan,
			chain_state_plan,
			pending_plan;

static const Oid append_types[APPEND_NARGS] = {
	TEXTOID, BROP_DID_TYPE, BROP_DID_TYPE, TEXTOID, BROP_DIGEST_TYPE, JSONBOID, BROP_DIGEST_TYPE,
	BROP_DIGEST_TYPE, TEXTOID, INT8OID, BYTEAOID, TIMESTAMPTZOID, BROP_DIGEST_TYPE
};

static bool
text_equal(text *a, text *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

static bool
digest_equal(const unsigned char *a, const unsigned char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return memcmp(a, b, BROP_DIGEST_BYTES) == 0;
}

/* Does the stored entry hold the submission's signed fields? (The signature may differ.) */
static bool
same_entry(const entry_fields *stored, const entry_fields *f)
{
	if (stored->has_subject != f->has_subject || stored->has_expires != f->has_expires)
		return false;
	if (f->has_subject && !datumIsEqual(stored->subject, f->subject, false, -1))
		return false;
	if (f->has_expires && stored->expires_block != f->expires_block)
		return false;
	return text_equal(stored->kind, f->kind) && text_equal(stored->chain_key, f->chain_key) &&
		digest_equal(stored->payload_digest, f->payload_digest) &&
		digest_equal(stored->body_digest, f->body_digest) &&
		digest_equal(stored->prev_digest, f->prev_digest) &&
		DatumGetBool(DirectFunctionCall2(jsonb_eq, PointerGetDatum(stored->header),
										 PointerGetDatum(f->header)));
}

/*
 * Refuses an entry that brop.entry neither stored nor holds already: a
 * DBA's BEFORE INSERT trigger skipped it (returned NULL), or a row-level
 * security policy hides its row from brop's owner. (ON CONFLICT DO NOTHING
 * leaves out only a row that conflicts with one this statement's snapshot
 * may see: under REPEATABLE READ, PostgreSQL raises 40001 for one it cannot.)
 */
static void
entry_refuse_skipped(const entry_fields *f)
{
	ereport(ERROR,
			(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
			 errmsg("a trigger on brop.entry skipped the entry's row"),
			 errdetail("The entry with nonce \"%s\" was not written, and brop.entry holds no entry with that nonce.",
					   text_to_cstring(f->nonce)),
			 errhint("A BEFORE INSERT trigger on brop.entry must return the new row (or raise an error to refuse it).")));
}

/*
 * Refuses an entry whose chain's head did not move to it: a fork (a first
 * entry of a chain that exists, or a prev_digest that is not the head) or an
 * unknown chain.
 */
static void
chain_refuse(const entry_fields *f)
{
	unsigned char head[BROP_DIGEST_BYTES];
	int64		length;
	char		hex[2 * BROP_DIGEST_BYTES + 1];
	size_t		hexlen;

	if (!brop_chain_state(f->chain_key, head, &length))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("chain \"%s\" does not exist", text_to_cstring(f->chain_key)),
				 errhint("The first entry of a chain has no prev_digest.")));
	brop_pg_check(brop_hex_encode(hex, sizeof hex, &hexlen, head, BROP_DIGEST_BYTES), "digest");
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("prev_digest is not the head of chain \"%s\"", text_to_cstring(f->chain_key)),
			 errdetail("The head of the chain is %.*s; a chain cannot fork.", (int) hexlen, hex),
			 errhint("Give the current head as prev_digest.")));
}

/*
 * Set by _PG_init: the chains a module above owns (credential:<serial>, the
 * credential module's) check who may start or extend them. Inside SPI.
 */
void		(*brop_chain_rule_hook) (const entry_fields *f) = NULL;

/*
 * The head of a chain into head and its length; false (nothing written) if
 * the chain has no entry yet. (did_type and digest_type are not used: the
 * statement takes brop's types from plans.c.)
 */
bool
brop_chain_state(text *chain_key, unsigned char *head, int64 *length)
{
	Datum		arg = PointerGetDatum(chain_key);
	bool		found;
	bool		isnull;

	SPI_connect();
	if (SPI_execute_plan(brop_kept_plan(&chain_state_plan, CHAIN_STATE_SQL, 1, (Oid[]) {TEXTOID}, 0),
						 &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the chain's head");
	found = SPI_processed == 1;
	if (found)
	{
		memcpy(head, DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)),
			   BROP_DIGEST_BYTES);
		*length = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	}
	SPI_finish();
	return found;
}

/*
 * The one row of an append statement (id, expires_block, row, moved, then
 * extra's column), taken as the executor sends it: no SPI tuple table, and
 * the row and extra's column copied once, into the caller's memory.
 */
typedef struct append_result
{
	DestReceiver pub;
	MemoryContext cxt;
	bool		want_row;
	bool		want_extra;
	uint64		rows;
	int64		id;
	int64		expires_block;
	bool		expires_null;
	bool		moved;
	HeapTupleHeader row;
	Datum		extra;
	bool		extra_null;
} append_result;

static bool
append_receive(TupleTableSlot *slot, DestReceiver *self)
{
	append_result *r = (append_result *) self;
	MemoryContext old;

	slot_getallattrs(slot);
	if (r->rows++ > 0)
		return true;
	r->id = DatumGetInt64(slot->tts_values[0]);
	r->expires_null = slot->tts_isnull[1];
	r->expires_block = r->expires_null ? 0 : DatumGetInt64(slot->tts_values[1]);
	r->moved = DatumGetBool(slot->tts_values[3]);
	old = MemoryContextSwitchTo(r->cxt);
	if (r->want_row)
		r->row = DatumGetHeapTupleHeader(datumCopy(slot->tts_values[2], false, -1));
	if (r->want_extra)
	{
		Form_pg_attribute att = TupleDescAttr(slot->tts_tupleDescriptor, 4);

		r->extra_null = slot->tts_isnull[4];
		r->extra = r->extra_null ? (Datum) 0 : datumCopy(slot->tts_values[4], att->attbyval, att->attlen);
	}
	MemoryContextSwitchTo(old);
	return true;
}

static void
append_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
append_nothing(DestReceiver *self)
{
}

/*
 * Appends the entry of checked and signed fields whose leaf hash is digest:
 * its row, its chain's new head, and what extra adds (if not NULL), in one
 * statement, then its pending row. Returns false when the organisation
 * already used the nonce; else the new id in *id, the new row of brop.entry
 * in *row when row is not NULL, extra's column in *extra_out.
 */
bool
brop_ledger_append_extra(const entry_fields *f, unsigned char *digest, int64 *id, HeapTupleHeader *row,
						 const brop_append_extra *extra, Datum *extra_out, bool *extra_null)
{
	Datum		values[APPEND_NARGS + BROP_APPEND_EXTRA_MAX_ARGS] = {
		PointerGetDatum(f->kind), f->org, f->subject, PointerGetDatum(f->chain_key),
		PointerGetDatum(f->prev_digest), PointerGetDatum(f->header), PointerGetDatum(f->payload_digest),
		PointerGetDatum(f->body_digest), PointerGetDatum(f->nonce), Int64GetDatum(f->expires_block),
		PointerGetDatum(f->signature), TimestampTzGetDatum(f->submitted_at), PointerGetDatum(digest)
	};
	char		nulls[APPEND_NARGS + BROP_APPEND_EXTRA_MAX_ARGS];
	int			which = f->chain_key == NULL ? 0 : f->prev_digest == NULL ? 1 : 2;
	SPIPlanPtr *slot = extra != NULL ? &extra->plans[which] : row != NULL ? &append_plans[which] : &append_id_plans[which];
	int			nargs = APPEND_NARGS + (extra != NULL ? extra->nargs : 0);
	SPIPlanPtr	plan;
	bool		appended;
	ParamListInfo params;
	SPIExecuteOptions options = {0};
	append_result result = {
		.pub = {.receiveSlot = append_receive, .rStartup = append_startup, .rShutdown = append_nothing,
		.rDestroy = append_nothing, .mydest = DestNone},
		.cxt = CurrentMemoryContext, .want_row = row != NULL, .want_extra = extra != NULL
	};

	Assert(extra == NULL || row == NULL);
	memset(nulls, ' ', sizeof nulls);
	nulls[2] = f->has_subject ? ' ' : 'n';
	nulls[3] = f->chain_key != NULL ? ' ' : 'n';
	nulls[4] = f->prev_digest != NULL ? ' ' : 'n';
	nulls[7] = f->body_digest != NULL ? ' ' : 'n';
	nulls[9] = f->has_expires ? ' ' : 'n';
	if (extra != NULL)
	{
		Assert(extra->nargs <= BROP_APPEND_EXTRA_MAX_ARGS);
		memcpy(values + APPEND_NARGS, extra->values, extra->nargs * sizeof(Datum));
		memcpy(nulls + APPEND_NARGS, extra->nulls, extra->nargs);
	}

	SPI_connect();
	if (f->chain_key != NULL && brop_chain_rule_hook != NULL)
		brop_chain_rule_hook(f);
	plan = brop_kept_plan_get(slot);
	if (plan == NULL)
	{
		Oid			types[APPEND_NARGS + BROP_APPEND_EXTRA_MAX_ARGS];
		char	   *sql;

		if (which == 0 && extra == NULL)
			sql = psprintf(APPEND_SQL_PLAIN, row != NULL ? "x" : "NULL");
		else
			sql = psprintf("%s%s%s SELECT e.id, e.expires_block, %s, %s%s%s FROM e",
						   psprintf(APPEND_SQL_ENTRY, row != NULL ? ", x" : ""),
						   which == 0 ? "" : which == 1 ? APPEND_START_CTE : APPEND_NEXT_CTE,
						   extra != NULL ? extra->ctes : "",
						   row != NULL ? "e.x" : "NULL",
						   which == 0 ? "true" : "EXISTS (SELECT FROM h)",
						   extra != NULL ? ", " : "", extra != NULL ? extra->select : "");

		memcpy(types, append_types, sizeof append_types);
		if (extra != NULL)
			memcpy(types + APPEND_NARGS, extra->types, extra->nargs * sizeof(Oid));
		plan = brop_kept_plan(slot, sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);
	}
	params = makeParamList(nargs);
	for (int i = 0; i < nargs; i++)
	{
		params->params[i].value = values[i];
		params->params[i].isnull = nulls[i] == 'n';
		params->params[i].pflags = PARAM_FLAG_CONST;
		params->params[i].ptype = SPI_getargtypeid(plan, i);
	}
	options.params = params;
	options.dest = &result.pub;
	if (SPI_execute_plan_extended(plan, &options) < 0)
		elog(ERROR, "could not append the entry");
	appended = result.rows == 1;
	if (!appended)
	{
		Datum		args[2] = {f->org, PointerGetDatum(f->nonce)};

		/* not written: because the nonce is taken, or because a trigger skipped the row */
		if (SPI_execute_plan(brop_kept_plan(&nonce_taken_plan, NONCE_TAKEN_SQL, 2,
											(Oid[]) {BROP_DID_TYPE, TEXTOID}, 0),
							 args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the entry with nonce \"%s\"", text_to_cstring(f->nonce));
		if (SPI_processed == 0)
			entry_refuse_skipped(f);
	}
	else
	{
		Datum		pending[2] = {Int64GetDatum(result.id), Int64GetDatum(result.expires_block)};

		if (f->chain_key != NULL && !result.moved)
			chain_refuse(f);
		if (SPI_execute_plan(brop_kept_plan(&pending_plan, PENDING_SQL, 2, (Oid[]) {INT8OID, INT8OID},
											CURSOR_OPT_GENERIC_PLAN),
							 pending, result.expires_null ? " n" : "  ", false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not write the pending row of entry " INT64_FORMAT, result.id);
		if (id != NULL)
			*id = result.id;
		if (row != NULL)
			*row = result.row;
		if (extra != NULL)
		{
			*extra_out = result.extra;
			*extra_null = result.extra_null;
		}
	}
	SPI_finish();
	return appended;
}

/* The same without extra, returning the new row or NULL (a NULL extra's plans are submit's own). */
HeapTupleHeader
brop_ledger_append(const entry_fields *f, unsigned char *digest, int64 *id)
{
	HeapTupleHeader row = NULL;

	return brop_ledger_append_extra(f, digest, id, &row, NULL, NULL, NULL) ? row : NULL;
}

/*
 * The entry that already holds the organisation's nonce, when it has the
 * same signed fields as f (a retry); ERROR otherwise.
 */
HeapTupleHeader
brop_entry_existing(const entry_fields *f)
{
	entry_fields stored;
	HeapTupleHeader h;
	Datum		args[2];
	bool		isnull;

	SPI_connect();
	args[0] = f->org;
	args[1] = PointerGetDatum(f->nonce);
	if (SPI_execute_plan(brop_kept_plan(&existing_plan, EXISTING_SQL, 2, (Oid[]) {BROP_DID_TYPE, TEXTOID}, 0),
						 args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the entry with nonce \"%s\"", text_to_cstring(f->nonce));
	if (SPI_processed != 1)
		entry_refuse_skipped(f);
	h = DatumGetHeapTupleHeader(SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
																&isnull), false, -1));
	SPI_finish();
	brop_entry_from_row(h, &stored);
	if (!same_entry(&stored, f))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("nonce \"%s\" was already used by this organisation for another entry",
						text_to_cstring(f->nonce)),
				 errdetail("Entry " INT64_FORMAT " has this nonce.",
						   DatumGetInt64(GetAttributeByName(h, "id", &isnull))),
				 errhint("Use a new nonce for a new entry; resend the same entry to retry it.")));
	return h;
}
