/*
 * brop_row.h — digests of registered rows (docs/formats.md, "Row digests").
 *
 * A registered row is committed to the ledger by a salted digest of its
 * canonical document, so the ledger learns nothing from it, and the
 * institution can re-derive any row's salt to disclose that row alone:
 *
 *   salt     = HMAC-SHA256(salt key, "brop-row-salt-v1" 0x00 registration 0x00 row key 0x00 version)
 *   digest   = HMAC-SHA256(salt, "brop-row-v1" 0x00 document)
 *   chain id = first 16 bytes of HMAC-SHA256(salt key, "brop-row-chain-v1" 0x00 registration 0x00 row key)
 *
 * The document is the JCS object {column: text value | null} of the
 * registered columns; the row key the JCS array of the key columns' text
 * values. Registration names and versions are UTF-8 without NUL.
 */
#ifndef BROP_ROW_H
#define BROP_ROW_H

#include <stddef.h>
#include "brop_err.h"
#include "brop_hash.h"

#define BROP_ROW_SALT_KEY_BYTES 32
#define BROP_ROW_SALT_BYTES 32
#define BROP_ROW_DIGEST_BYTES 32
#define BROP_ROW_CHAIN_ID_BYTES 16

/*
 * The salt of one version of one row.
 * Returns: 0; BROP_EINVAL for a NULL pointer or a NUL byte in registration,
 * row key or version; BROP_EINTERNAL.
 */
BROP_WARN_UNUSED_RESULT int brop_row_salt(unsigned char salt[BROP_ROW_SALT_BYTES],
										  const unsigned char key[BROP_ROW_SALT_KEY_BYTES],
										  const char *registration, size_t registration_len,
										  const char *row_key, size_t row_key_len,
										  const char *version, size_t version_len);

/*
 * The digest of a row's canonical document under its salt.
 * Returns: 0; BROP_EINVAL for a NULL pointer; BROP_EINTERNAL.
 */
BROP_WARN_UNUSED_RESULT int brop_row_digest(unsigned char digest[BROP_ROW_DIGEST_BYTES],
											const unsigned char salt[BROP_ROW_SALT_BYTES],
											const char *document, size_t document_len);

/*
 * The pseudonymous id of a row's chain of versions: the same for every
 * version, unlinkable to the row key without the salt key.
 * Returns: as brop_row_salt.
 */
BROP_WARN_UNUSED_RESULT int brop_row_chain_id(unsigned char id[BROP_ROW_CHAIN_ID_BYTES],
											  const unsigned char key[BROP_ROW_SALT_KEY_BYTES],
											  const char *registration, size_t registration_len,
											  const char *row_key, size_t row_key_len);

/*
 * The same two, under the salt key prepared once with
 * brop_hmac_sha256_key_init (for many rows).
 */
BROP_WARN_UNUSED_RESULT int brop_row_salt_k(unsigned char salt[BROP_ROW_SALT_BYTES],
											const brop_hmac_sha256_key *key,
											const char *registration, size_t registration_len,
											const char *row_key, size_t row_key_len,
											const char *version, size_t version_len);
BROP_WARN_UNUSED_RESULT int brop_row_chain_id_k(unsigned char id[BROP_ROW_CHAIN_ID_BYTES],
												const brop_hmac_sha256_key *key,
												const char *registration, size_t registration_len,
												const char *row_key, size_t row_key_len);


/*
 * The capture queue (path 1): the texts of captured rows wait there for the
 * next seal, sealed with XChaCha20-Poly1305 under a key derived from the
 * salt key (docs/registration.md, "The capture queue"):
 *
 *   queue key = HMAC-SHA256(salt key, "brop-row-queue-v1")
 *   box       = nonce (24, random) || XChaCha20-Poly1305(queue key, nonce, ad, records)
 */
#define BROP_ROW_QUEUE_KEY_BYTES 32
#define BROP_ROW_QUEUE_OVERHEAD (24 + 16)

BROP_WARN_UNUSED_RESULT int brop_row_queue_key(unsigned char out[BROP_ROW_QUEUE_KEY_BYTES],
											   const brop_hmac_sha256_key *salt_key);

/*
 * Seals len bytes of msg into box (len + BROP_ROW_QUEUE_OVERHEAD bytes).
 * Returns: 0; BROP_EINVAL for a NULL pointer; BROP_EINTERNAL.
 */
BROP_WARN_UNUSED_RESULT int brop_row_queue_seal(unsigned char *box,
												const unsigned char key[BROP_ROW_QUEUE_KEY_BYTES],
												const unsigned char *ad, size_t adlen,
												const unsigned char *msg, size_t len);

/*
 * Opens box (boxlen bytes) into msg (boxlen - BROP_ROW_QUEUE_OVERHEAD bytes).
 * Returns: 0; BROP_ELENGTH if box is shorter than the overhead; BROP_EDECRYPT
 * if it was altered, sealed under another key or belongs elsewhere (ad).
 */
BROP_WARN_UNUSED_RESULT int brop_row_queue_open(unsigned char *msg,
												const unsigned char key[BROP_ROW_QUEUE_KEY_BYTES],
												const unsigned char *ad, size_t adlen,
												const unsigned char *box, size_t boxlen);

#endif /* BROP_ROW_H */
