/*
 * encoding.c — hex, base64, base58btc, multibase, unsigned varint.
 *
 * Decoders are strict and branch on public data only (these encodings carry
 * identifiers, digests and signatures, not secrets).
 */
#include <string.h>

#include "brop.h"

/*
 * Hex and base64 are linear; for inputs of any size they ask a cancel
 * callback (the _cancellable forms) between steps of ENCODING_STEP input
 * bytes, the inner loops unchanged.
 */
#define ENCODING_STEP ((size_t) 3 << 20)	/* 3 MiB: whole base64 groups */

static inline int
cancel_asked(const brop_cancel *cancel, size_t done)
{
	return done > 0 && cancel != NULL && cancel->requested(cancel->arg);
}

static inline size_t
step_end(size_t start, size_t len)
{
	return len - start < ENCODING_STEP ? len : start + ENCODING_STEP;
}

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

static int
hex_encode_with(char *out, size_t outcap, size_t *outlen,
				const unsigned char *in, size_t inlen, const char *digits,
				const brop_cancel *cancel)
{
	if (inlen > SIZE_MAX / 2 || outcap < inlen * 2)
		return BROP_EBUFFER;
	if (cancel == NULL)
	{
		/* nothing to ask between steps: one loop */
		for (size_t i = 0; i < inlen; i++)
		{
			out[2 * i] = digits[in[i] >> 4];
			out[2 * i + 1] = digits[in[i] & 0x0f];
		}
		*outlen = inlen * 2;
		return BROP_OK;
	}
	for (size_t start = 0; start < inlen; start = step_end(start, inlen))
	{
		size_t		end = step_end(start, inlen);

		if (cancel_asked(cancel, start))
			return BROP_ECANCELED;
		for (size_t i = start; i < end; i++)
		{
			out[2 * i] = digits[in[i] >> 4];
			out[2 * i + 1] = digits[in[i] & 0x0f];
		}
	}
	*outlen = inlen * 2;
	return BROP_OK;
}

int
brop_hex_encode(char *out, size_t outcap, size_t *outlen,
				const unsigned char *in, size_t inlen)
{
	return hex_encode_with(out, outcap, outlen, in, inlen, hex_lower, NULL);
}

int
brop_hex_encode_cancellable(char *out, size_t outcap, size_t *outlen,
							const unsigned char *in, size_t inlen, const brop_cancel *cancel)
{
	return hex_encode_with(out, outcap, outlen, in, inlen, hex_lower, cancel);
}

static inline int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
hex_decode_impl(unsigned char *out, size_t outcap, size_t *outlen,
				const char *in, size_t inlen, const brop_cancel *cancel)
{
	if (inlen % 2 != 0)
		return BROP_ELENGTH;
	if (outcap < inlen / 2)
		return BROP_EBUFFER;
	/* ENCODING_STEP is even: steps end between digit pairs */
	for (size_t start = 0; start < inlen; start = step_end(start, inlen))
	{
		size_t		end = step_end(start, inlen);

		if (cancel_asked(cancel, start))
			return BROP_ECANCELED;
		for (size_t i = start; i < end; i += 2)
		{
			int			hi = hex_value((unsigned char) in[i]);
			int			lo = hex_value((unsigned char) in[i + 1]);

			if (hi < 0 || lo < 0)
				return BROP_EENCODING;
			out[i / 2] = (unsigned char) (hi << 4 | lo);
		}
	}
	*outlen = inlen / 2;
	return BROP_OK;
}

int
brop_hex_decode(unsigned char *out, size_t outcap, size_t *outlen,
				const char *in, size_t inlen)
{
	return hex_decode_impl(out, outcap, outlen, in, inlen, NULL);
}

int
brop_hex_decode_cancellable(unsigned char *out, size_t outcap, size_t *outlen,
							const char *in, size_t inlen, const brop_cancel *cancel)
{
	return hex_decode_impl(out, outcap, outlen, in, inlen, cancel);
}

/* ---- base64 -------------------------------------------------------------- */

static const char b64_std[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int
base64_encode_impl(char *out, size_t outcap, size_t *outlen,
				   const unsigned char *in, size_t inlen,
				   const char *alphabet, int pad, const brop_cancel *cancel)
{
	size_t		need;
	size_t		o = 0;
	size_t		i = 0;

	if (inlen > (SIZE_MAX / 4) * 3 - 3)
		return BROP_EBUFFER;
	need = pad ? BROP_BASE64_ENCODED_LEN(inlen) : BROP_BASE64URL_ENCODED_LEN(inlen);
	if (outcap < need)
		return BROP_EBUFFER;

	/* ENCODING_STEP is a multiple of 3: steps end between groups */
	for (size_t start = 0; start < inlen; start = step_end(start, inlen))
	{
		size_t		end = step_end(start, inlen);

		if (cancel_asked(cancel, start))
			return BROP_ECANCELED;
		for (; i + 3 <= end; i += 3)
		{
			uint32_t	v = (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8 | in[i + 2];

			out[o++] = alphabet[v >> 18];
			out[o++] = alphabet[(v >> 12) & 63];
			out[o++] = alphabet[(v >> 6) & 63];
			out[o++] = alphabet[v & 63];
		}
	}
	if (inlen - i == 1)
	{
		uint32_t	v = (uint32_t) in[i] << 16;

		out[o++] = alphabet[v >> 18];
		out[o++] = alphabet[(v >> 12) & 63];
		if (pad)
		{
			out[o++] = '=';
			out[o++] = '=';
		}
	}
	else if (inlen - i == 2)
	{
		uint32_t	v = (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8;

		out[o++] = alphabet[v >> 18];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
		if (pad)
			out[o++] = '=';
	}
	*outlen = o;
	return BROP_OK;
}

int
brop_base64_encode_cancellable(char *out, size_t outcap, size_t *outlen,
							   const unsigned char *in, size_t inlen,
							   brop_base64_variant variant, const brop_cancel *cancel)
{
	switch (variant)
	{
		case BROP_BASE64_STANDARD:
			return base64_encode_impl(out, outcap, outlen, in, inlen, b64_std, 1, cancel);
		case BROP_BASE64_URLSAFE:
			return base64_encode_impl(out, outcap, outlen, in, inlen, b64_url, 0, cancel);
	}
	return BROP_EINVAL;
}

int
brop_base64_encode(char *out, size_t outcap, size_t *outlen,
				   const unsigned char *in, size_t inlen,
				   brop_base64_variant variant)
{
	return brop_base64_encode_cancellable(out, outcap, outlen, in, inlen, variant, NULL);
}

static inline int
b64_value(unsigned char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

static int
base64_decode_impl(unsigned char *out, size_t outcap, size_t *outlen,
				   const char *in, size_t inlen, int url, int padded,
				   const brop_cancel *cancel)
{
	size_t		body = inlen;
	size_t		rem;
	size_t		need;
	size_t		o = 0;
	uint32_t	acc = 0;
	int			bits = 0;

	if (padded)
	{
		if (inlen % 4 != 0)
			return BROP_ELENGTH;
		if (body > 0 && in[body - 1] == '=')
			body--;
		if (body > 0 && in[body - 1] == '=')
			body--;
	}
	rem = body % 4;
	if (rem == 1)
		return padded ? BROP_EENCODING : BROP_ELENGTH;
	need = body / 4 * 3 + (rem ? rem - 1 : 0);
	if (outcap < need)
		return BROP_EBUFFER;

	for (size_t start = 0; start < body; start = step_end(start, body))
	{
		size_t		end = step_end(start, body);

		if (cancel_asked(cancel, start))
			return BROP_ECANCELED;
		for (size_t i = start; i < end; i++)
		{
			int			v = b64_value((unsigned char) in[i], url);

			if (v < 0)
				return BROP_EENCODING;
			acc = (acc << 6) | (uint32_t) v;
			bits += 6;
			if (bits >= 8)
			{
				bits -= 8;
				out[o++] = (unsigned char) (acc >> bits);
				acc &= (1u << bits) - 1;
			}
		}
	}
	/* Leftover bits (2 or 4) must be zero: one encoding per byte string. */
	if (acc != 0)
		return BROP_ENONCANONICAL;
	*outlen = o;
	return BROP_OK;
}

int
brop_base64_decode_cancellable(unsigned char *out, size_t outcap, size_t *outlen,
							   const char *in, size_t inlen,
							   brop_base64_variant variant, const brop_cancel *cancel)
{
	switch (variant)
	{
		case BROP_BASE64_STANDARD:
			return base64_decode_impl(out, outcap, outlen, in, inlen, 0, 1, cancel);
		case BROP_BASE64_URLSAFE:
			return base64_decode_impl(out, outcap, outlen, in, inlen, 1, 0, cancel);
	}
	return BROP_EINVAL;
}

int
brop_base64_decode(unsigned char *out, size_t outcap, size_t *outlen,
				   const char *in, size_t inlen,
				   brop_base64_variant variant)
{
	return brop_base64_decode_cancellable(out, outcap, outlen, in, inlen, variant, NULL);
}

/* ---- base58btc ----------------------------------------------------------- */

static const char b58_alphabet[] =
"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static const signed char b58_map[128] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1, -1, -1,
	-1, 9, 10, 11, 12, 13, 14, 15, 16, -1, 17, 18, 19, 20, 21, -1,
	22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, -1, -1, -1, -1, -1,
	-1, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, -1, 44, 45, 46,
	47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, -1, -1, -1, -1, -1,
};

/*
 * Quadratic big-number base conversion, done in place in the output buffer:
 * fine for the short strings (keys, digests, signatures) base58 carries, and
 * bounded by BROP_BASE58_MAX_BYTES and BROP_BASE58_MAX_TEXT (docs/security.md),
 * so one call takes a few milliseconds at most. A decode into a small buffer
 * stops as soon as the number outgrows it.
 */
int
brop_base58_encode(char *out, size_t outcap, size_t *outlen,
				   const unsigned char *in, size_t inlen)
{
	size_t		zeros = 0;
	size_t		ndigits = 0;	/* base-58 digits, least significant first, kept in out */

	if (inlen > BROP_BASE58_MAX_BYTES)
		return BROP_ELENGTH;
	while (zeros < inlen && in[zeros] == 0)
		zeros++;

	for (size_t i = zeros; i < inlen; i++)
	{
		unsigned int carry = in[i];

		for (size_t j = 0; j < ndigits; j++)
		{
			carry += (unsigned int) (unsigned char) out[j] << 8;
			out[j] = (char) (carry % 58);
			carry /= 58;
		}
		while (carry > 0)
		{
			if (ndigits >= outcap)
				return BROP_EBUFFER;
			out[ndigits++] = (char) (carry % 58);
			carry /= 58;
		}
	}
	if (zeros + ndigits > outcap)
		return BROP_EBUFFER;

	/* Digits are least significant first: reverse behind the leading '1's. */
	memmove(out + zeros, out, ndigits);
	for (size_t k = 0; k < zeros; k++)
		out[k] = '1';
	for (size_t a = zeros, b = zeros + ndigits; a + 1 < b; a++, b--)
	{
		char		t = out[a];

		out[a] = out[b - 1];
		out[b - 1] = t;
	}
	for (size_t k = zeros; k < zeros + ndigits; k++)
		out[k] = b58_alphabet[(unsigned char) out[k]];
	*outlen = zeros + ndigits;
	return BROP_OK;
}

int
brop_base58_decode(unsigned char *out, size_t outcap, size_t *outlen,
				   const char *in, size_t inlen)
{
	size_t		zeros = 0;
	size_t		nbytes = 0;		/* bytes, least significant first, kept in out */

	if (inlen > BROP_BASE58_MAX_TEXT)
		return BROP_ELENGTH;
	while (zeros < inlen && in[zeros] == '1')
		zeros++;

	for (size_t i = zeros; i < inlen; i++)
	{
		unsigned char c = (unsigned char) in[i];
		unsigned int carry;

		if (c >= 128 || b58_map[c] < 0)
			return BROP_EENCODING;
		carry = (unsigned int) b58_map[c];
		for (size_t j = 0; j < nbytes; j++)
		{
			carry += (unsigned int) out[j] * 58;
			out[j] = (unsigned char) (carry & 0xff);
			carry >>= 8;
		}
		while (carry > 0)
		{
			if (nbytes >= outcap)
				return BROP_EBUFFER;
			out[nbytes++] = (unsigned char) (carry & 0xff);
			carry >>= 8;
		}
	}
	if (zeros + nbytes > outcap)
		return BROP_EBUFFER;

	memmove(out + zeros, out, nbytes);
	memset(out, 0, zeros);
	for (size_t a = zeros, b = zeros + nbytes; a + 1 < b; a++, b--)
	{
		unsigned char t = out[a];

		out[a] = out[b - 1];
		out[b - 1] = t;
	}
	*outlen = zeros + nbytes;
	return BROP_OK;
}

/* ---- multibase ----------------------------------------------------------- */

int
brop_multibase_encode(char *out, size_t outcap, size_t *outlen, char prefix,
					  const unsigned char *in, size_t inlen)
{
	return brop_multibase_encode_cancellable(out, outcap, outlen, prefix, in, inlen, NULL);
}

int
brop_multibase_encode_cancellable(char *out, size_t outcap, size_t *outlen, char prefix,
								  const unsigned char *in, size_t inlen, const brop_cancel *cancel)
{
	size_t		n = 0;
	int			rc;

	if (outcap < 1)
		return BROP_EBUFFER;
	switch (prefix)
	{
		case 'z':
			rc = brop_base58_encode(out + 1, outcap - 1, &n, in, inlen);
			break;
		case 'f':
			rc = hex_encode_with(out + 1, outcap - 1, &n, in, inlen, hex_lower, cancel);
			break;
		case 'F':
			rc = hex_encode_with(out + 1, outcap - 1, &n, in, inlen, hex_upper, cancel);
			break;
		case 'm':
			rc = base64_encode_impl(out + 1, outcap - 1, &n, in, inlen, b64_std, 0, cancel);
			break;
		case 'M':
			rc = base64_encode_impl(out + 1, outcap - 1, &n, in, inlen, b64_std, 1, cancel);
			break;
		case 'u':
			rc = base64_encode_impl(out + 1, outcap - 1, &n, in, inlen, b64_url, 0, cancel);
			break;
		default:
			return BROP_EALG;
	}
	if (rc != 0)
		return rc;
	out[0] = prefix;
	*outlen = n + 1;
	return BROP_OK;
}

int
brop_multibase_decode(unsigned char *out, size_t outcap, size_t *outlen, char *prefix,
					  const char *in, size_t inlen)
{
	return brop_multibase_decode_cancellable(out, outcap, outlen, prefix, in, inlen, NULL);
}

int
brop_multibase_decode_cancellable(unsigned char *out, size_t outcap, size_t *outlen, char *prefix,
								  const char *in, size_t inlen, const brop_cancel *cancel)
{
	int			rc;

	if (inlen < 1)
		return BROP_ELENGTH;
	switch (in[0])
	{
		case 'z':
			rc = brop_base58_decode(out, outcap, outlen, in + 1, inlen - 1);
			break;
		case 'f':
		case 'F':
			{
				/* the prefix fixes the case of the digits */
				for (size_t start = 1; start < inlen; start = step_end(start, inlen))
				{
					size_t		end = step_end(start, inlen);

					if (cancel_asked(cancel, start - 1))
						return BROP_ECANCELED;
					for (size_t i = start; i < end; i++)
						if ((in[0] == 'f' && in[i] >= 'A' && in[i] <= 'F') ||
							(in[0] == 'F' && in[i] >= 'a' && in[i] <= 'f'))
							return BROP_EENCODING;
				}
				rc = hex_decode_impl(out, outcap, outlen, in + 1, inlen - 1, cancel);
				break;
			}
		case 'm':
			rc = base64_decode_impl(out, outcap, outlen, in + 1, inlen - 1, 0, 0, cancel);
			break;
		case 'M':
			rc = base64_decode_impl(out, outcap, outlen, in + 1, inlen - 1, 0, 1, cancel);
			break;
		case 'u':
			rc = base64_decode_impl(out, outcap, outlen, in + 1, inlen - 1, 1, 0, cancel);
			break;
		default:
			return BROP_EALG;
	}
	if (rc == 0 && prefix != NULL)
		*prefix = in[0];
	return rc;
}

/* ---- unsigned varint ----------------------------------------------------- */

int
brop_varint_encode(unsigned char out[BROP_VARINT_MAX_BYTES], size_t *outlen, uint64_t v)
{
	size_t		n = 0;

	if (v >> 63)
		return BROP_EOVERFLOW;
	do
	{
		unsigned char b = (unsigned char) (v & 0x7f);

		v >>= 7;
		out[n++] = v ? (unsigned char) (b | 0x80) : b;
	} while (v);
	*outlen = n;
	return BROP_OK;
}

int
brop_varint_decode(uint64_t *v, size_t *consumed, const unsigned char *in, size_t inlen)
{
	uint64_t	acc = 0;

	for (size_t i = 0; i < BROP_VARINT_MAX_BYTES; i++)
	{
		if (i >= inlen)
			return BROP_ELENGTH;
		acc |= (uint64_t) (in[i] & 0x7f) << (7 * i);
		if (!(in[i] & 0x80))
		{
			/* a final zero byte after the first adds nothing: not minimal */
			if (i > 0 && in[i] == 0)
				return BROP_ENONCANONICAL;
			*v = acc;
			*consumed = i + 1;
			return BROP_OK;
		}
	}
	return BROP_EOVERFLOW;
}
