/*
 * test_merkle_tile.c — the tiled Merkle log (brop_merkle_tile.h): the tiles
 * and roots of every tree of 0..1000 leaves against a naive tree of node
 * hashes; resumption from stored tiles at many sizes and in batches; every
 * perfect subtree, range roots and proofs read from tiles; the roots of the
 * eight leaves of transparency-dev/merkle; and the calls that are refused.
 */
#include <stdint.h>
#include <stdlib.h>

#include "brop_merkle.h"
#include "brop_merkle_tile.h"
#include "unit.h"

#define HB BROP_MERKLE_HASH_BYTES
#define TW BROP_MERKLE_TILE_WIDTH
#define MAXN 1000
#define NHEIGHTS 10				/* every perfect subtree of <= 1023 leaves */
#define TL 3					/* tile levels of a tree below 4096 leaves */
#define TI 64					/* tiles per level of a tree of <= 1024 leaves */

#include "merkle_vectors.h"

/* ---- the naive tree ------------------------------------------------------ */

static brop_merkle_hash leaves[MAXN];	/* leaf hash of the 8-byte index */
static brop_merkle_hash nodes[NHEIGHTS][MAXN];	/* [h][i]: leaves [i 2^h, (i + 1) 2^h) */
static brop_merkle_hash roots[MAXN + 1];	/* roots[n]: the first n leaves */

static void
fixture(void)
{
	static int	done;
	brop_merkle_builder b;

	if (done)
		return;
	for (uint64_t i = 0; i < MAXN; i++)
	{
		unsigned char in[8];

		for (int k = 0; k < 8; k++)
			in[k] = (unsigned char) (i >> (8 * k));
		CHECK_OK(brop_merkle_leaf_hash(leaves[i], in, sizeof in));
		memcpy(nodes[0][i], leaves[i], HB);
	}
	/* MTH of 2^h leaves splits them in halves (RFC 9162 section 2.1.1) */
	for (unsigned h = 1; h < NHEIGHTS; h++)
		for (uint64_t i = 0; (i + 1) << h <= MAXN; i++)
			CHECK_OK(brop_merkle_node_hash(nodes[h][i], nodes[h - 1][2 * i], nodes[h - 1][2 * i + 1]));
	brop_merkle_builder_init(&b);
	for (uint64_t n = 0; n <= MAXN; n++)
	{
		CHECK_OK(brop_merkle_builder_root(&b, roots[n]));
		if (n < MAXN)
			CHECK_OK(brop_merkle_builder_append(&b, leaves[n]));
	}
	done = 1;
}

/* ---- an in-memory tile store --------------------------------------------- */

typedef struct
{
	unsigned	count[TL][TI];	/* 0: no tile */
	brop_merkle_hash h[TL][TI][TW];
	int			emits;
	int			bad;			/* an emit out of range, or shrinking or changing a tile */
	int			fail;			/* when not 0, emit returns it and stores nothing */
} tiles;

static tiles *
tiles_new(void)
{
	tiles	   *s = calloc(1, sizeof *s);

	if (s == NULL)
	{
		fprintf(stderr, "unit: out of memory\n");
		exit(2);
	}
	return s;
}

/* dst = src, copying only the hashes of stored tiles */
static void
tiles_copy(tiles *dst, const tiles *src)
{
	memcpy(dst->count, src->count, sizeof dst->count);
	for (unsigned l = 0; l < TL; l++)
		for (unsigned i = 0; i < TI; i++)
			memcpy(dst->h[l][i], src->h[l][i], (size_t) src->count[l][i] * HB);
	dst->emits = 0;
	dst->bad = src->bad;
	dst->fail = 0;
}

static int
emit_fn(void *ctx, unsigned level, uint64_t index, const brop_merkle_hash *hashes, unsigned count)
{
	tiles	   *s = ctx;

	if (s->fail)
		return s->fail;
	s->emits++;
	if (level >= TL || index >= TI || count == 0 || count > TW || hashes == NULL)
	{
		s->bad = 1;
		return BROP_EINTERNAL;
	}
	/* a tile only grows: what is stored is a prefix of its replacement */
	if (count < s->count[level][index] ||
		memcmp(s->h[level][index], hashes, (size_t) s->count[level][index] * HB) != 0)
		s->bad = 1;
	memcpy(s->h[level][index], hashes, (size_t) count * HB);
	s->count[level][index] = count;
	return BROP_OK;
}

/*
 * The store holds exactly the tiles of the tree of size leaves (only its
 * full tiles if full_only), each hash that of the naive tree.
 */
static int
tiles_exact(const tiles *s, uint64_t size, int full_only)
{
	if (s->bad)
		return 0;
	for (unsigned l = 0; l < TL; l++)
	{
		uint64_t	n = size >> (4 * l);	/* nodes of height 4l */

		for (uint64_t i = 0; i < TI; i++)
		{
			uint64_t	want = n > TW * i ? n - TW * i : 0;

			if (want > TW)
				want = TW;
			if (full_only && want < TW)
				want = 0;
			if (s->count[l][i] != want)
				return 0;
			for (uint64_t j = 0; j < want; j++)
				if (memcmp(s->h[l][i][j], nodes[4 * l][TW * i + j], HB) != 0)
					return 0;
		}
	}
	return 1;
}

/* A tiler at size, given the edge tiles brop_merkle_tile_edge names. */
static void
resume(brop_merkle_tiler *t, const tiles *s, uint64_t size)
{
	uint64_t	index;
	unsigned	count;

	CHECK_OK(brop_merkle_tiler_init(t, size));
	for (unsigned l = 0; l < BROP_MERKLE_TILE_LEVELS; l++)
	{
		if (!brop_merkle_tile_edge(size, l, &index, &count))
			continue;
		CHECK(l < TL && index < TI && s->count[l][index] == count);
		if (l < TL && index < TI)
			CHECK_OK(brop_merkle_tiler_load(t, l, index, s->h[l][index], count));
	}
}

static void
append_range(brop_merkle_tiler *t, tiles *s, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		CHECK_OK(brop_merkle_tiler_append(t, leaves[i], emit_fn, s));
}

/* s = the tiles of a straight build to size, flushed */
static void
build(tiles *s, uint64_t size)
{
	brop_merkle_tiler t;

	memset(s, 0, sizeof *s);
	CHECK_OK(brop_merkle_tiler_init(&t, 0));
	append_range(&t, s, 0, size);
	CHECK_OK(brop_merkle_tiler_flush(&t, emit_fn, s));
}

static int
root_is(const brop_merkle_tiler *t, uint64_t size)
{
	brop_merkle_hash r;

	return brop_merkle_tiler_root(t, r) == 0 && memcmp(r, roots[size], HB) == 0;
}

/* a brop_merkle_subtree_fn reading the store; fails for a missing node */
static int
tile_fn(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	const tiles *s = ctx;
	unsigned	tl,
				off,
				width;
	uint64_t	ti;
	int			rc;

	rc = brop_merkle_tile_locate(level, index, &tl, &ti, &off, &width);
	if (rc != 0)
		return rc;
	if (tl >= TL || ti >= TI || off + width > s->count[tl][ti])
		return BROP_EINTERNAL;
	return brop_merkle_tile_subtree(out, &s->h[tl][ti][off], width);
}

/* a brop_merkle_subtree_fn reading the naive tree */
static int
table_fn(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	if (level >= NHEIGHTS || (index + 1) << level > MAXN)
		return BROP_EINTERNAL;
	memcpy(out, nodes[level][index], HB);
	return BROP_OK;
}

/* ---- tiles and roots ----------------------------------------------------- */

TEST(merkle_tile_every_size)
{
	tiles	   *s = tiles_new();
	brop_merkle_tiler t;

	fixture();
	for (uint64_t n = 0; n <= MAXN; n++)
	{
		int			emits;

		memset(s, 0, sizeof *s);
		CHECK_OK(brop_merkle_tiler_init(&t, 0));
		append_range(&t, s, 0, n);
		/* full tiles are emitted as they complete, edge tiles by flush */
		CHECK(tiles_exact(s, n, 1));
		CHECK(root_is(&t, n));
		CHECK_OK(brop_merkle_tiler_flush(&t, emit_fn, s));
		CHECK(tiles_exact(s, n, 0));
		CHECK(root_is(&t, n));
		/* nothing changed since: nothing to emit */
		emits = s->emits;
		CHECK_OK(brop_merkle_tiler_flush(&t, emit_fn, s));
		CHECK(s->emits == emits);
	}
	free(s);
}

TEST(merkle_tile_known_answers)
{
	brop_merkle_tiler t;
	brop_merkle_hash h,
				r;
	unsigned char in[16];

	CHECK_OK(brop_merkle_tiler_init(&t, 0));
	for (int n = 0; n <= 8; n++)
	{
		CHECK_OK(brop_merkle_tiler_root(&t, r));
		CHECK_HEX(r, HB, tv_roots[n]);
		if (n < 8)
		{
			size_t		len = unit_unhex(in, sizeof in, leaf_inputs[n]);

			CHECK_OK(brop_merkle_leaf_hash(h, in, len));
			CHECK_OK(brop_merkle_tiler_append(&t, h, NULL, NULL));
		}
	}
}

TEST(merkle_tile_resume_at_split_points)
{
	tiles	   *sa = tiles_new(),
			   *sr = tiles_new();
	brop_merkle_tiler t;

	fixture();
	for (uint64_t a = 0; a <= 300; a++)
	{
		build(sa, a);
		for (uint64_t b = a; b <= 300; b++)
		{
			if (b - a > 40 && b != 256 && b != 257 && b != 300)
				continue;
			tiles_copy(sr, sa);
			resume(&t, sr, a);
			CHECK(root_is(&t, a));
			append_range(&t, sr, a, b);
			CHECK_OK(brop_merkle_tiler_flush(&t, emit_fn, sr));
			CHECK(tiles_exact(sr, b, 0));
			CHECK(root_is(&t, b));
			if (b == a)
				CHECK(sr->emits == 0);
		}
	}
	free(sa);
	free(sr);
}

TEST(merkle_tile_resume_in_batches)
{
	tiles	   *s = tiles_new();
	brop_merkle_tiler t;

	fixture();
	for (int pass = 0; pass < 2; pass++)
	{
		uint64_t	size = 0;

		memset(s, 0, sizeof *s);
		for (uint64_t k = 0; size < MAXN; k++)
		{
			uint64_t	batch = pass == 0 ? k % 40 + 1 : (k * 17) % 40 + 1;

			if (batch > MAXN - size)
				batch = MAXN - size;
			resume(&t, s, size);
			append_range(&t, s, size, size + batch);
			CHECK_OK(brop_merkle_tiler_flush(&t, emit_fn, s));
			size += batch;
			CHECK(tiles_exact(s, size, 0));
			CHECK(root_is(&t, size));
		}
	}
	free(s);
}

/* ---- reading the tiles --------------------------------------------------- */

TEST(merkle_tile_subtrees_and_proofs)
{
	tiles	   *s = tiles_new();
	brop_merkle_hash h,
				p1[BROP_MERKLE_MAX_PROOF],
				p2[BROP_MERKLE_MAX_PROOF];
	size_t		len1,
				len2;

	fixture();
	for (uint64_t n = 1; n <= 300; n++)
	{
		build(s, n);
		/* every perfect subtree of the tree of n leaves */
		for (unsigned lv = 0; lv < NHEIGHTS; lv++)
			for (uint64_t i = 0; (i + 1) << lv <= n; i++)
			{
				CHECK_OK(tile_fn(s, lv, i, h));
				CHECK_MEM(h, nodes[lv][i], HB);
			}
		/* and only those: the next one to the right is not stored */
		CHECK(tile_fn(s, 0, n, h) == BROP_EINTERNAL);

		for (uint64_t i = 0; i < n; i++)
		{
			if (n > 40 && i % 13 != 0 && i != 1 && i != n / 2 && i + 2 < n)
				continue;
			CHECK_OK(brop_merkle_inclusion_proof(p1, &len1, i, n, tile_fn, s));
			CHECK_OK(brop_merkle_inclusion_proof(p2, &len2, i, n, table_fn, NULL));
			CHECK(len1 == len2 && memcmp(p1, p2, len1 * HB) == 0);
			CHECK_OK(brop_merkle_inclusion_verify(i, n, leaves[i], p1, len1, roots[n]));

			uint64_t	m = i + 1;	/* old size 1..n */

			CHECK_OK(brop_merkle_consistency_proof(p1, &len1, m, n, tile_fn, s));
			CHECK_OK(brop_merkle_consistency_proof(p2, &len2, m, n, table_fn, NULL));
			CHECK(len1 == len2 && memcmp(p1, p2, len1 * HB) == 0);
			CHECK_OK(brop_merkle_consistency_verify(m, n, roots[m], roots[n], p1, len1));
		}
	}
	free(s);
}

TEST(merkle_tile_range_root)
{
	tiles	   *s = tiles_new();
	brop_merkle_tiler t;
	brop_merkle_hash r;

	fixture();
	/* one growing log, flushed after every leaf */
	CHECK_OK(brop_merkle_tiler_init(&t, 0));
	for (uint64_t n = 0; n <= MAXN; n++)
	{
		if (n > 0)
		{
			append_range(&t, s, n - 1, n);
			CHECK_OK(brop_merkle_tiler_flush(&t, emit_fn, s));
		}
		CHECK(tiles_exact(s, n, 0));
		CHECK_OK(brop_merkle_range_root(r, n, tile_fn, s));
		CHECK_MEM(r, roots[n], HB);
	}
	/* errors of the callback come back */
	CHECK_ERR(brop_merkle_range_root(r, MAXN + 1, tile_fn, s), BROP_EINTERNAL);
	CHECK_ERR(brop_merkle_range_root(r, 5, NULL, NULL), BROP_EINVAL);
	CHECK_ERR(brop_merkle_range_root(NULL, 5, tile_fn, s), BROP_EINVAL);
	free(s);
}

TEST(merkle_tile_locate_and_edge)
{
	unsigned	tl,
				off,
				w,
				count;
	uint64_t	ti;

	/* height 5, subtree 3: nodes 6, 7 of height 4, in tile (1, 0) */
	CHECK_OK(brop_merkle_tile_locate(5, 3, &tl, &ti, &off, &w));
	CHECK(tl == 1 && ti == 0 && off == 6 && w == 2);
	/* height 2, subtree 37: leaves 148..151, tile (0, 9) from 4 */
	CHECK_OK(brop_merkle_tile_locate(2, 37, &tl, &ti, &off, &w));
	CHECK(tl == 0 && ti == 9 && off == 4 && w == 4);
	/* height 8, subtree 18: node 18 of height 8 */
	CHECK_OK(brop_merkle_tile_locate(8, 18, &tl, &ti, &off, &w));
	CHECK(tl == 2 && ti == 1 && off == 2 && w == 1);
	/* subtrees that end at 2^64 leaves */
	CHECK_OK(brop_merkle_tile_locate(63, 1, &tl, &ti, &off, &w));
	CHECK(tl == 15 && ti == 0 && off == 8 && w == 8);
	CHECK_OK(brop_merkle_tile_locate(60, 15, &tl, &ti, &off, &w));
	CHECK(tl == 15 && ti == 0 && off == 15 && w == 1);
	CHECK_OK(brop_merkle_tile_locate(0, UINT64_MAX, &tl, &ti, &off, &w));
	CHECK(tl == 0 && ti == UINT64_MAX >> 4 && off == 15 && w == 1);
	/* beyond */
	CHECK_ERR(brop_merkle_tile_locate(64, 0, &tl, &ti, &off, &w), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_locate(63, 2, &tl, &ti, &off, &w), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_locate(61, 8, &tl, &ti, &off, &w), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_locate(1, UINT64_C(1) << 63, &tl, &ti, &off, &w), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_locate(0, 0, NULL, &ti, &off, &w), BROP_EINVAL);

	CHECK(brop_merkle_tile_edge(20, 0, &ti, &count) == 1 && ti == 1 && count == 4);
	CHECK(brop_merkle_tile_edge(20, 1, &ti, &count) == 1 && ti == 0 && count == 1);
	CHECK(brop_merkle_tile_edge(20, 2, &ti, &count) == 0 && count == 0);
	CHECK(brop_merkle_tile_edge(32, 0, &ti, &count) == 0 && ti == 2 && count == 0);
	CHECK(brop_merkle_tile_edge(1000, 1, &ti, &count) == 1 && ti == 3 && count == 14);
	CHECK(brop_merkle_tile_edge(UINT64_MAX, 15, &ti, &count) == 1 && ti == 0 && count == 15);
	CHECK(brop_merkle_tile_edge(UINT64_MAX, 16, &ti, &count) == 0 && count == 0);
}

/* ---- refusals ------------------------------------------------------------ */

TEST(merkle_tile_bad_calls)
{
	tiles	   *s = tiles_new(),
			   *s2 = tiles_new();
	brop_merkle_tiler t;
	brop_merkle_hash h,
				hs[TW] = {{0}};

	fixture();
	CHECK_ERR(brop_merkle_tiler_init(NULL, 0), BROP_EINVAL);

	/* size 20: edge tiles (0, 1) of 4 and (1, 0) of 1 */
	build(s, 20);
	CHECK_OK(brop_merkle_tiler_init(&t, 20));
	CHECK_ERR(brop_merkle_tiler_load(&t, 0, 0, s->h[0][1], 4), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_load(&t, 0, 1, s->h[0][1], 3), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_load(&t, 0, 1, s->h[0][1], 5), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_load(&t, 0, 1, hs, 16), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_load(&t, 1, 0, hs, 0), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_load(&t, 2, 0, hs, 1), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_load(&t, 16, 0, hs, 1), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_load(&t, 0, 1, NULL, 4), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_load(NULL, 0, 1, s->h[0][1], 4), BROP_EINVAL);
	/* nothing loaded: no append, no root */
	CHECK_ERR(brop_merkle_tiler_append(&t, leaves[20], emit_fn, s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_root(&t, h), BROP_EINVAL);
	CHECK(t.size == 20);
	CHECK_OK(brop_merkle_tiler_load(&t, 0, 1, s->h[0][1], 4));
	CHECK_ERR(brop_merkle_tiler_root(&t, h), BROP_EINVAL);	/* (1, 0) still missing */
	CHECK_OK(brop_merkle_tiler_load(&t, 1, 0, s->h[1][0], 1));
	CHECK(root_is(&t, 20));
	CHECK_ERR(brop_merkle_tiler_append(&t, NULL, emit_fn, s), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_append(NULL, leaves[20], emit_fn, s), BROP_EINVAL);

	/* size 31: a leaf fills tile (0, 1) and adds to (1, 0), which must be loaded */
	build(s, 31);
	tiles_copy(s2, s);
	CHECK_OK(brop_merkle_tiler_init(&t, 31));
	CHECK_OK(brop_merkle_tiler_load(&t, 0, 1, s2->h[0][1], 15));
	CHECK_ERR(brop_merkle_tiler_append(&t, leaves[31], emit_fn, s2), BROP_EINVAL);
	CHECK(t.size == 31 && s2->emits == 0);
	CHECK_OK(brop_merkle_tiler_load(&t, 1, 0, s2->h[1][0], 1));
	append_range(&t, s2, 31, 32);
	CHECK_OK(brop_merkle_tiler_flush(&t, emit_fn, s2));
	CHECK(tiles_exact(s2, 32, 0));
	CHECK(root_is(&t, 32));

	/* roots of trees whose edge tiles are not loaded */
	CHECK_OK(brop_merkle_tiler_init(&t, 0));
	CHECK(root_is(&t, 0));
	CHECK_OK(brop_merkle_tiler_init(&t, 16));
	CHECK_ERR(brop_merkle_tiler_root(&t, h), BROP_EINVAL);
	CHECK_OK(brop_merkle_tiler_init(&t, 256));
	CHECK_ERR(brop_merkle_tiler_root(&t, h), BROP_EINVAL);
	CHECK_OK(brop_merkle_tiler_init(&t, UINT64_C(1) << 63));
	CHECK_ERR(brop_merkle_tiler_root(&t, h), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tiler_root(NULL, h), BROP_EINVAL);

	/* widths of tile subtrees */
	CHECK_ERR(brop_merkle_tile_subtree(h, s->h[0][0], 0), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_subtree(h, s->h[0][0], 3), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_subtree(h, s->h[0][0], 17), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_subtree(h, s->h[0][0], 32), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_subtree(h, NULL, 1), BROP_EINVAL);
	CHECK_ERR(brop_merkle_tile_subtree(NULL, s->h[0][0], 1), BROP_EINVAL);
	CHECK_OK(brop_merkle_tile_subtree(h, s->h[0][0] + 5, 1));
	CHECK_MEM(h, leaves[5], HB);
	CHECK_OK(brop_merkle_tile_subtree(h, s->h[0][0], 16));
	CHECK_MEM(h, nodes[4][0], HB);

	/* errors of emit come back from append and flush, which can be retried */
	build(s, 15);
	resume(&t, s, 15);
	s->fail = BROP_ENOMEM;
	CHECK_ERR(brop_merkle_tiler_append(&t, leaves[15], emit_fn, s), BROP_ENOMEM);
	CHECK(t.size == 15);
	s->fail = 0;
	append_range(&t, s, 15, 17);
	CHECK(tiles_exact(s, 17, 1));
	s->fail = BROP_ENOMEM;
	CHECK_ERR(brop_merkle_tiler_flush(&t, emit_fn, s), BROP_ENOMEM);
	s->fail = 0;
	CHECK_OK(brop_merkle_tiler_flush(&t, emit_fn, s));
	CHECK(tiles_exact(s, 17, 0));
	CHECK(root_is(&t, 17));
	free(s);
	free(s2);
}

/* ---- the top of the tree ------------------------------------------------- */

/* a brop_merkle_subtree_fn reading a tiler's edge tiles */
static int
edge_fn(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	const brop_merkle_tiler *t = ctx;
	unsigned	tl,
				off,
				width,
				count;
	uint64_t	ti,
				edge;
	int			rc;

	rc = brop_merkle_tile_locate(level, index, &tl, &ti, &off, &width);
	if (rc != 0)
		return rc;
	if (!brop_merkle_tile_edge(t->size, tl, &edge, &count) || ti != edge || off + width > count)
		return BROP_EINTERNAL;
	return brop_merkle_tile_subtree(out, &t->edge[tl][off], width);
}

typedef struct
{
	int			n;
	unsigned	level[TW];
	uint64_t	index[TW];
	unsigned	count[TW];
} emit_log;

static int
log_fn(void *ctx, unsigned level, uint64_t index, const brop_merkle_hash *hashes, unsigned count)
{
	emit_log   *g = ctx;

	if (g->n < TW)
	{
		g->level[g->n] = level;
		g->index[g->n] = index;
		g->count[g->n] = count;
	}
	g->n++;
	return BROP_OK;
}

/* A tiler at size with made-up edge tiles. */
static void
fake_edges(brop_merkle_tiler *t, uint64_t size)
{
	brop_merkle_hash hs[TW];
	uint64_t	index;
	unsigned	count;

	CHECK_OK(brop_merkle_tiler_init(t, size));
	for (unsigned l = 0; l < BROP_MERKLE_TILE_LEVELS; l++)
	{
		if (!brop_merkle_tile_edge(size, l, &index, &count))
			continue;
		for (unsigned j = 0; j < count; j++)
		{
			unsigned char in[2] = {(unsigned char) l, (unsigned char) j};

			CHECK_OK(brop_merkle_leaf_hash(hs[j], in, sizeof in));
		}
		CHECK_OK(brop_merkle_tiler_load(t, l, index, hs, count));
	}
}

TEST(merkle_tile_huge_sizes)
{
	brop_merkle_tiler t;
	brop_merkle_hash r1,
				r2;
	emit_log	g = {0};

	/* 2^64 - 2^60 - 1 leaves: one leaf fills 15 tiles, up to level 15 */
	fake_edges(&t, UINT64_MAX - (UINT64_C(1) << 60));
	CHECK_OK(brop_merkle_tiler_append(&t, leaves[0], log_fn, &g));
	CHECK(t.size == UINT64_MAX - (UINT64_C(1) << 60) + 1);
	CHECK(g.n == 15);
	for (int l = 0; l < 15 && l < g.n; l++)
		CHECK(g.level[l] == (unsigned) l && g.count[l] == 16 &&
			  g.index[l] == (UINT64_MAX - (UINT64_C(1) << 60)) >> (4 * l + 4));
	CHECK_OK(brop_merkle_tiler_root(&t, r1));
	CHECK_OK(brop_merkle_range_root(r2, t.size, edge_fn, &t));
	CHECK_MEM(r1, r2, HB);

	/* 2^64 - 2 leaves: every level has an edge tile, the last append */
	fake_edges(&t, UINT64_MAX - 1);
	CHECK_OK(brop_merkle_tiler_root(&t, r1));
	CHECK_OK(brop_merkle_range_root(r2, t.size, edge_fn, &t));
	CHECK_MEM(r1, r2, HB);
	g.n = 0;
	CHECK_OK(brop_merkle_tiler_append(&t, leaves[0], log_fn, &g));
	CHECK(t.size == UINT64_MAX && g.n == 0);
	CHECK_OK(brop_merkle_tiler_root(&t, r1));
	CHECK_OK(brop_merkle_range_root(r2, t.size, edge_fn, &t));
	CHECK_MEM(r1, r2, HB);
	CHECK_ERR(brop_merkle_tiler_append(&t, leaves[1], log_fn, &g), BROP_EOVERFLOW);
	CHECK(t.size == UINT64_MAX);
}
