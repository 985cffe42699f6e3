/*
 * fuzz_didkey.c — libFuzzer harness for brop_didkey_decode.
 *
 * Whatever decodes must encode back to the very same text (one identifier
 * per key). Four views of each input, so the fuzzer reaches the inner
 * layers without a corpus: the bytes as the whole identifier, the bytes
 * after "did:key:z", the bytes as the binary payload (base58-encoded behind
 * the prefix), and a valid did:key made from the input (byte 0 picks the
 * algorithm, SHA-256 of the input is the secret key) that must decode, then
 * again with one character replaced (position byte 1, character byte 2),
 * which often still decodes, to another key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

#define PREFIX "did:key:z"
#define PREFIX_LEN (sizeof PREFIX - 1)
#define TEXT_MAX 1200

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

static void
valid_then_mutated(const uint8_t *data, size_t size)
{
	static const brop_alg algs[4] = {
		BROP_ALG_ED25519, BROP_ALG_SECP256K1, BROP_ALG_P256, BROP_ALG_X25519
	};
	brop_alg	alg = algs[data[0] & 3];
	brop_alg	got;
	unsigned char sk[BROP_SECRETKEYBYTES];
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	unsigned char back[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen = 0;
	size_t		backlen = 0;
	char		did[BROP_DIDKEY_MAX_LEN];
	size_t		didlen = 0;

	if (brop_sha256(sk, data, size) != 0)
		abort();
	if (brop_key_public(pk, sizeof pk, &pklen, alg, sk) != 0)
		return;					/* a scalar out of range: about 2^-32 */
	if (brop_didkey_encode(did, sizeof did, &didlen, alg, pk, pklen) != 0)
		abort();
	if (brop_didkey_decode(&got, back, sizeof back, &backlen, did, didlen) != 0 ||
		got != alg || backlen != pklen || memcmp(back, pk, pklen) != 0)
		abort();
	check(did, didlen);
	if (size >= 3)
	{
		did[PREFIX_LEN + data[1] % (didlen - PREFIX_LEN)] = (char) data[2];
		check(did, didlen);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		text[PREFIX_LEN + TEXT_MAX];
	size_t		n = 0;

	if (size > 0)
		valid_then_mutated(data, size);

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
