/*
 * p256.c — ECDSA over NIST P-256 with SHA-256 (JOSE ES256), OpenSSL 3.
 *
 * Only non-deprecated interfaces: EC_GROUP / EC_POINT for points, EVP_PKEY
 * built with EVP_PKEY_fromdata for signing and verification, ECDSA_SIG for
 * the DER <-> r||s conversion. Every OpenSSL object is freed on every path,
 * and the error queue is cleared when a call fails, so a failure leaves
 * nothing behind in the thread.
 *
 * Signing uses OpenSSL's random nonces, then normalizes s to the low half
 * (n - s when s > n/2) so our signatures are unique per nonce; verification
 * accepts both halves, as ES256 does.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <stdatomic.h>
#include <string.h>

#include "internal.h"

#define P256_UNCOMPRESSED_BYTES 65

/*
 * The curve, made once and shared: EC_GROUP_new_by_curve_name costs more
 * than a point decompression. The group is only read after it is published,
 * and lives as long as the process (as the secp256k1 context does).
 */
static _Atomic(EC_GROUP *) shared_group;

static const EC_GROUP *
p256_group(void)
{
	EC_GROUP   *group = atomic_load_explicit(&shared_group, memory_order_acquire);
	EC_GROUP   *expected = NULL;

	if (group != NULL)
		return group;
	group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	if (group == NULL)
		return NULL;
	if (!atomic_compare_exchange_strong_explicit(&shared_group, &expected, group,
												 memory_order_acq_rel, memory_order_acquire))
	{
		/* another thread published first */
		EC_GROUP_free(group);
		group = expected;
	}
	return group;
}

/*
 * Decode a SEC1 point, 33 bytes compressed or 65 uncompressed, into pt.
 * EC_POINT_oct2point checks the point is on the curve.
 */
static int
decode_point(const EC_GROUP *group, EC_POINT *pt, const unsigned char *pk, size_t pklen,
			 BN_CTX *bnctx)
{
	if (pk == NULL)
		return BROP_EINVAL;
	if (pklen == BROP_P256_PUBLICKEYBYTES)
	{
		if (pk[0] != 0x02 && pk[0] != 0x03)
			return BROP_EKEY;
	}
	else if (pklen == P256_UNCOMPRESSED_BYTES)
	{
		if (pk[0] != 0x04)
			return BROP_EKEY;
	}
	else
		return BROP_ELENGTH;
	if (!EC_POINT_oct2point(group, pt, pk, pklen, bnctx) ||
		EC_POINT_is_at_infinity(group, pt) ||
		EC_POINT_is_on_curve(group, pt, bnctx) != 1)
		return BROP_EKEY;
	return BROP_OK;
}

static int
encode_point(const EC_GROUP *group, const EC_POINT *pt, unsigned char *out, size_t outlen,
			 point_conversion_form_t form, BN_CTX *bnctx)
{
	if (EC_POINT_point2oct(group, pt, form, out, outlen, bnctx) != outlen)
		return BROP_EINTERNAL;
	return BROP_OK;
}

/*
 * The public point of the secret scalar sk, in uncompressed form (what
 * EVP_PKEY_fromdata wants) and compressed form (what we store).
 * Returns BROP_EKEY unless 0 < sk < n.
 */
static int
public_from_secret(unsigned char pub65[P256_UNCOMPRESSED_BYTES],
				   unsigned char pub33[BROP_P256_PUBLICKEYBYTES],
				   const unsigned char sk[BROP_SECRETKEYBYTES])
{
	const EC_GROUP *group = p256_group();
	BN_CTX	   *bnctx = BN_CTX_secure_new();
	BIGNUM	   *d = BN_secure_new();
	EC_POINT   *pt = NULL;
	int			rc = BROP_EINTERNAL;

	if (group == NULL || bnctx == NULL || d == NULL)
		goto done;
	pt = EC_POINT_new(group);
	if (pt == NULL)
		goto done;
	BN_set_flags(d, BN_FLG_CONSTTIME);
	if (BN_bin2bn(sk, BROP_SECRETKEYBYTES, d) == NULL)
		goto done;
	if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(group)) >= 0)
	{
		rc = BROP_EKEY;
		goto done;
	}
	if (!EC_POINT_mul(group, pt, d, NULL, NULL, bnctx))
		goto done;
	rc = BROP_OK;
	if (pub65 != NULL)
		rc = encode_point(group, pt, pub65, P256_UNCOMPRESSED_BYTES,
						  POINT_CONVERSION_UNCOMPRESSED, bnctx);
	if (rc == 0 && pub33 != NULL)
		rc = encode_point(group, pt, pub33, BROP_P256_PUBLICKEYBYTES,
						  POINT_CONVERSION_COMPRESSED, bnctx);

done:
	EC_POINT_free(pt);
	BN_clear_free(d);
	BN_CTX_free(bnctx);
	if (rc != 0)
		ERR_clear_error();
	return rc;
}

int
brop_p256_pubkey(unsigned char pk[BROP_P256_PUBLICKEYBYTES],
				 const unsigned char sk[BROP_SECRETKEYBYTES])
{
	if (pk == NULL || sk == NULL)
		return BROP_EINVAL;
	return public_from_secret(NULL, pk, sk);
}

/*
 * Decode and validate a public key (33 or 65 bytes); write it back in the
 * forms asked for (either output may be NULL).
 */
static int
recode_public(unsigned char *out33, unsigned char *out65,
			  const unsigned char *pk, size_t pklen)
{
	const EC_GROUP *group = p256_group();
	BN_CTX	   *bnctx = BN_CTX_new();
	EC_POINT   *pt = NULL;
	int			rc = BROP_EINTERNAL;

	if (group == NULL || bnctx == NULL)
		goto done;
	pt = EC_POINT_new(group);
	if (pt == NULL)
		goto done;
	rc = decode_point(group, pt, pk, pklen, bnctx);
	if (rc == 0 && out33 != NULL)
		rc = encode_point(group, pt, out33, BROP_P256_PUBLICKEYBYTES,
						  POINT_CONVERSION_COMPRESSED, bnctx);
	if (rc == 0 && out65 != NULL)
		rc = encode_point(group, pt, out65, P256_UNCOMPRESSED_BYTES,
						  POINT_CONVERSION_UNCOMPRESSED, bnctx);

done:
	EC_POINT_free(pt);
	BN_CTX_free(bnctx);
	if (rc != 0)
		ERR_clear_error();
	return rc;
}

int
brop_p256_pubkey_compress(unsigned char out[BROP_P256_PUBLICKEYBYTES],
						  const unsigned char *pk, size_t pklen)
{
	if (out == NULL)
		return BROP_EINVAL;
	return recode_public(out, NULL, pk, pklen);
}

/*
 * An EVP_PKEY for P-256 from its uncompressed public point and, for
 * signing, its secret scalar (NULL for a public key).
 */
static EVP_PKEY *
make_pkey(const unsigned char pub65[P256_UNCOMPRESSED_BYTES], const unsigned char *sk)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_PKEY   *pkey = NULL;
	BIGNUM	   *d = NULL;

	if (bld == NULL)
		goto done;
	if (sk != NULL)
	{
		/* A secure BIGNUM puts the scalar in the cleared part of params. */
		d = BN_secure_new();
		if (d == NULL || BN_bin2bn(sk, BROP_SECRETKEYBYTES, d) == NULL ||
			!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d))
			goto done;
	}
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
		!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
										  pub65, P256_UNCOMPRESSED_BYTES))
		goto done;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (params == NULL)
		goto done;
	pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (pctx == NULL || EVP_PKEY_fromdata_init(pctx) <= 0)
		goto done;
	if (EVP_PKEY_fromdata(pctx, &pkey,
						  sk != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
						  params) <= 0)
		pkey = NULL;

done:
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	return pkey;
}

int
brop_p256_sign(unsigned char sig[BROP_SIGNATURE_BYTES],
			   const unsigned char *m, size_t mlen,
			   const unsigned char sk[BROP_SECRETKEYBYTES])
{
	static const unsigned char empty[1];
	unsigned char pub65[P256_UNCOMPRESSED_BYTES];
	unsigned char der[BROP_ECDSA_DER_MAX_BYTES];
	size_t		derlen = sizeof der;
	const unsigned char *p;
	EVP_PKEY   *pkey = NULL;
	EVP_MD_CTX *mdctx = NULL;
	ECDSA_SIG  *esig = NULL;
	const EC_GROUP *group;
	BIGNUM	   *half = NULL;
	BIGNUM	   *low = NULL;
	const BIGNUM *r;
	const BIGNUM *s;
	const BIGNUM *n;
	int			rc;

	if (sig == NULL || sk == NULL || (m == NULL && mlen > 0))
		return BROP_EINVAL;
	rc = public_from_secret(pub65, NULL, sk);
	if (rc != 0)
		return rc;

	rc = BROP_EINTERNAL;
	pkey = make_pkey(pub65, sk);
	mdctx = EVP_MD_CTX_new();
	group = p256_group();
	half = BN_new();
	low = BN_new();
	if (pkey == NULL || mdctx == NULL || group == NULL || half == NULL || low == NULL)
		goto done;
	if (EVP_DigestSignInit_ex(mdctx, NULL, "SHA256", NULL, NULL, pkey, NULL) != 1 ||
		EVP_DigestSign(mdctx, der, &derlen, m != NULL ? m : empty, mlen) != 1)
		goto done;

	p = der;
	esig = d2i_ECDSA_SIG(NULL, &p, (long) derlen);
	if (esig == NULL)
		goto done;
	ECDSA_SIG_get0(esig, &r, &s);
	n = EC_GROUP_get0_order(group);
	if (!BN_rshift1(half, n))
		goto done;
	if (BN_cmp(s, half) > 0)
	{
		if (!BN_sub(low, n, s))
			goto done;
		s = low;
	}
	if (BN_bn2binpad(r, sig, 32) != 32 || BN_bn2binpad(s, sig + 32, 32) != 32)
		goto done;
	rc = BROP_OK;

done:
	ECDSA_SIG_free(esig);
	BN_free(half);
	BN_free(low);
	EVP_MD_CTX_free(mdctx);
	EVP_PKEY_free(pkey);
	if (rc != 0)
	{
		brop_wipe(sig, BROP_SIGNATURE_BYTES);
		ERR_clear_error();
	}
	return rc;
}

/* 1 if the 32-byte big-endian a is zero or not below the 32-byte b. */
static int
zero_or_not_below(const unsigned char *a, const unsigned char *b)
{
	unsigned char acc = 0;

	for (int i = 0; i < 32; i++)
		acc |= a[i];
	if (acc == 0)
		return 1;
	return memcmp(a, b, 32) >= 0;
}

int
brop_p256_verify(const unsigned char sig[BROP_SIGNATURE_BYTES],
				 const unsigned char *m, size_t mlen,
				 const unsigned char *pk, size_t pklen)
{
	/* The order n of the P-256 base point (SEC 2, FIPS 186-4 D.1.2.3). */
	static const unsigned char order[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
		0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51
	};
	static const unsigned char empty[1];
	unsigned char pub65[P256_UNCOMPRESSED_BYTES];
	unsigned char der[BROP_ECDSA_DER_MAX_BYTES];
	size_t		derlen;
	EVP_PKEY   *pkey = NULL;
	EVP_MD_CTX *mdctx = NULL;
	int			rc;
	int			ok;

	if (sig == NULL || (m == NULL && mlen > 0))
		return BROP_EINVAL;
	rc = recode_public(NULL, pub65, pk, pklen);
	if (rc != 0)
		return rc;
	if (zero_or_not_below(sig, order) || zero_or_not_below(sig + 32, order))
		return BROP_ESIG;
	/* OpenSSL verifies DER; ours is strict, as OpenSSL requires. */
	rc = brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sig);
	if (rc != 0)
		return rc;

	rc = BROP_EINTERNAL;
	pkey = make_pkey(pub65, NULL);
	mdctx = EVP_MD_CTX_new();
	if (pkey == NULL || mdctx == NULL)
		goto done;
	if (EVP_DigestVerifyInit_ex(mdctx, NULL, "SHA256", NULL, NULL, pkey, NULL) != 1)
		goto done;
	ok = EVP_DigestVerify(mdctx, der, derlen, m != NULL ? m : empty, mlen);
	if (ok == 1)
		rc = BROP_OK;
	else if (ok == 0)
		rc = BROP_EVERIFY;

done:
	EVP_MD_CTX_free(mdctx);
	EVP_PKEY_free(pkey);
	if (rc != 0)
		ERR_clear_error();
	return rc;
}
