/*
 * fuzz_varint.c — libFuzzer harness for brop_varint_decode / _encode.
 *
 * Properties: when the input starts with a varint, encoding its value
 * gives exactly the bytes consumed (minimal encoding only); failures are
 * the documented codes, each for its own reason; the first 8 bytes, read
 * as a number, encode (below 2^63) and decode back, or are refused with
 * BROP_EOVERFLOW.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

static void
decode_then_encode(const uint8_t *data, size_t size)
{
	unsigned char enc[BROP_VARINT_MAX_BYTES];
	uint64_t	v = 0;
	size_t		consumed = 0,
				n = 0,
				cont = 0;
	int			rc;

	/* leading bytes with the continuation bit */
	while (cont < size && (data[cont] & 0x80))
		cont++;

	rc = brop_varint_decode(&v, &consumed, data, size);
	switch (rc)
	{
		case 0:
			if (consumed != cont + 1 || consumed > BROP_VARINT_MAX_BYTES)
				abort();
			if (brop_varint_encode(enc, &n, v) != 0)
				abort();
			if (n != consumed || memcmp(enc, data, n) != 0)
				abort();
			break;
		case BROP_ELENGTH:
			if (cont != size || size >= BROP_VARINT_MAX_BYTES)
				abort();
			break;
		case BROP_EOVERFLOW:
			if (cont < BROP_VARINT_MAX_BYTES)
				abort();
			break;
		case BROP_ENONCANONICAL:
			if (cont == 0 || cont >= size || data[cont] != 0)
				abort();
			break;
		default:
			abort();
	}
}

static void
encode_then_decode(const uint8_t *data, size_t size)
{
	unsigned char enc[BROP_VARINT_MAX_BYTES];
	uint64_t	v = 0,
				back = 0;
	size_t		n = 0,
				consumed = 0;
	int			rc;

	if (size < sizeof v)
		return;
	memcpy(&v, data, sizeof v);
	rc = brop_varint_encode(enc, &n, v);
	if (v >> 63)
	{
		if (rc != BROP_EOVERFLOW)
			abort();
		return;
	}
	if (rc != 0 || n < 1 || n > BROP_VARINT_MAX_BYTES)
		abort();
	if (brop_varint_decode(&back, &consumed, enc, n) != 0 || back != v || consumed != n)
		abort();
	/* every proper prefix is truncated */
	for (size_t k = 0; k < n; k++)
		if (brop_varint_decode(&back, &consumed, enc, k) != BROP_ELENGTH)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode_then_encode(data, size);
	encode_then_decode(data, size);
	return 0;
}
