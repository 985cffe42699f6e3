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
 * disclosure of its own; it verifies any SD-JWT using sha-256, nested
 * "_sd" arrays and array elements ("...") included.
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

typedef struct sd_part
{
	const char *p;
	size_t		n;
} sd_part;

typedef struct sd_parsed
{
	sd_part		jwt;
	sd_part    *disc;			/* the disclosures, in order */
	size_t		ndisc;
	sd_part		kb;				/* empty when none */
	size_t		prefixlen;		/* text up to and including the last '~' */
} sd_parsed;

static int
split(sd_parsed *sp, const char *text, size_t len, brop_reason *why)
{
	const char *end = text + len;
	const char *first = memchr(text, '~', len);
	const char *last;
	const char *q;

	memset(sp, 0, sizeof *sp);
	if (first == NULL)
	{
		brop__reason(why, "the text is not an SD-JWT: it has no '~'");
		return BROP_ECREDENTIAL;
	}
	last = first;
	for (q = first; q < end; q++)
		if (*q == '~')
			last = q;
	sp->jwt.p = text;
	sp->jwt.n = (size_t) (first - text);
	sp->kb.p = last + 1;
	sp->kb.n = (size_t) (end - last - 1);
	sp->prefixlen = (size_t) (last + 1 - text);
	sp->disc = malloc((sp->prefixlen / 2 + 1) * sizeof *sp->disc);
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
typedef struct sd_disc
{
	char		digest[BROP_SDJWT_DIGEST_LEN + 1];
	json_t	   *array;			/* [salt, name, value] or [salt, value] */
	int			used;
} sd_disc;

static int
decode_disclosure(sd_disc *d, sd_part part, brop_reason *why)
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

typedef struct sd_state
{
	sd_disc    *d;
	size_t		n;
	json_t	   *seen;			/* digests met in the payload, as an object's keys */
	json_t	   *revealed;		/* names of the disclosed claims, in order met */
	brop_reason *why;
} sd_state;

static sd_disc *
find_disclosure(sd_state *st, const char *digest)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->d[i].digest, digest) == 0)
			return &st->d[i];
	return NULL;
}

/* Mark digest as met; a digest met twice is refused (RFC 9901 7.1 step 4). */
static int
see_digest(sd_state *st, const char *digest)
{
	if (json_object_get(st->seen, digest) != NULL)
	{
		brop__reason(st->why, "the digest %.43s appears twice in the credential", digest);
		return BROP_ECREDENTIAL;
	}
	return json_object_set_new(st->seen, digest, json_true()) == 0 ? BROP_OK : BROP_ENOMEM;
}

static int	process(sd_state *st, json_t *v, int depth);

static int
process_object(sd_state *st, json_t *obj, int depth)
{
	json_t	   *sd = json_object_get(obj, "_sd");
	const char *key;
	json_t	   *value;
	int			rc;

	json_object_foreach(obj, key, value)
	{
		if (strcmp(key, "_sd") == 0)
			continue;
		rc = process(st, value, depth + 1);
		if (rc != 0)
			return rc;
	}
	if (sd == NULL)
		return BROP_OK;
	if (!json_is_array(sd))
	{
		brop__reason(st->why, "an _sd member is not an array");
		return BROP_ECREDENTIAL;
	}
	json_incref(sd);
	json_object_del(obj, "_sd");
	for (size_t i = 0; i < json_array_size(sd); i++)
	{
		const char *digest = json_string_value(json_array_get(sd, i));
		sd_disc    *d;
		const char *name;

		if (digest == NULL)
		{
			brop__reason(st->why, "an _sd array holds something other than digest strings");
			rc = BROP_ECREDENTIAL;
			goto out;
		}
		rc = see_digest(st, digest);
		if (rc != 0)
			goto out;
		d = find_disclosure(st, digest);
		if (d == NULL)
			continue;			/* undisclosed, or a decoy */
		if (json_array_size(d->array) != 3)
		{
			brop__reason(st->why, "an array element's disclosure is referenced by an object's _sd");
			rc = BROP_ECREDENTIAL;
			goto out;
		}
		name = json_string_value(json_array_get(d->array, 1));
		if (strcmp(name, "_sd") == 0 || strcmp(name, "...") == 0)
		{
			brop__reason(st->why, "a disclosure names the claim \"%s\"", name);
			rc = BROP_ECREDENTIAL;
			goto out;
		}
		if (json_object_get(obj, name) != NULL)
		{
			brop__reason(st->why, "the disclosed claim \"%.80s\" is already in the credential", name);
			rc = BROP_ECREDENTIAL;
			goto out;
		}
		d->used = 1;
		value = json_array_get(d->array, 2);
		rc = process(st, value, depth + 1);
		if (rc == 0 && (json_object_set(obj, name, value) != 0
						|| json_array_append_new(st->revealed, json_string(name)) != 0))
			rc = BROP_ENOMEM;
		if (rc != 0)
			goto out;
	}
	rc = BROP_OK;
out:
	json_decref(sd);
	return rc;
}

static int
process_array(sd_state *st, json_t *arr, int depth)
{
	size_t		i = 0;
	int			rc;

	while (i < json_array_size(arr))
	{
		json_t	   *e = json_array_get(arr, i);
		json_t	   *dots = json_is_object(e) ? json_object_get(e, "...") : NULL;

		if (dots != NULL && json_object_size(e) == 1)
		{
			const char *digest = json_string_value(dots);
			sd_disc    *d;

			if (digest == NULL)
			{
				brop__reason(st->why, "an array element's \"...\" is not a digest string");
				return BROP_ECREDENTIAL;
			}
			rc = see_digest(st, digest);
			if (rc != 0)
				return rc;
			d = find_disclosure(st, digest);
			if (d == NULL)
			{
				json_array_remove(arr, i);	/* undisclosed element */
				continue;
			}
			if (json_array_size(d->array) != 2)
			{
				brop__reason(st->why, "an object member's disclosure is referenced as an array element");
				return BROP_ECREDENTIAL;
			}
			d->used = 1;
			rc = process(st, json_array_get(d->array, 1), depth + 1);
			if (rc != 0)
				return rc;
			if (json_array_set(arr, i, json_array_get(d->array, 1)) != 0
				|| json_array_append_new(st->revealed, json_string("[]")) != 0)
				return BROP_ENOMEM;
		}
		else
		{
			rc = process(st, e, depth + 1);
			if (rc != 0)
				return rc;
		}
		i++;
	}
	return BROP_OK;
}

static int
process(sd_state *st, json_t *v, int depth)
{
	if (depth > 64)
	{
		brop__reason(st->why, "the credential nests too deeply");
		return BROP_ECREDENTIAL;
	}
	if (json_is_object(v))
		return process_object(st, v, depth);
	if (json_is_array(v))
		return process_array(st, v, depth);
	return BROP_OK;
}

/* The payload of a JWS, unverified (to learn its "iss" or "cnf"). */
static json_t *
peek_payload(sd_part jwt, brop_reason *why)
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
static int
holder_key(brop_alg *alg, unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen,
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

static int
sd_hash(char out[BROP_SDJWT_DIGEST_LEN + 1], const char *text, size_t prefixlen)
{
	return brop_sdjwt_digest(out, text, prefixlen);
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

	rc = split(&sp, sdjwt, len, why);
	if (rc != 0)
		goto done;
	if (sp.kb.n != 0)
	{
		brop__reason(why, "the SD-JWT is already a presentation");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	payload = peek_payload(sp.jwt, why);
	if (payload == NULL)
	{
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	rc = holder_key(&alg, pk, &pklen, payload, why);
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
		rc = decode_disclosure(&d[i], sp.disc[i], why);
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
	rc = sd_hash(hash, s.data, s.len);
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

/* Check the key binding JWT (RFC 9901 7.3). */
static int
check_key_binding(brop_sdjwt_result *res, const sd_parsed *sp, const char *text, json_t *payload,
				  const char *nonce, const char *aud, brop_reason *why)
{
	brop_alg	alg;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen;
	json_t	   *h = NULL,
			   *p = NULL;
	const char *typ,
			   *v;
	char		hash[BROP_SDJWT_DIGEST_LEN + 1];
	int			rc;

	rc = holder_key(&alg, pk, &pklen, payload, why);
	if (rc != 0)
		return rc;
	rc = brop__jws_check(&h, &p, NULL, NULL, sp->kb.p, sp->kb.n, alg, pk, pklen,
						 "key binding JWT", why);
	if (rc != 0)
		return rc;
	rc = BROP_ECREDENTIAL;
	typ = json_string_value(json_object_get(h, "typ"));
	if (typ == NULL || strcmp(typ, "kb+jwt") != 0)
		brop__reason(why, "the key binding JWT's typ is not kb+jwt");
	else if ((v = json_string_value(json_object_get(p, "nonce"))) == NULL || strcmp(v, nonce) != 0)
		brop__reason(why, "the key binding JWT's nonce is not the verifier's");
	else if ((v = json_string_value(json_object_get(p, "aud"))) == NULL || strcmp(v, aud) != 0)
		brop__reason(why, "the key binding JWT's audience is not the verifier's");
	else if (!json_is_number(json_object_get(p, "iat")))
		brop__reason(why, "the key binding JWT has no iat");
	else if ((rc = sd_hash(hash, text, sp->prefixlen)) != 0)
		;
	else if ((v = json_string_value(json_object_get(p, "sd_hash"))) == NULL
			 || strlen(v) != BROP_SDJWT_DIGEST_LEN
			 || sodium_memcmp(v, hash, BROP_SDJWT_DIGEST_LEN) != 0)
	{
		brop__reason(why, "the key binding JWT's sd_hash does not match the presentation");
		rc = BROP_ECREDENTIAL;
	}
	else
	{
		res->key_bound = 1;
		res->kb_iat = (int64_t) json_number_value(json_object_get(p, "iat"));
		rc = BROP_OK;
	}
	json_decref(h);
	json_decref(p);
	return rc;
}

int
brop_sdjwt_verify(brop_sdjwt_result *res, const char *text, size_t len,
				  brop_alg issuer_alg, const unsigned char *issuer_pk, size_t issuer_pklen,
				  const char *nonce, const char *aud, const brop_allocator *a, brop_reason *why)
{
	sd_parsed	sp;
	sd_state	st = {0};
	json_t	   *h = NULL,
			   *p = NULL;
	unsigned char key[BROP_PUBLICKEY_MAX_BYTES];
	const char *sdalg;
	brop__str	s = {0};
	int			rc;

	memset(res, 0, sizeof *res);
	st.why = why;
	rc = split(&sp, text, len, why);
	if (rc != 0)
		goto done;
	if (issuer_pk == NULL)
	{
		json_t	   *peek = peek_payload(sp.jwt, why);
		const char *iss = peek ? json_string_value(json_object_get(peek, "iss")) : NULL;

		rc = BROP_ECREDENTIAL;
		if (peek != NULL && iss == NULL)
			brop__reason(why, "the credential has no issuer (iss)");
		else if (peek != NULL
				 && brop_didkey_decode(&issuer_alg, key, sizeof key, &issuer_pklen, iss, strlen(iss)) != 0)
			brop__reason(why, "the credential's issuer is not a did:key");
		else if (peek != NULL)
			rc = BROP_OK;
		if (peek)
			json_decref(peek);
		if (rc != 0)
			goto done;
		issuer_pk = key;
	}
	rc = brop__jws_check(&h, &p, NULL, NULL, sp.jwt.p, sp.jwt.n, issuer_alg, issuer_pk, issuer_pklen,
						 "issuer-signed JWT", why);
	if (rc != 0)
		goto done;
	rc = BROP_ECREDENTIAL;
	sdalg = json_string_value(json_object_get(p, "_sd_alg"));
	if (json_object_get(p, "_sd_alg") != NULL && (sdalg == NULL || strcmp(sdalg, SD_ALG) != 0))
	{
		brop__reason(why, "the credential's _sd_alg is not sha-256");
		goto done;
	}
	json_object_del(p, "_sd_alg");

	st.d = calloc(sp.ndisc + 1, sizeof *st.d);
	st.n = sp.ndisc;
	/* not json_object(): inside the backend that name is postgres's (Makefile) */
	st.seen = json_pack("{}");
	st.revealed = json_array();
	if (st.d == NULL || st.seen == NULL || st.revealed == NULL)
	{
		rc = BROP_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < sp.ndisc; i++)
	{
		rc = decode_disclosure(&st.d[i], sp.disc[i], why);
		if (rc != 0)
			goto done;
		for (size_t j = 0; j < i; j++)
			if (strcmp(st.d[j].digest, st.d[i].digest) == 0)
			{
				brop__reason(why, "the same disclosure is sent twice");
				rc = BROP_ECREDENTIAL;
				goto done;
			}
	}
	if (nonce != NULL && sp.kb.n == 0)
	{
		brop__reason(why, "the presentation has no key binding JWT");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	if (nonce == NULL && sp.kb.n != 0)
	{
		brop__reason(why, "the text is a presentation with key binding: verify it with a nonce and audience");
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	if (sp.kb.n != 0)
	{
		rc = check_key_binding(res, &sp, text, p, nonce, aud != NULL ? aud : "", why);
		if (rc != 0)
			goto done;
	}
	rc = process(&st, p, 0);
	if (rc != 0)
		goto done;
	for (size_t i = 0; i < st.n; i++)
		if (!st.d[i].used)
		{
			brop__reason(why, "a disclosure is not referenced by the credential");
			rc = BROP_ECREDENTIAL;
			goto done;
		}
	rc = brop_sha256(res->jwt_digest, (const unsigned char *) sp.jwt.p, sp.jwt.n);
	if (rc == 0)
		rc = brop__jcs_json(&s, p);
	if (rc == 0)
		rc = brop__str_finish(&s, &res->payload, &res->payloadlen, a);
	if (rc == 0 && (rc = brop__jcs_json(&s, h)) == 0)
		rc = brop__str_finish(&s, &res->header, &res->headerlen, a);
	if (rc == 0 && (rc = brop__jcs_json(&s, st.revealed)) == 0)
		rc = brop__str_finish(&s, &res->revealed, &res->revealedlen, a);
	if (rc != 0)
	{
		brop__dealloc(a, res->payload);
		brop__dealloc(a, res->header);
		memset(res, 0, sizeof *res);
	}
done:
	brop__str_free(&s);
	if (st.d != NULL)
		for (size_t i = 0; i < st.n; i++)
			if (st.d[i].array != NULL)
				json_decref(st.d[i].array);
	free(st.d);
	free(sp.disc);
	if (st.seen)
		json_decref(st.seen);
	if (st.revealed)
		json_decref(st.revealed);
	if (h)
		json_decref(h);
	if (p)
		json_decref(p);
	return rc;
}
