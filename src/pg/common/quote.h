/*
 * quote.h — caller input quoted in an error message, bounded: at most
 * BROP_QUOTE_CHARS characters (whole characters of the database encoding),
 * then "..." if there was more. An input of any length (up to 1 GB) must not
 * make an error message, and every log line that repeats it, as long.
 */
#ifndef BROP_PG_QUOTE_H
#define BROP_PG_QUOTE_H

#include "postgres.h"
#include "mb/pg_wchar.h"

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

#endif /* BROP_PG_QUOTE_H */
