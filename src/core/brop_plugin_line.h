/*
 * brop_plugin_line.h — the lines of the brop output plugin (docs/formats.md,
 * "Plugin lines"), one JSON object a line, and the texts a row version's
 * entry names it by (its chain key and nonce). Every LSN is PostgreSQL's
 * X/X text. The entry and registration lines are RFC 8785 text; begin,
 * commit, position and truncate lines put "type" first.
 */
#ifndef BROP_PLUGIN_LINE_H
#define BROP_PLUGIN_LINE_H

#include <stddef.h>
#include <stdint.h>
#include "brop_err.h"
#include "brop_jcs.h"
#include "brop_row.h"

/* "FFFFFFFF/FFFFFFFF" and its NUL */
#define BROP_LSN_TEXT_BYTES 18
/* the longest begin line and its NUL */
#define BROP_PLUGIN_LINE_MAX 160
/* "row-" hex(chain id) "-" version (at most 20 digits) and its NUL */
#define BROP_ROW_NONCE_BYTES (4 + 2 * BROP_ROW_CHAIN_ID_BYTES + 1 + 20 + 1)

/* The X/X text of lsn. Returns: 0, or BROP_EINVAL. Out: NUL-terminated, *outlen unless NULL. */
BROP_WARN_UNUSED_RESULT int brop_lsn_text(char out[BROP_LSN_TEXT_BYTES], size_t *outlen, uint64_t lsn);

/*
 * {"type":"begin","commit_lsn","end_lsn","commit_time","xid"}; commit_time
 * in microseconds since 1970-01-01 UTC, written as brop_time_text does.
 * Returns: 0; BROP_EOVERFLOW for a time outside the years 1 to 9999;
 * BROP_EBUFFER if cap < BROP_PLUGIN_LINE_MAX; BROP_EINVAL.
 */
BROP_WARN_UNUSED_RESULT int brop_plugin_begin_line(char *out, size_t cap, size_t *outlen, uint64_t commit_lsn,
												   uint64_t end_lsn, int64_t commit_time, uint32_t xid);

/* {"type":"commit","commit_lsn","end_lsn"}. Returns: as brop_plugin_begin_line. */
BROP_WARN_UNUSED_RESULT int brop_plugin_commit_line(char *out, size_t cap, size_t *outlen, uint64_t commit_lsn,
													uint64_t end_lsn);

/* {"type":"position","end_lsn"}. Returns: as brop_plugin_begin_line. */
BROP_WARN_UNUSED_RESULT int brop_plugin_position_line(char *out, size_t cap, size_t *outlen, uint64_t end_lsn);

/*
 * {"type":"truncate","lsn","registration"}.
 * Returns: 0; BROP_EENCODING; BROP_EINVAL; BROP_ENOMEM.
 * Out: *out allocated with a (NULL: malloc), NUL-terminated; *outlen.
 */
BROP_WARN_UNUSED_RESULT int brop_plugin_truncate_line(char **out, size_t *outlen, uint64_t lsn,
													  const char *registration, size_t registration_len,
													  const brop_allocator *a);

/*
 * A row version's chain key, "row:" R ":" hex(chain id) (a text, not JSON).
 * Returns: 0; BROP_EINVAL (a NULL pointer, a NUL in R); BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_row_chain_key(char **out, size_t *outlen, const char *registration,
											   size_t registration_len,
											   const unsigned char chain_id[BROP_ROW_CHAIN_ID_BYTES],
											   const brop_allocator *a);

/* A row version's nonce, "row-" hex(chain id) "-" version. Returns: 0, or BROP_EINVAL. */
BROP_WARN_UNUSED_RESULT int brop_row_nonce(char out[BROP_ROW_NONCE_BYTES], size_t *outlen,
										   const unsigned char chain_id[BROP_ROW_CHAIN_ID_BYTES], uint64_t version);

/* A row version's entry line. */
typedef struct brop_plugin_row
{
	const char *registration;	/* R */
	size_t		registration_len;
	const unsigned char *chain_id;	/* BROP_ROW_CHAIN_ID_BYTES */
	const char *header;			/* brop_row_header's text */
	size_t		header_len;
	uint64_t	version;		/* the change's LSN as a number */
	const char *org;			/* NULL: no member */
	size_t		org_len;
	const unsigned char *payload_digest;	/* 32 bytes */
	const char *subject;		/* NULL: no member */
	size_t		subject_len;
} brop_plugin_row;

/*
 * {"chain_key","header","kind":"row","nonce","org"?,"payload_digest","subject"?}
 * Returns: 0; BROP_EINVAL (a NULL pointer, a header that is not an
 * object's text, a NUL in R); BROP_EENCODING; BROP_ENOMEM.
 * Out: as brop_plugin_truncate_line.
 */
BROP_WARN_UNUSED_RESULT int brop_plugin_row_line(char **out, size_t *outlen, const brop_plugin_row *r,
												 const brop_allocator *a);

/*
 * The same line written into out (cap bytes), for a caller that writes it
 * where it is sent: with cap at least brop_plugin_row_line_max(r), only
 * bad input fails. NUL-terminated when there is room.
 * Returns: as brop_plugin_row_line, with BROP_EBUFFER for too little room.
 */
BROP_WARN_UNUSED_RESULT int brop_plugin_row_line_into(char *out, size_t cap, size_t *outlen,
													  const brop_plugin_row *r);

/* The most bytes brop_plugin_row_line_into writes for r (SIZE_MAX: more than a size holds). */
size_t		brop_plugin_row_line_max(const brop_plugin_row *r);

/*
 * A registration made or ended at the source:
 *   {"header","kind":"registration","nonce":"registration-" lsn,"org"?,"payload_digest"}
 * header is brop_registration_format_header's text; the payload digest is its
 * SHA-256. Returns: as brop_plugin_row_line.
 */
BROP_WARN_UNUSED_RESULT int brop_plugin_registration_line(char **out, size_t *outlen, const char *header,
														  size_t header_len, uint64_t lsn, const char *org,
														  size_t org_len, const brop_allocator *a);

#endif /* BROP_PLUGIN_LINE_H */
