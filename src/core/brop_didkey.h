/*
 * brop_didkey.h — did:key identifiers (W3C CCG did:key method):
 *   "did:key:" || multibase-base58btc(varint(multicodec) || public key)
 * Multicodecs: ed25519-pub 0xed, secp256k1-pub 0xe7, p256-pub 0x1200,
 * x25519-pub 0xec; elliptic-curve keys compressed (33 bytes).
 */
#ifndef BROP_DIDKEY_H
#define BROP_DIDKEY_H

#include <stddef.h>
#include "brop_sign.h"
#include <stdint.h>

#define BROP_DIDKEY_MAX_LEN 64		/* longest did:key text we produce (P-256: 57) */
/* longest base58btc part read (docs/security.md): BROP_ELENGTH past it, before decoding */
#define BROP_DIDKEY_MAX_BASE58 1024

/* Multicodec code of alg, or 0 if unknown. */
uint64_t brop_alg_multicodec(brop_alg alg);

/* Returns: 0, or BROP_EALG for a code we do not support. */
BROP_WARN_UNUSED_RESULT int brop_alg_from_multicodec(brop_alg *alg, uint64_t code);

/*
 * Encode the did:key of (alg, pk). pk must be valid (brop_key_validate).
 * Returns: 0; BROP_EALG; BROP_ELENGTH; BROP_EKEY; BROP_EBUFFER.
 */
BROP_WARN_UNUSED_RESULT int brop_didkey_encode(char *out, size_t outcap, size_t *outlen,
											   brop_alg alg,
											   const unsigned char *pk, size_t pklen);

/*
 * brop_didkey_encode without the key's validation, for a key that has
 * already passed it (a decoded did:key, a stored brop.did): the point checks
 * cost far more than the encoding.
 * Returns: 0; BROP_EINVAL (unknown alg, NULL, pklen too long); BROP_EBUFFER.
 */
BROP_WARN_UNUSED_RESULT int brop_didkey_encode_valid(char *out, size_t outcap, size_t *outlen,
													 brop_alg alg,
													 const unsigned char *pk, size_t pklen);

/*
 * Decode a did:key (no path, query or fragment) and validate the key.
 * Returns: 0; BROP_EDID if not "did:key:z..." or not base58btc; BROP_EALG for
 * an unknown multicodec; BROP_ELENGTH for a key of the wrong length;
 * BROP_EKEY for a point not on the curve; BROP_ENONCANONICAL for a
 * non-minimal varint.
 */
BROP_WARN_UNUSED_RESULT int brop_didkey_decode(brop_alg *alg,
											   unsigned char *pk, size_t pkcap, size_t *pklen,
											   const char *did, size_t didlen);

#endif /* BROP_DIDKEY_H */
