/*
 * test_batch.c — batch signatures (brop_batch.h): for every batch size
 * 1..70, each message's batch form is the header, the RFC 9162 inclusion
 * path computed independently over brop_merkle_root's tree, and a signature
 * over the batch message; each verifies alone; any changed byte of the
 * message, the path, the place or the signature does not; malformed forms
 * are refused as such; a 64-byte signature is never read as a batch form.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "brop.h"
#include "brop_batch.h"
#include "unit.h"

#define HB BROP_MERKLE_HASH_BYTES

/* RFC 8032 7.1 TEST 1's secret key */
static const char *const seed_hex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

static size_t
message(unsigned char *out, unsigned i)
{
	return (size_t) snprintf((char *) out, 32, "brop-entry-v1 message %u", i);
}

typedef struct
{
	const brop_merkle_hash *leaves;
	uint64_t	n;
} naive_ctx;

/* the hash of a perfect subtree, from the leaves, as RFC 9162 defines MTH */
static int
naive_subtree(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	const naive_ctx *c = ctx;

	return brop_merkle_root(out, c->leaves + (index << level), UINT64_C(1) << level);
}

TEST(batch_message_layout)
{
	brop_merkle_hash root;
	unsigned char msg[BROP_BATCH_MESSAGE_BYTES];

	memset(root, 0xab, sizeof root);
	CHECK(sizeof msg == 54);
	CHECK_OK(brop_batch_message(msg, 0x0102030405060708ULL, root));
	CHECK_HEX(msg, 22, "62726f702d62617463682d763100" "0102030405060708");
	CHECK_MEM(msg + 22, root, HB);
}

TEST(batch_forms_every_size_to_70)
{
	unsigned char seed[32],
				pk[32];
	size_t		pklen;
	brop_merkle_hash leaves[70];
	unsigned char msgs[70][32];
	size_t		mlens[70];

	unit_unhex(seed, sizeof seed, seed_hex);
	CHECK_OK(brop_key_public(pk, sizeof pk, &pklen, BROP_ALG_ED25519, seed));
	for (unsigned i = 0; i < 70; i++)
	{
		mlens[i] = message(msgs[i], i);
		CHECK_OK(brop_merkle_leaf_hash(leaves[i], msgs[i], mlens[i]));
	}
	for (uint32_t n = 1; n <= 70; n++)
	{
		brop_batch_tree t;
		brop_merkle_hash root;
		unsigned char bmsg[BROP_BATCH_MESSAGE_BYTES];
		unsigned char sig[BROP_SIGNATURE_BYTES];
		naive_ctx nc = {leaves, n};

		CHECK_OK(brop_batch_tree_build(&t, leaves, n));
		CHECK_OK(brop_merkle_root(root, leaves, n));
		CHECK_MEM(t.root, root, HB);
		CHECK_OK(brop_batch_message(bmsg, n, root));
		CHECK_OK(brop_sign(sig, BROP_ALG_ED25519, seed, bmsg, sizeof bmsg));
		for (uint32_t i = 0; i < n; i++)
		{
			unsigned char form[BROP_BATCH_HEADER_BYTES + 8 * HB + BROP_SIGNATURE_BYTES];
			unsigned char want[sizeof form];
			brop_merkle_hash path[BROP_MERKLE_MAX_PROOF];
			size_t		flen,
						plen;
			brop_batch_sig b;

			CHECK_OK(brop_batch_form(form, sizeof form, &flen, &t, i, sig, sizeof sig));
			CHECK(flen == brop_batch_form_bytes(&t, i, sizeof sig));
			CHECK(flen != BROP_SIGNATURE_BYTES && flen >= 73);
			CHECK(brop_batch_is_form(form, flen));

			/* the expected bytes, from the RFC's own definitions */
			CHECK_OK(brop_merkle_inclusion_proof(path, &plen, i, n, naive_subtree, &nc));
			want[0] = 0x62;
			for (int k = 0; k < 4; k++)
			{
				want[1 + k] = (unsigned char) (i >> (24 - 8 * k));
				want[5 + k] = (unsigned char) (n >> (24 - 8 * k));
			}
			memcpy(want + 9, path, plen * HB);
			memcpy(want + 9 + plen * HB, sig, sizeof sig);
			CHECK(flen == 9 + plen * HB + sizeof sig);
			CHECK_MEM(form, want, flen);

			CHECK_OK(brop_batch_sig_parse(&b, form, flen));
			CHECK(b.index == i && b.size == n && b.path_len == plen && b.sig_len == sizeof sig);
			CHECK_OK(brop_verify_any(BROP_ALG_ED25519, pk, pklen, msgs[i], mlens[i], form, flen));

			/* another message, or this one's form for another place */
			if (n > 1)
				CHECK_ERR(brop_verify_any(BROP_ALG_ED25519, pk, pklen, msgs[(i + 1) % n], mlens[(i + 1) % n],
										  form, flen), BROP_EVERIFY);
			/* every byte of the form matters: all of them for some sizes, one of each part for the others */
			for (size_t k = 1; k < flen; k++)
			{
				bool		all = n <= 3 || n == 7 || n == 8 || n == 9 || n == 70;
				int			rc;

				if (!all && k != 4 && k != 8 && k != 9 && k != flen - 1)
					continue;
				form[k] ^= 0x01;
				rc = brop_verify_any(BROP_ALG_ED25519, pk, pklen, msgs[i], mlens[i], form, flen);
				if (rc == 0)
					unit_fail(__FILE__, __LINE__, "size %u index %u: byte %zu changed still verifies", n, i, k);
				form[k] ^= 0x01;
			}
			/* cut short: at most the path, or a path without its signature */
			CHECK_ERR(brop_batch_sig_parse(&b, form, 9 + plen * HB), BROP_ESIG);
			CHECK(brop_verify_any(BROP_ALG_ED25519, pk, pklen, msgs[i], mlens[i], form, flen - 1) != 0);
		}
		brop_batch_tree_free(&t);
	}
}

TEST(batch_malformed_forms)
{
	unsigned char form[80] = {0x62};
	brop_batch_sig b;

	CHECK_ERR(brop_batch_sig_parse(&b, form, 8), BROP_ESIG);	/* no room for the place */
	/* index 0 of size 0; index 5 of size 5 */
	CHECK_ERR(brop_batch_sig_parse(&b, form, 73), BROP_ESIG);
	form[4] = 5;
	form[8] = 5;
	CHECK_ERR(brop_batch_sig_parse(&b, form, 80), BROP_ESIG);
	/* index 0 of size 1: no path, 71 bytes of signature (length checked by the verifier) */
	form[4] = 0;
	form[8] = 1;
	CHECK_OK(brop_batch_sig_parse(&b, form, 80));
	CHECK(b.path_len == 0 && b.sig_len == 71);
	/* index 0 of size 3: two hashes, then nothing */
	form[8] = 3;
	CHECK_ERR(brop_batch_sig_parse(&b, form, 9 + 64), BROP_ESIG);
	/* a 64-byte signature starting with 0x62 is a plain signature */
	CHECK(!brop_batch_is_form(form, 64));
	CHECK(!brop_batch_is_form((const unsigned char *) "\x30\x44", 70));
	{
		brop_batch_tree t;

		CHECK_ERR(brop_batch_tree_build(&t, NULL, 0), BROP_EINVAL);
	}
}
