/*
 * verify_parallel.c — the entry checks of brop.verify_ledger() on every core
 * (docs/ledger.md, "On every core").
 *
 * Each sealed entry's leaf hash recomputed from its fields and compared with
 * its stored digest, and its signature verified, by PostgreSQL's parallel
 * workers (access/parallel.h, the machinery of parallel query, CREATE INDEX
 * and VACUUM: the leader's snapshot, user, settings and transaction in each
 * worker, their errors raised in the leader, all of them stopped when it
 * fails or is cancelled), while the leader reads the log in position order
 * for the sequential checks (tiles, blocks, positions) from the stored
 * digests, then takes chunks too.
 *
 * Work is handed out as chunks of positions from a shared counter, each
 * checked in position order up to its first bad entry. Only the first bad
 * position counts, so the earliest found is kept and no chunk after it is
 * started.
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "optimizer/paths.h"
#include "storage/bufmgr.h"
#include "storage/spin.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "ledger/ledger.h"

#define VERIFY_KEY_SHARED UINT64CONST(0xB0B0000000000001)
#define CHUNK_MAX 1024			/* positions; about 50 ms of signatures */
#define CHUNKS_PER_PROCESS 4	/* at least, so that the processes finish together */
#define PROBLEM_MAX 128

#define CHUNK_SQL \
	"SELECT l.position, l.entry, e FROM brop.log_leaf l JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) l.entry" \
	" WHERE l.position OPERATOR(pg_catalog.>=) $1 AND l.position OPERATOR(pg_catalog.<) $2 ORDER BY l.position"

typedef struct verify_shared
{
	bool		signatures;
	int64		chunk;			/* positions per chunk */
	pg_atomic_uint64 next;		/* the first position of the next chunk */
	pg_atomic_uint64 checked;	/* entries checked, by every process */
	slock_t		mutex;			/* for the fields below */
	int64		stop;			/* no chunk starts here or later */
	int64		bad_position;	/* the first bad entry found, -1: none */
	int64		bad_entry;
	char		problem[PROBLEM_MAX];
} verify_shared;

struct brop_entry_verifier
{
	ParallelContext *pcxt;
	verify_shared *shared;
};

static SPIPlanPtr chunk_plan;

/* The earliest bad entry; no chunk from it on is started. */
static void
found_bad(verify_shared *s, int64 position, int64 entry, const char *problem)
{
	SpinLockAcquire(&s->mutex);
	if (s->bad_position < 0 || position < s->bad_position)
	{
		s->bad_position = position;
		s->bad_entry = entry;
		strlcpy(s->problem, problem, PROBLEM_MAX);
		s->stop = Min(s->stop, position);
	}
	SpinLockRelease(&s->mutex);
}

/*
 * Inside SPI: take chunks until none is left, checking each in position
 * order up to its first bad entry. after_chunk (may be NULL) is called
 * after each, with arg.
 */
static void
check_chunks(verify_shared *s, void (*after_chunk) (void *), void *arg)
{
	Oid			types[2] = {INT8OID, INT8OID};
	MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext, "verify_ledger entry",
												  ALLOCSET_DEFAULT_SIZES);

	for (;;)
	{
		int64		lo = (int64) pg_atomic_fetch_add_u64(&s->next, (uint64) s->chunk);
		int64		stop;
		Datum		args[2];
		SPITupleTable *tt;
		uint64		n,
					r;

		SpinLockAcquire(&s->mutex);
		stop = s->stop;
		SpinLockRelease(&s->mutex);
		if (lo >= stop)
			break;
		args[0] = Int64GetDatum(lo);
		args[1] = Int64GetDatum(Min(lo + s->chunk, stop));
		if (SPI_execute_plan(brop_spi_plan(&chunk_plan, CHUNK_SQL, 2, types), args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read brop.entry");
		tt = SPI_tuptable;
		n = SPI_processed;
		for (r = 0; r < n; r++)
		{
			HeapTuple	tup = tt->vals[r];
			bool		isnull;
			int64		position = DatumGetInt64(SPI_getbinval(tup, tt->tupdesc, 1, &isnull));
			int64		entry = DatumGetInt64(SPI_getbinval(tup, tt->tupdesc, 2, &isnull));
			Datum		row = SPI_getbinval(tup, tt->tupdesc, 3, &isnull);
			unsigned char leaf[BROP_DIGEST_BYTES];
			MemoryContext old;
			const char *bad;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(row_cxt);
			bad = brop_entry_check(DatumGetHeapTupleHeader(row), leaf, s->signatures);
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);
			if (bad != NULL)
			{
				found_bad(s, position, entry, bad);
				break;
			}
		}
		pg_atomic_fetch_add_u64(&s->checked, r);
		SPI_freetuptable(tt);
		if (after_chunk)
			after_chunk(arg);
	}
	MemoryContextDelete(row_cxt);
}

/* A parallel worker's entry point (CreateParallelContext). */
PGDLLEXPORT void brop_verify_ledger_worker(dsm_segment *seg, shm_toc *toc);

void
brop_verify_ledger_worker(dsm_segment *seg, shm_toc *toc)
{
	verify_shared *s = shm_toc_lookup(toc, VERIFY_KEY_SHARED, false);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	check_chunks(s, NULL, NULL);
	SPI_finish();
}

/*
 * How many workers, as the planner would give a parallel scan of
 * brop.entry: none below min_parallel_table_scan_size, then one more each
 * time the table is three times larger; the table's parallel_workers
 * setting instead if it has one; at most max_parallel_workers_per_gather.
 */
static int
workers_for_entries(void)
{
	Oid			relid = get_relname_relid("entry", brop_ids_get()->nsp);
	Relation	rel;
	BlockNumber pages;
	int			workers;

	if (!OidIsValid(relid))
		return 0;
	rel = table_open(relid, AccessShareLock);
	pages = RelationGetNumberOfBlocks(rel);
	workers = RelationGetParallelWorkers(rel, -1);
	table_close(rel, AccessShareLock);
	if (workers < 0)
	{
		double		threshold = Max(min_parallel_table_scan_size, 1);

		if (pages < (BlockNumber) min_parallel_table_scan_size)
			return 0;
		workers = 1;
		while (pages >= threshold * 3 && workers < max_parallel_workers_per_gather)
		{
			workers++;
			threshold *= 3;
		}
	}
	return Min(workers, max_parallel_workers_per_gather);
}

/*
 * Inside SPI: start checking the entries at positions [0, end) in parallel
 * workers. NULL when no worker runs (none asked for, none free, or already
 * in a parallel operation): the caller checks each entry itself.
 */
brop_entry_verifier *
brop_entry_verifier_start(int64 start, int64 end, bool signatures)
{
	brop_entry_verifier *ev;
	verify_shared *s;
	int			workers;

	if (end <= start || start < 0 || IsInParallelMode() || !IsUnderPostmaster)
		return NULL;
	workers = workers_for_entries();
	if (workers <= 0)
		return NULL;
	ev = palloc0(sizeof(brop_entry_verifier));
	EnterParallelMode();
	ev->pcxt = CreateParallelContext("brop", "brop_verify_ledger_worker", workers);
	shm_toc_estimate_chunk(&ev->pcxt->estimator, sizeof(verify_shared));
	shm_toc_estimate_keys(&ev->pcxt->estimator, 1);
	InitializeParallelDSM(ev->pcxt);
	s = shm_toc_allocate(ev->pcxt->toc, sizeof(verify_shared));
	s->signatures = signatures;
	s->chunk = Max(1, Min(CHUNK_MAX, (end - start) / ((workers + 1) * CHUNKS_PER_PROCESS)));
	pg_atomic_init_u64(&s->next, (uint64) start);
	pg_atomic_init_u64(&s->checked, 0);
	SpinLockInit(&s->mutex);
	s->stop = end;
	s->bad_position = -1;
	s->bad_entry = 0;
	s->problem[0] = '\0';
	shm_toc_insert(ev->pcxt->toc, VERIFY_KEY_SHARED, s);
	ev->shared = s;
	if (ev->pcxt->seg != NULL)
		LaunchParallelWorkers(ev->pcxt);
	if (ev->pcxt->nworkers_launched == 0)
	{
		DestroyParallelContext(ev->pcxt);
		ExitParallelMode();
		pfree(ev);
		return NULL;
	}
	return ev;
}

/* The workers launched. */
int
brop_entry_verifier_workers(const brop_entry_verifier *ev)
{
	return ev->pcxt->nworkers_launched;
}

/* Entries checked so far, by every process. */
int64
brop_entry_verifier_checked(const brop_entry_verifier *ev)
{
	return (int64) pg_atomic_read_u64(&ev->shared->checked);
}

/*
 * Inside SPI: the leader takes the chunks left, after_chunk (may be NULL)
 * called after each; waits for the workers; ends the parallel operation.
 * Only positions before stop count (the leader's pass stopped there). The
 * first bad entry found, if any, in *position, *entry and *problem
 * (palloc'd).
 */
bool
brop_entry_verifier_finish(brop_entry_verifier *ev, int64 stop, void (*after_chunk) (void *), void *arg,
						   int64 *position, int64 *entry, char **problem)
{
	verify_shared *s = ev->shared;
	bool		bad;

	SpinLockAcquire(&s->mutex);
	s->stop = Min(s->stop, stop);
	SpinLockRelease(&s->mutex);
	check_chunks(s, after_chunk, arg);
	WaitForParallelWorkersToFinish(ev->pcxt);
	bad = s->bad_position >= 0 && s->bad_position < stop;
	if (bad)
	{
		*position = s->bad_position;
		*entry = s->bad_entry;
		*problem = pstrdup(s->problem);
	}
	DestroyParallelContext(ev->pcxt);
	ExitParallelMode();
	pfree(ev);
	return bad;
}
