/*
 * test_ed25519.c — Ed25519 against RFC 8032 section 7.1 (TEST 1, 2, 3, 1024,
 * SHA(abc)): seed -> public key, exact signature, verification; tampering;
 * the Ed25519 -> X25519 conversion.
 */
#include <sodium.h>
#include <stdlib.h>

#include "brop.h"
#include "unit.h"

typedef struct
{
	const char *name;
	const char *seed;
	const char *pk;
	const char *msg;
	const char *sig;
} rfc8032_vector;

/* RFC 8032, section 7.1, TEST 1024: a 1023-byte message. */
static const char test1024_msg[] =
	"08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
	"fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
	"79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
	"658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
	"1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
	"ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
	"06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
	"efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
	"aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
	"85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
	"d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
	"554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
	"88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
	"2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
	"07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
	"b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
	"ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
	"c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
	"51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
	"42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
	"ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
	"f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
	"d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
	"de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
	"88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
	"2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
	"6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
	"b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
	"0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
	"369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
	"b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
	"0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0";

static const rfc8032_vector rfc8032[] = {
	{"TEST 1",
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		"",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	{"TEST 2",
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		"72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	{"TEST 3",
		"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
		"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
		"af82",
		"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
	"18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
	{"TEST 1024",
		"f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
		"278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
		test1024_msg,
		"0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
	"aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
	{"TEST SHA(abc)",
		"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
		"ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
		"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		"dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
	"09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

#define NVECTORS (sizeof rfc8032 / sizeof rfc8032[0])

TEST(ed25519_rfc8032_vectors)
{
	for (size_t i = 0; i < NVECTORS; i++)
	{
		const rfc8032_vector *v = &rfc8032[i];
		unsigned char seed[32];
		unsigned char pk[32];
		unsigned char sk[64];
		unsigned char sig[64];
		unsigned char *msg = malloc(1024);
		size_t		mlen;

		CHECK(msg != NULL);
		if (msg == NULL)
			return;
		unit_unhex(seed, sizeof seed, v->seed);
		mlen = unit_unhex(msg, 1024, v->msg);

		CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
		CHECK_HEX(pk, 32, v->pk);
		CHECK_OK(brop_ed25519_sign(sig, msg, mlen, sk));
		CHECK_HEX(sig, 64, v->sig);
		CHECK_OK(brop_ed25519_verify(sig, msg, mlen, pk));
		CHECK_OK(brop_ed25519_pk_validate(pk));

		/* the generic layer: the 32-byte seed is the secret key */
		{
			unsigned char gpk[33];
			unsigned char gsig[64];
			size_t		gpklen = 0;

			CHECK_OK(brop_key_public(gpk, sizeof gpk, &gpklen, BROP_ALG_ED25519, seed));
			CHECK(gpklen == 32);
			CHECK_MEM(gpk, pk, 32);
			CHECK_OK(brop_sign(gsig, BROP_ALG_ED25519, seed, msg, mlen));
			CHECK_MEM(gsig, sig, 64);
			CHECK_OK(brop_verify(BROP_ALG_ED25519, pk, 32, msg, mlen, sig, 64));
			CHECK_OK(brop_key_validate(BROP_ALG_ED25519, pk, 32));
		}
		if (unit_hexeq(sig, 64, v->sig) == 0)
			fprintf(stdout, "    (vector %s)\n", v->name);
		free(msg);
	}
}

TEST(ed25519_tampering)
{
	unsigned char seed[32];
	unsigned char pk[32];
	unsigned char sk[64];
	unsigned char sig[64];
	unsigned char msg[2];

	unit_unhex(seed, sizeof seed, rfc8032[2].seed);
	unit_unhex(msg, sizeof msg, rfc8032[2].msg);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
	CHECK_OK(brop_ed25519_sign(sig, msg, sizeof msg, sk));

	/* every bit of the message */
	for (size_t bit = 0; bit < 8 * sizeof msg; bit++)
	{
		msg[bit / 8] ^= (unsigned char) (1 << (bit % 8));
		CHECK_ERR(brop_ed25519_verify(sig, msg, sizeof msg, pk), BROP_EVERIFY);
		msg[bit / 8] ^= (unsigned char) (1 << (bit % 8));
	}
	/* every bit of the signature */
	for (size_t bit = 0; bit < 8 * sizeof sig; bit++)
	{
		sig[bit / 8] ^= (unsigned char) (1 << (bit % 8));
		CHECK_ERR(brop_ed25519_verify(sig, msg, sizeof msg, pk), BROP_EVERIFY);
		CHECK_ERR(brop_verify(BROP_ALG_ED25519, pk, 32, msg, sizeof msg, sig, 64), BROP_EVERIFY);
		sig[bit / 8] ^= (unsigned char) (1 << (bit % 8));
	}
	CHECK_OK(brop_ed25519_verify(sig, msg, sizeof msg, pk));
	/* a shorter message */
	CHECK_ERR(brop_ed25519_verify(sig, msg, 1, pk), BROP_EVERIFY);
	/* another key */
	{
		unsigned char pk2[32];

		unit_unhex(pk2, sizeof pk2, rfc8032[0].pk);
		CHECK_ERR(brop_ed25519_verify(sig, msg, sizeof msg, pk2), BROP_EVERIFY);
	}
}

TEST(ed25519_bad_public_keys)
{
	unsigned char sig[64] = {0};
	unsigned char pk[32];

	/* y = 0 is a point of order 4; all-zero is refused */
	memset(pk, 0, sizeof pk);
	CHECK_ERR(brop_ed25519_pk_validate(pk), BROP_EKEY);
	CHECK_ERR(brop_ed25519_verify(sig, NULL, 0, pk), BROP_EKEY);
	/* the generic layer trusts validated keys; libsodium still refuses this one */
	CHECK_ERR(brop_verify(BROP_ALG_ED25519, pk, 32, NULL, 0, sig, 64), BROP_EVERIFY);
	CHECK_ERR(brop_key_validate(BROP_ALG_ED25519, pk, 32), BROP_EKEY);
	/* the identity (y = 1) */
	pk[0] = 1;
	CHECK_ERR(brop_ed25519_pk_validate(pk), BROP_EKEY);
	/* y = 2 is not on the curve (x^2 would be a non-square) */
	pk[0] = 2;
	CHECK_ERR(brop_ed25519_pk_validate(pk), BROP_EKEY);
	/* non-canonical: y = p (2^255 - 19) encodes 0 again */
	unit_unhex(pk, sizeof pk, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	CHECK_ERR(brop_ed25519_pk_validate(pk), BROP_EKEY);
	/* lengths through the generic layer */
	unit_unhex(pk, sizeof pk, rfc8032[0].pk);
	CHECK_ERR(brop_key_validate(BROP_ALG_ED25519, pk, 31), BROP_ELENGTH);
	CHECK_ERR(brop_key_validate(BROP_ALG_ED25519, pk, 33), BROP_ELENGTH);
	CHECK_ERR(brop_verify(BROP_ALG_ED25519, pk, 31, NULL, 0, sig, 64), BROP_ELENGTH);
	CHECK_ERR(brop_verify(BROP_ALG_ED25519, pk, 32, NULL, 0, sig, 63), BROP_ELENGTH);
	CHECK_ERR(brop_verify(BROP_ALG_ED25519, pk, 32, NULL, 0, sig, 65), BROP_ELENGTH);
}

TEST(ed25519_to_x25519)
{
	for (size_t i = 0; i < NVECTORS; i++)
	{
		unsigned char seed[32];
		unsigned char pk[32];
		unsigned char sk[64];
		unsigned char xpk[32];
		unsigned char xsk[32];
		unsigned char xpk_from_sk[32];
		unsigned char gpk[33];
		size_t		gpklen = 0;

		unit_unhex(seed, sizeof seed, rfc8032[i].seed);
		CHECK_OK(brop_ed25519_keypair_from_seed(pk, sk, seed));
		CHECK_OK(brop_ed25519_pk_to_x25519(xpk, pk));
		CHECK_OK(brop_ed25519_seed_to_x25519(xsk, seed));
		/* the X25519 public key of the converted secret is the converted public key */
		CHECK(crypto_scalarmult_base(xpk_from_sk, xsk) == 0);
		CHECK_MEM(xpk_from_sk, xpk, 32);
		/* ... and what brop_key_public gives for x25519 with that secret */
		CHECK_OK(brop_key_public(gpk, sizeof gpk, &gpklen, BROP_ALG_X25519, xsk));
		CHECK(gpklen == 32);
		CHECK_MEM(gpk, xpk, 32);
		CHECK_OK(brop_key_validate(BROP_ALG_X25519, xpk, 32));
		/* the converted secret is SHA-512(seed)[0..32) clamped (RFC 8032 5.1.5) */
		{
			unsigned char h[64];

			CHECK_OK(brop_sha512(h, seed, 32));
			h[0] &= 248;
			h[31] &= 127;
			h[31] |= 64;
			CHECK_MEM(xsk, h, 32);
		}
	}
	/* not a point: no conversion */
	{
		unsigned char bad[32] = {0};
		unsigned char xpk[32];

		CHECK_ERR(brop_ed25519_pk_to_x25519(xpk, bad), BROP_EKEY);
	}
}

TEST(ed25519_generic_roundtrip)
{
	for (int i = 0; i < 8; i++)
	{
		unsigned char sk[32];
		unsigned char pk[33];
		unsigned char sig[64];
		size_t		pklen = 0;
		unsigned char msg[100];

		randombytes_buf(msg, sizeof msg);
		CHECK_OK(brop_key_generate(sk, BROP_ALG_ED25519));
		CHECK_OK(brop_key_public(pk, sizeof pk, &pklen, BROP_ALG_ED25519, sk));
		CHECK(pklen == 32);
		CHECK_ERR(brop_key_public(pk, 31, &pklen, BROP_ALG_ED25519, sk), BROP_EBUFFER);
		CHECK_OK(brop_sign(sig, BROP_ALG_ED25519, sk, msg, (size_t) i * 10));
		CHECK_OK(brop_verify(BROP_ALG_ED25519, pk, 32, msg, (size_t) i * 10, sig, 64));
		CHECK_ERR(brop_verify(BROP_ALG_ED25519, pk, 32, msg, (size_t) i * 10 + 1, sig, 64), BROP_EVERIFY);
	}
}

TEST(alg_names)
{
	brop_alg	alg = 0;

	CHECK(strcmp(brop_alg_name(BROP_ALG_ED25519), "ed25519") == 0);
	CHECK(strcmp(brop_alg_name(BROP_ALG_SECP256K1), "secp256k1") == 0);
	CHECK(strcmp(brop_alg_name(BROP_ALG_P256), "p256") == 0);
	CHECK(strcmp(brop_alg_name(BROP_ALG_X25519), "x25519") == 0);
	CHECK(brop_alg_name((brop_alg) 99) == NULL);

	CHECK_OK(brop_alg_from_name(&alg, "Ed25519", 7));
	CHECK(alg == BROP_ALG_ED25519);
	CHECK_OK(brop_alg_from_name(&alg, "EdDSA", 5));
	CHECK(alg == BROP_ALG_ED25519);
	CHECK_OK(brop_alg_from_name(&alg, "SECP256K1", 9));
	CHECK(alg == BROP_ALG_SECP256K1);
	CHECK_OK(brop_alg_from_name(&alg, "ES256K", 6));
	CHECK(alg == BROP_ALG_SECP256K1);
	CHECK_OK(brop_alg_from_name(&alg, "P-256", 5));
	CHECK(alg == BROP_ALG_P256);
	CHECK_OK(brop_alg_from_name(&alg, "p256", 4));
	CHECK(alg == BROP_ALG_P256);
	CHECK_OK(brop_alg_from_name(&alg, "es256", 5));
	CHECK(alg == BROP_ALG_P256);
	CHECK_OK(brop_alg_from_name(&alg, "X25519", 6));
	CHECK(alg == BROP_ALG_X25519);
	/* the length is the caller's: a prefix is not a name */
	CHECK_OK(brop_alg_from_name(&alg, "es256k", 5));
	CHECK(alg == BROP_ALG_P256);
	CHECK_ERR(brop_alg_from_name(&alg, "ed2551", 6), BROP_EALG);
	CHECK_ERR(brop_alg_from_name(&alg, "ed25519 ", 8), BROP_EALG);
	CHECK_ERR(brop_alg_from_name(&alg, "rsa", 3), BROP_EALG);
	CHECK_ERR(brop_alg_from_name(&alg, "", 0), BROP_EALG);

	CHECK(brop_alg_publickey_bytes(BROP_ALG_ED25519) == 32);
	CHECK(brop_alg_publickey_bytes(BROP_ALG_X25519) == 32);
	CHECK(brop_alg_publickey_bytes(BROP_ALG_SECP256K1) == 33);
	CHECK(brop_alg_publickey_bytes(BROP_ALG_P256) == 33);
	CHECK(brop_alg_publickey_bytes((brop_alg) 0) == 0);
}

TEST(generic_unknown_and_x25519)
{
	unsigned char sk[32] = {1};
	unsigned char pk[33];
	unsigned char sig[64] = {0};
	size_t		pklen;

	CHECK_ERR(brop_key_generate(sk, (brop_alg) 7), BROP_EALG);
	CHECK_ERR(brop_key_public(pk, sizeof pk, &pklen, (brop_alg) 7, sk), BROP_EALG);
	CHECK_ERR(brop_key_validate((brop_alg) 7, pk, 32), BROP_EALG);
	CHECK_ERR(brop_sign(sig, (brop_alg) 7, sk, NULL, 0), BROP_EALG);
	CHECK_ERR(brop_verify((brop_alg) 7, pk, 32, NULL, 0, sig, 64), BROP_EALG);
	/* x25519 is for key agreement only */
	CHECK_ERR(brop_sign(sig, BROP_ALG_X25519, sk, NULL, 0), BROP_EALG);
	CHECK_ERR(brop_verify(BROP_ALG_X25519, pk, 32, NULL, 0, sig, 64), BROP_EALG);
}

TEST(x25519_validate)
{
	unsigned char pk[32];

	memset(pk, 0, sizeof pk);
	CHECK_ERR(brop_key_validate(BROP_ALG_X25519, pk, 32), BROP_EKEY);	/* zero */
	pk[0] = 1;
	CHECK_ERR(brop_key_validate(BROP_ALG_X25519, pk, 32), BROP_EKEY);	/* order 4 */
	/* order 8 (libsodium's blocklist; RFC 7748 small-order u) */
	unit_unhex(pk, sizeof pk, "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
	CHECK_ERR(brop_key_validate(BROP_ALG_X25519, pk, 32), BROP_EKEY);
	/* p - 1, u = -1: in libsodium's small-order list */
	unit_unhex(pk, sizeof pk, "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	CHECK_ERR(brop_key_validate(BROP_ALG_X25519, pk, 32), BROP_EKEY);
	/* the base point u = 9 is fine; with the top bit set it is not canonical */
	memset(pk, 0, sizeof pk);
	pk[0] = 9;
	CHECK_OK(brop_key_validate(BROP_ALG_X25519, pk, 32));
	pk[31] = 0x80;
	CHECK_ERR(brop_key_validate(BROP_ALG_X25519, pk, 32), BROP_EKEY);
	/* p + 9, the non-canonical form of 9 */
	unit_unhex(pk, sizeof pk, "f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	CHECK_ERR(brop_key_validate(BROP_ALG_X25519, pk, 32), BROP_EKEY);
	CHECK_ERR(brop_key_validate(BROP_ALG_X25519, pk, 31), BROP_ELENGTH);
}
