/*
 * test_formats.c — the worked examples of docs/formats.md, so that the
 * documentation cannot drift from the code.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "unit.h"

#define TEST1_SEED "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define TEST1_PK "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define TEST2_SEED "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
#define TEST2_PK "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"

TEST(formats_didkey_examples)
{
	unsigned char pk[32],
				xpk[32];
	char		did[BROP_DIDKEY_MAX_LEN];
	size_t		n;

	unit_unhex(pk, sizeof pk, TEST1_PK);
	CHECK_OK(brop_didkey_encode(did, sizeof did, &n, BROP_ALG_ED25519, pk, 32));
	CHECK_STR(did, n, "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw");
	CHECK_OK(brop_ed25519_pk_to_x25519(xpk, pk));
	CHECK_HEX(xpk, 32, "d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e");
	CHECK_OK(brop_didkey_encode(did, sizeof did, &n, BROP_ALG_X25519, xpk, 32));
	CHECK_STR(did, n, "did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5BbiN1rjdUsQ9b");
}

TEST(formats_jwk_example)
{
	unsigned char seed[32],
				pk[32];
	char		b[64];
	size_t		n;

	unit_unhex(seed, sizeof seed, TEST1_SEED);
	unit_unhex(pk, sizeof pk, TEST1_PK);
	CHECK_OK(brop_base64_encode(b, sizeof b, &n, seed, 32, BROP_BASE64_URLSAFE));
	CHECK_STR(b, n, "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
	CHECK_OK(brop_base64_encode(b, sizeof b, &n, pk, 32, BROP_BASE64_URLSAFE));
	CHECK_STR(b, n, "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
}

/*
 * Build the envelope of the worked example by hand from the documented
 * layout, and check that brop_envelope_open accepts it and that the
 * documented signature is the one inside.
 */
TEST(formats_envelope_example)
{
	static const char signed_hex[] =
		"62726f702d656e76656c6f70652d763100" TEST1_PK "22ed01" TEST2_PK "68656c6c6f";
	static const char sig_hex[] =
		"1f7d35feb2cc6f204cc214d82553a567c5d6a58582f84c70815ea6461300428857bcd80702d9713e3b13a0f8071e2264ed1a267f2cb5b28693473b29e71b3907";
	unsigned char seed1[32],
				pk1[32],
				sk1[64],
				seed2[32],
				pk2[32],
				xpk2[32];
	unsigned char msg[128],
				sig[64],
				inner[256],
				env[512],
				out[512],
				issuer[32];
	size_t		mlen,
				ilen,
				outlen;

	unit_unhex(seed1, 32, TEST1_SEED);
	unit_unhex(seed2, 32, TEST2_SEED);
	unit_unhex(pk2, 32, TEST2_PK);
	CHECK_OK(brop_ed25519_keypair_from_seed(pk1, sk1, seed1));
	mlen = unit_unhex(msg, sizeof msg, signed_hex);
	CHECK_OK(brop_ed25519_sign(sig, msg, mlen, sk1));
	CHECK_HEX(sig, 64, sig_hex);

	/* inner = issuer_pk || signature || rlen || recipient || payload */
	memcpy(inner, pk1, 32);
	memcpy(inner + 32, sig, 64);
	memcpy(inner + 96, msg + 17 + 32, mlen - 17 - 32);
	ilen = 96 + mlen - 17 - 32;
	CHECK(ilen == 32 + 64 + 1 + 34 + 5);
	CHECK_OK(brop_ed25519_pk_to_x25519(xpk2, pk2));
	env[0] = 0x01;
	CHECK(crypto_box_seal(env + 1, inner, ilen, xpk2) == 0);
	CHECK(1 + crypto_box_SEALBYTES + ilen == 185);

	CHECK_OK(brop_envelope_open(out, sizeof out, &outlen, issuer, env, 185, seed2));
	CHECK_STR(out, outlen, "hello");
	CHECK_MEM(issuer, pk1, 32);

	/* and brop's own sealing of the same content has the documented size */
	CHECK_OK(brop_envelope_seal(env, sizeof env, &outlen, (const unsigned char *) "hello", 5,
								BROP_ALG_ED25519, pk2, 32, seed1));
	CHECK(outlen == 185);
	brop_wipe(sk1, sizeof sk1);
}

TEST(formats_jcs_example)
{
	static const char in[] =
		"{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
		"\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
		"\"literals\":[null,true,false]}";
	static const char want[] =
		"{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
		"\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
	char	   *out = NULL;
	size_t		n = 0;
	brop_json_error err;

	CHECK_OK(brop_jcs_canonicalize(&out, &n, in, strlen(in), NULL, &err));
	if (out)
		CHECK_STR(out, n, want);
	free(out);
}

TEST(formats_keybox)
{
	unsigned char root[32],
				id[8],
				box[BROP_KEYBOX_BYTES],
				secret[32],
				back[32];
	static const unsigned char ad[] = "brop-key-v1\0label\0ed25519\0pk";
	static const unsigned char ad2[] = "brop-key-v1\0lapel\0ed25519\0pk";

	CHECK_OK(brop_rootkey_parse(root, " 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", 66));
	CHECK_ERR(brop_rootkey_parse(root, "0001", 4), BROP_ELENGTH);
	CHECK_ERR(brop_rootkey_parse(root, "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 64),
			  BROP_EENCODING);
	CHECK_OK(brop_rootkey_parse(root, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 64));
	CHECK_OK(brop_rootkey_id(id, root));
	for (int i = 0; i < 32; i++)
		secret[i] = (unsigned char) (0xa0 + i);
	CHECK_OK(brop_keybox_seal(box, root, secret, ad, sizeof ad));
	CHECK_OK(brop_keybox_open(back, root, box, sizeof box, ad, sizeof ad));
	CHECK_MEM(back, secret, 32);
	/* another row's associated data, a flipped bit, another root: refused */
	CHECK_ERR(brop_keybox_open(back, root, box, sizeof box, ad2, sizeof ad2), BROP_EDECRYPT);
	box[30] ^= 1;
	CHECK_ERR(brop_keybox_open(back, root, box, sizeof box, ad, sizeof ad), BROP_EDECRYPT);
	box[30] ^= 1;
	root[0] ^= 1;
	CHECK_ERR(brop_keybox_open(back, root, box, sizeof box, ad, sizeof ad), BROP_EDECRYPT);
	CHECK_ERR(brop_keybox_open(back, root, box, sizeof box - 1, ad, sizeof ad), BROP_ELENGTH);
}
