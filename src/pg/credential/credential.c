/*
 * credential.c — SQL glue of the credential formats (docs/credentials.md):
 * signing a credential with a keyring key, and checking one (or a
 * presentation) cryptographically. The ledger's side of a verdict (the
 * oracle, versions, revocation, inclusion) is brop.verify_credential's, in
 * SQL; this file answers only what the text itself proves.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "credential/credential.h"

/* Copy a core result (malloc) into a text, freeing it. */
static text *
take_text(char *s, size_t len)
{
	text	   *t = cstring_to_text_with_len(s, (int) len);

	free(s);
	return t;
}

static void
credential_error(int rc, const brop_reason *why)
{
	if (rc == BROP_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot sign the credential: %s", why->text[0] ? why->text : brop_strerror(rc))));
}

char *
brop_jsonb_jcs(Jsonb *jb, size_t *len)
{
	StringInfoData buf;

	initStringInfo(&buf);
	brop_pg_jcs_jsonb(&buf, jb);
	*len = buf.len;
	return buf.data;
}

char *
brop_credential_sign(const char *form, brop_alg alg, Jsonb *document, Jsonb *extra,
					 const unsigned char *secret, size_t *outlen)
{
	size_t		doclen,
				extralen;
	char	   *doc = brop_jsonb_jcs(document, &doclen);
	char	   *ext = brop_jsonb_jcs(extra, &extralen);
	unsigned char sig[BROP_SIGNATURE_BYTES];
	brop_reason why = {{0}};
	char	   *out = NULL;
	int			rc;

	if (strcmp(form, "vc") == 0)
	{
		unsigned char input[BROP_DI_SIGNING_INPUT_BYTES];

		if (alg != BROP_ALG_ED25519)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a credential in form vc needs an ed25519 issuer key, not %s", brop_alg_name(alg)),
					 errdetail("Data Integrity proofs of the cryptosuite eddsa-jcs-2022 are Ed25519 signatures.")));
		rc = brop_di_signing_input(input, doc, doclen, ext, extralen, &why);
		if (rc == 0)
			rc = brop_sign(sig, alg, secret, input, sizeof input);
		if (rc == 0)
			rc = brop_di_assemble(&out, outlen, doc, doclen, ext, extralen, sig, NULL, &why);
	}
	else if (strcmp(form, "sd-jwt") == 0)
	{
		char	   *si,
				   *ds;
		size_t		silen,
					dlen;

		rc = brop_sdjwt_prepare(&si, &silen, &ds, &dlen, alg, "dc+sd-jwt", doc, doclen, ext, extralen,
								NULL, &why);
		if (rc != 0)
			credential_error(rc, &why);
		rc = brop_sign(sig, alg, secret, (unsigned char *) si, silen);
		if (rc == 0)
			rc = brop_sdjwt_assemble(&out, outlen, si, silen, sig, ds, dlen, NULL);
		brop_wipe(ds, dlen);
		free(si);
		free(ds);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a credential's form is vc or sd-jwt, not \"%s\"", brop_pg_quote_cstring(form))));
	if (rc != 0)
		credential_error(rc, &why);
	return out;
}

/*
 * brop.sign_credential(key text, issuer brop.did, form text, document jsonb,
 *                      extra jsonb) RETURNS text
 *   form 'vc':     document is the unsecured credential, extra the proof
 *                  options; returns the secured credential (RFC 8785 text).
 *   form 'sd-jwt': document is the always-visible payload, extra the claims
 *                  made selectively disclosable; returns the SD-JWT.
 */
PG_FUNCTION_INFO_V1(brop_sign_credential);
Datum
brop_sign_credential(PG_FUNCTION_ARGS)
{
	char	   *label = text_to_cstring(PG_GETARG_TEXT_PP(0));
	brop_did_value issuer,
				key;
	unsigned char *secret;
	char	   *out;
	size_t		outlen;

	brop_did_unpack(PG_GETARG_DATUM(1), &issuer);
	secret = brop_keyring_secret(label, &key);
	if (key.alg != issuer.alg || key.len != issuer.len || memcmp(key.pk, issuer.pk, key.len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("key \"%s\" is not the issuer's key", brop_pg_quote_cstring(label))));
	out = brop_credential_sign(text_to_cstring(PG_GETARG_TEXT_PP(2)), key.alg, PG_GETARG_JSONB_P(3),
							   PG_GETARG_JSONB_P(4), secret, &outlen);
	brop_wipe(secret, BROP_SECRETKEYBYTES);
	PG_RETURN_TEXT_P(take_text(out, outlen));
}

/* ---- checking ------------------------------------------------------------ */


static Datum
did_datum(const char *s, bool *ok)
{
	brop_alg	alg;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen;

	*ok = s != NULL && brop_didkey_decode(&alg, pk, sizeof pk, &pklen, s, strlen(s)) == 0;
	return *ok ? brop_did_pack(alg, pk, pklen) : (Datum) 0;
}

/* Is t the did:key of this (valid) key? The encoding is canonical: one text per key. */
static bool
is_didkey_of(text *t, brop_alg alg, const unsigned char *pk, size_t pklen)
{
	char		did[BROP_DIDKEY_MAX_LEN];
	size_t		n;

	return brop_didkey_encode_valid(did, sizeof did, &n, alg, pk, pklen) == 0 &&
		VARSIZE_ANY_EXHDR(t) == n && memcmp(VARDATA_ANY(t), did, n) == 0;
}

static Datum
jsonb_datum(const char *s)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(s));
}

/* A brop.digest: 32 bytes, fixed length, by reference. */
static Datum
digest_datum(const unsigned char d[32])
{
	unsigned char *p = palloc(32);

	memcpy(p, d, 32);
	return PointerGetDatum(p);
}

/* The member key of a jsonb object if it is of type t, or NULL. */
static JsonbValue *
jb_member(Jsonb *jb, const char *key, enum jbvType t)
{
	JsonbValue	k,
			   *v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v = findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k);
	return v != NULL && v->type == t ? v : NULL;
}

static text *
jb_text_member(Jsonb *jb, const char *key)
{
	JsonbValue *v = jb_member(jb, key, jbvString);

	return v ? cstring_to_text_with_len(v->val.string.val, v->val.string.len) : NULL;
}

/* An object or array member. */
static Jsonb *
jb_object_member(Jsonb *jb, const char *key)
{
	JsonbValue *v = jb_member(jb, key, jbvBinary);

	return v ? JsonbValueToJsonb(v) : NULL;
}

static void
set_reason(check_out *o, const char *reason)
{
	o->values[C_REASON] = CStringGetTextDatum(reason);
	o->nulls[C_REASON] = false;
}

static void
check_vc(check_out *o, const char *cred, size_t len)
{
	unsigned char pk[BROP_ED25519_PUBLICKEYBYTES];
	char		did[BROP_DIDKEY_MAX_LEN + 1];
	size_t		n;
	brop_reason why = {{0}};
	Jsonb	   *doc,
			   *subject;
	text	   *issuer,
			   *holder,
			   *serial;
	int			is_vc;
	unsigned char digest[32];
	bool		ok;
	int			rc;

	o->values[C_FORM] = CStringGetTextDatum("vc");
	o->nulls[C_FORM] = false;
	rc = brop_di_verify(pk, cred, len, &why);
	if (rc != 0)
	{
		set_reason(o, why.text[0] ? why.text : brop_strerror(rc));
		return;
	}
	/* valid JSON without duplicates now: jsonb keeps every member */
	doc = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(pnstrdup(cred, len))));
	o->values[C_CREDENTIAL] = JsonbPGetDatum(doc);
	o->nulls[C_CREDENTIAL] = false;
	brop_pg_check(brop_credential_digest(digest, &is_vc, cred, len), "credential");
	o->values[C_DIGEST] = digest_datum(digest);
	o->nulls[C_DIGEST] = false;

	if (brop_didkey_encode_valid(did, sizeof did - 1, &n, BROP_ALG_ED25519, pk, sizeof pk) != 0)
		brop_pg_error(BROP_EINTERNAL, "did:key", false);
	did[n] = '\0';
	issuer = jb_text_member(doc, "issuer");
	if (issuer == NULL)
	{
		Jsonb	   *io = jb_object_member(doc, "issuer");

		issuer = io ? jb_text_member(io, "id") : NULL;
	}
	if (issuer == NULL || strcmp(text_to_cstring(issuer), did) != 0)
	{
		set_reason(o, "the proof is not by the credential's issuer");
		return;
	}
	o->values[C_ISSUER] = did_datum(did, &ok);
	o->nulls[C_ISSUER] = false;
	serial = jb_text_member(doc, "id");
	if (serial != NULL)
	{
		o->values[C_SERIAL] = PointerGetDatum(serial);
		o->nulls[C_SERIAL] = false;
	}
	subject = jb_object_member(doc, "credentialSubject");
	holder = subject ? jb_text_member(subject, "id") : NULL;
	if (holder != NULL)
	{
		o->values[C_HOLDER] = did_datum(text_to_cstring(holder), &ok);
		o->nulls[C_HOLDER] = !ok;
	}
	if (subject != NULL)
	{
		o->values[C_CLAIMS] = JsonbPGetDatum(subject);
		o->nulls[C_CLAIMS] = false;
	}
	if (o->nulls[C_SERIAL] || o->nulls[C_HOLDER] || subject == NULL)
		set_reason(o, "the credential has no id, or no credentialSubject with a did:key id");
}

static void
check_sdjwt(check_out *o, const char *cred, size_t len, const char *nonce, const char *aud)
{
	brop_sdjwt_result r;
	brop_reason why = {{0}};
	Jsonb	   *payload,
			   *header,
			   *cnf,
			   *jwk;
	text	   *sub,
			   *jti,
			   *typ;
	bool		ok,
				holder_is_cnf;
	int			rc;

	o->values[C_FORM] = CStringGetTextDatum("sd-jwt");
	o->nulls[C_FORM] = false;
	rc = brop_sdjwt_verify_cancellable(&r, cred, len, 0, NULL, 0, nonce, aud, NULL, &brop_pg_cancel, &why);
	if (rc != 0)
	{
		/* a cancel the core stopped for: 57014 now, not a verdict */
		if (brop_pg_cancel_requested(NULL))
			brop_pg_raise_cancel();
		if (rc == BROP_ENOMEM)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		set_reason(o, why.text[0] ? why.text : brop_strerror(rc));
		return;
	}
	payload = DatumGetJsonbP(jsonb_datum(r.payload));
	header = DatumGetJsonbP(jsonb_datum(r.header));
	o->values[C_CREDENTIAL] = JsonbPGetDatum(payload);
	o->nulls[C_CREDENTIAL] = false;
	o->values[C_REVEALED] = jsonb_datum(r.revealed);
	o->nulls[C_REVEALED] = false;
	o->values[C_DIGEST] = digest_datum(r.jwt_digest);
	o->nulls[C_DIGEST] = false;
	o->values[C_KEY_BOUND] = BoolGetDatum(r.key_bound != 0);
	o->nulls[C_KEY_BOUND] = false;
	if (r.key_bound)
	{
		o->values[C_KB_IAT] = TimestampTzGetDatum(time_t_to_timestamptz((pg_time_t) r.kb_iat));
		o->nulls[C_KB_IAT] = false;
	}
	free(r.payload);
	free(r.header);
	free(r.revealed);

	/* the key that verified the issuer's signature is iss's, decoded and validated */
	o->values[C_ISSUER] = brop_did_pack(r.issuer_alg, r.issuer_pk, r.issuer_pklen);
	o->nulls[C_ISSUER] = false;
	jti = jb_text_member(payload, "jti");
	if (jti != NULL)
	{
		o->values[C_SERIAL] = PointerGetDatum(jti);
		o->nulls[C_SERIAL] = false;
	}
	sub = jb_text_member(payload, "sub");
	/* a presentation's cnf key, validated, verified the key binding: is sub its did:key? */
	holder_is_cnf = r.key_bound && sub != NULL && is_didkey_of(sub, r.holder_alg, r.holder_pk, r.holder_pklen);
	if (holder_is_cnf)
		o->values[C_HOLDER] = brop_did_pack(r.holder_alg, r.holder_pk, r.holder_pklen);
	else
		o->values[C_HOLDER] = did_datum(sub ? text_to_cstring(sub) : NULL, &ok);
	o->nulls[C_HOLDER] = !holder_is_cnf && !ok;

	typ = jb_text_member(header, "typ");
	if (typ == NULL || (strcmp(text_to_cstring(typ), "dc+sd-jwt") != 0
						&& strcmp(text_to_cstring(typ), "vc+sd-jwt") != 0))
	{
		set_reason(o, "the SD-JWT's typ is not dc+sd-jwt");
		return;
	}
	if (o->nulls[C_SERIAL] || o->nulls[C_HOLDER])
	{
		set_reason(o, "the credential has no jti, or no did:key sub");
		return;
	}
	/* the holder's key (cnf) must be the key of sub */
	if (holder_is_cnf)
		return;
	cnf = jb_object_member(payload, "cnf");
	jwk = cnf ? jb_object_member(cnf, "jwk") : NULL;
	if (jwk != NULL)
	{
		size_t		jlen;
		char	   *j = brop_jsonb_jcs(jwk, &jlen);
		brop_alg	alg;
		unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
		size_t		pklen;
		brop_did_value h;

		brop_did_unpack(o->values[C_HOLDER], &h);
		if (brop_jwk_decode(&alg, pk, &pklen, j, jlen) != 0 || alg != h.alg || pklen != h.len
			|| memcmp(pk, h.pk, pklen) != 0)
		{
			set_reason(o, "the credential's holder key (cnf) is not the key of its sub");
			return;
		}
	}
	else
	{
		set_reason(o, "the credential has no holder key (cnf.jwk)");
		return;
	}
}

/*
 * brop.credential_check(credential text, nonce text DEFAULT NULL,
 *                       audience text DEFAULT NULL)
 *   RETURNS (form, issuer, holder, serial, credential, claims, revealed,
 *            digest, key_bound, kb_iat, reason)
 * What the text proves by itself: reason is null when the signatures (and
 * the key binding, with a nonce) verify.
 */
void
brop_credential_check_into(check_out *o, const char *s, size_t len, const char *nonce, const char *aud)
{
	size_t		i = 0;

	memset(o->nulls, true, sizeof o->nulls);
	memset(o->values, 0, sizeof o->values);
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (i < len && s[i] == '{')
	{
		if (nonce != NULL)
		{
			o->values[C_FORM] = CStringGetTextDatum("vc");
			o->nulls[C_FORM] = false;
			set_reason(o, "a vc credential is not a presentation: it has no key binding to a nonce");
		}
		else
			check_vc(o, s, len);
		return;
	}
	if (nonce != NULL && aud == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a presentation is verified with both a nonce and an audience")));
	check_sdjwt(o, s, len, nonce, aud);
}

/*
 * brop.credential_check(credential text, nonce text DEFAULT NULL,
 *                       audience text DEFAULT NULL)
 *   RETURNS (form, issuer, holder, serial, credential, claims, revealed,
 *            digest, key_bound, kb_iat, reason)
 * What the text proves by itself: reason is null when the signatures (and
 * the key binding, with a nonce) verify.
 */
PG_FUNCTION_INFO_V1(brop_credential_check);
Datum
brop_credential_check(PG_FUNCTION_ARGS)
{
	text	   *t;
	TupleDesc	desc;
	check_out	o;

	/* not STRICT: a NULL nonce or audience means none; a NULL credential, no result */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = PG_GETARG_TEXT_PP(0);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	brop_credential_check_into(&o, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
							   PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1)),
							   PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, o.values, o.nulls)));
}

/* brop.did_jwk(brop.did) RETURNS jsonb */
PG_FUNCTION_INFO_V1(brop_did_jwk);
Datum
brop_did_jwk(PG_FUNCTION_ARGS)
{
	brop_did_value d;
	char	   *jwk;
	size_t		len;
	char	   *copy;
	int			rc;

	brop_did_unpack(PG_GETARG_DATUM(0), &d);
	rc = brop_jwk_encode_valid(&jwk, &len, d.alg, d.pk, d.len, NULL);
	if (rc == BROP_EALG)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a %s key has no JWK for signatures", brop_alg_name(d.alg))));
	brop_pg_check(rc, "did");
	copy = pnstrdup(jwk, len);
	free(jwk);
	PG_RETURN_DATUM(jsonb_datum(copy));
}
