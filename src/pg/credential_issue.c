/*
 * credential_issue.c — the signing and recording half of
 * brop.issue_credential (docs/credentials.md, "Issuance"), after its
 * arguments were checked in SQL: the issuer's keyring key opened once for
 * the credential's signature, the envelope sealed to the holder and the
 * entry's signature; the oracle, membership and the superseded version
 * checked; the entry appended and the credential's row written as brop's
 * owner (as brop.submit does). The keyring decides who may use the key.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "credential.h"
#include "entry.h"

static SPIPlanPtr oracle_plan = NULL;
static SPIPlanPtr prev_plan = NULL;
static SPIPlanPtr insert_plan = NULL;
static SPIPlanPtr supersede_plan = NULL;

/* Arguments of brop.sign_and_record_credential, in order. */
enum
{
	A_KEY, A_HEADER, A_FORM, A_DOCUMENT, A_EXTRA, A_LINEAGE, A_NARGS
};

static text *
header_text(Jsonb *header, const char *key)
{
	JsonbValue	k,
			   *v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v = findJsonbValueFromContainer(&header->root, JB_FOBJECT, &k);
	if (v == NULL || v->type != jbvString)
		return NULL;
	return cstring_to_text_with_len(v->val.string.val, v->val.string.len);
}

/*
 * The oracle now, and membership for a direct issuer; the superseded
 * version, locked: the same refusals as brop.record_credential.
 */
static void
check_issuer(Datum issuer, Datum holder, text *category, text *supersedes, int32 version)
{
	Oid			did_type = brop_type_oid("did");
	Oid			types[3] = {did_type, did_type, TEXTOID};
	Datum		args[3] = {issuer, holder, PointerGetDatum(category)};
	bool		isnull;

	if (SPI_execute_plan(brop_spi_plan(&oracle_plan,
									   "SELECT coalesce((SELECT h.status = 'active' AND h.role IN ('direct_issuer', 'cross_issuer')"
									   "                   AND $3 = ANY (h.categories)"
									   "                  FROM brop.organization_history h WHERE h.did = $1"
									   "                 ORDER BY h.version DESC LIMIT 1), false),"
									   " (SELECT o.role = 'direct_issuer' FROM brop.organization o WHERE o.did = $1),"
									   " coalesce((SELECT m.member FROM brop.membership_history m"
									   "            WHERE m.org = $1 AND m.holder = $2"
									   "            ORDER BY m.version DESC LIMIT 1), false)", 3, types),
						 args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not ask the oracle");
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s is not authorised to issue %s credentials", brop_did_cstring(issuer),
						text_to_cstring(category)),
				 errhint("brop.is_authorized_issuer() answers; governance grants categories with brop.set_organization_categories().")));
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)) && !isnull
		&& !DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s issues only to its members, and %s is not one", brop_did_cstring(issuer),
						brop_did_cstring(holder)),
				 errhint("A direct issuer adds members with brop.set_membership().")));
	if (version > 1)
	{
		Oid			ptypes[5] = {TEXTOID, did_type, did_type, TEXTOID, INT4OID};
		Datum		pargs[5] = {PointerGetDatum(supersedes), issuer, holder, PointerGetDatum(category),
		Int32GetDatum(version - 1)};

		if (SPI_execute_plan(brop_spi_plan(&prev_plan,
										   "SELECT 1 FROM brop.credential x WHERE x.serial = $1 AND x.status = 'active'"
										   " AND x.issuer = $2 AND x.holder = $3 AND x.category = $4 AND x.version = $5"
										   " FOR UPDATE", 5, ptypes),
							 pargs, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read brop.credential");
		if (SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("credential %s is not the active version %d of this issuer's credential to this holder",
							text_to_cstring(supersedes), version - 1)));
	}
}

/*
 * brop.sign_and_record_credential(key text, header jsonb, form text,
 *     document jsonb, extra jsonb, lineage text) RETURNS TABLE (entry bigint, credential text)
 * header: brop.credential_header() of the new version.
 */
PG_FUNCTION_INFO_V1(brop_sign_and_record_credential);
Datum
brop_sign_and_record_credential(PG_FUNCTION_ARGS)
{
	char	   *label = text_to_cstring(PG_GETARG_TEXT_PP(A_KEY));
	Jsonb	   *header = PG_GETARG_JSONB_P(A_HEADER);
	char	   *form = text_to_cstring(PG_GETARG_TEXT_PP(A_FORM));
	text	   *lineage = PG_GETARG_TEXT_PP(A_LINEAGE);
	Oid			did_type = brop_type_oid("did");
	Oid			digest_type = brop_type_oid("digest");
	unsigned char *secret;
	brop_did_value issuer,
				holder;
	Datum		issuer_d,
				holder_d;
	text	   *serial = header_text(header, "serial");
	text	   *category = header_text(header, "category");
	text	   *supersedes = header_text(header, "supersedes");
	text	   *holder_text = header_text(header, "holder");
	int32		version;
	int			profile;
	char	   *cred = NULL;
	size_t		credlen = 0;
	bytea	   *envelope = NULL;
	unsigned char digest[BROP_DIGEST_BYTES],
				body[BROP_DIGEST_BYTES],
				head[BROP_DIGEST_BYTES],
				leaf[BROP_DIGEST_BYTES];
	int64		chain_len,
				id = 0;
	entry_fields f;
	brop_owner_state owner;
	TupleDesc	desc;
	Datum		out[2];
	bool		outnull[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (serial == NULL || category == NULL || holder_text == NULL)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("malformed credential header")));
	{
		JsonbValue	k,
				   *v;

		k.type = jbvString;
		k.val.string.val = "version";
		k.val.string.len = 7;
		v = findJsonbValueFromContainer(&header->root, JB_FOBJECT, &k);
		version = v && v->type == jbvNumeric ? DatumGetInt32(DirectFunctionCall1(numeric_int4, NumericGetDatum(v->val.numeric))) : 0;
		k.val.string.val = "profile";
		v = findJsonbValueFromContainer(&header->root, JB_FOBJECT, &k);
		profile = v && v->type == jbvNumeric ? DatumGetInt32(DirectFunctionCall1(numeric_int4, NumericGetDatum(v->val.numeric))) : 0;
	}
	{
		char	   *h = text_to_cstring(holder_text);

		brop_pg_check(brop_didkey_decode(&holder.alg, holder.pk, sizeof holder.pk, &holder.len, h, strlen(h)),
					  "holder did");
		holder_d = brop_did_pack(holder.alg, holder.pk, holder.len);
	}

	{
		secret = brop_keyring_secret(label, &issuer);
		if (issuer.alg != BROP_ALG_ED25519)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("an issuer's key is ed25519, not %s", brop_alg_name(issuer.alg))));
		issuer_d = brop_did_pack(issuer.alg, issuer.pk, issuer.len);
		{
			text	   *hi = header_text(header, "issuer");
			text	   *hf = header_text(header, "form");

			/* the header is the caller's: it must name this key and this form */
			if (hi == NULL || strcmp(text_to_cstring(hi), brop_did_cstring(issuer_d)) != 0
				|| hf == NULL || strcmp(text_to_cstring(hf), form) != 0
				|| (strcmp(form, "vc") != 0 && strcmp(form, "sd-jwt") != 0)
				|| version < 1 || profile < 1 || profile > 3 || (version > 1) != (supersedes != NULL))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("malformed credential header")));
		}

		/* from here on as brop's owner: the key was opened with the caller's rights */
		brop_become_owner(&owner);
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		check_issuer(issuer_d, holder_d, category, supersedes, version);

		/* the credential, its digest, the envelope */
		cred = brop_credential_sign(form, BROP_ALG_ED25519, PG_GETARG_JSONB_P(A_DOCUMENT), PG_GETARG_JSONB_P(A_EXTRA),
									secret, &credlen);
		{
			int			is_vc;

			brop_pg_check(brop_credential_digest(digest, &is_vc, cred, credlen), "credential");
		}
		if (profile > 1)
		{
			size_t		cap = BROP_ENVELOPE_OVERHEAD(BROP_ENVELOPE_RECIPIENT_MAX) + credlen,
						envlen;

			envelope = (bytea *) palloc(VARHDRSZ + cap);
			brop_pg_check(brop_envelope_seal((unsigned char *) VARDATA(envelope), cap, &envlen,
											 (unsigned char *) cred, credlen, holder.alg, holder.pk, holder.len,
											 secret),
						  "envelope");
			SET_VARSIZE(envelope, VARHDRSZ + envlen);
			brop_pg_check(brop_sha256(body, (unsigned char *) VARDATA(envelope), envlen), "envelope");
		}

		/* the entry, signed by the issuer */
		memset(&f, 0, sizeof f);
		f.kind = cstring_to_text("credential");
		f.org = issuer_d;
		f.subject = holder_d;
		f.has_subject = true;
		f.chain_key = (text *) palloc(VARHDRSZ + 11 + VARSIZE_ANY_EXHDR(lineage));
		SET_VARSIZE(f.chain_key, VARHDRSZ + 11 + VARSIZE_ANY_EXHDR(lineage));
		memcpy(VARDATA(f.chain_key), "credential:", 11);
		memcpy(VARDATA(f.chain_key) + 11, VARDATA_ANY(lineage), VARSIZE_ANY_EXHDR(lineage));
		if (brop_chain_state(f.chain_key, head, &chain_len, did_type, digest_type))
			f.prev_digest = head;
		f.header = header;
		f.payload_digest = digest;
		f.body_digest = envelope ? body : NULL;
		f.nonce = serial;
		f.submitted_at = GetCurrentTimestamp();
		f.org_text = brop_did_cstring(issuer_d);
		f.subject_text = brop_did_cstring(holder_d);
		brop_entry_check_fields(&f);
		{
			bytea	   *input = brop_entry_signing_input_of(&f);

			f.signature = (bytea *) palloc(VARHDRSZ + BROP_SIGNATURE_BYTES);
			SET_VARSIZE(f.signature, VARHDRSZ + BROP_SIGNATURE_BYTES);
			brop_pg_check(brop_sign((unsigned char *) VARDATA(f.signature), BROP_ALG_ED25519, secret,
									(unsigned char *) VARDATA(input), VARSIZE(input) - VARHDRSZ),
						  "entry signature");
		}
	}
	brop_wipe(secret, BROP_SECRETKEYBYTES);
	brop_entry_leaf_hash(&f, leaf);

	/* appended and recorded as brop's owner */
	if (brop_ledger_append(&f, leaf, did_type, digest_type, &id) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("credential %s is already on the ledger", text_to_cstring(serial))));
	{
		Oid			types[8] = {JSONBOID, digest_type, BYTEAOID, INT8OID, TEXTOID, TEXTOID, did_type, did_type};
		Datum		args[8] = {PointerGetDatum(header), PointerGetDatum(digest), PointerGetDatum(envelope),
			Int64GetDatum(id), PointerGetDatum(lineage), PointerGetDatum(supersedes), issuer_d, holder_d};
		char		nulls[8] = {' ', ' ', envelope ? ' ' : 'n', ' ', ' ', supersedes ? ' ' : 'n', ' ', ' '};

		if (supersedes != NULL
			&& SPI_execute_plan(brop_spi_plan(&supersede_plan,
											  "UPDATE brop.credential SET status = 'superseded', status_entry = $4"
											  " WHERE serial = $6", 8, types),
								args, nulls, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not supersede the credential's previous version");
		if (SPI_execute_plan(brop_spi_plan(&insert_plan,
										   "INSERT INTO brop.credential (serial, lineage, version, supersedes, issuer,"
										   " holder, category, form, profile, digest, issued_at, valid_until, entry,"
										   " status, deactivated, destroyed, envelope)"
										   " SELECT $1->>'serial', $5, ($1->>'version')::int, $6,"
										   " $7, $8, $1->>'category',"
										   " $1->>'form', ($1->>'profile')::smallint, $2,"
										   " ($1->>'issued_at')::timestamptz, ($1->>'valid_until')::timestamptz, $4,"
										   " 'active', coalesce((SELECT p.deactivated FROM brop.credential p"
										   "                      WHERE p.serial = $6), false), false, $3",
										   8, types),
							 args, nulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not record the credential");
	}
	SPI_finish();
	brop_restore_user(&owner);

	out[0] = Int64GetDatum(id);
	out[1] = PointerGetDatum(cstring_to_text_with_len(cred, (int) credlen));
	free(cred);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, out, outnull)));
}
