/*
 * cmd_relay.c — brop relay: a source database's registered changes, decoded
 * by the brop output plugin from a replication slot, signed in batches with
 * the institution's key and appended to a ledger in another database, each
 * change exactly once (docs/registration.md, "Path 2").
 *
 * Exactly once: brop.submit_batch appends a batch and moves the source's
 * position on the ledger (the end LSN of the last source transaction applied,
 * and how many of its changes when not all) in one transaction, and only if
 * the batch follows the position the ledger holds. The relay reads that
 * position when it (re)connects, skips what it covers, and confirms a flush
 * to the source only up to what the ledger has committed, so the slot keeps
 * everything not yet on the ledger; with nothing in flight, it confirms the
 * positions of the source's keepalives, so that WAL with nothing registered
 * (other tables, other databases) is not kept for it. Any failure drops both
 * connections and starts again from the ledger's position, after a pause
 * that doubles from 0.5 s to 30 s until an attempt gets something onto the
 * ledger.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "relay/relay.h"

static const char relay_usage[] =
"Usage: brop relay --source CONNINFO --slot NAME --ledger CONNINFO --key FILE [OPTIONS]\n"
"\n"
"Stream the registered changes of a source database from a logical\n"
"replication slot made with the brop output plugin, sign them in batches\n"
"with the key file, and append them to the ledger database, exactly once.\n"
"Stops cleanly on SIGINT or SIGTERM; ignores SIGHUP. Connects as\n"
"application_name \"brop relay\" to the source and \"brop relay NAME\" to the\n"
"ledger, unless the connection strings say otherwise.\n"
"\n"
"  -s, --source CONNINFO      the source database (the slot's)\n"
"  -S, --slot NAME            the replication slot (plugin brop)\n"
"  -l, --ledger CONNINFO      the ledger database\n"
"  -k, --key FILE             the organisation's key file (JSON Web Key)\n"
"  -n, --name NAME            the source's name on the ledger (default: the slot's)\n"
"  -r, --registrations FILE   registrations for a source without the extension\n"
"                             (JSON array, as the plugin's \"registrations\" option);\n"
"                             their registration entries are appended once\n"
"  -b, --batch N              entries per signed batch at most (default 1000)\n"
"  -w, --wait MS              longest wait for more changes before a batch is\n"
"                             sent (default 50)\n"
"  -i, --status-interval S    seconds between status lines (default 0: none)\n"
"  -p, --progress S           while behind the source, seconds between catch-up\n"
"                             lines, then one line when caught up (default 10;\n"
"                             0: none)\n"
"      --once                 stop when the source has nothing more to send\n"
"\n"
"Exit codes:\n"
"  0  success: stopped by a signal, or --once caught up\n"
"  2  bad command line\n"
"  3  malformed input or key file (the key file, the registrations, a line\n"
"     of the plugin)\n"
"  4  a file could not be read; --once: the source or the ledger could not\n"
"     be reached in 5 attempts\n"
"  5  refused for good: by the ledger (organisation not active, a signature\n"
"     refused), or by the source (no such slot, a slot of another plugin, bad\n"
"     plugin options; with --once also the plugin refusing a change, as for a\n"
"     registered table without REPLICA IDENTITY FULL)\n";

/* what stream() ends with */
#define STREAM_STOPPED 0		/* a signal, or --once caught up */
#define STREAM_FAILED (-1)		/* a connection failed: retry */
#define STREAM_REFUSED (-2)		/* the source refused (the plugin's error): retrying needs a fix there */

/* the pause between attempts: doubles up to this, in seconds */
#define BACKOFF_FIRST 0.5
#define BACKOFF_MAX 30.0
/* --once gives up after this many attempts without progress */
#define ONCE_ATTEMPTS 5

static volatile sig_atomic_t stop_requested = 0;

static void
on_signal(int sig)
{
	(void) sig;
	stop_requested = 1;
}

/* ---- connections ---------------------------------------------------------------- */

static void
disconnect(relay *r)
{
	if (r->source)
		PQfinish(r->source);
	if (r->ledger)
		PQfinish(r->ledger);
	r->source = r->ledger = NULL;
}

/* The slot of chain in the batch's set: its own, or the empty one where it would go. */
static size_t
batch_chain_slot(const relay *r, const char *chain)
{
	size_t		i = relay_str_hash(chain) & (r->batch_chains_cap - 1);

	while (r->batch_chains[i] != NULL && strcmp(r->batch_chains[i], chain) != 0)
		i = (i + 1) & (r->batch_chains_cap - 1);
	return i;
}

static char *
quote_option(PGconn *conn, const char *s)
{
	char	   *q = PQescapeLiteral(conn, s, strlen(s));

	if (q == NULL)
		cli_die(EXIT_IO, "out of memory");
	return q;
}

/* The slot must exist and be of the brop plugin; false to retry (the source failed). */
static bool
check_slot(relay *r)
{
	/* a replication connection takes simple queries only */
	char	   *slot = quote_option(r->source, r->slot);
	char		sql[256];
	PGresult   *res;

	snprintf(sql, sizeof sql, "SELECT plugin, slot_type, confirmed_flush_lsn FROM pg_catalog.pg_replication_slots"
			 " WHERE slot_name = %s", slot);
	PQfreemem(slot);
	res = PQexec(r->source, sql);

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		report_error("could not read the slot at the source", r->source, res);
		PQclear(res);
		return false;
	}
	if (PQntuples(res) == 0)
		cli_die(EXIT_REFUSED, "replication slot \"%s\" does not exist at the source; make it with"
				" SELECT pg_create_logical_replication_slot('%s', 'brop')", r->slot, r->slot);
	if (strcmp(PQgetvalue(res, 0, 1), "logical") != 0 || strcmp(PQgetvalue(res, 0, 0), "brop") != 0)
		cli_die(EXIT_REFUSED, "replication slot \"%s\" is not a logical slot of plugin brop (its plugin: %s)",
				r->slot, PQgetisnull(res, 0, 0) ? "none" : PQgetvalue(res, 0, 0));
	/* what the slot has confirmed already: never confirmed again backwards */
	if (PQgetisnull(res, 0, 2) || !parse_lsn(PQgetvalue(res, 0, 2), &r->slot_confirmed))
		r->slot_confirmed = 0;
	PQclear(res);
	return true;
}

/* Both connections and the stream, from the ledger's position; false on failure. */
static bool
connect_all(relay *r)
{
	const char *keys[4] = {"dbname", "replication", "fallback_application_name", NULL};
	const char *values[4] = {r->source_conninfo, "database", RELAY_APPLICATION_NAME, NULL};
	const char *lkeys[3] = {"dbname", "fallback_application_name", NULL};
	char		lname[64];		/* "brop relay <source>": brop.status finds the relay by it */
	const char *lvalues[3] = {r->ledger_conninfo, lname, NULL};
	char	   *org,
			   *regs = NULL;
	char	   *sql;
	size_t		len;
	PGresult   *res;

	snprintf(lname, sizeof lname, "%s %s", RELAY_APPLICATION_NAME, r->name);
	r->ledger = PQconnectdbParams(lkeys, lvalues, 1);
	if (PQstatus(r->ledger) != CONNECTION_OK)
	{
		report_error("could not connect to the ledger", r->ledger, NULL);
		return false;
	}
	if (!read_position(r))
		return false;
	if (r->registrations && !announce_registrations(r))
		return false;

	r->source = PQconnectdbParams(keys, values, 1);
	if (PQstatus(r->source) != CONNECTION_OK)
	{
		report_error("could not connect to the source", r->source, NULL);
		return false;
	}
	if (!check_slot(r))
		return false;
	/* --once: what the source has written by now is what must reach the ledger; progress: how far */
	res = PQexec(r->source, "IDENTIFY_SYSTEM");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
		!parse_lsn(PQgetvalue(res, 0, 2), &r->once_target))
	{
		report_error("could not identify the source", r->source, res);
		PQclear(res);
		return false;
	}
	PQclear(res);
	org = quote_option(r->source, r->key.did);
	if (r->registrations)
		regs = quote_option(r->source, r->registrations);
	len = strlen(r->slot) + strlen(org) + (regs ? strlen(regs) : 0) + 96;
	sql = malloc(len);
	if (sql == NULL)
		cli_die(EXIT_IO, "out of memory");
	snprintf(sql, len, "START_REPLICATION SLOT \"%s\" LOGICAL 0/0 (\"org\" %s%s%s)", r->slot, org,
			 regs ? ", \"registrations\" " : "", regs ? regs : "");
	PQfreemem(org);
	if (regs)
		PQfreemem(regs);
	res = PQexec(r->source, sql);
	free(sql);
	if (PQresultStatus(res) != PGRES_COPY_BOTH)
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		report_error("could not start streaming from the source", r->source, res);
		/* a bad option or registration: retrying cannot mend it */
		if (state && (strncmp(state, "22", 2) == 0 || strncmp(state, "42", 2) == 0))
			exit(EXIT_REFUSED);
		/* a missing salt key, no logical decoding: mended at the source */
		if (r->once && state && strcmp(state, "55000") == 0)
			exit(EXIT_REFUSED);
		PQclear(res);
		return false;
	}
	PQclear(res);
	r->in_txn = false;
	r->through_lsn = r->held_lsn;
	r->through_changes = r->held_changes;
	/* the slot's confirmation stands; the ledger may hold a whole transaction beyond it */
	r->confirmed = r->slot_confirmed;
	if (r->held_changes < 0 && r->held_lsn > r->confirmed)
		r->confirmed = r->held_lsn;
	r->last_data = now_seconds();
	r->received = 0;
	return true;
}

/* ---- the replication protocol ---------------------------------------------------- */

/* The entry a truncate line stands for: the end of every row of a registration. */
static json_t *
truncate_entry(relay *r, json_t *line)
{
	json_t	   *h = json_pack("{s:s, s:O}", "op", "truncate", "registration", json_object_get(line, "registration"));
	char	   *htext = json_dumps(h, JSON_COMPACT),
			   *canon;
	size_t		canonlen,
				n;
	unsigned char digest[32];
	char		hex[65],
				nonce[64];
	lsn_t		lsn = 0;
	json_t	   *e;

	if (!parse_lsn(json_string_value(json_object_get(line, "lsn")), &lsn) ||
		brop_jcs_canonicalize(&canon, &canonlen, htext, strlen(htext), NULL, NULL) != 0 ||
		brop_sha256(digest, (unsigned char *) canon, canonlen) != 0 ||
		brop_hex_encode(hex, sizeof hex, &n, digest, 32) != 0)
		cli_die(EXIT_INPUT, "the plugin sent a malformed truncate line");
	hex[64] = '\0';
	snprintf(nonce, sizeof nonce, "truncate-%" PRIu64, lsn);
	e = json_pack("{s:s, s:O, s:s, s:s, s:s}", "kind", "registration", "header", h, "nonce", nonce,
				  "org", r->key.did, "payload_digest", hex);
	free(canon);
	free(htext);
	json_decref(h);
	return e;
}

/* Adds one change of the current transaction to the batch (unless the ledger has it). */
static int
add_change(relay *r, json_t *entry)
{
	json_t	   *org = json_object_get(entry, "org");
	const char *chain;

	r->txn_changes++;
	if (r->txn_end < r->held_lsn ||
		(r->txn_end == r->held_lsn && (r->held_changes < 0 || r->txn_changes <= r->held_changes)))
	{
		json_decref(entry);		/* applied before a restart */
		return 0;
	}
	if (org == NULL || !json_is_string(org) || strcmp(json_string_value(org), r->key.did) != 0)
		cli_die(EXIT_REFUSED, "the plugin sent an entry of another organisation than the key's (%s)", r->key.did);
	chain = json_string_value(json_object_get(entry, "chain_key"));
	/* a chain twice in one batch: its prev_digest needs the first one's digest */
	if (chain && r->batch_chains[batch_chain_slot(r, chain)] != NULL)
	{
		r->txn_changes--;
		if (flush_batch(r) != 0)
			return -1;
		r->txn_changes++;
	}
	if (chain)
		r->batch_chains[batch_chain_slot(r, chain)] = chain;
	if (r->nbatch == 0)
		r->batch_started = now_seconds();
	r->batch[r->nbatch].entry = entry;
	r->batch[r->nbatch].chain_key = chain;
	r->nbatch++;
	r->through_lsn = r->txn_end;
	r->through_changes = r->txn_changes;
	if (r->nbatch >= r->batch_max)
		return flush_batch(r);
	return 0;
}

/* One line of the plugin. Returns 0, or -1 to reconnect. */
static int
handle_line(relay *r, const char *data, size_t len)
{
	json_error_t jerr;
	json_t	   *line = json_loadb(data, len, 0, &jerr);
	const char *type;

	if (line == NULL || !json_is_object(line))
		cli_die(EXIT_INPUT, "the source sent a line that is not a JSON object (is slot \"%s\" made with plugin brop?)",
				r->slot);
	type = json_string_value(json_object_get(line, "type"));
	if (type == NULL)
	{
		if (!r->in_txn)
			cli_die(EXIT_INPUT, "the plugin sent an entry outside a transaction");
		return add_change(r, line);
	}
	if (strcmp(type, "begin") == 0)
	{
		if (!parse_lsn(json_string_value(json_object_get(line, "end_lsn")), &r->txn_end))
			cli_die(EXIT_INPUT, "the plugin sent a begin line without end_lsn");
		r->in_txn = true;
		r->txn_changes = 0;
	}
	else if (strcmp(type, "truncate") == 0)
	{
		json_t	   *e = truncate_entry(r, line);

		json_decref(line);
		return add_change(r, e);
	}
	else if (strcmp(type, "commit") == 0)
	{
		r->in_txn = false;
		if (r->txn_end < r->held_lsn || (r->txn_end == r->held_lsn && r->held_changes < 0))
		{
			json_decref(line);	/* the ledger has all of it */
			return 0;
		}
		r->through_lsn = r->txn_end;
		r->through_changes = -1;
		if (r->nbatch == 0)
		{
			/* every change was applied before a restart: just complete the position */
			json_decref(line);
			return flush_batch(r);
		}
	}
	else if (strcmp(type, "position") == 0)
	{
		lsn_t		p;

		if (parse_lsn(json_string_value(json_object_get(line, "end_lsn")), &p) && r->nbatch == 0 && !r->in_txn)
			r->idle_position = p;
	}
	json_decref(line);
	return 0;
}

/* ---- status ---------------------------------------------------------------------- */

static void
status_line(relay *r, bool force)
{
	double		t = now_seconds();
	char		a[32],
				b[32];
	double		rate;

	if (!force && (r->status_interval <= 0 || t - r->last_status < r->status_interval))
		return;
	rate = r->last_status > 0 ? (r->appended - r->appended_at_status) / (t - r->last_status) : 0;
	say("source %s at %s, ledger at %s%s, lag %" PRIu64 " bytes, %" PRIu64 " entries in %" PRIu64
		" batches, %.0f entries/s",
		r->name, lsn_text(a, r->received), lsn_text(b, r->held_lsn), r->held_changes >= 0 ? " (partly)" : "",
		r->received > r->held_lsn ? r->received - r->held_lsn : 0, r->appended, r->batches, rate);
	r->last_status = t;
	r->appended_at_status = r->appended;
}

/* ---- the stream ------------------------------------------------------------------- */

/*
 * The source's error ending a stream: the plugin refusing a change (a
 * registered table without REPLICA IDENTITY FULL: 55000; a registration's
 * table missing: 42P01; a value it cannot digest: 22xxx), which only a fix at
 * the source mends; anything else (no SQLSTATE: the connection; 57P01: a
 * shutdown) is a failure worth retrying.
 */
static bool
source_refusal(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return state != NULL && (strncmp(state, "22", 2) == 0 || strncmp(state, "42", 2) == 0 ||
							 strcmp(state, "55000") == 0);
}

/* Streams until STREAM_STOPPED, STREAM_FAILED or STREAM_REFUSED. */
static int
stream(relay *r)
{
	int			sock = PQsocket(r->source);

	for (;;)
	{
		char	   *buf = NULL;
		int			n;

		if (stop_requested)
			return STREAM_STOPPED;
		relay_progress(r);
		n = PQgetCopyData(r->source, &buf, 1);
		if (n == 0)
		{
			fd_set		fds;
			struct timeval tv;
			double		t = now_seconds();
			int			wait_ms = 1000;

			/* nothing to read: send what waits, keep the source informed */
			if (r->nbatch > 0 && !r->in_txn && (t - r->batch_started) * 1000 >= r->wait_ms)
			{
				if (flush_batch(r) != 0)
					return STREAM_FAILED;
				continue;
			}
			if (r->nbatch > 0 && !r->in_txn)
				wait_ms = r->wait_ms;
			if (r->nbatch == 0 && !r->in_txn && r->idle_position > r->confirmed &&
				r->held_changes < 0)
			{
				r->confirmed = r->idle_position;
				if (!send_feedback(r, false))
					return STREAM_FAILED;
			}
			if (r->once && r->nbatch == 0 && !r->in_txn && r->held_changes < 0)
			{
				/* decoded past the target with nothing pending: all of it is on the ledger */
				if (r->received >= r->once_target && t - r->last_data > 0.2)
				{
					relay_progress_stop(r, true);
					stop_requested = 1;
					continue;
				}
				/* ask for a keepalive, which carries how far decoding has gone */
				if (t - r->last_feedback > 0.5 && !send_feedback(r, true))
					return STREAM_FAILED;
			}
			if (t - r->last_feedback > 10 && !send_feedback(r, false))
				return STREAM_FAILED;
			status_line(r, false);
			FD_ZERO(&fds);
			FD_SET(sock, &fds);
			tv.tv_sec = 0;
			tv.tv_usec = wait_ms * 1000;
			if (select(sock + 1, &fds, NULL, NULL, &tv) < 0 && errno != EINTR)
			{
				say("select failed: %s", strerror(errno));
				return STREAM_FAILED;
			}
			if (PQconsumeInput(r->source) == 0)
			{
				report_error("the source connection failed", r->source, NULL);
				return STREAM_FAILED;
			}
			continue;
		}
		if (n == -1)
		{
			PGresult   *res = PQgetResult(r->source);
			bool		refused = source_refusal(res);

			report_error("the source ended the stream", r->source, res);
			PQclear(res);
			return refused ? STREAM_REFUSED : STREAM_FAILED;
		}
		if (n < -1)
		{
			report_error("could not read from the source", r->source, NULL);
			return STREAM_FAILED;
		}
		if (buf[0] == 'k' && n >= 18)
		{
			lsn_t		end = get_u64(buf + 1);
			bool		advanced = false;

			if (end > r->received)
				r->received = end;

			/*
			 * A keepalive's position is as far as the source has decoded:
			 * every transaction that commits before it was sent before it.
			 * With nothing in flight (nothing received waits for the ledger,
			 * and the ledger's position is a whole transaction), each of
			 * those is on the ledger or had nothing registered, so the
			 * position may be confirmed, as pg_recvlogical does; a
			 * transaction still open there commits after it and is decoded
			 * again from the slot's restart point if the relay restarts.
			 */
			if (end > r->confirmed && r->nbatch == 0 && !r->in_txn && r->held_changes < 0)
			{
				r->confirmed = end;
				advanced = true;
			}
			if ((buf[17] || advanced) && !send_feedback(r, false))
			{
				PQfreemem(buf);
				return STREAM_FAILED;
			}
		}
		else if (buf[0] == 'w' && n >= 25)
		{
			lsn_t		end = get_u64(buf + 9);
			int			rc;

			if (end > r->received)
				r->received = end;
			r->last_data = now_seconds();
			rc = handle_line(r, buf + 25, (size_t) n - 25);
			if (rc != 0)
			{
				PQfreemem(buf);
				return STREAM_FAILED;
			}
		}
		PQfreemem(buf);
	}
}

int
cmd_relay(int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"slot", required_argument, NULL, 'S'},
		{"ledger", required_argument, NULL, 'l'},
		{"key", required_argument, NULL, 'k'},
		{"name", required_argument, NULL, 'n'},
		{"registrations", required_argument, NULL, 'r'},
		{"batch", required_argument, NULL, 'b'},
		{"wait", required_argument, NULL, 'w'},
		{"status-interval", required_argument, NULL, 'i'},
		{"progress", required_argument, NULL, 'p'},
		{"once", no_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	relay		r;
	const char *keypath = NULL,
			   *regpath = NULL;
	int			c;
	double		backoff = BACKOFF_FIRST;
	int			failures = 0;
	struct sigaction sa;

	memset(&r, 0, sizeof r);
	r.batch_max = 1000;
	r.wait_ms = 50;
	r.progress_interval = 10;
	while ((c = getopt_long(argc, argv, "s:S:l:k:n:r:b:w:i:p:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 's':
				r.source_conninfo = optarg;
				break;
			case 'S':
				r.slot = optarg;
				break;
			case 'l':
				r.ledger_conninfo = optarg;
				break;
			case 'k':
				keypath = optarg;
				break;
			case 'n':
				r.name = optarg;
				break;
			case 'r':
				regpath = optarg;
				break;
			case 'b':
				r.batch_max = atoi(optarg);
				if (r.batch_max < 1 || r.batch_max > 100000)
					cli_die(EXIT_USAGE, "--batch is 1 to 100000");
				break;
			case 'w':
				r.wait_ms = atoi(optarg);
				if (r.wait_ms < 0 || r.wait_ms > 60000)
					cli_die(EXIT_USAGE, "--wait is 0 to 60000 ms");
				break;
			case 'i':
				r.status_interval = atoi(optarg);
				break;
			case 'p':
				r.progress_interval = atoi(optarg);
				if (r.progress_interval < 0 || r.progress_interval > 86400)
					cli_die(EXIT_USAGE, "--progress is 0 to 86400 s");
				break;
			case 'o':
				r.once = true;
				break;
			case 'h':
				fputs(relay_usage, stdout);
				return EXIT_OK;
			default:
				fputs(relay_usage, stderr);
				return EXIT_USAGE;
		}
	}
	if (optind < argc || !r.source_conninfo || !r.slot || !r.ledger_conninfo || !keypath)
	{
		fputs(relay_usage, stderr);
		return EXIT_USAGE;
	}
	for (const char *p = r.slot; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') && *p != '_')
			cli_die(EXIT_USAGE, "invalid slot name \"%s\": lower-case letters, digits and _", r.slot);
	if (r.name == NULL)
		r.name = r.slot;
	cli_key_load(&r.key, keypath);
	if (r.key.alg == BROP_ALG_X25519)
		cli_die(EXIT_INPUT, "an x25519 key cannot sign entries");
	if (regpath)
	{
		size_t		len;
		unsigned char *text = cli_read_all(regpath, &len);
		json_error_t jerr;
		json_t	   *regs = json_loadb((const char *) text, len, 0, &jerr);

		if (regs == NULL || !json_is_array(regs) || json_array_size(regs) == 0)
			cli_die(EXIT_INPUT, "\"%s\" is not a JSON array of registrations", regpath);
		r.registrations = json_dumps(regs, JSON_COMPACT);
		json_decref(regs);
		free(text);
	}
	r.batch = calloc((size_t) r.batch_max, sizeof(pending_entry));
	for (r.batch_chains_cap = 16; r.batch_chains_cap < 2 * (size_t) r.batch_max; r.batch_chains_cap *= 2)
		;
	r.batch_chains = calloc(r.batch_chains_cap, sizeof(char *));
	if (r.batch == NULL || r.batch_chains == NULL)
		cli_die(EXIT_IO, "out of memory");
	heads_clear(&r);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);	/* nothing to reload; a hang-up must not stop it */

	say("relaying slot \"%s\" as source \"%s\" for %s", r.slot, r.name, r.key.did);
	while (!stop_requested)
	{
		int			rc = STREAM_FAILED;
		double		started = now_seconds();
		uint64_t	batches = r.batches;

		if (connect_all(&r))
		{
			char		a[32];

			say("streaming from the ledger's position %s%s", lsn_text(a, r.held_lsn),
				r.held_changes >= 0 ? " (a transaction in part)" : "");
			relay_progress_start(&r, r.once_target);
			rc = stream(&r);
		}
		/*
		 * An attempt that moved the ledger's position, or lasted longer than
		 * the longest pause, starts the pauses again; one that failed at once
		 * (the plugin refusing the same change again) doubles them.
		 */
		if (r.batches != batches || now_seconds() - started > BACKOFF_MAX)
		{
			backoff = BACKOFF_FIRST;
			failures = 0;
		}
		batch_reset(&r);
		relay_progress_stop(&r, false);
		if (rc == STREAM_STOPPED && r.source)
		{
			/* a clean stop: everything appended is confirmed */
			(void) send_feedback(&r, false);
			PQputCopyEnd(r.source, NULL);
			PQflush(r.source);
		}
		disconnect(&r);
		heads_clear(&r);
		if (stop_requested)
			break;
		if (r.once && rc == STREAM_REFUSED)
		{
			say("the source refused a change; giving up (--once)");
			return EXIT_REFUSED;
		}
		if (r.once && ++failures >= ONCE_ATTEMPTS)
		{
			say("giving up after %d failed attempts (--once)", failures);
			return EXIT_IO;
		}
		say("reconnecting in %.1f s", backoff);
		for (double waited = 0; waited < backoff && !stop_requested; waited += 0.1)
			usleep(100000);
		backoff = backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2;
	}
	status_line(&r, true);
	say("stopped");
	cli_key_wipe(&r.key);
	free(r.registrations);
	free(r.batch);
	free(r.batch_chains);
	return EXIT_OK;
}
