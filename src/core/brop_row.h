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
#include <stdint.h>
#include "brop_err.h"
#include "brop_hash.h"
#include "brop_jcs.h"

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

/* ---- the texts (row_document.c): RFC 8785, written directly ---- */

/* A text of len bytes (UTF-8); text NULL is SQL NULL (JSON null). */
typedef struct brop_row_text
{
	const char *text;
	size_t		len;
} brop_row_text;

/*
 * The document D: the JCS object {names[i]: values[i]} of the registered
 * columns, each value its text output as a string or null; the members in
 * RFC 8785 order, whatever the order given.
 * Names are UTF-8 without NUL; values UTF-8.
 * Returns: 0; BROP_EDUPKEY for a name given twice; BROP_EENCODING for a
 * text that is not UTF-8; BROP_EINVAL for a NULL pointer or name, or a
 * NUL in a name; BROP_ENOMEM.
 * Out: *out allocated with a (NULL: malloc), NUL-terminated; *outlen.
 */
BROP_WARN_UNUSED_RESULT int brop_row_document(char **out, size_t *outlen, const brop_row_text *names,
											  const brop_row_text *values, size_t n, const brop_allocator *a);

/*
 * A document's layout, for a caller that makes the documents of many rows
 * with the same names (a registration's): the names' RFC 8785 order and
 * their member tokens, made once. brop_row_layout_document(l, values) is
 * brop_row_document(names, values) for the names l was made of, values in
 * the same order as those names.
 * brop_row_layout_new returns: as brop_row_document for the names;
 * *out allocated with a (free it with brop_row_layout_free and the same a).
 */
typedef struct brop_row_layout brop_row_layout;

BROP_WARN_UNUSED_RESULT int brop_row_layout_new(brop_row_layout **out, const brop_row_text *names, size_t n,
												const brop_allocator *a);
void		brop_row_layout_free(brop_row_layout *l, const brop_allocator *a);
BROP_WARN_UNUSED_RESULT int brop_row_layout_document(char **out, size_t *outlen, const brop_row_layout *l,
													 const brop_row_text *values, const brop_allocator *a);

/*
 * The row key K: the JCS array of the key columns' texts, in the
 * registration's order. Returns: as brop_row_document; BROP_EINVAL also for
 * no value or a null one (key columns are never null).
 */
BROP_WARN_UNUSED_RESULT int brop_row_key(char **out, size_t *outlen, const brop_row_text *values, size_t n,
										 const brop_allocator *a);

/*
 * The header of one version's entry (docs/formats.md, "Row digests"):
 *   {"op":op,"registration":R,["row":D,"salt":base64url(salt),]"version":V}
 * op is insert, update, delete or existing; document (D, as brop_row_document makes
 * it) and salt for profile 3, else NULL.
 * Returns: 0; BROP_EINVAL (an unknown op, a NULL pointer, a document that
 * is not an object's text, a NUL in registration); BROP_EOVERFLOW for a version outside 1 to
 * 2^53 - 1; BROP_EENCODING; BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_row_header(char **out, size_t *outlen, const char *op,
											const char *registration, size_t registration_len,
											const char *document, size_t document_len,
											const unsigned char salt[BROP_ROW_SALT_BYTES], uint64_t version,
											const brop_allocator *a);

/* A registration's announced fields (register_table, unregister_table, the plugin's and relay's). */
typedef struct brop_registration_fields
{
	const char *op;				/* "register" or "unregister" */
	const char *name;
	size_t		name_len;
	const brop_row_text *key_columns;	/* in the registration's order */
	size_t		nkey_columns;
	const brop_row_text *columns;	/* as given */
	size_t		ncolumns;
	const char *subject_column; /* NULL: none */
	size_t		subject_column_len;
	int			profile;		/* 1 to 3 */
	const char *capture;		/* "trigger" or "plugin" */
} brop_registration_fields;

/*
 * The header of a registration's entry:
 *   {"capture","columns","key_columns","op","profile","registration","subject_column"}
 * (its payload digest is the SHA-256 of this text).
 * Names (registration, columns, subject column) are UTF-8 without NUL.
 * Returns: 0; BROP_EINVAL (a NULL pointer or column, a NUL in a name, no
 * column, profile outside 1 to 3); BROP_EENCODING; BROP_ENOMEM.
 */
BROP_WARN_UNUSED_RESULT int brop_registration_format_header(char **out, size_t *outlen,
													 const brop_registration_fields *r,
													 const brop_allocator *a);

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
