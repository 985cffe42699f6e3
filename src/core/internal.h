/*
 * internal.h — shared between core files; not part of the public API.
 */
#ifndef BROP_INTERNAL_H
#define BROP_INTERNAL_H

#include "brop.h"

struct secp256k1_context_struct;

/* The process's secp256k1 context (signing and verification), made by brop_init(). */
const struct secp256k1_context_struct *brop__secp256k1(void);

/* Digest state set up by brop_init(); internal to hash.c. */
int			brop__hash_init(void);

/* Ed25519 verification without re-validating pk (ed25519.c). */
int			brop__ed25519_verify_prevalidated(const unsigned char sig[BROP_SIGNATURE_BYTES],
											  const unsigned char *m, size_t mlen,
											  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);

#endif /* BROP_INTERNAL_H */
