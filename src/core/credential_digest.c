/*
 * credential_digest.c — the digest a ledger entry commits to for a
 * credential (docs/formats.md, "Credentials"): SHA-256 of a VC's RFC 8785
 * text, or of an SD-JWT's issuer-signed JWT (also when given a
 * presentation of it).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int
brop_credential_digest(unsigned char out[BROP_SHA256_BYTES], int *is_vc, const char *text, size_t len)
{
	size_t		i = 0;

	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i < len && text[i] == '{')
	{
		char	   *canon;
		size_t		clen;
		int			rc = brop_jcs_canonicalize(&canon, &clen, text, len, NULL, NULL);

		*is_vc = 1;
		if (rc != 0)
			return rc;
		rc = brop_sha256(out, (const unsigned char *) canon, clen);
		free(canon);
		return rc;
	}
	*is_vc = 0;
	{
		const char *tilde = memchr(text, '~', len);

		if (tilde == NULL)
			return BROP_ECREDENTIAL;
		return brop_sha256(out, (const unsigned char *) text, (size_t) (tilde - text));
	}
}
