/*
 * jcs.c — brop.jcs(jsonb) and brop.jcs(text): RFC 8785 canonical JSON.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "brop_pg.h"

static text *
canonical_text(const char *json, size_t len)
{
	char	   *out = NULL;
	size_t		outlen = 0;
	brop_json_error err;
	int			rc;
	text	   *result;

	rc = brop_jcs_canonicalize(&out, &outlen, json, len, &brop_palloc_allocator, &err);
	switch (rc)
	{
		case 0:
			break;
		case BROP_EJSON:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_JSON_TEXT),
					 errmsg("invalid JSON for canonicalization: %s", err.message),
					 err.column ? errdetail("At line %zu, column %zu.", err.line, err.column) : 0));
			break;
		case BROP_EDUPKEY:
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_JSON_OBJECT_KEY_VALUE),
					 errmsg("duplicate JSON object key in canonicalization input"),
					 errdetail("The parser reported: %s.", err.message),
					 errhint("RFC 8785 requires unique member names.")));
			break;
		case BROP_ENUMBER:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("JSON number out of range for canonicalization"),
					 errdetail("RFC 8785 numbers must be finite IEEE 754 doubles; %s.", err.message)));
			break;
		default:
			brop_pg_error(rc, "JSON", false);
	}
	result = cstring_to_text_with_len(out, outlen);
	pfree(out);
	return result;
}

PG_FUNCTION_INFO_V1(brop_jcs_text);
Datum
brop_jcs_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TEXT_P(canonical_text(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

PG_FUNCTION_INFO_V1(brop_jcs_jsonb);
Datum
brop_jcs_jsonb(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	(void) JsonbToCString(&buf, &jb->root, VARSIZE(jb));
	PG_RETURN_TEXT_P(canonical_text(buf.data, buf.len));
}
