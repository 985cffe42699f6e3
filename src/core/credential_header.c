/*
 * credential_header.c — the header of a credential version's ledger entry
 * (brop_credential_header.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "brop_credential_header.h"
#include "brop_entry.h"

static int
member(brop__str *s, const char *name, const char *value, int rc)
{
	if (rc != 0)
		return rc;
	brop__str_add(s, s->len > 1 ? ",\"" : "\"", s->len > 1 ? 2 : 1);
	brop__str_adds(s, name);
	brop__str_add(s, "\":", 2);
	return brop__str_jcs_string(s, value, strlen(value));
}

static int
time_member(brop__str *s, const char *name, int64_t t, int micro, int rc)
{
	char		text[BROP_TIME_TEXT_BYTES];

	if (rc != 0)
		return rc;
	if ((rc = brop_time_text(text, NULL, t, micro)) != 0)
		return rc;
	return member(s, name, text, rc);
}

int
brop_credential_header(char **out, size_t *outlen, const brop_credential_header_fields *h, const brop_allocator *a)
{
	brop__str	s = {0};
	char		n[24];
	int			rc = 0;

	if (out == NULL || outlen == NULL || h == NULL || h->serial == NULL || h->issuer == NULL ||
		h->holder == NULL || h->category == NULL || h->form == NULL || h->version < 1 ||
		h->profile < 1 || h->profile > 3 || (strcmp(h->form, "vc") != 0 && strcmp(h->form, "sd-jwt") != 0))
		return BROP_EINVAL;
	brop__str_add(&s, "{", 1);
	rc = member(&s, "category", h->category, rc);
	rc = member(&s, "form", h->form, rc);
	rc = member(&s, "holder", h->holder, rc);
	rc = time_member(&s, "issued_at", h->issued_at, 1, rc);
	rc = member(&s, "issuer", h->issuer, rc);
	brop__str_adds(&s, ",\"profile\":");
	n[0] = (char) ('0' + h->profile);
	brop__str_add(&s, n, 1);
	brop__str_adds(&s, ",\"schema\":\"brop-credential-v1\"");
	rc = member(&s, "serial", h->serial, rc);
	if (h->supersedes != NULL)
		rc = member(&s, "supersedes", h->supersedes, rc);
	brop__str_adds(&s, ",\"type\":\"credential\"");
	if (h->has_valid_until)
		rc = time_member(&s, "valid_until", h->valid_until, 0, rc);
	brop__str_adds(&s, ",\"version\":");
	brop__str_add(&s, n, (size_t) snprintf(n, sizeof n, "%" PRId32, h->version));
	brop__str_add(&s, "}", 1);
	return brop__str_finish_rc(&s, rc, out, outlen, a);
}
