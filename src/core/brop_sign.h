/*
 * brop_sign.h — signatures: Ed25519 (libsodium), ECDSA and BIP-340 Schnorr
 * over secp256k1 (libsecp256k1), ECDSA over P-256 (OpenSSL), and one
 * algorithm-generic layer over them.
 *
 * Secret keys are 32 bytes for every algorithm: the Ed25519 seed (RFC 8032),
 * or the scalar for the elliptic-curve algorithms. Public keys are 32 bytes
 * (Ed25519, X25519) or 33 bytes, SEC1 compressed (secp256k1, P-256).
 * ECDSA signs SHA-256(message) (JOSE ES256K / ES256) and produces the 64-byte
 * compact form r||s in low-S; secp256k1 uses RFC 6979 nonces.
 */
#ifndef BROP_SIGN_H
#define BROP_SIGN_H

#include <stddef.h>
#include "brop_err.h"

#define BROP_SECRETKEYBYTES 32
#define BROP_PUBLICKEY_MAX_BYTES 33
#define BROP_SIGNATURE_BYTES 64			/* Ed25519, compact ECDSA, Schnorr */
#define BROP_ECDSA_DER_MAX_BYTES 72

#define BROP_ED25519_PUBLICKEYBYTES 32
#define BROP_ED25519_SECRETKEYBYTES 64	/* libsodium's seed || public key */
#define BROP_X25519_PUBLICKEYBYTES 32
#define BROP_X25519_SECRETKEYBYTES 32
#define BROP_SECP256K1_PUBLICKEYBYTES 33
#define BROP_P256_PUBLICKEYBYTES 33
#define BROP_XONLY_PUBLICKEYBYTES 32

typedef enum brop_alg
{
	BROP_ALG_ED25519 = 1,
	BROP_ALG_SECP256K1 = 2,
	BROP_ALG_P256 = 3,
	BROP_ALG_X25519 = 4			/* key agreement only: cannot sign */
} brop_alg;

/* "ed25519", "secp256k1", "p256", "x25519"; NULL for an unknown alg. */
const char *brop_alg_name(brop_alg alg);

/*
 * Accepts the names above (case-insensitive) and the aliases "p-256",
 * "es256", "es256k", "eddsa".
 * Returns: 0, or BROP_EALG.
 */
BROP_WARN_UNUSED_RESULT int brop_alg_from_name(brop_alg *alg, const char *name, size_t len);

/* Public key length of alg, or 0 for an unknown alg. */
size_t brop_alg_publickey_bytes(brop_alg alg);

/* ---- Ed25519 ------------------------------------------------------------ */

BROP_WARN_UNUSED_RESULT int brop_ed25519_keypair_from_seed(unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
														   unsigned char sk[BROP_ED25519_SECRETKEYBYTES],
														   const unsigned char seed[BROP_SECRETKEYBYTES]);
BROP_WARN_UNUSED_RESULT int brop_ed25519_sign(unsigned char sig[BROP_SIGNATURE_BYTES],
											  const unsigned char *m, size_t mlen,
											  const unsigned char sk[BROP_ED25519_SECRETKEYBYTES]);
/* Returns: 0 if valid, BROP_EVERIFY if not, BROP_EKEY for a bad public key. */
BROP_WARN_UNUSED_RESULT int brop_ed25519_verify(const unsigned char sig[BROP_SIGNATURE_BYTES],
												const unsigned char *m, size_t mlen,
												const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);
/* Returns: 0, or BROP_EKEY for a point not on the curve or of small order. */
BROP_WARN_UNUSED_RESULT int brop_ed25519_pk_validate(const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);
/* Birational map to Montgomery form (libsodium). */
BROP_WARN_UNUSED_RESULT int brop_ed25519_pk_to_x25519(unsigned char xpk[BROP_X25519_PUBLICKEYBYTES],
													  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);
BROP_WARN_UNUSED_RESULT int brop_ed25519_seed_to_x25519(unsigned char xsk[BROP_X25519_SECRETKEYBYTES],
														const unsigned char seed[BROP_SECRETKEYBYTES]);

/* ---- secp256k1 ---------------------------------------------------------- */

/* Returns: 0, or BROP_EKEY if sk is zero or not below the group order. */
BROP_WARN_UNUSED_RESULT int brop_secp256k1_pubkey(unsigned char pk[BROP_SECP256K1_PUBLICKEYBYTES],
												  const unsigned char sk[BROP_SECRETKEYBYTES]);
/* Accepts 33-byte compressed or 65-byte uncompressed; BROP_EKEY if not a point. */
BROP_WARN_UNUSED_RESULT int brop_secp256k1_pubkey_compress(unsigned char out[BROP_SECP256K1_PUBLICKEYBYTES],
														   const unsigned char *pk, size_t pklen);
/* ECDSA over a 32-byte hash, RFC 6979 nonce, low-S, compact r||s. */
BROP_WARN_UNUSED_RESULT int brop_secp256k1_ecdsa_sign_hash(unsigned char sig[BROP_SIGNATURE_BYTES],
														   const unsigned char hash[32],
														   const unsigned char sk[BROP_SECRETKEYBYTES]);
/*
 * Returns: 0 valid; BROP_EVERIFY; BROP_EHIGHS if s > n/2; BROP_ESIG if r or s
 * is zero or not below n; BROP_EKEY for a bad public key.
 */
BROP_WARN_UNUSED_RESULT int brop_secp256k1_ecdsa_verify_hash(const unsigned char sig[BROP_SIGNATURE_BYTES],
															 const unsigned char hash[32],
															 const unsigned char *pk, size_t pklen);
/* Replace s by n - s when s > n/2. Returns: 0, or BROP_ESIG. */
BROP_WARN_UNUSED_RESULT int brop_secp256k1_ecdsa_normalize(unsigned char sig[BROP_SIGNATURE_BYTES]);

/* BIP-340: x-only public key of sk. */
BROP_WARN_UNUSED_RESULT int brop_schnorr_pubkey(unsigned char xonly[BROP_XONLY_PUBLICKEYBYTES],
												const unsigned char sk[BROP_SECRETKEYBYTES]);
/* BIP-340 sign of a message of any length; aux_rand may be NULL (zeros). */
BROP_WARN_UNUSED_RESULT int brop_schnorr_sign(unsigned char sig[BROP_SIGNATURE_BYTES],
											  const unsigned char *msg, size_t msglen,
											  const unsigned char sk[BROP_SECRETKEYBYTES],
											  const unsigned char *aux_rand32);
/* Returns: 0 valid, BROP_EVERIFY, BROP_EKEY for an x that is not on the curve. */
BROP_WARN_UNUSED_RESULT int brop_schnorr_verify(const unsigned char sig[BROP_SIGNATURE_BYTES],
												const unsigned char *msg, size_t msglen,
												const unsigned char xonly[BROP_XONLY_PUBLICKEYBYTES]);

/* ---- P-256 -------------------------------------------------------------- */

BROP_WARN_UNUSED_RESULT int brop_p256_pubkey(unsigned char pk[BROP_P256_PUBLICKEYBYTES],
											 const unsigned char sk[BROP_SECRETKEYBYTES]);
BROP_WARN_UNUSED_RESULT int brop_p256_pubkey_compress(unsigned char out[BROP_P256_PUBLICKEYBYTES],
													  const unsigned char *pk, size_t pklen);
/* ECDSA P-256 with SHA-256 of m, compact r||s, low-S. */
BROP_WARN_UNUSED_RESULT int brop_p256_sign(unsigned char sig[BROP_SIGNATURE_BYTES],
										   const unsigned char *m, size_t mlen,
										   const unsigned char sk[BROP_SECRETKEYBYTES]);
/* Both S forms verify (ES256 does not require low-S). */
BROP_WARN_UNUSED_RESULT int brop_p256_verify(const unsigned char sig[BROP_SIGNATURE_BYTES],
											 const unsigned char *m, size_t mlen,
											 const unsigned char *pk, size_t pklen);

/* ---- ECDSA signature encodings (32-byte scalars, both curves) ----------- */

BROP_WARN_UNUSED_RESULT int brop_ecdsa_sig_to_der(unsigned char *der, size_t cap, size_t *derlen,
												  const unsigned char sig[BROP_SIGNATURE_BYTES]);
/* Strict DER (X.690): minimal lengths and integers, no trailing bytes. */
BROP_WARN_UNUSED_RESULT int brop_ecdsa_sig_from_der(unsigned char sig[BROP_SIGNATURE_BYTES],
													const unsigned char *der, size_t derlen);

/* ---- generic ------------------------------------------------------------ */

/* A fresh random secret key valid for alg. */
BROP_WARN_UNUSED_RESULT int brop_key_generate(unsigned char sk[BROP_SECRETKEYBYTES], brop_alg alg);

/* Compressed public key of sk. Out: pk (cap >= brop_alg_publickey_bytes). */
BROP_WARN_UNUSED_RESULT int brop_key_public(unsigned char *pk, size_t pkcap, size_t *pklen,
											brop_alg alg, const unsigned char sk[BROP_SECRETKEYBYTES]);

/*
 * Returns: 0 if pk is a valid public key of alg in the form stored in a
 * did:key (32 bytes, or 33 compressed); BROP_ELENGTH; BROP_EKEY.
 */
BROP_WARN_UNUSED_RESULT int brop_key_validate(brop_alg alg, const unsigned char *pk, size_t pklen);

/* Sign m: Ed25519, or ECDSA with SHA-256 (compact, low-S). BROP_EALG for x25519. */
BROP_WARN_UNUSED_RESULT int brop_sign(unsigned char sig[BROP_SIGNATURE_BYTES], brop_alg alg,
									  const unsigned char sk[BROP_SECRETKEYBYTES],
									  const unsigned char *m, size_t mlen);

/*
 * Verify sig over m. For ECDSA, a 64-byte sig is compact r||s and any other
 * length is read as DER. pk should have passed brop_key_validate (as every
 * decoded did:key has): an Ed25519 key is not checked again for subgroup
 * membership, which would double the cost; libsodium still refuses
 * small-order and non-canonical Ed25519 keys, as BROP_EVERIFY.
 * Returns: 0 valid; BROP_EVERIFY if well-formed but not valid; BROP_ESIG,
 * BROP_EHIGHS (secp256k1 only), BROP_ELENGTH, BROP_EKEY, BROP_EALG otherwise.
 */
BROP_WARN_UNUSED_RESULT int brop_verify(brop_alg alg, const unsigned char *pk, size_t pklen,
										const unsigned char *m, size_t mlen,
										const unsigned char *sig, size_t siglen);

#endif /* BROP_SIGN_H */
