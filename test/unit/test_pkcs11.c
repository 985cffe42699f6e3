/*
 * test_pkcs11.c — signing with keys in a real token: a throw-away SoftHSM2
 * token made by softhsm.c (no test is skipped: when the token cannot be
 * made, every test here fails).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "brop.h"
#include "softhsm.h"
#include "unit.h"

/* Open the key of the URI "pkcs11:<path>?<query>" with the token's PIN file, unless query names one. */
static int
open_key(brop_pkcs11_key **k, const char *path, const char *query)
{
	const char *dir = unit_softhsm_dir();
	char		text[2048];
	brop_pkcs11_uri u = {0};
	int			rc;

	*k = NULL;
	if (dir == NULL)
	{
		unit_fail(__FILE__, __LINE__, "cannot make the SoftHSM2 token");
		return -1000;
	}
	if (query == NULL)
		snprintf(text, sizeof text, "pkcs11:%s?module-path=%s&pin-source=file:%s/pin",
				 path, UNIT_SOFTHSM_MODULE, dir);
	else
		snprintf(text, sizeof text, "pkcs11:%s?%s", path, query);
	rc = brop_pkcs11_uri_parse(&u, text, strlen(text));
	if (rc != 0)
	{
		unit_fail(__FILE__, __LINE__, "\"%s\" does not parse: %d", text, rc);
		return rc;
	}
	rc = brop_pkcs11_open(k, &u);
	brop_pkcs11_uri_wipe(&u);
	return rc;
}

/* "module-path=...&pin-source=file:<token dir>/<pin file>" */
static const char *
query_with_pin(char *buf, size_t cap, const char *pin_file)
{
	const char *dir = unit_softhsm_dir();

	snprintf(buf, cap, "module-path=%s&pin-source=file:%s/%s", UNIT_SOFTHSM_MODULE, dir ? dir : "/nonexistent", pin_file);
	return buf;
}

TEST(pkcs11_token_ed25519_sign)
{
	static const unsigned char msg[] = "brop entry to sign";
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES],
				pk2[BROP_PUBLICKEY_MAX_BYTES],
				sig[BROP_SIGNATURE_BYTES],
				sig2[BROP_SIGNATURE_BYTES];
	size_t		pklen = 0,
				pklen2 = 0;
	brop_alg	alg = 0;
	brop_pkcs11_key *k,
			   *k2;

	CHECK_OK(open_key(&k, "token=" UNIT_SOFTHSM_LABEL ";object=ed-key;type=private", NULL));
	if (k == NULL)
		return;
	CHECK_OK(brop_pkcs11_public_key(k, &alg, pk, sizeof pk, &pklen));
	CHECK(alg == BROP_ALG_ED25519 && pklen == 32);
	CHECK_ERR(brop_pkcs11_public_key(k, &alg, pk, 31, &pklen), BROP_EBUFFER);
	CHECK_OK(brop_pkcs11_sign(k, sig, msg, sizeof msg - 1));
	/* libsodium's own verification, and the core's */
	CHECK(crypto_sign_verify_detached(sig, msg, sizeof msg - 1, pk) == 0);
	CHECK_OK(brop_verify(BROP_ALG_ED25519, pk, 32, msg, sizeof msg - 1, sig, sizeof sig));
	/* Ed25519 is deterministic: the same signature again; the empty message signs too */
	CHECK_OK(brop_pkcs11_sign(k, sig2, msg, sizeof msg - 1));
	CHECK_MEM(sig2, sig, sizeof sig);
	CHECK_OK(brop_pkcs11_sign(k, sig2, NULL, 0));
	CHECK(crypto_sign_verify_detached(sig2, (const unsigned char *) "", 0, pk) == 0);
	CHECK(crypto_sign_verify_detached(sig2, msg, sizeof msg - 1, pk) != 0);

	/* the same key by its id, while the first is open (the token is logged in already) */
	CHECK_OK(open_key(&k2, "id=%01", NULL));
	if (k2 != NULL)
	{
		CHECK_OK(brop_pkcs11_public_key(k2, &alg, pk2, sizeof pk2, &pklen2));
		CHECK(pklen2 == 32);
		CHECK_MEM(pk2, pk, 32);
	}
	brop_pkcs11_close(k2);
	brop_pkcs11_close(k);
	brop_pkcs11_close(NULL);
}

TEST(pkcs11_token_p256_sign)
{
	static const unsigned char msg[] = "brop entry to sign with P-256";
	static const unsigned char half_n[32] = {
		0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8};
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES],
				sig[BROP_SIGNATURE_BYTES];
	size_t		pklen = 0;
	brop_alg	alg = 0;
	brop_pkcs11_key *k;

	CHECK_OK(open_key(&k, "object=p256-key;id=%02", NULL));
	if (k == NULL)
		return;
	CHECK_OK(brop_pkcs11_public_key(k, &alg, pk, sizeof pk, &pklen));
	CHECK(alg == BROP_ALG_P256 && pklen == BROP_P256_PUBLICKEYBYTES);
	CHECK_OK(brop_key_validate(BROP_ALG_P256, pk, pklen));
	/* random nonces: sign several times, each verifies and is low-S */
	for (int i = 0; i < 16; i++)
	{
		CHECK_OK(brop_pkcs11_sign(k, sig, msg, sizeof msg - 1));
		CHECK_OK(brop_p256_verify(sig, msg, sizeof msg - 1, pk, pklen));
		CHECK(memcmp(sig + 32, half_n, 32) <= 0);
		CHECK_ERR(brop_p256_verify(sig, msg, sizeof msg - 2, pk, pklen), BROP_EVERIFY);
	}
	brop_pkcs11_close(k);
}

TEST(pkcs11_token_wrong_pin)
{
	char		q[1024];
	brop_pkcs11_key *k;

	CHECK_ERR(open_key(&k, "object=ed-key", query_with_pin(q, sizeof q, "wrong-pin")), BROP_EPIN);
	CHECK(k == NULL);
	/* the PIN file: missing, readable by others, a directory */
	CHECK_ERR(open_key(&k, "object=ed-key", query_with_pin(q, sizeof q, "no-such-pin")), BROP_EPINFILE);
	CHECK_ERR(open_key(&k, "object=ed-key", query_with_pin(q, sizeof q, "open-pin")), BROP_EPINFILE);
	CHECK_ERR(open_key(&k, "object=ed-key", query_with_pin(q, sizeof q, "tokens")), BROP_EPINFILE);
	CHECK(k == NULL);
	/* and the right one after all that */
	CHECK_OK(open_key(&k, "object=ed-key", query_with_pin(q, sizeof q, "pin")));
	brop_pkcs11_close(k);
}

TEST(pkcs11_token_unknown_object)
{
	brop_pkcs11_key *k;

	CHECK_ERR(open_key(&k, "object=no-such-key", NULL), BROP_ENOTFOUND);
	CHECK_ERR(open_key(&k, "object=ed-key;id=%02", NULL), BROP_ENOTFOUND);
	CHECK_ERR(open_key(&k, "token=other-token;object=ed-key", NULL), BROP_ENOTFOUND);
	CHECK_ERR(open_key(&k, "object=ed-key;serial=", NULL), BROP_ENOTFOUND);
	CHECK_ERR(open_key(&k, "object=ed-key;slot-id=12345", NULL), BROP_ENOTFOUND);
	CHECK_ERR(open_key(&k, "object=ed-key;library-version=99", NULL), BROP_ENOTFOUND);
	/* RFC 7512 sec. 2.5: an unrecognised path attribute matches nothing */
	CHECK_ERR(open_key(&k, "object=ed-key;vendor-aaa=value-a", NULL), BROP_ENOTFOUND);
	/* a key of another curve */
	CHECK_ERR(open_key(&k, "object=p384-key", NULL), BROP_EALG);
	CHECK(k == NULL);
	/* token attributes that match */
	CHECK_OK(open_key(&k, "token=" UNIT_SOFTHSM_LABEL ";manufacturer=SoftHSM%20project;"
					  "model=SoftHSM%20v2;library-manufacturer=SoftHSM;object=ed-key", NULL));
	brop_pkcs11_close(k);
}

TEST(pkcs11_token_two_objects)
{
	brop_pkcs11_key *k;

	CHECK_ERR(open_key(&k, "object=twin", NULL), BROP_EAMBIGUOUS);
	CHECK_ERR(open_key(&k, "id=%03", NULL), BROP_EAMBIGUOUS);
	/* no object attribute: every private key of the token */
	CHECK_ERR(open_key(&k, "token=" UNIT_SOFTHSM_LABEL, NULL), BROP_EAMBIGUOUS);
	CHECK(k == NULL);
}

TEST(pkcs11_token_missing_module)
{
	char		q[1024];
	const char *dir = unit_softhsm_dir();
	brop_pkcs11_key *k;

	CHECK(dir != NULL);
	CHECK_ERR(open_key(&k, "object=ed-key", "module-path=/nonexistent/libp11.so&pin-source=/dev/null"), BROP_EMODULE);
	/* a file that is not a module */
	CHECK_ERR(open_key(&k, "object=ed-key", "module-path=/etc/passwd&pin-source=/dev/null"), BROP_EMODULE);
	CHECK_ERR(open_key(&k, "object=ed-key", "module-name=no-such-module&pin-source=/dev/null"), BROP_EMODULE);
	/* module-name is a file name, not a path */
	CHECK_ERR(open_key(&k, "object=ed-key", "module-name=..%2Fx&pin-source=/dev/null"), BROP_EURI);
	CHECK(k == NULL);
	/* module-name softhsm2: BROP_PKCS11_SOFTHSM_DIR/libsofthsm2.so */
	snprintf(q, sizeof q, "module-name=softhsm2&pin-source=%s/pin", dir ? dir : "");
	CHECK_OK(open_key(&k, "object=ed-key", q));
	brop_pkcs11_close(k);
}

TEST(pkcs11_token_bad_uri_open)
{
	char		q[1024];
	const char *dir = unit_softhsm_dir();
	brop_pkcs11_key *k;
	brop_pkcs11_uri u = {0};

	/* no module, no PIN source, a PIN in the URI, a type other than private */
	CHECK_ERR(open_key(&k, "object=ed-key", "pin-source=/dev/null"), BROP_EURI);
	snprintf(q, sizeof q, "module-path=%s", UNIT_SOFTHSM_MODULE);
	CHECK_ERR(open_key(&k, "object=ed-key", q), BROP_EURI);
	snprintf(q, sizeof q, "module-path=%s&pin-value=" UNIT_SOFTHSM_PIN, UNIT_SOFTHSM_MODULE);
	CHECK_ERR(open_key(&k, "object=ed-key", q), BROP_EURI);
	CHECK_ERR(open_key(&k, "object=ed-key;type=public", NULL), BROP_EURI);
	CHECK(k == NULL);
	CHECK_OK(open_key(&k, "object=ed-key;type=private", NULL));
	brop_pkcs11_close(k);
	CHECK_ERR(brop_pkcs11_open(NULL, &u), BROP_EINVAL);
	CHECK_ERR(brop_pkcs11_open(&k, NULL), BROP_EINVAL);
	(void) dir;
}

TEST(pkcs11_token_unload)
{
	unsigned char sig[BROP_SIGNATURE_BYTES],
				pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen;
	brop_alg	alg;
	brop_pkcs11_key *k;

	CHECK_OK(open_key(&k, "object=ed-key", NULL));
	if (k == NULL)
		return;
	/* a module with an open key stays */
	CHECK_ERR(brop_pkcs11_unload(), BROP_EINVAL);
	CHECK_OK(brop_pkcs11_sign(k, sig, (const unsigned char *) "x", 1));
	brop_pkcs11_close(k);
	CHECK_OK(brop_pkcs11_unload());
	CHECK_OK(brop_pkcs11_unload());
	/* loaded and initialised again */
	CHECK_OK(open_key(&k, "object=ed-key", NULL));
	if (k == NULL)
		return;
	CHECK_OK(brop_pkcs11_public_key(k, &alg, pk, sizeof pk, &pklen));
	CHECK_OK(brop_pkcs11_sign(k, sig, (const unsigned char *) "x", 1));
	CHECK(crypto_sign_verify_detached(sig, (const unsigned char *) "x", 1, pk) == 0);
	CHECK_ERR(brop_pkcs11_sign(k, NULL, (const unsigned char *) "x", 1), BROP_EINVAL);
	CHECK_ERR(brop_pkcs11_sign(NULL, sig, (const unsigned char *) "x", 1), BROP_EINVAL);
	brop_pkcs11_close(k);
	CHECK_OK(brop_pkcs11_unload());
}
