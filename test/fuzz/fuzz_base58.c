/*
 * fuzz_base58.c — libFuzzer harness for brop_base58_decode / _encode.
 *
 * Properties: when the input decodes, encoding the bytes gives the input
 * back exactly; decoded and encoded lengths stay within the header's
 * bounds; exactly the needed room is enough; any bytes encode and decode
 * back. base58 is quadratic, so inputs are capped at 1 KiB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

#define MAX_INPUT 1024

static void
decode_then_encode(const char *in, size_t inlen)
{
	/* every character yields at most one byte */
	unsigned char *dec = malloc(inlen + 1);
	unsigned char *exact;
	char	   *enc;
	size_t		n = 0,
				m = 0;
	int			rc;

	if (dec == NULL)
		abort();
	rc = brop_base58_decode(dec, inlen, &n, in, inlen);
	if (rc != 0)
	{
		if (rc != BROP_EENCODING)
			abort();
		free(dec);
		return;
	}
	if (n > inlen)
		abort();
	exact = malloc(n + 1);
	if (exact == NULL)
		abort();
	if (brop_base58_decode(exact, n, &m, in, inlen) != 0 || m != n || memcmp(exact, dec, n) != 0)
		abort();
	if (n > 0 && brop_base58_decode(exact, n - 1, &m, in, inlen) != BROP_EBUFFER)
		abort();
	free(exact);

	enc = malloc(inlen + 1);
	if (enc == NULL)
		abort();
	if (brop_base58_encode(enc, inlen, &m, dec, n) != 0)
		abort();
	if (m != inlen || memcmp(enc, in, inlen) != 0)
		abort();
	free(enc);
	free(dec);
}

static void
encode_then_decode(const unsigned char *in, size_t inlen)
{
	size_t		cap = BROP_BASE58_ENCODED_MAX(inlen);
	char	   *enc = malloc(cap);
	char	   *exact;
	unsigned char *dec = malloc(inlen + 1);
	size_t		n = 0,
				m = 0;

	if (enc == NULL || dec == NULL)
		abort();
	if (brop_base58_encode(enc, cap, &n, in, inlen) != 0 || n > cap)
		abort();
	exact = malloc(n + 1);
	if (exact == NULL)
		abort();
	if (brop_base58_encode(exact, n, &m, in, inlen) != 0 || m != n || memcmp(exact, enc, n) != 0)
		abort();
	if (n > 0 && brop_base58_encode(exact, n - 1, &m, in, inlen) != BROP_EBUFFER)
		abort();
	if (brop_base58_decode(dec, inlen, &m, enc, n) != 0 || m != inlen || memcmp(dec, in, inlen) != 0)
		abort();
	free(exact);
	free(enc);
	free(dec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	decode_then_encode((const char *) data, size);
	encode_then_decode(data, size);
	return 0;
}
