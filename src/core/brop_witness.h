/*
 * brop_witness.h — witnesses of a log: C2SP tlog-cosignature
 * (c2sp.org/tlog-cosignature, "cosignature/v1", Ed25519), checkpoints that
 * must carry k of n witnesses' cosignatures, and proofs that a log's key
 * signed two checkpoints no one history can have (docs/formats.md,
 * "Cosignatures" and "Proofs of misbehaviour").
 *
 *   key id    = SHA-256(name || 0x0A || 0x04 || public key)[0..4)   (0x04: cosignature/v1)
 *   signed    = "cosignature/v1\n" "time " decimal T "\n" || the checkpoint's whole text
 *   line      = "— " name " " base64(key id || T as 8 bytes big-endian || signature) "\n"
 *   verifier key text: name "+" hex(key id) "+" base64(0x04 || public key)
 *
 * A cosignature says: at time T, the largest tree of this log its witness
 * has verified as consistent with every earlier one has this root.
 */
#ifndef BROP_WITNESS_H
#define BROP_WITNESS_H

#include <stddef.h>
#include <stdint.h>
#include "brop_jcs.h"
#include "brop_merkle.h"
#include "brop_note.h"
#include "brop_sign.h"

/* key id, timestamp, signature */
#define BROP_COSIGNATURE_BYTES (BROP_NOTE_KEYID_BYTES + 8 + BROP_SIGNATURE_BYTES)
/* The line brop_cosignature_line writes for a name of namelen bytes, with its NUL. */
#define BROP_COSIGNATURE_LINE_BYTES(namelen) (4 + (namelen) + 1 + 104 + 1 + 1)
/* A timestamp is at most 2^63 - 1 (the specification's bound). */
#define BROP_COSIGNATURE_TIME_MAX INT64_MAX
/* A policy names at most this many witnesses. */
#define BROP_WITNESS_MAX 64

/*
 * Key id of a witness's Ed25519 key under this name (names as in
 * brop_note.h). Returns: 0; BROP_EINVAL for a bad name.
 */
BROP_WARN_UNUSED_RESULT int brop_cosignature_key_id(unsigned char id[BROP_NOTE_KEYID_BYTES],
													const char *name, size_t namelen,
													const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);

/*
 * Verifier key text of a witness (type 0x04), NUL-terminated.
 * Returns: as brop_note_verifier_key.
 */
BROP_WARN_UNUSED_RESULT int brop_cosignature_verifier_key(char *out, size_t cap, size_t *outlen,
														  const char *name, size_t namelen,
														  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);

/*
 * Parse a witness's verifier key text.
 * Returns: 0; BROP_EENCODING for malformed text; BROP_EALG for a key type
 * other than 0x04 (a log's key, 0x01, is refused here); BROP_EVERIFY if
 * the key id does not match; BROP_EKEY for an invalid point.
 * Out: name (points into text), *namelen, pk, id.
 */
BROP_WARN_UNUSED_RESULT int brop_cosignature_parse_verifier_key(const char **name, size_t *namelen,
																unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
																unsigned char id[BROP_NOTE_KEYID_BYTES],
																const char *text, size_t len);

/*
 * The message a witness signs for a checkpoint's text (the note's signed
 * text, ending in "\n") at time t. The one producer of that message: a key
 * held elsewhere (a token) signs what this gives.
 * Returns: 0; BROP_EINVAL (text empty, not ending in "\n", or with
 * characters a note cannot hold; t above BROP_COSIGNATURE_TIME_MAX);
 * BROP_ELENGTH (text longer than BROP_NOTE_MAX_BYTES); BROP_ENOMEM.
 * Out: *out (allocated with a, or malloc; not NUL-terminated), *outlen.
 */
BROP_WARN_UNUSED_RESULT int brop_cosignature_message(unsigned char **out, size_t *outlen,
													 const char *text, size_t textlen, uint64_t t,
													 const brop_allocator *a);

/*
 * The signature line of a cosignature made elsewhere (sig over
 * brop_cosignature_message's message), NUL-terminated, into out.
 * Returns: 0; BROP_EINVAL (bad name, t too large); BROP_EBUFFER.
 */
BROP_WARN_UNUSED_RESULT int brop_cosignature_line(char *out, size_t cap, size_t *outlen,
												  const char *name, size_t namelen,
												  const unsigned char id[BROP_NOTE_KEYID_BYTES], uint64_t t,
												  const unsigned char sig[BROP_SIGNATURE_BYTES]);

/*
 * Cosign a checkpoint's text at time t with the Ed25519 key of seed: the
 * signature line, NUL-terminated, into out (cap at least
 * BROP_COSIGNATURE_LINE_BYTES(namelen)).
 * Returns: as brop_cosignature_message and brop_cosignature_line.
 */
BROP_WARN_UNUSED_RESULT int brop_cosignature_sign(char *out, size_t cap, size_t *outlen,
												  const char *text, size_t textlen,
												  const char *name, size_t namelen,
												  const unsigned char seed[BROP_SECRETKEYBYTES], uint64_t t);

/* A witness a policy names. */
typedef struct brop_witness
{
	const char *name;
	size_t		namelen;
	unsigned char pk[BROP_ED25519_PUBLICKEYBYTES];	/* validated (brop_cosignature_parse_verifier_key) */
} brop_witness;

/*
 * Verify a note's cosignature by one witness: a line with its name and key
 * id whose signature verifies over the note's text at its timestamp.
 * Lines of other keys are ignored (but must be well formed); a line of this
 * key that does not verify fails the note, as in brop_note_verify.
 * Returns: 0; BROP_EENCODING (malformed note); BROP_ELENGTH; BROP_EVERIFY
 * (no good cosignature by this witness, or a bad one).
 * Out: *t, the timestamp of its first good line (0 on failure).
 */
BROP_WARN_UNUSED_RESULT int brop_cosignature_verify(uint64_t *t, const char *note, size_t notelen,
													const brop_witness *w);

/*
 * A checkpoint under a witness policy: the note must be signed by the log's
 * key (name, pk), and cosigned by at least quorum of the n witnesses (each
 * counted once; two entries with the same key count once).
 * Returns: 0; BROP_EINVAL (n > BROP_WITNESS_MAX, quorum > n); the errors
 * of brop_note_verify_valid for the log's signature (BROP_EVERIFY if it is
 * missing or bad); BROP_EVERIFY if a named witness's line does not verify;
 * BROP_EQUORUM if fewer than quorum witnesses cosigned.
 * Out: *count, the witnesses whose cosignature verified; cosigned[i] (if
 * not NULL, n entries) their timestamps, 0 for those that did not cosign.
 */
BROP_WARN_UNUSED_RESULT int brop_checkpoint_verify_policy(size_t *count, uint64_t *cosigned,
														  const char *note, size_t notelen,
														  const char *name, size_t namelen,
														  const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
														  const brop_witness *witnesses, size_t n,
														  size_t quorum);

/*
 * A proof of misbehaviour: two checkpoints of one origin, both signed by the
 * log's key (name, pk), that no one append-only log can have: of the same
 * size with different roots (proof empty), or of sizes m < n where the
 * proof (brop_merkle_consistency_old_root's form, from m to n) verifies
 * against the larger one's root and gives the smaller size another root.
 * Either note may be the smaller.
 * Returns: 0 if the pair proves a fork; BROP_EVERIFY if a note is not
 * signed by the key, the origins differ, or the pair is consistent or not
 * shown inconsistent (a proof that does not verify proves nothing);
 * BROP_EENCODING / BROP_ELENGTH for malformed notes or checkpoints.
 * Out: *size_a, *size_b (the checkpoints' sizes, 0 on failure).
 */
BROP_WARN_UNUSED_RESULT int brop_fork_verify(uint64_t *size_a, uint64_t *size_b,
											 const char *note_a, size_t len_a,
											 const char *note_b, size_t len_b,
											 const char *name, size_t namelen,
											 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
											 const brop_merkle_hash *proof, size_t prooflen);

#endif /* BROP_WITNESS_H */
