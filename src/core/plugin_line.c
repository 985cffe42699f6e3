/*
 * plugin_line.c — the output plugin's lines and a row version's chain key
 * and nonce (brop_plugin_line.h; docs/formats.md, "Plugin lines").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "brop_encoding.h"
#include "brop_entry.h"
#include "brop_hash.h"
#include "brop_plugin_line.h"

int
brop_lsn_text(char out[BROP_LSN_TEXT_BYTES], size_t *outlen, uint64_t lsn)
{
	int			n;

	if (out == NULL)
		return BROP_EINVAL;
	n = snprintf(out, BROP_LSN_TEXT_BYTES, "%" PRIX32 "/%" PRIX32, (uint32_t) (lsn >> 32), (uint32_t) lsn);
	if (outlen != NULL)
		*outlen = (size_t) n;
	return BROP_OK;
}

/* out's room (BROP_PLUGIN_LINE_MAX at least, so that every line fits) */
static int
room(char *out, size_t cap, size_t *outlen)
{
	if (out == NULL || outlen == NULL)
		return BROP_EINVAL;
	return cap < BROP_PLUGIN_LINE_MAX ? BROP_EBUFFER : BROP_OK;
}

int
brop_plugin_begin_line(char *out, size_t cap, size_t *outlen, uint64_t commit_lsn, uint64_t end_lsn,
					   int64_t commit_time, uint32_t xid)
{
	char		c[BROP_LSN_TEXT_BYTES],
				e[BROP_LSN_TEXT_BYTES],
				t[BROP_TIME_TEXT_BYTES];
	int			rc;

	if ((rc = room(out, cap, outlen)) != 0 || (rc = brop_time_text(t, NULL, commit_time, 1)) != 0 ||
		(rc = brop_lsn_text(c, NULL, commit_lsn)) != 0 || (rc = brop_lsn_text(e, NULL, end_lsn)) != 0)
		return rc;
	*outlen = (size_t) snprintf(out, cap, "{\"type\":\"begin\",\"commit_lsn\":\"%s\",\"end_lsn\":\"%s\","
								"\"commit_time\":\"%s\",\"xid\":%" PRIu32 "}", c, e, t, xid);
	return BROP_OK;
}

int
brop_plugin_commit_line(char *out, size_t cap, size_t *outlen, uint64_t commit_lsn, uint64_t end_lsn)
{
	char		c[BROP_LSN_TEXT_BYTES],
				e[BROP_LSN_TEXT_BYTES];
	int			rc;

	if ((rc = room(out, cap, outlen)) != 0 || (rc = brop_lsn_text(c, NULL, commit_lsn)) != 0 ||
		(rc = brop_lsn_text(e, NULL, end_lsn)) != 0)
		return rc;
	*outlen = (size_t) snprintf(out, cap, "{\"type\":\"commit\",\"commit_lsn\":\"%s\",\"end_lsn\":\"%s\"}", c, e);
	return BROP_OK;
}

int
brop_plugin_position_line(char *out, size_t cap, size_t *outlen, uint64_t end_lsn)
{
	char		e[BROP_LSN_TEXT_BYTES];
	int			rc;

	if ((rc = room(out, cap, outlen)) != 0 || (rc = brop_lsn_text(e, NULL, end_lsn)) != 0)
		return rc;
	*outlen = (size_t) snprintf(out, cap, "{\"type\":\"position\",\"end_lsn\":\"%s\"}", e);
	return BROP_OK;
}

/* a registration's name: UTF-8 without NUL */
static int
name_ok(const char *p, size_t len)
{
	return p != NULL && memchr(p, 0, len) == NULL;
}

int
brop_plugin_truncate_line(char **out, size_t *outlen, uint64_t lsn, const char *registration,
						  size_t registration_len, const brop_allocator *a)
{
	brop__str	s = {0};
	char		l[BROP_LSN_TEXT_BYTES];
	size_t		n;
	int			rc;

	if (out == NULL || outlen == NULL || !name_ok(registration, registration_len) ||
		brop_lsn_text(l, &n, lsn) != 0)
		return BROP_EINVAL;
	brop__str_lit(&s, "{\"type\":\"truncate\",\"lsn\":\"");
	brop__str_add(&s, l, n);
	brop__str_lit(&s, "\",\"registration\":");
	rc = brop__str_jcs_string(&s, registration, registration_len);
	brop__str_add(&s, "}", 1);
	return brop__str_finish_rc(&s, rc, out, outlen, a);
}

int
brop_row_chain_key(char **out, size_t *outlen, const char *registration, size_t registration_len,
				   const unsigned char chain_id[BROP_ROW_CHAIN_ID_BYTES], const brop_allocator *a)
{
	brop__str	s = {0};
	char		hex[2 * BROP_ROW_CHAIN_ID_BYTES + 1];
	size_t		n;

	if (out == NULL || outlen == NULL || chain_id == NULL || !name_ok(registration, registration_len) ||
		brop_hex_encode(hex, sizeof hex, &n, chain_id, BROP_ROW_CHAIN_ID_BYTES) != 0)
		return BROP_EINVAL;
	brop__str_add(&s, "row:", 4);
	brop__str_add(&s, registration, registration_len);
	brop__str_add(&s, ":", 1);
	brop__str_add(&s, hex, n);
	return brop__str_finish_rc(&s, 0, out, outlen, a);
}

int
brop_row_nonce(char out[BROP_ROW_NONCE_BYTES], size_t *outlen, const unsigned char chain_id[BROP_ROW_CHAIN_ID_BYTES],
			   uint64_t version)
{
	char		hex[2 * BROP_ROW_CHAIN_ID_BYTES + 1];
	size_t		n;
	int			w;

	if (out == NULL || chain_id == NULL ||
		brop_hex_encode(hex, sizeof hex, &n, chain_id, BROP_ROW_CHAIN_ID_BYTES) != 0)
		return BROP_EINVAL;
	w = snprintf(out, BROP_ROW_NONCE_BYTES, "row-%.*s-%" PRIu64, (int) n, hex, version);
	if (outlen != NULL)
		*outlen = (size_t) w;
	return BROP_OK;
}

static int
is_object_text(const char *p, size_t len)
{
	return p != NULL && len >= 2 && p[0] == '{' && p[len - 1] == '}';
}

static int
row_line_ok(const brop_plugin_row *r)
{
	return r != NULL && r->payload_digest != NULL && r->chain_id != NULL &&
		is_object_text(r->header, r->header_len) && name_ok(r->registration, r->registration_len);
}

size_t
brop_plugin_row_line_max(const brop_plugin_row *r)
{
	/* every text escaped at most 6 bytes a byte; the rest is fixed and short */
	size_t		texts = r->registration_len;

	if (r->org != NULL)
		texts += r->org_len;
	if (r->subject != NULL)
		texts += r->subject_len;
	if (texts > (SIZE_MAX - 512) / 6 || r->header_len > SIZE_MAX - 512 - 6 * texts)
		return SIZE_MAX;
	return r->header_len + 6 * texts + 512;
}

/* The row line appended to s (row_line_ok(r) checked). Returns 0, BROP_EENCODING or BROP_EINVAL. */
static int
row_line(brop__str *s, const brop_plugin_row *r)
{
	char		hex[2 * 32 + 1];
	size_t		n,
				chain_start,
				idlen;
	int			rc;

	/* the chain key "row:R:<chain id>" as brop_row_chain_key makes it, here as a JCS string */
	brop__str_lit(s, "{\"chain_key\":\"row:");
	chain_start = s->len;
	rc = brop__str_jcs_string(s, r->registration, r->registration_len);
	if (rc == 0)
	{
		/* R's escaped text without its quotes */
		memmove(s->data + chain_start, s->data + chain_start + 1, s->len - chain_start - 2);
		s->len -= 2;
	}
	if (brop_hex_encode(hex, sizeof hex, &idlen, r->chain_id, BROP_ROW_CHAIN_ID_BYTES) != 0)
		rc = BROP_EINVAL;
	brop__str_add(s, ":", 1);
	brop__str_add(s, hex, idlen);
	brop__str_lit(s, "\",\"header\":");
	brop__str_add(s, r->header, r->header_len);
	/* the nonce "row-<chain id>-<version>" as brop_row_nonce makes it */
	brop__str_lit(s, ",\"kind\":\"row\",\"nonce\":\"row-");
	brop__str_add(s, hex, idlen);
	brop__str_add(s, "-", 1);
	brop__str_u64(s, r->version);
	brop__str_add(s, "\"", 1);
	if (r->org != NULL && rc == 0)
	{
		brop__str_lit(s, ",\"org\":");
		rc = brop__str_jcs_string(s, r->org, r->org_len);
	}
	if (brop_hex_encode(hex, sizeof hex, &n, r->payload_digest, 32) != 0)
		rc = BROP_EINVAL;
	brop__str_lit(s, ",\"payload_digest\":\"");
	brop__str_add(s, hex, n);
	brop__str_add(s, "\"", 1);
	if (r->subject != NULL && rc == 0)
	{
		brop__str_lit(s, ",\"subject\":");
		rc = brop__str_jcs_string(s, r->subject, r->subject_len);
	}
	brop__str_add(s, "}", 1);
	return rc;
}

int
brop_plugin_row_line(char **out, size_t *outlen, const brop_plugin_row *r, const brop_allocator *a)
{
	brop__str	s = {.a = a};

	if (out == NULL || outlen == NULL || !row_line_ok(r))
		return BROP_EINVAL;
	(void) brop__str_reserve(&s, r->header_len + r->registration_len + r->org_len + r->subject_len + 256);
	return brop__str_finish_rc(&s, row_line(&s, r), out, outlen, a);
}

int
brop_plugin_row_line_into(char *out, size_t cap, size_t *outlen, const brop_plugin_row *r)
{
	brop__str	s = {.data = out, .cap = cap, .fixed = 1};
	int			rc;

	if (out == NULL || outlen == NULL || cap == 0 || !row_line_ok(r))
		return BROP_EINVAL;
	rc = row_line(&s, r);
	if (rc == BROP_ENOMEM || (rc == 0 && s.failed))
		rc = BROP_EBUFFER;	/* the buffer is full: nothing was allocated */
	if (rc != 0)
		return rc;
	if (s.len < cap)
		out[s.len] = '\0';
	*outlen = s.len;
	return BROP_OK;
}

int
brop_plugin_registration_line(char **out, size_t *outlen, const char *header, size_t header_len, uint64_t lsn,
							  const char *org, size_t org_len, const brop_allocator *a)
{
	brop__str	s = {0};
	unsigned char digest[32];
	char		hex[2 * 32 + 1];
	size_t		n;
	int			rc = 0;

	if (out == NULL || outlen == NULL || !is_object_text(header, header_len) ||
		brop_sha256(digest, (const unsigned char *) header, header_len) != 0 ||
		brop_hex_encode(hex, sizeof hex, &n, digest, sizeof digest) != 0)
		return BROP_EINVAL;
	brop__str_lit(&s, "{\"header\":");
	brop__str_add(&s, header, header_len);
	brop__str_lit(&s, ",\"kind\":\"registration\",\"nonce\":\"registration-");
	brop__str_u64(&s, lsn);
	brop__str_add(&s, "\"", 1);
	if (org != NULL)
	{
		brop__str_lit(&s, ",\"org\":");
		rc = brop__str_jcs_string(&s, org, org_len);
	}
	brop__str_lit(&s, ",\"payload_digest\":\"");
	brop__str_add(&s, hex, n);
	brop__str_lit(&s, "\"}");
	return brop__str_finish_rc(&s, rc, out, outlen, a);
}
