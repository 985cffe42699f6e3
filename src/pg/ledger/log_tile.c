/*
 * log_tile.c — reading the Merkle log's tiles (brop.log_tile; the layout is
 * in brop_merkle_tile.h and docs/formats.md) for proofs and sealing.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "ledger/ledger.h"

static SPIPlanPtr fetch_plan = NULL;

#define FETCH_SQL \
	"SELECT t.level, t.idx, t.hashes FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int2[]), pg_catalog.unnest($2::pg_catalog.int8[])) k(l, i)" \
	" JOIN brop.log_tile t ON t.level OPERATOR(pg_catalog.=) k.l AND t.idx OPERATOR(pg_catalog.=) k.i"

static void
tile_damaged(unsigned level, uint64 index, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("tile (%u, " UINT64_FORMAT ") of the Merkle log is %s", level, index, why),
			 errhint("Run brop.verify_ledger() to find the first bad position.")));
}

void
brop_tiles_fetch(brop_tile *tiles, int n, bool fresh)
{
	Datum	   *levels = palloc(sizeof(Datum) * Max(n, 1));
	Datum	   *indexes = palloc(sizeof(Datum) * Max(n, 1));
	Datum		args[2];
	Oid			types[2] = {INT2ARRAYOID, INT8ARRAYOID};

	for (int i = 0; i < n; i++)
	{
		levels[i] = Int16GetDatum((int16) tiles[i].level);
		indexes[i] = Int64GetDatum((int64) tiles[i].index);
		tiles[i].count = 0;
		tiles[i].damaged = false;
	}
	args[0] = PointerGetDatum(construct_array(levels, n, INT2OID, 2, true, TYPALIGN_SHORT));
	args[1] = PointerGetDatum(construct_array(indexes, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	if (SPI_execute_plan(brop_spi_plan_generic(&fetch_plan, FETCH_SQL, 2, types), args, NULL, !fresh, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the Merkle log's tiles");

	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		unsigned	level = DatumGetInt16(SPI_getbinval(tup, desc, 1, &isnull));
		uint64		index = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
		bytea	   *h = DatumGetByteaPP(SPI_getbinval(tup, desc, 3, &isnull));
		size_t		len = VARSIZE_ANY_EXHDR(h);

		bool		damaged = len == 0 || len % BROP_MERKLE_HASH_BYTES != 0 ||
			len > BROP_MERKLE_TILE_WIDTH * BROP_MERKLE_HASH_BYTES;

		for (int i = 0; i < n; i++)
			if (tiles[i].level == level && tiles[i].index == index)
			{
				tiles[i].damaged = damaged;
				if (damaged)
					continue;
				tiles[i].count = len / BROP_MERKLE_HASH_BYTES;
				memcpy(tiles[i].hashes, VARDATA_ANY(h), len);
			}
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * The tiles a log of size leaves has: at level t (0 .. 15), the indexes
 * 0 .. ((size >> 4t) + 15) / 16 - 1, each holding at least one hash.
 */
#define BEYOND_SEAL_SQL \
	"SELECT k.l, t.idx FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int2[]), pg_catalog.unnest($2::pg_catalog.int8[])) k(l, i)" \
	" CROSS JOIN LATERAL (SELECT t.idx FROM brop.log_tile t WHERE t.level OPERATOR(pg_catalog.=) k.l" \
	"   AND t.idx OPERATOR(pg_catalog.>=) k.i ORDER BY t.idx LIMIT 1) t ORDER BY k.l LIMIT 1"
#define BEYOND_ALL_SQL \
	"SELECT t.level, t.idx FROM brop.log_tile t" \
	" WHERE t.level OPERATOR(pg_catalog.<) 0 OR t.level OPERATOR(pg_catalog.>=) pg_catalog.cardinality($2::pg_catalog.int8[])" \
	"    OR t.idx OPERATOR(pg_catalog.<) 0 OR t.idx OPERATOR(pg_catalog.>=) ($2::pg_catalog.int8[])[t.level OPERATOR(pg_catalog.+) 1]" \
	"    OR $1 IS NULL ORDER BY t.level, t.idx LIMIT 1"

bool
brop_tiles_beyond(uint64 size, bool everywhere, int *level, int64 *index)
{
	static SPIPlanPtr seal_plan = NULL;
	static SPIPlanPtr all_plan = NULL;
	Datum		levels[BROP_MERKLE_TILE_LEVELS];
	Datum		limits[BROP_MERKLE_TILE_LEVELS];
	Datum		args[2];
	Oid			types[2] = {INT2ARRAYOID, INT8ARRAYOID};
	bool		found;
	bool		isnull;

	for (unsigned t = 0; t < BROP_MERKLE_TILE_LEVELS; t++)
	{
		levels[t] = Int16GetDatum((int16) t);
		limits[t] = Int64GetDatum((int64) (((size >> (BROP_MERKLE_TILE_HEIGHT * t)) + BROP_MERKLE_TILE_WIDTH - 1)
										   / BROP_MERKLE_TILE_WIDTH));
	}
	args[0] = PointerGetDatum(construct_array(levels, BROP_MERKLE_TILE_LEVELS, INT2OID, 2, true, TYPALIGN_SHORT));
	args[1] = PointerGetDatum(construct_array(limits, BROP_MERKLE_TILE_LEVELS, INT8OID, 8, FLOAT8PASSBYVAL,
											  TYPALIGN_DOUBLE));
	if (SPI_execute_plan(everywhere ? brop_spi_plan(&all_plan, BEYOND_ALL_SQL, 2, types)
						 : brop_spi_plan(&seal_plan, BEYOND_SEAL_SQL, 2, types),
						 args, NULL, everywhere, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the Merkle log's tiles");
	found = SPI_processed == 1;
	if (found)
	{
		*level = DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		*index = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return found;
}

void
brop_tiles_subtree(const brop_tile *tiles, int n, unsigned level, uint64 index,
				   brop_merkle_hash out)
{
	unsigned	tl,
				offset,
				width;
	uint64		ti;

	brop_pg_check(brop_merkle_tile_locate(level, index, &tl, &ti, &offset, &width), "subtree");
	for (int i = 0; i < n; i++)
		if (tiles[i].level == tl && tiles[i].index == ti)
		{
			if (tiles[i].damaged)
				tile_damaged(tl, ti, "damaged");
			if (offset + width > tiles[i].count)
				tile_damaged(tl, ti, tiles[i].count == 0 ? "missing" : "too short");
			brop_pg_check(brop_merkle_tile_subtree(out, tiles[i].hashes + offset, width), "subtree");
			return;
		}
	elog(ERROR, "tile (%u, " UINT64_FORMAT ") was not fetched", tl, ti);
}
