/*
 * relay_util.c — the relay's small leaf helpers: its clock, its messages on
 * stderr, LSN text, the replication protocol's integers and clock, and the
 * two steps both sides of the relay take (a batch emptied, a standby status
 * update sent). They call nothing in the relay's other files, so both the
 * ledger side (relay_ledger.c) and the loop (cmd_relay.c) may call them.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "relay/relay.h"

double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void
say(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "brop relay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool
parse_lsn(const char *s, lsn_t *out)
{
	unsigned int hi,
				lo;
	int			n = 0;

	if (s == NULL || sscanf(s, "%X/%X%n", &hi, &lo, &n) != 2 || s[n] != '\0')
		return false;
	*out = (lsn_t) hi << 32 | lo;
	return true;
}

char *
lsn_text(char buf[32], lsn_t lsn)
{
	snprintf(buf, 32, "%X/%X", (unsigned) (lsn >> 32), (unsigned) lsn);
	return buf;
}

/* ---- the replication protocol's integers and clock ----------------------------- */

void
put_u64(char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
	{
		p[i] = (char) (v & 0xff);
		v >>= 8;
	}
}

uint64_t
get_u64(const char *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | (unsigned char) p[i];
	return v;
}

/* microseconds since 2000-01-01, PostgreSQL's epoch */
int64_t
pg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t) ts.tv_sec - 946684800) * 1000000 + ts.tv_nsec / 1000;
}

void
report_error(const char *what, PGconn *conn, const PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	size_t		n = strlen(msg);

	while (n > 0 && msg[n - 1] == '\n')
		n--;
	say("%s: %.*s", what, (int) n, msg);
}

void
batch_reset(relay *r)
{
	for (int i = 0; i < r->nbatch; i++)
		json_decref(r->batch[i].entry);
	r->nbatch = 0;
	memset(r->batch_chains, 0, r->batch_chains_cap * sizeof(char *));
}

/* A standby status update: everything up to r->confirmed is safe on the ledger. */
bool
send_feedback(relay *r, bool reply)
{
	char		msg[34];

	msg[0] = 'r';
	put_u64(msg + 1, r->confirmed);
	put_u64(msg + 9, r->confirmed);
	put_u64(msg + 17, r->confirmed);
	put_u64(msg + 25, (uint64_t) pg_now());
	msg[33] = reply ? 1 : 0;
	r->last_feedback = now_seconds();
	if (PQputCopyData(r->source, msg, sizeof msg) <= 0 || PQflush(r->source) != 0)
	{
		report_error("could not send feedback to the source", r->source, NULL);
		return false;
	}
	return true;
}
