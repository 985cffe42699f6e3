/*
 * checkpoint.c — C2SP tlog-checkpoints in C2SP signed notes: made with a
 * keyring key, verified against a did, parsed (docs/formats.md). A log's
 * key signs under the log's origin as its note name, as C2SP logs do.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "ledger/ledger.h"

#define CHECKPOINT_MAX (BROP_NOTE_NAME_MAX + 64 + 64)

/* A note (given, or to be made) of n bytes: refused past the core's limit, before any work. */
static void
check_note_length(size_t n)
{
	if (n > BROP_NOTE_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("checkpoint note of %zu bytes exceeds the limit of %d bytes", n, BROP_NOTE_MAX_BYTES)));
}

static char *
checkpoint_body(text *origin, int64 size, const unsigned char *root, text *ext, size_t *len)
{
	char	   *o = VARDATA_ANY(origin);
	size_t		olen = VARSIZE_ANY_EXHDR(origin);
	size_t		elen = VARSIZE_ANY_EXHDR(ext);
	char	   *out;
	size_t		digits = 1;
	int			rc;

	if (size < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tree size must not be negative")));
	/* the note this body makes: origin, size, root, extensions, blank line, signature line */
	for (int64 v = size; v >= 10; v /= 10)
		digits++;
	check_note_length(olen + 1 + digits + 1 + BROP_BASE64_ENCODED_LEN(BROP_DIGEST_BYTES) + 1 + elen + 1 +
					  BROP_NOTE_SIGNATURE_LINE_BYTES(olen));
	out = palloc(olen + elen + CHECKPOINT_MAX);
	rc = brop_checkpoint_format(out, olen + elen + CHECKPOINT_MAX, len, o, olen, (uint64) size, root,
								VARDATA_ANY(ext), elen);
	if (rc == BROP_EINVAL && brop_checkpoint_format(out, olen + CHECKPOINT_MAX, len, o, olen,
													(uint64) size, root, NULL, 0) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid checkpoint extension lines"),
				 errdetail("Extension lines are non-empty lines of UTF-8 text without control characters, each ending in a newline.")));
	if (rc == 0)
	{
		/* the origin is also the note's key name */
		unsigned char id[BROP_NOTE_KEYID_BYTES],
					pk[BROP_ED25519_PUBLICKEYBYTES] = {0};

		rc = brop_note_key_id(id, o, olen, pk);
	}
	if (rc == BROP_EINVAL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid checkpoint origin: \"%s\"", brop_pg_quote(o, olen)),
				 errdetail("An origin is also the note's key name: 1 to %d bytes of UTF-8 without spaces, control characters or \"+\".",
						   BROP_NOTE_NAME_MAX)));
	brop_pg_check(rc, "checkpoint");
	return out;
}

/* brop.checkpoint_note(label, origin, tree_size, root, extensions text DEFAULT '') RETURNS text */
PG_FUNCTION_INFO_V1(brop_checkpoint_note_fn);
Datum
brop_checkpoint_note_fn(PG_FUNCTION_ARGS)
{
	char	   *label = text_to_cstring(PG_GETARG_TEXT_PP(0));
	text	   *origin = PG_GETARG_TEXT_PP(1);
	size_t		len;
	char	   *body = checkpoint_body(origin, PG_GETARG_INT64(2), (unsigned char *) PG_GETARG_POINTER(3),
									   PG_GETARG_TEXT_PP(4), &len);
	bytea	   *msg = brop_pg_bytea_from(body, len);
	char	   *name = text_to_cstring(origin);

	/* the note's bytes are UTF-8 text: return them as text */
	PG_RETURN_TEXT_P((text *) brop_keyring_use(label, USE_SIGN_NOTE, msg, NULL, name));
}

/*
 * brop.verify_checkpoint(note text, signer brop.did) RETURNS boolean:
 * true if the note is a well-formed checkpoint signed by this Ed25519 did
 * under the checkpoint's origin as key name (other signatures, e.g. by
 * witnesses or cosigning nodes, are allowed).
 */
PG_FUNCTION_INFO_V1(brop_verify_checkpoint_fn);
Datum
brop_verify_checkpoint_fn(PG_FUNCTION_ARGS)
{
	text	   *note = PG_GETARG_TEXT_PP(0);
	brop_did_value did;
	brop_checkpoint cp;
	size_t		textlen;
	int			rc;

	brop_did_unpack(PG_GETARG_DATUM(1), &did);
	if (did.alg != BROP_ALG_ED25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("checkpoints are signed with ed25519, not %s", brop_alg_name(did.alg))));

	check_note_length(VARSIZE_ANY_EXHDR(note));
	/* the body (before the signatures) names the origin, the key's name */
	textlen = brop_note_text_length(VARDATA_ANY(note), VARSIZE_ANY_EXHDR(note));
	rc = brop_checkpoint_parse(&cp, VARDATA_ANY(note), textlen);
	if (rc == 0)
		rc = brop_note_verify_valid(&textlen, VARDATA_ANY(note), VARSIZE_ANY_EXHDR(note),
									cp.origin, cp.originlen, did.pk);
	if (rc == BROP_EENCODING)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("malformed checkpoint note"),
				 errdetail("A checkpoint note is \"origin\\nsize\\nbase64(root)\\n\", an empty line, and signature lines.")));
	if (rc != 0 && rc != BROP_EVERIFY)
		brop_pg_error(rc, "checkpoint note", false);
	PG_RETURN_BOOL(rc == 0);
}

/* brop.parse_checkpoint(note text) RETURNS (origin text, tree_size bigint, root brop.digest, extensions text) */
PG_FUNCTION_INFO_V1(brop_parse_checkpoint_fn);
Datum
brop_parse_checkpoint_fn(PG_FUNCTION_ARGS)
{
	text	   *note = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(note);
	size_t		len = VARSIZE_ANY_EXHDR(note);
	size_t		bodylen;
	brop_checkpoint cp;
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	unsigned char *root;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	check_note_length(len);
	bodylen = brop_note_text_length(s, len);
	if (brop_checkpoint_parse(&cp, s, bodylen) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("malformed checkpoint"),
				 errdetail("A checkpoint is \"origin\\nsize\\nbase64(root)\\n\" and optional extension lines.")));
	if (cp.size > (uint64) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("checkpoint tree size " UINT64_FORMAT " is out of range for bigint", cp.size)));
	root = palloc(BROP_DIGEST_BYTES);
	memcpy(root, cp.root, BROP_DIGEST_BYTES);
	values[0] = PointerGetDatum(cstring_to_text_with_len(cp.origin, cp.originlen));
	values[1] = Int64GetDatum((int64) cp.size);
	values[2] = PointerGetDatum(root);
	values[3] = PointerGetDatum(cstring_to_text_with_len(cp.extensions, cp.extensionslen));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

text *
brop_block_checkpoint_body(const char *origin, uint64 size, const unsigned char *root,
						   int64 number, TimestampTz when, const unsigned char *prev)
{
	size_t		cap = strlen(origin) + CHECKPOINT_MAX + 256;
	char	   *body = palloc(cap);
	size_t		len;
	int64		sealed_at = brop_pg_unix_us(when);

	if (brop_checkpoint_format_block(body, cap, &len, origin, strlen(origin), size, root,
									 (uint64) number, sealed_at, prev) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid log origin: \"%s\"", brop_pg_quote_cstring(origin))));
	return cstring_to_text_with_len(body, len);
}
