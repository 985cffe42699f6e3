/*
 * worker.c — the sealing background worker: with shared_preload_libraries =
 * 'brop', it calls brop.seal() in database brop.database every
 * brop.block_interval, once the extension exists there and the ledger is
 * configured. An interval without pending entries makes no block.
 *
 * A seal that fails is rolled back entirely and tried again, for ever (the
 * operator fixes what stops it): after BROP_RETRY_FIRST seconds, then twice
 * as long after each failure with the same error (SQLSTATE and message: a
 * detail may count something), up to BROP_RETRY_MAX. The error is logged in
 * full when it changes, and a shorter reminder at every failed attempt after
 * that; pg_stat_activity.query and brop.sealer() say how it stands. A reload wakes it for an attempt at once. If the worker itself
 * dies, the postmaster starts it again after BROP_WORKER_RESTART seconds.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "ledger/ledger.h"

#define BROP_WORKER_RESTART 5
#define BROP_RETRY_FIRST 5		/* seconds after a failed seal */
#define BROP_RETRY_MAX 300		/* the longest wait, while the same error repeats */

/* Where failing seals stand: no error when the last seal succeeded. */
typedef struct retry_state
{
	char	   *error;			/* the last error's SQLSTATE and message (TopMemoryContext) */
	int			failures;		/* attempts in a row that failed with it */
	int			wait;			/* seconds from the failure to the next attempt */
	TimestampTz next;			/* the next attempt */
} retry_state;

PGDLLEXPORT void brop_sealer_main(Datum arg);

void
brop_register_sealer(void)
{
	BackgroundWorker w;

	memset(&w, 0, sizeof w);
	w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	w.bgw_start_time = BgWorkerStart_RecoveryFinished;
	w.bgw_restart_time = BROP_WORKER_RESTART;
	snprintf(w.bgw_library_name, BGW_MAXLEN, "brop");
	snprintf(w.bgw_function_name, BGW_MAXLEN, "brop_sealer_main");
	snprintf(w.bgw_name, BGW_MAXLEN, "brop sealer");
	snprintf(w.bgw_type, BGW_MAXLEN, "brop sealer");
	RegisterBackgroundWorker(&w);
}

/* One transaction: seal if the ledger is configured; witness the ledger copy if this node's witness watches it. */
static void
seal_once(void)
{
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "brop: sealing");

	if (SPI_execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'brop'", true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		/*
		 * A member's slot for the sequencer's subscription to its
		 * cosignatures: made here, in a transaction of its own after
		 * brop.join committed, because a slot decodes with the catalogue
		 * of its start (a slot older than the publication would not find
		 * it). First, before this transaction writes.
		 */
		bool		consortium;		/* the tables of 1.1 are there */

		consortium = SPI_execute("SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
								 " WHERE n.nspname = 'brop' AND c.relname = 'consortium'", true, 1) == SPI_OK_SELECT &&
			SPI_processed == 1;
		if (consortium &&
			SPI_execute("SELECT 'brop_cosig_' || c.name FROM brop.consortium c WHERE c.role = 'member'"
						"   AND NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots s"
						"                   WHERE s.slot_name = 'brop_cosig_' || c.name)", true, 1) == SPI_OK_SELECT &&
			SPI_processed == 1)
		{
			char	   *slot = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
			Oid			type = TEXTOID;
			Datum		arg = CStringGetTextDatum(slot);

			pgstat_report_activity(STATE_RUNNING, "brop: making the cosignatures' slot");
			if (SPI_execute_with_args("SELECT pg_catalog.pg_create_logical_replication_slot($1, 'pgoutput')",
									  1, &type, &arg, NULL, false, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not make replication slot \"%s\"", slot);
			elog(LOG, "brop made replication slot \"%s\" for the sequencer's subscription to this member's cosignatures",
				 slot);
		}
		/* a member holds the sequencer's ledger_config, and never seals */
		if (SPI_execute(consortium ?
						"SELECT 1 FROM brop.ledger_config WHERE NOT EXISTS (SELECT FROM brop.consortium c WHERE c.role = 'member')" :
						"SELECT 1 FROM brop.ledger_config", true, 1) == SPI_OK_SELECT && SPI_processed == 1 &&
			SPI_execute("SELECT number FROM brop.seal()", false, 0) != SPI_OK_SELECT)
			elog(ERROR, "brop.seal() failed");

		/*
		 * A witness of this database's ledger copy (a member's): verify and
		 * cosign the blocks that arrived. Called in SQL: the consortium
		 * module is above the ledger. Its tables are new in 1.1: a 1.0
		 * database has none.
		 */
		if (consortium &&
			SPI_execute("SELECT 1 FROM brop.witness_self s, brop.witness_log w"
						" WHERE w.halted_at IS NULL AND w.origin = (SELECT pg_catalog.split_part(b.checkpoint, E'\\n', 1)"
						"  FROM brop.block b ORDER BY b.number DESC LIMIT 1)", true, 1) == SPI_OK_SELECT &&
			SPI_processed == 1)
		{
			pgstat_report_activity(STATE_RUNNING, "brop: witnessing");
			if (SPI_execute("SELECT brop.witness_step(1000)", false, 0) != SPI_OK_SELECT)
				elog(ERROR, "brop.witness_step() failed");
		}
	}

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_stat(true);
	pgstat_report_activity(STATE_IDLE, NULL);
}

/* A seal failed with ed: log it (in full if its text is new), wait longer. */
static void
seal_failed(retry_state *r, ErrorData *ed)
{
	/* the same error: its SQLSTATE and message (a detail may count something) */
	char	   *text = psprintf("%s %s", unpack_sql_state(ed->sqlerrcode), ed->message ? ed->message : "");

	if (r->error != NULL && strcmp(r->error, text) == 0)
	{
		r->failures++;
		r->wait = Min(r->wait * 2, BROP_RETRY_MAX);
		ereport(LOG,
				(errcode(ed->sqlerrcode),
				 errmsg("brop sealer could not seal, as before: %s", ed->message),
				 errdetail("Attempt %d in a row failed with this error; the next is in %d s.",
						   r->failures, r->wait)));
	}
	else
	{
		if (r->error != NULL)
			pfree(r->error);
		r->error = MemoryContextStrdup(TopMemoryContext, text);
		r->failures = 1;
		r->wait = BROP_RETRY_FIRST;
		ereport(LOG,
				(errcode(ed->sqlerrcode),
				 errmsg("brop sealer could not seal: %s", ed->message),
				 ed->detail ? errdetail_internal("%s", ed->detail) : 0,
				 ed->hint ? errhint("%s", ed->hint) : 0,
				 errcontext("the next attempt is in %d s, then twice as long after each failure with the same error, up to %d s",
							r->wait, BROP_RETRY_MAX)));
	}
	r->next = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), r->wait * 1000);
	pfree(text);
	text = psprintf("brop: seal attempt %d failed, the next is in %d s: %s",
					r->failures, r->wait, ed->message);
	pgstat_report_activity(STATE_IDLE, text);
	pfree(text);
}

/* One attempt; an error is caught, rolled back and counted in r. */
static void
try_seal(retry_state *r)
{
	MemoryContext cxt = CurrentMemoryContext;
	ErrorData  *volatile ed = NULL;

	PG_TRY();
	{
		seal_once();
	}
	PG_CATCH();
	{
		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(cxt);
		ed = CopyErrorData();
		FlushErrorState();
		AbortOutOfAnyTransaction();
		RESUME_INTERRUPTS();
	}
	PG_END_TRY();

	if (ed != NULL)
	{
		seal_failed(r, ed);
		brop_sealer_state_attempt(ed, r->failures, r->next);
		FreeErrorData(ed);
		return;
	}
	brop_sealer_state_attempt(NULL, 0, 0);
	if (r->error != NULL)
	{
		ereport(LOG,
				(errmsg_plural("brop sealer sealed again, after %d failed attempt",
							   "brop sealer sealed again, after %d failed attempts",
							   r->failures, r->failures)));
		pfree(r->error);
		r->error = NULL;
		r->failures = 0;
	}
}

void
brop_sealer_main(Datum arg)
{
	retry_state r = {NULL, 0, 0, 0};

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(brop_database, NULL, 0);
	/* brop.seal() needs READ COMMITTED, whatever the database's default */
	DefaultXactIsoLevel = XACT_READ_COMMITTED;
	brop_sealer_state_started(brop_database);
	elog(LOG, "brop sealer started in database \"%s\", one block every %d ms at most",
		 brop_database, brop_block_interval);

	for (;;)
	{
		long		timeout = brop_block_interval;
		bool		reloaded = false;

		if (r.error != NULL)
			timeout = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), r.next);
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, timeout, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			reloaded = true;
		}
		/* after a failure, only the time or a reload brings the next attempt */
		if (r.error != NULL && !reloaded && GetCurrentTimestamp() < r.next)
			continue;
		try_seal(&r);
	}
}
