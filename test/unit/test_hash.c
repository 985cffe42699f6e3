/*
 * test_hash.c — SHA-256 and SHA-512 (FIPS 180-4 examples), HMAC-SHA256
 * (RFC 4231 test cases 1-7), constant-time comparison.
 */
#include <stdlib.h>

#include "brop.h"
#include "unit.h"

#define NIST_448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

TEST(hash_sha256_vectors)
{
	unsigned char d[BROP_SHA256_BYTES];

	CHECK_OK(brop_sha256(d, (const unsigned char *) "", 0));
	CHECK_HEX(d, sizeof d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_OK(brop_sha256(d, NULL, 0));
	CHECK_HEX(d, sizeof d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_OK(brop_sha256(d, (const unsigned char *) "abc", 3));
	CHECK_HEX(d, sizeof d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_OK(brop_sha256(d, (const unsigned char *) NIST_448, strlen(NIST_448)));
	CHECK_HEX(d, sizeof d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(hash_sha512_vectors)
{
	unsigned char d[BROP_SHA512_BYTES];

	CHECK_OK(brop_sha512(d, (const unsigned char *) "", 0));
	CHECK_HEX(d, sizeof d,
			  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
			  "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	CHECK_OK(brop_sha512(d, (const unsigned char *) "abc", 3));
	CHECK_HEX(d, sizeof d,
			  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	CHECK_OK(brop_sha512(d, (const unsigned char *) NIST_448, strlen(NIST_448)));
	CHECK_HEX(d, sizeof d,
			  "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
			  "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
}

/* One million 'a' (FIPS 180-2 appendix B.3), hashed in uneven parts. */
TEST(hash_sha256_million_a)
{
	unsigned char *buf = malloc(1000000);
	unsigned char d[BROP_SHA256_BYTES];
	const unsigned char *parts[3];
	size_t		lens[3] = {1, 499999, 500000};

	CHECK(buf != NULL);
	if (buf == NULL)
		return;
	memset(buf, 'a', 1000000);
	CHECK_OK(brop_sha256(d, buf, 1000000));
	CHECK_HEX(d, sizeof d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	parts[0] = buf;
	parts[1] = buf + 1;
	parts[2] = buf + 500000;
	memset(d, 0, sizeof d);
	CHECK_OK(brop_sha256_parts(d, parts, lens, 3));
	CHECK_HEX(d, sizeof d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(buf);
}

TEST(hash_sha256_parts_equals_one_shot)
{
	static const unsigned char msg[] = NIST_448;
	size_t		n = sizeof msg - 1;
	unsigned char whole[BROP_SHA256_BYTES];
	unsigned char split[BROP_SHA256_BYTES];

	CHECK_OK(brop_sha256(whole, msg, n));
	/* every split point into three parts, with empty parts at the ends */
	for (size_t i = 0; i <= n; i++)
		for (size_t j = i; j <= n; j += 7)
		{
			const unsigned char *parts[3] = {msg, msg + i, msg + j};
			size_t		lens[3] = {i, j - i, n - j};

			memset(split, 0, sizeof split);
			CHECK_OK(brop_sha256_parts(split, parts, lens, 3));
			CHECK_MEM(split, whole, sizeof whole);
		}
	/* an empty part may be NULL; no parts at all is the empty message */
	{
		const unsigned char *parts[3] = {NULL, msg, NULL};
		size_t		lens[3] = {0, n, 0};

		CHECK_OK(brop_sha256_parts(split, parts, lens, 3));
		CHECK_MEM(split, whole, sizeof whole);
		CHECK_OK(brop_sha256_parts(split, parts, lens, 0));
		CHECK_HEX(split, sizeof split,
				  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	}
}

/* RFC 4231 section 4: HMAC-SHA-256 test cases 1 to 7. */
TEST(hash_hmac_sha256_rfc4231)
{
	static const char case7_data[] =
		"This is a test using a larger than block-size key and a larger than "
		"block-size data. The key needs to be hashed before being used by the "
		"HMAC algorithm.";
	static const char case6_data[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	unsigned char key[131];
	unsigned char data[50];
	unsigned char mac[BROP_HMAC_SHA256_BYTES];

	/* 1 */
	memset(key, 0x0b, 20);
	CHECK_OK(brop_hmac_sha256(mac, key, 20, (const unsigned char *) "Hi There", 8));
	CHECK_HEX(mac, sizeof mac, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* 2: a key shorter than the output */
	CHECK_OK(brop_hmac_sha256(mac, (const unsigned char *) "Jefe", 4,
							  (const unsigned char *) "what do ya want for nothing?", 28));
	CHECK_HEX(mac, sizeof mac, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* 3 */
	memset(key, 0xaa, 20);
	memset(data, 0xdd, 50);
	CHECK_OK(brop_hmac_sha256(mac, key, 20, data, 50));
	CHECK_HEX(mac, sizeof mac, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
	/* 4 */
	for (int i = 0; i < 25; i++)
		key[i] = (unsigned char) (i + 1);
	memset(data, 0xcd, 50);
	CHECK_OK(brop_hmac_sha256(mac, key, 25, data, 50));
	CHECK_HEX(mac, sizeof mac, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
	/* 5: truncated to 128 bits */
	memset(key, 0x0c, 20);
	CHECK_OK(brop_hmac_sha256(mac, key, 20, (const unsigned char *) "Test With Truncation", 20));
	CHECK_HEX(mac, 16, "a3b6167473100ee06e0c796c2955552b");
	/* 6: a key longer than the block, hashed first */
	memset(key, 0xaa, 131);
	CHECK_OK(brop_hmac_sha256(mac, key, 131, (const unsigned char *) case6_data,
							  sizeof case6_data - 1));
	CHECK_HEX(mac, sizeof mac, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	/* 7: long key and long data */
	CHECK_OK(brop_hmac_sha256(mac, key, 131, (const unsigned char *) case7_data,
							  sizeof case7_data - 1));
	CHECK_HEX(mac, sizeof mac, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

/* Keys of exactly one block and one byte more take different paths. */
TEST(hash_hmac_sha256_block_sized_keys)
{
	unsigned char key[65];
	unsigned char hashed[BROP_SHA256_BYTES];
	unsigned char a[BROP_HMAC_SHA256_BYTES];
	unsigned char b[BROP_HMAC_SHA256_BYTES];

	memset(key, 0x5a, sizeof key);
	/* a 65-byte key is the same as its SHA-256 digest as key */
	CHECK_OK(brop_sha256(hashed, key, 65));
	CHECK_OK(brop_hmac_sha256(a, key, 65, (const unsigned char *) "m", 1));
	CHECK_OK(brop_hmac_sha256(b, hashed, sizeof hashed, (const unsigned char *) "m", 1));
	CHECK_MEM(a, b, sizeof a);
	/* a 64-byte key is used as it is: not the same as its digest */
	CHECK_OK(brop_sha256(hashed, key, 64));
	CHECK_OK(brop_hmac_sha256(a, key, 64, (const unsigned char *) "m", 1));
	CHECK_OK(brop_hmac_sha256(b, hashed, sizeof hashed, (const unsigned char *) "m", 1));
	CHECK(memcmp(a, b, sizeof a) != 0);
	/* an empty key and empty message are fine */
	CHECK_OK(brop_hmac_sha256(a, NULL, 0, NULL, 0));
	CHECK_HEX(a, sizeof a, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(hash_equal_ct)
{
	unsigned char a[64];
	unsigned char b[64];

	for (size_t i = 0; i < sizeof a; i++)
		a[i] = b[i] = (unsigned char) (i * 7);
	CHECK(brop_equal_ct(a, b, sizeof a) == 1);
	CHECK(brop_equal_ct(a, b, 0) == 1);
	/* a difference in any byte, in any bit, is seen */
	for (size_t i = 0; i < sizeof a; i++)
		for (int bit = 0; bit < 8; bit++)
		{
			b[i] ^= (unsigned char) (1 << bit);
			CHECK(brop_equal_ct(a, b, sizeof a) == 0);
			b[i] ^= (unsigned char) (1 << bit);
		}
	/* only the first len bytes count */
	b[63] ^= 1;
	CHECK(brop_equal_ct(a, b, 63) == 1);
	CHECK(brop_equal_ct(a, b, 64) == 0);
}

TEST(hash_wipe)
{
	unsigned char buf[32];

	memset(buf, 0xff, sizeof buf);
	brop_wipe(buf, 16);
	for (size_t i = 0; i < 16; i++)
		CHECK(buf[i] == 0);
	for (size_t i = 16; i < 32; i++)
		CHECK(buf[i] == 0xff);
}
