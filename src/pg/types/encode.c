/*
 * encode.c — brop.encode / brop.decode (hex, base64, base64url, base58btc),
 * multibase and unsigned varints.
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "types/types.h"

typedef enum
{
	FMT_HEX,
	FMT_BASE64,
	FMT_BASE64URL,
	FMT_BASE58BTC
} encoding_format;

static const struct
{
	const char *name;
	encoding_format fmt;
} formats[] = {
	{"hex", FMT_HEX},
	{"base64", FMT_BASE64},
	{"base64url", FMT_BASE64URL},
	{"base58btc", FMT_BASE58BTC},
};

/* Multibase names, as in the multibase table of the multiformats project. */
static const struct
{
	const char *name;
	char		prefix;
} multibases[] = {
	{"base58btc", 'z'},
	{"base16", 'f'},
	{"base16upper", 'F'},
	{"base64", 'm'},
	{"base64pad", 'M'},
	{"base64url", 'u'},
};

static encoding_format
format_from_text(text *t)
{
	char	   *name = text_to_cstring(t);

	for (size_t i = 0; i < lengthof(formats); i++)
		if (pg_strcasecmp(name, formats[i].name) == 0)
			return formats[i].fmt;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unrecognized encoding: \"%s\"", brop_pg_quote_cstring(name)),
			 errhint("Valid encodings are hex, base64, base64url and base58btc.")));
	pg_unreachable();
}

static char
multibase_from_text(text *t)
{
	char	   *name = text_to_cstring(t);

	for (size_t i = 0; i < lengthof(multibases); i++)
		if (pg_strcasecmp(name, multibases[i].name) == 0)
			return multibases[i].prefix;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unrecognized multibase: \"%s\"", brop_pg_quote_cstring(name)),
			 errhint("Valid bases are base58btc, base16, base16upper, base64, base64pad and base64url.")));
	pg_unreachable();
}

/*
 * hex and base64 are linear and ask brop_pg_cancel every 3 MiB (the core
 * holds no memory: a cancel is raised at once); base58 is bounded.
 */
static void
check_coded(int rc, const char *what)
{
	if (rc == BROP_ECANCELED)
		brop_pg_raise_cancel();
	brop_pg_check(rc, what);
}

static text *
text_with_capacity(size_t cap)
{
	if (cap > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("encoded value would be too long")));
	return (text *) palloc(VARHDRSZ + cap);
}

/*
 * base58 is a quadratic base conversion, bounded by the core's limits: past
 * them, a clear error before any work (docs/security.md).
 */
static void
check_base58_length(size_t len, bool is_text)
{
	if (is_text && len > (size_t) BROP_BASE58_MAX_TEXT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("base58btc input of %zu characters exceeds the limit of %d characters",
						len, (int) BROP_BASE58_MAX_TEXT),
				 errhint("base58btc is meant for keys, digests and signatures; use hex or base64 for longer data.")));
	if (!is_text && len > (size_t) BROP_BASE58_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("base58btc input of %zu bytes exceeds the limit of %d bytes",
						len, (int) BROP_BASE58_MAX_BYTES),
				 errhint("base58btc is meant for keys, digests and signatures; use hex or base64 for longer data.")));
}

PG_FUNCTION_INFO_V1(brop_encode);
Datum
brop_encode(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	encoding_format fmt = format_from_text(PG_GETARG_TEXT_PP(1));
	const unsigned char *in = (unsigned char *) VARDATA_ANY(data);
	size_t		inlen = VARSIZE_ANY_EXHDR(data);
	size_t		cap,
				n = 0;
	text	   *out;
	int			rc;

	switch (fmt)
	{
		case FMT_HEX:
			cap = BROP_HEX_ENCODED_LEN(inlen);
			out = text_with_capacity(cap);
			rc = brop_hex_encode_cancellable(VARDATA(out), cap, &n, in, inlen, &brop_pg_cancel);
			break;
		case FMT_BASE64:
			cap = BROP_BASE64_ENCODED_LEN(inlen);
			out = text_with_capacity(cap);
			rc = brop_base64_encode_cancellable(VARDATA(out), cap, &n, in, inlen, BROP_BASE64_STANDARD,
												&brop_pg_cancel);
			break;
		case FMT_BASE64URL:
			cap = BROP_BASE64URL_ENCODED_LEN(inlen);
			out = text_with_capacity(cap);
			rc = brop_base64_encode_cancellable(VARDATA(out), cap, &n, in, inlen, BROP_BASE64_URLSAFE,
												&brop_pg_cancel);
			break;
		case FMT_BASE58BTC:
		default:
			check_base58_length(inlen, false);
			cap = BROP_BASE58_ENCODED_MAX(inlen);
			out = text_with_capacity(cap);
			rc = brop_base58_encode(VARDATA(out), cap, &n, in, inlen);
			break;
	}
	check_coded(rc, "encode input");
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_FREE_IF_COPY(data, 0);
	PG_RETURN_TEXT_P(out);
}

PG_FUNCTION_INFO_V1(brop_decode);
Datum
brop_decode(PG_FUNCTION_ARGS)
{
	text	   *data = PG_GETARG_TEXT_PP(0);
	encoding_format fmt = format_from_text(PG_GETARG_TEXT_PP(1));
	const char *in = VARDATA_ANY(data);
	size_t		inlen = VARSIZE_ANY_EXHDR(data);
	size_t		cap = inlen,	/* every format decodes to at most its input length */
				n = 0;
	bytea	   *out = (bytea *) palloc(VARHDRSZ + cap);
	int			rc;
	const char *what;

	switch (fmt)
	{
		case FMT_HEX:
			what = "hex input";
			rc = brop_hex_decode_cancellable((unsigned char *) VARDATA(out), cap, &n, in, inlen,
											 &brop_pg_cancel);
			break;
		case FMT_BASE64:
			what = "base64 input";
			rc = brop_base64_decode_cancellable((unsigned char *) VARDATA(out), cap, &n, in, inlen,
												BROP_BASE64_STANDARD, &brop_pg_cancel);
			break;
		case FMT_BASE64URL:
			what = "base64url input";
			rc = brop_base64_decode_cancellable((unsigned char *) VARDATA(out), cap, &n, in, inlen,
												BROP_BASE64_URLSAFE, &brop_pg_cancel);
			break;
		case FMT_BASE58BTC:
		default:
			what = "base58btc input";
			check_base58_length(inlen, true);
			rc = brop_base58_decode((unsigned char *) VARDATA(out), cap, &n, in, inlen);
			break;
	}
	check_coded(rc, what);
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_FREE_IF_COPY(data, 0);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(brop_multibase_encode_fn);
Datum
brop_multibase_encode_fn(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	char		prefix = multibase_from_text(PG_GETARG_TEXT_PP(1));
	size_t		inlen = VARSIZE_ANY_EXHDR(data);
	size_t		cap,
				n;
	text	   *out;

	if (prefix == 'z')
		check_base58_length(inlen, false);
	cap = BROP_MULTIBASE_ENCODED_MAX(inlen);
	out = text_with_capacity(cap);
	check_coded(brop_multibase_encode_cancellable(VARDATA(out), cap, &n, prefix,
												  (unsigned char *) VARDATA_ANY(data), inlen,
												  &brop_pg_cancel),
				"multibase input");
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_FREE_IF_COPY(data, 0);
	PG_RETURN_TEXT_P(out);
}

PG_FUNCTION_INFO_V1(brop_multibase_decode_fn);
Datum
brop_multibase_decode_fn(PG_FUNCTION_ARGS)
{
	text	   *data = PG_GETARG_TEXT_PP(0);
	size_t		inlen = VARSIZE_ANY_EXHDR(data);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + inlen);
	size_t		n;
	char		prefix;
	int			rc;

	if (inlen > 0 && VARDATA_ANY(data)[0] == 'z')
		check_base58_length(inlen - 1, true);
	rc = brop_multibase_decode_cancellable((unsigned char *) VARDATA(out), inlen, &n, &prefix,
										   VARDATA_ANY(data), inlen, &brop_pg_cancel);
	if (rc == BROP_EALG)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported multibase prefix \"%.*s\"",
						pg_mblen(VARDATA_ANY(data)), VARDATA_ANY(data)),
				 errhint("Supported prefixes are z (base58btc), f and F (base16), m and M (base64), u (base64url).")));
	check_coded(rc, "multibase input");
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_FREE_IF_COPY(data, 0);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(brop_varint_encode_fn);
Datum
brop_varint_encode_fn(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_INT64(0);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + BROP_VARINT_MAX_BYTES);
	size_t		n;

	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("varint value must not be negative")));
	brop_pg_check(brop_varint_encode((unsigned char *) VARDATA(out), &n, (uint64) v), "varint");
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(brop_varint_decode_fn);
Datum
brop_varint_decode_fn(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	uint64_t	v;
	size_t		used;

	brop_pg_check(brop_varint_decode(&v, &used, (unsigned char *) VARDATA_ANY(data),
									 VARSIZE_ANY_EXHDR(data)), "varint");
	if (used != VARSIZE_ANY_EXHDR(data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid varint: bytes follow the value"),
				 errdetail("The varint ends after %zu of %zu bytes.", used, (size_t) VARSIZE_ANY_EXHDR(data))));
	PG_FREE_IF_COPY(data, 0);
	PG_RETURN_INT64((int64) v);
}
