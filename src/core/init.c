/*
 * init.c — brop_init(): libsodium, the secp256k1 context, digest handles.
 */
#include <secp256k1.h>
#include <sodium.h>

#include "internal.h"

static secp256k1_context *secp_ctx;

const struct secp256k1_context_struct *
brop__secp256k1(void)
{
	return secp_ctx;
}

int
brop_init(void)
{
	unsigned char seed[32];
	int			ok;

	if (sodium_init() < 0)
		return BROP_EINTERNAL;
	if (brop__hash_init() != 0)
		return BROP_EINTERNAL;
	if (secp_ctx != NULL)
		return BROP_OK;

	secp_ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
	if (secp_ctx == NULL)
		return BROP_EINTERNAL;
	/* Blinding against side channels in signing (libsecp256k1's advice). */
	randombytes_buf(seed, sizeof seed);
	ok = secp256k1_context_randomize(secp_ctx, seed);
	sodium_memzero(seed, sizeof seed);
	if (!ok)
	{
		secp256k1_context_destroy(secp_ctx);
		secp_ctx = NULL;
		return BROP_EINTERNAL;
	}
	return BROP_OK;
}
