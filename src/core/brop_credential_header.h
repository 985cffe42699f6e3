/*
 * brop_credential_header.h — the header of a credential version's ledger
 * entry, schema brop-credential-v1 (docs/formats.md, "Credentials"):
 *
 *   {"category","form","holder","issued_at","issuer","profile","schema":"brop-credential-v1",
 *    "serial","supersedes"?,"type":"credential","valid_until"?,"version"}
 *
 * RFC 8785 text (all names ASCII, so the order is fixed). issued_at is
 * written with microseconds, valid_until to the second (the fraction
 * dropped), both as brop_time_text writes them.
 */
#ifndef BROP_CREDENTIAL_HEADER_H
#define BROP_CREDENTIAL_HEADER_H

#include <stddef.h>
#include <stdint.h>
#include "brop_err.h"
#include "brop_jcs.h"

typedef struct brop_credential_header_fields
{
	const char *serial;			/* "urn:uuid:..." */
	int32_t		version;		/* 1, 2, ... */
	const char *supersedes;		/* NULL for version 1 */
	const char *issuer;			/* did:key */
	const char *holder;			/* did:key */
	const char *category;
	const char *form;			/* "vc" or "sd-jwt" */
	int			profile;		/* 1 to 3 */
	int64_t		issued_at;		/* microseconds since 1970-01-01 UTC */
	int64_t		valid_until;	/* the same, when has_valid_until */
	int			has_valid_until;
} brop_credential_header_fields;

/*
 * Returns: 0; BROP_EINVAL (a NULL text, a version below 1, a profile
 * outside 1 to 3, a form other than vc or sd-jwt); BROP_EOVERFLOW for a
 * time outside the years 1 to 9999; BROP_EENCODING for a text that is not
 * UTF-8; BROP_ENOMEM.
 * Out: *out allocated with a (NULL: malloc), NUL-terminated; *outlen.
 */
BROP_WARN_UNUSED_RESULT int brop_credential_header(char **out, size_t *outlen,
												   const brop_credential_header_fields *h,
												   const brop_allocator *a);

#endif /* BROP_CREDENTIAL_HEADER_H */
