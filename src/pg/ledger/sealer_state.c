/*
 * sealer_state.c — the sealing worker's state in shared memory, for
 * brop.sealer() and the brop.status view (docs/operations.md,
 * "Monitoring"): when it started, its last attempt, its last success, and
 * its last error (kept after a recovery, with its time) with the failures
 * in a row and the next attempt. Exists only with shared_preload_libraries
 * = 'brop'; without it brop.sealer() says the worker is not configured.
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/trigger.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "ledger/ledger.h"

#define ERROR_TEXT_MAX 1024

typedef struct sealer_state
{
	slock_t		mutex;
	int			pid;			/* 0 until the worker starts */
	Latch	   *latch;			/* the worker's, to wake it */
	char		database[NAMEDATALEN];
	TimestampTz started;
	TimestampTz last_run;		/* the end of the last attempt */
	TimestampTz last_success;
	TimestampTz last_error_at;
	TimestampTz next_attempt;	/* after a failure */
	int			failures;		/* failed attempts in a row, 0 after a success */
	int			sqlerrcode;
	char		last_error[ERROR_TEXT_MAX];
} sealer_state;

static sealer_state *state = NULL;
static shmem_request_hook_type prev_request = NULL;
static shmem_startup_hook_type prev_startup = NULL;

static void
request(void)
{
	if (prev_request)
		prev_request();
	RequestAddinShmemSpace(MAXALIGN(sizeof(sealer_state)));
}

static void
startup(void)
{
	bool		found;

	if (prev_startup)
		prev_startup();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	state = ShmemInitStruct("brop sealer state", sizeof(sealer_state), &found);
	if (!found)
	{
		memset(state, 0, sizeof *state);
		SpinLockInit(&state->mutex);
	}
	LWLockRelease(AddinShmemInitLock);
}

void
brop_sealer_state_request(void)
{
	prev_request = shmem_request_hook;
	shmem_request_hook = request;
	prev_startup = shmem_startup_hook;
	shmem_startup_hook = startup;
}

void
brop_sealer_state_started(const char *database)
{
	if (state == NULL)
		return;
	SpinLockAcquire(&state->mutex);
	state->pid = MyProcPid;
	state->latch = MyLatch;
	strlcpy(state->database, database, sizeof state->database);
	state->started = GetCurrentTimestamp();
	state->failures = 0;
	state->next_attempt = 0;
	SpinLockRelease(&state->mutex);
}

void
brop_sealer_state_attempt(const ErrorData *ed, int failures, TimestampTz next)
{
	TimestampTz now = GetCurrentTimestamp();
	char		text[ERROR_TEXT_MAX];

	if (state == NULL)
		return;
	if (ed != NULL)
		snprintf(text, sizeof text, "%s", ed->message ? ed->message : "");
	SpinLockAcquire(&state->mutex);
	state->last_run = now;
	state->failures = failures;
	if (ed == NULL)
	{
		state->last_success = now;
		state->next_attempt = 0;
	}
	else
	{
		state->last_error_at = now;
		state->sqlerrcode = ed->sqlerrcode;
		memcpy(state->last_error, text, sizeof text);
		state->next_attempt = next;
	}
	SpinLockRelease(&state->mutex);
}

static Datum
time_or_null(TimestampTz t, bool *isnull)
{
	*isnull = (t == 0);
	return TimestampTzGetDatum(t);
}

/* brop.sealer(): one row, the worker's state. */
PG_FUNCTION_INFO_V1(brop_sealer);
Datum
brop_sealer(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[11];
	bool		nulls[11];
	sealer_state s;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "brop.sealer() must return a row");
	memset(nulls, true, sizeof nulls);
	values[0] = BoolGetDatum(state != NULL);
	nulls[0] = false;
	if (state != NULL)
	{
		SpinLockAcquire(&state->mutex);
		memcpy(&s, state, sizeof s);
		SpinLockRelease(&state->mutex);
		if (s.pid != 0)
		{
			values[1] = Int32GetDatum(s.pid);
			nulls[1] = false;
			values[2] = CStringGetTextDatum(s.database);
			nulls[2] = false;
		}
		values[3] = time_or_null(s.started, &nulls[3]);
		values[4] = time_or_null(s.last_run, &nulls[4]);
		values[5] = time_or_null(s.last_success, &nulls[5]);
		values[6] = Int32GetDatum(s.failures);
		nulls[6] = (s.pid == 0);
		if (s.last_error_at != 0)
		{
			values[7] = CStringGetTextDatum(s.last_error);
			nulls[7] = false;
			values[8] = CStringGetTextDatum(unpack_sql_state(s.sqlerrcode));
			nulls[8] = false;
		}
		values[9] = time_or_null(s.last_error_at, &nulls[9]);
		if (s.failures > 0)
			values[10] = time_or_null(s.next_attempt, &nulls[10]);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * brop.wake_sealer(): trigger (AFTER INSERT ON brop.block, enabled for
 * replication only): a block arrived in a member's copy; its witness
 * verifies and cosigns it now, not at the worker's next interval. The
 * worker is woken when the transaction that brought the block commits (woken
 * before, it would not see the block yet).
 */
static bool wake_at_commit = false;
static bool wake_callback_registered = false;

static void
wake_callback(XactEvent event, void *arg)
{
	Latch	   *latch = NULL;

	if (!wake_at_commit)
		return;
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
		wake_at_commit = false;
	if (event != XACT_EVENT_COMMIT)
		return;
	wake_at_commit = false;
	if (state != NULL)
	{
		SpinLockAcquire(&state->mutex);
		if (state->pid != 0)
			latch = state->latch;
		SpinLockRelease(&state->mutex);
	}
	if (latch != NULL)
		SetLatch(latch);
}

PG_FUNCTION_INFO_V1(brop_wake_sealer);
Datum
brop_wake_sealer(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("brop.wake_sealer() must be called as a trigger")));
	if (!wake_callback_registered)
	{
		RegisterXactCallback(wake_callback, NULL);
		wake_callback_registered = true;
	}
	wake_at_commit = true;
	return PointerGetDatum(NULL);
}
