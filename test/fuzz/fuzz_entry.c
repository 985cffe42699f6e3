/*
 * fuzz_entry.c — libFuzzer harness for brop_entry.h (the ledger entry's
 * signing input, leaf input and leaf hash).
 *
 * The input is cut at 0xff bytes into the fields (texts as they come,
 * so often not UTF-8; the header canonicalized first when it is a JSON
 * object). Properties: refusals are only BROP_EENCODING (exactly when a
 * text is not UTF-8), BROP_EOVERFLOW (a time outside the years 1 to 9999,
 * an expiry outside 1 to 2^53 - 1) or BROP_EINVAL; the signing input is
 * the domain then RFC 8785 text, and the leaf input RFC 8785 text (each canonicalizes to itself); parsed back,
 * every member is the field it came from (parse(serialize(x)) == x); the
 * leaf input without signature and submitted_at, made canonical the CLI's
 * way (jansson, then JCS), is the signing input; brop_entry_format_forms gives the
 * same two. All memory is freed (LeakSanitizer).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

typedef struct
{
	const char *p;
	size_t		len;
} piece;

static int
utf8_ok(const piece *t)
{
	json_t	   *s = t->p ? json_stringn(t->p, t->len) : NULL;
	int			ok = s != NULL;

	json_decref(s);
	return ok;
}

/* member name is the string t, or null when t->p is NULL */
static void
check_text(json_t *o, const char *name, const piece *t)
{
	json_t	   *v = json_object_get(o, name);

	if (v == NULL)
		abort();
	if (t->p == NULL)
	{
		if (!json_is_null(v))
			abort();
		return;
	}
	if (!json_is_string(v) || json_string_length(v) != t->len || memcmp(json_string_value(v), t->p, t->len) != 0)
		abort();
}

static void
check_digest(json_t *o, const char *name, const unsigned char *d)
{
	json_t	   *v = json_object_get(o, name);
	char		hex[65];
	size_t		n;

	if (v == NULL)
		abort();
	if (d == NULL)
	{
		if (!json_is_null(v))
			abort();
		return;
	}
	if (brop_hex_encode(hex, sizeof hex, &n, d, 32) != 0 || !json_is_string(v) ||
		json_string_length(v) != n || memcmp(json_string_value(v), hex, n) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	piece		f[6] = {{0}};	/* kind, org, subject, chain_key, nonce, header */
	unsigned char fixed[32 * 3 + 8 + 1];	/* digests, expiry, flags; the time overlaps the third digest */
	unsigned char *sig;
	size_t		siglen,
				at = 0,
				k = 0;
	char	   *header = NULL,
			   *si = NULL,
			   *li = NULL,
			   *si2 = NULL,
			   *cli = NULL;
	size_t		header_len = 0,
				silen = 0,
				lilen = 0,
				si2len = 0,
				clilen = 0;
	brop_entry	e;
	unsigned char leaf[32],
				want[32];
	int			rc,
				rcl,
				texts_ok;
	json_t	   *o,
			   *sf;
	char	   *dumped;

	/* a fixed prefix: three digests, expiry, time, which members are null */
	if (size < sizeof fixed)
		return 0;
	memcpy(fixed, data, sizeof fixed);
	data += sizeof fixed;
	size -= sizeof fixed;
	for (size_t i = 0; i <= size && k < 6; i++)
		if (i == size || data[i] == 0xff)
		{
			f[k].p = (const char *) data + at;
			f[k].len = i - at;
			k++;
			at = i + 1;
		}
	if (k < 6)
		return 0;
	sig = (unsigned char *) data + (at < size ? at : size);
	siglen = at < size ? size - at : 0;
	if (fixed[104] & 1)
		f[2].p = NULL;
	if (fixed[104] & 2)
		f[3].p = NULL;
	if (f[5].len > 0 && f[5].p[0] == '{' &&
		brop_jcs_canonicalize(&header, &header_len, f[5].p, f[5].len, NULL, NULL) != 0)
		header = NULL;

	memset(&e, 0, sizeof e);
	e.kind = f[0].p;
	e.kind_len = f[0].len;
	e.org = f[1].p;
	e.org_len = f[1].len;
	e.subject = f[2].p;
	e.subject_len = f[2].len;
	e.chain_key = f[3].p;
	e.chain_key_len = f[3].len;
	e.nonce = f[4].p;
	e.nonce_len = f[4].len;
	e.header = header;
	e.header_len = header_len;
	e.payload_digest = fixed;
	e.body_digest = (fixed[104] & 4) ? NULL : fixed + 32;
	e.prev_digest = (fixed[104] & 8) ? NULL : fixed + 64;
	memcpy(&e.expires_block, fixed + 96, 8);
	e.has_expires_block = (fixed[104] & 16) != 0;
	memcpy(&e.submitted_at, fixed + 88, 8);	/* overlaps the prev digest's end: fine */
	e.signature = sig;
	e.signature_len = siglen;

	texts_ok = utf8_ok(&f[0]) && utf8_ok(&f[1]) && utf8_ok(&f[4]) &&
		(f[2].p == NULL || utf8_ok(&f[2])) && (f[3].p == NULL || utf8_ok(&f[3]));
	rc = brop_entry_format_signing_input(&si, &silen, &e, NULL);
	if (rc != 0)
	{
		int			range = e.has_expires_block && (e.expires_block < 1 || e.expires_block > INT64_C(9007199254740991));

		if (!(rc == BROP_EENCODING && !texts_ok) && !(rc == BROP_EOVERFLOW && range) &&
			!(rc == BROP_EINVAL && texts_ok && !range))
			abort();
		if (si != NULL)
			abort();
		free(header);
		return 0;
	}
	if (!texts_ok || silen < 14 || memcmp(si, "brop-entry-v1", 14) != 0 || si[silen] != '\0')
		abort();
	fuzz_is_canonical(si + 14, silen - 14);

	rcl = brop_entry_format_leaf_input(&li, &lilen, &e, NULL);
	if (rcl != 0)
	{
		char		t[BROP_TIME_TEXT_BYTES];

		if (!(rcl == BROP_EINVAL && siglen == 0) &&
			!(rcl == BROP_EOVERFLOW && brop_time_text(t, NULL, e.submitted_at, 1) == BROP_EOVERFLOW))
			abort();
		if (brop_entry_format_forms(leaf, &si2, &si2len, &e, NULL) != rcl || si2 != NULL)
			abort();
		free(si);
		free(header);
		return 0;
	}
	fuzz_is_canonical(li, lilen);
	if (brop_merkle_leaf_hash(want, (const unsigned char *) li, lilen) != 0 ||
		brop_entry_format_forms(leaf, &si2, &si2len, &e, NULL) != 0 || memcmp(leaf, want, 32) != 0 ||
		si2len != silen || memcmp(si2, si, silen) != 0)
		abort();

	/* parse(serialize(x)) == x */
	o = json_loadb(li, lilen, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, NULL);
	if (o == NULL || json_object_size(o) != 13)
		abort();
	check_text(o, "kind", &f[0]);
	check_text(o, "org", &f[1]);
	check_text(o, "subject", &f[2]);
	check_text(o, "chain_key", &f[3]);
	check_text(o, "nonce", &f[4]);
	check_digest(o, "payload_digest", e.payload_digest);
	check_digest(o, "body_digest", e.body_digest);
	check_digest(o, "prev_digest", e.prev_digest);
	if (json_real_value(json_object_get(o, "v")) != 1.0 || !json_is_object(json_object_get(o, "header")))
		abort();
	{
		unsigned char back[512];
		size_t		n;
		json_t	   *s = json_object_get(o, "signature");

		if (!json_is_string(s) || siglen > sizeof back ||
			brop_base64_decode(back, sizeof back, &n, json_string_value(s), json_string_length(s),
							   BROP_BASE64_URLSAFE) != 0 || n != siglen || memcmp(back, sig, n) != 0)
		{
			if (siglen <= sizeof back)
				abort();
		}
	}

	/* the CLI's way: drop the leaf-only members, dump, canonicalize */
	sf = json_deep_copy(o);
	json_object_del(sf, "signature");
	json_object_del(sf, "submitted_at");
	dumped = json_dumps(sf, JSON_COMPACT | JSON_ENCODE_ANY);
	if (dumped == NULL || brop_jcs_canonicalize(&cli, &clilen, dumped, strlen(dumped), NULL, NULL) != 0 ||
		clilen != silen - 14 || memcmp(cli, si + 14, clilen) != 0)
		abort();
	free(cli);
	free(dumped);
	json_decref(sf);
	json_decref(o);
	free(si);
	free(si2);
	free(li);
	free(header);
	return 0;
}
