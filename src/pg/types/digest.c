/*
 * digest.c — the brop.digest type (a 32-byte hash) and the hash functions.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "types/types.h"

#define DatumGetDigestP(d) ((unsigned char *) DatumGetPointer(d))
#define PG_GETARG_DIGEST_P(n) DatumGetDigestP(PG_GETARG_DATUM(n))
#define PG_RETURN_DIGEST_P(p) PG_RETURN_POINTER(p)

static inline unsigned char *
digest_alloc(void)
{
	return (unsigned char *) palloc(BROP_DIGEST_BYTES);
}

PG_FUNCTION_INFO_V1(digest_in);
Datum
digest_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	unsigned char *d = digest_alloc();
	size_t		len = strlen(str);
	size_t		n;
	int			rc;

	if (len != BROP_HEX_ENCODED_LEN(BROP_DIGEST_BYTES))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type brop.digest: \"%s\"", brop_pg_quote(str, len)),
				 errdetail("A digest is 64 hexadecimal digits, not %d characters.",
						   pg_mbstrlen_with_len(str, (int) len))));
	rc = brop_hex_decode(d, BROP_DIGEST_BYTES, &n, str, len);
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type brop.digest: \"%s\"", brop_pg_quote(str, len)),
				 errdetail("A digest is 64 hexadecimal digits.")));
	PG_RETURN_DIGEST_P(d);
}

PG_FUNCTION_INFO_V1(digest_out);
Datum
digest_out(PG_FUNCTION_ARGS)
{
	unsigned char *d = PG_GETARG_DIGEST_P(0);
	char	   *out = palloc(BROP_HEX_ENCODED_LEN(BROP_DIGEST_BYTES) + 1);
	size_t		n;

	brop_pg_check(brop_hex_encode(out, BROP_HEX_ENCODED_LEN(BROP_DIGEST_BYTES), &n,
								  d, BROP_DIGEST_BYTES), "digest");
	out[n] = '\0';
	PG_RETURN_CSTRING(out);
}

PG_FUNCTION_INFO_V1(digest_recv);
Datum
digest_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	unsigned char *d = digest_alloc();

	if (buf->len - buf->cursor != BROP_DIGEST_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary brop.digest length %d", buf->len - buf->cursor)));
	pq_copymsgbytes(buf, (char *) d, BROP_DIGEST_BYTES);
	PG_RETURN_DIGEST_P(d);
}

PG_FUNCTION_INFO_V1(digest_send);
Datum
digest_send(PG_FUNCTION_ARGS)
{
	unsigned char *d = PG_GETARG_DIGEST_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) d, BROP_DIGEST_BYTES);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---- comparison (bytewise; digests have no other order) ------------------ */

static inline int
digest_cmp_internal(PG_FUNCTION_ARGS)
{
	return memcmp(PG_GETARG_DIGEST_P(0), PG_GETARG_DIGEST_P(1), BROP_DIGEST_BYTES);
}

BROP_COMPARISON_FUNCTIONS(digest, digest_cmp_internal)

PG_FUNCTION_INFO_V1(digest_hash);
Datum
digest_hash(PG_FUNCTION_ARGS)
{
	return hash_any(PG_GETARG_DIGEST_P(0), BROP_DIGEST_BYTES);
}

PG_FUNCTION_INFO_V1(digest_hash_extended);
Datum
digest_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended(PG_GETARG_DIGEST_P(0), BROP_DIGEST_BYTES, PG_GETARG_INT64(1));
}

/* ---- casts --------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(digest_from_bytea);
Datum
digest_from_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	unsigned char *d;

	if (VARSIZE_ANY_EXHDR(b) != BROP_DIGEST_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid digest length: %zu bytes", (size_t) VARSIZE_ANY_EXHDR(b)),
				 errdetail("A brop.digest is exactly 32 bytes.")));
	d = digest_alloc();
	memcpy(d, VARDATA_ANY(b), BROP_DIGEST_BYTES);
	PG_FREE_IF_COPY(b, 0);
	PG_RETURN_DIGEST_P(d);
}

PG_FUNCTION_INFO_V1(digest_to_bytea);
Datum
digest_to_bytea(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(brop_pg_bytea_from(PG_GETARG_DIGEST_P(0), BROP_DIGEST_BYTES));
}

/* ---- hash functions ------------------------------------------------------ */

/*
 * Inputs of up to 1 GB are hashed in steps of 4 MiB, brop_pg_cancel asked
 * between them (the core holds no memory: a cancel is raised at once).
 */
static void
check_hashed(int rc, const char *what)
{
	if (rc == BROP_ECANCELED)
		brop_pg_raise_cancel();
	brop_pg_check(rc, what);
}

PG_FUNCTION_INFO_V1(brop_sha256_bytea);
Datum
brop_sha256_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	unsigned char *d = digest_alloc();

	check_hashed(brop_sha256_cancellable(d, (unsigned char *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data),
										 &brop_pg_cancel),
				 "sha256 input");
	PG_FREE_IF_COPY(data, 0);
	PG_RETURN_DIGEST_P(d);
}

PG_FUNCTION_INFO_V1(brop_sha512_bytea);
Datum
brop_sha512_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + BROP_SHA512_BYTES);

	SET_VARSIZE(out, VARHDRSZ + BROP_SHA512_BYTES);
	check_hashed(brop_sha512_cancellable((unsigned char *) VARDATA(out),
										 (unsigned char *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data),
										 &brop_pg_cancel),
				 "sha512 input");
	PG_FREE_IF_COPY(data, 0);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(brop_hmac_sha256_bytea);
Datum
brop_hmac_sha256_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	bytea	   *key = PG_GETARG_BYTEA_PP(1);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + BROP_HMAC_SHA256_BYTES);

	SET_VARSIZE(out, VARHDRSZ + BROP_HMAC_SHA256_BYTES);
	check_hashed(brop_hmac_sha256_cancellable((unsigned char *) VARDATA(out),
											  (unsigned char *) VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key),
											  (unsigned char *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data),
											  &brop_pg_cancel),
				 "hmac input");
	PG_FREE_IF_COPY(data, 0);
	PG_FREE_IF_COPY(key, 1);
	PG_RETURN_BYTEA_P(out);
}
