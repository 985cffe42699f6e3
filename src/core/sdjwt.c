/*
 * sdjwt.c — Selective Disclosure for JWTs (RFC 9901).
 *
 *   SD-JWT        <issuer-signed JWT>~<disclosure>~...~<disclosure>~
 *   presentation  <issuer-signed JWT>~<chosen disclosures>~...~<KB-JWT>
 *   disclosure    base64url(UTF-8 JSON [salt, name, value]) (object member)
 *                 or base64url([salt, value]) (array element)
 *   digest        base64url(SHA-256(the disclosure's ASCII text))
 *   sd_hash       base64url(SHA-256(the presentation up to its last '~'))
 *
 * brop issues with "_sd_alg": "sha-256" and every claim it is given as a
 * disclosure of its own. This file makes disclosures, credentials and
 * presentations, and holds the parsing shared with sdjwt_verify.c, which
 * verifies any SD-JWT using sha-256, nested "_sd" arrays and array elements
 * ("...") included.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SD_ALG "sha-256"

int
brop_sdjwt_digest(char out[BROP_SDJWT_DIGEST_LEN + 1], const char *disclosure, size_t len)
{
	unsigned char h[BROP_SHA256_BYTES];
	size_t		n;
	int			rc = brop_sha256(h, (const unsigned char *) disclosure, len);

	if (rc == 0)
		rc = brop_base64_encode(out, BROP_SDJWT_DIGEST_LEN, &n, h, sizeof h, BROP_BASE64_URLSAFE);
	if (rc != 0)
		return rc;
	out[n] = '\0';
	return BROP_OK;
}

/* Append the disclosure of (salt, name or NULL, value) to s. */
static int
add_disclosure(brop__str *s, const char *salt, const char *name, json_t *value)
{
	brop__str	arr = {0};
	json_t	   *v;
	int			rc = 0;

	brop__str_add(&arr, "[", 1);
	v = json_string(salt);
	rc = v ? brop__jcs_json(&arr, v) : BROP_ENOMEM;
	if (v)
		json_decref(v);
	if (rc == 0 && name != NULL)
	{
		brop__str_add(&arr, ",", 1);
		v = json_string(name);
		rc = v ? brop__jcs_json(&arr, v) : BROP_ENOMEM;
		if (v)
			json_decref(v);
	}
	if (rc == 0)
	{
		brop__str_add(&arr, ",", 1);
		rc = brop__jcs_json(&arr, value);
	}
	brop__str_add(&arr, "]", 1);
	if (rc == 0 && arr.failed)
		rc = BROP_ENOMEM;
	if (rc == 0)
		brop__str_b64url(s, (const unsigned char *) arr.data, arr.len);
	brop__str_free(&arr);
	return rc;
}

int
brop_sdjwt_disclosure(char **out, size_t *outlen, const char *salt, const char *name,
					  const char *value, size_t valuelen, const brop_allocator *a)
{
	brop__str	s = {0};
	int			rc;
	json_t	   *v = brop__json_parse(value, valuelen, &rc, NULL);

	if (v == NULL)
		return rc;
	rc = add_disclosure(&s, salt, name, v);
	json_decref(v);
	if (rc != 0)
	{
		brop__str_free(&s);
		return rc;
	}
	return brop__str_finish(&s, out, outlen, a);
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *) x, *(char *const *) y);
}

/* Append base64url(JCS(v)). */
static int
add_b64_json(brop__str *s, json_t *v)
{
	brop__str	t = {0};
	int			rc = brop__jcs_json(&t, v);

	if (rc == 0)
		brop__str_b64url(s, (const unsigned char *) t.data, t.len);
	brop__str_free(&t);
	return rc;
}

/* base64url(JCS({"alg":..,"typ":..})) "." base64url(JCS(payload)) */
static int
add_signing_input(brop__str *s, brop_alg alg, const char *typ, json_t *payload)
{
	const char *name = brop_jws_alg_name(alg);
	json_t	   *h;
	int			rc;

	if (name == NULL)
		return BROP_EALG;
	h = json_pack("{s:s, s:s}", "alg", name, "typ", typ);
	if (h == NULL)
		return BROP_ENOMEM;
	rc = add_b64_json(s, h);
	json_decref(h);
	brop__str_add(s, ".", 1);
	if (rc == 0)
		rc = add_b64_json(s, payload);
	return rc;
}

int
brop_sdjwt_prepare(char **signing_input, size_t *silen, char **disclosures, size_t *dlen,
				   brop_alg alg, const char *typ, const char *payload, size_t payloadlen,
				   const char *claims, size_t claimslen, const brop_allocator *a, brop_reason *why)
{
	json_t	   *p,
			   *c = NULL,
			   *sd = NULL;
	brop__str	si = {0},
				ds = {0};
	char	  **digests = NULL;
	size_t		n = 0;
	const char *name;
	json_t	   *value;
	int			rc;

	/* what verification would refuse is not signed (nor parsed) */
	if (payloadlen > BROP_CREDENTIAL_MAX_BYTES || claimslen > BROP_CREDENTIAL_MAX_BYTES)
	{
		brop__reason(why, "the %s longer than the limit of %d bytes",
					 payloadlen > BROP_CREDENTIAL_MAX_BYTES ? "payload is" : "claims are",
					 BROP_CREDENTIAL_MAX_BYTES);
		rc = BROP_ECREDENTIAL;
		p = NULL;
		goto done;
	}
	p = brop__json_parse(payload, payloadlen, &rc, NULL);
	if (p == NULL || !json_is_object(p))
	{
		brop__reason(why, "the payload is not a JSON object");
		rc = p == NULL ? rc : BROP_ECREDENTIAL;
		goto done;
	}
	c = brop__json_parse(claims, claimslen, &rc, NULL);
	if (c == NULL || !json_is_object(c))
	{
		brop__reason(why, "the claims are not a JSON object");
		rc = c == NULL ? rc : BROP_ECREDENTIAL;
		goto done;
	}
	if (json_object_get(p, "_sd") != NULL || json_object_get(p, "_sd_alg") != NULL)
	{
		brop__reason(why, "the payload already has _sd or _sd_alg");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	digests = calloc(json_object_size(c) + 1, sizeof *digests);
	sd = json_array();
	if (digests == NULL || sd == NULL)
	{
		rc = BROP_ENOMEM;
		goto done;
	}
	brop__str_add(&ds, "~", 1);
	json_object_foreach(c, name, value)
	{
		unsigned char salt[BROP_SDJWT_SALT_BYTES];
		char		salt64[BROP_BASE64URL_ENCODED_LEN(BROP_SDJWT_SALT_BYTES) + 1];
		size_t		saltlen,
					start = ds.len;

		if (strcmp(name, "_sd") == 0 || strcmp(name, "...") == 0 || strcmp(name, "_sd_alg") == 0)
		{
			brop__reason(why, "a claim may not be named \"%s\"", name);
			rc = BROP_ECREDENTIAL;
			goto done;
		}
		if (json_object_get(p, name) != NULL)
		{
			brop__reason(why, "the claim \"%.80s\" is also in the payload", name);
			rc = BROP_ECREDENTIAL;
			goto done;
		}
		randombytes_buf(salt, sizeof salt);
		rc = brop_base64_encode(salt64, sizeof salt64, &saltlen, salt, sizeof salt, BROP_BASE64_URLSAFE);
		if (rc != 0)
			goto done;
		salt64[saltlen] = '\0';
		rc = add_disclosure(&ds, salt64, name, value);
		if (rc == 0 && ds.failed)
			rc = BROP_ENOMEM;
		if (rc != 0)
			goto done;
		digests[n] = malloc(BROP_SDJWT_DIGEST_LEN + 1);
		if (digests[n] == NULL)
		{
			rc = BROP_ENOMEM;
			goto done;
		}
		rc = brop_sdjwt_digest(digests[n++], ds.data + start, ds.len - start);
		if (rc != 0)
			goto done;
		brop__str_add(&ds, "~", 1);
	}
	/* sorted, so the order of the digests says nothing about the claims' */
	qsort(digests, n, sizeof *digests, cmp_str);
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(sd, json_string(digests[i])) != 0)
		{
			rc = BROP_ENOMEM;
			goto done;
		}
	/* no selectively disclosable claims: no _sd, no _sd_alg (RFC 9901 4.1) */
	if (n > 0 && (json_object_set(p, "_sd", sd) != 0
				  || json_object_set_new(p, "_sd_alg", json_string(SD_ALG)) != 0))
	{
		rc = BROP_ENOMEM;
		goto done;
	}
	rc = add_signing_input(&si, alg, typ, p);
	if (rc != 0)
		goto done;
	rc = brop__str_finish(&si, signing_input, silen, a);
	if (rc == 0)
	{
		rc = brop__str_finish(&ds, disclosures, dlen, a);
		if (rc != 0)
			brop__dealloc(a, *signing_input);
	}
done:
	if (digests != NULL)
		for (size_t i = 0; i < n; i++)
			free(digests[i]);
	free(digests);
	if (p)
		json_decref(p);
	if (c)
		json_decref(c);
	if (sd)
		json_decref(sd);
	/* the disclosures hold salts: wipe before freeing */
	if (ds.data != NULL)
		sodium_memzero(ds.data, ds.cap);
	brop__str_free(&si);
	brop__str_free(&ds);
	return rc;
}

int
brop_sdjwt_assemble(char **out, size_t *outlen, const char *signing_input, size_t silen,
					const unsigned char sig[BROP_SIGNATURE_BYTES], const char *disclosures, size_t dlen,
					const brop_allocator *a)
{
	brop__str	s = {0};

	brop__str_add(&s, signing_input, silen);
	brop__str_add(&s, ".", 1);
	brop__str_b64url(&s, sig, BROP_SIGNATURE_BYTES);
	brop__str_add(&s, disclosures, dlen);
	return brop__str_finish(&s, out, outlen, a);
}

/* ---- parsing ------------------------------------------------------------ */

/* ---- parsing, shared with sdjwt_verify.c ----------------------------------- */



int
brop__sdjwt_split(sd_parsed *sp, const char *text, size_t len, brop_reason *why)
{
	const char *end = text + len;
	const char *first = memchr(text, '~', len);
	const char *last;
	const char *q;
	size_t		tildes = 0;

	memset(sp, 0, sizeof *sp);
	if (first == NULL)
	{
		brop__reason(why, "the text is not an SD-JWT: it has no '~'");
		return BROP_ECREDENTIAL;
	}
	last = first;
	for (q = first; q < end; q++)
		if (*q == '~')
		{
			last = q;
			tildes++;
		}
	/* the disclosures lie between the first and the last '~' */
	if (tildes - 1 > BROP_SDJWT_MAX_DISCLOSURES)
	{
		brop__reason(why, "the SD-JWT has more than the limit of %d disclosures", BROP_SDJWT_MAX_DISCLOSURES);
		return BROP_ECREDENTIAL;
	}
	sp->jwt.p = text;
	sp->jwt.n = (size_t) (first - text);
	sp->kb.p = last + 1;
	sp->kb.n = (size_t) (end - last - 1);
	sp->prefixlen = (size_t) (last + 1 - text);
	sp->disc = malloc(tildes * sizeof *sp->disc);
	if (sp->disc == NULL)
		return BROP_ENOMEM;
	for (q = first + 1; q <= last;)
	{
		const char *t = memchr(q, '~', (size_t) (last + 1 - q));

		if (t == q)
		{
			brop__reason(why, "the SD-JWT has an empty disclosure");
			return BROP_ECREDENTIAL;
		}
		sp->disc[sp->ndisc].p = q;
		sp->disc[sp->ndisc++].n = (size_t) (t - q);
		q = t + 1;
	}
	return BROP_OK;
}

/* A decoded disclosure. */

int
brop__sdjwt_decode_disclosure(sd_disc *d, sd_part part, brop_reason *why)
{
	unsigned char *raw = malloc(BROP_BASE64_DECODED_MAX(part.n) + 1);
	size_t		rawlen;
	int			rc;
	size_t		k;

	if (raw == NULL)
		return BROP_ENOMEM;
	rc = brop_sdjwt_digest(d->digest, part.p, part.n);
	if (rc != 0)
	{
		free(raw);
		return rc;
	}
	if (brop_base64_decode(raw, BROP_BASE64_DECODED_MAX(part.n), &rawlen, part.p, part.n,
						   BROP_BASE64_URLSAFE) != 0)
	{
		free(raw);
		brop__reason(why, "a disclosure is not base64url");
		return BROP_ECREDENTIAL;
	}
	d->array = brop__json_parse((const char *) raw, rawlen, &rc, NULL);
	sodium_memzero(raw, rawlen);
	free(raw);
	k = json_is_array(d->array) ? json_array_size(d->array) : 0;
	if (d->array == NULL || (k != 2 && k != 3) || !json_is_string(json_array_get(d->array, 0))
		|| (k == 3 && !json_is_string(json_array_get(d->array, 1))))
	{
		brop__reason(why, "a disclosure is not a JSON array [salt, name, value] or [salt, value]");
		return BROP_ECREDENTIAL;
	}
	return BROP_OK;
}

/* The payload of a JWS, unverified (to learn its "iss" or "cnf"). */
json_t *
brop__sdjwt_peek_payload(sd_part jwt, brop_reason *why)
{
	const char *dot1 = memchr(jwt.p, '.', jwt.n);
	const char *dot2 = dot1 ? memchr(dot1 + 1, '.', jwt.n - (size_t) (dot1 + 1 - jwt.p)) : NULL;

	if (dot2 == NULL)
	{
		brop__reason(why, "the issuer-signed JWT is not a compact JWS (three parts)");
		return NULL;
	}
	return brop__b64url_json(dot1 + 1, (size_t) (dot2 - dot1 - 1), NULL, NULL, why, "JWT payload");
}

/* The holder's key: the payload's cnf.jwk. */
int
brop__sdjwt_holder_key(brop_alg *alg, unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen,
		   json_t *payload, brop_reason *why)
{
	json_t	   *jwk = json_object_get(json_object_get(payload, "cnf"), "jwk");

	if (jwk == NULL)
	{
		brop__reason(why, "the credential has no holder key (cnf.jwk) to bind a presentation to");
		return BROP_ECREDENTIAL;
	}
	if (brop__jwk_read(alg, pk, pklen, jwk) != 0)
	{
		brop__reason(why, "the credential's holder key (cnf.jwk) is not a public JWK brop supports");
		return BROP_ECREDENTIAL;
	}
	return BROP_OK;
}


int
brop_sdjwt_present(char **out, size_t *outlen, const char *sdjwt, size_t len,
				   const char *const *reveal, size_t nreveal, brop_alg holder_alg,
				   const unsigned char holder_sk[BROP_SECRETKEYBYTES],
				   const char *nonce, const char *aud, int64_t iat,
				   const brop_allocator *a, brop_reason *why)
{
	sd_parsed	sp;
	sd_disc    *d = NULL;
	json_t	   *payload = NULL,
			   *kb = NULL;
	brop__str	s = {0};
	brop_alg	alg;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES],
				mine[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen,
				minelen;
	char		hash[BROP_SDJWT_DIGEST_LEN + 1];
	unsigned char sig[BROP_SIGNATURE_BYTES];
	size_t		start;
	int			rc;

	rc = brop__sdjwt_split(&sp, sdjwt, len, why);
	if (rc != 0)
		goto done;
	if (sp.kb.n != 0)
	{
		brop__reason(why, "the SD-JWT is already a presentation");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	payload = brop__sdjwt_peek_payload(sp.jwt, why);
	if (payload == NULL)
	{
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	rc = brop__sdjwt_holder_key(&alg, pk, &pklen, payload, why);
	if (rc != 0)
		goto done;
	rc = brop_key_public(mine, sizeof mine, &minelen, holder_alg, holder_sk);
	if (rc == 0 && (alg != holder_alg || minelen != pklen || memcmp(mine, pk, pklen) != 0))
	{
		brop__reason(why, "the key is not the credential's holder key");
		rc = BROP_EKEY;
	}
	if (rc != 0)
		goto done;

	d = calloc(sp.ndisc + 1, sizeof *d);
	if (d == NULL)
	{
		rc = BROP_ENOMEM;
		goto done;
	}
	brop__str_add(&s, sp.jwt.p, sp.jwt.n);
	brop__str_add(&s, "~", 1);
	for (size_t i = 0; i < sp.ndisc; i++)
	{
		rc = brop__sdjwt_decode_disclosure(&d[i], sp.disc[i], why);
		if (rc != 0)
			goto done;
	}
	for (size_t r = 0; r < nreveal; r++)
	{
		int			found = 0;

		for (size_t i = 0; i < sp.ndisc; i++)
			if (json_array_size(d[i].array) == 3
				&& strcmp(json_string_value(json_array_get(d[i].array, 1)), reveal[r]) == 0)
			{
				found = 1;
				d[i].used = 1;
			}
		if (!found)
		{
			brop__reason(why, "\"%.80s\" is not a disclosable claim of the credential", reveal[r]);
			rc = BROP_ECREDENTIAL;
			goto done;
		}
	}
	for (size_t i = 0; i < sp.ndisc; i++)
		if (d[i].used)
		{
			brop__str_add(&s, sp.disc[i].p, sp.disc[i].n);
			brop__str_add(&s, "~", 1);
		}
	if (s.failed)
	{
		rc = BROP_ENOMEM;
		goto done;
	}
	rc = brop_sdjwt_digest(hash, s.data, s.len);
	if (rc != 0)
		goto done;
	kb = json_pack("{s:s, s:I, s:s, s:s}", "aud", aud, "iat", (json_int_t) iat,
				   "nonce", nonce, "sd_hash", hash);
	if (kb == NULL)
	{
		rc = BROP_ENOMEM;
		goto done;
	}
	start = s.len;
	rc = add_signing_input(&s, holder_alg, "kb+jwt", kb);
	if (rc == 0 && s.failed)
		rc = BROP_ENOMEM;
	if (rc == 0)
		rc = brop_sign(sig, holder_alg, holder_sk, (const unsigned char *) s.data + start, s.len - start);
	if (rc != 0)
		goto done;
	brop__str_add(&s, ".", 1);
	brop__str_b64url(&s, sig, sizeof sig);
	rc = brop__str_finish(&s, out, outlen, a);
done:
	if (d != NULL)
		for (size_t i = 0; i < sp.ndisc; i++)
			if (d[i].array != NULL)
				json_decref(d[i].array);
	free(d);
	free(sp.disc);
	if (payload)
		json_decref(payload);
	if (kb)
		json_decref(kb);
	brop__str_free(&s);
	return rc;
}

