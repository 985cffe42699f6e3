/*
 * didkey.c — did:key identifiers (W3C CCG did:key method, v0.7):
 *
 *   did:key:z<base58btc(varint(multicodec) || public key)>
 *
 * Decoding is strict so that each key has one identifier: the prefix
 * "did:key:z" exactly, base58btc characters only (no path, query or
 * fragment), a minimal varint, a known code, a key of the right length that
 * passes brop_key_validate. Decoding then encoding gives back the same text.
 */
#include <string.h>

#include "internal.h"

#define DIDKEY_PREFIX "did:key:z"
#define DIDKEY_PREFIX_LEN (sizeof DIDKEY_PREFIX - 1)

/*
 * Longest base58 text we decode. The longest did:key in use (RSA-4096, code
 * 0x1205) has about 740 characters; anything longer is no key we could know,
 * and base58 decoding is quadratic in the length.
 */
#define DIDKEY_MAX_BASE58 BROP_DIDKEY_MAX_BASE58

#define MULTICODEC_ED25519_PUB 0xed
#define MULTICODEC_SECP256K1_PUB 0xe7
#define MULTICODEC_P256_PUB 0x1200
#define MULTICODEC_X25519_PUB 0xec

uint64_t
brop_alg_multicodec(brop_alg alg)
{
	switch (alg)
	{
		case BROP_ALG_ED25519:
			return MULTICODEC_ED25519_PUB;
		case BROP_ALG_SECP256K1:
			return MULTICODEC_SECP256K1_PUB;
		case BROP_ALG_P256:
			return MULTICODEC_P256_PUB;
		case BROP_ALG_X25519:
			return MULTICODEC_X25519_PUB;
	}
	return 0;
}

int
brop_alg_from_multicodec(brop_alg *alg, uint64_t code)
{
	if (alg == NULL)
		return BROP_EINVAL;
	switch (code)
	{
		case MULTICODEC_ED25519_PUB:
			*alg = BROP_ALG_ED25519;
			return BROP_OK;
		case MULTICODEC_SECP256K1_PUB:
			*alg = BROP_ALG_SECP256K1;
			return BROP_OK;
		case MULTICODEC_P256_PUB:
			*alg = BROP_ALG_P256;
			return BROP_OK;
		case MULTICODEC_X25519_PUB:
			*alg = BROP_ALG_X25519;
			return BROP_OK;
	}
	return BROP_EALG;
}

int
brop_didkey_encode(char *out, size_t outcap, size_t *outlen,
				   brop_alg alg, const unsigned char *pk, size_t pklen)
{
	int			rc;

	if (out == NULL || outlen == NULL)
		return BROP_EINVAL;
	rc = brop_key_validate(alg, pk, pklen);
	if (rc != 0)
		return rc;
	return brop_didkey_encode_valid(out, outcap, outlen, alg, pk, pklen);
}

int
brop_didkey_encode_valid(char *out, size_t outcap, size_t *outlen,
						 brop_alg alg, const unsigned char *pk, size_t pklen)
{
	unsigned char raw[BROP_VARINT_MAX_BYTES + BROP_PUBLICKEY_MAX_BYTES];
	char		text[BROP_DIDKEY_MAX_LEN];
	size_t		vlen;
	size_t		b58len;
	size_t		total;
	int			rc;

	if (out == NULL || outlen == NULL || pk == NULL || brop_alg_multicodec(alg) == 0 ||
		pklen > BROP_PUBLICKEY_MAX_BYTES)
		return BROP_EINVAL;
	rc = brop_varint_encode(raw, &vlen, brop_alg_multicodec(alg));
	if (rc != 0)
		return BROP_EINTERNAL;
	memcpy(raw + vlen, pk, pklen);

	memcpy(text, DIDKEY_PREFIX, DIDKEY_PREFIX_LEN);
	rc = brop_base58_encode(text + DIDKEY_PREFIX_LEN, sizeof text - DIDKEY_PREFIX_LEN,
							&b58len, raw, vlen + pklen);
	if (rc != 0)
		return BROP_EINTERNAL;	/* sizeof text covers every supported key */
	total = DIDKEY_PREFIX_LEN + b58len;
	if (outcap < total)
		return BROP_EBUFFER;
	memcpy(out, text, total);
	*outlen = total;
	return BROP_OK;
}

int
brop_didkey_decode(brop_alg *alg,
				   unsigned char *pk, size_t pkcap, size_t *pklen,
				   const char *did, size_t didlen)
{
	unsigned char raw[DIDKEY_MAX_BASE58];	/* each character gives at most a byte */
	size_t		rawlen;
	uint64_t	code;
	size_t		vlen;
	size_t		keylen;
	brop_alg	a;
	int			rc;

	if (alg == NULL || pk == NULL || pklen == NULL || (did == NULL && didlen > 0))
		return BROP_EINVAL;
	if (didlen <= DIDKEY_PREFIX_LEN || memcmp(did, DIDKEY_PREFIX, DIDKEY_PREFIX_LEN) != 0)
		return BROP_EDID;
	if (didlen - DIDKEY_PREFIX_LEN > DIDKEY_MAX_BASE58)
		return BROP_ELENGTH;

	rc = brop_base58_decode(raw, sizeof raw, &rawlen,
							did + DIDKEY_PREFIX_LEN, didlen - DIDKEY_PREFIX_LEN);
	if (rc == BROP_EENCODING)
		return BROP_EDID;		/* '#', '/', '?', '0', 'O', 'I', 'l', ... */
	if (rc != 0)
		return BROP_ELENGTH;

	rc = brop_varint_decode(&code, &vlen, raw, rawlen);
	if (rc == BROP_ENONCANONICAL)
		return BROP_ENONCANONICAL;
	if (rc == BROP_EOVERFLOW)
		return BROP_EALG;		/* no code that large exists */
	if (rc != 0)
		return BROP_ELENGTH;	/* ends inside the varint */
	rc = brop_alg_from_multicodec(&a, code);
	if (rc != 0)
		return rc;

	keylen = rawlen - vlen;
	rc = brop_key_validate(a, raw + vlen, keylen);
	if (rc != 0)
		return rc;
	if (pkcap < keylen)
		return BROP_EBUFFER;
	memcpy(pk, raw + vlen, keylen);
	*pklen = keylen;
	*alg = a;
	return BROP_OK;
}
