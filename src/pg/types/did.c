/*
 * did.c — the brop.did type (a public key with its algorithm, did:key text
 * I/O), and DID conversions.
 *
 * On disk: a varlena holding one algorithm byte (brop_alg) and the public
 * key in the form did:key uses (32 bytes, or 33 compressed).
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "types/types.h"

#define DID_ALG(d) (((unsigned char *) VARDATA_ANY(d))[0])
#define DID_KEY(d) (((unsigned char *) VARDATA_ANY(d)) + 1)
#define DID_KEYLEN(d) (VARSIZE_ANY_EXHDR(d) - 1)

Datum
brop_did_pack(brop_alg alg, const unsigned char *pk, size_t len)
{
	bytea	   *d = (bytea *) palloc(VARHDRSZ + 1 + len);

	SET_VARSIZE(d, VARHDRSZ + 1 + len);
	((unsigned char *) VARDATA(d))[0] = (unsigned char) alg;
	memcpy(VARDATA(d) + 1, pk, len);
	return PointerGetDatum(d);
}

void
brop_did_unpack(Datum datum, brop_did_value *out)
{
	bytea	   *d = (bytea *) PG_DETOAST_DATUM_PACKED(datum);
	size_t		len = VARSIZE_ANY_EXHDR(d);

	/* Stored values were validated on the way in; guard against corruption. */
	if (len < 2 || len - 1 > BROP_PUBLICKEY_MAX_BYTES ||
		brop_alg_publickey_bytes((brop_alg) DID_ALG(d)) != len - 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted brop.did value")));
	out->alg = (brop_alg) DID_ALG(d);
	out->len = len - 1;
	memcpy(out->pk, DID_KEY(d), out->len);
}

brop_alg
brop_alg_from_text(text *t)
{
	brop_alg	alg;

	if (brop_alg_from_name(&alg, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unrecognized key algorithm: \"%s\"",
						brop_pg_quote(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t))),
				 errhint("Supported algorithms are ed25519, secp256k1, p256 and x25519.")));
	return alg;
}

static const char *
didkey_error_detail(int rc)
{
	switch (rc)
	{
		case BROP_EALG:
			return "The multicodec is not ed25519-pub, secp256k1-pub, p256-pub or x25519-pub.";
		case BROP_ELENGTH:
			return "The public key has the wrong length for its multicodec.";
		case BROP_EKEY:
			return "The public key is not a valid point of its curve.";
		case BROP_ENONCANONICAL:
			return "The multicodec varint is not minimally encoded.";
		default:
			return "A did:key is \"did:key:z\" followed by base58btc text.";
	}
}

/*
 * The last texts did_in read, per backend: a did:key's validation (the
 * point's subgroup check) costs about as much as a signature's
 * verification, and the same few organisations' dids come again and again
 * (a member's apply worker reads every replicated entry's org: 41 % of its
 * time before, docs/benchmarks.md). A text's value depends on the text
 * alone, so a hit on the same bytes is the same answer. Direct-mapped.
 */
#define DID_CACHE 32
typedef struct did_cached
{
	size_t		textlen;		/* 0: empty slot */
	char		text[BROP_DIDKEY_MAX_LEN];
	brop_alg	alg;
	size_t		len;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
} did_cached;
static did_cached did_cache[DID_CACHE];

static did_cached *
did_cache_slot(const char *str, size_t textlen)
{
	uint32		h = 2166136261u;	/* FNV-1a over the last 16 bytes: the key's own */

	for (size_t i = textlen > 16 ? textlen - 16 : 0; i < textlen; i++)
		h = (h ^ (unsigned char) str[i]) * 16777619u;
	return &did_cache[h % DID_CACHE];
}

PG_FUNCTION_INFO_V1(did_in);
Datum
did_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		len;
	brop_alg	alg;
	int			rc;
	size_t		textlen = strlen(str);
	did_cached *c = did_cache_slot(str, textlen);

	if (textlen > 0 && c->textlen == textlen && memcmp(c->text, str, textlen) == 0)
		PG_RETURN_DATUM(brop_did_pack(c->alg, c->pk, c->len));
	rc = brop_didkey_decode(&alg, pk, sizeof pk, &len, str, textlen);
	if (rc == 0 && textlen <= sizeof c->text)
	{
		c->textlen = textlen;
		memcpy(c->text, str, textlen);
		c->alg = alg;
		c->len = len;
		memcpy(c->pk, pk, len);
	}
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type brop.did: \"%s\"", brop_pg_quote(str, textlen)),
				 rc == BROP_ELENGTH && textlen > strlen("did:key:z") + BROP_DIDKEY_MAX_BASE58 ?
				 errdetail("A did:key's base58btc part is at most %d characters.", BROP_DIDKEY_MAX_BASE58) :
				 errdetail("%s", didkey_error_detail(rc))));
	PG_RETURN_DATUM(brop_did_pack(alg, pk, len));
}

static char *
did_to_cstring(const brop_did_value *v)
{
	char	   *out = palloc(BROP_DIDKEY_MAX_LEN + 1);
	size_t		n;

	/* a brop.did was validated on input */
	brop_pg_check(brop_didkey_encode_valid(out, BROP_DIDKEY_MAX_LEN, &n, v->alg, v->pk, v->len), "did");
	out[n] = '\0';
	return out;
}

char *
brop_did_cstring(Datum did)
{
	brop_did_value v;

	brop_did_unpack(did, &v);
	return did_to_cstring(&v);
}

PG_FUNCTION_INFO_V1(did_out);
Datum
did_out(PG_FUNCTION_ARGS)
{
	brop_did_value v;

	brop_did_unpack(PG_GETARG_DATUM(0), &v);
	PG_RETURN_CSTRING(did_to_cstring(&v));
}

/* Binary form: varint(multicodec) || public key, the bytes inside a did:key. */
PG_FUNCTION_INFO_V1(did_recv);
Datum
did_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const unsigned char *p = (const unsigned char *) buf->data + buf->cursor;
	size_t		avail = buf->len - buf->cursor;
	uint64_t	code;
	size_t		used;
	brop_alg	alg;
	int			rc;

	rc = brop_varint_decode(&code, &used, p, avail);
	if (rc == 0)
		rc = brop_alg_from_multicodec(&alg, code);
	if (rc == 0)
		rc = brop_key_validate(alg, p + used, avail - used);
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary brop.did value"),
				 errdetail("%s", didkey_error_detail(rc))));
	buf->cursor = buf->len;
	PG_RETURN_DATUM(brop_did_pack(alg, p + used, avail - used));
}

PG_FUNCTION_INFO_V1(did_send);
Datum
did_send(PG_FUNCTION_ARGS)
{
	brop_did_value v;
	unsigned char codec[BROP_VARINT_MAX_BYTES];
	size_t		n;
	StringInfoData buf;

	brop_did_unpack(PG_GETARG_DATUM(0), &v);
	brop_pg_check(brop_varint_encode(codec, &n, brop_alg_multicodec(v.alg)), "did");
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) codec, n);
	pq_sendbytes(&buf, (char *) v.pk, v.len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---- comparison: bytewise over (algorithm, key) ---------------------------- */

static int
did_cmp_internal(PG_FUNCTION_ARGS)
{
	bytea	   *a = PG_GETARG_BYTEA_PP(0);
	bytea	   *b = PG_GETARG_BYTEA_PP(1);
	size_t		la = VARSIZE_ANY_EXHDR(a),
				lb = VARSIZE_ANY_EXHDR(b);
	int			c = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(la, lb));

	if (c == 0)
		c = (la > lb) - (la < lb);
	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return c;
}

BROP_COMPARISON_FUNCTIONS(did, did_cmp_internal)

PG_FUNCTION_INFO_V1(did_hash);
Datum
did_hash(PG_FUNCTION_ARGS)
{
	bytea	   *a = PG_GETARG_BYTEA_PP(0);
	Datum		h = hash_any((unsigned char *) VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a));

	PG_FREE_IF_COPY(a, 0);
	return h;
}

PG_FUNCTION_INFO_V1(did_hash_extended);
Datum
did_hash_extended(PG_FUNCTION_ARGS)
{
	bytea	   *a = PG_GETARG_BYTEA_PP(0);
	Datum		h = hash_any_extended((unsigned char *) VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
									  PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(a, 0);
	return h;
}

/* ---- constructors and accessors ------------------------------------------ */

/* brop.did(alg text, public_key bytea): EC keys may be given uncompressed. */
PG_FUNCTION_INFO_V1(did_from_public_key);
Datum
did_from_public_key(PG_FUNCTION_ARGS)
{
	brop_alg	alg = brop_alg_from_text(PG_GETARG_TEXT_PP(0));
	bytea	   *key = PG_GETARG_BYTEA_PP(1);
	const unsigned char *pk = (unsigned char *) VARDATA_ANY(key);
	size_t		len = VARSIZE_ANY_EXHDR(key);
	unsigned char compressed[BROP_PUBLICKEY_MAX_BYTES];

	if (alg == BROP_ALG_SECP256K1 && len != BROP_SECP256K1_PUBLICKEYBYTES)
	{
		brop_pg_check(brop_secp256k1_pubkey_compress(compressed, pk, len), "public key");
		pk = compressed;
		len = BROP_SECP256K1_PUBLICKEYBYTES;
	}
	else if (alg == BROP_ALG_P256 && len != BROP_P256_PUBLICKEYBYTES)
	{
		brop_pg_check(brop_p256_pubkey_compress(compressed, pk, len), "public key");
		pk = compressed;
		len = BROP_P256_PUBLICKEYBYTES;
	}
	brop_pg_check(brop_key_validate(alg, pk, len), "public key");
	PG_RETURN_DATUM(brop_did_pack(alg, pk, len));
}

PG_FUNCTION_INFO_V1(did_public_key);
Datum
did_public_key(PG_FUNCTION_ARGS)
{
	brop_did_value v;

	brop_did_unpack(PG_GETARG_DATUM(0), &v);
	PG_RETURN_BYTEA_P(brop_pg_bytea_from(v.pk, v.len));
}

PG_FUNCTION_INFO_V1(did_alg);
Datum
did_alg(PG_FUNCTION_ARGS)
{
	brop_did_value v;

	brop_did_unpack(PG_GETARG_DATUM(0), &v);
	PG_RETURN_TEXT_P(cstring_to_text(brop_alg_name(v.alg)));
}

/* The X25519 key-agreement DID of an Ed25519 DID (an X25519 DID is returned as is). */
PG_FUNCTION_INFO_V1(did_to_x25519);
Datum
did_to_x25519(PG_FUNCTION_ARGS)
{
	brop_did_value v;
	unsigned char xpk[BROP_X25519_PUBLICKEYBYTES];

	brop_did_unpack(PG_GETARG_DATUM(0), &v);
	if (v.alg == BROP_ALG_X25519)
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (v.alg != BROP_ALG_ED25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot convert a %s did to x25519", brop_alg_name(v.alg)),
				 errdetail("Only Ed25519 keys have an X25519 counterpart.")));
	brop_pg_check(brop_ed25519_pk_to_x25519(xpk, v.pk), "did");
	PG_RETURN_DATUM(brop_did_pack(BROP_ALG_X25519, xpk, sizeof xpk));
}
