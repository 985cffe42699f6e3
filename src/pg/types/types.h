/*
 * types.h — brop's SQL types and pure functions (src/pg/types): did,
 * digest, the encodings, canonical JSON, Merkle trees, proofs, signature
 * checks.
 */
#ifndef BROP_PG_TYPES_H
#define BROP_PG_TYPES_H

#include "common/brop_pg.h"

/* brop.did values (did.c) */
typedef struct brop_did_value
{
	brop_alg	alg;
	size_t		len;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
} brop_did_value;

extern void brop_did_unpack(Datum d, brop_did_value *out);
extern Datum brop_did_pack(brop_alg alg, const unsigned char *pk, size_t len);
extern brop_alg brop_alg_from_text(text *t);
extern char *brop_did_cstring(Datum did);
/* brop.did's input function, for DirectFunctionCall1 (did.c). */
extern Datum did_in(PG_FUNCTION_ARGS);

/* RFC 8785 output into a StringInfo (jcs.c); strings in UTF-8. */
extern void brop_pg_jcs_string(StringInfo buf, const char *s, int len);
extern void brop_pg_jcs_jsonb(StringInfo buf, Jsonb *jb);

/* A brop.proof value (proof.c). */
extern bytea *brop_proof_make(brop_merkle_proof_kind kind, uint64 a, uint64 b,
							  const brop_merkle_hash *hashes, size_t n);
/* A brop.proof value's kind, sizes and hashes (proof.c); ERROR if it is corrupted. */
extern void brop_proof_get(Datum d, brop_merkle_proof *out);

#endif /* BROP_PG_TYPES_H */
