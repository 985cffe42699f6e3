/*
 * brop_pg.h — the common module of the PostgreSQL glue (src/pg/common), the
 * bottom of src/pg: settings, errors, kept statements, brop's catalog ids,
 * acting as the owner of brop's tables, quoting caller input and the core's
 * cancel callback. Every other module's header includes it.
 */
#ifndef BROP_PG_H
#define BROP_PG_H

#include "postgres.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "access/htup.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "compat/compat.h"

#include "brop.h"

/* GUCs (settings.c; module.c defines them) */
extern char *brop_root_key_file;
extern char *brop_salt_key_file;
extern char *brop_database;
extern int	brop_block_interval;
extern int	brop_progress_interval;

/*
 * brop's catalog ids (plans.c): its schema and the types its statements'
 * parameters take; looked up once, and again after the extension is dropped
 * and made again. ERROR if the extension is not installed.
 */
typedef struct brop_ids
{
	Oid			nsp;
	Oid			did;			/* brop.did */
	Oid			digest;			/* brop.digest */
	Oid			key;			/* brop.key */
	Oid			owner;			/* brop.key's owner, the owner of brop's tables */
} brop_ids;
extern const brop_ids *brop_ids_get(void);
/* The owner of brop's tables, kept with brop's ids (plans.c); ERROR if brop.key is missing. */
extern Oid	brop_tables_owner(void);

/*
 * A statement prepared on first use into *plan and kept for the backend's
 * life (plans.c), until the extension is dropped: then every kept statement
 * is freed, and prepared again on its next use. Call inside SPI_connect().
 * In types, BROP_DID_TYPE and BROP_DIGEST_TYPE stand for brop.did and
 * brop.digest (no type has these OIDs). options: SPI_prepare_cursor's, e.g.
 * CURSOR_OPT_GENERIC_PLAN.
 */
#define BROP_DID_TYPE ((Oid) 1)
#define BROP_DIGEST_TYPE ((Oid) 2)
#define BROP_KEPT_MAX_ARGS 32
extern SPIPlanPtr brop_kept_plan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types, int options);
/* The kept statement in *plan, or NULL if it must be prepared (again) with brop_kept_plan. */
extern SPIPlanPtr brop_kept_plan_get(SPIPlanPtr *plan);
/* The same (spi_plan.c), options 0. */
extern SPIPlanPtr brop_spi_plan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types);
/* The same, always executed with its generic plan (spi_plan.c). */
extern SPIPlanPtr brop_spi_plan_generic(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types);

/*
 * Turn a core error code into ereport(ERROR) — the only place that does.
 * what names the object, e.g. "signature", "base64 input"; as_input says
 * the value came from a type's text input (SQLSTATE 22P02 for syntax).
 */
brop_noreturn extern void brop_pg_error(int rc, const char *what, bool as_input);

/* Raise unless rc is 0. */
static inline void
brop_pg_check(int rc, const char *what)
{
	if (unlikely(rc != 0))
		brop_pg_error(rc, what, false);
}

/*
 * The comparison functions of a type with a total order given by
 * cmp_internal(fcinfo) (<0, 0, >0): prefix_eq, _ne, _lt, _le, _gt, _ge, _cmp.
 */
#define BROP_COMPARISON_FUNCTIONS(prefix, cmp_internal) \
	BROP_COMPARISON_FN(prefix##_eq, cmp_internal, c == 0) \
	BROP_COMPARISON_FN(prefix##_ne, cmp_internal, c != 0) \
	BROP_COMPARISON_FN(prefix##_lt, cmp_internal, c < 0) \
	BROP_COMPARISON_FN(prefix##_le, cmp_internal, c <= 0) \
	BROP_COMPARISON_FN(prefix##_gt, cmp_internal, c > 0) \
	BROP_COMPARISON_FN(prefix##_ge, cmp_internal, c >= 0) \
	PG_FUNCTION_INFO_V1(prefix##_cmp); \
	Datum prefix##_cmp(PG_FUNCTION_ARGS) \
	{ \
		int			c = cmp_internal(fcinfo); \
		PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0)); \
	}

#define BROP_COMPARISON_FN(name, cmp_internal, expr) \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS) \
	{ \
		int			c = cmp_internal(fcinfo); \
		PG_RETURN_BOOL(expr); \
	}

/* The OID of type brop.name (owner.c). */
extern Oid brop_type_oid(const char *name);

/* Acting as the owner of brop's tables, and back (owner.c). */
typedef struct brop_owner_state
{
	Oid			saved_user;
	int			saved_context;
} brop_owner_state;
extern void brop_become_owner(brop_owner_state *st);
extern void brop_restore_user(brop_owner_state *st);
/* Acting as role (its rights, e.g. a registrant's on a keyring key), until brop_restore_user (owner.c). */
extern void brop_become_role(brop_owner_state *st, Oid role);

/* ---- caller input in messages ---- */

/*
 * Caller input quoted in an error message, bounded: at most
 * BROP_QUOTE_CHARS characters (whole characters of the database encoding),
 * then "..." if there was more. An input of any length (up to 1 GB) must not
 * make an error message, and every log line that repeats it, as long.
 */
#define BROP_QUOTE_CHARS 64

/* s[0..len) as an error message quotes it, palloc'd. */
static inline char *
brop_pg_quote(const char *s, size_t len)
{
	/* enough bytes for BROP_QUOTE_CHARS characters and one more */
	int			look = (int) Min(len, (size_t) (BROP_QUOTE_CHARS + 1) * MAX_MULTIBYTE_CHAR_LEN);
	int			cut = pg_mbcharcliplen(s, look, BROP_QUOTE_CHARS);

	if ((size_t) cut >= len)
		return pnstrdup(s, len);
	return psprintf("%.*s...", cut, s);
}

/* The same for a NUL-terminated string. */
static inline char *
brop_pg_quote_cstring(const char *s)
{
	return brop_pg_quote(s, strlen(s));
}


/* ---- the core's allocator ---- */

/*
 * The core's outputs in palloc'd memory of the current context: NULL (the
 * core's BROP_ENOMEM) when out of memory. brop_pg_bytea_allocator keeps
 * VARHDRSZ bytes before each block, so that brop_pg_as_bytea makes a bytea
 * of a core output without a copy.
 */
static inline void *
brop_pg_realloc(void *ctx, void *p, size_t n)
{
	size_t		pad = (size_t) (uintptr_t) ctx;
	char	   *q;

	if (n > MaxAllocSize - pad)
		return NULL;
	if (p == NULL)
		q = palloc_extended(n + pad, MCXT_ALLOC_NO_OOM);
	else
		q = repalloc((char *) p - pad, n + pad);
	return q == NULL ? NULL : q + pad;
}

static inline void
brop_pg_free(void *ctx, void *p)
{
	if (p != NULL)
		pfree((char *) p - (size_t) (uintptr_t) ctx);
}

static const brop_allocator brop_pg_allocator = {brop_pg_realloc, brop_pg_free, (void *) (uintptr_t) 0};
static const brop_allocator brop_pg_bytea_allocator = {brop_pg_realloc, brop_pg_free, (void *) (uintptr_t) VARHDRSZ};

/* A new bytea holding a copy of len bytes at p. */
static inline bytea *
brop_pg_bytea_from(const void *p, size_t len)
{
	bytea	   *b = (bytea *) palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), p, len);
	return b;
}

/* A text of len bytes that brop_pg_bytea_allocator made, as a bytea (or text). */
static inline bytea *
brop_pg_as_bytea(char *p, size_t len)
{
	bytea	   *b = (bytea *) (p - VARHDRSZ);

	SET_VARSIZE(b, VARHDRSZ + len);
	return b;
}


/* ---- the core's cancel callback ---- */

/*
 * The core's cancel callback (brop_cancel, brop_err.h) as the
 * glue answers it: a query cancel or a termination is pending. When the core
 * returned BROP_ECANCELED, it has freed its memory: brop_pg_raise_cancel
 * then processes the interrupt (57014, or 57P01 for a termination).
 */
static inline int
brop_pg_cancel_requested(void *arg)
{
	return QueryCancelPending || ProcDiePending;
}

static const brop_cancel brop_pg_cancel = {brop_pg_cancel_requested, NULL};

static inline void
brop_pg_raise_cancel(void)
{
	CHECK_FOR_INTERRUPTS();
	/* the interrupt was held off: still no result */
	ereport(ERROR,
			(errcode(ERRCODE_QUERY_CANCELED),
			 errmsg("canceling statement due to user request")));
}


/* ---- progress of long work (progress.c; docs/operations.md, "Progress of long work") ---- */

/* pg_stat_activity.query is updated every this many items, whatever brop.progress_interval says */
#define BROP_PROGRESS_ACTIVITY_STEP 10000

typedef struct brop_progress
{
	const char *what;			/* "verify_ledger", "seal" */
	const char *unit;			/* "entries" */
	const char *verb;			/* "checked", "sealed" */
	int			elevel;			/* NOTICE, or LOG in a background worker */
	bool		loud;			/* messages: the total reaches brop.progress_interval */
	int			interval;		/* brop.progress_interval when the total was known */
	int64		total;			/* -1 until known */
	int64		done;
	int64		next_due;		/* done at which the next report falls */
	int64		next_message;	/* done at which the next message falls, when loud */
	TimestampTz begun;			/* brop_progress_begin */
	TimestampTz started;		/* brop_progress_total: the rate counts from here */
	char		phase[160];
	char	   *saved_activity; /* pg_stat_activity.query before, or NULL */
	int			saved_state;
	uint64		saved_query_id;
	bool		armed;			/* saved_activity is still to be put back */
	MemoryContextCallback callback;
} brop_progress;

/*
 * Progress of what (in CurrentMemoryContext; pg_stat_activity.query is
 * put back when it is reset or deleted, if brop_progress_end was not
 * called): counting unit items, each verb when counted. Silent until
 * brop_progress_total.
 */
extern brop_progress *brop_progress_begin(const char *what, const char *unit, const char *verb);
/* The total is known (counting starts at 0): messages if it reaches brop.progress_interval. */
extern void brop_progress_total(brop_progress *p, int64 total);
/* A phase starts: pg_stat_activity, and a message when loud ("<what>: <phase>"). */
extern void brop_progress_phase(brop_progress *p, const char *fmt,...) pg_attribute_printf(2, 3);
/* A report is due (brop_progress_count calls it). */
extern void brop_progress_report(brop_progress *p);
/* The end: a last message when loud and fmt is not NULL; pg_stat_activity put back. */
extern void brop_progress_end(brop_progress *p, const char *fmt,...) pg_attribute_printf(2, 3);

/* n more items done. */
static inline void
brop_progress_count(brop_progress *p, int64 n)
{
	p->done += n;
	if (unlikely(p->done >= p->next_due))
		brop_progress_report(p);
}


#endif /* BROP_PG_H */
