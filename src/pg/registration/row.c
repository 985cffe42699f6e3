/*
 * row.c — registered rows: their canonical texts (row key, document) and
 * salt key for the capture trigger, and the digest of a disclosed row in SQL
 * (docs/formats.md, "Row digests").
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "storage/proc.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/uuid.h"
#include "port/pg_bswap.h"
#include "utils/timestamp.h"

#include "storage/ipc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "registration/registration.h"

/* ---- the salt key ---------------------------------------------------------- */

static unsigned char salt_key[BROP_ROW_SALT_KEY_BYTES];
static brop_hmac_sha256_key salt_key_prepared;	/* for brop_row_salt_k, brop_row_chain_id_k */
static unsigned char queue_key[BROP_ROW_QUEUE_KEY_BYTES];	/* derived from it: the capture queue's */
static char *salt_key_path = NULL;	/* the setting it was read under */

static void
salt_key_wipe(int code, Datum arg)
{
	brop_wipe(salt_key, sizeof salt_key);
	brop_wipe(&salt_key_prepared, sizeof salt_key_prepared);
	brop_wipe(queue_key, sizeof queue_key);
}

/*
 * The key is read once per value of brop.salt_key_file and kept for the
 * session (wiped at exit): the trigger needs it for every row.
 */
const unsigned char *
brop_salt_key(void)
{
	static bool wipe_registered = false;
	const char *path = brop_salt_key_file ? brop_salt_key_file : "";

	if (salt_key_path != NULL && strcmp(salt_key_path, path) == 0)
		return salt_key;
	if (salt_key_path != NULL)
	{
		pfree(salt_key_path);
		salt_key_path = NULL;
	}
	if (!wipe_registered)
	{
		on_proc_exit(salt_key_wipe, (Datum) 0);
		wipe_registered = true;
	}
	brop_load_key_file(salt_key, "salt key file", "brop.salt_key_file", path);
	brop_pg_check(brop_hmac_sha256_key_init(&salt_key_prepared, salt_key, sizeof salt_key), "salt key");
	brop_pg_check(brop_row_queue_key(queue_key, &salt_key_prepared), "capture queue key");
	salt_key_path = MemoryContextStrdup(TopMemoryContext, path);
	return salt_key;
}

/* The salt key prepared for HMACs (as brop_salt_key reads it). */
const brop_hmac_sha256_key *
brop_salt_key_prepared(void)
{
	(void) brop_salt_key();
	return &salt_key_prepared;
}

/* The capture queue's key (derived from the salt key once, as brop_salt_key reads it). */
const unsigned char *
brop_capture_queue_key(void)
{
	(void) brop_salt_key();
	return queue_key;
}

/* ---- canonical texts of a row ---------------------------------------------- */

/*
 * Settings every text output is made under, so a row has one digest whatever
 * the session's settings (docs/formats.md, "Row digests").
 */
static const char *const fixed_settings[][2] = {
	{"DateStyle", "ISO, MDY"},
	{"IntervalStyle", "postgres"},
	{"TimeZone", "UTC"},
	{"extra_float_digits", "1"},
	{"bytea_output", "hex"},
	{"lc_monetary", "C"},
};

row_text_format
brop_row_text_format(Oid type)
{
	switch (type)
	{
		case BOOLOID:
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case OIDOID:
		case NUMERICOID:
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
		case NAMEOID:
		case CHAROID:
		case JSONOID:
		case JSONBOID:
			return ROW_TEXT_OUTPUT;
		case TIMESTAMPTZOID:
			return ROW_TEXT_TIMESTAMPTZ;
		case TIMESTAMPOID:
			return ROW_TEXT_TIMESTAMP;
		case DATEOID:
			return ROW_TEXT_DATE;
		case INTERVALOID:
			return ROW_TEXT_INTERVAL;
		case FLOAT4OID:
			return ROW_TEXT_FLOAT4;
		case FLOAT8OID:
			return ROW_TEXT_FLOAT8;
		case BYTEAOID:
			return ROW_TEXT_BYTEA;
		case UUIDOID:
			return ROW_TEXT_UUID;
		default:
			return ROW_TEXT_SETTINGS;
	}
}

/*
 * The text of a value of a type whose output depends on a setting, made as
 * its output function makes it under the fixed settings, without setting
 * them (a trigger would set and restore six settings per row): the same
 * calls with DateStyle ISO, IntervalStyle postgres, TimeZone UTC,
 * extra_float_digits 1 and bytea_output hex; and uuid_out's text. NULL for
 * ROW_TEXT_OUTPUT, ROW_TEXT_BYTEA and ROW_TEXT_SETTINGS.
 */
static char *
fixed_text(row_text_format format, Datum v, char *buf)
{
	static pg_tz *utc = NULL;
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	switch (format)
	{
		case ROW_TEXT_TIMESTAMPTZ:
		case ROW_TEXT_TIMESTAMP:
			{
				Timestamp	t = DatumGetTimestamp(v);
				bool		zone = format == ROW_TEXT_TIMESTAMPTZ;

				if (zone && utc == NULL)
					utc = pg_tzset("UTC");
				if (TIMESTAMP_NOT_FINITE(t))
					EncodeSpecialTimestamp(t, buf);
				else if (timestamp2tm(t, zone ? &tz : NULL, &tm, &fsec, NULL, zone ? utc : NULL) == 0)
					EncodeDateTime(&tm, fsec, zone, zone ? tz : 0, NULL, USE_ISO_DATES, buf);
				else
					ereport(ERROR,
							(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							 errmsg("timestamp out of range")));
				return buf;
			}
		case ROW_TEXT_DATE:
			{
				DateADT		d = DatumGetDateADT(v);

				if (DATE_NOT_FINITE(d))
					EncodeSpecialDate(d, buf);
				else
				{
					j2date(d + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
					EncodeDateOnly(&tm, USE_ISO_DATES, buf);
				}
				return buf;
			}
		case ROW_TEXT_INTERVAL:
			{
				struct pg_itm itm;

				interval2itm(*DatumGetIntervalP(v), &itm);
				EncodeInterval(&itm, INTSTYLE_POSTGRES, buf);
				return buf;
			}
		case ROW_TEXT_FLOAT4:
			float_to_shortest_decimal_buf(DatumGetFloat4(v), buf);
			return buf;
		case ROW_TEXT_FLOAT8:
			double_to_shortest_decimal_buf(DatumGetFloat8(v), buf);
			return buf;
		case ROW_TEXT_UUID:
			{
				/* as uuid_out: lower-case hex, dashes after bytes 4, 6, 8 and 10 */
				const unsigned char *u = DatumGetUUIDP(v)->data;
				char	   *o = buf;

				for (int i = 0; i < UUID_LEN; i++)
				{
					if (i == 4 || i == 6 || i == 8 || i == 10)
						*o++ = '-';
					*o++ = "0123456789abcdef"[u[i] >> 4];
					*o++ = "0123456789abcdef"[u[i] & 15];
				}
				*o = '\0';
				return buf;
			}
		default:
			return NULL;
	}
}

/* A bytea's text under bytea_output hex ("\\x" and its hex digits), palloc'd, and its length. */
static char *
bytea_hex_text(const char *b, size_t n, size_t *len)
{
	char	   *text = palloc(2 * n + 3);

	text[0] = '\\';
	text[1] = 'x';
	hex_encode(b, n, text + 2);
	text[2 * n + 2] = '\0';
	*len = 2 * n + 2;
	return text;
}

/*
 * The text of a column's value (NULL for null) and its length;
 * fixed is room for a fixed_text. The caller frees what is neither fixed
 * nor NULL.
 */
static char *
value_text(const reg_column *c, Datum v, bool isnull, char *fixed, size_t *len)
{
	char	   *text;

	StaticAssertStmt(MAXDATELEN + 1 >= DOUBLE_SHORTEST_DECIMAL_LEN, "room for a float's text");
	StaticAssertStmt(MAXDATELEN + 1 >= 2 * UUID_LEN + 5, "room for a uuid's text");
	if (isnull)
		return NULL;
	if (c->format == ROW_TEXT_BYTEA)
	{
		bytea	   *b = DatumGetByteaPP(v);

		text = bytea_hex_text(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), len);
		if ((Pointer) b != DatumGetPointer(v))
			pfree(b);
		return text;
	}
	text = fixed_text(c->format, v, fixed);
	if (text == NULL)
		text = OutputFunctionCall((FmgrInfo *) &c->out, v);
	*len = strlen(text);
	return text;
}

static inline unsigned char *
put_be32(unsigned char *p, uint32 v)
{
	v = pg_hton32(v);
	memcpy(p, &v, 4);
	return p + 4;
}

static inline unsigned char *
put_be64(unsigned char *p, uint64 v)
{
	v = pg_hton64(v);
	memcpy(p, &v, 8);
	return p + 8;
}

static inline uint32
get_be32(const unsigned char *p)
{
	uint32		v;

	memcpy(&v, p, 4);
	return pg_ntoh32(v);
}

static inline uint64
get_be64(const unsigned char *p)
{
	uint64		v;

	memcpy(&v, p, 8);
	return pg_ntoh64(v);
}

/* The bits of a float4 (size 4) or float8 value, a NaN as the canonical one (its text is the same). */
static uint64
float_bits(float8 x, int size)
{
	if (size == 4)
	{
		float4		f = isnan(x) ? get_float4_nan() : (float4) x;
		uint32		u;

		memcpy(&u, &f, sizeof u);
		return u;
	}
	else
	{
		float8		f = isnan(x) ? get_float8_nan() : x;
		uint64		u;

		memcpy(&u, &f, sizeof u);
		return u;
	}
}

/*
 * Appends a column's value as a capture record value (registration.h): in
 * binary for the types brop formats itself (their texts are made by the
 * drain: smaller, and off the writing transaction), else as its text.
 */
static void
append_record_value(StringInfo buf, const reg_column *c, TupleTableSlot *slot)
{
	bool		isnull;
	Datum		v = slot_getattr(slot, c->attnum, &isnull);
	unsigned char bin[16];
	unsigned char *p = bin;
	char		fixed[MAXDATELEN + 1];
	char	   *text = NULL;
	bytea	   *b = NULL;
	brop_capture_value cv = {BROP_CAPTURE_NULL, NULL, 0};
	size_t		n;

	if (isnull)
		;
	else if (brop_capture_binary_size(c->format) < 0)
	{
		text = value_text(c, v, false, fixed, &cv.len);
		cv.format = BROP_CAPTURE_TEXT;
		cv.p = (const unsigned char *) text;
	}
	else
	{
		cv.format = c->format;
		switch (c->format)
		{
			case ROW_TEXT_TIMESTAMPTZ:
			case ROW_TEXT_TIMESTAMP:
				p = put_be64(p, (uint64) DatumGetInt64(v));
				break;
			case ROW_TEXT_DATE:
				p = put_be32(p, (uint32) DatumGetDateADT(v));
				break;
			case ROW_TEXT_INTERVAL:
				{
					Interval   *iv = DatumGetIntervalP(v);

					p = put_be64(p, (uint64) iv->time);
					p = put_be32(p, (uint32) iv->day);
					p = put_be32(p, (uint32) iv->month);
					break;
				}
			case ROW_TEXT_FLOAT4:
				p = put_be32(p, (uint32) float_bits(DatumGetFloat4(v), 4));
				break;
			case ROW_TEXT_FLOAT8:
				p = put_be64(p, float_bits(DatumGetFloat8(v), 8));
				break;
			case ROW_TEXT_UUID:
				memcpy(p, DatumGetUUIDP(v)->data, UUID_LEN);
				p += UUID_LEN;
				break;
			case ROW_TEXT_BYTEA:
				b = DatumGetByteaPP(v);
				cv.p = (const unsigned char *) VARDATA_ANY(b);
				cv.len = VARSIZE_ANY_EXHDR(b);
				break;
			default:
				elog(ERROR, "no binary capture of format %d", c->format);
		}
		if (b == NULL)
		{
			cv.p = bin;
			cv.len = p - bin;
		}
	}
	/* the record value written by the core (brop_capture_record.h) */
	enlargeStringInfo(buf, BROP_CAPTURE_VALUE_HEAD_MAX + cv.len);
	brop_pg_check(brop_capture_value_write((unsigned char *) buf->data + buf->len,
										   (size_t) (buf->maxlen - buf->len), &n, &cv), "capture record");
	buf->len += n;
	buf->data[buf->len] = '\0';
	if (text != NULL && text != fixed)
		pfree(text);
	if (b != NULL && (Pointer) b != DatumGetPointer(v))
		pfree(b);
}

char *
brop_row_binary_text(int f, const unsigned char *b, size_t n, char *fixed, size_t *len)
{
	Interval	iv;
	pg_uuid_t	uuid;
	uint32		u32;
	uint64		u64;
	float4		f4;
	float8		f8;
	Datum		v;
	char	   *text;

	if (brop_capture_binary_size(f) != (f == ROW_TEXT_BYTEA ? 0 : (int) n))
		elog(ERROR, "malformed capture record value");
	switch (f)
	{
		case ROW_TEXT_TIMESTAMPTZ:
		case ROW_TEXT_TIMESTAMP:
			v = Int64GetDatum((int64) get_be64(b));
			break;
		case ROW_TEXT_DATE:
			v = DateADTGetDatum((DateADT) get_be32(b));
			break;
		case ROW_TEXT_INTERVAL:
			iv.time = (TimeOffset) get_be64(b);
			iv.day = (int32) get_be32(b + 8);
			iv.month = (int32) get_be32(b + 12);
			v = IntervalPGetDatum(&iv);
			break;
		case ROW_TEXT_FLOAT4:
			u32 = get_be32(b);
			memcpy(&f4, &u32, sizeof f4);
			v = Float4GetDatum(f4);
			break;
		case ROW_TEXT_FLOAT8:
			u64 = get_be64(b);
			memcpy(&f8, &u64, sizeof f8);
			v = Float8GetDatum(f8);
			break;
		case ROW_TEXT_UUID:
			memcpy(uuid.data, b, UUID_LEN);
			v = UUIDPGetDatum(&uuid);
			break;
		default:				/* ROW_TEXT_BYTEA */
			return bytea_hex_text((const char *) b, n, len);
	}
	text = fixed_text(f, v, fixed);
	*len = strlen(text);
	return text;
}

/*
 * The core's text for si, made in si's memory context (brop_pg_allocator
 * allocates in the current one), so that when si is empty its buffer
 * becomes si's, saving a copy per row; else it is appended.
 */
static void
adopt_begin(StringInfo si, MemoryContext *old)
{
	*old = MemoryContextSwitchTo(GetMemoryChunkContext(si->data));
}

static void
adopt_end(StringInfo si, char *out, size_t len, MemoryContext old)
{
	MemoryContextSwitchTo(old);
	if (si->len == 0 && len < (size_t) MaxAllocSize)
	{
		pfree(si->data);
		si->data = out;
		si->len = (int) len;
		si->maxlen = (int) len + 1;
		return;
	}
	appendBinaryStringInfo(si, out, len);
	brop_wipe(out, len);
	pfree(out);
}

/*
 * The row key and document of a row's texts (the core's brop_row_key and
 * brop_row_layout_document): vals[0..ncols) the registered columns', then
 * the key columns' not among them; appended to key and doc (either may be
 * NULL).
 */
void
brop_row_compose(const registration *reg, const brop_row_text *vals, StringInfo key, StringInfo doc)
{
	MemoryContext old;
	char	   *out;
	size_t		len;

	if (doc != NULL)
	{
		adopt_begin(doc, &old);
		brop_pg_check(brop_row_layout_document(&out, &len, reg->layout, vals, &brop_pg_allocator), "row document");
		adopt_end(doc, out, len, old);
	}
	if (key != NULL)
	{
		brop_row_text kv[INDEX_MAX_KEYS];
		brop_row_text *t = reg->nkeys <= INDEX_MAX_KEYS ? kv : palloc(sizeof(brop_row_text) * reg->nkeys);
		int			extra = reg->ncols;

		for (int k = 0; k < reg->nkeys; k++)
			t[k] = vals[reg->key_in_cols[k] >= 0 ? reg->key_in_cols[k] : extra++];
		adopt_begin(key, &old);
		brop_pg_check(brop_row_key(&out, &len, t, reg->nkeys, &brop_pg_allocator), "row key");
		adopt_end(key, out, len, old);
		if (t != kv)
			pfree(t);
	}
}

/*
 * The row key (the JCS array of the key columns' text) into key, and the
 * document (the JCS object of the registered columns' text, null for null)
 * into doc; either may be NULL.
 */
/* Settings applied by brop_row_settings_apply, and in which (sub)transaction. */
static int	applied_nest = -1;
static LocalTransactionId applied_lxid;
static SubTransactionId applied_subxid;

static bool
settings_applied(void)
{
	return applied_nest >= 0 && applied_lxid == brop_my_lxid() && applied_subxid == GetCurrentSubTransactionId();
}

/* Sets the fixed settings at a new level, which it returns. */
static int
fixed_settings_set(void)
{
	int			nest = NewGUCNestLevel();

	for (int i = 0; i < (int) lengthof(fixed_settings); i++)
		(void) set_config_option(fixed_settings[i][0], fixed_settings[i][1], PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	return nest;
}

/* The fixed settings for a row's texts, unless no column needs them or they are applied: the level to end. */
static int
row_settings_begin(const registration *reg)
{
	if (reg->fixed_output || settings_applied())
		return -1;
	return fixed_settings_set();
}

static void
row_settings_end(int nest)
{
	if (nest >= 0)
		AtEOXact_GUC(true, nest);
}

/*
 * Applies the fixed settings until brop_row_settings_restore(), for a caller
 * that makes many rows' texts in one (sub)transaction (the output plugin):
 * setting them once instead of once per row. An error ends them with the
 * (sub)transaction, and brop_row_texts then sets them again itself.
 */
int
brop_row_settings_apply(void)
{
	int			nest = fixed_settings_set();

	applied_nest = nest;
	applied_lxid = brop_my_lxid();
	applied_subxid = GetCurrentSubTransactionId();
	return nest;
}

void
brop_row_settings_restore(int nest)
{
	AtEOXact_GUC(true, nest);
	applied_nest = -1;
}

void
brop_row_texts(const registration *reg, HeapTuple tuple, TupleDesc desc, StringInfo key, StringInfo doc)
{
	int			nest = row_settings_begin(reg);
	int			n = reg->ncols + reg->nextra;
	brop_row_text *vals = palloc(sizeof(brop_row_text) * Max(n, 1));
	char	   *fixed = palloc((size_t) (MAXDATELEN + 1) * Max(n, 1));
	int			v = 0;

	/* each column's text once: the document's values are the key's too */
	for (int i = 0; i < reg->ncols + reg->nkeys; i++)
	{
		const reg_column *c;
		bool		isnull;
		Datum		d;

		if (i < reg->ncols)
			c = &reg->cols[i];
		else if (reg->key_in_cols[i - reg->ncols] < 0)
			c = &reg->keys[i - reg->ncols];
		else
			continue;
		d = heap_getattr(tuple, c->attnum, desc, &isnull);
		vals[v].text = value_text(c, d, isnull, fixed + (size_t) v * (MAXDATELEN + 1), &vals[v].len);
		v++;
	}
	brop_row_compose(reg, vals, key, doc);
	for (int i = 0; i < v; i++)
		if (vals[i].text != NULL && vals[i].text != fixed + (size_t) i * (MAXDATELEN + 1))
			pfree((char *) vals[i].text);
	pfree(fixed);
	pfree(vals);
	row_settings_end(nest);
}

void
brop_row_values(const registration *reg, TupleTableSlot *slot, StringInfo buf, int *starts)
{
	int			nest = row_settings_begin(reg);
	int			v = 0;

	for (int i = 0; i < reg->ncols; i++)
	{
		starts[v++] = buf->len;
		append_record_value(buf, &reg->cols[i], slot);
	}
	for (int k = 0; k < reg->nkeys; k++)
		if (reg->key_in_cols[k] < 0)
		{
			starts[v++] = buf->len;
			append_record_value(buf, &reg->keys[k], slot);
		}
	starts[v] = buf->len;
	row_settings_end(nest);
}

/* ---- SQL --------------------------------------------------------------------- */

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
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_VALUE && v.type != jbvString && v.type != jbvNull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a row document's values must be strings or null"),
					 errdetail("Columns are registered by their PostgreSQL text output.")));
	}
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

/* The JCS text of a row key given as a JSON array of strings. */
static void
row_key_text(StringInfo buf, Jsonb *key)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!JB_ROOT_IS_ARRAY(key) || JB_ROOT_IS_SCALAR(key) || JB_ROOT_COUNT(key) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a row key must be a non-empty JSON array"),
				 errdetail("It lists the key columns' text values, in the registration's key_columns order.")));
	it = JsonbIteratorInit(&key->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_ELEM && v.type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a row key's values must be strings"),
					 errdetail("Key columns are NOT NULL and registered by their PostgreSQL text output.")));
	}
	brop_pg_jcs_jsonb(buf, key);
}

/*
 * brop.row_salt(registration text, row_key jsonb, version bigint) RETURNS bytea:
 * the salt the institution discloses with one version of one row.
 */
PG_FUNCTION_INFO_V1(brop_row_salt_fn);
Datum
brop_row_salt_fn(PG_FUNCTION_ARGS)
{
	text	   *reg = PG_GETARG_TEXT_PP(0);
	StringInfoData key;
	char		version[24];
	bytea	   *out = palloc(VARHDRSZ + BROP_ROW_SALT_BYTES);

	if (PG_GETARG_INT64(2) < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a row's versions start at 1")));
	initStringInfo(&key);
	row_key_text(&key, PG_GETARG_JSONB_P(1));
	snprintf(version, sizeof version, INT64_FORMAT, PG_GETARG_INT64(2));
	SET_VARSIZE(out, VARHDRSZ + BROP_ROW_SALT_BYTES);
	brop_pg_check(brop_row_salt((unsigned char *) VARDATA(out), brop_salt_key(),
								VARDATA_ANY(reg), VARSIZE_ANY_EXHDR(reg), key.data, key.len,
								version, strlen(version)), "registration name");
	PG_RETURN_BYTEA_P(out);
}

/*
 * brop.row_chain_key(registration text, row_key jsonb) RETURNS text: the chain
 * of a row's versions on the ledger, "row:" registration ":" chain id.
 */
PG_FUNCTION_INFO_V1(brop_row_chain_key_fn);
Datum
brop_row_chain_key_fn(PG_FUNCTION_ARGS)
{
	text	   *reg = PG_GETARG_TEXT_PP(0);
	StringInfoData key;
	unsigned char id[BROP_ROW_CHAIN_ID_BYTES];
	char		hex[2 * BROP_ROW_CHAIN_ID_BYTES + 1];

	initStringInfo(&key);
	row_key_text(&key, PG_GETARG_JSONB_P(1));
	brop_pg_check(brop_row_chain_id(id, brop_salt_key(), VARDATA_ANY(reg), VARSIZE_ANY_EXHDR(reg),
									key.data, key.len), "registration name");
	hex_encode((char *) id, sizeof id, hex);
	hex[sizeof hex - 1] = '\0';
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("row:%.*s:%s", (int) VARSIZE_ANY_EXHDR(reg), VARDATA_ANY(reg), hex)));
}
