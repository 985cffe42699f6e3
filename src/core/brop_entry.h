/*
 * brop_entry.h — the ledger entry's two canonical forms (docs/formats.md,
 * "Ledger entries"), the one producer the extension, the CLI, the fuzzers
 * and the unit tests share:
 *
 *   signing input = "brop-entry-v1" 0x00 JCS(signed fields)
 *   leaf input    = JCS(signed fields + signature + submitted_at)
 *   leaf hash     = SHA-256(0x00 || leaf input)
 *
 * Every member is always written, null when absent; names are ASCII, so
 * the RFC 8785 order is fixed: body_digest, chain_key, expires_block,
 * header, kind, nonce, org, payload_digest, prev_digest, [signature],
 * subject, [submitted_at], v.
 */
#ifndef BROP_ENTRY_H
#define BROP_ENTRY_H

#include <stddef.h>
#include <stdint.h>
#include "brop_err.h"
#include "brop_jcs.h"

#define BROP_ENTRY_DOMAIN "brop-entry-v1"
/* the domain with its NUL */
#define BROP_ENTRY_DOMAIN_BYTES (sizeof BROP_ENTRY_DOMAIN)
#define BROP_ENTRY_DIGEST_BYTES 32
/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" and its NUL */
#define BROP_TIME_TEXT_BYTES 28
/* microseconds from 1970-01-01 to 2000-01-01 (PostgreSQL's epoch) */
#define BROP_UNIX_TO_PG_EPOCH_USECS INT64_C(946684800000000)

/*
 * An entry's fields. Texts are UTF-8 with their lengths; a NULL pointer is
 * JSON null (kind, org, nonce and payload_digest are required). header is
 * the RFC 8785 text of a JSON object, as brop_jcs_canonicalize makes it,
 * copied as it is (NULL: {}). Digests are 32 bytes. signature and
 * submitted_at (microseconds since 1970-01-01 UTC) are read for the leaf
 * input only.
 */
typedef struct brop_entry
{
	const char *kind;
	size_t		kind_len;
	const char *org;
	size_t		org_len;
	const char *subject;
	size_t		subject_len;
	const char *chain_key;
	size_t		chain_key_len;
	const unsigned char *prev_digest;
	const char *header;
	size_t		header_len;
	const unsigned char *payload_digest;
	const unsigned char *body_digest;
	const char *nonce;
	size_t		nonce_len;
	int64_t		expires_block;
	int			has_expires_block;
	const unsigned char *signature;
	size_t		signature_len;
	int64_t		submitted_at;
} brop_entry;

/*
 * The signing input: the domain, its NUL, the JCS of the signed fields.
 * Returns: 0; BROP_EINVAL for a NULL pointer where one is required, or a
 * header that is not an object's text; BROP_EENCODING for a text that is
 * not UTF-8; BROP_EOVERFLOW for an expires_block outside 1 to 2^53 - 1 (a
 * JSON number beyond 2^53 has no one RFC 8785 text); BROP_ENOMEM.
 * Out: *out allocated with a (NULL: malloc; caller frees), NUL-terminated
 * after *outlen bytes.
 */
BROP_WARN_UNUSED_RESULT int brop_entry_format_signing_input(char **out, size_t *outlen, const brop_entry *e,
													 const brop_allocator *a);

/*
 * The leaf input (JCS text). Returns: as brop_entry_format_signing_input, and
 * BROP_EINVAL without a signature, BROP_EOVERFLOW for a submitted_at
 * outside the years 1 to 9999.
 */
BROP_WARN_UNUSED_RESULT int brop_entry_format_leaf_input(char **out, size_t *outlen, const brop_entry *e,
												  const brop_allocator *a);

/*
 * Both from one JSON text: the leaf hash into leaf, and, unless
 * signing_input is NULL, the signing input as brop_entry_format_signing_input.
 * Returns: as brop_entry_format_leaf_input.
 */
BROP_WARN_UNUSED_RESULT int brop_entry_format_forms(unsigned char leaf[BROP_ENTRY_DIGEST_BYTES],
											 char **signing_input, size_t *signing_input_len,
											 const brop_entry *e, const brop_allocator *a);

/*
 * The ledger's time text of unix_us (microseconds since 1970-01-01 UTC):
 * "YYYY-MM-DDTHH:MM:SS.ffffffZ", or with micro 0 "YYYY-MM-DDTHH:MM:SSZ"
 * (the fraction dropped, not rounded).
 * Returns: 0; BROP_EOVERFLOW outside the years 1 to 9999; BROP_EINVAL.
 * Out: out NUL-terminated, *outlen (27 or 20) unless outlen is NULL.
 */
BROP_WARN_UNUSED_RESULT int brop_time_text(char out[BROP_TIME_TEXT_BYTES], size_t *outlen, int64_t unix_us,
										   int micro);

#endif /* BROP_ENTRY_H */
