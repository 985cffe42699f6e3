/*
 * fuzz_merkle.c — libFuzzer harness for the RFC 9162 Merkle proofs.
 *
 * Input: 8 bytes a, 8 bytes b (big-endian), then 32-byte hashes (a trailing
 * partial hash is dropped). Each input is used four ways:
 *  1. inclusion verification of index a in a tree of size b, with the first
 *     hash as the leaf, the second as the root and the rest as the proof:
 *     never a crash, only 0 / BROP_EVERIFY / BROP_EINVAL (exactly when
 *     a >= b); and a proof of more than 64 hashes never verifies (65 for
 *     consistency);
 *  2. consistency verification of sizes a and b, roots and proof likewise:
 *     BROP_EINVAL exactly when a > b;
 *  3. generation + verification in a real tree of TREE leaves (stored
 *     subtrees and roots made once): the inclusion proof of a % n in the
 *     tree of size n = b % TREE + 1 and the consistency proof from
 *     a % n + 1 to n must verify, must fail against another root, and
 *     cost <= 2 * 64 callbacks;
 *  4. generation at any size up to 2^64 - 1 (a, b as they are) over a
 *     synthetic store: never a subtree outside the tree, <= 64 hashes,
 *     <= 2 * 64 callbacks, and the subtrees of an inclusion proof and its
 *     leaf tile the whole tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#define FUZZ_OWN_INIT
#include "fuzz.h"

#define HB BROP_MERKLE_HASH_BYTES
#define TREE_LEVELS 11
#define TREE (1u << TREE_LEVELS)	/* 2048 leaves */

static brop_merkle_hash table[TREE_LEVELS + 1][TREE];	/* table[level][index] */
static brop_merkle_hash roots[TREE + 1];

typedef struct
{
	uint64_t	size;			/* the tree a proof is for */
	int			calls;
	unsigned	levels[2 * BROP_MERKLE_MAX_PROOF];
	uint64_t	indexes[2 * BROP_MERKLE_MAX_PROOF];
	int			synthetic;
} store;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	brop_merkle_builder b;

	(void) argc;
	(void) argv;
	if (brop_init() != 0)
		abort();
	brop_merkle_builder_init(&b);
	if (brop_merkle_builder_root(&b, roots[0]) != 0)
		abort();
	for (uint32_t i = 0; i < TREE; i++)
	{
		unsigned char in[4] = {(unsigned char) (i >> 24), (unsigned char) (i >> 16),
		(unsigned char) (i >> 8), (unsigned char) i};

		if (brop_merkle_leaf_hash(table[0][i], in, sizeof in) != 0 ||
			brop_merkle_builder_append(&b, table[0][i]) != 0 ||
			brop_merkle_builder_root(&b, roots[i + 1]) != 0)
			abort();
	}
	for (unsigned l = 1; l <= TREE_LEVELS; l++)
		for (uint32_t i = 0; i < TREE >> l; i++)
			if (brop_merkle_node_hash(table[l][i], table[l - 1][2 * i], table[l - 1][2 * i + 1]) != 0)
				abort();
	return 0;
}

static int
store_fn(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	store	   *s = ctx;

	if (s->calls >= 2 * BROP_MERKLE_MAX_PROOF)
		abort();				/* more callbacks than documented */
	s->levels[s->calls] = level;
	s->indexes[s->calls] = index;
	s->calls++;
	/* the subtree must lie inside the tree */
	if (level > 63 || index > (s->size >> level) ||
		s->size - (index << level) < (UINT64_C(1) << level))
		abort();
	if (s->synthetic)
	{
		unsigned char in[9];

		in[0] = (unsigned char) level;
		for (int i = 0; i < 8; i++)
			in[1 + i] = (unsigned char) (index >> (56 - 8 * i));
		return brop_sha256(out, in, sizeof in);
	}
	if (level > TREE_LEVELS)
		abort();
	memcpy(out, table[level][index], HB);
	return BROP_OK;
}

static uint64_t
be64(const uint8_t *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void
verify_arbitrary(uint64_t a, uint64_t b, const brop_merkle_hash *h, size_t nh)
{
	static const brop_merkle_hash zero;
	const unsigned char *leaf = nh > 0 ? h[0] : zero;
	const unsigned char *root = nh > 1 ? h[1] : zero;
	const brop_merkle_hash *proof = nh > 2 ? h + 2 : NULL;
	size_t		len = nh > 2 ? nh - 2 : 0;
	int			rc;

	rc = brop_merkle_inclusion_verify(a, b, leaf, proof, len, root);
	if (a >= b ? rc != BROP_EINVAL : (rc != 0 && rc != BROP_EVERIFY))
		abort();
	if (rc == 0 && len > BROP_MERKLE_MAX_PROOF)
		abort();
	rc = brop_merkle_consistency_verify(a, b, leaf, root, proof, len);
	if (a > b ? rc != BROP_EINVAL : (rc != 0 && rc != BROP_EVERIFY))
		abort();
	/* (past 2^63 leaves a consistency proof can have 65 hashes) */
	if (rc == 0 && len > BROP_MERKLE_MAX_PROOF + 1)
		abort();
	/* the whole input as the proof, to any length */
	rc = brop_merkle_inclusion_verify(a, b, leaf, h, nh, root);
	if (rc != 0 && rc != BROP_EVERIFY && rc != BROP_EINVAL)
		abort();
	rc = brop_merkle_consistency_verify(a, b, leaf, root, h, nh);
	if (rc != 0 && rc != BROP_EVERIFY && rc != BROP_EINVAL)
		abort();
}

static void
round_trip(uint64_t a, uint64_t b)
{
	brop_merkle_hash proof[BROP_MERKLE_MAX_PROOF];
	store		s = {0};
	size_t		len = 99;
	uint64_t	n = b % TREE + 1;
	uint64_t	m = a % n;
	uint64_t	other = (m + 1 + (a >> 32) % n) % n;

	s.size = n;
	if (brop_merkle_inclusion_proof(proof, &len, m, n, store_fn, &s) != 0 ||
		len > BROP_MERKLE_MAX_PROOF)
		abort();
	if (brop_merkle_inclusion_verify(m, n, table[0][m], (const brop_merkle_hash *) proof, len,
									 roots[n]) != 0)
		abort();
	if (n > 1 && brop_merkle_inclusion_verify(m, n, table[0][m], (const brop_merkle_hash *) proof,
											  len, roots[n - 1]) != BROP_EVERIFY)
		abort();
	if (other != m && brop_merkle_inclusion_verify(m, n, table[0][other],
												   (const brop_merkle_hash *) proof, len,
												   roots[n]) != BROP_EVERIFY)
		abort();

	m = a % n + 1;
	s.calls = 0;
	if (brop_merkle_consistency_proof(proof, &len, m, n, store_fn, &s) != 0 ||
		len > BROP_MERKLE_MAX_PROOF || (m == n) != (len == 0))
		abort();
	if (brop_merkle_consistency_verify(m, n, roots[m], roots[n],
									   (const brop_merkle_hash *) proof, len) != 0)
		abort();
	if (m < n && brop_merkle_consistency_verify(m, n, roots[m - 1], roots[n],
												(const brop_merkle_hash *) proof, len) != BROP_EVERIFY)
		abort();
	if (m > 1 && m < n && brop_merkle_consistency_verify(m - 1, n, roots[m], roots[n],
														 (const brop_merkle_hash *) proof, len) != BROP_EVERIFY)
		abort();
}

static void
huge(uint64_t a, uint64_t b)
{
	brop_merkle_hash proof[BROP_MERKLE_MAX_PROOF];
	store		s = {0};
	size_t		len;
	uint64_t	index,
				covered = 0;
	int			rc;

	if (b == 0)
		return;
	index = a % b;
	s.size = b;
	s.synthetic = 1;
	if (brop_merkle_inclusion_proof(proof, &len, index, b, store_fn, &s) != 0 ||
		len > BROP_MERKLE_MAX_PROOF)
		abort();
	/* the subtrees and the leaf tile [0, b): disjoint, summing to b - 1 */
	for (int i = 0; i < s.calls; i++)
	{
		uint64_t	begin = s.indexes[i] << s.levels[i];
		uint64_t	width = UINT64_C(1) << s.levels[i];

		if (index >= begin && index - begin < width)
			abort();
		for (int j = 0; j < i; j++)
		{
			uint64_t	b2 = s.indexes[j] << s.levels[j];

			if ((b2 >= begin && b2 - begin < width) ||
				(begin >= b2 && begin - b2 < (UINT64_C(1) << s.levels[j])))
				abort();
		}
		covered += width;
	}
	if (covered != b - 1)
		abort();

	s.calls = 0;
	rc = brop_merkle_consistency_proof(proof, &len, index + 1, b, store_fn, &s);
	if (b > (UINT64_C(1) << 63) ? rc != BROP_EINVAL : (rc != 0 || len > BROP_MERKLE_MAX_PROOF))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	brop_merkle_hash *h;
	size_t		nh;
	uint64_t	a,
				b;

	if (size < 16)
		return 0;
	a = be64(data);
	b = be64(data + 8);
	nh = (size - 16) / HB;
	h = malloc(nh > 0 ? nh * HB : 1);	/* exactly the hashes: ASan sees a read beyond */
	if (h == NULL)
		abort();
	memcpy(h, data + 16, nh * HB);
	verify_arbitrary(a, b, (const brop_merkle_hash *) h, nh);
	free(h);
	round_trip(a, b);
	huge(a, b);
	return 0;
}
