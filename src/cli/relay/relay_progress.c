/*
 * relay_progress.c — the relay's catch-up progress on stderr (docs/cli.md,
 * "Relay progress"): while the relay is behind the source, a line every
 * --progress seconds (default 10) with the source's WAL position, how far
 * the relay has read, the position it has confirmed, the bytes behind,
 * entries/s and an estimate; one line when it has caught up; nothing while it keeps up.
 *
 * The bytes behind: from how far the relay has got (what it has read from
 * the stream, or confirmed, whichever is further) to the source's
 * position; the estimate, at the pace that moved since the line before.
 *
 * Behind and caught up: the source's position is its flushed WAL
 * (IDENTIFY_SYSTEM when the relay connects, then pg_current_wal_flush_lsn()
 * on a plain connection at each tick). The relay has caught up when its
 * stream has passed the position last read with nothing waiting for the
 * ledger; it has fallen behind again when, at a tick, its stream has not
 * reached the position read at the tick before (what the source had
 * written a whole interval ago).
 *
 * Calls only relay_util.c; cmd_relay.c calls it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "relay/relay.h"

/* Nothing received waits for the ledger, whose position is a whole transaction. */
static bool
nothing_in_flight(const relay *r)
{
	return r->nbatch == 0 && !r->in_txn && r->held_changes < 0;
}

/* The source's flushed WAL position, on a plain connection of its own; false if unknown. */
static bool
read_source_end(relay *r, lsn_t *end)
{
	const char *keys[3] = {"dbname", "fallback_application_name", NULL};
	const char *values[3] = {r->source_conninfo, RELAY_APPLICATION_NAME, NULL};
	PGresult   *res;
	bool		ok;

	if (r->progress_conn == NULL)
	{
		r->progress_conn = PQconnectdbParams(keys, values, 1);
		if (PQstatus(r->progress_conn) != CONNECTION_OK)
		{
			if (!r->progress_warned)
				report_error("progress: could not read the source's WAL position", r->progress_conn, NULL);
			r->progress_warned = true;
			PQfinish(r->progress_conn);
			r->progress_conn = NULL;
			return false;
		}
	}
	res = PQexec(r->progress_conn, "SELECT pg_catalog.pg_current_wal_flush_lsn()");
	ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && parse_lsn(PQgetvalue(res, 0, 0), end);
	if (!ok)
	{
		if (!r->progress_warned)
			report_error("progress: could not read the source's WAL position", r->progress_conn, res);
		r->progress_warned = true;
		PQfinish(r->progress_conn);
		r->progress_conn = NULL;
	}
	PQclear(res);
	return ok;
}

/*
 * How far the relay has got in the source's WAL: what it has read from the
 * stream (appended as it goes, in batches; a large transaction's changes
 * come at its commit, each with its own position), or what it has confirmed.
 */
static lsn_t
reached(const relay *r)
{
	return r->received > r->confirmed ? r->received : r->confirmed;
}

static void
progress_line(relay *r, double t)
{
	char		a[32],
				b[32],
				c[32],
				eta[96];
	lsn_t		at = reached(r);
	lsn_t		behind = r->source_end > at ? r->source_end - at : 0;
	double		dt = t - r->progress_at;
	double		entries = dt > 0 ? (r->appended - r->progress_appended) / dt : 0;
	double		bytes = dt > 0 && at > r->progress_reached ? (at - r->progress_reached) / dt : 0;

	if (r->progress_at == 0)	/* the first line: no rate yet */
		eta[0] = '\0';
	else if (bytes > 0)
		snprintf(eta, sizeof eta, ", %.0f entries/s, about %.0f s to go", entries, behind / bytes);
	else
		snprintf(eta, sizeof eta, ", %.0f entries/s, no estimate yet", entries);
	say("catching up: source at %s, read %s, confirmed %s, %" PRIu64 " bytes behind%s",
		lsn_text(a, r->source_end), lsn_text(c, at), lsn_text(b, r->confirmed), (uint64_t) behind, eta);
}

static void
mark(relay *r, double t)
{
	r->progress_at = t;
	r->progress_appended = r->appended;
	r->progress_reached = reached(r);
}

/* Connected, at source_end: behind if the slot has not confirmed it. */
void
relay_progress_start(relay *r, lsn_t source_end)
{
	double		t = now_seconds();

	r->source_end = source_end;
	r->progress_prev_end = source_end;
	r->catching_up = false;
	if (r->progress_interval <= 0 || source_end <= r->confirmed)
		return;
	r->catching_up = true;
	r->catchup_started = t;
	r->catchup_appended = r->appended;
	r->progress_at = 0;
	progress_line(r, t);
	mark(r, t);
}

/* Caught up: one line, then silence. */
static void
caught_up(relay *r)
{
	char		a[32];

	say("caught up with the source at %s: %" PRIu64 " entries appended in %.1f s",
		lsn_text(a, r->received > r->source_end ? r->received : r->source_end),
		r->appended - r->catchup_appended, now_seconds() - r->catchup_started);
	r->catching_up = false;
}

void
relay_progress(relay *r)
{
	double		t;
	lsn_t		end;

	if (r->progress_interval <= 0)
		return;
	if (r->catching_up && nothing_in_flight(r) && r->received >= r->source_end)
		caught_up(r);
	t = now_seconds();
	if (t - r->progress_at < r->progress_interval)
		return;
	if (read_source_end(r, &end) && end > r->source_end)
		r->source_end = end;
	if (!r->catching_up && r->received < r->progress_prev_end)
	{
		/* what the source had written an interval ago is not through: behind again */
		r->catching_up = true;
		r->catchup_started = t;
		r->catchup_appended = r->appended;
	}
	if (r->catching_up)
		progress_line(r, t);
	r->progress_prev_end = r->source_end;
	mark(r, t);
	/* a keepalive in reply carries how far the source has decoded */
	if (nothing_in_flight(r) && r->source != NULL)
		(void) send_feedback(r, true);
}

/* The stream stops (--once caught up, a signal, a failure). */
void
relay_progress_stop(relay *r, bool done)
{
	if (done && r->catching_up)
		caught_up(r);
	r->catching_up = false;
	if (r->progress_conn != NULL)
		PQfinish(r->progress_conn);
	r->progress_conn = NULL;
}
