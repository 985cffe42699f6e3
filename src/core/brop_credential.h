/*
 * brop_credential.h — the credential formats (docs/credentials.md,
 * docs/formats.md "Credentials"):
 *
 *   JWS      compact JSON Web Signatures (RFC 7515) with the JOSE names of
 *            brop's algorithms: EdDSA (Ed25519, RFC 8037), ES256 (P-256),
 *            ES256K (secp256k1, RFC 8812); public keys as JWKs (RFC 7517).
 *   DI       W3C Data Integrity proofs of the cryptosuite eddsa-jcs-2022
 *            (vc-di-eddsa): the whole credential, canonicalized by RFC 8785.
 *   SD-JWT   Selective Disclosure for JWTs (RFC 9901): disclosures, their
 *            digests, issuance with every claim disclosable, presentations
 *            with a key binding JWT, and their verification.
 *
 * Signing with a server-side key happens outside the core: each producer
 * is split into a "signing input" step and an "assemble" step, so a caller
 * that signs with a keyring (the extension) and one that holds the secret
 * (the CLI, the tests) share the same code.
 *
 * Outputs of unbounded size come from a brop_allocator (NULL: malloc).
 * A failed verification says why in a brop_reason (lower case, no period),
 * safe to show: it never holds key material.
 */
#ifndef BROP_CREDENTIAL_H
#define BROP_CREDENTIAL_H

#include <stddef.h>
#include <stdint.h>
#include "brop_err.h"
#include "brop_hash.h"
#include "brop_jcs.h"
#include "brop_sign.h"

typedef struct brop_reason
{
	char		text[200];
} brop_reason;

/* ---- JWS and JWK -------------------------------------------------------- */

/* "EdDSA", "ES256", "ES256K"; NULL for x25519 or an unknown alg. */
const char *brop_jws_alg_name(brop_alg alg);

/* Returns: 0, or BROP_EALG for any other name (and "none"). */
BROP_WARN_UNUSED_RESULT int brop_jws_alg_from_name(brop_alg *alg, const char *name, size_t len);

/*
 * The public JWK of (alg, pk), members in RFC 7638 order (the thumbprint
 * input's order): {"crv":"Ed25519","kty":"OKP","x":...} or
 * {"crv":"P-256"|"secp256k1","kty":"EC","x":...,"y":...}.
 * Returns: 0; BROP_EALG; BROP_EKEY; BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_jwk_encode(char **out, size_t *outlen, brop_alg alg,
											const unsigned char *pk, size_t pklen,
											const brop_allocator *a);

/*
 * brop_jwk_encode without the key's validation, for a key that has passed
 * it (a decoded did:key, a brop.did): the point check costs as much as a
 * signature. Returns: 0; BROP_EALG; BROP_ELENGTH; BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_jwk_encode_valid(char **out, size_t *outlen, brop_alg alg,
												  const unsigned char *pk, size_t pklen,
												  const brop_allocator *a);

/*
 * Read a public JWK (JSON object text). Private members ("d") are refused.
 * Returns: 0; BROP_EJSON; BROP_EALG (kty/crv); BROP_EKEY; BROP_ECREDENTIAL.
 * Out: *alg, pk (cap BROP_PUBLICKEY_MAX_BYTES, compressed), *pklen.
 */
BROP_WARN_UNUSED_RESULT int brop_jwk_decode(brop_alg *alg, unsigned char pk[BROP_PUBLICKEY_MAX_BYTES],
											size_t *pklen, const char *jwk, size_t len);

/*
 * Verify a compact JWS "h.p.s" with (alg, pk): the header's "alg" must name
 * alg; a "crit" header is refused. On success *payload is the decoded
 * payload (NUL-terminated, from a) and, when header is not NULL, *header
 * the header in RFC 8785 form.
 * Returns: 0; BROP_EVERIFY; BROP_ECREDENTIAL (malformed, reason set);
 * BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_jws_verify(char **payload, size_t *payloadlen,
											char **header, size_t *headerlen,
											const char *jws, size_t len,
											brop_alg alg, const unsigned char *pk, size_t pklen,
											const brop_allocator *a, brop_reason *why);

/* ---- Data Integrity: eddsa-jcs-2022 -------------------------------------- */

#define BROP_DI_SIGNING_INPUT_BYTES 64
#define BROP_DI_CRYPTOSUITE "eddsa-jcs-2022"

/*
 * The bytes an eddsa-jcs-2022 proof signs:
 *   SHA-256(JCS(proof configuration)) || SHA-256(JCS(document))
 * document is the unsecured document (an object without "proof"); options
 * the proof options without "proofValue", of type DataIntegrityProof and
 * cryptosuite eddsa-jcs-2022. The configuration is the options with the
 * document's "@context" (vc-di-eddsa 3.3.5).
 * Returns: 0; BROP_EJSON / BROP_EDUPKEY / BROP_ENUMBER (text); BROP_ECREDENTIAL
 * (also for a text longer than BROP_CREDENTIAL_MAX_BYTES).
 */
BROP_WARN_UNUSED_RESULT int brop_di_signing_input(unsigned char out[BROP_DI_SIGNING_INPUT_BYTES],
												  const char *document, size_t doclen,
												  const char *options, size_t optlen,
												  brop_reason *why);

/*
 * The secured document: document with "proof" = options plus "proofValue"
 * (multibase base58btc of sig). Written in RFC 8785 form.
 */
BROP_WARN_UNUSED_RESULT int brop_di_assemble(char **out, size_t *outlen,
											 const char *document, size_t doclen,
											 const char *options, size_t optlen,
											 const unsigned char sig[BROP_SIGNATURE_BYTES],
											 const brop_allocator *a, brop_reason *why);

/*
 * Verify the single eddsa-jcs-2022 proof of a secured document (vc-di-eddsa
 * 3.3.2): type, cryptosuite, proofPurpose "assertionMethod", a proof
 * "@context" that prefixes the document's, a did:key verificationMethod
 * whose fragment is its own key, and the Ed25519 signature.
 * Returns: 0; BROP_EVERIFY; BROP_ECREDENTIAL (reason set); JSON errors.
 * Out: pk, the verification method's Ed25519 key.
 */
BROP_WARN_UNUSED_RESULT int brop_di_verify(unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
										   const char *secured, size_t len, brop_reason *why);

/* ---- limits (docs/security.md) ------------------------------------------ */

/*
 * Verification is O(n log n) in its input and bounded: past a limit it
 * returns BROP_ECREDENTIAL, with a reason naming the limit, before the work
 * the limit guards.
 *   BROP_CREDENTIAL_MAX_BYTES    a credential's or presentation's text (VC
 *                                and SD-JWT alike); in issuance, each of the
 *                                texts brop_di_signing_input,
 *                                brop_di_assemble and brop_sdjwt_prepare
 *                                read (the reason "the document is longer
 *                                than the limit of 4194304 bytes", or the
 *                                proof options, payload or claims)
 *   BROP_SDJWT_MAX_DISCLOSURES   disclosures sent with an SD-JWT
 *   BROP_SDJWT_MAX_DIGESTS       digests in an SD-JWT's payload: "_sd"
 *                                entries and "..." array elements, decoys
 *                                included
 *   BROP_SDJWT_MAX_DEPTH         nesting of an SD-JWT's payload, disclosed
 *                                values included
 */
#define BROP_CREDENTIAL_MAX_BYTES (4 * 1024 * 1024)
#define BROP_SDJWT_MAX_DISCLOSURES 10000
#define BROP_SDJWT_MAX_DIGESTS 50000
#define BROP_SDJWT_MAX_DEPTH 64

/*
 * Verification takes a brop_cancel (brop_err.h): when it asks to stop, the
 * function returns BROP_ECREDENTIAL with the reason "the verification was
 * cancelled".
 */

/* ---- SD-JWT (RFC 9901) --------------------------------------------------- */

/* base64url of a SHA-256 digest, without padding */
#define BROP_SDJWT_DIGEST_LEN 43
#define BROP_SDJWT_SALT_BYTES 16

/*
 * A disclosure: base64url of the UTF-8 JSON array [salt, name, value], or
 * [salt, value] for an array element (name NULL). value is JSON text.
 * Returns: 0; JSON errors for value; BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_sdjwt_disclosure(char **out, size_t *outlen,
												  const char *salt, const char *name,
												  const char *value, size_t valuelen,
												  const brop_allocator *a);

/* The digest of a disclosure: base64url(SHA-256(its ASCII text)). NUL-terminated. */
BROP_WARN_UNUSED_RESULT int brop_sdjwt_digest(char out[BROP_SDJWT_DIGEST_LEN + 1],
											  const char *disclosure, size_t len);

/*
 * Issuance, step 1. payload holds the claims always visible (iss, iat, vct,
 * cnf, ...); every member of claims becomes a disclosure with a fresh
 * 128-bit salt, its digest in the payload's "_sd" (sorted), with
 * "_sd_alg": "sha-256" (neither when claims is empty). header:
 * {"alg": <alg>, "typ": <typ>}.
 * Out: *signing_input "base64url(header).base64url(payload)";
 * *disclosures "~D1~D2~...~" (just "~" when claims is empty).
 * Returns: 0; BROP_ECREDENTIAL (a claim is also in payload, or named "_sd"
 * or "..."; a text longer than BROP_CREDENTIAL_MAX_BYTES); JSON errors;
 * BROP_EALG; BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_sdjwt_prepare(char **signing_input, size_t *silen,
											   char **disclosures, size_t *dlen,
											   brop_alg alg, const char *typ,
											   const char *payload, size_t payloadlen,
											   const char *claims, size_t claimslen,
											   const brop_allocator *a, brop_reason *why);

/* Issuance, step 2: signing_input "." base64url(sig) disclosures. */
BROP_WARN_UNUSED_RESULT int brop_sdjwt_assemble(char **out, size_t *outlen,
												const char *signing_input, size_t silen,
												const unsigned char sig[BROP_SIGNATURE_BYTES],
												const char *disclosures, size_t dlen,
												const brop_allocator *a);

/*
 * A presentation: the issuer-signed JWT, the disclosures of the top-level
 * claims named in reveal (each must exist), and a key binding JWT
 * ({"alg", "typ": "kb+jwt"} / {"iat", "aud", "nonce", "sd_hash"}) signed
 * with the holder's secret key, which must be the key of the credential's
 * "cnf". The credential's issuer signature is not checked here.
 * Returns: 0; BROP_ECREDENTIAL (reason set); BROP_EKEY (not the cnf key);
 * BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_sdjwt_present(char **out, size_t *outlen,
											   const char *sdjwt, size_t len,
											   const char *const *reveal, size_t nreveal,
											   brop_alg holder_alg,
											   const unsigned char holder_sk[BROP_SECRETKEYBYTES],
											   const char *nonce, const char *aud, int64_t iat,
											   const brop_allocator *a, brop_reason *why);

typedef struct brop_sdjwt_result
{
	char	   *payload;		/* processed payload, RFC 8785: disclosed claims
								 * in place; "_sd", "_sd_alg" and undisclosed
								 * array elements gone (from the allocator) */
	size_t		payloadlen;
	char	   *header;			/* the issuer-signed JWT's header, as sent */
	size_t		headerlen;
	char	   *revealed;		/* JSON array of the disclosed claim names
								 * (array elements count as "[]"), in order */
	size_t		revealedlen;
	unsigned char jwt_digest[32];	/* SHA-256 of the issuer-signed JWT's text */
	int			key_bound;		/* a key binding JWT was checked */
	int64_t		kb_iat;			/* its iat */
	brop_alg	issuer_alg;		/* the key that verified the issuer's signature */
	unsigned char issuer_pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		issuer_pklen;
	brop_alg	holder_alg;		/* with key_bound: the cnf key, validated, that */
	unsigned char holder_pk[BROP_PUBLICKEY_MAX_BYTES];	/* verified the key
														 * binding */
	size_t		holder_pklen;
} brop_sdjwt_result;

/*
 * Verify an SD-JWT or a presentation (RFC 9901 section 7): the issuer's
 * signature with (issuer_alg, issuer_pk), or, when issuer_pk is NULL, with
 * the did:key in the payload's "iss"; every disclosure referenced exactly
 * once; no digest twice; no disclosed name "_sd", "..." or one already
 * present. With nonce not NULL a key binding JWT is required, signed by the
 * payload's "cnf" key, with that nonce, aud equal to aud and sd_hash over
 * the presentation; with nonce NULL a key binding JWT is refused. Bounded
 * by the limits above; disclosures are looked up by digest in a sorted
 * index, undisclosed array elements dropped in one pass.
 * Returns: 0; BROP_EVERIFY; BROP_ECREDENTIAL (reason set); BROP_ENOMEM.
 * Out: res (its strings from a; free them with a when done), with the
 * issuer's key (from "iss" validated as brop_didkey_decode does) and, for a
 * presentation, the holder's, so the caller need not decode them again.
 */
BROP_WARN_UNUSED_RESULT int brop_sdjwt_verify(brop_sdjwt_result *res,
											  const char *text, size_t len,
											  brop_alg issuer_alg, const unsigned char *issuer_pk,
											  size_t issuer_pklen,
											  const char *nonce, const char *aud,
											  const brop_allocator *a, brop_reason *why);

/*
 * brop_sdjwt_verify with a cancel callback (NULL: never cancelled), asked
 * while the disclosures are decoded and the payload is walked.
 */
BROP_WARN_UNUSED_RESULT int brop_sdjwt_verify_cancellable(brop_sdjwt_result *res,
														  const char *text, size_t len,
														  brop_alg issuer_alg,
														  const unsigned char *issuer_pk,
														  size_t issuer_pklen,
														  const char *nonce, const char *aud,
														  const brop_allocator *a,
														  const brop_cancel *cancel,
														  brop_reason *why);

/* ---- times -------------------------------------------------------------- */

/*
 * A key binding JWT must be made within this many seconds of its
 * verification (the node's verdict and brop verify --credential).
 */
#define BROP_SDJWT_KB_WINDOW 300

/*
 * Read an RFC 3339 date-time as VC 2.0 writes them (an XML Schema dateTime
 * with a time zone): YYYY-MM-DDThh:mm:ss[.s+](Z|(+|-)hh:mm), with real
 * calendar dates (leap years counted) and no leap second.
 * Returns: 0; BROP_EENCODING if s is not one; BROP_EINVAL.
 * Out: *out, seconds since 1970-01-01T00:00:00Z (fractions dropped).
 */
BROP_WARN_UNUSED_RESULT int brop_datetime_seconds(int64_t *out, const char *s, size_t len);

/* ---- the ledger's digest ------------------------------------------------ */

/*
 * The digest a ledger entry commits to for a credential: SHA-256 of the RFC
 * 8785 text of a VC (text starting with '{'), or of an SD-JWT's
 * issuer-signed JWT (the text before the first '~', so a presentation gives
 * its credential's digest).
 * Returns: 0; JSON errors; BROP_ECREDENTIAL (neither form).
 * Out: out, *is_vc.
 */
BROP_WARN_UNUSED_RESULT int brop_credential_digest(unsigned char out[BROP_SHA256_BYTES], int *is_vc,
												   const char *text, size_t len);

#endif /* BROP_CREDENTIAL_H */
