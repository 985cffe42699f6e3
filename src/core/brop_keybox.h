/*
 * brop_keybox.h — secret keys encrypted at rest under a root key
 * (docs/security.md, "Keyring").
 *
 *   kek     = HMAC-SHA256(root, "brop keyring kek v1")
 *   root id = HMAC-SHA256(root, "brop root key id v1")[0..8)
 *   box     = nonce (24, random) || XChaCha20-Poly1305(kek, nonce, ad, secret)
 *
 * The associated data binds a box to the key row it belongs to.
 */
#ifndef BROP_KEYBOX_H
#define BROP_KEYBOX_H

#include <stddef.h>
#include "brop_err.h"

#define BROP_ROOTKEY_BYTES 32
#define BROP_ROOTKEY_ID_BYTES 8
#define BROP_KEYBOX_BYTES (24 + 32 + 16)

/*
 * Parse a root key file's text: 64 hex digits, white space around them allowed.
 * Returns: 0; BROP_ELENGTH; BROP_EENCODING.
 */
BROP_WARN_UNUSED_RESULT int brop_rootkey_parse(unsigned char root[BROP_ROOTKEY_BYTES],
											   const char *text, size_t len);

BROP_WARN_UNUSED_RESULT int brop_rootkey_id(unsigned char id[BROP_ROOTKEY_ID_BYTES],
											const unsigned char root[BROP_ROOTKEY_BYTES]);

BROP_WARN_UNUSED_RESULT int brop_keybox_seal(unsigned char box[BROP_KEYBOX_BYTES],
											 const unsigned char root[BROP_ROOTKEY_BYTES],
											 const unsigned char secret[32],
											 const unsigned char *ad, size_t adlen);

/*
 * Returns: 0; BROP_ELENGTH; BROP_EDECRYPT if the box was altered, belongs to
 * another row, or was sealed under another root key.
 */
BROP_WARN_UNUSED_RESULT int brop_keybox_open(unsigned char secret[32],
											 const unsigned char root[BROP_ROOTKEY_BYTES],
											 const unsigned char *box, size_t boxlen,
											 const unsigned char *ad, size_t adlen);

#endif /* BROP_KEYBOX_H */
