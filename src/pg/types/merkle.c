/*
 * merkle.c — RFC 9162 hashes for analysts: leaf and node hashes and the
 * aggregate brop.merkle_root(leaf_hash ORDER BY position).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "types/types.h"

static unsigned char *
digest_result(void)
{
	return (unsigned char *) palloc(BROP_DIGEST_BYTES);
}

/* brop.merkle_leaf_hash(bytea) = SHA-256(0x00 || leaf) */
PG_FUNCTION_INFO_V1(brop_merkle_leaf_hash_fn);
Datum
brop_merkle_leaf_hash_fn(PG_FUNCTION_ARGS)
{
	bytea	   *leaf = PG_GETARG_BYTEA_PP(0);
	unsigned char *out = digest_result();

	brop_pg_check(brop_merkle_leaf_hash(out, (unsigned char *) VARDATA_ANY(leaf),
										VARSIZE_ANY_EXHDR(leaf)), "leaf");
	PG_FREE_IF_COPY(leaf, 0);
	PG_RETURN_POINTER(out);
}

/* brop.merkle_node_hash(left digest, right digest) = SHA-256(0x01 || left || right) */
PG_FUNCTION_INFO_V1(brop_merkle_node_hash_fn);
Datum
brop_merkle_node_hash_fn(PG_FUNCTION_ARGS)
{
	unsigned char *out = digest_result();

	brop_pg_check(brop_merkle_node_hash(out, (unsigned char *) PG_GETARG_POINTER(0),
										(unsigned char *) PG_GETARG_POINTER(1)), "node");
	PG_RETURN_POINTER(out);
}

/*
 * Aggregate state: a compact range (one hash per set bit of the count), so
 * memory stays O(log n) and each row costs amortized one node hash.
 */
PG_FUNCTION_INFO_V1(brop_merkle_root_accum);
Datum
brop_merkle_root_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	brop_merkle_builder *b;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "brop_merkle_root_accum called in non-aggregate context");
	if (PG_ARGISNULL(0))
	{
		b = MemoryContextAlloc(aggcontext, sizeof(brop_merkle_builder));
		brop_merkle_builder_init(b);
	}
	else
		b = (brop_merkle_builder *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("merkle_root leaf hash must not be null"),
				 errdetail("A Merkle tree has no place for a missing leaf.")));
	brop_pg_check(brop_merkle_builder_append(b, (unsigned char *) PG_GETARG_POINTER(1)), "leaf hash");
	PG_RETURN_POINTER(b);
}

PG_FUNCTION_INFO_V1(brop_merkle_root_final);
Datum
brop_merkle_root_final(PG_FUNCTION_ARGS)
{
	brop_merkle_builder empty;
	brop_merkle_builder *b;
	unsigned char *out = digest_result();

	if (PG_ARGISNULL(0))
	{
		/* no rows: the root of the empty tree, SHA-256("") */
		brop_merkle_builder_init(&empty);
		b = &empty;
	}
	else
		b = (brop_merkle_builder *) PG_GETARG_POINTER(0);
	brop_pg_check(brop_merkle_builder_root(b, out), "tree");
	PG_RETURN_POINTER(out);
}
