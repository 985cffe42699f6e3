/*
 * entry_json.c — a ledger entry given as JSON (the plugin's row entries, a
 * disclosure bundle's leaf input) read into the core's brop_entry, and its
 * signing input made by the core's one producer (brop_entry.h). Module:
 * common.
 */
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"

/* a string member (or null / absent: NULL); false for another type */
static bool
text_of(json_t *e, const char *name, const char **p, size_t *len)
{
	json_t	   *v = json_object_get(e, name);

	*p = NULL;
	*len = 0;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v))
		return false;
	*p = json_string_value(v);
	*len = json_string_length(v);
	return true;
}

/* a digest member: 64 hex digits (or null / absent: NULL) */
static bool
digest_of(json_t *e, const char *name, unsigned char out[BROP_ENTRY_DIGEST_BYTES], const unsigned char **d)
{
	const char *p;
	size_t		len,
				n;

	*d = NULL;
	if (!text_of(e, name, &p, &len))
		return false;
	if (p == NULL)
		return true;
	if (len != 2 * BROP_ENTRY_DIGEST_BYTES ||
		brop_hex_decode(out, BROP_ENTRY_DIGEST_BYTES, &n, p, len) != 0 || n != BROP_ENTRY_DIGEST_BYTES)
		return false;
	*d = out;
	return true;
}

unsigned char *
cli_entry_signing_input(json_t *e, size_t *len)
{
	brop_entry	f;
	unsigned char payload[BROP_ENTRY_DIGEST_BYTES],
				body[BROP_ENTRY_DIGEST_BYTES],
				prev[BROP_ENTRY_DIGEST_BYTES];
	json_t	   *h = json_object_get(e, "header"),
			   *x = json_object_get(e, "expires_block");
	char	   *htext = NULL,
			   *canon = NULL,
			   *out = NULL;
	bool		ok;

	memset(&f, 0, sizeof f);
	ok = json_is_object(e) &&
		text_of(e, "kind", &f.kind, &f.kind_len) &&
		text_of(e, "org", &f.org, &f.org_len) &&
		text_of(e, "subject", &f.subject, &f.subject_len) &&
		text_of(e, "chain_key", &f.chain_key, &f.chain_key_len) &&
		text_of(e, "nonce", &f.nonce, &f.nonce_len) &&
		digest_of(e, "payload_digest", payload, &f.payload_digest) &&
		digest_of(e, "body_digest", body, &f.body_digest) &&
		digest_of(e, "prev_digest", prev, &f.prev_digest);
	if (ok && x != NULL && !json_is_null(x))
	{
		ok = json_is_integer(x);
		f.expires_block = ok ? json_integer_value(x) : 0;
		f.has_expires_block = 1;
	}
	if (ok && h != NULL && !json_is_null(h))
	{
		ok = json_is_object(h) && (htext = json_dumps(h, JSON_COMPACT)) != NULL &&
			brop_jcs_canonicalize(&canon, &f.header_len, htext, strlen(htext), NULL, NULL) == 0;
		f.header = canon;
	}
	if (ok && brop_entry_format_signing_input(&out, len, &f, NULL) != 0)
		out = NULL;
	free(canon);
	free(htext);
	return (unsigned char *) out;
}
