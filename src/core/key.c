/*
 * key.c — the algorithm-generic layer: names, key generation, public keys,
 * validation of public keys in their did:key form, sign and verify.
 *
 * Secret keys are 32 bytes for every algorithm (brop_sign.h); anything
 * derived from them here (Ed25519's expanded key) is wiped before return.
 */
#include <sodium.h>
#include <string.h>

#include "internal.h"

typedef struct
{
	const char *name;
	brop_alg	alg;
} alg_alias;

static const alg_alias aliases[] = {
	{"ed25519", BROP_ALG_ED25519},
	{"eddsa", BROP_ALG_ED25519},
	{"secp256k1", BROP_ALG_SECP256K1},
	{"es256k", BROP_ALG_SECP256K1},
	{"p256", BROP_ALG_P256},
	{"p-256", BROP_ALG_P256},
	{"es256", BROP_ALG_P256},
	{"x25519", BROP_ALG_X25519},
};

const char *
brop_alg_name(brop_alg alg)
{
	switch (alg)
	{
		case BROP_ALG_ED25519:
			return "ed25519";
		case BROP_ALG_SECP256K1:
			return "secp256k1";
		case BROP_ALG_P256:
			return "p256";
		case BROP_ALG_X25519:
			return "x25519";
	}
	return NULL;
}

static inline unsigned char
ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

int
brop_alg_from_name(brop_alg *alg, const char *name, size_t len)
{
	if (alg == NULL || (name == NULL && len > 0))
		return BROP_EINVAL;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
	{
		const char *a = aliases[i].name;
		size_t		k;

		if (strlen(a) != len)
			continue;
		for (k = 0; k < len; k++)
			if (ascii_lower((unsigned char) name[k]) != (unsigned char) a[k])
				break;
		if (k == len)
		{
			*alg = aliases[i].alg;
			return BROP_OK;
		}
	}
	return BROP_EALG;
}

size_t
brop_alg_publickey_bytes(brop_alg alg)
{
	switch (alg)
	{
		case BROP_ALG_ED25519:
			return BROP_ED25519_PUBLICKEYBYTES;
		case BROP_ALG_SECP256K1:
			return BROP_SECP256K1_PUBLICKEYBYTES;
		case BROP_ALG_P256:
			return BROP_P256_PUBLICKEYBYTES;
		case BROP_ALG_X25519:
			return BROP_X25519_PUBLICKEYBYTES;
	}
	return 0;
}

/* 1 if the 32-byte big-endian scalar sk satisfies 0 < sk < n of P-256. */
static int
p256_scalar_in_range(const unsigned char sk[BROP_SECRETKEYBYTES])
{
	static const unsigned char order[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
		0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51
	};
	unsigned char acc = 0;
	int			lt = 0;
	int			gt = 0;

	/* Branch-free over the secret bytes: the first difference decides. */
	for (int i = 0; i < 32; i++)
	{
		int			a = sk[i];
		int			b = order[i];
		int			undecided = !(lt | gt);

		lt |= undecided & ((a - b) >> 8 & 1);
		gt |= undecided & ((b - a) >> 8 & 1);
		acc |= sk[i];
	}
	return (acc != 0) & lt;
}

int
brop_key_generate(unsigned char sk[BROP_SECRETKEYBYTES], brop_alg alg)
{
	if (sk == NULL)
		return BROP_EINVAL;
	switch (alg)
	{
		case BROP_ALG_ED25519:
		case BROP_ALG_X25519:
			randombytes_buf(sk, BROP_SECRETKEYBYTES);
			return BROP_OK;
		case BROP_ALG_SECP256K1:
		case BROP_ALG_P256:
			/* Rejection sampling; a retry happens with probability < 2^-32. */
			for (int tries = 0; tries < 64; tries++)
			{
				unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
				int			ok;

				randombytes_buf(sk, BROP_SECRETKEYBYTES);
				if (alg == BROP_ALG_P256)
					ok = p256_scalar_in_range(sk);
				else
					ok = brop_secp256k1_pubkey(pk, sk) == 0;
				if (ok)
					return BROP_OK;
			}
			brop_wipe(sk, BROP_SECRETKEYBYTES);
			return BROP_EINTERNAL;
	}
	return BROP_EALG;
}

int
brop_key_public(unsigned char *pk, size_t pkcap, size_t *pklen,
				brop_alg alg, const unsigned char sk[BROP_SECRETKEYBYTES])
{
	size_t		need = brop_alg_publickey_bytes(alg);
	int			rc;

	if (pk == NULL || pklen == NULL || sk == NULL)
		return BROP_EINVAL;
	if (need == 0)
		return BROP_EALG;
	if (pkcap < need)
		return BROP_EBUFFER;
	switch (alg)
	{
		case BROP_ALG_ED25519:
			{
				unsigned char esk[BROP_ED25519_SECRETKEYBYTES];

				rc = brop_ed25519_keypair_from_seed(pk, esk, sk);
				brop_wipe(esk, sizeof esk);
				break;
			}
		case BROP_ALG_X25519:
			rc = crypto_scalarmult_base(pk, sk) == 0 ? BROP_OK : BROP_EKEY;
			break;
		case BROP_ALG_SECP256K1:
			rc = brop_secp256k1_pubkey(pk, sk);
			break;
		case BROP_ALG_P256:
			rc = brop_p256_pubkey(pk, sk);
			break;
		default:
			rc = BROP_EALG;
			break;
	}
	if (rc == 0)
		*pklen = need;
	return rc;
}

/*
 * An X25519 public key: the canonical encoding of a u-coordinate (below
 * 2^255 - 19, top bit clear) that is not of small order. libsodium's
 * scalar multiplication refuses small-order points (the all-zero key among
 * them) and any result that is zero.
 */
static int
x25519_pk_validate(const unsigned char pk[BROP_X25519_PUBLICKEYBYTES])
{
	static const unsigned char probe[32] = {9};
	unsigned char out[32];
	int			noncanonical;

	if (pk[31] & 0x80)
		return BROP_EKEY;
	/* 2^255 - 19 .. 2^255 - 1: ed..ff ff..ff 7f, little-endian */
	noncanonical = pk[31] == 0x7f && pk[0] >= 0xed;
	for (int i = 1; i < 31 && noncanonical; i++)
		noncanonical = pk[i] == 0xff;
	if (noncanonical)
		return BROP_EKEY;
	if (crypto_scalarmult(out, probe, pk) != 0)
		return BROP_EKEY;
	return BROP_OK;
}

static int
ec_compressed_validate(brop_alg alg, const unsigned char *pk)
{
	unsigned char out[BROP_PUBLICKEY_MAX_BYTES];

	if (pk[0] != 0x02 && pk[0] != 0x03)
		return BROP_EKEY;
	if (alg == BROP_ALG_SECP256K1)
		return brop_secp256k1_pubkey_compress(out, pk, BROP_SECP256K1_PUBLICKEYBYTES);
	return brop_p256_pubkey_compress(out, pk, BROP_P256_PUBLICKEYBYTES);
}

int
brop_key_validate(brop_alg alg, const unsigned char *pk, size_t pklen)
{
	size_t		need = brop_alg_publickey_bytes(alg);

	if (need == 0)
		return BROP_EALG;
	if (pk == NULL && pklen > 0)
		return BROP_EINVAL;
	if (pklen != need)
		return BROP_ELENGTH;
	switch (alg)
	{
		case BROP_ALG_ED25519:
			return brop_ed25519_pk_validate(pk);
		case BROP_ALG_X25519:
			return x25519_pk_validate(pk);
		case BROP_ALG_SECP256K1:
		case BROP_ALG_P256:
			return ec_compressed_validate(alg, pk);
	}
	return BROP_EALG;
}

int
brop_sign(unsigned char sig[BROP_SIGNATURE_BYTES], brop_alg alg,
		  const unsigned char sk[BROP_SECRETKEYBYTES],
		  const unsigned char *m, size_t mlen)
{
	int			rc;

	if (sig == NULL || sk == NULL || (m == NULL && mlen > 0))
		return BROP_EINVAL;
	switch (alg)
	{
		case BROP_ALG_ED25519:
			{
				unsigned char pk[BROP_ED25519_PUBLICKEYBYTES];
				unsigned char esk[BROP_ED25519_SECRETKEYBYTES];

				rc = brop_ed25519_keypair_from_seed(pk, esk, sk);
				if (rc == 0)
					rc = brop_ed25519_sign(sig, m, mlen, esk);
				brop_wipe(esk, sizeof esk);
				return rc;
			}
		case BROP_ALG_SECP256K1:
			{
				unsigned char h[BROP_SHA256_BYTES];

				rc = brop_sha256(h, m, mlen);
				if (rc == 0)
					rc = brop_secp256k1_ecdsa_sign_hash(sig, h, sk);
				return rc;
			}
		case BROP_ALG_P256:
			return brop_p256_sign(sig, m, mlen, sk);
		case BROP_ALG_X25519:
			return BROP_EALG;	/* key agreement only */
	}
	return BROP_EALG;
}

/* An ECDSA signature as compact r||s: 64 bytes as is, anything else as DER. */
static int
ecdsa_compact(unsigned char out[BROP_SIGNATURE_BYTES],
			  const unsigned char *sig, size_t siglen)
{
	if (siglen == BROP_SIGNATURE_BYTES)
	{
		memcpy(out, sig, BROP_SIGNATURE_BYTES);
		return BROP_OK;
	}
	return brop_ecdsa_sig_from_der(out, sig, siglen) == 0 ? BROP_OK : BROP_ESIG;
}

int
brop_verify(brop_alg alg, const unsigned char *pk, size_t pklen,
			const unsigned char *m, size_t mlen,
			const unsigned char *sig, size_t siglen)
{
	unsigned char compact[BROP_SIGNATURE_BYTES];
	unsigned char h[BROP_SHA256_BYTES];
	int			rc;

	if ((pk == NULL && pklen > 0) || (m == NULL && mlen > 0) || (sig == NULL && siglen > 0))
		return BROP_EINVAL;
	switch (alg)
	{
		case BROP_ALG_ED25519:
			if (pklen != BROP_ED25519_PUBLICKEYBYTES || siglen != BROP_SIGNATURE_BYTES)
				return BROP_ELENGTH;
			return brop__ed25519_verify_prevalidated(sig, m, mlen, pk);
		case BROP_ALG_SECP256K1:
			rc = ecdsa_compact(compact, sig, siglen);
			if (rc == 0)
				rc = brop_sha256(h, m, mlen);
			if (rc == 0)
				rc = brop_secp256k1_ecdsa_verify_hash(compact, h, pk, pklen);
			return rc;
		case BROP_ALG_P256:
			rc = ecdsa_compact(compact, sig, siglen);
			if (rc == 0)
				rc = brop_p256_verify(compact, m, mlen, pk, pklen);
			return rc;
		case BROP_ALG_X25519:
			return BROP_EALG;
	}
	return BROP_EALG;
}
