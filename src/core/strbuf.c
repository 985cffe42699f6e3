/*
 * strbuf.c — a growing text buffer for the core's producers of unbounded
 * output (credentials), on malloc; the result is copied into the caller's
 * allocator at the end. A failed append marks the buffer, so a producer
 * checks once, at brop__str_finish.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
brop__str_add(brop__str *s, const char *p, size_t n)
{
	if (s->failed)
		return;
	if (n >= s->cap - s->len || s->data == NULL)
	{
		size_t		cap = s->cap ? s->cap : 256;
		char	   *d;

		while (cap - s->len <= n)
		{
			if (cap > SIZE_MAX / 2)
			{
				s->failed = 1;
				return;
			}
			cap *= 2;
		}
		d = realloc(s->data, cap);
		if (d == NULL)
		{
			s->failed = 1;
			return;
		}
		s->data = d;
		s->cap = cap;
	}
	if (n > 0)
		memcpy(s->data + s->len, p, n);
	s->len += n;
	s->data[s->len] = '\0';
}

void
brop__str_adds(brop__str *s, const char *p)
{
	brop__str_add(s, p, strlen(p));
}

void
brop__str_b64url(brop__str *s, const unsigned char *p, size_t n)
{
	size_t		need = BROP_BASE64URL_ENCODED_LEN(n);
	size_t		written;

	/* make room, then encode in place */
	brop__str_add(s, "", 0);
	if (s->failed)
		return;
	if (need >= s->cap - s->len)
	{
		size_t		len = s->len;

		brop__str_add(s, NULL, 0);
		s->len = len;
		while (!s->failed && need >= s->cap - s->len)
		{
			char	   *d = realloc(s->data, s->cap * 2);

			if (d == NULL)
				s->failed = 1;
			else
			{
				s->data = d;
				s->cap *= 2;
			}
		}
		if (s->failed)
			return;
	}
	if (brop_base64_encode(s->data + s->len, s->cap - s->len, &written, p, n,
						   BROP_BASE64_URLSAFE) != 0)
	{
		s->failed = 1;
		return;
	}
	s->len += written;
	s->data[s->len] = '\0';
}

void
brop__str_free(brop__str *s)
{
	free(s->data);
	memset(s, 0, sizeof *s);
}

int
brop__str_finish(brop__str *s, char **out, size_t *outlen, const brop_allocator *a)
{
	char	   *p;

	brop__str_add(s, "", 0);
	if (s->failed)
	{
		brop__str_free(s);
		return BROP_ENOMEM;
	}
	p = brop__alloc(a, s->len + 1);
	if (p == NULL)
	{
		brop__str_free(s);
		return BROP_ENOMEM;
	}
	memcpy(p, s->data, s->len + 1);
	*out = p;
	if (outlen != NULL)
		*outlen = s->len;
	brop__str_free(s);
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
