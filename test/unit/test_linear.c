/*
 * test_linear.c — the linear functions of any input size (hex, base64,
 * multibase but base58, SHA-256, SHA-512, HMAC-SHA256) in bounded steps:
 * the same results as in one piece across step boundaries, and a cancel
 * callback asked between steps (BROP_ECANCELED).
 */
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "unit.h"

/* 7 MiB + 5: three steps of the encoders (3 MiB), two of the hashes (4 MiB) */
#define BIG ((size_t) 7 * 1024 * 1024 + 5)

TEST(linear_in_steps)
{
	unsigned char *in = malloc(BIG);
	char	   *text = malloc(2 * BIG + 2);
	char	   *text2 = malloc(2 * BIG + 2);
	unsigned char *back = malloc(BIG);
	unsigned char h1[64],
				h2[64];
	size_t		n,
				n2,
				m;
	unit_cancel_counter c = {0};
	brop_cancel never = {unit_cancel_at, &c};

	CHECK(in != NULL && text != NULL && text2 != NULL && back != NULL);
	for (size_t i = 0; i < BIG; i++)
		in[i] = (unsigned char) (i * 2654435761u >> 13);

	/* hex: 3 steps, 2 questions */
	CHECK_OK(brop_hex_encode(text, 2 * BIG, &n, in, BIG));
	CHECK_OK(brop_hex_encode_cancellable(text2, 2 * BIG, &n2, in, BIG, &never));
	CHECK(n == n2 && memcmp(text, text2, n) == 0 && c.asked == 2);
	CHECK_OK(brop_hex_decode_cancellable(back, BIG, &m, text, n, &never));
	CHECK(m == BIG && memcmp(back, in, BIG) == 0);
	text[2 * BIG - 2] = 'g';	/* a bad digit in the last step */
	CHECK_ERR(brop_hex_decode_cancellable(back, BIG, &m, text, n, &never), BROP_EENCODING);

	/* base64 and base64url */
	for (int v = BROP_BASE64_STANDARD; v <= BROP_BASE64_URLSAFE; v++)
	{
		CHECK_OK(brop_base64_encode(text, 2 * BIG, &n, in, BIG, (brop_base64_variant) v));
		CHECK_OK(brop_base64_encode_cancellable(text2, 2 * BIG, &n2, in, BIG, (brop_base64_variant) v, &never));
		CHECK(n == n2 && memcmp(text, text2, n) == 0);
		CHECK_OK(brop_base64_decode_cancellable(back, BIG, &m, text, n, (brop_base64_variant) v, &never));
		CHECK(m == BIG && memcmp(back, in, BIG) == 0);
	}

	/* multibase, upper-case hex: a lower-case digit in the last step */
	CHECK_OK(brop_multibase_encode(text, 2 * BIG + 1, &n, 'F', in, BIG));
	CHECK_OK(brop_multibase_encode_cancellable(text2, 2 * BIG + 1, &n2, 'F', in, BIG, &never));
	CHECK(n == n2 && memcmp(text, text2, n) == 0);
	CHECK_OK(brop_multibase_decode_cancellable(back, BIG, &m, NULL, text, n, &never));
	CHECK(m == BIG && memcmp(back, in, BIG) == 0);
	text[n - 1] = 'a';
	CHECK_ERR(brop_multibase_decode_cancellable(back, BIG, &m, NULL, text, n, &never), BROP_EENCODING);

	/* hashes: 2 steps */
	c.asked = 0;
	CHECK_OK(brop_sha256(h1, in, BIG));
	CHECK_OK(brop_sha256_cancellable(h2, in, BIG, &never));
	CHECK(memcmp(h1, h2, 32) == 0 && c.asked == 1);
	CHECK_OK(brop_sha512(h1, in, BIG));
	CHECK_OK(brop_sha512_cancellable(h2, in, BIG, &never));
	CHECK(memcmp(h1, h2, 64) == 0);
	CHECK_OK(brop_hmac_sha256(h1, in, 100, in, BIG));
	CHECK_OK(brop_hmac_sha256_cancellable(h2, in, 100, in, BIG, &never));
	CHECK(memcmp(h1, h2, 32) == 0);
	/* a key longer than the input steps: hashed in steps too */
	CHECK_OK(brop_hmac_sha256(h1, in, BIG, (const unsigned char *) "x", 1));
	CHECK_OK(brop_hmac_sha256_cancellable(h2, in, BIG, (const unsigned char *) "x", 1, &never));
	CHECK(memcmp(h1, h2, 32) == 0);
	CHECK_OK(brop_sha256_cancellable(h2, NULL, 0, &never));
	CHECK_HEX(h2, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	/* a cancel at the first question */
	{
		unit_cancel_counter s = {0, 1};
		brop_cancel stop = {unit_cancel_at, &s};

		CHECK_ERR(brop_hex_encode_cancellable(text, 2 * BIG, &n, in, BIG, &stop), BROP_ECANCELED);
		s.asked = 0;
		CHECK_ERR(brop_base64_decode_cancellable(back, BIG, &m, text2, 4 * ((BIG + 2) / 3),
												 BROP_BASE64_STANDARD, &stop), BROP_ECANCELED);
		s.asked = 0;
		CHECK_ERR(brop_multibase_encode_cancellable(text, 2 * BIG + 1, &n, 'm', in, BIG, &stop),
				  BROP_ECANCELED);
		s.asked = 0;
		CHECK_ERR(brop_sha256_cancellable(h2, in, BIG, &stop), BROP_ECANCELED);
		s.asked = 0;
		CHECK_ERR(brop_sha512_cancellable(h2, in, BIG, &stop), BROP_ECANCELED);
		s.asked = 0;
		CHECK_ERR(brop_hmac_sha256_cancellable(h2, in, 10, in, BIG, &stop), BROP_ECANCELED);
		/* one step: never asked */
		s.asked = 0;
		CHECK_OK(brop_sha256_cancellable(h2, in, 4 << 20, &stop));
		CHECK(s.asked == 0);
	}
	free(in);
	free(text);
	free(text2);
	free(back);
}
