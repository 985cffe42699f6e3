/*
 * proof.c — the brop.proof type (an RFC 9162 inclusion or consistency proof
 * with readable text I/O), proofs over arrays of leaf hashes, and their
 * verification.
 *
 * Text form (docs/formats.md):
 *   inclusion(INDEX, SIZE) [HASH, HASH, ...]
 *   consistency(OLD_SIZE, NEW_SIZE) [HASH, ...]
 * with hashes as 64 hex digits. On disk: kind (1 byte), hash count (1 byte),
 * two 8-byte integers, then the hashes.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "types/types.h"

#define PROOF_INCLUSION BROP_PROOF_INCLUSION
#define PROOF_CONSISTENCY BROP_PROOF_CONSISTENCY
#define PROOF_HEADER 18

typedef struct proof_value
{
	int			kind;
	uint64		a;				/* index, or old size */
	uint64		b;				/* size, or new size */
	int			n;
	brop_merkle_hash hashes[BROP_MERKLE_MAX_PROOF];
} proof_value;

static bytea *
proof_pack(const proof_value *p)
{
	size_t		len = PROOF_HEADER + (size_t) p->n * BROP_MERKLE_HASH_BYTES;
	bytea	   *out = (bytea *) palloc(VARHDRSZ + len);
	unsigned char *d = (unsigned char *) VARDATA(out);

	SET_VARSIZE(out, VARHDRSZ + len);
	d[0] = (unsigned char) p->kind;
	d[1] = (unsigned char) p->n;
	memcpy(d + 2, &p->a, 8);
	memcpy(d + 10, &p->b, 8);
	memcpy(d + PROOF_HEADER, p->hashes, (size_t) p->n * BROP_MERKLE_HASH_BYTES);
	return out;
}

bytea *
brop_proof_make(brop_merkle_proof_kind kind, uint64 a, uint64 b, const brop_merkle_hash *hashes, size_t n)
{
	proof_value p;

	Assert(n <= BROP_MERKLE_MAX_PROOF);
	p.kind = kind;
	p.a = a;
	p.b = b;
	p.n = (int) n;
	memcpy(p.hashes, hashes, n * BROP_MERKLE_HASH_BYTES);
	return proof_pack(&p);
}

static void
proof_unpack(Datum datum, proof_value *p)
{
	bytea	   *v = DatumGetByteaPP(datum);
	const unsigned char *d = (unsigned char *) VARDATA_ANY(v);
	size_t		len = VARSIZE_ANY_EXHDR(v);

	if (len < PROOF_HEADER || (d[0] != PROOF_INCLUSION && d[0] != PROOF_CONSISTENCY) ||
		d[1] > BROP_MERKLE_MAX_PROOF || len != PROOF_HEADER + (size_t) d[1] * BROP_MERKLE_HASH_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted brop.proof value")));
	p->kind = d[0];
	p->n = d[1];
	memcpy(&p->a, d + 2, 8);
	memcpy(&p->b, d + 10, 8);
	memcpy(p->hashes, d + PROOF_HEADER, (size_t) p->n * BROP_MERKLE_HASH_BYTES);
}

void
brop_proof_get(Datum d, brop_merkle_proof *out)
{
	proof_value p;

	proof_unpack(d, &p);
	out->kind = p.kind;
	out->a = p.a;
	out->b = p.b;
	out->n = (size_t) p.n;
	memcpy(out->hashes, p.hashes, (size_t) p.n * BROP_MERKLE_HASH_BYTES);
}

PG_FUNCTION_INFO_V1(proof_in);
Datum
proof_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	brop_merkle_proof core;
	proof_value p;
	int			rc;

	rc = brop_merkle_proof_parse(&core, str, strlen(str));
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type brop.proof: \"%s\"", brop_pg_quote_cstring(str)),
				 rc == BROP_EINVAL ?
				 errdetail(core.kind == BROP_PROOF_INCLUSION
						   ? "The index must be below the tree size."
						   : "The old size must not exceed the new size.") :
				 rc == BROP_ELENGTH ?
				 errdetail("Hashes are 64 hexadecimal digits, at most %d of them.", BROP_MERKLE_MAX_PROOF) :
				 errhint("A proof reads \"inclusion(INDEX, SIZE) [HASH, ...]\" or \"consistency(OLD_SIZE, NEW_SIZE) [HASH, ...]\".")));
	p.kind = core.kind;
	p.a = core.a;
	p.b = core.b;
	p.n = (int) core.n;
	memcpy(p.hashes, core.hashes, core.n * BROP_MERKLE_HASH_BYTES);
	PG_RETURN_BYTEA_P(proof_pack(&p));
}

PG_FUNCTION_INFO_V1(proof_out);
Datum
proof_out(PG_FUNCTION_ARGS)
{
	proof_value p;
	brop_merkle_proof core;
	char	   *out = palloc(BROP_MERKLE_PROOF_TEXT_MAX + 1);
	size_t		n;

	proof_unpack(PG_GETARG_DATUM(0), &p);
	core.kind = (brop_merkle_proof_kind) p.kind;
	core.a = p.a;
	core.b = p.b;
	core.n = p.n;
	memcpy(core.hashes, p.hashes, (size_t) p.n * BROP_MERKLE_HASH_BYTES);
	brop_pg_check(brop_merkle_proof_format(out, BROP_MERKLE_PROOF_TEXT_MAX + 1, &n, &core), "proof");
	PG_RETURN_CSTRING(out);
}

/* Binary form: kind, count, the two integers in network order, the hashes. */
PG_FUNCTION_INFO_V1(proof_send);
Datum
proof_send(PG_FUNCTION_ARGS)
{
	proof_value p;
	StringInfoData buf;

	proof_unpack(PG_GETARG_DATUM(0), &p);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, (uint8) p.kind);
	pq_sendbyte(&buf, (uint8) p.n);
	pq_sendint64(&buf, (int64) p.a);
	pq_sendint64(&buf, (int64) p.b);
	pq_sendbytes(&buf, (char *) p.hashes, p.n * BROP_MERKLE_HASH_BYTES);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(proof_recv);
Datum
proof_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	proof_value p;

	memset(&p, 0, sizeof p);
	p.kind = pq_getmsgbyte(buf);
	p.n = pq_getmsgbyte(buf);
	p.a = (uint64) pq_getmsgint64(buf);
	p.b = (uint64) pq_getmsgint64(buf);
	if ((p.kind != PROOF_INCLUSION && p.kind != PROOF_CONSISTENCY) || p.n > BROP_MERKLE_MAX_PROOF ||
		buf->len - buf->cursor != p.n * BROP_MERKLE_HASH_BYTES || p.b > (uint64) PG_INT64_MAX ||
		(p.kind == PROOF_INCLUSION ? p.a >= p.b : p.a > p.b))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary brop.proof value")));
	pq_copymsgbytes(buf, (char *) p.hashes, p.n * BROP_MERKLE_HASH_BYTES);
	PG_RETURN_BYTEA_P(proof_pack(&p));
}

/* ---- proofs over an array of leaf hashes ----------------------------------- */

typedef struct
{
	const brop_merkle_hash *leaves;
	uint64		n;
} array_tree;

/* Leaves hashed between two checks for interrupts (a few milliseconds). */
#define LEAVES_PER_CHECK 65536

/*
 * The perfect subtree (level, index) of the leaves: O(2^level) hashes, in
 * steps of LEAVES_PER_CHECK (a proof over n leaves hashes about n in all).
 * The builder holds no memory, so the interrupt may jump out.
 */
static int
array_subtree(void *ctx, unsigned level, uint64_t index, brop_merkle_hash out)
{
	array_tree *t = ctx;
	uint64		width = (uint64) 1 << level;
	const brop_merkle_hash *leaves;
	brop_merkle_builder b;
	int			rc;

	if (level >= 63 || index >= t->n / width || (index + 1) * width > t->n)
		return BROP_EINVAL;
	leaves = t->leaves + index * width;
	brop_merkle_builder_init(&b);
	for (uint64 i = 0; i < width; i++)
	{
		if (i % LEAVES_PER_CHECK == LEAVES_PER_CHECK - 1)
			CHECK_FOR_INTERRUPTS();
		rc = brop_merkle_builder_append(&b, leaves[i]);
		if (rc != 0)
			return rc;
	}
	return brop_merkle_builder_root(&b, out);
}

static void
leaves_from_array(ArrayType *arr, array_tree *t)
{
	if (ARR_ELEMTYPE(arr) == InvalidOid || ARR_NDIM(arr) > 1 || array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leaf hashes must be a one-dimensional array without nulls")));
	t->n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	/* brop.digest is fixed-length, char-aligned: the elements are contiguous */
	t->leaves = (const brop_merkle_hash *) ARR_DATA_PTR(arr);
}

/* brop.merkle_inclusion_proof(leaf_hashes brop.digest[], index bigint) */
PG_FUNCTION_INFO_V1(brop_merkle_inclusion_proof_fn);
Datum
brop_merkle_inclusion_proof_fn(PG_FUNCTION_ARGS)
{
	array_tree	t;
	int64		index = PG_GETARG_INT64(1);
	proof_value p;
	size_t		n;

	leaves_from_array(PG_GETARG_ARRAYTYPE_P(0), &t);
	if (index < 0 || (uint64) index >= t.n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leaf index " INT64_FORMAT " is out of range for a tree of " UINT64_FORMAT " leaves",
						index, t.n)));
	memset(&p, 0, sizeof p);
	p.kind = PROOF_INCLUSION;
	p.a = (uint64) index;
	p.b = t.n;
	brop_pg_check(brop_merkle_inclusion_proof(p.hashes, &n, p.a, p.b, array_subtree, &t), "proof");
	p.n = (int) n;
	PG_RETURN_BYTEA_P(proof_pack(&p));
}

/* brop.merkle_consistency_proof(leaf_hashes brop.digest[], old_size bigint) */
PG_FUNCTION_INFO_V1(brop_merkle_consistency_proof_fn);
Datum
brop_merkle_consistency_proof_fn(PG_FUNCTION_ARGS)
{
	array_tree	t;
	int64		old_size = PG_GETARG_INT64(1);
	proof_value p;
	size_t		n;

	leaves_from_array(PG_GETARG_ARRAYTYPE_P(0), &t);
	if (old_size < 1 || (uint64) old_size > t.n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("old tree size " INT64_FORMAT " is out of range for a tree of " UINT64_FORMAT " leaves",
						old_size, t.n),
				 errdetail("The old size must be between 1 and the new size.")));
	memset(&p, 0, sizeof p);
	p.kind = PROOF_CONSISTENCY;
	p.a = (uint64) old_size;
	p.b = t.n;
	brop_pg_check(brop_merkle_consistency_proof(p.hashes, &n, p.a, p.b, array_subtree, &t), "proof");
	p.n = (int) n;
	PG_RETURN_BYTEA_P(proof_pack(&p));
}

/* ---- verification ---------------------------------------------------------- */

static void
require_kind(const proof_value *p, int kind)
{
	if (p->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expected %s proof, got %s proof",
						kind == PROOF_INCLUSION ? "an inclusion" : "a consistency",
						p->kind == PROOF_INCLUSION ? "an inclusion" : "a consistency")));
}

/* brop.verify_inclusion(proof, leaf_hash, root) */
PG_FUNCTION_INFO_V1(brop_verify_inclusion_fn);
Datum
brop_verify_inclusion_fn(PG_FUNCTION_ARGS)
{
	proof_value p;
	int			rc;

	proof_unpack(PG_GETARG_DATUM(0), &p);
	require_kind(&p, PROOF_INCLUSION);
	rc = brop_merkle_inclusion_verify(p.a, p.b, (unsigned char *) PG_GETARG_POINTER(1),
									  (const brop_merkle_hash *) p.hashes, p.n,
									  (unsigned char *) PG_GETARG_POINTER(2));
	if (rc != 0 && rc != BROP_EVERIFY)
		brop_pg_error(rc, "inclusion proof", false);
	PG_RETURN_BOOL(rc == 0);
}

/* brop.verify_consistency(proof, old_root, new_root) */
PG_FUNCTION_INFO_V1(brop_verify_consistency_fn);
Datum
brop_verify_consistency_fn(PG_FUNCTION_ARGS)
{
	proof_value p;
	int			rc;

	proof_unpack(PG_GETARG_DATUM(0), &p);
	require_kind(&p, PROOF_CONSISTENCY);
	rc = brop_merkle_consistency_verify(p.a, p.b, (unsigned char *) PG_GETARG_POINTER(1),
										(unsigned char *) PG_GETARG_POINTER(2),
										(const brop_merkle_hash *) p.hashes, p.n);
	if (rc != 0 && rc != BROP_EVERIFY)
		brop_pg_error(rc, "consistency proof", false);
	PG_RETURN_BOOL(rc == 0);
}
