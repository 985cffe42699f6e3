/*
 * envelope.c — sign-then-seal envelopes (brop_envelope.h, docs/formats.md).
 *
 *   envelope = 0x01 || crypto_box_seal(recipient X25519 key, inner)
 *   inner    = issuer_pk (32) || sig (64) || rlen (1) || recipient (rlen) || payload
 *   sig      = Ed25519(issuer, "brop-envelope-v1" || 0x00 || issuer_pk
 *                              || rlen || recipient || payload)
 *
 * The signed message shares its tail (rlen onwards) with inner. Both
 * functions build it in place in the one inner buffer: the 49 bytes tag ||
 * issuer_pk are written just before rlen, over the signature's slot, and the
 * slot is filled (seal) or restored (open) around the Ed25519 call. So the
 * payload is copied once, not twice.
 *
 * Secrets (the issuer's and the recipient's expanded keys, the recipient's
 * X25519 secret) and the plaintext inner buffer are wiped on every path.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ENVELOPE_TAG "brop-envelope-v1"		/* followed by its NUL: 17 bytes */
#define ENVELOPE_TAG_LEN (sizeof ENVELOPE_TAG)

#define INNER_ISSUER 0
#define INNER_SIG (INNER_ISSUER + BROP_ED25519_PUBLICKEYBYTES)
#define INNER_RLEN (INNER_SIG + BROP_SIGNATURE_BYTES)
#define INNER_RECIPIENT (INNER_RLEN + 1)
/* Where tag || issuer_pk go so that the signed message ends the buffer. */
#define INNER_SIGNED (INNER_RLEN - ENVELOPE_TAG_LEN - BROP_ED25519_PUBLICKEYBYTES)

/* Every recipient we accept is a 2-byte varint and a 32-byte key. */
#define RECIPIENT_LEN 34

_Static_assert(crypto_box_SEALBYTES == 48, "BROP_ENVELOPE_OVERHEAD assumes 48");
_Static_assert(INNER_SIGNED >= INNER_SIG, "tag and issuer key fit in the signature slot");

/*
 * The recipient field for (alg, pk) and the X25519 key to seal to.
 */
static int
recipient_field(unsigned char field[BROP_ENVELOPE_RECIPIENT_MAX], size_t *fieldlen,
				unsigned char xpk[BROP_X25519_PUBLICKEYBYTES],
				brop_alg alg, const unsigned char *pk, size_t pklen)
{
	size_t		vlen;
	int			rc;

	if (alg != BROP_ALG_ED25519 && alg != BROP_ALG_X25519)
		return BROP_EALG;
	rc = brop_key_validate(alg, pk, pklen);
	if (rc != 0)
		return rc == BROP_ELENGTH ? BROP_EKEY : rc;
	if (alg == BROP_ALG_ED25519)
		rc = brop_ed25519_pk_to_x25519(xpk, pk);
	else
		memcpy(xpk, pk, BROP_X25519_PUBLICKEYBYTES);
	if (rc != 0)
		return rc;
	if (brop_varint_encode(field, &vlen, brop_alg_multicodec(alg)) != 0 ||
		vlen + pklen > BROP_ENVELOPE_RECIPIENT_MAX)
		return BROP_EINTERNAL;
	memcpy(field + vlen, pk, pklen);
	*fieldlen = vlen + pklen;
	return BROP_OK;
}

int
brop_envelope_seal(unsigned char *out, size_t outcap, size_t *outlen,
				   const unsigned char *payload, size_t payloadlen,
				   brop_alg recipient_alg,
				   const unsigned char *recipient_pk, size_t recipient_pklen,
				   const unsigned char issuer_seed[BROP_SECRETKEYBYTES])
{
	unsigned char field[BROP_ENVELOPE_RECIPIENT_MAX];
	unsigned char xpk[BROP_X25519_PUBLICKEYBYTES];
	unsigned char ipk[BROP_ED25519_PUBLICKEYBYTES];
	unsigned char isk[BROP_ED25519_SECRETKEYBYTES];
	unsigned char sig[BROP_SIGNATURE_BYTES];
	unsigned char *inner = NULL;
	size_t		rlen;
	size_t		innerlen = 0;
	size_t		total;
	int			rc;

	if (out == NULL || outlen == NULL || issuer_seed == NULL || (payload == NULL && payloadlen > 0))
		return BROP_EINVAL;
	rc = recipient_field(field, &rlen, xpk, recipient_alg, recipient_pk, recipient_pklen);
	if (rc != 0)
		return rc;
	if (payloadlen > SIZE_MAX - BROP_ENVELOPE_OVERHEAD(rlen))
		return BROP_EBUFFER;
	total = BROP_ENVELOPE_OVERHEAD(rlen) + payloadlen;
	if (outcap < total)
		return BROP_EBUFFER;

	innerlen = INNER_RECIPIENT + rlen + payloadlen;
	inner = malloc(innerlen);
	if (inner == NULL)
		return BROP_ENOMEM;
	inner[INNER_RLEN] = (unsigned char) rlen;
	memcpy(inner + INNER_RECIPIENT, field, rlen);
	if (payloadlen > 0)
		memcpy(inner + INNER_RECIPIENT + rlen, payload, payloadlen);

	rc = BROP_EINTERNAL;
	if (crypto_sign_seed_keypair(ipk, isk, issuer_seed) != 0)
		goto done;
	memcpy(inner + INNER_SIGNED, ENVELOPE_TAG, ENVELOPE_TAG_LEN);
	memcpy(inner + INNER_SIGNED + ENVELOPE_TAG_LEN, ipk, sizeof ipk);
	if (crypto_sign_detached(sig, NULL, inner + INNER_SIGNED, innerlen - INNER_SIGNED, isk) != 0)
		goto done;
	memcpy(inner + INNER_ISSUER, ipk, sizeof ipk);
	memcpy(inner + INNER_SIG, sig, sizeof sig);

	out[0] = BROP_ENVELOPE_VERSION;
	if (crypto_box_seal(out + 1, inner, innerlen, xpk) != 0)
		goto done;
	*outlen = total;
	rc = BROP_OK;

done:
	brop_wipe(isk, sizeof isk);
	brop_wipe(inner, innerlen);
	free(inner);
	return rc;
}

/*
 * Check the recipient field inner[INNER_RLEN..] names an Ed25519 or X25519
 * key of 32 bytes; set *alg and *key.
 */
static int
parse_recipient(brop_alg *alg, const unsigned char **key,
				const unsigned char *field, size_t rlen)
{
	uint64_t	code;
	size_t		vlen;

	if (brop_varint_decode(&code, &vlen, field, rlen) != 0 ||
		brop_alg_from_multicodec(alg, code) != 0 ||
		(*alg != BROP_ALG_ED25519 && *alg != BROP_ALG_X25519) ||
		rlen - vlen != 32)
		return BROP_ERECIPIENT;
	*key = field + vlen;
	return BROP_OK;
}

int
brop_envelope_open(unsigned char *payload, size_t payloadcap, size_t *payloadlen,
				   unsigned char issuer_pk[BROP_ED25519_PUBLICKEYBYTES],
				   const unsigned char *envelope, size_t envlen,
				   const unsigned char recipient_seed[BROP_SECRETKEYBYTES])
{
	unsigned char epk[BROP_ED25519_PUBLICKEYBYTES];
	unsigned char esk[BROP_ED25519_SECRETKEYBYTES];
	unsigned char xpk[BROP_X25519_PUBLICKEYBYTES];
	unsigned char xsk[BROP_X25519_SECRETKEYBYTES];
	unsigned char ipk[BROP_ED25519_PUBLICKEYBYTES];
	unsigned char sig[BROP_SIGNATURE_BYTES];
	unsigned char *inner = NULL;
	size_t		innerlen = 0;
	size_t		rlen;
	size_t		plen;
	const unsigned char *rkey;
	brop_alg	ralg;
	int			rc;

	if (payloadlen == NULL || issuer_pk == NULL || recipient_seed == NULL ||
		(envelope == NULL && envlen > 0) || (payload == NULL && payloadcap > 0))
		return BROP_EINVAL;
	if (envlen < 1)
		return BROP_ELENGTH;
	if (envelope[0] != BROP_ENVELOPE_VERSION)
		return BROP_EVERSION;
	if (envlen < BROP_ENVELOPE_OVERHEAD(RECIPIENT_LEN))
		return BROP_ELENGTH;

	innerlen = envlen - 1 - crypto_box_SEALBYTES;
	inner = malloc(innerlen);
	if (inner == NULL)
		return BROP_ENOMEM;

	/* The recipient's X25519 key pair, from its Ed25519 seed. */
	rc = BROP_EINTERNAL;
	if (crypto_sign_seed_keypair(epk, esk, recipient_seed) != 0 ||
		crypto_sign_ed25519_sk_to_curve25519(xsk, esk) != 0 ||
		crypto_sign_ed25519_pk_to_curve25519(xpk, epk) != 0)
		goto done;
	if (crypto_box_seal_open(inner, envelope + 1, envlen - 1, xpk, xsk) != 0)
	{
		rc = BROP_EDECRYPT;
		goto done;
	}
	brop_wipe(xsk, sizeof xsk);

	/* Anyone can seal to us: inner is untrusted until its signature checks. */
	rlen = inner[INNER_RLEN];
	if (rlen < 2 || rlen > BROP_ENVELOPE_RECIPIENT_MAX || rlen > innerlen - INNER_RECIPIENT)
	{
		rc = BROP_ELENGTH;
		goto done;
	}
	rc = parse_recipient(&ralg, &rkey, inner + INNER_RECIPIENT, rlen);
	if (rc != 0)
		goto done;

	memcpy(ipk, inner + INNER_ISSUER, sizeof ipk);
	memcpy(sig, inner + INNER_SIG, sizeof sig);
	memcpy(inner + INNER_SIGNED, ENVELOPE_TAG, ENVELOPE_TAG_LEN);
	memcpy(inner + INNER_SIGNED + ENVELOPE_TAG_LEN, ipk, sizeof ipk);
	if (brop_ed25519_verify(sig, inner + INNER_SIGNED, innerlen - INNER_SIGNED, ipk) != 0)
	{
		rc = BROP_EVERIFY;		/* a bad issuer key included */
		goto done;
	}

	if (!brop_equal_ct(rkey, ralg == BROP_ALG_ED25519 ? epk : xpk, 32))
	{
		rc = BROP_ERECIPIENT;
		goto done;
	}

	plen = innerlen - INNER_RECIPIENT - rlen;
	if (payloadcap < plen)
	{
		rc = BROP_EBUFFER;
		goto done;
	}
	if (plen > 0)
		memcpy(payload, inner + INNER_RECIPIENT + rlen, plen);
	memcpy(issuer_pk, ipk, sizeof ipk);
	*payloadlen = plen;
	rc = BROP_OK;

done:
	brop_wipe(esk, sizeof esk);
	brop_wipe(xsk, sizeof xsk);
	brop_wipe(inner, innerlen);
	free(inner);
	return rc;
}
