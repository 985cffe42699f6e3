/*
 * secp256k1.c — ECDSA (RFC 6979 nonces, low-S, compact r||s) and BIP-340
 * Schnorr signatures over secp256k1, with libsecp256k1.
 *
 * The context is the process's one, made and randomized by brop_init().
 * libsecp256k1's structures that hold a secret (secp256k1_keypair) are wiped
 * before returning.
 */
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <string.h>

#include "internal.h"

static inline const secp256k1_context *
ctx(void)
{
	return (const secp256k1_context *) brop__secp256k1();
}

static inline int
is_zero32(const unsigned char *p)
{
	unsigned char acc = 0;

	for (int i = 0; i < 32; i++)
		acc |= p[i];
	return acc == 0;
}

/*
 * Parse a SEC1 public key: 33 bytes compressed (02/03) or 65 uncompressed
 * (04). The hybrid forms (06/07) that libsecp256k1 also reads are refused.
 */
static int
parse_pubkey(secp256k1_pubkey *out, const unsigned char *pk, size_t pklen)
{
	if (pk == NULL)
		return BROP_EINVAL;
	if (pklen == 33)
	{
		if (pk[0] != 0x02 && pk[0] != 0x03)
			return BROP_EKEY;
	}
	else if (pklen == 65)
	{
		if (pk[0] != 0x04)
			return BROP_EKEY;
	}
	else
		return BROP_ELENGTH;
	if (!secp256k1_ec_pubkey_parse(ctx(), out, pk, pklen))
		return BROP_EKEY;
	return BROP_OK;
}

static void
serialize_compressed(unsigned char out[BROP_SECP256K1_PUBLICKEYBYTES],
					 const secp256k1_pubkey *pubkey)
{
	size_t		len = BROP_SECP256K1_PUBLICKEYBYTES;

	/* Cannot fail with a 33-byte buffer and the compressed flag. */
	(void) secp256k1_ec_pubkey_serialize(ctx(), out, &len, pubkey,
										 SECP256K1_EC_COMPRESSED);
}

int
brop_secp256k1_pubkey(unsigned char pk[BROP_SECP256K1_PUBLICKEYBYTES],
					  const unsigned char sk[BROP_SECRETKEYBYTES])
{
	secp256k1_pubkey pubkey;

	if (pk == NULL || sk == NULL)
		return BROP_EINVAL;
	if (ctx() == NULL)
		return BROP_EINTERNAL;
	if (!secp256k1_ec_seckey_verify(ctx(), sk))
		return BROP_EKEY;
	if (!secp256k1_ec_pubkey_create(ctx(), &pubkey, sk))
		return BROP_EKEY;
	serialize_compressed(pk, &pubkey);
	return BROP_OK;
}

int
brop_secp256k1_pubkey_compress(unsigned char out[BROP_SECP256K1_PUBLICKEYBYTES],
							   const unsigned char *pk, size_t pklen)
{
	secp256k1_pubkey pubkey;
	int			rc;

	if (out == NULL)
		return BROP_EINVAL;
	if (ctx() == NULL)
		return BROP_EINTERNAL;
	rc = parse_pubkey(&pubkey, pk, pklen);
	if (rc != 0)
		return rc;
	serialize_compressed(out, &pubkey);
	return BROP_OK;
}

int
brop_secp256k1_ecdsa_sign_hash(unsigned char sig[BROP_SIGNATURE_BYTES],
							   const unsigned char hash[32],
							   const unsigned char sk[BROP_SECRETKEYBYTES])
{
	secp256k1_ecdsa_signature s;

	if (sig == NULL || hash == NULL || sk == NULL)
		return BROP_EINVAL;
	if (ctx() == NULL)
		return BROP_EINTERNAL;
	if (!secp256k1_ec_seckey_verify(ctx(), sk))
		return BROP_EKEY;
	/* NULL nonce function: RFC 6979. The result is always low-S. */
	if (!secp256k1_ecdsa_sign(ctx(), &s, hash, sk, NULL, NULL))
		return BROP_EKEY;
	(void) secp256k1_ecdsa_signature_serialize_compact(ctx(), sig, &s);
	return BROP_OK;
}

/*
 * Parse a compact signature: BROP_ESIG if r or s is zero or not below n.
 */
static int
parse_compact(secp256k1_ecdsa_signature *out, const unsigned char sig[BROP_SIGNATURE_BYTES])
{
	if (is_zero32(sig) || is_zero32(sig + 32))
		return BROP_ESIG;
	if (!secp256k1_ecdsa_signature_parse_compact(ctx(), out, sig))
		return BROP_ESIG;
	return BROP_OK;
}

int
brop_secp256k1_ecdsa_verify_hash(const unsigned char sig[BROP_SIGNATURE_BYTES],
								 const unsigned char hash[32],
								 const unsigned char *pk, size_t pklen)
{
	secp256k1_pubkey pubkey;
	secp256k1_ecdsa_signature s;
	int			rc;

	if (sig == NULL || hash == NULL)
		return BROP_EINVAL;
	if (ctx() == NULL)
		return BROP_EINTERNAL;
	rc = parse_pubkey(&pubkey, pk, pklen);
	if (rc != 0)
		return rc;
	rc = parse_compact(&s, sig);
	if (rc != 0)
		return rc;
	/* normalize returns 1 when s was above n/2 (and rewrites s). */
	if (secp256k1_ecdsa_signature_normalize(ctx(), NULL, &s))
		return BROP_EHIGHS;
	if (!secp256k1_ecdsa_verify(ctx(), &s, hash, &pubkey))
		return BROP_EVERIFY;
	return BROP_OK;
}

int
brop_secp256k1_ecdsa_normalize(unsigned char sig[BROP_SIGNATURE_BYTES])
{
	secp256k1_ecdsa_signature s;
	int			rc;

	if (sig == NULL)
		return BROP_EINVAL;
	if (ctx() == NULL)
		return BROP_EINTERNAL;
	rc = parse_compact(&s, sig);
	if (rc != 0)
		return rc;
	if (secp256k1_ecdsa_signature_normalize(ctx(), &s, &s))
		(void) secp256k1_ecdsa_signature_serialize_compact(ctx(), sig, &s);
	return BROP_OK;
}

/* ---- BIP-340 ------------------------------------------------------------- */

int
brop_schnorr_pubkey(unsigned char xonly[BROP_XONLY_PUBLICKEYBYTES],
					const unsigned char sk[BROP_SECRETKEYBYTES])
{
	secp256k1_keypair keypair;
	secp256k1_xonly_pubkey xpk;
	int			rc = BROP_OK;

	if (xonly == NULL || sk == NULL)
		return BROP_EINVAL;
	if (ctx() == NULL)
		return BROP_EINTERNAL;
	if (!secp256k1_keypair_create(ctx(), &keypair, sk))
		rc = BROP_EKEY;
	else if (!secp256k1_keypair_xonly_pub(ctx(), &xpk, NULL, &keypair) ||
			 !secp256k1_xonly_pubkey_serialize(ctx(), xonly, &xpk))
		rc = BROP_EINTERNAL;
	brop_wipe(&keypair, sizeof keypair);
	return rc;
}

int
brop_schnorr_sign(unsigned char sig[BROP_SIGNATURE_BYTES],
				  const unsigned char *msg, size_t msglen,
				  const unsigned char sk[BROP_SECRETKEYBYTES],
				  const unsigned char *aux_rand32)
{
	static const unsigned char zeros[32];
	secp256k1_keypair keypair;
	secp256k1_xonly_pubkey xpk;
	secp256k1_schnorrsig_extraparams extra = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
	int			rc = BROP_OK;

	if (sig == NULL || sk == NULL || (msg == NULL && msglen > 0))
		return BROP_EINVAL;
	if (ctx() == NULL)
		return BROP_EINTERNAL;
	if (!secp256k1_keypair_create(ctx(), &keypair, sk))
	{
		brop_wipe(&keypair, sizeof keypair);
		return BROP_EKEY;
	}
	/* The BIP-340 nonce function reads 32 bytes of auxiliary randomness. */
	extra.ndata = (void *) (aux_rand32 != NULL ? aux_rand32 : zeros);
	if (!secp256k1_schnorrsig_sign_custom(ctx(), sig, msg, msglen, &keypair, &extra))
		rc = BROP_EINTERNAL;
	/* BIP-340 advises verifying the result before releasing it. */
	else if (!secp256k1_keypair_xonly_pub(ctx(), &xpk, NULL, &keypair) ||
			 !secp256k1_schnorrsig_verify(ctx(), sig, msg, msglen, &xpk))
		rc = BROP_EINTERNAL;
	brop_wipe(&keypair, sizeof keypair);
	if (rc != 0)
		brop_wipe(sig, BROP_SIGNATURE_BYTES);
	return rc;
}

int
brop_schnorr_verify(const unsigned char sig[BROP_SIGNATURE_BYTES],
					const unsigned char *msg, size_t msglen,
					const unsigned char xonly[BROP_XONLY_PUBLICKEYBYTES])
{
	secp256k1_xonly_pubkey xpk;

	if (sig == NULL || xonly == NULL || (msg == NULL && msglen > 0))
		return BROP_EINVAL;
	if (ctx() == NULL)
		return BROP_EINTERNAL;
	/* x not below p, or x^3 + 7 not a square: no point has that x. */
	if (!secp256k1_xonly_pubkey_parse(ctx(), &xpk, xonly))
		return BROP_EKEY;
	if (!secp256k1_schnorrsig_verify(ctx(), sig, msg, msglen, &xpk))
		return BROP_EVERIFY;
	return BROP_OK;
}
