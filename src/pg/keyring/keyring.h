/*
 * keyring.h — the keyring (src/pg/keyring): keys kept encrypted under the
 * root key, used by their owners and grantees; batch signatures.
 */
#ifndef BROP_PG_KEYRING_H
#define BROP_PG_KEYRING_H

#include "types/types.h"

/* The keyring (keyring.c): one operation with a key's secret. */
typedef enum brop_key_use
{
	USE_SIGN,
	USE_SIGN_SCHNORR,
	USE_SIGN_NOTE,
	USE_SEAL
} brop_key_use;

/* A 32-byte key from the file named by setting guc, whose value is path; kind names it in messages. */
extern void brop_load_key_file(unsigned char key[32], const char *kind, const char *guc, const char *path);

/* brop.key_did(label): the did of a keyring key, for DirectFunctionCall1 (keyring.c). */
extern Datum brop_key_did(PG_FUNCTION_ARGS);

extern bytea *brop_keyring_use(const char *label, brop_key_use use, bytea *message,
							   const brop_did_value *recipient, const char *note_name);

/*
 * A key's secret for a caller allowed to use it, and its did (keyring.c):
 * palloc'd, wiped when its memory context is reset (also on error); wipe it
 * when done. A key in a PKCS#11 token has none: refused (0A000).
 */
extern unsigned char *brop_keyring_secret(const char *label, brop_did_value *did);

/* Insert a key's row, inside SPI as brop's owner; ERROR if the label is taken (keyring.c). */
extern void brop_keyring_insert(const char *label, Oid *types, Datum *values, bool in_token);

/* ERROR unless label can name a key: 1 to 128 letters, digits and _ - . : @ / (keyring.c). */
extern void brop_keyring_check_label(const char *label);

/*
 * Keys in a PKCS#11 token (token_key.c), for brop_keyring_use: the key of
 * row id with this URI and did, opened once per backend and kept, signs
 * message (USE_SIGN), or the note text message named note_name (as_note:
 * USE_SIGN_NOTE, the signed note returned). The caller checked the use.
 */
extern bytea *brop_token_key_use(const char *label, int64 id, const char *uri, const brop_did_value *did,
								 bool as_note, bytea *message, const char *note_name);

/* Batch forms of the messages under one signature by a keyring key (sign_batch.c). */
extern bytea **brop_sign_batch(const char *label, bytea *const *messages, int n);

#endif /* BROP_PG_KEYRING_H */
