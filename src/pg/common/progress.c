/*
 * progress.c — progress of long work (verify_ledger, a seal of a large
 * backlog), reported two ways (docs/operations.md, "Progress of long work"):
 *
 * - messages, when the work counts at least brop.progress_interval items:
 *   one when each phase starts and one every brop.progress_interval items,
 *   at NOTICE for a caller's function (a client shows them; a DBA silences
 *   them with client_min_messages) and at LOG in a background worker (the
 *   sealer); the primary text holds counts only, the detail the time, the
 *   rate and an estimate;
 * - pg_stat_activity.query of the backend, for a second session to watch
 *   (PostgreSQL 15 lets no extension add a pg_stat_progress_* view: its
 *   commands are a fixed enum): "brop: <what>: <phase>" at each phase and
 *   every BROP_PROGRESS_ACTIVITY_STEP items, whatever the size; the text it
 *   replaced (the caller's query, or the sealer's "brop: sealing") is put
 *   back at the end, also when the work fails (a reset callback of the
 *   memory context the progress lives in).
 *
 * Counting is an increment and a compare (brop_progress_count, inline):
 * nothing is done per item until a report is due.
 */
#include "postgres.h"

#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "utils/backend_status.h"

#include "common/brop_pg.h"

/* pg_stat_activity.query, restored */
static void
restore_activity(brop_progress *p)
{
	if (!p->armed)
		return;
	p->armed = false;
	if (p->saved_activity != NULL)
	{
		pgstat_report_activity(p->saved_state, p->saved_activity);
		pgstat_report_query_id(p->saved_query_id, true);
	}
}

static void
progress_reset_callback(void *arg)
{
	restore_activity((brop_progress *) arg);
}

static void
set_activity(brop_progress *p)
{
	char		text[256];

	if (!p->armed || p->saved_activity == NULL)
		return;
	if (p->total > 0)
		snprintf(text, sizeof text, "brop: %s: %s, " INT64_FORMAT " of " INT64_FORMAT " %s %s (%d%%)",
				 p->what, p->phase, p->done, p->total, p->unit, p->verb,
				 (int) Min(100, p->done * 100 / p->total));
	else
		snprintf(text, sizeof text, "brop: %s: %s", p->what, p->phase);
	pgstat_report_activity(p->saved_state, text);
}

brop_progress *
brop_progress_begin(const char *what, const char *unit, const char *verb)
{
	brop_progress *p = palloc0(sizeof(brop_progress));

	p->what = what;
	p->unit = unit;
	p->verb = verb;
	p->elevel = brop_is_background_worker() ? LOG : NOTICE;
	p->total = -1;
	p->begun = p->started = GetCurrentTimestamp();
	strlcpy(p->phase, "starting", sizeof p->phase);
	p->next_due = PG_INT64_MAX;
	if (MyBEEntry != NULL && pgstat_track_activities)
	{
		p->saved_activity = pstrdup(MyBEEntry->st_activity_raw);
		p->saved_state = MyBEEntry->st_state;
		p->saved_query_id = MyBEEntry->st_query_id;
	}
	p->armed = true;
	p->callback.func = progress_reset_callback;
	p->callback.arg = p;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &p->callback);
	return p;
}

/* Where the next report falls after done. */
static void
schedule(brop_progress *p)
{
	int64		next = (p->done / BROP_PROGRESS_ACTIVITY_STEP + 1) * BROP_PROGRESS_ACTIVITY_STEP;

	if (p->loud)
	{
		p->next_message = (p->done / p->interval + 1) * p->interval;
		next = Min(next, p->next_message);
	}
	p->next_due = next;
}

void
brop_progress_total(brop_progress *p, int64 total)
{
	p->total = total;
	p->done = 0;
	p->started = GetCurrentTimestamp();
	p->interval = brop_progress_interval;
	p->loud = p->interval > 0 && total >= p->interval;
	schedule(p);
}

/*
 * "N left; 12.3 s so far at 8130 entries/s, about 140 s to go." (counted
 * from brop_progress_total), or at the end "In 14.1 s, 8200 entries/s."
 * (from brop_progress_begin: a seal's taking of its entries included).
 */
static char *
timing_detail(brop_progress *p, bool to_go)
{
	long		secs;
	int			usecs;
	double		elapsed,
				rate;

	TimestampDifference(to_go ? p->started : p->begun, GetCurrentTimestamp(), &secs, &usecs);
	elapsed = secs + usecs / 1e6;
	rate = elapsed > 0 ? p->done / elapsed : 0;
	if (!to_go)
		return psprintf("In %.1f s, %.0f %s/s.", elapsed, rate, p->unit);
	if (p->total > p->done && rate > 0)
		return psprintf(INT64_FORMAT " left; %.1f s so far at %.0f %s/s, about %.0f s to go.",
						p->total - p->done, elapsed, rate, p->unit, (p->total - p->done) / rate);
	return psprintf("%.1f s so far at %.0f %s/s.", elapsed, rate, p->unit);
}

void
brop_progress_phase(brop_progress *p, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(p->phase, sizeof p->phase, fmt, ap);
	va_end(ap);
	set_activity(p);
	if (p->loud)
		ereport(p->elevel, (errmsg_internal("%s: %s", p->what, p->phase)));
}

void
brop_progress_report(brop_progress *p)
{
	if (p->loud && p->done >= p->next_message)
	{
		char	   *detail = timing_detail(p, true);

		if (p->total >= 0)
			ereport(p->elevel,
					(errmsg_internal("%s: " INT64_FORMAT " of " INT64_FORMAT " %s %s",
									 p->what, p->done, p->total, p->unit, p->verb),
					 errdetail_internal("%s", detail)));
		else
			ereport(p->elevel,
					(errmsg_internal("%s: " INT64_FORMAT " %s %s", p->what, p->done, p->unit, p->verb),
					 errdetail_internal("%s", detail)));
		pfree(detail);
	}
	set_activity(p);
	schedule(p);
}

void
brop_progress_end(brop_progress *p, const char *fmt,...)
{
	if (fmt != NULL && p->loud)
	{
		char		msg[256];
		char	   *detail = timing_detail(p, false);
		va_list		ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		ereport(p->elevel, (errmsg_internal("%s: %s", p->what, msg), errdetail_internal("%s", detail)));
		pfree(detail);
	}
	restore_activity(p);
}
