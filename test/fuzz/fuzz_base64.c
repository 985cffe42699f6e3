/*
 * fuzz_base64.c — libFuzzer harness for brop_base64_decode / _encode.
 *
 * The first byte picks the variant (even: standard, odd: url-safe); the
 * rest is the text. Properties: when it decodes, encoding the bytes gives
 * the text back exactly (strict decoding: one text per byte string); the
 * decoder writes no more than it needs; any bytes encode and decode back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

static void
decode_then_encode(const char *in, size_t inlen, brop_base64_variant variant)
{
	size_t		cap = BROP_BASE64_DECODED_MAX(inlen);
	unsigned char *dec = malloc(cap);
	unsigned char *exact;
	char	   *enc;
	size_t		n = 0,
				m = 0;
	int			rc;

	if (dec == NULL)
		abort();
	rc = brop_base64_decode(dec, cap, &n, in, inlen, variant);
	if (rc != 0)
	{
		if (rc != BROP_ELENGTH && rc != BROP_EENCODING && rc != BROP_ENONCANONICAL)
			abort();
		free(dec);
		return;
	}
	if (n > cap)
		abort();
	/* exactly n bytes of room are enough, n - 1 are not */
	exact = malloc(n + 1);
	if (exact == NULL)
		abort();
	if (brop_base64_decode(exact, n, &m, in, inlen, variant) != 0 || m != n ||
		memcmp(exact, dec, n) != 0)
		abort();
	if (n > 0 && brop_base64_decode(exact, n - 1, &m, in, inlen, variant) != BROP_EBUFFER)
		abort();
	free(exact);

	enc = malloc(inlen + 1);
	if (enc == NULL)
		abort();
	if (brop_base64_encode(enc, inlen, &m, dec, n, variant) != 0)
		abort();
	if (m != inlen || memcmp(enc, in, inlen) != 0)
		abort();
	free(enc);
	free(dec);
}

static void
encode_then_decode(const unsigned char *in, size_t inlen, brop_base64_variant variant)
{
	size_t		need = variant == BROP_BASE64_STANDARD ?
		BROP_BASE64_ENCODED_LEN(inlen) : BROP_BASE64URL_ENCODED_LEN(inlen);
	char	   *enc = malloc(need + 1);
	unsigned char *dec = malloc(inlen + 1);
	size_t		n = 0,
				m = 0;

	if (enc == NULL || dec == NULL)
		abort();
	if (need > 0 && brop_base64_encode(enc, need - 1, &n, in, inlen, variant) != BROP_EBUFFER)
		abort();
	if (brop_base64_encode(enc, need, &n, in, inlen, variant) != 0 || n != need)
		abort();
	if (brop_base64_decode(dec, inlen, &m, enc, n, variant) != 0 || m != inlen ||
		memcmp(dec, in, inlen) != 0)
		abort();
	free(enc);
	free(dec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	brop_base64_variant variant;

	if (size == 0)
		return 0;
	variant = (data[0] & 1) ? BROP_BASE64_URLSAFE : BROP_BASE64_STANDARD;
	decode_then_encode((const char *) data + 1, size - 1, variant);
	encode_then_decode(data + 1, size - 1, variant);
	return 0;
}
