/*
 * credential.h — the credential module (src/pg/credential): what a
 * credential proves by itself (credential.c), issuing (credential_issue.c)
 * and the verdict (credential_verdict.c).
 */
#ifndef BROP_PG_CREDENTIAL_H
#define BROP_PG_CREDENTIAL_H

#include "ledger/ledger.h"

/* The columns of brop.credential_check's result, in order. */
enum
{
	C_FORM, C_ISSUER, C_HOLDER, C_SERIAL, C_CREDENTIAL, C_CLAIMS, C_REVEALED, C_DIGEST,
	C_KEY_BOUND, C_KB_IAT, C_REASON, C_NATTS
};

typedef struct check_out
{
	Datum		values[C_NATTS];
	bool		nulls[C_NATTS];
} check_out;

/*
 * Check a credential (nonce NULL) or a presentation: o's reason is null when
 * its signatures (and key binding) verify. ERROR (22004) for a nonce without
 * an audience.
 */
extern void brop_credential_check_into(check_out *o, const char *s, size_t len,
									   const char *nonce, const char *aud);

/* RFC 8785 text of a jsonb value (palloc). */
extern char *brop_jsonb_jcs(Jsonb *jb, size_t *len);

/*
 * A credential signed with secret (a key of alg): form "vc" (document the
 * unsecured VC, extra the proof options) or "sd-jwt" (document the visible
 * payload, extra the disclosable claims). malloc'd; ERROR on refusal.
 */
extern char *brop_credential_sign(const char *form, brop_alg alg, Jsonb *document, Jsonb *extra,
								  const unsigned char *secret, size_t *outlen);

/*
 * The header of a credential version's entry (credential_header.c), made by
 * the core's brop_credential_header; valid_until NULL for none. ERROR
 * (22008) for a time outside the years 1 to 9999.
 */
extern Jsonb *brop_credential_header_jsonb(const char *serial, int32 version, const char *supersedes,
										   const char *issuer, const char *holder, const char *category,
										   const char *form, int profile, TimestampTz issued_at,
										   const TimestampTz *valid_until);

#endif							/* BROP_PG_CREDENTIAL_H */
