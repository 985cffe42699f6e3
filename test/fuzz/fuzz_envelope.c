/*
 * fuzz_envelope.c — libFuzzer harness for brop_envelope_open, with a fixed
 * recipient.
 *
 * Each input is used three ways:
 *  1. as an envelope: opening must not crash and must return a documented
 *     code;
 *  2. as the plaintext inside a box really sealed to the recipient (so the
 *     fuzzer reaches the inner parser and the signature check, which it
 *     cannot by guessing a box): same rule;
 *  3. to seal: byte 0 picks the recipient's key form (Ed25519 or X25519) and
 *     whether the issuer seed comes from bytes 1..32; the rest is the
 *     payload. Opening the result must succeed and give back the payload and
 *     the issuer's key.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#define FUZZ_OWN_INIT
#include "fuzz.h"

static unsigned char recipient_seed[32];
static unsigned char recipient_pk[32];
static unsigned char recipient_xpk[32];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char sk[64];

	(void) argc;
	(void) argv;
	if (brop_init() != 0)
		abort();
	memset(recipient_seed, 0x42, sizeof recipient_seed);
	if (brop_ed25519_keypair_from_seed(recipient_pk, sk, recipient_seed) != 0 ||
		brop_ed25519_pk_to_x25519(recipient_xpk, recipient_pk) != 0)
		abort();
	brop_wipe(sk, sizeof sk);
	return 0;
}

static void
open_any(const unsigned char *env, size_t envlen)
{
	unsigned char *payload = malloc(envlen + 1);
	unsigned char ipk[32];
	size_t		plen = 0;
	int			rc;

	if (payload == NULL)
		abort();
	rc = brop_envelope_open(payload, envlen, &plen, ipk, env, envlen, recipient_seed);
	switch (rc)
	{
		case BROP_OK:
			if (plen + BROP_ENVELOPE_OVERHEAD(34) != envlen)
				abort();
			break;
		case BROP_EVERSION:
		case BROP_ELENGTH:
		case BROP_EDECRYPT:
		case BROP_EVERIFY:
		case BROP_ERECIPIENT:
			break;
		default:
			abort();
	}
	free(payload);
}

static void
open_sealed_plaintext(const uint8_t *data, size_t size)
{
	unsigned char *env = malloc(1 + crypto_box_SEALBYTES + size);

	if (env == NULL)
		abort();
	env[0] = BROP_ENVELOPE_VERSION;
	if (crypto_box_seal(env + 1, data, size, recipient_xpk) != 0)
		abort();
	open_any(env, 1 + crypto_box_SEALBYTES + size);
	free(env);
}

static void
seal_then_open(const uint8_t *data, size_t size)
{
	unsigned char issuer_seed[32];
	unsigned char issuer_pk[32];
	unsigned char issuer_sk[64];
	unsigned char ipk[32];
	const unsigned char *payload;
	size_t		plen;
	unsigned char *env;
	unsigned char *out;
	size_t		envlen = 0;
	size_t		outlen = 0;
	int			x25519;

	if (size == 0)
		return;
	x25519 = data[0] & 1;
	payload = data + 1;
	plen = size - 1;
	memset(issuer_seed, 0x17, sizeof issuer_seed);
	if ((data[0] & 2) && plen >= 32)
	{
		memcpy(issuer_seed, payload, 32);
		payload += 32;
		plen -= 32;
	}
	if (brop_ed25519_keypair_from_seed(issuer_pk, issuer_sk, issuer_seed) != 0)
		abort();
	brop_wipe(issuer_sk, sizeof issuer_sk);

	env = malloc(BROP_ENVELOPE_OVERHEAD(34) + plen);
	out = malloc(plen + 1);
	if (env == NULL || out == NULL)
		abort();
	if (brop_envelope_seal(env, BROP_ENVELOPE_OVERHEAD(34) + plen, &envlen,
						   plen > 0 ? payload : NULL, plen,
						   x25519 ? BROP_ALG_X25519 : BROP_ALG_ED25519,
						   x25519 ? recipient_xpk : recipient_pk, 32, issuer_seed) != 0)
		abort();
	if (envlen != BROP_ENVELOPE_OVERHEAD(34) + plen)
		abort();
	if (brop_envelope_open(out, plen, &outlen, ipk, env, envlen, recipient_seed) != 0)
		abort();
	if (outlen != plen || (plen > 0 && memcmp(out, payload, plen) != 0) ||
		memcmp(ipk, issuer_pk, 32) != 0)
		abort();
	free(env);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	open_any(data, size);
	open_sealed_plaintext(data, size);
	seal_then_open(data, size);
	return 0;
}
