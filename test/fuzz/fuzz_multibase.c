/*
 * fuzz_multibase.c — libFuzzer harness for brop_multibase_decode / _encode.
 *
 * Properties: when the input decodes, encoding the bytes under the prefix
 * it reported gives the input back exactly; unknown prefixes are
 * BROP_EALG; any bytes encode under each supported prefix and decode back.
 * Inputs are capped at 1 KiB (base58 is quadratic).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

#define MAX_INPUT 1024

static int
supported(char prefix)
{
	return prefix != '\0' && strchr("zfFmMu", prefix) != NULL;
}

static void
decode_then_encode(const char *in, size_t inlen)
{
	unsigned char *dec = malloc(inlen + 1);
	char	   *enc;
	char		prefix = 0;
	size_t		n = 0,
				m = 0;
	int			rc;

	if (dec == NULL)
		abort();
	rc = brop_multibase_decode(dec, inlen, &n, &prefix, in, inlen);
	if (rc != 0)
	{
		if (inlen > 0 && !supported(in[0]) && rc != BROP_EALG)
			abort();
		if (inlen > 0 && supported(in[0]) && rc == BROP_EALG)
			abort();
		free(dec);
		return;
	}
	if (inlen == 0 || prefix != in[0] || n > inlen)
		abort();
	enc = malloc(inlen + 1);
	if (enc == NULL)
		abort();
	if (brop_multibase_encode(enc, inlen, &m, prefix, dec, n) != 0)
		abort();
	if (m != inlen || memcmp(enc, in, inlen) != 0)
		abort();
	free(enc);
	free(dec);
}

static void
encode_then_decode(char prefix, const unsigned char *in, size_t inlen)
{
	size_t		cap = BROP_MULTIBASE_ENCODED_MAX(inlen);
	char	   *enc = malloc(cap);
	unsigned char *dec = malloc(inlen + 1);
	char		back = 0;
	size_t		n = 0,
				m = 0;
	int			rc;

	if (enc == NULL || dec == NULL)
		abort();
	rc = brop_multibase_encode(enc, cap, &n, prefix, in, inlen);
	if (!supported(prefix))
	{
		if (rc != BROP_EALG)
			abort();
	}
	else
	{
		if (rc != 0 || n > cap || n < 1 || enc[0] != prefix)
			abort();
		if (brop_multibase_decode(dec, inlen, &m, &back, enc, n) != 0 ||
			back != prefix || m != inlen || memcmp(dec, in, inlen) != 0)
			abort();
	}
	free(enc);
	free(dec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	decode_then_encode((const char *) data, size);
	if (size > 0)
		encode_then_decode((char) data[0], data + 1, size - 1);
	return 0;
}
