/*
 * strbuf.c — a growing text buffer for the core's producers of unbounded
 * output, built in the caller's allocator when it asks (brop__str's a), so
 * that the result is handed over without a copy. Growing copies into a new
 * block and wipes the old one; a failed append marks the buffer, so a
 * producer checks once, at brop__str_finish.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "brop_hash.h"

int
brop__str_grow(brop__str *s, size_t n)
{
	size_t		cap = s->cap ? s->cap : 256;
	char	   *d;

	if (s->failed)
		return -1;
	if (s->data != NULL && n < s->cap - s->len)
		return 0;
	if (s->fixed)
	{
		s->failed = 1;
		return -1;
	}
	while (cap - s->len <= n)
	{
		if (cap > SIZE_MAX / 2)
		{
			s->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	d = brop__alloc(s->a, cap);
	if (d == NULL)
	{
		s->failed = 1;
		return -1;
	}
	if (s->data != NULL)
	{
		memcpy(d, s->data, s->len);
		brop_wipe(s->data, s->cap);
		brop__dealloc(s->a, s->data);
	}
	s->data = d;
	s->cap = cap;
	return 0;
}

void
brop__str_adds(brop__str *s, const char *p)
{
	brop__str_add(s, p, strlen(p));
}

void
brop__str_u64(brop__str *s, uint64_t v)
{
	char		d[20];
	size_t		n = sizeof d;

	do
	{
		d[--n] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0);
	brop__str_add(s, d + n, sizeof d - n);
}

void
brop__str_b64url(brop__str *s, const unsigned char *p, size_t n)
{
	size_t		written;

	if (brop__str_reserve(s, BROP_BASE64URL_ENCODED_LEN(n)) != 0)
		return;
	if (brop_base64_encode(s->data + s->len, s->cap - s->len, &written, p, n, BROP_BASE64_URLSAFE) != 0)
	{
		s->failed = 1;
		return;
	}
	s->len += written;
}

void
brop__str_free(brop__str *s)
{
	const brop_allocator *a = s->a;

	if (s->data != NULL)
	{
		brop_wipe(s->data, s->cap);
		if (!s->fixed)			/* a fixed buffer is the caller's */
			brop__dealloc(a, s->data);
	}
	memset(s, 0, sizeof *s);
	s->a = a;
}

int
brop__str_finish(brop__str *s, char **out, size_t *outlen, const brop_allocator *a)
{
	char	   *p;
	size_t		len;

	if (brop__str_reserve(s, 0) != 0)
	{
		brop__str_free(s);
		return BROP_ENOMEM;
	}
	s->data[s->len] = '\0';
	len = s->len;
	if (s->a == a)
		p = s->data;
	else
	{
		p = brop__alloc(a, len + 1);
		if (p == NULL)
		{
			brop__str_free(s);
			return BROP_ENOMEM;
		}
		memcpy(p, s->data, len + 1);
		brop__str_free(s);
	}
	*out = p;
	if (outlen != NULL)
		*outlen = len;
	memset(s, 0, sizeof *s);
	return BROP_OK;
}

static void *
malloc_realloc(void *ctx, void *ptr, size_t size)
{
	(void) ctx;
	return realloc(ptr, size);
}

static void
malloc_free(void *ctx, void *ptr)
{
	(void) ctx;
	free(ptr);
}

const brop_allocator brop__malloc_allocator = {malloc_realloc, malloc_free, NULL};

void *
brop__alloc(const brop_allocator *a, size_t n)
{
	if (a == NULL)
		a = &brop__malloc_allocator;
	return a->realloc(a->ctx, NULL, n);
}

void
brop__dealloc(const brop_allocator *a, void *p)
{
	if (p == NULL)
		return;
	if (a == NULL)
		a = &brop__malloc_allocator;
	a->free(a->ctx, p);
}

void
brop__reason(brop_reason *why, const char *fmt,...)
{
	va_list		ap;

	if (why == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(why->text, sizeof why->text, fmt, ap);
	va_end(ap);
}

int
brop__str_finish_rc(brop__str *s, int rc, char **out, size_t *outlen, const brop_allocator *a)
{
	if (rc != 0)
	{
		brop__str_free(s);
		return rc;
	}
	return brop__str_finish(s, out, outlen, a);
}
