/*
 * brop_note.h — C2SP signed notes (c2sp.org/signed-note) with Ed25519
 * signatures, and C2SP tlog-checkpoint bodies (c2sp.org/tlog-checkpoint).
 *
 *   key id    = SHA-256(name || 0x0A || 0x01 || public key)[0..4)   (0x01: Ed25519)
 *   signature line = "— " || name || " " || base64(key id || signature) || "\n"
 *   note      = text (ends in "\n") || "\n" || signature lines
 *   verifier key text: name "+" hex(key id) "+" base64(0x01 || public key)
 *   signer key text:   "PRIVATE+KEY+" name "+" hex(key id) "+" base64(0x01 || seed)
 *   checkpoint text: origin "\n" decimal tree size "\n" base64(root) "\n" [extension lines]
 */
#ifndef BROP_NOTE_H
#define BROP_NOTE_H

#include <stddef.h>
#include <stdint.h>
#include "brop_jcs.h"
#include "brop_sign.h"

#define BROP_NOTE_KEYID_BYTES 4
#define BROP_NOTE_NAME_MAX 256
/*
 * A signed note (its text, the blank line and every signature line) and a
 * checkpoint body are at most this many bytes: the functions below refuse
 * a longer one with BROP_ELENGTH before reading it. A checkpoint is a few
 * hundred bytes; 64 KiB leaves room for extension lines and 100 cosignature
 * lines, and keeps the hashing a verification does (twice the text, in one
 * call that cannot be cancelled) below a millisecond.
 */
#define BROP_NOTE_MAX_BYTES 65536
/* The signature line brop_note_signature_line writes for a key name of namelen bytes (without its NUL). */
#define BROP_NOTE_SIGNATURE_LINE_BYTES(namelen) (4 + (namelen) + 1 + 92 + 1)

/*
 * Key names (ours): 1..BROP_NOTE_NAME_MAX bytes of valid UTF-8 with no
 * Unicode space (Go's unicode.IsSpace), no "+" and no control character
 * (below U+0020).
 *
 * Key id of an Ed25519 verifier key with this name.
 * Returns: 0; BROP_EINVAL for a bad name.
 */
BROP_WARN_UNUSED_RESULT int brop_note_key_id(unsigned char id[BROP_NOTE_KEYID_BYTES],
											 const char *name, size_t namelen,
											 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);

/*
 * Verifier key text "name+hash+base64" (NUL-terminated) of an Ed25519 key:
 * hash is the key id in 8 lower-case hex digits.
 * Returns: 0; BROP_EINVAL (bad name); BROP_EKEY (pk not a valid Ed25519
 * point); BROP_EBUFFER if cap < *outlen + 1.
 */
BROP_WARN_UNUSED_RESULT int brop_note_verifier_key(char *out, size_t cap, size_t *outlen,
												   const char *name, size_t namelen,
												   const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);

/*
 * Parse a verifier key text (the hex digits of the key id in either case,
 * the key in canonical standard base64).
 * Returns: 0; BROP_EENCODING for malformed text (including a bad name);
 * BROP_EALG for a key type other than Ed25519 (0x01); BROP_EVERIFY if the
 * key id does not match the name and key; BROP_EKEY if the key is not a
 * valid Ed25519 point.
 * Out: name (points into text; *namelen), pk, id.
 */
BROP_WARN_UNUSED_RESULT int brop_note_parse_verifier_key(const char **name, size_t *namelen,
														 unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
														 unsigned char id[BROP_NOTE_KEYID_BYTES],
														 const char *text, size_t len);

/*
 * Sign text with the Ed25519 key of seed, named name, and append one
 * signature line: *out = text "\n" "— " name " " base64(id || sig) "\n".
 * The text must be non-empty valid UTF-8, end in "\n", and contain no
 * ASCII control character but newline; it may contain empty lines (a
 * verifier splits at the last one, which is then the one added here).
 * Returns: 0; BROP_EINVAL for text that cannot be a note or a bad name;
 * BROP_ELENGTH if the note would be longer than BROP_NOTE_MAX_BYTES;
 * BROP_ENOMEM.
 * Out: *out (allocated with a, or malloc if a is NULL; release with a's
 * free, or free; NUL-terminated), *outlen (without the NUL).
 */
BROP_WARN_UNUSED_RESULT int brop_note_sign(char **out, size_t *outlen,
										   const char *text, size_t textlen,
										   const char *name, size_t namelen,
										   const unsigned char seed[BROP_SECRETKEYBYTES],
										   const brop_allocator *a);

/*
 * The signature line of an Ed25519 signature made elsewhere (a key in a
 * token): "— " name " " base64(key id || sig) "\n", NUL-terminated, the key
 * id of (name, pk). The one producer of a note's signature line:
 * brop_note_sign and brop_note_assemble write theirs with it. sig is not
 * checked: the signer checks its own signatures (brop_pkcs11_sign does).
 * Returns: 0; BROP_EINVAL (NULL, a bad name); BROP_EBUFFER if cap <
 * BROP_NOTE_SIGNATURE_LINE_BYTES(namelen) + 1.
 * Out: out, *outlen (without the NUL).
 */
BROP_WARN_UNUSED_RESULT int brop_note_signature_line(char *out, size_t cap, size_t *outlen,
													 const char *name, size_t namelen,
													 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
													 const unsigned char sig[BROP_SIGNATURE_BYTES]);

/*
 * A signed note from a signature of text made elsewhere, by the Ed25519 key
 * pk named name: *out = text "\n" and brop_note_signature_line's line. Text
 * and name are checked as brop_note_sign checks them, and the note is the
 * one brop_note_sign makes with that key's seed.
 * Returns: as brop_note_sign.
 * Out: as brop_note_sign.
 */
BROP_WARN_UNUSED_RESULT int brop_note_assemble(char **out, size_t *outlen,
											   const char *text, size_t textlen,
											   const char *name, size_t namelen,
											   const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES],
											   const unsigned char sig[BROP_SIGNATURE_BYTES],
											   const brop_allocator *a);

/*
 * Verify a signed note against one Ed25519 verifier (name, pk): the note
 * must be well formed and carry a valid signature by that key. Signature
 * lines whose name or key id differ from this key's are ignored, as the
 * specification says (but must be well formed).
 * Well formed: valid UTF-8 without ASCII control characters but newline;
 * a text ending in "\n", a blank line (the last one), then 1..100 lines
 * "— " name " " base64 "\n" with a valid name (no length limit) and
 * canonical standard base64 of at least 5 bytes.
 * Returns: 0; BROP_EINVAL for a bad name (of the verifier);
 * BROP_EKEY if pk is not a valid Ed25519 point; BROP_ELENGTH for a note
 * longer than BROP_NOTE_MAX_BYTES (not read); BROP_EENCODING for a
 * malformed note; BROP_EVERIFY if no valid signature by this key is present,
 * or a line with this key's name and id carries a bad signature.
 * Out: *textlen, the length of the signed text (note[0..*textlen)), 0 on
 * failure.
 */
BROP_WARN_UNUSED_RESULT int brop_note_verify(size_t *textlen,
											 const char *note, size_t notelen,
											 const char *name, size_t namelen,
											 const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);

/*
 * brop_note_verify for a key already validated (a brop.did, a decoded
 * did:key): without the point's subgroup check, which costs as much as the
 * signature's verification. Returns and Out as brop_note_verify, but for
 * BROP_EKEY.
 */
BROP_WARN_UNUSED_RESULT int brop_note_verify_valid(size_t *textlen,
												   const char *note, size_t notelen,
												   const char *name, size_t namelen,
												   const unsigned char pk[BROP_ED25519_PUBLICKEYBYTES]);

/*
 * Length of a note's signed text: up to and including the newline before
 * its last blank line (the signature lines follow it); len if it has none,
 * so that a bare body is its own text. Does not validate.
 */
size_t		brop_note_text_length(const char *note, size_t len);

typedef struct brop_checkpoint
{
	const char *origin;			/* points into the text */
	size_t		originlen;
	uint64_t	size;
	unsigned char root[32];
	const char *extensions;		/* lines after the root, possibly empty */
	size_t		extensionslen;
} brop_checkpoint;

/*
 * Parse a checkpoint body (the signed text of a checkpoint note).
 * Returns: 0; BROP_EINVAL for NULL arguments; BROP_ELENGTH for a text
 * longer than BROP_NOTE_MAX_BYTES (not read); BROP_EENCODING for a
 * malformed checkpoint (empty origin, size not canonical decimal or above
 * 2^64 - 1, root not 32 bytes of canonical standard base64, an empty
 * extension line, missing final newline, characters a note cannot hold).
 * Out: *cp (zeroed on failure).
 */
BROP_WARN_UNUSED_RESULT int brop_checkpoint_parse(brop_checkpoint *cp, const char *text, size_t len);

/*
 * Format a checkpoint body: origin "\n" size "\n" base64(root) "\n" extensions
 * (NUL-terminated). Whatever this formats, brop_checkpoint_parse accepts.
 * Returns: 0; BROP_EINVAL (origin empty, not valid UTF-8, or with a control
 * character or newline; extensions not non-empty newline-terminated lines
 * of note characters); BROP_ELENGTH if the body would be longer than
 * BROP_NOTE_MAX_BYTES (checked first); BROP_EBUFFER if cap < *outlen + 1.
 */
BROP_WARN_UNUSED_RESULT int brop_checkpoint_format(char *out, size_t cap, size_t *outlen,
												   const char *origin, size_t originlen,
												   uint64_t size, const unsigned char root[32],
												   const char *extensions, size_t extensionslen);

/*
 * The checkpoint body of a ledger block (docs/formats.md, "Blocks and
 * checkpoints"): brop_checkpoint_format's body with the extension lines
 *   "block " number "\n" "time " sealed_at "\n" ["previous " hex(prev) "\n"]
 * sealed_at in microseconds since 1970-01-01 UTC (brop_time_text's form),
 * prev (32 bytes) NULL for block 1. The block's hash is SHA-256 of it.
 * Returns: as brop_checkpoint_format; BROP_EINVAL also for number 0 or a
 * NULL root; BROP_EOVERFLOW for a time outside the years 1 to 9999.
 */
BROP_WARN_UNUSED_RESULT int brop_checkpoint_format_block(char *out, size_t cap, size_t *outlen,
													   const char *origin, size_t originlen,
													   uint64_t size, const unsigned char root[32],
													   uint64_t number, int64_t sealed_at,
													   const unsigned char *prev);

#endif /* BROP_NOTE_H */
