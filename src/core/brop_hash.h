/*
 * brop_hash.h — SHA-256, SHA-512 and HMAC-SHA256 (OpenSSL).
 */
#ifndef BROP_HASH_H
#define BROP_HASH_H

#include <stddef.h>
#include "brop_err.h"

#define BROP_SHA256_BYTES 32
#define BROP_SHA512_BYTES 64
#define BROP_DIGEST_BYTES 32
#define BROP_HMAC_SHA256_BYTES 32

/*
 * SHA-256 of in[0..inlen).
 * Returns: 0, or BROP_EINTERNAL.
 * Out: out, 32 bytes.
 */
BROP_WARN_UNUSED_RESULT int brop_sha256(unsigned char out[BROP_SHA256_BYTES],
										const unsigned char *in, size_t inlen);

/*
 * SHA-256 of the concatenation of n parts, without copying them.
 * Returns: 0, or BROP_EINTERNAL.
 * In: parts[i] / lens[i] for i < n (a part of length 0 may be NULL).
 */
BROP_WARN_UNUSED_RESULT int brop_sha256_parts(unsigned char out[BROP_SHA256_BYTES],
											  const unsigned char *const *parts,
											  const size_t *lens, size_t n);

/*
 * SHA-512 of in[0..inlen).
 */
BROP_WARN_UNUSED_RESULT int brop_sha512(unsigned char out[BROP_SHA512_BYTES],
										const unsigned char *in, size_t inlen);

/*
 * HMAC-SHA256 (RFC 2104) of in under key; any key length.
 * Returns: 0, or BROP_EINTERNAL.
 */
BROP_WARN_UNUSED_RESULT int brop_hmac_sha256(unsigned char out[BROP_HMAC_SHA256_BYTES],
											 const unsigned char *key, size_t keylen,
											 const unsigned char *in, size_t inlen);

/*
 * brop_sha256, brop_sha512 and brop_hmac_sha256 for inputs of any size: the
 * input (and an HMAC key longer than a block) is hashed in steps of 4 MiB,
 * and a cancel callback (NULL: never) asked between them.
 * Returns also BROP_ECANCELED, BROP_EINVAL (a NULL pointer with a length).
 */
BROP_WARN_UNUSED_RESULT int brop_sha256_cancellable(unsigned char out[BROP_SHA256_BYTES],
													const unsigned char *in, size_t inlen,
													const brop_cancel *cancel);
BROP_WARN_UNUSED_RESULT int brop_sha512_cancellable(unsigned char out[BROP_SHA512_BYTES],
													const unsigned char *in, size_t inlen,
													const brop_cancel *cancel);
BROP_WARN_UNUSED_RESULT int brop_hmac_sha256_cancellable(unsigned char out[BROP_HMAC_SHA256_BYTES],
														 const unsigned char *key, size_t keylen,
														 const unsigned char *in, size_t inlen,
														 const brop_cancel *cancel);

#define BROP_HMAC_PARTS_MAX 8

/*
 * HMAC-SHA256 of the concatenation of n parts (n <= BROP_HMAC_PARTS_MAX).
 * Returns: 0, BROP_EINVAL (too many parts), or BROP_EINTERNAL.
 */
BROP_WARN_UNUSED_RESULT int brop_hmac_sha256_parts(unsigned char out[BROP_HMAC_SHA256_BYTES],
												   const unsigned char *key, size_t keylen,
												   const unsigned char *const *in,
												   const size_t *inlens, size_t n);

/*
 * An HMAC-SHA256 key with its two padded blocks already hashed, for many
 * HMACs under one key (the salt key of registered rows): each then costs two
 * SHA-256 compressions fewer. Wipe it with brop_wipe when done.
 */
typedef struct brop_hmac_sha256_key
{
	_Alignas(16) unsigned char state[256];
} brop_hmac_sha256_key;

/* Returns: 0, or BROP_EINTERNAL. */
BROP_WARN_UNUSED_RESULT int brop_hmac_sha256_key_init(brop_hmac_sha256_key *k,
													  const unsigned char *key, size_t keylen);

/* As brop_hmac_sha256_parts, under a prepared key. */
BROP_WARN_UNUSED_RESULT int brop_hmac_sha256_parts_k(unsigned char out[BROP_HMAC_SHA256_BYTES],
													 const brop_hmac_sha256_key *k,
													 const unsigned char *const *in,
													 const size_t *inlens, size_t n);

/*
 * Constant-time comparison of two equal-length buffers.
 * Returns: 1 if equal, 0 if not.
 */
int brop_equal_ct(const unsigned char *a, const unsigned char *b, size_t len);

/*
 * Wipe len bytes at p in a way the compiler cannot elide.
 */
void brop_wipe(void *p, size_t len);

#endif /* BROP_HASH_H */
