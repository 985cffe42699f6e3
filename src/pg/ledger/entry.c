/*
 * entry.c — the ledger's entries: their canonical signing input and leaf
 * input (docs/formats.md, "Ledger entries"), validation at submission, and
 * the trigger that keeps the ledger's tables append-only.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "ledger/ledger.h"

#define KIND_MAX 64
#define NONCE_MAX 128
#define CHAIN_KEY_MAX 256
#define HEADER_MAX 65536
#define JSON_SAFE_INTEGER INT64CONST(9007199254740991)	/* 2^53 - 1 */


/* ---- the entry's forms (the core's brop_entry_format_*) --------------------- */

void
brop_pg_json_key(StringInfo buf, const char *key)
{
	if (buf->data[buf->len - 1] != '{')
		appendStringInfoChar(buf, ',');
	appendStringInfoChar(buf, '"');
	appendStringInfoString(buf, key);
	appendBinaryStringInfo(buf, "\":", 2);
}

int64
brop_pg_unix_us(TimestampTz t)
{
	char		s[BROP_TIME_TEXT_BYTES];
	int64		us = t + BROP_UNIX_TO_PG_EPOCH_USECS;

	if (TIMESTAMP_NOT_FINITE(t) || brop_time_text(s, NULL, us, 1) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range for the ledger")));
	return us;
}

void
brop_pg_time_text(char out[BROP_TIME_TEXT_MAX], TimestampTz t)
{
	brop_pg_check(brop_time_text(out, NULL, brop_pg_unix_us(t), 1), "time");
}

/*
 * The core's view of an entry's fields; the header's RFC 8785 text is
 * written into hdr.
 */
static void
entry_of(brop_entry *e, const entry_fields *f, bool leaf, StringInfo hdr)
{
	memset(e, 0, sizeof *e);
	e->kind = VARDATA_ANY(f->kind);
	e->kind_len = VARSIZE_ANY_EXHDR(f->kind);
	e->org = f->org_text;
	e->org_len = strlen(f->org_text);
	e->subject = f->subject_text;
	e->subject_len = f->subject_text ? strlen(f->subject_text) : 0;
	if (f->chain_key != NULL)
	{
		e->chain_key = VARDATA_ANY(f->chain_key);
		e->chain_key_len = VARSIZE_ANY_EXHDR(f->chain_key);
	}
	e->prev_digest = f->prev_digest;
	initStringInfo(hdr);
	brop_pg_jcs_jsonb(hdr, f->header);
	e->header = hdr->data;
	e->header_len = hdr->len;
	e->payload_digest = f->payload_digest;
	e->body_digest = f->body_digest;
	e->nonce = VARDATA_ANY(f->nonce);
	e->nonce_len = VARSIZE_ANY_EXHDR(f->nonce);
	e->expires_block = f->expires_block;
	e->has_expires_block = f->has_expires;
	if (leaf)
	{
		e->signature = (const unsigned char *) VARDATA_ANY(f->signature);
		e->signature_len = VARSIZE_ANY_EXHDR(f->signature);
		e->submitted_at = brop_pg_unix_us(f->submitted_at);
	}
}

bytea *
brop_entry_signing_input_of(const entry_fields *f)
{
	brop_entry	e;
	StringInfoData hdr;
	char	   *p;
	size_t		len;

	entry_of(&e, f, false, &hdr);
	brop_pg_check(brop_entry_format_signing_input(&p, &len, &e, &brop_pg_bytea_allocator), "entry");
	pfree(hdr.data);
	return brop_pg_as_bytea(p, len);
}

/* The leaf input (JCS text), palloc'd, into *out and *len. */
static void
entry_leaf_input(const entry_fields *f, char **out, size_t *len)
{
	brop_entry	e;
	StringInfoData hdr;

	entry_of(&e, f, true, &hdr);
	brop_pg_check(brop_entry_format_leaf_input(out, len, &e, &brop_pg_allocator), "entry");
	pfree(hdr.data);
}

void
brop_entry_leaf_hash(const entry_fields *f, unsigned char *out)
{
	brop_entry	e;
	StringInfoData hdr;

	entry_of(&e, f, true, &hdr);
	brop_pg_check(brop_entry_format_forms(out, NULL, NULL, &e, &brop_pg_allocator), "entry");
	pfree(hdr.data);
}

/* Both forms of a new entry from one JSON text: its leaf hash, and its signing input. */
bytea *
brop_entry_forms(const entry_fields *f, unsigned char *leaf)
{
	brop_entry	e;
	StringInfoData hdr;
	char	   *p;
	size_t		len;

	entry_of(&e, f, true, &hdr);
	brop_pg_check(brop_entry_format_forms(leaf, &p, &len, &e, &brop_pg_bytea_allocator), "entry");
	pfree(hdr.data);
	return brop_pg_as_bytea(p, len);
}

/* ---- reading and checking fields --------------------------------------------- */

static void *
attr_ptr(HeapTupleHeader row, const char *name, bool required)
{
	bool		isnull;
	Datum		d = GetAttributeByName(row, name, &isnull);

	if (isnull && required)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("entry field \"%s\" is null", name)));
	return isnull ? NULL : DatumGetPointer(d);
}

void
brop_entry_from_row(HeapTupleHeader row, entry_fields *f)
{
	bool		isnull;
	Datum		d;

	memset(f, 0, sizeof *f);
	f->kind = DatumGetTextPP(PointerGetDatum(attr_ptr(row, "kind", true)));
	f->org = PointerGetDatum(attr_ptr(row, "org", true));
	f->subject = GetAttributeByName(row, "subject", &isnull);
	f->has_subject = !isnull;
	f->org_text = brop_entry_did_text(f->org);	/* verify_ledger reads entry after entry of one org */
	f->subject_text = f->has_subject ? brop_did_cstring(f->subject) : NULL;
	f->chain_key = attr_ptr(row, "chain_key", false);
	if (f->chain_key != NULL)
		f->chain_key = DatumGetTextPP(PointerGetDatum(f->chain_key));
	f->prev_digest = attr_ptr(row, "prev_digest", false);
	f->header = DatumGetJsonbP(PointerGetDatum(attr_ptr(row, "header", true)));
	f->payload_digest = attr_ptr(row, "payload_digest", true);
	f->body_digest = attr_ptr(row, "body_digest", false);
	f->nonce = DatumGetTextPP(PointerGetDatum(attr_ptr(row, "nonce", true)));
	d = GetAttributeByName(row, "expires_block", &isnull);
	f->has_expires = !isnull;
	f->expires_block = isnull ? 0 : DatumGetInt64(d);
	f->signature = DatumGetByteaPP(PointerGetDatum(attr_ptr(row, "signature", true)));
	d = GetAttributeByName(row, "submitted_at", &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("entry field \"%s\" is null", "submitted_at")));
	f->submitted_at = DatumGetTimestampTz(d);
}

static void
require_utf8(void)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the brop ledger needs a UTF8 database"),
				 errdetail("Entries are canonical JSON in UTF-8; this database's encoding is %s.",
						   GetDatabaseEncodingName())));
}

static bool
printable_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return true;
}

static void
check_kind(text *kind)
{
	const char *s = VARDATA_ANY(kind);
	size_t		n = VARSIZE_ANY_EXHDR(kind);
	bool		ok = n >= 1 && n <= KIND_MAX && s[0] >= 'a' && s[0] <= 'z';

	for (size_t i = 1; ok && i < n; i++)
		ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
			s[i] == '.' || s[i] == '_' || s[i] == '-';
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid entry kind: \"%s\"", brop_pg_quote(s, n)),
				 errdetail("A kind is 1 to %d characters: a lower-case letter, then lower-case letters, digits, \".\", \"_\" or \"-\".",
						   KIND_MAX)));
}

void
brop_entry_check_fields(const entry_fields *f)
{
	brop_did_value org;
	size_t		n;

	require_utf8();
	check_kind(f->kind);
	brop_did_unpack(f->org, &org);
	if (org.alg == BROP_ALG_X25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an x25519 did cannot submit entries"),
				 errdetail("The organisation signs its entries; X25519 keys are for key agreement only.")));
	n = VARSIZE_ANY_EXHDR(f->nonce);
	if (n < 1 || n > NONCE_MAX || !printable_ascii(VARDATA_ANY(f->nonce), n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid entry nonce"),
				 errdetail("A nonce is 1 to %d printable ASCII characters without spaces.", NONCE_MAX)));
	if (!JB_ROOT_IS_OBJECT(f->header))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry header must be a JSON object")));
	if (VARSIZE(f->header) > HEADER_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("entry header is too large"),
				 errdetail("A header takes at most %d bytes; register large documents by their digest.", HEADER_MAX)));
	if (f->chain_key != NULL)
	{
		n = VARSIZE_ANY_EXHDR(f->chain_key);
		if (n < 1 || n > CHAIN_KEY_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid chain key"),
					 errdetail("A chain key is 1 to %d bytes.", CHAIN_KEY_MAX)));
	}
	else if (f->prev_digest != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("prev_digest needs a chain_key"),
				 errdetail("Only entries of a chain link to a previous entry.")));
	if (f->has_expires && (f->expires_block < 1 || f->expires_block > JSON_SAFE_INTEGER))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expiry block " INT64_FORMAT " is out of range", f->expires_block),
				 errdetail("Blocks are numbered from 1 to 2^53 - 1.")));
}

/*
 * The text of a brop.did: an organisation submits (or issues) entry after
 * entry, so the last one's text is kept (its base58 form is most of the cost
 * of reading the arguments).
 */
char *
brop_entry_did_text(Datum did)
{
	static char *last_text = NULL;
	static char *last_bytes = NULL;
	static Size last_len = 0;
	struct varlena *v = (struct varlena *) DatumGetPointer(did);
	Size		len;

	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		return brop_did_cstring(did);
	len = VARSIZE_ANY_EXHDR(v);
	if (last_text == NULL || len != last_len || memcmp(last_bytes, VARDATA_ANY(v), len) != 0)
	{
		char	   *t = brop_did_cstring(did);

		/* the new copies first: an allocation that fails leaves the old pair whole */
		char	   *text_copy = MemoryContextStrdup(TopMemoryContext, t);
		char	   *bytes_copy = MemoryContextAlloc(TopMemoryContext, Max(len, 1));

		memcpy(bytes_copy, VARDATA_ANY(v), len);
		if (last_text != NULL)
		{
			pfree(last_text);
			pfree(last_bytes);
		}
		last_text = text_copy;
		last_bytes = bytes_copy;
		last_len = len;
		return t;
	}
	return pstrdup(last_text);
}

/* Fields from SQL arguments, in the order of entry_signing_input. */
void
brop_entry_from_args(FunctionCallInfo fcinfo, entry_fields *f, int sig_arg)
{
	int			a = 4;

	memset(f, 0, sizeof *f);
	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("entry field \"%s\" is null",
							i == 0 ? "kind" : i == 1 ? "org" : i == 2 ? "payload_digest" : "nonce")));
	f->kind = PG_GETARG_TEXT_PP(0);
	f->org = PG_GETARG_DATUM(1);
	f->payload_digest = (unsigned char *) PG_GETARG_POINTER(2);
	f->nonce = PG_GETARG_TEXT_PP(3);
	if (sig_arg >= 0)
	{
		if (PG_ARGISNULL(sig_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("entry field \"%s\" is null", "signature")));
		f->signature = PG_GETARG_BYTEA_PP(sig_arg);
		a++;
	}
	f->header = PG_ARGISNULL(a) ? DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")))
		: PG_GETARG_JSONB_P(a);
	a++;
	f->has_subject = !PG_ARGISNULL(a);
	f->subject = f->has_subject ? PG_GETARG_DATUM(a) : (Datum) 0;
	a++;
	f->body_digest = PG_ARGISNULL(a) ? NULL : (unsigned char *) PG_GETARG_POINTER(a);
	a++;
	f->chain_key = PG_ARGISNULL(a) ? NULL : PG_GETARG_TEXT_PP(a);
	a++;
	f->prev_digest = PG_ARGISNULL(a) ? NULL : (unsigned char *) PG_GETARG_POINTER(a);
	a++;
	f->has_expires = !PG_ARGISNULL(a);
	f->expires_block = f->has_expires ? PG_GETARG_INT64(a) : 0;
	f->org_text = brop_entry_did_text(f->org);
	f->subject_text = f->has_subject ? brop_did_cstring(f->subject) : NULL;
}

/* ---- SQL functions ------------------------------------------------------------ */

/* brop.entry_signing_input(kind, org, payload_digest, nonce, header, subject, body_digest, chain_key, prev_digest, expires_block) */
PG_FUNCTION_INFO_V1(brop_entry_signing_input);
Datum
brop_entry_signing_input(PG_FUNCTION_ARGS)
{
	entry_fields f;

	brop_entry_from_args(fcinfo, &f, -1);
	brop_entry_check_fields(&f);
	PG_RETURN_BYTEA_P(brop_entry_signing_input_of(&f));
}

/* brop.entry_leaf(brop.entry) RETURNS text */
PG_FUNCTION_INFO_V1(brop_entry_leaf);
Datum
brop_entry_leaf(PG_FUNCTION_ARGS)
{
	entry_fields f;
	char	   *p;
	size_t		len;

	brop_entry_from_row(PG_GETARG_HEAPTUPLEHEADER(0), &f);
	require_utf8();
	entry_leaf_input(&f, &p, &len);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(p, len));
}

/* brop.entry_digest(brop.entry) RETURNS brop.digest */
PG_FUNCTION_INFO_V1(brop_entry_digest);
Datum
brop_entry_digest(PG_FUNCTION_ARGS)
{
	entry_fields f;
	unsigned char *out = palloc(BROP_DIGEST_BYTES);

	brop_entry_from_row(PG_GETARG_HEAPTUPLEHEADER(0), &f);
	require_utf8();
	brop_entry_leaf_hash(&f, out);
	PG_RETURN_POINTER(out);
}

/*
 * Batch signatures verified by this backend, so that a batch costs one
 * signature check however many of its entries are submitted or verified:
 * SHA-256 of (algorithm, key, batch message, signature), direct-mapped.
 * A hit means exactly these bytes were verified before; an evicted batch
 * is only verified again.
 */
#define VERIFIED_BATCH_SLOTS 1024

static unsigned char verified_batches[VERIFIED_BATCH_SLOTS][BROP_DIGEST_BYTES];

static int
batch_signature_check(const brop_did_value *org, const bytea *msg, const unsigned char *sig, size_t siglen)
{
	brop_batch_sig b;
	unsigned char bmsg[BROP_BATCH_MESSAGE_BYTES];
	unsigned char alg = (unsigned char) org->alg;
	unsigned char key[BROP_DIGEST_BYTES];
	const unsigned char *parts[4];
	size_t		lens[4];
	unsigned char *slot;
	int			rc;

	rc = brop_batch_sig_parse(&b, sig, siglen);
	if (rc == 0)
		rc = brop_batch_message_of(bmsg, &b, (const unsigned char *) VARDATA(msg), VARSIZE(msg) - VARHDRSZ);
	if (rc != 0)
		return rc;
	parts[0] = &alg;
	lens[0] = 1;
	parts[1] = org->pk;
	lens[1] = org->len;
	parts[2] = bmsg;
	lens[2] = sizeof bmsg;
	parts[3] = b.sig;
	lens[3] = b.sig_len;
	brop_pg_check(brop_sha256_parts(key, parts, lens, 4), "batch signature");
	slot = verified_batches[(key[0] | key[1] << 8) % VERIFIED_BATCH_SLOTS];
	if (memcmp(slot, key, sizeof key) == 0)
		return 0;
	rc = brop_verify(org->alg, org->pk, org->len, bmsg, sizeof bmsg, b.sig, b.sig_len);
	if (rc == 0)
		memcpy(slot, key, sizeof key);
	return rc;
}

/*
 * The organisation's signature over the entry's signing input msg: a plain
 * signature (brop_verify), or a batch form (docs/formats.md, "Batch
 * signatures"). Returns 0 or a brop_err.
 */
int
brop_entry_signature_check(const entry_fields *f, const bytea *msg)
{
	brop_did_value org;
	const unsigned char *sig = (const unsigned char *) VARDATA_ANY(f->signature);
	size_t		siglen = VARSIZE_ANY_EXHDR(f->signature);

	brop_did_unpack(f->org, &org);
	if (brop_batch_is_form(sig, siglen))
		return batch_signature_check(&org, msg, sig, siglen);
	return brop_verify(org.alg, org.pk, org.len,
					   (const unsigned char *) VARDATA(msg), VARSIZE(msg) - VARHDRSZ, sig, siglen);
}

/*
 * For brop.verify_ledger(): recompute a stored entry's leaf hash into leaf;
 * NULL if the entry is sound, else what is wrong with it.
 */
const char *
brop_entry_check(HeapTupleHeader row, unsigned char *leaf, bool verify_signature)
{
	entry_fields f;
	bool		isnull;
	Datum		stored;
	bytea	   *msg = NULL;

	brop_entry_from_row(row, &f);
	if (verify_signature)
		msg = brop_entry_forms(&f, leaf);
	else
		brop_entry_leaf_hash(&f, leaf);
	stored = GetAttributeByName(row, "digest", &isnull);
	if (isnull || memcmp(DatumGetPointer(stored), leaf, BROP_DIGEST_BYTES) != 0)
		return "its fields do not hash to its stored digest";
	if (msg != NULL && brop_entry_signature_check(&f, msg) != 0)
		return "its signature does not verify";
	return NULL;
}

/* ---- append-only tables ---------------------------------------------------- */

/* A tile update that only appends whole hashes, up to a full tile (same level and index). */
static bool
tile_grows(TriggerData *td)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	bool		n1,
				n2;
	Datum		a,
				b;
	bytea	   *oldh,
			   *newh;

	for (int col = 1; col <= 2; col++)
	{
		a = heap_getattr(td->tg_trigtuple, col, desc, &n1);
		b = heap_getattr(td->tg_newtuple, col, desc, &n2);
		if (n1 || n2 || !datumIsEqual(a, b, TupleDescAttr(desc, col - 1)->attbyval,
									  TupleDescAttr(desc, col - 1)->attlen))
			return false;
	}
	a = heap_getattr(td->tg_trigtuple, 3, desc, &n1);
	b = heap_getattr(td->tg_newtuple, 3, desc, &n2);
	if (n1 || n2)
		return false;
	oldh = DatumGetByteaPP(a);
	newh = DatumGetByteaPP(b);
	return VARSIZE_ANY_EXHDR(oldh) <= VARSIZE_ANY_EXHDR(newh) &&
		VARSIZE_ANY_EXHDR(newh) <= BROP_MERKLE_TILE_WIDTH * BROP_MERKLE_HASH_BYTES &&
		VARSIZE_ANY_EXHDR(newh) % BROP_MERKLE_HASH_BYTES == 0 &&
		memcmp(VARDATA_ANY(oldh), VARDATA_ANY(newh), VARSIZE_ANY_EXHDR(oldh)) == 0;
}

PG_FUNCTION_INFO_V1(brop_refuse_change);
Datum
brop_refuse_change(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	const char *what;
	bool		log;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("brop.refuse_change() must be called as a trigger")));
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) && td->tg_trigger->tgnargs == 1 &&
		strcmp(td->tg_trigger->tgargs[0], "tile") == 0 && tile_grows(td))
		return PointerGetDatum(td->tg_newtuple);

	what = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? "update" :
		TRIGGER_FIRED_BY_DELETE(td->tg_event) ? "delete from" : "truncate";
	/* the argument "log": a table whose rows nothing on the ledger states (brop.verification_log) */
	log = td->tg_trigger->tgnargs == 1 && strcmp(td->tg_trigger->tgargs[0], "log") == 0;
	ereport(ERROR,
			(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
			 errmsg("cannot %s append-only table %s.%s", what,
					get_namespace_name(RelationGetNamespace(td->tg_relation)),
					RelationGetRelationName(td->tg_relation)),
			 log ? errdetail("The verification log only grows; nothing on the ledger states its rows.")
			 : errdetail("The ledger only grows; brop.verify_ledger() detects any change made around this check.")));
	PG_RETURN_NULL();
}
