/*
 * submit.c — brop.submit(): a checked, signed entry written to the ledger,
 * with its pending row and its chain's new head.
 *
 * The entry, its pending row and a new chain's head are written directly,
 * as the executor's INSERT ... ON CONFLICT DO NOTHING would, without
 * planning or running a statement (that machinery cost as much as the
 * signature check). The rarer statements (the next entry of a chain, a nonce
 * used again) go through SPI, prepared
 * once per backend, and name every object and operator with its schema.
 * Everything is written as brop's owner: submit switches to that user for
 * its writes only (brop_become_owner), instead of being SECURITY DEFINER with
 * a SET search_path, whose per-call GUC save and restore cost a few per cent
 * of a submission.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "entry.h"

/* ERROR unless the organisation's signature over msg, the entry's signing input, verifies. */
void
brop_entry_verify_signature(const entry_fields *f, const bytea *msg)
{
	int			rc = brop_entry_signature_check(f, msg);

	if (rc == BROP_EVERIFY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry signature does not verify"),
				 errdetail("The signature must be made by the key of org over brop.entry_signing_input() of the entry.")));
	if (rc != 0)
		brop_pg_error(rc, "entry signature", false);
}

/* brop.entry's columns, in order (brop--1.0.sql) */
static const char *const entry_columns[] = {
	"id", "kind", "org", "subject", "chain_key", "prev_digest", "header", "payload_digest",
	"body_digest", "nonce", "expires_block", "signature", "submitted_at", "digest"
};

#define ENTRY_COLUMNS lengthof(entry_columns)
#define ENTRY_COLUMN_EXPIRES 10

/* The row of a new entry (id left null), in the columns of brop.entry, checked against desc. */
static void
entry_values(TupleDesc desc, const entry_fields *f, unsigned char *digest, Datum *values, bool *nulls)
{
	if (desc->natts != ENTRY_COLUMNS)
		elog(ERROR, "brop.entry has %d columns, expected %d", desc->natts, (int) ENTRY_COLUMNS);
	for (int i = 0; i < desc->natts; i++)
		if (strcmp(NameStr(TupleDescAttr(desc, i)->attname), entry_columns[i]) != 0)
			elog(ERROR, "column %d of brop.entry is \"%s\", expected \"%s\"",
				 i + 1, NameStr(TupleDescAttr(desc, i)->attname), entry_columns[i]);
	memset(nulls, false, sizeof(bool) * ENTRY_COLUMNS);
	values[0] = (Datum) 0;
	nulls[0] = true;
	values[1] = PointerGetDatum(f->kind);
	values[2] = f->org;
	values[3] = f->subject;
	nulls[3] = !f->has_subject;
	values[4] = PointerGetDatum(f->chain_key);
	nulls[4] = f->chain_key == NULL;
	values[5] = PointerGetDatum(f->prev_digest);
	nulls[5] = f->prev_digest == NULL;
	values[6] = PointerGetDatum(f->header);
	values[7] = PointerGetDatum(f->payload_digest);
	values[8] = PointerGetDatum(f->body_digest);
	nulls[8] = f->body_digest == NULL;
	values[9] = PointerGetDatum(f->nonce);
	values[ENTRY_COLUMN_EXPIRES] = Int64GetDatum(f->expires_block);
	nulls[ENTRY_COLUMN_EXPIRES] = !f->has_expires;
	values[11] = PointerGetDatum(f->signature);
	values[12] = TimestampTzGetDatum(f->submitted_at);
	values[13] = PointerGetDatum(digest);
}

/* The ledger relations submit writes, looked up by name; reset by relcache invalidation. */
typedef struct ledger_rels
{
	Oid			entry;
	Oid			entry_seq;
	Oid			entry_nonce_index;
	Oid			pending;
	Oid			chain_head;
	Oid			chain_head_index;
} ledger_rels;

static ledger_rels ledger_rel_cache;
static bool ledger_rel_callback_set = false;

static void
ledger_rels_reset(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == ledger_rel_cache.entry || relid == ledger_rel_cache.entry_seq ||
		relid == ledger_rel_cache.entry_nonce_index || relid == ledger_rel_cache.pending ||
		relid == ledger_rel_cache.chain_head || relid == ledger_rel_cache.chain_head_index)
		memset(&ledger_rel_cache, 0, sizeof ledger_rel_cache);
}

static Oid
ledger_relid(Oid nsp, const char *name)
{
	Oid			relid = get_relname_relid(name, nsp);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"brop.%s\" does not exist", name),
				 errhint("The brop extension is not installed properly in this database.")));
	return relid;
}

/* A copy: opening a relation may process an invalidation that resets the cache. */
static ledger_rels
ledger_rels_get(void)
{
	if (!ledger_rel_callback_set)
	{
		CacheRegisterRelcacheCallback(ledger_rels_reset, (Datum) 0);
		ledger_rel_callback_set = true;
	}
	if (!OidIsValid(ledger_rel_cache.pending))
	{
		Oid			nsp = get_namespace_oid("brop", false);
		ledger_rels r;

		r.entry = ledger_relid(nsp, "entry");
		r.entry_seq = ledger_relid(nsp, "entry_id_seq");
		r.entry_nonce_index = ledger_relid(nsp, "entry_org_nonce_key");
		r.pending = ledger_relid(nsp, "pending");
		r.chain_head = ledger_relid(nsp, "chain_head");
		r.chain_head_index = ledger_relid(nsp, "chain_head_pkey");
		ledger_rel_cache = r;
	}
	return ledger_rel_cache;
}

/* Opens a ledger table and its indexes for inserting, in the executor state. */
static ResultRelInfo *
ledger_open(EState *estate, Oid relid, bool speculative)
{
	ResultRelInfo *rri = makeNode(ResultRelInfo);

	InitResultRelInfo(rri, table_open(relid, RowExclusiveLock), 1, NULL, 0);
	ExecOpenIndices(rri, speculative);
	return rri;
}

static void
ledger_close(ResultRelInfo *rri)
{
	ExecCloseIndices(rri);
	table_close(rri->ri_RelationDesc, NoLock);
}

/*
 * Inserts tuple into the opened table unless its arbiter unique index holds
 * its key, by the speculative insertion of INSERT ... ON CONFLICT DO NOTHING
 * (nodeModifyTable.c), without its pre-check: the unique index reports a
 * conflict as it takes the row, which is then undone; a check that waits for
 * a concurrent inserter of the key decides whether it is taken for good or
 * the insertion is tried again. Returns false when the key is taken.
 */
static bool
insert_unless_taken(ResultRelInfo *rri, EState *estate, HeapTuple tuple, Oid arbiter)
{
	Relation	rel = rri->ri_RelationDesc;
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsHeapTuple);
	List	   *arbiters = list_make1_oid(arbiter);
	TransactionId xid = GetCurrentTransactionId();
	bool		inserted = true;

	for (;;)
	{
		uint32		token = SpeculativeInsertionLockAcquire(xid);
		bool		conflict = false;
		ItemPointerData taken;

		ExecStoreHeapTuple(heap_copytuple(tuple), slot, true);
		table_tuple_insert_speculative(rel, slot, estate->es_output_cid, 0, NULL, token);
		list_free(ExecInsertIndexTuples(rri, slot, estate, false, true, &conflict, arbiters));
		table_tuple_complete_speculative(rel, slot, token, !conflict);
		SpeculativeInsertionLockRelease(xid);
		if (!conflict)
			break;
		if (!ExecCheckIndexConstraints(rri, slot, estate, &taken, arbiters))
		{
			inserted = false;	/* by a committed row */
			break;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	list_free(arbiters);
	return inserted;
}

/* Inserts the entry unless the organisation already used its nonce; returns the new row or NULL. */
static HeapTuple
entry_insert(const ledger_rels *rels, EState *estate, const entry_fields *f, unsigned char *digest,
			 Datum *values, bool *nulls)
{
	ResultRelInfo *rri = ledger_open(estate, rels->entry, true);
	HeapTuple	tuple;

	entry_values(RelationGetDescr(rri->ri_RelationDesc), f, digest, values, nulls);
	values[0] = Int64GetDatum(nextval_internal(rels->entry_seq, false));
	nulls[0] = false;
	tuple = heap_form_tuple(RelationGetDescr(rri->ri_RelationDesc), values, nulls);
	if (!insert_unless_taken(rri, estate, tuple, rels->entry_nonce_index))
		tuple = NULL;
	ledger_close(rri);
	return tuple;
}

/* A new chain's head, its first entry; false if the chain exists. */
static bool
chain_start(const ledger_rels *rels, EState *estate, const entry_fields *f, const unsigned char *digest,
			int64 id)
{
	ResultRelInfo *rri = ledger_open(estate, rels->chain_head, true);
	TupleDesc	desc = RelationGetDescr(rri->ri_RelationDesc);
	Datum		values[4] = {PointerGetDatum(f->chain_key), PointerGetDatum(digest), Int64GetDatum(id),
	Int64GetDatum(1)};
	bool		nulls[4] = {false, false, false, false};
	bool		started;

	if (desc->natts != 4 || strcmp(NameStr(TupleDescAttr(desc, 0)->attname), "chain_key") != 0
		|| strcmp(NameStr(TupleDescAttr(desc, 3)->attname), "length") != 0 || rri->ri_RelationDesc->trigdesc != NULL)
		elog(ERROR, "brop.chain_head is not as brop--1.0.sql made it");
	started = insert_unless_taken(rri, estate, heap_form_tuple(desc, values, nulls), rels->chain_head_index);
	ledger_close(rri);
	return started;
}

/* The entry's row in brop.pending (a table without indexes), for the next seal. */
static void
pending_insert(const ledger_rels *rels, Datum id, Datum expires_block, bool no_expiry)
{
	Relation	rel = table_open(rels->pending, RowExclusiveLock);
	Datum		values[2] = {id, expires_block};
	bool		nulls[2] = {false, no_expiry};

	if (RelationGetDescr(rel)->natts != 2 || RelationGetForm(rel)->relhasindex)
		elog(ERROR, "brop.pending is not as brop--1.0.sql made it");
	simple_heap_insert(rel, heap_form_tuple(RelationGetDescr(rel), values, nulls));
	table_close(rel, NoLock);
}

/*
 * Writes a row of brop's making into one of brop's tables (named columns, in
 * order), with its index entries, as an INSERT would without planning a
 * statement: a null in an identity column takes the column's next value.
 * The table must have no INSERT triggers; its CHECK constraints are not
 * evaluated (the caller's values meet them by construction), its unique
 * indexes are enforced.
 */
void
brop_table_insert(const char *table, const char *const *columns, int ncolumns, Datum *values, bool *nulls)
{
	EState	   *estate = CreateExecutorState();
	ResultRelInfo *rri = ledger_open(estate, ledger_relid(get_namespace_oid("brop", false), table), false);
	Relation	rel = rri->ri_RelationDesc;
	TupleDesc	desc = RelationGetDescr(rel);
	TupleTableSlot *slot;

	TriggerDesc *trig = rel->trigdesc;

	if (desc->natts != ncolumns ||
		(trig != NULL && (trig->trig_insert_before_row || trig->trig_insert_after_row ||
						  trig->trig_insert_instead_row || trig->trig_insert_before_statement ||
						  trig->trig_insert_after_statement)))
		elog(ERROR, "brop.%s is not as brop--1.0.sql made it", table);
	for (int i = 0; i < ncolumns; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (strcmp(NameStr(att->attname), columns[i]) != 0)
			elog(ERROR, "column %d of brop.%s is \"%s\", expected \"%s\"",
				 i + 1, table, NameStr(att->attname), columns[i]);
		if (nulls[i] && att->attidentity != '\0')
		{
			values[i] = Int64GetDatum(nextval_internal(getIdentitySequence(RelationGetRelid(rel), att->attnum,
																		   false), false));
			nulls[i] = false;
		}
	}
	estate->es_output_cid = GetCurrentCommandId(true);
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);
	ExecStoreHeapTuple(heap_form_tuple(desc, values, nulls), slot, true);
	table_tuple_insert(rel, slot, estate->es_output_cid, 0, NULL);
	list_free(ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL));
	ExecDropSingleTupleTableSlot(slot);
	ledger_close(rri);
	FreeExecutorState(estate);
}

#define EXISTING_SQL \
	"SELECT * FROM brop.entry x WHERE x.org OPERATOR(pg_catalog.=) $1 AND x.nonce OPERATOR(pg_catalog.=) $2"

/*
 * The next entry of a chain: one row lock per chain. A prev_digest that is
 * not the head (also after waiting for a concurrent append) updates nothing.
 */
#define CHAIN_NEXT_SQL \
	"UPDATE brop.chain_head h SET head = $2, entry = $3, length = h.length OPERATOR(pg_catalog.+) 1" \
	" WHERE h.chain_key OPERATOR(pg_catalog.=) $1 AND h.head OPERATOR(pg_catalog.=) $4"

#define CHAIN_STATE_SQL \
	"SELECT h.head, h.length FROM brop.chain_head h WHERE h.chain_key OPERATOR(pg_catalog.=) $1"

enum
{
	PLAN_EXISTING, PLAN_CHAIN_NEXT, PLAN_CHAIN_STATE, N_PLANS
};

static SPIPlanPtr submit_plans[N_PLANS];
static Oid	submit_plan_types[2];	/* brop.did, brop.digest when they were prepared */

static SPIPlanPtr
submit_plan(int which, Oid did_type, Oid digest_type)
{
	Oid			chain_types[4] = {TEXTOID, InvalidOid, INT8OID, InvalidOid};

	if (submit_plan_types[0] != did_type || submit_plan_types[1] != digest_type)
	{
		/* first use, or the extension was made again: new type OIDs */
		for (int i = 0; i < N_PLANS; i++)
			if (submit_plans[i] != NULL)
			{
				SPI_freeplan(submit_plans[i]);
				submit_plans[i] = NULL;
			}
		submit_plan_types[0] = did_type;
		submit_plan_types[1] = digest_type;
	}
	chain_types[1] = chain_types[3] = digest_type;
	switch (which)
	{
		case PLAN_EXISTING:
			return brop_spi_plan(&submit_plans[which], EXISTING_SQL, 2, (Oid[]) {did_type, TEXTOID});
		case PLAN_CHAIN_NEXT:
			return brop_spi_plan(&submit_plans[which], CHAIN_NEXT_SQL, 4, chain_types);
		default:
			return brop_spi_plan(&submit_plans[which], CHAIN_STATE_SQL, 1, chain_types);
	}
}

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
 * Moves the chain's head to the new entry (prev_digest its head), or refuses
 * a fork (also a first entry of a chain that exists) or an unknown chain.
 */
static void
chain_append(const entry_fields *f, const unsigned char *digest, int64 id, Oid did_type, Oid digest_type)
{
	Datum		args[4] = {PointerGetDatum(f->chain_key), PointerGetDatum(digest), Int64GetDatum(id),
	PointerGetDatum(f->prev_digest)};
	unsigned char head[BROP_DIGEST_BYTES];
	int64		length;
	char		hex[2 * BROP_DIGEST_BYTES + 1];
	size_t		hexlen;

	if (f->prev_digest != NULL)
	{
		if (SPI_execute_plan(submit_plan(PLAN_CHAIN_NEXT, did_type, digest_type), args, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not append to the chain");
		if (SPI_processed == 1)
			return;
	}

	if (!brop_chain_state(f->chain_key, head, &length, did_type, digest_type))
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
 * The head of a chain into head and its length; false (nothing written) if
 * the chain has no entry yet.
 */
bool
brop_chain_state(text *chain_key, unsigned char *head, int64 *length, Oid did_type, Oid digest_type)
{
	Datum		arg = PointerGetDatum(chain_key);
	bool		found;
	bool		isnull;

	SPI_connect();
	if (SPI_execute_plan(submit_plan(PLAN_CHAIN_STATE, did_type, digest_type), &arg, NULL, false, 1) != SPI_OK_SELECT)
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
 * Appends the entry of checked and signed fields whose leaf hash is digest:
 * its row, its pending row and its chain's new head. Returns the new row of
 * brop.entry (its id in *id when id is not NULL), or NULL when the
 * organisation already used the nonce.
 */
HeapTuple
brop_ledger_append(const entry_fields *f, unsigned char *digest, Oid did_type, Oid digest_type, int64 *id)
{
	ledger_rels rels = ledger_rels_get();
	EState	   *estate = CreateExecutorState();
	Datum		values[ENTRY_COLUMNS];
	bool		nulls[ENTRY_COLUMNS];
	HeapTuple	row;
	bool		started = false;

	estate->es_output_cid = GetCurrentCommandId(true);
	row = entry_insert(&rels, estate, f, digest, values, nulls);
	if (row != NULL)
		pending_insert(&rels, values[0], values[ENTRY_COLUMN_EXPIRES], !f->has_expires);
	if (row != NULL && f->chain_key != NULL && f->prev_digest == NULL)
		started = chain_start(&rels, estate, f, digest, DatumGetInt64(values[0]));
	FreeExecutorState(estate);
	if (id != NULL)
		*id = DatumGetInt64(values[0]);
	if (row != NULL && f->chain_key != NULL && !started)
	{
		SPI_connect();
		chain_append(f, digest, DatumGetInt64(values[0]), did_type, digest_type);
		SPI_finish();
	}
	return row;
}

/*
 * The entry that already holds the organisation's nonce, as a row of desc,
 * when it has the same signed fields as f (a retry); ERROR otherwise.
 */
HeapTupleHeader
brop_entry_existing(const entry_fields *f, TupleDesc desc, Oid did_type, Oid digest_type)
{
	entry_fields stored;
	HeapTupleHeader h;
	Datum		args[2];
	bool		isnull;

	SPI_connect();
	args[0] = f->org;
	args[1] = PointerGetDatum(f->nonce);
	if (SPI_execute_plan(submit_plan(PLAN_EXISTING, did_type, digest_type), args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the entry with nonce \"%s\"", text_to_cstring(f->nonce));
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not serialize access due to concurrent insert"),
				 errdetail("A transaction this one cannot see submitted an entry with nonce \"%s\".",
						   text_to_cstring(f->nonce))));
	h = SPI_returntuple(SPI_tuptable->vals[0], desc);
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

/*
 * brop.submit(kind, org, payload_digest, nonce, signature, header, subject,
 * body_digest, chain_key, prev_digest, expires_block) RETURNS brop.entry.
 *
 * Checks the fields and the organisation's signature, then writes the entry
 * and its pending row in one statement; chained entries move their chain's
 * head. A nonce the organisation already used returns the entry it made when
 * the signed fields are the same (a safe retry), and is refused otherwise.
 */
PG_FUNCTION_INFO_V1(brop_submit);
Datum
brop_submit(PG_FUNCTION_ARGS)
{
	Oid			did_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	Oid			digest_type = get_fn_expr_argtype(fcinfo->flinfo, 2);
	entry_fields f;
	unsigned char *digest = palloc(BROP_DIGEST_BYTES);
	TupleDesc	desc;
	HeapTuple	row;
	brop_owner_state owner;
	HeapTupleHeader h;

	if (!OidIsValid(did_type) || !OidIsValid(digest_type))
		elog(ERROR, "brop.submit() called without its argument types");
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	brop_entry_from_args(fcinfo, &f, 4);
	brop_entry_check_fields(&f);
	f.submitted_at = GetCurrentTimestamp();
	brop_entry_verify_signature(&f, brop_entry_forms(&f, digest));
	brop_become_owner(&owner);
	row = brop_ledger_append(&f, digest, did_type, digest_type, NULL);
	if (row != NULL)
	{
		brop_restore_user(&owner);
		PG_RETURN_DATUM(heap_copy_tuple_as_datum(row, desc));
	}

	/* the nonce is taken: by this entry (a retry), or by another one */
	h = brop_entry_existing(&f, desc, did_type, digest_type);
	brop_restore_user(&owner);
	PG_RETURN_HEAPTUPLEHEADER(h);
}

