/*
 * test_row.c — row salts, digests and chain ids (brop_row.h), against values
 * computed independently with Python's hmac module (docs/formats.md, "Row
 * digests", worked example), and their refusals.
 */
#include "unit.h"
#include "brop.h"

#define REG "university.students"
#define ROW_KEY "[\"2026-0042\"]"
#define DOC_1 "{\"grade\":\"A\",\"name\":\"Ada Lovelace\",\"student\":\"2026-0042\",\"year\":null}"
#define DOC_2 "{\"grade\":\"A+\",\"name\":\"Ada Lovelace\",\"student\":\"2026-0042\",\"year\":\"2026\"}"

static void
salt_key(unsigned char key[BROP_ROW_SALT_KEY_BYTES])
{
	for (int i = 0; i < BROP_ROW_SALT_KEY_BYTES; i++)
		key[i] = (unsigned char) i;
}

TEST(row_worked_example)
{
	unsigned char key[BROP_ROW_SALT_KEY_BYTES];
	unsigned char salt[BROP_ROW_SALT_BYTES];
	unsigned char digest[BROP_ROW_DIGEST_BYTES];
	unsigned char id[BROP_ROW_CHAIN_ID_BYTES];

	salt_key(key);
	CHECK_OK(brop_row_salt(salt, key, REG, strlen(REG), ROW_KEY, strlen(ROW_KEY), "1", 1));
	CHECK_HEX(salt, sizeof salt, "c252cb8224b05212c063ae25e913d898ff74292a1a872d7b66a1e481bdb5b95b");
	CHECK_OK(brop_row_digest(digest, salt, DOC_1, strlen(DOC_1)));
	CHECK_HEX(digest, sizeof digest, "a9b8e31339ca24c788ebdd63a8463840a70c8212d67d2bdde47476ad1c611fc6");
	CHECK_OK(brop_row_chain_id(id, key, REG, strlen(REG), ROW_KEY, strlen(ROW_KEY)));
	CHECK_HEX(id, sizeof id, "ca6518390d1ffca07770adb52116aea7");

	/* the next version: a new salt, the same chain */
	CHECK_OK(brop_row_salt(salt, key, REG, strlen(REG), ROW_KEY, strlen(ROW_KEY), "2", 1));
	CHECK_HEX(salt, sizeof salt, "4eee4e31517d32b845e439b461da741bd8cf6a12dd0594fe9d3df1c19b01bc74");
	CHECK_OK(brop_row_digest(digest, salt, DOC_2, strlen(DOC_2)));
	CHECK_HEX(digest, sizeof digest, "9b7a126830bac2f62d92312c5da1e66d04eb2b93466eb724874ed0730fd68c94");
}

TEST(row_fields_are_separated)
{
	unsigned char key[BROP_ROW_SALT_KEY_BYTES];
	unsigned char a[BROP_ROW_SALT_BYTES];
	unsigned char b[BROP_ROW_SALT_BYTES];

	/* moving bytes between registration, row key and version changes the salt */
	salt_key(key);
	CHECK_OK(brop_row_salt(a, key, "ab", 2, "c", 1, "d", 1));
	CHECK_OK(brop_row_salt(b, key, "a", 1, "bc", 2, "d", 1));
	CHECK(memcmp(a, b, sizeof a) != 0);
	CHECK_OK(brop_row_salt(b, key, "ab", 2, "", 0, "cd", 2));
	CHECK(memcmp(a, b, sizeof a) != 0);
	/* another salt key, another salt */
	key[31] ^= 1;
	CHECK_OK(brop_row_salt(b, key, "ab", 2, "c", 1, "d", 1));
	CHECK(memcmp(a, b, sizeof a) != 0);
}

TEST(row_refusals)
{
	unsigned char key[BROP_ROW_SALT_KEY_BYTES] = {0};
	unsigned char out[BROP_ROW_SALT_BYTES];

	CHECK_ERR(brop_row_salt(out, key, "a\0b", 3, "[]", 2, "1", 1), BROP_EINVAL);
	CHECK_ERR(brop_row_salt(out, key, "a", 1, "[]", 2, "1\0", 2), BROP_EINVAL);
	CHECK_ERR(brop_row_salt(out, NULL, "a", 1, "[]", 2, "1", 1), BROP_EINVAL);
	CHECK_ERR(brop_row_salt(out, key, NULL, 0, "[]", 2, "1", 1), BROP_EINVAL);
	CHECK_ERR(brop_row_digest(out, key, NULL, 1), BROP_EINVAL);
	CHECK_ERR(brop_row_chain_id(out, key, "a", 1, "[\0]", 3), BROP_EINVAL);
	CHECK_OK(brop_row_digest(out, key, "", 0));
}

TEST(row_queue_box)
{
	unsigned char key[BROP_ROW_SALT_KEY_BYTES];
	unsigned char qkey[BROP_ROW_QUEUE_KEY_BYTES];
	brop_hmac_sha256_key k;
	const unsigned char msg[] = "{\"name\":\"Ada Lovelace\"}";
	const unsigned char ad[] = "chunk 7";
	unsigned char box[sizeof msg + BROP_ROW_QUEUE_OVERHEAD];
	unsigned char box2[sizeof box];
	unsigned char out[sizeof msg];

	/* the queue key: HMAC-SHA256(salt key, "brop-row-queue-v1"), as openssl dgst -mac HMAC computes it */
	salt_key(key);
	CHECK_OK(brop_hmac_sha256_key_init(&k, key, sizeof key));
	CHECK_OK(brop_row_queue_key(qkey, &k));
	CHECK_HEX(qkey, sizeof qkey, "f088b255296dd2494e9e4210852af530c1df5735f5858491992f37e65080673f");

	/* sealed twice: two nonces, two boxes, both open to the message; none shows it */
	CHECK_OK(brop_row_queue_seal(box, qkey, ad, sizeof ad, msg, sizeof msg));
	CHECK_OK(brop_row_queue_seal(box2, qkey, ad, sizeof ad, msg, sizeof msg));
	CHECK(memcmp(box, box2, sizeof box) != 0);
	for (size_t i = 0; i + 3 <= sizeof box; i++)
		CHECK(memcmp(box + i, "Ada", 3) != 0);
	CHECK_OK(brop_row_queue_open(out, qkey, ad, sizeof ad, box, sizeof box));
	CHECK_MEM(out, msg, sizeof msg);

	/* any byte changed, another place (ad), another key: refused, output wiped */
	for (size_t i = 0; i < sizeof box; i++)
	{
		box[i] ^= 0x20;
		memset(out, 0x55, sizeof out);
		CHECK_ERR(brop_row_queue_open(out, qkey, ad, sizeof ad, box, sizeof box), BROP_EDECRYPT);
		CHECK(out[0] == 0 && out[sizeof out - 1] == 0);
		box[i] ^= 0x20;
	}
	CHECK_ERR(brop_row_queue_open(out, qkey, (const unsigned char *) "chunk 8", 8, box, sizeof box), BROP_EDECRYPT);
	qkey[0] ^= 1;
	CHECK_ERR(brop_row_queue_open(out, qkey, ad, sizeof ad, box, sizeof box), BROP_EDECRYPT);
	CHECK_ERR(brop_row_queue_open(out, qkey, ad, sizeof ad, box, BROP_ROW_QUEUE_OVERHEAD - 1), BROP_ELENGTH);
	CHECK_ERR(brop_row_queue_seal(NULL, qkey, ad, sizeof ad, msg, sizeof msg), BROP_EINVAL);
	CHECK_ERR(brop_row_queue_key(qkey, NULL), BROP_EINVAL);
	/* an empty message seals too */
	CHECK_OK(brop_row_queue_seal(box, qkey, NULL, 0, NULL, 0));
	CHECK_OK(brop_row_queue_open(out, qkey, NULL, 0, box, BROP_ROW_QUEUE_OVERHEAD));
}
