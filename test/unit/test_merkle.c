/*
 * test_merkle.c — RFC 9162 Merkle trees against the known answers of
 * transparency-dev/merkle (testonly/constants.go, proof/verify_test.go,
 * proof/proof_test.go, rfc6962/rfc6962_test.go): leaf and node hashes, the
 * roots of the trees of its eight leaves, exact inclusion and consistency
 * proofs and the nodes they are made of, its corrupted-proof probes; and a
 * comparison with a naive implementation of the RFC's recursive definitions
 * (MTH, PATH, PROOF/SUBPROOF) for every tree size 1..1000.
 */
#include <stdint.h>
#include <stdlib.h>

#include "brop.h"
#include "brop_merkle.h"
#include "unit.h"

#define HB BROP_MERKLE_HASH_BYTES

#include "merkle_vectors.h"

/* NodeHashes(): the leaf hashes, level 0 */
static const char *const tv_leaf_hashes[8] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	"0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
	"07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	"4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
	"b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	"46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
};

typedef struct
{
	uint64_t	a;				/* index, or size1 */
	uint64_t	b;				/* size, or size2 */
	size_t		len;
	const char *proof[3];
} tv_proof;

/* verify_test.go inclusionProofs (its leaf numbers are 1-based) */
static const tv_proof tv_inclusion[] = {
	{0, 1, 0, {NULL}},
	{0, 8, 3, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
			   "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{5, 8, 3, {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
			   "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2, 3, 1, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
	{1, 5, 3, {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
			   "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

/* verify_test.go consistencyProofs */
static const tv_proof tv_consistency[] = {
	{1, 1, 0, {NULL}},
	{1, 8, 3, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
			   "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{6, 8, 3, {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
			   "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2, 5, 2, {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	{6, 7, 3, {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
			   "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

static const char some_hash[] = "abacaba000000000000000000000000000000000000000000060061e00123456";

/* ---- a store of perfect subtrees over an array of leaf hashes ------------ */

#define MAX_LEAVES 1024
#define MAX_CALLS 256

typedef struct
{
	const brop_merkle_hash *leaves;
	uint64_t	nleaves;
	uint64_t	limit;			/* size of the tree a proof is for */
	int			calls;
	int			bad;			/* asked for a subtree outside the tree */
	unsigned	levels[MAX_CALLS];
	uint64_t	indexes[MAX_CALLS];
	brop_merkle_hash (*table)[MAX_LEAVES];	/* table[level][index], or NULL */
} store;

/* MTH of n >= 1 leaf hashes, straight from RFC 9162 section 2.1.1 */
static void
ref_mth(brop_merkle_hash out, const brop_merkle_hash *d, uint64_t n)
{
	brop_merkle_hash l,
				r;
	uint64_t	k = 1;

	if (n == 1)
	{
		memcpy(out, d[0], HB);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	ref_mth(l, d, k);
	ref_mth(r, d + k, n - k);
	CHECK_OK(brop_merkle_node_hash(out, l, r));
}

/* PATH(m, D[n]), RFC 9162 section 2.1.3.1 */
static size_t
ref_path(brop_merkle_hash *out, uint64_t m, const brop_merkle_hash *d, uint64_t n)
{
	uint64_t	k = 1;
	size_t		len;

	if (n == 1)
		return 0;
	while (k * 2 < n)
		k *= 2;
	if (m < k)
	{
		len = ref_path(out, m, d, k);
		ref_mth(out[len], d + k, n - k);
	}
	else
	{
		len = ref_path(out, m - k, d + k, n - k);
		ref_mth(out[len], d, k);
	}
	return len + 1;
}

/* SUBPROOF(m, D[n], b), RFC 9162 section 2.1.4.1 */
static size_t
ref_subproof(brop_merkle_hash *out, uint64_t m, const brop_merkle_hash *d, uint64_t n, int b)
{
	uint64_t	k = 1;
	size_t		len;

	if (m == n)
	{
		if (b)
			return 0;
		ref_mth(out[0], d, n);
		return 1;
	}
	while (k * 2 < n)
		k *= 2;
	if (m <= k)
	{
		len = ref_subproof(out, m, d, k, b);
		ref_mth(out[len], d + k, n - k);
	}
	else
	{
		len = ref_subproof(out, m - k, d + k, n - k, 0);
		ref_mth(out[len], d, k);
	}
	return len + 1;
}

static int
store_fn(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	store	   *s = ctx;
	uint64_t	begin,
				width;

	if (s->calls < MAX_CALLS)
	{
		s->levels[s->calls] = level;
		s->indexes[s->calls] = index;
	}
	s->calls++;
	if (level >= 63 || index > (s->limit >> level))
	{
		s->bad = 1;
		return BROP_EINTERNAL;
	}
	width = UINT64_C(1) << level;
	begin = index << level;
	if (begin + width > s->limit || begin + width > s->nleaves)
	{
		s->bad = 1;
		return BROP_EINTERNAL;
	}
	if (s->table != NULL)
		memcpy(out, s->table[level][index], HB);
	else
		ref_mth(out, s->leaves + begin, width);
	return BROP_OK;
}

static void
tv_leaves(brop_merkle_hash leaves[8])
{
	unsigned char in[16];

	for (int i = 0; i < 8; i++)
	{
		size_t		n = unit_unhex(in, sizeof in, leaf_inputs[i]);

		CHECK_OK(brop_merkle_leaf_hash(leaves[i], in, n));
	}
}

static void
unhex_hash(brop_merkle_hash out, const char *hex)
{
	CHECK(unit_unhex(out, HB, hex) == HB);
}

/* ---- known answers ------------------------------------------------------- */

TEST(merkle_leaf_and_node_hash)
{
	brop_merkle_hash h,
				a,
				b;
	unsigned char buf[1 + 2 * HB];

	/* rfc6962_test.go */
	CHECK_OK(brop_merkle_leaf_hash(h, NULL, 0));
	CHECK_HEX(h, HB, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
	CHECK_OK(brop_merkle_leaf_hash(h, (const unsigned char *) "L123456", 7));
	CHECK_HEX(h, HB, "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");

	/* node = SHA-256(0x01 || left || right), in either argument order */
	unhex_hash(a, tv_leaf_hashes[0]);
	unhex_hash(b, tv_leaf_hashes[1]);
	CHECK_OK(brop_merkle_node_hash(h, a, b));
	CHECK_HEX(h, HB, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
	buf[0] = 0x01;
	memcpy(buf + 1, b, HB);
	memcpy(buf + 1 + HB, a, HB);
	CHECK_OK(brop_sha256(a, buf, sizeof buf));
	CHECK_OK(brop_merkle_node_hash(h, b, buf + 1 + HB));
	CHECK_MEM(h, a, HB);
	/* out may alias an input */
	unhex_hash(a, tv_leaf_hashes[0]);
	CHECK_OK(brop_merkle_node_hash(a, a, b));
	CHECK_HEX(a, HB, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");

	CHECK_ERR(brop_merkle_leaf_hash(NULL, NULL, 0), BROP_EINVAL);
	CHECK_ERR(brop_merkle_leaf_hash(h, NULL, 1), BROP_EINVAL);
	CHECK_ERR(brop_merkle_node_hash(h, NULL, b), BROP_EINVAL);
}

TEST(merkle_roots_known_answers)
{
	brop_merkle_hash leaves[8],
				root;
	brop_merkle_builder b;

	tv_leaves(leaves);
	for (int i = 0; i < 8; i++)
		CHECK_HEX(leaves[i], HB, tv_leaf_hashes[i]);

	brop_merkle_builder_init(&b);
	for (uint64_t n = 0; n <= 8; n++)
	{
		CHECK_OK(brop_merkle_root(root, leaves, n));
		CHECK_HEX(root, HB, tv_roots[n]);
		CHECK_OK(brop_merkle_builder_root(&b, root));
		CHECK_HEX(root, HB, tv_roots[n]);
		CHECK(b.size == n);
		if (n < 8)
			CHECK_OK(brop_merkle_builder_append(&b, leaves[n]));
	}
	/* CompactTrees(): the stack holds one subtree per set bit of the size */
	CHECK_HEX(b.stack[3], HB, tv_roots[8]);

	CHECK_ERR(brop_merkle_root(root, NULL, 1), BROP_EINVAL);
	CHECK_OK(brop_merkle_root(root, NULL, 0));
	CHECK_HEX(root, HB, tv_roots[0]);
	CHECK_ERR(brop_merkle_builder_append(NULL, leaves[0]), BROP_EINVAL);
	CHECK_ERR(brop_merkle_builder_root(&b, NULL), BROP_EINVAL);
	b.size = UINT64_MAX;
	CHECK_ERR(brop_merkle_builder_append(&b, leaves[0]), BROP_EOVERFLOW);
	CHECK(b.size == UINT64_MAX);
}

static void
check_tv_proof(const brop_merkle_hash *got, size_t gotlen, const tv_proof *tv)
{
	CHECK(gotlen == tv->len);
	for (size_t i = 0; i < tv->len && i < gotlen; i++)
		CHECK_HEX(got[i], HB, tv->proof[i]);
}

TEST(merkle_inclusion_known_answers)
{
	brop_merkle_hash leaves[8],
				proof[BROP_MERKLE_MAX_PROOF],
				root;
	store		s = {0};
	size_t		len;

	tv_leaves(leaves);
	s.leaves = (const brop_merkle_hash *) leaves;
	s.nleaves = 8;
	for (size_t t = 0; t < sizeof tv_inclusion / sizeof tv_inclusion[0]; t++)
	{
		const tv_proof *tv = &tv_inclusion[t];

		s.limit = tv->b;
		CHECK_OK(brop_merkle_inclusion_proof(proof, &len, tv->a, tv->b, store_fn, &s));
		check_tv_proof((const brop_merkle_hash *) proof, len, tv);
		unhex_hash(root, tv_roots[tv->b]);
		CHECK_OK(brop_merkle_inclusion_verify(tv->a, tv->b, leaves[tv->a],
											  (const brop_merkle_hash *) proof, len, root));
	}
	CHECK(!s.bad);

	/* TestInclusion's bad parameters */
	CHECK_ERR(brop_merkle_inclusion_proof(proof, &len, 0, 0, store_fn, &s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_proof(proof, &len, 1, 0, store_fn, &s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_proof(proof, &len, 2, 1, store_fn, &s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_proof(proof, &len, 3, 0, store_fn, &s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_proof(proof, &len, 8, 7, store_fn, &s), BROP_EINVAL);
	CHECK(len == 0);
	CHECK_ERR(brop_merkle_inclusion_proof(proof, &len, 0, 1, NULL, &s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_proof(NULL, &len, 0, 1, store_fn, &s), BROP_EINVAL);
}

TEST(merkle_consistency_known_answers)
{
	brop_merkle_hash leaves[8],
				proof[BROP_MERKLE_MAX_PROOF],
				r1,
				r2;
	store		s = {0};
	size_t		len;

	tv_leaves(leaves);
	s.leaves = (const brop_merkle_hash *) leaves;
	s.nleaves = 8;
	for (size_t t = 0; t < sizeof tv_consistency / sizeof tv_consistency[0]; t++)
	{
		const tv_proof *tv = &tv_consistency[t];

		s.limit = tv->b;
		CHECK_OK(brop_merkle_consistency_proof(proof, &len, tv->a, tv->b, store_fn, &s));
		check_tv_proof((const brop_merkle_hash *) proof, len, tv);
		unhex_hash(r1, tv_roots[tv->a]);
		unhex_hash(r2, tv_roots[tv->b]);
		CHECK_OK(brop_merkle_consistency_verify(tv->a, tv->b, r1, r2,
												(const brop_merkle_hash *) proof, len));
	}
	CHECK(!s.bad);

	CHECK_ERR(brop_merkle_consistency_proof(proof, &len, 5, 0, store_fn, &s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_consistency_proof(proof, &len, 9, 8, store_fn, &s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_consistency_proof(proof, &len, 0, 8, store_fn, &s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_consistency_proof(proof, &len, 1, (UINT64_C(1) << 63) + 1, store_fn, &s),
			  BROP_EINVAL);
	CHECK(len == 0);
}

/*
 * The nodes each proof is made of (proof_test.go TestInclusion and
 * TestConsistency, as level.index; order aside, as the test there rehashes).
 */
typedef struct
{
	uint64_t	a;
	uint64_t	b;
	const char *nodes;
} tv_nodes;

static const tv_nodes tv_inclusion_nodes[] = {
	{0, 1, ""}, {0, 2, "0.1"}, {1, 2, "0.0"}, {1, 3, "0.0 0.2"},
	{0, 7, "0.1 1.1 0.6 1.2"}, {1, 7, "0.0 1.1 0.6 1.2"}, {2, 7, "0.3 1.0 0.6 1.2"},
	{3, 7, "0.2 1.0 0.6 1.2"}, {4, 7, "0.5 0.6 2.0"}, {5, 7, "0.4 0.6 2.0"}, {6, 7, "1.2 2.0"},
	{2, 4, "0.3 1.0"}, {3, 5, "0.2 1.0 0.4"}, {3, 6, "0.2 1.0 1.2"}, {4, 6, "0.5 2.0"},
	{10, 15, "0.11 1.4 0.14 1.6 3.0"}, {24, 31, "0.25 1.13 0.30 1.14 3.2 4.0"},
	{81, 95, "0.80 1.41 2.21 0.94 1.46 2.22 4.4 6.0"},
};

static const tv_nodes tv_consistency_nodes[] = {
	{1, 2, "0.1"}, {1, 4, "0.1 1.1"}, {1, 6, "0.1 1.1 1.2"}, {2, 3, "0.2"},
	{2, 8, "1.1 2.1"}, {3, 7, "0.2 0.3 1.0 0.6 1.2"}, {4, 7, "0.6 1.2"},
	{5, 7, "0.4 0.5 0.6 2.0"}, {6, 7, "1.2 0.6 2.0"}, {7, 8, "0.6 0.7 1.2 2.0"},
	{1, 1, ""}, {2, 2, ""}, {3, 3, ""}, {4, 4, ""}, {5, 5, ""}, {7, 7, ""}, {8, 8, ""},
	{2, 4, "1.1"}, {3, 5, "0.2 0.3 1.0 0.4"}, {3, 6, "0.2 0.3 1.0 1.2"}, {4, 6, "1.2"},
	{1, 7, "0.1 1.1 0.6 1.2"}, {10, 15, "1.4 1.5 0.14 1.6 3.0"},
	{24, 31, "3.2 0.30 1.14 2.6 4.0"},
	{81, 95, "0.80 0.81 1.41 2.21 0.94 1.46 2.22 4.4 6.0"},
};

static int
node_cmp(const void *x, const void *y)
{
	const uint64_t *a = x,
			   *b = y;

	return a[0] != b[0] ? (a[0] < b[0] ? -1 : 1) : (a[1] < b[1] ? -1 : a[1] > b[1]);
}

static void
check_nodes(const store *s, const char *want, uint64_t a, uint64_t b)
{
	uint64_t	w[16][2],
				g[16][2];
	int			nw = 0;
	const char *p = want;

	while (*p != '\0' && nw < 16)
	{
		char	   *end;

		w[nw][0] = strtoull(p, &end, 10);
		w[nw][1] = strtoull(end + 1, &end, 10);
		nw++;
		p = end;
		while (*p == ' ')
			p++;
	}
	if (s->calls != nw)
	{
		unit_fail(__FILE__, __LINE__, "%llu:%llu: %d callbacks, expected %d",
				  (unsigned long long) a, (unsigned long long) b, s->calls, nw);
		return;
	}
	for (int i = 0; i < nw; i++)
	{
		g[i][0] = s->levels[i];
		g[i][1] = s->indexes[i];
	}
	qsort(w, nw, sizeof w[0], node_cmp);
	qsort(g, nw, sizeof g[0], node_cmp);
	for (int i = 0; i < nw; i++)
		if (w[i][0] != g[i][0] || w[i][1] != g[i][1])
			unit_fail(__FILE__, __LINE__, "%llu:%llu: node %llu.%llu, expected %llu.%llu",
					  (unsigned long long) a, (unsigned long long) b,
					  (unsigned long long) g[i][0], (unsigned long long) g[i][1],
					  (unsigned long long) w[i][0], (unsigned long long) w[i][1]);
}

TEST(merkle_proof_nodes_known_answers)
{
	brop_merkle_hash *leaves = calloc(128, HB);
	brop_merkle_hash proof[BROP_MERKLE_MAX_PROOF];
	store		s = {0};
	size_t		len;

	CHECK(leaves != NULL);
	if (leaves == NULL)
		return;
	for (uint32_t i = 0; i < 128; i++)
		CHECK_OK(brop_merkle_leaf_hash(leaves[i], (const unsigned char *) &i, sizeof i));
	s.leaves = (const brop_merkle_hash *) leaves;
	s.nleaves = 128;
	for (size_t t = 0; t < sizeof tv_inclusion_nodes / sizeof tv_inclusion_nodes[0]; t++)
	{
		const tv_nodes *tv = &tv_inclusion_nodes[t];

		s.calls = 0;
		s.limit = tv->b;
		CHECK_OK(brop_merkle_inclusion_proof(proof, &len, tv->a, tv->b, store_fn, &s));
		check_nodes(&s, tv->nodes, tv->a, tv->b);
	}
	for (size_t t = 0; t < sizeof tv_consistency_nodes / sizeof tv_consistency_nodes[0]; t++)
	{
		const tv_nodes *tv = &tv_consistency_nodes[t];

		s.calls = 0;
		s.limit = tv->b;
		CHECK_OK(brop_merkle_consistency_proof(proof, &len, tv->a, tv->b, store_fn, &s));
		check_nodes(&s, tv->nodes, tv->a, tv->b);
	}
	CHECK(!s.bad);
	free(leaves);
}

/* ---- corrupted proofs (verify_test.go corruptInclusionProof etc.) -------- */

static void
probe_inclusion(uint64_t index, uint64_t size, const brop_merkle_hash leaf,
				const brop_merkle_hash *proof, size_t len, const brop_merkle_hash root)
{
	int			want = index >= size ? BROP_EINVAL : BROP_EVERIFY;
	int			rc = brop_merkle_inclusion_verify(index, size, leaf, proof, len, root);

	if (rc != want)
		unit_fail(__FILE__, __LINE__, "inclusion probe %llu:%llu len %zu: %d, expected %d",
				  (unsigned long long) index, (unsigned long long) size, len, rc, want);
}

static void
corrupt_inclusion(uint64_t index, uint64_t size, const brop_merkle_hash *proof, size_t len,
				  const brop_merkle_hash root, const brop_merkle_hash leaf)
{
	brop_merkle_hash p[BROP_MERKLE_MAX_PROOF + 2],
				other,
				empty;
	const brop_merkle_hash *cp = (const brop_merkle_hash *) p;

	unhex_hash(other, some_hash);
	unhex_hash(empty, tv_roots[0]);
	CHECK_OK(brop_merkle_inclusion_verify(index, size, leaf, proof, len, root));

	probe_inclusion(index - 1, size, leaf, proof, len, root);
	probe_inclusion(index + 1, size, leaf, proof, len, root);
	probe_inclusion(index ^ 2, size, leaf, proof, len, root);
	probe_inclusion(index, size * 2, leaf, proof, len, root);
	probe_inclusion(index, size / 2, leaf, proof, len, root);
	probe_inclusion(index, size, other, proof, len, root);
	probe_inclusion(index, size, leaf, proof, len, empty);
	probe_inclusion(index, size, leaf, proof, len, other);
	/* trailing garbage, trailing root */
	memcpy(p, proof, len * HB);
	memset(p[len], 0, HB);
	probe_inclusion(index, size, leaf, cp, len + 1, root);
	memcpy(p[len], root, HB);
	probe_inclusion(index, size, leaf, cp, len + 1, root);
	/* preceding garbage, preceding root */
	memcpy(p + 1, proof, len * HB);
	memset(p[0], 0, HB);
	probe_inclusion(index, size, leaf, cp, len + 1, root);
	memcpy(p[0], root, HB);
	probe_inclusion(index, size, leaf, cp, len + 1, root);
	/* one bit flipped in each element */
	for (size_t i = 0; i < len; i++)
	{
		memcpy(p, proof, len * HB);
		p[i][0] ^= 8;
		probe_inclusion(index, size, leaf, cp, len, root);
	}
	if (len > 0)
		probe_inclusion(index, size, leaf, proof, len - 1, root);
	if (len > 1)
	{
		memcpy(p[0], proof[0], HB);
		memcpy(p[1], other, HB);
		memcpy(p + 2, proof + 1, (len - 1) * HB);
		probe_inclusion(index, size, leaf, cp, len + 1, root);
	}
}

TEST(merkle_inclusion_verify_failures)
{
	brop_merkle_hash leaves[8],
				proof[3],
				root,
				other,
				empty,
				h;

	tv_leaves(leaves);
	for (size_t t = 1; t < sizeof tv_inclusion / sizeof tv_inclusion[0]; t++)
	{
		const tv_proof *tv = &tv_inclusion[t];

		for (size_t i = 0; i < tv->len; i++)
			unhex_hash(proof[i], tv->proof[i]);
		unhex_hash(root, tv_roots[tv->b]);
		corrupt_inclusion(tv->a, tv->b, (const brop_merkle_hash *) proof, tv->len, root,
						  leaves[tv->a]);
	}

	/* TestVerifyInclusion: index >= size; a single entry */
	unhex_hash(other, some_hash);
	unhex_hash(empty, tv_roots[0]);
	CHECK_ERR(brop_merkle_inclusion_verify(0, 0, other, NULL, 0, empty), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_verify(1, 0, other, NULL, 0, empty), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_verify(2, 1, other, NULL, 0, empty), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_verify(0, 1, other, NULL, 0, empty), BROP_EVERIFY);
	CHECK_OK(brop_merkle_leaf_hash(h, (const unsigned char *) "data", 4));
	CHECK_OK(brop_merkle_inclusion_verify(0, 1, h, NULL, 0, h));
	CHECK_ERR(brop_merkle_inclusion_verify(0, 1, h, NULL, 0, other), BROP_EVERIFY);
	CHECK_ERR(brop_merkle_inclusion_verify(0, 1, h, (const brop_merkle_hash *) &h, 1, h),
			  BROP_EVERIFY);
	CHECK_ERR(brop_merkle_inclusion_verify(0, 1, h, NULL, 1, h), BROP_EINVAL);
	CHECK_ERR(brop_merkle_inclusion_verify(0, 1, NULL, NULL, 0, h), BROP_EINVAL);
}

static void
probe_consistency(uint64_t size1, uint64_t size2, const brop_merkle_hash r1,
				  const brop_merkle_hash r2, const brop_merkle_hash *proof, size_t len)
{
	int			want = size1 > size2 ? BROP_EINVAL : BROP_EVERIFY;
	int			rc = brop_merkle_consistency_verify(size1, size2, r1, r2, proof, len);

	if (rc != want)
		unit_fail(__FILE__, __LINE__, "consistency probe %llu:%llu len %zu: %d, expected %d",
				  (unsigned long long) size1, (unsigned long long) size2, len, rc, want);
}

static void
corrupt_consistency(uint64_t size1, uint64_t size2, const brop_merkle_hash r1,
					const brop_merkle_hash r2, const brop_merkle_hash *proof, size_t len)
{
	brop_merkle_hash p[BROP_MERKLE_MAX_PROOF + 1],
				wrong;
	const brop_merkle_hash *cp = (const brop_merkle_hash *) p;

	memset(wrong, 'W', HB);
	CHECK_OK(brop_merkle_consistency_verify(size1, size2, r1, r2, proof, len));
	probe_consistency(size1 - 1, size2, r1, r2, proof, len);
	probe_consistency(size1 + 1, size2, r1, r2, proof, len);
	probe_consistency(size1 ^ 2, size2, r1, r2, proof, len);
	probe_consistency(size1, size2 * 2, r1, r2, proof, len);
	probe_consistency(size1, size2 / 2, r1, r2, proof, len);
	probe_consistency(size1, size2, wrong, r2, proof, len);
	probe_consistency(size1, size2, r1, wrong, proof, len);
	probe_consistency(size1, size2, r2, r1, proof, len);	/* swapped roots */
	probe_consistency(size1, size2, r1, r2, proof, 0);
	memcpy(p, proof, len * HB);
	memset(p[len], 0, HB);
	probe_consistency(size1, size2, r1, r2, cp, len + 1);
	memcpy(p[len], r1, HB);
	probe_consistency(size1, size2, r1, r2, cp, len + 1);
	memcpy(p[len], r2, HB);
	probe_consistency(size1, size2, r1, r2, cp, len + 1);
	memcpy(p + 1, proof, len * HB);
	memset(p[0], 0, HB);
	probe_consistency(size1, size2, r1, r2, cp, len + 1);
	memcpy(p[0], r1, HB);
	probe_consistency(size1, size2, r1, r2, cp, len + 1);
	memcpy(p[0], r2, HB);
	probe_consistency(size1, size2, r1, r2, cp, len + 1);
	memcpy(p[0], proof[0], HB);
	probe_consistency(size1, size2, r1, r2, cp, len + 1);
	probe_consistency(size1, size2, r1, r2, proof, len - 1);
	for (size_t i = 0; i < len; i++)
	{
		memcpy(p, proof, len * HB);
		p[i][0] ^= 16;
		probe_consistency(size1, size2, r1, r2, cp, len);
	}
}

TEST(merkle_consistency_verify_failures)
{
	brop_merkle_hash proof[3],
				r1,
				r2,
				e;
	const brop_merkle_hash *pe = (const brop_merkle_hash *) &e;

	for (size_t t = 1; t < sizeof tv_consistency / sizeof tv_consistency[0]; t++)
	{
		const tv_proof *tv = &tv_consistency[t];

		for (size_t i = 0; i < tv->len; i++)
			unhex_hash(proof[i], tv->proof[i]);
		unhex_hash(r1, tv_roots[tv->a]);
		unhex_hash(r2, tv_roots[tv->b]);
		corrupt_consistency(tv->a, tv->b, r1, r2, (const brop_merkle_hash *) proof, tv->len);
	}

	/* TestVerifyConsistency */
	memset(r1, '1', HB);
	memset(r2, '2', HB);
	unhex_hash(e, tv_roots[0]);
	CHECK_ERR(brop_merkle_consistency_verify(0, 0, r1, r2, NULL, 0), BROP_EVERIFY);
	CHECK_ERR(brop_merkle_consistency_verify(1, 1, r1, r2, NULL, 0), BROP_EVERIFY);
	CHECK_OK(brop_merkle_consistency_verify(0, 0, r1, r1, NULL, 0));
	CHECK_OK(brop_merkle_consistency_verify(0, 1, r1, r2, NULL, 0));
	CHECK_OK(brop_merkle_consistency_verify(1, 1, r2, r2, NULL, 0));
	CHECK_ERR(brop_merkle_consistency_verify(1, 0, r1, r2, NULL, 0), BROP_EINVAL);
	CHECK_ERR(brop_merkle_consistency_verify(2, 1, r1, r2, NULL, 0), BROP_EINVAL);
	CHECK_ERR(brop_merkle_consistency_verify(1, 2, r1, r2, NULL, 0), BROP_EVERIFY);
	CHECK_ERR(brop_merkle_consistency_verify(0, 0, e, r2, NULL, 0), BROP_EVERIFY);
	CHECK_ERR(brop_merkle_consistency_verify(1, 1, e, r2, NULL, 0), BROP_EVERIFY);
	CHECK_ERR(brop_merkle_consistency_verify(0, 0, e, e, pe, 1), BROP_EVERIFY);
	CHECK_ERR(brop_merkle_consistency_verify(0, 1, e, e, pe, 1), BROP_EVERIFY);
	CHECK_ERR(brop_merkle_consistency_verify(1, 1, e, e, pe, 1), BROP_EVERIFY);
	CHECK_ERR(brop_merkle_consistency_verify(1, 2, e, e, NULL, 1), BROP_EINVAL);
	CHECK_ERR(brop_merkle_consistency_verify(1, 2, NULL, e, pe, 1), BROP_EINVAL);
}

/* ---- every size 1..1000 against the recursive definitions ---------------- */

#define BIG 1000

static uint64_t
xorshift(uint64_t *state)
{
	uint64_t	x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* ceil(log2(n)): the height of the tree of n leaves */
static int
height(uint64_t n)
{
	int			h = 0;

	while (n > (UINT64_C(1) << h))
		h++;
	return h;
}

static void
check_inclusion_against_ref(store *s, const brop_merkle_hash *leaves, uint64_t n, uint64_t m,
							const brop_merkle_hash root)
{
	brop_merkle_hash got[BROP_MERKLE_MAX_PROOF],
				want[BROP_MERKLE_MAX_PROOF];
	size_t		gotlen = 0,
				wantlen;

	wantlen = ref_path(want, m, leaves, n);
	s->calls = 0;
	s->limit = n;
	CHECK_OK(brop_merkle_inclusion_proof(got, &gotlen, m, n, store_fn, s));
	if (gotlen != wantlen || memcmp(got, want, wantlen * HB) != 0)
		unit_fail(__FILE__, __LINE__, "inclusion %llu in %llu differs from PATH",
				  (unsigned long long) m, (unsigned long long) n);
	if (s->calls > 2 * 64 || s->calls > 2 * height(n))
		unit_fail(__FILE__, __LINE__, "inclusion %llu in %llu: %d callbacks",
				  (unsigned long long) m, (unsigned long long) n, s->calls);
	CHECK_OK(brop_merkle_inclusion_verify(m, n, leaves[m], (const brop_merkle_hash *) got,
										  gotlen, root));
}

static void
check_consistency_against_ref(store *s, const brop_merkle_hash *leaves, uint64_t m, uint64_t n,
							  const brop_merkle_hash *roots)
{
	brop_merkle_hash got[BROP_MERKLE_MAX_PROOF],
				want[BROP_MERKLE_MAX_PROOF];
	size_t		gotlen = 0,
				wantlen;

	wantlen = ref_subproof(want, m, leaves, n, 1);
	s->calls = 0;
	s->limit = n;
	CHECK_OK(brop_merkle_consistency_proof(got, &gotlen, m, n, store_fn, s));
	if (gotlen != wantlen || memcmp(got, want, wantlen * HB) != 0)
		unit_fail(__FILE__, __LINE__, "consistency %llu to %llu differs from PROOF",
				  (unsigned long long) m, (unsigned long long) n);
	if (s->calls > 2 * 64 || s->calls > 2 * height(n))
		unit_fail(__FILE__, __LINE__, "consistency %llu to %llu: %d callbacks",
				  (unsigned long long) m, (unsigned long long) n, s->calls);
	CHECK_OK(brop_merkle_consistency_verify(m, n, roots[m], roots[n],
											(const brop_merkle_hash *) got, gotlen));
	if (m > 1 && m < n)
		CHECK_ERR(brop_merkle_consistency_verify(m - 1, n, roots[m], roots[n],
												 (const brop_merkle_hash *) got, gotlen),
				  BROP_EVERIFY);
}

TEST(merkle_all_sizes_against_reference)
{
	brop_merkle_hash *leaves = calloc(BIG, HB);
	brop_merkle_hash *roots = calloc(BIG + 1, HB);
	brop_merkle_hash (*table)[MAX_LEAVES] = calloc(11, sizeof *table);
	brop_merkle_hash got;
	brop_merkle_builder b;
	store		s = {0};
	uint64_t	rng = UINT64_C(0x9e3779b97f4a7c15);

	CHECK(leaves != NULL && roots != NULL && table != NULL);
	if (leaves == NULL || roots == NULL || table == NULL)
		goto done;
	for (uint32_t i = 0; i < BIG; i++)
	{
		unsigned char in[4] = {(unsigned char) (i >> 24), (unsigned char) (i >> 16), (unsigned char) (i >> 8), (unsigned char) i};

		CHECK_OK(brop_merkle_leaf_hash(leaves[i], in, sizeof in));
	}
	/* the perfect subtrees, for an O(1) store */
	for (unsigned l = 0; l <= 10; l++)
		for (uint64_t i = 0; (i + 1) << l <= BIG; i++)
		{
			if (l == 0)
				memcpy(table[0][i], leaves[i], HB);
			else
				CHECK_OK(brop_merkle_node_hash(table[l][i], table[l - 1][2 * i],
											   table[l - 1][2 * i + 1]));
		}
	s.leaves = (const brop_merkle_hash *) leaves;
	s.nleaves = BIG;
	s.table = table;

	/* roots: the builder after each append, the one-shot root, MTH */
	brop_merkle_builder_init(&b);
	CHECK_OK(brop_merkle_root(roots[0], (const brop_merkle_hash *) leaves, 0));
	CHECK_HEX(roots[0], HB, tv_roots[0]);
	for (uint64_t n = 1; n <= BIG; n++)
	{
		ref_mth(roots[n], (const brop_merkle_hash *) leaves, n);
		CHECK_OK(brop_merkle_builder_append(&b, leaves[n - 1]));
		CHECK_OK(brop_merkle_builder_root(&b, got));
		if (memcmp(got, roots[n], HB) != 0)
			unit_fail(__FILE__, __LINE__, "builder root of %llu differs", (unsigned long long) n);
		CHECK_OK(brop_merkle_root(got, (const brop_merkle_hash *) leaves, n));
		if (memcmp(got, roots[n], HB) != 0)
			unit_fail(__FILE__, __LINE__, "root of %llu differs", (unsigned long long) n);
	}

	for (uint64_t n = 1; n <= BIG; n++)
	{
		const brop_merkle_hash *cl = (const brop_merkle_hash *) leaves;

		if (n <= 64)
		{
			for (uint64_t m = 0; m < n; m++)
				check_inclusion_against_ref(&s, cl, n, m, roots[n]);
			for (uint64_t m = 1; m <= n; m++)
				check_consistency_against_ref(&s, cl, m, n, (const brop_merkle_hash *) roots);
			continue;
		}
		check_inclusion_against_ref(&s, cl, n, 0, roots[n]);
		check_inclusion_against_ref(&s, cl, n, n - 1, roots[n]);
		check_consistency_against_ref(&s, cl, 1, n, (const brop_merkle_hash *) roots);
		check_consistency_against_ref(&s, cl, n - 1, n, (const brop_merkle_hash *) roots);
		check_consistency_against_ref(&s, cl, n, n, (const brop_merkle_hash *) roots);
		for (int r = 0; r < 5; r++)
		{
			check_inclusion_against_ref(&s, cl, n, xorshift(&rng) % n, roots[n]);
			check_consistency_against_ref(&s, cl, 1 + xorshift(&rng) % n, n,
										  (const brop_merkle_hash *) roots);
		}
	}
	CHECK(!s.bad);
done:
	free(table);
	free(roots);
	free(leaves);
}

/* ---- sizes near 2^64, with a synthetic store ----------------------------- */

typedef struct
{
	int			calls;
	int			bad;
	uint64_t	limit;
} fake_store;

static void
fake_hash(brop_merkle_hash out, unsigned level, uint64_t index)
{
	unsigned char in[9];

	in[0] = (unsigned char) level;
	for (int i = 0; i < 8; i++)
		in[1 + i] = (unsigned char) (index >> (56 - 8 * i));
	CHECK_OK(brop_sha256(out, in, sizeof in));
}

static int
fake_fn(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	fake_store *f = ctx;

	f->calls++;
	if (level > 63 || index > (f->limit >> level) ||
		f->limit - (index << level) < (UINT64_C(1) << level))
		f->bad = 1;
	fake_hash(out, level, index);
	return BROP_OK;
}

static int
failing_fn(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	(void) ctx;
	(void) level;
	(void) index;
	memset(out, 0, HB);
	return BROP_EINTERNAL;
}

TEST(merkle_huge_sizes)
{
	brop_merkle_hash proof[BROP_MERKLE_MAX_PROOF],
				leaf,
				root,
				h;
	fake_store	f = {0};
	size_t		len;
	uint64_t	sizes[] = {UINT64_MAX, UINT64_MAX - 1, UINT64_C(1) << 63,
	(UINT64_C(1) << 63) + 1, (UINT64_C(1) << 63) - 1, UINT64_C(0xaaaaaaaaaaaaaaaa)};

	for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++)
	{
		uint64_t	n = sizes[t];
		uint64_t	idx[] = {0, 1, n / 2, n / 3, n - 2, n - 1};
		uint64_t	pos = n;

		f.limit = n;
		for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
		{
			f.calls = 0;
			CHECK_OK(brop_merkle_inclusion_proof(proof, &len, idx[i], n, fake_fn, &f));
			CHECK(len >= 1 && len <= BROP_MERKLE_MAX_PROOF);
			CHECK(f.calls <= 2 * 64);
			if (n > UINT64_C(1) << 63)
				continue;
			f.calls = 0;
			CHECK_OK(brop_merkle_consistency_proof(proof, &len, idx[i] + 1, n, fake_fn, &f));
			CHECK(len <= BROP_MERKLE_MAX_PROOF);
			CHECK(f.calls <= 2 * 64);
		}

		/*
		 * The last leaf of an odd size is the last subtree of the binary
		 * decomposition of n, and the other subtrees are its proof: the
		 * synthetic store then has a root.
		 */
		if (!(n & 1))
			continue;
		for (unsigned l = 0; l < 64; l++)
		{
			if (!(n >> l & 1))
				continue;
			pos -= UINT64_C(1) << l;
			fake_hash(h, l, pos >> l);
			if (l == 0)
				memcpy(root, h, HB);
			else
				CHECK_OK(brop_merkle_node_hash(root, h, root));
		}
		CHECK_OK(brop_merkle_inclusion_proof(proof, &len, n - 1, n, fake_fn, &f));
		fake_hash(leaf, 0, n - 1);
		CHECK_OK(brop_merkle_inclusion_verify(n - 1, n, leaf, (const brop_merkle_hash *) proof,
											  len, root));
	}
	CHECK(!f.bad);

	/* 2^62 -> 2^63: one hash */
	f.limit = UINT64_C(1) << 63;
	CHECK_OK(brop_merkle_consistency_proof(proof, &len, UINT64_C(1) << 62, UINT64_C(1) << 63,
										   fake_fn, &f));
	CHECK(len == 1);
	fake_hash(h, 62, 0);
	fake_hash(leaf, 62, 1);
	CHECK_MEM(proof[0], leaf, HB);
	CHECK_OK(brop_merkle_node_hash(root, h, leaf));
	CHECK_OK(brop_merkle_consistency_verify(UINT64_C(1) << 62, UINT64_C(1) << 63, h, root,
											(const brop_merkle_hash *) proof, len));

	/* the callback's errors pass through */
	CHECK_ERR(brop_merkle_inclusion_proof(proof, &len, 3, 10, failing_fn, NULL), BROP_EINTERNAL);
	CHECK_ERR(brop_merkle_consistency_proof(proof, &len, 3, 10, failing_fn, NULL), BROP_EINTERNAL);
	CHECK_OK(brop_merkle_inclusion_proof(proof, &len, 0, 1, failing_fn, NULL));
	CHECK(len == 0);
	CHECK_OK(brop_merkle_consistency_proof(proof, &len, 7, 7, failing_fn, NULL));
	CHECK(len == 0);
}
