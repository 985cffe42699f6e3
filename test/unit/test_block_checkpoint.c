/*
 * test_block_checkpoint.c — brop_checkpoint_format_block: the checkpoint body
 * of a ledger block. Known answers: docs/formats.md's two worked blocks, and
 * two blocks a 1.0 node sealed (their brop.block rows: tree size, root,
 * previous hash, sealed_at, and the hash of the body it signed).
 */
#include <string.h>

#include "brop.h"
#include "unit.h"

static void
check_block(const char *origin, uint64_t size, const char *root_hex, uint64_t number, int64_t at,
			const char *prev_hex, const char *hash_hex, const char *body)
{
	unsigned char root[32],
				prev[32],
				hash[32];
	char		out[512];
	size_t		n;

	unit_unhex(root, sizeof root, root_hex);
	if (prev_hex)
		unit_unhex(prev, sizeof prev, prev_hex);
	CHECK_OK(brop_checkpoint_format_block(out, sizeof out, &n, origin, strlen(origin), size, root, number, at,
										prev_hex ? prev : NULL));
	if (body)
		CHECK_STR(out, n, body);
	CHECK_OK(brop_sha256(hash, (const unsigned char *) out, n));
	CHECK_HEX(hash, 32, hash_hex);
}

TEST(block_checkpoint_docs_examples)
{
	check_block("example.org/brop", 1, "8e7a3f7efcc26b071bf2d33965d7c82d4145543647f3a9f10c67649899064721", 1,
				INT64_C(1795246116089614), NULL,
				"013224e576d0fd158e6754627451300ff207acaf8fe7e69d10b6d7c534ac5d6b",
				"example.org/brop\n1\njno/fvzCawcb8tM5ZdfILUFFVDZH86nxDGdkmJkGRyE=\nblock 1\n"
				"time 2026-11-21T07:28:36.089614Z\n");
	check_block("example.org/brop", 2, "4110d73d039a54e4eff1f79d80ca1d0206baabbdbd8a7886108030cf85dcb167", 2,
				INT64_C(1795246129466252), "013224e576d0fd158e6754627451300ff207acaf8fe7e69d10b6d7c534ac5d6b",
				"938b1a94250c62932097b03b94dd014d85ec01b6c33bdadc251c8a7eb7eab055", NULL);
}

/* two blocks sealed by a 1.0 node (origin fmt.example/brop) */
TEST(block_checkpoint_extension_known_answers)
{
	check_block("fmt.example/brop", 5, "0b21a975408eb90975f71be5fb7e559835e4eda862b614e1889c8ea535191d72", 1,
				INT64_C(1796655805173080), NULL,
				"d128be1f45765795e91e734b5abd6338cc431fb12554352e5762c9c2243e735e",
				"fmt.example/brop\n5\nCyGpdUCOuQl19xvl+35VmDXk7ahithThiJyOpTUZHXI=\nblock 1\n"
				"time 2026-12-07T15:03:25.173080Z\n");
	check_block("fmt.example/brop", 6, "64bd0ce5ed59bdf7f8d59e1a8d43d31150dad9f231fdc47593bcf2cadb2200e4", 2,
				INT64_C(1796656054553680), "d128be1f45765795e91e734b5abd6338cc431fb12554352e5762c9c2243e735e",
				"97724561c619415b747ec183c849dbcdacc259f8af192a3e2384231cf803a1e0",
				"fmt.example/brop\n6\nZL0M5e1Zvff41Z4ajUPTEVDa2fIx/cR1k7zyytsiAOQ=\nblock 2\n"
				"time 2026-12-07T15:07:34.553680Z\n"
				"previous d128be1f45765795e91e734b5abd6338cc431fb12554352e5762c9c2243e735e\n");
}

TEST(block_checkpoint_refusals)
{
	unsigned char root[32] = {0};
	char		out[512];
	size_t		n;

	CHECK_ERR(brop_checkpoint_format_block(out, sizeof out, &n, "o", 1, 1, root, 0, 0, NULL), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format_block(out, sizeof out, &n, "o", 1, 1, NULL, 1, 0, NULL), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format_block(out, sizeof out, &n, "", 0, 1, root, 1, 0, NULL), BROP_EINVAL);
	CHECK_ERR(brop_checkpoint_format_block(out, sizeof out, &n, "o", 1, 1, root, 1, INT64_MAX, NULL), BROP_EOVERFLOW);
	CHECK_ERR(brop_checkpoint_format_block(out, 20, &n, "o", 1, 1, root, 1, 0, NULL), BROP_EBUFFER);
	CHECK_OK(brop_checkpoint_format_block(out, sizeof out, &n, "o", 1, UINT64_MAX, root, UINT64_MAX, 0, root));
	CHECK_STR(out, n, "o\n18446744073709551615\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nblock 18446744073709551615\n"
			  "time 1970-01-01T00:00:00.000000Z\nprevious 0000000000000000000000000000000000000000000000000000000000000000\n");
}
