/*
 * policy.c — checkpoints under a witness policy (k of n cosignatures), and
 * proofs of misbehaviour, in SQL: brop.verify_checkpoint(note, signer,
 * witnesses, quorum) and brop.verify_fork.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "consortium/consortium.h"

static void
check_note_length(size_t n)
{
	if (n > BROP_NOTE_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("checkpoint note of %zu bytes exceeds the limit of %d bytes", n, BROP_NOTE_MAX_BYTES)));
}

static void
log_key_of(Datum d, brop_did_value *did)
{
	brop_did_unpack(d, did);
	if (did->alg != BROP_ALG_ED25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("checkpoints are signed with ed25519, not %s", brop_alg_name(did->alg))));
}

/* The witnesses of a text[] of verifier keys; *n of them. */
static brop_witness *
witnesses_of(ArrayType *arr, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	brop_witness *w;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("witnesses must be a one-dimensional array")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, n);
	if (*n > BROP_WITNESS_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a witness policy names at most %d witnesses, not %d", BROP_WITNESS_MAX, *n)));
	w = palloc0(sizeof(brop_witness) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		text	   *t;
		unsigned char id[BROP_NOTE_KEYID_BYTES];
		int			rc;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a witness key must not be null")));
		t = DatumGetTextPP(elems[i]);
		rc = brop_cosignature_parse_verifier_key(&w[i].name, &w[i].namelen, w[i].pk, id,
												 VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		if (rc != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid witness key: \"%s\"", brop_pg_quote(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t))),
					 rc == BROP_EALG ?
					 errdetail("A witness key has type 0x04 (cosignature/v1); a log's key (0x01) is not one.") :
					 errdetail("A witness key is \"name+hex key id+base64(0x04 || Ed25519 public key)\".")));
	}
	return w;
}

/* brop.verify_checkpoint(note text, signer brop.did, witnesses text[], quorum integer) RETURNS boolean */
PG_FUNCTION_INFO_V1(brop_verify_checkpoint_policy);
Datum
brop_verify_checkpoint_policy(PG_FUNCTION_ARGS)
{
	text	   *note = PG_GETARG_TEXT_PP(0);
	int32		quorum = PG_GETARG_INT32(3);
	brop_did_value did;
	brop_witness *w;
	brop_checkpoint cp;
	int			n;
	size_t		count,
				textlen;
	int			rc;

	log_key_of(PG_GETARG_DATUM(1), &did);
	w = witnesses_of(PG_GETARG_ARRAYTYPE_P(2), &n);
	if (quorum < 0 || quorum > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quorum %d is not between 0 and the %d witnesses named", quorum, n)));
	check_note_length(VARSIZE_ANY_EXHDR(note));
	textlen = brop_note_text_length(VARDATA_ANY(note), VARSIZE_ANY_EXHDR(note));
	rc = brop_checkpoint_parse(&cp, VARDATA_ANY(note), textlen);
	if (rc == 0)
		rc = brop_checkpoint_verify_policy(&count, NULL, VARDATA_ANY(note), VARSIZE_ANY_EXHDR(note),
										   cp.origin, cp.originlen, did.pk, w, (size_t) n, (size_t) quorum);
	if (rc == BROP_EENCODING)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("malformed checkpoint note"),
				 errdetail("A checkpoint note is \"origin\\nsize\\nbase64(root)\\n\", an empty line, and signature lines.")));
	if (rc != 0 && rc != BROP_EVERIFY && rc != BROP_EQUORUM)
		brop_pg_error(rc, "checkpoint note", false);
	PG_RETURN_BOOL(rc == 0);
}

/* brop.verify_fork(checkpoint_a text, checkpoint_b text, log_key brop.did, proof brop.proof DEFAULT NULL) RETURNS boolean */
PG_FUNCTION_INFO_V1(brop_verify_fork);
Datum
brop_verify_fork(PG_FUNCTION_ARGS)
{
	text	   *a,
			   *b;
	brop_did_value did;
	brop_checkpoint ca,
				cb;
	brop_merkle_proof proof;
	uint64		sa,
				sb;
	int			rc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	a = PG_GETARG_TEXT_PP(0);
	b = PG_GETARG_TEXT_PP(1);
	log_key_of(PG_GETARG_DATUM(2), &did);
	check_note_length(VARSIZE_ANY_EXHDR(a));
	check_note_length(VARSIZE_ANY_EXHDR(b));
	proof.n = 0;
	if (!PG_ARGISNULL(3))
		brop_proof_get(PG_GETARG_DATUM(3), &proof);
	if (brop_checkpoint_parse(&ca, VARDATA_ANY(a), brop_note_text_length(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a))) != 0 ||
		brop_checkpoint_parse(&cb, VARDATA_ANY(b), brop_note_text_length(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b))) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("malformed checkpoint note")));
	/* a proof between other sizes proves nothing about these two */
	if (!PG_ARGISNULL(3) &&
		(proof.kind != BROP_PROOF_CONSISTENCY || proof.a != Min(ca.size, cb.size) || proof.b != Max(ca.size, cb.size)))
		PG_RETURN_BOOL(false);
	rc = brop_fork_verify(&sa, &sb, VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b),
						  ca.origin, ca.originlen, did.pk, proof.hashes, proof.n);
	if (rc == BROP_EENCODING)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("malformed checkpoint note")));
	if (rc != 0 && rc != BROP_EVERIFY)
		brop_pg_error(rc, "checkpoint note", false);
	PG_RETURN_BOOL(rc == 0);
}

/* brop.witness_name(vkey text) RETURNS text */
PG_FUNCTION_INFO_V1(brop_witness_name);
Datum
brop_witness_name(PG_FUNCTION_ARGS)
{
	ArrayType  *one;
	Datum		d = PG_GETARG_DATUM(0);
	brop_witness *w;
	int			n;

	one = construct_array(&d, 1, TEXTOID, -1, false, TYPALIGN_INT);
	w = witnesses_of(one, &n);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(w[0].name, w[0].namelen));
}
