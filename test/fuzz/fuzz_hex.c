/*
 * fuzz_hex.c — libFuzzer harness for brop_hex_decode / brop_hex_encode.
 *
 * Properties: when the input decodes, encoding the bytes gives the input
 * in lower case (the one canonical form); the decoder needs exactly
 * inlen / 2 bytes of room; any bytes encode and decode back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

static void
decode_then_encode(const char *in, size_t inlen)
{
	unsigned char *dec = malloc(inlen / 2 + 1);
	char	   *enc;
	size_t		n = 0,
				m = 0;
	int			rc;

	if (dec == NULL)
		abort();
	rc = brop_hex_decode(dec, inlen / 2, &n, in, inlen);
	if (rc != 0)
	{
		if (rc != BROP_ELENGTH && rc != BROP_EENCODING)
			abort();
		if ((rc == BROP_ELENGTH) != (inlen % 2 != 0))
			abort();
		free(dec);
		return;
	}
	if (n != inlen / 2)
		abort();
	if (n > 0 && brop_hex_decode(dec, n - 1, &m, in, inlen) != BROP_EBUFFER)
		abort();
	enc = malloc(inlen + 1);
	if (enc == NULL)
		abort();
	if (brop_hex_encode(enc, inlen, &m, dec, n) != 0 || m != inlen)
		abort();
	for (size_t i = 0; i < inlen; i++)
	{
		char		c = in[i];

		if (c >= 'A' && c <= 'F')
			c = (char) (c + ('a' - 'A'));
		if (enc[i] != c)
			abort();
	}
	free(enc);
	free(dec);
}

static void
encode_then_decode(const unsigned char *in, size_t inlen)
{
	char	   *enc = malloc(2 * inlen + 1);
	unsigned char *dec = malloc(inlen + 1);
	size_t		n = 0,
				m = 0;

	if (enc == NULL || dec == NULL)
		abort();
	if (inlen > 0 && brop_hex_encode(enc, 2 * inlen - 1, &n, in, inlen) != BROP_EBUFFER)
		abort();
	if (brop_hex_encode(enc, 2 * inlen, &n, in, inlen) != 0 || n != 2 * inlen)
		abort();
	if (brop_hex_decode(dec, inlen, &m, enc, n) != 0 || m != inlen || memcmp(dec, in, inlen) != 0)
		abort();
	free(enc);
	free(dec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode_then_encode((const char *) data, size);
	encode_then_decode(data, size);
	return 0;
}
