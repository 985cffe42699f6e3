/*
 * capture_record.c — the capture queue's records (brop_capture_record.h):
 * the one writer and reader of their bytes.
 */
#include <string.h>

#include "internal.h"
#include "brop_capture_record.h"
#include "brop_encoding.h"

void
brop_capture_chunk_ad(unsigned char ad[BROP_CAPTURE_AD_BYTES], uint64_t xid, int32_t chunk)
{
	for (int i = 0; i < 8; i++)
		ad[i] = (unsigned char) (xid >> (56 - 8 * i));
	for (int i = 0; i < 4; i++)
		ad[8 + i] = (unsigned char) ((uint32_t) chunk >> (24 - 8 * i));
}

int
brop_capture_binary_size(int f)
{
	switch (f)
	{
		case BROP_CAPTURE_TIMESTAMPTZ:
		case BROP_CAPTURE_TIMESTAMP:
		case BROP_CAPTURE_FLOAT8:
			return 8;
		case BROP_CAPTURE_DATE:
		case BROP_CAPTURE_FLOAT4:
			return 4;
		case BROP_CAPTURE_INTERVAL:
		case BROP_CAPTURE_UUID:
			return 16;
		case BROP_CAPTURE_BYTEA:
			return 0;
		default:
			return -1;
	}
}

static int
op_ok(char op)
{
	return op == BROP_CAPTURE_INSERT || op == BROP_CAPTURE_UPDATE || op == BROP_CAPTURE_DELETE ||
		op == BROP_CAPTURE_EXISTING;
}

#define FLAGS_ALL (BROP_CAPTURE_NEW_REGISTRATION | BROP_CAPTURE_NEW_TIME | BROP_CAPTURE_SUBJECT)

static int
put_varint(unsigned char *out, size_t cap, size_t *n, uint64_t v)
{
	unsigned char b[BROP_VARINT_MAX_BYTES];
	size_t		len;
	int			rc = brop_varint_encode(b, &len, v);

	if (rc != 0)
		return rc;
	if (cap - *n < len)
		return BROP_EBUFFER;
	memcpy(out + *n, b, len);
	*n += len;
	return BROP_OK;
}

static int
get_varint(uint64_t *v, const unsigned char *p, size_t len, size_t *at)
{
	size_t		used;

	if (brop_varint_decode(v, &used, p + *at, len - *at) != 0)
		return BROP_EENCODING;
	*at += used;
	return BROP_OK;
}

int
brop_capture_head_write(unsigned char *out, size_t cap, size_t *outlen, const brop_capture_head *h)
{
	size_t		n = 2;
	int			rc;

	if (out == NULL || outlen == NULL || h == NULL || !op_ok(h->op) || (h->flags & ~FLAGS_ALL) != 0)
		return BROP_EINVAL;
	if (cap < BROP_CAPTURE_HEAD_MAX)
		return BROP_EBUFFER;
	out[0] = (unsigned char) h->op;
	out[1] = h->flags;
	if ((h->flags & BROP_CAPTURE_NEW_REGISTRATION) && (rc = put_varint(out, cap, &n, h->registration)) != 0)
		return rc;
	if (h->flags & BROP_CAPTURE_NEW_TIME)
	{
		for (int i = 0; i < 8; i++)
			out[n + i] = (unsigned char) ((uint64_t) h->time >> (56 - 8 * i));
		n += 8;
	}
	*outlen = n;
	return BROP_OK;
}

int
brop_capture_value_write(unsigned char *out, size_t cap, size_t *outlen, const brop_capture_value *v)
{
	size_t		n = 0;
	int			size,
				rc;

	if (out == NULL || outlen == NULL || v == NULL || (v->len > 0 && v->p == NULL))
		return BROP_EINVAL;
	if (v->format == BROP_CAPTURE_NULL)
		rc = put_varint(out, cap, &n, 0);
	else if (v->format == BROP_CAPTURE_TEXT)
		rc = v->len >= (UINT64_C(1) << 62) ? BROP_EOVERFLOW : put_varint(out, cap, &n, ((uint64_t) v->len << 1) | 1);
	else
	{
		size = brop_capture_binary_size(v->format);
		if (size < 0 || (size > 0 && v->len != (size_t) size))
			return BROP_EINVAL;
		rc = put_varint(out, cap, &n, (uint64_t) v->format << 1);
		if (rc == 0 && size == 0)
			rc = put_varint(out, cap, &n, v->len);
	}
	if (rc != 0)
		return rc;
	if (v->format != BROP_CAPTURE_NULL)
	{
		if (cap - n < v->len)
			return BROP_EBUFFER;
		if (v->len > 0)
			memcpy(out + n, v->p, v->len);
		n += v->len;
	}
	*outlen = n;
	return BROP_OK;
}

int
brop_capture_subject_write(unsigned char *out, size_t cap, size_t *outlen, const char *subject, size_t len)
{
	size_t		n = 0;
	int			rc;

	if (out == NULL || outlen == NULL || subject == NULL)
		return BROP_EINVAL;
	if ((rc = put_varint(out, cap, &n, len)) != 0)
		return rc;
	if (cap - n < len)
		return BROP_EBUFFER;
	memcpy(out + n, subject, len);
	*outlen = n + len;
	return BROP_OK;
}

int
brop_capture_head_read(brop_capture_head *h, const unsigned char *p, size_t len, size_t *at)
{
	if (h == NULL || at == NULL || (p == NULL && len > 0) || *at > len)
		return BROP_EINVAL;
	memset(h, 0, sizeof *h);
	if (len - *at < 2 || !op_ok((char) p[*at]) || (p[*at + 1] & ~FLAGS_ALL) != 0)
		return BROP_EENCODING;
	h->op = (char) p[*at];
	h->flags = p[*at + 1];
	*at += 2;
	if ((h->flags & BROP_CAPTURE_NEW_REGISTRATION) && get_varint(&h->registration, p, len, at) != 0)
		return BROP_EENCODING;
	if (h->flags & BROP_CAPTURE_NEW_TIME)
	{
		uint64_t	t = 0;

		if (len - *at < 8)
			return BROP_EENCODING;
		for (int i = 0; i < 8; i++)
			t = t << 8 | p[*at + i];
		h->time = (int64_t) t;
		*at += 8;
	}
	return BROP_OK;
}

int
brop_capture_value_read(brop_capture_value *v, const unsigned char *p, size_t len, size_t *at)
{
	uint64_t	h,
				n;
	int			size;

	if (v == NULL || at == NULL || (p == NULL && len > 0) || *at > len)
		return BROP_EINVAL;
	if (get_varint(&h, p, len, at) != 0)
		return BROP_EENCODING;
	v->p = NULL;
	v->len = 0;
	if (h == 0)
	{
		v->format = BROP_CAPTURE_NULL;
		return BROP_OK;
	}
	if (h & 1)
	{
		v->format = BROP_CAPTURE_TEXT;
		n = h >> 1;
	}
	else
	{
		if ((h >> 1) > BROP_CAPTURE_UUID || (size = brop_capture_binary_size((int) (h >> 1))) < 0)
			return BROP_EENCODING;
		v->format = (int) (h >> 1);
		if (size > 0)
			n = (uint64_t) size;
		else if (get_varint(&n, p, len, at) != 0)
			return BROP_EENCODING;
	}
	if (n > len - *at)
		return BROP_EENCODING;
	v->p = p + *at;
	v->len = (size_t) n;
	*at += (size_t) n;
	return BROP_OK;
}

int
brop_capture_subject_read(const char **subject, size_t *subject_len, const unsigned char *p, size_t len,
						  size_t *at)
{
	uint64_t	n;

	if (subject == NULL || subject_len == NULL || at == NULL || (p == NULL && len > 0) || *at > len)
		return BROP_EINVAL;
	if (get_varint(&n, p, len, at) != 0 || n > len - *at)
		return BROP_EENCODING;
	*subject = (const char *) p + *at;
	*subject_len = (size_t) n;
	*at += (size_t) n;
	return BROP_OK;
}
