/*
 * brop_point.h — elliptic-curve point forms for interchange (JWK x/y).
 */
#ifndef BROP_POINT_H
#define BROP_POINT_H

#include <stddef.h>
#include "brop_sign.h"

#define BROP_UNCOMPRESSED_PUBLICKEYBYTES 65

/*
 * SEC1 uncompressed form (0x04 || x || y) of a compressed secp256k1 or P-256
 * public key.
 * Returns: 0; BROP_EALG for other algorithms; BROP_ELENGTH; BROP_EKEY.
 */
BROP_WARN_UNUSED_RESULT int brop_key_public_uncompressed(unsigned char out[BROP_UNCOMPRESSED_PUBLICKEYBYTES],
														 brop_alg alg,
														 const unsigned char *pk, size_t pklen);

#endif /* BROP_POINT_H */
