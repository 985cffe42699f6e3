/*
 * jcs.c — brop.jcs(jsonb) and brop.jcs(text): RFC 8785 canonical JSON.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "types/types.h"

/*
 * Parsing and writing ask brop_pg_cancel: the text may be up to 1 GB, and the
 * jansson tree several times that, in malloc'd memory that an ereport
 * inside the core would leak.
 */
static text *
canonical_text(const char *json, size_t len)
{
	char	   *out = NULL;
	size_t		outlen = 0;
	brop_json_error err;
	int			rc;
	text	   *result;

	/*
	 * The core allocates with malloc (jansson does anyway); nothing in this
	 * function raises an error while that memory is held.
	 */
	rc = brop_jcs_canonicalize_cancellable(&out, &outlen, json, len, NULL, &brop_pg_cancel, &err);
	switch (rc)
	{
		case 0:
			break;
		case BROP_ECANCELED:
			brop_pg_raise_cancel();
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
	/* canonical text can be longer than its input ("1e20" is 21 digits): past a text's limit, an error */
	if (outlen > MaxAllocSize - VARHDRSZ)
	{
		free(out);
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("canonical JSON of %zu bytes exceeds the limit of %zu bytes of a text value",
						outlen, (size_t) (MaxAllocSize - VARHDRSZ))));
	}
	result = palloc_extended(VARHDRSZ + outlen, MCXT_ALLOC_NO_OOM | MCXT_ALLOC_HUGE);
	if (result != NULL)
	{
		SET_VARSIZE(result, VARHDRSZ + outlen);
		memcpy(VARDATA(result), out, outlen);
	}
	free(out);
	if (result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed on request of size %zu for canonical JSON.", outlen)));
	return result;
}

/*
 * The result is text in the database encoding; in a UTF-8 database (the
 * normal case) its bytes are exactly RFC 8785's UTF-8 output.
 */
PG_FUNCTION_INFO_V1(brop_jcs_text);
Datum
brop_jcs_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			len = VARSIZE_ANY_EXHDR(t);
	int			enc = GetDatabaseEncoding();
	char	   *utf8;
	text	   *result;
	char	   *server;

	/* jansson reads UTF-8 (and checks it: SQL_ASCII bytes must be UTF-8) */
	if (enc == PG_UTF8 || enc == PG_SQL_ASCII || len == 0)
		PG_RETURN_TEXT_P(canonical_text(VARDATA_ANY(t), len));

	/* other encodings always convert, so both results are NUL-terminated copies */
	utf8 = (char *) pg_server_to_any(VARDATA_ANY(t), len, PG_UTF8);
	result = canonical_text(utf8, strlen(utf8));
	server = pg_any_to_server(VARDATA(result), VARSIZE(result) - VARHDRSZ, PG_UTF8);
	PG_RETURN_TEXT_P(cstring_to_text(server));
}

/* ---- jsonb: walk the tree directly, no text round trip --------------------- */

typedef struct
{
	const char *key;
	int			keylen;
	JsonbValue	value;
} jcs_member;

static int
member_cmp(const void *a, const void *b)
{
	const jcs_member *x = a,
			   *y = b;

	return brop_jcs_key_compare(x->key, x->keylen, y->key, y->keylen);
}

/* Strings are escaped a megabyte at a time, interrupts checked in between. */
#define JCS_STRING_CHUNK (1024 * 1024)

void
brop_pg_jcs_string(StringInfo buf, const char *s, int len)
{
	int			done = 0;

	/*
	 * Escaping is bytewise, so chunks may split UTF-8 sequences. Each chunk
	 * after the first is quoted over the closing quote before it, and its
	 * own opening quote removed.
	 */
	do
	{
		int			chunk = Min(len - done, JCS_STRING_CHUNK);
		size_t		n;

		CHECK_FOR_INTERRUPTS();
		if (done > 0)
			buf->len--;
		enlargeStringInfo(buf, BROP_JCS_QUOTED_MAX((size_t) chunk));
		brop_pg_check(brop_jcs_quote_string(buf->data + buf->len, buf->maxlen - buf->len, &n,
											s + done, chunk),
					  "JSON string");
		if (done > 0)
		{
			memmove(buf->data + buf->len, buf->data + buf->len + 1, n - 1);
			n--;
		}
		buf->len += n;
		done += chunk;
	} while (done < len);
	buf->data[buf->len] = '\0';
}

static void
jcs_scalar(StringInfo buf, const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			appendBinaryStringInfo(buf, "null", 4);
			break;
		case jbvBool:
			if (v->val.boolean)
				appendBinaryStringInfo(buf, "true", 4);
			else
				appendBinaryStringInfo(buf, "false", 5);
			break;
		case jbvString:
			brop_pg_jcs_string(buf, v->val.string.val, v->val.string.len);
			break;
		case jbvNumeric:
			{
				/* the double nearest the exact decimal, as strtod would give */
				double		d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
																   NumericGetDatum(v->val.numeric)));
				char		num[BROP_JCS_NUMBER_MAX];
				size_t		n;

				if (brop_jcs_format_number(num, &n, d) != 0)
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("JSON number out of range for canonicalization"),
							 errdetail("RFC 8785 numbers must be finite IEEE 754 doubles.")));
				appendBinaryStringInfo(buf, num, n);
				break;
			}
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) v->type);
	}
}

static void
jcs_container(StringInfo buf, JsonbContainer *c)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;

	check_stack_depth();
	tok = JsonbIteratorNext(&it, &v, true);
	if (tok == WJB_BEGIN_ARRAY)
	{
		bool		first = true;

		appendStringInfoChar(buf, '[');
		while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_ELEM)
		{
			CHECK_FOR_INTERRUPTS();
			if (!first)
				appendStringInfoChar(buf, ',');
			first = false;
			if (v.type == jbvBinary)
				jcs_container(buf, v.val.binary.data);
			else
				jcs_scalar(buf, &v);
		}
		appendStringInfoChar(buf, ']');
	}
	else if (tok == WJB_BEGIN_OBJECT)
	{
		int			n = JsonContainerSize(c);
		jcs_member *m = palloc(sizeof(jcs_member) * Max(n, 1));
		int			i = 0;

		while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_KEY)
		{
			CHECK_FOR_INTERRUPTS();
			Assert(i < n);
			m[i].key = v.val.string.val;
			m[i].keylen = v.val.string.len;
			tok = JsonbIteratorNext(&it, &m[i].value, true);
			Assert(tok == WJB_VALUE);
			i++;
		}
		/* jsonb orders keys by length, then bytes; RFC 8785 by UTF-16 code units */
		qsort(m, i, sizeof(jcs_member), member_cmp);
		appendStringInfoChar(buf, '{');
		for (int k = 0; k < i; k++)
		{
			CHECK_FOR_INTERRUPTS();
			if (k > 0)
				appendStringInfoChar(buf, ',');
			brop_pg_jcs_string(buf, m[k].key, m[k].keylen);
			appendStringInfoChar(buf, ':');
			if (m[k].value.type == jbvBinary)
				jcs_container(buf, m[k].value.val.binary.data);
			else
				jcs_scalar(buf, &m[k].value);
		}
		appendStringInfoChar(buf, '}');
		pfree(m);
	}
	else
		elog(ERROR, "unexpected jsonb iterator token %d", (int) tok);
}

void
brop_pg_jcs_jsonb(StringInfo buf, Jsonb *jb)
{
	if (JB_ROOT_IS_SCALAR(jb))
	{
		JsonbValue	v;

		(void) JsonbExtractScalar(&jb->root, &v);
		jcs_scalar(buf, &v);
	}
	else
		jcs_container(buf, &jb->root);
}

PG_FUNCTION_INFO_V1(brop_jcs_jsonb);
Datum
brop_jcs_jsonb(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	brop_pg_jcs_jsonb(&buf, PG_GETARG_JSONB_P(0));
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}
