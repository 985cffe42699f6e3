/*
 * worker.c — the sealing background worker: with shared_preload_libraries =
 * 'brop', it calls brop.seal() in database brop.database every
 * brop.block_interval, once the extension exists there and the ledger is
 * configured. An interval without pending entries makes no block.
 *
 * An error in a seal ends the worker; the postmaster starts it again after
 * BROP_WORKER_RESTART seconds (and the failed seal rolled back entirely).
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"

#include "brop_pg.h"

#define BROP_WORKER_RESTART 5

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

/* One transaction: seal if the extension exists and the ledger is configured. */
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
		SPI_processed == 1 &&
		SPI_execute("SELECT 1 FROM brop.ledger_config", true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		if (SPI_execute("SELECT number FROM brop.seal()", false, 0) != SPI_OK_SELECT)
			elog(ERROR, "brop.seal() failed");
	}

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_stat(true);
	pgstat_report_activity(STATE_IDLE, NULL);
}

void
brop_sealer_main(Datum arg)
{
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(brop_database, NULL, 0);
	/* brop.seal() needs READ COMMITTED, whatever the database's default */
	DefaultXactIsoLevel = XACT_READ_COMMITTED;
	elog(LOG, "brop sealer started in database \"%s\", one block every %d ms at most",
		 brop_database, brop_block_interval);

	for (;;)
	{
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 brop_block_interval, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		seal_once();
	}
}
