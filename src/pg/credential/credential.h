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

/* ERROR (42501) unless f may start or extend the credential chain it names (chain_rule.c); the ledger's brop_chain_rule_hook. */
extern void brop_credential_chain_rule(const entry_fields *f);

/* Registers the checks of the module's tables with brop.verify_ledger() (ledger_checks.c; _PG_init). */
extern void brop_credential_ledger_checks(void);

/*
 * A credential version to admit (credential_admit.c; docs/credentials.md,
 * "Admission"). In: the fields; version 0 to take it from the superseded
 * version (issue_credential), else the version claimed (record_credential);
 * subject the claims of a profile 2 credential, else NULL. Out: version,
 * lineage (the superseded version's; NULL for a first version) and
 * prev_deactivated.
 */
typedef struct brop_admission
{
	Datum		issuer;
	Datum		holder;
	const char *issuer_text;
	const char *holder_text;
	const char *category;
	const char *supersedes;
	TimestampTz issued_at;
	Jsonb	   *subject;
	int32		version;
	char	   *lineage;
	bool		prev_deactivated;
} brop_admission;

/*
 * ERROR unless the credential version is admitted; SPI connected, as
 * brop's owner. The superseded version is locked (FOR UPDATE).
 */
extern void brop_credential_admit(brop_admission *a);

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
