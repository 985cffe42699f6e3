/*
 * credential_issue.c — brop.issue_credential (docs/credentials.md,
 * "Issuance"): the arguments checked; the credential's serial, header and
 * document made; the issuer's keyring key opened once for the credential's
 * signature, the envelope sealed to the holder and the entry's signature;
 * the category, the identity claims of profile 2, the oracle, membership and
 * the superseded version checked in one statement each; the entry appended
 * and the credential's row written as brop's owner (as brop.submit does).
 * The keyring decides who may use the key.
 *
 * The function runs without a SET search_path (whose per-call save and
 * restore cost a few per cent): every object and operator in its statements
 * is named with its schema.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "credential/credential.h"

/* brop.issue_credential's arguments, in order */
enum
{
	A_KEY, A_HOLDER, A_CATEGORY, A_CLAIMS, A_PROFILE, A_FORM, A_VALID_UNTIL, A_SUPERSEDES
};

/* A credential version being issued: what its header and its row hold. */
typedef struct issue
{
	char		serial[9 + 36 + 1]; /* urn:uuid:<RFC 9562 version 4> */
	const char *lineage;
	int32		version;
	const char *supersedes;
	Datum		issuer;
	Datum		holder;
	char	   *issuer_text;
	char	   *holder_text;
	brop_did_value holder_key;
	const char *category;
	const char *form;
	int			profile;
	TimestampTz issued_at;
	TimestampTz valid_until;
	bool		has_valid_until;
	bool		prev_deactivated;
} issue;

static SPIPlanPtr supersede_plan = NULL;

brop_noreturn static void refuse(const char *msg, const char *detail, const char *hint);

static void
refuse(const char *msg, const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg_internal("%s", msg),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
}

/* ---- the claims ---------------------------------------------------------- */

static JsonbValue *
member(JsonbContainer *obj, const char *key)
{
	return getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);
}

static bool
is_container(JsonbValue *v, bool array)
{
	return v != NULL && v->type == jbvBinary &&
		(array ? JsonContainerIsArray(v->val.binary.data) : JsonContainerIsObject(v->val.binary.data));
}

static bool
is_string(JsonbValue *v, const char *s)
{
	return v != NULL && v->type == jbvString && v->val.string.len == (int) strlen(s) &&
		memcmp(v->val.string.val, s, v->val.string.len) == 0;
}

/* The first key of obj (in jsonb's order) that is in names, or NULL. */
static char *
first_key_in(JsonbContainer *obj, const char *const *names, int n)
{
	JsonbIterator *it = JsonbIteratorInit(obj);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		if (tok == WJB_KEY)
			for (int i = 0; i < n; i++)
				if (is_string(&v, names[i]))
					return pstrdup(names[i]);
	return NULL;
}

/*
 * Checks the claims for the form, as docs/credentials.md says; sets
 * *subject to the credential's subject: the claims, or a whole VC document's
 * credentialSubject.
 */
static void
check_claims(Jsonb *claims, const char *form, JsonbValue *subject_out)
{
	static const char *const set_by_brop[] = {
		"id", "issuer", "validFrom", "validUntil", "proof", "category", "version", "supersedes"
	};
	static const char *const reserved[] = {
		"iss", "iat", "nbf", "exp", "vct", "jti", "sub", "cnf", "status", "version", "supersedes",
		"_sd", "_sd_alg", "..."
	};
	JsonbContainer *c = &claims->root;
	bool		sd_jwt = strcmp(form, "sd-jwt") == 0;
	char	   *bad;

	if (!JB_ROOT_IS_OBJECT(claims) || JB_ROOT_COUNT(claims) == 0)
		refuse("claims must be a non-empty JSON object", NULL, NULL);
	if (member(c, "@context") || member(c, "type") || member(c, "credentialSubject"))
	{
		JsonbValue *ctx = member(c, "@context"),
				   *type = member(c, "type"),
				   *subject = member(c, "credentialSubject"),
				   *first = NULL,
					vc;

		if (sd_jwt)
			refuse("an sd-jwt credential takes the claims themselves, not a VC document", NULL, NULL);
		if (is_container(ctx, true))
			first = getIthJsonbValueFromContainer(ctx->val.binary.data, 0);
		vc.type = jbvString;
		vc.val.string.val = "VerifiableCredential";
		vc.val.string.len = strlen(vc.val.string.val);
		bad = !is_string(first, "https://www.w3.org/ns/credentials/v2") ? "@context"
			: !is_container(type, true) || !findJsonbValueFromContainer(type->val.binary.data, JB_FARRAY, &vc) ? "type"
			: !is_container(subject, false) || JsonContainerSize(subject->val.binary.data) == 0 ? "credentialSubject"
			: NULL;
		if (bad)
			refuse(psprintf("claims are missing the required VC field \"%s\"", bad),
				   "A VC 2.0 document has an @context array starting with https://www.w3.org/ns/credentials/v2, a type array with VerifiableCredential and a non-empty credentialSubject object.",
				   NULL);
		for (int i = 0; i < lengthof(set_by_brop); i++)
			if (member(c, set_by_brop[i]))
				refuse(psprintf("claims may not set \"%s\": brop sets it", set_by_brop[i]), NULL, NULL);
		if (member(subject->val.binary.data, "id"))
			refuse("claims may not set \"credentialSubject.id\": brop sets it", NULL, NULL);
		*subject_out = *subject;
		return;
	}
	if (sd_jwt && (bad = first_key_in(c, reserved, lengthof(reserved))) != NULL)
		refuse(psprintf("claim \"%s\" is reserved in an sd-jwt credential", bad), NULL, NULL);
	if (!sd_jwt && member(c, "id"))
		refuse("claims may not set \"id\": the subject's id is the holder", NULL, NULL);
	subject_out->type = jbvBinary;
	subject_out->val.binary.data = c;
	subject_out->val.binary.len = VARSIZE(claims) - VARHDRSZ;
}

/* ---- the checks in the database ------------------------------------------ */

/*
 * The admission rules (credential_admit.c), the same as
 * brop.record_credential's: sets the issue's lineage and version.
 */
static void
check_in_database(issue *is, Jsonb *subject)
{
	brop_admission a;

	memset(&a, 0, sizeof a);
	a.issuer = is->issuer;
	a.holder = is->holder;
	a.issuer_text = is->issuer_text;
	a.holder_text = is->holder_text;
	a.category = is->category;
	a.supersedes = is->supersedes;
	a.issued_at = is->issued_at;
	a.subject = subject;
	brop_credential_admit(&a);
	is->version = a.version;
	if (a.lineage != NULL)
		is->lineage = a.lineage;
	is->prev_deactivated = a.prev_deactivated;
}

/* ---- the credential's texts ---------------------------------------------- */

static void
json_str(StringInfo b, const char *key, const char *value)
{
	if (value == NULL)
		return;
	brop_pg_json_key(b, key);
	escape_json(b, value);
}

static void
json_int(StringInfo b, const char *key, int64 value)
{
	brop_pg_json_key(b, key);
	appendStringInfo(b, INT64_FORMAT, value);
}

/* RFC 3339 UTC time, with microseconds or to the second (the core's brop_time_text) */
static void
json_time(StringInfo b, const char *key, TimestampTz t, bool micro)
{
	char		s[BROP_TIME_TEXT_BYTES];

	brop_pg_check(brop_time_text(s, NULL, brop_pg_unix_us(t), micro), "time");
	json_str(b, key, s);
}

static int64
unix_seconds(TimestampTz t)
{
	int64		us = t + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;

	return us >= 0 ? us / USECS_PER_SEC : -((-us + USECS_PER_SEC - 1) / USECS_PER_SEC);
}

static Jsonb *
jsonb_of(StringInfo b)
{
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(b->data)));
}

/* The entry's header: what brop.credential_header() makes of the credential's row. */
static Jsonb *
credential_header(const issue *is)
{
	return brop_credential_header_jsonb(is->serial, is->version, is->supersedes, is->issuer_text,
										is->holder_text, is->category, is->form, is->profile,
										is->issued_at, is->has_valid_until ? &is->valid_until : NULL);
}

/*
 * The unsigned credential (*document) and what the signature adds
 * (*extra): form vc, the VC 2.0 document and its proof options; form
 * sd-jwt, the visible payload and the disclosable claims.
 */
static void
credential_document(const issue *is, Jsonb *claims, JsonbValue *subject, Jsonb **document, Jsonb **extra)
{
	StringInfoData b;

	initStringInfo(&b);
	appendStringInfoChar(&b, '{');
	if (strcmp(is->form, "sd-jwt") == 0)
	{
		char	   *jwk;
		size_t		jwklen;

		json_str(&b, "iss", is->issuer_text);
		json_int(&b, "iat", unix_seconds(is->issued_at));
		if (is->has_valid_until)
			json_int(&b, "exp", unix_seconds(is->valid_until));
		json_str(&b, "vct", psprintf("urn:brop:credential:%s", is->category));
		json_str(&b, "jti", is->serial);
		json_str(&b, "sub", is->holder_text);
		brop_pg_check(brop_jwk_encode_valid(&jwk, &jwklen, is->holder_key.alg, is->holder_key.pk,
											is->holder_key.len, NULL), "holder did");
		brop_pg_json_key(&b, "cnf");
		appendStringInfo(&b, "{\"jwk\":%.*s}", (int) jwklen, jwk);
		free(jwk);
		json_int(&b, "version", is->version);
		json_str(&b, "supersedes", is->supersedes);
		appendStringInfoChar(&b, '}');
		*document = jsonb_of(&b);
		*extra = claims;
		return;
	}

	/* a whole document keeps its own @context and type and everything else */
	if (subject->val.binary.data == &claims->root)
	{
		brop_pg_json_key(&b, "@context");
		appendStringInfoString(&b, "[\"https://www.w3.org/ns/credentials/v2\"]");
		brop_pg_json_key(&b, "type");
		appendStringInfoString(&b, "[\"VerifiableCredential\",\"BropCredential\"]");
	}
	json_str(&b, "id", is->serial);
	json_str(&b, "issuer", is->issuer_text);
	json_str(&b, "category", is->category);
	json_int(&b, "version", is->version);
	json_str(&b, "supersedes", is->supersedes);
	json_time(&b, "validFrom", is->issued_at, false);
	if (is->has_valid_until)
		json_time(&b, "validUntil", is->valid_until, false);
	brop_pg_json_key(&b, "credentialSubject");
	{
		char	   *s = JsonbToCString(NULL, subject->val.binary.data, subject->val.binary.len);

		/* a non-empty object without "id" (check_claims): the holder's id first */
		appendStringInfoString(&b, "{\"id\":");
		escape_json(&b, is->holder_text);
		appendStringInfo(&b, ",%s", s + 1);
	}
	appendStringInfoChar(&b, '}');
	*document = jsonb_of(&b);
	if (subject->val.binary.data != &claims->root)
		*document = DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(claims),
													   JsonbPGetDatum(*document)));

	resetStringInfo(&b);
	appendStringInfoChar(&b, '{');
	json_str(&b, "type", "DataIntegrityProof");
	json_str(&b, "cryptosuite", "eddsa-jcs-2022");
	json_time(&b, "created", is->issued_at, false);
	json_str(&b, "verificationMethod", psprintf("%s#%s", is->issuer_text, is->issuer_text + 8));
	json_str(&b, "proofPurpose", "assertionMethod");
	appendStringInfoChar(&b, '}');
	*extra = jsonb_of(&b);
}

/* A random (version 4) UUID URN, as gen_random_uuid() makes them. */
static void
new_serial(char out[9 + 36 + 1])
{
	unsigned char u[16];
	char	   *p = out + 9;

	if (!pg_strong_random(u, sizeof u))
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not generate random values")));
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	memcpy(out, "urn:uuid:", 9);
	for (int i = 0; i < 16; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", u[i]);
	}
}

/* ---- signing and recording ----------------------------------------------- */

/*
 * The credential signed, sealed to the holder (profiles 2 and 3), its entry
 * signed, appended and its row written, as brop's owner. Returns the entry's
 * id; *cred (malloc'd) the credential.
 */
static int64
sign_and_record(issue *is, unsigned char *secret, Jsonb *header, Jsonb *document, Jsonb *extra,
				char **cred, size_t *credlen)
{
	bytea	   *envelope = NULL;
	unsigned char digest[BROP_DIGEST_BYTES],
				body[BROP_DIGEST_BYTES],
				head[BROP_DIGEST_BYTES],
				leaf[BROP_DIGEST_BYTES];
	int64		chain_len,
				id = 0;
	entry_fields f;
	int			is_vc;

	*cred = brop_credential_sign(is->form, BROP_ALG_ED25519, document, extra, secret, credlen);
	brop_pg_check(brop_credential_digest(digest, &is_vc, *cred, *credlen), "credential");
	if (is->profile > 1)
	{
		size_t		cap = BROP_ENVELOPE_OVERHEAD(BROP_ENVELOPE_RECIPIENT_MAX) + *credlen,
					envlen;

		envelope = (bytea *) palloc(VARHDRSZ + cap);
		brop_pg_check(brop_envelope_seal((unsigned char *) VARDATA(envelope), cap, &envlen,
										 (unsigned char *) *cred, *credlen, is->holder_key.alg, is->holder_key.pk,
										 is->holder_key.len, secret),
					  "envelope");
		SET_VARSIZE(envelope, VARHDRSZ + envlen);
		brop_pg_check(brop_sha256(body, (unsigned char *) VARDATA(envelope), envlen), "envelope");
	}

	/* the entry, signed by the issuer, in the chain of the credential's versions */
	memset(&f, 0, sizeof f);
	f.kind = cstring_to_text("credential");
	f.org = is->issuer;
	f.subject = is->holder;
	f.has_subject = true;
	f.chain_key = cstring_to_text(psprintf("credential:%s", is->lineage));
	/* a first version starts a chain (ledger_append refuses one that exists) */
	if (is->version > 1 && brop_chain_state(f.chain_key, head, &chain_len))
		f.prev_digest = head;
	f.header = header;
	f.payload_digest = digest;
	f.body_digest = envelope ? body : NULL;
	f.nonce = cstring_to_text(is->serial);
	f.submitted_at = GetCurrentTimestamp();
	f.org_text = is->issuer_text;
	f.subject_text = is->holder_text;
	brop_entry_check_fields(&f);
	{
		bytea	   *input = brop_entry_signing_input_of(&f);

		f.signature = (bytea *) palloc(VARHDRSZ + BROP_SIGNATURE_BYTES);
		SET_VARSIZE(f.signature, VARHDRSZ + BROP_SIGNATURE_BYTES);
		brop_pg_check(brop_sign((unsigned char *) VARDATA(f.signature), BROP_ALG_ED25519, secret,
								(unsigned char *) VARDATA(input), VARSIZE(input) - VARHDRSZ),
					  "entry signature");
	}
	brop_wipe(secret, BROP_SECRETKEYBYTES);
	brop_entry_leaf_hash(&f, leaf);

	{
		/* the credential's row, in the entry's statement: serial $9, issuer $2, holder $3, digest $7 */
		static SPIPlanPtr record_plans[3];
		static const Oid types[] = {TEXTOID, INT4OID, TEXTOID, TEXTOID, TEXTOID, INT2OID, TIMESTAMPTZOID,
		TIMESTAMPTZOID, BOOLOID, BYTEAOID};
		Datum		values[] = {CStringGetTextDatum(is->lineage), Int32GetDatum(is->version),
			is->supersedes ? CStringGetTextDatum(is->supersedes) : (Datum) 0, CStringGetTextDatum(is->category),
			CStringGetTextDatum(is->form), Int16GetDatum(is->profile), TimestampTzGetDatum(is->issued_at),
			TimestampTzGetDatum(is->valid_until), BoolGetDatum(is->prev_deactivated),
		PointerGetDatum(envelope)};
		char		nulls[] = {' ', ' ', is->supersedes ? ' ' : 'n', ' ', ' ', ' ', ' ',
		is->has_valid_until ? ' ' : 'n', ' ', envelope ? ' ' : 'n'};
		brop_append_extra record = {
			.ctes = ", c AS (INSERT INTO brop.credential (serial, lineage, version, supersedes, issuer, holder,"
			" category, form, profile, digest, issued_at, valid_until, entry, status, deactivated, destroyed,"
			" envelope) SELECT $9, $14, $15, $16, $2, $3, $17, $18, $19, $7, $20, $21, e.id, 'active', $22, false,"
			" $23 FROM e RETURNING 1)",
			.select = "(SELECT pg_catalog.count(*) FROM c)",
			.nargs = lengthof(types), .types = types, .values = values, .nulls = nulls, .plans = record_plans
		};
		Datum		recorded;
		bool		isnull;

		StaticAssertStmt(lengthof(types) == lengthof(values) && lengthof(values) == lengthof(nulls),
						 "one value for each parameter");
		if (!brop_ledger_append_extra(&f, leaf, &id, NULL, &record, &recorded, &isnull))
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("credential %s is already on the ledger", is->serial)));
		if (isnull || DatumGetInt64(recorded) != 1)
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("a trigger on brop.credential skipped the credential's row")));
	}
	if (is->supersedes != NULL)
	{
		Oid			types[2] = {TEXTOID, INT8OID};
		Datum		args[2] = {CStringGetTextDatum(is->supersedes), Int64GetDatum(id)};

		if (SPI_execute_plan(brop_kept_plan(&supersede_plan,
											"UPDATE brop.credential SET status = 'superseded', status_entry = $2"
											" WHERE serial OPERATOR(pg_catalog.=) $1", 2, types, 0),
							 args, NULL, false, 0) != SPI_OK_UPDATE || SPI_processed != 1)
			elog(ERROR, "could not supersede the credential's previous version");
	}
	return id;
}

/*
 * brop.issue_credential(issuer_key text, holder brop.did, category text,
 *     claims jsonb, profile int, form text, valid_until timestamptz,
 *     supersedes text, OUT serial text, OUT entry bigint, OUT credential text)
 */
PG_FUNCTION_INFO_V1(brop_issue_credential);
Datum
brop_issue_credential(PG_FUNCTION_ARGS)
{
	issue		is;
	Jsonb	   *claims;
	JsonbValue	subject;
	Jsonb	   *header,
			   *document,
			   *extra;
	brop_did_value issuer;
	unsigned char *secret;
	char	   *cred;
	size_t		credlen;
	int64		id;
	brop_owner_state owner;
	TupleDesc	desc;
	Datum		out[3];
	bool		outnull[3] = {false, false, false};

	/* the result's descriptor, made once per call site */
	desc = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (desc == NULL)
	{
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = desc;
	}
	for (int i = A_KEY; i <= A_FORM; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("issuer_key, holder, category, claims, profile and form must not be null")));
	memset(&is, 0, sizeof is);
	is.holder = PG_GETARG_DATUM(A_HOLDER);
	is.category = text_to_cstring(PG_GETARG_TEXT_PP(A_CATEGORY));
	claims = PG_GETARG_JSONB_P(A_CLAIMS);
	is.profile = PG_GETARG_INT32(A_PROFILE);
	is.form = text_to_cstring(PG_GETARG_TEXT_PP(A_FORM));
	is.has_valid_until = !PG_ARGISNULL(A_VALID_UNTIL);
	is.valid_until = is.has_valid_until ? PG_GETARG_TIMESTAMPTZ(A_VALID_UNTIL) : 0;
	if (is.has_valid_until && !TIMESTAMP_NOT_FINITE(is.valid_until))
	{
		/* to the second, as exp, validUntil and the header's valid_until say it (down: never later) */
		int64		us = is.valid_until % USECS_PER_SEC;

		is.valid_until -= us < 0 ? us + USECS_PER_SEC : us;
	}
	is.supersedes = PG_ARGISNULL(A_SUPERSEDES) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(A_SUPERSEDES));
	is.version = 1;
	is.issued_at = GetCurrentTransactionStartTimestamp();

	if (is.profile < 1 || is.profile > 3)
		refuse(psprintf("a credential's profile is 1, 2 or 3, not %d", is.profile),
			   "Profile 1 stores only the digest; 2 the envelope sealed to the holder, without identity data; 3 the envelope with identity data.",
			   NULL);
	if (strcmp(is.form, "vc") != 0 && strcmp(is.form, "sd-jwt") != 0)
		refuse(psprintf("a credential's form is vc or sd-jwt, not %s", is.form), NULL, NULL);
	brop_did_unpack(is.holder, &is.holder_key);
	if (is.profile > 1 && is.holder_key.alg != BROP_ALG_ED25519 && is.holder_key.alg != BROP_ALG_X25519)
		refuse(psprintf("cannot seal a credential to a %s key", brop_alg_name(is.holder_key.alg)),
			   "Profiles 2 and 3 seal the credential to the holder's Ed25519 or X25519 key.",
			   "Use profile 1, or a holder DID with an Ed25519 key.");
	if (strcmp(is.form, "sd-jwt") == 0 && is.holder_key.alg == BROP_ALG_X25519)
		refuse("an sd-jwt credential needs a holder key that signs, not x25519",
			   "The holder signs each presentation's key binding JWT.", NULL);
	check_claims(claims, is.form, &subject);

	/* the issuer's key, opened with the caller's rights */
	secret = brop_keyring_secret(text_to_cstring(PG_GETARG_TEXT_PP(A_KEY)), &issuer);
	if (issuer.alg != BROP_ALG_ED25519)
		refuse(psprintf("an issuer's key is ed25519, not %s", brop_alg_name(issuer.alg)),
			   "eddsa-jcs-2022 proofs and the envelopes sealed to holders are Ed25519 signatures.", NULL);
	is.issuer = brop_did_pack(issuer.alg, issuer.pk, issuer.len);
	is.issuer_text = brop_entry_did_text(is.issuer);
	is.holder_text = brop_did_cstring(is.holder);
	new_serial(is.serial);
	is.lineage = is.serial;

	/* from here on as brop's owner */
	brop_become_owner(&owner);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	check_in_database(&is, is.profile == 2 ? JsonbValueToJsonb(&subject) : NULL);
	header = credential_header(&is);
	credential_document(&is, claims, &subject, &document, &extra);
	id = sign_and_record(&is, secret, header, document, extra, &cred, &credlen);
	SPI_finish();
	brop_restore_user(&owner);

	out[0] = CStringGetTextDatum(is.serial);
	out[1] = Int64GetDatum(id);
	out[2] = PointerGetDatum(cstring_to_text_with_len(cred, (int) credlen));
	free(cred);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, out, outnull)));
}
