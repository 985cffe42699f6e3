/*
 * test_p256.c — ECDSA P-256 with SHA-256: RFC 6979 appendix A.2.5 (key
 * derivation, verification of its SHA-256 signatures; OpenSSL 3.0 signs with
 * random nonces, so the exact signatures cannot be reproduced), random round
 * trips, point compression, invalid points and scalars.
 */
#include <sodium.h>

#include "brop.h"
#include "unit.h"

/* RFC 6979, A.2.5: the P-256 key pair. */
#define A25_X "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
#define A25_UX "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
#define A25_UY "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
/* Uy is odd: prefix 03 */
#define A25_COMPRESSED "03" A25_UX

/* RFC 6979, A.2.5: the SHA-256 signatures over "sample" and "test". */
#define A25_SAMPLE_R "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
#define A25_SAMPLE_S "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"
#define A25_TEST_R "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
#define A25_TEST_S "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"

/* The order n of the P-256 base point. */
static const char p256_n[] =
"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

static void
n_minus(unsigned char out[32], const unsigned char v[32])
{
	unsigned char n[32];
	int			borrow = 0;

	unit_unhex(n, sizeof n, p256_n);
	for (int i = 31; i >= 0; i--)
	{
		int			d = n[i] - v[i] - borrow;

		borrow = d < 0;
		out[i] = (unsigned char) (d + (borrow ? 256 : 0));
	}
}

TEST(p256_rfc6979_key)
{
	unsigned char sk[32];
	unsigned char pk[33];
	unsigned char u[65];
	unsigned char c[33];
	size_t		pklen = 0;

	unit_unhex(sk, sizeof sk, A25_X);
	CHECK_OK(brop_p256_pubkey(pk, sk));
	CHECK_HEX(pk, 33, A25_COMPRESSED);
	CHECK_OK(brop_key_public(c, sizeof c, &pklen, BROP_ALG_P256, sk));
	CHECK(pklen == 33);
	CHECK_MEM(c, pk, 33);
	CHECK_OK(brop_key_validate(BROP_ALG_P256, pk, 33));

	/* the uncompressed point 04 || Ux || Uy compresses to the same */
	unit_unhex(u, sizeof u, "04" A25_UX A25_UY);
	CHECK_OK(brop_p256_pubkey_compress(c, u, 65));
	CHECK_HEX(c, 33, A25_COMPRESSED);
	CHECK_OK(brop_p256_pubkey_compress(c, pk, 33));
	CHECK_HEX(c, 33, A25_COMPRESSED);
}

TEST(p256_rfc6979_signatures_verify)
{
	unsigned char pk[33];
	unsigned char u[65];
	unsigned char sample[64];
	unsigned char test[64];
	unsigned char low[64];
	unsigned char der[72];
	size_t		derlen = 0;
	const unsigned char *m_sample = (const unsigned char *) "sample";
	const unsigned char *m_test = (const unsigned char *) "test";

	unit_unhex(pk, sizeof pk, A25_COMPRESSED);
	unit_unhex(u, sizeof u, "04" A25_UX A25_UY);
	unit_unhex(sample, 32, A25_SAMPLE_R);
	unit_unhex(sample + 32, 32, A25_SAMPLE_S);
	unit_unhex(test, 32, A25_TEST_R);
	unit_unhex(test + 32, 32, A25_TEST_S);

	CHECK_OK(brop_p256_verify(sample, m_sample, 6, pk, 33));
	CHECK_OK(brop_p256_verify(sample, m_sample, 6, u, 65));
	CHECK_OK(brop_p256_verify(test, m_test, 4, pk, 33));
	CHECK_OK(brop_verify(BROP_ALG_P256, pk, 33, m_sample, 6, sample, 64));
	CHECK_OK(brop_verify(BROP_ALG_P256, pk, 33, m_test, 4, test, 64));

	/* "sample"'s s is above n/2; its low-S twin verifies too (ES256) */
	memcpy(low, sample, 32);
	n_minus(low + 32, sample + 32);
	CHECK(memcmp(low + 32, sample + 32, 32) < 0);
	CHECK_OK(brop_p256_verify(low, m_sample, 6, pk, 33));

	/* the DER forms, as OpenSSL's own RFC 6979 test data write them */
	CHECK_OK(brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sample));
	CHECK_HEX(der, derlen, "3046022100" A25_SAMPLE_R "022100" A25_SAMPLE_S);
	CHECK_OK(brop_verify(BROP_ALG_P256, pk, 33, m_sample, 6, der, derlen));
	CHECK_OK(brop_ecdsa_sig_to_der(der, sizeof der, &derlen, test));
	CHECK_HEX(der, derlen, "3045022100" A25_TEST_R "0220" A25_TEST_S);
	CHECK_OK(brop_verify(BROP_ALG_P256, pk, 33, m_test, 4, der, derlen));

	/* crossed messages, altered bytes, another key */
	CHECK_ERR(brop_p256_verify(sample, m_test, 4, pk, 33), BROP_EVERIFY);
	CHECK_ERR(brop_p256_verify(test, m_sample, 6, pk, 33), BROP_EVERIFY);
	CHECK_ERR(brop_p256_verify(sample, m_sample, 5, pk, 33), BROP_EVERIFY);
	sample[10] ^= 1;
	CHECK_ERR(brop_p256_verify(sample, m_sample, 6, pk, 33), BROP_EVERIFY);
	sample[10] ^= 1;
	sample[50] ^= 1;
	CHECK_ERR(brop_p256_verify(sample, m_sample, 6, pk, 33), BROP_EVERIFY);
	sample[50] ^= 1;
	pk[0] ^= 1;					/* 03 -> 02: the negated point */
	CHECK_ERR(brop_p256_verify(sample, m_sample, 6, pk, 33), BROP_EVERIFY);
}

TEST(p256_signature_range)
{
	unsigned char pk[33];
	unsigned char sig[64];
	const unsigned char *m = (const unsigned char *) "sample";

	unit_unhex(pk, sizeof pk, A25_COMPRESSED);
	unit_unhex(sig, 32, A25_SAMPLE_R);
	unit_unhex(sig + 32, 32, A25_SAMPLE_S);

	memset(sig, 0, 32);
	CHECK_ERR(brop_p256_verify(sig, m, 6, pk, 33), BROP_ESIG);		/* r = 0 */
	unit_unhex(sig, 32, p256_n);
	CHECK_ERR(brop_p256_verify(sig, m, 6, pk, 33), BROP_ESIG);		/* r = n */
	CHECK_ERR(brop_verify(BROP_ALG_P256, pk, 33, m, 6, sig, 64), BROP_ESIG);
	unit_unhex(sig, 32, A25_SAMPLE_R);
	memset(sig + 32, 0, 32);
	CHECK_ERR(brop_p256_verify(sig, m, 6, pk, 33), BROP_ESIG);		/* s = 0 */
	memset(sig + 32, 0xff, 32);
	CHECK_ERR(brop_p256_verify(sig, m, 6, pk, 33), BROP_ESIG);		/* s > n */
	/* r = 1, s = 1: in range, not valid */
	memset(sig, 0, 64);
	sig[31] = 1;
	sig[63] = 1;
	CHECK_ERR(brop_p256_verify(sig, m, 6, pk, 33), BROP_EVERIFY);
	/* a malformed DER signature through the generic layer */
	CHECK_ERR(brop_verify(BROP_ALG_P256, pk, 33, m, 6, sig, 63), BROP_ESIG);
}

TEST(p256_invalid_points)
{
	unsigned char pk[33];
	unsigned char u[65];
	unsigned char c[33];
	unsigned char sig[64] = {0};

	/* x = 1: 1 - 3 + b is not a square mod p, so no point has it */
	memset(pk, 0, sizeof pk);
	pk[0] = 0x02;
	pk[32] = 1;
	CHECK_ERR(brop_p256_pubkey_compress(c, pk, 33), BROP_EKEY);
	CHECK_ERR(brop_key_validate(BROP_ALG_P256, pk, 33), BROP_EKEY);
	sig[31] = 1;
	sig[63] = 1;
	CHECK_ERR(brop_p256_verify(sig, NULL, 0, pk, 33), BROP_EKEY);
	/* x = p: not below the field size */
	unit_unhex(pk, sizeof pk, "02ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
	CHECK_ERR(brop_p256_pubkey_compress(c, pk, 33), BROP_EKEY);
	/* (Ux, Uy + 1) is off the curve */
	unit_unhex(u, sizeof u, "04" A25_UX A25_UY);
	u[64] ^= 1;
	CHECK_ERR(brop_p256_pubkey_compress(c, u, 65), BROP_EKEY);
	CHECK_ERR(brop_p256_verify(sig, NULL, 0, u, 65), BROP_EKEY);
	u[64] ^= 1;
	/* hybrid encoding, unknown prefixes, the point at infinity, lengths */
	u[0] = 0x07;
	CHECK_ERR(brop_p256_pubkey_compress(c, u, 65), BROP_EKEY);
	unit_unhex(pk, sizeof pk, "04" A25_UX);
	CHECK_ERR(brop_p256_pubkey_compress(c, pk, 33), BROP_EKEY);
	pk[0] = 0x00;
	CHECK_ERR(brop_p256_pubkey_compress(c, pk, 1), BROP_ELENGTH);
	CHECK_ERR(brop_p256_pubkey_compress(c, pk, 32), BROP_ELENGTH);
	CHECK_ERR(brop_p256_pubkey_compress(c, u, 64), BROP_ELENGTH);
	CHECK_ERR(brop_key_validate(BROP_ALG_P256, pk, 32), BROP_ELENGTH);
	u[0] = 0x04;
	CHECK_ERR(brop_key_validate(BROP_ALG_P256, u, 65), BROP_ELENGTH);
}

TEST(p256_invalid_scalars)
{
	unsigned char sk[32];
	unsigned char pk[33];
	unsigned char sig[64];

	memset(sk, 0, sizeof sk);
	CHECK_ERR(brop_p256_pubkey(pk, sk), BROP_EKEY);
	CHECK_ERR(brop_p256_sign(sig, NULL, 0, sk), BROP_EKEY);
	unit_unhex(sk, sizeof sk, p256_n);
	CHECK_ERR(brop_p256_pubkey(pk, sk), BROP_EKEY);
	CHECK_ERR(brop_sign(sig, BROP_ALG_P256, sk, NULL, 0), BROP_EKEY);
	memset(sk, 0xff, sizeof sk);
	CHECK_ERR(brop_p256_pubkey(pk, sk), BROP_EKEY);
	/* n - 1 is the largest valid scalar: its point is -G */
	unit_unhex(sk, sizeof sk, p256_n);
	sk[31] -= 1;
	CHECK_OK(brop_p256_pubkey(pk, sk));
	/* G (FIPS 186-4, D.1.2.3) has an odd y, -G an even one */
	CHECK_HEX(pk, 33, "026b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
	memset(sk, 0, sizeof sk);
	sk[31] = 1;
	CHECK_OK(brop_p256_pubkey(pk, sk));
	CHECK_HEX(pk, 33, "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
}

TEST(p256_roundtrip)
{
	for (int i = 0; i < 16; i++)
	{
		unsigned char sk[32];
		unsigned char pk[33];
		unsigned char sig[64];
		unsigned char sig2[64];
		unsigned char other[64];
		unsigned char der[72];
		unsigned char msg[80];
		size_t		pklen = 0;
		size_t		derlen = 0;
		size_t		mlen = (size_t) i * 5;

		randombytes_buf(msg, sizeof msg);
		CHECK_OK(brop_key_generate(sk, BROP_ALG_P256));
		CHECK_OK(brop_key_public(pk, sizeof pk, &pklen, BROP_ALG_P256, sk));
		CHECK(pklen == 33);
		CHECK_OK(brop_key_validate(BROP_ALG_P256, pk, 33));
		CHECK_OK(brop_p256_sign(sig, msg, mlen, sk));
		CHECK_OK(brop_sign(sig2, BROP_ALG_P256, sk, msg, mlen));
		CHECK(memcmp(sig, sig2, 64) != 0);	/* random nonces */
		/* both low-S */
		n_minus(other, sig + 32);
		CHECK(memcmp(sig + 32, other, 32) < 0);
		n_minus(other, sig2 + 32);
		CHECK(memcmp(sig2 + 32, other, 32) < 0);
		CHECK_OK(brop_p256_verify(sig, msg, mlen, pk, 33));
		CHECK_OK(brop_verify(BROP_ALG_P256, pk, 33, msg, mlen, sig2, 64));
		/* the high-S twin is accepted as well */
		memcpy(other, sig, 32);
		n_minus(other + 32, sig + 32);
		CHECK_OK(brop_p256_verify(other, msg, mlen, pk, 33));
		CHECK_OK(brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sig));
		CHECK_OK(brop_verify(BROP_ALG_P256, pk, 33, msg, mlen, der, derlen));
		msg[0] ^= 1;
		CHECK_ERR(brop_p256_verify(sig, msg, mlen + 1, pk, 33), BROP_EVERIFY);
	}
}
