/*
 * verify.c — signature verification in SQL (Ed25519, ECDSA over secp256k1
 * and P-256, BIP-340) and ECDSA signature encodings.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "types/types.h"

/* ---- verification -------------------------------------------------------- */

/*
 * brop.verify(did, message, signature): true or false for a well-formed
 * signature; ERROR for a malformed one (wrong length, bad DER, high-S).
 */
PG_FUNCTION_INFO_V1(brop_verify_fn);
Datum
brop_verify_fn(PG_FUNCTION_ARGS)
{
	brop_did_value v;
	bytea	   *msg = PG_GETARG_BYTEA_PP(1);
	bytea	   *sig = PG_GETARG_BYTEA_PP(2);
	int			rc;

	brop_did_unpack(PG_GETARG_DATUM(0), &v);
	if (v.alg == BROP_ALG_X25519)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an x25519 did cannot verify signatures"),
				 errdetail("X25519 keys are for key agreement only.")));
	rc = brop_verify_any(v.alg, v.pk, v.len,
						 (unsigned char *) VARDATA_ANY(msg), VARSIZE_ANY_EXHDR(msg),
						 (unsigned char *) VARDATA_ANY(sig), VARSIZE_ANY_EXHDR(sig));
	if (rc != 0 && rc != BROP_EVERIFY)
		brop_pg_error(rc, "signature", false);
	PG_FREE_IF_COPY(msg, 1);
	PG_FREE_IF_COPY(sig, 2);
	PG_RETURN_BOOL(rc == 0);
}

static bool
schnorr_verify_common(const unsigned char *xonly, bytea *msg, bytea *sig)
{
	int			rc;

	if (VARSIZE_ANY_EXHDR(sig) != BROP_SIGNATURE_BYTES)
		brop_pg_error(BROP_ELENGTH, "signature", false);
	rc = brop_schnorr_verify((unsigned char *) VARDATA_ANY(sig),
							 (unsigned char *) VARDATA_ANY(msg), VARSIZE_ANY_EXHDR(msg),
							 xonly);
	if (rc != 0 && rc != BROP_EVERIFY)
		brop_pg_error(rc, "public key", false);
	return rc == 0;
}

/* brop.verify_schnorr(did, message, signature): BIP-340 with a secp256k1 did. */
PG_FUNCTION_INFO_V1(brop_verify_schnorr_did);
Datum
brop_verify_schnorr_did(PG_FUNCTION_ARGS)
{
	brop_did_value v;

	brop_did_unpack(PG_GETARG_DATUM(0), &v);
	if (v.alg != BROP_ALG_SECP256K1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("BIP-340 signatures need a secp256k1 did, not %s", brop_alg_name(v.alg))));
	/* x-only key: the compressed key without its parity byte */
	PG_RETURN_BOOL(schnorr_verify_common(v.pk + 1, PG_GETARG_BYTEA_PP(1), PG_GETARG_BYTEA_PP(2)));
}

/* brop.verify_schnorr(xonly bytea, message, signature) */
PG_FUNCTION_INFO_V1(brop_verify_schnorr_xonly);
Datum
brop_verify_schnorr_xonly(PG_FUNCTION_ARGS)
{
	bytea	   *key = PG_GETARG_BYTEA_PP(0);

	if (VARSIZE_ANY_EXHDR(key) != BROP_XONLY_PUBLICKEYBYTES)
		brop_pg_error(BROP_ELENGTH, "x-only public key", false);
	PG_RETURN_BOOL(schnorr_verify_common((unsigned char *) VARDATA_ANY(key),
										 PG_GETARG_BYTEA_PP(1), PG_GETARG_BYTEA_PP(2)));
}

/* brop.ecdsa_to_der(bytea): 64 bytes r||s to DER */
PG_FUNCTION_INFO_V1(brop_ecdsa_to_der);
Datum
brop_ecdsa_to_der(PG_FUNCTION_ARGS)
{
	bytea	   *sig = PG_GETARG_BYTEA_PP(0);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + BROP_ECDSA_DER_MAX_BYTES);
	size_t		n;

	if (VARSIZE_ANY_EXHDR(sig) != BROP_SIGNATURE_BYTES)
		brop_pg_error(BROP_ELENGTH, "compact signature", false);
	brop_pg_check(brop_ecdsa_sig_to_der((unsigned char *) VARDATA(out), BROP_ECDSA_DER_MAX_BYTES, &n,
										(unsigned char *) VARDATA_ANY(sig)), "compact signature");
	SET_VARSIZE(out, VARHDRSZ + n);
	PG_RETURN_BYTEA_P(out);
}

/* brop.ecdsa_from_der(bytea): strict DER to 64 bytes r||s */
PG_FUNCTION_INFO_V1(brop_ecdsa_from_der);
Datum
brop_ecdsa_from_der(PG_FUNCTION_ARGS)
{
	bytea	   *der = PG_GETARG_BYTEA_PP(0);
	bytea	   *out = (bytea *) palloc(VARHDRSZ + BROP_SIGNATURE_BYTES);

	brop_pg_check(brop_ecdsa_sig_from_der((unsigned char *) VARDATA(out),
										  (unsigned char *) VARDATA_ANY(der), VARSIZE_ANY_EXHDR(der)),
				  "DER signature");
	SET_VARSIZE(out, VARHDRSZ + BROP_SIGNATURE_BYTES);
	PG_RETURN_BYTEA_P(out);
}
