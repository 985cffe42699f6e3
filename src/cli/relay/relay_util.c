/*
 * relay_util.c — the relay's small leaf helpers: its clock, its messages on
 * stderr, LSN text, and the replication protocol's integers and clock. They
 * call nothing of the relay's own, so every relay file may call them.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "relay.h"

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
