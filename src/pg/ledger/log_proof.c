/*
 * log_proof.c — inclusion and consistency proofs from the ledger's Merkle
 * log. A proof needs O(log n) subtree hashes; a first, dry walk of the core's
 * proof algorithm names them, one query fetches the tiles holding them, and
 * the second walk makes the proof.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "ledger/ledger.h"

/* enough for any proof: at most 2 subtrees per proof hash, one tile each */
#define MAX_TILES (2 * BROP_MERKLE_MAX_PROOF + 2)

typedef struct tile_set
{
	bool		collecting;
	int			n;
	brop_tile	tiles[MAX_TILES];
} tile_set;

static int
tile_set_subtree(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	tile_set   *s = ctx;
	unsigned	tl,
				offset,
				width;
	uint64_t	ti;
	int			rc;

	if (!s->collecting)
	{
		brop_tiles_subtree(s->tiles, s->n, level, index, out);
		return 0;
	}
	rc = brop_merkle_tile_locate(level, index, &tl, &ti, &offset, &width);
	if (rc != 0)
		return rc;
	memset(out, 0, BROP_MERKLE_HASH_BYTES);
	for (int i = 0; i < s->n; i++)
		if (s->tiles[i].level == tl && s->tiles[i].index == ti)
			return 0;
	if (s->n == MAX_TILES)
		return BROP_EINTERNAL;
	s->tiles[s->n].level = tl;
	s->tiles[s->n].index = ti;
	s->n++;
	return 0;
}

typedef int (*proof_maker) (brop_merkle_hash *proof, size_t *len, uint64_t a, uint64_t b,
							brop_merkle_subtree_fn fn, void *ctx);

/* A proof from the stored tiles: a dry walk names them, one query reads them. */
static size_t
prove_from_tiles(proof_maker make, uint64 a, uint64 b, brop_merkle_hash *proof)
{
	tile_set   *s = palloc(sizeof(tile_set));
	size_t		len;

	s->n = 0;
	s->collecting = true;
	brop_pg_check(make(proof, &len, a, b, tile_set_subtree, s), "proof");
	brop_tiles_fetch(s->tiles, s->n, false);
	s->collecting = false;
	brop_pg_check(make(proof, &len, a, b, tile_set_subtree, s), "proof");
	pfree(s);
	return len;
}

size_t
brop_log_inclusion_proof(uint64 position, uint64 size, brop_merkle_hash *proof)
{
	return prove_from_tiles(brop_merkle_inclusion_proof, position, size, proof);
}

/*
 * A consistency proof in the form proofs of misbehaviour use (the core's
 * brop_merkle_consistency_old_root): RFC 9162's, after the smaller tree's
 * root when its size is a power of two.
 */
static int
fork_proof_maker(brop_merkle_hash *proof, size_t *len, uint64_t a, uint64_t b,
				 brop_merkle_subtree_fn fn, void *ctx)
{
	int			rc;
	unsigned	level = 0;

	if ((a & (a - 1)) != 0)
		return brop_merkle_consistency_proof(proof, len, a, b, fn, ctx);
	while ((UINT64_C(1) << level) < a)
		level++;
	rc = fn(ctx, level, 0, proof[0]);
	if (rc == 0)
		rc = brop_merkle_consistency_proof(proof + 1, len, a, b, fn, ctx);
	if (rc == 0)
		(*len)++;
	return rc;
}

size_t
brop_log_fork_proof(uint64 m, uint64 n, brop_merkle_hash *proof)
{
	return prove_from_tiles(fork_proof_maker, m, n, proof);
}

static SPIPlanPtr latest_plan = NULL;
static SPIPlanPtr position_plan = NULL;
static SPIPlanPtr status_plan = NULL;

/* The size of the log at its latest block (0 before the first). */
static int64
latest_size(void)
{
	bool		isnull;
	Datum		d;

	if (SPI_execute_plan(brop_spi_plan(&latest_plan, "SELECT pg_catalog.max(tree_size) FROM brop.block", 0, NULL),
						 NULL, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.block");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return isnull ? 0 : DatumGetInt64(d);
}

static void
check_size(int64 size, int64 latest, const char *what)
{
	if (size > latest)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s " INT64_FORMAT " is beyond the log's size " INT64_FORMAT, what, size, latest)));
	if (size < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be at least 1, not " INT64_FORMAT, what, size)));
}

/* The log position of a sealed entry; ERROR for any other. */
static int64
entry_position(int64 entry)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(entry);
	bool		isnull;
	char	   *status;

	if (SPI_execute_plan(brop_spi_plan(&position_plan,
									   "SELECT position FROM brop.log_leaf WHERE entry OPERATOR(pg_catalog.=) $1",
									   1, &type), &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.log_leaf");
	if (SPI_processed == 1)
		return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

	if (SPI_execute_plan(brop_spi_plan(&status_plan, "SELECT brop.entry_status($1)", 1, &type),
						 &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the entry's status");
	status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (status == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("entry " INT64_FORMAT " does not exist", entry)));
	if (strcmp(status, "expired") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("entry " INT64_FORMAT " expired before it was sealed", entry),
				 errdetail("It is not in the log and never will be.")));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("entry " INT64_FORMAT " is not sealed yet", entry),
			 errhint("Its proof exists once a block seals it (brop.seal(), or the sealing worker).")));
	return -1;
}

/* brop.inclusion_proof(entry bigint, tree_size bigint DEFAULT NULL) RETURNS brop.proof */
PG_FUNCTION_INFO_V1(brop_inclusion_proof);
Datum
brop_inclusion_proof(PG_FUNCTION_ARGS)
{
	brop_merkle_hash proof[BROP_MERKLE_MAX_PROOF];
	size_t		len;
	int64		position,
				size,
				latest;
	bytea	   *out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	position = entry_position(PG_GETARG_INT64(0));
	latest = latest_size();
	size = PG_ARGISNULL(1) ? latest : PG_GETARG_INT64(1);
	check_size(size, latest, "tree size");
	if (position >= size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry " INT64_FORMAT " is at position " INT64_FORMAT ", outside the tree of "
						INT64_FORMAT " leaves", PG_GETARG_INT64(0), position, size)));

	len = prove_from_tiles(brop_merkle_inclusion_proof, (uint64) position, (uint64) size, proof);
	SPI_finish();
	out = brop_proof_make(BROP_PROOF_INCLUSION, (uint64) position, (uint64) size, proof, len);
	PG_RETURN_BYTEA_P(out);
}

/* brop.consistency_proof(old_size bigint, new_size bigint DEFAULT NULL) RETURNS brop.proof */
PG_FUNCTION_INFO_V1(brop_consistency_proof);
Datum
brop_consistency_proof(PG_FUNCTION_ARGS)
{
	brop_merkle_hash proof[BROP_MERKLE_MAX_PROOF];
	size_t		len;
	int64		old_size,
				new_size,
				latest;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	latest = latest_size();
	old_size = PG_GETARG_INT64(0);
	new_size = PG_ARGISNULL(1) ? latest : PG_GETARG_INT64(1);
	check_size(new_size, latest, "new tree size");
	check_size(old_size, latest, "old tree size");
	if (old_size > new_size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("old tree size " INT64_FORMAT " is larger than new tree size " INT64_FORMAT,
						old_size, new_size)));

	len = prove_from_tiles(brop_merkle_consistency_proof, (uint64) old_size, (uint64) new_size, proof);
	SPI_finish();
	PG_RETURN_BYTEA_P(brop_proof_make(BROP_PROOF_CONSISTENCY, (uint64) old_size, (uint64) new_size,
									  proof, len));
}
