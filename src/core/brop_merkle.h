/*
 * brop_merkle.h — RFC 9162 (Certificate Transparency v2) Merkle trees:
 * hashes, roots, inclusion and consistency proofs.
 *
 *   leaf hash   = SHA-256(0x00 || leaf input)
 *   node hash   = SHA-256(0x01 || left || right)
 *   MTH({})     = SHA-256("")
 *
 * Proof generation is storage-agnostic: the caller supplies the hash of any
 * perfect subtree (2^level leaves starting at index * 2^level), e.g. from
 * stored nodes or tiles, so a proof costs O(log n) lookups.
 */
#ifndef BROP_MERKLE_H
#define BROP_MERKLE_H

#include <stddef.h>
#include <stdint.h>
#include "brop_err.h"

#define BROP_MERKLE_HASH_BYTES 32
#define BROP_MERKLE_MAX_PROOF 64	/* hashes in any proof of a tree below 2^63 leaves */
#define BROP_MERKLE_MAX_LEVELS 64

typedef unsigned char brop_merkle_hash[BROP_MERKLE_HASH_BYTES];

BROP_WARN_UNUSED_RESULT int brop_merkle_leaf_hash(brop_merkle_hash out,
												  const unsigned char *leaf, size_t len);
/* out may be the same buffer as left or right. */
BROP_WARN_UNUSED_RESULT int brop_merkle_node_hash(brop_merkle_hash out,
												  const brop_merkle_hash left,
												  const brop_merkle_hash right);

/*
 * Incremental root over leaf hashes appended in order (a compact range:
 * one hash per set bit of size). O(log n) memory, amortized O(1) hashes per
 * append.
 */
typedef struct brop_merkle_builder
{
	uint64_t	size;
	brop_merkle_hash stack[BROP_MERKLE_MAX_LEVELS];	/* stack[i]: perfect subtree of 2^i leaves, if bit i of size */
} brop_merkle_builder;

void		brop_merkle_builder_init(brop_merkle_builder *b);
/* Returns: 0; BROP_EOVERFLOW when the tree already has UINT64_MAX leaves. */
BROP_WARN_UNUSED_RESULT int brop_merkle_builder_append(brop_merkle_builder *b,
													   const brop_merkle_hash leaf_hash);
/* Root of the leaves appended so far (SHA-256("") for none); b is unchanged. */
BROP_WARN_UNUSED_RESULT int brop_merkle_builder_root(const brop_merkle_builder *b, brop_merkle_hash out);

/* Root of n leaf hashes. */
BROP_WARN_UNUSED_RESULT int brop_merkle_root(brop_merkle_hash out,
											 const brop_merkle_hash *leaf_hashes, uint64_t n);

/*
 * Hash of the perfect subtree of 2^level leaves starting at leaf
 * index * 2^level. Returns 0 or a negative brop_err (passed through).
 */
typedef int (*brop_merkle_subtree_fn) (void *ctx, unsigned level, uint64_t index,
									   brop_merkle_hash out);

/*
 * RFC 9162 section 2.1.3.1: inclusion proof of leaf index in the tree of
 * size leaves.
 * Returns: 0; BROP_EINVAL if index >= size; errors of fn.
 * Out: proof[0..*len), *len <= BROP_MERKLE_MAX_PROOF.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_inclusion_proof(brop_merkle_hash *proof, size_t *len,
														uint64_t index, uint64_t size,
														brop_merkle_subtree_fn fn, void *ctx);

/*
 * RFC 9162 section 2.1.4.1: consistency proof between the trees of size1
 * and size2 leaves (0 < size1 <= size2; size1 == size2 gives an empty proof).
 * Returns: 0; BROP_EINVAL for sizes out of range (including size2 > 2^63,
 * whose proofs could need one hash more than BROP_MERKLE_MAX_PROOF); errors
 * of fn.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_consistency_proof(brop_merkle_hash *proof, size_t *len,
														  uint64_t size1, uint64_t size2,
														  brop_merkle_subtree_fn fn, void *ctx);

/*
 * The root that an inclusion proof makes of leaf_hash at index in a tree of
 * size leaves (the walk of RFC 9162 section 2.1.3.2), into root (which may
 * be leaf_hash). Returns: 0; BROP_EVERIFY for a proof of the wrong length;
 * BROP_EINVAL if index >= size.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_inclusion_root(brop_merkle_hash root, uint64_t index, uint64_t size,
													   const brop_merkle_hash leaf_hash,
													   const brop_merkle_hash *proof, size_t len);

/*
 * RFC 9162 section 2.1.3.2. Returns: 0 if the proof shows leaf_hash at index
 * in the tree of size leaves with this root; BROP_EVERIFY if not (including
 * a proof of the wrong length); BROP_EINVAL if index >= size.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_inclusion_verify(uint64_t index, uint64_t size,
														 const brop_merkle_hash leaf_hash,
														 const brop_merkle_hash *proof, size_t len,
														 const brop_merkle_hash root);

/*
 * RFC 9162 section 2.1.4.2. Returns: 0 if the proof shows that the tree of
 * size1 with root1 is a prefix of the tree of size2 with root2; BROP_EVERIFY
 * if not; BROP_EINVAL if size1 > size2.
 * (size1 == 0 is consistent with anything given an empty proof; size1 ==
 * size2 needs an empty proof and root1 == root2.)
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_consistency_verify(uint64_t size1, uint64_t size2,
														   const brop_merkle_hash root1,
														   const brop_merkle_hash root2,
														   const brop_merkle_hash *proof, size_t len);

/*
 * The root that a consistency proof gives the smaller tree, after checking
 * that it gives the larger one root2 (RFC 9162 2.1.4.2's walk). In the form
 * of a proof of misbehaviour: when size1 is a power of two the proof starts
 * with the smaller tree's root as the larger tree holds it (RFC 9162 leaves
 * it out then); otherwise it is RFC 9162's proof. 0 < size1 < size2.
 * Returns: 0; BROP_EINVAL; BROP_EVERIFY if the proof does not give root2.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_consistency_old_root(brop_merkle_hash root1,
															 uint64_t size1, uint64_t size2,
															 const brop_merkle_hash root2,
															 const brop_merkle_hash *proof, size_t len);

/*
 * Proofs as exchanged in text (docs/formats.md, "Proofs"):
 *   inclusion(INDEX, SIZE) [HASH, HASH, ...]        INDEX < SIZE
 *   consistency(OLD_SIZE, NEW_SIZE) [HASH, ...]     OLD_SIZE <= NEW_SIZE
 * hashes as 64 hex digits; integers canonical decimal below 2^63.
 */
typedef enum brop_merkle_proof_kind
{
	BROP_PROOF_INCLUSION = 1,
	BROP_PROOF_CONSISTENCY = 2
} brop_merkle_proof_kind;

typedef struct brop_merkle_proof
{
	brop_merkle_proof_kind kind;
	uint64_t	a;				/* index, or old size */
	uint64_t	b;				/* tree size, or new size */
	size_t		n;
	brop_merkle_hash hashes[BROP_MERKLE_MAX_PROOF];
} brop_merkle_proof;

/* Longest text of a proof, without its NUL. */
#define BROP_MERKLE_PROOF_TEXT_MAX (11 + 2 * 20 + 5 + BROP_MERKLE_MAX_PROOF * 66 + 1)

/*
 * Parse proof text (white space allowed around the punctuation).
 * Returns: 0; BROP_EENCODING for malformed text; BROP_ELENGTH for a hash
 * that is not 64 hex digits or more than BROP_MERKLE_MAX_PROOF hashes;
 * BROP_EINVAL for an index not below the size, or an old size above the
 * new one.
 */
BROP_WARN_UNUSED_RESULT int brop_merkle_proof_parse(brop_merkle_proof *p, const char *text, size_t len);

/* Format proof text. Returns: 0; BROP_EINVAL; BROP_EBUFFER. Out: NUL-terminated. */
BROP_WARN_UNUSED_RESULT int brop_merkle_proof_format(char *out, size_t cap, size_t *outlen,
													 const brop_merkle_proof *p);

#endif /* BROP_MERKLE_H */
