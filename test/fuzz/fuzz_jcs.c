/*
 * fuzz_jcs.c — libFuzzer harness for brop_jcs_canonicalize.
 *
 * Properties: the input is canonicalized or refused with one of the JSON
 * codes (and a message); canonical output is NUL-terminated and
 * canonicalizes to itself; key order is antisymmetric; every finite double
 * formats to text that reads back as the same value. All memory is freed
 * (LeakSanitizer).
 *
 * Random bytes rarely make a JSON object, and jansson is not instrumented,
 * so the input also drives a small generator of valid documents (objects,
 * escaped and raw non-ASCII names, numbers from raw bits). Those must
 * canonicalize (or fail only on a duplicate name), and every object in the
 * output must list its members in increasing UTF-16 code unit order, as
 * checked by an independent comparison on UTF-16 arrays.
 *
 * brop_jcs_canonicalize_cancellable (the text fed to jansson through a
 * callback) gives the same result and error as the one-piece parse when
 * never cancelled, and BROP_ECANCELED with nothing allocated, or that same
 * result, when asked to stop at a question the input chooses.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static void
check_number(const uint8_t *data, size_t size)
{
	char		text[BROP_JCS_NUMBER_MAX];
	size_t		len;
	double		d,
				back;

	if (size < sizeof d)
		return;
	memcpy(&d, data, sizeof d);
	if (brop_jcs_format_number(text, &len, d) != 0)
	{
		if (d == d && d - d == 0)	/* finite numbers must format */
			abort();
		return;
	}
	if (len == 0 || len >= BROP_JCS_NUMBER_MAX || text[len] != '\0' || strlen(text) != len)
		abort();
	back = strtod(text, NULL);
	if (back != d)
		abort();
}

static void
check_key_order(const uint8_t *data, size_t size)
{
	size_t		half = size / 2;
	const char *a = (const char *) data;
	const char *b = (const char *) data + half;
	size_t		blen = size - half;

	if (brop_jcs_key_compare(a, half, a, half) != 0)
		abort();
	if (sign(brop_jcs_key_compare(a, half, b, blen)) !=
		-sign(brop_jcs_key_compare(b, blen, a, half)))
		abort();
	if ((brop_jcs_key_compare(a, half, b, blen) == 0) !=
		(half == blen && memcmp(a, b, half) == 0))
		abort();
}

/* ---- generated documents ------------------------------------------------ */

typedef struct gen
{
	const uint8_t *data;
	size_t		size;
	size_t		pos;
	char	   *buf;
	size_t		len;
	size_t		cap;
} gen;

static unsigned
next_byte(gen *g)
{
	return g->pos < g->size ? g->data[g->pos++] : 0;
}

static void
put(gen *g, const char *s, size_t n)
{
	if (g->len + n + 1 > g->cap)
	{
		while (g->len + n + 1 > g->cap)
			g->cap = g->cap ? 2 * g->cap : 256;
		g->buf = realloc(g->buf, g->cap);
		if (g->buf == NULL)
			abort();
	}
	memcpy(g->buf + g->len, s, n);
	g->len += n;
}

static void
put_u16_escape(gen *g, unsigned u)
{
	char		t[8];

	snprintf(t, sizeof t, (next_byte(g) & 1) ? "\\u%04X" : "\\u%04x", u);
	put(g, t, 6);
}

/*
 * A string of up to 7 code points, each escaped or raw UTF-8; no U+0000 in
 * member names (jansson cannot hold it there).
 */
static void
gen_string(gen *g, int is_name)
{
	unsigned	n = next_byte(g) % 8;

	put(g, "\"", 1);
	for (unsigned i = 0; i < n; i++)
	{
		unsigned	b0 = next_byte(g);
		uint32_t	cp;
		char		t[4];

		/* mostly near the interesting edges: ASCII, BMP top, astral */
		switch (b0 % 4)
		{
			case 0:
				cp = next_byte(g) % 0x80;
				break;
			case 1:
				cp = 0xd000 + (next_byte(g) << 4 | (next_byte(g) & 15));
				if (cp > 0xffff)
					cp = 0xffff;
				break;
			case 2:
				cp = 0x10000 + ((uint32_t) next_byte(g) << 12 | next_byte(g) << 4);
				break;
			default:
				cp = (uint32_t) next_byte(g) << 8 | next_byte(g);
				break;
		}
		if (cp >= 0xd800 && cp <= 0xdfff)
			cp -= 0x800;
		if (cp > 0x10ffff)
			cp = 0x10ffff;
		if (cp == 0 && is_name)
			cp = 1;
		if (cp < 0x20 || cp == '"' || cp == '\\' || (b0 & 0x80))
		{
			if (cp >= 0x10000)
			{
				put_u16_escape(g, 0xd800 + ((cp - 0x10000) >> 10));
				put_u16_escape(g, 0xdc00 + ((cp - 0x10000) & 0x3ff));
			}
			else
				put_u16_escape(g, cp);
			continue;
		}
		if (cp < 0x80)
		{
			t[0] = (char) cp;
			put(g, t, 1);
		}
		else if (cp < 0x800)
		{
			t[0] = (char) (0xc0 | cp >> 6);
			t[1] = (char) (0x80 | (cp & 0x3f));
			put(g, t, 2);
		}
		else if (cp < 0x10000)
		{
			t[0] = (char) (0xe0 | cp >> 12);
			t[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
			t[2] = (char) (0x80 | (cp & 0x3f));
			put(g, t, 3);
		}
		else
		{
			t[0] = (char) (0xf0 | cp >> 18);
			t[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
			t[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
			t[3] = (char) (0x80 | (cp & 0x3f));
			put(g, t, 4);
		}
	}
	put(g, "\"", 1);
}

static void
gen_value(gen *g, int depth)
{
	unsigned	op = next_byte(g) % (depth < 6 ? 6 : 4);

	switch (op)
	{
		case 0:
			{
				uint64_t	bits = 0;
				double		d;
				char		t[40];

				for (int i = 0; i < 8; i++)
					bits = bits << 8 | next_byte(g);
				memcpy(&d, &bits, sizeof d);
				if (!(d == d) || d - d != 0)
					d = (double) (bits >> 40);
				put(g, t, (size_t) snprintf(t, sizeof t, "%.17g", d));
				break;
			}
		case 1:
			gen_string(g, 0);
			break;
		case 2:
			put(g, (next_byte(g) & 1) ? "true" : "null", 4);
			break;
		case 3:
			put(g, " false ", 7);
			break;
		case 4:
			{
				unsigned	n = next_byte(g) % 4;

				put(g, "[", 1);
				for (unsigned i = 0; i < n; i++)
				{
					if (i > 0)
						put(g, ",", 1);
					gen_value(g, depth + 1);
				}
				put(g, "]", 1);
				break;
			}
		default:
			{
				unsigned	n = next_byte(g) % 40;

				put(g, "{ ", 2);
				for (unsigned i = 0; i < n; i++)
				{
					if (i > 0)
						put(g, ",\n", 2);
					gen_string(g, 1);
					put(g, ":", 1);
					gen_value(g, depth + 1);
				}
				put(g, "}", 1);
				break;
			}
	}
}

/* UTF-8 (valid) to UTF-16 code units; returns the count. */
static size_t
to_utf16(uint16_t *out, const unsigned char *s, size_t len)
{
	size_t		n = 0;

	for (size_t i = 0; i < len;)
	{
		uint32_t	cp;

		if (s[i] < 0x80)
			cp = s[i++];
		else if (s[i] < 0xe0)
		{
			cp = (uint32_t) (s[i] & 0x1f) << 6 | (s[i + 1] & 0x3f);
			i += 2;
		}
		else if (s[i] < 0xf0)
		{
			cp = (uint32_t) (s[i] & 0x0f) << 12 | (uint32_t) (s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
			i += 3;
		}
		else
		{
			cp = (uint32_t) (s[i] & 0x07) << 18 | (uint32_t) (s[i + 1] & 0x3f) << 12 |
				(uint32_t) (s[i + 2] & 0x3f) << 6 | (s[i + 3] & 0x3f);
			i += 4;
		}
		if (cp >= 0x10000)
		{
			out[n++] = (uint16_t) (0xd800 + ((cp - 0x10000) >> 10));
			out[n++] = (uint16_t) (0xdc00 + ((cp - 0x10000) & 0x3ff));
		}
		else
			out[n++] = (uint16_t) cp;
	}
	return n;
}

/* Reference order: lexicographic on UTF-16 code units. */
static int
utf16_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	uint16_t   *ua = malloc((alen + 1) * sizeof *ua);
	uint16_t   *ub = malloc((blen + 1) * sizeof *ub);
	size_t		na,
				nb;
	int			r = 0;

	if (ua == NULL || ub == NULL)
		abort();
	na = to_utf16(ua, (const unsigned char *) a, alen);
	nb = to_utf16(ub, (const unsigned char *) b, blen);
	for (size_t i = 0; i < na && i < nb && r == 0; i++)
		if (ua[i] != ub[i])
			r = ua[i] < ub[i] ? -1 : 1;
	if (r == 0)
		r = (na > nb) - (na < nb);
	free(ua);
	free(ub);
	return r;
}

/* Every object's members come in strictly increasing UTF-16 order. */
static void
check_sorted(json_t *v)
{
	if (json_is_array(v))
	{
		for (size_t i = 0; i < json_array_size(v); i++)
			check_sorted(json_array_get(v, i));
		return;
	}
	if (!json_is_object(v))
		return;
	{
		const char *prev = NULL;
		size_t		prevlen = 0;

		for (void *it = json_object_iter(v); it != NULL; it = json_object_iter_next(v, it))
		{
			const char *key = json_object_iter_key(it);
			size_t		keylen = json_object_iter_key_len(it);

			if (prev != NULL)
			{
				if (utf16_cmp(prev, prevlen, key, keylen) >= 0)
					abort();
				if (brop_jcs_key_compare(prev, prevlen, key, keylen) >= 0)
					abort();
			}
			prev = key;
			prevlen = keylen;
			check_sorted(json_object_iter_value(it));
		}
	}
}

static void
check_generated(const uint8_t *data, size_t size)
{
	gen			g = {data, size, 0, NULL, 0, 0};
	char	   *out = NULL;
	char	   *again = NULL;
	size_t		outlen = 0,
				againlen = 0;
	json_t	   *root;
	int			rc;

	gen_value(&g, 0);
	rc = brop_jcs_canonicalize(&out, &outlen, g.buf, g.len, NULL, NULL);
	free(g.buf);
	if (rc == BROP_EDUPKEY)
		return;
	if (rc != 0)
		abort();
	if (brop_jcs_canonicalize(&again, &againlen, out, outlen, NULL, NULL) != 0 ||
		againlen != outlen || memcmp(again, out, outlen) != 0)
		abort();
	root = json_loadb(out, outlen, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, NULL);
	if (root == NULL)
		abort();
	check_sorted(root);
	json_decref(root);
	free(again);
	free(out);
}

typedef struct
{
	unsigned	asked;
	unsigned	stop_at;		/* 0: never */
} question;

static int
stop_at(void *arg)
{
	question   *q = arg;

	return ++q->asked == q->stop_at;
}

/* The cancellable form against the one-piece result (rc, out, err). */
static void
check_cancellable(const uint8_t *data, size_t size, int rc, const char *out, size_t outlen,
				  const brop_json_error *err)
{
	question	q = {0, 0};
	brop_cancel cancel = {stop_at, &q};
	brop_json_error e2;
	char	   *o2 = NULL;
	size_t		o2len = 0;
	int			rc2;

	rc2 = brop_jcs_canonicalize_cancellable(&o2, &o2len, (const char *) data, size, NULL, &cancel, &e2);
	if (rc2 != rc || (rc == 0 && (o2len != outlen || memcmp(o2, out, outlen) != 0)) ||
		(rc != 0 && (strcmp(e2.message, err->message) != 0 || e2.position != err->position)))
		abort();
	free(o2);

	/* stop at one of the questions asked */
	q.stop_at = 1 + (size > 0 ? data[0] : 0) % (q.asked + 1);
	q.asked = 0;
	o2 = NULL;
	rc2 = brop_jcs_canonicalize_cancellable(&o2, &o2len, (const char *) data, size, NULL, &cancel, NULL);
	if (rc2 == BROP_ECANCELED ? o2 != NULL || o2len != 0 : rc2 != rc)
		abort();
	free(o2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *out = NULL;
	char	   *again = NULL;
	size_t		outlen = 0,
				againlen = 0;
	brop_json_error err;
	int			rc;

	check_number(data, size);
	check_key_order(data, size);
	check_generated(data, size);

	rc = brop_jcs_canonicalize(&out, &outlen, (const char *) data, size, NULL, &err);
	check_cancellable(data, size, rc, out, outlen, &err);
	if (rc != 0)
	{
		if (rc != BROP_EJSON && rc != BROP_EDUPKEY && rc != BROP_ENUMBER)
			abort();
		if (out != NULL || outlen != 0)
			abort();
		if (err.message[0] == '\0' || memchr(err.message, '\0', sizeof err.message) == NULL)
			abort();
		if (err.position > size)
			abort();
		return 0;
	}
	if (out == NULL || out[outlen] != '\0')
		abort();

	rc = brop_jcs_canonicalize(&again, &againlen, out, outlen, NULL, &err);
	if (rc != 0 || againlen != outlen || memcmp(again, out, outlen) != 0)
		abort();
	free(again);
	free(out);
	return 0;
}
