/*
 * entry_format.c — the ledger entry's signing input and leaf input
 * (brop_entry.h; docs/formats.md, "Ledger entries"), and the ledger's time
 * text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "brop_encoding.h"
#include "brop_entry.h"
#include "brop_merkle.h"

static void
put_digits(char *out, int64_t n, int width)
{
	for (int i = width - 1; i >= 0; i--)
	{
		out[i] = (char) ('0' + n % 10);
		n /= 10;
	}
}

int
brop_time_text(char out[BROP_TIME_TEXT_BYTES], size_t *outlen, int64_t unix_us, int micro)
{
	int64_t		days,
				us,
				secs,
				era,
				doe,
				yoe,
				doy,
				mp,
				y,
				m,
				d;

	if (out == NULL)
		return BROP_EINVAL;
	/* years 1 to 9999: -62135596800 s to 253402300799 s */
	if (unix_us < INT64_C(-62135596800) * 1000000 || unix_us > INT64_C(253402300800) * 1000000 - 1)
		return BROP_EOVERFLOW;
	days = unix_us / INT64_C(86400000000);
	us = unix_us % INT64_C(86400000000);
	if (us < 0)
	{
		us += INT64_C(86400000000);
		days--;
	}
	/* civil_from_days (H. Hinnant) */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	secs = us / 1000000;
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, secs / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, secs / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, secs % 60, 2);
	if (micro)
	{
		out[19] = '.';
		put_digits(out + 20, us % 1000000, 6);
		out[26] = 'Z';
		out[27] = '\0';
	}
	else
	{
		out[19] = 'Z';
		out[20] = '\0';
	}
	if (outlen != NULL)
		*outlen = micro ? 27 : 20;
	return BROP_OK;
}

/* ,"name": (no comma after the object's opening brace) */
static void
key(brop__str *s, const char *name)
{
	if (s->len > 0 && s->data[s->len - 1] != '{')
		brop__str_add(s, ",", 1);
	brop__str_add(s, "\"", 1);
	brop__str_adds(s, name);
	brop__str_add(s, "\":", 2);
}

static int
text_member(brop__str *s, const char *name, const char *p, size_t len)
{
	key(s, name);
	if (p == NULL)
	{
		brop__str_add(s, "null", 4);
		return BROP_OK;
	}
	return brop__str_jcs_string(s, p, len);
}

static void
digest_member(brop__str *s, const char *name, const unsigned char *d)
{
	char		hex[2 * BROP_ENTRY_DIGEST_BYTES + 1];
	size_t		n;

	key(s, name);
	if (d == NULL || brop_hex_encode(hex, sizeof hex, &n, d, BROP_ENTRY_DIGEST_BYTES) != 0)
	{
		brop__str_add(s, "null", 4);
		return;
	}
	brop__str_add(s, "\"", 1);
	brop__str_add(s, hex, n);
	brop__str_add(s, "\"", 1);
}

/*
 * The JCS object of e into s (after whatever s holds): the signed fields,
 * and with leaf the signature and submission time; cuts (leaf only, may be
 * NULL) receives where those two members start and end.
 */
static int
entry_json(brop__str *s, const brop_entry *e, int leaf, size_t cuts[4])
{
	int			rc;

	if (e == NULL || e->kind == NULL || e->org == NULL || e->nonce == NULL || e->payload_digest == NULL)
		return BROP_EINVAL;
	if (e->header != NULL && (e->header_len < 2 || e->header[0] != '{' || e->header[e->header_len - 1] != '}'))
		return BROP_EINVAL;
	if (leaf && (e->signature == NULL || e->signature_len == 0))
		return BROP_EINVAL;
	if (e->has_expires_block && (e->expires_block < 1 || e->expires_block > INT64_C(9007199254740991)))
		return BROP_EOVERFLOW;
	brop__str_add(s, "{", 1);
	digest_member(s, "body_digest", e->body_digest);
	if ((rc = text_member(s, "chain_key", e->chain_key, e->chain_key_len)) != 0)
		return rc;
	key(s, "expires_block");
	if (e->has_expires_block)
	{
		char		n[24];

		brop__str_add(s, n, (size_t) snprintf(n, sizeof n, "%" PRId64, e->expires_block));
	}
	else
		brop__str_add(s, "null", 4);
	key(s, "header");
	if (e->header != NULL)
		brop__str_add(s, e->header, e->header_len);
	else
		brop__str_add(s, "{}", 2);
	if ((rc = text_member(s, "kind", e->kind, e->kind_len)) != 0 ||
		(rc = text_member(s, "nonce", e->nonce, e->nonce_len)) != 0 ||
		(rc = text_member(s, "org", e->org, e->org_len)) != 0)
		return rc;
	digest_member(s, "payload_digest", e->payload_digest);
	digest_member(s, "prev_digest", e->prev_digest);
	if (leaf)
	{
		if (cuts)
			cuts[0] = s->len;
		key(s, "signature");
		brop__str_add(s, "\"", 1);
		brop__str_b64url(s, e->signature, e->signature_len);
		brop__str_add(s, "\"", 1);
		if (cuts)
			cuts[1] = s->len;
	}
	if ((rc = text_member(s, "subject", e->subject, e->subject_len)) != 0)
		return rc;
	if (leaf)
	{
		char		t[BROP_TIME_TEXT_BYTES];
		size_t		n;

		if (cuts)
			cuts[2] = s->len;
		if ((rc = brop_time_text(t, &n, e->submitted_at, 1)) != 0)
			return rc;
		key(s, "submitted_at");
		brop__str_add(s, "\"", 1);
		brop__str_add(s, t, n);
		brop__str_add(s, "\"", 1);
		if (cuts)
			cuts[3] = s->len;
	}
	brop__str_add(s, ",\"v\":1}", 7);
	return s->failed ? BROP_ENOMEM : BROP_OK;
}

int
brop_entry_format_signing_input(char **out, size_t *outlen, const brop_entry *e, const brop_allocator *a)
{
	brop__str	s = {0};

	if (out == NULL || outlen == NULL)
		return BROP_EINVAL;
	brop__str_add(&s, BROP_ENTRY_DOMAIN, BROP_ENTRY_DOMAIN_BYTES);	/* with its NUL */
	return brop__str_finish_rc(&s, entry_json(&s, e, 0, NULL), out, outlen, a);
}

int
brop_entry_format_leaf_input(char **out, size_t *outlen, const brop_entry *e, const brop_allocator *a)
{
	brop__str	s = {0};

	if (out == NULL || outlen == NULL)
		return BROP_EINVAL;
	return brop__str_finish_rc(&s, entry_json(&s, e, 1, NULL), out, outlen, a);
}

int
brop_entry_format_forms(unsigned char leaf[BROP_ENTRY_DIGEST_BYTES], char **signing_input, size_t *signing_input_len,
				 const brop_entry *e, const brop_allocator *a)
{
	brop__str	s = {0};
	brop__str	m = {0};
	size_t		cuts[4];
	int			rc;

	if (leaf == NULL || (signing_input != NULL && signing_input_len == NULL))
		return BROP_EINVAL;
	rc = entry_json(&s, e, 1, cuts);
	if (rc == 0)
		rc = brop_merkle_leaf_hash(leaf, (const unsigned char *) s.data, s.len);
	if (rc == 0 && signing_input != NULL)
	{
		/* the leaf input without its signature and submitted_at members */
		brop__str_add(&m, BROP_ENTRY_DOMAIN, BROP_ENTRY_DOMAIN_BYTES);
		brop__str_add(&m, s.data, cuts[0]);
		brop__str_add(&m, s.data + cuts[1], cuts[2] - cuts[1]);
		brop__str_add(&m, s.data + cuts[3], s.len - cuts[3]);
		rc = brop__str_finish(&m, signing_input, signing_input_len, a);
	}
	brop__str_free(&s);
	brop__str_free(&m);
	return rc;
}
