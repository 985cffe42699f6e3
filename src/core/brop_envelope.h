/*
 * brop_envelope.h — sign-then-seal envelopes (docs/formats.md, "Sealed
 * envelope"): the issuer signs (Ed25519) a payload that names the recipient;
 * the signed content is sealed (libsodium sealed box) to the recipient's
 * X25519 key.
 *
 *   envelope = version (0x01) || sealed_box(recipient X25519 key, inner)
 *   inner    = issuer_pk (32) || signature (64) || rlen (1) || recipient (rlen)
 *              || payload
 *   recipient = varint(multicodec) || public key   (the did:key's bytes)
 *   signature = Ed25519(issuer, "brop-envelope-v1" || 0x00 || issuer_pk
 *                               || rlen || recipient || payload)
 */
#ifndef BROP_ENVELOPE_H
#define BROP_ENVELOPE_H

#include <stddef.h>
#include "brop_sign.h"

#define BROP_ENVELOPE_VERSION 1
#define BROP_ENVELOPE_RECIPIENT_MAX 40
/* Bytes added to the payload: version, box overhead (48), issuer, signature, rlen, recipient. */
#define BROP_ENVELOPE_OVERHEAD(rlen) (1 + 48 + 32 + 64 + 1 + (rlen))

/*
 * Seal payload to a recipient given by (alg, pk): an Ed25519 key (converted
 * to X25519) or an X25519 key.
 * In: issuer_seed, the issuer's Ed25519 secret key (32-byte seed).
 * Returns: 0; BROP_EALG (recipient neither ed25519 nor x25519); BROP_EKEY;
 * BROP_EBUFFER.
 */
BROP_WARN_UNUSED_RESULT int brop_envelope_seal(unsigned char *out, size_t outcap, size_t *outlen,
											   const unsigned char *payload, size_t payloadlen,
											   brop_alg recipient_alg,
											   const unsigned char *recipient_pk, size_t recipient_pklen,
											   const unsigned char issuer_seed[BROP_SECRETKEYBYTES]);

/*
 * Open an envelope with the recipient's Ed25519 secret key (32-byte seed):
 * unseal, check the signature, and check that the recipient named inside is
 * this key (as its Ed25519 or its X25519 public key).
 * Returns: 0; BROP_EVERSION; BROP_ELENGTH (truncated); BROP_EDECRYPT (not
 * sealed to this key, or altered); BROP_EVERIFY (bad issuer signature);
 * BROP_ERECIPIENT (signed for someone else); BROP_EBUFFER.
 * Out: payload (cap >= envlen), *payloadlen, issuer_pk (the issuer's Ed25519 key).
 */
BROP_WARN_UNUSED_RESULT int brop_envelope_open(unsigned char *payload, size_t payloadcap, size_t *payloadlen,
											   unsigned char issuer_pk[BROP_ED25519_PUBLICKEYBYTES],
											   const unsigned char *envelope, size_t envlen,
											   const unsigned char recipient_seed[BROP_SECRETKEYBYTES]);

#endif /* BROP_ENVELOPE_H */
