/*
 * ed25519.c — Ed25519 signatures (RFC 8032) and the Ed25519 -> X25519 key
 * conversion, over libsodium.
 *
 * A secret key is libsodium's 64 bytes: the 32-byte RFC 8032 seed followed
 * by the public key. brop_ed25519_sign trusts the public half, so a secret
 * key must come from brop_ed25519_keypair_from_seed.
 */
#include <sodium.h>

#include "internal.h"

int
brop_ed25519_keypair_from_seed(unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
							   unsigned char sk[BROP_ED25519_SECRETKEYBYTES],
							   const unsigned char seed[BROP_SECRETKEYBYTES])
{
	if (pk == NULL || sk == NULL || seed == NULL)
		return BROP_EINVAL;
	if (crypto_sign_seed_keypair(pk, sk, seed) != 0)
		return BROP_EINTERNAL;
	return BROP_OK;
}

int
brop_ed25519_sign(unsigned char sig[BROP_SIGNATURE_BYTES],
				  const unsigned char *m, size_t mlen,
				  const unsigned char sk[BROP_ED25519_SECRETKEYBYTES])
{
	if (sig == NULL || sk == NULL || (m == NULL && mlen > 0))
		return BROP_EINVAL;
	if (crypto_sign_detached(sig, NULL, m, mlen, sk) != 0)
		return BROP_EINTERNAL;
	return BROP_OK;
}

int
brop_ed25519_pk_validate(const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	if (pk == NULL)
		return BROP_EINVAL;

	/*
	 * Canonical encoding, on the curve, in the prime-order subgroup, not of
	 * small order.
	 */
	if (!crypto_core_ed25519_is_valid_point(pk))
		return BROP_EKEY;
	return BROP_OK;
}

int
brop_ed25519_verify(const unsigned char sig[BROP_SIGNATURE_BYTES],
					const unsigned char *m, size_t mlen,
					const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	int			rc;

	if (sig == NULL || pk == NULL || (m == NULL && mlen > 0))
		return BROP_EINVAL;
	rc = brop_ed25519_pk_validate(pk);
	if (rc != 0)
		return rc;
	if (crypto_sign_verify_detached(sig, m, mlen, pk) != 0)
		return BROP_EVERIFY;
	return BROP_OK;
}

/*
 * Verification for keys already validated (every brop.did and decoded
 * did:key is): skips crypto_core_ed25519_is_valid_point, whose subgroup
 * check costs as much as the verification itself. libsodium's verification
 * still refuses small-order and non-canonical keys (as BROP_EVERIFY).
 */
int
brop__ed25519_verify_prevalidated(const unsigned char sig[BROP_SIGNATURE_BYTES],
								  const unsigned char *m, size_t mlen,
								  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	if (crypto_sign_verify_detached(sig, m, mlen, pk) != 0)
		return BROP_EVERIFY;
	return BROP_OK;
}

int
brop_ed25519_pk_to_x25519(unsigned char xpk[BROP_X25519_PUBLICKEYBYTES],
						  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES])
{
	if (xpk == NULL || pk == NULL)
		return BROP_EINVAL;
	if (brop_ed25519_pk_validate(pk) != 0)
		return BROP_EKEY;
	if (crypto_sign_ed25519_pk_to_curve25519(xpk, pk) != 0)
		return BROP_EKEY;
	return BROP_OK;
}

int
brop_ed25519_seed_to_x25519(unsigned char xsk[BROP_X25519_SECRETKEYBYTES],
							const unsigned char seed[BROP_SECRETKEYBYTES])
{
	unsigned char pk[BROP_ED25519_PUBLICKEYBYTES];
	unsigned char sk[BROP_ED25519_SECRETKEYBYTES];
	int			rc = BROP_OK;

	if (xsk == NULL || seed == NULL)
		return BROP_EINVAL;
	if (crypto_sign_seed_keypair(pk, sk, seed) != 0 ||
		crypto_sign_ed25519_sk_to_curve25519(xsk, sk) != 0)
		rc = BROP_EINTERNAL;
	brop_wipe(sk, sizeof sk);
	return rc;
}
