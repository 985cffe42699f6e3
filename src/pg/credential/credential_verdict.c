/*
 * credential_verdict.c — brop.verify_credential and
 * brop.verify_presentation (docs/credentials.md, "Presenting and
 * verifying"). What the text proves by itself (credential.c), then what the
 * ledger knows: the credential's version, status and the oracle at the time
 * of issuance in one query; the entry's inclusion proof, made from the
 * stored tiles and checked against the latest checkpoint, whose signature by
 * the node is checked too; then a row of brop.verification_log.
 *
 * The text is checked as the caller; the ledger is read and the log written as brop's owner, by
 * statements that name every object and operator with its schema (no SET
 * search_path, whose per-call save and restore cost a few per cent).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "credential/credential.h"

/* The columns of brop.verdict, in order. */
enum
{
	V_VALID, V_FORM, V_SERIAL, V_VERSION, V_ISSUER, V_HOLDER, V_CATEGORY, V_CLAIMS, V_AUTHORIZED,
	V_LATEST, V_NOT_REVOKED, V_NOT_DEACTIVATED, V_INCLUSION, V_CHECKPOINT, V_REASONS, V_NATTS
};

/* The columns of the ledger's query. */
enum
{
	Q_SERIAL, Q_VERSION, Q_CATEGORY, Q_STATUS, Q_DEACTIVATED, Q_EXPIRED, Q_VALID_UNTIL, Q_NEWER,
	Q_AUTHORIZED, Q_POSITION, Q_LEAF, Q_TREE_SIZE, Q_CHECKPOINT, Q_NODE, Q_NCOLS
};

static SPIPlanPtr ledger_plan = NULL;

typedef struct verdict
{
	Datum		values[V_NATTS];
	bool		nulls[V_NATTS];
	Datum		reasons[16];
	int			nreasons;
	MemoryContext caller;
} verdict;

static void
set(verdict *v, int col, Datum d)
{
	v->values[col] = d;
	v->nulls[col] = false;
}

static void
reason(verdict *v, const char *text)
{
	MemoryContext old = MemoryContextSwitchTo(v->caller);

	if (v->nreasons < (int) lengthof(v->reasons))
		v->reasons[v->nreasons++] = CStringGetTextDatum(text);
	MemoryContextSwitchTo(old);
}

/* Column col of the ledger row, copied into the caller's memory. */
static Datum
col(verdict *v, int c, bool *isnull)
{
	Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, c + 1, isnull);
	Form_pg_attribute att = TupleDescAttr(SPI_tuptable->tupdesc, c);
	MemoryContext old;

	if (*isnull)
		return (Datum) 0;
	old = MemoryContextSwitchTo(v->caller);
	d = datumCopy(d, att->attbyval, att->attlen);
	MemoryContextSwitchTo(old);
	return d;
}

/* The entry's inclusion in the latest block, against its signed checkpoint. */
static bool
inclusion_valid(int64 position, const unsigned char *leaf, int64 tree_size, text *note, Datum node)
{
	const char *s = VARDATA_ANY(note);
	size_t		len = VARSIZE_ANY_EXHDR(note),
				textlen,
				n;
	brop_checkpoint cp;
	brop_did_value d;
	brop_merkle_hash proof[BROP_MERKLE_MAX_PROOF];

	brop_did_unpack(node, &d);
	if (d.alg != BROP_ALG_ED25519
		|| brop_checkpoint_parse(&cp, s, brop_note_text_length(s, len)) != 0
		|| brop_note_verify_valid(&textlen, s, len, cp.origin, cp.originlen, d.pk) != 0
		|| cp.size != (uint64) tree_size || position < 0 || position >= tree_size)
		return false;
	n = brop_log_inclusion_proof((uint64) position, (uint64) tree_size, proof);
	return brop_merkle_inclusion_verify((uint64) position, (uint64) tree_size, leaf,
										(const brop_merkle_hash *) proof, n, cp.root) == 0;
}

/* What the ledger knows of the credential with this digest. */
static void
ledger_checks(verdict *v, const check_out *o)
{
	Oid			digest_type = brop_type_oid("digest");
	bool		isnull,
				leafnull;
	Datum		d,
				leaf,
				checkpoint,
				node;
	char		buf[200];

	if (SPI_execute_plan(brop_spi_plan(&ledger_plan,
									   "SELECT c.serial, c.version, c.category, c.status, c.deactivated,"
									   " c.valid_until OPERATOR(pg_catalog.<) pg_catalog.now(), c.valid_until,"
									   " (SELECT x.serial FROM brop.credential x WHERE x.supersedes OPERATOR(pg_catalog.=) c.serial),"
									   " coalesce((SELECT h.status OPERATOR(pg_catalog.=) 'active'"
									   "                  AND h.role OPERATOR(pg_catalog.=) ANY ('{direct_issuer,cross_issuer}')"
									   "                  AND c.category OPERATOR(pg_catalog.=) ANY (h.categories)"
									   "             FROM brop.organization_history h"
									   "            WHERE h.did OPERATOR(pg_catalog.=) c.issuer"
									   "              AND h.valid_from OPERATOR(pg_catalog.<=) c.issued_at"
									   "            ORDER BY h.version DESC LIMIT 1), false),"
									   " l.position, e.digest, b.tree_size, b.checkpoint,"
									   " (SELECT g.node_did FROM brop.ledger_config g)"
									   " FROM brop.credential c JOIN brop.entry e ON e.id OPERATOR(pg_catalog.=) c.entry"
									   " LEFT JOIN brop.log_leaf l ON l.entry OPERATOR(pg_catalog.=) c.entry"
									   " LEFT JOIN LATERAL (SELECT k.tree_size, k.checkpoint FROM brop.block k"
									   "                     ORDER BY k.tree_size DESC LIMIT 1) b ON true"
									   " WHERE c.digest OPERATOR(pg_catalog.=) $1", 1, &digest_type),
						 (Datum *) &o->values[C_DIGEST], NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read brop.credential");
	if (SPI_processed == 0)
	{
		if (o->nulls[C_REASON])
			reason(v, "the credential is not registered on this ledger");
		return;
	}
	set(v, V_VERSION, col(v, Q_VERSION, &isnull));
	set(v, V_CATEGORY, col(v, Q_CATEGORY, &isnull));
	d = col(v, Q_AUTHORIZED, &isnull);
	set(v, V_AUTHORIZED, d);
	if (!DatumGetBool(d))
		reason(v, "the issuer was not authorised for the category when it issued the credential");
	d = col(v, Q_STATUS, &isnull);
	set(v, V_LATEST, BoolGetDatum(strcmp(TextDatumGetCString(d), "superseded") != 0));
	set(v, V_NOT_REVOKED, BoolGetDatum(strcmp(TextDatumGetCString(d), "revoked") != 0));
	if (!DatumGetBool(v->values[V_LATEST]))
	{
		Datum		newer = col(v, Q_NEWER, &isnull);

		snprintf(buf, sizeof buf, "a newer version supersedes the credential (%s)",
				 isnull ? "" : TextDatumGetCString(newer));
		reason(v, buf);
	}
	if (!DatumGetBool(v->values[V_NOT_REVOKED]))
		reason(v, "the issuer revoked the credential");
	d = col(v, Q_DEACTIVATED, &isnull);
	set(v, V_NOT_DEACTIVATED, BoolGetDatum(!DatumGetBool(d)));
	if (DatumGetBool(d))
		reason(v, "the holder deactivated the credential");
	d = col(v, Q_EXPIRED, &isnull);
	if (!isnull && DatumGetBool(d))
	{
		char		at[BROP_TIME_TEXT_MAX];

		/* RFC 3339 in UTC, whatever the session's DateStyle and TimeZone */
		brop_pg_time_text(at, DatumGetTimestampTz(col(v, Q_VALID_UNTIL, &isnull)));
		snprintf(buf, sizeof buf, "the credential expired at %s", at);
		reason(v, buf);
	}
	if (!o->nulls[C_KEY_BOUND] && DatumGetBool(o->values[C_KEY_BOUND]))
	{
		TimestampTz iat = DatumGetTimestampTz(o->values[C_KB_IAT]);
		TimestampTz now = GetCurrentTransactionStartTimestamp();
		int64		diff = now > iat ? now - iat : iat - now;

		if (diff > (int64) BROP_SDJWT_KB_WINDOW * USECS_PER_SEC)
			reason(v, "the key binding JWT was not made within 5 minutes of now");
	}

	d = col(v, Q_POSITION, &isnull);
	leaf = col(v, Q_LEAF, &leafnull);
	checkpoint = col(v, Q_CHECKPOINT, &leafnull);
	node = col(v, Q_NODE, &leafnull);
	if (isnull)
	{
		set(v, V_INCLUSION, BoolGetDatum(false));
		reason(v, "the credential's entry is not sealed in a block yet");
		return;
	}
	set(v, V_CHECKPOINT, checkpoint);
	{
		bool		sizenull;
		Datum		size = col(v, Q_TREE_SIZE, &sizenull);
		bool		ok = !leafnull && !sizenull
			&& inclusion_valid(DatumGetInt64(d), (const unsigned char *) DatumGetPointer(leaf),
							   DatumGetInt64(size), DatumGetTextPP(checkpoint), node);

		set(v, V_INCLUSION, BoolGetDatum(ok));
		if (!ok)
			reason(v, "the credential's entry does not prove its inclusion in the latest checkpoint");
	}
}

/*
 * The claims shown: a VC's subject without its id; an SD-JWT's revealed
 * claims (of the payload's top level). None (null), in either form, when the
 * text itself fails: nothing it says is proven.
 */
static void
shown_claims(verdict *v, const check_out *o, bool vc)
{
	JsonbParseState *st = NULL;
	JsonbValue *res;
	MemoryContext old;

	if (!o->nulls[C_REASON])
		return;
	old = MemoryContextSwitchTo(v->caller);	/* the verdict outlives SPI */
	if (vc)
	{
		if (!o->nulls[C_CLAIMS])
			set(v, V_CLAIMS, DirectFunctionCall2(jsonb_delete, o->values[C_CLAIMS], CStringGetTextDatum("id")));
		MemoryContextSwitchTo(old);
		return;
	}
	res = pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	if (!o->nulls[C_CREDENTIAL] && !o->nulls[C_REVEALED])
	{
		Jsonb	   *payload = DatumGetJsonbP(o->values[C_CREDENTIAL]);
		JsonbIterator *it = JsonbIteratorInit(&DatumGetJsonbP(o->values[C_REVEALED])->root);
		JsonbValue	name;
		JsonbIteratorToken tok;

		while ((tok = JsonbIteratorNext(&it, &name, true)) != WJB_DONE)
		{
			JsonbValue *claim;

			CHECK_FOR_INTERRUPTS();

			if (tok != WJB_ELEM || name.type != jbvString)
				continue;
			claim = getKeyJsonValueFromContainer(&payload->root, name.val.string.val, name.val.string.len, NULL);
			if (claim == NULL)
				continue;
			pushJsonbValue(&st, WJB_KEY, &name);
			pushJsonbValue(&st, WJB_VALUE, claim);
		}
	}
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	set(v, V_CLAIMS, JsonbPGetDatum(JsonbValueToJsonb(res)));
	MemoryContextSwitchTo(old);
}

/* A row of brop.verification_log: who verified what, when, and the verdict. */
static void
log_verification(verdict *v, const check_out *o, bool vc, text *nonce, text *aud)
{
	static SPIPlanPtr plan = NULL;
	Oid			types[] = {TIMESTAMPTZOID, NAMEOID, TEXTOID, TEXTOID, TEXTOID, BROP_DID_TYPE, BROP_DID_TYPE, JSONBOID,
	BOOLOID, TEXTARRAYOID};
	Datum		values[lengthof(types)];
	char		nulls[lengthof(types)];
	Datum		revealed = o->values[C_REVEALED];
	bool		no_revealed = o->nulls[C_REVEALED];

	/* a VC reveals its subject's claims: their names */
	if (vc)
	{
		no_revealed = true;
		if (!v->nulls[V_CLAIMS])
		{
			JsonbParseState *st = NULL;
			JsonbIterator *it = JsonbIteratorInit(&DatumGetJsonbP(v->values[V_CLAIMS])->root);
			JsonbValue	k,
					   *res;
			JsonbIteratorToken tok;
			int			n = 0;

			pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
			while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
				if (tok == WJB_KEY)
				{
					pushJsonbValue(&st, WJB_ELEM, &k);
					n++;
				}
			res = pushJsonbValue(&st, WJB_END_ARRAY, NULL);
			no_revealed = n == 0;
			revealed = JsonbPGetDatum(JsonbValueToJsonb(res));
		}
	}
	memset(nulls, ' ', sizeof nulls);
	values[0] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	values[1] = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(GetSessionUserId(), false)));
	values[2] = PointerGetDatum(aud);
	nulls[2] = aud == NULL ? 'n' : ' ';
	values[3] = PointerGetDatum(nonce);
	nulls[3] = nonce == NULL ? 'n' : ' ';
	values[4] = v->values[V_SERIAL];
	nulls[4] = v->nulls[V_SERIAL] ? 'n' : ' ';
	values[5] = v->values[V_ISSUER];
	nulls[5] = v->nulls[V_ISSUER] ? 'n' : ' ';
	values[6] = v->values[V_HOLDER];
	nulls[6] = v->nulls[V_HOLDER] ? 'n' : ' ';
	values[7] = revealed;
	nulls[7] = no_revealed ? 'n' : ' ';
	values[8] = v->values[V_VALID];
	values[9] = v->values[V_REASONS];
	if (SPI_execute_plan(brop_kept_plan(&plan,
										"INSERT INTO brop.verification_log (at, verifier, audience, nonce, serial, issuer,"
										" holder, revealed, valid, reasons)"
										" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
										lengthof(types), types, CURSOR_OPT_GENERIC_PLAN),
						 values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not log the verification");
}

/* The verdict on text t: a credential (nonce NULL) or a presentation. */
static Datum
verdict_of(FunctionCallInfo fcinfo, text *t, text *nonce, text *aud)
{
	TupleDesc	desc;
	check_out	o;
	verdict		v;
	bool		vc;
	brop_owner_state owner;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	memset(&v, 0, sizeof v);
	memset(v.nulls, true, sizeof v.nulls);
	v.caller = CurrentMemoryContext;

	brop_credential_check_into(&o, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
							   nonce ? text_to_cstring(nonce) : NULL, aud ? text_to_cstring(aud) : NULL);
	set(&v, V_FORM, o.values[C_FORM]);
	vc = strcmp(TextDatumGetCString(o.values[C_FORM]), "vc") == 0;
	if (!o.nulls[C_SERIAL])
		set(&v, V_SERIAL, o.values[C_SERIAL]);
	if (!o.nulls[C_ISSUER])
		set(&v, V_ISSUER, o.values[C_ISSUER]);
	if (!o.nulls[C_HOLDER])
		set(&v, V_HOLDER, o.values[C_HOLDER]);
	if (!o.nulls[C_REASON])
		reason(&v, TextDatumGetCString(o.values[C_REASON]));

	/* what the ledger knows, read and logged as brop's owner */
	brop_become_owner(&owner);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	shown_claims(&v, &o, vc);
	if (!o.nulls[C_DIGEST])
		ledger_checks(&v, &o);
	else if (o.nulls[C_REASON])
		reason(&v, "the credential is not registered on this ledger");
	set(&v, V_VALID, BoolGetDatum(v.nreasons == 0));
	{
		MemoryContext old = MemoryContextSwitchTo(v.caller);

		set(&v, V_REASONS, PointerGetDatum(construct_array(v.reasons, v.nreasons, TEXTOID, -1, false,
														   TYPALIGN_INT)));
		MemoryContextSwitchTo(old);
	}
	log_verification(&v, &o, vc, nonce, aud);
	SPI_finish();
	brop_restore_user(&owner);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, v.values, v.nulls)));
}

/* brop.verify_credential(credential text) RETURNS brop.verdict */
PG_FUNCTION_INFO_V1(brop_verify_credential);
Datum
brop_verify_credential(PG_FUNCTION_ARGS)
{
	return verdict_of(fcinfo, PG_GETARG_TEXT_PP(0), NULL, NULL);
}

/*
 * The longest nonce and audience a verification stores in
 * brop.verification_log (docs/security.md): verifiers' nonces are a few
 * dozen characters, audiences a URL or a did.
 */
#define VERIFY_NONCE_MAX 256
#define VERIFY_AUDIENCE_MAX 1024

static void
check_logged_length(text *t, const char *what, int max)
{
	if (VARSIZE_ANY_EXHDR(t) > (Size) max)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("%s of %zu bytes exceeds the limit of %d bytes", what, (size_t) VARSIZE_ANY_EXHDR(t), max),
				 errdetail("Every verification stores its nonce and audience in brop.verification_log.")));
}

/* brop.verify_presentation(presentation text, nonce text, audience text) RETURNS brop.verdict */
PG_FUNCTION_INFO_V1(brop_verify_presentation);
Datum
brop_verify_presentation(PG_FUNCTION_ARGS)
{
	text	   *nonce = PG_GETARG_TEXT_PP(1);
	text	   *aud = PG_GETARG_TEXT_PP(2);

	check_logged_length(nonce, "nonce", VERIFY_NONCE_MAX);
	check_logged_length(aud, "audience", VERIFY_AUDIENCE_MAX);
	return verdict_of(fcinfo, PG_GETARG_TEXT_PP(0), nonce, aud);
}
