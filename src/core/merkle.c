/*
 * merkle.c — RFC 9162 Merkle trees: leaf and node hashes, roots (one shot
 * and incremental), inclusion and consistency proofs (generation over a
 * caller's store of perfect subtrees, and verification).
 *
 * Generation follows the recursive definitions of RFC 9162 sections 2.1.3.1
 * (PATH) and 2.1.4.1 (SUBPROOF) top down, as loops. Each step splits the
 * current range at k, the largest power of two below its size. Going left
 * leaves a perfect subtree, and every range below a perfect subtree is
 * perfect; going right leaves a "right edge" range [b, e) of the tree, with
 * b a multiple of a power of two larger than e - b. So every hash a proof
 * needs is a perfect subtree (one callback) or a right edge range, whose
 * hash is that of the perfect subtrees of the binary decomposition of
 * e - b, combined right to left (MTH splits such a range exactly there).
 * A proof needs at most one right edge range (after it the walk only goes
 * left), so it costs at most (proof length) + 63 <= 2 * 64 callbacks.
 *
 * Verification follows the bit-manipulation algorithms of RFC 9162 sections
 * 2.1.3.2 and 2.1.4.2, reading proof[0..len) and nothing beyond.
 */
#include <string.h>

#include "brop_hash.h"
#include "brop_merkle.h"

/* Sizes of a consistency proof stay <= 64 hashes up to this tree size. */
#define MERKLE_MAX_PROOF_TREE (UINT64_C(1) << 63)

static const unsigned char node_prefix = 0x01;
static const unsigned char leaf_prefix = 0x00;

int
brop_merkle_leaf_hash(brop_merkle_hash out, const unsigned char *leaf, size_t len)
{
	const unsigned char *parts[2];
	size_t		lens[2];

	if (out == NULL || (leaf == NULL && len > 0))
		return BROP_EINVAL;
	parts[0] = &leaf_prefix;
	lens[0] = 1;
	parts[1] = leaf;
	lens[1] = len;
	return brop_sha256_parts(out, parts, lens, 2);
}

/* out may be left or right: the inputs are read before out is written. */
int
brop_merkle_node_hash(brop_merkle_hash out, const brop_merkle_hash left,
					  const brop_merkle_hash right)
{
	const unsigned char *parts[3];
	size_t		lens[3];

	if (out == NULL || left == NULL || right == NULL)
		return BROP_EINVAL;
	parts[0] = &node_prefix;
	lens[0] = 1;
	parts[1] = left;
	lens[1] = BROP_MERKLE_HASH_BYTES;
	parts[2] = right;
	lens[2] = BROP_MERKLE_HASH_BYTES;
	return brop_sha256_parts(out, parts, lens, 3);
}

static int
empty_root(brop_merkle_hash out)
{
	return brop_sha256(out, NULL, 0);
}

/* ---- compact range -------------------------------------------------------- */

void
brop_merkle_builder_init(brop_merkle_builder *b)
{
	if (b != NULL)
		memset(b, 0, sizeof *b);
}

int
brop_merkle_builder_append(brop_merkle_builder *b, const brop_merkle_hash leaf_hash)
{
	brop_merkle_hash h;
	unsigned	level = 0;
	int			rc;

	if (b == NULL || leaf_hash == NULL)
		return BROP_EINVAL;
	if (b->size == UINT64_MAX)
		return BROP_EOVERFLOW;
	memcpy(h, leaf_hash, sizeof h);
	/* merge with the perfect subtrees the new leaf completes (carries) */
	while (b->size >> level & 1)
	{
		rc = brop_merkle_node_hash(h, b->stack[level], h);
		if (rc != 0)
			return rc;
		level++;
	}
	memcpy(b->stack[level], h, sizeof h);
	b->size++;
	return BROP_OK;
}

int
brop_merkle_builder_root(const brop_merkle_builder *b, brop_merkle_hash out)
{
	brop_merkle_hash h;
	unsigned	level;
	int			rc;

	if (b == NULL || out == NULL)
		return BROP_EINVAL;
	if (b->size == 0)
		return empty_root(out);

	/* the smallest subtree is the rightmost; fold leftwards */
	level = 0;
	while (!(b->size >> level & 1))
		level++;
	memcpy(h, b->stack[level], sizeof h);
	for (level++; level < BROP_MERKLE_MAX_LEVELS; level++)
	{
		if (!(b->size >> level & 1))
			continue;
		rc = brop_merkle_node_hash(h, b->stack[level], h);
		if (rc != 0)
			return rc;
	}
	memcpy(out, h, sizeof h);
	return BROP_OK;
}

int
brop_merkle_root(brop_merkle_hash out, const brop_merkle_hash *leaf_hashes, uint64_t n)
{
	brop_merkle_builder b;
	int			rc;

	if (out == NULL || (leaf_hashes == NULL && n > 0))
		return BROP_EINVAL;
	brop_merkle_builder_init(&b);
	for (uint64_t i = 0; i < n; i++)
	{
		rc = brop_merkle_builder_append(&b, leaf_hashes[i]);
		if (rc != 0)
			return rc;
	}
	return brop_merkle_builder_root(&b, out);
}

/* ---- proof generation ----------------------------------------------------- */

/* floor(log2(v)) for v > 0 */
static unsigned
log2_floor(uint64_t v)
{
	unsigned	r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* The largest power of two strictly below n (n >= 2), as its exponent. */
static unsigned
split_level(uint64_t n)
{
	return log2_floor(n - 1);
}

static int
perfect_hash(brop_merkle_subtree_fn fn, void *ctx, unsigned level, uint64_t begin,
			 brop_merkle_hash out)
{
	return fn(ctx, level, begin >> level, out);
}

/*
 * MTH of leaves [begin, end), begin < end, where begin is a multiple of
 * the smallest power of two >= end - begin (the range is a perfect subtree
 * or a right edge): the perfect subtrees of the binary decomposition of
 * end - begin, from the right, each folded in on the left. One callback per
 * set bit of end - begin.
 */
static int
range_hash(brop_merkle_subtree_fn fn, void *ctx, uint64_t begin, uint64_t end,
		   brop_merkle_hash out)
{
	brop_merkle_hash sub;
	uint64_t	size = end - begin;
	uint64_t	pos = end;
	int			first = 1;
	int			rc;

	for (unsigned level = 0; level < 64 && size != 0; level++)
	{
		if (!(size >> level & 1))
			continue;
		size &= ~(UINT64_C(1) << level);
		pos -= UINT64_C(1) << level;
		if (first)
		{
			rc = perfect_hash(fn, ctx, level, pos, out);
			first = 0;
		}
		else
		{
			rc = perfect_hash(fn, ctx, level, pos, sub);
			if (rc == 0)
				rc = brop_merkle_node_hash(out, sub, out);
		}
		if (rc != 0)
			return rc;
	}
	return BROP_OK;
}

/* Copy the hashes collected top down into proof, bottom up. */
static void
reverse_into(brop_merkle_hash *proof, const brop_merkle_hash *top_down, size_t n)
{
	for (size_t i = 0; i < n; i++)
		memcpy(proof[i], top_down[n - 1 - i], BROP_MERKLE_HASH_BYTES);
}

int
brop_merkle_inclusion_proof(brop_merkle_hash *proof, size_t *len,
							uint64_t index, uint64_t size,
							brop_merkle_subtree_fn fn, void *ctx)
{
	brop_merkle_hash path[BROP_MERKLE_MAX_PROOF];
	uint64_t	offset = 0,
				n = size,
				m = index;
	size_t		count = 0;
	int			rc;

	if (len != NULL)
		*len = 0;
	if (proof == NULL || len == NULL || fn == NULL || index >= size)
		return BROP_EINVAL;

	/*
	 * PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])       if m < k
	 *               = PATH(m - k, D[k:n]) : MTH(D[0:k])   if m >= k
	 * over the current range [offset, offset + n). Each step at least
	 * halves n, so there are at most 64 steps.
	 */
	while (n > 1)
	{
		unsigned	kl = split_level(n);
		uint64_t	k = UINT64_C(1) << kl;

		if (m < k)
		{
			rc = range_hash(fn, ctx, offset + k, offset + n, path[count]);
			n = k;
		}
		else
		{
			rc = perfect_hash(fn, ctx, kl, offset, path[count]);
			offset += k;
			m -= k;
			n -= k;
		}
		if (rc != 0)
			return rc;
		count++;
	}
	reverse_into(proof, path, count);
	*len = count;
	return BROP_OK;
}

int
brop_merkle_consistency_proof(brop_merkle_hash *proof, size_t *len,
							  uint64_t size1, uint64_t size2,
							  brop_merkle_subtree_fn fn, void *ctx)
{
	brop_merkle_hash path[BROP_MERKLE_MAX_PROOF];
	uint64_t	offset = 0,
				n = size2,
				m = size1;
	int			whole = 1;		/* SUBPROOF's b: the range is the old tree */
	size_t		count = 0;
	int			rc;

	if (len != NULL)
		*len = 0;
	if (proof == NULL || len == NULL || fn == NULL)
		return BROP_EINVAL;
	if (size1 == 0 || size1 > size2 || size2 > MERKLE_MAX_PROOF_TREE)
		return BROP_EINVAL;

	/*
	 * SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])         if m <= k
	 *                      = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]) if m > k
	 * until m == n, which adds MTH(D[n]) unless b. At most 63 steps for
	 * size2 <= 2^63, plus the last hash.
	 */
	while (m != n)
	{
		unsigned	kl = split_level(n);
		uint64_t	k = UINT64_C(1) << kl;

		if (m <= k)
		{
			rc = range_hash(fn, ctx, offset + k, offset + n, path[count]);
			n = k;
		}
		else
		{
			rc = perfect_hash(fn, ctx, kl, offset, path[count]);
			offset += k;
			m -= k;
			n -= k;
			whole = 0;
		}
		if (rc != 0)
			return rc;
		count++;
	}
	if (!whole)
	{
		rc = range_hash(fn, ctx, offset, offset + n, path[count]);
		if (rc != 0)
			return rc;
		count++;
	}
	reverse_into(proof, path, count);
	*len = count;
	return BROP_OK;
}

/* ---- verification --------------------------------------------------------- */

/*
 * The walk shared by RFC 9162's two verification algorithms (2.1.3.2 and
 * 2.1.4.2): fold proof[0..len) into sr, starting from node fn of the tree
 * whose last node is sn; when fr is not NULL, also fold the left siblings
 * into fr (the old root of a consistency proof). A proof of the wrong
 * length gives BROP_EVERIFY.
 */
static int
walk_proof(uint64_t fn, uint64_t sn, const brop_merkle_hash *proof, size_t len,
		   brop_merkle_hash fr, brop_merkle_hash sr)
{
	int			rc;

	for (size_t i = 0; i < len; i++)
	{
		if (sn == 0)
			return BROP_EVERIFY;	/* proof too long */
		if ((fn & 1) || fn == sn)
		{
			rc = fr ? brop_merkle_node_hash(fr, proof[i], fr) : 0;
			if (rc == 0)
				rc = brop_merkle_node_hash(sr, proof[i], sr);
			if (rc != 0)
				return rc;
			/* a left child promoted past levels with no sibling */
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
		{
			rc = brop_merkle_node_hash(sr, sr, proof[i]);
			if (rc != 0)
				return rc;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 ? BROP_OK : BROP_EVERIFY;	/* else: proof too short */
}

int
brop_merkle_inclusion_root(brop_merkle_hash root, uint64_t index, uint64_t size,
						   const brop_merkle_hash leaf_hash, const brop_merkle_hash *proof, size_t len)
{
	if (root == NULL || leaf_hash == NULL || (proof == NULL && len > 0))
		return BROP_EINVAL;
	if (index >= size)
		return BROP_EINVAL;
	memmove(root, leaf_hash, BROP_MERKLE_HASH_BYTES);
	return walk_proof(index, size - 1, proof, len, NULL, root);
}

int
brop_merkle_inclusion_verify(uint64_t index, uint64_t size,
							 const brop_merkle_hash leaf_hash,
							 const brop_merkle_hash *proof, size_t len,
							 const brop_merkle_hash root)
{
	brop_merkle_hash r;
	int			rc;

	if (leaf_hash == NULL || root == NULL || (proof == NULL && len > 0))
		return BROP_EINVAL;
	if (index >= size)
		return BROP_EINVAL;

	rc = brop_merkle_inclusion_root(r, index, size, leaf_hash, proof, len);
	if (rc != 0)
		return rc;
	if (memcmp(r, root, sizeof r) != 0)
		return BROP_EVERIFY;
	return BROP_OK;
}

int
brop_merkle_consistency_verify(uint64_t size1, uint64_t size2,
							   const brop_merkle_hash root1,
							   const brop_merkle_hash root2,
							   const brop_merkle_hash *proof, size_t len)
{
	brop_merkle_hash fr,
				sr;
	uint64_t	fn,
				sn;
	size_t		i;
	int			rc;

	if (root1 == NULL || root2 == NULL || (proof == NULL && len > 0))
		return BROP_EINVAL;
	if (size1 > size2)
		return BROP_EINVAL;
	if (size1 == size2)
		return (len == 0 && memcmp(root1, root2, BROP_MERKLE_HASH_BYTES) == 0) ?
			BROP_OK : BROP_EVERIFY;
	if (size1 == 0)
		return len == 0 ? BROP_OK : BROP_EVERIFY;
	if (len == 0)
		return BROP_EVERIFY;

	/*
	 * If size1 is a power of two the old root is a node of the new tree and
	 * the proof leaves it out: it is then the (virtual) first element.
	 */
	if ((size1 & (size1 - 1)) == 0)
	{
		memcpy(fr, root1, sizeof fr);
		i = 0;
	}
	else
	{
		memcpy(fr, proof[0], sizeof fr);
		i = 1;
	}
	memcpy(sr, fr, sizeof sr);
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1)
	{
		fn >>= 1;
		sn >>= 1;
	}
	rc = walk_proof(fn, sn, proof + i, len - i, fr, sr);
	if (rc != 0)
		return rc;
	if (memcmp(fr, root1, sizeof fr) != 0 || memcmp(sr, root2, sizeof sr) != 0)
		return BROP_EVERIFY;
	return BROP_OK;
}

int
brop_merkle_consistency_old_root(brop_merkle_hash root1, uint64_t size1, uint64_t size2,
								 const brop_merkle_hash root2,
								 const brop_merkle_hash *proof, size_t len)
{
	brop_merkle_hash fr,
				sr;
	uint64_t	fn,
				sn;
	int			rc;

	if (root1 == NULL || root2 == NULL || (proof == NULL && len > 0))
		return BROP_EINVAL;
	if (size1 == 0 || size1 >= size2 || size2 > (UINT64_C(1) << 63))
		return BROP_EINVAL;
	if (len == 0)
		return BROP_EVERIFY;

	/*
	 * The first hash is the smaller tree's root (a power of two) or the
	 * hash the walk starts from (otherwise), as in 2.1.4.2.
	 */
	memcpy(fr, proof[0], sizeof fr);
	memcpy(sr, fr, sizeof sr);
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1)
	{
		fn >>= 1;
		sn >>= 1;
	}
	rc = walk_proof(fn, sn, proof + 1, len - 1, fr, sr);
	if (rc != 0)
		return rc;
	if (memcmp(sr, root2, sizeof sr) != 0)
		return BROP_EVERIFY;
	memcpy(root1, fr, sizeof fr);
	return BROP_OK;
}
