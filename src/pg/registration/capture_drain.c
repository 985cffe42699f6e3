/*
 * capture_drain.c — turns the committed capture queue (capture.c) into
 * ledger entries: brop.seal() does it first, brop.drain_captures() on its
 * own, brop.unregister_table() before it ends a registration.
 *
 * Transactions are taken in the order of their final chunk's sequence
 * number, records in the order they were captured. Each record becomes the
 * entry of one version of one row (docs/formats.md, "Row entries"): its
 * chain's length gives the version, the salt key the salt and digest.
 * Consecutive entries of one registration are signed together, one
 * signature per batch of up to DRAIN_BATCH (docs/formats.md, "Batch
 * signatures"); a batch ends before a chain it already holds, whose next
 * entry links to a leaf hash that needs the batch's signature.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "registration/registration.h"

#define DRAIN_BATCH 1000


/* What a drain needs of a registration, by its entry's id. */
typedef struct drain_reg
{
	int64		entry;			/* hash key */
	registration r;				/* name, profile and layout */
	char	   *label;
	Oid			registrant;
	Datum		org;
	char	   *org_text;
} drain_reg;

typedef struct drain_state
{
	HTAB	   *regs;
	MemoryContext regs_cxt;
	/* the batch being made: entries of one registration, distinct chains */
	drain_reg  *batch_reg;
	entry_fields *batch;
	bytea	  **msgs;
	int			n;
	HTAB	   *chains;			/* chain keys in the batch */
	MemoryContext batch_cxt;
	int64		appended;
} drain_state;

static drain_reg *
reg_get(drain_state *ds, int64 entry)
{
	drain_reg  *d;
	bool		found;
	MemoryContext old;
	brop_registration_row row;

	d = hash_search(ds->regs, &entry, HASH_FIND, NULL);
	if (d != NULL)
		return d;
	old = MemoryContextSwitchTo(ds->regs_cxt);
	if (!brop_registration_find(InvalidOid, entry, true, &row))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("captured rows in brop.capture_queue belong to a registration that is gone (entry " INT64_FORMAT ")",
						entry),
				 errdetail("brop.unregister_table() drains the queue first; the row of brop.registration was deleted.")));
	d = hash_search(ds->regs, &entry, HASH_ENTER, &found);
	memset(&d->r, 0, sizeof d->r);
	d->r.name = row.name;
	d->label = row.signing_key;
	d->org = row.org;
	d->org_text = brop_did_cstring(d->org);
	d->registrant = row.registrant;
	d->r.profile = row.profile;
	brop_registration_layout(&d->r, row.keys, row.nkeys, row.cols, row.ncols);
	MemoryContextSwitchTo(old);
	return d;
}

/* Signs the batch (with the registrant's rights to its key) and appends its entries. */
static void
batch_flush(drain_state *ds)
{
	bytea	  **forms;
	unsigned char leaf[BROP_DIGEST_BYTES];
	brop_owner_state st;

	if (ds->n == 0)
		return;
	brop_become_role(&st, ds->batch_reg->registrant);
	forms = brop_sign_batch(ds->batch_reg->label, ds->msgs, ds->n);
	brop_restore_user(&st);

	brop_become_owner(&st);
	for (int i = 0; i < ds->n; i++)
	{
		entry_fields *f = &ds->batch[i];

		f->signature = forms[i];
		brop_entry_leaf_hash(f, leaf);
		if (brop_ledger_append(f, leaf, NULL) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("nonce \"%s\" was already used by this organisation", brop_pg_quote(VARDATA_ANY(f->nonce), VARSIZE_ANY_EXHDR(f->nonce))),
					 errdetail("The chain of a registered row and the ledger disagree.")));
	}
	brop_restore_user(&st);
	ds->appended += ds->n;
	ds->n = 0;
	ds->batch_reg = NULL;
	hash_destroy(ds->chains);
	ds->chains = NULL;
	MemoryContextReset(ds->batch_cxt);
}

static const char *const op_names[] = {"insert", "update", "delete", "existing"};

/* The entry of one record (its row key and document made), added to the batch (which it may end first). */
static void
drain_record(drain_state *ds, drain_reg *d, char opcode, TimestampTz at, const StringInfoData *key,
			 const StringInfoData *doc, const char *subject)
{
	char	   *hdr;
	size_t		hdr_len;
	unsigned char chain_id[BROP_ROW_CHAIN_ID_BYTES];
	char		nonce[BROP_ROW_NONCE_BYTES];
	size_t		nonce_len;
	uint64		version;
	char		chain_name[NAMEDATALEN * 4 + 64];
	const char *op;
	unsigned char head[BROP_DIGEST_BYTES];
	int64		length = 0;
	bool		has_head;
	bool		found;
	entry_fields *f;
	MemoryContext old;

	switch (opcode)
	{
		case BROP_CAPTURE_INSERT:
			op = op_names[0];
			break;
		case BROP_CAPTURE_UPDATE:
			op = op_names[1];
			break;
		case BROP_CAPTURE_DELETE:
			op = op_names[2];
			break;
		case BROP_CAPTURE_EXISTING:
			op = op_names[3];
			break;
		default:
			elog(ERROR, "capture record with operation %d", opcode);
	}
	old = MemoryContextSwitchTo(ds->batch_cxt);
	{
		text	   *ck = brop_row_chain(&d->r, key, chain_id);

		snprintf(chain_name, sizeof chain_name, "%s", text_to_cstring(ck));
		if (ds->n > 0 && (ds->batch_reg != d || ds->n == DRAIN_BATCH ||
						  hash_search(ds->chains, chain_name, HASH_FIND, NULL) != NULL))
		{
			MemoryContextSwitchTo(old);
			batch_flush(ds);
			MemoryContextSwitchTo(ds->batch_cxt);
			ck = cstring_to_text(chain_name);
		}
		if (ds->chains == NULL)
		{
			HASHCTL		ctl;

			ctl.keysize = sizeof chain_name;
			ctl.entrysize = sizeof chain_name;
			ctl.hcxt = ds->batch_cxt;
			ds->chains = hash_create("brop drained chains", DRAIN_BATCH, &ctl,
									 HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
		}
		(void) hash_search(ds->chains, chain_name, HASH_ENTER, &found);
		ds->batch_reg = d;

		has_head = brop_chain_state(ck, head, &length);
		version = (uint64) (length + 1);
		f = &ds->batch[ds->n];
		memset(f, 0, sizeof *f);
		f->chain_key = ck;
	}
	f->payload_digest = palloc(BROP_ROW_DIGEST_BYTES);
	hdr = brop_row_version(&d->r, op, key, doc, version, &hdr_len, f->payload_digest);
	f->kind = cstring_to_text("row");
	f->header = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(hdr)));
	brop_pg_check(brop_row_nonce(nonce, &nonce_len, chain_id, version), "row nonce");
	f->nonce = cstring_to_text_with_len(nonce, nonce_len);
	f->org = d->org;
	f->org_text = d->org_text;
	if (subject != NULL)
	{
		f->subject_text = pstrdup(subject);
		f->subject = DirectFunctionCall1(did_in, CStringGetDatum(f->subject_text));
		f->has_subject = true;
	}
	if (has_head)
	{
		f->prev_digest = palloc(BROP_DIGEST_BYTES);
		memcpy(f->prev_digest, head, BROP_DIGEST_BYTES);
	}
	f->submitted_at = at;
	brop_entry_check_fields(f);
	ds->msgs[ds->n] = brop_entry_signing_input_of(f);
	ds->n++;
	MemoryContextSwitchTo(old);
}

/* A core reader's result: ERROR for a malformed record. */
static inline void
record_check(int rc)
{
	if (rc != 0)
		elog(ERROR, "malformed capture record");
}

/*
 * The records of one chunk (registration.h), opened: each an entry. key and
 * doc hold the rows' values as text: the caller wipes them on every path.
 */
static void
drain_records(drain_state *ds, const unsigned char *recs, size_t len, StringInfo key, StringInfo doc)
{
	size_t		at_byte = 0;
	drain_reg  *d = NULL;
	TimestampTz at = 0;
	brop_capture_value *values = NULL;
	brop_row_text *texts = NULL;
	char	   *fixed = NULL;
	int			nalloc = 0;

	/* each record read by the core (brop_capture_record.h) */
	while (at_byte < len)
	{
		brop_capture_head h;
		int			nvalues;
		const char *subject = NULL;
		const char *subject_bytes;

		CHECK_FOR_INTERRUPTS();
		record_check(brop_capture_head_read(&h, recs, len, &at_byte));
		if (h.flags & BROP_CAPTURE_NEW_REGISTRATION)
		{
			d = reg_get(ds, (int64) h.registration);
			nvalues = d->r.ncols + d->r.nextra;
			if (nvalues > nalloc)
			{
				values = values == NULL ? palloc(sizeof(brop_capture_value) * nvalues)
					: repalloc(values, sizeof(brop_capture_value) * nvalues);
				texts = texts == NULL ? palloc(sizeof(brop_row_text) * nvalues)
					: repalloc(texts, sizeof(brop_row_text) * nvalues);
				fixed = fixed == NULL ? palloc((size_t) nvalues * (MAXDATELEN + 1))
					: repalloc(fixed, (size_t) nvalues * (MAXDATELEN + 1));
				nalloc = nvalues;
			}
		}
		else if (d == NULL)
			elog(ERROR, "malformed capture record");
		if (h.flags & BROP_CAPTURE_NEW_TIME)
			at = (TimestampTz) h.time;
		nvalues = d->r.ncols + d->r.nextra;
		for (int v = 0; v < nvalues; v++)
			record_check(brop_capture_value_read(&values[v], recs, len, &at_byte));
		if (h.flags & BROP_CAPTURE_SUBJECT)
		{
			size_t		n;

			record_check(brop_capture_subject_read(&subject_bytes, &n, recs, len, &at_byte));
			subject = pnstrdup(subject_bytes, n);
		}

		/* the row key (a JCS array) and document (a JCS object), as brop_row_texts makes them */
		for (int v = 0; v < nvalues; v++)
		{
			texts[v].text = NULL;
			texts[v].len = 0;
			if (values[v].format == BROP_CAPTURE_TEXT)
			{
				texts[v].text = (const char *) values[v].p;
				texts[v].len = values[v].len;
			}
			else if (values[v].format >= 0)
				texts[v].text = brop_row_binary_text(values[v].format, (const unsigned char *) values[v].p,
													 values[v].len, fixed + (size_t) v * (MAXDATELEN + 1),
													 &texts[v].len);
		}
		resetStringInfo(doc);
		resetStringInfo(key);
		brop_row_compose(&d->r, texts, key, doc);
		for (int v = 0; v < nvalues; v++)
			if (values[v].format == ROW_TEXT_BYTEA && texts[v].text != NULL)
			{
				brop_wipe((char *) texts[v].text, texts[v].len);
				pfree((char *) texts[v].text);
			}
		drain_record(ds, d, h.op, at, key, doc, subject);
		if (subject != NULL)
			pfree((char *) subject);
	}
	if (values != NULL)
	{
		brop_wipe(fixed, (size_t) nalloc * (MAXDATELEN + 1));
		pfree(values);
		pfree(texts);
		pfree(fixed);
	}
}

/* One chunk, opened and drained. */
static void
drain_chunk(drain_state *ds, uint64 xid, int32 chunk, bytea *box)
{
	unsigned char ad[BROP_CAPTURE_AD_BYTES];
	size_t		boxlen = VARSIZE_ANY_EXHDR(box);
	size_t		len = boxlen >= BROP_ROW_QUEUE_OVERHEAD ? boxlen - BROP_ROW_QUEUE_OVERHEAD : 0;
	unsigned char *recs = palloc(Max(len, 1));
	StringInfo	key = makeStringInfo(),
				doc = makeStringInfo();
	int			rc;

	brop_capture_chunk_ad(ad, xid, chunk);
	rc = brop_row_queue_open(recs, brop_capture_queue_key(), ad, sizeof ad, (unsigned char *) VARDATA_ANY(box),
							 boxlen);
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("chunk %d of transaction " UINT64_FORMAT " in brop.capture_queue does not open", chunk, xid),
				 errdetail("It was altered, or sealed under another salt key than this session's brop.salt_key_file."),
				 errhint("Set brop.salt_key_file for the database (postgresql.conf or ALTER DATABASE), not per session.")));
	PG_TRY();
	{
		drain_records(ds, recs, len, key, doc);
	}
	PG_FINALLY();
	{
		brop_wipe(recs, len);
		brop_wipe(key->data, key->maxlen);
		brop_wipe(doc->data, doc->maxlen);
	}
	PG_END_TRY();
	pfree(recs);
	pfree(key->data);
	pfree(doc->data);
	pfree(key);
	pfree(doc);
}

#define TXNS_SQL "SELECT xid FROM brop.capture_queue WHERE seq IS NOT NULL ORDER BY seq"
#define CHUNKS_SQL "SELECT chunk, data FROM brop.capture_queue WHERE xid OPERATOR(pg_catalog.=) $1 ORDER BY chunk"
#define DELETE_SQL "DELETE FROM brop.capture_queue WHERE xid OPERATOR(pg_catalog.=) $1"

int64
brop_capture_drain(void)
{
	static SPIPlanPtr chunks_plan = NULL;
	static SPIPlanPtr delete_plan = NULL;
	drain_state ds;
	HASHCTL		ctl;
	brop_owner_state st;
	int64	   *xids;
	uint64		ntx;
	MemoryContext cxt = CurrentMemoryContext;

	memset(&ds, 0, sizeof ds);
	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(drain_reg);
	ctl.hcxt = CurrentMemoryContext;
	ds.regs_cxt = CurrentMemoryContext;
	ds.regs = hash_create("brop drained registrations", 8, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ds.batch = palloc(sizeof(entry_fields) * DRAIN_BATCH);
	ds.msgs = palloc(sizeof(bytea *) * DRAIN_BATCH);
	ds.batch_cxt = AllocSetContextCreate(CurrentMemoryContext, "brop drain batch", ALLOCSET_DEFAULT_SIZES);

	brop_become_owner(&st);
	SPI_connect();
	brop_seal_lock();
	if (SPI_execute(TXNS_SQL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.capture_queue");
	ntx = SPI_processed;
	xids = MemoryContextAlloc(cxt, sizeof(int64) * Max(ntx, 1));
	for (uint64 i = 0; i < ntx; i++)
	{
		bool		isnull;

		xids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	brop_restore_user(&st);

	for (uint64 t = 0; t < ntx; t++)
	{
		Datum		arg = Int64GetDatum(xids[t]);
		Portal		cur;

		brop_become_owner(&st);
		cur = SPI_cursor_open(NULL, brop_spi_plan(&chunks_plan, CHUNKS_SQL, 1, (Oid[]) {INT8OID}), &arg, NULL, true);
		brop_restore_user(&st);
		for (;;)
		{
			bool		isnull;
			int32		chunk;
			bytea	   *box;

			CHECK_FOR_INTERRUPTS();
			SPI_cursor_fetch(cur, true, 1);
			if (SPI_processed == 0)
				break;
			chunk = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
			box = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
			drain_chunk(&ds, (uint64) xids[t], chunk, box);
			SPI_freetuptable(SPI_tuptable);
		}
		SPI_cursor_close(cur);
		brop_become_owner(&st);
		if (SPI_execute_plan(brop_spi_plan(&delete_plan, DELETE_SQL, 1, (Oid[]) {INT8OID}), &arg, NULL, false, 0)
			!= SPI_OK_DELETE)
			elog(ERROR, "could not delete from brop.capture_queue");
		brop_restore_user(&st);
	}
	batch_flush(&ds);
	SPI_finish();
	MemoryContextDelete(ds.batch_cxt);
	hash_destroy(ds.regs);
	return ds.appended;
}

/* brop.drain_captures() RETURNS bigint */
PG_FUNCTION_INFO_V1(brop_drain_captures);
Datum
brop_drain_captures(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(brop_capture_drain());
}
