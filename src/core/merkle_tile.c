/*
 * merkle_tile.c — an RFC 9162 Merkle log stored as tiles of height 4
 * (brop_merkle_tile.h): where a perfect subtree lives, and appending to a
 * tiled log while keeping only its edge tiles in memory.
 *
 * The tiler keeps, for each level t, the (size >> 4t) & 15 hashes of the
 * edge tile. A leaf is pushed into level 0; a level whose tile fills up
 * passes it to emit and pushes the tile's root into the level above (a
 * carry, like brop_merkle_builder_append's). Slot 15 of an edge tile never
 * holds a stored hash (a tile with 16 is full and no longer the edge), so
 * the carry writes its sixteenth hash there and the tiler changes nothing
 * else until every emit has succeeded: a failed append leaves it as it was.
 *
 * The root folds the perfect subtrees of the binary decomposition of size,
 * the smallest (rightmost) first. The subtree of height 4t + r, for bit r of
 * c = (size >> 4t) & 15, is the 2^r hashes of the edge tile of level t from
 * c & ~(2^(r+1) - 1) on.
 */
#include <string.h>

#include "brop_merkle_tile.h"

#define TILE_MASK (BROP_MERKLE_TILE_WIDTH - 1)

/* Number of hashes in the edge tile of level t (t < 16). */
static unsigned
edge_count(uint64_t size, unsigned t)
{
	return (unsigned) (size >> (BROP_MERKLE_TILE_HEIGHT * t)) & TILE_MASK;
}

/* Index of the edge tile of level t (t < 16). */
static uint64_t
edge_index(uint64_t size, unsigned t)
{
	return (size >> (BROP_MERKLE_TILE_HEIGHT * t)) >> BROP_MERKLE_TILE_HEIGHT;
}

int
brop_merkle_tile_locate(unsigned level, uint64_t index,
						unsigned *tile_level, uint64_t *tile_index,
						unsigned *offset, unsigned *width)
{
	unsigned	r;
	uint64_t	node;

	if (tile_level == NULL || tile_index == NULL || offset == NULL || width == NULL)
		return BROP_EINVAL;
	/* the subtree covers [index * 2^level, (index + 1) * 2^level) */
	if (level >= 64 || index > (UINT64_MAX >> level))
		return BROP_EINVAL;
	r = level % BROP_MERKLE_TILE_HEIGHT;
	node = index << r;			/* its first node at height 4t: fits */
	*tile_level = level / BROP_MERKLE_TILE_HEIGHT;
	*tile_index = node >> BROP_MERKLE_TILE_HEIGHT;
	*offset = (unsigned) (node & TILE_MASK);
	*width = 1u << r;
	return BROP_OK;
}

int
brop_merkle_tile_subtree(brop_merkle_hash out, const brop_merkle_hash *hashes, unsigned width)
{
	if (out == NULL || hashes == NULL)
		return BROP_EINVAL;
	if (width == 0 || width > BROP_MERKLE_TILE_WIDTH || (width & (width - 1)) != 0)
		return BROP_EINVAL;
	/* the RFC 9162 root of a power of two of hashes is their perfect subtree */
	return brop_merkle_root(out, hashes, width);
}

int
brop_merkle_tile_edge(uint64_t size, unsigned level, uint64_t *index, unsigned *count)
{
	unsigned	c = 0;
	uint64_t	i = 0;

	if (level < BROP_MERKLE_TILE_LEVELS)
	{
		c = edge_count(size, level);
		i = edge_index(size, level);
	}
	if (index != NULL)
		*index = i;
	if (count != NULL)
		*count = c;
	return c > 0;
}

/* ---- the tiler ------------------------------------------------------------ */

int
brop_merkle_tiler_init(brop_merkle_tiler *t, uint64_t size)
{
	if (t == NULL)
		return BROP_EINVAL;
	memset(t, 0, sizeof *t);
	t->size = size;
	/* an empty edge tile is known without loading it */
	for (unsigned l = 0; l < BROP_MERKLE_TILE_LEVELS; l++)
		if (edge_count(size, l) == 0)
			t->loaded |= UINT32_C(1) << l;
	return BROP_OK;
}

int
brop_merkle_tiler_load(brop_merkle_tiler *t, unsigned tile_level, uint64_t tile_index,
					   const brop_merkle_hash *hashes, unsigned count)
{
	uint64_t	index;
	unsigned	want;

	if (t == NULL || hashes == NULL)
		return BROP_EINVAL;
	if (!brop_merkle_tile_edge(t->size, tile_level, &index, &want) ||
		index != tile_index || count != want)
		return BROP_EINVAL;
	memcpy(t->edge[tile_level], hashes, (size_t) count * BROP_MERKLE_HASH_BYTES);
	t->loaded |= UINT32_C(1) << tile_level;
	return BROP_OK;
}

int
brop_merkle_tiler_append(brop_merkle_tiler *t, const brop_merkle_hash leaf_hash,
						 brop_merkle_tile_fn emit, void *ctx)
{
	brop_merkle_hash h;
	unsigned	top = 0;
	int			rc;

	if (t == NULL || leaf_hash == NULL)
		return BROP_EINVAL;
	if (t->size == UINT64_MAX)
		return BROP_EOVERFLOW;

	/*
	 * Levels 0..top take a hash; those below top fill up. Level 15 never
	 * fills below 2^64 leaves, so top < 16.
	 */
	while (edge_count(t->size, top) == TILE_MASK)
		top++;
	for (unsigned l = 0; l <= top; l++)
		if (!(t->loaded >> l & 1))
			return BROP_EINVAL;

	memcpy(h, leaf_hash, sizeof h);
	for (unsigned l = 0; l < top; l++)
	{
		memcpy(t->edge[l][TILE_MASK], h, sizeof h);
		if (emit != NULL)
		{
			rc = emit(ctx, l, edge_index(t->size, l), t->edge[l], BROP_MERKLE_TILE_WIDTH);
			if (rc != 0)
				return rc;
		}
		rc = brop_merkle_root(h, t->edge[l], BROP_MERKLE_TILE_WIDTH);
		if (rc != 0)
			return rc;
	}
	memcpy(t->edge[top][edge_count(t->size, top)], h, sizeof h);
	t->dirty |= UINT32_C(1) << top;	/* the levels below are empty now */
	t->size++;
	return BROP_OK;
}

int
brop_merkle_tiler_flush(brop_merkle_tiler *t, brop_merkle_tile_fn emit, void *ctx)
{
	int			rc;

	if (t == NULL)
		return BROP_EINVAL;
	for (unsigned l = 0; l < BROP_MERKLE_TILE_LEVELS; l++)
	{
		unsigned	count = edge_count(t->size, l);

		if (!(t->dirty >> l & 1))
			continue;
		if (count > 0 && emit != NULL)
		{
			rc = emit(ctx, l, edge_index(t->size, l), t->edge[l], count);
			if (rc != 0)
				return rc;		/* this level and those above stay dirty */
		}
		t->dirty &= ~(UINT32_C(1) << l);
	}
	return BROP_OK;
}

/* The perfect subtrees of the tiler's tree, which all lie in its edge tiles. */
static int
edge_subtree(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	const brop_merkle_tiler *t = ctx;
	unsigned	r = level % BROP_MERKLE_TILE_HEIGHT;

	return brop_merkle_tile_subtree(out, &t->edge[level / BROP_MERKLE_TILE_HEIGHT]
									[(index << r) & TILE_MASK], 1u << r);
}

int
brop_merkle_tiler_root(const brop_merkle_tiler *t, brop_merkle_hash out)
{
	if (t == NULL || out == NULL)
		return BROP_EINVAL;
	for (unsigned l = 0; l < BROP_MERKLE_TILE_LEVELS; l++)
		if (edge_count(t->size, l) > 0 && !(t->loaded >> l & 1))
			return BROP_EINVAL;
	return brop_merkle_range_root(out, t->size, edge_subtree, (void *) t);
}

int
brop_merkle_range_root(brop_merkle_hash out, uint64_t size,
					   brop_merkle_subtree_fn fn, void *ctx)
{
	brop_merkle_hash sub;
	uint64_t	pos = size;
	int			first = 1;
	int			rc;

	if (out == NULL || fn == NULL)
		return BROP_EINVAL;
	if (size == 0)
		return brop_merkle_root(out, NULL, 0);
	for (unsigned level = 0; level < 64; level++)
	{
		if (!(size >> level & 1))
			continue;
		pos -= UINT64_C(1) << level;
		rc = fn(ctx, level, pos >> level, first ? out : sub);
		if (rc == 0 && !first)
			rc = brop_merkle_node_hash(out, sub, out);
		if (rc != 0)
			return rc;
		first = 0;
	}
	return BROP_OK;
}
