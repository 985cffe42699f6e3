/*
 * brop_batch.h — batch signatures: one signature over the RFC 9162 Merkle
 * root of many messages, and each message's signature in "batch form" (its
 * place in the batch, its inclusion path, the signature over the root), so
 * that every message still verifies on its own (docs/formats.md, "Batch
 * signatures").
 *
 *   leaf i         = SHA-256(0x00 || message i)           (RFC 9162 leaf hash)
 *   root           = MTH(leaf 0 .. leaf size-1)
 *   batch message  = "brop-batch-v1" || 0x00 || size (8 bytes, big-endian) || root
 *   batch form     = 0x62 || index (4 bytes BE) || size (4 bytes BE)
 *                    || inclusion path (32 bytes per hash, RFC 9162 2.1.3.1)
 *                    || the signature over the batch message (the key's own form)
 *
 * A batch form is never 64 bytes long (73 at least) and never starts with
 * the 0x30 of a DER signature, so it cannot be read as a plain signature.
 */
#ifndef BROP_BATCH_H
#define BROP_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "brop_err.h"
#include "brop_merkle.h"
#include "brop_sign.h"

#define BROP_BATCH_FORM 0x62
#define BROP_BATCH_DOMAIN "brop-batch-v1"
#define BROP_BATCH_MESSAGE_BYTES (sizeof(BROP_BATCH_DOMAIN) + 8 + BROP_MERKLE_HASH_BYTES)
#define BROP_BATCH_HEADER_BYTES 9
#define BROP_BATCH_MAX_SIZE UINT32_MAX

/* A parsed batch form; path and sig point into the parsed bytes. */
typedef struct brop_batch_sig
{
	uint32_t	index;
	uint32_t	size;
	const unsigned char *path;	/* path_len hashes of 32 bytes */
	size_t		path_len;
	const unsigned char *sig;	/* the signature over the batch message */
	size_t		sig_len;
} brop_batch_sig;

/* 1 if sig is in batch form (to be parsed), 0 if it is a plain signature. */
int			brop_batch_is_form(const unsigned char *sig, size_t len);

/*
 * Returns: 0; BROP_ESIG if in is not a well-formed batch form (index >=
 * size, a path of the wrong length for index and size, no signature).
 */
BROP_WARN_UNUSED_RESULT int brop_batch_sig_parse(brop_batch_sig *out, const unsigned char *in, size_t len);

/* The batch message of a batch of size messages with this root. */
BROP_WARN_UNUSED_RESULT int brop_batch_message(unsigned char out[BROP_BATCH_MESSAGE_BYTES], uint64_t size,
											   const brop_merkle_hash root);

/* The batch message that b's path makes of message m (m's leaf folded up to the root). */
BROP_WARN_UNUSED_RESULT int brop_batch_message_of(unsigned char out[BROP_BATCH_MESSAGE_BYTES],
												  const brop_batch_sig *b, const unsigned char *m, size_t mlen);

/*
 * Verify sig over m, in either form: a plain signature as brop_verify; a
 * batch form by its path and its signature over the batch message.
 * Returns: 0 valid; BROP_EVERIFY; BROP_ESIG for a malformed batch form;
 * the errors of brop_verify.
 */
BROP_WARN_UNUSED_RESULT int brop_verify_any(brop_alg alg, const unsigned char *pk, size_t pklen,
											const unsigned char *m, size_t mlen,
											const unsigned char *sig, size_t siglen);

/*
 * The signer's side: the tree of a batch's leaf hashes (every perfect
 * subtree, about 2n hashes), its root, and each message's batch form.
 */
typedef struct brop_batch_tree
{
	uint32_t	size;
	unsigned	levels;			/* level l holds size >> l hashes */
	brop_merkle_hash *level[33];
	brop_merkle_hash root;
} brop_batch_tree;

/* Returns: 0; BROP_EINVAL for n == 0; BROP_ENOMEM. Free with brop_batch_tree_free. */
BROP_WARN_UNUSED_RESULT int brop_batch_tree_build(brop_batch_tree *t, const brop_merkle_hash *leaves, uint32_t n);
void		brop_batch_tree_free(brop_batch_tree *t);

/* Bytes of the batch form of index with a signature of sig_len bytes. */
size_t		brop_batch_form_bytes(const brop_batch_tree *t, uint32_t index, size_t sig_len);

/* The batch form of message index, given the signature over the tree's batch message. */
BROP_WARN_UNUSED_RESULT int brop_batch_form(unsigned char *out, size_t cap, size_t *outlen,
											const brop_batch_tree *t, uint32_t index,
											const unsigned char *sig, size_t sig_len);

#endif /* BROP_BATCH_H */
