/*
 * fuzz_plugin_line.c — libFuzzer harness for brop_plugin_line.h.
 *
 * The input gives the numbers (LSNs, time, xid, version) and, cut at 0xff
 * bytes, a registration name, an org, a subject and a header. Properties:
 * every line is one JSON object of the documented members that reads back
 * as its fields (parse(serialize(x)) == x, the LSNs through their X/X text);
 * the entry and registration lines are RFC 8785 text when the header is;
 * refusals are only the documented ones (a time outside the years 1 to
 * 9999, a name that is not UTF-8 or holds a NUL, a header that is not an
 * object). All memory is freed (LeakSanitizer).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

static json_t *
load(const char *p, size_t len)
{
	json_t	   *v = json_loadb(p, len, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, NULL);

	if (v == NULL || !json_is_object(v))
		abort();
	return v;
}

static void
lsn_is(json_t *o, const char *name, uint64_t lsn)
{
	const char *s = json_string_value(json_object_get(o, name));
	unsigned	hi,
				lo;
	char		again[BROP_LSN_TEXT_BYTES];

	if (s == NULL || sscanf(s, "%X/%X", &hi, &lo) != 2 || (((uint64_t) hi << 32) | lo) != lsn ||
		brop_lsn_text(again, NULL, lsn) != 0 || strcmp(again, s) != 0)
		abort();
}

static void
str_is(json_t *o, const char *name, const char *p, size_t len)
{
	json_t	   *v = json_object_get(o, name);

	if (!json_is_string(v) || json_string_length(v) != len || memcmp(json_string_value(v), p, len) != 0)
		abort();
}

static int
name_ok(const char *p, size_t len)
{
	json_t	   *s = json_stringn(p, len);
	int			ok = s != NULL && memchr(p, 0, len) == NULL;

	json_decref(s);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t	n[4];
	uint32_t	xid;
	char		line[BROP_PLUGIN_LINE_MAX],
				t[BROP_TIME_TEXT_BYTES];
	size_t		len,
				at = 0,
				k = 0;
	const char *f[4] = {"", "", "", ""};
	size_t		fl[4] = {0};
	char	   *out = NULL,
			   *header = NULL;
	size_t		header_len = 0;
	unsigned char chain[16],
				digest[32];
	json_t	   *o;
	int			rc;

	if (size < sizeof n + sizeof xid + 48)
		return 0;
	memcpy(n, data, sizeof n);
	memcpy(&xid, data + sizeof n, sizeof xid);
	memcpy(chain, data + sizeof n + 4, 16);
	memcpy(digest, data + sizeof n + 20, 28);
	memset(digest + 28, 0x5a, 4);
	data += sizeof n + sizeof xid + 48;
	size -= sizeof n + sizeof xid + 48;
	for (size_t i = 0; i <= size && k < 4; i++)
		if (i == size || data[i] == 0xff)
		{
			f[k] = (const char *) data + at;
			fl[k++] = i - at;
			at = i + 1;
		}

	/* the fixed lines */
	rc = brop_plugin_begin_line(line, sizeof line, &len, n[0], n[1], (int64_t) n[2], xid);
	if (rc == 0)
	{
		o = load(line, len);
		lsn_is(o, "commit_lsn", n[0]);
		lsn_is(o, "end_lsn", n[1]);
		if (brop_time_text(t, NULL, (int64_t) n[2], 1) != 0 ||
			strcmp(json_string_value(json_object_get(o, "commit_time")), t) != 0 ||
			json_number_value(json_object_get(o, "xid")) != (double) xid ||
			strcmp(json_string_value(json_object_get(o, "type")), "begin") != 0 || json_object_size(o) != 5)
			abort();
		json_decref(o);
	}
	else if (rc != BROP_EOVERFLOW || brop_time_text(t, NULL, (int64_t) n[2], 1) != BROP_EOVERFLOW)
		abort();
	if (brop_plugin_commit_line(line, sizeof line, &len, n[0], n[1]) != 0)
		abort();
	o = load(line, len);
	lsn_is(o, "commit_lsn", n[0]);
	lsn_is(o, "end_lsn", n[1]);
	json_decref(o);
	if (brop_plugin_position_line(line, sizeof line, &len, n[1]) != 0)
		abort();
	o = load(line, len);
	lsn_is(o, "end_lsn", n[1]);
	json_decref(o);

	/* truncate */
	rc = brop_plugin_truncate_line(&out, &len, n[3], f[0], fl[0], NULL);
	if (rc == 0)
	{
		o = load(out, len);
		lsn_is(o, "lsn", n[3]);
		str_is(o, "registration", f[0], fl[0]);
		json_decref(o);
		free(out);
		out = NULL;
	}
	else if (name_ok(f[0], fl[0]))
		abort();

	/* the header: a JSON object, canonicalized */
	if (fl[3] > 0 && f[3][0] == '{' && brop_jcs_canonicalize(&header, &header_len, f[3], fl[3], NULL, NULL) != 0)
		header = NULL;
	if (header == NULL)
		return 0;

	/* a row's entry line */
	{
		brop_plugin_row r = {f[0], fl[0], chain, header, header_len, n[3], (n[2] & 1) ? NULL : f[1], fl[1],
		digest, (n[2] & 2) ? NULL : f[2], fl[2]};
		char		nonce[BROP_ROW_NONCE_BYTES];
		char	   *ck = NULL;
		size_t		cklen;

		rc = brop_plugin_row_line(&out, &len, &r, NULL);
		/* written into a buffer of its bound: the same answer and bytes */
		{
			size_t		max = brop_plugin_row_line_max(&r),
						m;
			char	   *buf = max < (1u << 24) ? malloc(max) : NULL;

			if (buf == NULL || brop_plugin_row_line_into(buf, max, &m, &r) != rc ||
				(rc == 0 && (m != len || memcmp(buf, out, len) != 0)))
				abort();
			free(buf);
		}
		if (rc == 0)
		{
			fuzz_is_canonical(out, len);
			o = load(out, len);
			if (brop_row_chain_key(&ck, &cklen, f[0], fl[0], chain, NULL) != 0 ||
				brop_row_nonce(nonce, NULL, chain, n[3]) != 0)
				abort();
			str_is(o, "chain_key", ck, cklen);
			str_is(o, "nonce", nonce, strlen(nonce));
			str_is(o, "kind", "row", 3);
			if (r.org)
				str_is(o, "org", r.org, r.org_len);
			if (r.subject)
				str_is(o, "subject", r.subject, r.subject_len);
			if (json_object_size(o) != 5u + (r.org != NULL) + (r.subject != NULL))
				abort();
			free(ck);
			json_decref(o);
			free(out);
			out = NULL;
		}
		else if (rc != BROP_EINVAL && rc != BROP_EENCODING)
			abort();
		else if (name_ok(f[0], fl[0]) && (!r.org || name_ok(r.org, r.org_len)) &&
				 (!r.subject || name_ok(r.subject, r.subject_len)))
			abort();
	}

	/* a registration's entry line */
	rc = brop_plugin_registration_line(&out, &len, header, header_len, n[3], f[1], fl[1], NULL);
	if (rc == 0)
	{
		char		hex[65],
					nonce[64];
		size_t		hl;

		fuzz_is_canonical(out, len);
		o = load(out, len);
		if (brop_sha256(digest, (const unsigned char *) header, header_len) != 0 ||
			brop_hex_encode(hex, sizeof hex, &hl, digest, 32) != 0)
			abort();
		str_is(o, "payload_digest", hex, hl);
		snprintf(nonce, sizeof nonce, "registration-%" PRIu64, n[3]);
		str_is(o, "nonce", nonce, strlen(nonce));
		str_is(o, "org", f[1], fl[1]);
		json_decref(o);
		free(out);
	}
	else if (rc != BROP_EENCODING && rc != BROP_EINVAL)
		abort();
	free(header);
	return 0;
}
