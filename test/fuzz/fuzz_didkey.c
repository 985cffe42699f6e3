/*
 * fuzz_didkey.c — libFuzzer harness for brop_didkey_decode.
 *
 * Whatever decodes must encode back to the very same text (one identifier
 * per key). Three views of each input, so the fuzzer reaches the inner
 * layers without a corpus: the bytes as the whole identifier, the bytes
 * after "did:key:z", and the bytes as the binary payload (base58-encoded
 * behind the prefix).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"

#define PREFIX "did:key:z"
#define PREFIX_LEN (sizeof PREFIX - 1)
#define TEXT_MAX 1200

int			LLVMFuzzerInitialize(int *argc, char ***argv);
int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	if (brop_init() != 0)
		abort();
	return 0;
}

/* Decode text; on success, the encoding of the result must be text. */
static void
check(const char *text, size_t len)
{
	brop_alg	alg;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen = 0;
	char		again[BROP_DIDKEY_MAX_LEN];
	size_t		againlen = 0;

	if (brop_didkey_decode(&alg, pk, sizeof pk, &pklen, text, len) != 0)
		return;
	if (brop_key_validate(alg, pk, pklen) != 0)
		abort();
	if (brop_didkey_encode(again, sizeof again, &againlen, alg, pk, pklen) != 0)
		abort();
	if (againlen != len || memcmp(again, text, len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		text[PREFIX_LEN + TEXT_MAX];
	size_t		n = 0;

	check((const char *) data, size);

	if (size > TEXT_MAX)
		return 0;
	memcpy(text, PREFIX, PREFIX_LEN);
	if (size > 0)
		memcpy(text + PREFIX_LEN, data, size);
	check(text, PREFIX_LEN + size);

	if (size <= 200 &&
		brop_base58_encode(text + PREFIX_LEN, TEXT_MAX, &n, data, size) == 0)
		check(text, PREFIX_LEN + n);
	return 0;
}
