/*
 * jws.c — compact JWS (RFC 7515) and public JWKs (RFC 7517) for brop's
 * algorithms: EdDSA over Ed25519 (RFC 8037), ES256 over P-256 and ES256K
 * over secp256k1 (RFC 8812). ECDSA signatures are the 64-byte r || s.
 */
#include <jansson.h>
#include <string.h>

#include "internal.h"

static const struct
{
	brop_alg	alg;
	const char *jws;
	const char *kty;
	const char *crv;
}			jose_algs[] = {
	{BROP_ALG_ED25519, "EdDSA", "OKP", "Ed25519"},
	{BROP_ALG_P256, "ES256", "EC", "P-256"},
	{BROP_ALG_SECP256K1, "ES256K", "EC", "secp256k1"},
};

#define N_JOSE_ALGS (sizeof jose_algs / sizeof jose_algs[0])

const char *
brop_jws_alg_name(brop_alg alg)
{
	for (size_t i = 0; i < N_JOSE_ALGS; i++)
		if (jose_algs[i].alg == alg)
			return jose_algs[i].jws;
	return NULL;
}

int
brop_jws_alg_from_name(brop_alg *alg, const char *name, size_t len)
{
	for (size_t i = 0; i < N_JOSE_ALGS; i++)
		if (strlen(jose_algs[i].jws) == len && memcmp(jose_algs[i].jws, name, len) == 0)
		{
			*alg = jose_algs[i].alg;
			return BROP_OK;
		}
	return BROP_EALG;
}

/* ---- base64url members -------------------------------------------------- */

/* Decode the base64url string member name of obj into exactly n bytes. */
static int
b64url_member(unsigned char *out, size_t n, json_t *obj, const char *name)
{
	json_t	   *v = json_object_get(obj, name);
	size_t		len;

	if (!json_is_string(v))
		return BROP_ECREDENTIAL;
	if (brop_base64_decode(out, n, &len, json_string_value(v), json_string_length(v),
						   BROP_BASE64_URLSAFE) != 0 || len != n)
		return BROP_EKEY;
	return BROP_OK;
}

static int
jwk_encode(char **out, size_t *outlen, brop_alg alg, const unsigned char *pk, size_t pklen,
		   const brop_allocator *a, int validate)
{
	brop__str	s = {0};
	size_t		i;
	int			rc;

	for (i = 0; i < N_JOSE_ALGS; i++)
		if (jose_algs[i].alg == alg)
			break;
	if (i == N_JOSE_ALGS)
		return BROP_EALG;
	rc = validate ? brop_key_validate(alg, pk, pklen)
		: pklen == brop_alg_publickey_bytes(alg) ? BROP_OK : BROP_ELENGTH;
	if (rc != 0)
		return rc;

	brop__str_adds(&s, "{\"crv\":\"");
	brop__str_adds(&s, jose_algs[i].crv);
	brop__str_adds(&s, "\",\"kty\":\"");
	brop__str_adds(&s, jose_algs[i].kty);
	brop__str_adds(&s, "\",\"x\":\"");
	if (alg == BROP_ALG_ED25519)
		brop__str_b64url(&s, pk, pklen);
	else
	{
		unsigned char u[BROP_UNCOMPRESSED_PUBLICKEYBYTES];

		rc = brop_key_public_uncompressed(u, alg, pk, pklen);
		if (rc != 0)
		{
			brop__str_free(&s);
			return rc;
		}
		brop__str_b64url(&s, u + 1, 32);
		brop__str_adds(&s, "\",\"y\":\"");
		brop__str_b64url(&s, u + 33, 32);
	}
	brop__str_adds(&s, "\"}");
	return brop__str_finish(&s, out, outlen, a);
}

int
brop_jwk_encode(char **out, size_t *outlen, brop_alg alg, const unsigned char *pk, size_t pklen,
				const brop_allocator *a)
{
	return jwk_encode(out, outlen, alg, pk, pklen, a, 1);
}

int
brop_jwk_encode_valid(char **out, size_t *outlen, brop_alg alg, const unsigned char *pk, size_t pklen,
					  const brop_allocator *a)
{
	return jwk_encode(out, outlen, alg, pk, pklen, a, 0);
}

/* Read a parsed public JWK. */
static int
jwk_read(brop_alg *alg, unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen, json_t *jwk)
{
	const char *kty = json_string_value(json_object_get(jwk, "kty"));
	const char *crv = json_string_value(json_object_get(jwk, "crv"));
	size_t		i;
	int			rc;

	if (!json_is_object(jwk) || kty == NULL || crv == NULL)
		return BROP_ECREDENTIAL;
	if (json_object_get(jwk, "d") != NULL)
		return BROP_ECREDENTIAL;	/* a private key has no business here */
	for (i = 0; i < N_JOSE_ALGS; i++)
		if (strcmp(jose_algs[i].kty, kty) == 0 && strcmp(jose_algs[i].crv, crv) == 0)
			break;
	if (i == N_JOSE_ALGS)
		return BROP_EALG;
	*alg = jose_algs[i].alg;
	if (*alg == BROP_ALG_ED25519)
	{
		rc = b64url_member(pk, 32, jwk, "x");
		*pklen = 32;
	}
	else
	{
		unsigned char u[BROP_UNCOMPRESSED_PUBLICKEYBYTES];

		u[0] = 0x04;
		rc = b64url_member(u + 1, 32, jwk, "x");
		if (rc == 0)
			rc = b64url_member(u + 33, 32, jwk, "y");
		if (rc == 0)
			rc = *alg == BROP_ALG_P256
				? brop_p256_pubkey_compress(pk, u, sizeof u)
				: brop_secp256k1_pubkey_compress(pk, u, sizeof u);
		*pklen = 33;
	}
	if (rc == 0)
		rc = brop_key_validate(*alg, pk, *pklen);
	return rc;
}

int
brop_jwk_decode(brop_alg *alg, unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen,
				const char *jwk, size_t len)
{
	int			rc;
	json_t	   *v = brop__json_parse(jwk, len, &rc, NULL);

	if (v == NULL)
		return rc;
	rc = jwk_read(alg, pk, pklen, v);
	json_decref(v);
	return rc;
}

int
brop__jwk_read(brop_alg *alg, unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen,
			   struct json_t *jwk)
{
	return jwk_read(alg, pk, pklen, jwk);
}

/* ---- compact JWS ---------------------------------------------------------- */

json_t *
brop__b64url_json(const char *p, size_t n, char **text, size_t *textlen, brop_reason *why,
				   const char *what)
{
	unsigned char *raw;
	size_t		rawlen;
	json_t	   *v;
	int			rc;

	raw = malloc(BROP_BASE64_DECODED_MAX(n) + 1);
	if (raw == NULL)
	{
		brop__reason(why, "out of memory");
		return NULL;
	}
	if (brop_base64_decode(raw, BROP_BASE64_DECODED_MAX(n), &rawlen, p, n,
						   BROP_BASE64_URLSAFE) != 0)
	{
		free(raw);
		brop__reason(why, "the %s is not base64url", what);
		return NULL;
	}
	raw[rawlen] = '\0';
	v = brop__json_parse((const char *) raw, rawlen, &rc, NULL);
	if (v == NULL || !json_is_object(v))
	{
		if (v != NULL)
			json_decref(v);
		free(raw);
		brop__reason(why, "the %s is not a JSON object", what);
		return NULL;
	}
	if (text != NULL)
	{
		*text = (char *) raw;
		*textlen = rawlen;
	}
	else
		free(raw);
	return v;
}

int
brop__jws_check(json_t **header, json_t **payload, char **payload_text, size_t *payload_len,
				const char *jws, size_t len,
				brop_alg alg, const unsigned char *pk, size_t pklen,
				const char *what, brop_reason *why)
{
	const char *dot1 = memchr(jws, '.', len);
	const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t) (dot1 + 1 - jws)) : NULL;
	const char *sig64;
	size_t		siglen64;
	unsigned char sig[BROP_SIGNATURE_BYTES + 3];
	size_t		siglen;
	json_t	   *h = NULL,
			   *p = NULL;
	const char *halg;
	brop_alg	named;
	int			rc;

	*header = *payload = NULL;
	if (dot1 == NULL || dot2 == NULL || memchr(dot2 + 1, '.', len - (size_t) (dot2 + 1 - jws)) != NULL)
	{
		brop__reason(why, "the %s is not a compact JWS (three parts)", what);
		return BROP_ECREDENTIAL;
	}
	h = brop__b64url_json(jws, (size_t) (dot1 - jws), NULL, NULL, why, "JWS header");
	if (h == NULL)
		return BROP_ECREDENTIAL;
	halg = json_string_value(json_object_get(h, "alg"));
	if (halg == NULL || brop_jws_alg_from_name(&named, halg, strlen(halg)) != 0)
	{
		brop__reason(why, "the %s's algorithm is not EdDSA, ES256 or ES256K", what);
		json_decref(h);
		return BROP_ECREDENTIAL;
	}
	if (named != alg)
	{
		brop__reason(why, "the %s's algorithm %s does not match its key", what, halg);
		json_decref(h);
		return BROP_ECREDENTIAL;
	}
	if (json_object_get(h, "crit") != NULL)
	{
		brop__reason(why, "the %s has critical header parameters brop does not know", what);
		json_decref(h);
		return BROP_ECREDENTIAL;
	}
	sig64 = dot2 + 1;
	siglen64 = len - (size_t) (sig64 - jws);
	if (brop_base64_decode(sig, sizeof sig, &siglen, sig64, siglen64, BROP_BASE64_URLSAFE) != 0
		|| siglen != BROP_SIGNATURE_BYTES)
	{
		brop__reason(why, "the %s's signature is not 64 bytes of base64url", what);
		json_decref(h);
		return BROP_ECREDENTIAL;
	}
	if (alg == BROP_ALG_SECP256K1)
	{
		/* JOSE accepts both S forms */
		if (brop_secp256k1_ecdsa_normalize(sig) != 0)
		{
			brop__reason(why, "the %s's signature is malformed", what);
			json_decref(h);
			return BROP_ECREDENTIAL;
		}
	}
	rc = brop_verify(alg, pk, pklen, (const unsigned char *) jws, (size_t) (dot2 - jws),
					 sig, BROP_SIGNATURE_BYTES);
	if (rc != 0)
	{
		brop__reason(why, "the %s's signature does not verify", what);
		json_decref(h);
		return BROP_EVERIFY;
	}
	p = brop__b64url_json(dot1 + 1, (size_t) (dot2 - dot1 - 1), payload_text, payload_len,
						  why, "JWS payload");
	if (p == NULL)
	{
		json_decref(h);
		return BROP_ECREDENTIAL;
	}
	*header = h;
	*payload = p;
	return BROP_OK;
}

int
brop_jws_verify(char **payload, size_t *payloadlen, char **header, size_t *headerlen,
				const char *jws, size_t len, brop_alg alg, const unsigned char *pk, size_t pklen,
				const brop_allocator *a, brop_reason *why)
{
	json_t	   *h,
			   *p;
	char	   *text;
	size_t		textlen;
	brop__str	s = {0};
	int			rc;

	rc = brop__jws_check(&h, &p, &text, &textlen, jws, len, alg, pk, pklen, "JWS", why);
	if (rc != 0)
		return rc;
	json_decref(p);
	brop__str_add(&s, text, textlen);
	free(text);
	rc = brop__str_finish(&s, payload, payloadlen, a);
	if (rc == 0 && header != NULL)
	{
		rc = brop__jcs_json(&s, h);
		if (rc == 0)
			rc = brop__str_finish(&s, header, headerlen, a);
		else
			brop__str_free(&s);
		if (rc != 0)
			brop__dealloc(a, *payload);
	}
	json_decref(h);
	return rc;
}
