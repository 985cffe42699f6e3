/*
 * capture.c — brop.capture(), the trigger that registers a table's rows on
 * the ledger of the same database, in the transaction that changes them (a
 * rollback registers nothing).
 *
 * Each change becomes one record of the transaction's capture log: the
 * operation, the registration, the texts of the registered and key columns
 * (made here, under the fixed output settings), the subject and the time.
 * At commit (or PREPARE TRANSACTION) the log goes to brop.capture_queue,
 * sealed under a key derived from the salt key, in chunks of about 8 kB (a
 * long transaction writes its full chunks as it goes); brop.seal() first turns
 * the committed queue into entries (capture_drain.c): salted digests, the
 * row chains, one signature per batch. A subtransaction that aborts takes
 * its records with it.
 *
 * Records (docs/registration.md, "The capture queue"): INSERT starts or
 * continues the row's chain, UPDATE adds a version (none if no registered
 * column changed), DELETE a revocation holding the digest of the row's last
 * values; an UPDATE of the key is a DELETE of the old key and an INSERT of
 * the new one. TRUNCATE, which fires no row trigger, is refused.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "port/pg_bswap.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "registration/registration.h"

/* ---- the capture log ------------------------------------------------------ */

/*
 * A chunk holds records up to this size (a larger record or a
 * subtransaction's records make a larger one): its sealed row then fits a
 * page of brop.capture_queue, whose toast_tuple_target keeps it there, so a
 * chunk is one heap tuple, not a TOAST value of several.
 */
#define CHUNK_BYTES 8000

/* Where a (sub)transaction level's first record is in the log. */
typedef struct level_mark
{
	int			level;
	int			offset;
} level_mark;

static struct
{
	StringInfoData log;			/* records not yet written; data NULL when none */
	level_mark *marks;			/* levels with records in the log, increasing */
	int			nmarks;
	int			maxmarks;
	int32		chunks;			/* chunks written by this transaction */
	bool		unfinished;		/* chunks written, the final one not yet */
	int64		last_entry;		/* registration of the log's last record, or 0 */
	TimestampTz last_at;		/* and its time (valid when last_entry is) */
} cap;

static void
capture_reset(void)
{
	/* the memory goes with TopTransactionContext */
	cap.log.data = NULL;
	cap.marks = NULL;
	cap.nmarks = cap.maxmarks = 0;
	cap.chunks = 0;
	cap.unfinished = false;
	cap.last_entry = 0;
}

#define QUEUE_SQL \
	"INSERT INTO brop.capture_queue (xid, chunk, seq, data) VALUES ($1, $2," \
	" CASE WHEN $3 THEN pg_catalog.nextval('brop.capture_seq') END, $4)"

/*
 * Writes the log as the transaction's next chunk, sealed, and empties it;
 * last marks the transaction's final chunk, which takes the queue's next
 * sequence number: the drain's order (a transaction that changed a row
 * another one changed waited for its commit, so comes after it).
 */
static void
write_chunk(bool last)
{
	static SPIPlanPtr plan = NULL;
	uint64		xid = U64FromFullTransactionId(GetTopFullTransactionId());
	unsigned char ad[BROP_CAPTURE_AD_BYTES];
	bytea	   *box = palloc(VARHDRSZ + cap.log.len + BROP_ROW_QUEUE_OVERHEAD);
	Datum		args[4];
	brop_owner_state st;
	int			rc;
	bool		pushed;

	brop_capture_chunk_ad(ad, xid, cap.chunks);
	rc = brop_row_queue_seal((unsigned char *) VARDATA(box), brop_capture_queue_key(), ad, sizeof ad,
							 (unsigned char *) cap.log.data, cap.log.len);
	brop_wipe(cap.log.data, cap.log.len);
	brop_pg_check(rc, "capture queue");
	SET_VARSIZE(box, VARHDRSZ + cap.log.len + BROP_ROW_QUEUE_OVERHEAD);

	args[0] = Int64GetDatum((int64) xid);
	args[1] = Int32GetDatum(cap.chunks);
	args[2] = BoolGetDatum(last);
	args[3] = PointerGetDatum(box);
	/* at commit no statement is running: a snapshot for this one, as deferred triggers take */
	pushed = !ActiveSnapshotSet();
	if (pushed)
		PushActiveSnapshot(GetTransactionSnapshot());
	brop_become_owner(&st);
	SPI_connect();
	if (SPI_execute_plan(brop_spi_plan(&plan, QUEUE_SQL, 4, (Oid[]) {INT8OID, INT4OID, BOOLOID, BYTEAOID}),
						 args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write to brop.capture_queue");
	SPI_finish();
	brop_restore_user(&st);
	if (pushed)
		PopActiveSnapshot();
	pfree(box);
	cap.chunks++;
	cap.unfinished = !last;
	cap.log.len = 0;
	cap.log.data[0] = '\0';
	cap.nmarks = 0;
	cap.last_entry = 0;
}

void
brop_capture_flush_own(void)
{
	if (cap.log.data != NULL && (cap.log.len > 0 || cap.unfinished))
	{
		if (GetCurrentTransactionNestLevel() > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
					 errmsg("cannot unregister a table in a subtransaction that registered rows")));
		write_chunk(true);
	}
}

static void
capture_xact(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (cap.log.data != NULL && (cap.log.len > 0 || cap.unfinished))
				write_chunk(true);
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			capture_reset();
			break;
		default:
			break;
	}
}

/* An aborted subtransaction's records leave the log; a committed one's become its parent's. */
static void
capture_subxact(SubXactEvent event, SubTransactionId sub, SubTransactionId parent, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();

	if (cap.log.data == NULL || cap.nmarks == 0 || cap.marks[cap.nmarks - 1].level < level)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		cap.log.len = cap.marks[cap.nmarks - 1].offset;
		cap.log.data[cap.log.len] = '\0';
		cap.nmarks--;
		cap.last_entry = 0;		/* the next record names its registration and time again */
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		if (cap.nmarks >= 2 && cap.marks[cap.nmarks - 2].level == level - 1)
			cap.nmarks--;
		else
			cap.marks[cap.nmarks - 1].level = level - 1;
	}
}

/* Appends one record (registration.h; docs/registration.md, "The capture queue") to the log. */
static void
capture_record(const registration *reg, char op, const StringInfoData *values, const char *subject)
{
	static bool registered = false;
	int			level = GetCurrentTransactionNestLevel();
	TimestampTz at = GetCurrentStatementStartTimestamp();
	size_t		subject_len = subject == NULL ? 0 : strlen(subject);
	unsigned char head[BROP_CAPTURE_HEAD_MAX];
	size_t		n;
	brop_capture_head h;

	if (!registered)
	{
		RegisterXactCallback(capture_xact, NULL);
		RegisterSubXactCallback(capture_subxact, NULL);
		registered = true;
	}
	if (cap.log.data == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);

		initStringInfo(&cap.log);
		cap.maxmarks = 8;
		cap.marks = palloc(sizeof(level_mark) * cap.maxmarks);
		MemoryContextSwitchTo(old);
	}
	/* a full log is written when all of it is this level's: its abort would take that chunk */
	if (cap.log.len > 0 && cap.log.len + sizeof head + values->len + subject_len > CHUNK_BYTES &&
		cap.nmarks == 1 && cap.marks[0].level == level)
		write_chunk(false);
	if (cap.nmarks == 0 || cap.marks[cap.nmarks - 1].level < level)
	{
		if (cap.nmarks == cap.maxmarks)
		{
			cap.maxmarks *= 2;
			cap.marks = repalloc(cap.marks, sizeof(level_mark) * cap.maxmarks);
		}
		cap.marks[cap.nmarks].level = level;
		cap.marks[cap.nmarks].offset = cap.log.len;
		cap.nmarks++;
	}

	/* the record's head and subject written by the core (brop_capture_record.h) */
	h.op = op;
	h.flags = subject != NULL ? BROP_CAPTURE_SUBJECT : 0;
	if (cap.last_entry != reg->entry)
		h.flags |= BROP_CAPTURE_NEW_REGISTRATION | BROP_CAPTURE_NEW_TIME;
	else if (cap.last_at != at)
		h.flags |= BROP_CAPTURE_NEW_TIME;
	h.registration = (uint64) reg->entry;
	h.time = at;
	brop_pg_check(brop_capture_head_write(head, sizeof head, &n, &h), "capture record");
	cap.last_entry = reg->entry;
	cap.last_at = at;
	appendBinaryStringInfo(&cap.log, (char *) head, n);
	appendBinaryStringInfo(&cap.log, values->data, values->len);
	if (subject != NULL)
	{
		enlargeStringInfo(&cap.log, BROP_VARINT_MAX_BYTES + subject_len);
		brop_pg_check(brop_capture_subject_write((unsigned char *) cap.log.data + cap.log.len,
												 (size_t) (cap.log.maxlen - cap.log.len), &n, subject,
												 subject_len), "capture record");
		cap.log.len += n;
		cap.log.data[cap.log.len] = '\0';
	}
}

static const char *
subject_of(const registration *reg, TupleTableSlot *slot)
{
	bool		isnull;
	Datum		v;

	if (reg->subject == 0)
		return NULL;
	v = slot_getattr(slot, reg->subject, &isnull);
	return isnull ? NULL : brop_did_cstring(v);
}

/* Whether two rows' values (brop_row_values) have the same key. */
static bool
same_key(const registration *reg, const StringInfoData *a, const int *as, const StringInfoData *b, const int *bs)
{
	int			extra = reg->ncols;

	for (int k = 0; k < reg->nkeys; k++)
	{
		int			v = reg->key_in_cols[k] >= 0 ? reg->key_in_cols[k] : extra++;
		int			len = as[v + 1] - as[v];

		if (bs[v + 1] - bs[v] != len || memcmp(a->data + as[v], b->data + bs[v], len) != 0)
			return false;
	}
	return true;
}

/*
 * A row the table held when it was registered (existing.c): a record of
 * operation 'e', in the registering transaction's log, so the drain makes
 * it the next version of its chain (version 1 of a new one) with op
 * "existing". reg is resolved in the row's own table (a partition's
 * columns may have other numbers than its root's).
 */
void
brop_capture_existing(const registration *reg, TupleTableSlot *slot)
{
	StringInfoData values;
	int		   *starts = palloc(sizeof(int) * (reg->ncols + reg->nextra + 1));

	initStringInfo(&values);
	brop_row_values(reg, slot, &values, starts);
	capture_record(reg, BROP_CAPTURE_EXISTING, &values, subject_of(reg, slot));
	brop_wipe(values.data, values.len);
	pfree(values.data);
	pfree(starts);
}

/* brop.capture() RETURNS trigger */
PG_FUNCTION_INFO_V1(brop_capture);
Datum
brop_capture(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	registration *reg;
	StringInfoData values,
				new_values;
	int		   *starts;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("brop.capture() must be called as a trigger")));
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot truncate registered table \"%s\"", RelationGetRelationName(td->tg_relation)),
				 errdetail("TRUNCATE removes rows without registering their deletion."),
				 errhint("Delete the rows, or unregister the table with brop.unregister_table() first.")));
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("brop.capture() must be an AFTER ... FOR EACH ROW trigger")));

	reg = brop_registration_get(RelationGetRelid(td->tg_relation));
	starts = palloc(sizeof(int) * (reg->ncols + reg->nextra + 1));
	initStringInfo(&values);
	brop_row_values(reg, td->tg_trigslot, &values, starts);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		capture_record(reg, BROP_CAPTURE_INSERT, &values, subject_of(reg, td->tg_trigslot));
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		capture_record(reg, BROP_CAPTURE_DELETE, &values, subject_of(reg, td->tg_trigslot));
	else
	{
		int		   *new_starts = palloc(sizeof(int) * (reg->ncols + reg->nextra + 1));

		initStringInfo(&new_values);
		brop_row_values(reg, td->tg_newslot, &new_values, new_starts);
		if (!same_key(reg, &values, starts, &new_values, new_starts))
		{
			capture_record(reg, BROP_CAPTURE_DELETE, &values, subject_of(reg, td->tg_trigslot));
			capture_record(reg, BROP_CAPTURE_INSERT, &new_values, subject_of(reg, td->tg_newslot));
		}
		/* same key: the values differ where the registered columns do */
		else if (values.len != new_values.len || memcmp(values.data, new_values.data, values.len) != 0)
			capture_record(reg, BROP_CAPTURE_UPDATE, &new_values, subject_of(reg, td->tg_newslot));
	}
	return PointerGetDatum(NULL);
}
