/*
 * merkle_text.c — proofs in text: "inclusion(I, N) [h, ...]" and
 * "consistency(M, N) [h, ...]" (brop_merkle.h).
 */
#include <stdio.h>
#include <string.h>

#include "brop.h"

#define U63_MAX ((uint64_t) INT64_MAX)

typedef struct
{
	const char *s;
	const char *end;
} cursor;

static void
skip_space(cursor *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r'))
		c->s++;
}

static int
expect(cursor *c, char ch)
{
	skip_space(c);
	if (c->s >= c->end || *c->s != ch)
		return 0;
	c->s++;
	return 1;
}

static int
word(cursor *c, const char *w)
{
	size_t		n = strlen(w);

	skip_space(c);
	if ((size_t) (c->end - c->s) < n || memcmp(c->s, w, n) != 0)
		return 0;
	c->s += n;
	return 1;
}

/* canonical decimal below 2^63 */
static int
number(cursor *c, uint64_t *v)
{
	uint64_t	acc = 0;
	const char *start;

	skip_space(c);
	start = c->s;
	while (c->s < c->end && *c->s >= '0' && *c->s <= '9')
	{
		unsigned	d = (unsigned) (*c->s - '0');

		if (acc > (U63_MAX - d) / 10)
			return 0;
		acc = acc * 10 + d;
		c->s++;
	}
	if (c->s == start || (c->s - start > 1 && *start == '0'))
		return 0;
	*v = acc;
	return 1;
}

int
brop_merkle_proof_parse(brop_merkle_proof *p, const char *text, size_t len)
{
	cursor		c;

	if (p == NULL || (text == NULL && len > 0))
		return BROP_EINVAL;
	memset(p, 0, sizeof *p);
	c.s = text;
	c.end = text + len;
	if (word(&c, "inclusion"))
		p->kind = BROP_PROOF_INCLUSION;
	else if (word(&c, "consistency"))
		p->kind = BROP_PROOF_CONSISTENCY;
	else
		return BROP_EENCODING;
	if (!expect(&c, '(') || !number(&c, &p->a) || !expect(&c, ',') ||
		!number(&c, &p->b) || !expect(&c, ')') || !expect(&c, '['))
		return BROP_EENCODING;
	skip_space(&c);
	if (c.s < c.end && *c.s != ']')
	{
		for (;;)
		{
			size_t		digits = 0,
						got;

			skip_space(&c);
			/* one past a hash's length is enough to refuse a run of digits */
			while (c.s + digits < c.end && digits <= 2 * BROP_MERKLE_HASH_BYTES &&
				   strchr("0123456789abcdefABCDEF", c.s[digits]) != NULL && c.s[digits] != '\0')
				digits++;
			if (digits != 2 * BROP_MERKLE_HASH_BYTES || p->n == BROP_MERKLE_MAX_PROOF)
				return BROP_ELENGTH;
			if (brop_hex_decode(p->hashes[p->n], BROP_MERKLE_HASH_BYTES, &got, c.s, digits) != 0)
				return BROP_EENCODING;
			c.s += digits;
			p->n++;
			skip_space(&c);
			if (c.s < c.end && *c.s == ']')
				break;
			if (!expect(&c, ','))
				return BROP_EENCODING;
		}
	}
	if (!expect(&c, ']'))
		return BROP_EENCODING;
	skip_space(&c);
	if (c.s != c.end)
		return BROP_EENCODING;
	if (p->kind == BROP_PROOF_INCLUSION ? p->a >= p->b : p->a > p->b)
		return BROP_EINVAL;
	return BROP_OK;
}

int
brop_merkle_proof_format(char *out, size_t cap, size_t *outlen, const brop_merkle_proof *p)
{
	size_t		n;
	int			w;

	if (out == NULL || outlen == NULL || p == NULL || p->n > BROP_MERKLE_MAX_PROOF ||
		(p->kind != BROP_PROOF_INCLUSION && p->kind != BROP_PROOF_CONSISTENCY))
		return BROP_EINVAL;
	w = snprintf(out, cap, "%s(%llu, %llu) [",
				 p->kind == BROP_PROOF_INCLUSION ? "inclusion" : "consistency",
				 (unsigned long long) p->a, (unsigned long long) p->b);
	if (w < 0 || (size_t) w >= cap)
		return BROP_EBUFFER;
	n = (size_t) w;
	for (size_t i = 0; i < p->n; i++)
	{
		size_t		h;

		if (cap - n < 2 + 2 * BROP_MERKLE_HASH_BYTES + 2)
			return BROP_EBUFFER;
		if (i > 0)
		{
			out[n++] = ',';
			out[n++] = ' ';
		}
		if (brop_hex_encode(out + n, cap - n, &h, p->hashes[i], BROP_MERKLE_HASH_BYTES) != 0)
			return BROP_EBUFFER;
		n += h;
	}
	if (cap - n < 2)
		return BROP_EBUFFER;
	out[n++] = ']';
	out[n] = '\0';
	*outlen = n;
	return BROP_OK;
}
