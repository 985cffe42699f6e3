/*
 * credential_verify.c — credentials offline: the bundle a wallet exports
 * (docs/formats.md, "Credential bundles") and its verification with no
 * database: the credential's signatures (and a presentation's key
 * binding), its validity period against the clock, its ledger entry, and
 * the entry's inclusion in a checkpoint signed by the ledger. What only the
 * ledger knows now (revocation,
 * deactivation, newer versions, the oracle) is said to be unchecked.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verify/verify.h"

#define BUNDLE_FORMAT "brop-credential-bundle-v1"

static char *
member(json_t *o, const char *name, bool required)
{
	json_t	   *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v))
	{
		if (required)
			cli_die(EXIT_INPUT, "the bundle has no \"%s\"", name);
		return NULL;
	}
	if (!json_is_string(v))
		cli_die(EXIT_INPUT, "the bundle's \"%s\" is not a string", name);
	return strdup(json_string_value(v));
}

void
cli_bundle_read(cli_bundle *b, const unsigned char *text, size_t len)
{
	json_t	   *o;
	const char *format;
	size_t		i = 0;

	memset(b, 0, sizeof *b);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	while (i < len && (text[i] == ' ' || text[i] == '\n'))
		i++;
	o = i < len && text[i] == '{' ? json_loadb((const char *) text, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	format = json_string_value(json_object_get(o, "format"));
	if (o == NULL || format == NULL)
	{
		/* a bare credential (a VC document, an SD-JWT) or presentation */
		if (o != NULL)
			json_decref(o);
		b->credential = strndup((const char *) text, len);
		return;
	}
	if (strcmp(format, BUNDLE_FORMAT) != 0)
		cli_die(EXIT_INPUT, "unknown bundle format \"%s\" (this brop reads %s)", format, BUNDLE_FORMAT);
	b->serial = member(o, "serial", false);
	b->form = member(o, "form", false);
	b->credential = member(o, "presentation", false);
	if (b->credential == NULL)
		b->credential = member(o, "credential", true);
	b->entry = member(o, "entry", false);
	b->proof = member(o, "proof", false);
	b->checkpoint = member(o, "checkpoint", false);
	b->ledger = member(o, "ledger", false);
	json_decref(o);
}

char *
cli_bundle_json(const cli_bundle *b, bool presentation)
{
	json_t	   *o = json_pack("{s:s}", "format", BUNDLE_FORMAT);
	char	   *out;

#define PUT(k, v) if ((v) != NULL) json_object_set_new(o, (k), json_string(v))
	PUT("serial", b->serial);
	PUT("form", b->form);
	PUT(presentation ? "presentation" : "credential", b->credential);
	PUT("entry", b->entry);
	PUT("proof", b->proof);
	PUT("checkpoint", b->checkpoint);
	PUT("ledger", b->ledger);
#undef PUT
	out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (out == NULL)
		cli_die(EXIT_IO, "out of memory");
	return out;
}

void
cli_bundle_free(cli_bundle *b)
{
	free(b->serial);
	free(b->form);
	free(b->credential);
	free(b->entry);
	free(b->proof);
	free(b->checkpoint);
	free(b->ledger);
	memset(b, 0, sizeof *b);
}

/* The issuer of a VC: "issuer" as a string, or its "id". */
static const char *
vc_issuer(json_t *doc)
{
	json_t	   *i = json_object_get(doc, "issuer");

	return json_is_string(i) ? json_string_value(i) : json_string_value(json_object_get(i, "id"));
}

static void
utc_text(char out[32], long long t)
{
	time_t		tt = (time_t) t;
	struct tm	tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "%lld", t);
}

/* How far ahead of this clock an issuer's may be: a credential just issued starts "now". */
#define CLOCK_SKEW 300

/*
 * The validity period against the clock: a credential is invalid from its
 * end (SD-JWT "exp", VC "validUntil"), as the ledger's verdict says it from
 * the credential's row, and before its start ("nbf", "validFrom", less
 * CLOCK_SKEW seconds). The holder's own copy (wallet open, export) is only
 * told so.
 */
static int
check_period(json_t *doc, int is_vc, bool holder_copy)
{
	long long	now = (long long) time(NULL),
				from = 0,
				until = 0;
	int			has_from = 0,
				has_until = 0;
	char		at[32];

	if (is_vc)
	{
		const char *names[2] = {"validFrom", "validUntil"};
		long long  *v[2] = {&from, &until};
		int		   *has[2] = {&has_from, &has_until};

		for (int i = 0; i < 2; i++)
		{
			json_t	   *t = json_object_get(doc, names[i]);
			int64_t		secs;

			if (t == NULL)
				continue;
			if (!json_is_string(t)
				|| brop_datetime_seconds(&secs, json_string_value(t), json_string_length(t)) != 0)
			{
				report("invalid: the credential's %s is not an RFC 3339 date-time\n", names[i]);
				return EXIT_INVALID;
			}
			*v[i] = (long long) secs;
			*has[i] = 1;
		}
	}
	else
	{
		json_t	   *nbf = json_object_get(doc, "nbf"),
				   *exp = json_object_get(doc, "exp");

		if ((nbf != NULL && !json_is_number(nbf)) || (exp != NULL && !json_is_number(exp)))
		{
			report("invalid: the credential's nbf or exp is not a number of seconds\n");
			return EXIT_INVALID;
		}
		has_from = nbf != NULL;
		from = has_from ? (long long) json_number_value(nbf) : 0;
		has_until = exp != NULL;
		until = has_until ? (long long) json_number_value(exp) : 0;
	}
	if (has_until && now >= until)
	{
		utc_text(at, until);
		report("%s: the credential expired at %s%s\n", holder_copy ? "validity" : "invalid", at,
			   holder_copy ? " (a verifier refuses it)" : "");
		return holder_copy ? EXIT_OK : EXIT_INVALID;
	}
	if (has_from && now + CLOCK_SKEW < from)
	{
		utc_text(at, from);
		report("%s: the credential is not valid before %s%s\n", holder_copy ? "validity" : "invalid", at,
			   holder_copy ? " (a verifier refuses it until then)" : "");
		return holder_copy ? EXIT_OK : EXIT_INVALID;
	}
	if (has_until)
	{
		utc_text(at, until);
		report("validity: until %s\n", at);
	}
	return EXIT_OK;
}

/* Check the signatures and the validity period; fills issuer (did) and prints the claims. */
static int
check_signatures(const cli_bundle *b, const char *nonce, const char *aud, char issuer[BROP_DIDKEY_MAX_LEN + 1],
				 char holder[BROP_DIDKEY_MAX_LEN + 1], bool holder_copy)
{
	const char *text = b->credential;
	size_t		len = strlen(text);
	brop_reason why = {{0}};
	int			rc;

	if (text[0] == '{')
	{
		unsigned char pk[BROP_ED25519_PUBLICKEYBYTES];
		json_t	   *doc;
		size_t		n;
		char	   *claims;

		if (nonce != NULL)
		{
			report("invalid: a vc credential is not a presentation: it has no key binding to a nonce\n");
			return EXIT_INVALID;
		}
		rc = brop_di_verify(pk, text, len, &why);
		if (rc != 0)
		{
			report("invalid: %s\n", why.text[0] ? why.text : brop_strerror(rc));
			return rc == BROP_EVERIFY || rc == BROP_ECREDENTIAL ? EXIT_INVALID : EXIT_INPUT;
		}
		if (brop_didkey_encode(issuer, BROP_DIDKEY_MAX_LEN, &n, BROP_ALG_ED25519, pk, sizeof pk) != 0)
			return EXIT_INPUT;
		issuer[n] = '\0';
		doc = json_loads(text, 0, NULL);
		if (doc == NULL || vc_issuer(doc) == NULL || strcmp(vc_issuer(doc), issuer) != 0)
		{
			report("invalid: the proof is not by the credential's issuer\n");
			if (doc)
				json_decref(doc);
			return EXIT_INVALID;
		}
		snprintf(holder, BROP_DIDKEY_MAX_LEN + 1, "%s",
				 json_string_value(json_object_get(json_object_get(doc, "credentialSubject"), "id"))
				 ? json_string_value(json_object_get(json_object_get(doc, "credentialSubject"), "id")) : "");
		report("credential: vc (eddsa-jcs-2022), issuer %s: proof valid\n", issuer);
		claims = json_dumps(json_object_get(doc, "credentialSubject"), JSON_COMPACT | JSON_SORT_KEYS);
		report("claims: %s\n", claims ? claims : "null");
		free(claims);
		rc = check_period(doc, 1, holder_copy);
		json_decref(doc);
		return rc;
	}
	else
	{
		brop_sdjwt_result r;
		json_t	   *payload;
		const char *iss;

		rc = brop_sdjwt_verify(&r, text, len, 0, NULL, 0, nonce, aud, NULL, &why);
		if (rc != 0)
		{
			report("invalid: %s\n", why.text[0] ? why.text : brop_strerror(rc));
			return rc == BROP_ENOMEM ? EXIT_IO : EXIT_INVALID;
		}
		payload = json_loads(r.payload, 0, NULL);
		iss = json_string_value(json_object_get(payload, "iss"));
		snprintf(issuer, BROP_DIDKEY_MAX_LEN + 1, "%s", iss ? iss : "");
		iss = json_string_value(json_object_get(payload, "sub"));
		snprintf(holder, BROP_DIDKEY_MAX_LEN + 1, "%s", iss ? iss : "");
		report("credential: sd-jwt, issuer %s: signature valid\n", issuer);
		rc = EXIT_OK;
		if (r.key_bound)
		{
			long long	age = (long long) time(NULL) - (long long) r.kb_iat;

			/* as the node's verdict */
			if (age > BROP_SDJWT_KB_WINDOW || age < -BROP_SDJWT_KB_WINDOW)
			{
				report("invalid: the key binding JWT was not made within 5 minutes of now (iat %lld)\n",
					   (long long) r.kb_iat);
				rc = EXIT_INVALID;
			}
			else
				report("key binding: nonce and audience match, iat %lld: valid\n", (long long) r.kb_iat);
		}
		if (rc == EXIT_OK)
		{
			json_t	   *shown = json_object();
			json_t	   *names = json_loads(r.revealed, 0, NULL);
			char	   *s;

			report("revealed: %s\n", r.revealed);

			for (size_t i = 0; i < json_array_size(names); i++)
			{
				const char *name = json_string_value(json_array_get(names, i));
				json_t	   *v = json_object_get(payload, name);

				if (v != NULL)
					json_object_set(shown, name, v);
			}
			s = json_dumps(shown, JSON_COMPACT | JSON_SORT_KEYS);
			report("claims: %s\n", s ? s : "{}");
			free(s);
			json_decref(shown);
			json_decref(names);
			rc = check_period(payload, 0, holder_copy);
		}
		json_decref(payload);
		free(r.payload);
		free(r.header);
		free(r.revealed);
		return rc;
	}
}

/* The bundle's entry must be the credential's: kind, issuer, digest, canonical form. */
static int
check_entry(const cli_bundle *b, const char *issuer)
{
	unsigned char d[BROP_SHA256_BYTES];
	char		hex[2 * BROP_SHA256_BYTES + 1];
	size_t		n,
				clen;
	int			is_vc;
	char	   *canon;
	json_t	   *e;
	const char *kind,
			   *org,
			   *pd;

	if (brop_jcs_canonicalize(&canon, &clen, b->entry, strlen(b->entry), NULL, NULL) != 0
		|| clen != strlen(b->entry) || memcmp(canon, b->entry, clen) != 0)
	{
		report("invalid: the bundle's entry is not a leaf input (RFC 8785 JSON)\n");
		return EXIT_INPUT;
	}
	free(canon);
	if (brop_credential_digest(d, &is_vc, b->credential, strlen(b->credential)) != 0
		|| brop_hex_encode(hex, sizeof hex, &n, d, sizeof d) != 0)
		return EXIT_INPUT;
	hex[n] = '\0';
	e = json_loads(b->entry, 0, NULL);
	kind = json_string_value(json_object_get(e, "kind"));
	org = json_string_value(json_object_get(e, "org"));
	pd = json_string_value(json_object_get(e, "payload_digest"));
	if (kind == NULL || strcmp(kind, "credential") != 0 || org == NULL || strcmp(org, issuer) != 0
		|| pd == NULL || strcmp(pd, hex) != 0)
	{
		report("invalid: the bundle's entry is not this credential's (kind, issuer or digest differ)\n");
		json_decref(e);
		return EXIT_INVALID;
	}
	report("entry: kind credential by the issuer, serial %s, payload digest %s: matches\n",
		   json_string_value(json_object_get(json_object_get(e, "header"), "serial")), hex);
	json_decref(e);
	return EXIT_OK;
}

int
cli_verify_credential(const cli_bundle *b, const char *nonce, const char *aud, const char *ledger_did,
					  const char *want_holder)
{
	char		issuer[BROP_DIDKEY_MAX_LEN + 1],
				holder[BROP_DIDKEY_MAX_LEN + 1];
	int			rc = check_signatures(b, nonce, aud, issuer, holder, want_holder != NULL);

	if (rc != EXIT_OK)
		return rc;
	if (want_holder != NULL && strcmp(holder, want_holder) != 0)
	{
		report("invalid: the credential names another holder (%s)\n", holder);
		return EXIT_INVALID;
	}
	if (b->entry != NULL || b->proof != NULL || b->checkpoint != NULL)
	{
		if (b->entry == NULL || b->proof == NULL || b->checkpoint == NULL)
		{
			report("invalid: the bundle has only part of its ledger proof (entry, proof, checkpoint)\n");
			return EXIT_INPUT;
		}
		if (ledger_did == NULL)
			cli_die(EXIT_USAGE, "--did LEDGER_DID is needed to check the bundle's checkpoint");
		rc = check_entry(b, issuer);
		if (rc == EXIT_OK)
			rc = cli_check_inclusion(ledger_did, b->checkpoint, strlen(b->checkpoint), b->proof,
									 b->entry, strlen(b->entry));
		if (rc != EXIT_OK)
			return rc;
	}
	else
		report("ledger: not checked (no entry, proof and checkpoint given)\n");
	report("status: revocation, deactivation, newer versions and the issuer's authorisation are not checked offline (ask the ledger: brop.verify_presentation)\n");
	report("valid\n");
	return EXIT_OK;
}
