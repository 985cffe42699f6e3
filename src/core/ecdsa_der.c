/*
 * ecdsa_der.c — ECDSA signatures between the compact form r||s (two 32-byte
 * big-endian scalars) and DER (X.690):
 *
 *   SEQUENCE { INTEGER r, INTEGER s }   = 30 len 02 rlen r 02 slen s
 *
 * The reader is strict: short-form lengths only (the content never reaches
 * 128 bytes), minimal two's-complement integers (no leading zero byte unless
 * the next byte has its top bit set), no negative integers, integers of at
 * most 32 significant bytes, and nothing after the sequence. So each compact
 * signature has exactly one DER form and the two functions are inverse.
 * Range checks (0 < r, s < n) belong to the verifiers.
 */
#include <string.h>

#include "internal.h"

#define DER_SEQUENCE 0x30
#define DER_INTEGER 0x02
#define DER_MIN_BYTES 8			/* 30 06 02 01 xx 02 01 xx */

/* Content bytes of the minimal INTEGER for a 32-byte unsigned big-endian v. */
static size_t
integer_len(const unsigned char *v, size_t *skip)
{
	size_t		i = 0;

	while (i < 31 && v[i] == 0)
		i++;
	*skip = i;
	return (32 - i) + ((v[i] & 0x80) ? 1 : 0);
}

static unsigned char *
put_integer(unsigned char *p, const unsigned char *v)
{
	size_t		skip;
	size_t		len = integer_len(v, &skip);

	*p++ = DER_INTEGER;
	*p++ = (unsigned char) len;
	if (v[skip] & 0x80)
		*p++ = 0x00;
	memcpy(p, v + skip, 32 - skip);
	return p + (32 - skip);
}

int
brop_ecdsa_sig_to_der(unsigned char *der, size_t cap, size_t *derlen,
					  const unsigned char sig[BROP_SIGNATURE_BYTES])
{
	size_t		skip;
	size_t		rlen;
	size_t		slen;
	size_t		total;
	unsigned char *p;

	if (der == NULL || derlen == NULL || sig == NULL)
		return BROP_EINVAL;
	rlen = integer_len(sig, &skip);
	slen = integer_len(sig + 32, &skip);
	total = 2 + (2 + rlen) + (2 + slen);
	if (cap < total)
		return BROP_EBUFFER;

	p = der;
	*p++ = DER_SEQUENCE;
	*p++ = (unsigned char) (total - 2);
	p = put_integer(p, sig);
	p = put_integer(p, sig + 32);
	*derlen = (size_t) (p - der);
	return BROP_OK;
}

/*
 * Read one strict INTEGER at der[*pos..end) into out (32 bytes, left-padded
 * with zeros). Advances *pos.
 */
static int
get_integer(unsigned char out[32], const unsigned char *der, size_t *pos, size_t end)
{
	size_t		p = *pos;
	size_t		len;

	if (end - p < 3 || der[p] != DER_INTEGER)
		return BROP_ESIG;
	len = der[p + 1];
	p += 2;
	/* Short form only; at least one content byte; inside the sequence. */
	if (len & 0x80 || len == 0 || len > end - p)
		return BROP_ESIG;
	if (der[p] & 0x80)
		return BROP_ESIG;		/* negative */
	if (len > 1 && der[p] == 0x00 && !(der[p + 1] & 0x80))
		return BROP_ESIG;		/* leading zero that is not needed */
	if (der[p] == 0x00 && len > 1)
	{
		/* the sign byte in front of a value with its top bit set */
		p++;
		len--;
	}
	if (len > 32)
		return BROP_ESIG;
	memset(out, 0, 32 - len);
	memcpy(out + (32 - len), der + p, len);
	*pos = p + len;
	return BROP_OK;
}

int
brop_ecdsa_sig_from_der(unsigned char sig[BROP_SIGNATURE_BYTES],
						const unsigned char *der, size_t derlen)
{
	unsigned char tmp[BROP_SIGNATURE_BYTES];
	size_t		pos;

	if (sig == NULL || (der == NULL && derlen > 0))
		return BROP_EINVAL;
	if (derlen < DER_MIN_BYTES || derlen > BROP_ECDSA_DER_MAX_BYTES)
		return BROP_ESIG;
	if (der[0] != DER_SEQUENCE || (der[1] & 0x80) || (size_t) der[1] != derlen - 2)
		return BROP_ESIG;
	pos = 2;
	if (get_integer(tmp, der, &pos, derlen) != 0 ||
		get_integer(tmp + 32, der, &pos, derlen) != 0)
		return BROP_ESIG;
	if (pos != derlen)
		return BROP_ESIG;		/* bytes after the second integer */
	memcpy(sig, tmp, sizeof tmp);
	return BROP_OK;
}
