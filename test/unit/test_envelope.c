/*
 * test_envelope.c — sign-then-seal envelopes: round trips, the byte layout
 * of brop_envelope.h, and each way an envelope can be refused. Envelopes with
 * a chosen inner content are built by hand with crypto_box_seal.
 */
#include <sodium.h>
#include <stdlib.h>

#include "brop.h"
#include "unit.h"

#define TAG "brop-envelope-v1"

typedef struct
{
	unsigned char seed[32];
	unsigned char pk[32];		/* Ed25519 */
	unsigned char xpk[32];		/* X25519, converted */
	unsigned char xsk[32];
} party;

static void
make_party(party *p, unsigned char fill)
{
	unsigned char sk[64];

	memset(p->seed, fill, sizeof p->seed);
	if (brop_ed25519_keypair_from_seed(p->pk, sk, p->seed) != 0 ||
		brop_ed25519_pk_to_x25519(p->xpk, p->pk) != 0 ||
		brop_ed25519_seed_to_x25519(p->xsk, p->seed) != 0)
		unit_fail(__FILE__, __LINE__, "make_party failed");
}

/*
 * Build an envelope by hand: inner = issuer_pk || sig || rlen || field ||
 * payload, signed by the issuer (sig_flip: flip a signature bit after),
 * sealed to xpk. Returns its length; *env is malloc'd.
 */
static size_t
hand_envelope(unsigned char **env, const party *issuer,
			  const unsigned char *field, size_t rlen,
			  const unsigned char *payload, size_t plen,
			  const unsigned char xpk[32], int sig_flip, unsigned char version)
{
	size_t		innerlen = 97 + rlen + plen;
	size_t		msglen = 17 + 32 + 1 + rlen + plen;
	unsigned char *inner = malloc(innerlen);
	unsigned char *msg = malloc(msglen);
	unsigned char sk[64];
	unsigned char pk[32];
	unsigned char sig[64];

	*env = malloc(1 + crypto_box_SEALBYTES + innerlen);
	if (inner == NULL || msg == NULL || *env == NULL)
	{
		unit_fail(__FILE__, __LINE__, "out of memory");
		exit(2);
	}
	memcpy(msg, TAG, 17);		/* with its NUL */
	memcpy(msg + 17, issuer->pk, 32);
	msg[49] = (unsigned char) rlen;
	memcpy(msg + 50, field, rlen);
	if (plen > 0)
		memcpy(msg + 50 + rlen, payload, plen);
	if (crypto_sign_seed_keypair(pk, sk, issuer->seed) != 0 ||
		crypto_sign_detached(sig, NULL, msg, msglen, sk) != 0)
		unit_fail(__FILE__, __LINE__, "signing failed");
	if (sig_flip)
		sig[5] ^= 0x10;
	memcpy(inner, issuer->pk, 32);
	memcpy(inner + 32, sig, 64);
	memcpy(inner + 96, msg + 49, 1 + rlen + plen);
	(*env)[0] = version;
	if (crypto_box_seal(*env + 1, inner, innerlen, xpk) != 0)
		unit_fail(__FILE__, __LINE__, "crypto_box_seal failed");
	free(inner);
	free(msg);
	return 1 + crypto_box_SEALBYTES + innerlen;
}

static int
open_with(const unsigned char *env, size_t envlen, const party *recipient)
{
	unsigned char *payload = malloc(envlen + 1);
	unsigned char ipk[32];
	size_t		plen = 0;
	int			rc;

	rc = brop_envelope_open(payload, envlen, &plen, ipk, env, envlen, recipient->seed);
	free(payload);
	return rc;
}

static void
field_of(unsigned char field[34], unsigned char codec, const unsigned char key[32])
{
	field[0] = codec;
	field[1] = 0x01;
	memcpy(field + 2, key, 32);
}

TEST(envelope_roundtrip)
{
	party		issuer;
	party		alice;
	static const unsigned char msg[] = "a sealed credential";
	unsigned char env[BROP_ENVELOPE_OVERHEAD(34) + sizeof msg];
	unsigned char env2[sizeof env];
	unsigned char out[sizeof env];
	unsigned char ipk[32];
	size_t		envlen = 0;
	size_t		env2len = 0;
	size_t		outlen = 0;

	make_party(&issuer, 0x11);
	make_party(&alice, 0x22);

	/* to the Ed25519 key */
	CHECK_OK(brop_envelope_seal(env, sizeof env, &envlen, msg, sizeof msg,
								BROP_ALG_ED25519, alice.pk, 32, issuer.seed));
	CHECK(envlen == sizeof env);
	CHECK(env[0] == 0x01);
	CHECK_OK(brop_envelope_open(out, sizeof out, &outlen, ipk, env, envlen, alice.seed));
	CHECK(outlen == sizeof msg);
	CHECK_MEM(out, msg, sizeof msg);
	CHECK_MEM(ipk, issuer.pk, 32);

	/* to the X25519 key */
	CHECK_OK(brop_envelope_seal(env2, sizeof env2, &env2len, msg, sizeof msg,
								BROP_ALG_X25519, alice.xpk, 32, issuer.seed));
	CHECK(env2len == sizeof env2);
	memset(out, 0, sizeof out);
	CHECK_OK(brop_envelope_open(out, sizeof out, &outlen, ipk, env2, env2len, alice.seed));
	CHECK(outlen == sizeof msg);
	CHECK_MEM(out, msg, sizeof msg);
	CHECK_MEM(ipk, issuer.pk, 32);

	/* sealing is randomized (ephemeral key): two seals differ, both open */
	CHECK_OK(brop_envelope_seal(env2, sizeof env2, &env2len, msg, sizeof msg,
								BROP_ALG_ED25519, alice.pk, 32, issuer.seed));
	CHECK(memcmp(env, env2, envlen) != 0);
	CHECK_OK(brop_envelope_open(out, sizeof out, &outlen, ipk, env2, env2len, alice.seed));

	/* the issuer may seal to itself */
	CHECK_OK(brop_envelope_seal(env2, sizeof env2, &env2len, msg, sizeof msg,
								BROP_ALG_ED25519, issuer.pk, 32, issuer.seed));
	CHECK_OK(brop_envelope_open(out, sizeof out, &outlen, ipk, env2, env2len, issuer.seed));
}

TEST(envelope_layout)
{
	party		issuer;
	party		alice;
	static const unsigned char msg[] = {0xde, 0xad, 0xbe, 0xef, 0x00, 0x01};
	unsigned char env[BROP_ENVELOPE_OVERHEAD(34) + sizeof msg];
	unsigned char inner[sizeof env - 1 - 48];
	unsigned char signed_msg[17 + 32 + 1 + 34 + sizeof msg];
	size_t		envlen = 0;

	make_party(&issuer, 0x33);
	make_party(&alice, 0x44);
	CHECK_OK(brop_envelope_seal(env, sizeof env, &envlen, msg, sizeof msg,
								BROP_ALG_ED25519, alice.pk, 32, issuer.seed));
	CHECK(envlen == 1 + 48 + 32 + 64 + 1 + 34 + sizeof msg);
	CHECK(env[0] == BROP_ENVELOPE_VERSION);
	/* a libsodium sealed box to the recipient's X25519 key */
	CHECK(crypto_box_seal_open(inner, env + 1, envlen - 1, alice.xpk, alice.xsk) == 0);
	/* issuer_pk (32) */
	CHECK_MEM(inner, issuer.pk, 32);
	/* rlen (1) at 96, recipient = varint(0xed) || Ed25519 key at 97 */
	CHECK(inner[96] == 34);
	CHECK(inner[97] == 0xed && inner[98] == 0x01);
	CHECK_MEM(inner + 99, alice.pk, 32);
	/* payload at 131 */
	CHECK_MEM(inner + 131, msg, sizeof msg);
	/* signature (64) at 32, over "brop-envelope-v1" 0x00 issuer_pk rlen recipient payload */
	memcpy(signed_msg, "brop-envelope-v1", 16);
	signed_msg[16] = 0x00;
	memcpy(signed_msg + 17, issuer.pk, 32);
	memcpy(signed_msg + 49, inner + 96, 1 + 34 + sizeof msg);
	CHECK(crypto_sign_verify_detached(inner + 32, signed_msg, sizeof signed_msg, issuer.pk) == 0);

	/* sealed to the X25519 key, the recipient field carries it with 0xec */
	CHECK_OK(brop_envelope_seal(env, sizeof env, &envlen, msg, sizeof msg,
								BROP_ALG_X25519, alice.xpk, 32, issuer.seed));
	CHECK(crypto_box_seal_open(inner, env + 1, envlen - 1, alice.xpk, alice.xsk) == 0);
	CHECK(inner[96] == 34 && inner[97] == 0xec && inner[98] == 0x01);
	CHECK_MEM(inner + 99, alice.xpk, 32);
}

TEST(envelope_wrong_key_and_tampering)
{
	party		issuer;
	party		alice;
	party		bob;
	static const unsigned char msg[] = "x";
	unsigned char env[BROP_ENVELOPE_OVERHEAD(34) + sizeof msg];
	size_t		envlen = 0;

	make_party(&issuer, 0x55);
	make_party(&alice, 0x66);
	make_party(&bob, 0x77);
	CHECK_OK(brop_envelope_seal(env, sizeof env, &envlen, msg, sizeof msg,
								BROP_ALG_ED25519, alice.pk, 32, issuer.seed));
	CHECK_ERR(open_with(env, envlen, &bob), BROP_EDECRYPT);
	CHECK_ERR(open_with(env, envlen, &issuer), BROP_EDECRYPT);
	CHECK_OK(open_with(env, envlen, &alice));

	/* a flipped bit in any byte */
	for (size_t i = 0; i < envlen; i++)
	{
		for (int bit = 0; bit < 8; bit += 7)
		{
			int			rc;

			env[i] ^= (unsigned char) (1 << bit);
			rc = open_with(env, envlen, &alice);
			if (rc != (i == 0 ? BROP_EVERSION : BROP_EDECRYPT))
				unit_fail(__FILE__, __LINE__, "byte %zu bit %d: open returned %d", i, bit, rc);
			env[i] ^= (unsigned char) (1 << bit);
		}
	}
	CHECK_OK(open_with(env, envlen, &alice));

	/* one byte more: the box no longer authenticates */
	{
		unsigned char longer[sizeof env + 1];

		memcpy(longer, env, envlen);
		longer[envlen] = 0;
		CHECK_ERR(open_with(longer, envlen + 1, &alice), BROP_EDECRYPT);
	}
}

TEST(envelope_version_and_length)
{
	party		issuer;
	party		alice;
	unsigned char env[BROP_ENVELOPE_OVERHEAD(34) + 100];
	size_t		envlen = 0;

	make_party(&issuer, 0x12);
	make_party(&alice, 0x13);
	CHECK_OK(brop_envelope_seal(env, sizeof env, &envlen, NULL, 0,
								BROP_ALG_ED25519, alice.pk, 32, issuer.seed));
	CHECK(envlen == BROP_ENVELOPE_OVERHEAD(34));
	CHECK_OK(open_with(env, envlen, &alice));

	env[0] = 2;
	CHECK_ERR(open_with(env, envlen, &alice), BROP_EVERSION);
	env[0] = 0;
	CHECK_ERR(open_with(env, envlen, &alice), BROP_EVERSION);
	env[0] = 1;
	/* shorter than the smallest envelope */
	CHECK_ERR(open_with(env, envlen - 1, &alice), BROP_ELENGTH);
	CHECK_ERR(open_with(env, 49, &alice), BROP_ELENGTH);
	CHECK_ERR(open_with(env, 1, &alice), BROP_ELENGTH);
	CHECK_ERR(open_with(env, 0, &alice), BROP_ELENGTH);
	/* the version is looked at before the length */
	env[0] = 2;
	CHECK_ERR(open_with(env, 10, &alice), BROP_EVERSION);
	env[0] = 1;
	/* a truncated envelope with a payload: as long as the smallest, so the box fails */
	CHECK_OK(brop_envelope_seal(env, sizeof env, &envlen, (const unsigned char *) "0123456789", 10,
								BROP_ALG_ED25519, alice.pk, 32, issuer.seed));
	CHECK_ERR(open_with(env, envlen - 1, &alice), BROP_EDECRYPT);
	CHECK_ERR(open_with(env, envlen - 10, &alice), BROP_EDECRYPT);
	CHECK_ERR(open_with(env, envlen - 11, &alice), BROP_ELENGTH);
}

TEST(envelope_sizes_and_buffers)
{
	party		issuer;
	party		alice;
	size_t		big = 1024 * 1024;
	unsigned char *payload = malloc(big);
	unsigned char *env = malloc(BROP_ENVELOPE_OVERHEAD(34) + big);
	unsigned char *out = malloc(big + 1000);
	unsigned char ipk[32];
	size_t		envlen = 0;
	size_t		outlen = 0;

	CHECK(payload != NULL && env != NULL && out != NULL);
	if (payload == NULL || env == NULL || out == NULL)
		goto done;
	make_party(&issuer, 0x21);
	make_party(&alice, 0x31);
	randombytes_buf(payload, big);

	/* 1 MiB */
	CHECK_OK(brop_envelope_seal(env, BROP_ENVELOPE_OVERHEAD(34) + big, &envlen, payload, big,
								BROP_ALG_ED25519, alice.pk, 32, issuer.seed));
	CHECK(envlen == BROP_ENVELOPE_OVERHEAD(34) + big);
	CHECK_OK(brop_envelope_open(out, big + 1000, &outlen, ipk, env, envlen, alice.seed));
	CHECK(outlen == big);
	CHECK_MEM(out, payload, big);
	/* the payload buffer must hold the payload */
	CHECK_ERR(brop_envelope_open(out, big - 1, &outlen, ipk, env, envlen, alice.seed), BROP_EBUFFER);
	CHECK_OK(brop_envelope_open(out, big, &outlen, ipk, env, envlen, alice.seed));
	/* the envelope buffer must hold the envelope */
	CHECK_ERR(brop_envelope_seal(env, BROP_ENVELOPE_OVERHEAD(34) + big - 1, &envlen, payload, big,
								 BROP_ALG_ED25519, alice.pk, 32, issuer.seed), BROP_EBUFFER);
	CHECK_ERR(brop_envelope_seal(env, 0, &envlen, payload, 0,
								 BROP_ALG_ED25519, alice.pk, 32, issuer.seed), BROP_EBUFFER);

	/* an empty payload */
	CHECK_OK(brop_envelope_seal(env, BROP_ENVELOPE_OVERHEAD(34), &envlen, NULL, 0,
								BROP_ALG_X25519, alice.xpk, 32, issuer.seed));
	CHECK(envlen == BROP_ENVELOPE_OVERHEAD(34));
	outlen = 99;
	CHECK_OK(brop_envelope_open(NULL, 0, &outlen, ipk, env, envlen, alice.seed));
	CHECK(outlen == 0);
	CHECK_MEM(ipk, issuer.pk, 32);

done:
	free(payload);
	free(env);
	free(out);
}

TEST(envelope_bad_recipients_at_seal)
{
	party		issuer;
	party		alice;
	unsigned char env[BROP_ENVELOPE_OVERHEAD(34) + 10];
	unsigned char zero[33] = {0};
	size_t		envlen;

	make_party(&issuer, 0x41);
	make_party(&alice, 0x42);
	CHECK_ERR(brop_envelope_seal(env, sizeof env, &envlen, NULL, 0,
								 BROP_ALG_SECP256K1, alice.pk, 32, issuer.seed), BROP_EALG);
	CHECK_ERR(brop_envelope_seal(env, sizeof env, &envlen, NULL, 0,
								 BROP_ALG_P256, alice.pk, 32, issuer.seed), BROP_EALG);
	CHECK_ERR(brop_envelope_seal(env, sizeof env, &envlen, NULL, 0,
								 (brop_alg) 0, alice.pk, 32, issuer.seed), BROP_EALG);
	CHECK_ERR(brop_envelope_seal(env, sizeof env, &envlen, NULL, 0,
								 BROP_ALG_ED25519, zero, 32, issuer.seed), BROP_EKEY);
	CHECK_ERR(brop_envelope_seal(env, sizeof env, &envlen, NULL, 0,
								 BROP_ALG_X25519, zero, 32, issuer.seed), BROP_EKEY);
	CHECK_ERR(brop_envelope_seal(env, sizeof env, &envlen, NULL, 0,
								 BROP_ALG_ED25519, alice.pk, 31, issuer.seed), BROP_EKEY);
}

TEST(envelope_names_another_recipient)
{
	party		issuer;
	party		alice;
	party		bob;
	static const unsigned char msg[] = "for bob";
	unsigned char field[34];
	unsigned char *env;
	size_t		envlen;

	make_party(&issuer, 0x51);
	make_party(&alice, 0x52);
	make_party(&bob, 0x53);

	/* a hand-made envelope naming alice opens: the construction is right */
	field_of(field, 0xed, alice.pk);
	envlen = hand_envelope(&env, &issuer, field, 34, msg, sizeof msg, alice.xpk, 0, 1);
	CHECK_OK(open_with(env, envlen, &alice));
	free(env);
	field_of(field, 0xec, alice.xpk);
	envlen = hand_envelope(&env, &issuer, field, 34, msg, sizeof msg, alice.xpk, 0, 1);
	CHECK_OK(open_with(env, envlen, &alice));
	free(env);

	/* signed for bob (as Ed25519 or X25519), sealed to alice */
	field_of(field, 0xed, bob.pk);
	envlen = hand_envelope(&env, &issuer, field, 34, msg, sizeof msg, alice.xpk, 0, 1);
	CHECK_ERR(open_with(env, envlen, &alice), BROP_ERECIPIENT);
	free(env);
	field_of(field, 0xec, bob.xpk);
	envlen = hand_envelope(&env, &issuer, field, 34, msg, sizeof msg, alice.xpk, 0, 1);
	CHECK_ERR(open_with(env, envlen, &alice), BROP_ERECIPIENT);
	free(env);

	/* alice's key under the other codec names someone else */
	field_of(field, 0xec, alice.pk);
	envlen = hand_envelope(&env, &issuer, field, 34, msg, sizeof msg, alice.xpk, 0, 1);
	CHECK_ERR(open_with(env, envlen, &alice), BROP_ERECIPIENT);
	free(env);
	field_of(field, 0xed, alice.xpk);
	envlen = hand_envelope(&env, &issuer, field, 34, msg, sizeof msg, alice.xpk, 0, 1);
	CHECK_ERR(open_with(env, envlen, &alice), BROP_ERECIPIENT);
	free(env);

	/* a codec that is no Ed25519 or X25519 key: secp256k1 */
	{
		unsigned char k[35];

		k[0] = 0xe7;
		k[1] = 0x01;
		k[2] = 0x02;
		memcpy(k + 3, alice.pk, 32);
		envlen = hand_envelope(&env, &issuer, k, 35, msg, sizeof msg, alice.xpk, 0, 1);
		CHECK_ERR(open_with(env, envlen, &alice), BROP_ERECIPIENT);
		free(env);
	}
}

TEST(envelope_bad_inner)
{
	party		issuer;
	party		alice;
	static const unsigned char msg[] = "payload";
	unsigned char field[41];
	unsigned char *env;
	size_t		envlen;

	make_party(&issuer, 0x61);
	make_party(&alice, 0x62);

	/* a bad issuer signature */
	field_of(field, 0xed, alice.pk);
	envlen = hand_envelope(&env, &issuer, field, 34, msg, sizeof msg, alice.xpk, 1, 1);
	CHECK_ERR(open_with(env, envlen, &alice), BROP_EVERIFY);
	free(env);

	/* rlen too small, too large, longer than what follows */
	{
		unsigned char pad[64] = {0};

		envlen = hand_envelope(&env, &issuer, field, 1, pad, sizeof pad, alice.xpk, 0, 1);
	}
	CHECK_ERR(open_with(env, envlen, &alice), BROP_ELENGTH);
	free(env);
	memset(field + 34, 0, 7);
	envlen = hand_envelope(&env, &issuer, field, 41, msg, sizeof msg, alice.xpk, 0, 1);
	CHECK_ERR(open_with(env, envlen, &alice), BROP_ELENGTH);
	free(env);
	{
		unsigned char *inner;
		unsigned char *box;
		size_t		innerlen = 97 + 34;

		/* rlen says 40 but only 34 bytes follow */
		inner = calloc(1, innerlen);
		box = malloc(1 + 48 + innerlen);
		CHECK(inner != NULL && box != NULL);
		if (inner != NULL && box != NULL)
		{
			memcpy(inner, issuer.pk, 32);
			inner[96] = 40;
			memcpy(inner + 97, field, 34);
			box[0] = 1;
			CHECK(crypto_box_seal(box + 1, inner, innerlen, alice.xpk) == 0);
			CHECK_ERR(open_with(box, 1 + 48 + innerlen, &alice), BROP_ELENGTH);
		}
		free(inner);
		free(box);
	}

	/* a non-minimal varint in the recipient field */
	{
		unsigned char k[35];

		k[0] = 0xed;
		k[1] = 0x81;
		k[2] = 0x00;
		memcpy(k + 3, alice.pk, 32);
		envlen = hand_envelope(&env, &issuer, k, 35, msg, sizeof msg, alice.xpk, 0, 1);
		CHECK_ERR(open_with(env, envlen, &alice), BROP_ERECIPIENT);
		free(env);
	}

	/* version 2 with a valid box inside */
	field_of(field, 0xed, alice.pk);
	envlen = hand_envelope(&env, &issuer, field, 34, msg, sizeof msg, alice.xpk, 0, 2);
	CHECK_ERR(open_with(env, envlen, &alice), BROP_EVERSION);
	free(env);
}
