/*
 * row.c — registered rows in SQL: the digest of a disclosed row
 * (docs/formats.md, "Row digests").
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "brop_pg.h"

/* ERROR unless doc is an object of strings and nulls: a row document. */
static void
check_row_document(Jsonb *doc)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!JB_ROOT_IS_OBJECT(doc) || JB_ROOT_IS_SCALAR(doc))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a row document must be a JSON object"),
				 errdetail("It maps each registered column to its text value, or to null.")));
	it = JsonbIteratorInit(&doc->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		if (tok == WJB_VALUE && v.type != jbvString && v.type != jbvNull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a row document's values must be strings or null"),
					 errdetail("Columns are registered by their PostgreSQL text output.")));
}

/* brop.row_digest(document jsonb, salt bytea) RETURNS brop.digest */
PG_FUNCTION_INFO_V1(brop_row_digest_fn);
Datum
brop_row_digest_fn(PG_FUNCTION_ARGS)
{
	Jsonb	   *doc = PG_GETARG_JSONB_P(0);
	bytea	   *salt = PG_GETARG_BYTEA_PP(1);
	unsigned char *out = palloc(BROP_ROW_DIGEST_BYTES);
	StringInfoData buf;

	check_row_document(doc);
	if (VARSIZE_ANY_EXHDR(salt) != BROP_ROW_SALT_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a row salt is %d bytes, not %d", BROP_ROW_SALT_BYTES, (int) VARSIZE_ANY_EXHDR(salt))));
	initStringInfo(&buf);
	brop_pg_jcs_jsonb(&buf, doc);
	brop_pg_check(brop_row_digest(out, (unsigned char *) VARDATA_ANY(salt), buf.data, buf.len), "row digest");
	pfree(buf.data);
	PG_RETURN_POINTER(out);
}
