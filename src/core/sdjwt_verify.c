/*
 * sdjwt_verify.c — verifying an SD-JWT or a presentation (RFC 9901 section
 * 7): the issuer's signature, every disclosure referenced exactly once, no
 * digest twice, reserved and present names refused, nested "_sd" and array
 * elements; with a nonce, the key binding JWT (section 7.3).
 */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SD_ALG "sha-256"

typedef struct sd_state
{
	sd_disc    *d;				/* sorted by digest */
	size_t		n;
	json_t	   *seen;			/* digests met in the payload, as an object's keys */
	size_t		nseen;
	json_t	   *revealed;		/* names of the disclosed claims, in order met */
	const brop_cancel *cancel;
	unsigned	steps;
	brop_reason *why;
} sd_state;

static int
cmp_disc(const void *x, const void *y)
{
	return strcmp(((const sd_disc *) x)->digest, ((const sd_disc *) y)->digest);
}

static int
cmp_digest_disc(const void *key, const void *elem)
{
	return strcmp((const char *) key, ((const sd_disc *) elem)->digest);
}

static sd_disc *
find_disclosure(sd_state *st, const char *digest)
{
	return st->n == 0 ? NULL : bsearch(digest, st->d, st->n, sizeof *st->d, cmp_digest_disc);
}

/* Every 4096 steps, ask the cancel callback. */
static int
step(const brop_cancel *cancel, unsigned *steps, brop_reason *why)
{
	if ((++*steps & 4095) == 0 && cancel != NULL && cancel->requested(cancel->arg))
	{
		brop__reason(why, "the verification was cancelled");
		return BROP_ECREDENTIAL;
	}
	return BROP_OK;
}

/*
 * Mark digest as met; a digest met twice is refused (RFC 9901 7.1 step 4),
 * and so are more than BROP_SDJWT_MAX_DIGESTS.
 */
static int
see_digest(sd_state *st, const char *digest)
{
	int			rc = step(st->cancel, &st->steps, st->why);

	if (rc != 0)
		return rc;
	if (++st->nseen > BROP_SDJWT_MAX_DIGESTS)
	{
		brop__reason(st->why, "the credential has more than the limit of %d digests (decoys included)",
					 BROP_SDJWT_MAX_DIGESTS);
		return BROP_ECREDENTIAL;
	}
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

/*
 * An array's elements in one pass: each kept element (a disclosed one
 * replaced by its value) moved down to slot w, undisclosed ones dropped,
 * then the tail cut from the end (no element moved twice).
 */
static int
process_array(sd_state *st, json_t *arr, int depth)
{
	size_t		n = json_array_size(arr);
	size_t		w = 0;
	int			rc;

	for (size_t i = 0; i < n; i++)
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
				continue;		/* undisclosed element: dropped */
			if (json_array_size(d->array) != 2)
			{
				brop__reason(st->why, "an object member's disclosure is referenced as an array element");
				return BROP_ECREDENTIAL;
			}
			d->used = 1;
			e = json_array_get(d->array, 1);
			rc = process(st, e, depth + 1);
			if (rc != 0)
				return rc;
			if (json_array_append_new(st->revealed, json_string("[]")) != 0)
				return BROP_ENOMEM;
		}
		else
		{
			rc = process(st, e, depth + 1);
			if (rc != 0)
				return rc;
		}
		/* e is arr's or the disclosure's: set() takes its own reference first */
		if ((w != i || e != json_array_get(arr, i)) && json_array_set(arr, w, e) != 0)
			return BROP_ENOMEM;
		w++;
	}
	while (json_array_size(arr) > w)
		if (json_array_remove(arr, json_array_size(arr) - 1) != 0)
			return BROP_ENOMEM;
	return BROP_OK;
}

static int
process(sd_state *st, json_t *v, int depth)
{
	int			rc = step(st->cancel, &st->steps, st->why);

	if (rc != 0)
		return rc;
	if (depth > BROP_SDJWT_MAX_DEPTH)
	{
		brop__reason(st->why, "the credential nests deeper than the limit of %d levels", BROP_SDJWT_MAX_DEPTH);
		return BROP_ECREDENTIAL;
	}
	if (json_is_object(v))
		return process_object(st, v, depth);
	if (json_is_array(v))
		return process_array(st, v, depth);
	return BROP_OK;
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

	rc = brop__sdjwt_holder_key(&alg, pk, &pklen, payload, why);
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
	else if ((rc = brop_sdjwt_digest(hash, text, sp->prefixlen)) != 0)
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
		res->holder_alg = alg;
		memcpy(res->holder_pk, pk, pklen);
		res->holder_pklen = pklen;
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
	return brop_sdjwt_verify_cancellable(res, text, len, issuer_alg, issuer_pk, issuer_pklen,
										 nonce, aud, a, NULL, why);
}

int
brop_sdjwt_verify_cancellable(brop_sdjwt_result *res, const char *text, size_t len,
							  brop_alg issuer_alg, const unsigned char *issuer_pk, size_t issuer_pklen,
							  const char *nonce, const char *aud, const brop_allocator *a,
							  const brop_cancel *cancel, brop_reason *why)
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
	memset(&sp, 0, sizeof sp);
	st.why = why;
	st.cancel = cancel;
	if (len > BROP_CREDENTIAL_MAX_BYTES)
	{
		brop__reason(why, "the text is longer than the limit of %d bytes", BROP_CREDENTIAL_MAX_BYTES);
		rc = BROP_ECREDENTIAL;
		goto done;
	}
	rc = brop__sdjwt_split(&sp, text, len, why);
	if (rc != 0)
		goto done;
	if (issuer_pk == NULL)
	{
		json_t	   *peek = brop__sdjwt_peek_payload(sp.jwt, why);
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
		rc = step(cancel, &st.steps, why);
		if (rc == 0)
			rc = brop__sdjwt_decode_disclosure(&st.d[i], sp.disc[i], why);
		if (rc != 0)
			goto done;
	}
	/* indexed by digest once: a disclosure sent twice sorts next to itself */
	qsort(st.d, st.n, sizeof *st.d, cmp_disc);
	for (size_t i = 1; i < st.n; i++)
		if (strcmp(st.d[i - 1].digest, st.d[i].digest) == 0)
		{
			brop__reason(why, "the same disclosure is sent twice");
			rc = BROP_ECREDENTIAL;
			goto done;
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
	if (issuer_pklen > sizeof res->issuer_pk)
	{
		rc = BROP_EINVAL;
		goto done;
	}
	res->issuer_alg = issuer_alg;
	memcpy(res->issuer_pk, issuer_pk, issuer_pklen);
	res->issuer_pklen = issuer_pklen;
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
