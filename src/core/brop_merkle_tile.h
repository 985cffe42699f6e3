/*
 * brop_merkle_tile.h — storing a growing RFC 9162 Merkle log as tiles, so
 * that any perfect subtree hash is one tile read plus at most 7 hashes.
 *
 * A tile of level t and index n holds the hashes of the tree's nodes at
 * height 4t (height 0: the leaf hashes) numbered 16n .. 16n + 15, left to
 * right: the node of height h and number i covers leaves
 * [i * 2^h, (i + 1) * 2^h). A tree of size leaves has size >> 4t nodes at
 * height 4t, so every tile is full (16 hashes) but the rightmost of each
 * level, which holds (size >> 4t) & 15 (the "edge" tile; none when 0).
 * Full tiles never change; an edge tile grows until it is full.
 *
 * (Like C2SP tlog-tiles, with tiles of height 4 instead of 8, so that a tile
 * is 512 bytes and is stored in a table row without TOAST.)
 */
#ifndef BROP_MERKLE_TILE_H
#define BROP_MERKLE_TILE_H

#include <stdint.h>
#include "brop_merkle.h"

#define BROP_MERKLE_TILE_HEIGHT 4
#define BROP_MERKLE_TILE_WIDTH 16	/* 2^BROP_MERKLE_TILE_HEIGHT */
#define BROP_MERKLE_TILE_LEVELS 16	/* 64 / BROP_MERKLE_TILE_HEIGHT */

/*
 * Where the perfect subtree of 2^level leaves starting at leaf
 * index * 2^level lives: in tile (*tile_level, *tile_index), as the
 * *width = 2^(level % 4) hashes from *offset on, whose RFC 9162 root
 * (brop_merkle_tile_subtree) is the subtree's hash.
 * Returns: 0; BROP_EINVAL if level >= 64 or the subtree would end beyond
 * 2^64 leaves.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_tile_locate(unsigned level, uint64_t index,
													unsigned *tile_level, uint64_t *tile_index,
													unsigned *offset, unsigned *width);

/*
 * The hash of width (1, 2, 4 or 8, or 16) consecutive tile hashes taken as
 * the nodes of one perfect subtree: hashes[0] itself for width 1.
 * Returns: 0; BROP_EINVAL if width is not a power of two <= 16.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_tile_subtree(brop_merkle_hash out,
													 const brop_merkle_hash *hashes, unsigned width);

/*
 * The edge tile of level t in a tree of size leaves: *index and *count
 * ((size >> 4t) & 15). Returns 1 if it exists (count > 0), else 0.
 */
int			brop_merkle_tile_edge(uint64_t size, unsigned level, uint64_t *index, unsigned *count);

/*
 * Appending leaves to a tiled log. Start with brop_merkle_tiler_init at the
 * stored size, give it every existing edge tile with
 * brop_merkle_tiler_load, append leaf hashes in order, then flush. Each
 * tile that becomes full is passed to emit as it completes; flush passes
 * the edge tiles that changed. The caller stores what it is given
 * (replacing a stored tile of the same level and index).
 */
typedef int (*brop_merkle_tile_fn) (void *ctx, unsigned tile_level, uint64_t tile_index,
									const brop_merkle_hash *hashes, unsigned count);

typedef struct brop_merkle_tiler
{
	uint64_t	size;			/* leaves */
	uint32_t	loaded;			/* bit t: the edge tile of level t was loaded */
	uint32_t	dirty;			/* bit t: the edge tile of level t changed */
	brop_merkle_hash edge[BROP_MERKLE_TILE_LEVELS][BROP_MERKLE_TILE_WIDTH];
} brop_merkle_tiler;

/* Returns: 0; BROP_EINVAL for a NULL tiler. */
BROP_WARN_UNUSED_RESULT int brop_merkle_tiler_init(brop_merkle_tiler *t, uint64_t size);

/*
 * Give the tiler the stored edge tile of tile_level.
 * Returns: 0; BROP_EINVAL if (tile_level, tile_index, count) is not the
 * edge tile of the tiler's size (brop_merkle_tile_edge), e.g. a stored tile
 * that is too short or too long.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_tiler_load(brop_merkle_tiler *t, unsigned tile_level,
												   uint64_t tile_index,
												   const brop_merkle_hash *hashes, unsigned count);

/*
 * Append one leaf hash; full tiles go to emit (which may be NULL).
 * Returns: 0; BROP_EINVAL if an edge tile the append needs was not loaded;
 * BROP_EOVERFLOW at 2^64 - 1 leaves; errors of emit.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_tiler_append(brop_merkle_tiler *t,
													 const brop_merkle_hash leaf_hash,
													 brop_merkle_tile_fn emit, void *ctx);

/*
 * Pass every changed, non-empty edge tile to emit; clears the changes.
 * Returns: 0; errors of emit.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_tiler_flush(brop_merkle_tiler *t,
													brop_merkle_tile_fn emit, void *ctx);

/*
 * RFC 9162 root of the tiler's tree (SHA-256("") when empty).
 * Returns: 0; BROP_EINVAL if an edge tile it needs was not loaded.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_tiler_root(const brop_merkle_tiler *t, brop_merkle_hash out);

/*
 * RFC 9162 root of the tree of size leaves, from its perfect subtrees
 * (one callback per set bit of size; SHA-256("") for size 0).
 * Returns: 0; errors of fn.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_range_root(brop_merkle_hash out, uint64_t size,
												   brop_merkle_subtree_fn fn, void *ctx);

#endif /* BROP_MERKLE_TILE_H */
